//! A streaming HTML rewriter: every URL-bearing attribute, `srcset`, `style` attributes and
//! `<style>` bodies, `<meta http-equiv=refresh>`, SVG `href`/`xlink:href` and `<base href>`, with
//! every other byte copied unchanged.
//!
//! # Why a tokenizer of its own, not lol_html
//!
//! The job is narrow — find start tags and raw-text element bodies, rewrite a few attribute
//! values — and three requirements decide it:
//!
//! - **Byte fidelity.** lol_html re-serialises a start tag once any attribute of it is changed
//!   (quotes and spacing of the other attributes normalised). Here only the changed value's bytes
//!   change.
//! - **Correct values.** lol_html hands out attribute values without decoding character
//!   references, so `href="&#47;login"` or `&sol;` (escapers that encode `/`) would look relative;
//!   this rewriter decodes them first (and leaves a value alone when it uses a reference it does
//!   not know).
//! - **Size and speed.** lol_html (with cssparser and selectors) is ~220–250 KB gzipped as wasm;
//!   this module is a few tens of KB, and scanning with `memchr` for the next `<` keeps the common
//!   path well above the 150 MB/s budget (see `benches/rewrite.rs`).
//!
//! What it gives up: there is no tree builder. The tokenizer states follow the HTML standard
//! (data, tags and attributes, comments and their abrupt ends, bogus comments, doctype, CDATA in
//! foreign content, RAWTEXT/RCDATA elements, script data with its escaped and double-escaped
//! states, plaintext), and the only tree-building facts it simulates are those that change
//! tokenizing: entering and leaving `<svg>`/`<math>` (with the HTML breakout tags and SVG's HTML
//! integration points). `<style>` inside SVG is not treated as CSS.
//!
//! # Memory
//!
//! Text, comments and raw text stream through without being held. A start tag is held until its
//! `>`, up to `max_tag_bytes` ([`DEFAULT_MAX_TAG_BYTES`]); a longer tag (say a huge inline `data:`
//! image) is passed through unchanged. `<style>` bodies go through a [`super::css::CssStream`],
//! which holds at most [`super::css::MAX_PENDING_CSS`] bytes of an unfinished token. Everything
//! else is a few bytes plus a namespace stack of at most 64 entries. [`HtmlRewriter::memory_in_use`] reports
//! the buffers' capacity; it never exceeds [`HtmlRewriter::memory_bound`] between writes, whatever
//! the input.
//!
//! # Encodings
//!
//! See [`Charset`]: UTF-8 and every ASCII-compatible legacy encoding are rewritten byte-wise
//! (the first `<meta charset>` is honoured unless the caller set the charset from the
//! `Content-Type` header, which wins, as in browsers; a UTF-8 BOM wins over both). UTF-16 and
//! ISO-2022-JP pages pass through unchanged.

mod attributes;
mod charset;

use std::borrow::Cow;

use memchr::{memchr, memchr2};

pub use charset::Charset;

use super::context::RewriteContext;
use super::css::{CssStream, MAX_PENDING_CSS, rewrite_css_bytes};
use super::legacy::rewrite_url_bytes;
use super::reference::{Reference, parse_reference};
use super::refresh::rewrite_refresh_bytes;
use super::srcset::rewrite_srcset_bytes;
use crate::url_split::split_url;
use attributes::{AttrIter, ValueKind, decode_value, foreign_value_kind, html_value_kind};
use charset::charset_from_content;

/// UTF-8, UTF-16LE and UTF-16BE byte order marks, as `detect_bom` reads them.
const BYTE_ORDER_MARKS: [&[u8]; 3] = [&[0xEF, 0xBB, 0xBF], &[0xFF, 0xFE], &[0xFE, 0xFF]];

/// The longest start tag that is rewritten; longer ones pass through unchanged.
pub const DEFAULT_MAX_TAG_BYTES: usize = 128 * 1024;

/// The deepest `<svg>`/`<math>` nesting tracked.
const MAX_NAMESPACE_DEPTH: usize = 64;

/// Why an [`HtmlRewriter`] could not be set up.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum HtmlError {
    /// The encoding label is unknown, or names an encoding that is not ASCII-compatible.
    #[error("cannot rewrite HTML in charset {label:?}: {reason}")]
    Charset {
        /// The label as given.
        label: String,
        /// Why.
        reason: &'static str,
    },
}

/// Rewrites a whole HTML document (UTF-8) at once.
///
/// ```
/// use kubeopen::rewrite::{rewrite_html, RewriteContext};
/// let ctx = RewriteContext::new("https://k", &kubeopen::Target::service("a", "web")?)?;
/// let p = "/api/v1/namespaces/a/services/web/proxy";
/// assert_eq!(
///     rewrite_html("<A HREF=/x title='/t'><img srcset='/a.png 2x' style=\"background:url(/b.png)\"></A>", &ctx),
///     format!("<A HREF=\"{p}/x\" title='/t'><img srcset='{p}/a.png 2x' style=\"background:url({p}/b.png)\"></A>"),
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn rewrite_html(html: &str, ctx: &RewriteContext) -> String {
    let mut out = Vec::with_capacity(html.len() + html.len() / 8);
    let mut rewriter = HtmlRewriter::new(ctx.clone());
    let mut sink = |bytes: &[u8]| out.extend_from_slice(bytes);
    rewriter.write(html.as_bytes(), &mut sink);
    rewriter.end(&mut sink);
    // Only whole UTF-8 sequences are ever inserted, and the input is UTF-8.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Where bytes being scanned go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Route {
    Sink,
    /// Held back for a decision (`<`, `<!-`, a possible `</style`).
    Held,
    /// The start tag being collected.
    Tag,
    /// A `<style>` body.
    Css,
}

/// The attribute part of a tag, as the tokenizer's states after the tag name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scan {
    BeforeName,
    Name,
    AfterName,
    BeforeValue,
    Double,
    Single,
    Unquoted,
    AfterQuoted,
    SelfClosing,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum CommentState {
    Start,
    StartDash,
    Body,
    EndDash,
    End,
    EndBang,
}

/// Script data and its escaped states (HTML standard §13.2.5.4–§13.2.5.31). The numbers count
/// matched letters of `script`; 7 means "not `script`".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ScriptState {
    Data,
    Lt,
    EndOpen,
    EndName(u8),
    EscapeStart,
    EscapeStartDash,
    Escaped,
    EscapedDash,
    EscapedDashDash,
    EscapedLt,
    EscapedEndOpen,
    EscapedEndName(u8),
    DoubleStart(u8),
    Double,
    DoubleDash,
    DoubleDashDash,
    DoubleLt,
    DoubleEnd(u8),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// Before the first bytes: looking for a byte order mark.
    Start,
    Data,
    TagOpen,
    EndTagOpen,
    TagName {
        end: bool,
    },
    Attributes {
        scan: Scan,
        end: bool,
    },
    MarkupDeclaration,
    Comment(CommentState),
    Bogus,
    CData(u8),
    /// RAWTEXT/RCDATA: looking for `</NAME`; `matched` counts `<`, `/` and name bytes seen.
    Raw {
        name: &'static [u8],
        matched: u8,
    },
    Script(ScriptState),
    Plaintext,
    PassThrough,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Namespace {
    Svg,
    Math,
    /// Inside an SVG HTML integration point (`foreignObject`, `desc`, `title`).
    HtmlIn,
}

const SCRIPT: &[u8] = b"script";

/// Start tags that end foreign content (HTML standard, "parsing tokens in foreign content").
const BREAKOUT: &[&[u8]] = &[
    b"b",
    b"big",
    b"blockquote",
    b"body",
    b"br",
    b"center",
    b"code",
    b"dd",
    b"div",
    b"dl",
    b"dt",
    b"em",
    b"embed",
    b"h1",
    b"h2",
    b"h3",
    b"h4",
    b"h5",
    b"h6",
    b"head",
    b"hr",
    b"i",
    b"img",
    b"li",
    b"listing",
    b"menu",
    b"meta",
    b"nobr",
    b"ol",
    b"p",
    b"pre",
    b"ruby",
    b"s",
    b"small",
    b"span",
    b"strong",
    b"strike",
    b"sub",
    b"sup",
    b"table",
    b"tt",
    b"u",
    b"ul",
    b"var",
];

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\x0c' | b'\r')
}

/// A byte table: `true` for whitespace and the listed bytes.
const fn space_or(extra: &[u8]) -> [bool; 256] {
    let mut table = [false; 256];
    let spaces = [b' ', b'\t', b'\n', 0x0c, b'\r'];
    let mut i = 0;
    while i < spaces.len() {
        table[spaces[i] as usize] = true;
        i += 1;
    }
    let mut i = 0;
    while i < extra.len() {
        table[extra[i] as usize] = true;
        i += 1;
    }
    table
}

/// Bytes that end an attribute name (HTML "attribute name state").
const ENDS_NAME: [bool; 256] = space_or(b"/>=");
/// Bytes that end an unquoted attribute value.
const ENDS_UNQUOTED: [bool; 256] = space_or(b">");

/// A streaming HTML rewriter (see the [module docs](self)).
///
/// ```
/// use kubeopen::rewrite::{HtmlRewriter, RewriteContext};
/// let ctx = RewriteContext::new("https://k", &kubeopen::Target::service("a", "web")?)?;
/// let mut rewriter = HtmlRewriter::new(ctx);
/// let mut out = Vec::new();
/// for chunk in ["<a hr", "ef=\"/lo", "gin\">x</a><sty", "le>b{c:url(/i", ".png)}</style>"] {
///     rewriter.write(chunk.as_bytes(), &mut |b: &[u8]| out.extend_from_slice(b));
/// }
/// rewriter.end(&mut |b: &[u8]| out.extend_from_slice(b));
/// let p = "/api/v1/namespaces/a/services/web/proxy";
/// assert_eq!(String::from_utf8(out)?, format!("<a href=\"{p}/login\">x</a><style>b{{c:url({p}/i.png)}}</style>"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct HtmlRewriter {
    /// The context as given, for the next document after [`HtmlRewriter::end`].
    document_ctx: RewriteContext,
    /// The context in effect: after a `<base href>`, with the base as the page URL.
    ctx: RewriteContext,
    charset: Charset,
    /// The charset the caller gave (from `Content-Type`), for the next document.
    configured_charset: Option<Charset>,
    /// Set by the caller or a BOM: a `<meta>` declaration no longer changes it.
    charset_fixed: bool,
    state: State,
    route: Route,
    held: Vec<u8>,
    tag: Vec<u8>,
    tag_too_long: bool,
    /// The current tag's name, lower-case, first 16 bytes; `name_len` counts all of them.
    name: [u8; 16],
    name_len: usize,
    css: CssStream,
    namespaces: Vec<Namespace>,
    untracked_namespaces: usize,
    base_seen: bool,
    max_tag_bytes: usize,
    scratch: Vec<u8>,
}

impl HtmlRewriter {
    /// A rewriter for a UTF-8 page (or one whose `<meta charset>` says otherwise).
    ///
    /// ```
    /// let ctx = kubeopen::rewrite::RewriteContext::new("https://k", &kubeopen::Target::node("n")?)?;
    /// let rewriter = kubeopen::rewrite::HtmlRewriter::new(ctx);
    /// assert_eq!(rewriter.memory_in_use(), 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(ctx: RewriteContext) -> HtmlRewriter {
        HtmlRewriter {
            document_ctx: ctx.clone(),
            ctx,
            charset: Charset::Utf8,
            configured_charset: None,
            charset_fixed: false,
            state: State::Start,
            route: Route::Sink,
            held: Vec::new(),
            tag: Vec::new(),
            tag_too_long: false,
            name: [0; 16],
            name_len: 0,
            css: CssStream::new(),
            namespaces: Vec::new(),
            untracked_namespaces: 0,
            base_seen: false,
            max_tag_bytes: DEFAULT_MAX_TAG_BYTES,
            scratch: Vec::new(),
        }
    }

    /// The charset from the response's `Content-Type` header; it wins over `<meta>`. An
    /// encoding that is not ASCII-compatible (UTF-16, ISO-2022-JP) or an unknown label is an
    /// error: pass such a body through unchanged.
    ///
    /// ```
    /// let ctx = kubeopen::rewrite::RewriteContext::new("https://k", &kubeopen::Target::node("n")?)?;
    /// let rewriter = kubeopen::rewrite::HtmlRewriter::new(ctx);
    /// assert!(rewriter.clone().with_charset("windows-1252").is_ok());
    /// assert!(rewriter.with_charset("UTF-16LE").is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_charset(mut self, label: &str) -> Result<HtmlRewriter, HtmlError> {
        let fail = |reason| HtmlError::Charset {
            label: label.to_owned(),
            reason,
        };
        match Charset::from_label(label) {
            None => Err(fail("not an encoding label")),
            Some(Charset::Unsupported) => Err(fail("the encoding is not ASCII-compatible")),
            Some(charset) => {
                self.charset = charset;
                self.configured_charset = Some(charset);
                self.charset_fixed = true;
                Ok(self)
            }
        }
    }

    /// The longest start tag to rewrite (default [`DEFAULT_MAX_TAG_BYTES`], at least 1 KiB).
    ///
    /// ```
    /// let ctx = kubeopen::rewrite::RewriteContext::new("https://k", &kubeopen::Target::node("n")?)?;
    /// let rewriter = kubeopen::rewrite::HtmlRewriter::new(ctx).with_max_tag_bytes(4096);
    /// assert!(rewriter.memory_bound() < 1024 * 1024);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn with_max_tag_bytes(mut self, max: usize) -> HtmlRewriter {
        self.max_tag_bytes = max.max(1024);
        self
    }

    /// The bytes held in the rewriter's buffers right now (their capacity).
    pub fn memory_in_use(&self) -> usize {
        self.held.capacity()
            + self.tag.capacity()
            + self.scratch.capacity()
            + self.css.memory_in_use()
            + self.namespaces.capacity() * std::mem::size_of::<Namespace>()
    }

    /// The most [`memory_in_use`](Self::memory_in_use) can be between calls: twice the tag limit
    /// (the tag buffer and a rewritten value's scratch space), the CSS stream's bound, and a few
    /// hundred bytes.
    pub fn memory_bound(&self) -> usize {
        2 * self.max_tag_bytes + 3 * MAX_PENDING_CSS + 1024
    }

    /// Rewrites the next chunk of the document; output goes to `sink` (possibly in several
    /// pieces, possibly holding back an unfinished tag for the next call). Chunks may be split
    /// anywhere, inside a tag, a value or a UTF-8 sequence.
    pub fn write(&mut self, chunk: &[u8], sink: &mut impl FnMut(&[u8])) {
        if self.state == State::Start {
            self.held.extend_from_slice(chunk);
            // Undecided until the first bytes can no longer be a byte order mark: an empty
            // chunk, or a chunk that ends inside a BOM, must not decide (or splitting would
            // change the output — found by the rewrite_html fuzz target).
            let undecided = self.held.is_empty()
                || BYTE_ORDER_MARKS
                    .iter()
                    .any(|bom| self.held.len() < bom.len() && bom.starts_with(&self.held));
            if undecided {
                return;
            }
            let first = std::mem::take(&mut self.held);
            self.detect_bom(&first);
            self.state = if self.state == State::Start {
                State::Data
            } else {
                self.state
            };
            self.scan(&first, sink);
            return;
        }
        self.scan(chunk, sink);
        self.trim_buffers();
    }

    /// Ends the document: whatever is still held (an unfinished tag, the end of a `<style>`) is
    /// written as it is, and the rewriter is ready for a new document.
    pub fn end(&mut self, sink: &mut impl FnMut(&[u8])) {
        if self.state == State::Start && !self.held.is_empty() {
            let first = std::mem::take(&mut self.held);
            self.state = State::Data;
            self.scan(&first, sink);
        }
        match self.route {
            Route::Held | Route::Css => {
                self.css.end(&self.ctx, sink);
                sink(&self.held);
            }
            Route::Tag => {
                if !self.tag_too_long {
                    sink(&self.tag);
                }
            }
            Route::Sink => {}
        }
        if matches!(self.state, State::Raw { name: b"style", .. }) {
            self.css.end(&self.ctx, sink);
        }
        // Ready for the next document: as configured, not as this document left it.
        let ctx = self.document_ctx.clone();
        let max = self.max_tag_bytes;
        let configured = self.configured_charset;
        *self = HtmlRewriter::new(ctx);
        self.max_tag_bytes = max;
        if let Some(charset) = configured {
            self.charset = charset;
            self.configured_charset = configured;
            self.charset_fixed = true;
        }
    }

    fn detect_bom(&mut self, first: &[u8]) {
        // Keep in step with BYTE_ORDER_MARKS.
        if first.starts_with(&[0xEF, 0xBB, 0xBF]) {
            self.charset = Charset::Utf8;
            self.charset_fixed = true;
        } else if first.starts_with(&[0xFF, 0xFE]) || first.starts_with(&[0xFE, 0xFF]) {
            self.state = State::PassThrough;
        }
    }

    fn utf8(&self) -> bool {
        self.charset == Charset::Utf8
    }

    /// Keeps buffers that grew for one large tag from staying large.
    fn trim_buffers(&mut self) {
        if self.route != Route::Tag && self.tag.capacity() > 4096 {
            self.tag = Vec::new();
        }
        if self.scratch.capacity() > 4096 {
            self.scratch = Vec::new();
        }
    }

    /// Sends bytes to the current route.
    fn flush(&mut self, bytes: &[u8], sink: &mut impl FnMut(&[u8])) {
        if bytes.is_empty() {
            return;
        }
        match self.route {
            Route::Sink => sink(bytes),
            Route::Held => self.held.extend_from_slice(bytes),
            Route::Css => self.css.write(bytes, &self.ctx, sink),
            Route::Tag => {
                if self.tag_too_long {
                    sink(bytes);
                } else if self.tag.len() + bytes.len() > self.max_tag_bytes {
                    // Too long to hold: pass it through unchanged from here on.
                    sink(&self.tag);
                    sink(bytes);
                    self.tag = Vec::new();
                    self.tag_too_long = true;
                } else {
                    self.tag.extend_from_slice(bytes);
                }
            }
        }
    }

    /// Flushes `chunk[*from..i]` to the current route, then routes what follows to `route`.
    fn switch(
        &mut self,
        chunk: &[u8],
        from: &mut usize,
        i: usize,
        route: Route,
        sink: &mut impl FnMut(&[u8]),
    ) {
        self.flush(&chunk[*from..i], sink);
        *from = i;
        self.route = route;
    }

    /// Sends what was held to `sink` (it turned out to be ordinary text or markup).
    fn release_held(&mut self, sink: &mut impl FnMut(&[u8])) {
        if !self.held.is_empty() {
            sink(&self.held);
            self.held.clear();
        }
    }

    fn push_name_byte(&mut self, b: u8) {
        if self.name_len < self.name.len() {
            self.name[self.name_len] = b.to_ascii_lowercase();
        }
        self.name_len += 1;
    }

    fn name_is(&self, name: &[u8]) -> bool {
        self.name_len == name.len() && &self.name[..self.name_len.min(16)] == name
    }

    fn namespace(&self) -> Option<Namespace> {
        match self.namespaces.last() {
            Some(Namespace::HtmlIn) | None => None,
            Some(&ns) => Some(ns),
        }
    }

    fn push_namespace(&mut self, ns: Namespace) {
        if self.namespaces.len() < MAX_NAMESPACE_DEPTH && self.untracked_namespaces == 0 {
            self.namespaces.push(ns);
        } else {
            self.untracked_namespaces += 1;
        }
    }

    fn scan(&mut self, chunk: &[u8], sink: &mut impl FnMut(&[u8])) {
        let n = chunk.len();
        let mut i = 0;
        let mut from = 0;
        while i < n {
            let b = chunk[i];
            match self.state {
                State::Start | State::Data => {
                    self.state = State::Data;
                    match memchr(b'<', &chunk[i..]) {
                        None => i = n,
                        Some(p) => {
                            i += p;
                            self.switch(chunk, &mut from, i, Route::Held, sink);
                            i += 1;
                            self.state = State::TagOpen;
                        }
                    }
                }
                State::PassThrough | State::Plaintext => i = n,
                State::TagOpen => {
                    if b.is_ascii_alphabetic() {
                        // A start tag: what was held (`<`) starts it. When the `<` is in this
                        // chunk it stays there, so that a tag inside one chunk is never copied.
                        self.route = Route::Tag;
                        self.tag_too_long = false;
                        if !self.held.is_empty() {
                            let held = std::mem::take(&mut self.held);
                            self.flush(&held, sink);
                            self.held = held;
                            self.held.clear();
                        }
                        self.name_len = 0;
                        self.state = State::TagName { end: false };
                    } else if b == b'/' {
                        i += 1;
                        self.state = State::EndTagOpen;
                    } else if b == b'!' {
                        i += 1;
                        self.state = State::MarkupDeclaration;
                    } else {
                        self.switch(chunk, &mut from, i, Route::Sink, sink);
                        self.release_held(sink);
                        if b == b'?' {
                            self.state = State::Bogus;
                            i += 1;
                        } else {
                            self.state = State::Data;
                        }
                    }
                }
                State::EndTagOpen => {
                    self.switch(chunk, &mut from, i, Route::Sink, sink);
                    self.release_held(sink);
                    if b.is_ascii_alphabetic() {
                        self.name_len = 0;
                        self.state = State::TagName { end: true };
                    } else if b == b'>' {
                        i += 1;
                        self.state = State::Data;
                    } else {
                        self.state = State::Bogus;
                    }
                }
                State::TagName { end } => {
                    // The name runs to whitespace, `/` or `>`; only its first 16 bytes are kept.
                    let rest = &chunk[i..];
                    let len = rest
                        .iter()
                        .position(|&b| is_space(b) || b == b'/' || b == b'>')
                        .unwrap_or(rest.len());
                    for &b in &rest[..len] {
                        self.push_name_byte(b);
                    }
                    i += len;
                    if i < n {
                        self.state = State::Attributes {
                            scan: Scan::BeforeName,
                            end,
                        };
                    }
                }
                State::Attributes { scan, end } => {
                    // Runs the attribute states over this chunk in a tight loop.
                    let mut scan = scan;
                    let mut ended = false;
                    while i < n {
                        match scan {
                            Scan::Double | Scan::Single => {
                                let quote = if scan == Scan::Double { b'"' } else { b'\'' };
                                match memchr(quote, &chunk[i..]) {
                                    None => i = n,
                                    Some(p) => {
                                        i += p + 1;
                                        scan = Scan::AfterQuoted;
                                    }
                                }
                                continue;
                            }
                            // Runs of ordinary bytes do not change these states: skip them.
                            Scan::Name => {
                                while i < n && !ENDS_NAME[usize::from(chunk[i])] {
                                    i += 1;
                                }
                            }
                            Scan::Unquoted => {
                                while i < n && !ENDS_UNQUOTED[usize::from(chunk[i])] {
                                    i += 1;
                                }
                            }
                            _ => {}
                        }
                        if i == n {
                            break;
                        }
                        let b = chunk[i];
                        i += 1;
                        match next_scan(scan, b) {
                            Some(next) => scan = next,
                            None => {
                                ended = true;
                                break;
                            }
                        }
                    }
                    if ended {
                        self.state = State::Data;
                        if end {
                            self.flush(&chunk[from..i], sink);
                            self.route = Route::Sink;
                            self.process_end_tag();
                        } else if self.tag.is_empty() && !self.tag_too_long {
                            // The whole tag is in this chunk: rewrite it from there — if it
                            // is not longer than a held tag may be, so that the output does not
                            // depend on where chunks are cut.
                            self.route = Route::Sink;
                            let tag = &chunk[from..i];
                            if tag.len() > self.max_tag_bytes {
                                sink(tag);
                                self.tag_too_long = true;
                            }
                            self.process_start_tag(tag, scan == Scan::SelfClosing, sink);
                        } else {
                            self.flush(&chunk[from..i], sink);
                            self.route = Route::Sink;
                            let tag = std::mem::take(&mut self.tag);
                            self.process_start_tag(&tag, scan == Scan::SelfClosing, sink);
                            self.tag = tag;
                            self.tag.clear();
                        }
                        from = i;
                    } else {
                        self.state = State::Attributes { scan, end };
                    }
                }
                State::MarkupDeclaration => {
                    i += 1;
                    self.flush(&chunk[from..i], sink);
                    from = i;
                    let look = self.held.get(2..).unwrap_or_default();
                    let foreign = self.namespace().is_some();
                    let decided = if look == b"--" {
                        Some(State::Comment(CommentState::Start))
                    } else if foreign && look == b"[CDATA[" {
                        Some(State::CData(0))
                    } else if b"--".starts_with(look)
                        || (look.len() < 7 && b"doctype".starts_with(&look.to_ascii_lowercase()))
                        || (foreign && b"[CDATA[".starts_with(look))
                    {
                        None
                    } else if b == b'>' {
                        Some(State::Data)
                    } else {
                        Some(State::Bogus)
                    };
                    if let Some(next) = decided {
                        self.route = Route::Sink;
                        self.release_held(sink);
                        self.state = next;
                    }
                }
                State::Comment(cs) => {
                    if cs == CommentState::Body {
                        match memchr(b'-', &chunk[i..]) {
                            None => {
                                i = n;
                                continue;
                            }
                            Some(p) => i += p,
                        }
                    }
                    let b = chunk[i];
                    i += 1;
                    self.state = match (cs, b) {
                        (
                            CommentState::Start
                            | CommentState::StartDash
                            | CommentState::End
                            | CommentState::EndBang,
                            b'>',
                        ) => State::Data,
                        (CommentState::Start, b'-') => State::Comment(CommentState::StartDash),
                        (CommentState::StartDash | CommentState::EndDash | CommentState::End, b'-') => {
                            State::Comment(CommentState::End)
                        }
                        (CommentState::Body | CommentState::EndBang, b'-') => {
                            State::Comment(CommentState::EndDash)
                        }
                        (CommentState::End, b'!') => State::Comment(CommentState::EndBang),
                        _ => State::Comment(CommentState::Body),
                    };
                }
                State::Bogus => match memchr(b'>', &chunk[i..]) {
                    None => i = n,
                    Some(p) => {
                        i += p + 1;
                        self.state = State::Data;
                    }
                },
                State::CData(brackets) => {
                    i += 1;
                    self.state = match b {
                        b']' => State::CData((brackets + 1).min(2)),
                        b'>' if brackets == 2 => State::Data,
                        _ => State::CData(0),
                    };
                }
                State::Raw { name, matched } => self.scan_raw(chunk, &mut i, &mut from, name, matched, sink),
                State::Script(ss) => self.scan_script(chunk, &mut i, ss),
            }
        }
        self.flush(&chunk[from..n], sink);
    }
}

/// The attribute states after one more byte; `None` when the byte (`>`) ends the tag.
fn next_scan(scan: Scan, b: u8) -> Option<Scan> {
    if b == b'>' && !matches!(scan, Scan::Double | Scan::Single) {
        return None;
    }
    let space = is_space(b);
    Some(match scan {
        Scan::BeforeName | Scan::SelfClosing | Scan::AfterQuoted if space => Scan::BeforeName,
        Scan::BeforeName | Scan::SelfClosing | Scan::AfterQuoted | Scan::Name | Scan::AfterName
            if b == b'/' =>
        {
            Scan::SelfClosing
        }
        Scan::BeforeName | Scan::SelfClosing | Scan::AfterQuoted => Scan::Name,
        Scan::Name if space => Scan::AfterName,
        Scan::AfterName if space => Scan::AfterName,
        Scan::Name | Scan::AfterName if b == b'=' => Scan::BeforeValue,
        Scan::Name | Scan::AfterName => Scan::Name,
        Scan::BeforeValue if space => Scan::BeforeValue,
        Scan::BeforeValue if b == b'"' => Scan::Double,
        Scan::BeforeValue if b == b'\'' => Scan::Single,
        Scan::BeforeValue => Scan::Unquoted,
        Scan::Unquoted if space => Scan::BeforeName,
        Scan::Unquoted => Scan::Unquoted,
        Scan::Double | Scan::Single => scan,
    })
}

/// What a start tag told the rewriter besides its rewritten bytes.
#[derive(Default)]
struct TagFacts {
    /// The (rewritten) `href` of a `<base>`, decoded.
    base_href: Option<Vec<u8>>,
    /// A `<meta>` charset declaration.
    charset: Option<Charset>,
}

impl HtmlRewriter {
    /// Rewrites and writes a complete start tag (unless it was too long and already written),
    /// then applies what it means for tokenizing what follows.
    fn process_start_tag(&mut self, tag: &[u8], self_closing: bool, sink: &mut impl FnMut(&[u8])) {
        if self.namespace().is_some() && BREAKOUT.iter().any(|name| self.name_is(name)) {
            while matches!(self.namespaces.last(), Some(Namespace::Svg | Namespace::Math)) {
                self.namespaces.pop();
            }
        }
        let parent = self.namespace();
        let element = match parent {
            None if self.name_is(b"svg") => Some(Namespace::Svg),
            None if self.name_is(b"math") => Some(Namespace::Math),
            other => other,
        };
        if !self.tag_too_long {
            let name = if self.name_len <= self.name.len() {
                &self.name[..self.name_len]
            } else {
                &[][..]
            };
            let facts = rewrite_start_tag(
                tag,
                name,
                element.is_some(),
                &self.ctx,
                self.utf8(),
                !self.base_seen,
                sink,
            );
            if let Some(href) = facts.base_href {
                self.base_seen = true;
                self.ctx = with_base(&self.ctx, &href);
            }
            if let Some(charset) = facts.charset
                && !self.charset_fixed
            {
                self.charset_fixed = true;
                if charset == Charset::Unsupported {
                    self.state = State::PassThrough;
                } else {
                    self.charset = charset;
                }
            }
        }
        self.tag_too_long = false;
        if self.state == State::PassThrough {
            return;
        }
        match (parent, element) {
            (None, Some(ns)) if !self_closing => self.push_namespace(ns),
            (Some(Namespace::Svg), _)
                if !self_closing
                    && (self.name_is(b"foreignobject")
                        || self.name_is(b"desc")
                        || self.name_is(b"title")) =>
            {
                self.push_namespace(Namespace::HtmlIn);
            }
            (None, None) => {
                let name = if self.name_len <= self.name.len() {
                    &self.name[..self.name_len]
                } else {
                    &[][..]
                };
                // One `match`: the compiler compares only names of the same length.
                let raw: &'static [u8] = match name {
                    b"script" => {
                        self.state = State::Script(ScriptState::Data);
                        return;
                    }
                    b"plaintext" => {
                        self.state = State::Plaintext;
                        return;
                    }
                    b"style" => b"style",
                    b"textarea" => b"textarea",
                    b"title" => b"title",
                    b"xmp" => b"xmp",
                    b"iframe" => b"iframe",
                    b"noembed" => b"noembed",
                    b"noframes" => b"noframes",
                    b"noscript" => b"noscript",
                    _ => return,
                };
                self.state = State::Raw {
                    name: raw,
                    matched: 0,
                };
                if raw == b"style" {
                    self.css = if self.utf8() {
                        CssStream::new()
                    } else {
                        CssStream::new().legacy()
                    };
                    self.route = Route::Css;
                }
            }
            _ => {}
        }
    }

    fn process_end_tag(&mut self) {
        let leaves = |ns: Namespace| match ns {
            Namespace::Svg => b"svg".as_slice(),
            Namespace::Math => b"math",
            Namespace::HtmlIn => b"",
        };
        let closes_tracked = self.name_is(b"svg") || self.name_is(b"math");
        let closes_integration =
            self.name_is(b"foreignobject") || self.name_is(b"desc") || self.name_is(b"title");
        if self.untracked_namespaces > 0 && (closes_tracked || closes_integration) {
            self.untracked_namespaces -= 1;
            return;
        }
        if closes_integration && self.namespaces.last() == Some(&Namespace::HtmlIn) {
            self.namespaces.pop();
        } else if closes_tracked
            && let Some(at) = self.namespaces.iter().rposition(|&ns| self.name_is(leaves(ns)))
        {
            self.namespaces.truncate(at);
        }
    }

    /// Sets the tag name to `name` for an end tag found by a raw-text scanner.
    fn set_name(&mut self, name: &[u8]) {
        self.name_len = 0;
        for &b in name {
            self.push_name_byte(b);
        }
    }

    /// RAWTEXT/RCDATA bodies (and `<style>`, whose body goes to the CSS stream): look for
    /// `</NAME` followed by whitespace, `/` or `>`.
    #[allow(clippy::too_many_arguments)]
    fn scan_raw(
        &mut self,
        chunk: &[u8],
        i: &mut usize,
        from: &mut usize,
        name: &'static [u8],
        matched: u8,
        sink: &mut impl FnMut(&[u8]),
    ) {
        let css = name == b"style";
        let b = chunk[*i];
        let matched_name = usize::from(matched.saturating_sub(2));
        let mismatch = |this: &mut HtmlRewriter, from: &mut usize, i: usize, sink: &mut dyn FnMut(&[u8])| {
            if css {
                this.flush(&chunk[*from..i], &mut |b: &[u8]| sink(b));
                *from = i;
                this.route = Route::Css;
                let held = std::mem::take(&mut this.held);
                this.css.write(&held, &this.ctx, &mut |b: &[u8]| sink(b));
                this.held = held;
                this.held.clear();
            }
            this.state = State::Raw { name, matched: 0 };
        };
        match matched {
            0 => match memchr(b'<', &chunk[*i..]) {
                None => *i = chunk.len(),
                Some(p) => {
                    *i += p;
                    if css {
                        self.switch(chunk, from, *i, Route::Held, sink);
                    }
                    *i += 1;
                    self.state = State::Raw { name, matched: 1 };
                }
            },
            1 if b == b'/' => {
                *i += 1;
                self.state = State::Raw { name, matched: 2 };
            }
            1 => mismatch(self, from, *i, sink),
            _ if matched_name == name.len() => {
                if is_space(b) || b == b'/' || b == b'>' {
                    if css {
                        self.flush(&chunk[*from..*i], sink);
                        *from = *i;
                        self.css.end(&self.ctx, sink);
                        self.route = Route::Sink;
                        self.release_held(sink);
                    }
                    self.set_name(name);
                    self.state = State::Attributes {
                        scan: Scan::BeforeName,
                        end: true,
                    };
                } else {
                    mismatch(self, from, *i, sink);
                }
            }
            _ if name.get(matched_name) == Some(&b.to_ascii_lowercase()) => {
                *i += 1;
                self.state = State::Raw {
                    name,
                    matched: matched + 1,
                };
            }
            _ => mismatch(self, from, *i, sink),
        }
    }

    /// Script data: only finding the end matters, including `<!--<script>…</script>-->` blocks
    /// in which `</script>` does not end the element.
    fn scan_script(&mut self, chunk: &[u8], i: &mut usize, state: ScriptState) {
        use ScriptState as S;
        match state {
            S::Data | S::Escaped | S::Double => {
                let found = if state == S::Data {
                    memchr(b'<', &chunk[*i..])
                } else {
                    memchr2(b'<', b'-', &chunk[*i..])
                };
                match found {
                    None => {
                        *i = chunk.len();
                        return;
                    }
                    Some(p) => *i += p,
                }
            }
            _ => {}
        }
        let b = chunk[*i];
        let lower = b.to_ascii_lowercase();
        let alpha = b.is_ascii_alphabetic();
        let delimiter = is_space(b) || b == b'/' || b == b'>';
        // Matches `script` one letter at a time; 7: no longer `script`.
        let step = |k: u8| -> u8 {
            if k < 6 && SCRIPT[usize::from(k)] == lower {
                k + 1
            } else {
                7
            }
        };
        let mut consume = true;
        let next = match (state, b) {
            (S::Data, b'<') => S::Lt,
            (S::Data, _) => S::Data,
            (S::Lt, b'/') => S::EndOpen,
            (S::Lt, b'!') => S::EscapeStart,
            (S::Lt, _) => {
                consume = false;
                S::Data
            }
            (S::EndOpen, _) if alpha => {
                consume = false;
                S::EndName(0)
            }
            (S::EndName(6) | S::EscapedEndName(6), _) if delimiter => {
                self.set_name(SCRIPT);
                self.state = State::Attributes {
                    scan: Scan::BeforeName,
                    end: true,
                };
                return;
            }
            (S::EndName(k), _) if alpha && step(k) <= 6 => S::EndName(step(k)),
            (S::EscapedEndName(k), _) if alpha && step(k) <= 6 => S::EscapedEndName(step(k)),
            (S::EndOpen | S::EndName(_), _) => {
                consume = false;
                S::Data
            }
            (S::EscapeStart, b'-') => S::EscapeStartDash,
            (S::EscapeStartDash, b'-') => S::EscapedDashDash,
            (S::EscapeStart | S::EscapeStartDash, _) => {
                consume = false;
                S::Data
            }
            (S::Escaped, b'-') => S::EscapedDash,
            (S::Escaped | S::EscapedDash | S::EscapedDashDash, b'<') => S::EscapedLt,
            (S::EscapedDash, b'-') => S::EscapedDashDash,
            (S::EscapedDashDash, b'-') => S::EscapedDashDash,
            (S::EscapedDashDash, b'>') => S::Data,
            (S::Escaped | S::EscapedDash | S::EscapedDashDash, _) => S::Escaped,
            (S::EscapedLt, b'/') => S::EscapedEndOpen,
            (S::EscapedLt, _) if alpha => {
                consume = false;
                S::DoubleStart(0)
            }
            (S::EscapedEndOpen, _) if alpha => {
                consume = false;
                S::EscapedEndName(0)
            }
            (S::EscapedLt | S::EscapedEndOpen | S::EscapedEndName(_), _) => {
                consume = false;
                S::Escaped
            }
            (S::DoubleStart(k), _) if delimiter => {
                if k == 6 {
                    S::Double
                } else {
                    S::Escaped
                }
            }
            (S::DoubleStart(k), _) if alpha => S::DoubleStart(step(k)),
            (S::DoubleStart(_), _) => {
                consume = false;
                S::Escaped
            }
            (S::Double, b'-') => S::DoubleDash,
            (S::Double | S::DoubleDash | S::DoubleDashDash, b'<') => S::DoubleLt,
            (S::DoubleDash | S::DoubleDashDash, b'-') => S::DoubleDashDash,
            (S::DoubleDashDash, b'>') => S::Data,
            (S::Double | S::DoubleDash | S::DoubleDashDash, _) => S::Double,
            (S::DoubleLt, b'/') => S::DoubleEnd(0),
            (S::DoubleLt, _) => {
                consume = false;
                S::Double
            }
            (S::DoubleEnd(k), _) if delimiter => {
                if k == 6 {
                    S::Escaped
                } else {
                    S::Double
                }
            }
            (S::DoubleEnd(k), _) if alpha => S::DoubleEnd(step(k)),
            (S::DoubleEnd(_), _) => {
                consume = false;
                S::Double
            }
        };
        if consume {
            *i += 1;
        }
        self.state = State::Script(next);
    }
}

/// The context after `<base href=HREF>`: relative URLs now resolve against it.
fn with_base(ctx: &RewriteContext, href: &[u8]) -> RewriteContext {
    let Ok(href) = std::str::from_utf8(href) else {
        return ctx.clone();
    };
    let href = href.trim_matches(|c: char| c <= ' ');
    let page = ctx.page_url.as_deref().and_then(|p| split_url(p).ok());
    let mut server_origin = String::new();
    ctx.push_origin(&mut server_origin, false);
    let origin = page.map_or(server_origin.as_str(), |p| p.origin);
    let resolved = match parse_reference(href, page.map_or(ctx.server.https, |p| p.https)) {
        Reference::Untouched => return ctx.clone(),
        Reference::Absolute(a) => match a.scheme {
            Some(scheme) if scheme.is_websocket() => return ctx.clone(),
            Some(_) => href.to_owned(),
            None => {
                let scheme = page.map_or(ctx.server.https, |p| p.https);
                format!("{}:{href}", if scheme { "https" } else { "http" })
            }
        },
        Reference::RootRelative { .. } => format!("{origin}{href}"),
        Reference::Relative { .. } => match page {
            Some(p) => {
                let dir = p.path.rfind('/').map_or("/", |i| &p.path[..=i]);
                format!("{origin}{dir}{href}")
            }
            None => return ctx.clone(),
        },
    };
    match ctx.clone().with_page_url(&resolved) {
        Ok(next) => next,
        Err(_) => {
            // A base the rewriter cannot read: relative URLs can no longer be checked.
            let mut next = ctx.clone();
            next.page = None;
            next
        }
    }
}

/// Rewrites the URL-bearing attribute values of one complete start tag and writes the tag.
fn rewrite_start_tag(
    tag: &[u8],
    element: &[u8],
    foreign: bool,
    ctx: &RewriteContext,
    utf8: bool,
    base_allowed: bool,
    sink: &mut impl FnMut(&[u8]),
) -> TagFacts {
    let mut facts = TagFacts::default();
    let name_end = 1 + tag[1..]
        .iter()
        .position(|&b| is_space(b) || b == b'/' || b == b'>')
        .unwrap_or(tag.len() - 1);
    let lower_name = |name: &[u8], buf: &mut [u8; 32]| -> Option<usize> {
        if name.len() > buf.len() {
            return None;
        }
        for (d, s) in buf.iter_mut().zip(name) {
            *d = s.to_ascii_lowercase();
        }
        Some(name.len())
    };
    let mut buf = [0u8; 32];
    // `<meta>`: is it a refresh, and does it declare a charset?
    let mut refresh = false;
    if !foreign && element == b"meta" {
        let mut content = None;
        let mut http_equiv = None;
        for attr in AttrIter::new(tag, name_end) {
            let Some(len) = lower_name(&tag[attr.name.0..attr.name.1], &mut buf) else {
                continue;
            };
            let value = attr.value.map_or(&[][..], |(s, e, _)| &tag[s..e]);
            match &buf[..len] {
                b"charset" if facts.charset.is_none() => facts.charset = Charset::from_meta_label(value),
                b"content" if content.is_none() => content = Some(value),
                b"http-equiv" if http_equiv.is_none() => http_equiv = Some(value),
                _ => {}
            }
        }
        let equiv = http_equiv.map(|v| v.trim_ascii().to_ascii_lowercase());
        refresh = equiv.as_deref() == Some(b"refresh");
        if facts.charset.is_none()
            && equiv.as_deref() == Some(b"content-type")
            && let Some(label) = content.and_then(charset_from_content)
        {
            facts.charset = Charset::from_meta_label(label);
        }
    }
    let mut copied = 0;
    let mut piece = Vec::new();
    let mut seen_base_href = false;
    for attr in AttrIter::new(tag, name_end) {
        let Some((start, end, quote)) = attr.value else {
            continue;
        };
        let Some(len) = lower_name(&tag[attr.name.0..attr.name.1], &mut buf) else {
            continue;
        };
        let attr_name = &buf[..len];
        let kind = if refresh && attr_name == b"content" {
            Some(None)
        } else if foreign {
            foreign_value_kind(attr_name).map(Some)
        } else {
            html_value_kind(element, attr_name).map(Some)
        };
        let Some(kind) = kind else { continue };
        let raw = &tag[start..end];
        // An ASCII value means the same in every ASCII-compatible encoding: in a legacy page too
        // it is read as text (NUL as U+FFFD, references to any character), and what is not
        // ASCII in the new value is written back as references.
        let text = utf8 || raw.is_ascii();
        let Some(value) = decode_value(raw, text) else {
            continue;
        };
        if !text && matches!(value, Cow::Owned(_)) && non_ascii(&value) != non_ascii(raw) {
            // A reference decoded to a non-ASCII character, in UTF-8; mixed with legacy bytes
            // there is no single meaning. (One that decoded to ASCII, such as the `&quot;` and
            // `&amp;` this rewriter writes itself, mixes nothing.)
            continue;
        }
        let rewritten = match kind {
            None => rewrite_refresh_bytes(&value, ctx, text),
            Some(ValueKind::Url) => rewrite_url_bytes(&value, ctx, text),
            Some(ValueKind::Srcset) => rewrite_srcset_bytes(&value, ctx, text),
            Some(ValueKind::UrlList) => rewrite_url_list(&value, ctx, text),
            Some(ValueKind::Css) => rewrite_css_bytes(&value, ctx, text),
        };
        if !foreign && element == b"base" && attr_name == b"href" && !seen_base_href {
            seen_base_href = true;
            if base_allowed {
                facts.base_href = Some(rewritten.clone().unwrap_or_else(|| value.clone().into_owned()));
            }
        }
        let Some(new) = rewritten else { continue };
        sink(&tag[copied..start]);
        piece.clear();
        attributes::push_value(&mut piece, &new, quote, text && !utf8);
        if quote == 0 {
            sink(&piece);
        } else {
            // The quotes around the value are kept from the original.
            sink(&piece[1..piece.len() - 1]);
        }
        copied = end;
    }
    sink(&tag[copied..]);
    facts
}

/// How many bytes of `bytes` are not ASCII.
fn non_ascii(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b >= 0x80).count()
}

/// Space-separated URLs (`ping`).
fn rewrite_url_list(value: &[u8], ctx: &RewriteContext, utf8: bool) -> Option<Vec<u8>> {
    let mut out: Option<Vec<u8>> = None;
    let mut copied = 0;
    let mut i = 0;
    while i < value.len() {
        if is_space(value[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < value.len() && !is_space(value[i]) {
            i += 1;
        }
        if let Some(url) = rewrite_url_bytes(&value[start..i], ctx, utf8) {
            let buf = out.get_or_insert_with(Vec::new);
            buf.extend_from_slice(&value[copied..start]);
            buf.extend_from_slice(&url);
            copied = i;
        }
    }
    let mut buf = out?;
    buf.extend_from_slice(&value[copied..]);
    Some(buf)
}
