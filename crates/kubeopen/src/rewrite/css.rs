//! CSS: every URL a style sheet can load — `url(…)` in all its spellings (unquoted, quoted,
//! escaped, `URL(`, `u\72l(`), `@import "…"`, and the strings inside `image-set()`,
//! `-webkit-image-set()` and `src()` — found with a tokenizer that follows CSS Syntax Level 3
//! (comments, strings, escapes, ident/function/url tokens, blocks). Bytes outside the rewritten URL
//! values are copied unchanged.
//!
//! [`CssStream`] does the same on a stream (the body of an HTML `<style>` element arriving in
//! chunks) and holds back at most [`MAX_PENDING_CSS`] bytes of an unfinished token; a longer
//! token (a huge inline `data:` font, a long comment) passes through unchanged.

use std::borrow::Cow;

use super::context::RewriteContext;
use super::legacy::rewrite_url_bytes;

/// The most bytes [`CssStream`] holds back while a token is still incomplete.
pub const MAX_PENDING_CSS: usize = 64 * 1024;

/// The deepest nesting of `(`/functions whose meaning is tracked; deeper blocks are still
/// balanced, only their kind is forgotten (strings in them are not URLs).
const MAX_TRACKED_DEPTH: usize = 64;

/// Rewrites every URL in a style sheet, a `style` attribute's declarations, or any CSS text.
///
/// ```
/// use kubeopen::rewrite::{rewrite_css, RewriteContext};
/// let ctx = RewriteContext::new("https://k", &kubeopen::Target::service("a", "web")?)?;
/// let p = "/api/v1/namespaces/a/services/web/proxy";
/// assert_eq!(
///     rewrite_css(r#"@import "/base.css"; a { background: URL( /i.png ) } /* url(/no) */ b { x: url('img.png') }"#, &ctx),
///     format!(r#"@import "{p}/base.css"; a {{ background: URL( {p}/i.png ) }} /* url(/no) */ b {{ x: url('img.png') }}"#),
/// );
/// assert_eq!(rewrite_css(r"i { b: image-set('/a.png' 1x, url(/b.png) 2x) }", &ctx), format!(r"i {{ b: image-set('{p}/a.png' 1x, url({p}/b.png) 2x) }}"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn rewrite_css<'a>(css: &'a str, ctx: &RewriteContext) -> Cow<'a, str> {
    let mut state = State::default();
    let mut out = Vec::new();
    let changed = process(css.as_bytes(), true, &mut state, ctx, true, &mut out).1;
    if !changed {
        return Cow::Borrowed(css);
    }
    Cow::Owned(String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
}

/// Rewrites CSS given as bytes in the page's encoding; `None` when nothing changes.
#[cfg(feature = "html")]
pub(super) fn rewrite_css_bytes(css: &[u8], ctx: &RewriteContext, utf8: bool) -> Option<Vec<u8>> {
    let mut state = State::default();
    let mut out = Vec::new();
    let (_, changed) = process(css, true, &mut state, ctx, utf8, &mut out);
    changed.then_some(out)
}

/// What the tokenizer remembers between tokens.
#[derive(Clone, Debug, Default)]
struct State {
    /// One entry per open `(`/function: whether strings directly inside it are URLs.
    blocks: Vec<bool>,
    /// Open blocks beyond [`MAX_TRACKED_DEPTH`].
    untracked_depth: usize,
    /// After `@import`, until `;`/`{`/`}`: the next string is a URL.
    in_import: bool,
}

impl State {
    fn open(&mut self, urls: bool) {
        if self.blocks.len() < MAX_TRACKED_DEPTH && self.untracked_depth == 0 {
            self.blocks.push(urls);
        } else {
            self.untracked_depth += 1;
        }
    }

    fn close(&mut self) {
        if self.untracked_depth > 0 {
            self.untracked_depth -= 1;
        } else {
            self.blocks.pop();
        }
    }

    fn strings_are_urls(&self) -> bool {
        self.in_import || (self.untracked_depth == 0 && self.blocks.last() == Some(&true))
    }
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\x0c' | b'\r')
}

// NUL counts as non-ASCII here and in url tokens: CSS reads it as U+FFFD (CSS Syntax §3.3,
// "preprocessing the input stream"); see `text_url` for URLs.
fn is_name(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b >= 0x80 || b == 0
}

fn is_name_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80 || b == 0
}

/// Whether `input[i..]` starts a valid escape (`\` not followed by a newline). `None`: unknown yet.
fn valid_escape(input: &[u8], i: usize) -> Option<bool> {
    if input.get(i) != Some(&b'\\') {
        return Some(false);
    }
    input.get(i + 1).map(|&b| !matches!(b, b'\n' | b'\r' | b'\x0c'))
}

/// The end of the escape starting at `i` (a `\`), or `None` if input ends inside it.
fn escape_end(input: &[u8], i: usize, last: bool) -> Option<usize> {
    let first = *input.get(i + 1)?;
    if !first.is_ascii_hexdigit() {
        // `\` + one character (a whole UTF-8 sequence: its continuation bytes are name bytes).
        return Some(i + 2);
    }
    let mut j = i + 1;
    while j < input.len() && j < i + 7 && input[j].is_ascii_hexdigit() {
        j += 1;
    }
    if j == input.len() && !last {
        return None;
    }
    if j < input.len() && is_space(input[j]) {
        // `\r\n` counts as one whitespace.
        if input[j] == b'\r' && input.get(j + 1) == Some(&b'\n') {
            return Some(j + 2);
        }
        if input[j] == b'\r' && j + 1 == input.len() && !last {
            return None;
        }
        return Some(j + 1);
    }
    Some(j)
}

/// Consumes an ident sequence from `i`; `None` if the input ends inside it (and more may come).
fn ident_end(input: &[u8], mut i: usize, last: bool) -> Option<usize> {
    loop {
        match input.get(i) {
            None => return if last { Some(i) } else { None },
            Some(&b) if is_name(b) => i += 1,
            Some(b'\\') => match valid_escape(input, i) {
                None => return if last { Some(i + 1) } else { None },
                Some(true) => i = escape_end(input, i, last)?,
                Some(false) => return Some(i),
            },
            Some(_) => return Some(i),
        }
    }
}

/// Whether an ident sequence starts at `i` (CSS "would start an ident sequence").
fn starts_ident(input: &[u8], i: usize) -> Option<bool> {
    let b = *input.get(i)?;
    Some(match b {
        b'-' => match input.get(i + 1) {
            None => return None,
            Some(&n) if is_name_start(n) || n == b'-' => true,
            Some(b'\\') => valid_escape(input, i + 1)?,
            Some(_) => false,
        },
        b'\\' => valid_escape(input, i)?,
        _ => is_name_start(b),
    })
}

/// Decodes CSS escapes in `raw` (an ident, string body or url body). `in_string`: `\` + newline
/// is a line continuation.
fn unescape(raw: &[u8], in_string: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        if raw[i] != b'\\' {
            out.push(raw[i]);
            i += 1;
            continue;
        }
        match raw.get(i + 1) {
            None => {
                // A `\` at the very end stands for U+FFFD in idents, and is dropped in strings.
                if !in_string {
                    out.extend_from_slice("\u{FFFD}".as_bytes());
                }
                i += 1;
            }
            Some(b'\n' | b'\x0c') if in_string => i += 2,
            Some(b'\r') if in_string => i += if raw.get(i + 2) == Some(&b'\n') { 3 } else { 2 },
            Some(&h) if h.is_ascii_hexdigit() => {
                let end = escape_end(raw, i, true).unwrap_or(raw.len());
                let hex_end = raw[i + 1..end]
                    .iter()
                    .position(|b| !b.is_ascii_hexdigit())
                    .map_or(end, |p| i + 1 + p);
                let value = raw[i + 1..hex_end].iter().fold(0u32, |acc, &d| {
                    acc.saturating_mul(16)
                        .saturating_add(char::from(d).to_digit(16).unwrap_or(0))
                });
                let c = match value {
                    0 => '\u{FFFD}',
                    v => char::from_u32(v).unwrap_or('\u{FFFD}'),
                };
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                i = end;
            }
            Some(&other) => {
                out.push(other);
                i += 2;
            }
        }
    }
    out
}

/// Writes `value` as the body of a CSS string quoted with `quote`.
fn push_string_body(out: &mut Vec<u8>, value: &[u8], quote: u8) {
    for &b in value {
        match b {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\a "),
            b'\r' => out.extend_from_slice(b"\\d "),
            b'\x0c' => out.extend_from_slice(b"\\c "),
            b if b == quote => {
                out.push(b'\\');
                out.push(b);
            }
            b => out.push(b),
        }
    }
}

/// Writes `value` as the body of an unquoted `url(…)`.
fn push_url_body(out: &mut Vec<u8>, value: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for &b in value {
        if matches!(b, b'\\' | b'"' | b'\'' | b'(' | b')') || b <= b' ' || b == 0x7f {
            out.push(b'\\');
            if b'"' == b || b'\'' == b || b'(' == b || b')' == b || b'\\' == b {
                out.push(b);
            } else {
                if b >= 0x10 {
                    out.push(HEX[usize::from(b >> 4)]);
                }
                out.push(HEX[usize::from(b & 0xf)]);
                out.push(b' ');
            }
        } else {
            out.push(b);
        }
    }
}

/// Rewrites a URL value written raw (escapes included); `None` when it stays.
fn rewrite_value(raw: &[u8], in_string: bool, ctx: &RewriteContext, utf8: bool) -> Option<Vec<u8>> {
    if raw.contains(&b'\\') {
        // Escapes decode to Unicode; mixing that with legacy-encoded bytes has no single meaning.
        if !utf8 && raw.iter().any(|&b| b >= 0x80) {
            return None;
        }
        rewrite_url_bytes(&text_url(unescape(raw, in_string)), ctx, true)
    } else if utf8 && raw.contains(&0) {
        rewrite_url_bytes(&text_url(raw.to_vec()), ctx, true)
    } else {
        // In a legacy page a NUL stays a byte, kept as it is (see `legacy`).
        rewrite_url_bytes(raw, ctx, utf8)
    }
}

/// A URL read as text: its NULs as the U+FFFD that CSS reads them as (the URL parser would strip
/// a NUL at either end as a C0 control; it percent-encodes U+FFFD).
fn text_url(mut url: Vec<u8>) -> Vec<u8> {
    if url.contains(&0) {
        url = url
            .split(|&b| b == 0)
            .collect::<Vec<_>>()
            .join("\u{FFFD}".as_bytes());
    }
    url
}

/// The end of a string token starting at `i` (on its quote): just after the closing quote, or at
/// an unescaped newline (a bad string). `None`: the input ends first.
fn string_end(input: &[u8], i: usize) -> Option<(usize, usize)> {
    let quote = input[i];
    let mut j = i + 1;
    loop {
        match *input.get(j)? {
            b if b == quote => return Some((j, j + 1)),
            b'\n' | b'\r' | b'\x0c' => return Some((j, j)),
            b'\\' => {
                input.get(j + 1)?;
                j += if input[j + 1] == b'\r' && input.get(j + 2) == Some(&b'\n') {
                    3
                } else {
                    2
                };
            }
            _ => j += 1,
        }
    }
}

/// After `url(`: `Some(Ok((value_start, value_end, token_end)))` for an unquoted url token,
/// `Some(Err(()))` when a quote follows (a function with a string), `None` when the input ends
/// first.
#[allow(clippy::type_complexity)]
fn url_token(input: &[u8], open: usize) -> Option<Result<(usize, usize, usize), usize>> {
    let mut j = open;
    while is_space(*input.get(j)?) {
        j += 1;
    }
    if matches!(input[j], b'"' | b'\'') {
        return Some(Err(j));
    }
    let start = j;
    loop {
        match *input.get(j)? {
            b')' => return Some(Ok((start, j, j + 1))),
            b if is_space(b) => {
                let end = j;
                while is_space(*input.get(j)?) {
                    j += 1;
                }
                if input[j] == b')' {
                    return Some(Ok((start, end, j + 1)));
                }
                return Some(Ok((start, start, bad_url_end(input, j)?)));
            }
            b'"' | b'\'' | b'(' | 1..=8 | 0x0b | 0x0e..=0x1f | 0x7f => {
                return Some(Ok((start, start, bad_url_end(input, j)?)));
            }
            b'\\' => {
                if valid_escape(input, j)? {
                    j = escape_end(input, j, false)?;
                } else {
                    return Some(Ok((start, start, bad_url_end(input, j)?)));
                }
            }
            _ => j += 1,
        }
    }
}

/// A bad url: the rest up to `)` (escapes skipped) is dropped by CSS; nothing to rewrite.
fn bad_url_end(input: &[u8], mut j: usize) -> Option<usize> {
    loop {
        match *input.get(j)? {
            b')' => return Some(j + 1),
            b'\\' => j += 2,
            _ => j += 1,
        }
    }
}

/// Tokenizes `input` from `state` and writes it to `out`, rewriting URLs. Unless `last`, stops
/// before a token the input ends inside. Returns how many bytes were consumed and whether
/// anything was rewritten.
fn process(
    input: &[u8],
    last: bool,
    state: &mut State,
    ctx: &RewriteContext,
    utf8: bool,
    out: &mut Vec<u8>,
) -> (usize, bool) {
    let mut copied = 0;
    let mut changed = false;
    let mut i = 0;
    let n = input.len();
    // Writes `input[copied..start]`, then `value` in place of `input[start..end]`.
    let mut replace = |out: &mut Vec<u8>, copied: &mut usize, start: usize, end: usize, value: &[u8]| {
        out.extend_from_slice(&input[*copied..start]);
        out.extend_from_slice(value);
        *copied = end;
        changed = true;
    };
    // Where an incomplete token starts, if the input ends inside one.
    let mut incomplete = None;
    while i < n {
        let b = input[i];
        match b {
            b'/' if input.get(i + 1) == Some(&b'*') => {
                match input[i + 2..].windows(2).position(|w| w == b"*/") {
                    Some(p) => i += 2 + p + 2,
                    None => {
                        incomplete = Some(i);
                        break;
                    }
                }
            }
            b'/' if i + 1 == n && !last => {
                incomplete = Some(i);
                break;
            }
            b'"' | b'\'' => match string_end(input, i) {
                Some((body_end, end)) => {
                    if state.strings_are_urls() {
                        if let Some(value) = rewrite_value(&input[i + 1..body_end], true, ctx, utf8) {
                            let mut quoted = Vec::with_capacity(value.len() + 8);
                            push_string_body(&mut quoted, &value, b);
                            replace(out, &mut copied, i + 1, body_end, &quoted);
                        }
                        state.in_import = false;
                    }
                    i = end;
                }
                None => {
                    incomplete = Some(i);
                    break;
                }
            },
            b'@' => match starts_ident(input, i + 1) {
                None if !last => {
                    incomplete = Some(i);
                    break;
                }
                Some(true) => match ident_end(input, i + 1, last) {
                    Some(end) => {
                        let name = unescape(&input[i + 1..end], false);
                        if name.eq_ignore_ascii_case(b"import") {
                            state.in_import = true;
                        }
                        i = end;
                    }
                    None => {
                        incomplete = Some(i);
                        break;
                    }
                },
                _ => i += 1,
            },
            b'#' => match ident_end(input, i + 1, last) {
                Some(end) => i = end.max(i + 1),
                None => {
                    incomplete = Some(i);
                    break;
                }
            },
            b'0'..=b'9' => {
                // A number and its unit (`10url(` is a dimension, not a function).
                let mut j = i;
                while j < n && (input[j].is_ascii_digit() || input[j] == b'.') {
                    j += 1;
                }
                match ident_end(input, j, last) {
                    Some(end) if j < n || last => i = end,
                    _ => {
                        incomplete = Some(i);
                        break;
                    }
                }
            }
            b';' | b'{' | b'}' => {
                state.in_import = false;
                i += 1;
            }
            b'(' => {
                state.open(false);
                i += 1;
            }
            b')' => {
                state.close();
                i += 1;
            }
            _ => match starts_ident(input, i) {
                None if !last => {
                    incomplete = Some(i);
                    break;
                }
                Some(true) => {
                    let Some(end) = ident_end(input, i, last) else {
                        incomplete = Some(i);
                        break;
                    };
                    if input.get(end) != Some(&b'(') {
                        if end == n && !last {
                            incomplete = Some(i);
                            break;
                        }
                        i = end;
                        continue;
                    }
                    let raw_name = &input[i..end];
                    let name = if raw_name.contains(&b'\\') {
                        Cow::Owned(unescape(raw_name, false))
                    } else {
                        Cow::Borrowed(raw_name)
                    };
                    if name.eq_ignore_ascii_case(b"url") {
                        match url_token(input, end + 1) {
                            None if !last => {
                                incomplete = Some(i);
                                break;
                            }
                            None => {
                                i = n;
                            }
                            Some(Err(quote_at)) => {
                                // `url("…")` is a function token and a string.
                                state.open(true);
                                i = quote_at;
                            }
                            Some(Ok((start, value_end, token_end))) => {
                                if value_end > start
                                    && let Some(value) =
                                        rewrite_value(&input[start..value_end], false, ctx, utf8)
                                {
                                    let mut body = Vec::with_capacity(value.len() + 8);
                                    push_url_body(&mut body, &value);
                                    replace(out, &mut copied, start, value_end, &body);
                                }
                                state.in_import = false;
                                i = token_end;
                            }
                        }
                    } else {
                        let urls = ["image-set", "-webkit-image-set", "src"]
                            .iter()
                            .any(|f| name.eq_ignore_ascii_case(f.as_bytes()));
                        state.open(urls);
                        i = end + 1;
                    }
                }
                _ => i += 1,
            },
        }
    }
    // At the end of the input an unfinished token (string, comment, url) is simply what it is.
    let consumed = if last { n } else { incomplete.unwrap_or(n) };
    out.extend_from_slice(&input[copied.min(consumed)..consumed]);
    (consumed, changed)
}

/// How a token that was too long to hold back ends, so that the stream can pass the rest of it
/// through and pick up tokenizing after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Skip {
    None,
    /// Inside `/* … */`; `star`: the last byte seen was `*`.
    Comment {
        star: bool,
    },
    /// Inside a string; `escaped`: the last byte seen was a `\`.
    String {
        quote: u8,
        escaped: bool,
    },
    /// Inside `url(` … `)`; `escaped` as above.
    Url {
        escaped: bool,
    },
}

/// [`rewrite_css`] on a stream: feed chunks with [`CssStream::write`], then call
/// [`CssStream::end`]. Holds back at most [`MAX_PENDING_CSS`] bytes.
///
/// ```
/// use kubeopen::rewrite::{css::CssStream, RewriteContext};
/// let ctx = RewriteContext::new("https://k", &kubeopen::Target::service("a", "web")?)?;
/// let mut stream = CssStream::new();
/// let mut out = Vec::new();
/// for chunk in ["a{b:ur", "l(/x.p", "ng)}"] {
///     stream.write(chunk.as_bytes(), &ctx, &mut |b: &[u8]| out.extend_from_slice(b));
/// }
/// stream.end(&ctx, &mut |b: &[u8]| out.extend_from_slice(b));
/// assert_eq!(String::from_utf8(out)?, "a{b:url(/api/v1/namespaces/a/services/web/proxy/x.png)}");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct CssStream {
    pending: Vec<u8>,
    out: Vec<u8>,
    state: State,
    skip: Skip,
    utf8: bool,
}

impl Default for CssStream {
    fn default() -> Self {
        CssStream::new()
    }
}

impl CssStream {
    /// A stream of UTF-8 CSS.
    ///
    /// ```
    /// assert_eq!(kubeopen::rewrite::css::CssStream::new().memory_in_use(), 0);
    /// ```
    pub fn new() -> CssStream {
        CssStream {
            pending: Vec::new(),
            out: Vec::new(),
            state: State::default(),
            skip: Skip::None,
            utf8: true,
        }
    }

    /// A stream in a legacy ASCII-compatible encoding: non-ASCII bytes are kept exactly.
    #[cfg(feature = "html")]
    pub(super) fn legacy(mut self) -> CssStream {
        self.utf8 = false;
        self
    }

    /// Bytes held by the stream's buffers (their capacity), for checking the memory bound.
    ///
    /// ```
    /// let s = kubeopen::rewrite::css::CssStream::new();
    /// assert!(s.memory_in_use() <= kubeopen::rewrite::css::MAX_PENDING_CSS * 3);
    /// ```
    pub fn memory_in_use(&self) -> usize {
        self.pending.capacity() + self.out.capacity() + self.state.blocks.capacity()
    }

    /// Feeds a chunk; rewritten output goes to `sink`.
    pub fn write(&mut self, chunk: &[u8], ctx: &RewriteContext, sink: &mut impl FnMut(&[u8])) {
        let chunk = self.skip_through(chunk, sink);
        if chunk.is_empty() {
            return;
        }
        if self.pending.is_empty() {
            let consumed = self.run(chunk, false, ctx, sink);
            self.hold(&chunk[consumed..], sink);
        } else {
            let mut input = std::mem::take(&mut self.pending);
            input.extend_from_slice(chunk);
            let consumed = self.run(&input, false, ctx, sink);
            input.drain(..consumed);
            self.pending = Vec::new();
            self.hold(&input, sink);
        }
    }

    /// Ends the stream: whatever is held back is tokenized to the end and written.
    pub fn end(&mut self, ctx: &RewriteContext, sink: &mut impl FnMut(&[u8])) {
        let input = std::mem::take(&mut self.pending);
        self.run(&input, true, ctx, sink);
        *self = CssStream {
            utf8: self.utf8,
            ..CssStream::new()
        };
    }

    fn run(&mut self, input: &[u8], last: bool, ctx: &RewriteContext, sink: &mut impl FnMut(&[u8])) -> usize {
        self.out.clear();
        let (consumed, _) = process(input, last, &mut self.state, ctx, self.utf8, &mut self.out);
        if !self.out.is_empty() {
            sink(&self.out);
        }
        // Keep the output buffer from growing past the bound for the next chunk.
        if self.out.capacity() > 2 * MAX_PENDING_CSS {
            self.out = Vec::new();
        }
        consumed
    }

    /// Keeps an incomplete token for the next chunk, or — when it is too long — writes it out
    /// unchanged and remembers how to find its end.
    fn hold(&mut self, rest: &[u8], sink: &mut impl FnMut(&[u8])) {
        if rest.len() <= MAX_PENDING_CSS {
            self.pending.clear();
            self.pending.extend_from_slice(rest);
            return;
        }
        sink(rest);
        self.pending = Vec::new();
        let ends_with_backslash = rest.iter().rev().take_while(|&&b| b == b'\\').count() % 2 == 1;
        self.skip = match rest[0] {
            b'/' => Skip::Comment {
                star: rest.ends_with(b"*") && rest.len() > 2,
            },
            q @ (b'"' | b'\'') => Skip::String {
                quote: q,
                escaped: ends_with_backslash,
            },
            // A long `url(…`, or an ident that long: skip to the next `)` in either case.
            _ => Skip::Url {
                escaped: ends_with_backslash,
            },
        };
    }

    /// Passes through the rest of a token that was too long to hold; returns what follows it.
    fn skip_through<'c>(&mut self, chunk: &'c [u8], sink: &mut impl FnMut(&[u8])) -> &'c [u8] {
        let mut end = None;
        let mut i = 0;
        while i < chunk.len() && end.is_none() {
            let b = chunk[i];
            self.skip = match self.skip {
                Skip::None => return chunk,
                Skip::Comment { star } => {
                    if star && b == b'/' {
                        end = Some(i + 1);
                        Skip::None
                    } else {
                        Skip::Comment { star: b == b'*' }
                    }
                }
                Skip::String { quote, escaped } => {
                    if escaped {
                        Skip::String {
                            quote,
                            escaped: false,
                        }
                    } else if b == quote || matches!(b, b'\n' | b'\r' | b'\x0c') {
                        end = Some(if b == quote { i + 1 } else { i });
                        Skip::None
                    } else {
                        Skip::String {
                            quote,
                            escaped: b == b'\\',
                        }
                    }
                }
                Skip::Url { escaped } => {
                    if escaped {
                        Skip::Url { escaped: false }
                    } else if b == b')' {
                        end = Some(i + 1);
                        Skip::None
                    } else {
                        Skip::Url { escaped: b == b'\\' }
                    }
                }
            };
            i += 1;
        }
        if self.skip == Skip::None && end.is_none() && i == 0 {
            return chunk;
        }
        let end = end.unwrap_or(chunk.len());
        sink(&chunk[..end]);
        &chunk[end..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::target::Target;

    fn ctx() -> RewriteContext {
        RewriteContext::new("https://k", &Target::service("a", "web").unwrap()).unwrap()
    }

    const P: &str = "/api/v1/namespaces/a/services/web/proxy";

    fn css(input: &str) -> String {
        rewrite_css(input, &ctx()).into_owned()
    }

    #[test]
    fn url_spellings() {
        assert_eq!(css("a{b:url(/x)}"), format!("a{{b:url({P}/x)}}"));
        assert_eq!(css("a{b:url( \"/x\" )}"), format!("a{{b:url( \"{P}/x\" )}}"));
        assert_eq!(css("a{b:Url('/x')}"), format!("a{{b:Url('{P}/x')}}"));
        assert_eq!(css(r"a{b:u\72l(/x)}"), format!(r"a{{b:u\72l({P}/x)}}"));
        assert_eq!(css(r"a{b:url(\2f x)}"), format!(r"a{{b:url({P}/x)}}"));
        assert_eq!(css(r"a{b:url('\2f x\'y')}"), format!(r"a{{b:url('{P}/x\'y')}}"));
        assert_eq!(css("a{b:url(/a\\ b)}"), format!("a{{b:url({P}/a%20b)}}"));
        assert_eq!(
            css("@IMPORT '/a.css' screen;"),
            format!("@IMPORT '{P}/a.css' screen;")
        );
        assert_eq!(css("@import url(/a.css);"), format!("@import url({P}/a.css);"));
    }

    /// CSS reads NUL as U+FFFD: a url token with a NUL is a URL (not a bad url), and a NUL in
    /// an ident is a name code point (`\0url(` is a function, not a url).
    #[test]
    fn nul_is_u_fffd() {
        assert_eq!(css("a{b:url(/x\0)}"), format!("a{{b:url({P}/x%EF%BF%BD)}}"));
        assert_eq!(css("a{b:url('/x\0')}"), format!("a{{b:url('{P}/x%EF%BF%BD')}}"));
        assert_eq!(css("a{b:url(\\2f x\0)}"), format!("a{{b:url({P}/x%EF%BF%BD)}}"));
        assert_eq!(css("a{b:\0url(/x)}"), "a{b:\0url(/x)}");
    }

    #[cfg(feature = "html")]
    #[test]
    fn nul_in_a_legacy_page_is_kept() {
        // A legacy page cannot spell U+FFFD in its bytes: the NUL is kept as a NUL, written as
        // the escape `\0 ` (U+FFFD too) in an unquoted url, and as it is in a string.
        let out = rewrite_css_bytes(b"a{b:url(/x/\0)}", &ctx(), false);
        assert_eq!(out, Some(format!("a{{b:url({P}/x/\\0 )}}").into_bytes()));
        let out = rewrite_css_bytes(b"a{b:url('/x/\0')}", &ctx(), false);
        assert_eq!(
            out,
            Some([format!("a{{b:url('{P}/x/").as_bytes(), b"\0')}"].concat())
        );
    }

    #[test]
    fn non_urls_are_untouched() {
        for input in [
            "a{content:\"/x\"}",
            "/* url(/x) */",
            "a{b:myurl(/x)}",
            "a{b:url(/x y)}",
            "a{b:url(/x\"y)}",
            "a{b:10url(/x)}",
            "#url(/x){}",
            "a{b:url(data:image/png;base64,AAA=)}",
            "a{b:url(img.png)}",
            "@importx '/a.css';",
            "a{b:var(--url)}",
            "a{b:\"/x",
            "a{b:url(/x",
        ] {
            assert_eq!(css(input), input, "{input:?}");
            assert!(matches!(rewrite_css(input, &ctx()), Cow::Borrowed(_)));
        }
    }

    #[test]
    fn image_set_and_nesting() {
        assert_eq!(
            css("a{b:-webkit-image-set(\"/a.png\" 1x, \"/b.png\" 2x); c:'/z'}"),
            format!("a{{b:-webkit-image-set(\"{P}/a.png\" 1x, \"{P}/b.png\" 2x); c:'/z'}}")
        );
        assert_eq!(
            css("a{b:image-set(calc(1) '/a.png')}"),
            format!("a{{b:image-set(calc(1) '{P}/a.png')}}")
        );
        assert_eq!(css("a{b:image-set(f('/a.png'))}"), "a{b:image-set(f('/a.png'))}");
    }

    #[test]
    fn streaming_matches_one_shot_at_every_split() {
        let input =
            "@import '/i.css';a{b:url( /x\\29 .png ) /* c */;c:image-set('/a' 1x)}\n b{c:u\\72l(\"/y\")}";
        let want = css(input);
        for split in 0..=input.len() {
            let ctx = ctx();
            let mut stream = CssStream::new();
            let mut out = Vec::new();
            let mut sink = |b: &[u8]| out.extend_from_slice(b);
            stream.write(&input.as_bytes()[..split], &ctx, &mut sink);
            stream.write(&input.as_bytes()[split..], &ctx, &mut sink);
            stream.end(&ctx, &mut sink);
            assert_eq!(String::from_utf8(out).unwrap(), want, "split at {split}");
        }
    }

    #[test]
    fn long_tokens_pass_through_within_the_bound() {
        let ctx = ctx();
        let big = "x".repeat(3 * MAX_PENDING_CSS);
        for (open, close) in [("/*", "*/"), ("'", "'"), ("url(", ")")] {
            let input = format!("a{{b:{open}{big}{close};c:url(/y)}}");
            let mut stream = CssStream::new();
            let mut out = Vec::new();
            let mut max = 0;
            for chunk in input.as_bytes().chunks(1000) {
                stream.write(chunk, &ctx, &mut |b: &[u8]| out.extend_from_slice(b));
                max = max.max(stream.memory_in_use());
            }
            stream.end(&ctx, &mut |b: &[u8]| out.extend_from_slice(b));
            assert!(max <= 3 * MAX_PENDING_CSS + 4096, "{open}: {max}");
            let want = format!("a{{b:{open}{big}{close};c:url({P}/y)}}");
            assert!(String::from_utf8(out).unwrap() == want, "{open}");
        }
    }
}
