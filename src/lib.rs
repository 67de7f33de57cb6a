//! mss-kg: a knowledge graph of the Kenya-led Multinational Security Support mission in Haiti,
//! and the library behind its command-line tool. What the CLI does, a Rust caller can do here.

pub mod backend;
pub mod bundle;
pub mod cli;
pub mod cmd;
pub mod describe;
pub mod files;
pub mod format;
pub mod hash;
pub mod input;
pub mod link;
pub mod lock;
pub mod names;
pub mod output;
pub mod prefixes;
pub mod pretty;
pub mod queries;
pub mod server;
pub mod sparql;
pub mod store;
pub mod update;
