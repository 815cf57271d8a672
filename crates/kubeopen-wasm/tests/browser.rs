//! The facade in a real browser (headless Chromium via chromedriver): values cross the boundary
//! with the right shapes, and errors arrive as `Error`s with a `code`.
#![cfg(target_arch = "wasm32")]
// `#[wasm_bindgen_test]` functions are tests, but clippy only exempts `#[test]` from unwrap_used.
#![allow(clippy::unwrap_used)]

use js_sys::Reflect;
use kubeopen_wasm::segment_api::{format_segment, parse_segment};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn get(v: &JsValue, k: &str) -> JsValue {
    Reflect::get(v, &k.into()).unwrap()
}

#[wasm_bindgen_test]
fn parse_segment_returns_plain_object() {
    let v = parse_segment("https:grafana:3000").unwrap();
    assert_eq!(get(&v, "scheme"), "https");
    assert_eq!(get(&v, "name"), "grafana");
    assert_eq!(get(&v, "port"), "3000");
}

#[wasm_bindgen_test]
fn parse_segment_error_is_error_with_code() {
    let e = parse_segment("ftp:web:21").unwrap_err();
    assert!(e.is_instance_of::<js_sys::Error>());
    assert_eq!(get(&e, "code"), "InvalidSegment");
    assert_eq!(get(&e, "name"), "KubeopenError");
    assert_eq!(get(&get(&e, "detail"), "rule"), "unknown-scheme");
}

#[wasm_bindgen_test]
fn format_segment_accepts_numeric_port() {
    let input = js_sys::Object::new();
    Reflect::set(&input, &"scheme".into(), &"https".into()).unwrap();
    Reflect::set(&input, &"name".into(), &"web".into()).unwrap();
    Reflect::set(&input, &"port".into(), &8443.into()).unwrap();
    assert_eq!(format_segment(input.into()).unwrap(), "https:web:8443");
}

#[wasm_bindgen_test]
fn format_segment_refuses_colon() {
    let input = js_sys::Object::new();
    Reflect::set(&input, &"name".into(), &"a:b".into()).unwrap();
    let e = format_segment(input.into()).unwrap_err();
    assert_eq!(get(&e, "code"), "InvalidSegment");
}
