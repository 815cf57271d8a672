//! The `{name}` segment of a proxy URL: `[scheme:]name[:port]`.
//!
//! This is apimachinery's `SplitSchemeNamePort` / `JoinSchemeNamePort`
//! (`pkg/util/net/port_split.go`), reproduced exactly, quirks included:
//!
//! - the number of `:`-separated parts decides the meaning (1: `name`, 2: `name:port`,
//!   3: `scheme:name:port`, 4+: invalid) — so `https:web` means *name* `https`, *port* `web`;
//! - the scheme must be exactly `""`, `"http"` or `"https"` (case-sensitive), so `:web:80` is valid;
//! - the port is opaque: empty, a name, or digits (`080` and `+80` pass through untouched);
//! - joining with a scheme always writes three parts, so an empty port leaves a trailing `:`
//!   (`https:web:`).
//!
//! Parsing is byte-exact and never allocates more than the three output strings.

use std::fmt;

/// The scheme the API server uses to reach the backend.
///
/// An absent scheme (`None` where this type is optional) is what Kubernetes writes as `""`; the
/// proxy handler then dials plain `http`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// `http:` — plain HTTP to the backend (what an empty scheme means too).
    Http,
    /// `https:` — TLS to the backend (the API server does not verify its certificate).
    Https,
}

impl Scheme {
    /// The scheme as written in a segment: `"http"` or `"https"`.
    ///
    /// ```
    /// assert_eq!(kubeopen::segment::Scheme::Https.as_str(), "https");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            Scheme::Http => "http",
            Scheme::Https => "https",
        }
    }

    /// Reads a segment scheme. `""` is `Ok(None)`; anything but `http`/`https` (exact case) is
    /// `Err(())`, the way `SplitSchemeNamePort` refuses it.
    ///
    /// ```
    /// use kubeopen::segment::Scheme;
    /// assert_eq!(Scheme::from_segment_str("https"), Ok(Some(Scheme::Https)));
    /// assert_eq!(Scheme::from_segment_str(""), Ok(None));
    /// assert!(Scheme::from_segment_str("HTTP").is_err());
    /// ```
    #[allow(clippy::result_unit_err)]
    pub fn from_segment_str(s: &str) -> Result<Option<Scheme>, ()> {
        match s {
            "" => Ok(None),
            "http" => Ok(Some(Scheme::Http)),
            "https" => Ok(Some(Scheme::Https)),
            _ => Err(()),
        }
    }
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A parsed `[scheme:]name[:port]` segment.
///
/// `Display` is `JoinSchemeNamePort`, so `Segment::parse(s)?.to_string()` normalises `s` the way
/// Kubernetes does (`web:` becomes `web`; `https:web:` stays `https:web:`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Segment {
    /// `None` is the empty scheme (the API server then uses `http`).
    pub scheme: Option<Scheme>,
    /// The object's name (service, pod or node). Never empty, never contains `:`.
    pub name: String,
    /// The port: empty, a port name, or digits — opaque here, as in Kubernetes. Never contains `:`.
    pub port: String,
}

/// Why a segment is not valid.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid proxy segment {input:?}: {kind}")]
pub struct SegmentError {
    /// The segment as given.
    pub input: String,
    /// What rule it broke.
    pub kind: SegmentErrorKind,
}

/// The rule a segment broke.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SegmentErrorKind {
    /// The segment is the empty string.
    #[error("it is empty; expected [scheme:]name[:port]")]
    Empty,
    /// More than three `:`-separated parts.
    #[error(
        "it has {parts} ':'-separated parts (the 4th starts at byte {at}); expected at most 3: scheme:name:port"
    )]
    TooManyParts {
        /// How many parts there are.
        parts: usize,
        /// Byte offset of the first part beyond the third.
        at: usize,
    },
    /// The name part is empty.
    #[error("the name (at byte {at}) is empty")]
    EmptyName {
        /// Byte offset where the name should be.
        at: usize,
    },
    /// The scheme is not `http`, `https` or empty.
    #[error("the scheme {scheme:?} (at byte 0) must be \"http\", \"https\" or empty (case matters)")]
    UnknownScheme {
        /// The scheme as given.
        scheme: String,
    },
    /// A field given to [`Segment::new`] contains `:`, which would change how the segment splits.
    #[error("the {field} {value:?} contains ':' at byte {at}, which would change how the segment splits")]
    ColonInField {
        /// `"name"` or `"port"`.
        field: &'static str,
        /// The value as given.
        value: String,
        /// Byte offset of the `:` in the value.
        at: usize,
    },
}

impl Segment {
    /// Splits a segment exactly like `SplitSchemeNamePort`.
    ///
    /// ```
    /// use kubeopen::segment::{Scheme, Segment};
    ///
    /// // Two parts are name:port, even when the first looks like a scheme.
    /// let quirk = Segment::parse("https:web")?;
    /// assert_eq!((quirk.scheme, quirk.name.as_str(), quirk.port.as_str()), (None, "https", "web"));
    ///
    /// assert!(Segment::parse("ftp:web:21").is_err());
    /// # Ok::<(), kubeopen::segment::SegmentError>(())
    /// ```
    pub fn parse(id: &str) -> Result<Segment, SegmentError> {
        let (scheme, name, port) = split_scheme_name_port(id)?;
        Ok(Segment {
            scheme,
            name: name.to_owned(),
            port: port.to_owned(),
        })
    }

    /// Builds a segment from its parts, refusing parts that `JoinSchemeNamePort` would join into
    /// something that does not split back into the same parts (an empty name, a `:` inside).
    ///
    /// ```
    /// use kubeopen::segment::{Scheme, Segment};
    ///
    /// let seg = Segment::new(Some(Scheme::Https), "kubernetes-dashboard", "")?;
    /// assert_eq!(seg.to_string(), "https:kubernetes-dashboard:");
    /// assert!(Segment::new(None, "web", "a:b").is_err());
    /// # Ok::<(), kubeopen::segment::SegmentError>(())
    /// ```
    pub fn new(scheme: Option<Scheme>, name: &str, port: &str) -> Result<Segment, SegmentError> {
        let seg = Segment {
            scheme,
            name: name.to_owned(),
            port: port.to_owned(),
        };
        let fail = |kind| SegmentError {
            input: seg.to_string(),
            kind,
        };
        if name.is_empty() {
            return Err(fail(SegmentErrorKind::EmptyName { at: 0 }));
        }
        for (field, value) in [("name", name), ("port", port)] {
            if let Some(at) = value.find(':') {
                return Err(fail(SegmentErrorKind::ColonInField {
                    field,
                    value: value.to_owned(),
                    at,
                }));
            }
        }
        Ok(seg)
    }
}

/// [`Segment::parse`] without allocating: the scheme and borrowed name and port.
pub(crate) fn split_scheme_name_port(id: &str) -> Result<(Option<Scheme>, &str, &str), SegmentError> {
    let fail = |kind| SegmentError {
        input: id.to_owned(),
        kind,
    };
    if id.is_empty() {
        return Err(fail(SegmentErrorKind::Empty));
    }
    // The first two `:`s decide everything; a third makes too many parts.
    let mut colons = [None; 2];
    let mut found = 0;
    for (i, &b) in id.as_bytes().iter().enumerate() {
        if b == b':' {
            match colons.get_mut(found) {
                Some(slot) => *slot = Some(i),
                None => {
                    let parts = id.bytes().filter(|&b| b == b':').count() + 1;
                    return Err(fail(SegmentErrorKind::TooManyParts { parts, at: i + 1 }));
                }
            }
            found += 1;
        }
    }
    // `:` is ASCII, so every cut is on a char boundary.
    let (scheme, name, port) = match colons {
        [None, _] => ("", id, ""),
        [Some(c), None] => (
            "",
            id.get(..c).unwrap_or_default(),
            id.get(c + 1..).unwrap_or_default(),
        ),
        [Some(c1), Some(c2)] => (
            id.get(..c1).unwrap_or_default(),
            id.get(c1 + 1..c2).unwrap_or_default(),
            id.get(c2 + 1..).unwrap_or_default(),
        ),
    };
    let scheme = Scheme::from_segment_str(scheme).map_err(|()| {
        fail(SegmentErrorKind::UnknownScheme {
            scheme: scheme.to_owned(),
        })
    })?;
    if name.is_empty() {
        let at = match colons {
            [Some(c1), Some(_)] => c1 + 1,
            _ => 0,
        };
        return Err(fail(SegmentErrorKind::EmptyName { at }));
    }
    Ok((scheme, name, port))
}

/// `JoinSchemeNamePort`: `scheme:name:port` when there is a scheme (even with an empty port),
/// else `name:port` when there is a port, else `name`. No validation, as upstream.
///
/// ```
/// use kubeopen::segment::{join_scheme_name_port, Scheme};
/// assert_eq!(join_scheme_name_port(Some(Scheme::Https), "web", ""), "https:web:");
/// assert_eq!(join_scheme_name_port(None, "web", "8080"), "web:8080");
/// assert_eq!(join_scheme_name_port(None, "web", ""), "web");
/// ```
pub fn join_scheme_name_port(scheme: Option<Scheme>, name: &str, port: &str) -> String {
    let mut out = String::with_capacity(name.len() + port.len() + 8);
    push_scheme_name_port(&mut out, scheme, name, port);
    out
}

/// Appends [`join_scheme_name_port`]`(scheme, name, port)` to `out`.
pub(crate) fn push_scheme_name_port(out: &mut String, scheme: Option<Scheme>, name: &str, port: &str) {
    if let Some(s) = scheme {
        out.push_str(s.as_str());
        out.push(':');
    }
    out.push_str(name);
    if scheme.is_some() || !port.is_empty() {
        out.push(':');
        out.push_str(port);
    }
}

impl fmt::Display for Segment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.scheme {
            Some(s) => write!(f, "{s}:{}:{}", self.name, self.port),
            None if !self.port.is_empty() => write!(f, "{}:{}", self.name, self.port),
            None => f.write_str(&self.name),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// `TestSplitSchemeNamePort`, apimachinery `pkg/util/net/port_split_test.go` (spec §1.1):
    /// (in, scheme, name, port, valid, normalized).
    const UPSTREAM: &[(&str, &str, &str, &str, bool, bool)] = &[
        ("aoeu:asdf", "", "aoeu", "asdf", true, true),
        ("http:aoeu:asdf", "http", "aoeu", "asdf", true, true),
        ("https:aoeu:", "https", "aoeu", "", true, false),
        ("https:aoeu:asdf", "https", "aoeu", "asdf", true, true),
        ("aoeu:", "", "aoeu", "", true, false), // Join gives "aoeu"
        ("aoeu", "", "aoeu", "", true, true),
        (":asdf", "", "", "", false, false),
        ("aoeu:asdf:htns", "", "", "", false, false),
        ("http::asdf", "", "", "", false, false),
        ("http::", "", "", "", false, false),
        ("", "", "", "", false, false),
    ];

    fn scheme_str(s: Option<Scheme>) -> &'static str {
        s.map_or("", Scheme::as_str)
    }

    #[test]
    fn upstream_split_scheme_name_port_table() {
        for &(input, scheme, name, port, valid, normalized) in UPSTREAM {
            match Segment::parse(input) {
                Ok(seg) => {
                    assert!(valid, "{input:?} should be invalid");
                    assert_eq!(
                        (scheme_str(seg.scheme), seg.name.as_str(), seg.port.as_str()),
                        (scheme, name, port),
                        "{input:?}"
                    );
                    // Split(Join(Split(in))) == Split(in)
                    let again = Segment::parse(&seg.to_string());
                    assert_eq!(again.as_ref(), Ok(&seg), "{input:?} round trip");
                    // Upstream only checks Join(Split(in)) == in for normalized rows.
                    if normalized {
                        assert_eq!(seg.to_string(), input, "{input:?} normalized");
                    }
                }
                Err(e) => assert!(!valid, "{input:?} should be valid, got {e}"),
            }
        }
    }

    /// The "https:name" quirk and the cluster-info ids of spec §6.
    #[test]
    fn quirks_and_cluster_info_ids() {
        let seg = Segment::parse("https:web").unwrap();
        assert_eq!(
            (seg.scheme, seg.name.as_str(), seg.port.as_str()),
            (None, "https", "web")
        );
        let seg = Segment::parse(":web:80").unwrap();
        assert_eq!((seg.scheme, seg.port.as_str()), (None, "80"));
        assert_eq!(seg.to_string(), "web:80");
        assert!(Segment::parse("HTTP:web:80").is_err());
        assert_eq!(Segment::parse("web:080").map(|s| s.port), Ok("080".into()));
        assert_eq!(Segment::parse("web:+80").map(|s| s.port), Ok("+80".into()));
        assert_eq!(join_scheme_name_port(None, "svc", ""), "svc");
        assert_eq!(join_scheme_name_port(None, "svc", "dns"), "svc:dns");
        assert_eq!(
            join_scheme_name_port(Some(Scheme::Https), "svc", ""),
            "https:svc:"
        );
        assert_eq!(
            join_scheme_name_port(Some(Scheme::Https), "svc", "https"),
            "https:svc:https"
        );
    }

    #[test]
    fn errors_say_what_and_where() {
        let e = Segment::parse("a:b:c:d").unwrap_err();
        assert_eq!(e.kind, SegmentErrorKind::TooManyParts { parts: 4, at: 6 });
        assert!(e.to_string().contains("\"a:b:c:d\""), "{e}");
        let e = Segment::parse("http::80").unwrap_err();
        assert_eq!(e.kind, SegmentErrorKind::EmptyName { at: 5 });
        let e = Segment::parse("ftp:web:21").unwrap_err();
        assert_eq!(e.kind, SegmentErrorKind::UnknownScheme { scheme: "ftp".into() });
        assert!(e.to_string().contains("\"ftp\""), "{e}");
        assert_eq!(Segment::parse("").unwrap_err().kind, SegmentErrorKind::Empty);
        let e = Segment::new(None, "web", "a:b").unwrap_err();
        assert_eq!(
            e.kind,
            SegmentErrorKind::ColonInField {
                field: "port",
                value: "a:b".into(),
                at: 1
            }
        );
        assert!(Segment::new(None, "", "80").is_err());
    }

    proptest! {
        /// Any string: parse never panics, and a valid parse re-joins to something that parses
        /// back to the same segment.
        #[test]
        fn parse_is_total_and_round_trips(id in "\\PC{0,24}|[a-z:]{0,12}|(https?)?:[a-z]{0,5}:[0-9a-z]{0,5}") {
            if let Ok(seg) = Segment::parse(&id) {
                prop_assert!(!seg.name.is_empty());
                prop_assert_eq!(Segment::parse(&seg.to_string()), Ok(seg));
            }
        }

        /// Any parts without `:` (and a non-empty name) survive join then split.
        #[test]
        fn new_then_parse_round_trips(
            scheme in prop::option::of(prop_oneof![Just(Scheme::Http), Just(Scheme::Https)]),
            name in "[^:]{1,16}",
            port in "[^:]{0,8}",
        ) {
            let seg = Segment::new(scheme, &name, &port);
            prop_assert!(seg.is_ok());
            if let Ok(seg) = seg {
                prop_assert_eq!(Segment::parse(&seg.to_string()), Ok(seg));
            }
        }
    }
}
