//! The facade in a real browser (headless Chromium via chromedriver): values cross the boundary
//! with the right shapes, and errors arrive as `Error`s with a `code`. Each module's tests run
//! with its cargo feature (`url`, `cluster`); scripts/test.sh runs them with `--all-features`.
#![cfg(target_arch = "wasm32")]
// `#[wasm_bindgen_test]` functions are tests, but clippy only exempts `#[test]` from unwrap_used.
#![allow(clippy::unwrap_used)]

use js_sys::Reflect;
#[cfg(feature = "url")]
use kubeopen_wasm::segment_api::{format_segment, parse_segment};
#[cfg(feature = "url")]
use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn get(v: &JsValue, k: &str) -> JsValue {
    Reflect::get(v, &k.into()).unwrap()
}

#[cfg(feature = "url")]
#[wasm_bindgen_test]
fn parse_segment_returns_plain_object() {
    let v = parse_segment("https:grafana:3000").unwrap();
    assert_eq!(get(&v, "scheme"), "https");
    assert_eq!(get(&v, "name"), "grafana");
    assert_eq!(get(&v, "port"), "3000");
}

#[cfg(feature = "url")]
#[wasm_bindgen_test]
fn parse_segment_error_is_error_with_code() {
    let e = parse_segment("ftp:web:21").unwrap_err();
    assert!(e.is_instance_of::<js_sys::Error>());
    assert_eq!(get(&e, "code"), "InvalidSegment");
    assert_eq!(get(&e, "name"), "KubeopenError");
    assert_eq!(get(&get(&e, "detail"), "rule"), "unknown-scheme");
}

#[cfg(feature = "url")]
#[wasm_bindgen_test]
fn format_segment_accepts_numeric_port() {
    let input = js_sys::Object::new();
    Reflect::set(&input, &"scheme".into(), &"https".into()).unwrap();
    Reflect::set(&input, &"name".into(), &"web".into()).unwrap();
    Reflect::set(&input, &"port".into(), &8443.into()).unwrap();
    assert_eq!(format_segment(input.into()).unwrap(), "https:web:8443");
}

#[cfg(feature = "url")]
#[wasm_bindgen_test]
fn format_segment_refuses_colon() {
    let input = js_sys::Object::new();
    Reflect::set(&input, &"name".into(), &"a:b".into()).unwrap();
    let e = format_segment(input.into()).unwrap_err();
    assert_eq!(get(&e, "code"), "InvalidSegment");
}

#[cfg(feature = "cluster")]
mod cluster {
    use super::get;
    use js_sys::Reflect;
    use kubeopen_wasm::cluster_api::{api_answer, api_url, authorization_header, parse_kubeconfig};
    use wasm_bindgen::JsCast;
    use wasm_bindgen_test::*;

    #[wasm_bindgen_test]
    fn kubeconfig_crosses_as_json_and_errors_say_where() {
        let json = parse_kubeconfig("current-context: a\ncontexts: [{name: a}]\n").unwrap();
        let value = js_sys::JSON::parse(&json).unwrap();
        assert_eq!(get(&value, "currentContext"), "a");
        let e = parse_kubeconfig("a: [\n").unwrap_err();
        assert!(e.is_instance_of::<js_sys::Error>());
        assert_eq!(get(&e, "code"), "InvalidKubeconfig");
        let detail = get(&e, "detail");
        assert_eq!(Reflect::get(&detail, &"line".into()).unwrap(), 2);
    }

    #[wasm_bindgen_test]
    fn credentials_and_api_answers() {
        assert_eq!(
            authorization_header(Some("tok".into()), None, None).unwrap(),
            "Bearer tok"
        );
        let e = authorization_header(Some("a\nb".into()), None, None).unwrap_err();
        assert_eq!(get(&e, "code"), "InvalidCredentials");
        assert_eq!(
            api_url("listPods", Some("demo".into()), "https://k/").unwrap(),
            "https://k/api/v1/namespaces/demo/pods"
        );
        let e = api_answer(
            "listNodes",
            None,
            "https://k",
            403,
            r#"{"kind":"Status","message":"nope","reason":"Forbidden","code":403}"#,
        )
        .unwrap_err();
        assert_eq!(get(&e, "code"), "Forbidden");
        assert_eq!(get(&e, "message"), "nope");
        assert_eq!(get(&get(&e, "detail"), "status"), 403);
    }
}
