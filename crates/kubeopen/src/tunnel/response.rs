//! An incremental HTTP/1.1 response parser over a byte stream (RFC 9112), for the one response
//! that comes back down a tunnel. Bytes go in as they arrive, in pieces of any size; out come
//! the head, body bytes (handed out at once, never accumulated), trailers and the end. Memory
//! is bounded: the head, a chunk-size line and the trailers each have a cap, and the body is
//! never buffered. Errors say what is wrong and at which byte of the stream.
//!
//! Framing, as RFC 9112 §6.3 orders it: no body after `HEAD`, for 1xx, 204 and 304; else
//! `Transfer-Encoding` ending in `chunked` (extensions and trailers allowed; another final coding
//! means the body runs to the close); else `Content-Length` (repeated values must agree); else
//! the body runs until the connection closes, which only [`ResponseParser::finish`] can say.
//! Interim responses (100, 103, …) are skipped; `101` is an error (nothing asked to upgrade).
//! Obsolete line folding is replaced by a space, as RFC 9112 §5.2 tells a user agent to do; a
//! bare LF ends a line like CRLF does (§2.2), a bare CR is refused. Bytes after the end of the
//! response are ignored (the tunnel carries one request).
//!
//! ```
//! use kubeopen::tunnel::response::{ResponseEvent, ResponseParser};
//!
//! let mut parser = ResponseParser::new(false);
//! let mut events = parser.feed(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel")?;
//! events.extend(parser.feed(b"lo\r\n0\r\n\r\n")?);
//! let ResponseEvent::Head(head) = &events[0] else { unreachable!() };
//! assert_eq!((head.status, head.header("transfer-encoding")), (200, Some("chunked")));
//! assert_eq!(events[1..], [ResponseEvent::Body(b"hel".to_vec()), ResponseEvent::Body(b"lo".to_vec()), ResponseEvent::End]);
//! assert!(parser.is_done());
//! # Ok::<(), kubeopen::tunnel::response::HttpError>(())
//! ```

use super::request::is_tchar;

/// The most bytes a response head (status line and headers) may have.
pub const MAX_HEAD: usize = 64 * 1024;
/// The most header fields in a head or the trailers.
pub const MAX_FIELDS: usize = 256;
/// The most bytes of a chunk-size line, extensions included.
pub const MAX_CHUNK_LINE: usize = 4096;
/// The most bytes of the trailer section.
pub const MAX_TRAILERS: usize = 16 * 1024;

/// A parsed status line and headers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResponseHead {
    /// The minor version: `HTTP/1.0` → 0, `HTTP/1.1` → 1.
    pub minor_version: u8,
    /// The status code (100–999).
    pub status: u16,
    /// The reason phrase (may be empty); bytes above 0x7F as U+0080–U+00FF, as browsers read them.
    pub reason: String,
    /// The fields in order, names as sent; values trimmed, folded lines joined with a space.
    pub headers: Vec<(String, String)>,
}

impl ResponseHead {
    /// The first value of `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// What the parser found in the bytes fed so far.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResponseEvent {
    /// The final response's head (interim 1xx heads are skipped).
    Head(ResponseHead),
    /// Body bytes (after de-chunking; content codings are left as they are).
    Body(Vec<u8>),
    /// The trailer fields of a chunked body (only when there are any).
    Trailers(Vec<(String, String)>),
    /// The response is complete.
    End,
}

/// What is wrong with a response.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum HttpProblem {
    /// The head is longer than [`MAX_HEAD`].
    #[error("the response head is longer than {MAX_HEAD} bytes")]
    HeadTooLarge,
    /// More than [`MAX_FIELDS`] fields.
    #[error("more than {MAX_FIELDS} header fields")]
    TooManyFields,
    /// The status line is not `HTTP/1.x NNN reason`.
    #[error("bad status line: {0}")]
    StatusLine(&'static str),
    /// A header (or trailer) line that is not `name: value`.
    #[error("bad header line: {0}")]
    HeaderLine(&'static str),
    /// A bare CR (not followed by LF).
    #[error("a CR not followed by LF")]
    BareCr,
    /// `Content-Length` is not one decimal number.
    #[error("bad Content-Length: {0}")]
    ContentLength(&'static str),
    /// `Transfer-Encoding` in an HTTP/1.0 response (RFC 9112 §6.1: the framing is faulty).
    #[error("Transfer-Encoding in an HTTP/1.0 response")]
    TransferEncodingInHttp10,
    /// `101 Switching Protocols` although nothing asked to upgrade.
    #[error("101 Switching Protocols, but the request asked for no upgrade")]
    UnexpectedUpgrade,
    /// A chunk-size line that is not `HEX[;ext]`.
    #[error("bad chunk-size line: {0}")]
    ChunkSize(&'static str),
    /// A chunk-size line longer than [`MAX_CHUNK_LINE`].
    #[error("a chunk-size line longer than {MAX_CHUNK_LINE} bytes")]
    ChunkLineTooLong,
    /// Chunk data not followed by CRLF.
    #[error("chunk data not followed by CRLF")]
    ChunkEnd,
    /// Trailers longer than [`MAX_TRAILERS`].
    #[error("the trailer section is longer than {MAX_TRAILERS} bytes")]
    TrailersTooLarge,
    /// The stream ended before the response did.
    #[error("the connection closed {0}")]
    Truncated(&'static str),
    /// The stream ended this many bytes before the end of a `Content-Length` body.
    #[error("the connection closed {0} bytes before the end of the body")]
    TruncatedBody(u64),
}

/// A [`HttpProblem`] at a byte offset of the stream.
///
/// ```
/// use kubeopen::tunnel::response::ResponseParser;
/// let err = ResponseParser::new(false).feed(b"HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n").unwrap_err();
/// assert_eq!(err.to_string(), "invalid HTTP response at byte 17: bad Content-Length: not a decimal number");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid HTTP response at byte {at}: {problem}")]
pub struct HttpError {
    /// Byte offset in the stream (0 = the first byte of the response).
    pub at: u64,
    /// What is wrong.
    pub problem: HttpProblem,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Head,
    Length(u64),
    ChunkSize,
    ChunkData(u64),
    /// After chunk data: the CRLF; `true` once the CR came.
    ChunkDataEnd(bool),
    Trailers,
    Close,
    Done,
}

/// The incremental parser; one per response.
#[derive(Clone, Debug)]
pub struct ResponseParser {
    head_request: bool,
    state: State,
    /// The line(s) being collected (head, chunk-size line, trailers).
    buf: Vec<u8>,
    /// Stream offset of `buf[0]`.
    buf_at: u64,
    /// Where the current line starts in `buf`.
    line_start: usize,
    /// Stream offset of the next byte fed.
    offset: u64,
    failed: Option<HttpError>,
}

impl ResponseParser {
    /// A parser for the response to a request; `head_request`: the request was a `HEAD` (its
    /// response has no body whatever its headers say).
    pub fn new(head_request: bool) -> ResponseParser {
        ResponseParser {
            head_request,
            state: State::Head,
            buf: Vec::new(),
            buf_at: 0,
            line_start: 0,
            offset: 0,
            failed: None,
        }
    }

    /// Whether the whole response has been seen.
    pub fn is_done(&self) -> bool {
        self.state == State::Done
    }

    /// Whether the body runs until the connection closes (only [`ResponseParser::finish`] ends it).
    pub fn is_close_delimited(&self) -> bool {
        self.state == State::Close
    }

    /// Parses the next bytes of the stream. After an error every call returns that error.
    pub fn feed(&mut self, input: &[u8]) -> Result<Vec<ResponseEvent>, HttpError> {
        if let Some(e) = &self.failed {
            return Err(e.clone());
        }
        let mut events = Vec::new();
        let base = self.offset;
        let result = self.run(input, base, &mut events);
        self.offset = base + input.len() as u64;
        if let Err(e) = &result {
            self.failed = Some(e.clone());
        }
        result.map(|()| events)
    }

    /// The end of the stream: ends a close-delimited body, or says what was cut off.
    ///
    /// ```
    /// use kubeopen::tunnel::response::{ResponseEvent, ResponseParser};
    /// let mut p = ResponseParser::new(false);
    /// p.feed(b"HTTP/1.0 200 OK\r\n\r\nall of it")?;
    /// assert_eq!(p.finish()?, [ResponseEvent::End]);
    /// let mut p = ResponseParser::new(false);
    /// p.feed(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort")?;
    /// assert_eq!(p.finish().unwrap_err().to_string(), "invalid HTTP response at byte 44: the connection closed 5 bytes before the end of the body");
    /// # Ok::<(), kubeopen::tunnel::response::HttpError>(())
    /// ```
    pub fn finish(&mut self) -> Result<Vec<ResponseEvent>, HttpError> {
        if let Some(e) = &self.failed {
            return Err(e.clone());
        }
        let problem = match self.state {
            State::Close => {
                self.state = State::Done;
                return Ok(vec![ResponseEvent::End]);
            }
            State::Done => return Ok(Vec::new()),
            State::Head if self.offset == 0 => HttpProblem::Truncated("before any response"),
            State::Head => HttpProblem::Truncated("in the middle of the response head"),
            State::Length(left) => HttpProblem::TruncatedBody(left),
            State::ChunkSize | State::ChunkData(_) | State::ChunkDataEnd(_) => {
                HttpProblem::Truncated("in the middle of a chunked body")
            }
            State::Trailers => HttpProblem::Truncated("in the middle of the trailers"),
        };
        let e = HttpError {
            at: self.offset,
            problem,
        };
        self.failed = Some(e.clone());
        Err(e)
    }

    fn run(&mut self, input: &[u8], base: u64, events: &mut Vec<ResponseEvent>) -> Result<(), HttpError> {
        let mut i = 0;
        while i < input.len() {
            match self.state {
                // One request per connection: anything after the response is not ours.
                State::Done => return Ok(()),
                State::Head | State::Trailers => {
                    let head = self.state == State::Head;
                    let (cap, problem) = if head {
                        (MAX_HEAD, HttpProblem::HeadTooLarge)
                    } else {
                        (MAX_TRAILERS, HttpProblem::TrailersTooLarge)
                    };
                    if !self.collect_line(input, &mut i, base, cap, problem)? {
                        continue;
                    }
                    let line = &self.buf[self.line_start..];
                    if line == b"\n" || line == b"\r\n" {
                        if head {
                            self.end_of_head(events)?;
                        } else {
                            self.end_of_trailers(events)?;
                        }
                    } else {
                        self.line_start = self.buf.len();
                    }
                }
                State::ChunkSize => {
                    if self.collect_line(
                        input,
                        &mut i,
                        base,
                        MAX_CHUNK_LINE,
                        HttpProblem::ChunkLineTooLong,
                    )? {
                        let size = chunk_size(&self.buf).map_err(|(at, problem)| HttpError {
                            at: self.buf_at + at as u64,
                            problem,
                        })?;
                        self.buf.clear();
                        self.line_start = 0;
                        self.state = if size == 0 {
                            State::Trailers
                        } else {
                            State::ChunkData(size)
                        };
                    }
                }
                State::Length(left) | State::ChunkData(left) => {
                    let take = usize::try_from(left).unwrap_or(usize::MAX).min(input.len() - i);
                    events.push(ResponseEvent::Body(input[i..i + take].to_vec()));
                    i += take;
                    let left = left - take as u64;
                    self.state = match (self.state, left) {
                        (State::Length(_), 0) => {
                            events.push(ResponseEvent::End);
                            State::Done
                        }
                        (State::Length(_), n) => State::Length(n),
                        (_, 0) => State::ChunkDataEnd(false),
                        (_, n) => State::ChunkData(n),
                    };
                }
                State::ChunkDataEnd(seen_cr) => {
                    self.state = match (seen_cr, input[i]) {
                        (false, b'\r') => State::ChunkDataEnd(true),
                        (_, b'\n') => State::ChunkSize,
                        _ => {
                            return Err(HttpError {
                                at: base + i as u64,
                                problem: HttpProblem::ChunkEnd,
                            });
                        }
                    };
                    i += 1;
                }
                State::Close => {
                    events.push(ResponseEvent::Body(input[i..].to_vec()));
                    i = input.len();
                }
            }
        }
        Ok(())
    }

    /// Appends bytes up to and including the next LF to `buf`; `true` when a line is complete.
    fn collect_line(
        &mut self,
        input: &[u8],
        i: &mut usize,
        base: u64,
        cap: usize,
        too_long: HttpProblem,
    ) -> Result<bool, HttpError> {
        if self.buf.is_empty() {
            self.buf_at = base + *i as u64;
        }
        let rest = &input[*i..];
        let (piece, complete) = match rest.iter().position(|&b| b == b'\n') {
            Some(n) => (&rest[..=n], true),
            None => (rest, false),
        };
        if self.buf.len() + piece.len() > cap {
            return Err(HttpError {
                at: self.buf_at + cap as u64,
                problem: too_long,
            });
        }
        self.buf.extend_from_slice(piece);
        *i += piece.len();
        Ok(complete)
    }

    /// The head is in `buf`: parse it, pick the framing, or skip an interim response.
    fn end_of_head(&mut self, events: &mut Vec<ResponseEvent>) -> Result<(), HttpError> {
        let at = self.buf_at;
        let (head, lines_at) = parse_head(&self.buf).map_err(|(offset, problem)| HttpError {
            at: at + offset as u64,
            problem,
        })?;
        let fail = |problem| HttpError { at, problem };
        self.buf.clear();
        self.line_start = 0;
        if head.status == 101 {
            return Err(fail(HttpProblem::UnexpectedUpgrade));
        }
        if head.status < 200 {
            // 100 Continue, 103 Early Hints: the final response follows.
            return Ok(());
        }
        let state = self.framing(&head).map_err(|(field, problem)| HttpError {
            at: at + lines_at.get(field).copied().unwrap_or_default() as u64,
            problem,
        })?;
        events.push(ResponseEvent::Head(head));
        if state == State::Done {
            events.push(ResponseEvent::End);
        }
        self.state = state;
        Ok(())
    }

    /// RFC 9112 §6.3, for a response; an error names the index of the field at fault.
    fn framing(&self, head: &ResponseHead) -> Result<State, (usize, HttpProblem)> {
        if self.head_request || head.status == 204 || head.status == 304 {
            return Ok(State::Done);
        }
        let values = |name: &'static str| {
            head.headers
                .iter()
                .enumerate()
                .filter(move |(_, (n, _))| n.eq_ignore_ascii_case(name))
                .flat_map(|(i, (_, v))| v.split(',').map(move |v| (i, v.trim_matches([' ', '\t']))))
                .filter(|(_, v)| !v.is_empty())
        };
        if let Some((i, last)) = values("transfer-encoding").next_back() {
            if head.minor_version == 0 {
                return Err((i, HttpProblem::TransferEncodingInHttp10));
            }
            return Ok(if last.eq_ignore_ascii_case("chunked") {
                State::ChunkSize
            } else {
                State::Close
            });
        }
        let mut length = None;
        for (i, value) in values("content-length") {
            if !value.bytes().all(|b| b.is_ascii_digit()) {
                return Err((i, HttpProblem::ContentLength("not a decimal number")));
            }
            let n: u64 = value
                .parse()
                .map_err(|_| (i, HttpProblem::ContentLength("too large")))?;
            if length.is_some_and(|l| l != n) {
                return Err((i, HttpProblem::ContentLength("different values")));
            }
            length = Some(n);
        }
        if let Some(i) = head
            .headers
            .iter()
            .position(|(n, v)| n.eq_ignore_ascii_case("content-length") && v.is_empty())
        {
            return Err((i, HttpProblem::ContentLength("empty")));
        }
        Ok(match length {
            Some(0) => State::Done,
            Some(n) => State::Length(n),
            None => State::Close,
        })
    }

    fn end_of_trailers(&mut self, events: &mut Vec<ResponseEvent>) -> Result<(), HttpError> {
        let at = self.buf_at;
        let (fields, _) = parse_fields(&self.buf, 0).map_err(|(offset, problem)| HttpError {
            at: at + offset as u64,
            problem,
        })?;
        self.buf.clear();
        self.line_start = 0;
        if !fields.is_empty() {
            events.push(ResponseEvent::Trailers(fields));
        }
        events.push(ResponseEvent::End);
        self.state = State::Done;
        Ok(())
    }
}

/// Bytes as a string the way browsers read header bytes: each byte one code point (latin-1).
fn latin1(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| char::from(b)).collect()
}

/// The lines of `buf` with their offsets, without their line ends; a CR must precede an LF.
/// A problem and the offset in the collected bytes where it is.
type Located<T> = Result<T, (usize, HttpProblem)>;

fn lines(buf: &[u8]) -> Located<Vec<(usize, &[u8])>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, &b) in buf.iter().enumerate() {
        if b == b'\r' && buf.get(i + 1) != Some(&b'\n') {
            return Err((i, HttpProblem::BareCr));
        }
        if b == b'\n' {
            let end = if i > start && buf[i - 1] == b'\r' {
                i - 1
            } else {
                i
            };
            out.push((start, &buf[start..end]));
            start = i + 1;
        }
    }
    Ok(out)
}

/// Field lines up to the blank line, from line `skip` on; obs-fold joined with a space. With
/// each field, the offset of its line.
type Fields = (Vec<(String, String)>, Vec<usize>);
fn parse_fields(buf: &[u8], skip: usize) -> Result<Fields, (usize, HttpProblem)> {
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut offsets = Vec::new();
    for (at, line) in lines(buf)?.into_iter().skip(skip) {
        if line.is_empty() {
            break;
        }
        if line[0] == b' ' || line[0] == b'\t' {
            let Some((_, value)) = fields.last_mut() else {
                return Err((at, HttpProblem::HeaderLine("a folded line before any field")));
            };
            let more = trim_ows(line);
            check_field_value(more)
                .map_err(|i| (at + i, HttpProblem::HeaderLine("a control character in a value")))?;
            if !more.is_empty() {
                value.push(' ');
                value.push_str(&latin1(more));
            }
            continue;
        }
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            return Err((at, HttpProblem::HeaderLine("no ':'")));
        };
        if colon == 0 {
            return Err((at, HttpProblem::HeaderLine("an empty field name")));
        }
        if let Some(i) = line[..colon].iter().position(|&b| !is_tchar(b)) {
            return Err((
                at + i,
                HttpProblem::HeaderLine("a field name that is not a token"),
            ));
        }
        let value = trim_ows(&line[colon + 1..]);
        check_field_value(value).map_err(|i| {
            let start = line.len() - trim_start_ows(&line[colon + 1..]).len();
            (
                at + start + i,
                HttpProblem::HeaderLine("a control character in a value"),
            )
        })?;
        if fields.len() == MAX_FIELDS {
            return Err((at, HttpProblem::TooManyFields));
        }
        fields.push((latin1(&line[..colon]), latin1(value)));
        offsets.push(at);
    }
    Ok((fields, offsets))
}

fn trim_start_ows(s: &[u8]) -> &[u8] {
    let start = s.iter().position(|&b| b != b' ' && b != b'\t').unwrap_or(s.len());
    &s[start..]
}

fn trim_ows(s: &[u8]) -> &[u8] {
    let s = trim_start_ows(s);
    let end = s
        .iter()
        .rposition(|&b| b != b' ' && b != b'\t')
        .map_or(0, |i| i + 1);
    &s[..end]
}

/// The offset of the first control character other than tab (NUL, CR, LF, DEL, …).
fn check_field_value(value: &[u8]) -> Result<(), usize> {
    match value.iter().position(|&b| (b < 0x20 && b != b'\t') || b == 0x7F) {
        Some(i) => Err(i),
        None => Ok(()),
    }
}

/// `HTTP/1.x SP NNN [SP reason]` and the fields after it.
fn parse_head(buf: &[u8]) -> Result<(ResponseHead, Vec<usize>), (usize, HttpProblem)> {
    let all = lines(buf)?;
    let Some(&(_, line)) = all.first() else {
        return Err((0, HttpProblem::StatusLine("empty")));
    };
    let bad = |at, what| Err((at, HttpProblem::StatusLine(what)));
    if line.is_empty() {
        return bad(0, "an empty line where the status line should be");
    }
    if !line.starts_with(b"HTTP/1.") {
        return bad(0, "it does not start with HTTP/1.");
    }
    let minor = match line.get(7) {
        Some(&d @ b'0'..=b'9') => d - b'0',
        _ => return bad(7, "no minor version digit"),
    };
    if line.get(8) != Some(&b' ') {
        return bad(8, "no space after the version");
    }
    let code = line.get(9..12).unwrap_or_default();
    if code.len() != 3 || !code.iter().all(u8::is_ascii_digit) || code[0] == b'0' {
        return bad(9, "the status is not a three-digit code from 100 to 999");
    }
    let status = code.iter().fold(0u16, |n, &d| n * 10 + u16::from(d - b'0'));
    let reason = match line.get(12) {
        None => &[][..],
        Some(b' ') => &line[13..],
        Some(_) => return bad(12, "no space after the status code"),
    };
    if let Some(i) = reason.iter().position(|&b| (b < 0x20 && b != b'\t') || b == 0x7F) {
        return bad(13 + i, "a control character in the reason phrase");
    }
    let (headers, offsets) = parse_fields(buf, 1)?;
    let head = ResponseHead {
        minor_version: minor.min(1),
        status,
        reason: latin1(reason),
        headers,
    };
    Ok((head, offsets))
}

/// `1*HEXDIG [ BWS ";" ext ]` up to the line end; extensions are skipped but may not hold controls.
fn chunk_size(line: &[u8]) -> Result<u64, (usize, HttpProblem)> {
    let end = line.len() - if line.ends_with(b"\r\n") { 2 } else { 1 };
    let line = &line[..end];
    let digits = line.iter().take_while(|b| b.is_ascii_hexdigit()).count();
    if digits == 0 {
        return Err((0, HttpProblem::ChunkSize("no hexadecimal size")));
    }
    let zeros = line.iter().take_while(|&&b| b == b'0').count().min(digits);
    if digits - zeros > 16 {
        return Err((
            zeros + 16,
            HttpProblem::ChunkSize("the size does not fit in 64 bits"),
        ));
    }
    let mut size = 0u64;
    for &d in &line[..digits] {
        let v = char::from(d).to_digit(16).unwrap_or(0);
        size = size << 4 | u64::from(v);
    }
    let rest = &line[digits..];
    let ext = trim_start_ows(rest);
    if !ext.is_empty() && ext[0] != b';' {
        return Err((
            line.len() - ext.len(),
            HttpProblem::ChunkSize("junk after the size"),
        ));
    }
    if let Err(i) = check_field_value(ext) {
        return Err((
            line.len() - ext.len() + i,
            HttpProblem::ChunkSize("a control character in an extension"),
        ));
    }
    Ok(size)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Everything a response gives, fed at once, with body bytes joined and `finish` called:
    /// the head, the body, the trailers, whether it ended — or the error.
    type Outcome = Result<(Option<ResponseHead>, Vec<u8>, Vec<(String, String)>, bool), HttpError>;

    fn outcome(head_request: bool, pieces: &[&[u8]]) -> Outcome {
        let mut p = ResponseParser::new(head_request);
        let mut events = Vec::new();
        for piece in pieces {
            events.extend(p.feed(piece)?);
        }
        events.extend(p.finish()?);
        let mut head = None;
        let mut body = Vec::new();
        let mut trailers = Vec::new();
        let mut ended = false;
        for e in events {
            match e {
                ResponseEvent::Head(h) => head = Some(h),
                ResponseEvent::Body(b) => body.extend(b),
                ResponseEvent::Trailers(t) => trailers = t,
                ResponseEvent::End => ended = true,
            }
        }
        Ok((head, body, trailers, ended))
    }

    fn body(input: &str) -> Result<String, String> {
        outcome(false, &[input.as_bytes()])
            .map(|(_, b, _, _)| String::from_utf8_lossy(&b).into_owned())
            .map_err(|e| e.to_string())
    }

    #[test]
    fn framing_table() {
        let ok = |input: &str, expected: &str| assert_eq!(body(input).as_deref(), Ok(expected), "{input:?}");
        ok("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", "hello");
        ok(
            "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello, and more",
            "hello",
        );
        ok("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", "");
        ok(
            "HTTP/1.1 200 OK\r\nContent-Length: 3, 3\r\nContent-Length: 3\r\n\r\nabc",
            "abc",
        );
        ok(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
            "abc",
        );
        ok(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\nA;name=\"v;x\"\r\n0123456789\r\n00\r\n\r\n",
            "0123456789",
        );
        // Transfer-Encoding overrides Content-Length (RFC 9112 §6.3 item 3).
        ok(
            "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n\r\n",
            "x",
        );
        // A final coding other than chunked: the body runs to the close.
        ok(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nraw bytes",
            "raw bytes",
        );
        ok("HTTP/1.0 200 OK\r\n\r\nto the end", "to the end");
        ok("HTTP/1.1 200 OK\n\nbare LF lines", "bare LF lines");
        // No body: 204, 304, and 1xx interim responses before the final one.
        ok("HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n", "");
        ok(
            "HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n",
            "",
        );
        ok(
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
            "ok",
        );
        assert_eq!(
            outcome(true, &[b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n"]).map(|o| (o.1, o.3)),
            Ok((Vec::new(), true))
        );
    }

    #[test]
    fn heads_and_trailers() {
        let (head, _, trailers, ended) = outcome(
            false,
            &[b"HTTP/1.1 404 Not \xE9t\xE9\r\nX-A:  one \r\nX-Fold: a\r\n  b\r\n\tc\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-T: 1\r\nX-U:2\r\n\r\n"],
        )
        .unwrap();
        let head = head.unwrap();
        assert_eq!(
            (head.minor_version, head.status, head.reason.as_str()),
            (1, 404, "Not \u{e9}t\u{e9}")
        );
        assert_eq!(head.header("x-a"), Some("one"));
        assert_eq!(head.header("X-FOLD"), Some("a b c"));
        assert_eq!(trailers, [("X-T".into(), "1".into()), ("X-U".into(), "2".into())]);
        assert!(ended);
        let (head, ..) = outcome(false, &[b"HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n"]).unwrap();
        assert_eq!(head.unwrap().reason, "");
    }

    #[test]
    fn errors_say_what_and_where() {
        let err = |input: &[u8]| outcome(false, &[input]).unwrap_err().to_string();
        let cases: &[(&[u8], &str)] = &[
            (b"", "at byte 0: the connection closed before any response"),
            (
                b"HTTP/1.1 200 OK\r\nContent-",
                "at byte 25: the connection closed in the middle of the response head",
            ),
            (
                b"HTTP/2 200 OK\r\n\r\n",
                "at byte 0: bad status line: it does not start with HTTP/1.",
            ),
            (
                b"HTTP/1.1 20 OK\r\n\r\n",
                "at byte 9: bad status line: the status is not a three-digit code from 100 to 999",
            ),
            (
                b"HTTP/1.1 200OK\r\n\r\n",
                "at byte 12: bad status line: no space after the status code",
            ),
            (
                b"\r\nHTTP/1.1 200 OK\r\n\r\n",
                "at byte 0: bad status line: an empty line where the status line should be",
            ),
            (
                b"HTTP/1.1 101 Switching Protocols\r\n\r\n",
                "at byte 0: 101 Switching Protocols, but the request asked for no upgrade",
            ),
            (
                b"HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n",
                "at byte 20: bad header line: a field name that is not a token",
            ),
            (
                b"HTTP/1.1 200 OK\r\nNoColon\r\n\r\n",
                "at byte 17: bad header line: no ':'",
            ),
            (
                b"HTTP/1.1 200 OK\r\n folded\r\n\r\n",
                "at byte 17: bad header line: a folded line before any field",
            ),
            (
                b"HTTP/1.1 200 OK\r\nX: a\x00b\r\n\r\n",
                "at byte 21: bad header line: a control character in a value",
            ),
            (
                b"HTTP/1.1 200 OK\r\nX: a\rb\r\n\r\n",
                "at byte 21: a CR not followed by LF",
            ),
            (
                b"HTTP/1.1 200 OK\r\nX: 1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
                "at byte 42: bad Content-Length: different values",
            ),
            (
                b"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
                "at byte 17: bad Content-Length: not a decimal number",
            ),
            (
                b"HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\n",
                "at byte 17: bad Content-Length: too large",
            ),
            (
                b"HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
                "at byte 17: Transfer-Encoding in an HTTP/1.0 response",
            ),
            (
                b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nxyz\r\n",
                "at byte 47: bad chunk-size line: no hexadecimal size",
            ),
            (
                b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3 x\r\n",
                "at byte 49: bad chunk-size line: junk after the size",
            ),
            (
                b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n11111111111111111\r\n",
                "at byte 63: bad chunk-size line: the size does not fit in 64 bits",
            ),
            (
                b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n",
                "at byte 51: chunk data not followed by CRLF",
            ),
            (
                b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na",
                "at byte 51: the connection closed in the middle of a chunked body",
            ),
            (
                b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-T: 1\r\n",
                "at byte 58: the connection closed in the middle of the trailers",
            ),
            (
                b"HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nab",
                "at byte 40: the connection closed 2 bytes before the end of the body",
            ),
        ];
        for (input, expected) in cases {
            let got = err(input);
            assert_eq!(
                got,
                format!("invalid HTTP response {expected}"),
                "{:?}",
                String::from_utf8_lossy(input)
            );
        }
    }

    #[test]
    fn memory_is_bounded() {
        let mut p = ResponseParser::new(false);
        let mut input = b"HTTP/1.1 200 OK\r\n".to_vec();
        input.extend(std::iter::repeat_n(b'a', MAX_HEAD));
        let err = p.feed(&input).unwrap_err();
        assert_eq!(
            (err.at, err.problem),
            (MAX_HEAD as u64, HttpProblem::HeadTooLarge)
        );
        // Once failed, always failed.
        assert_eq!(
            p.feed(b"\r\n\r\n").unwrap_err().problem,
            HttpProblem::HeadTooLarge
        );

        let chunk_line = format!(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;{}",
            "x".repeat(MAX_CHUNK_LINE)
        );
        assert_eq!(
            outcome(false, &[chunk_line.as_bytes()]).unwrap_err().problem,
            HttpProblem::ChunkLineTooLong
        );
        let trailers = format!(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: {}",
            "t".repeat(MAX_TRAILERS)
        );
        assert_eq!(
            outcome(false, &[trailers.as_bytes()]).unwrap_err().problem,
            HttpProblem::TrailersTooLarge
        );
        let many: String = (0..=MAX_FIELDS).map(|i| format!("X-{i}: v\r\n")).collect();
        let head = format!("HTTP/1.1 200 OK\r\n{many}\r\n");
        assert_eq!(
            outcome(false, &[head.as_bytes()]).unwrap_err().problem,
            HttpProblem::TooManyFields
        );
        // A body of any size passes through without being kept: each feed hands its bytes out.
        let mut p = ResponseParser::new(false);
        p.feed(b"HTTP/1.1 200 OK\r\nContent-Length: 10000000\r\n\r\n")
            .unwrap();
        let piece = vec![7u8; 1_000_000];
        for _ in 0..10 {
            let events = p.feed(&piece).unwrap();
            assert_eq!(events[0], ResponseEvent::Body(piece.clone()));
            assert!(p.buf.capacity() < 1024);
        }
        assert!(p.is_done());
    }

    /// Sample responses covering every framing and the head's odd corners.
    const SAMPLES: [&str; 7] = [
        "HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nhello world",
        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;a=b\r\nabcd\r\n1\r\ne\r\n0\r\nT: 1\r\n\r\n",
        "HTTP/1.0 404 Not Found\nX: a\n b\n\nclose-delimited body",
        "HTTP/1.1 204 No Content\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabcde\r\nZ\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nX: a\x01\r\n\r\nabc",
    ];

    proptest! {
        /// Split anywhere, in any number of pieces: the same head, body, trailers, end or error.
        #[test]
        fn any_split_gives_the_same_result(
            sample in 0..SAMPLES.len(),
            cuts in proptest::collection::vec(any::<prop::sample::Index>(), 0..12),
        ) {
            let input = SAMPLES[sample].as_bytes();
            let mut points: Vec<usize> = cuts.iter().map(|i| i.index(input.len() + 1)).collect();
            points.extend([0, input.len()]);
            points.sort_unstable();
            let pieces: Vec<&[u8]> = points.windows(2).map(|w| &input[w[0]..w[1]]).collect();
            prop_assert_eq!(outcome(false, &pieces), outcome(false, &[input]));
        }

        /// Byte by byte, every sample: the same as at once.
        #[test]
        fn byte_by_byte_is_the_same(sample in 0..SAMPLES.len()) {
            let input = SAMPLES[sample].as_bytes();
            let pieces: Vec<&[u8]> = input.chunks(1).collect();
            prop_assert_eq!(outcome(false, &pieces), outcome(false, &[input]));
        }

        /// Random bytes after a plausible start, split anywhere: never a panic, and splitting
        /// never changes the outcome.
        #[test]
        fn arbitrary_input_is_split_invariant(
            tail in proptest::collection::vec(any::<u8>(), 0..200),
            cut in any::<prop::sample::Index>(),
        ) {
            let mut input = b"HTTP/1.1 200 OK\r\n".to_vec();
            input.extend(tail);
            let at = cut.index(input.len() + 1);
            prop_assert_eq!(outcome(false, &[&input[..at], &input[at..]]), outcome(false, &[&input]));
        }
    }
}
