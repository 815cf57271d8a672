//! The pieces of Go's `net/url` and `path` packages the proxy depends on, byte for byte:
//! `url.Parse` / `URL.String` (including `EscapedPath`'s RawPath rule), `path.Clean`,
//! `path.Join`, apimachinery's `JoinPreservingTrailingSlash`, and the transport's `rewriteURL`
//! (spec §1.3, §3.4, §4.1).
//!
//! Paths are bytes: Go strings may hold any bytes after `%`-decoding, and the proxy must
//! re-escape exactly what it decoded.

/// Go's `encoding` modes for `shouldEscape`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `encodePath`.
    Path,
    /// `encodeFragment`.
    Fragment,
}

/// `shouldEscape(c, mode)` for the modes used here.
fn should_escape(c: u8, mode: Mode) -> bool {
    if c.is_ascii_alphanumeric() {
        return false;
    }
    match c {
        b'-' | b'_' | b'.' | b'~' => false,
        b'$' | b'&' | b'+' | b',' | b'/' | b':' | b';' | b'=' | b'@' => false,
        b'?' => mode == Mode::Path,
        b'!' | b'(' | b')' | b'*' => mode != Mode::Fragment,
        _ => true,
    }
}

/// `should_escape` for every byte, per mode (built at compile time).
const fn escape_table(mode: Mode) -> [bool; 256] {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = if b.is_ascii_alphanumeric() {
            false
        } else {
            match b {
                b'-' | b'_' | b'.' | b'~' => false,
                b'$' | b'&' | b'+' | b',' | b'/' | b':' | b';' | b'=' | b'@' => false,
                b'?' => matches!(mode, Mode::Path),
                b'!' | b'(' | b')' | b'*' => !matches!(mode, Mode::Fragment),
                _ => true,
            }
        };
        c += 1;
    }
    t
}

const ESCAPE_PATH: [bool; 256] = escape_table(Mode::Path);
const ESCAPE_FRAGMENT: [bool; 256] = escape_table(Mode::Fragment);

/// Go's `escape(s, mode)` for the path and fragment modes.
pub fn escape(s: &[u8], mode: Mode) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let table = match mode {
        Mode::Path => &ESCAPE_PATH,
        Mode::Fragment => &ESCAPE_FRAGMENT,
    };
    let mut out = String::with_capacity(s.len());
    let mut from = 0;
    for (i, &c) in s.iter().enumerate() {
        if table[usize::from(c)] {
            // Bytes not escaped are ASCII: the run is valid UTF-8.
            out.push_str(std::str::from_utf8(&s[from..i]).unwrap_or_default());
            out.push('%');
            out.push(char::from(HEX[usize::from(c >> 4)]));
            out.push(char::from(HEX[usize::from(c & 15)]));
            from = i + 1;
        }
    }
    out.push_str(std::str::from_utf8(&s[from..]).unwrap_or_default());
    out
}

fn hex_val(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// `%`-decoding as Go's `unescape` in path/fragment mode (`+` stays `+`). Fails on a bad escape.
pub fn unescape(s: &str) -> Result<Vec<u8>, String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hi = b.get(i + 1).copied().and_then(hex_val);
            let lo = b.get(i + 2).copied().and_then(hex_val);
            match (hi, lo) {
                (Some(h), Some(l)) => {
                    out.push(h << 4 | l);
                    i += 3;
                }
                _ => {
                    let end = (i + 3).min(b.len());
                    let bad = String::from_utf8_lossy(&b[i..end]).into_owned();
                    return Err(format!("invalid URL escape {bad:?}"));
                }
            }
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Ok(out)
}

/// Go's `validEncoded(s, mode)`.
fn valid_encoded(s: &str, mode: Mode) -> bool {
    s.bytes().all(|c| {
        matches!(
            c,
            b'!' | b'$'
                | b'&'
                | b'\''
                | b'('
                | b')'
                | b'*'
                | b'+'
                | b','
                | b';'
                | b'='
                | b':'
                | b'@'
                | b'['
                | b']'
                | b'%'
        ) || !should_escape(c, mode)
    })
}

/// Whether `path.Clean` would return `p` unchanged: `/`, or segments that are neither empty
/// nor `.` nor `..` (no trailing `/`). The common case on the proxy's hot path.
fn is_clean(p: &[u8]) -> bool {
    if p == b"/" {
        return true;
    }
    let body = p.strip_prefix(b"/").unwrap_or(p);
    !body.is_empty()
        && body
            .split(|&c| c == b'/')
            .all(|seg| !matches!(seg, b"" | b"." | b".."))
}

/// Go's `path.Clean` on bytes.
pub fn clean(p: &[u8]) -> Vec<u8> {
    if is_clean(p) {
        return p.to_vec();
    }
    clean_slow(p)
}

/// Go's `path.Clean` algorithm, as written there (one pass, backtracking on `..`).
fn clean_slow(p: &[u8]) -> Vec<u8> {
    if p.is_empty() {
        return b".".to_vec();
    }
    let rooted = p[0] == b'/';
    let n = p.len();
    let mut out = Vec::with_capacity(n);
    let (mut r, mut dotdot) = (0, 0);
    if rooted {
        out.push(b'/');
        (r, dotdot) = (1, 1);
    }
    while r < n {
        let at = |k: usize| p.get(k).copied();
        if p[r] == b'/' || (p[r] == b'.' && matches!(at(r + 1), None | Some(b'/'))) {
            // Empty or `.` element.
            r += 1;
        } else if p[r] == b'.' && at(r + 1) == Some(b'.') && matches!(at(r + 2), None | Some(b'/')) {
            // `..`: remove the last element, or keep it when nothing is left to remove.
            r += 2;
            if out.len() > dotdot {
                let mut w = out.len() - 1;
                while w > dotdot && out[w] != b'/' {
                    w -= 1;
                }
                out.truncate(w);
            } else if !rooted {
                if !out.is_empty() {
                    out.push(b'/');
                }
                out.extend_from_slice(b"..");
                dotdot = out.len();
            }
        } else {
            if (rooted && out.len() != 1) || (!rooted && !out.is_empty()) {
                out.push(b'/');
            }
            let end = p[r..].iter().position(|&c| c == b'/').map_or(n, |i| r + i);
            out.extend_from_slice(&p[r..end]);
            r = end;
        }
    }
    if out.is_empty() {
        out.push(b'.');
    }
    out
}

/// Go's `path.Join`: non-empty elements joined by `/`, then cleaned; all empty gives `""`.
pub fn join(elems: &[&[u8]]) -> Vec<u8> {
    let mut buf = Vec::with_capacity(elems.iter().map(|e| e.len() + 1).sum());
    let mut any = false;
    for e in elems.iter().filter(|e| !e.is_empty()) {
        // A separator next to a '/' would only be cleaned away again: leave it out, so that
        // the usual result is already clean.
        if any && !buf.ends_with(b"/") && !e.starts_with(b"/") {
            buf.push(b'/');
        }
        buf.extend_from_slice(e);
        any = true;
    }
    if !any {
        return Vec::new();
    }
    clean(&buf)
}

/// apimachinery `JoinPreservingTrailingSlash`.
pub fn join_preserving_trailing_slash(elems: &[&[u8]]) -> Vec<u8> {
    let mut result = join(elems);
    if let Some(last) = elems.iter().rev().find(|e| !e.is_empty())
        && last.ends_with(b"/")
        && !result.ends_with(b"/")
    {
        result.push(b'/');
    }
    result
}

/// A parsed URL, the fields of Go's `url.URL` that matter here.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GoUrl {
    /// Lower-cased scheme.
    pub scheme: String,
    /// Opaque part (`mailto:x`).
    pub opaque: String,
    /// Raw userinfo, if an `@` was present.
    pub user: Option<String>,
    /// Host (and port).
    pub host: String,
    /// Decoded path.
    pub path: Vec<u8>,
    /// The path as written, when it differs from the default escaping.
    pub raw_path: String,
    /// A `?` with nothing after it.
    pub force_query: bool,
    /// The query, verbatim.
    pub raw_query: String,
    /// Decoded fragment.
    pub fragment: Vec<u8>,
    /// The fragment as written, when it differs from the default escaping.
    pub raw_fragment: String,
    /// `scheme:/path` (no `//`).
    pub omit_host: bool,
}

fn get_scheme(raw: &str) -> Result<(&str, &str), String> {
    for (i, c) in raw.bytes().enumerate() {
        if c.is_ascii_alphabetic() {
            continue;
        }
        if c.is_ascii_digit() || c == b'+' || c == b'-' || c == b'.' {
            if i == 0 {
                return Ok(("", raw));
            }
            continue;
        }
        if c == b':' {
            if i == 0 {
                return Err("missing protocol scheme".to_owned());
            }
            return Ok((&raw[..i], &raw[i + 1..]));
        }
        return Ok(("", raw));
    }
    Ok(("", raw))
}

fn valid_optional_port(port: &str) -> bool {
    if port.is_empty() {
        return true;
    }
    match port.strip_prefix(':') {
        Some(digits) => digits.bytes().all(|c| c.is_ascii_digit()),
        None => false,
    }
}

fn parse_host(host: &str) -> Result<String, String> {
    if host.starts_with('[') {
        let Some(i) = host.rfind(']') else {
            return Err("missing ']' in host".to_owned());
        };
        let colon_port = &host[i + 1..];
        if !valid_optional_port(colon_port) {
            return Err(format!("invalid port {colon_port:?} after host"));
        }
    } else if let Some(i) = host.rfind(':') {
        let colon_port = &host[i..];
        if !valid_optional_port(colon_port) {
            return Err(format!("invalid port {colon_port:?} after host"));
        }
    }
    let h = unescape(host)?;
    String::from_utf8(h).map_err(|_| "invalid host".to_owned())
}

impl GoUrl {
    /// Go's `url.Parse`: errors are Go's messages, without the `parse "…": ` prefix.
    pub fn parse(raw: &str) -> Result<GoUrl, String> {
        let (u, frag) = match raw.split_once('#') {
            Some((u, f)) => (u, Some(f)),
            None => (raw, None),
        };
        let mut url = GoUrl::parse_no_frag(u)?;
        if let Some(frag) = frag {
            url.fragment = unescape(frag)?;
            if escape(&url.fragment, Mode::Fragment) != frag {
                url.raw_fragment = frag.to_owned();
            }
        }
        Ok(url)
    }

    fn parse_no_frag(raw: &str) -> Result<GoUrl, String> {
        if raw.bytes().any(|c| c < 0x20 || c == 0x7f) {
            return Err("net/url: invalid control character in URL".to_owned());
        }
        let mut url = GoUrl::default();
        if raw == "*" {
            url.path = b"*".to_vec();
            return Ok(url);
        }
        let (scheme, mut rest) = get_scheme(raw)?;
        url.scheme = scheme.to_ascii_lowercase();
        if rest.ends_with('?') && rest.matches('?').count() == 1 {
            url.force_query = true;
            rest = &rest[..rest.len() - 1];
        } else if let Some((r, q)) = rest.split_once('?') {
            url.raw_query = q.to_owned();
            rest = r;
        }
        if !rest.starts_with('/') {
            if !url.scheme.is_empty() {
                url.opaque = rest.to_owned();
                return Ok(url);
            }
            let segment = rest.split('/').next().unwrap_or("");
            if segment.contains(':') {
                return Err("first path segment in URL cannot contain colon".to_owned());
            }
        }
        if (!url.scheme.is_empty() || !rest.starts_with("///")) && rest.starts_with("//") {
            let after = &rest[2..];
            let (authority, r) = match after.find('/') {
                Some(i) => (&after[..i], &after[i..]),
                None => (after, ""),
            };
            match authority.rfind('@') {
                Some(i) => {
                    url.user = Some(authority[..i].to_owned());
                    url.host = parse_host(&authority[i + 1..])?;
                }
                None => url.host = parse_host(authority)?,
            }
            rest = r;
        } else if !url.scheme.is_empty() && rest.starts_with('/') {
            url.omit_host = true;
        }
        url.path = unescape(rest)?;
        if escape(&url.path, Mode::Path) != rest {
            url.raw_path = rest.to_owned();
        }
        Ok(url)
    }

    /// Go's `URL.EscapedPath`.
    pub fn escaped_path(&self) -> String {
        if !self.raw_path.is_empty()
            && valid_encoded(&self.raw_path, Mode::Path)
            && unescape(&self.raw_path).is_ok_and(|p| p == self.path)
        {
            return self.raw_path.clone();
        }
        if self.path == b"*" {
            return "*".to_owned();
        }
        escape(&self.path, Mode::Path)
    }

    fn escaped_fragment(&self) -> String {
        if !self.raw_fragment.is_empty()
            && valid_encoded(&self.raw_fragment, Mode::Fragment)
            && unescape(&self.raw_fragment).is_ok_and(|f| f == self.fragment)
        {
            return self.raw_fragment.clone();
        }
        escape(&self.fragment, Mode::Fragment)
    }
}

impl std::fmt::Display for GoUrl {
    /// Go's `URL.String`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.go_string())
    }
}

impl GoUrl {
    /// Go's `URL.String`, built straight into the returned `String`.
    pub fn go_string(&self) -> String {
        let mut buf = String::with_capacity(self.host.len() + self.path.len() + self.raw_query.len() + 16);
        if !self.scheme.is_empty() {
            buf.push_str(&self.scheme);
            buf.push(':');
        }
        if !self.opaque.is_empty() {
            buf.push_str(&self.opaque);
        } else {
            let has_authority = !self.scheme.is_empty() || !self.host.is_empty() || self.user.is_some();
            let omitted = self.omit_host && self.host.is_empty() && self.user.is_none();
            if has_authority && !omitted {
                if !self.host.is_empty() || !self.path.is_empty() || self.user.is_some() {
                    buf.push_str("//");
                }
                if let Some(u) = &self.user {
                    buf.push_str(u);
                    buf.push('@');
                }
                buf.push_str(&self.host);
            }
            let path = self.escaped_path();
            if !path.is_empty() && !path.starts_with('/') && !self.host.is_empty() {
                buf.push('/');
            }
            if buf.is_empty() && path.split('/').next().is_some_and(|s| s.contains(':')) {
                buf.push_str("./");
            }
            buf.push_str(&path);
        }
        if self.force_query || !self.raw_query.is_empty() {
            buf.push('?');
            buf.push_str(&self.raw_query);
        }
        if !self.fragment.is_empty() {
            buf.push('#');
            buf.push_str(&self.escaped_fragment());
        }
        buf
    }
}

/// The link-rewriting transport's settings (`proxy.Transport`), spec §3.2.
#[derive(Clone, Debug, Default)]
pub struct Rewriter {
    /// `Scheme` — empty in kube-apiserver.
    pub scheme: String,
    /// `Host` — empty in kube-apiserver.
    pub host: String,
    /// `PathPrepend` — the decoded request path minus the backend path.
    pub path_prepend: Vec<u8>,
    /// `sourceURL.Host`: the backend `ip:port` (cluster address, not the sandbox's loopback).
    pub source_host: String,
    /// `sourceRequestHost`: the `Host` header the client sent.
    pub request_host: String,
}

impl Rewriter {
    /// `Transport.rewriteURL` (spec §3.4).
    pub fn rewrite_url(&self, mut url: GoUrl) -> String {
        let different_host =
            !url.host.is_empty() && url.host != self.source_host && url.host != self.request_host;
        let relative = !url.path.starts_with(b"/");
        if different_host || relative {
            return url.go_string();
        }
        if !(url.host == self.request_host && self.scheme.is_empty() && self.host.is_empty()) {
            url.scheme.clone_from(&self.scheme);
            url.host.clone_from(&self.host);
        }
        if url.path.starts_with(&self.path_prepend) {
            return url.go_string();
        }
        let trailing = url.path.ends_with(b"/");
        url.path = join(&[&self.path_prepend, &url.path]);
        if trailing {
            url.path.push(b'/');
        }
        url.go_string()
    }

    /// Parses and rewrites one attribute value or `Location`; `None` when `url.Parse` fails.
    pub fn rewrite_str(&self, value: &str) -> Result<String, String> {
        GoUrl::parse(value).map(|u| self.rewrite_url(u))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: Vec<u8>) -> String {
        String::from_utf8(v).unwrap()
    }

    #[test]
    fn join_preserving_trailing_slash_table() {
        // spec §1.3, upstream http_test.go
        let rows = [
            ("", "", ""),
            ("", "/", "/"),
            ("", "foo", "foo"),
            ("", "/foo", "/foo"),
            ("", "/foo/", "/foo/"),
            ("/", "", "/"),
            ("foo", "", "foo"),
            ("/foo", "", "/foo"),
            ("/foo/", "", "/foo/"),
            ("/", "/", "/"),
            ("foo", "foo", "foo/foo"),
            ("/foo", "/foo", "/foo/foo"),
            ("/foo/", "/foo/", "/foo/foo/"),
        ];
        for (a, b, want) in rows {
            assert_eq!(
                s(join_preserving_trailing_slash(&[a.as_bytes(), b.as_bytes()])),
                want,
                "{a:?} + {b:?}"
            );
        }
    }

    /// The first implementation (a `Vec` of segments), kept as a reference.
    fn clean_reference(p: &[u8]) -> Vec<u8> {
        if p.is_empty() {
            return b".".to_vec();
        }
        let rooted = p[0] == b'/';
        let mut parts: Vec<&[u8]> = Vec::new();
        for seg in p.split(|&c| c == b'/') {
            match seg {
                b"" | b"." => {}
                b".." => {
                    if parts.last().is_some_and(|l| *l != b"..") {
                        parts.pop();
                    } else if !rooted {
                        parts.push(seg);
                    }
                }
                _ => parts.push(seg),
            }
        }
        let mut out = Vec::with_capacity(p.len());
        if rooted {
            out.push(b'/');
        }
        for (i, seg) in parts.iter().enumerate() {
            if i > 0 {
                out.push(b'/');
            }
            out.extend_from_slice(seg);
        }
        if out.is_empty() {
            out.push(b'.');
        }
        out
    }

    #[test]
    fn escape_table_is_should_escape() {
        for mode in [Mode::Path, Mode::Fragment] {
            for c in 0..=255u8 {
                let want = if should_escape(c, mode) {
                    format!("%{c:02X}")
                } else {
                    char::from(c).to_string()
                };
                assert_eq!(escape(&[b'a', c, b'b'], mode), format!("a{want}b"), "{c}");
            }
        }
    }

    #[test]
    fn clean_fast_path_agrees() {
        let alphabet: [&[u8]; 5] = [b"/", b".", b"a", b"..", b"b/"];
        let mut inputs: Vec<Vec<u8>> = vec![Vec::new()];
        for _ in 0..6 {
            let prev = inputs.clone();
            for p in prev {
                for a in alphabet {
                    let mut q = p.clone();
                    q.extend_from_slice(a);
                    inputs.push(q);
                }
            }
            inputs.sort();
            inputs.dedup();
        }
        for p in &inputs {
            let want = clean_reference(p);
            assert_eq!(clean(p), want, "{:?}", String::from_utf8_lossy(p));
            assert_eq!(clean_slow(p), want, "{:?}", String::from_utf8_lossy(p));
        }
    }

    #[test]
    fn clean_clamps_at_root() {
        assert_eq!(s(clean(b"/../../etc/passwd")), "/etc/passwd");
        assert_eq!(s(clean(b"a/../..")), "..");
        assert_eq!(s(clean(b"//a//b/./c/..")), "/a/b");
    }

    #[test]
    fn parse_and_string_round_trip() {
        for (inp, out) in [
            ("http://h/x?q#f", "http://h/x?q#f"),
            (" /x ", "%20/x%20"),
            ("x y", "x%20y"),
            ("mailto:a@b", "mailto:a@b"),
            ("?", "?"),
            ("#", ""),
            ("/a#b c", "/a#b%20c"),
            ("/a/b%2Fc", "/a/b%2Fc"),
            ("/a(b)", "/a(b)"),
            ("/a%28b%29", "/a%28b%29"),
        ] {
            assert_eq!(GoUrl::parse(inp).unwrap().to_string(), out, "{inp:?}");
        }
        for bad in ["%zz", "http://[::1", ":x", "1a:b", "http://h:x/"] {
            assert!(GoUrl::parse(bad).is_err(), "{bad:?}");
        }
    }

    fn t(scheme: &str, host: &str, prepend: &str, source: &str, req_host: &str) -> Rewriter {
        Rewriter {
            scheme: scheme.into(),
            host: host.into(),
            path_prepend: prepend.as_bytes().to_vec(),
            source_host: source.into(),
            request_host: req_host.into(),
        }
    }

    #[test]
    fn redirect_rows_of_transport_table() {
        // spec §3.6 rows 10–13 and 18–21 (Location rewriting).
        let t1 = t(
            "http",
            "foo.com",
            "/proxy/node/node1:10250",
            "mynode.com",
            "mynode.com",
        );
        let tempty = t("", "", "/proxy/node/node1:10250", "mynode.com", "10.0.0.1:8001");
        let x = "%00%3Cscript%3Ealert%281%29%3C/script%3E/";
        let rows = [
            (
                &t1,
                "/redirected/target/".to_owned(),
                "http://foo.com/proxy/node/node1:10250/redirected/target/".to_owned(),
            ),
            (
                &t1,
                "http://mynode.com/redirected/target/".into(),
                "http://foo.com/proxy/node/node1:10250/redirected/target/".into(),
            ),
            (
                &t1,
                "http://example.com/redirected/target/".into(),
                "http://example.com/redirected/target/".into(),
            ),
            (
                &tempty,
                "http://10.0.0.1:8001/redirected/target/".into(),
                "http://10.0.0.1:8001/proxy/node/node1:10250/redirected/target/".into(),
            ),
            (
                &t1,
                "/redirected/target/%00<script>alert(1)</script>/".into(),
                format!("http://foo.com/proxy/node/node1:10250/redirected/target/{x}"),
            ),
            (
                &t1,
                "http://mynode.com/redirected/target/%00<script>alert(1)</script>/".into(),
                format!("http://foo.com/proxy/node/node1:10250/redirected/target/{x}"),
            ),
            (
                &t1,
                "http://example.com/redirected/target/%00<script>alert(1)</script>/".into(),
                format!("http://example.com/redirected/target/{x}"),
            ),
            (
                &tempty,
                "http://10.0.0.1:8001/redirected/target/%00<script>alert(1)</script>/".into(),
                format!("http://10.0.0.1:8001/proxy/node/node1:10250/redirected/target/{x}"),
            ),
        ];
        for (tr, inp, want) in rows {
            assert_eq!(tr.rewrite_str(&inp).unwrap(), want, "{inp}");
        }
    }

    #[test]
    fn apiserver_style_rewrites_are_host_relative() {
        let tr = t(
            "",
            "",
            "/api/v1/namespaces/default/services/web:http/proxy",
            "10.0.0.5:80",
            "127.0.0.1:6443",
        );
        assert_eq!(
            tr.rewrite_str("/..").unwrap(),
            "/api/v1/namespaces/default/services/web:http"
        );
        assert_eq!(
            tr.rewrite_str("http://user:pass@10.0.0.5:80/x").unwrap(),
            "//user:pass@/api/v1/namespaces/default/services/web:http/proxy/x"
        );
        assert_eq!(
            tr.rewrite_str("/api/v1/namespaces/default/services/web:http/proxyfoo")
                .unwrap(),
            "/api/v1/namespaces/default/services/web:http/proxyfoo"
        );
    }
}
