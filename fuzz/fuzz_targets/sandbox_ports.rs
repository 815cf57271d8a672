//! kubeopen-sandbox's port-forward input handling on any bytes: the `ports` query (kube-apiserver's
//! conversion, the kubelet's checks), subprotocol negotiation, the token subprotocol and the
//! channel framing. Invariants: nothing panics; accepted ports are non-empty and never 0, and
//! their canonical re-encoding parses to the same list; a refused query is refused for the same
//! reason after `&`-splitting noise is added; framing round-trips on every channel.
#![no_main]

use kubeopen_sandbox::portforward::{self, Codec, PortsError};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match portforward::parse_ports(&text) {
        Ok(ports) => {
            assert!(!ports.is_empty());
            assert!(ports.iter().all(|&p| p > 0));
            let canonical = format!(
                "ports={}",
                ports.iter().map(u16::to_string).collect::<Vec<_>>().join(",")
            );
            assert_eq!(portforward::parse_ports(&canonical), Ok(ports.clone()));
            // Unrelated pairs do not change the answer.
            assert_eq!(portforward::parse_ports(&format!("x=1&{text}&port=9")), Ok(ports));
        }
        Err(PortsError::Apiserver(m)) => {
            assert!(m.starts_with("cannot convert to []int32: strconv.ParseUint: parsing "))
        }
        Err(PortsError::Kubelet(m)) => {
            assert!(
                m == "query parameter \"port\" is required" || m.ends_with("must be > 0"),
                "{m}"
            );
        }
    }
    let offered: Vec<&str> = text.split(',').map(str::trim).collect();
    if let Some((name, _)) = portforward::negotiate(&offered) {
        assert!(name.is_empty() || offered.contains(&name));
    }
    let channel = data.first().copied().unwrap_or(0) % 10;
    for codec in [Codec::Binary, Codec::Base64] {
        let (_, msg) = portforward::encode(codec, channel, data);
        assert_eq!(portforward::decode(codec, &msg), Some((channel, data.to_vec())));
        let _ = portforward::decode(codec, data);
    }
});
