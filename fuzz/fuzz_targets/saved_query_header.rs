//! A saved query file of any text: read as grlc reads it (header as YAML, else JSON, else
//! ignored with a warning; BASIL parameters), never a panic. What parses lists its parameters
//! and describes them.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mss_kg::queries::{Origin, parse};

fuzz_target!(|text: &str| {
    if let Ok(saved) = parse("fuzzed", Origin::Bundled, text) {
        let _ = saved.describe_params();
        for param in &saved.params {
            let _ = param.describe();
            if let Some(default) = &param.default {
                assert!(param.term(default).is_ok(), "a default that parse accepted is valid");
            }
        }
    }
});
