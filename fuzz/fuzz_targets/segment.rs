//! `Segment::parse` and `Target::from_segment` on any string: no panic, and a parsed segment
//! joins into one that parses back to itself.
#![no_main]

use kubeopen::segment::Segment;
use kubeopen::target::{Kind, Target};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|id: &str| {
    if let Ok(segment) = Segment::parse(id) {
        assert_eq!(Segment::parse(&segment.to_string()).as_ref(), Ok(&segment));
    }
    for (kind, namespace) in [
        (Kind::Service, Some("ns")),
        (Kind::Pod, Some("ns")),
        (Kind::Node, None),
    ] {
        if let Ok(target) = Target::from_segment(kind, namespace, id) {
            let again = Target::from_segment(kind, namespace, &target.segment());
            assert_eq!(again.as_ref(), Ok(&target));
        }
    }
});
