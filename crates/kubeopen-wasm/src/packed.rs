//! The packed boundary for hot functions: one string in, one string out.
//!
//! Measured (tests/bench, Node 20): reading a target object's five fields from wasm costs 4–10×
//! one `new URL()`, while one `\0`-joined string costs well under the 3× budget. So `api.js`
//! joins a call's fields with `\0` and splits the answer on `\0`; this module does the Rust
//! side. A field that itself contains `\0` changes the field count, which [`fields`] refuses — a
//! stray NUL can never shift one field into another.
//!
//! The strings travel through one **exchange buffer** in wasm memory rather than as
//! wasm-bindgen `String`s: `api.js` writes the packed call with `TextEncoder.encodeInto` (native
//! code) where [`exchange`] says, the export reads it there and writes its answer back over it,
//! and returns the answer's length. wasm-bindgen's own string passing copies character by
//! character in JavaScript and allocates and frees on every call; measured, that was about a
//! third of a `parseProxyUrl` call.

use std::cell::RefCell;

use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::wasm_bindgen;

use crate::error::invalid_argument;

thread_local! {
    /// The error of the last call that failed, for [`take_error`].
    static ERROR: RefCell<Option<JsValue>> = const { RefCell::new(None) };
    /// The answer of [`with_exchange_into`], kept for its room.
    static SCRATCH: RefCell<String> = const { RefCell::new(String::new()) };
    /// The exchange buffer. Only ever grows; `api.js` keeps its address and length until an
    /// answer does not fit (then it asks [`exchange`] again).
    static EXCHANGE: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Makes the exchange buffer at least `len` bytes long and returns its address in wasm memory.
#[wasm_bindgen(js_name = "__exchange", skip_typescript)]
pub fn exchange(len: usize) -> usize {
    EXCHANGE.with_borrow_mut(|buffer| {
        if buffer.len() < len {
            buffer.resize(len, 0);
        }
        buffer.as_ptr() as usize
    })
}

/// The module's `WebAssembly.Memory`, for `api.js` to reach the exchange buffer.
#[wasm_bindgen(js_name = "__memory", skip_typescript)]
pub fn memory() -> JsValue {
    wasm_bindgen::memory()
}

/// What an exchange export returns when it failed: `api.js` then throws [`take_error`]'s value.
/// Returning a plain number rather than a `Result` spares wasm-bindgen's glue a result array
/// per call.
pub(crate) const FAILED: usize = u32::MAX as usize;

/// The error of the last exchange call that returned [`FAILED`] (once).
#[wasm_bindgen(js_name = "__takeError", skip_typescript)]
pub fn take_error() -> JsValue {
    ERROR.with_borrow_mut(Option::take).unwrap_or(JsValue::UNDEFINED)
}

/// The length, or [`FAILED`] with the error kept for [`take_error`].
fn or_failed(result: Result<usize, JsValue>) -> usize {
    result.unwrap_or_else(|e| {
        ERROR.with_borrow_mut(|slot| *slot = Some(e));
        FAILED
    })
}

/// The separator between packed fields.
pub(crate) const SEP: char = '\0';

/// Set in [`with_exchange`]'s result when the answer is ASCII, which `api.js` may then read as
/// Latin-1 (Node's `Buffer` does that several times faster than `TextDecoder` decodes UTF-8).
pub(crate) const ASCII_ANSWER: usize = 1 << 31;

/// Runs `call` on the packed input (the first `len` bytes of the exchange buffer), writes its
/// answer over the buffer (growing it if need be) and returns the answer's length, with
/// [`ASCII_ANSWER`] set when the answer is ASCII; or [`FAILED`].
pub(crate) fn with_exchange(
    len: usize,
    what: &str,
    call: impl FnOnce(&str) -> Result<String, JsValue>,
) -> usize {
    or_failed(EXCHANGE.with_borrow_mut(|buffer| {
        let answer = call(packed_input(buffer, len, what)?)?;
        Ok(write_answer(buffer, &answer))
    }))
}

/// The packed input: the first `len` bytes of the exchange buffer, which must be UTF-8
/// (`encodeInto` writes UTF-8; anything else is a caller that skipped `api.js`).
fn packed_input<'a>(buffer: &'a [u8], len: usize, what: &str) -> Result<&'a str, JsValue> {
    buffer
        .get(..len)
        .and_then(|bytes| std::str::from_utf8(bytes).ok())
        .ok_or_else(|| invalid_argument(&format!("{what}: malformed call")))
}

/// Writes `answer` over the exchange buffer (growing it if need be) and returns its length, with
/// [`ASCII_ANSWER`] set when it is ASCII.
fn write_answer(buffer: &mut Vec<u8>, answer: &str) -> usize {
    if buffer.len() < answer.len() {
        buffer.resize(answer.len(), 0);
    }
    if let Some(slot) = buffer.get_mut(..answer.len()) {
        slot.copy_from_slice(answer.as_bytes());
    }
    if answer.len() < ASCII_ANSWER && answer.is_ascii() {
        answer.len() | ASCII_ANSWER
    } else {
        answer.len()
    }
}

/// [`with_exchange`] for a call that writes its answer into a string kept from call to call
/// (cleared first), which spares an allocation per call.
pub(crate) fn with_exchange_into(
    len: usize,
    what: &str,
    call: impl FnOnce(&str, &mut String) -> Result<(), JsValue>,
) -> usize {
    SCRATCH.with_borrow_mut(|answer| {
        answer.clear();
        let result = or_failed(EXCHANGE.with_borrow_mut(|buffer| {
            call(packed_input(buffer, len, what)?, answer)?;
            Ok(write_answer(buffer, answer))
        }));
        // Keep a usual answer's room, not a huge one's.
        if answer.capacity() > SCRATCH_KEEP {
            *answer = String::new();
        }
        result
    })
}

/// The most room [`with_exchange_into`] keeps between calls.
const SCRATCH_KEEP: usize = 4096;

/// Splits `packed` into exactly `N` fields.
pub(crate) fn fields<'a, const N: usize>(packed: &'a str, what: &str) -> Result<[&'a str; N], JsValue> {
    let mut out = [""; N];
    let mut parts = Fields::new(packed);
    for slot in out.iter_mut() {
        *slot = parts.next().ok_or_else(|| malformed(what))?;
    }
    if parts.next().is_some() {
        return Err(malformed(what));
    }
    Ok(out)
}

/// The fields of a packed string, as `split(SEP)` yields them, found with a byte loop rather than
/// the generic pattern machinery (which showed up in profiles of the hot calls).
pub(crate) struct Fields<'a> {
    rest: Option<&'a str>,
}

impl<'a> Fields<'a> {
    pub(crate) fn new(packed: &'a str) -> Fields<'a> {
        Fields { rest: Some(packed) }
    }

    /// Everything not yet taken, separators included (`None` once the last field was taken).
    pub(crate) fn rest(&self) -> Option<&'a str> {
        self.rest
    }
}

impl<'a> Iterator for Fields<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = self.rest?;
        // Fields are short: a plain byte loop beats `find`'s pattern machinery and `memchr` set-up.
        match rest.as_bytes().iter().position(|&b| b == b'\0') {
            // SEP is one byte, so both cuts are on char boundaries.
            Some(i) => {
                self.rest = rest.get(i + 1..);
                rest.get(..i)
            }
            None => {
                self.rest = None;
                Some(rest)
            }
        }
    }
}

fn malformed(what: &str) -> JsValue {
    invalid_argument(&format!(
        "{what}: a string argument contains a NUL character (U+0000)"
    ))
}

/// Appends an optional field: `""` for none, `"=" + value` for some (so `Some("")` survives).
pub(crate) fn push_optional(out: &mut String, field: Option<&str>) {
    out.push(SEP);
    if let Some(v) = field {
        out.push('=');
        out.push_str(v);
    }
}

/// The answer of a "spans" export, for an ASCII call: instead of text, where each field is in
/// the call (byte offsets, which are UTF-16 offsets for ASCII), so that `api.js` takes it with
/// `slice` from the string it already has. Laid out as `u32` words (wasm is little-endian), at
/// the first 4-aligned address of the exchange buffer: [`SPAN_WORDS`] words, then the text of
/// the fields that are not in the call as written (decoded, lowercased, escaped, defaulted).
///
/// A field is two words: `start, end` in the call; or `TEXT | start, end` in the text after the
/// words; or `NONE, NONE`.
pub(crate) struct Spans {
    words: [u32; SPAN_WORDS],
    next: usize,
    text: String,
    /// Where the call is in wasm memory, and its length.
    call_at: usize,
    call_len: usize,
}

/// Words of a spans answer: kind, scheme, port number, then 7 fields of 2 words.
pub(crate) const SPAN_WORDS: usize = 3 + 2 * 7;
const SPAN_TEXT: u32 = 1 << 31;
const SPAN_NONE: u32 = u32::MAX;

impl Spans {
    /// Spans into `call`, which must be the exchange buffer's content.
    pub(crate) fn new(call: &str) -> Spans {
        Spans {
            words: [0; SPAN_WORDS],
            next: 3,
            text: String::new(),
            call_at: call.as_ptr() as usize,
            call_len: call.len(),
        }
    }

    /// Sets one of the three leading numbers (kind, scheme, port number).
    pub(crate) fn set(&mut self, i: usize, value: u32) {
        if let Some(slot) = self.words.get_mut(i) {
            *slot = value;
        }
    }

    /// Adds the next field.
    pub(crate) fn push(&mut self, field: Option<&str>) {
        let (a, b) = match field {
            None => (SPAN_NONE, SPAN_NONE),
            Some(s) => match self.in_call(s) {
                Some(span) => span,
                None => {
                    let start = self.text.len();
                    self.text.push_str(s);
                    (
                        SPAN_TEXT | u32::try_from(start).unwrap_or(0),
                        u32::try_from(self.text.len()).unwrap_or(0),
                    )
                }
            },
        };
        if let Some([x, y]) = self
            .words
            .get_mut(self.next..self.next + 2)
            .and_then(|w| <&mut [u32; 2]>::try_from(w).ok())
        {
            *x = a;
            *y = b;
        }
        self.next += 2;
    }

    /// `s`'s offsets in the call, when it is a piece of it.
    fn in_call(&self, s: &str) -> Option<(u32, u32)> {
        let start = (s.as_ptr() as usize).checked_sub(self.call_at)?;
        let end = start.checked_add(s.len())?;
        if end > self.call_len {
            return None;
        }
        let (start, end) = (u32::try_from(start).ok()?, u32::try_from(end).ok()?);
        (end < SPAN_TEXT).then_some((start, end))
    }
}

/// Runs `call` on the packed input as [`with_exchange`] does, and writes its [`Spans`] at the
/// first 4-aligned address of the buffer; returns how many bytes of the buffer the answer takes
/// from its start (alignment padding included); or [`FAILED`].
pub(crate) fn with_exchange_spans(
    len: usize,
    what: &str,
    call: impl FnOnce(&str, &mut Spans) -> Result<(), JsValue>,
) -> usize {
    or_failed(EXCHANGE.with_borrow_mut(|buffer| {
        let input = buffer
            .get(..len)
            .and_then(|bytes| std::str::from_utf8(bytes).ok())
            .ok_or_else(|| invalid_argument(&format!("{what}: malformed call")))?;
        let mut spans = Spans::new(input);
        call(input, &mut spans)?;
        let Spans { words, text, .. } = spans;
        let need = 3 + SPAN_WORDS * 4 + text.len();
        if buffer.len() < need {
            buffer.resize(need, 0);
        }
        let pad = buffer.as_ptr().align_offset(4).min(3);
        let mut at = pad;
        for word in words {
            if let Some(slot) = buffer.get_mut(at..at + 4) {
                slot.copy_from_slice(&word.to_le_bytes());
            }
            at += 4;
        }
        if let Some(slot) = buffer.get_mut(at..at + text.len()) {
            slot.copy_from_slice(text.as_bytes());
        }
        Ok(at + text.len())
    }))
}
