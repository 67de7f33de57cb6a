//! The web pages of `serve`: server-side HTML (maud) that works with JavaScript off, apart from the
//! query editor (YASGUI, vendored in `assets/` and embedded in the binary: nothing loads from a
//! CDN). The query page, the saved queries with a form each, the timeline of dated facts, an
//! entity page per IRI and a search by name.

use super::protocol::{HttpError, Params, server_error};
use crate::backend::Backend;
use crate::describe::{self, Lookup};
use crate::prefixes::{self, BASE, SRC};
use crate::queries::{self, SavedQuery};
use crate::sparql::{self, Dataset, Deadline};
use maud::{DOCTYPE, Markup, PreEscaped, html};
use oxhttp::model::header::{CONTENT_TYPE, LOCATION};
use oxhttp::model::{Body, Response, StatusCode};
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Term, Variable};
use oxigraph::sparql::QueryResults;
use oxigraph::store::Store;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::Duration;

/// Rows a page shows at most; past it, the page says so and links to the whole result.
pub const SHOWN_ROWS: usize = 1000;

/// The vendored front-end files: path, media type, contents.
pub const ASSETS: &[(&str, &str, &[u8])] = &[
    (
        "/assets/yasgui.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("assets/yasgui.min.js"),
    ),
    (
        "/assets/yasgui.min.css",
        "text/css; charset=utf-8",
        include_bytes!("assets/yasgui.min.css"),
    ),
    (
        "/assets/site.css",
        "text/css; charset=utf-8",
        include_bytes!("assets/site.css"),
    ),
    (
        "/assets/query.js",
        "text/javascript; charset=utf-8",
        include_bytes!("assets/query.js"),
    ),
    (
        "/assets/LICENSE-yasgui.md",
        "text/markdown; charset=utf-8",
        include_bytes!("assets/LICENSE-yasgui.md"),
    ),
];

/// A vendored file, cached by browsers for a day.
pub fn asset(path: &str) -> Option<Response<Body>> {
    let (_, media, bytes) = ASSETS.iter().find(|(p, _, _)| *p == path)?;
    Response::builder()
        .header(CONTENT_TYPE, *media)
        .header(
            oxhttp::model::header::CACHE_CONTROL,
            "public, max-age=86400",
        )
        .body(bytes.to_vec().into())
        .ok()
}

/// An HTML response.
pub fn html_response(status: StatusCode, markup: Markup) -> Result<Response<Body>, HttpError> {
    Response::builder()
        .status(status)
        .header(CONTENT_TYPE, "text/html; charset=utf-8")
        .body(markup.into_string().into())
        .map_err(server_error)
}

/// An error as a page, for browsers.
pub fn error_page(status: StatusCode, message: &str) -> Response<Body> {
    let markup = layout(
        "Error",
        html! { h1 { (status.as_u16()) " " (status.canonical_reason().unwrap_or("")) } p.error { (message) } },
    );
    html_response(status, markup).unwrap_or_else(|(s, m)| super::protocol::text(s, m))
}

fn layout(title: &str, main: Markup) -> Markup {
    layout_with(title, main, html! {})
}

fn layout_with(title: &str, main: Markup, head: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · mss-kg" }
                link rel="stylesheet" href="/assets/site.css";
                (head)
            }
            body {
                header {
                    a.brand href="/" { "mss-kg" }
                    nav {
                        a href="/" { "Query" }
                        a href="/queries" { "Saved queries" }
                        a href="/timeline" { "Timeline" }
                        a href="/api/openapi.json" { "API" }
                    }
                    form.search action="/search" method="get" role="search" {
                        input type="search" name="q" placeholder="Find a person, organisation, place…" aria-label="Find an entity";
                        button type="submit" { "Find" }
                    }
                }
                main { (main) }
                footer {
                    "The Kenya-led Multinational Security Support mission in Haiti, as five articles report it. "
                    "Every fact carries its source. "
                    a href="/sparql" { "SPARQL endpoint" } " · "
                    a href="/assets/LICENSE-yasgui.md" { "YASGUI licence" }
                }
            }
        }
    }
}

/// Where a term's link goes: our entities to their page, other IRIs to themselves.
fn entity_href(iri: &str) -> String {
    if iri.starts_with(BASE) {
        format!("/entity?iri={}", encode(iri))
    } else {
        iri.to_owned()
    }
}

fn encode(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// A term in a table cell: an IRI as a prefixed name, linked; a literal as its value.
fn term(t: &Term) -> Markup {
    match t {
        Term::NamedNode(n) => html! {
            a href=(entity_href(n.as_str())) title=(n.as_str()) { (prefixes::compact(n.as_str())) }
        },
        Term::BlankNode(b) => html! { span.blank { "_:" (b.as_str()) } },
        Term::Literal(l) => html! {
            (l.value())
            @if let Some(lang) = l.language() { sup.lang { "@" (lang) } }
        },
        #[allow(unreachable_patterns)]
        other => html! { (other.to_string()) },
    }
}

/// Rows of a table: a value (or none) per variable.
type Rows = Vec<Vec<Option<Term>>>;

/// Evaluates a query on the store for a page: its variables and up to [`SHOWN_ROWS`] + 1 rows.
fn run(
    store: &Store,
    query: spargebra::Query,
    timeout: Option<Duration>,
) -> Result<(Vec<Variable>, Rows), HttpError> {
    let deadline = Deadline::after(timeout);
    let results = sparql::prepare(query, Dataset::Union, Some(&deadline))
        .on_store(store)
        .execute()
        .map_err(|e| {
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("the query failed: {e}"),
            )
        })?;
    let QueryResults::Solutions(solutions) = results else {
        return Err((
            StatusCode::BAD_REQUEST,
            "this query gives a graph, not a table: download it as Turtle".to_owned(),
        ));
    };
    let variables = solutions.variables().to_vec();
    let mut rows = Vec::new();
    for solution in solutions.take(SHOWN_ROWS + 1) {
        let solution = solution.map_err(|e| {
            if sparql::is_cancelled(&e) {
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "the query ran past the server's timeout".to_owned(),
                )
            } else {
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    format!("the query failed: {e}"),
                )
            }
        })?;
        rows.push(variables.iter().map(|v| solution.get(v).cloned()).collect());
    }
    Ok((variables, rows))
}

/// A results table; a result longer than the page shows says so, never looking whole.
fn table(variables: &[Variable], rows: &[Vec<Option<Term>>], whole: Option<&str>) -> Markup {
    let cut = rows.len() > SHOWN_ROWS;
    let shown = &rows[..rows.len().min(SHOWN_ROWS)];
    html! {
        @if cut {
            p.cut { "Showing the first " (SHOWN_ROWS) " rows only: there are more. "
                @if let Some(href) = whole { a href=(href) { "Download the whole result (CSV)" } } }
        } @else {
            p.count { (shown.len()) " row" @if shown.len() != 1 { "s" } }
        }
        table.results {
            thead { tr { @for v in variables { th { (v.as_str()) } } } }
            tbody {
                @for row in shown {
                    tr { @for cell in row { td { @if let Some(t) = cell { (term(t)) } } } }
                }
            }
        }
    }
}

/// `/`: the query editor (YASGUI) with the graph's prefixes, and a plain form without JavaScript.
pub fn home() -> Markup {
    let mut prefix_lines = String::new();
    for (name, ns) in prefixes::COMMON {
        prefix_lines.push_str(&format!("PREFIX {name}: <{ns}>\n"));
    }
    let example = format!(
        "{prefix_lines}\n# Who holds which office, per source\nSELECT ?person ?name ?office WHERE {{\n  ?person a schema:Person ; rdfs:label ?name .\n  OPTIONAL {{ ?person schema:jobTitle ?office }}\n}}\nORDER BY ?name\nLIMIT 50\n"
    );
    let prefixes_json = serde_json::to_string(
        &prefixes::COMMON
            .iter()
            .map(|(n, ns)| ((*n).to_owned(), (*ns).to_owned()))
            .collect::<BTreeMap<String, String>>(),
    )
    .expect("prefixes serialise");
    let config = serde_json::json!({ "query": example, "prefixes": serde_json::from_str::<serde_json::Value>(&prefixes_json).expect("json") });
    layout_with(
        "Query",
        html! {
            h1 { "Query the graph" }
            p { "SPARQL over the union of all graphs: each source's facts, the entities, the ontology. "
                "The common prefixes are declared for you. Results link to each entity's page." }
            div #yasgui {}
            noscript {
                form.plain action="/sparql" method="get" {
                    textarea name="query" rows="16" cols="90" { (example) }
                    input type="hidden" name="format" value="html";
                    button type="submit" { "Run" }
                }
            }
            script type="application/json" #mss-kg-config { (PreEscaped(config.to_string().replace("</", "<\\/"))) }
            script src="/assets/yasgui.min.js" {}
            script src="/assets/query.js" {}
        },
        html! { link rel="stylesheet" href="/assets/yasgui.min.css"; },
    )
}

/// `/queries`: every saved query, with its summary.
pub fn saved_list(dir: Option<&Path>) -> Result<Markup, HttpError> {
    let all = queries::all(dir).map_err(server_error)?;
    Ok(layout(
        "Saved queries",
        html! {
            h1 { "Saved queries" }
            p { "Each answers one of the questions the graph was built for. Also as an API: "
                a href="/api/" { "/api/" } ", described in " a href="/api/openapi.json" { "OpenAPI" } "." }
            ul.queries {
                @for q in &all {
                    li {
                        a href=(format!("/queries/{}", q.name)) { (q.name) }
                        @if let Some(s) = &q.summary { " — " (s) }
                    }
                }
            }
        },
    ))
}

/// `/queries/NAME`: a form built from the query's parameters; run when submitted (or when the
/// query takes none), with the table and links to the whole result as CSV and JSON.
pub fn saved_query(
    store: &Store,
    dir: Option<&Path>,
    name: &str,
    params: Params,
    timeout: Option<Duration>,
) -> Result<Markup, HttpError> {
    let saved = queries::find(dir, name).map_err(|e| (StatusCode::NOT_FOUND, format!("{e:#}")))?;
    let submitted = params.has("run");
    let given: Vec<(String, String)> = params
        .pairs
        .into_iter()
        .filter(|(k, v)| k != "run" && !v.is_empty())
        .collect();
    let run_now = submitted || saved.params.is_empty();
    let mut outcome = html! {};
    if run_now {
        outcome = match saved.algebra(&given) {
            Err(e) => html! { p.error { (format!("{e:#}")) } },
            Ok(query) => {
                let query_string: String = form_urlencoded::Serializer::new(String::new())
                    .extend_pairs(given.iter())
                    .finish();
                let suffix = if query_string.is_empty() {
                    String::new()
                } else {
                    format!("?{query_string}")
                };
                let csv = format!("/api/{}.csv{suffix}", saved.name);
                let json = format!("/api/{}.json{suffix}", saved.name);
                match run(store, query, timeout) {
                    Ok((variables, rows)) => html! {
                        p.downloads { "The same result as " a href=(csv) { "CSV" } " · " a href=(json) { "JSON" } }
                        (table(&variables, &rows, Some(&csv)))
                    },
                    Err((_, message)) => html! { p.error { (message) } },
                }
            }
        };
    }
    Ok(layout(
        &saved.name,
        html! {
            h1 { (saved.name) }
            @if let Some(s) = &saved.summary { p.summary { (s) } }
            @if let Some(d) = &saved.description { p.description { (d) } }
            (form(&saved, &given))
            (outcome)
        },
    ))
}

fn form(saved: &SavedQuery, given: &[(String, String)]) -> Markup {
    let value_of = |name: &str| {
        given
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    html! {
        form.params method="get" action=(format!("/queries/{}", saved.name)) {
            @for p in &saved.params {
                @let current = value_of(&p.name).or_else(|| p.default.clone()).unwrap_or_default();
                label {
                    span.name { (p.name) }
                    @if p.allowed.is_empty() {
                        input type="text" name=(p.name) value=(current) required[p.required] placeholder=(p.kind.to_string());
                    } @else {
                        select name=(p.name) required[p.required] {
                            @if !p.required { option value="" selected[current.is_empty()] { "(any)" } }
                            @for choice in &p.allowed {
                                option value=(choice) selected[*choice == current] {
                                    @if choice.contains("://") { (prefixes::compact(choice)) } @else { (choice) }
                                }
                            }
                        }
                    }
                    span.hint { (p.describe()) }
                }
            }
            input type="hidden" name="run" value="1";
            button type="submit" { "Run" }
        }
    }
}

/// The timeline's query: every dated fact, with what it is, its date property, whether the date
/// is inferred, its source and the entities it involves.
const TIMELINE: &str = r#"
SELECT ?fact ?label ?type ?when ?date ?inferred ?source ?file WHERE {
  VALUES (?when ?p) { ("on" mss:date) ("from" schema:startDate) ("until" schema:endDate)
                      ("not before" mss:notBefore) ("by" mss:notAfter) }
  GRAPH ?source { ?fact ?p ?date }
  ?source mss:fileName ?file .
  ?fact rdfs:label ?label .
  OPTIONAL { ?fact a ?type FILTER(STRSTARTS(STR(?type), STR(mss:))) }
  OPTIONAL { GRAPH ?source { ?fact mss:dateInferred ?inferred } }
}
"#;

/// A date at its precision: a day, a month, a year; with what the property says of it.
fn date_text(when: &str, date: &Term, inferred: bool) -> String {
    let (value, precision) = match date {
        Term::Literal(l) => {
            let dt = l.datatype().as_str();
            let precision = if dt.ends_with("#gYearMonth") {
                " (month)"
            } else if dt.ends_with("#gYear") {
                " (year)"
            } else {
                ""
            };
            (l.value().to_owned(), precision)
        }
        other => (other.to_string(), ""),
    };
    let prefix = if when == "on" {
        String::new()
    } else {
        format!("{when} ")
    };
    format!(
        "{prefix}{value}{precision}{}",
        if inferred { ", inferred" } else { "" }
    )
}

/// `/timeline`: the mission's dated facts in date order, each date at its precision, filtered by
/// `?source=000` and `?entity=IRI`.
pub fn timeline(
    store: &Store,
    mut params: Params,
    timeout: Option<Duration>,
) -> Result<Markup, HttpError> {
    let source = params.all("source").into_iter().find(|s| !s.is_empty());
    let entity = params.all("entity").into_iter().find(|s| !s.is_empty());
    let query = sparql::parse_algebra(TIMELINE, "timeline").map_err(server_error)?;
    let (variables, rows) = run(store, query, timeout)?;
    let col = |name: &str| {
        variables
            .iter()
            .position(|v| v.as_str() == name)
            .expect("a column")
    };
    let (fact, label, kind, when, date, inferred, file) = (
        col("fact"),
        col("label"),
        col("type"),
        col("when"),
        col("date"),
        col("inferred"),
        col("file"),
    );
    // Who each fact involves, one way or the other, for the entity filter and the row.
    let backend = Backend::Embedded(crate::store::OpenStore::shared(store.clone()));
    struct Row {
        sort: String,
        fact: NamedNode,
        label: String,
        kind: Option<String>,
        date: String,
        sources: BTreeSet<String>,
        involves: BTreeSet<NamedNode>,
    }
    let mut by_fact: BTreeMap<(String, String), Row> = BTreeMap::new();
    for row in &rows {
        let Some(Term::NamedNode(f)) = &row[fact] else {
            continue;
        };
        let text = |i: usize| match &row[i] {
            Some(Term::Literal(l)) => l.value().to_owned(),
            Some(other) => other.to_string(),
            None => String::new(),
        };
        let is_inferred = matches!(&row[inferred], Some(Term::Literal(l)) if l.value() == "true");
        let date_term = row[date].clone().expect("a date");
        let shown = date_text(&text(when), &date_term, is_inferred);
        let file = text(file);
        let entry = by_fact
            .entry((f.as_str().to_owned(), shown.clone()))
            .or_insert_with(|| Row {
                sort: match &date_term {
                    Term::Literal(l) => l.value().to_owned(),
                    other => other.to_string(),
                },
                fact: f.clone(),
                label: text(label),
                kind: row[kind].as_ref().map(|t| match t {
                    Term::NamedNode(n) => prefixes::compact(n.as_str())
                        .trim_start_matches("mss:")
                        .to_owned(),
                    other => other.to_string(),
                }),
                date: shown,
                sources: BTreeSet::new(),
                involves: BTreeSet::new(),
            });
        entry.sources.insert(file.chars().take(3).collect());
    }
    let mut facts: Vec<Row> = by_fact.into_values().collect();
    for row in &mut facts {
        let subject: NamedOrBlankNode = row.fact.clone().into();
        for quad in backend
            .quads(Some(&subject), None, None, None)
            .map_err(server_error)?
        {
            let quad = quad.map_err(server_error)?;
            if let Term::NamedNode(n) = quad.object
                && n.as_str().starts_with(prefixes::MSSR)
            {
                row.involves.insert(n);
            }
        }
    }
    let sources: BTreeSet<String> = facts
        .iter()
        .flat_map(|r| r.sources.iter().cloned())
        .collect();
    facts.retain(|r| source.as_ref().is_none_or(|s| r.sources.contains(s)));
    facts.retain(|r| {
        entity
            .as_ref()
            .is_none_or(|e| r.involves.iter().any(|n| n.as_str() == e) || r.fact.as_str() == e)
    });
    facts.sort_by(|a, b| (&a.sort, &a.label).cmp(&(&b.sort, &b.label)));
    let entity_label = match &entity {
        Some(e) => match NamedNode::new(e) {
            Ok(n) => Some(describe::label(&backend, n.as_ref()).map_err(server_error)?),
            Err(_) => Some(e.clone()),
        },
        None => None,
    };
    let mut labels: BTreeMap<NamedNode, String> = BTreeMap::new();
    for row in &facts {
        for n in &row.involves {
            if !labels.contains_key(n) {
                labels.insert(
                    n.clone(),
                    describe::label(&backend, n.as_ref()).map_err(server_error)?,
                );
            }
        }
    }
    Ok(layout(
        "Timeline",
        html! {
            h1 { "Timeline" }
            p { "The mission's dated facts in date order. A date is shown at the precision its source gives: "
                "a month is a month, a year a year; an inferred date says so." }
            form.filters method="get" action="/timeline" {
                label { "Source " select name="source" {
                    option value="" selected[source.is_none()] { "(all)" }
                    @for s in &sources { option value=(s) selected[source.as_deref() == Some(s.as_str())] { (s) } }
                } }
                @if let Some(e) = &entity { input type="hidden" name="entity" value=(e); }
                button type="submit" { "Filter" }
                @if let (Some(e), Some(l)) = (&entity, &entity_label) {
                    span.filter { " involving " a href=(entity_href(e)) { (l) } " · " a href="/timeline" { "all entities" } }
                }
            }
            p.count { (facts.len()) " dated fact" @if facts.len() != 1 { "s" } }
            table.results.timeline {
                thead { tr { th { "date" } th { "fact" } th { "kind" } th { "involves" } th { "sources" } } }
                tbody {
                    @for row in &facts {
                        tr {
                            td.date { (row.date) }
                            td { a href=(entity_href(row.fact.as_str())) { (row.label) } }
                            td { (row.kind.clone().unwrap_or_default()) }
                            td.involves {
                                @for (i, n) in row.involves.iter().enumerate() {
                                    @if i > 0 { ", " }
                                    a href=(format!("/timeline?entity={}", encode(n.as_str()))) title="its timeline" {
                                        (labels.get(n).cloned().unwrap_or_else(|| prefixes::compact(n.as_str())))
                                    }
                                }
                            }
                            td.sources {
                                @for (i, s) in row.sources.iter().enumerate() {
                                    @if i > 0 { ", " }
                                    a href=(format!("/timeline?source={s}")) { (s) }
                                }
                            }
                        }
                    }
                }
            }
        },
    ))
}

/// The entity a request names: `?iri=` (full, `<...>` or prefixed) or `/entity/PREFIXED`.
pub fn entity_iri(path_rest: &str, params: &mut Params) -> Option<String> {
    let given = params
        .all("iri")
        .into_iter()
        .next()
        .or_else(|| (!path_rest.is_empty()).then(|| path_rest.to_owned()))?;
    Some(queries::expand_iri(&given))
}

/// `/entity?iri=IRI`: the `describe` card as a page, with its sources, its links to Wikidata and
/// to the other entities.
pub fn entity(store: &Store, iri: &str) -> Result<Markup, HttpError> {
    let node = NamedNode::new(iri).map_err(|e| {
        (
            StatusCode::BAD_REQUEST,
            format!("'{iri}' is not an IRI: {e}"),
        )
    })?;
    let backend = Backend::Embedded(crate::store::OpenStore::shared(store.clone()));
    let card =
        describe::card(&backend, &node).map_err(|e| (StatusCode::NOT_FOUND, format!("{e:#}")))?;
    // Relations, with terms kept for links: property -> value -> sources.
    type Groups = BTreeMap<String, BTreeMap<String, (Term, BTreeSet<String>)>>;
    let mut out: Groups = BTreeMap::new();
    let mut incoming: Groups = BTreeMap::new();
    let mut sources: BTreeSet<String> = BTreeSet::new();
    let mut label_cache: BTreeMap<String, String> = BTreeMap::new();
    let mut label = |n: &NamedNode| -> Result<String, HttpError> {
        if let Some(l) = label_cache.get(n.as_str()) {
            return Ok(l.clone());
        }
        let l = describe::label(&backend, n.as_ref()).map_err(server_error)?;
        label_cache.insert(n.as_str().to_owned(), l.clone());
        Ok(l)
    };
    const HIDDEN: [&str; 3] = [
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
        "http://www.w3.org/2002/07/owl#sameAs",
        "http://www.w3.org/2004/02/skos/core#exactMatch",
    ];
    for quad in &card.quads {
        let source = describe::source_name(&quad.graph_name);
        if let GraphName::NamedNode(g) = &quad.graph_name
            && g.as_str().starts_with(SRC)
        {
            sources.insert(g.as_str().to_owned());
        }
        let property = label(&quad.predicate)?;
        let is_subject = matches!(&quad.subject, NamedOrBlankNode::NamedNode(s) if s == &node);
        if is_subject {
            if HIDDEN.contains(&quad.predicate.as_str())
                || describe::LABEL_PROPERTIES.contains(&quad.predicate.as_str())
            {
                continue;
            }
            let shown = match &quad.object {
                Term::NamedNode(n) => label(n)?,
                Term::Literal(l) => l.value().to_owned(),
                other => other.to_string(),
            };
            out.entry(property)
                .or_default()
                .entry(shown)
                .or_insert_with(|| (quad.object.clone(), BTreeSet::new()))
                .1
                .insert(source);
        } else {
            let subject: Term = quad.subject.clone().into();
            let shown = match &quad.subject {
                NamedOrBlankNode::NamedNode(n) => label(n)?,
                NamedOrBlankNode::BlankNode(b) => b.to_string(),
            };
            incoming
                .entry(property)
                .or_default()
                .entry(shown)
                .or_insert_with(|| (subject, BTreeSet::new()))
                .1
                .insert(source);
        }
    }
    let value = |shown: &str, t: &Term| -> Markup {
        match t {
            Term::NamedNode(n) => {
                html! { a href=(entity_href(n.as_str())) title=(n.as_str()) { (shown) } }
            }
            Term::Literal(l) => {
                html! { (shown) @if let Some(lang) = l.language() { sup.lang { "@" (lang) } } }
            }
            _ => html! { (shown) },
        }
    };
    let section = |title: &str, groups: &Groups| -> Markup {
        html! {
            @if !groups.is_empty() {
                h2 { (title) }
                table.card {
                    @for (property, values) in groups {
                        @for (i, (shown, (t, srcs))) in values.iter().enumerate() {
                            tr {
                                th { @if i == 0 { (property) } }
                                td { (value(shown, t)) }
                                td.sources { (srcs.iter().cloned().collect::<Vec<_>>().join(", ")) }
                            }
                        }
                    }
                }
            }
        }
    };
    let aliases: Vec<&String> = card.names.iter().filter(|n| **n != card.label).collect();
    Ok(layout(
        &card.label,
        html! {
            h1 { (card.label) }
            p.iri { code { (node.as_str()) } }
            @if !card.types.is_empty() { p.types { "a " (card.types.iter().cloned().collect::<Vec<_>>().join(", ")) } }
            @if !aliases.is_empty() { p.aliases { "also: " (aliases.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")) } }
            @if !card.external.is_empty() {
                p.external { "same as: "
                    @for (i, e) in card.external.iter().enumerate() {
                        @if i > 0 { ", " }
                        @let full = queries::expand_iri(e);
                        a href=(full) rel="external" { (e) }
                    }
                }
            }
            p { a href=(format!("/timeline?entity={}", encode(node.as_str()))) { "Its timeline" } }
            (section("Facts", &out))
            (section("Referenced by", &incoming))
            @if !sources.is_empty() {
                h2 { "Sources" }
                ul.sources {
                    @for s in &sources {
                        li { a href=(entity_href(s)) { (prefixes::compact(s)) } }
                    }
                }
            }
        },
    ))
}

/// `/search?q=NAME`: the `describe` lookup; one match goes to its page, several are listed.
pub fn search(store: &Store, q: &str) -> Result<Response<Body>, HttpError> {
    let backend = Backend::Embedded(crate::store::OpenStore::shared(store.clone()));
    let found = describe::lookup(&backend, q).map_err(server_error)?;
    let (title, candidates) = match found {
        Lookup::Found(iri) => {
            return Response::builder()
                .status(StatusCode::SEE_OTHER)
                .header(LOCATION, entity_href(iri.as_str()))
                .body(Body::empty())
                .map_err(server_error);
        }
        Lookup::Ambiguous(c) => (format!("“{q}” matches {} entities", c.len()), c),
        Lookup::NotFound(c) if c.is_empty() => (format!("Nothing is called “{q}”"), c),
        Lookup::NotFound(c) => (format!("Nothing is called “{q}”; did you mean…"), c),
    };
    html_response(
        StatusCode::OK,
        layout(
            "Search",
            html! {
                h1 { (title) }
                ul.candidates {
                    @for c in &candidates {
                        li { a href=(entity_href(c.iri.as_str())) { (c.label) } " " code { (prefixes::compact(c.iri.as_str())) } }
                    }
                }
            },
        ),
    )
}

/// Whether a browser asked for a page: `text/html` before any SPARQL format in `Accept`.
pub fn wants_html(accept: Option<&str>) -> bool {
    accept.is_some_and(|a| {
        let first = a
            .split(',')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        first.starts_with("text/html") || first.starts_with("application/xhtml")
    })
}

/// A query's results as a page (the editor's fallback without JavaScript).
pub fn query_results(
    store: &Store,
    text: &str,
    timeout: Option<Duration>,
) -> Result<Markup, HttpError> {
    let query = sparql::parse_algebra(text, "query")
        .map_err(|e| (StatusCode::BAD_REQUEST, format!("{e:#}")))?;
    let (variables, rows) = run(store, query, timeout)?;
    let csv = format!("/sparql?query={}&format=csv", encode(text));
    Ok(layout(
        "Results",
        html! {
            h1 { "Results" }
            pre.query { (text) }
            (table(&variables, &rows, Some(&csv)))
        },
    ))
}
