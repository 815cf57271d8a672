//! The packed boundary for hot functions: one string in, one string out.
//!
//! Measured (tests/bench, Node 20): reading a target object's five fields from wasm costs 4–10×
//! one `new URL()`, while one `\0`-joined string costs well under the 3× budget. So `api.js`
//! joins a call's fields with `\0` and splits the answer on `\0`; this module does the Rust
//! side. A field that itself contains `\0` changes the field count, which [`fields`] refuses — a
//! stray NUL can never shift one field into another.

use wasm_bindgen::JsValue;

use crate::error::invalid_argument;

/// The separator between packed fields.
pub(crate) const SEP: char = '\0';

/// Splits `packed` into exactly `N` fields.
pub(crate) fn fields<'a, const N: usize>(packed: &'a str, what: &str) -> Result<[&'a str; N], JsValue> {
    let mut out = [""; N];
    let mut parts = packed.split(SEP);
    for slot in out.iter_mut() {
        *slot = parts.next().ok_or_else(|| malformed(what))?;
    }
    if parts.next().is_some() {
        return Err(malformed(what));
    }
    Ok(out)
}

fn malformed(what: &str) -> JsValue {
    invalid_argument(&format!(
        "{what}: a string argument contains a NUL character (U+0000)"
    ))
}

/// Appends one field (and its separator unless it is the first).
pub(crate) fn push_field(out: &mut String, field: &str) {
    if !out.is_empty() {
        out.push(SEP);
    }
    out.push_str(field);
}

/// Appends an optional field: `""` for none, `"=" + value` for some (so `Some("")` survives).
pub(crate) fn push_optional(out: &mut String, field: Option<&str>) {
    out.push(SEP);
    if let Some(v) = field {
        out.push('=');
        out.push_str(v);
    }
}
