//! `mss-kg load`: parse RDF files and load them into the store (all or nothing) or send them to
//! an endpoint (each file checked before anything is sent); `--bundled` publishes the bundled
//! graph.

use super::Context;
use crate::cli::LoadArgs;
use anyhow::{Context as _, Result, anyhow, bail};
use mss_kg::backend::{Backend, Load, Replace, Target};
use mss_kg::input;
use mss_kg::output;
use mss_kg::store::Access;
use oxigraph::model::NamedNode;
use std::time::Instant;

pub fn run(ctx: &Context, args: LoadArgs) -> Result<()> {
    let forced = input::forced_format(args.format.as_deref())?;
    let graph = match &args.graph {
        Some(iri) => Some(
            NamedNode::new(iri).map_err(|e| anyhow!("--graph '{iri}' is not a valid IRI: {e}"))?,
        ),
        None => None,
    };
    if let Some(base) = &args.base {
        NamedNode::new(base).map_err(|e| anyhow!("--base '{base}' is not a valid IRI: {e}"))?;
    }
    if !args.bundled && args.files.is_empty() {
        bail!("nothing to load: give files or folders (or `-` for standard input), or --bundled");
    }
    let mut inputs = input::expand(&args.files, forced)?;
    let backend = ctx.backend.open(Access::Write)?;
    let bar = ctx.printer.progress("triples");
    let start = Instant::now();
    let mut total = 0u64;
    if args.bundled {
        bar.set_message("the bundled graph");
        let sent = backend.publish_bundled(&bar).with_context(|| {
            format!("cannot publish the bundled graph to the {}", backend.name())
        })?;
        total += sent;
        if matches!(backend, Backend::Embedded(_)) {
            ctx.printer.note(format!(
                "the {} holds the bundled graph already (it is loaded on first use)",
                backend.name()
            ));
        }
    }
    let _spool;
    if matches!(backend, Backend::Remote(_)) {
        // An endpoint's load reads each input twice (checked, then sent): keep stdin in a file.
        _spool = input::spool_stdin(&mut inputs)?;
    }
    let target = match graph {
        Some(graph) => Target::Graph(graph),
        None if args.default_graph => Target::DefaultGraph,
        None => Target::FileGraph,
    };
    let load = Load {
        inputs: &inputs,
        base: args.base.as_deref(),
        target,
        replace: if args.replace {
            Replace::Touched
        } else {
            Replace::Nothing
        },
    };
    let loaded = backend.load(&load, &mut |_| {}, &bar)?;
    total += loaded.triples;
    if let Some(dir) = backend.dir() {
        // What `export` writes IRIs with; the data is in, so a failure here is only a warning.
        if let Err(e) = mss_kg::prefixes::record_in_store(dir, &loaded.prefixes) {
            ctx.printer
                .note(format!("warning: cannot record the files' prefixes: {e}"));
        }
    }
    bar.finish_and_clear();
    let seconds = start.elapsed().as_secs_f64();
    let what = match (args.bundled, inputs.len()) {
        (true, 0) => "the bundled graph".to_owned(),
        (bundled, n) => format!(
            "{}{n} input{}",
            if bundled {
                "the bundled graph and "
            } else {
                ""
            },
            if n == 1 { "" } else { "s" }
        ),
    };
    let into = match &backend {
        Backend::Remote(_) => format!(" into the {}", backend.name()),
        Backend::Embedded(_) => String::new(),
    };
    ctx.printer.note(format!(
        "loaded {total} triples from {what}{into} in {seconds:.2}s ({} triples/s)",
        output::per_second(total, seconds)
    ));
    Ok(())
}
