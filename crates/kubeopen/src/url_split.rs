//! Splitting absolute `http`/`https` URLs into their parts, without the `url` crate (whose IDNA
//! tables would dominate the WebAssembly build). Only what kubeopen needs is accepted: an
//! `http`/`https` scheme, a host (name, IPv4 or bracketed IPv6) and an optional port — no
//! credentials, no internationalised host names (write them as `xn--…`).

/// An absolute URL cut into borrowed parts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct UrlParts<'a> {
    /// `scheme://host[:port]` as written.
    pub origin: &'a str,
    /// Whether the scheme is `https` (any case).
    pub https: bool,
    /// The host as written: a name, an IPv4 address, or `[IPv6]` with its brackets.
    pub host: &'a str,
    /// The port as written (digits, 1–65535).
    pub port: Option<&'a str>,
    /// From the first `/` after the host to `?`, `#` or the end; may be empty.
    pub path: &'a str,
    /// After `?`, up to `#`.
    pub query: Option<&'a str>,
    /// After `#`.
    pub fragment: Option<&'a str>,
}

/// Why a URL was not split: a reason and the byte where it applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct UrlProblem {
    pub reason: &'static str,
    pub at: usize,
}

fn problem<T>(reason: &'static str, at: usize) -> Result<T, UrlProblem> {
    Err(UrlProblem { reason, at })
}

/// Splits `url`, which must be exactly an absolute `http(s)://` URL (no surrounding spaces).
pub(crate) fn split_url(url: &str) -> Result<UrlParts<'_>, UrlProblem> {
    let (https, after_scheme) = if starts_with_ignore_case(url, "https://") {
        (true, 8)
    } else if starts_with_ignore_case(url, "http://") {
        (false, 7)
    } else {
        return problem("expected a URL starting with http:// or https://", 0);
    };
    let bytes = url.as_bytes();
    let authority_end = bytes[after_scheme..]
        .iter()
        .position(|&b| matches!(b, b'/' | b'?' | b'#' | b'\\'))
        .map_or(url.len(), |i| after_scheme + i);
    if bytes.get(authority_end) == Some(&b'\\') {
        return problem("a backslash may not follow the host", authority_end);
    }
    let authority = &url[after_scheme..authority_end];
    if let Some(i) = authority.find('@') {
        return problem("credentials in the URL are not supported", after_scheme + i);
    }
    let (host, port_at) = if authority.starts_with('[') {
        let Some(close) = authority.find(']') else {
            return problem("an IPv6 address needs a closing ']'", after_scheme);
        };
        let inner = &authority[1..close];
        if inner.is_empty()
            || !inner
                .bytes()
                .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
        {
            return problem("not an IPv6 address", after_scheme + 1);
        }
        (&authority[..=close], close + 1)
    } else {
        let end = authority.find(':').unwrap_or(authority.len());
        let host = &authority[..end];
        if let Some(i) = host
            .bytes()
            .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')))
        {
            return problem(
                "the host may only contain ASCII letters, digits, '-', '.', '_' and '~' (write IDN hosts as xn--)",
                after_scheme + i,
            );
        }
        (host, end)
    };
    if host.is_empty() {
        return problem("the host is empty", after_scheme);
    }
    let port = match authority.get(port_at..) {
        None | Some("") => None,
        Some(rest) => {
            let digits = rest.strip_prefix(':').unwrap_or(rest);
            let at = after_scheme + port_at;
            if !rest.starts_with(':') {
                return problem("expected ':' and a port after the host", at);
            }
            match crate::validation::parse_port_number(digits) {
                Some(Ok(_)) => Some(digits),
                _ => return problem("the port must be a number from 1 to 65535", at + 1),
            }
        }
    };
    let rest = &url[authority_end..];
    let (before_fragment, fragment) = match rest.split_once('#') {
        Some((before, fragment)) => (before, Some(fragment)),
        None => (rest, None),
    };
    let (path, query) = match before_fragment.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (before_fragment, None),
    };
    Ok(UrlParts {
        origin: &url[..authority_end],
        https,
        host,
        port,
        path,
        query,
        fragment,
    })
}

fn starts_with_ignore_case(s: &str, prefix: &str) -> bool {
    s.as_bytes()
        .get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_the_server_forms_kubeopen_meets() {
        let u = split_url("https://rancher.example/k8s/clusters/c-abc?x#y").unwrap();
        assert_eq!(
            (u.origin, u.https, u.host, u.port, u.path, u.query, u.fragment),
            (
                "https://rancher.example",
                true,
                "rancher.example",
                None,
                "/k8s/clusters/c-abc",
                Some("x"),
                Some("y")
            )
        );
        let u = split_url("http://localhost:8001").unwrap();
        assert_eq!((u.host, u.port, u.path), ("localhost", Some("8001"), ""));
        let u = split_url("HTTPS://[::1]:6443/").unwrap();
        assert_eq!(
            (u.https, u.host, u.port, u.path),
            (true, "[::1]", Some("6443"), "/")
        );
        let u = split_url("http://10.0.0.1?a/b").unwrap();
        assert_eq!((u.path, u.query), ("", Some("a/b")));
    }

    #[test]
    fn refuses_what_it_cannot_represent() {
        let at = |url| split_url(url).unwrap_err().at;
        assert_eq!(at("ftp://x"), 0);
        assert_eq!(at("localhost:8001"), 0);
        assert_eq!(at("https://user:pw@x/"), 15);
        assert_eq!(at("https://"), 8);
        assert_eq!(at("https://x:"), 10);
        assert_eq!(at("https://x:0"), 10);
        assert_eq!(at("https://x:65536"), 10);
        assert_eq!(at("https://x:8a"), 10);
        assert_eq!(at("https://[::1"), 8);
        assert_eq!(at("https://[::g]"), 9);
        assert_eq!(at("https://[::1]x"), 13);
        assert_eq!(at("https://bücher.example"), 9);
        assert_eq!(at("https://x\\y"), 9);
        assert_eq!(at("https://x y"), 9);
    }
}
