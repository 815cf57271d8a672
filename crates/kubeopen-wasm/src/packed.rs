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

/// The separator between packed fields.
pub(crate) const SEP: char = '\0';

/// Runs `call` on the packed input (the first `len` bytes of the exchange buffer), writes its
/// answer over the buffer (growing it if need be) and returns the answer's length.
pub(crate) fn with_exchange(
    len: usize,
    what: &str,
    call: impl FnOnce(&str) -> Result<String, JsValue>,
) -> Result<usize, JsValue> {
    EXCHANGE.with_borrow_mut(|buffer| {
        // `encodeInto` writes UTF-8; anything else is a caller that skipped `api.js`.
        let input = buffer
            .get(..len)
            .and_then(|bytes| std::str::from_utf8(bytes).ok())
            .ok_or_else(|| invalid_argument(&format!("{what}: malformed call")))?;
        let answer = call(input)?;
        if buffer.len() < answer.len() {
            buffer.resize(answer.len(), 0);
        }
        if let Some(slot) = buffer.get_mut(..answer.len()) {
            slot.copy_from_slice(answer.as_bytes());
        }
        Ok(answer.len())
    })
}

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

/// The fields of a packed string, as `split(SEP)` yields them, found with `memchr` rather than
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
        match rest.find(SEP) {
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
