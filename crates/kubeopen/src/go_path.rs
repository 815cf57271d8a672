//! What the API server does to the proxied sub-path: Go's `path.Clean` and `path.Join`, and
//! apimachinery's `JoinPreservingTrailingSlash` (`pkg/util/net/http.go`, spec §1.3), which every
//! proxy REST handler uses to put the request's sub-path under the backend location (§4.1).
//!
//! They work on decoded paths and on bytes, like Go's; `/` is the only separator.

/// Go's `path.Clean`: the shortest equivalent path — `//` collapsed, `.` removed, `..` removed with
/// the element before it (clamped at `/` for rooted paths, kept at the front of relative ones),
/// no trailing `/` except for the root, and `"."` for an empty result.
///
/// ```
/// use kubeopen::go_path::clean;
/// assert_eq!(clean("/../../etc/passwd"), "/etc/passwd");
/// assert_eq!(clean("a//b/./c/.."), "a/b");
/// assert_eq!(clean("../x"), "../x");
/// assert_eq!(clean(""), ".");
/// ```
pub fn clean(path: &str) -> String {
    if path.is_empty() {
        return ".".to_owned();
    }
    let bytes = path.as_bytes();
    let rooted = bytes[0] == b'/';
    let n = bytes.len();
    let mut out: Vec<u8> = Vec::with_capacity(n);
    // `dotdot` is where `..` may no longer back up: after the root, or after leading `..`s.
    let (mut r, mut dotdot) = (0, 0);
    if rooted {
        out.push(b'/');
        (r, dotdot) = (1, 1);
    }
    let ends_element = |i: usize| i == n || bytes[i] == b'/';
    while r < n {
        if bytes[r] == b'/' || (bytes[r] == b'.' && ends_element(r + 1)) {
            // An empty element or `.`: skip it.
            r += 1;
        } else if bytes[r] == b'.' && r + 1 < n && bytes[r + 1] == b'.' && ends_element(r + 2) {
            r += 2;
            if out.len() > dotdot {
                out.pop();
                while out.len() > dotdot && out.last() != Some(&b'/') {
                    out.pop();
                }
                if out.len() > dotdot {
                    out.pop(); // the '/' before the removed element
                }
            } else if !rooted {
                if !out.is_empty() {
                    out.push(b'/');
                }
                out.extend_from_slice(b"..");
                dotdot = out.len();
            }
        } else {
            if (rooted && out.len() != 1) || (!rooted && !out.is_empty()) {
                out.push(b'/');
            }
            while r < n && bytes[r] != b'/' {
                out.push(bytes[r]);
                r += 1;
            }
        }
    }
    if out.is_empty() {
        return ".".to_owned();
    }
    // Only whole `/`-separated elements were dropped, so the bytes are still UTF-8.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Go's `path.Join`: the non-empty elements joined with `/`, then [`clean`]ed; `""` when every
/// element is empty.
///
/// ```
/// assert_eq!(kubeopen::go_path::join(&["a", "", "/b/", "../c"]), "a/c");
/// assert_eq!(kubeopen::go_path::join(&["", ""]), "");
/// ```
pub fn join(elems: &[&str]) -> String {
    let joined: Vec<&str> = elems.iter().copied().filter(|e| !e.is_empty()).collect();
    if joined.is_empty() {
        return String::new();
    }
    clean(&joined.join("/"))
}

/// apimachinery's `JoinPreservingTrailingSlash`: [`join`], then a `/` added back when the last
/// non-empty element ended with one and the result does not.
///
/// ```
/// use kubeopen::go_path::join_preserving_trailing_slash;
/// assert_eq!(join_preserving_trailing_slash(&["/foo/", "/foo/"]), "/foo/foo/");
/// // How the API server cleans a proxied sub-path (spec §4.1): clamped at the backend's root.
/// assert_eq!(join_preserving_trailing_slash(&["", "/a/../../etc/"]), "/etc/");
/// ```
pub fn join_preserving_trailing_slash(elems: &[&str]) -> String {
    let mut result = join(elems);
    if let Some(last) = elems.iter().rev().find(|e| !e.is_empty())
        && last.ends_with('/')
        && !result.ends_with('/')
    {
        result.push('/');
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    /// apimachinery `pkg/util/net/http_test.go` `TestJoinPreservingTrailingSlash` (spec §1.3).
    const UPSTREAM_JOIN_PRESERVING_TRAILING_SLASH: &[(&str, &str, &str)] = &[
        ("", "", ""),
        ("", "/", "/"),
        ("", "foo", "foo"),
        ("", "/foo", "/foo"),
        ("", "/foo/", "/foo/"),
        ("/", "", "/"),
        ("foo", "", "foo"),
        ("/foo", "", "/foo"),
        ("/foo/", "", "/foo/"),
        ("/", "/", "/"),
        ("foo", "foo", "foo/foo"),
        ("/foo", "/foo", "/foo/foo"),
        ("/foo/", "/foo/", "/foo/foo/"),
    ];

    #[test]
    fn upstream_join_preserving_trailing_slash_table() {
        for &(a, b, want) in UPSTREAM_JOIN_PRESERVING_TRAILING_SLASH {
            assert_eq!(join_preserving_trailing_slash(&[a, b]), want, "{a:?} + {b:?}");
        }
    }

    /// Go `path/path_test.go` `cleantests`.
    #[test]
    fn go_clean_table() {
        let table = [
            ("", "."),
            ("abc", "abc"),
            ("abc/def", "abc/def"),
            ("a/b/c", "a/b/c"),
            (".", "."),
            ("..", ".."),
            ("../..", "../.."),
            ("../../abc", "../../abc"),
            ("/abc", "/abc"),
            ("/", "/"),
            ("abc/", "abc"),
            ("abc/def/", "abc/def"),
            ("a/b/c/", "a/b/c"),
            ("./", "."),
            ("../", ".."),
            ("../../", "../.."),
            ("/abc/", "/abc"),
            ("abc//def//ghi", "abc/def/ghi"),
            ("//abc", "/abc"),
            ("///abc", "/abc"),
            ("//abc//", "/abc"),
            ("abc//", "abc"),
            ("abc/./def", "abc/def"),
            ("/./abc/def", "/abc/def"),
            ("abc/.", "abc"),
            ("abc/def/ghi/../jkl", "abc/def/jkl"),
            ("abc/def/../ghi/../jkl", "abc/jkl"),
            ("abc/def/..", "abc"),
            ("abc/def/../..", "."),
            ("/abc/def/../..", "/"),
            ("abc/def/../../..", ".."),
            ("/abc/def/../../..", "/"),
            ("abc/def/../../../ghi/jkl/../../../mno", "../../mno"),
            ("abc/./../def", "def"),
            ("abc//./../def", "def"),
            ("abc/../../././../def", "../../def"),
        ];
        for (input, want) in table {
            assert_eq!(clean(input), want, "clean({input:?})");
        }
    }

    /// Spec §4.1: the sub-path is cleaned, not rejected, and cannot climb above the backend root.
    #[test]
    fn proxied_sub_paths_are_clamped() {
        assert_eq!(
            join_preserving_trailing_slash(&["", "/../../etc/passwd"]),
            "/etc/passwd"
        );
        assert_eq!(join_preserving_trailing_slash(&["", "/a//b/"]), "/a/b/");
    }
}
