//! Token inspection and the credential helpers on any string: no panic, and what is accepted is
//! safe to put in a header.
#![no_main]

use kubeopen::auth::{Credentials, decode_secret_token};
use kubeopen::token::inspect_token;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &str| {
    let _ = inspect_token(input, 1_700_000_000);
    if let Ok(Credentials::Bearer { token }) = Credentials::bearer(input) {
        let header = Credentials::Bearer { token }.authorization_header();
        let header = header.expect("a token accepted by bearer() makes a header");
        assert!(header.bytes().all(|b| b.is_ascii_graphic() || b == b' '));
    }
    if let Ok(token) = decode_secret_token(input) {
        assert!(!token.is_empty() && token.bytes().all(|b| b.is_ascii_graphic()));
        let _ = inspect_token(&token, 0);
    }
    if let Some((username, password)) = input.split_once('\u{1}') {
        let basic = Credentials::Basic { username: username.into(), password: password.into() };
        if let Ok(header) = basic.authorization_header() {
            assert!(header.starts_with("Basic ") && !header.contains(['\r', '\n']));
        }
    }
});
