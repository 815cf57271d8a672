//! A small, strict base64 decoder (RFC 4648): the standard alphabet with `=` padding, as Go's
//! `encoding/base64.StdEncoding` reads the `*-data` fields of a kubeconfig and GNU
//! `base64 --decode` reads a Secret's `.data.token`; and the URL-safe alphabet without padding,
//! as JWTs are written (RFC 7515).
//!
//! Written here instead of depending on a crate: decoding is ~100 lines, kubeopen never needs to
//! encode anything but a `user:password` pair, and every dependency adds to the npm package's
//! WebAssembly size. Like Go's non-strict decoders, `\r` and `\n` anywhere are skipped (kubeconfig
//! writers and `base64` wrap lines) and unused low bits of the last quantum are ignored.

use std::fmt;

/// Which base64 dialect to read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Alphabet {
    /// `A–Z a–z 0–9 + /`, padded with `=` to a multiple of 4 (`StdEncoding`).
    Standard,
    /// `A–Z a–z 0–9 - _`; padding optional (JWT segments are unpadded).
    UrlSafe,
}

/// What is wrong with base64 input, and at which byte of the input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Base64Error {
    /// Byte offset in the input.
    pub at: usize,
    /// What is wrong there.
    pub problem: Base64Problem,
}

/// The rule a base64 input broke.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Base64Problem {
    /// A byte outside the alphabet.
    InvalidByte(u8),
    /// The input ends in the middle of a 4-character group and padding is required.
    MissingPadding,
    /// A single character after the last full group cannot encode any byte.
    DanglingCharacter,
    /// `=` where no padding may be, or data after padding.
    MisplacedPadding,
}

impl fmt::Display for Base64Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = self.at;
        match self.problem {
            Base64Problem::InvalidByte(b) if b.is_ascii_graphic() => {
                write!(f, "{:?} at byte {at} is not a base64 character", b as char)
            }
            Base64Problem::InvalidByte(b) => {
                write!(f, "byte 0x{b:02X} at byte {at} is not a base64 character")
            }
            Base64Problem::MissingPadding => write!(
                f,
                "the input ends at byte {at} in the middle of a 4-character group; '=' padding is missing"
            ),
            Base64Problem::DanglingCharacter => write!(
                f,
                "the last group (at byte {at}) has a single character, which encodes no byte"
            ),
            Base64Problem::MisplacedPadding => write!(f, "misplaced '=' padding at byte {at}"),
        }
    }
}

/// The 6-bit value of `b`, or `None` when `b` is not in the alphabet.
fn sextet(b: u8, alphabet: Alphabet) -> Option<u8> {
    match (b, alphabet) {
        (b'A'..=b'Z', _) => Some(b - b'A'),
        (b'a'..=b'z', _) => Some(b - b'a' + 26),
        (b'0'..=b'9', _) => Some(b - b'0' + 52),
        (b'+', Alphabet::Standard) | (b'-', Alphabet::UrlSafe) => Some(62),
        (b'/', Alphabet::Standard) | (b'_', Alphabet::UrlSafe) => Some(63),
        _ => None,
    }
}

/// Decodes `input`; `\r` and `\n` are skipped wherever they are.
pub(crate) fn decode(input: &str, alphabet: Alphabet) -> Result<Vec<u8>, Base64Error> {
    let bytes = input.as_bytes();
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3 + 2);
    // Up to four sextets of the current group, and where the group started (for errors).
    let mut group = [0u8; 4];
    let mut filled = 0;
    let mut last_data_at = 0;
    let mut padding_at: Option<usize> = None;
    let mut pads = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\r' || b == b'\n' {
            continue;
        }
        if b == b'=' {
            // Padding may only complete a group that has 2 or 3 characters.
            if filled < 2 || filled + pads >= 4 {
                return Err(Base64Error {
                    at: i,
                    problem: Base64Problem::MisplacedPadding,
                });
            }
            padding_at.get_or_insert(i);
            pads += 1;
            continue;
        }
        if padding_at.is_some() {
            return Err(Base64Error {
                at: i,
                problem: Base64Problem::MisplacedPadding,
            });
        }
        let Some(v) = sextet(b, alphabet) else {
            return Err(Base64Error {
                at: i,
                problem: Base64Problem::InvalidByte(b),
            });
        };
        group[filled] = v;
        filled += 1;
        last_data_at = i;
        if filled == 4 {
            out.push(group[0] << 2 | group[1] >> 4);
            out.push(group[1] << 4 | group[2] >> 2);
            out.push(group[2] << 6 | group[3]);
            filled = 0;
        }
    }
    match filled {
        0 => {}
        1 => {
            return Err(Base64Error {
                at: last_data_at,
                problem: Base64Problem::DanglingCharacter,
            });
        }
        _ => {
            let complete = filled + pads == 4;
            if !complete && (alphabet == Alphabet::Standard || pads > 0) {
                return Err(Base64Error {
                    at: input.len(),
                    problem: Base64Problem::MissingPadding,
                });
            }
            out.push(group[0] << 2 | group[1] >> 4);
            if filled == 3 {
                out.push(group[1] << 4 | group[2] >> 2);
            }
        }
    }
    Ok(out)
}

/// Encodes `input` with the standard alphabet and padding (for `Authorization: Basic`).
pub(crate) fn encode(input: &[u8]) -> String {
    encode_with(input, Alphabet::Standard)
}

/// Encodes `input` with the URL-safe alphabet and no padding (the WebSocket token subprotocol).
pub(crate) fn encode_url(input: &[u8]) -> String {
    encode_with(input, Alphabet::UrlSafe)
}

fn encode_with(input: &[u8], alphabet: Alphabet) -> String {
    let table: &[u8; 64] = match alphabet {
        Alphabet::Standard => b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
        Alphabet::UrlSafe => b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
    };
    let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(char::from(table[(n >> (18 - 6 * k) & 63) as usize]));
            } else if alphabet == Alphabet::Standard {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn std(s: &str) -> Result<Vec<u8>, Base64Error> {
        decode(s, Alphabet::Standard)
    }

    #[test]
    fn rfc4648_vectors_round_trip() {
        // RFC 4648 §10.
        for (plain, coded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(encode(plain.as_bytes()), coded);
            assert_eq!(std(coded).unwrap(), plain.as_bytes(), "{coded}");
        }
    }

    #[test]
    fn standard_requires_padding_url_safe_does_not() {
        assert_eq!(
            std("Zm8").unwrap_err(),
            Base64Error {
                at: 3,
                problem: Base64Problem::MissingPadding
            }
        );
        assert_eq!(decode("Zm8", Alphabet::UrlSafe).unwrap(), b"fo");
        assert_eq!(decode("Zm8=", Alphabet::UrlSafe).unwrap(), b"fo");
        assert_eq!(decode("Zg", Alphabet::UrlSafe).unwrap(), b"f");
    }

    #[test]
    fn line_breaks_are_skipped() {
        assert_eq!(std("Zm9v\nYmFy\r\n").unwrap(), b"foobar");
    }

    #[test]
    fn errors_say_where() {
        assert_eq!(
            std("Zm9v Zg==").unwrap_err(),
            Base64Error {
                at: 4,
                problem: Base64Problem::InvalidByte(b' ')
            }
        );
        assert_eq!(
            std("Zm=v").unwrap_err(),
            Base64Error {
                at: 3,
                problem: Base64Problem::MisplacedPadding
            }
        );
        assert_eq!(
            std("Z===").unwrap_err(),
            Base64Error {
                at: 1,
                problem: Base64Problem::MisplacedPadding
            }
        );
        assert_eq!(
            std("Zm9vY").unwrap_err(),
            Base64Error {
                at: 4,
                problem: Base64Problem::DanglingCharacter
            }
        );
        assert_eq!(
            std("Zg==Zg==").unwrap_err(),
            Base64Error {
                at: 4,
                problem: Base64Problem::MisplacedPadding
            }
        );
        assert_eq!(
            std("Zm9v=").unwrap_err(),
            Base64Error {
                at: 4,
                problem: Base64Problem::MisplacedPadding
            }
        );
        assert_eq!(
            decode("a+b/", Alphabet::UrlSafe).unwrap_err(),
            Base64Error {
                at: 1,
                problem: Base64Problem::InvalidByte(b'+')
            }
        );
        assert_eq!(
            std("Zm8").unwrap_err().to_string(),
            "the input ends at byte 3 in the middle of a 4-character group; '=' padding is missing"
        );
    }

    proptest! {
        #[test]
        fn decode_inverts_encode(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            prop_assert_eq!(std(&encode(&bytes)).unwrap(), bytes.clone());
            let url = encode(&bytes).replace('+', "-").replace('/', "_").replace('=', "");
            prop_assert_eq!(decode(&url, Alphabet::UrlSafe).unwrap(), bytes);
        }

        #[test]
        fn never_panics(s in "\\PC{0,40}") {
            let _ = std(&s);
            let _ = decode(&s, Alphabet::UrlSafe);
        }
    }
}
