//! The HTTP/1.1 request sent down a tunnel: one request per connection, so `Connection: close`,
//! and the framing headers (`Host`, `Content-Length`, `Transfer-Encoding`, `Connection`) are the
//! writer's, never the caller's. Every name and value is checked first: a CR, LF or NUL (or any
//! other control character but tab) would let a value start a second request on the connection.
//!
//! ```
//! use kubeopen::tunnel::request::Request;
//!
//! let head = Request::get("/api/data?x=1", "identity.demo.svc")
//!     .header("Accept", "application/json")
//!     .write_head()?;
//! assert_eq!(
//!     String::from_utf8(head).unwrap(),
//!     "GET /api/data?x=1 HTTP/1.1\r\nHost: identity.demo.svc\r\nAccept: application/json\r\nConnection: close\r\n\r\n",
//! );
//! # Ok::<(), kubeopen::tunnel::request::RequestError>(())
//! ```

/// Headers the writer sets itself; the caller's are dropped (they would contradict the framing).
const OWN_HEADERS: [&str; 7] = [
    "host",
    "content-length",
    "transfer-encoding",
    "connection",
    "keep-alive",
    "upgrade",
    "te",
];

/// An HTTP/1.1 request head to write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// The method (`GET`, `POST`, …): an HTTP token.
    pub method: String,
    /// The request target: path and query, starting with `/` (`*` for `OPTIONS *`).
    pub target: String,
    /// The `Host` header's value.
    pub host: String,
    /// The caller's headers, in order.
    pub headers: Vec<(String, String)>,
    /// The body's length, when there is a body (`Content-Length`).
    pub body_length: Option<u64>,
}

/// Why a request cannot be written.
///
/// ```
/// use kubeopen::tunnel::request::Request;
/// let err = Request::get("/", "h").header("X-A", "1\r\nX-B: 2").write_head().unwrap_err();
/// assert_eq!(err.to_string(), "the value of header \"X-A\" has a control character (U+000D) at byte 1");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    /// A method that is not an HTTP token.
    #[error("the method {method:?} is not an HTTP token (byte {at})")]
    Method {
        /// The method.
        method: String,
        /// Byte offset of the first bad byte (0 when empty).
        at: usize,
    },
    /// A target that is not `/…` (or `*`) or has a space or a control character.
    #[error("the request target {target:?} {problem}")]
    Target {
        /// The target.
        target: String,
        /// What is wrong.
        problem: &'static str,
    },
    /// A header name that is not an HTTP token.
    #[error("the header name {name:?} is not an HTTP token (byte {at})")]
    HeaderName {
        /// The name.
        name: String,
        /// Byte offset of the first bad byte (0 when empty).
        at: usize,
    },
    /// A header value (or the host) with a control character other than tab.
    #[error("the value of header {name:?} has a control character (U+{code:04X}) at byte {at}")]
    HeaderValue {
        /// The header's name.
        name: String,
        /// The character.
        code: u32,
        /// Byte offset in the value.
        at: usize,
    },
}

/// RFC 9110 `tchar`.
pub(crate) fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// The first byte that is not a `tchar` (0 for an empty token).
fn check_token(value: &str) -> Result<(), usize> {
    if value.is_empty() {
        return Err(0);
    }
    match value.bytes().position(|b| !is_tchar(b)) {
        Some(at) => Err(at),
        None => Ok(()),
    }
}

/// A value may hold any byte but controls (tab is allowed, as in field-value).
fn check_value(name: &str, value: &str) -> Result<(), RequestError> {
    match value.char_indices().find(|&(_, c)| c.is_control() && c != '\t') {
        Some((at, c)) => Err(RequestError::HeaderValue {
            name: name.to_owned(),
            code: u32::from(c),
            at,
        }),
        None => Ok(()),
    }
}

impl Request {
    /// A `GET` of `target` on `host`, no headers, no body.
    pub fn get(target: &str, host: &str) -> Request {
        Request {
            method: "GET".to_owned(),
            target: target.to_owned(),
            host: host.to_owned(),
            headers: Vec::new(),
            body_length: None,
        }
    }

    /// The same request with one more header.
    pub fn header(mut self, name: &str, value: &str) -> Request {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// The request head, ending in the blank line; the body (if any) follows it on the wire.
    ///
    /// ```
    /// use kubeopen::tunnel::request::Request;
    /// let mut post = Request::get("/submit", "web:80").header("content-length", "999");
    /// post.method = "POST".into();
    /// post.body_length = Some(3);
    /// let head = String::from_utf8(post.write_head()?).unwrap();
    /// assert_eq!(head, "POST /submit HTTP/1.1\r\nHost: web:80\r\nContent-Length: 3\r\nConnection: close\r\n\r\n");
    /// # Ok::<(), kubeopen::tunnel::request::RequestError>(())
    /// ```
    pub fn write_head(&self) -> Result<Vec<u8>, RequestError> {
        check_token(&self.method).map_err(|at| RequestError::Method {
            method: self.method.clone(),
            at,
        })?;
        let target_problem = if self.target != "*" && !self.target.starts_with('/') {
            Some("must start with '/'")
        } else if self.target.bytes().any(|b| b <= b' ' || b == 0x7F) {
            Some("has a space or a control character")
        } else if !self.target.is_ascii() {
            Some("has a non-ASCII character (percent-encode it)")
        } else {
            None
        };
        if let Some(problem) = target_problem {
            return Err(RequestError::Target {
                target: self.target.clone(),
                problem,
            });
        }
        check_value("Host", &self.host)?;
        let mut out = format!(
            "{} {} HTTP/1.1\r\nHost: {}\r\n",
            self.method, self.target, self.host
        );
        for (name, value) in &self.headers {
            check_token(name).map_err(|at| RequestError::HeaderName {
                name: name.clone(),
                at,
            })?;
            check_value(name, value)?;
            if OWN_HEADERS.iter().any(|own| own.eq_ignore_ascii_case(name)) {
                continue;
            }
            // Leading and trailing whitespace is not part of a field value (RFC 9110 §5.5).
            out.push_str(&format!("{name}: {}\r\n", value.trim_matches([' ', '\t'])));
        }
        if let Some(length) = self.body_length {
            out.push_str(&format!("Content-Length: {length}\r\n"));
        }
        out.push_str("Connection: close\r\n\r\n");
        Ok(out.into_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_control_character_is_refused_naming_the_header() {
        for c in (0u8..0x20).chain([0x7F]).filter(|&c| c != b'\t') {
            let value = format!("a{}b", c as char);
            let err = Request::get("/", "h")
                .header("X-Thing", &value)
                .write_head()
                .unwrap_err();
            assert_eq!(
                err,
                RequestError::HeaderValue {
                    name: "X-Thing".into(),
                    code: u32::from(c),
                    at: 1
                }
            );
            assert!(Request::get("/", &value).write_head().is_err());
        }
        assert!(Request::get("/", "h").header("X", "a\tb").write_head().is_ok());
    }

    #[test]
    fn names_methods_and_targets_are_checked() {
        let bad = |r: Request| r.write_head().unwrap_err().to_string();
        assert_eq!(
            bad(Request::get("/", "h").header("X A", "1")),
            "the header name \"X A\" is not an HTTP token (byte 1)"
        );
        assert_eq!(
            bad(Request::get("/", "h").header("", "1")),
            "the header name \"\" is not an HTTP token (byte 0)"
        );
        let mut r = Request::get("/", "h");
        r.method = "GET /x HTTP/1.1\r\n".into();
        assert!(bad(r).starts_with("the method"));
        assert_eq!(
            bad(Request::get("x", "h")),
            "the request target \"x\" must start with '/'"
        );
        assert_eq!(
            bad(Request::get("/a b", "h")),
            "the request target \"/a b\" has a space or a control character"
        );
        assert_eq!(
            bad(Request::get("/\r\n", "h")),
            "the request target \"/\\r\\n\" has a space or a control character"
        );
        assert!(bad(Request::get("/é", "h")).contains("non-ASCII"));
    }

    #[test]
    fn framing_headers_are_the_writers() {
        let head = Request::get("/", "h")
            .header("Connection", "keep-alive")
            .header("Transfer-Encoding", "chunked")
            .header("HOST", "evil")
            .header("X-Kept", "  spaced  ")
            .write_head()
            .unwrap();
        assert_eq!(
            String::from_utf8(head).unwrap(),
            "GET / HTTP/1.1\r\nHost: h\r\nX-Kept: spaced\r\nConnection: close\r\n\r\n"
        );
    }
}
