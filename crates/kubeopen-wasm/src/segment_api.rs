//! `parseSegment` / `formatSegment`: the `[scheme:]name[:port]` segment (core `segment`).

use kubeopen::segment::{Scheme, Segment, SegmentError, SegmentErrorKind};
use wasm_bindgen::prelude::*;

use crate::error::{KubeopenErrorCode, kubeopen_error};
use crate::js;

#[wasm_bindgen(typescript_custom_section)]
const TS_SEGMENT: &str = r#"
/** A parsed `[scheme:]name[:port]` segment. `scheme` is `""` when none was given (the API server then uses http). */
export interface Segment {
  scheme: "" | "http" | "https";
  name: string;
  /** Opaque, as in Kubernetes: `""`, a port name, or digits (`"080"` stays `"080"`). */
  port: string;
}

/** What `formatSegment` accepts. */
export interface SegmentInput {
  scheme?: "" | "http" | "https";
  name: string;
  port?: string | number;
}
"#;

fn segment_error(e: &SegmentError) -> JsValue {
    let rule = match &e.kind {
        SegmentErrorKind::Empty => "empty",
        SegmentErrorKind::TooManyParts { .. } => "too-many-parts",
        SegmentErrorKind::EmptyName { .. } => "empty-name",
        SegmentErrorKind::UnknownScheme { .. } => "unknown-scheme",
        SegmentErrorKind::ColonInField { .. } => "colon-in-field",
    };
    let mut detail = vec![("input", JsValue::from(e.input.as_str())), ("rule", rule.into())];
    match &e.kind {
        SegmentErrorKind::TooManyParts { at, .. }
        | SegmentErrorKind::EmptyName { at }
        | SegmentErrorKind::ColonInField { at, .. } => detail.push(("at", (*at as u32).into())),
        SegmentErrorKind::UnknownScheme { .. } => detail.push(("at", 0.into())),
        SegmentErrorKind::Empty => {}
    }
    kubeopen_error(KubeopenErrorCode::InvalidSegment, &e.to_string(), &detail)
}

/// Splits `[scheme:]name[:port]` exactly like Kubernetes' `SplitSchemeNamePort`.
#[wasm_bindgen(js_name = parseSegment, unchecked_return_type = "Segment")]
pub fn parse_segment(id: &str) -> Result<JsValue, JsValue> {
    let seg = Segment::parse(id).map_err(|e| segment_error(&e))?;
    Ok(js::object(&[
        ("scheme", seg.scheme.map_or("", Scheme::as_str).into()),
        ("name", seg.name.as_str().into()),
        ("port", seg.port.as_str().into()),
    ]))
}

/// Joins a segment exactly like Kubernetes' `JoinSchemeNamePort`, refusing parts that would not
/// split back (empty name, `:` inside a field, unknown scheme).
#[wasm_bindgen(js_name = formatSegment)]
pub fn format_segment(
    #[wasm_bindgen(unchecked_param_type = "SegmentInput")] segment: JsValue,
) -> Result<String, JsValue> {
    const WHAT: &str = "formatSegment(segment)";
    js::expect_object(&segment, WHAT)?;
    let scheme_str = js::opt_string(&segment, WHAT, "scheme", false)?.unwrap_or_default();
    let name = js::opt_string(&segment, WHAT, "name", false)?.unwrap_or_default();
    let port = js::opt_string(&segment, WHAT, "port", true)?.unwrap_or_default();
    let scheme = Scheme::from_segment_str(&scheme_str).map_err(|()| {
        segment_error(&SegmentError {
            input: format!("{scheme_str}:{name}:{port}"),
            kind: SegmentErrorKind::UnknownScheme {
                scheme: scheme_str.clone(),
            },
        })
    })?;
    Segment::new(scheme, &name, &port)
        .map(|s| s.to_string())
        .map_err(|e| segment_error(&e))
}
