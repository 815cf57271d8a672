//! Errors as JavaScript sees them: instances of the package's `KubeopenError` class (it extends
//! `Error`), with a stable `code` string and, where useful, a `detail` object (the offending
//! input, the rule broken).
//!
//! The class is defined in the package's JavaScript (`npm/api.js`, so `instanceof` works for
//! users) and handed to the wasm once at start-up through `__registerErrorClass`. Until then — or
//! if a caller uses the raw glue — errors are plain `Error`s with the same `name`, `code` and
//! `detail`.

use std::cell::RefCell;

use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_ERROR: &str = r#"
/** Every `code` a kubeopen function can throw. */
export type KubeopenErrorCode = "InvalidSegment" | "InvalidTarget" | "InvalidServer" | "InvalidAddress" | "InvalidContext" | "InvalidRules" | "InvalidArgument";

/** What kubeopen throws: `code` is stable; `detail` says what was wrong and where, when useful. */
export class KubeopenError extends Error {
  constructor(code: KubeopenErrorCode, message: string, detail?: Record<string, unknown>);
  readonly name: "KubeopenError";
  readonly code: KubeopenErrorCode;
  readonly detail?: Record<string, unknown>;
}
"#;

/// The stable error codes JavaScript callers switch on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KubeopenErrorCode {
    /// A `[scheme:]name[:port]` segment that Kubernetes would refuse.
    InvalidSegment,
    /// A target whose kind, namespace, name or port Kubernetes would refuse.
    InvalidTarget,
    /// A server base URL kubeopen cannot build on.
    InvalidServer,
    /// Typed input that is none of the address forms.
    InvalidAddress,
    /// A rewrite context (server, target, page URL, cluster domain) that is not usable.
    InvalidContext,
    /// Browser rules that cannot be built (bad server, unsafe token, rule id out of range).
    InvalidRules,
    /// A JavaScript argument of the wrong type or shape.
    InvalidArgument,
}

impl KubeopenErrorCode {
    fn as_str(self) -> &'static str {
        match self {
            KubeopenErrorCode::InvalidSegment => "InvalidSegment",
            KubeopenErrorCode::InvalidTarget => "InvalidTarget",
            KubeopenErrorCode::InvalidServer => "InvalidServer",
            KubeopenErrorCode::InvalidAddress => "InvalidAddress",
            KubeopenErrorCode::InvalidContext => "InvalidContext",
            KubeopenErrorCode::InvalidRules => "InvalidRules",
            KubeopenErrorCode::InvalidArgument => "InvalidArgument",
        }
    }
}

thread_local! {
    static ERROR_CLASS: RefCell<Option<Function>> = const { RefCell::new(None) };
}

/// Called once by the package's JavaScript after instantiation: the class to throw.
#[wasm_bindgen(js_name = "__registerErrorClass", skip_typescript)]
pub fn register_error_class(class: Function) {
    ERROR_CLASS.with(|c| *c.borrow_mut() = Some(class));
}

/// Builds the thrown value. `detail` pairs become properties of `error.detail`.
pub(crate) fn kubeopen_error(code: KubeopenErrorCode, message: &str, detail: &[(&str, JsValue)]) -> JsValue {
    let detail_obj = if detail.is_empty() {
        JsValue::UNDEFINED
    } else {
        let obj = Object::new();
        for (k, v) in detail {
            // Reflect::set only fails on frozen or proxied targets; a fresh object is neither.
            let _ = Reflect::set(&obj, &(*k).into(), v);
        }
        obj.into()
    };
    let class = ERROR_CLASS.with(|c| c.borrow().clone());
    if let Some(class) = class {
        let args = Array::of3(&code.as_str().into(), &message.into(), &detail_obj);
        if let Ok(err) = Reflect::construct(&class, &args) {
            return err;
        }
    }
    let err = js_sys::Error::new(message);
    err.set_name("KubeopenError");
    let _ = Reflect::set(&err, &"code".into(), &code.as_str().into());
    if !detail_obj.is_undefined() {
        let _ = Reflect::set(&err, &"detail".into(), &detail_obj);
    }
    err.into()
}

/// A wrong-typed argument.
pub(crate) fn invalid_argument(message: &str) -> JsValue {
    kubeopen_error(KubeopenErrorCode::InvalidArgument, message, &[])
}
