//! The `v4.channel.k8s.io` / `v4.base64.channel.k8s.io` framing of a portforward WebSocket
//! (design note `portforward-in-browser.md` §1.2): each message is one channel id and a payload;
//! with N ports, channel `2i` is port i's data (both ways) and `2i+1` its error stream (server →
//! client only). Right after the upgrade the server writes each port's number, 2 bytes
//! little-endian, at the start of both of its channels; the client sends no prefix. A prefix may
//! arrive split over messages, so the decoder keeps what it has seen per channel.
//!
//! ```
//! use kubeopen::tunnel::channel::{ChannelDecoder, Framing, Stream, encode};
//!
//! let mut decoder = ChannelDecoder::new(Framing::Binary, &[8080]);
//! // The server's prefixes: 8080 = 0x1F90, little-endian, on the data and the error channel.
//! assert!(decoder.decode(&[0, 0x90, 0x1F])?.is_empty());
//! assert!(decoder.decode(&[1, 0x90])?.is_empty()); // half a prefix…
//! assert!(decoder.decode(&[1, 0x1F])?.is_empty()); // …and the rest
//! let frames = decoder.decode(b"\x00HTTP/1.1 200 OK\r\n")?;
//! assert_eq!((frames[0].port, frames[0].stream, &frames[0].bytes[..]), (0, Stream::Data, &b"HTTP/1.1 200 OK\r\n"[..]));
//! assert_eq!(encode(Framing::Binary, 0, b"GET / HTTP/1.1\r\n"), b"\x00GET / HTTP/1.1\r\n");
//! # Ok::<(), kubeopen::tunnel::channel::ChannelError>(())
//! ```

use crate::auth::base64::{self, Alphabet};

/// The subprotocol of the binary framing.
pub const BINARY_PROTOCOL: &str = "v4.channel.k8s.io";
/// The subprotocol of the base64 (text message) framing.
pub const BASE64_PROTOCOL: &str = "v4.base64.channel.k8s.io";

/// How messages are framed: chosen by the subprotocol the server accepted.
///
/// ```
/// use kubeopen::tunnel::channel::Framing;
/// assert_eq!(Framing::from_protocol("v4.base64.channel.k8s.io"), Some(Framing::Base64));
/// assert_eq!(Framing::from_protocol(""), Some(Framing::Binary)); // none: binary
/// assert_eq!(Framing::from_protocol("v5.channel.k8s.io"), None);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Framing {
    /// Binary messages: a channel byte, then the payload.
    Binary,
    /// Text messages: the channel as the ASCII character `'0' + n`, then standard base64.
    Base64,
}

impl Framing {
    /// The framing of an accepted subprotocol (none accepted means binary, as the server does).
    pub fn from_protocol(protocol: &str) -> Option<Framing> {
        match protocol {
            "" | BINARY_PROTOCOL => Some(Framing::Binary),
            BASE64_PROTOCOL => Some(Framing::Base64),
            _ => None,
        }
    }
}

/// Which of a port's two streams bytes came on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    /// The port's data: what the pod sent.
    Data,
    /// The port's error stream: text the kubelet or runtime wrote when forwarding failed.
    Error,
}

/// Bytes of one port's stream, prefix stripped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frame {
    /// The port's index in the requested list.
    pub port: usize,
    /// Data or error.
    pub stream: Stream,
    /// The bytes (never empty).
    pub bytes: Vec<u8>,
}

/// A message the v4 protocol does not allow from the server.
///
/// ```
/// use kubeopen::tunnel::channel::{ChannelDecoder, Framing};
/// let mut d = ChannelDecoder::new(Framing::Binary, &[80]);
/// let err = d.decode(&[0, 0x51, 0x00]).unwrap_err();
/// assert_eq!(err.to_string(), "portforward protocol violation in message 1: channel 0 began with port 81, not 80");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ChannelError {
    /// A channel number beyond the requested ports' channels.
    #[error(
        "portforward protocol violation in message {message}: unknown channel {channel} (only 0–{last} for {ports} port(s))"
    )]
    UnknownChannel {
        /// 1-based message number.
        message: u64,
        /// The channel found.
        channel: u8,
        /// The highest valid channel.
        last: usize,
        /// How many ports were requested.
        ports: usize,
    },
    /// Channel 255, the client's close-stream signal of `v5.channel.k8s.io`, sent by the server.
    #[error(
        "portforward protocol violation in message {message}: channel 255 is the client's close signal (v5), not something a server sends"
    )]
    ClientOnlyChannel {
        /// 1-based message number.
        message: u64,
    },
    /// The 2-byte prefix does not name the port of the channel.
    #[error(
        "portforward protocol violation in message {message}: channel {channel} began with port {found}, not {expected}"
    )]
    WrongPortPrefix {
        /// 1-based message number.
        message: u64,
        /// The channel.
        channel: u8,
        /// The port requested for it.
        expected: u16,
        /// The port the prefix names.
        found: u16,
    },
    /// A base64-framed message whose payload is not base64, or whose channel is not a character.
    #[error("portforward protocol violation in message {message}: {problem}")]
    BadBase64 {
        /// 1-based message number.
        message: u64,
        /// What is wrong, with the byte offset in the message.
        problem: String,
    },
}

/// Per channel: how many prefix bytes are still to come, and the first one if it came alone.
#[derive(Clone, Copy, Debug, Default)]
struct Prefix {
    seen: u8,
    first: u8,
}

/// Decodes server messages into per-port data and error bytes.
#[derive(Clone, Debug)]
pub struct ChannelDecoder {
    framing: Framing,
    ports: Vec<u16>,
    prefixes: Vec<Prefix>,
    messages: u64,
}

impl ChannelDecoder {
    /// A decoder for the ports requested, in order (`?ports=` lists them in that order).
    pub fn new(framing: Framing, ports: &[u16]) -> ChannelDecoder {
        ChannelDecoder {
            framing,
            ports: ports.to_vec(),
            prefixes: vec![Prefix::default(); ports.len() * 2],
            messages: 0,
        }
    }

    /// Decodes one message (for [`Framing::Base64`], the text message's bytes). Empty messages
    /// (keepalives) and prefix-only ones give no frame.
    pub fn decode(&mut self, message: &[u8]) -> Result<Vec<Frame>, ChannelError> {
        self.messages += 1;
        let n = self.messages;
        let Some((&id, payload)) = message.split_first() else {
            return Ok(Vec::new());
        };
        let (channel, decoded);
        let mut payload = match self.framing {
            Framing::Binary => {
                channel = id;
                payload
            }
            Framing::Base64 => {
                channel = id.wrapping_sub(b'0');
                let text = std::str::from_utf8(payload).map_err(|e| ChannelError::BadBase64 {
                    message: n,
                    problem: format!("the payload is not ASCII (byte {})", e.valid_up_to() + 1),
                })?;
                decoded = base64::decode(text, Alphabet::Standard).map_err(|e| ChannelError::BadBase64 {
                    message: n,
                    problem: format!("bad base64 payload: {e} (after the channel byte)"),
                })?;
                decoded.as_slice()
            }
        };
        if channel == 255 && self.framing == Framing::Binary {
            return Err(ChannelError::ClientOnlyChannel { message: n });
        }
        let index = usize::from(channel);
        let Some(prefix) = self.prefixes.get_mut(index) else {
            return Err(ChannelError::UnknownChannel {
                message: n,
                channel,
                last: (self.ports.len() * 2).saturating_sub(1),
                ports: self.ports.len(),
            });
        };
        let port = index / 2;
        while prefix.seen < 2 {
            let Some((&b, rest)) = payload.split_first() else {
                return Ok(Vec::new());
            };
            payload = rest;
            if prefix.seen == 0 {
                prefix.first = b;
                prefix.seen = 1;
                continue;
            }
            prefix.seen = 2;
            let found = u16::from_le_bytes([prefix.first, b]);
            let expected = self.ports.get(port).copied().unwrap_or_default();
            if found != expected {
                return Err(ChannelError::WrongPortPrefix {
                    message: n,
                    channel,
                    expected,
                    found,
                });
            }
        }
        if payload.is_empty() {
            return Ok(Vec::new());
        }
        let stream = if index % 2 == 0 {
            Stream::Data
        } else {
            Stream::Error
        };
        Ok(vec![Frame {
            port,
            stream,
            bytes: payload.to_vec(),
        }])
    }
}

/// One client message carrying `data` to the port at index `port`: for [`Framing::Base64`] the
/// bytes of the text message to send.
pub fn encode(framing: Framing, port: usize, data: &[u8]) -> Vec<u8> {
    // Channel ids are one byte; `?ports=` with more than 128 ports is refused by the caller.
    let channel = u8::try_from(port * 2).unwrap_or(u8::MAX);
    match framing {
        Framing::Binary => {
            let mut out = Vec::with_capacity(data.len() + 1);
            out.push(channel);
            out.extend_from_slice(data);
            out
        }
        Framing::Base64 => {
            let text = base64::encode(data);
            let mut out = Vec::with_capacity(text.len() + 1);
            out.push(b'0'.wrapping_add(channel));
            out.extend_from_slice(text.as_bytes());
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn prefixed(port: u16) -> [u8; 2] {
        port.to_le_bytes()
    }

    /// Every frame's bytes concatenated per (port, stream).
    fn collect(frames: &[Frame]) -> (Vec<u8>, Vec<u8>) {
        let mut data = Vec::new();
        let mut error = Vec::new();
        for f in frames {
            match f.stream {
                Stream::Data => data.extend_from_slice(&f.bytes),
                Stream::Error => error.extend_from_slice(&f.bytes),
            }
        }
        (data, error)
    }

    #[test]
    fn design_note_table() {
        // Binary: one channel byte then the payload; data is 2i, error 2i+1; prefixes on both.
        let mut d = ChannelDecoder::new(Framing::Binary, &[80, 443]);
        let mut out = Vec::new();
        for message in [
            &[0u8, 80, 0][..],
            &[1, 80, 0],
            &[2, 0xBB, 0x01],
            &[3, 0xBB, 0x01],
            &[0, b'h', b'i'],
            &[2, b'x'],
            &[3, b'e', b'r', b'r'],
            &[],
        ] {
            out.extend(d.decode(message).unwrap());
        }
        assert_eq!(
            out,
            vec![
                Frame {
                    port: 0,
                    stream: Stream::Data,
                    bytes: b"hi".to_vec()
                },
                Frame {
                    port: 1,
                    stream: Stream::Data,
                    bytes: b"x".to_vec()
                },
                Frame {
                    port: 1,
                    stream: Stream::Error,
                    bytes: b"err".to_vec()
                },
            ]
        );
        // Base64: the channel as an ASCII digit, then standard base64 (prefix included).
        let mut d = ChannelDecoder::new(Framing::Base64, &[80]);
        assert!(d.decode(b"0UAA=").unwrap().is_empty()); // [80, 0]
        assert_eq!(d.decode(b"0aGk=").unwrap()[0].bytes, b"hi");
        assert_eq!(encode(Framing::Base64, 0, b"hi"), b"0aGk=");
        assert_eq!(encode(Framing::Binary, 1, b"hi"), b"\x02hi");
    }

    #[test]
    fn violations_are_named() {
        let mut d = ChannelDecoder::new(Framing::Binary, &[80]);
        assert_eq!(
            d.decode(&[2, 1]).unwrap_err().to_string(),
            "portforward protocol violation in message 1: unknown channel 2 (only 0–1 for 1 port(s))"
        );
        assert_eq!(
            d.decode(&[255]).unwrap_err(),
            ChannelError::ClientOnlyChannel { message: 2 }
        );
        let mut d = ChannelDecoder::new(Framing::Base64, &[80]);
        let err = d.decode(b"0U!A=").unwrap_err().to_string();
        assert!(
            err.contains("message 1: bad base64 payload: '!' at byte 1"),
            "{err}"
        );
        assert!(matches!(
            d.decode(b"\xFF").unwrap_err(),
            ChannelError::UnknownChannel { channel: 207, .. }
        ));
        // A prefix split over messages is still checked.
        let mut d = ChannelDecoder::new(Framing::Binary, &[8080]);
        d.decode(&[1, 0x90]).unwrap();
        assert_eq!(
            d.decode(&[1, 0x20, b'x']).unwrap_err(),
            ChannelError::WrongPortPrefix {
                message: 2,
                channel: 1,
                expected: 8080,
                found: 0x2090
            }
        );
    }

    proptest! {
        /// However the server cuts its stream into messages, the same bytes come out.
        #[test]
        fn any_message_split_gives_the_same_bytes(
            port in 1u16..,
            data in proptest::collection::vec(any::<u8>(), 0..200),
            error in proptest::collection::vec(any::<u8>(), 0..50),
            cuts in proptest::collection::vec(any::<prop::sample::Index>(), 0..8),
            base64 in any::<bool>(),
        ) {
            let framing = if base64 { Framing::Base64 } else { Framing::Binary };
            let mut streams = [prefixed(port).to_vec(), prefixed(port).to_vec()];
            streams[0].extend_from_slice(&data);
            streams[1].extend_from_slice(&error);
            let mut d = ChannelDecoder::new(framing, &[port]);
            let mut frames = Vec::new();
            for (channel, stream) in streams.iter().enumerate() {
                let mut points: Vec<usize> = cuts.iter().map(|i| i.index(stream.len() + 1)).collect();
                points.extend([0, stream.len()]);
                points.sort_unstable();
                for w in points.windows(2) {
                    let mut message = encode(framing, 0, &stream[w[0]..w[1]]);
                    // `encode` writes data channels; the error channel is the next one.
                    if channel == 1 {
                        message[0] += 1;
                    }
                    frames.extend(d.decode(&message).unwrap());
                }
            }
            prop_assert_eq!(collect(&frames), (data, error));
        }

        /// Any message: a result, never a panic.
        #[test]
        fn any_message_is_decoded_or_refused(messages in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..20), 0..10)) {
            let mut d = ChannelDecoder::new(Framing::Binary, &[1, 2]);
            let mut b = ChannelDecoder::new(Framing::Base64, &[1, 2]);
            for m in &messages {
                let _ = d.decode(m);
                let _ = b.decode(m);
            }
        }
    }
}
