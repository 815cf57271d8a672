//! Percent-encoding, one set per URL component (crate-internal; the rules are documented on
//! [`crate::proxy_url`]).
//!
//! Every set keeps exactly RFC 3986's characters for its component and escapes every other byte
//! as `%XX` (uppercase hex, UTF-8 bytes for non-ASCII). Each is a superset of what the WHATWG URL
//! parser escapes in that component, so a browser leaves our output as it is. An existing valid
//! `%XX` escape is kept as written; a `%` not followed by two hex digits becomes `%25`.

use std::borrow::Cow;

/// The URL component being written, which decides what is kept literally.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Component {
    /// A path segment: RFC 3986 `pchar` (unreserved, sub-delims, `:`, `@`). The caller handles `/`.
    PathSegment,
    /// A query: `pchar`, `/` and `?`, except `'`, which WHATWG escapes in special URLs' queries.
    Query,
    /// A fragment: `pchar`, `/` and `?`.
    Fragment,
    /// A whole path: `pchar` and `/` (the segments of a path that is already clean).
    Path,
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

const fn bit(component: Component) -> u8 {
    match component {
        Component::PathSegment => 1,
        Component::Query => 2,
        Component::Fragment => 4,
        Component::Path => 8,
    }
}

/// `KEEPS[b] & bit(component)`: whether `component` keeps byte `b` literally. A table, because
/// this is asked once per byte of every URL kubeopen writes.
const KEEPS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        // `b < 256`, so the cast is exact.
        #[allow(clippy::cast_possible_truncation)]
        let byte = b as u8;
        let pchar = byte.is_ascii_alphanumeric()
            || matches!(
                byte,
                b'-' | b'.'
                    | b'_'
                    | b'~'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
                    | b':'
                    | b'@'
            );
        let slash_or_question = byte == b'/' || byte == b'?';
        let mut bits = 0;
        if pchar {
            bits |= bit(Component::PathSegment);
        }
        if (pchar && byte != b'\'') || slash_or_question {
            bits |= bit(Component::Query);
        }
        if pchar || slash_or_question {
            bits |= bit(Component::Fragment);
        }
        if pchar || byte == b'/' {
            bits |= bit(Component::Path);
        }
        table[b] = bits;
        b += 1;
    }
    table
};

pub(crate) fn keeps(component: Component, b: u8) -> bool {
    KEEPS[usize::from(b)] & bit(component) != 0
}

/// The value of an ASCII hex digit.
pub(crate) fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Whether `bytes[i..]` starts with a valid `%XX` escape.
pub(crate) fn is_escape_at(bytes: &[u8], i: usize) -> bool {
    bytes.get(i) == Some(&b'%')
        && bytes.get(i + 1).copied().and_then(hex_value).is_some()
        && bytes.get(i + 2).copied().and_then(hex_value).is_some()
}

fn push_escaped_byte(out: &mut String, b: u8) {
    out.push('%');
    out.push(char::from(HEX[usize::from(b >> 4)]));
    out.push(char::from(HEX[usize::from(b & 0xf)]));
}

/// Appends `text` escaped for `component`, keeping valid escapes already in it.
pub(crate) fn push_encoded(out: &mut String, text: &str, component: Component) {
    let bytes = text.as_bytes();
    // Copy runs of kept bytes at once: the common case is a plain ASCII word.
    let mut run_start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if keeps(component, b) || (b == b'%' && is_escape_at(bytes, i)) {
            continue;
        }
        // Only empty runs can start inside a multi-byte character (all its bytes are escaped).
        out.push_str(text.get(run_start..i).unwrap_or_default());
        push_escaped_byte(out, b);
        run_start = i + 1;
    }
    out.push_str(text.get(run_start..).unwrap_or_default());
}

/// Appends `text` the way Go's `url.QueryEscape` does (`application/x-www-form-urlencoded`):
/// `A–Z a–z 0–9 - _ . ~` kept, space as `+`, every other byte as `%XX` — `%` included.
pub(crate) fn push_form_encoded(out: &mut String, text: &str) {
    for &b in text.as_bytes() {
        if is_unreserved(b) {
            out.push(char::from(b));
        } else if b == b' ' {
            out.push('+');
        } else {
            push_escaped_byte(out, b);
        }
    }
}

/// Decodes every `%XX`; `None` if an escape is invalid or the result is not UTF-8 (the API
/// server answers such paths with an error).
pub(crate) fn decode(text: &str) -> Option<Cow<'_, str>> {
    if !text.as_bytes().contains(&b'%') {
        return Some(Cow::Borrowed(text));
    }
    let mut out = vec![0; text.len()];
    let len = decode_bytes(text.as_bytes(), &mut out)?;
    out.truncate(len);
    String::from_utf8(out).ok().map(Cow::Owned)
}

/// Calls `f` with `text` decoded as [`decode`] decodes it, without allocating for short text;
/// `None` (and `f` not called) where `decode` gives `None`.
pub(crate) fn with_decoded<R>(text: &str, f: impl FnOnce(&str) -> R) -> Option<R> {
    if !text.as_bytes().contains(&b'%') {
        return Some(f(text));
    }
    // Segments kubeopen decodes are names: most are short, longer ones go to the heap.
    let mut stack = [0u8; 96];
    if text.len() <= stack.len() {
        let len = decode_bytes(text.as_bytes(), &mut stack)?;
        let decoded = std::str::from_utf8(stack.get(..len)?).ok()?;
        return Some(f(decoded));
    }
    decode(text).map(|decoded| f(&decoded))
}

/// Decodes `text` into `out` (at least as long as `text`) and returns the decoded length; `None`
/// for an invalid escape.
fn decode_bytes(text: &[u8], out: &mut [u8]) -> Option<usize> {
    let mut i = 0;
    let mut len = 0;
    while let Some(&b) = text.get(i) {
        let byte = if b == b'%' {
            let hi = text.get(i + 1).copied().and_then(hex_value)?;
            let lo = text.get(i + 2).copied().and_then(hex_value)?;
            i += 3;
            hi << 4 | lo
        } else {
            i += 1;
            b
        };
        *out.get_mut(len)? = byte;
        len += 1;
    }
    Some(len)
}

/// Whether `text` decodes ([`decode`]) to exactly `literal` (which holds no `%`), without
/// allocating.
pub(crate) fn decodes_to(text: &str, literal: &str) -> bool {
    let (text, literal) = (text.as_bytes(), literal.as_bytes());
    if text.len() == literal.len() {
        // No escape can be in `text`: one would make the decoded text shorter than `literal`.
        return text == literal;
    }
    let mut i = 0;
    let mut want = literal.iter();
    while let Some(&b) = text.get(i) {
        let byte = if b == b'%' {
            match (
                text.get(i + 1).copied().and_then(hex_value),
                text.get(i + 2).copied().and_then(hex_value),
            ) {
                (Some(hi), Some(lo)) => hi << 4 | lo,
                _ => return false,
            }
        } else {
            b
        };
        i += if b == b'%' { 3 } else { 1 };
        if want.next() != Some(&byte) {
            return false;
        }
    }
    want.next().is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(text: &str, component: Component) -> String {
        let mut out = String::new();
        push_encoded(&mut out, text, component);
        out
    }

    #[test]
    fn path_segments_keep_pchar_and_escapes() {
        assert_eq!(
            encoded("a:b@c!$&'()*+,;=-._~", Component::PathSegment),
            "a:b@c!$&'()*+,;=-._~"
        );
        assert_eq!(
            encoded("a b\"<>`{}|^[]\\", Component::PathSegment),
            "a%20b%22%3C%3E%60%7B%7D%7C%5E%5B%5D%5C"
        );
        assert_eq!(encoded("é", Component::PathSegment), "%C3%A9");
        assert_eq!(encoded("%41%4a%zz%4", Component::PathSegment), "%41%4a%25zz%254");
        assert_eq!(encoded("\t\n\u{7f}", Component::PathSegment), "%09%0A%7F");
    }

    #[test]
    fn query_and_fragment() {
        assert_eq!(encoded("a=1&b=/x?y'z#", Component::Query), "a=1&b=/x?y%27z%23");
        assert_eq!(encoded("top'#x", Component::Fragment), "top'%23x");
    }

    /// Go `url.QueryEscape` (`net/url/url_test.go` `TestQueryEscape` rows).
    #[test]
    fn form_encoding_is_go_query_escape() {
        for (input, want) in [
            ("", ""),
            ("abc", "abc"),
            ("one two", "one+two"),
            ("10%", "10%25"),
            (
                " ?&=#+%!<>#\"{}|\\^[]`☺\t:/@$'()*,;",
                "+%3F%26%3D%23%2B%25%21%3C%3E%23%22%7B%7D%7C%5C%5E%5B%5D%60%E2%98%BA%09%3A%2F%40%24%27%28%29%2A%2C%3B",
            ),
        ] {
            let mut out = String::new();
            push_form_encoded(&mut out, input);
            assert_eq!(out, want, "{input:?}");
        }
    }

    #[test]
    fn decoding() {
        assert_eq!(decode("https%3Aweb%3a443").as_deref(), Some("https:web:443"));
        assert_eq!(decode("%C3%A9").as_deref(), Some("é"));
        assert_eq!(decode("%zz"), None);
        assert_eq!(decode("%4"), None);
        assert_eq!(decode("%FF"), None);
        assert_eq!(with_decoded("a%3Ab", str::to_owned), Some("a:b".to_owned()));
        assert_eq!(with_decoded("plain", str::len), Some(5));
        assert_eq!(with_decoded("%FF", str::len), None);
        let long = "%41".repeat(200);
        assert_eq!(with_decoded(&long, str::len), Some(200));
        assert!(decodes_to("api", "api"));
        assert!(decodes_to("%61p%69", "api"));
        assert!(!decodes_to("%61p", "api"));
        assert!(!decodes_to("%61pix", "api"));
        assert!(!decodes_to("%zzpi", "api"));
        assert!(!decodes_to("%6", "api"));
    }

    /// The table is exactly the sets the module documents.
    #[test]
    fn keeps_table_matches_the_sets() {
        for b in 0..=255u8 {
            let pchar = is_unreserved(b) || b"!$&'()*+,;=:@".contains(&b);
            assert_eq!(keeps(Component::PathSegment, b), pchar, "{b}");
            assert_eq!(keeps(Component::Path, b), pchar || b == b'/', "{b}");
            assert_eq!(
                keeps(Component::Query, b),
                (pchar && b != b'\'') || b == b'/' || b == b'?',
                "{b}"
            );
            assert_eq!(
                keeps(Component::Fragment, b),
                pchar || b == b'/' || b == b'?',
                "{b}"
            );
        }
    }
}
