//! `resolve_address` on any string: no panic, and a resolved address builds a proxy URL that
//! parses back to the same target.
#![no_main]

use kubeopen::{AddressOptions, parse_proxy_url, resolve_address};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &str| {
    if let Ok(address) = resolve_address(input, &AddressOptions::default()) {
        let url = address.proxy_url("https://10.0.0.1:6443").expect("valid server");
        let parsed = parse_proxy_url(&url).expect("a built URL parses");
        assert_eq!(parsed.target, address.target);
    }
});
