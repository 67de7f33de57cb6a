//! Shell completion, computed by the binary itself when the shell asks (clap_complete's dynamic
//! completion): subcommands and options from the clap definitions, and what only the graph knows,
//! saved-query names, their parameters and the formats each command writes.

use clap_complete::engine::CompletionCandidate;
use std::ffi::OsStr;
use std::path::PathBuf;

/// The environment variable through which the shell calls back for completions.
pub const VAR: &str = "MSS_KG_COMPLETE";

/// The words of the command line being completed (after the `--` the registration script passes).
fn words() -> Vec<String> {
    let args: Vec<String> = std::env::args().collect();
    match args.iter().position(|a| a == "--") {
        Some(at) => args[at + 1..].to_vec(),
        None => Vec::new(),
    }
}

/// The `--queries` folder the line names, or MSS_KG_QUERIES.
fn queries_dir(words: &[String]) -> Option<PathBuf> {
    words
        .windows(2)
        .find(|w| w[0] == "--queries")
        .map(|w| PathBuf::from(&w[1]))
        .or_else(|| {
            words
                .iter()
                .find_map(|w| w.strip_prefix("--queries="))
                .map(PathBuf::from)
        })
        .or_else(|| std::env::var_os("MSS_KG_QUERIES").map(PathBuf::from))
}

fn starting_with(
    current: &OsStr,
    items: impl IntoIterator<Item = (String, Option<String>)>,
) -> Vec<CompletionCandidate> {
    let current = current.to_string_lossy();
    items
        .into_iter()
        .filter(|(value, _)| value.starts_with(current.as_ref()))
        .map(|(value, help)| {
            let candidate = CompletionCandidate::new(value);
            match help {
                Some(help) => candidate.help(Some(help.into())),
                None => candidate,
            }
        })
        .collect()
}

/// The saved queries' names, each with its summary.
pub fn query_names(current: &OsStr) -> Vec<CompletionCandidate> {
    let words = words();
    let all = mss_kg::queries::all(queries_dir(&words).as_deref()).unwrap_or_default();
    starting_with(current, all.into_iter().map(|q| (q.name, q.summary)))
}

/// `name=` for each parameter of the saved query the line runs (`run NAME`, `export --query
/// NAME`), with its type.
pub fn param_names(current: &OsStr) -> Vec<CompletionCandidate> {
    let words = words();
    let name = words
        .windows(2)
        .find(|w| w[0] == "run" || w[0] == "--query")
        .map(|w| w[1].clone());
    let Some(name) = name else {
        return Vec::new();
    };
    let Ok(saved) = mss_kg::queries::find(queries_dir(&words).as_deref(), &name) else {
        return Vec::new();
    };
    starting_with(
        current,
        saved
            .params
            .iter()
            .map(|p| (format!("{}=", p.name), Some(p.describe()))),
    )
}

fn names(list: &str) -> impl Iterator<Item = (String, Option<String>)> + '_ {
    // `turtle (ttl), trig, rdfxml (rdf, xml), ...`: the names, not their aliases in brackets.
    let mut plain = String::new();
    let mut depth = 0;
    for c in list.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ if depth == 0 => plain.push(c),
            _ => {}
        }
    }
    let mut out: Vec<String> = Vec::new();
    for name in plain.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        if !out.iter().any(|n| n == name) {
            out.push(name.to_owned());
        }
    }
    out.into_iter().map(|n| (n, None))
}

/// What `query` and `run` write: table and the SPARQL results formats, and RDF formats.
pub fn result_formats(current: &OsStr) -> Vec<CompletionCandidate> {
    let list = format!(
        "{}, {}",
        mss_kg::format::RESULT_NAMES,
        mss_kg::format::RDF_NAMES
    );
    starting_with(current, names(&list).collect::<Vec<_>>())
}

/// RDF formats (`load`, `export`).
pub fn rdf_formats(current: &OsStr) -> Vec<CompletionCandidate> {
    starting_with(current, names(mss_kg::format::RDF_NAMES))
}

/// `describe`: its card, or an RDF format.
pub fn describe_formats(current: &OsStr) -> Vec<CompletionCandidate> {
    starting_with(
        current,
        [("card".to_owned(), None)]
            .into_iter()
            .chain(names(mss_kg::format::RDF_NAMES)),
    )
}

/// `link`: a table or a results format.
pub fn table_formats(current: &OsStr) -> Vec<CompletionCandidate> {
    starting_with(current, names(mss_kg::format::RESULT_NAMES))
}

/// `queries` and `stats`: a table or JSON.
pub fn table_or_json(current: &OsStr) -> Vec<CompletionCandidate> {
    starting_with(
        current,
        [("table".to_owned(), None), ("json".to_owned(), None)],
    )
}
