//! A URL's host as a browser reads it: the WHATWG host parser for web schemes, as far as telling
//! whether a host is the API server's. A browser percent-decodes the host, maps it with UTS #46
//! (fullwidth `１０.０.０.１` and `ｋ８ｓ.example`, other full stops, soft hyphens, upper case) and
//! reads IPv4 and IPv6 addresses in every form (`10.000.1`, `0xa.0.0.1`, `167772161`,
//! `[0:0::1]`). A rewriter that compared the text as written would leave such a URL on the
//! server outside the prefix (fuzz target `rewrite_url` found `//x@10.000.1:6443`).
//!
//! Not read: a code point whose UTS #46 mapping is anything but host characters (`a`-`z`, `0`-`9`,
//! `.`, `-`, `_`; `ü`, `⑴` → `(1)`, `＃` → `#`) stays as written, so the host never equals an API
//! server's or a service's, as for the browser; an API server addressed by an internationalised
//! name is therefore only recognised in its `xn--` form.

use std::borrow::Cow;

use super::uts46_ascii::{MAPPED, MAPPINGS, RUNS};
use crate::percent;

/// The host `host` (as written between `//` or `@` and the port) names, the way the browser will
/// request it; `None` where the browser refuses the URL (an invalid address, a forbidden code
/// point, bytes that are not UTF-8).
pub(super) fn canonical_host(host: &str) -> Option<Cow<'_, str>> {
    if let Some(inner) = host.strip_prefix('[') {
        let address = parse_ipv6(inner.strip_suffix(']')?)?;
        return Some(Cow::Owned(serialize_ipv6(&address)));
    }
    let plain = host
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'_'));
    let domain = if plain {
        Cow::Borrowed(host)
    } else {
        // An invalid escape leaves a `%`, a forbidden code point: refused either way.
        Cow::Owned(domain_to_ascii(&percent::decode(host)?)?)
    };
    if ends_in_number(&domain) {
        return ipv4(&domain).map(Cow::Owned);
    }
    Some(domain)
}

/// Whether two canonical hosts are one: a trailing dot (`k8s.example.`) reaches the same server.
pub(super) fn same_host(a: &str, b: &str) -> bool {
    a.strip_suffix('.').unwrap_or(a) == b.strip_suffix('.').unwrap_or(b)
}

/// UTS #46 mapping as far as it gives host characters, then the forbidden code points check.
fn domain_to_ascii(domain: &str) -> Option<String> {
    let mut out = String::with_capacity(domain.len());
    for c in domain.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else if !push_ascii_mapping(c, &mut out) {
            out.push(c);
        }
    }
    let forbidden = |c: char| {
        c <= ' '
            || c == '\u{7f}'
            || matches!(
                c,
                '#' | '%' | '/' | ':' | '<' | '>' | '?' | '@' | '[' | '\\' | ']' | '^' | '|'
            )
    };
    (!out.is_empty() && !out.contains(forbidden)).then_some(out)
}

/// Appends what UTS #46 maps `c` to when that is host characters (possibly nothing: an ignored
/// code point).
fn push_ascii_mapping(c: char, out: &mut String) -> bool {
    let cp = u32::from(c);
    let at = RUNS.partition_point(|&run| run >> 9 <= cp);
    let Some(i) = at.checked_sub(1) else {
        return false;
    };
    let (Some(&run), Some(&mapping)) = (RUNS.get(i), MAPPINGS.get(i)) else {
        return false;
    };
    let offset = cp - (run >> 9);
    if offset > (run >> 1) & 0xff {
        return false;
    }
    let start = usize::from(mapping >> 4);
    let Some(mapped) = MAPPED.get(start..start + usize::from(mapping & 0xf)) else {
        return false;
    };
    if run & 1 == 0 {
        out.push_str(mapped);
        return true;
    }
    // A run of single characters counting up with the code points.
    match mapped
        .bytes()
        .next()
        .and_then(|b| u8::try_from(u32::from(b) + offset).ok())
        .filter(u8::is_ascii)
    {
        Some(b) => {
            out.push(char::from(b));
            true
        }
        None => false,
    }
}

/// `domain` without one trailing dot (`a.b.` has the labels of `a.b`; `.` stays `.`).
fn without_trailing_dot(domain: &str) -> &str {
    match domain.strip_suffix('.') {
        Some(rest) if !rest.is_empty() => rest,
        _ => domain,
    }
}

/// The URL standard's "ends in a number": such a host must be an IPv4 address.
fn ends_in_number(domain: &str) -> bool {
    let last = without_trailing_dot(domain)
        .rsplit('.')
        .next()
        .unwrap_or_default();
    (!last.is_empty() && last.bytes().all(|b| b.is_ascii_digit())) || ipv4_number(last).is_some()
}

/// One part of an IPv4 address: decimal, octal (`0…`) or hexadecimal (`0x…`). Saturates far
/// above any valid part, so a long part is simply too large.
fn ipv4_number(part: &str) -> Option<u64> {
    if part.is_empty() {
        return None;
    }
    let (digits, radix) = if let Some(hex) = part.strip_prefix("0x").or_else(|| part.strip_prefix("0X")) {
        (hex, 16)
    } else if part.len() > 1 && part.starts_with('0') {
        (&part[1..], 8)
    } else {
        (part, 10)
    };
    digits.chars().try_fold(0u64, |n, c| {
        let d = c.to_digit(radix)?;
        Some(n.saturating_mul(u64::from(radix)).saturating_add(u64::from(d)))
    })
}

/// The URL standard's IPv4 parser, serialised as four decimal numbers.
fn ipv4(domain: &str) -> Option<String> {
    let mut numbers = [0u64; 4];
    let mut count = 0;
    for part in without_trailing_dot(domain).split('.') {
        *numbers.get_mut(count)? = ipv4_number(part)?;
        count += 1;
    }
    let (&last, leading) = numbers.get(..count)?.split_last()?;
    if leading.iter().any(|&n| n > 255) {
        return None;
    }
    // The last part fills every byte the others left: < 256^(5 - number of parts).
    if last >= 1u64 << (8 * (5 - count)) {
        return None;
    }
    let mut address = last;
    for (i, &n) in leading.iter().enumerate() {
        address += n << (8 * (3 - i));
    }
    let mut out = String::with_capacity(15);
    for (i, byte) in u32::try_from(address).ok()?.to_be_bytes().into_iter().enumerate() {
        if i > 0 {
            out.push('.');
        }
        push_decimal(&mut out, byte);
    }
    Some(out)
}

fn push_decimal(out: &mut String, n: u8) {
    if n >= 100 {
        out.push(char::from(b'0' + n / 100));
    }
    if n >= 10 {
        out.push(char::from(b'0' + n / 10 % 10));
    }
    out.push(char::from(b'0' + n % 10));
}

/// The URL standard's IPv6 parser (without the brackets).
fn parse_ipv6(input: &str) -> Option<[u16; 8]> {
    let b = input.as_bytes();
    let at = |p: usize| b.get(p).copied();
    let mut address = [0u16; 8];
    let mut piece = 0usize;
    let mut compress = None;
    let mut p = 0usize;
    if at(0) == Some(b':') {
        if at(1) != Some(b':') {
            return None;
        }
        p = 2;
        piece = 1;
        compress = Some(1);
    }
    while p < b.len() {
        if piece == 8 {
            return None;
        }
        if at(p) == Some(b':') {
            if compress.is_some() {
                return None;
            }
            p += 1;
            piece += 1;
            compress = Some(piece);
            continue;
        }
        let mut value = 0u16;
        let mut length = 0;
        while length < 4 {
            let Some(d) = at(p).and_then(|c| char::from(c).to_digit(16)) else {
                break;
            };
            value = value * 0x10 + u16::try_from(d).ok()?;
            p += 1;
            length += 1;
        }
        match at(p) {
            Some(b'.') => {
                if length == 0 || piece > 6 {
                    return None;
                }
                p -= length;
                let mut numbers_seen = 0;
                while p < b.len() {
                    if numbers_seen > 0 {
                        if at(p) == Some(b'.') && numbers_seen < 4 {
                            p += 1;
                        } else {
                            return None;
                        }
                    }
                    let mut number: Option<u16> = None;
                    while let Some(d) = at(p).filter(u8::is_ascii_digit) {
                        let d = u16::from(d - b'0');
                        number = match number {
                            None => Some(d),
                            Some(0) => return None,
                            Some(n) => Some(n * 10 + d),
                        };
                        if number > Some(255) {
                            return None;
                        }
                        p += 1;
                    }
                    address[piece] = address[piece] * 0x100 + number?;
                    numbers_seen += 1;
                    if numbers_seen == 2 || numbers_seen == 4 {
                        piece += 1;
                    }
                }
                if numbers_seen != 4 {
                    return None;
                }
                break;
            }
            Some(b':') => {
                p += 1;
                if p == b.len() {
                    return None;
                }
            }
            Some(_) => return None,
            None => {}
        }
        address[piece] = value;
        piece += 1;
    }
    match compress {
        Some(start) => {
            let mut swaps = piece - start;
            let mut i = 7;
            while i != 0 && swaps > 0 {
                address.swap(i, start + swaps - 1);
                i -= 1;
                swaps -= 1;
            }
        }
        None if piece != 8 => return None,
        None => {}
    }
    Some(address)
}

/// The URL standard's IPv6 serialiser, in brackets: lower-case hex, the first longest run of 2+
/// zeros as `::`.
fn serialize_ipv6(address: &[u16; 8]) -> String {
    let mut compress = None;
    let mut longest = 1;
    let mut i = 0;
    while i < 8 {
        let start = i;
        while i < 8 && address[i] == 0 {
            i += 1;
        }
        if i - start > longest {
            longest = i - start;
            compress = Some(start);
        }
        i = i.max(start + 1);
    }
    let mut out = String::with_capacity(41);
    out.push('[');
    let mut skipping = false;
    for (i, &piece) in address.iter().enumerate() {
        if skipping && piece == 0 {
            continue;
        }
        skipping = false;
        if compress == Some(i) {
            out.push_str(if i == 0 { "::" } else { ":" });
            skipping = true;
            continue;
        }
        let digits = 4 - (piece.leading_zeros() / 4).min(3);
        for shift in (0..digits).rev() {
            out.push(char::from(
                b"0123456789abcdef"[usize::from((piece >> (4 * shift)) & 0xf)],
            ));
        }
        if i != 7 {
            out.push(':');
        }
    }
    out.push(']');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canonical(host: &str) -> Option<String> {
        canonical_host(host).map(Cow::into_owned)
    }

    /// Each `(written, read)` host reads as `read`; each of `refused` is no host at all.
    fn assert_hosts(reads: &[(&str, &str)], refused: &[&str]) {
        for &(written, read) in reads {
            assert_eq!(canonical(written).as_deref(), Some(read), "{written:?}");
        }
        for &host in refused {
            assert_eq!(canonical(host), None, "{host:?}");
        }
    }

    #[test]
    fn domains_as_browsers_read_them() {
        assert_hosts(
            &[
                ("k8s.example", "k8s.example"),
                ("K8S.Example", "k8s.example"),
                ("%6b8s.example", "k8s.example"),
                ("ｋ８ｓ．example", "k8s.example"),
                ("k8s\u{3002}example", "k8s.example"),
                ("k\u{ad}8s.example", "k8s.example"),
                ("\u{212a}8s.example", "k8s.example"),
                ("\u{1d424}\u{1d7d6}\u{1d42c}.example", "k8s.example"),
                ("\u{2460}\u{24ea}.0.0.1", "10.0.0.1"),
                ("bücher.example", "bücher.example"),
            ],
            &["a%2fb", "a b", "%ff", "%00", "foo.1", "1.2.3.4.5"],
        );
        // Mapped by browsers to characters no server or service host has (an ideographic space,
        // `⑴`): left as written, so neither the server nor a service, as for the browser.
        for other in ["a\u{3000}b", "\u{2474}.example"] {
            assert_eq!(canonical(other).as_deref(), Some(other), "{other:?}");
        }
    }

    /// The URL standard's IPv4 cases (WPT url/resources/urltestdata.json, hosts).
    #[test]
    fn ipv4_in_every_form() {
        assert_hosts(
            &[
                ("10.0.0.1", "10.0.0.1"),
                ("10.000.1", "10.0.0.1"),
                ("10.1", "10.0.0.1"),
                ("167772161", "10.0.0.1"),
                ("0xa.0.0.1", "10.0.0.1"),
                ("012.0.0.1", "10.0.0.1"),
                ("0XA.0x0.00.0X1", "10.0.0.1"),
                ("10.0.0.1.", "10.0.0.1"),
                ("１０.０.０.１", "10.0.0.1"),
                ("%31%30.0.0.1", "10.0.0.1"),
                ("0x7f.1", "127.0.0.1"),
                ("4294967295", "255.255.255.255"),
                ("0x", "0.0.0.0"),
                ("0.0x", "0.0.0.0"),
            ],
            &[
                "4294967296",
                "256.0.0.1",
                "1.2.3.256",
                "1.2.65536",
                "09.0.0.1",
                "0x1g.0.0.1",
                "1..2",
            ],
        );
    }

    #[test]
    fn ipv6_in_every_form() {
        assert_hosts(
            &[
                ("[::1]", "[::1]"),
                ("[0:0::1]", "[::1]"),
                ("[0:0:0:0:0:0:0:1]", "[::1]"),
                ("[::]", "[::]"),
                ("[1::]", "[1::]"),
                ("[FE80::0001]", "[fe80::1]"),
                ("[1:0:0:2:0:0:0:3]", "[1:0:0:2::3]"),
                ("[1:0:0:2:0:0:3:4]", "[1::2:0:0:3:4]"),
                ("[1:2:3:4:5:6:7:8]", "[1:2:3:4:5:6:7:8]"),
                ("[::ffff:10.0.0.1]", "[::ffff:a00:1]"),
                ("[::127.0.0.1]", "[::7f00:1]"),
            ],
            &[
                "[:1]",
                "[1:::2]",
                "[1::2::3]",
                "[1:2:3:4:5:6:7:8:9]",
                "[1:2:3:4:5:6:7]",
                "[::1.2.3]",
                "[::1.2.3.4.5]",
                "[::01.2.3.4]",
                "[::256.0.0.1]",
                "[1:2:3:4:5:6:7:1.2.3.4]",
                "[12345::]",
                "[1:]",
                "[::1",
                "[g::]",
            ],
        );
    }
}
