//! The tunnel's HTTP/1.1 response parser (`tunnel::response`) on any bytes, fed whole and split
//! at a point the first input byte picks: no panic, and the same head, body, trailers, end or
//! error either way; the body never outgrows the input.
#![no_main]

use kubeopen::tunnel::response::{HttpError, ResponseEvent, ResponseParser};
use libfuzzer_sys::fuzz_target;

fn run(head_request: bool, pieces: &[&[u8]]) -> Result<Vec<ResponseEvent>, HttpError> {
    let mut parser = ResponseParser::new(head_request);
    let mut events = Vec::new();
    for piece in pieces {
        events.extend(parser.feed(piece)?);
    }
    events.extend(parser.finish()?);
    // Adjacent body pieces joined: how the bytes were cut may not matter, only what they were.
    let mut joined: Vec<ResponseEvent> = Vec::new();
    for e in events {
        match (joined.last_mut(), e) {
            (Some(ResponseEvent::Body(a)), ResponseEvent::Body(b)) => a.extend(b),
            (_, e) => joined.push(e),
        }
    }
    Ok(joined)
}

fuzz_target!(|input: &[u8]| {
    let Some((&control, data)) = input.split_first() else {
        return;
    };
    let head_request = control & 1 == 1;
    let at = usize::from(control >> 1) * data.len() / 128;
    let whole = run(head_request, &[data]);
    let split = run(
        head_request,
        &[&data[..at.min(data.len())], &data[at.min(data.len())..]],
    );
    assert_eq!(whole, split);
    if let Ok(events) = whole {
        let body: usize = events
            .iter()
            .map(|e| match e {
                ResponseEvent::Body(b) => b.len(),
                _ => 0,
            })
            .sum();
        assert!(body <= data.len());
        assert!(
            events
                .iter()
                .filter(|e| matches!(e, ResponseEvent::Head(_)))
                .count()
                <= 1
        );
    }
});
