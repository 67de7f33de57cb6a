//! `mss-kg load`: parse RDF files and bulk-load them, all or nothing.

use super::Context;
use crate::cli::LoadArgs;
use crate::format;
use crate::store::{self, Access};
use anyhow::{Context as _, Result, anyhow};
use oxigraph::io::{RdfFormat, RdfParseError, RdfParser};
use oxigraph::model::NamedNode;
use oxigraph::store::LoaderError;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// One thing to read: a file (with its format) or standard input.
pub struct Input {
    pub path: Option<PathBuf>,
    pub format: RdfFormat,
}

impl Input {
    pub fn name(&self) -> String {
        self.path
            .as_ref()
            .map_or_else(|| "<stdin>".to_owned(), |p| p.display().to_string())
    }

    /// A parser for this input, relative IRIs resolved against `base` or else the file's URL.
    pub fn parser(&self, base: Option<&str>) -> Result<RdfParser> {
        let parser = RdfParser::from_format(self.format).rename_blank_nodes();
        let base = match (base, &self.path) {
            (Some(base), _) => base.to_owned(),
            (None, Some(path)) => file_url(path)?,
            (None, None) => return Ok(parser),
        };
        parser
            .with_base_iri(base.as_str())
            .map_err(|e| anyhow!("invalid base IRI '{base}': {e}"))
    }

    /// The input's bytes, buffered.
    pub fn open(&self) -> Result<Box<dyn Read>> {
        Ok(match &self.path {
            Some(path) => Box::new(BufReader::with_capacity(
                1 << 20,
                std::fs::File::open(path)
                    .with_context(|| format!("cannot read '{}'", path.display()))?,
            )),
            None => Box::new(BufReader::new(std::io::stdin().lock())),
        })
    }
}

/// The format named by `--format`, if given.
pub fn forced_format(name: Option<&str>) -> Result<Option<RdfFormat>> {
    name.map(|name| {
        format::rdf_format(name).with_context(|| {
            format!(
                "unknown RDF format '{name}' (expected one of: {})",
                format::RDF_NAMES
            )
        })
    })
    .transpose()
}

pub fn run(ctx: &Context, args: LoadArgs) -> Result<()> {
    let forced = forced_format(args.format.as_deref())?;
    let graph = match &args.graph {
        Some(iri) => Some(
            NamedNode::new(iri).map_err(|e| anyhow!("--graph '{iri}' is not a valid IRI: {e}"))?,
        ),
        None => None,
    };
    if let Some(base) = &args.base {
        NamedNode::new(base).map_err(|e| anyhow!("--base '{base}' is not a valid IRI: {e}"))?;
    }
    let inputs = expand(&args.files, forced)?;

    let store = store::open(&ctx.store, Access::Write)?;
    let bar = ctx.printer.progress("triples");
    let start = Instant::now();
    let mut loader = store.bulk_loader();
    let mut total = 0u64;
    let mut declared = Vec::new();
    for input in &inputs {
        bar.set_message(input.name());
        let mut parser = input.parser(args.base.as_deref())?;
        if let Some(graph) = &graph {
            parser = parser.with_default_graph(graph.clone());
        } else if args.default_graph {
            // The parser's default graph is the store's default graph.
        } else if let Some(path) = &input.path {
            parser = parser.with_default_graph(NamedNode::new(file_url(path)?)?);
        }
        let reader = input.open()?;
        let mut count = 0u64;
        let mut parsed = parser.for_reader(reader);
        let quads = parsed.by_ref().inspect(|q| {
            if q.is_ok() {
                count += 1;
                if count.is_multiple_of(4096) {
                    bar.inc(4096);
                }
            }
        });
        loader
            .load_ok_quads::<RdfParseError, LoaderError>(quads)
            .map_err(|e| load_error(&input.name(), e))?;
        bar.inc(count % 4096);
        total += count;
        declared.extend(
            parsed
                .prefixes()
                .map(|(name, ns)| (name.to_owned(), ns.to_owned())),
        );
    }
    bar.set_message("committing");
    loader
        .commit()
        .context("cannot commit the load; the store is unchanged")?;
    store::flush(&store)?;
    if let Some(dir) = &store.path {
        // What `export` writes IRIs with; the data is in, so a failure here is only a warning.
        if let Err(e) = crate::prefixes::record_in_store(dir, &declared) {
            ctx.printer
                .note(format!("warning: cannot record the files' prefixes: {e}"));
        }
    }
    bar.finish_and_clear();
    let seconds = start.elapsed().as_secs_f64();
    ctx.printer.note(format!(
        "loaded {total} triples from {} input{} in {seconds:.2}s ({:.0} triples/s)",
        inputs.len(),
        if inputs.len() == 1 { "" } else { "s" },
        total as f64 / seconds.max(1e-9)
    ));
    Ok(())
}

/// Files and folders to inputs, each with its format; fails before anything is loaded if a file
/// is missing or its format unknown.
pub fn expand(paths: &[PathBuf], forced: Option<RdfFormat>) -> Result<Vec<Input>> {
    let mut inputs = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            let format = forced.context("reading standard input needs --format")?;
            inputs.push(Input { path: None, format });
        } else if path.is_dir() {
            for file in crate::files::walk(path)? {
                if let Some(format) = forced.or_else(|| format::rdf_format_of_path(&file)) {
                    inputs.push(Input {
                        path: Some(file),
                        format,
                    });
                }
            }
        } else {
            std::fs::metadata(path).with_context(|| format!("cannot read '{}'", path.display()))?;
            let format = forced
                .or_else(|| format::rdf_format_of_path(path))
                .with_context(|| {
                    format!(
                        "cannot tell the RDF format of '{}' from its extension; use --format",
                        path.display()
                    )
                })?;
            inputs.push(Input {
                path: Some(path.clone()),
                format,
            });
        }
    }
    Ok(inputs)
}

/// `file:///absolute/path`, percent-encoding what an IRI may not hold.
pub fn file_url(path: &Path) -> Result<String> {
    let absolute = std::path::absolute(path)
        .with_context(|| format!("cannot resolve '{}'", path.display()))?;
    let mut url = String::from("file://");
    for byte in absolute.to_string_lossy().bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~!$&'()*+,;=:@".contains(&byte) {
            url.push(byte as char);
        } else {
            url.push_str(&format!("%{byte:02X}"));
        }
    }
    Ok(url)
}

/// `file:line:column: message` for a syntax error, `file: message` otherwise.
pub fn load_error(name: &str, error: LoaderError) -> anyhow::Error {
    match error {
        LoaderError::Parsing(e) => parse_error(name, e, "nothing was loaded"),
        other => anyhow!("{name}: {other} (nothing was loaded)"),
    }
}

/// `file:line:column: message (outcome)` for a syntax error, `file: message` otherwise.
pub fn parse_error(name: &str, error: RdfParseError, outcome: &str) -> anyhow::Error {
    match error {
        RdfParseError::Syntax(e) => match e.location() {
            Some(location) => {
                let message = e.to_string();
                // Oxttl says "Parser error at line L column C: msg"; keep only the message.
                let message = message
                    .split_once(": ")
                    .map_or(message.as_str(), |(_, m)| m);
                anyhow!(
                    "{name}:{}:{}: {message} ({outcome})",
                    location.start.line + 1,
                    location.start.column + 1
                )
            }
            None => anyhow!("{name}: {e} ({outcome})"),
        },
        RdfParseError::Io(e) => anyhow!("cannot read '{name}': {e} ({outcome})"),
    }
}
