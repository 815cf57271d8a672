//! Errors as JavaScript sees them: an `Error` whose `name` is `"KubeopenError"`, with a stable
//! `code` string and, where useful, a `detail` object (the offending input, the rule broken).

use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_ERROR: &str = r#"
/** Every `code` a kubeopen function can throw. */
export type KubeopenErrorCode = "InvalidSegment" | "InvalidArgument";

/**
 * What kubeopen throws: a plain `Error` with `name === "KubeopenError"`, a stable `code`,
 * and sometimes a `detail` saying what was wrong and where.
 */
export interface KubeopenError extends Error {
  name: "KubeopenError";
  code: KubeopenErrorCode;
  detail?: Record<string, unknown>;
}
"#;

/// The stable error codes JavaScript callers switch on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KubeopenErrorCode {
    /// A `[scheme:]name[:port]` segment that Kubernetes would refuse.
    InvalidSegment,
    /// A JavaScript argument of the wrong type or shape.
    InvalidArgument,
}

impl KubeopenErrorCode {
    fn as_str(self) -> &'static str {
        match self {
            KubeopenErrorCode::InvalidSegment => "InvalidSegment",
            KubeopenErrorCode::InvalidArgument => "InvalidArgument",
        }
    }
}

/// Builds the thrown value. `detail` pairs become properties of `error.detail`.
pub(crate) fn kubeopen_error(code: KubeopenErrorCode, message: &str, detail: &[(&str, JsValue)]) -> JsValue {
    let err = js_sys::Error::new(message);
    err.set_name("KubeopenError");
    // Reflect::set only fails on frozen or proxied targets; a fresh Error is neither.
    let _ = Reflect::set(&err, &"code".into(), &code.as_str().into());
    if !detail.is_empty() {
        let obj = Object::new();
        for (k, v) in detail {
            let _ = Reflect::set(&obj, &(*k).into(), v);
        }
        let _ = Reflect::set(&err, &"detail".into(), &obj);
    }
    err.into()
}

/// A wrong-typed argument.
pub(crate) fn invalid_argument(message: &str) -> JsValue {
    kubeopen_error(KubeopenErrorCode::InvalidArgument, message, &[])
}
