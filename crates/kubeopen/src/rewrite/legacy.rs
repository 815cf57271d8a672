//! URLs as bytes in the page's own encoding, for the CSS and HTML rewriters.
//!
//! In UTF-8 a URL is rewritten as text. In a legacy ASCII-compatible encoding (windows-1252,
//! Shift_JIS, GBK, …) its non-ASCII bytes mean other characters, which the browser percent-encodes
//! as UTF-8 only after decoding them; re-encoding those bytes here would change the URL. So only
//! the ASCII head — where the scheme, host and the start of the path are — is rewritten, and the
//! bytes after it are kept exactly. When the tail could still change how the head resolves (dot
//! segments, `\`, `%` escapes), the URL is left alone. A NUL byte is kept the same way: the
//! browser reads it as U+FFFD (the HTML tokenizer's and CSS's replacement for NUL), which a legacy
//! page cannot spell in its own bytes, and which the URL parser does not strip as it strips a
//! C0 control.

use std::borrow::Cow;

use super::context::RewriteContext;
use super::reference::{Reference, parse_reference};
use super::url::rewrite_url;

/// Rewrites `value`; `None` when it stays as it is.
pub(super) fn rewrite_url_bytes(value: &[u8], ctx: &RewriteContext, utf8: bool) -> Option<Vec<u8>> {
    let first_non_ascii = value.iter().position(|&b| b >= 0x80 || b == 0);
    let Some(split) = first_non_ascii.filter(|_| !utf8) else {
        let text = std::str::from_utf8(value).ok()?;
        return match rewrite_url(text, ctx) {
            Cow::Borrowed(_) => None,
            Cow::Owned(out) => Some(out.into_bytes()),
        };
    };
    let head = std::str::from_utf8(value.get(..split)?).ok()?;
    let tail = value.get(split..)?;
    let head_has_rest = head.contains(['?', '#']);
    if !head_has_rest {
        let tail_path_end = tail
            .iter()
            .position(|&b| b == b'?' || b == b'#')
            .unwrap_or(tail.len());
        let tail_path = tail.get(..tail_path_end)?;
        let unsafe_tail = tail_path.iter().any(|&b| b == b'\\' || b == b'%')
            || tail_path
                .split(|&b| b == b'/')
                .skip(1)
                .any(|segment| segment == b"." || segment == b"..");
        // The head must end where no tail byte can change its meaning.
        let head_ends_cleanly =
            head.ends_with(|c: char| c == '/' || c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if unsafe_tail || !head_ends_cleanly {
            return None;
        }
        // An absolute head must reach its path: `http://web` + `ä.example` is another host.
        if let Reference::Absolute(a) =
            parse_reference(head.trim_start_matches(|c: char| c <= ' '), ctx.server.https)
            && a.path.is_empty()
        {
            return None;
        }
    }
    match rewrite_url(head, ctx) {
        Cow::Borrowed(_) => None,
        Cow::Owned(out) => {
            let mut bytes = out.into_bytes();
            bytes.extend_from_slice(tail);
            Some(bytes)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::target::Target;

    #[test]
    fn legacy_bytes_are_kept() {
        let ctx = RewriteContext::new("https://k", &Target::service("a", "web").unwrap()).unwrap();
        let p = "/api/v1/namespaces/a/services/web/proxy";
        let out = rewrite_url_bytes(b"/caf\xe9/x.png", &ctx, false).unwrap();
        assert_eq!(out, [format!("{p}/caf").as_bytes(), b"\xe9/x.png"].concat());
        assert_eq!(rewrite_url_bytes(b"/a/\xe9/../../x", &ctx, false), None);
        assert_eq!(rewrite_url_bytes(b"http://web\xe4.example/", &ctx, false), None);
        assert_eq!(rewrite_url_bytes(b"\xe9.png", &ctx, false), None);
        let out = rewrite_url_bytes(b"/s?q=\xe9", &ctx, false).unwrap();
        assert_eq!(out, [format!("{p}/s?q=").as_bytes(), b"\xe9"].concat());
        // A NUL (U+FFFD to the browser) is kept like a non-ASCII byte, not stripped as a control.
        let out = rewrite_url_bytes(b"/x/\0", &ctx, false).unwrap();
        assert_eq!(out, [format!("{p}/x/").as_bytes(), b"\0"].concat());
        assert_eq!(rewrite_url_bytes(b"/x/..\0", &ctx, false), None);
        // In UTF-8, the whole URL is text.
        let out = rewrite_url_bytes("/é".as_bytes(), &ctx, true).unwrap();
        assert_eq!(out, format!("{p}/%C3%A9").into_bytes());
    }
}
