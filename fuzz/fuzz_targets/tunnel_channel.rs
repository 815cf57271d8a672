//! The portforward channel codec (`tunnel::channel`) on any sequence of server messages, in both
//! framings: no panic; and any bytes encoded for a channel and cut into messages anywhere come
//! back as the same bytes.
#![no_main]

use kubeopen::tunnel::channel::{ChannelDecoder, Framing, Stream, encode};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    let Some((&control, data)) = input.split_first() else {
        return;
    };
    let framing = if control & 1 == 1 {
        Framing::Base64
    } else {
        Framing::Binary
    };
    // Arbitrary messages, split at 0xFF bytes: refused or decoded, never a panic.
    let mut decoder = ChannelDecoder::new(framing, &[80, 8080]);
    for message in data.split(|&b| b == 0xFF) {
        if decoder.decode(message).is_err() {
            break;
        }
    }
    // The data as port 0's stream, after its prefix, cut every `step` bytes.
    let port = u16::from(control) | 1;
    let mut stream = port.to_le_bytes().to_vec();
    stream.extend_from_slice(data);
    let step = usize::from(control >> 1).max(1);
    let mut decoder = ChannelDecoder::new(framing, &[port]);
    let mut out = Vec::new();
    for piece in stream.chunks(step) {
        for frame in decoder
            .decode(&encode(framing, 0, piece))
            .expect("own messages decode")
        {
            assert_eq!((frame.port, frame.stream), (0, Stream::Data));
            out.extend(frame.bytes);
        }
    }
    assert_eq!(out, data);
});
