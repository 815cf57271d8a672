//! Errors as JavaScript sees them: instances of the package's `KubeopenError` class (it extends
//! `Error`), with a stable `code` string and, where useful, a `detail` object (the offending
//! input, the rule broken).
//!
//! The class is defined in the package's JavaScript (`npm/src/errors.js`, one module for every entry,
//! so `instanceof` works whichever entry threw) and handed to each wasm module once at start-up
//! through `__registerErrorClass`. Its types, with the list of codes, are `npm/errors.d.ts`; a
//! test below keeps that list and [`KubeopenErrorCode`] the same. Until then — or
//! if a caller uses the raw glue — errors are plain `Error`s with the same `name`, `code` and
//! `detail`.

use std::cell::RefCell;

use js_sys::{Array, Function, Object, Reflect};
use kubeopen::auth::{CredentialPart, CredentialsError};
use wasm_bindgen::prelude::*;

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
    /// Browser rules that cannot be built (bad server, rule id out of range; credentials that
    /// cannot be sent are `InvalidCredentials`).
    InvalidRules,
    /// A JavaScript argument of the wrong type or shape.
    InvalidArgument,
    /// A kubeconfig that cannot be parsed, minified or resolved (`detail.line`/`column` for parse errors).
    InvalidKubeconfig,
    /// A token or basic-auth value that cannot be sent as a header.
    InvalidCredentials,
    /// A token (or a Secret's token data) that cannot be read.
    InvalidToken,
    /// The in-cluster environment is not there.
    NotInCluster,
    /// HTTP 401.
    Unauthorized,
    /// HTTP 403.
    Forbidden,
    /// HTTP 404.
    NotFound,
    /// HTTP 503, or the proxy's "no endpoints available".
    ServiceUnavailable,
    /// Any other non-2xx status (`detail.status`).
    HttpError,
    /// A 2xx answer whose body is not the expected JSON.
    InvalidResponse,
    /// Credentials that cannot authenticate what was asked (basic auth on a WebSocket).
    UnsupportedCredentials,
}

/// Every code, for the test that compares them with `npm/errors.d.ts`; the codes only JavaScript
/// throws (`Network`, `Timeout`, `Aborted`: fetch failures; `NotInitialized`: a `kubeopen/manual`
/// call before `init()`) are listed there too.
#[cfg(test)]
const ALL: [KubeopenErrorCode; 18] = [
    KubeopenErrorCode::InvalidSegment,
    KubeopenErrorCode::InvalidTarget,
    KubeopenErrorCode::InvalidServer,
    KubeopenErrorCode::InvalidAddress,
    KubeopenErrorCode::InvalidContext,
    KubeopenErrorCode::InvalidRules,
    KubeopenErrorCode::InvalidArgument,
    KubeopenErrorCode::InvalidKubeconfig,
    KubeopenErrorCode::InvalidCredentials,
    KubeopenErrorCode::InvalidToken,
    KubeopenErrorCode::NotInCluster,
    KubeopenErrorCode::Unauthorized,
    KubeopenErrorCode::Forbidden,
    KubeopenErrorCode::NotFound,
    KubeopenErrorCode::ServiceUnavailable,
    KubeopenErrorCode::HttpError,
    KubeopenErrorCode::InvalidResponse,
    KubeopenErrorCode::UnsupportedCredentials,
];

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
            KubeopenErrorCode::InvalidKubeconfig => "InvalidKubeconfig",
            KubeopenErrorCode::InvalidCredentials => "InvalidCredentials",
            KubeopenErrorCode::InvalidToken => "InvalidToken",
            KubeopenErrorCode::NotInCluster => "NotInCluster",
            KubeopenErrorCode::Unauthorized => "Unauthorized",
            KubeopenErrorCode::Forbidden => "Forbidden",
            KubeopenErrorCode::NotFound => "NotFound",
            KubeopenErrorCode::ServiceUnavailable => "ServiceUnavailable",
            KubeopenErrorCode::HttpError => "HttpError",
            KubeopenErrorCode::InvalidResponse => "InvalidResponse",
            KubeopenErrorCode::UnsupportedCredentials => "UnsupportedCredentials",
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

/// `InvalidCredentials`, with `detail: {part: "token" | "username" | "password", at?}` (where in
/// the value; the value itself is a secret and never repeated). Both kinds at once has no part.
pub(crate) fn credentials_error(e: &CredentialsError) -> JsValue {
    let (part, at) = match *e {
        CredentialsError::TokenAndBasic => (None, None),
        CredentialsError::Empty { part } => (Some(part), None),
        CredentialsError::ControlCharacter { part, at, .. }
        | CredentialsError::NonAscii { part, at, .. }
        | CredentialsError::Whitespace { part, at }
        | CredentialsError::ColonInUsername { part, at } => (Some(part), Some(at)),
    };
    let mut detail = Vec::new();
    if let Some(part) = part {
        let part = match part {
            CredentialPart::Token => "token",
            CredentialPart::Username => "username",
            CredentialPart::Password => "password",
        };
        detail.push(("part", JsValue::from(part)));
    }
    if let Some(at) = at {
        detail.push(("at", (at as u32).into()));
    }
    kubeopen_error(KubeopenErrorCode::InvalidCredentials, &e.to_string(), &detail)
}

/// A wrong-typed argument.
pub(crate) fn invalid_argument(message: &str) -> JsValue {
    kubeopen_error(KubeopenErrorCode::InvalidArgument, message, &[])
}

#[cfg(test)]
mod tests {
    use super::{ALL, KubeopenErrorCode};

    /// The codes `npm/errors.d.ts` declares: every Rust code, plus the fetch failures and the call
    /// before `init()` that only the JavaScript throws — and nothing else.
    #[test]
    fn the_typescript_union_lists_every_code() {
        let dts = include_str!("../npm/errors.d.ts");
        let union = dts
            .split("export type KubeopenErrorCode =")
            .nth(1)
            .and_then(|rest| rest.split(';').next())
            .unwrap_or_default();
        let mut declared: Vec<&str> = union
            .split('|')
            .map(|s| s.trim().trim_matches('"'))
            .filter(|s| !s.is_empty())
            .collect();
        let mut expected: Vec<&str> = ALL.iter().map(|c| c.as_str()).collect();
        expected.extend(["Network", "Timeout", "Aborted", "NotInitialized"]);
        declared.sort_unstable();
        expected.sort_unstable();
        assert_eq!(declared, expected);
        // The exhaustive list above must really be exhaustive.
        for code in ALL {
            match code {
                KubeopenErrorCode::InvalidSegment
                | KubeopenErrorCode::InvalidTarget
                | KubeopenErrorCode::InvalidServer
                | KubeopenErrorCode::InvalidAddress
                | KubeopenErrorCode::InvalidContext
                | KubeopenErrorCode::InvalidRules
                | KubeopenErrorCode::InvalidArgument
                | KubeopenErrorCode::InvalidKubeconfig
                | KubeopenErrorCode::InvalidCredentials
                | KubeopenErrorCode::InvalidToken
                | KubeopenErrorCode::NotInCluster
                | KubeopenErrorCode::Unauthorized
                | KubeopenErrorCode::Forbidden
                | KubeopenErrorCode::NotFound
                | KubeopenErrorCode::ServiceUnavailable
                | KubeopenErrorCode::HttpError
                | KubeopenErrorCode::InvalidResponse
                | KubeopenErrorCode::UnsupportedCredentials => {}
            }
        }
    }
}
