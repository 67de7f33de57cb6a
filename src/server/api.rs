//! The saved queries as an HTTP API, as grlc serves them: `/api/` lists them, `/api/NAME` runs
//! one with `?param=value` (typed and checked as `mss-kg run` checks them, 400 with the same
//! message), and `/api/openapi.json` describes each as an OpenAPI 3 operation, generated from
//! the grlc headers.

use super::protocol::{HttpError, Params, bad_request, server_error};
use crate::queries::{self, ParamType, SavedQuery};
use oxhttp::model::header::CONTENT_TYPE;
use oxhttp::model::{Body, Response, StatusCode};
use serde_json::{Value, json};
use std::path::Path;

/// The suffixes `/api/NAME.EXT` takes instead of an Accept header, for links.
pub const SUFFIXES: &[(&str, &str)] = &[
    ("json", "application/sparql-results+json"),
    ("xml", "application/sparql-results+xml"),
    ("csv", "text/csv"),
    ("tsv", "text/tab-separated-values"),
    ("ttl", "text/turtle"),
    ("nt", "application/n-triples"),
    ("jsonld", "application/ld+json"),
];

/// A saved query's name and the media type its suffix asks for.
pub fn split_suffix(name: &str) -> (&str, Option<&'static str>) {
    if let Some((stem, ext)) = name.rsplit_once('.')
        && let Some((_, media)) = SUFFIXES.iter().find(|(e, _)| *e == ext)
    {
        return (stem, Some(media));
    }
    (name, None)
}

/// The saved query `name`, with its parameters bound from the request: 404 for an unknown query,
/// 400 for a wrong parameter, with the CLI's messages.
pub fn bind(
    dir: Option<&Path>,
    name: &str,
    params: Params,
    store: &oxigraph::store::Store,
    prefixes: &[(String, String)],
) -> Result<(SavedQuery, spargebra::Query), HttpError> {
    let saved = queries::find(dir, name).map_err(|e| (StatusCode::NOT_FOUND, format!("{e:#}")))?;
    // Names people use to the IRIs they name, as `run` does.
    let backend = crate::backend::Backend::Embedded(crate::store::OpenStore::shared(store.clone()));
    let (given, _) = crate::describe::resolve_params(&backend, &saved, &params.pairs, prefixes)
        .map_err(|e| bad_request(format!("{e:#}")))?;
    let query = saved
        .algebra(&given)
        .map_err(|e| bad_request(format!("{e:#}")))?;
    Ok((saved, query))
}

/// `/api/`: every saved query, with where to run it and its parameters.
pub fn list(dir: Option<&Path>) -> Result<Response<Body>, HttpError> {
    let all = queries::all(dir).map_err(server_error)?;
    let items: Vec<Value> = all
        .iter()
        .map(|q| {
            json!({
                "name": q.name,
                "summary": q.summary,
                "description": q.description,
                "tags": q.tags,
                "url": format!("/api/{}", q.name),
                "parameters": q.params.iter().map(|p| json!({
                    "name": p.name,
                    "type": p.kind.to_string(),
                    "required": p.required,
                    "default": p.default,
                    "enum": p.allowed,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json_response(&Value::Array(items))
}

/// `/api/openapi.json`: an OpenAPI 3.0 description of every saved query.
pub fn openapi(dir: Option<&Path>, base: &str) -> Result<Response<Body>, HttpError> {
    let all = queries::all(dir).map_err(server_error)?;
    let mut paths = serde_json::Map::new();
    for q in &all {
        let parameters: Vec<Value> = q
            .params
            .iter()
            .map(|p| {
                let mut schema = schema(&p.kind);
                if !p.allowed.is_empty() {
                    schema["enum"] = json!(p.allowed);
                }
                if let Some(default) = &p.default {
                    schema["default"] = json!(default);
                }
                json!({
                    "name": p.name,
                    "in": "query",
                    "required": p.required,
                    "description": p.describe(),
                    "schema": schema,
                })
            })
            .collect();
        let results: &[&str] = if matches!(
            // With the common prefixes, as the query runs: saved queries rarely declare them.
            crate::sparql::parse_algebra(&q.text, &q.name),
            Ok(spargebra::Query::Construct { .. } | spargebra::Query::Describe { .. })
        ) {
            &[
                "text/turtle",
                "application/n-triples",
                "application/ld+json",
                "application/rdf+xml",
            ]
        } else {
            &[
                "application/sparql-results+json",
                "application/sparql-results+xml",
                "text/csv",
                "text/tab-separated-values",
            ]
        };
        let content: serde_json::Map<String, Value> = results
            .iter()
            .map(|m| ((*m).to_owned(), json!({ "schema": { "type": "string" } })))
            .collect();
        paths.insert(
            format!("/api/{}", q.name),
            json!({
                "get": {
                    "operationId": q.name.replace('/', "_"),
                    "summary": q.summary,
                    "description": q.description,
                    "tags": q.tags,
                    "parameters": parameters,
                    "responses": {
                        "200": { "description": "The query's results", "content": content },
                        "400": { "description": "A parameter is missing, of the wrong type or not allowed" },
                        "503": { "description": "Too many queries are running, or this one ran past the timeout" },
                    },
                }
            }),
        );
    }
    let doc = json!({
        "openapi": "3.0.3",
        "info": {
            "title": "mss-kg saved queries",
            "description": "The saved SPARQL queries of the MSS knowledge graph, each an operation; parameters are bound as RDF terms, never pasted into the query.",
            "version": env!("CARGO_PKG_VERSION"),
        },
        "servers": [{ "url": base }],
        "paths": paths,
    });
    json_response(&doc)
}

/// The JSON Schema of a parameter's values.
fn schema(kind: &ParamType) -> Value {
    const XSD: &str = "http://www.w3.org/2001/XMLSchema#";
    match kind {
        ParamType::String | ParamType::Lang(_) => json!({ "type": "string" }),
        // An IRI, a prefixed name or the name of an entity: no `uri` format to validate against.
        ParamType::Iri => json!({
            "type": "string",
            "description": "an IRI, a prefixed name (mssr:kenya) or an entity's name (Kenya)",
        }),
        ParamType::Number => json!({ "type": "number" }),
        ParamType::Datatype(dt) => match dt.as_str().strip_prefix(XSD) {
            Some(
                "integer" | "int" | "long" | "short" | "byte" | "nonNegativeInteger"
                | "positiveInteger" | "negativeInteger" | "nonPositiveInteger" | "unsignedInt"
                | "unsignedLong" | "unsignedShort" | "unsignedByte",
            ) => json!({ "type": "integer" }),
            Some("decimal" | "double" | "float") => json!({ "type": "number" }),
            Some("boolean") => json!({ "type": "boolean" }),
            Some("date") => json!({ "type": "string", "format": "date" }),
            Some("dateTime") => json!({ "type": "string", "format": "date-time" }),
            _ => {
                json!({ "type": "string", "description": format!("a literal of datatype <{dt}>") })
            }
        },
    }
}

fn json_response(value: &Value) -> Result<Response<Body>, HttpError> {
    let body = serde_json::to_vec_pretty(value).map_err(server_error)?;
    Response::builder()
        .header(CONTENT_TYPE, "application/json")
        .body(body.into())
        .map_err(server_error)
}
