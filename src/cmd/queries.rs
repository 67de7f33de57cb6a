//! `mss-kg queries`: list the saved queries, or show one.

use super::Context;
use crate::cli::{QueriesAction, QueriesArgs};
use anyhow::Result;
use mss_kg::format::ResultFormat;
use mss_kg::output;
use mss_kg::queries::{self, Origin, SavedQuery};
use oxigraph::model::{Literal, Term, Variable};
use std::io::Write;

pub fn run(ctx: &Context, args: QueriesArgs) -> Result<()> {
    let mut out = ctx.printer.stdout();
    match args.action {
        Some(QueriesAction::Show { name }) => {
            let saved = queries::find(ctx.queries.as_deref(), &name)?;
            warn_header(ctx, &saved);
            show(&mut out, &saved, &runs_on(ctx, &saved))?;
        }
        None => {
            let catalog = queries::catalog(ctx.queries.as_deref())?;
            // Once per file that cannot be used, and per header that could not be read; the
            // rest is listed.
            for broken in &catalog.broken {
                ctx.printer.warn(format!("{} (not listed)", broken.error));
            }
            for saved in &catalog.queries {
                warn_header(ctx, saved);
            }
            let all: Vec<SavedQuery> = catalog
                .queries
                .into_iter()
                .filter(|q| args.tag.as_ref().is_none_or(|t| q.tags.contains(t)))
                .collect();
            match args.format.to_ascii_lowercase().as_str() {
                "table" => list(&mut out, ctx, &all)?,
                "json" => {
                    serde_json::to_writer_pretty(
                        &mut out,
                        &all.iter().map(|q| to_json(ctx, q)).collect::<Vec<_>>(),
                    )?;
                    writeln!(out)?;
                }
                other => {
                    return Err(mss_kg::usage(format!(
                        "unknown format '{other}' for `queries` (expected table or json)"
                    )));
                }
            }
        }
    }
    out.flush()?;
    Ok(())
}

/// A warning for a header that could not be read: `file:line: ...`.
pub fn warn_header(ctx: &Context, saved: &SavedQuery) {
    if let Some(warning) = &saved.warning {
        ctx.printer
            .warn(format!("{}:{warning}", origin_file(saved)));
    }
}

fn origin_file(saved: &SavedQuery) -> String {
    match &saved.origin {
        Origin::Bundled => format!("queries/{}.rq", saved.name),
        Origin::File(path) => path.display().to_string(),
    }
}

fn origin(saved: &SavedQuery) -> String {
    match &saved.origin {
        Origin::Bundled => format!("bundled: {}", origin_file(saved)),
        Origin::File(_) => origin_file(saved),
    }
}

/// Where a saved query runs: `store`, or the URL of the endpoint it is sent to.
pub fn runs_on(ctx: &Context, q: &SavedQuery) -> String {
    match ctx.backend_for(q) {
        Ok(mss_kg::backend::Config::Remote(remote)) => remote.query,
        Ok(mss_kg::backend::Config::Embedded(_)) => "store".to_owned(),
        Err(e) => format!("({e})"),
    }
}

fn list(out: &mut impl Write, ctx: &Context, all: &[SavedQuery]) -> Result<()> {
    let text = |s: &str| Some(Term::from(Literal::new_simple_literal(s)));
    let rows = all.iter().map(|q| {
        Ok(vec![
            text(&q.name),
            text(q.summary.as_deref().unwrap_or("")),
            text(&q.describe_params()),
            text(&q.tags.join(", ")),
            text(&runs_on(ctx, q)),
        ])
    });
    let header = ["name", "summary", "parameters", "tags", "runs on"].map(Variable::new_unchecked);
    output::write_solutions(out, ResultFormat::Table, &header, rows, &ctx.printer)
}

fn show(out: &mut impl Write, q: &SavedQuery, runs_on: &str) -> Result<()> {
    writeln!(out, "{} ({})", q.name, origin(q))?;
    if let Some(summary) = &q.summary {
        writeln!(out, "{summary}")?;
    }
    if let Some(description) = &q.description {
        writeln!(out, "\n{description}")?;
    }
    writeln!(out)?;
    if !q.tags.is_empty() {
        writeln!(out, "tags: {}", q.tags.join(", "))?;
    }
    if q.params.is_empty() {
        writeln!(out, "parameters: none")?;
    } else {
        writeln!(out, "parameters:")?;
        for p in &q.params {
            writeln!(
                out,
                "  --param {}=...   ?{}: {}",
                p.name,
                p.variable.as_str(),
                p.describe()
            )?;
        }
    }
    if let Some(endpoint) = &q.endpoint {
        writeln!(out, "endpoint (grlc): {endpoint}")?;
    }
    if !q.ignored.is_empty() {
        writeln!(
            out,
            "ignored (grlc decorators mss-kg does not act on): {}",
            q.ignored.join(", ")
        )?;
    }
    if let Some(warning) = &q.warning {
        writeln!(out, "header: line {warning}")?;
    }
    writeln!(out, "runs on: {runs_on}")?;
    writeln!(out, "\n{}", q.text.trim_end())?;
    Ok(())
}

fn to_json(ctx: &Context, q: &SavedQuery) -> serde_json::Value {
    serde_json::json!({
        "runs_on": runs_on(ctx, q),
        "name": q.name,
        "source": origin(q),
        "summary": q.summary,
        "description": q.description,
        "tags": q.tags,
        "ignored": q.ignored,
        "warning": q.warning,
        "parameters": q.params.iter().map(|p| serde_json::json!({
            "name": p.name,
            "variable": p.variable.as_str(),
            "type": p.kind.to_string(),
            "required": p.required,
            "default": p.default,
            "enumerate": p.allowed,
        })).collect::<Vec<_>>(),
    })
}
