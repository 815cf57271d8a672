//! A small YAML parser for the subset kubeconfigs use, straight to [`Node`]s with marks.
//!
//! Why not a crate: `yaml-rust2`'s full YAML 1.2 scanner was ~33 KB of the npm package's gzipped
//! wasm (half of all kubeconfig support); this file is a few KB. The tests compare it with
//! `yaml-rust2` on every fixture and on generated documents, so the subset it does read, it reads
//! the same way.
//!
//! Read: block mappings and sequences (also compact `- key: v` and indentless `key:\n- item`),
//! flow collections over several lines (so every JSON document), plain scalars (also over
//! several lines), single- and double-quoted scalars with every YAML escape, literal and folded
//! block scalars with chomping and indentation indicators, comments, anchors and aliases, tags
//! (skipped), `---`/`...` and `%` directives.
//!
//! Refused with line and column: explicit keys (`? `), flow collections as keys, a second
//! document, tabs used as indentation — nothing a kubeconfig writer produces.

use super::{MAX_DEPTH, MAX_NODES, Mark, Node, NodeKind, SyntaxError};
use std::collections::BTreeMap;

type Result<T> = std::result::Result<T, SyntaxError>;

pub(crate) struct Parser<'a> {
    src: &'a str,
    b: &'a [u8],
    pos: usize,
    line: usize,
    line_start: usize,
    depth: usize,
    nodes: usize,
    anchors: BTreeMap<&'a str, (Node, usize)>,
}

/// Parses the first document; `Ok(None)` when there is none.
pub(crate) fn parse(src: &str) -> Result<Option<Node>> {
    let mut p = Parser {
        src,
        b: src.as_bytes(),
        pos: 0,
        line: 1,
        line_start: 0,
        depth: 0,
        nodes: 0,
        anchors: BTreeMap::new(),
    };
    if src.starts_with('\u{feff}') {
        p.pos = 3;
    }
    p.document()
}

fn is_ws(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

fn is_flow_indicator(b: u8) -> bool {
    matches!(b, b',' | b'[' | b']' | b'{' | b'}')
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn at(&self, offset: usize) -> Option<u8> {
        self.b.get(self.pos + offset).copied()
    }

    /// Line and column (in characters) of the cursor.
    fn mark(&self) -> Mark {
        let col = self
            .src
            .get(self.line_start..self.pos)
            .map_or(0, |s| s.chars().count());
        Mark {
            line: self.line,
            column: col + 1,
        }
    }

    #[cold]
    fn fail<T>(&self, message: &str) -> Result<T> {
        Err(SyntaxError {
            mark: self.mark(),
            message: message.to_owned(),
        })
    }

    fn at_eol(&self) -> bool {
        matches!(self.peek(), None | Some(b'\n' | b'\r'))
    }

    /// Consumes one line break (`\n`, `\r\n` or `\r`).
    fn newline(&mut self) {
        match self.peek() {
            Some(b'\r') if self.at(1) == Some(b'\n') => self.pos += 2,
            Some(b'\r' | b'\n') => self.pos += 1,
            _ => return,
        }
        self.line += 1;
        self.line_start = self.pos;
    }

    fn skip_inline_ws(&mut self) {
        while self.peek().is_some_and(is_ws) {
            self.pos += 1;
        }
    }

    /// After a value: spaces, an optional comment, then the end of the line (consumed).
    fn finish_line(&mut self) -> Result<()> {
        self.skip_inline_ws();
        let after_space = self.pos == self.line_start || self.b.get(self.pos - 1).is_some_and(|&p| is_ws(p));
        if self.peek() == Some(b'#') && after_space {
            while !self.at_eol() {
                self.pos += 1;
            }
        }
        if !self.at_eol() {
            return self.fail("unexpected text after a value (is a ': ' or a quote missing?)");
        }
        self.newline();
        Ok(())
    }

    /// Skips blank and comment-only lines from a line start; returns the indentation of the next
    /// content line (cursor left at its start), or `None` at the end of the input.
    fn next_content_line(&mut self) -> Result<Option<usize>> {
        loop {
            let start = self.pos;
            let mut indent = 0;
            while self.at(indent) == Some(b' ') {
                indent += 1;
            }
            let mut i = indent;
            while self.at(i).is_some_and(is_ws) {
                i += 1;
            }
            match self.at(i) {
                None => {
                    self.pos += i;
                    return Ok(None);
                }
                Some(b'\n' | b'\r') => {
                    self.pos += i;
                    self.newline();
                }
                Some(b'#') => {
                    self.pos += i;
                    while !self.at_eol() {
                        self.pos += 1;
                    }
                    self.newline();
                }
                Some(_) if i > indent => {
                    self.pos = start + indent;
                    return self.fail("a tab may not indent YAML block content; use spaces");
                }
                Some(_) => {
                    self.pos = start;
                    return Ok(Some(indent));
                }
            }
        }
    }

    /// `---` or `...` at the cursor (a line start), followed by a space or the line's end.
    fn at_document_marker(&self) -> bool {
        let rest = self.b.get(self.pos..).unwrap_or_default();
        (rest.starts_with(b"---") || rest.starts_with(b"..."))
            && rest.get(3).is_none_or(|&b| is_ws(b) || b == b'\n' || b == b'\r')
    }

    fn document(&mut self) -> Result<Option<Node>> {
        let mut root = None;
        let mut started = false;
        while let Some(indent) = self.next_content_line()? {
            if indent == 0 && self.peek() == Some(b'%') && !started {
                while !self.at_eol() {
                    self.pos += 1;
                }
                self.newline();
                continue;
            }
            if indent == 0 && self.at_document_marker() {
                let dots = self.peek() == Some(b'.');
                if dots {
                    self.pos += 3;
                    self.finish_line()?;
                    started = root.is_some() || started;
                    continue;
                }
                if started || root.is_some() {
                    return self.fail("a kubeconfig is a single YAML document, but a second one starts here");
                }
                started = true;
                self.pos += 3;
                self.skip_inline_ws();
                if self.at_eol() || self.peek() == Some(b'#') {
                    self.finish_line()?;
                    continue;
                }
                // `--- value` on the marker's line.
                root = Some(self.content(-1, false)?);
                continue;
            }
            if root.is_some() {
                return self.fail("unexpected content after the document");
            }
            self.pos += indent;
            root = Some(self.content(-1, true)?);
        }
        Ok(root)
    }

    fn count(&mut self, n: usize) -> Result<()> {
        self.nodes = self.nodes.saturating_add(n);
        if self.nodes > MAX_NODES {
            return self.fail("more than 4000000 nodes (after expanding aliases)");
        }
        Ok(())
    }

    fn enter(&mut self) -> Result<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return self.fail("nesting deeper than 64 levels");
        }
        Ok(())
    }

    /// A node starting at the cursor (mid-line, after `- `, `: ` or the indentation), whose parent
    /// collection is indented `parent`. `block` allows a block collection to start here.
    fn content(&mut self, parent: isize, block: bool) -> Result<Node> {
        self.enter()?;
        let node = self.content_inner(parent, block);
        self.depth -= 1;
        node
    }

    fn content_inner(&mut self, parent: isize, block: bool) -> Result<Node> {
        let mut anchor: Option<&'a str> = None;
        loop {
            match self.peek() {
                Some(b'&') => anchor = Some(self.name()?),
                Some(b'!') => {
                    while self.peek().is_some_and(|b| !is_ws(b) && b != b'\n' && b != b'\r') {
                        self.pos += 1;
                    }
                }
                _ => break,
            }
            self.skip_inline_ws();
        }
        let node = if anchor.is_some() && (self.at_eol() || self.peek() == Some(b'#')) {
            // `key: &anchor` with the node on the following lines.
            self.finish_line()?;
            self.block_value(parent, usize::try_from(parent).unwrap_or(0))?
        } else {
            self.content_here(parent, block)?
        };
        if let Some(name) = anchor {
            let size = subtree_size(&node);
            self.anchors.insert(name, (node.clone(), size));
        }
        Ok(node)
    }

    fn content_here(&mut self, parent: isize, block: bool) -> Result<Node> {
        let mark = self.mark();
        let column = self.pos - self.line_start;
        match self.peek() {
            Some(b'*') => {
                let name = self.name()?;
                let Some((node, size)) = self.anchors.get(name).cloned() else {
                    return Err(SyntaxError {
                        mark,
                        message: "an alias refers to an unknown anchor".to_owned(),
                    });
                };
                self.count(size)?;
                self.finish_line()?;
                Ok(node)
            }
            Some(b'-') if self.at(1).is_none_or(|b| is_ws(b) || b == b'\n' || b == b'\r') => {
                if !block {
                    return self.fail("a block sequence may not start here");
                }
                self.block_sequence(column)
            }
            Some(b'[' | b'{') => {
                let node = self.flow_node()?;
                self.skip_inline_ws();
                if self.peek() == Some(b':') {
                    return self.fail("a flow collection cannot be a mapping key here");
                }
                self.finish_line()?;
                Ok(node)
            }
            Some(b'|' | b'>') => self.block_scalar(parent),
            Some(b'?') if self.at(1).is_none_or(|b| is_ws(b) || b == b'\n' || b == b'\r') => {
                self.fail("explicit mapping keys ('? ') are not supported in a kubeconfig")
            }
            Some(b'"' | b'\'') => {
                let key = self.quoted()?;
                let save = (self.pos, self.line, self.line_start);
                self.skip_inline_ws();
                if self.peek() == Some(b':')
                    && self.at(1).is_none_or(|b| is_ws(b) || b == b'\n' || b == b'\r')
                {
                    if !block {
                        return self.fail("mapping values are not allowed in this context");
                    }
                    return self.block_mapping(column, Some(key));
                }
                (self.pos, self.line, self.line_start) = save;
                self.finish_line()?;
                Ok(key)
            }
            _ => {
                if let Some(colon) = self.key_colon() {
                    if !block {
                        return self.fail("mapping values are not allowed in this context");
                    }
                    let key = self.plain_until(colon, mark)?;
                    return self.block_mapping(column, Some(key));
                }
                self.plain_block(parent, mark)
            }
        }
    }

    /// `&name` or `*name`: the name after the sigil.
    fn name(&mut self) -> Result<&'a str> {
        self.pos += 1;
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|b| !is_ws(b) && !is_flow_indicator(b) && b != b'\n' && b != b'\r')
        {
            self.pos += 1;
        }
        match self.src.get(start..self.pos) {
            Some(name) if !name.is_empty() => Ok(name),
            _ => self.fail("an anchor or alias needs a name"),
        }
    }

    /// Where a plain mapping key on this line ends: the `:` followed by a space or the line's
    /// end, before any ` #` comment.
    fn key_colon(&self) -> Option<usize> {
        let mut i = self.pos;
        while let Some(&b) = self.b.get(i) {
            match b {
                b'\n' | b'\r' => return None,
                b'#' if i > self.pos && self.b.get(i - 1).is_some_and(|&p| is_ws(p)) => return None,
                b':' if self
                    .b
                    .get(i + 1)
                    .is_none_or(|&n| is_ws(n) || n == b'\n' || n == b'\r') =>
                {
                    return Some(i);
                }
                _ => {}
            }
            i += 1;
        }
        None
    }

    /// A plain key from the cursor to `end` (exclusive), trailing spaces dropped.
    fn plain_until(&mut self, end: usize, mark: Mark) -> Result<Node> {
        let text = self
            .src
            .get(self.pos..end)
            .unwrap_or_default()
            .trim_end_matches([' ', '\t']);
        self.pos = end;
        self.count(1)?;
        Ok(scalar(mark, text.to_owned(), true))
    }

    fn block_mapping(&mut self, indent: usize, first_key: Option<Node>) -> Result<Node> {
        let mark = first_key.as_ref().map_or_else(|| self.mark(), |k| k.mark);
        self.count(1)?;
        let mut entries = Vec::new();
        let mut key = first_key;
        loop {
            let k = match key.take() {
                Some(k) => k,
                None => self.mapping_key()?,
            };
            // The cursor is on the ':'.
            self.pos += 1;
            self.skip_inline_ws();
            let value = if self.at_eol() || self.peek() == Some(b'#') {
                self.finish_line()?;
                self.block_value(indent as isize, indent)?
            } else {
                self.content(indent as isize, false)?
            };
            entries.push((k, value));
            match self.next_content_line()? {
                Some(n) if n == indent && !(n == 0 && self.at_document_marker()) => self.pos += n,
                Some(n) if n > indent => {
                    self.pos += n;
                    return self.fail("this line is indented more than the mapping's keys");
                }
                _ => break,
            }
        }
        Ok(Node {
            mark,
            kind: NodeKind::Map(entries),
        })
    }

    /// A key at the cursor, leaving the cursor on its ':'.
    fn mapping_key(&mut self) -> Result<Node> {
        let mark = self.mark();
        match self.peek() {
            Some(b'"' | b'\'') => {
                let key = self.quoted()?;
                self.skip_inline_ws();
                if self.peek() != Some(b':') {
                    return self.fail("expected ':' after a mapping key");
                }
                Ok(key)
            }
            Some(b'-') if self.at(1).is_none_or(|b| is_ws(b) || b == b'\n' || b == b'\r') => {
                self.fail("a sequence item where a mapping key is expected (check the indentation)")
            }
            Some(b'?') if self.at(1).is_none_or(|b| is_ws(b) || b == b'\n' || b == b'\r') => {
                self.fail("explicit mapping keys ('? ') are not supported in a kubeconfig")
            }
            _ => match self.key_colon() {
                Some(colon) => self.plain_until(colon, mark),
                None => self.fail("expected a mapping key followed by ':'"),
            },
        }
    }

    /// The value of `key:` or `-` whose content starts on a following line: more indented than
    /// `parent`, or an indentless sequence at `same` (only for mapping values).
    fn block_value(&mut self, parent: isize, same: usize) -> Result<Node> {
        let mark = self.mark();
        match self.next_content_line()? {
            Some(n) if (n as isize) > parent && !(n == 0 && self.at_document_marker()) => {
                self.pos += n;
                self.content(parent, true)
            }
            Some(n)
                if n == same
                    && parent >= 0
                    && self.at(n) == Some(b'-')
                    && self
                        .at(n + 1)
                        .is_none_or(|b| is_ws(b) || b == b'\n' || b == b'\r') =>
            {
                self.pos += n;
                self.enter()?;
                let seq = self.block_sequence(n);
                self.depth -= 1;
                seq
            }
            _ => {
                self.count(1)?;
                Ok(scalar(mark, String::new(), true))
            }
        }
    }

    fn block_sequence(&mut self, indent: usize) -> Result<Node> {
        let mark = self.mark();
        self.count(1)?;
        let mut items = Vec::new();
        loop {
            // The cursor is on the '-'.
            self.pos += 1;
            self.skip_inline_ws();
            let item = if self.at_eol() || self.peek() == Some(b'#') {
                self.finish_line()?;
                self.block_value(indent as isize, usize::MAX)?
            } else {
                self.content(indent as isize, true)?
            };
            items.push(item);
            match self.next_content_line()? {
                Some(n)
                    if n == indent
                        && self.at(n) == Some(b'-')
                        && self
                            .at(n + 1)
                            .is_none_or(|b| is_ws(b) || b == b'\n' || b == b'\r')
                        && !(n == 0 && self.at_document_marker()) =>
                {
                    self.pos += n;
                }
                Some(n) if n > indent => {
                    self.pos += n;
                    return self.fail("this line is indented more than the sequence's items");
                }
                _ => break,
            }
        }
        Ok(Node {
            mark,
            kind: NodeKind::Seq(items),
        })
    }

    /// A plain scalar in block context, continued on following lines indented more than `parent`.
    fn plain_block(&mut self, parent: isize, mark: Mark) -> Result<Node> {
        let mut text = self.plain_line();
        loop {
            self.skip_inline_ws();
            if self.peek() == Some(b'#') || !self.at_eol() {
                break;
            }
            // Look ahead: blank lines, then a more indented line continues the scalar.
            let save = (self.pos, self.line, self.line_start);
            self.newline();
            let mut blank = 0;
            let continued = loop {
                let mut i = 0;
                while self.at(i).is_some_and(is_ws) {
                    i += 1;
                }
                match self.at(i) {
                    Some(b'\n' | b'\r') => {
                        self.pos += i;
                        self.newline();
                        blank += 1;
                    }
                    Some(b'#') | None => break false,
                    Some(_) => {
                        let indent = (0..i).take_while(|&k| self.at(k) == Some(b' ')).count();
                        self.pos += i;
                        break (indent as isize) > parent
                            && !(indent == 0 && {
                                self.pos -= i;
                                let m = self.at_document_marker();
                                self.pos += i;
                                m
                            });
                    }
                }
            };
            if !continued {
                (self.pos, self.line, self.line_start) = save;
                break;
            }
            if self.key_colon().is_some() {
                return self.fail("mapping values are not allowed in this context");
            }
            if blank == 0 {
                text.push(' ');
            } else {
                text.extend(std::iter::repeat_n('\n', blank));
            }
            text.push_str(&self.plain_line());
        }
        self.finish_line()?;
        self.count(1)?;
        Ok(scalar(mark, text, true))
    }

    /// Plain text to the end of the line or a ` #` comment, trailing spaces dropped.
    fn plain_line(&mut self) -> String {
        let start = self.pos;
        while let Some(b) = self.peek() {
            if b == b'\n'
                || b == b'\r'
                || (b == b'#' && self.pos > start && self.b.get(self.pos - 1).is_some_and(|&p| is_ws(p)))
            {
                break;
            }
            self.pos += 1;
        }
        let text = self.src.get(start..self.pos).unwrap_or_default();
        let trimmed = text.trim_end_matches([' ', '\t']);
        self.pos = start + trimmed.len();
        trimmed.to_owned()
    }

    /// A single- or double-quoted scalar, possibly over several lines.
    fn quoted(&mut self) -> Result<Node> {
        let mark = self.mark();
        let double = self.peek() == Some(b'"');
        self.pos += 1;
        let mut out = String::new();
        loop {
            let Some(b) = self.peek() else {
                return Err(SyntaxError {
                    mark,
                    message: "a quoted scalar is not closed".to_owned(),
                });
            };
            match b {
                b'\'' if !double => {
                    if self.at(1) == Some(b'\'') {
                        out.push('\'');
                        self.pos += 2;
                    } else {
                        self.pos += 1;
                        break;
                    }
                }
                b'"' if double => {
                    self.pos += 1;
                    break;
                }
                b'\\' if double => {
                    self.pos += 1;
                    if self.at_eol() {
                        // An escaped line break joins the lines without a space.
                        self.newline();
                        self.skip_inline_ws();
                        continue;
                    }
                    self.escape(&mut out)?;
                }
                b'\n' | b'\r' => {
                    // Folding: trailing spaces go, one break is a space, each further one a '\n'.
                    let kept = out.trim_end_matches([' ', '\t']).len();
                    out.truncate(kept);
                    self.newline();
                    let mut breaks = 0;
                    loop {
                        self.skip_inline_ws();
                        if self.at_eol() && self.peek().is_some() {
                            self.newline();
                            breaks += 1;
                        } else {
                            break;
                        }
                    }
                    if breaks == 0 {
                        out.push(' ');
                    } else {
                        out.extend(std::iter::repeat_n('\n', breaks));
                    }
                }
                _ => {
                    // Up to the next byte that means something in this style; at least one byte
                    // (the current one means nothing here, or an arm above would have taken it).
                    let start = self.pos;
                    self.pos += 1;
                    while self.peek().is_some_and(|c| match c {
                        b'\n' | b'\r' => false,
                        b'"' | b'\\' => !double,
                        b'\'' => double,
                        _ => true,
                    }) {
                        self.pos += 1;
                    }
                    out.push_str(self.src.get(start..self.pos).unwrap_or_default());
                }
            }
        }
        self.count(1)?;
        Ok(scalar(mark, out, false))
    }

    /// One escape after `\` in a double-quoted scalar (YAML 1.2 §5.7).
    fn escape(&mut self, out: &mut String) -> Result<()> {
        let Some(b) = self.peek() else {
            return self.fail("an escape is not finished");
        };
        self.pos += 1;
        let c = match b {
            b'0' => '\0',
            b'a' => '\u{7}',
            b'b' => '\u{8}',
            b't' | b'\t' => '\t',
            b'n' => '\n',
            b'v' => '\u{b}',
            b'f' => '\u{c}',
            b'r' => '\r',
            b'e' => '\u{1b}',
            b' ' => ' ',
            b'"' => '"',
            b'/' => '/',
            b'\\' => '\\',
            b'N' => '\u{85}',
            b'_' => '\u{a0}',
            b'L' => '\u{2028}',
            b'P' => '\u{2029}',
            b'x' | b'u' | b'U' => {
                let digits = match b {
                    b'x' => 2,
                    b'u' => 4,
                    _ => 8,
                };
                let hex = self.src.get(self.pos..self.pos + digits).unwrap_or_default();
                let code = u32::from_str_radix(hex, 16)
                    .ok()
                    .filter(|_| hex.len() == digits && hex.bytes().all(|h| h.is_ascii_hexdigit()));
                let Some(c) = code.and_then(char::from_u32) else {
                    self.pos -= 2;
                    return self.fail("an escape is not a valid character (\\x, \\u or \\U with hex digits)");
                };
                self.pos += digits;
                c
            }
            _ => {
                self.pos -= 2;
                return self.fail("unknown escape in a double-quoted scalar");
            }
        };
        out.push(c);
        Ok(())
    }

    /// `|` or `>` and the indented lines below.
    fn block_scalar(&mut self, parent: isize) -> Result<Node> {
        let mark = self.mark();
        let folded = self.peek() == Some(b'>');
        self.pos += 1;
        let (mut chomp, mut explicit) = (b' ', 0usize);
        for _ in 0..2 {
            match self.peek() {
                Some(c @ (b'+' | b'-')) if chomp == b' ' => chomp = c,
                Some(d @ b'1'..=b'9') if explicit == 0 => explicit = usize::from(d - b'0'),
                _ => break,
            }
            self.pos += 1;
        }
        self.finish_line()?;
        let base = usize::try_from(parent.max(0)).unwrap_or(0);
        let mut indent: Option<usize> = (explicit > 0).then_some(base + explicit);
        let mut lines: Vec<&'a str> = Vec::new();
        loop {
            let start = self.pos;
            let mut n = 0;
            while self.at(n) == Some(b' ') {
                n += 1;
            }
            let spaces_only = matches!(self.at(n), None | Some(b'\n' | b'\r'));
            if self.at(n).is_none() && n == 0 {
                break;
            }
            // An empty line has no more spaces than the indentation; more spaces are content.
            let empty = spaces_only && indent.is_none_or(|i| n <= i);
            if !empty {
                let i = match indent {
                    Some(i) => i,
                    None if (n as isize) <= parent => break,
                    None => *indent.insert(n),
                };
                if n < i || (n == 0 && self.at_document_marker()) {
                    break;
                }
            }
            while !self.at_eol() {
                self.pos += 1;
            }
            let text = self.src.get(start..self.pos).unwrap_or_default();
            let content = indent.and_then(|i| text.get(i..)).unwrap_or_default();
            lines.push(if empty { "" } else { content });
            if self.peek().is_none() {
                break;
            }
            self.newline();
        }
        let trailing = lines.iter().rev().take_while(|l| l.is_empty()).count();
        let body = &lines[..lines.len() - trailing];
        let mut out = String::new();
        // Between two text lines with `empties` empty lines: literal keeps every break; folded
        // turns the first break into a space (none empty) or drops it, unless a line on either
        // side is more indented (YAML 1.2 §8.1.3).
        let mut previous: Option<&str> = None;
        let mut empties = 0;
        for line in body {
            if line.is_empty() && previous.is_some() {
                empties += 1;
                continue;
            }
            if let Some(prev) = previous {
                let more_indented = |l: &str| l.starts_with([' ', '\t']);
                if folded && !more_indented(prev) && !more_indented(line) {
                    if empties == 0 {
                        out.push(' ');
                    }
                } else {
                    out.push('\n');
                }
                out.extend(std::iter::repeat_n('\n', empties));
            }
            if line.is_empty() {
                // Leading empty lines are kept as breaks.
                out.push('\n');
                continue;
            }
            out.push_str(line);
            previous = Some(line);
            empties = 0;
        }
        match chomp {
            b'-' => {}
            b'+' => out.extend(std::iter::repeat_n(
                '\n',
                trailing + usize::from(!body.is_empty()),
            )),
            _ if !body.is_empty() => out.push('\n'),
            _ => {}
        }
        self.count(1)?;
        Ok(scalar(mark, out, false))
    }

    /// Whitespace, line breaks and comments inside a flow collection.
    fn skip_flow_ws(&mut self) {
        loop {
            match self.peek() {
                Some(b' ' | b'\t') => self.pos += 1,
                Some(b'\n' | b'\r') => self.newline(),
                Some(b'#') => {
                    while !self.at_eol() {
                        self.pos += 1;
                    }
                }
                _ => return,
            }
        }
    }

    /// A node inside (or starting) a flow collection.
    fn flow_node(&mut self) -> Result<Node> {
        self.enter()?;
        let node = self.flow_node_inner();
        self.depth -= 1;
        node
    }

    fn flow_node_inner(&mut self) -> Result<Node> {
        let mut anchor = None;
        loop {
            match self.peek() {
                Some(b'&') => anchor = Some(self.name()?),
                Some(b'!') => {
                    while self
                        .peek()
                        .is_some_and(|b| !is_ws(b) && !is_flow_indicator(b) && b != b'\n' && b != b'\r')
                    {
                        self.pos += 1;
                    }
                }
                _ => break,
            }
            self.skip_flow_ws();
        }
        let mark = self.mark();
        let node = match self.peek() {
            Some(b'[') => {
                self.pos += 1;
                let mut items = Vec::new();
                loop {
                    self.skip_flow_ws();
                    if self.peek() == Some(b']') {
                        self.pos += 1;
                        break;
                    }
                    items.push(self.flow_node()?);
                    self.skip_flow_ws();
                    match self.peek() {
                        Some(b',') => self.pos += 1,
                        Some(b']') => {}
                        Some(b':') => return self.fail("single-pair mappings inside [ ] are not supported"),
                        _ => return self.fail("expected ',' or ']' in a flow sequence"),
                    }
                }
                self.count(1)?;
                Node {
                    mark,
                    kind: NodeKind::Seq(items),
                }
            }
            Some(b'{') => {
                self.pos += 1;
                let mut entries = Vec::new();
                loop {
                    self.skip_flow_ws();
                    if self.peek() == Some(b'}') {
                        self.pos += 1;
                        break;
                    }
                    if matches!(self.peek(), Some(b'[' | b'{')) {
                        return self.fail("a flow collection cannot be a mapping key");
                    }
                    let key = self.flow_node()?;
                    self.skip_flow_ws();
                    let value = if self.peek() == Some(b':') {
                        self.pos += 1;
                        self.skip_flow_ws();
                        if matches!(self.peek(), Some(b',' | b'}')) {
                            scalar(self.mark(), String::new(), true)
                        } else {
                            self.flow_node()?
                        }
                    } else {
                        scalar(self.mark(), String::new(), true)
                    };
                    entries.push((key, value));
                    self.skip_flow_ws();
                    match self.peek() {
                        Some(b',') => self.pos += 1,
                        Some(b'}') => {}
                        _ => return self.fail("expected ',' or '}' in a flow mapping"),
                    }
                }
                self.count(1)?;
                Node {
                    mark,
                    kind: NodeKind::Map(entries),
                }
            }
            Some(b'"' | b'\'') => self.quoted()?,
            Some(b'*') => {
                let name = self.name()?;
                let Some((node, size)) = self.anchors.get(name).cloned() else {
                    return Err(SyntaxError {
                        mark,
                        message: "an alias refers to an unknown anchor".to_owned(),
                    });
                };
                self.count(size)?;
                node
            }
            None => return self.fail("a flow collection is not closed"),
            Some(_) => {
                let start = self.pos;
                while let Some(b) = self.peek() {
                    let colon_ends = b == b':'
                        && self
                            .at(1)
                            .is_none_or(|n| is_ws(n) || is_flow_indicator(n) || n == b'\n' || n == b'\r');
                    let comment =
                        b == b'#' && self.pos > start && self.b.get(self.pos - 1).is_some_and(|&p| is_ws(p));
                    if is_flow_indicator(b) || b == b'\n' || b == b'\r' || colon_ends || comment {
                        break;
                    }
                    self.pos += 1;
                }
                let text = self
                    .src
                    .get(start..self.pos)
                    .unwrap_or_default()
                    .trim_end_matches([' ', '\t']);
                if text.is_empty() {
                    return self.fail("unexpected character in a flow collection");
                }
                self.count(1)?;
                scalar(mark, text.to_owned(), true)
            }
        };
        if let Some(name) = anchor {
            let size = subtree_size(&node);
            self.anchors.insert(name, (node.clone(), size));
        }
        Ok(node)
    }
}

fn scalar(mark: Mark, value: String, plain: bool) -> Node {
    Node {
        mark,
        kind: NodeKind::Scalar { value, plain },
    }
}

/// Nodes in a subtree, iteratively (aliases may make it large).
fn subtree_size(node: &Node) -> usize {
    let mut n = 0usize;
    let mut todo = vec![node];
    while let Some(node) = todo.pop() {
        n += 1;
        match &node.kind {
            NodeKind::Scalar { .. } => {}
            NodeKind::Seq(items) => todo.extend(items),
            NodeKind::Map(entries) => todo.extend(entries.iter().flat_map(|(k, v)| [k, v])),
        }
    }
    n
}
