//! `<meta http-equiv="refresh" content="5; url=/login">` (and the `Refresh` header): the URL part,
//! found with the HTML standard's "shared declarative refresh steps".

use std::borrow::Cow;

use super::context::RewriteContext;
use super::legacy::rewrite_url_bytes;

/// Rewrites the URL in a refresh value (`"0; url='/x'"`, `"3,/x"`, `"5"`); everything else is kept.
///
/// ```
/// use kubeopen::rewrite::{rewrite_refresh, RewriteContext};
/// let ctx = RewriteContext::new("https://k", &kubeopen::Target::service("a", "web")?)?;
/// assert_eq!(rewrite_refresh("0; URL='/login'", &ctx), "0; URL='/api/v1/namespaces/a/services/web/proxy/login'");
/// assert_eq!(rewrite_refresh("30", &ctx), "30");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn rewrite_refresh<'a>(value: &'a str, ctx: &RewriteContext) -> Cow<'a, str> {
    match rewrite_refresh_bytes(value.as_bytes(), ctx, true) {
        Some(bytes) => Cow::Owned(
            String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
        ),
        None => Cow::Borrowed(value),
    }
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\x0c' | b'\r')
}

/// Where the URL of a refresh value is, if it has one.
fn url_range(v: &[u8]) -> Option<(usize, usize)> {
    let mut i = 0;
    let skip_space = |i: &mut usize| {
        while *i < v.len() && is_space(v[*i]) {
            *i += 1;
        }
    };
    skip_space(&mut i);
    let digits = i;
    while i < v.len() && v[i].is_ascii_digit() {
        i += 1;
    }
    if i == digits && v.get(i) != Some(&b'.') {
        return None;
    }
    while i < v.len() && (v[i].is_ascii_digit() || v[i] == b'.') {
        i += 1;
    }
    match v.get(i) {
        None => return None,
        Some(&b) if !(b == b';' || b == b',' || is_space(b)) => return None,
        Some(_) => {}
    }
    skip_space(&mut i);
    if matches!(v.get(i), Some(b';' | b',')) {
        i += 1;
    }
    skip_space(&mut i);
    let mut start = i;
    if v.get(i..i + 3).is_some_and(|w| w.eq_ignore_ascii_case(b"url")) {
        let mut j = i + 3;
        skip_space(&mut j);
        if v.get(j) == Some(&b'=') {
            j += 1;
            skip_space(&mut j);
            start = j;
        }
    }
    let quote = match v.get(start) {
        Some(&q @ (b'"' | b'\'')) => Some(q),
        _ => None,
    };
    if let Some(q) = quote {
        start += 1;
        let end = v[start..]
            .iter()
            .position(|&b| b == q)
            .map_or(v.len(), |p| start + p);
        return Some((start, end));
    }
    let mut end = v.len();
    while end > start && is_space(v[end - 1]) {
        end -= 1;
    }
    (end > start).then_some((start, end))
}

/// Rewrites a refresh value given as bytes in the page's encoding; `None` when nothing changes.
pub(super) fn rewrite_refresh_bytes(value: &[u8], ctx: &RewriteContext, utf8: bool) -> Option<Vec<u8>> {
    let (start, end) = url_range(value)?;
    let url = rewrite_url_bytes(&value[start..end], ctx, utf8)?;
    let mut out = Vec::with_capacity(value.len() + url.len());
    out.extend_from_slice(&value[..start]);
    out.extend_from_slice(&url);
    out.extend_from_slice(&value[end..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_ranges() {
        fn url(v: &str) -> Option<&str> {
            url_range(v.as_bytes()).map(|(s, e)| &v[s..e])
        }
        assert_eq!(url("0;url=/x"), Some("/x"));
        assert_eq!(url(" 5 , URL = \"/a b\" "), Some("/a b"));
        assert_eq!(url("1.5; /y "), Some("/y"));
        assert_eq!(url("0; urlx"), Some("urlx"));
        assert_eq!(url("0; url '/z'"), Some("url '/z'"));
        assert_eq!(url("5"), None);
        assert_eq!(url("x; url=/y"), None);
        assert_eq!(url("5x; url=/y"), None);
    }
}
