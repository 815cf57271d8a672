//! The attributes of a complete start tag: reading them as the HTML tokenizer does, knowing which
//! hold URLs, decoding character references in their values and writing new values back.

use std::borrow::Cow;

/// One attribute of a start tag, as byte ranges into the tag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Attr {
    pub name: (usize, usize),
    /// The value's range (without quotes) and its quote (`0` when unquoted); `None`: no value.
    pub value: Option<(usize, usize, u8)>,
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\x0c' | b'\r')
}

/// The attributes of `tag` (a complete start tag, `<` to `>`), in order, following the HTML
/// tokenizer's attribute states. `start` is where the tag name ends.
pub(super) struct AttrIter<'t> {
    tag: &'t [u8],
    i: usize,
}

impl<'t> AttrIter<'t> {
    pub fn new(tag: &'t [u8], start: usize) -> AttrIter<'t> {
        AttrIter { tag, i: start }
    }
}

impl Iterator for AttrIter<'_> {
    type Item = Attr;

    fn next(&mut self) -> Option<Attr> {
        let t = self.tag;
        // Before attribute name: whitespace and `/` (a `/` not followed by `>` is ignored).
        loop {
            match *t.get(self.i)? {
                b'>' => return None,
                b if is_space(b) || b == b'/' => self.i += 1,
                _ => break,
            }
        }
        let name_start = self.i;
        // The first character may be `=`; it is then part of the name.
        self.i += 1;
        while let Some(&b) = t.get(self.i) {
            if is_space(b) || matches!(b, b'/' | b'>' | b'=') {
                break;
            }
            self.i += 1;
        }
        let name = (name_start, self.i);
        let mut j = self.i;
        while t.get(j).copied().is_some_and(is_space) {
            j += 1;
        }
        if t.get(j) != Some(&b'=') {
            return Some(Attr { name, value: None });
        }
        j += 1;
        while t.get(j).copied().is_some_and(is_space) {
            j += 1;
        }
        let value = match t.get(j) {
            None | Some(b'>') => {
                self.i = j;
                (j, j, 0)
            }
            Some(&q @ (b'"' | b'\'')) => {
                let end = memchr::memchr(q, &t[j + 1..]).map_or(t.len(), |p| j + 1 + p);
                self.i = (end + 1).min(t.len());
                (j + 1, end, q)
            }
            Some(_) => {
                let end = t[j..]
                    .iter()
                    .position(|&b| is_space(b) || b == b'>')
                    .map_or(t.len(), |p| j + p);
                self.i = end;
                (j, end, 0)
            }
        };
        Some(Attr {
            name,
            value: Some(value),
        })
    }
}

/// What an attribute's value is, for rewriting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ValueKind {
    Url,
    /// `srcset`, `imagesrcset`.
    Srcset,
    /// Space-separated URLs (`ping`).
    UrlList,
    /// A `style` attribute: CSS declarations.
    Css,
}

/// Which attributes of an HTML element hold URLs: the API server's table (spec §3.5) plus
/// `srcset`/`imagesrcset`, `ping`, `poster`/`src` of `track`, `formaction`, and `style` anywhere.
/// `element` and `attr` are lower-case.
pub(super) fn html_value_kind(element: &[u8], attr: &[u8]) -> Option<ValueKind> {
    use ValueKind::{Css, Srcset, Url, UrlList};
    // By attribute first: most attributes are not URL attributes, and this rejects them with
    // one length-and-bytes comparison.
    let url_if = |elements: &[&[u8]]| elements.contains(&element).then_some(Url);
    match attr {
        b"style" => Some(Css),
        b"href" => url_if(&[b"a", b"area", b"link", b"base"]),
        b"src" => url_if(&[
            b"img", b"script", b"iframe", b"source", b"video", b"audio", b"embed", b"input", b"frame",
            b"track",
        ]),
        b"srcset" => matches!(element, b"img" | b"source").then_some(Srcset),
        b"imagesrcset" => (element == b"link").then_some(Srcset),
        b"ping" => matches!(element, b"a" | b"area").then_some(UrlList),
        b"action" => url_if(&[b"form"]),
        b"formaction" => url_if(&[b"button", b"input"]),
        b"cite" => url_if(&[b"blockquote", b"del", b"ins", b"q"]),
        b"background" => url_if(&[b"body", b"table", b"td", b"th"]),
        b"poster" => url_if(&[b"video"]),
        b"codebase" => url_if(&[b"applet", b"object"]),
        b"longdesc" => url_if(&[b"frame", b"iframe", b"img"]),
        b"usemap" => url_if(&[b"img", b"input", b"object"]),
        b"classid" | b"data" => url_if(&[b"object"]),
        b"icon" => url_if(&[b"command"]),
        b"profile" => url_if(&[b"head"]),
        b"manifest" => url_if(&[b"html"]),
        _ => None,
    }
}

/// Which attributes of an SVG or MathML element hold URLs.
pub(super) fn foreign_value_kind(attr: &[u8]) -> Option<ValueKind> {
    match attr {
        b"href" | b"xlink:href" => Some(ValueKind::Url),
        b"style" => Some(ValueKind::Css),
        _ => None,
    }
}

/// The named character references that can matter in a URL or CSS, decoded; any other named
/// reference makes the value "unknown" (left alone) rather than risk decoding it wrongly.
const NAMED: &[(&[u8], &str)] = &[
    (b"amp", "&"),
    (b"lt", "<"),
    (b"gt", ">"),
    (b"quot", "\""),
    (b"apos", "'"),
    (b"sol", "/"),
    (b"bsol", "\\"),
    (b"colon", ":"),
    (b"period", "."),
    (b"quest", "?"),
    (b"num", "#"),
    (b"percnt", "%"),
    (b"equals", "="),
    (b"lpar", "("),
    (b"rpar", ")"),
    (b"commat", "@"),
    (b"comma", ","),
    (b"semi", ";"),
    (b"plus", "+"),
    (b"Tab", "\t"),
    (b"NewLine", "\n"),
    (b"nbsp", "\u{a0}"),
];

/// The references that browsers also decode without `;` in attribute values (when not followed
/// by `=` or an alphanumeric) and that can appear in URLs.
const LEGACY: &[(&[u8], &str)] = &[
    (b"amp", "&"),
    (b"lt", "<"),
    (b"gt", ">"),
    (b"quot", "\""),
    (b"nbsp", "\u{a0}"),
];

/// Windows-1252 replacements for numeric references 0x80–0x9F (HTML standard).
fn numeric_char(value: u32) -> char {
    const C1: [u16; 32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152,
        0x8D, 0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122,
        0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ];
    match value {
        0 => '\u{FFFD}',
        0x80..=0x9F => char::from_u32(u32::from(C1[(value - 0x80) as usize])).unwrap_or('\u{FFFD}'),
        v => char::from_u32(v).unwrap_or('\u{FFFD}'),
    }
}

/// Decodes an attribute value as the tokenizer does: its character references, and a NUL as
/// U+FFFD (the attribute value states' "unexpected-null-character"). A NUL kept as a byte would
/// read as a C0 control, which the URL parser strips from the ends of a URL, where the browser
/// has U+FFFD, which it percent-encodes. `text`: the value is read as UTF-8 text (a UTF-8 page,
/// or an ASCII value in a legacy one); otherwise U+FFFD has no bytes of the page's own, so a NUL
/// stays a NUL (the browser reads it the same way again) and the legacy URL rewriter keeps it
/// exactly, as it keeps non-ASCII bytes. `None` when the value uses a named reference this
/// decoder does not know (the value is then left as it is).
pub(super) fn decode_value(raw: &[u8], text: bool) -> Option<Cow<'_, [u8]>> {
    let nul = if text { 0 } else { b'&' };
    if memchr::memchr2(b'&', nul, raw).is_none() {
        return Some(Cow::Borrowed(raw));
    }
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == 0 && text {
            out.extend_from_slice("\u{FFFD}".as_bytes());
            i += 1;
            continue;
        }
        if raw[i] != b'&' {
            out.push(raw[i]);
            i += 1;
            continue;
        }
        let rest = &raw[i + 1..];
        if rest.first() == Some(&b'#') {
            let hex = matches!(rest.get(1), Some(b'x' | b'X'));
            let digits_at = if hex { 2 } else { 1 };
            let digits = rest[digits_at..]
                .iter()
                .take_while(|b| {
                    if hex {
                        b.is_ascii_hexdigit()
                    } else {
                        b.is_ascii_digit()
                    }
                })
                .count();
            if digits == 0 {
                out.push(b'&');
                i += 1;
                continue;
            }
            let text = std::str::from_utf8(&rest[digits_at..digits_at + digits]).unwrap_or("0");
            let value = u32::from_str_radix(text, if hex { 16 } else { 10 }).unwrap_or(0x11_0000);
            let mut buf = [0u8; 4];
            out.extend_from_slice(numeric_char(value).encode_utf8(&mut buf).as_bytes());
            let mut end = i + 1 + digits_at + digits;
            if raw.get(end) == Some(&b';') {
                end += 1;
            }
            i = end;
            continue;
        }
        let name_len = rest.iter().take_while(|b| b.is_ascii_alphanumeric()).count();
        let name = &rest[..name_len];
        if name_len > 0 && rest.get(name_len) == Some(&b';') {
            let (_, text) = NAMED.iter().find(|(n, _)| *n == name)?;
            out.extend_from_slice(text.as_bytes());
            i += 2 + name_len;
            continue;
        }
        // Without `;`: a legacy name at the start decodes unless `=` or an alphanumeric follows.
        let legacy = LEGACY.iter().find(|(n, _)| rest.starts_with(n));
        match legacy {
            Some((n, text)) => {
                let next = rest.get(n.len());
                if next.is_some_and(|&b| b == b'=' || b.is_ascii_alphanumeric()) {
                    out.push(b'&');
                    i += 1;
                } else {
                    out.extend_from_slice(text.as_bytes());
                    i += 1 + n.len();
                }
            }
            None => {
                out.push(b'&');
                i += 1;
            }
        }
    }
    Some(Cow::Owned(out))
}

/// Writes a new attribute value inside `quote` (`"` when the original was unquoted), escaping
/// `&` and the quote so that the browser decodes exactly `value`. `ascii`: `value` is UTF-8 text
/// for a legacy page, whose non-ASCII characters are written as numeric references (the page's
/// encoding may have no bytes for them).
pub(super) fn push_value(out: &mut Vec<u8>, value: &[u8], quote: u8, ascii: bool) {
    let quote = if quote == 0 { b'"' } else { quote };
    out.reserve(value.len() + 2);
    out.push(quote);
    if ascii && !value.is_ascii() {
        for chunk in value.utf8_chunks() {
            for c in chunk.valid().chars() {
                match c {
                    '&' => out.extend_from_slice(b"&amp;"),
                    c if c == char::from(quote) => push_quote_reference(out, quote),
                    c if c.is_ascii() => out.push(c as u8),
                    c => out.extend_from_slice(format!("&#x{:X};", u32::from(c)).as_bytes()),
                }
            }
            // Not produced for text values; kept rather than lost.
            out.extend_from_slice(chunk.invalid());
        }
        out.push(quote);
        return;
    }
    let mut rest = value;
    // Copy runs between the bytes that need a reference.
    while let Some(at) = memchr::memchr2(b'&', quote, rest) {
        out.extend_from_slice(&rest[..at]);
        if rest[at] == b'&' {
            out.extend_from_slice(b"&amp;");
        } else {
            push_quote_reference(out, quote);
        }
        rest = &rest[at + 1..];
    }
    out.extend_from_slice(rest);
    out.push(quote);
}

fn push_quote_reference(out: &mut Vec<u8>, quote: u8) {
    out.extend_from_slice(if quote == b'"' { b"&quot;" } else { b"&#39;" });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attrs(tag: &str) -> Vec<(String, Option<(String, u8)>)> {
        let t = tag.as_bytes();
        let name_end = t
            .iter()
            .position(|&b| is_space(b) || b == b'>' || b == b'/')
            .unwrap_or(t.len());
        AttrIter::new(t, name_end.max(2))
            .map(|a| {
                (
                    tag[a.name.0..a.name.1].to_owned(),
                    a.value.map(|(s, e, q)| (tag[s..e].to_owned(), q)),
                )
            })
            .collect()
    }

    #[test]
    fn attributes_like_the_tokenizer() {
        assert_eq!(
            attrs("<a href=/x title='a b' data-x = \"y\" hidden/>"),
            vec![
                ("href".into(), Some(("/x".into(), 0))),
                ("title".into(), Some(("a b".into(), b'\''))),
                ("data-x".into(), Some(("y".into(), b'"'))),
                ("hidden".into(), None),
            ]
        );
        assert_eq!(
            attrs("<a =x b\"c=d>"),
            vec![("=x".into(), None), ("b\"c".into(), Some(("d".into(), 0)))]
        );
        assert_eq!(
            attrs("<a href=/x/>"),
            vec![("href".into(), Some(("/x/".into(), 0)))]
        );
        assert_eq!(attrs("<a/b/c>"), vec![("b".into(), None), ("c".into(), None)]);
        assert_eq!(attrs("<a b=>"), vec![("b".into(), Some(("".into(), 0)))]);
    }

    #[test]
    fn references() {
        let d =
            |s: &str| decode_value(s.as_bytes(), true).map(|c| String::from_utf8(c.into_owned()).unwrap());
        assert_eq!(d("&#47;x&#x2F;y&sol;z").as_deref(), Some("/x/y/z"));
        assert_eq!(d("/a?b=1&amp;c=2&d=3").as_deref(), Some("/a?b=1&c=2&d=3"));
        assert_eq!(d("/a?x&amp=1&ampy").as_deref(), Some("/a?x&amp=1&ampy"));
        assert_eq!(d("&lt&gt;").as_deref(), Some("<>"));
        assert_eq!(d("&#128;&#0;&#x110000;").as_deref(), Some("€\u{FFFD}\u{FFFD}"));
        assert_eq!(d("/&copy;"), None);
        assert_eq!(d("&#;&#x;"), Some("&#;&#x;".into()));
        // NUL is U+FFFD, as the tokenizer makes it; in a legacy page it stays a NUL byte.
        assert_eq!(d("/a\0b&\0").as_deref(), Some("/a\u{FFFD}b&\u{FFFD}"));
        assert_eq!(decode_value(b"/a\0", false), Some(Cow::Borrowed(&b"/a\0"[..])));
    }

    #[test]
    fn values_written_back() {
        let push = |value: &str, quote: u8, ascii: bool| {
            let mut out = Vec::new();
            push_value(&mut out, value.as_bytes(), quote, ascii);
            String::from_utf8(out).unwrap()
        };
        assert_eq!(push("/a?b&c\"d'", 0, false), "\"/a?b&amp;c&quot;d'\"");
        assert_eq!(push("/a'\"", b'\'', false), "'/a&#39;\"'");
        assert_eq!(push("/\u{FFFD}é'&", b'\'', true), "'/&#xFFFD;&#xE9;&#39;&amp;'");
        assert_eq!(push("/\u{FFFD}", 0, false), "\"/\u{FFFD}\"");
    }

    #[test]
    fn url_attributes() {
        assert_eq!(html_value_kind(b"a", b"href"), Some(ValueKind::Url));
        assert_eq!(html_value_kind(b"a", b"ping"), Some(ValueKind::UrlList));
        assert_eq!(html_value_kind(b"img", b"srcset"), Some(ValueKind::Srcset));
        assert_eq!(html_value_kind(b"div", b"style"), Some(ValueKind::Css));
        assert_eq!(html_value_kind(b"div", b"href"), None);
        assert_eq!(html_value_kind(b"img", b"data-src"), None);
        assert_eq!(foreign_value_kind(b"xlink:href"), Some(ValueKind::Url));
    }
}
