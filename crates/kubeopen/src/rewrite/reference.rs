//! Reading a URL reference the way a browser's URL parser would for a page on an `http(s)`
//! origin — only as far as rewriting needs: is it relative, root-relative, protocol-relative or
//! absolute, and if it names a host, which one.

/// A URL reference, cut into borrowed parts. `url` has already had surrounding spaces and
/// embedded tabs/newlines removed (as WHATWG removes them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Reference<'a> {
    /// Nothing a rewrite touches: empty, `#frag`, `?query`, an opaque or non-web scheme
    /// (`data:`, `blob:`, `javascript:`, `mailto:`, …), or something a browser would refuse.
    Untouched,
    /// `a/b`, `../x?q`: `path` is up to `?`/`#`, `rest` the query and fragment.
    Relative { path: &'a str, rest: &'a str },
    /// `/a/b?q`: `path` starts with `/` or `\`.
    RootRelative { path: &'a str, rest: &'a str },
    /// `http(s)://`, `ws(s)://` or protocol-relative `//` (then `scheme` is `None`).
    Absolute(Absolute<'a>),
}

/// The parts of an absolute (or protocol-relative) URL with a web scheme.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Absolute<'a> {
    /// `None` for protocol-relative references.
    pub scheme: Option<WebScheme>,
    /// Everything up to the authority (`https://`, `//`, `http:\\`), as written.
    pub lead: &'a str,
    /// The authority as written (userinfo included).
    pub authority: &'a str,
    /// The host: lower-case is not applied; IPv6 keeps its brackets.
    pub host: &'a str,
    /// The explicit port, as written (may be empty or not a number).
    pub port: Option<&'a str>,
    /// From the first `/` or `\` after the authority up to `?`/`#` (may be empty).
    pub path: &'a str,
    /// The query and fragment, with their `?`/`#`.
    pub rest: &'a str,
}

/// The schemes a page can fetch from an `http(s)` origin through the API server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum WebScheme {
    Http,
    Https,
    Ws,
    Wss,
}

impl WebScheme {
    pub fn is_secure(self) -> bool {
        matches!(self, WebScheme::Https | WebScheme::Wss)
    }

    pub fn is_websocket(self) -> bool {
        matches!(self, WebScheme::Ws | WebScheme::Wss)
    }

    fn parse(s: &str) -> Option<WebScheme> {
        [
            ("http", WebScheme::Http),
            ("https", WebScheme::Https),
            ("ws", WebScheme::Ws),
            ("wss", WebScheme::Wss),
        ]
        .into_iter()
        .find_map(|(name, scheme)| s.eq_ignore_ascii_case(name).then_some(scheme))
    }
}

fn is_slash(b: u8) -> bool {
    b == b'/' || b == b'\\'
}

/// Splits `s` at the first `?` or `#`.
fn split_rest(s: &str) -> (&str, &str) {
    let at = s.bytes().position(|b| b == b'?' || b == b'#').unwrap_or(s.len());
    s.split_at(at)
}

/// The length of a leading `scheme:` (without the colon), if `url` starts with one.
fn scheme_len(url: &str) -> Option<usize> {
    let bytes = url.as_bytes();
    if !bytes.first()?.is_ascii_alphabetic() {
        return None;
    }
    let end = bytes
        .iter()
        .position(|&b| !(b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')))?;
    (bytes[end] == b':').then_some(end)
}

/// Reads `url` as found on a page whose scheme is `https` when `base_https` (else `http`).
pub(super) fn parse_reference(url: &str, base_https: bool) -> Reference<'_> {
    let bytes = url.as_bytes();
    match bytes.first() {
        None | Some(b'#' | b'?') => Reference::Untouched,
        Some(&b) if is_slash(b) => {
            if bytes.get(1).copied().is_some_and(is_slash) {
                absolute(url, None, 0)
            } else {
                let (path, rest) = split_rest(url);
                Reference::RootRelative { path, rest }
            }
        }
        Some(_) => match scheme_len(url) {
            Some(len) => match WebScheme::parse(&url[..len]) {
                // The page's own scheme without `//` (`https:/x`, `https:x`) is a relative
                // reference to a browser: a path on the page's origin.
                Some(scheme @ (WebScheme::Http | WebScheme::Https))
                    if scheme.is_secure() == base_https
                        && !(bytes.get(len + 1).copied().is_some_and(is_slash)
                            && bytes.get(len + 2).copied().is_some_and(is_slash)) =>
                {
                    let rest = &url[len + 1..];
                    let (path, tail) = split_rest(rest);
                    if rest.starts_with(['/', '\\']) {
                        Reference::RootRelative { path, rest: tail }
                    } else if rest.is_empty() || rest.starts_with(['?', '#']) {
                        Reference::Untouched
                    } else {
                        Reference::Relative { path, rest: tail }
                    }
                }
                Some(scheme) => absolute(url, Some(scheme), len + 1),
                None => Reference::Untouched,
            },
            None => {
                let (path, rest) = split_rest(url);
                Reference::Relative { path, rest }
            }
        },
    }
}

/// Reads the authority after `scheme:` (or from the start for `//`). Browsers skip any number of
/// `/` and `\` there for web schemes.
fn absolute(url: &str, scheme: Option<WebScheme>, after_scheme: usize) -> Reference<'_> {
    let bytes = url.as_bytes();
    let mut start = after_scheme;
    while bytes.get(start).copied().is_some_and(is_slash) {
        start += 1;
    }
    // Another scheme than the page's reads the authority even without slashes (`http:host`).
    let end = bytes[start..]
        .iter()
        .position(|&b| matches!(b, b'/' | b'\\' | b'?' | b'#'))
        .map_or(url.len(), |i| start + i);
    let authority = &url[start..end];
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, hp)| hp);
    let (host, port) = if host_port.starts_with('[') {
        match host_port.find(']') {
            Some(close) => {
                let after = &host_port[close + 1..];
                match after.strip_prefix(':') {
                    Some(port) => (&host_port[..=close], Some(port)),
                    None if after.is_empty() => (&host_port[..=close], None),
                    None => return Reference::Untouched,
                }
            }
            None => return Reference::Untouched,
        }
    } else {
        match host_port.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (host_port, None),
        }
    };
    if host.is_empty() {
        return Reference::Untouched;
    }
    let (path, rest) = split_rest(&url[end..]);
    Reference::Absolute(Absolute {
        scheme,
        lead: &url[..start],
        authority,
        host,
        port,
        path,
        rest,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds() {
        for untouched in [
            "",
            "#x",
            "?a",
            "data:x",
            "javascript:alert(1)",
            "mailto:a@b",
            "blob:https://h/1",
            "https:",
            "//",
            "http://",
        ] {
            assert_eq!(
                parse_reference(untouched, true),
                Reference::Untouched,
                "{untouched:?}"
            );
        }
        assert_eq!(
            parse_reference("a/b?c#d", true),
            Reference::Relative {
                path: "a/b",
                rest: "?c#d"
            }
        );
        assert_eq!(parse_reference("c:d/e", true), Reference::Untouched);
        assert_eq!(
            parse_reference("1:2", true),
            Reference::Relative {
                path: "1:2",
                rest: ""
            }
        );
        assert_eq!(
            parse_reference("\\a#b", true),
            Reference::RootRelative {
                path: "\\a",
                rest: "#b"
            }
        );
        // The page's scheme without `//` is relative; another scheme reads a host.
        assert_eq!(
            parse_reference("https:/x?q", true),
            Reference::RootRelative {
                path: "/x",
                rest: "?q"
            }
        );
        assert_eq!(
            parse_reference("https:x", true),
            Reference::Relative { path: "x", rest: "" }
        );
        let Reference::Absolute(a) = parse_reference("http:x/y", true) else {
            panic!()
        };
        assert_eq!((a.host, a.path), ("x", "/y"));
        let Reference::Absolute(a) = parse_reference("https:\\/h/y", true) else {
            panic!()
        };
        assert_eq!((a.host, a.path), ("h", "/y"));
        let Reference::Absolute(a) = parse_reference("HTTPS:\\\\u:p@Host:8443\\x?y", false) else {
            panic!()
        };
        assert_eq!(
            (a.scheme, a.lead, a.authority, a.host, a.port, a.path, a.rest),
            (
                Some(WebScheme::Https),
                "HTTPS:\\\\",
                "u:p@Host:8443",
                "Host",
                Some("8443"),
                "\\x",
                "?y"
            )
        );
        let Reference::Absolute(a) = parse_reference("//[::1]:6443", true) else {
            panic!()
        };
        assert_eq!(
            (a.scheme, a.host, a.port, a.path),
            (None, "[::1]", Some("6443"), "")
        );
        assert_eq!(parse_reference("//[::1]x/", true), Reference::Untouched);
    }
}
