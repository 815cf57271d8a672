//! The server side of RFC 6455 framing, as much as `golang.org/x/net/websocket` (what the
//! kubelet's streaming server uses) does: whole messages (fragments joined), pings answered,
//! a close ends the read side, messages above 32 MiB refused (`DefaultMaxPayloadBytes`).

use base64::Engine as _;
use tokio::io::{AsyncRead, AsyncReadExt};

/// x/net/websocket's `DefaultMaxPayloadBytes`.
pub const MAX_MESSAGE: usize = 32 << 20;

/// Frame opcodes used here.
pub const TEXT: u8 = 0x1;
/// Binary message.
pub const BINARY: u8 = 0x2;
/// Close.
pub const CLOSE: u8 = 0x8;
/// Ping.
pub const PING: u8 = 0x9;
/// Pong.
pub const PONG: u8 = 0xA;

/// `Sec-WebSocket-Accept` for a `Sec-WebSocket-Key`.
pub fn accept_key(key: &[u8]) -> String {
    let mut sha = sha1_smol::Sha1::new();
    sha.update(key);
    sha.update(b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11");
    base64::engine::general_purpose::STANDARD.encode(sha.digest().bytes())
}

/// One unmasked server frame (FIN set).
pub fn frame(opcode: u8, payload: &[u8]) -> Vec<u8> {
    let n = payload.len();
    let mut out = Vec::with_capacity(n + 10);
    out.push(0x80 | opcode);
    if n < 126 {
        out.push(u8::try_from(n).unwrap_or(0));
    } else if let Ok(n16) = u16::try_from(n) {
        out.push(126);
        out.extend_from_slice(&n16.to_be_bytes());
    } else {
        out.push(127);
        out.extend_from_slice(&(n as u64).to_be_bytes());
    }
    out.extend_from_slice(payload);
    out
}

/// What the client sent.
#[derive(Debug, PartialEq, Eq)]
pub enum Incoming {
    /// A whole data message; `binary` is false for text.
    Message {
        /// Opcode was binary.
        binary: bool,
        /// The payload, unmasked, fragments joined.
        data: Vec<u8>,
    },
    /// A ping (to be answered with a pong carrying the same payload).
    Ping(Vec<u8>),
    /// A close frame: the client is done.
    Close,
}

/// Reads client frames; keeps a fragmented message across the control frames between its parts.
pub struct Reader<R> {
    r: R,
    partial: Option<(u8, Vec<u8>)>,
}

impl<R: AsyncRead + Unpin> Reader<R> {
    /// Reads from `r`.
    pub fn new(r: R) -> Reader<R> {
        Reader { r, partial: None }
    }

    /// The next message or control frame. `Err` on EOF, on a protocol error or on a message
    /// larger than [`MAX_MESSAGE`] — all of which end the connection, as in x/net/websocket.
    pub async fn next(&mut self) -> std::io::Result<Incoming> {
        read(&mut self.r, &mut self.partial).await
    }
}

async fn read<R: AsyncRead + Unpin>(
    r: &mut R,
    message: &mut Option<(u8, Vec<u8>)>,
) -> std::io::Result<Incoming> {
    loop {
        let mut h = [0u8; 2];
        r.read_exact(&mut h).await?;
        let fin = h[0] & 0x80 != 0;
        let opcode = h[0] & 0x0f;
        let masked = h[1] & 0x80 != 0;
        let mut len = u64::from(h[1] & 0x7f);
        if len == 126 {
            let mut b = [0u8; 2];
            r.read_exact(&mut b).await?;
            len = u64::from(u16::from_be_bytes(b));
        } else if len == 127 {
            let mut b = [0u8; 8];
            r.read_exact(&mut b).await?;
            len = u64::from_be_bytes(b);
        }
        let so_far = message.as_ref().map_or(0, |(_, d)| d.len());
        let len = usize::try_from(len)
            .ok()
            .filter(|n| so_far.saturating_add(*n) <= MAX_MESSAGE)
            .ok_or_else(|| protocol("message too large"))?;
        let mut mask = [0u8; 4];
        if masked {
            r.read_exact(&mut mask).await?;
        }
        let mut payload = vec![0u8; len];
        r.read_exact(&mut payload).await?;
        if masked {
            for (i, b) in payload.iter_mut().enumerate() {
                *b ^= mask[i % 4];
            }
        }
        match opcode {
            CLOSE => return Ok(Incoming::Close),
            PING => return Ok(Incoming::Ping(payload)),
            PONG => {}
            0x0 => {
                let (op, mut data) = message
                    .take()
                    .ok_or_else(|| protocol("continuation without a message"))?;
                data.extend_from_slice(&payload);
                if fin {
                    return Ok(Incoming::Message {
                        binary: op == BINARY,
                        data,
                    });
                }
                *message = Some((op, data));
            }
            TEXT | BINARY => {
                if message.is_some() {
                    return Err(protocol("new message inside a fragmented one"));
                }
                if fin {
                    return Ok(Incoming::Message {
                        binary: opcode == BINARY,
                        data: payload,
                    });
                }
                *message = Some((opcode, payload));
            }
            _ => return Err(protocol("unknown opcode")),
        }
    }
}

fn protocol(msg: &'static str) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, msg)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn masked(opcode: u8, fin: bool, payload: &[u8]) -> Vec<u8> {
        let mask = [1u8, 2, 3, 4];
        let mut out = vec![
            if fin { 0x80 } else { 0 } | opcode,
            0x80 | u8::try_from(payload.len()).unwrap(),
        ];
        out.extend_from_slice(&mask);
        out.extend(payload.iter().enumerate().map(|(i, b)| b ^ mask[i % 4]));
        out
    }

    #[tokio::test]
    async fn fragments_pings_and_close() {
        let mut wire = masked(BINARY, false, b"ab");
        wire.extend(masked(PING, true, b"p"));
        wire.extend(masked(0, true, b"cd"));
        wire.extend(masked(CLOSE, true, b""));
        let mut r = Reader::new(&wire[..]);
        assert_eq!(r.next().await.unwrap(), Incoming::Ping(b"p".to_vec()));
        assert_eq!(
            r.next().await.unwrap(),
            Incoming::Message {
                binary: true,
                data: b"abcd".to_vec()
            }
        );
        assert_eq!(r.next().await.unwrap(), Incoming::Close);
        assert!(r.next().await.is_err());
    }

    #[test]
    fn rfc_accept_key() {
        assert_eq!(
            accept_key(b"dGhlIHNhbXBsZSBub25jZQ=="),
            "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
        );
    }
}
