//! The `Cluster` client's answers (`discovery::requests::read_answer`, the hand-written JSON
//! readers of `json_read.rs`, `status_error`) on any body and status: no panic; a 2xx answer
//! either decodes and serialises (what the npm package returns) or is an `InvalidResponse`; any
//! other status is a `StatusError` whose code is never 0.
#![no_main]

use kubeopen::discovery::requests::{ApiCall, ApiError, read_answer};
use kubeopen::discovery::status_error;
use libfuzzer_sys::fuzz_target;

const CALLS: [ApiCall<'static>; 8] = [
    ApiCall::Version,
    ApiCall::ApiVersions,
    ApiCall::Namespaces,
    ApiCall::Services { namespace: None },
    ApiCall::Pods { namespace: "demo" },
    ApiCall::Nodes,
    ApiCall::ClusterInfo { namespace: None },
    ApiCall::OpenableEndpoints { namespace: Some("demo") },
];

/// 2xx, redirects, the errors the client maps, and odd ones.
const STATUSES: [u16; 16] = [200, 201, 204, 299, 301, 400, 401, 403, 404, 409, 500, 502, 503, 504, 418, 999];

fuzz_target!(|input: &[u8]| {
    // First byte: the call; second: the status; the rest: the body.
    let (Some(&call), Some(&status)) = (input.first(), input.get(1)) else {
        return;
    };
    let Ok(body) = std::str::from_utf8(input.get(2..).unwrap_or_default()) else {
        return;
    };
    let call = &CALLS[usize::from(call) % CALLS.len()];
    let status = STATUSES[usize::from(status) % STATUSES.len()];
    match read_answer(call, "https://10.0.0.1:6443/k8s", status, body) {
        Ok(answer) => {
            assert!((200..300).contains(&status));
            serde_json::to_string(&answer).expect("an answer serialises");
        }
        Err(ApiError::InvalidResponse { .. }) => assert!((200..300).contains(&status)),
        Err(ApiError::Status(e)) => {
            assert!(!(200..300).contains(&status));
            assert_ne!(e.code, 0);
            let _ = e.kind();
        }
    }
    let _ = status_error(status, body);
});
