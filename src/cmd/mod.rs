//! The one dispatch match: each arm hands its arguments to `cmd::<name>::run`.

pub mod completions;
pub mod describe;
pub mod diff;
pub mod export;
pub mod link;
pub mod load;
pub mod man;
pub mod mentions;
pub mod queries;
pub mod query;
pub mod run;
pub mod serve;
pub mod stats;
pub mod update;
pub mod validate;

use crate::cli::{Cli, Command, GlobalArgs, SparqlInput};
use anyhow::{Context as _, Result, bail};
use mss_kg::backend::{self, QueryMethod, RemoteConfig};
use mss_kg::output::Printer;
use mss_kg::queries::SavedQuery;
use mss_kg::store::{self, Location, StoreConfig};
use std::io::{IsTerminal, Read};
use std::time::Duration;

/// What every command needs: where the graph is and how to print.
pub struct Context {
    /// The store, or the endpoint: the one place that decides (see [`mss_kg::backend`]).
    pub backend: backend::Config,
    pub printer: Printer,
    /// The user's folder of saved queries, if any.
    pub queries: Option<std::path::PathBuf>,
    /// `--local`: the store, whatever a saved query's `#+ endpoint:` says.
    pub local: bool,
    /// `--timeout`, if given (0: never).
    pub timeout: Option<u64>,
}

impl Context {
    pub fn new(global: &GlobalArgs) -> Result<Self> {
        if !(global.wait.is_finite() && global.wait >= 0.0) {
            bail!("--wait takes a number of seconds, not '{}'", global.wait);
        }
        let location = if global.memory {
            Location::Memory
        } else {
            Location::Dir(global.store.clone().unwrap_or_else(store::default_dir))
        };
        // --local, and --memory, win over an endpoint the environment names (MSS_KG_ENDPOINT);
        // --memory with --endpoint on the command line names two graphs.
        let from_env = std::env::var("MSS_KG_ENDPOINT").ok() == global.endpoint;
        let endpoint = global
            .endpoint
            .clone()
            .filter(|e| !(e.is_empty() || global.local || global.memory && from_env));
        let backend = match endpoint {
            Some(_) if global.memory => {
                bail!("--memory and --endpoint name two different graphs: give one")
            }
            Some(query) => backend::Config::Remote(RemoteConfig {
                query,
                update: global.update_endpoint.clone(),
                graph_store: global.graph_store.clone(),
                timeout: remote_timeout(global.timeout),
                method: QueryMethod::Post,
            }),
            None => backend::Config::Embedded(StoreConfig {
                location,
                wait: Duration::from_secs_f64(global.wait),
                // A --store typed on this command line (not MSS_KG_STORE, not the default).
                announce_new: global.store.is_some()
                    && std::env::var_os("MSS_KG_STORE").map(std::path::PathBuf::from)
                        != global.store
                    && !global.quiet,
            }),
        };
        Ok(Self {
            backend,
            printer: Printer::new(global.quiet, global.wide),
            queries: global.queries.clone(),
            local: global.local,
            timeout: global.timeout,
        })
    }

    /// Where a saved query runs: where the command line says, else at its grlc `#+ endpoint:`
    /// (with its `#+ endpoint-method:`), else on the store.
    pub fn backend_for(&self, saved: &SavedQuery) -> Result<backend::Config> {
        match (&self.backend, &saved.endpoint) {
            (backend::Config::Embedded(_), Some(endpoint)) if !self.local => {
                Ok(backend::Config::endpoint(
                    endpoint,
                    saved.endpoint_method()?,
                    self.remote_timeout(),
                ))
            }
            _ => Ok(self.backend.clone()),
        }
    }

    /// How long an endpoint may take: `--timeout`, else [`backend::DEFAULT_TIMEOUT`].
    pub fn remote_timeout(&self) -> Option<Duration> {
        remote_timeout(self.timeout)
    }

    /// The deadline of a query on the store, when `--timeout` asks for one.
    pub fn deadline(&self) -> Option<mss_kg::sparql::Deadline> {
        match (&self.backend, self.timeout) {
            (backend::Config::Embedded(_), Some(secs)) if secs > 0 => Some(
                mss_kg::sparql::Deadline::after(Some(Duration::from_secs(secs))),
            ),
            _ => None,
        }
    }
}

fn remote_timeout(secs: Option<u64>) -> Option<Duration> {
    match secs {
        Some(0) => None,
        Some(secs) => Some(Duration::from_secs(secs)),
        None => Some(backend::DEFAULT_TIMEOUT),
    }
}

/// Runs the command the user typed.
pub fn run(cli: Cli) -> Result<()> {
    let ctx = Context::new(&cli.global)?;
    match cli.command {
        Command::Load(args) => load::run(&ctx, args),
        Command::Query(args) => query::run(&ctx, args),
        Command::Update(args) => update::run(&ctx, args),
        Command::Stats(args) => stats::run(&ctx, args),
        Command::Queries(args) => queries::run(&ctx, args),
        Command::Run(args) => run::run(&ctx, args),
        Command::Describe(args) => describe::run(&ctx, args),
        Command::Export(args) => export::run(&ctx, args),
        Command::Link(args) => link::run(&ctx, args),
        Command::Serve(args) => serve::run(&ctx, args),
        Command::Diff(args) => diff::run(&ctx, args),
        Command::Validate(args) => validate::run(&ctx, args),
        Command::Mentions(args) => mentions::run(&ctx, args),
        Command::Completions(args) => completions::run(&ctx, args),
        Command::Man(args) => man::run(&ctx, args),
    }
}

/// The SPARQL text of `query` or `update`, with a name for messages: from the argument, from
/// `--file`, or from standard input when it is not a terminal.
pub fn read_sparql(input: SparqlInput) -> Result<(String, String)> {
    if let Some(text) = input.sparql {
        return Ok((text, "<argument>".to_owned()));
    }
    if let Some(path) = input.file {
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read '{}'", path.display()))?;
        return Ok((text, path.display().to_string()));
    }
    if std::io::stdin().is_terminal() {
        bail!("no SPARQL given: pass it as an argument, with --file, or on standard input");
    }
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .context("cannot read SPARQL from standard input")?;
    Ok((text, "<stdin>".to_owned()))
}
