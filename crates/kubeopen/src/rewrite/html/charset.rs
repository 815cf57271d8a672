//! Character encodings, as far as a byte-level rewriter cares: the HTML syntax characters
//! (`< > " ' = / & whitespace`) are the same single bytes in UTF-8 and in every legacy
//! ASCII-compatible encoding, and never occur inside a multi-byte character of Shift_JIS, Big5,
//! GBK/gb18030 or EUC-* (their trail bytes are ≥ 0x40). So the rewriter tokenizes bytes in all of
//! them; it only needs to know whether URL bytes are UTF-8. UTF-16, ISO-2022-JP and the
//! "replacement" encodings are not ASCII-compatible and are passed through unchanged.

/// What an encoding label (WHATWG Encoding Standard) means for the rewriter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Charset {
    /// UTF-8.
    Utf8,
    /// An ASCII-compatible legacy encoding (windows-1252, Shift_JIS, GBK, …).
    Legacy,
    /// UTF-16LE/BE, ISO-2022-JP or a "replacement" encoding: not rewritable byte-wise.
    Unsupported,
}

const UTF8: &[&str] = &[
    "unicode-1-1-utf-8",
    "unicode11utf8",
    "unicode20utf8",
    "utf-8",
    "utf8",
    "x-unicode20utf8",
];
const UTF16: &[&str] = &[
    "csunicode",
    "iso-10646-ucs-2",
    "ucs-2",
    "unicode",
    "unicodefeff",
    "utf-16",
    "utf-16le",
    "unicodefffe",
    "utf-16be",
];
const NOT_ASCII_COMPATIBLE: &[&str] = &[
    "csiso2022jp",
    "iso-2022-jp",
    "csiso2022kr",
    "hz-gb-2312",
    "iso-2022-cn",
    "iso-2022-cn-ext",
    "iso-2022-kr",
    "replacement",
];

impl Charset {
    /// Reads an encoding label as the Encoding Standard does (case-insensitive, surrounding
    /// whitespace ignored). `None` for a label no browser knows (which browsers then ignore).
    /// Labels of legacy encodings are recognised by shape: anything that is not UTF-8, UTF-16
    /// or ISO-2022-* / replacement and looks like a label counts as legacy.
    ///
    /// ```
    /// use kubeopen::rewrite::html::Charset;
    /// assert_eq!(Charset::from_label(" UTF8 "), Some(Charset::Utf8));
    /// assert_eq!(Charset::from_label("Shift_JIS"), Some(Charset::Legacy));
    /// assert_eq!(Charset::from_label("utf-16le"), Some(Charset::Unsupported));
    /// assert_eq!(Charset::from_label("not a label!"), None);
    /// ```
    pub fn from_label(label: &str) -> Option<Charset> {
        let label = label
            .trim_matches(|c: char| c.is_ascii_whitespace())
            .to_ascii_lowercase();
        if UTF8.contains(&label.as_str()) {
            Some(Charset::Utf8)
        } else if UTF16.contains(&label.as_str()) || NOT_ASCII_COMPATIBLE.contains(&label.as_str()) {
            Some(Charset::Unsupported)
        } else if !label.is_empty()
            && label.len() <= 40
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
        {
            Some(Charset::Legacy)
        } else {
            None
        }
    }

    /// A `<meta>` declaration of UTF-16 means UTF-8 (HTML standard, "change the encoding").
    pub(super) fn from_meta_label(label: &[u8]) -> Option<Charset> {
        let label = std::str::from_utf8(label).ok()?;
        let lower = label.trim().to_ascii_lowercase();
        if UTF16.contains(&lower.as_str()) {
            return Some(Charset::Utf8);
        }
        Charset::from_label(label)
    }
}

/// The charset in a `content` value such as `text/html; charset="shift_jis"` (the HTML
/// standard's "algorithm for extracting a character encoding from a meta element").
pub(super) fn charset_from_content(content: &[u8]) -> Option<&[u8]> {
    let lower: Vec<u8> = content.to_ascii_lowercase();
    let mut from = 0;
    loop {
        let at = from + lower.get(from..)?.windows(7).position(|w| w == b"charset")?;
        let mut i = at + 7;
        while content.get(i).is_some_and(|b| b.is_ascii_whitespace()) {
            i += 1;
        }
        if content.get(i) != Some(&b'=') {
            from = at + 7;
            continue;
        }
        i += 1;
        while content.get(i).is_some_and(|b| b.is_ascii_whitespace()) {
            i += 1;
        }
        return match content.get(i)? {
            &q @ (b'"' | b'\'') => {
                let end = content[i + 1..].iter().position(|&b| b == q)?;
                Some(&content[i + 1..i + 1 + end])
            }
            _ => {
                let end = content[i..]
                    .iter()
                    .position(|&b| b.is_ascii_whitespace() || b == b';')
                    .map_or(content.len(), |p| i + p);
                Some(&content[i..end])
            }
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_charsets() {
        assert_eq!(
            charset_from_content(b"text/html; charset=Shift_JIS"),
            Some(&b"Shift_JIS"[..])
        );
        assert_eq!(
            charset_from_content(b"text/html;CHARSET = 'utf-8' x"),
            Some(&b"utf-8"[..])
        );
        assert_eq!(charset_from_content(b"charsetx; charset=a;b"), Some(&b"a"[..]));
        assert_eq!(charset_from_content(b"text/html"), None);
        assert_eq!(charset_from_content(b"charset=\"open"), None);
    }
}
