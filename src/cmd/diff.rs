//! `mss-kg diff`: the triples (or quads) only in A and only in B, blank nodes matched by their
//! canonical labels, as a curator reviews a change.

use super::Context;
use crate::cli::DiffArgs;
use anyhow::{Context as _, Result, anyhow};
use mss_kg::backend::Backend;
use mss_kg::input::{self, Input};
use mss_kg::store::Access;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{GraphName, NamedNode, Quad};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;

/// One side of the comparison.
enum Side {
    /// RDF files (a file, or the files of a folder).
    Files(Vec<Input>),
    /// Every graph of the store.
    Store,
    /// One named graph of the store.
    Graph(NamedNode),
}

impl Side {
    /// A path that exists is files; `store` is the store; anything else names a graph.
    fn parse(given: &str) -> Result<Self> {
        let path = Path::new(given);
        if path.exists() {
            let inputs = input::expand(&[path.to_path_buf()], None)?;
            if inputs.is_empty() {
                return Err(anyhow!("'{given}' holds no RDF file"));
            }
            return Ok(Side::Files(inputs));
        }
        if given == "store" {
            return Ok(Side::Store);
        }
        let iri = mss_kg::queries::expand_iri(given);
        if !iri.contains(':') {
            return Err(anyhow!(
                "'{given}' is neither a file, a folder, `store`, nor a graph IRI"
            ));
        }
        NamedNode::new(&iri)
            .map(Side::Graph)
            .map_err(|e| anyhow!("'{given}' is not a file, and not an IRI either ({e})"))
    }

    fn needs_store(&self) -> bool {
        !matches!(self, Side::Files(_))
    }

    /// Whether this side holds triples only: one graph, or files without named graphs.
    fn triples_only(&self) -> bool {
        match self {
            Side::Files(inputs) => inputs.iter().all(|i| !i.format.supports_datasets()),
            Side::Graph(_) => true,
            Side::Store => false,
        }
    }

    fn quads(&self, store: Option<&Backend>, name: &str) -> Result<Vec<Quad>> {
        match self {
            Side::Files(inputs) => {
                let mut quads = Vec::new();
                for input in inputs {
                    let parsed = input.parser(None)?.for_reader(input.open()?);
                    for quad in parsed {
                        quads.push(quad.map_err(|e| {
                            input::parse_error(&input.name(), e, "nothing was compared")
                        })?);
                    }
                }
                Ok(quads)
            }
            Side::Store => store
                .expect("opened for a store side")
                .quads(None, None, None, None)?
                .collect(),
            Side::Graph(graph) => {
                let store = store.expect("opened for a graph side");
                if !store.contains_graph(graph)? {
                    return Err(anyhow!("{name}: the store holds no graph {graph}"));
                }
                store
                    .quads(None, None, None, Some(&graph.clone().into()))?
                    .collect()
            }
        }
    }
}

/// Canonical N-Quads lines of `quads` (graph names dropped when comparing triples).
fn canonical_lines(quads: Vec<Quad>, triples: bool) -> Result<BTreeSet<String>> {
    let quads = quads.into_iter().map(|mut q| {
        if triples {
            q.graph_name = GraphName::DefaultGraph;
        }
        Ok::<_, anyhow::Error>(q)
    });
    Ok(mss_kg::canonical::nquads(quads)?
        .lines()
        .map(str::to_owned)
        .collect())
}

/// Writes `lines` (canonical N-Quads) through the pretty writer.
fn write_part(out: &mut dyn Write, lines: &[&String], format: RdfFormat) -> Result<()> {
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    let quads = RdfParser::from_format(RdfFormat::NQuads).for_slice(text.as_bytes());
    mss_kg::output::write_graph(quads, format, out)
}

pub fn run(ctx: &Context, args: DiffArgs) -> Result<()> {
    // Trouble is exit status 2, as diff(1) has it; "different" is 1.
    let trouble = |e: anyhow::Error| mss_kg::usage(format!("{e:#}"));
    let a = Side::parse(&args.a).map_err(trouble)?;
    let b = Side::parse(&args.b).map_err(trouble)?;
    let store = if a.needs_store() || b.needs_store() {
        Some(ctx.backend.open(Access::Read).map_err(trouble)?)
    } else {
        None
    };
    let triples = a.triples_only() || b.triples_only();
    let left = canonical_lines(a.quads(store.as_ref(), &args.a).map_err(trouble)?, triples)
        .map_err(trouble)?;
    let right = canonical_lines(b.quads(store.as_ref(), &args.b).map_err(trouble)?, triples)
        .map_err(trouble)?;
    let only_a: Vec<&String> = left.difference(&right).collect();
    let only_b: Vec<&String> = right.difference(&left).collect();
    if only_a.is_empty() && only_b.is_empty() {
        ctx.printer.note(format!(
            "{} and {} hold the same {} {}",
            args.a,
            args.b,
            left.len(),
            if triples { "triples" } else { "quads" }
        ));
        return Ok(());
    }
    if !args.brief {
        let format = if triples {
            RdfFormat::Turtle
        } else {
            RdfFormat::TriG
        };
        let unit = if triples { "triple" } else { "quad" };
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        let mut out = ctx.printer.stdout();
        for (i, (side, lines)) in [(&args.a, &only_a), (&args.b, &only_b)]
            .into_iter()
            .enumerate()
        {
            if i > 0 {
                writeln!(out)?;
            }
            writeln!(
                out,
                "# only in {side}: {} {unit}{}",
                lines.len(),
                plural(lines.len())
            )?;
            if !lines.is_empty() {
                write_part(&mut out, lines, format).context("cannot write the difference")?;
            }
        }
        out.flush()?;
    }
    ctx.printer.note(format!(
        "{} removed, {} added ({} to {})",
        only_a.len(),
        only_b.len(),
        args.a,
        args.b
    ));
    Err(anyhow::Error::new(mss_kg::usage::Silent(1)))
}
