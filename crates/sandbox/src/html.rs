//! `rewriteHTML` (spec §3.5): a tokenizer shaped like golang.org/x/net/html's, re-serialising
//! every start tag from its parsed token and copying everything else byte for byte.
//!
//! Deviations from x/net/html (documented in the README): only a common subset of named
//! character references is decoded in attribute values (all numeric ones are), and the
//! `<script>` escape states (`<!--` inside script) are not modelled.

use std::borrow::Cow;

/// Attributes rewritten per element (`atomsToAttrs`, verbatim).
fn mapped_attrs(tag: &str) -> &'static [&'static str] {
    match tag {
        "a" | "area" | "base" | "link" => &["href"],
        "applet" => &["codebase"],
        "audio" | "embed" | "script" | "source" => &["src"],
        "blockquote" | "del" | "ins" | "q" => &["cite"],
        "body" => &["background"],
        "button" => &["formaction"],
        "command" => &["icon"],
        "form" => &["action"],
        "frame" | "iframe" => &["longdesc", "src"],
        "head" => &["profile"],
        "html" => &["manifest"],
        "img" => &["longdesc", "src", "usemap"],
        "input" => &["src", "usemap", "formaction"],
        "object" => &["classid", "codebase", "data", "usemap"],
        "video" => &["poster", "src"],
        _ => &[],
    }
}

const RAW_TAGS: [&str; 10] = [
    "iframe",
    "noembed",
    "noframes",
    "noscript",
    "plaintext",
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
];

fn is_ws(c: u8) -> bool {
    matches!(c, b' ' | b'\n' | b'\r' | b'\t' | b'\x0c')
}

/// Rewrites `input`; `rewrite` maps one mapped attribute value to its new value.
pub fn rewrite_html(input: &[u8], rewrite: &dyn Fn(&str) -> String) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len() + input.len() / 8);
    let n = input.len();
    let mut i = 0;
    let mut raw_tag: Option<&'static str> = None;
    while i < n {
        if let Some(tag) = raw_tag.take() {
            let end = if tag == "plaintext" {
                n
            } else {
                find_raw_end(input, i, tag)
            };
            out.extend_from_slice(&input[i..end]);
            i = end;
            continue;
        }
        // Text up to the next '<' that starts a token.
        if input[i] != b'<' {
            let next = input[i..].iter().position(|&c| c == b'<').map_or(n, |p| i + p);
            out.extend_from_slice(&input[i..next]);
            i = next;
            continue;
        }
        let Some(&c) = input.get(i + 1) else {
            out.push(b'<');
            break;
        };
        if c.is_ascii_alphabetic() {
            match read_tag(input, i + 1) {
                Some(tag) => {
                    write_start_tag(&mut out, &tag, rewrite);
                    if !tag.self_closing {
                        raw_tag = RAW_TAGS.iter().copied().find(|t| *t == tag.name.as_ref());
                    }
                    i = tag.end;
                }
                // A tag cut off by EOF is dropped.
                None => break,
            }
        } else if c == b'/' {
            match input.get(i + 2) {
                None => {
                    out.extend_from_slice(&input[i..]);
                    break;
                }
                Some(b'>') => {
                    out.extend_from_slice(&input[i..i + 3]);
                    i += 3;
                }
                Some(c2) if c2.is_ascii_alphabetic() => match read_tag(input, i + 2) {
                    Some(tag) => {
                        out.extend_from_slice(&input[i..tag.end]);
                        i = tag.end;
                    }
                    None => break,
                },
                Some(_) => {
                    let end = until_close_angle(input, i + 2);
                    out.extend_from_slice(&input[i..end]);
                    i = end;
                }
            }
        } else if c == b'!' {
            let end = markup_declaration_end(input, i + 2);
            out.extend_from_slice(&input[i..end]);
            i = end;
        } else if c == b'?' {
            let end = until_close_angle(input, i + 1);
            out.extend_from_slice(&input[i..end]);
            i = end;
        } else {
            out.push(b'<');
            i += 1;
        }
    }
    out
}

/// End of a raw-text element's content: the start of `</tag` followed by space, `/` or `>`.
fn find_raw_end(input: &[u8], from: usize, tag: &str) -> usize {
    let t = tag.as_bytes();
    let mut j = from;
    while j + 1 < input.len() {
        if input[j] == b'<' && input[j + 1] == b'/' {
            let name_end = j + 2 + t.len();
            if name_end <= input.len()
                && input[j + 2..name_end].eq_ignore_ascii_case(t)
                && input
                    .get(name_end)
                    .is_some_and(|&c| is_ws(c) || c == b'/' || c == b'>')
            {
                return j;
            }
        }
        j += 1;
    }
    input.len()
}

fn until_close_angle(input: &[u8], from: usize) -> usize {
    input[from.min(input.len())..]
        .iter()
        .position(|&c| c == b'>')
        .map_or(input.len(), |p| from + p + 1)
}

/// `<!` handling: comments end at `-->` / `--!>` (`<!-->` and `<!--->` end at once); anything
/// else (doctype, bogus comments) at the next `>`.
fn markup_declaration_end(input: &[u8], from: usize) -> usize {
    if input[from.min(input.len())..].starts_with(b"--") {
        let body = from + 2;
        if input[body..].starts_with(b">") {
            return body + 1;
        }
        if input[body..].starts_with(b"->") {
            return body + 2;
        }
        let mut j = body;
        while j < input.len() {
            if input[j..].starts_with(b"-->") {
                return j + 3;
            }
            if input[j..].starts_with(b"--!>") {
                return j + 4;
            }
            j += 1;
        }
        return input.len();
    }
    until_close_angle(input, from)
}

/// A start tag; names borrow from the input unless lower-casing changed them.
struct Tag<'a> {
    name: Cow<'a, str>,
    attrs: Vec<(Cow<'a, str>, Option<&'a [u8]>)>,
    self_closing: bool,
    end: usize,
}

/// x/net/html `readTag`: `start` is the first byte of the tag name. `None` at EOF.
fn read_tag(input: &[u8], start: usize) -> Option<Tag<'_>> {
    let n = input.len();
    let mut j = start;
    while j < n && !is_ws(input[j]) && input[j] != b'/' && input[j] != b'>' {
        j += 1;
    }
    if j >= n {
        return None;
    }
    let name = lower(&input[start..j]);
    let mut attrs: Vec<(Cow<'_, str>, Option<&[u8]>)> = Vec::new();
    while j < n && is_ws(input[j]) {
        j += 1;
    }
    loop {
        let c = *input.get(j)?;
        if c == b'>' {
            j += 1;
            break;
        }
        // readTagAttrKey
        let key_start = j;
        loop {
            let &c = input.get(j)?;
            if c == b'=' && j == key_start {
                j += 1;
                continue;
            }
            if c == b'=' || is_ws(c) || c == b'/' || c == b'>' {
                break;
            }
            j += 1;
        }
        let key = lower(&input[key_start..j]);
        // readTagAttrVal
        let mut val: Option<&[u8]> = None;
        while j < n && is_ws(input[j]) {
            j += 1;
        }
        let c = *input.get(j)?;
        if c == b'/' {
            j += 1;
        } else if c == b'=' {
            j += 1;
            while j < n && is_ws(input[j]) {
                j += 1;
            }
            let q = *input.get(j)?;
            if q == b'"' || q == b'\'' {
                let vs = j + 1;
                let rel = input[vs..].iter().position(|&c| c == q)?;
                val = Some(&input[vs..vs + rel]);
                j = vs + rel + 1;
            } else {
                let vs = j;
                while j < n && !is_ws(input[j]) && input[j] != b'>' {
                    j += 1;
                }
                if j >= n {
                    return None;
                }
                val = Some(&input[vs..j]);
            }
        }
        if !key.is_empty() && !attrs.iter().any(|(k, _)| *k == key) {
            attrs.push((key, val));
        }
        while j < n && is_ws(input[j]) {
            j += 1;
        }
        if j >= n {
            return None;
        }
    }
    let self_closing = j >= 2 && input[j - 2] == b'/';
    Some(Tag {
        name,
        attrs,
        self_closing,
        end: j,
    })
}

/// Lower-cased name (ASCII only, as x/net/html); no copy when it already is.
fn lower(b: &[u8]) -> Cow<'_, str> {
    match String::from_utf8_lossy(b) {
        Cow::Borrowed(s) if !s.bytes().any(|c| c.is_ascii_uppercase()) => Cow::Borrowed(s),
        other => Cow::Owned(other.to_ascii_lowercase()),
    }
}

fn write_start_tag(out: &mut Vec<u8>, tag: &Tag<'_>, rewrite: &dyn Fn(&str) -> String) {
    let mapped = mapped_attrs(&tag.name);
    out.push(b'<');
    out.extend_from_slice(tag.name.as_bytes());
    for (key, raw) in &tag.attrs {
        let mut value = raw.map(unescape_attr).unwrap_or_default();
        if mapped.contains(&key.as_ref()) {
            value = Cow::Owned(rewrite(&value));
        }
        out.push(b' ');
        out.extend_from_slice(key.as_bytes());
        out.extend_from_slice(b"=\"");
        escape_into(out, &value);
        out.push(b'"');
    }
    if tag.self_closing {
        out.extend_from_slice(b"/>");
    } else {
        out.push(b'>');
    }
}

/// x/net/html `escapeString`.
fn escape_into(out: &mut Vec<u8>, s: &str) {
    let b = s.as_bytes();
    let mut from = 0;
    for (i, &c) in b.iter().enumerate() {
        let esc: &[u8] = match c {
            b'&' => b"&amp;",
            b'\'' => b"&#39;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&#34;",
            b'\r' => b"&#13;",
            _ => continue,
        };
        out.extend_from_slice(&b[from..i]);
        out.extend_from_slice(esc);
        from = i + 1;
    }
    out.extend_from_slice(&b[from..]);
}

const ENTITIES: &[(&str, &str)] = &[
    ("amp", "&"),
    ("lt", "<"),
    ("gt", ">"),
    ("quot", "\""),
    ("apos", "'"),
    ("nbsp", "\u{a0}"),
    ("copy", "\u{a9}"),
    ("reg", "\u{ae}"),
];

/// Attribute-value decoding: CRLF → LF, NUL → U+FFFD, character references decoded.
fn unescape_attr(raw: &[u8]) -> Cow<'_, str> {
    // Most values have nothing to decode.
    if !raw.iter().any(|&c| matches!(c, b'\r' | b'\0' | b'&')) {
        return String::from_utf8_lossy(raw);
    }
    let s = String::from_utf8_lossy(raw)
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace('\0', "\u{fffd}");
    if !s.contains('&') {
        return Cow::Owned(s);
    }
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'&' {
            let next = s[i..].find('&').map_or(s.len(), |p| i + p);
            out.push_str(&s[i..next]);
            i = next;
            continue;
        }
        let rest = &s[i + 1..];
        if let Some(num) = rest.strip_prefix('#') {
            let (hex, digits) = match num.strip_prefix(['x', 'X']) {
                Some(h) => (true, h),
                None => (false, num),
            };
            let len = digits
                .bytes()
                .take_while(|c| {
                    if hex {
                        c.is_ascii_hexdigit()
                    } else {
                        c.is_ascii_digit()
                    }
                })
                .count();
            if len == 0 {
                out.push('&');
                i += 1;
                continue;
            }
            let v = u32::from_str_radix(&digits[..len], if hex { 16 } else { 10 }).unwrap_or(0);
            let ch = match v {
                0x80..=0x9f => windows_1252(v),
                0 | 0xd800..=0xdfff => '\u{fffd}',
                _ => char::from_u32(v).unwrap_or('\u{fffd}'),
            };
            out.push(ch);
            let mut consumed = 1 + 1 + usize::from(hex) + len;
            if digits[len..].starts_with(';') {
                consumed += 1;
            }
            i += consumed;
            continue;
        }
        let mut matched = false;
        for (name, val) in ENTITIES {
            if let Some(after) = rest.strip_prefix(name) {
                if let Some(_after_semi) = after.strip_prefix(';') {
                    out.push_str(val);
                    i += 1 + name.len() + 1;
                    matched = true;
                    break;
                }
                // Legacy form without ';' is not decoded in attributes when followed by an
                // alphanumeric or '='.
                let next = after.bytes().next();
                if !next.is_some_and(|c| c.is_ascii_alphanumeric() || c == b'=') {
                    out.push_str(val);
                    i += 1 + name.len();
                    matched = true;
                    break;
                }
            }
        }
        if !matched {
            out.push('&');
            i += 1;
        }
    }
    Cow::Owned(out)
}

fn windows_1252(v: u32) -> char {
    const TABLE: [u32; 32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
        0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ];
    let idx = usize::try_from(v.saturating_sub(0x80)).unwrap_or(0);
    TABLE
        .get(idx)
        .and_then(|&c| char::from_u32(c))
        .unwrap_or('\u{fffd}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gourl::Rewriter;

    fn t1(source: &str) -> Rewriter {
        Rewriter {
            scheme: "http".into(),
            host: "foo.com".into(),
            path_prepend: b"/proxy/node/node1:10250".to_vec(),
            source_host: source.into(),
            request_host: source.into(),
        }
    }

    fn run(tr: &Rewriter, input: &str) -> String {
        let f = |v: &str| tr.rewrite_str(v).unwrap_or_else(|_| v.to_owned());
        String::from_utf8(rewrite_html(input.as_bytes(), &f)).unwrap()
    }

    #[test]
    fn transport_table_html_rows() {
        // spec §3.6 rows 1–3, 6–9, 14–16 (bodies).
        let tr = t1("mynode.com");
        let rows = [
            (
                r#"<pre><a href="kubelet.log">kubelet.log</a><a href="/google.log">google.log</a></pre>"#,
                r#"<pre><a href="kubelet.log">kubelet.log</a><a href="http://foo.com/proxy/node/node1:10250/google.log">google.log</a></pre>"#,
            ),
            (
                r#"<html><header></header><body><pre><a href="kubelet.log">kubelet.log</a><a href="/google.log">google.log</a></pre></body></html>"#,
                r#"<html><header></header><body><pre><a href="kubelet.log">kubelet.log</a><a href="http://foo.com/proxy/node/node1:10250/google.log">google.log</a></pre></body></html>"#,
            ),
            (
                r#"<pre><a href="kubelet.log">kubelet.log</a><a href="/google.log/">google.log</a></pre>"#,
                r#"<pre><a href="kubelet.log">kubelet.log</a><a href="http://foo.com/proxy/node/node1:10250/google.log/">google.log</a></pre>"#,
            ),
            (
                r#"<pre><img src="kubernetes.jpg"/><img src="/kubernetes_abs.jpg"/></pre>"#,
                r#"<pre><img src="kubernetes.jpg"/><img src="http://foo.com/proxy/node/node1:10250/kubernetes_abs.jpg"/></pre>"#,
            ),
            (
                r#"<script src="http://google.com/kubernetes.js"/>"#,
                r#"<script src="http://google.com/kubernetes.js"/>"#,
            ),
            (
                r#"<script src="http://mynode.com/kubernetes.js"/>"#,
                r#"<script src="http://foo.com/proxy/node/node1:10250/kubernetes.js"/>"#,
            ),
            (
                r#"<pre><a href="kubelet.log">kubelet.log</a><a href="http://foo.com/proxy/node/node1:10250/google.log">google.log</a></pre>"#,
                r#"<pre><a href="kubelet.log">kubelet.log</a><a href="http://foo.com/proxy/node/node1:10250/google.log">google.log</a></pre>"#,
            ),
            ("<html></html>", "<html></html>"),
        ];
        for (inp, want) in rows {
            assert_eq!(run(&tr, inp), want);
        }
        let t2 = Rewriter {
            scheme: "https".into(),
            path_prepend: b"/proxy/node/node1:8080".to_vec(),
            ..t1("mynode.com")
        };
        assert_eq!(
            run(
                &t2,
                r#"<a href="kubelet.log">kubelet.log</a><a href="/google.log">google.log</a>"#
            ),
            r#"<a href="kubelet.log">kubelet.log</a><a href="https://foo.com/proxy/node/node1:8080/google.log">google.log</a>"#
        );
    }

    #[test]
    fn serialisation_rules() {
        let tr = t1("mynode.com");
        let rows = [
            (r#"<IMG SRC=x />"#, r#"<img src="x"/>"#),
            (r#"<a href="/x""#, ""),
            ("<input disabled>", r#"<input disabled="">"#),
            (r#"<a title='a"b&amp;c'>"#, r#"<a title="a&#34;b&amp;c">"#),
            (
                r#"<a href="/x" href="/y">"#,
                r#"<a href="http://foo.com/proxy/node/node1:10250/x">"#,
            ),
            (r#"<a href=" /x ">"#, r#"<a href="%20/x%20">"#),
            (r#"<a href="%zz">"#, r#"<a href="%zz">"#),
            ("</A>", "</A>"),
            ("<!-- <a href=\"/x\"> -->", "<!-- <a href=\"/x\"> -->"),
            (
                "<script>var a='<a href=\"/x\">'</script>",
                "<script>var a='<a href=\"/x\">'</script>",
            ),
            (r#"<img srcset="/a.png 1x">"#, r#"<img srcset="/a.png 1x">"#),
            (
                r#"<svg><a href="/x"></a></svg>"#,
                r#"<svg><a href="http://foo.com/proxy/node/node1:10250/x"></a></svg>"#,
            ),
            ("a < b", "a < b"),
        ];
        for (inp, want) in rows {
            assert_eq!(run(&tr, inp), want, "{inp}");
        }
    }

    #[test]
    fn random_input_never_panics() {
        // Bytes that matter to the tokenizer and to url.Parse, shuffled deterministically.
        let alphabet: &[u8] = b"<>/!?-=\"' \t\nahrefsciptlxA%2F:#&;0x\x00\xc3\xa9";
        let tr = t1("mynode.com");
        let f = |v: &str| tr.rewrite_str(v).unwrap_or_else(|_| v.to_owned());
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..3000 {
            let mut input = Vec::new();
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = (seed % 40) as usize;
            for _ in 0..len {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                input.push(alphabet[(seed % alphabet.len() as u64) as usize]);
            }
            let out = rewrite_html(&input, &f);
            // Text without '<' is copied byte for byte.
            if !input.contains(&b'<') {
                assert_eq!(out, input);
            }
            let _ = crate::gourl::GoUrl::parse(&String::from_utf8_lossy(&input));
        }
    }
}
