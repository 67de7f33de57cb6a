//! `mentions` on any text, with a gazetteer made of names from the same input: no panic; every
//! mention's offsets cut the original text at the span it shows, whole words only, in text order
//! without overlap; every unplaced name and number lies inside the text too.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mss_kg::mentions::{Gazetteer, numbers, unplaced_names};
use oxigraph::model::NamedNode;

fuzz_target!(|input: (Vec<String>, String)| {
    let (names, text) = input;
    let gazetteer = Gazetteer::new(
        names
            .into_iter()
            .take(64)
            .enumerate()
            .map(|(i, n)| (NamedNode::new_unchecked(format!("urn:fuzz:{}", i % 8)), n)),
    )
    .unwrap();
    let chars: Vec<char> = text.chars().collect();
    let cut = |start: usize, end: usize| -> String { chars[start..end].iter().collect() };
    let found = gazetteer.find(&text);
    let mut last_end = 0;
    for m in &found {
        assert!(
            m.span.start < m.span.end && m.span.end <= chars.len(),
            "{m:?}"
        );
        assert_eq!(cut(m.span.start, m.span.end), m.span.text);
        assert!(m.span.start >= last_end, "mentions overlap: {found:?}");
        last_end = m.span.end;
        assert!(!m.entities.is_empty());
    }
    for s in unplaced_names(&text, &found)
        .iter()
        .chain(numbers(&text).iter())
    {
        assert!(s.start < s.end && s.end <= chars.len(), "{s:?}");
        assert_eq!(cut(s.start, s.end), s.text);
    }
});
