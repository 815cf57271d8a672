//! Kubernetes' name rules (apimachinery `pkg/util/validation/validation.go`, spec §2.5), as
//! checks that say which rule broke, how, and at which byte.
//!
//! | rule | used for | pattern | max |
//! | --- | --- | --- | --- |
//! | [`Rule::Dns1035Label`] | service names | `[a-z]([-a-z0-9]*[a-z0-9])?` | 63 |
//! | [`Rule::Dns1123Label`] | namespaces, port names | `[a-z0-9]([-a-z0-9]*[a-z0-9])?` | 63 |
//! | [`Rule::Dns1123Subdomain`] | pod and node names | labels as above joined by `.` | 253 |
//! | [`Rule::PortNumber`] | port numbers | `1`–`65535` | – |
//!
//! The checks work on bytes; anything outside ASCII is reported as the character that starts there.

use std::fmt;

/// A Kubernetes naming rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Rule {
    /// `IsDNS1035Label`: lowercase letters, digits and `-`; starts with a letter, ends with a letter
    /// or digit; at most 63 bytes. Service names.
    Dns1035Label,
    /// `IsDNS1123Label`: lowercase letters, digits and `-`; starts and ends with a letter or digit;
    /// at most 63 bytes. Namespaces and service port names.
    Dns1123Label,
    /// `IsDNS1123Subdomain`: DNS-1123 labels joined by `.`, at most 253 bytes in all. Pod and node
    /// names.
    Dns1123Subdomain,
    /// A TCP port number, 1–65535.
    PortNumber,
}

impl Rule {
    /// The longest value the rule allows, in bytes (`None` for port numbers).
    ///
    /// ```
    /// use kubeopen::validation::Rule;
    /// assert_eq!(Rule::Dns1123Subdomain.max_len(), Some(253));
    /// ```
    pub const fn max_len(self) -> Option<usize> {
        match self {
            Rule::Dns1035Label | Rule::Dns1123Label => Some(63),
            Rule::Dns1123Subdomain => Some(253),
            Rule::PortNumber => None,
        }
    }

    /// Checks `value` against the rule.
    ///
    /// ```
    /// use kubeopen::validation::{Problem, Rule};
    ///
    /// assert!(Rule::Dns1035Label.check("grafana").is_ok());
    /// let broken = Rule::Dns1035Label.check("9grafana").unwrap_err();
    /// assert_eq!((broken.problem, broken.at), (Problem::BadFirst('9'), 0));
    /// let broken = Rule::Dns1123Subdomain.check("web-0..x").unwrap_err();
    /// assert_eq!((broken.problem, broken.at), (Problem::EmptyLabel, 6));
    /// ```
    pub fn check(self, value: &str) -> Result<(), Violation> {
        let broken = |problem, at| {
            Err(Violation {
                rule: self,
                problem,
                at,
            })
        };
        if value.is_empty() {
            return broken(Problem::Empty, 0);
        }
        if let Some(max) = self.max_len()
            && value.len() > max
        {
            return broken(
                Problem::TooLong {
                    len: value.len(),
                    max,
                },
                max,
            );
        }
        match self {
            Rule::Dns1035Label => check_label(value, 0, true).map_or(Ok(()), |(p, at)| broken(p, at)),
            Rule::Dns1123Label => check_label(value, 0, false).map_or(Ok(()), |(p, at)| broken(p, at)),
            Rule::Dns1123Subdomain => {
                let mut start = 0;
                loop {
                    // '.' is ASCII, so every cut is on a char boundary.
                    let end = value
                        .as_bytes()
                        .get(start..)
                        .and_then(|rest| rest.iter().position(|&b| b == b'.'))
                        .map_or(value.len(), |i| start + i);
                    let label = value.get(start..end).unwrap_or_default();
                    if label.is_empty() {
                        return broken(Problem::EmptyLabel, start);
                    }
                    if let Some((p, at)) = check_label(label, start, false) {
                        return broken(p, at);
                    }
                    if end == value.len() {
                        return Ok(());
                    }
                    start = end + 1;
                }
            }
            Rule::PortNumber => match parse_port_number(value) {
                Some(Ok(_)) => Ok(()),
                Some(Err(())) => broken(Problem::OutOfRange, 0),
                None => {
                    let at = value.bytes().position(|b| !b.is_ascii_digit()).unwrap_or(0);
                    broken(Problem::Character(char_at(value, at)), at)
                }
            },
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Rule::Dns1035Label => {
                "DNS-1035 label (lowercase letters, digits and '-', starting with a letter, \
                 ending with a letter or digit, at most 63 characters)"
            }
            Rule::Dns1123Label => {
                "DNS-1123 label (lowercase letters, digits and '-', starting and ending with a \
                 letter or digit, at most 63 characters)"
            }
            Rule::Dns1123Subdomain => {
                "DNS-1123 subdomain (DNS-1123 labels separated by '.', at most 253 characters)"
            }
            Rule::PortNumber => "port number (1 to 65535)",
        })
    }
}

/// How a value broke a [`Rule`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Problem {
    /// The value is empty.
    Empty,
    /// The value is longer than the rule allows.
    TooLong {
        /// Its length in bytes.
        len: usize,
        /// The most the rule allows.
        max: usize,
    },
    /// A character the rule never allows (uppercase, `_`, `/`, non-ASCII, …).
    Character(char),
    /// An allowed character that may not come first (`-`, or a digit in a DNS-1035 label).
    BadFirst(char),
    /// An allowed character that may not come last (`-`).
    BadLast(char),
    /// A subdomain with an empty label (`a..b`, or a leading or trailing `.`).
    EmptyLabel,
    /// A port number that is 0 or above 65535.
    OutOfRange,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Empty => f.write_str("it is empty"),
            Problem::TooLong { len, max } => write!(f, "it is {len} characters long, more than {max}"),
            Problem::Character(c) if c.is_ascii_uppercase() => {
                write!(f, "{c:?} is uppercase; only lowercase is allowed")
            }
            Problem::Character(c) => write!(f, "{c:?} is not allowed"),
            Problem::BadFirst(c) => write!(f, "it may not start with {c:?}"),
            Problem::BadLast(c) => write!(f, "it may not end with {c:?}"),
            Problem::EmptyLabel => f.write_str("it has an empty '.'-separated part"),
            Problem::OutOfRange => f.write_str("it is not between 1 and 65535"),
        }
    }
}

/// A broken rule: which, how, and the byte offset in the checked value where it broke.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, thiserror::Error)]
#[error("{problem} (at byte {at}); expected a {rule}")]
pub struct Violation {
    /// The rule that was broken.
    pub rule: Rule,
    /// How it was broken.
    pub problem: Problem,
    /// Byte offset in the value.
    pub at: usize,
}

/// Checks one DNS label (`[a-z0-9-]`, alphanumeric at both ends; a letter first when
/// `letter_first`). `offset` is added to reported positions. The length is checked by the caller.
fn check_label(label: &str, offset: usize, letter_first: bool) -> Option<(Problem, usize)> {
    let bytes = label.as_bytes();
    if let Some(i) = bytes.iter().position(|&b| !LABEL_BYTES[usize::from(b)]) {
        return Some((Problem::Character(char_at(label, i)), offset + i));
    }
    let first = bytes.first().copied().unwrap_or(b'a');
    let first_ok = if letter_first {
        first.is_ascii_lowercase()
    } else {
        first != b'-'
    };
    if !first_ok {
        return Some((Problem::BadFirst(char::from(first)), offset));
    }
    let last = bytes.last().copied().unwrap_or(b'a');
    if last == b'-' {
        return Some((Problem::BadLast('-'), offset + bytes.len() - 1));
    }
    None
}

/// The bytes of a DNS label: lowercase letters, digits and `-`.
const LABEL_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        // `b < 256`, so the cast is exact.
        #[allow(clippy::cast_possible_truncation)]
        let byte = b as u8;
        table[b] = byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-';
        b += 1;
    }
    table
};

/// `Some(Ok(n))` for all-digit strings naming 1–65535 (leading zeros allowed, as `ParseInt`
/// reads them); `Some(Err(()))` for other all-digit strings; `None` when not all digits.
pub(crate) fn parse_port_number(value: &str) -> Option<Result<u16, ()>> {
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let significant = value.trim_start_matches('0');
    if significant.len() > 5 {
        return Some(Err(()));
    }
    let n = significant
        .bytes()
        .fold(0u32, |n, b| n * 10 + u32::from(b - b'0'));
    Some(u16::try_from(n).ok().filter(|&n| n != 0).ok_or(()))
}

/// The character starting at byte `at` (which the callers only ever give at a char boundary
/// or in ASCII text), or U+FFFD if there is none.
fn char_at(s: &str, at: usize) -> char {
    s.get(at..)
        .and_then(|rest| rest.chars().next())
        .unwrap_or('\u{fffd}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(rule: Rule, value: &str) -> Option<(Problem, usize)> {
        rule.check(value).err().map(|v| (v.problem, v.at))
    }

    /// apimachinery `validation_test.go` `TestIsDNS1035Label` / `TestIsDNS1123Label` good and bad
    /// values, reduced to the interesting ones.
    #[test]
    fn labels() {
        for good in ["a", "ab", "abc", "a1", "a-1", "a--1--2--b", &"a".repeat(63)] {
            assert_eq!(problem(Rule::Dns1035Label, good), None, "{good:?}");
            assert_eq!(problem(Rule::Dns1123Label, good), None, "{good:?}");
        }
        // DNS-1123 labels may start with a digit (namespaces "1-x", port names "80").
        assert_eq!(problem(Rule::Dns1123Label, "0"), None);
        assert_eq!(problem(Rule::Dns1123Label, "11"), None);
        assert_eq!(
            problem(Rule::Dns1035Label, "1a"),
            Some((Problem::BadFirst('1'), 0))
        );
        assert_eq!(problem(Rule::Dns1035Label, ""), Some((Problem::Empty, 0)));
        assert_eq!(
            problem(Rule::Dns1123Label, "A"),
            Some((Problem::Character('A'), 0))
        );
        assert_eq!(
            problem(Rule::Dns1123Label, "ab_c"),
            Some((Problem::Character('_'), 2))
        );
        assert_eq!(
            problem(Rule::Dns1123Label, "-a"),
            Some((Problem::BadFirst('-'), 0))
        );
        assert_eq!(
            problem(Rule::Dns1123Label, "a-"),
            Some((Problem::BadLast('-'), 1))
        );
        assert_eq!(
            problem(Rule::Dns1123Label, "a.b"),
            Some((Problem::Character('.'), 1))
        );
        assert_eq!(
            problem(Rule::Dns1123Label, "aé"),
            Some((Problem::Character('é'), 1))
        );
        assert_eq!(
            problem(Rule::Dns1035Label, &"a".repeat(64)),
            Some((Problem::TooLong { len: 64, max: 63 }, 63))
        );
    }

    #[test]
    fn subdomains() {
        for good in [
            "a",
            "a.b",
            "web-0",
            "1.2.3.4",
            "ip-10-0-0-1.ec2.internal",
            &"a".repeat(253),
        ] {
            assert_eq!(problem(Rule::Dns1123Subdomain, good), None, "{good:?}");
        }
        assert_eq!(
            problem(Rule::Dns1123Subdomain, ".a"),
            Some((Problem::EmptyLabel, 0))
        );
        assert_eq!(
            problem(Rule::Dns1123Subdomain, "a."),
            Some((Problem::EmptyLabel, 2))
        );
        assert_eq!(
            problem(Rule::Dns1123Subdomain, "a.-b"),
            Some((Problem::BadFirst('-'), 2))
        );
        assert_eq!(
            problem(Rule::Dns1123Subdomain, "a.b-.c"),
            Some((Problem::BadLast('-'), 3))
        );
        assert_eq!(
            problem(Rule::Dns1123Subdomain, &"a".repeat(254)),
            Some((Problem::TooLong { len: 254, max: 253 }, 253))
        );
    }

    #[test]
    fn port_numbers() {
        assert_eq!(parse_port_number("80"), Some(Ok(80)));
        assert_eq!(parse_port_number("080"), Some(Ok(80)));
        assert_eq!(parse_port_number("65535"), Some(Ok(65535)));
        assert_eq!(parse_port_number("0000000065535"), Some(Ok(65535)));
        assert_eq!(parse_port_number("65536"), Some(Err(())));
        assert_eq!(parse_port_number("0"), Some(Err(())));
        assert_eq!(parse_port_number("99999999999999999999"), Some(Err(())));
        assert_eq!(parse_port_number("+80"), None);
        assert_eq!(parse_port_number(""), None);
        assert_eq!(problem(Rule::PortNumber, "0"), Some((Problem::OutOfRange, 0)));
        assert_eq!(
            problem(Rule::PortNumber, "8o"),
            Some((Problem::Character('o'), 1))
        );
    }
}
