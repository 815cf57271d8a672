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
    // One pass over the authority: where it ends, and its first byte that is not a host byte
    // (usually the port's ':'), and its first '@'.
    let mut authority_end = bytes.len();
    let mut first_non_host = None;
    let mut at_sign = None;
    for (i, &b) in bytes.iter().enumerate().skip(after_scheme) {
        match AUTHORITY_BYTES[usize::from(b)] {
            AuthorityByte::Host => {}
            AuthorityByte::End => {
                authority_end = i;
                break;
            }
            AuthorityByte::Other => {
                first_non_host.get_or_insert(i);
                if b == b'@' {
                    at_sign.get_or_insert(i);
                }
            }
        }
    }
    if bytes.get(authority_end) == Some(&b'\\') {
        return problem("a backslash may not follow the host", authority_end);
    }
    if let Some(i) = at_sign {
        return problem("credentials in the URL are not supported", i);
    }
    let authority = url.get(after_scheme..authority_end).unwrap_or_default();
    let authority_bytes = authority.as_bytes();
    let (host, port_at) = if authority_bytes.first() == Some(&b'[') {
        let Some(close) = authority_bytes.iter().position(|&b| b == b']') else {
            return problem("an IPv6 address needs a closing ']'", after_scheme);
        };
        let inner = authority_bytes.get(1..close).unwrap_or_default();
        if inner.is_empty()
            || !inner
                .iter()
                .all(|&b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
        {
            return problem("not an IPv6 address", after_scheme + 1);
        }
        (authority.get(..=close).unwrap_or_default(), close + 1)
    } else {
        // The host runs to the first ':'; any other non-host byte before it is an error.
        let end = match first_non_host {
            None => authority.len(),
            Some(i) if bytes.get(i) == Some(&b':') => i - after_scheme,
            Some(i) => {
                return problem(
                    "the host may only contain ASCII letters, digits, '-', '.', '_' and '~' (write IDN hosts as xn--)",
                    i,
                );
            }
        };
        (authority.get(..end).unwrap_or_default(), end)
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
    // `?` and `#` are ASCII, so every cut below is on a char boundary.
    let rest = bytes.get(authority_end..).unwrap_or_default();
    let first = authority_end + find_any(rest, b"?#");
    let (query_at, fragment_at) = if bytes.get(first) == Some(&b'?') {
        let after = bytes.get(first + 1..).unwrap_or_default();
        (first, first + 1 + find_byte(after, b'#'))
    } else {
        (first, first)
    };
    Ok(UrlParts {
        origin: url.get(..authority_end).unwrap_or_default(),
        https,
        host,
        port,
        path: url.get(authority_end..query_at).unwrap_or_default(),
        query: url.get(query_at + 1..fragment_at),
        fragment: url.get(fragment_at + 1..),
    })
}

/// Eight bytes at a time: the hot scans run over every URL kubeopen parses, and WebAssembly has
/// no `memchr` of its own, so a byte loop costs a compare and a branch per byte.
const LANES: usize = 8;
const ONES: u64 = u64::from_ne_bytes([0x01; LANES]);
const HIGHS: u64 = u64::from_ne_bytes([0x80; LANES]);

/// Whether some byte of `word` is `needle` (the classic has-zero-byte test on `word ^ needle`).
fn word_has(word: u64, needle: u8) -> bool {
    let x = word ^ (ONES * u64::from(needle));
    x.wrapping_sub(ONES) & !x & HIGHS != 0
}

/// Whether some byte of `word` is below `limit`, which must be at most 0x80.
fn word_has_below(word: u64, limit: u8) -> bool {
    word.wrapping_sub(ONES * u64::from(limit)) & !word & HIGHS != 0
}

/// Whether any byte of `bytes` is below `limit` (at most 0x80): C0 controls, for `b' ' + 1`.
pub(crate) fn contains_below(bytes: &[u8], limit: u8) -> bool {
    let mut words = bytes.chunks_exact(LANES);
    for chunk in &mut words {
        let word = u64::from_ne_bytes(<[u8; LANES]>::try_from(chunk).unwrap_or_default());
        if word_has_below(word, limit) {
            return true;
        }
    }
    words.remainder().iter().any(|&b| b < limit)
}

/// Whether some byte of `bytes` has bit 0x20 clear (as every uppercase ASCII letter has).
pub(crate) fn has_byte_without_0x20(bytes: &[u8]) -> bool {
    const BIT: u64 = u64::from_ne_bytes([0x20; LANES]);
    let mut words = bytes.chunks_exact(LANES);
    for chunk in &mut words {
        let word = u64::from_ne_bytes(<[u8; LANES]>::try_from(chunk).unwrap_or_default());
        if !word & BIT != 0 {
            return true;
        }
    }
    words.remainder().iter().any(|&b| b & 0x20 == 0)
}

/// The index of the first byte of `bytes` below `limit` (at most 0x80), or `bytes.len()`.
pub(crate) fn find_below(bytes: &[u8], limit: u8) -> usize {
    let mut words = bytes.chunks_exact(LANES);
    let mut at = 0;
    for chunk in &mut words {
        let word = u64::from_ne_bytes(<[u8; LANES]>::try_from(chunk).unwrap_or_default());
        if word_has_below(word, limit) {
            return at + chunk.iter().position(|&b| b < limit).unwrap_or(LANES);
        }
        at += LANES;
    }
    at + words
        .remainder()
        .iter()
        .position(|&b| b < limit)
        .unwrap_or(words.remainder().len())
}

/// The index of the first `needle` in `bytes`, or `bytes.len()`.
pub(crate) fn find_byte(bytes: &[u8], needle: u8) -> usize {
    find_any(bytes, &[needle])
}

/// The index of the first byte of `bytes` that is one of `needles`, or `bytes.len()`.
pub(crate) fn find_any(bytes: &[u8], needles: &[u8]) -> usize {
    let mut words = bytes.chunks_exact(LANES);
    let mut at = 0;
    for chunk in &mut words {
        let word = u64::from_ne_bytes(<[u8; LANES]>::try_from(chunk).unwrap_or_default());
        if needles.iter().any(|&n| word_has(word, n)) {
            return at + chunk.iter().position(|b| needles.contains(b)).unwrap_or(LANES);
        }
        at += LANES;
    }
    at + words
        .remainder()
        .iter()
        .position(|b| needles.contains(b))
        .unwrap_or(words.remainder().len())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum AuthorityByte {
    /// A byte of a host name.
    Host,
    /// A byte that ends the authority: `/`, `?`, `#` or `\`.
    End,
    /// Anything else (`:`, `@`, `[`, non-ASCII, …).
    Other,
}

const AUTHORITY_BYTES: [AuthorityByte; 256] = {
    let mut table = [AuthorityByte::Other; 256];
    let mut b = 0;
    while b < 256 {
        if HOST_BYTES[b] {
            table[b] = AuthorityByte::Host;
        }
        b += 1;
    }
    table[b'/' as usize] = AuthorityByte::End;
    table[b'?' as usize] = AuthorityByte::End;
    table[b'#' as usize] = AuthorityByte::End;
    table[b'\\' as usize] = AuthorityByte::End;
    table
};

/// The bytes of a host name kubeopen accepts: ASCII letters, digits, `-`, `.`, `_` and `~`.
const HOST_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        // `b < 256`, so the cast is exact.
        #[allow(clippy::cast_possible_truncation)]
        let byte = b as u8;
        table[b] = byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~');
        b += 1;
    }
    table
};

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
    fn word_scans_agree_with_byte_scans() {
        let text = b"https://h/a/b%2e\\x?q#f\t\x01\x7f\xc3\xa9 .-";
        for start in 0..text.len() {
            for end in start..=text.len() {
                let part = &text[start..end];
                for needle in [b'#', b'?', b'/', b'\\', b'.', b'%', b'\t', 0xa9, 0x7f] {
                    let want = part.iter().position(|&b| b == needle).unwrap_or(part.len());
                    assert_eq!(find_byte(part, needle), want, "{part:?} {needle}");
                    let want = part
                        .iter()
                        .position(|&b| b == needle || b == b'?')
                        .unwrap_or(part.len());
                    assert_eq!(find_any(part, &[needle, b'?']), want, "{part:?} {needle}");
                }
                for limit in [0x01, 0x02, b' ', b' ' + 1, 0x80] {
                    assert_eq!(
                        contains_below(part, limit),
                        part.iter().any(|&b| b < limit),
                        "{part:?} {limit}"
                    );
                    assert_eq!(has_byte_without_0x20(part), part.iter().any(|&b| b & 0x20 == 0));
                    let want = part.iter().position(|&b| b < limit).unwrap_or(part.len());
                    assert_eq!(find_below(part, limit), want, "{part:?} {limit}");
                }
            }
        }
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
