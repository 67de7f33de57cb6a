//! `mss-kg describe`: a readable card about one entity, or the same as RDF.

use super::Context;
use crate::cli::DescribeArgs;
use anyhow::{Result, bail};
use mss_kg::describe::{self, Card, Lookup, Values};
use mss_kg::format;
use mss_kg::output;
use mss_kg::prefixes;
use mss_kg::store::Access;
use oxigraph::io::RdfFormat;
use std::collections::BTreeSet;
use std::io::Write;

pub fn run(ctx: &Context, args: DescribeArgs) -> Result<()> {
    let rdf = match args.format.as_deref() {
        None | Some("card" | "text") => None,
        Some(name) => Some(format::rdf_format(name).ok_or_else(|| {
            mss_kg::usage(format!(
                "unknown format '{name}' for describe (expected card or one of: {})",
                format::RDF_NAMES
            ))
        })?),
    };
    let store = ctx.backend.open(Access::Read)?;
    let iri = match describe::lookup(&store, &args.name)? {
        Lookup::Found(iri) => iri,
        Lookup::Ambiguous(candidates) => bail!(
            "'{}' matches {} entities: {} (give one of these IRIs, or a longer name)",
            args.name,
            candidates.len(),
            list(&candidates)
        ),
        Lookup::NotFound(near) if near.is_empty() => {
            bail!("no entity is called '{}'", args.name)
        }
        Lookup::NotFound(near) => {
            bail!(
                "no entity is called '{}' (did you mean {}?)",
                args.name,
                list(&near)
            )
        }
    };
    let card = describe::card(&store, &iri)?;
    let mut out = ctx.printer.stdout();
    match rdf {
        None => write_card(&mut out, &card)?,
        Some(format) => write_rdf(&mut out, &card, format)?,
    }
    out.flush()?;
    Ok(())
}

fn list(candidates: &[describe::Candidate]) -> String {
    describe::candidate_list(candidates)
}

fn write_card(out: &mut impl Write, card: &Card) -> Result<()> {
    writeln!(
        out,
        "{}  {}",
        card.label,
        prefixes::compact(card.iri.as_str())
    )?;
    if !card.types.is_empty() {
        writeln!(out, "  a: {}", join(&card.types))?;
    }
    let aliases: BTreeSet<String> = card
        .names
        .iter()
        .filter(|n| **n != card.label)
        .cloned()
        .collect();
    if !aliases.is_empty() {
        writeln!(out, "  also: {}", join(&aliases))?;
    }
    if !card.external.is_empty() {
        writeln!(out, "  same as: {}", join(&card.external))?;
    }
    section(out, "facts", &card.facts, "")?;
    section(out, "referenced by", &card.referenced_by, "← ")?;
    Ok(())
}

fn join(items: &BTreeSet<String>) -> String {
    items.iter().cloned().collect::<Vec<_>>().join(", ")
}

/// A group of relations: the relation's name, then each value with its sources in brackets.
fn section(
    out: &mut impl Write,
    title: &str,
    groups: &std::collections::BTreeMap<String, Values>,
    marker: &str,
) -> Result<()> {
    if groups.is_empty() {
        return Ok(());
    }
    writeln!(out, "\n{title}:")?;
    let width = groups
        .keys()
        .map(|k| k.chars().count() + marker.chars().count())
        .max()
        .unwrap_or(0);
    for (relation, values) in groups {
        let name = format!("{marker}{relation}");
        for (i, (value, sources)) in values.0.iter().enumerate() {
            let head = if i == 0 { name.as_str() } else { "" };
            writeln!(out, "  {head:<width$}  {value}  [{}]", join(sources))?;
        }
    }
    Ok(())
}

fn write_rdf(out: &mut impl Write, card: &Card, format: RdfFormat) -> Result<()> {
    // The pretty writer of `export` for Turtle and TriG: one card, the same bytes as an export.
    output::write_graph(
        card.quads.iter().cloned().map(Ok::<_, anyhow::Error>),
        format,
        out,
    )
}
