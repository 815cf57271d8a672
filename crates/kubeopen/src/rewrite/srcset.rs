//! `srcset` and `imagesrcset`: comma-separated image candidates, `URL [descriptor]`, parsed as
//! the HTML standard's "parse a srcset attribute" reads them.

use std::borrow::Cow;

use super::context::RewriteContext;
use super::legacy::rewrite_url_bytes;

/// Rewrites every candidate URL of a `srcset`/`imagesrcset` value; descriptors, commas and
/// spacing are kept.
///
/// ```
/// use kubeopen::rewrite::{rewrite_srcset, RewriteContext};
/// let ctx = RewriteContext::new("https://k", &kubeopen::Target::service("a", "web")?)?;
/// assert_eq!(
///     rewrite_srcset("/a.png 1x,\n  b.png 2x, /c.png (x, y) 3x", &ctx),
///     "/api/v1/namespaces/a/services/web/proxy/a.png 1x,\n  b.png 2x, /api/v1/namespaces/a/services/web/proxy/c.png (x, y) 3x",
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn rewrite_srcset<'a>(value: &'a str, ctx: &RewriteContext) -> Cow<'a, str> {
    match rewrite_srcset_bytes(value.as_bytes(), ctx, true) {
        Some(bytes) => Cow::Owned(
            String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
        ),
        None => Cow::Borrowed(value),
    }
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\x0c' | b'\r')
}

/// The byte ranges of the candidate URLs.
fn candidate_urls(value: &[u8]) -> Vec<(usize, usize)> {
    let mut urls = Vec::new();
    let mut i = 0;
    while i < value.len() {
        while i < value.len() && (is_space(value[i]) || value[i] == b',') {
            i += 1;
        }
        if i >= value.len() {
            break;
        }
        let start = i;
        while i < value.len() && !is_space(value[i]) {
            i += 1;
        }
        let mut end = i;
        if value[start..end].ends_with(b",") {
            while end > start && value[end - 1] == b',' {
                end -= 1;
            }
            urls.push((start, end));
            continue;
        }
        urls.push((start, end));
        // Descriptors run to a comma outside parentheses.
        let mut depth = 0usize;
        while i < value.len() {
            match value[i] {
                b'(' => depth += 1,
                b')' => depth = depth.saturating_sub(1),
                b',' if depth == 0 => {
                    i += 1;
                    break;
                }
                _ => {}
            }
            i += 1;
        }
    }
    urls
}

/// Rewrites a `srcset` given as bytes in the page's encoding; `None` when nothing changes.
///
/// Only a candidate URL's core is replaced: the C0 controls around it, which the URL parser
/// strips but which are not whitespace to the srcset parser, are kept. Dropping them could
/// change how the value splits: in `/a,\x01 /b 2x` the URL is `/a,` followed by the invalid
/// descriptor `/b` (no candidate), while `/a, /b 2x` has a second candidate `/b`.
pub(super) fn rewrite_srcset_bytes(value: &[u8], ctx: &RewriteContext, utf8: bool) -> Option<Vec<u8>> {
    let mut out: Option<Vec<u8>> = None;
    let mut copied = 0;
    for (token_start, token_end) in candidate_urls(value) {
        let token = &value[token_start..token_end];
        // NUL is not among them: to the browser it is U+FFFD (see `decode_value`).
        let kept = |b: &u8| !(1..=b' ').contains(b);
        let Some(start) = token.iter().position(kept) else {
            continue;
        };
        let end = token.iter().rposition(kept).map_or(start, |i| i + 1);
        let (start, end) = (token_start + start, token_start + end);
        if let Some(url) = rewrite_url_bytes(&value[start..end], ctx, utf8)
            .filter(|url| keeps_candidate(url, start > token_start, end < token_end))
        {
            let buf = out.get_or_insert_with(|| Vec::with_capacity(value.len() + 128));
            buf.extend_from_slice(&value[copied..start]);
            buf.extend_from_slice(&url);
            copied = end;
        }
    }
    let mut buf = out?;
    buf.extend_from_slice(&value[copied..]);
    Some(buf)
}

/// Whether `url` can replace a candidate URL without changing how the value splits: no
/// whitespace, and a comma at either end only where controls still stand between it and the
/// candidate's edge (the srcset parser skips leading commas and ends a URL at trailing ones).
fn keeps_candidate(url: &[u8], controls_before: bool, controls_after: bool) -> bool {
    !url.iter().any(|&b| is_space(b))
        && (controls_before || url.first() != Some(&b','))
        && (controls_after || url.last() != Some(&b','))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidates() {
        let urls = |v: &str| {
            candidate_urls(v.as_bytes())
                .into_iter()
                .map(|(s, e)| v[s..e].to_owned())
                .collect::<Vec<_>>()
        };
        assert_eq!(urls("a 1x, b 2x"), ["a", "b"]);
        assert_eq!(urls(",,a,, b, c"), ["a", "b", "c"]);
        // A URL is a run of non-whitespace: commas inside it belong to it.
        assert_eq!(urls("a,,b"), ["a,,b"]);
        assert_eq!(
            urls("data:image/png;base64,AA== 1x, /x.png 2x"),
            ["data:image/png;base64,AA==", "/x.png"]
        );
        assert_eq!(urls("a (1, 2) 1x, b"), ["a", "b"]);
        assert_eq!(urls("  "), Vec::<String>::new());
    }
}
