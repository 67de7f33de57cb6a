//! Writing results: aligned tables, the W3C result formats, and RDF; plus progress and messages
//! on stderr that `--quiet` silences.

use crate::format::{self, ResultFormat};
use crate::prefixes;
use anyhow::Result;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{Term, TermRef, Variable};
use oxigraph::sparql::QueryResults;
use oxigraph::sparql::results::QueryResultsSerializer;
use std::io::{IsTerminal, Write};
use std::path::Path;
use unicode_width::UnicodeWidthStr;

/// Where a command writes: results to stdout, messages and progress to stderr.
#[derive(Debug, Clone, Copy)]
pub struct Printer {
    pub quiet: bool,
    /// The width tables fit in (`None`: as wide as their cells).
    pub table_width: Option<usize>,
}

impl Printer {
    /// A printer for the command line: tables fit the terminal (or `COLUMNS`, when set), unless
    /// `wide`; piped output without `COLUMNS` is laid out as wide as its cells.
    pub fn new(quiet: bool, wide: bool) -> Self {
        let columns = std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.trim().parse::<usize>().ok())
            .filter(|c| *c > 0);
        let table_width = match (wide, columns) {
            (true, _) => None,
            (false, Some(columns)) => Some(columns),
            (false, None) if std::io::stdout().is_terminal() => Some(textwrap::termwidth()),
            (false, None) => None,
        };
        Self { quiet, table_width }
    }

    /// A buffered handle on stdout; flush it before returning.
    pub fn stdout(&self) -> std::io::BufWriter<std::io::StdoutLock<'static>> {
        std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout().lock())
    }

    /// Whether stdout is a terminal (tables for people) or a pipe (formats for tools).
    pub fn stdout_is_terminal(&self) -> bool {
        std::io::stdout().is_terminal()
    }

    /// A summary line on stderr, unless quiet.
    pub fn note(&self, message: impl std::fmt::Display) {
        if !self.quiet {
            eprintln!("{message}");
        }
    }

    /// Something the user should know about although the command goes on: on stderr, even when
    /// quiet.
    pub fn warn(&self, message: impl std::fmt::Display) {
        eprintln!("mss-kg: warning: {message}");
    }

    /// A progress counter on stderr, drawn only on a terminal and not when quiet.
    pub fn progress(&self, unit: &str) -> ProgressBar {
        let target = if self.quiet || !std::io::stderr().is_terminal() {
            ProgressDrawTarget::hidden()
        } else {
            ProgressDrawTarget::stderr()
        };
        let bar = ProgressBar::with_draw_target(None, target);
        // The rate as the summary line gives it: the count so far over the time so far.
        let rate = |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = w.write_str(&per_second(state.pos(), state.elapsed().as_secs_f64()));
        };
        bar.set_style(
            ProgressStyle::with_template(&format!(
                "{{spinner}} {{human_pos}} {unit} ({{rate}} {unit}/s) {{elapsed}} {{msg}}"
            ))
            .expect("valid template")
            .with_key("rate", rate),
        );
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        bar
    }
}

/// The format `--format` names, or else the one the extension of `--output` names (checked
/// before the query runs: either kind of result may come); `None` leaves the choice to the
/// results (a table on a terminal, TSV when piped, Turtle for graphs).
pub fn output_format(format: Option<&str>, output: Option<&Path>) -> Result<Option<String>> {
    let name = match (format, output) {
        (Some(name), _) => name.to_owned(),
        (None, Some(path)) => {
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            if ext.eq_ignore_ascii_case("txt") || ext.is_empty() {
                return Err(crate::usage(format!(
                    "cannot tell a format from the extension of '{}' (use .csv, .tsv, .json, .xml, .ttl, .nt, .jsonld..., or --format)",
                    path.display()
                )));
            }
            ext.to_owned()
        }
        (None, None) => return Ok(None),
    };
    if format::result_format(&name).is_none() && format::rdf_format(&name).is_none() {
        return Err(crate::usage(format!(
            "unknown format '{name}' (expected one of: {} for SELECT/ASK; {} for CONSTRUCT/DESCRIBE)",
            format::RESULT_NAMES,
            format::RDF_NAMES
        )));
    }
    Ok(Some(name))
}

/// Writes query results to stdout, or atomically to `output`: `None` picks a table on a
/// terminal and TSV when piped for SELECT/ASK, and Turtle for CONSTRUCT/DESCRIBE.
pub fn write_results_to(
    results: QueryResults<'_>,
    format: Option<&str>,
    printer: &Printer,
    output: Option<&Path>,
) -> Result<()> {
    let format = output_format(format, output)?;
    match output {
        None => write_results(results, format.as_deref(), printer),
        Some(_) => crate::files::write_atomically(output, |out| {
            // A file is no terminal: its rows are TSV unless the extension said otherwise.
            let file_printer = Printer {
                quiet: printer.quiet,
                table_width: None,
            };
            let mut out = EndsLines::new(out);
            write_results_into(results, format.as_deref(), &file_printer, &mut out, false)?;
            out.end_line()?;
            Ok(())
        }),
    }
}

/// `count` over `seconds`, a whole number with thousands separators (`3,188`), as progress lines
/// and summaries both say it.
pub fn per_second(count: u64, seconds: f64) -> String {
    let rate = (count as f64 / seconds.max(1e-9)).round() as u64;
    let digits = rate.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// How to write query results: `None` picks a table on a terminal and TSV when piped for
/// SELECT/ASK, and Turtle for CONSTRUCT/DESCRIBE.
pub fn write_results(
    results: QueryResults<'_>,
    format: Option<&str>,
    printer: &Printer,
) -> Result<()> {
    let mut out = EndsLines::new(printer.stdout());
    write_results_into(
        results,
        format,
        printer,
        &mut out,
        printer.stdout_is_terminal(),
    )?;
    out.end_line()?;
    out.flush()?;
    Ok(())
}

fn write_results_into(
    results: QueryResults<'_>,
    format: Option<&str>,
    printer: &Printer,
    out: &mut dyn Write,
    terminal: bool,
) -> Result<()> {
    match results {
        QueryResults::Solutions(solutions) => {
            let format = solution_format(format, terminal)?;
            let variables = solutions.variables().to_vec();
            let rows = solutions.map(|s| {
                s.map(|s| {
                    variables
                        .iter()
                        .map(|v| s.get(v).cloned())
                        .collect::<Vec<_>>()
                })
                .map_err(anyhow::Error::from)
            });
            write_solutions(&mut &mut *out, format, &variables, rows, printer)?;
        }
        QueryResults::Boolean(value) => match solution_format(format, terminal)? {
            ResultFormat::Table => writeln!(out, "{value}")?,
            ResultFormat::Sparql(f) => {
                QueryResultsSerializer::from_format(f)
                    .serialize_boolean_to_writer(&mut *out, value)?;
            }
        },
        QueryResults::Graph(triples) => {
            let format = match format {
                None => RdfFormat::Turtle,
                Some(name) => format::rdf_format(name).ok_or_else(|| {
                    crate::usage(format!(
                        "unknown RDF format '{name}' for CONSTRUCT/DESCRIBE results (expected one of: {})",
                        format::RDF_NAMES
                    ))
                })?,
            };
            write_graph(
                crate::sparql::distinct_triples(triples)
                    .map(|t| t.map(|t| t.in_graph(oxigraph::model::GraphName::DefaultGraph))),
                format,
                out,
            )?;
        }
    }
    Ok(())
}

/// A writer that remembers the last byte written, so that output can end with a newline
/// (SPARQL JSON and XML, an ASK answer, RDF/XML and JSON-LD documents end without one).
pub struct EndsLines<W: Write> {
    inner: W,
    last: Option<u8>,
}

impl<W: Write> EndsLines<W> {
    pub fn new(inner: W) -> Self {
        Self { inner, last: None }
    }

    /// Writes a newline unless the output is empty or already ends with one.
    pub fn end_line(&mut self) -> std::io::Result<()> {
        match self.last {
            Some(b'\n') | None => Ok(()),
            Some(_) => self.write_all(b"\n"),
        }
    }
}

impl<W: Write> Write for EndsLines<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        if n > 0 {
            self.last = Some(buf[n - 1]);
        }
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Writes quads as RDF: N-Triples and N-Quads streamed as they come; Turtle and TriG through the
/// pretty writer of `export` (prefixed, grouped, sorted, blank nodes inline), and RDF/XML and
/// JSON-LD sorted, so that the same graph is the same bytes whichever command prints it. Graphs
/// are kept in the dataset formats and merged in the others.
pub fn write_graph<E>(
    quads: impl Iterator<Item = Result<oxigraph::model::Quad, E>>,
    format: RdfFormat,
    out: &mut dyn Write,
) -> Result<()>
where
    anyhow::Error: From<E>,
{
    let merge = !format.supports_datasets();
    if matches!(format, RdfFormat::NTriples | RdfFormat::NQuads) {
        let mut serializer = rdf_serializer(format).for_writer(out);
        if merge {
            // A triple several graphs hold is one triple of the merge: written once.
            let triples = quads.map(|q| q.map(oxigraph::model::Triple::from));
            for triple in crate::sparql::distinct_triples(triples) {
                serializer.serialize_triple(&triple?)?;
            }
        } else {
            for quad in quads {
                serializer.serialize_quad(&quad?)?;
            }
        }
        serializer.finish()?;
        return Ok(());
    }
    let mut doc = crate::pretty::Doc::new(merge);
    for quad in quads {
        doc.insert(quad?);
    }
    crate::pretty::write(
        doc,
        format,
        &prefixes::PrefixMap::common(),
        out,
        &ProgressBar::hidden(),
    )?;
    Ok(())
}

/// The serializer for `format`, declaring the common prefixes where the format has prefixes.
pub fn rdf_serializer(format: RdfFormat) -> RdfSerializer {
    let mut serializer = RdfSerializer::from_format(format);
    for (prefix, ns) in prefixes::COMMON {
        serializer = serializer
            .with_prefix(*prefix, *ns)
            .expect("the common prefixes are valid IRIs");
    }
    serializer
}

/// The result format `--format` names, or a table on a terminal and TSV when piped.
pub fn solution_format(format: Option<&str>, terminal: bool) -> Result<ResultFormat> {
    match format {
        None if terminal => Ok(ResultFormat::Table),
        None => Ok(ResultFormat::Sparql(
            oxigraph::sparql::results::QueryResultsFormat::Tsv,
        )),
        Some(name) => match format::result_format(name) {
            Some(f) => Ok(f),
            None => Err(crate::usage(format!(
                "unknown result format '{name}' for SELECT/ASK results (expected one of: {})",
                format::RESULT_NAMES
            ))),
        },
    }
}

/// Writes rows of solutions, streaming: a table lays out its columns from the first rows.
pub fn write_solutions(
    out: &mut impl Write,
    format: ResultFormat,
    variables: &[Variable],
    rows: impl Iterator<Item = Result<Vec<Option<Term>>>>,
    printer: &Printer,
) -> Result<()> {
    match format {
        ResultFormat::Table => write_table(out, variables, rows, printer.table_width),
        ResultFormat::Sparql(f) => {
            let mut serializer = QueryResultsSerializer::from_format(f)
                .serialize_solutions_to_writer(&mut *out, variables.to_vec())?;
            for row in rows {
                let row = row?;
                serializer.serialize(
                    variables
                        .iter()
                        .zip(&row)
                        .filter_map(|(v, t)| Some((v.as_ref(), t.as_ref()?.as_ref()))),
                )?;
            }
            serializer.finish()?;
            Ok(())
        }
    }
}

/// How many rows a table reads before it fixes its column widths and starts writing.
const TABLE_LAYOUT_ROWS: usize = 1000;

fn write_table(
    out: &mut impl Write,
    variables: &[Variable],
    mut rows: impl Iterator<Item = Result<Vec<Option<Term>>>>,
    fit: Option<usize>,
) -> Result<()> {
    let header: Vec<String> = variables.iter().map(|v| v.as_str().to_owned()).collect();
    let mut buffered: Vec<Vec<String>> = Vec::new();
    for row in rows.by_ref() {
        buffered.push(
            row?.iter()
                .map(|t| t.as_ref().map(display_term).unwrap_or_default())
                .collect(),
        );
        if buffered.len() == TABLE_LAYOUT_ROWS {
            break;
        }
    }
    let mut widths: Vec<usize> = header.iter().map(|h| h.width()).collect();
    for row in &buffered {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.width());
        }
    }
    let natural = widths.clone();
    if let Some(total) = fit {
        let word = |cell: &String| cell.split(' ').map(|w| w.width()).max().unwrap_or(0);
        let mut longest: Vec<usize> = header.iter().map(word).collect();
        for row in &buffered {
            for (l, cell) in longest.iter_mut().zip(row) {
                *l = (*l).max(word(cell));
            }
        }
        widths = fit_widths(&widths, &longest, total);
    }
    // Rows that may wrap onto several lines are set apart by a blank line.
    let apart = widths != natural;
    write_row(out, &header, &widths)?;
    let rule: Vec<String> = widths.iter().map(|w| "─".repeat(*w)).collect();
    write_row(out, &rule, &widths)?;
    let mut count = 0;
    let rest = rows.map(|row| -> Result<Vec<String>> {
        Ok(row?
            .iter()
            .map(|t| t.as_ref().map(display_term).unwrap_or_default())
            .collect())
    });
    for row in buffered.into_iter().map(Ok).chain(rest) {
        let row: Vec<String> = row?;
        if apart && count > 0 {
            writeln!(out)?;
        }
        write_row(out, &row, &widths)?;
        count += 1;
    }
    writeln!(out, "({count} row{})", if count == 1 { "" } else { "s" })?;
    Ok(())
}

/// Column widths that fit `total` columns of terminal. Each column first keeps its longest word
/// and at least 10 columns (dates, numbers, names stay whole), capped lower and lower (24 down to
/// 4) until the table fits; the room left is shared among the wider columns in proportion to
/// their width. A table too wide even then overflows rather than becoming unreadable.
fn fit_widths(natural: &[usize], longest_word: &[usize], total: usize) -> Vec<usize> {
    const SEPARATOR: usize = 2;
    let gaps = SEPARATOR * natural.len().saturating_sub(1);
    let room = total.saturating_sub(gaps);
    if natural.iter().sum::<usize>() <= room {
        return natural.to_vec();
    }
    let floors = |cap: usize| -> Vec<usize> {
        natural
            .iter()
            .zip(longest_word)
            .map(|(n, w)| (*n).min((*w).min(cap).max(cap.min(10))))
            .collect()
    };
    let floor = [24, 20, 16, 12, 10, 9, 8, 6, 5, 4]
        .into_iter()
        .map(floors)
        .find(|f| f.iter().sum::<usize>() <= room)
        .unwrap_or_else(|| floors(4));
    let extra = room.saturating_sub(floor.iter().sum());
    let wanted: Vec<usize> = natural.iter().zip(&floor).map(|(n, f)| n - f).collect();
    let all_wanted: usize = wanted.iter().sum();
    let mut widths: Vec<usize> = floor
        .iter()
        .zip(&wanted)
        .map(|(f, w)| f + extra * w / all_wanted.max(1))
        .collect();
    // What rounding down left, to the widest columns first.
    let mut left = room.saturating_sub(widths.iter().sum());
    let mut order: Vec<usize> = (0..natural.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(wanted[i]));
    for &i in order.iter().cycle().take(natural.len() * 2) {
        if left == 0 {
            break;
        }
        if widths[i] < natural[i] {
            widths[i] += 1;
            left -= 1;
        }
    }
    widths
}

fn write_row(out: &mut impl Write, cells: &[String], widths: &[usize]) -> std::io::Result<()> {
    // A cell wider than its column wraps at spaces (a word longer than the column is broken).
    let wrapped: Vec<Vec<std::borrow::Cow<'_, str>>> = cells
        .iter()
        .zip(widths)
        .map(|(cell, width)| {
            if cell.width() <= *width {
                vec![std::borrow::Cow::Borrowed(cell.as_str())]
            } else {
                // Words are kept whole (not split at hyphens: `2024-08-28`, `mssr:kenya-nps`)
                // unless longer than the column.
                let options = textwrap::Options::new((*width).max(1))
                    .word_splitter(textwrap::WordSplitter::NoHyphenation);
                textwrap::wrap(cell, options)
            }
        })
        .collect();
    let height = wrapped.iter().map(Vec::len).max().unwrap_or(1);
    for k in 0..height {
        let mut line = String::new();
        for (i, (lines, width)) in wrapped.iter().zip(widths).enumerate() {
            if i > 0 {
                line.push_str("  ");
            }
            let part = lines.get(k).map_or("", |l| l.as_ref());
            line.push_str(part);
            if i + 1 < wrapped.len() {
                line.push_str(&" ".repeat(width.saturating_sub(part.width())));
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

/// A term as people read it: prefixed IRIs, bare values for strings (language tags dropped: the
/// machine formats keep them), numbers and dates, Turtle syntax for other typed literals.
pub fn display_term(term: &Term) -> String {
    match term.as_ref() {
        TermRef::NamedNode(n) => prefixes::compact(n.as_str()),
        TermRef::BlankNode(b) => b.to_string(),
        TermRef::Literal(l) => {
            let value = l.value().replace('\n', "\\n");
            if l.language().is_some() {
                return value;
            }
            let datatype = l.datatype().as_str();
            match datatype.strip_prefix("http://www.w3.org/2001/XMLSchema#") {
                Some(
                    "string" | "integer" | "decimal" | "double" | "boolean" | "date" | "dateTime"
                    | "gYear" | "gYearMonth" | "nonNegativeInteger" | "positiveInteger",
                ) => value,
                _ => format!("\"{value}\"^^{}", prefixes::compact(datatype)),
            }
        }
        #[allow(unreachable_patterns)]
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_have_thousands_separators() {
        assert_eq!(per_second(3_188, 1.0), "3,188");
        assert_eq!(per_second(250, 1.0), "250");
        assert_eq!(per_second(1_234_567, 0.5), "2,469,134");
        assert_eq!(per_second(0, 0.0), "0");
    }

    #[test]
    fn output_ends_with_one_newline() {
        let mut out = EndsLines::new(Vec::new());
        out.write_all(b"{\"boolean\":true}").unwrap();
        out.end_line().unwrap();
        out.end_line().unwrap();
        assert_eq!(out.inner, b"{\"boolean\":true}\n");
        let mut empty = EndsLines::new(Vec::new());
        empty.end_line().unwrap();
        assert!(empty.inner.is_empty());
    }
}
