//! Integration tests: each module runs the real `mss-kg` binary on real files.

mod util;

mod cli;
mod data;
mod load;
mod query;
mod stats;
mod store;
mod update;
