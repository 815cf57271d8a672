//! Dot segments and separators: how kubeopen keeps a path inside a proxy prefix, and how a
//! browser resolves the path of a URL it is given.
//!
//! Three readers see a proxy URL's path, and each has its own idea of a separator and a dot
//! segment:
//!
//! | reader | separators | dot segments |
//! | --- | --- | --- |
//! | browser (WHATWG URL parser) | `/`, `\` | `.` `..` and `%2e` forms, any case |
//! | kube-apiserver (spec §4.1) | `/` and `%2F` (it splits the *decoded* path) | `.` `..` after decoding |
//! | decoding intermediaries (some front proxies) | `/`, maybe `\` after decoding `%5C` | as the server |
//!
//! [`push_confined_path`] treats the union of all of them as separators and dot segments, and
//! resolves them itself, clamped at the prefix, so none of the readers can climb out.

use std::borrow::Cow;

use crate::percent::{Component, push_encoded};
use crate::url_split::{find_any, find_byte};

/// `.` or `%2e` (any case): a single-dot segment for WHATWG and, decoded, for the API server.
fn is_single_dot(segment: &str) -> bool {
    match segment.len() {
        1 => segment == ".",
        3 => segment.eq_ignore_ascii_case("%2e"),
        _ => false,
    }
}

/// `..`, `.%2e`, `%2e.` or `%2e%2e` (any case).
fn is_double_dot(segment: &str) -> bool {
    match segment.len() {
        2 => segment == "..",
        4 => segment.eq_ignore_ascii_case(".%2e") || segment.eq_ignore_ascii_case("%2e."),
        6 => segment.eq_ignore_ascii_case("%2e%2e"),
        _ => false,
    }
}

/// Whether a browser or the API server reads `segment` as `.` or `..`.
pub(crate) fn is_dot_segment(segment: &str) -> bool {
    is_single_dot(segment) || is_double_dot(segment)
}

/// Where the segment starting at `start` ends, and where the next one starts (`None` at the end).
/// Separators: `/`, `\`, `%2F` and `%5C` in any case.
fn next_separator(bytes: &[u8], start: usize) -> (usize, Option<usize>) {
    let mut i = start;
    while i < bytes.len() {
        match bytes[i] {
            b'/' | b'\\' => return (i, Some(i + 1)),
            b'%' if matches!(
                (bytes.get(i + 1), bytes.get(i + 2)),
                (Some(b'2'), Some(b'f' | b'F')) | (Some(b'5'), Some(b'c' | b'C'))
            ) =>
            {
                return (i, Some(i + 3));
            }
            _ => i += 1,
        }
    }
    (bytes.len(), None)
}

/// Appends `path` to `out`, which ends with the prefix's `/`, so that no reader can leave the
/// prefix:
///
/// - `/`, `\`, `%2F` and `%5C` (any case) all separate segments and are written as `/` — the API
///   server decodes `%2F` into `/` anyway (spec §4.1), so a backend could never receive it;
/// - empty segments are dropped (`a//b` is `a/b`), as the server's `JoinPreservingTrailingSlash`
///   drops them;
/// - `.` and `..` in every spelling are resolved here, `..` never removing the prefix;
/// - the result ends with `/` when `path` did, or when it ended with a dot segment (as a browser
///   resolves `a/b/..` to `a/`);
/// - each segment is percent-encoded for a path ([`Component::PathSegment`]).
///
/// `path` must not contain the query or fragment; the caller cuts them off.
pub(crate) fn push_confined_path(out: &mut String, path: &str) {
    let prefix_len = out.len();
    let bytes = path.as_bytes();
    // `out[prefix_len..]` is a sequence of "segment/"; the last `/` is removed at the end when the
    // path ended with a plain segment.
    let mut ends_with_plain_segment;
    let mut start = 0;
    loop {
        let (end, next) = next_separator(bytes, start);
        // Separators are ASCII, so `start` and `end` are char boundaries.
        let segment = path.get(start..end).unwrap_or_default();
        ends_with_plain_segment = !(segment.is_empty() || is_single_dot(segment) || is_double_dot(segment));
        if ends_with_plain_segment {
            push_encoded(out, segment, Component::PathSegment);
            out.push('/');
        } else if is_double_dot(segment) {
            remove_last_segment(out, prefix_len);
        }
        match next {
            Some(next) => start = next,
            None => break,
        }
    }
    if ends_with_plain_segment {
        out.pop();
    }
}

/// Removes the last `segment/` from `out`, never going below `prefix_len`.
fn remove_last_segment(out: &mut String, prefix_len: usize) {
    if out.len() <= prefix_len {
        return;
    }
    // `out` ends with '/'; find the one before it.
    let body = out.get(prefix_len..out.len() - 1).unwrap_or_default();
    let keep = body.rfind('/').map_or(prefix_len, |i| prefix_len + i + 1);
    out.truncate(keep);
}

/// Whether `path` has a `\` or a dot segment: one pass over the bytes, as this is asked of every
/// URL kubeopen parses.
fn needs_browser_resolution(path: &str) -> bool {
    let bytes = path.as_bytes();
    // A dot segment starts with `.` or `%` (`%2e`), right after a `/` or at the start.
    let mut from = 0;
    while let Some(rest) = bytes.get(from..) {
        let i = from + find_any(rest, b".%\\");
        match bytes.get(i) {
            None => return false,
            Some(b'\\') => return true,
            Some(_) => {}
        }
        if i == 0 || bytes.get(i - 1) == Some(&b'/') {
            let end = i + find_byte(bytes.get(i..).unwrap_or_default(), b'/');
            // `/` is ASCII, so `i..end` is on char boundaries.
            if path.get(i..end).is_some_and(is_dot_segment) {
                return true;
            }
        }
        from = i + 1;
    }
    false
}

/// The path a browser makes of `path` (the path of an absolute `http(s)` URL): `\` read as `/`,
/// dot segments in every spelling resolved and clamped at the root, a trailing `/` left where a
/// dot segment was last. Empty segments are kept, as WHATWG keeps them. Borrowed when there is
/// nothing to resolve, which is the common case.
pub(crate) fn resolve_like_browser(path: &str) -> Cow<'_, str> {
    if !needs_browser_resolution(path) {
        return Cow::Borrowed(path);
    }
    let mut segments: Vec<&str> = Vec::new();
    let mut ends_with_dot = false;
    // The path starts with a separator; every piece after it is a segment.
    for segment in path.split(['/', '\\']).skip(1) {
        ends_with_dot = false;
        if is_double_dot(segment) {
            segments.pop();
            ends_with_dot = true;
        } else if is_single_dot(segment) {
            ends_with_dot = true;
        } else {
            segments.push(segment);
        }
    }
    let mut out = String::with_capacity(path.len());
    for segment in &segments {
        out.push('/');
        out.push_str(segment);
    }
    if ends_with_dot || out.is_empty() {
        out.push('/');
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn confined(path: &str) -> String {
        let mut out = String::from("/p/");
        push_confined_path(&mut out, path);
        out
    }

    #[test]
    fn plain_paths_are_kept() {
        assert_eq!(confined(""), "/p/");
        assert_eq!(confined("/"), "/p/");
        assert_eq!(confined("metrics"), "/p/metrics");
        assert_eq!(confined("/metrics"), "/p/metrics");
        assert_eq!(confined("/d/abc/"), "/p/d/abc/");
        assert_eq!(confined("/a:b@c/%41"), "/p/a:b@c/%41");
        assert_eq!(confined("/my dashboard/é"), "/p/my%20dashboard/%C3%A9");
    }

    #[test]
    fn dot_segments_resolve_and_clamp() {
        assert_eq!(confined("a/b/.."), "/p/a/");
        assert_eq!(confined("a/b/../c"), "/p/a/c");
        assert_eq!(confined("a/./b/."), "/p/a/b/");
        assert_eq!(confined(".."), "/p/");
        assert_eq!(confined("../../../../etc/passwd"), "/p/etc/passwd");
        assert_eq!(confined("%2e%2e/%2E%2e/x"), "/p/x");
        assert_eq!(confined(".%2E/x"), "/p/x");
        assert_eq!(confined("%2e./x"), "/p/x");
        assert_eq!(confined("a/%2E"), "/p/a/");
        // Not dot segments: kept (the server decodes "%252e" once, to the name "%2e").
        assert_eq!(confined("...//.a/%252e%252e"), "/p/.../.a/%252e%252e");
    }

    #[test]
    fn every_separator_spelling_separates() {
        assert_eq!(confined("..%2f..%2Fx"), "/p/x");
        assert_eq!(confined("..\\..\\x"), "/p/x");
        assert_eq!(confined("a%5c..%5Cb"), "/p/b");
        assert_eq!(confined("a//b///c"), "/p/a/b/c");
        assert_eq!(confined("%2f%2F"), "/p/");
    }

    #[test]
    fn browser_resolution() {
        assert_eq!(resolve_like_browser("/a/b"), "/a/b");
        assert!(matches!(resolve_like_browser("/a/b"), Cow::Borrowed(_)));
        assert_eq!(resolve_like_browser("/a/../b"), "/b");
        assert_eq!(resolve_like_browser("/a/%2E%2e"), "/");
        assert_eq!(resolve_like_browser("/../.."), "/");
        assert_eq!(resolve_like_browser("/a\\b/./"), "/a/b/");
        assert_eq!(resolve_like_browser("/a//b/.."), "/a//");
        // Dots and escapes that start no dot segment leave the path alone.
        for path in ["/a.b/%41/x./.x/..x/%2e%2e%2e/a%2e", "", "/", "/.well-known"] {
            assert!(matches!(resolve_like_browser(path), Cow::Borrowed(_)), "{path:?}");
        }
        for path in [".", "..", "/x/%2E", "/x/.%2e/y", "/x/./"] {
            assert!(matches!(resolve_like_browser(path), Cow::Owned(_)), "{path:?}");
        }
    }
}
