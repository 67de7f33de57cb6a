//! RDF and query-result formats from a file extension, a short name or a MIME type.

use oxigraph::io::{JsonLdProfileSet, RdfFormat};
use oxigraph::sparql::results::QueryResultsFormat;
use std::path::Path;

/// RDF formats accepted by `--format`, for error messages.
pub const RDF_NAMES: &str =
    "turtle (ttl), trig, ntriples (nt), nquads (nq), rdfxml (rdf, xml), jsonld";
/// Result formats accepted by `--format` for SELECT and ASK, for error messages.
pub const RESULT_NAMES: &str = "table, csv, tsv, json, xml";

/// The RDF format named by `name`: a short name, an extension or a MIME type.
pub fn rdf_format(name: &str) -> Option<RdfFormat> {
    let lower = name.trim().to_ascii_lowercase();
    let by_name = match lower.as_str() {
        "turtle" | "ttl" => Some(RdfFormat::Turtle),
        "trig" => Some(RdfFormat::TriG),
        "ntriples" | "n-triples" | "nt" => Some(RdfFormat::NTriples),
        "nquads" | "n-quads" | "nq" => Some(RdfFormat::NQuads),
        "rdfxml" | "rdf/xml" | "rdf-xml" | "rdf" | "xml" | "owl" => Some(RdfFormat::RdfXml),
        "jsonld" | "json-ld" | "json" => Some(RdfFormat::JsonLd {
            profile: JsonLdProfileSet::empty(),
        }),
        "n3" => Some(RdfFormat::N3),
        _ => None,
    };
    by_name
        .or_else(|| RdfFormat::from_media_type(&lower))
        .or_else(|| RdfFormat::from_extension(&lower))
}

/// The RDF format of `path`, from its extension.
pub fn rdf_format_of_path(path: &Path) -> Option<RdfFormat> {
    path.extension()
        .and_then(|e| e.to_str())
        // Oxigraph takes `.txt` for N-Triples (text/plain, the format's old media type): a
        // folder of articles would load as RDF, and `-o notes.txt` write N-Triples silently.
        .filter(|e| !e.eq_ignore_ascii_case("txt"))
        .and_then(RdfFormat::from_extension)
}

/// How SELECT and ASK results are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultFormat {
    /// An aligned table with prefixed IRIs, for people.
    Table,
    /// One of the W3C SPARQL result formats.
    Sparql(QueryResultsFormat),
}

/// The result format named by `name`: a short name, an extension or a MIME type.
pub fn result_format(name: &str) -> Option<ResultFormat> {
    let lower = name.trim().to_ascii_lowercase();
    if matches!(lower.as_str(), "table" | "text" | "txt" | "text/plain") {
        return Some(ResultFormat::Table);
    }
    QueryResultsFormat::from_extension(&lower)
        .or_else(|| QueryResultsFormat::from_media_type(&lower))
        .or(match lower.as_str() {
            "srj" | "sparql-json" => Some(QueryResultsFormat::Json),
            "srx" | "sparql-xml" => Some(QueryResultsFormat::Xml),
            _ => None,
        })
        .map(ResultFormat::Sparql)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_extensions_and_media_types() {
        assert_eq!(rdf_format("Turtle"), Some(RdfFormat::Turtle));
        assert_eq!(rdf_format("text/turtle"), Some(RdfFormat::Turtle));
        assert_eq!(rdf_format("nq"), Some(RdfFormat::NQuads));
        assert_eq!(
            rdf_format("application/n-triples"),
            Some(RdfFormat::NTriples)
        );
        assert_eq!(rdf_format("bogus"), None);
        assert_eq!(
            result_format("csv"),
            Some(ResultFormat::Sparql(QueryResultsFormat::Csv))
        );
        assert_eq!(
            result_format("application/sparql-results+json"),
            Some(ResultFormat::Sparql(QueryResultsFormat::Json))
        );
        assert_eq!(result_format("table"), Some(ResultFormat::Table));
        assert_eq!(result_format("turtle"), None);
    }
}
