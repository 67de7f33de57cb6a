//! Integration tests: each module runs the real `mss-kg` binary on real files.

mod util;

mod browser;
mod cli;
mod coverage;
mod data;
mod describe;
mod diff;
mod export;
mod guarantees;
mod limits;
mod link;
mod load;
mod mentions;
mod numbers;
mod queries;
mod query;
mod remote;
mod run;
mod serve;
mod stats;
mod store;
mod update;
mod validate;
mod with_deps;
