//! Small readers for JavaScript option objects, with errors that name the field.

use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;

use crate::error::invalid_argument;

/// Reads `obj[key]` as an optional string (`undefined`/`null` → `None`); numbers are accepted
/// where `allow_number` (ports), written in decimal.
pub(crate) fn opt_string(
    obj: &JsValue,
    what: &str,
    key: &str,
    allow_number: bool,
) -> Result<Option<String>, JsValue> {
    let v = Reflect::get(obj, &key.into())
        .map_err(|_| invalid_argument(&format!("{what}: cannot read .{key}")))?;
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    if let Some(s) = v.as_string() {
        return Ok(Some(s));
    }
    if allow_number {
        if let Some(n) = v.as_f64() {
            if n.fract() == 0.0 && (0.0..=u32::MAX as f64).contains(&n) {
                return Ok(Some(format!("{}", n as u32)));
            }
            return Err(invalid_argument(&format!(
                "{what}: .{key} must be a whole number, got {n}"
            )));
        }
        return Err(invalid_argument(&format!(
            "{what}: .{key} must be a string or a number"
        )));
    }
    Err(invalid_argument(&format!("{what}: .{key} must be a string")))
}

/// `obj` must be a non-null object.
pub(crate) fn expect_object(obj: &JsValue, what: &str) -> Result<(), JsValue> {
    if obj.is_object() && !obj.is_null() {
        Ok(())
    } else {
        Err(invalid_argument(&format!("{what} must be an object")))
    }
}

/// A plain object from key/value pairs.
pub(crate) fn object(pairs: &[(&str, JsValue)]) -> JsValue {
    let obj = Object::new();
    for (k, v) in pairs {
        let _ = Reflect::set(&obj, &(*k).into(), v);
    }
    obj.into()
}
