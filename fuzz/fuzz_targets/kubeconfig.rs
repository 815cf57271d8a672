//! `Kubeconfig::parse` on any string, then every way the result is used: no panic; every context
//! resolves or fails with an error; minify keeps exactly one context.
#![no_main]

use kubeopen::kubeconfig::{Kubeconfig, resolve_context};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let Ok(config) = Kubeconfig::parse(text) else {
        return;
    };
    let _ = serde_json::to_string(&config);
    let _ = resolve_context(&config, None);
    for name in config.context_names() {
        if let Ok(resolved) = resolve_context(&config, Some(name)) {
            if let Some(credentials) = &resolved.credentials {
                // Resolution checks the header value, so building it again must succeed.
                assert!(credentials.authorization_header().is_ok());
            }
            assert!(!resolved.server.ends_with('/'));
        }
        // An empty name means "the current context" (as kubectl's `--context ""`).
        if let Ok(small) = config.minify(Some(name))
            && !name.is_empty()
        {
            assert_eq!(small.context_names(), [name]);
        }
    }
});
