//! mss-kg: a knowledge graph of the Kenya-led Multinational Security Support mission in Haiti,
//! and the library behind its command-line tool: the store, SPARQL, saved queries, describe, link,
//! the pretty writer and the server. What the CLI does, a Rust caller can do here, without the
//! command line (clap and the command dispatch live in the binary, `src/main.rs`).

pub mod backend;
pub mod bundle;
pub mod canonical;
pub mod describe;
pub mod files;
pub mod format;
pub mod hash;
pub mod input;
pub mod link;
pub mod lock;
pub mod mentions;
pub mod names;
pub mod output;
pub mod prefixes;
pub mod pretty;
pub mod queries;
pub mod server;
pub mod sparql;
pub mod store;
pub mod update;
pub mod usage;
pub mod validation;

pub use usage::usage;
