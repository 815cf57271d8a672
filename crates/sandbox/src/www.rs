//! `--www-dir DIR` / `--www-prefix PREFIX`: static files beside the API, the way
//! `kubectl proxy --www=DIR --www-prefix=PREFIX` serves them (spec §5).
//!
//! A sandbox-only convenience: a real kube-apiserver serves no files. It stands in for "a page
//! on the API server's origin", so a dashboard can be tested same-origin (no CORS) without a
//! `kubectl proxy` in front. Like kubectl's file server, it runs before authentication (a browser
//! navigation carries no token) and only for paths under the prefix; everything else is the API.

use std::path::PathBuf;

use hyper::header::{HeaderValue, LOCATION};
use hyper::{Method, Response, StatusCode};

use crate::backend;
use crate::server::{Body, full};

/// Where the files are and the path prefix they are served at.
#[derive(Debug, Clone)]
pub struct Www {
    /// Always starts and ends with `/`, and is never `/` or under `/api` (checked by [`Www::new`]).
    prefix: String,
    dir: PathBuf,
}

impl Www {
    /// Checks the prefix the way the command line needs: kubectl adds a missing trailing `/`; a
    /// prefix of `/` or one under `/api` would hide the API, so it is refused here.
    pub fn new(dir: PathBuf, prefix: &str) -> Result<Self, String> {
        if !prefix.starts_with('/') {
            return Err(format!("--www-prefix {prefix:?} must start with '/'"));
        }
        let mut prefix = prefix.to_owned();
        if !prefix.ends_with('/') {
            prefix.push('/');
        }
        if prefix == "/" || prefix.starts_with("/api/") || prefix.starts_with("/apis/") {
            return Err(format!(
                "--www-prefix {prefix:?} would hide the API; choose a prefix such as /ui/"
            ));
        }
        if !dir.is_dir() {
            return Err(format!("--www-dir {}: not a directory", dir.display()));
        }
        Ok(Self { prefix, dir })
    }

    /// The answer for `path` (the request path, still percent-encoded) when it belongs to the
    /// files, `None` when it is an API request.
    pub async fn serve(&self, method: &Method, path: &str) -> Option<Response<Body>> {
        let bare = &self.prefix[..self.prefix.len() - 1];
        // Go's ServeMux redirects the prefix without its slash to the prefix.
        if path == bare {
            let mut r = Response::new(full(""));
            *r.status_mut() = StatusCode::MOVED_PERMANENTLY;
            if let Ok(v) = HeaderValue::from_str(&self.prefix) {
                r.headers_mut().insert(LOCATION, v);
            }
            return Some(r);
        }
        let rest = path.strip_prefix(bare)?;
        if !rest.starts_with('/') {
            return None;
        }
        if method != Method::GET && method != Method::HEAD {
            let mut r = Response::new(full("405 method not allowed\n"));
            *r.status_mut() = StatusCode::METHOD_NOT_ALLOWED;
            return Some(r);
        }
        Some(backend::static_file(&self.dir, rest).await)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_are_normalised_and_checked() {
        let dir = std::env::temp_dir();
        assert_eq!(
            Www::new(dir.clone(), "/ui").map(|w| w.prefix),
            Ok("/ui/".to_owned())
        );
        assert_eq!(
            Www::new(dir.clone(), "/static/").map(|w| w.prefix),
            Ok("/static/".to_owned())
        );
        for bad in ["ui/", "/", "/api/", "/apis/x", "/api"] {
            assert!(Www::new(dir.clone(), bad).is_err(), "{bad}");
        }
        assert!(Www::new(dir.join("kubeopen-no-such-dir"), "/ui/").is_err());
    }
}
