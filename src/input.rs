//! RDF inputs: files, folders and standard input, each with its format and base, and the
//! messages of a file that fails to parse (`file:line:column: ...`).

use crate::format;
use anyhow::{Context as _, Result, anyhow};
use oxigraph::io::{RdfFormat, RdfParseError, RdfParser};
use oxigraph::store::LoaderError;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// One thing to read: a file (with its format) or standard input.
pub struct Input {
    pub path: Option<PathBuf>,
    pub format: RdfFormat,
    /// Where standard input was kept, to be read more than once ([`spool_stdin`]).
    pub spool: Option<PathBuf>,
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

    /// The input's bytes, buffered, without a leading UTF-8 byte-order mark (editors on Windows
    /// write one; the RDF grammars have no place for it).
    pub fn open(&self) -> Result<Box<dyn Read>> {
        fn without_bom<R: BufRead + 'static>(mut reader: R, name: &str) -> Result<Box<dyn Read>> {
            let bom = reader
                .fill_buf()
                .with_context(|| format!("cannot read '{name}'"))?
                .starts_with(b"\xEF\xBB\xBF");
            if bom {
                reader.consume(3);
            }
            Ok(Box::new(reader))
        }
        match self.spool.as_ref().or(self.path.as_ref()) {
            Some(path) => without_bom(
                BufReader::with_capacity(
                    1 << 20,
                    std::fs::File::open(path)
                        .with_context(|| format!("cannot read '{}'", path.display()))?,
                ),
                &path.display().to_string(),
            ),
            None => without_bom(BufReader::new(std::io::stdin().lock()), "<stdin>"),
        }
    }
}

/// The format named by `--format`, if given.
pub fn forced_format(name: Option<&str>) -> Result<Option<RdfFormat>> {
    name.map(|name| {
        format::rdf_format(name).ok_or_else(|| {
            crate::usage(format!(
                "unknown RDF format '{name}' (expected one of: {})",
                format::RDF_NAMES
            ))
        })
    })
    .transpose()
}

/// Files and folders to inputs, each with its format; fails before anything is loaded if a file
/// is missing or its format unknown.
pub fn expand(paths: &[PathBuf], forced: Option<RdfFormat>) -> Result<Vec<Input>> {
    let mut inputs = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            let format = forced.context("reading standard input needs --format")?;
            inputs.push(Input {
                path: None,
                format,
                spool: None,
            });
        } else if path.is_dir() {
            for file in crate::files::walk(path)? {
                if let Some(format) = forced.or_else(|| format::rdf_format_of_path(&file)) {
                    inputs.push(Input {
                        path: Some(file),
                        format,
                        spool: None,
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
                spool: None,
            });
        }
    }
    Ok(inputs)
}

/// Copies standard input, if it is one of `inputs`, into a temporary file that the input then
/// reads from; the file lives as long as the returned handle.
pub fn spool_stdin(inputs: &mut [Input]) -> Result<Option<tempfile::NamedTempFile>> {
    let Some(input) = inputs.iter_mut().find(|i| i.path.is_none()) else {
        return Ok(None);
    };
    let mut file = tempfile::NamedTempFile::new().context("cannot keep standard input")?;
    std::io::copy(&mut std::io::stdin().lock(), &mut file).context("cannot read standard input")?;
    input.spool = Some(file.path().to_path_buf());
    Ok(Some(file))
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
