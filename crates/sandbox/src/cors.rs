//! `--cors-allowed-origins`: kube-apiserver's CORS filter, exactly
//! (`staging/src/k8s.io/apiserver/pkg/server/filters/cors.go`, `WithCORS`, installed by
//! `DefaultBuildHandlerChain` with the default methods/headers and `allowCredentials = "true"`).
//!
//! - Without the flag, nothing happens: no CORS headers, and a browser on another origin cannot
//!   read any answer.
//! - Each pattern is a regular expression matched **unanchored** against the whole `Origin`
//!   header (Go's `regexp.MatchString`): `//localhost(:|$)` is the usual safe form; `localhost`
//!   alone would also allow `https://localhost.evil.example`.
//! - An allowed `Origin` is echoed in `Access-Control-Allow-Origin`, with the fixed methods,
//!   headers, exposed headers and `Access-Control-Allow-Credentials: true`. An allowed `OPTIONS`
//!   request is a preflight: 204 right there, **before authentication** (the filter wraps it).
//! - Every other request goes on; its answer (401, 403, lists, proxied pages) carries the headers.
//!   The filter sets them before the handler runs and the proxy *adds* a backend's own, so a
//!   backend's `Access-Control-Expose-Headers` follows ours (the other four it strips, spec §3).
//!
//! Patterns use `regex-lite`, whose syntax is RE2's for everything an origin pattern needs
//! (Go's `regexp` is RE2); the sandbox refuses a pattern it cannot compile, as kube-apiserver
//! exits on one.

use hyper::header::{
    ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_EXPOSE_HEADERS, HeaderMap, HeaderName, HeaderValue, ORIGIN,
};
use hyper::{Method, Response, StatusCode};

use crate::server::{Body, full};

/// `WithCORS`'s defaults (`allowedMethods == nil` etc.), joined with `", "` as Go does.
const ALLOW_METHODS: &str = "POST, GET, OPTIONS, PUT, DELETE, PATCH";
const ALLOW_HEADERS: &str = "Content-Type, Content-Length, Accept-Encoding, X-CSRF-Token, Authorization, X-Requested-With, If-Modified-Since";
const EXPOSE_HEADERS: &str = "Date";
const ALLOW_CREDENTIALS: &str = "true";

/// The compiled `--cors-allowed-origins` patterns (none: the filter is not installed).
#[derive(Debug, Default)]
pub struct Cors {
    patterns: Vec<regex_lite::Regex>,
}

impl Cors {
    /// Compiles the flag's values (each may hold several, comma-separated, like pflag's
    /// `StringSlice`); empty items are skipped.
    pub fn new(values: &[String]) -> Result<Cors, String> {
        let all: Vec<&str> = values
            .iter()
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        let patterns = all
            .iter()
            .map(|p| regex_lite::Regex::new(p))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| {
                format!(
                    "Invalid CORS allowed origin, --cors-allowed-origins flag was set to {} - {e}",
                    all.join(",")
                )
            })?;
        Ok(Cors { patterns })
    }

    /// The `Origin` to echo, when the request has one that a pattern matches.
    pub fn allowed(&self, headers: &HeaderMap) -> Option<HeaderValue> {
        if self.patterns.is_empty() {
            return None;
        }
        let origin = headers.get(ORIGIN)?;
        // Go's Header.Get returns the raw bytes as a string; an origin that is not text matches
        // no sensible pattern.
        let text = origin.to_str().ok().filter(|o| !o.is_empty())?;
        self.patterns
            .iter()
            .any(|re| re.is_match(text))
            .then(|| origin.clone())
    }
}

/// The answer to an allowed preflight: 204 with the headers, before authentication.
pub fn preflight(method: &Method, origin: &HeaderValue) -> Option<Response<Body>> {
    if method != Method::OPTIONS {
        return None;
    }
    let mut response = Response::new(full(""));
    *response.status_mut() = StatusCode::NO_CONTENT;
    add_headers(response.headers_mut(), origin);
    Some(response)
}

/// Puts the filter's headers on an answer: first, as Go's `Set` before the handler; whatever
/// the handler added to the same names follows.
pub fn add_headers(headers: &mut HeaderMap, origin: &HeaderValue) {
    let ours: [(HeaderName, HeaderValue); 5] = [
        (ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone()),
        (
            ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static(ALLOW_METHODS),
        ),
        (
            ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static(ALLOW_HEADERS),
        ),
        (
            ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static(EXPOSE_HEADERS),
        ),
        (
            ACCESS_CONTROL_ALLOW_CREDENTIALS,
            HeaderValue::from_static(ALLOW_CREDENTIALS),
        ),
    ];
    for (name, value) in ours {
        let theirs: Vec<HeaderValue> = headers.get_all(&name).iter().cloned().collect();
        headers.insert(name.clone(), value);
        for v in theirs {
            headers.append(name.clone(), v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin_headers(origin: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            ORIGIN,
            HeaderValue::from_str(origin).unwrap_or(HeaderValue::from_static("")),
        );
        h
    }

    fn allows(cors: &Cors, origin: &str) -> bool {
        cors.allowed(&origin_headers(origin)).is_some()
    }

    #[test]
    fn patterns_match_unanchored_like_go() {
        let cors = Cors::new(&["//localhost(:|$),//127\\.0\\.0\\.1(:|$)".to_owned()]).unwrap_or_default();
        assert!(allows(&cors, "http://localhost:5173"));
        assert!(allows(&cors, "https://localhost"));
        assert!(allows(&cors, "http://127.0.0.1:8080"));
        assert!(!allows(&cors, "http://localhost.evil.example"));
        assert!(!allows(&cors, "http://127.0.0.10"));
        // Unanchored: a bare word matches anywhere, which is why the docs warn about it.
        let loose = Cors::new(&["localhost".to_owned()]).unwrap_or_default();
        assert!(allows(&loose, "https://localhost.evil.example"));
    }

    #[test]
    fn no_flag_no_origin_no_match() {
        assert!(!allows(&Cors::default(), "http://localhost"));
        let cors = Cors::new(&["x".to_owned()]).unwrap_or_default();
        assert!(cors.allowed(&HeaderMap::new()).is_none());
        assert!(!allows(&cors, ""));
        assert!(!allows(&cors, "http://other"));
    }

    #[test]
    fn values_split_on_commas_and_repeat() {
        let cors = Cors::new(&["a, ,b".to_owned(), "c".to_owned()]).unwrap_or_default();
        assert_eq!(cors.patterns.len(), 3);
    }

    #[test]
    fn bad_patterns_are_refused_with_the_flag() {
        let err = Cors::new(&["(".to_owned()]).unwrap_err();
        assert!(
            err.starts_with("Invalid CORS allowed origin, --cors-allowed-origins flag was set to ( - "),
            "{err}"
        );
    }

    #[test]
    fn preflight_only_for_options_and_headers_go_first() {
        let origin = HeaderValue::from_static("http://localhost:5173");
        assert!(preflight(&Method::GET, &origin).is_none());
        let Some(r) = preflight(&Method::OPTIONS, &origin) else {
            unreachable!("an OPTIONS request is a preflight")
        };
        assert_eq!(r.status(), StatusCode::NO_CONTENT);
        assert_eq!(r.headers()[ACCESS_CONTROL_ALLOW_ORIGIN], "http://localhost:5173");
        assert_eq!(r.headers()[ACCESS_CONTROL_ALLOW_METHODS], ALLOW_METHODS);
        assert_eq!(r.headers()[ACCESS_CONTROL_ALLOW_HEADERS], ALLOW_HEADERS);
        assert_eq!(r.headers()[ACCESS_CONTROL_EXPOSE_HEADERS], "Date");
        assert_eq!(r.headers()[ACCESS_CONTROL_ALLOW_CREDENTIALS], "true");

        let mut h = HeaderMap::new();
        h.insert(
            ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static("X-Backend"),
        );
        add_headers(&mut h, &origin);
        let exposed: Vec<_> = h.get_all(ACCESS_CONTROL_EXPOSE_HEADERS).iter().collect();
        assert_eq!(exposed, ["Date", "X-Backend"]);
    }
}
