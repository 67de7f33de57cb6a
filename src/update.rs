//! Applying a SPARQL Update and saying what it did: triples deleted and inserted per graph, and a
//! warning when it matched nothing where it looked but would have matched elsewhere.
//!
//! Issue #21: `DELETE WHERE { ?d mss:personnelCount ?c }` said "update applied" and deleted
//! nothing: an update reads and writes the store's own default graph, which is empty, while every
//! query reads the union of all graphs, where the facts are (one named graph per source). Users
//! believed wrong facts gone. The semantics stay the standard's (an update's default graph is the
//! store's default graph, unless `WITH`, `USING` or `--graph` say otherwise); what changes is that
//! every update reports exactly what it changed, and an update that missed says where its
//! pattern does match and how to write it.
//!
//! `DELETE`/`INSERT ... WHERE` is evaluated here rather than by Oxigraph, to count: the `WHERE`
//! runs once as a query on the transaction, its solutions fill the templates (a blank node of
//! `INSERT` is new for each solution, a quad with an unbound or misplaced term is skipped, as the
//! standard says), then the deletions and the insertions are applied, each counted when it
//! changes the store. `LOAD`, `CLEAR`, `CREATE` and `DROP` run through Oxigraph and are counted
//! from the graphs they touch. All operations share one transaction: nothing is kept if one fails.

use crate::prefixes;
use crate::sparql::{self, Dataset};
use anyhow::{Context, Result};
use oxigraph::model::{
    BlankNode, GraphName, GraphNameRef, NamedNode, NamedOrBlankNode, Quad, Term, Triple,
};
use oxigraph::sparql::{QueryResults, QuerySolution};
use oxigraph::store::{Store, Transaction};
use spargebra::algebra::{GraphPattern, GraphTarget, QueryDataset};
use spargebra::term::{
    GraphNamePattern, GroundQuad, GroundQuadPattern, GroundTermPattern, NamedNodePattern,
    QuadPattern, TermPattern, Variable,
};
use spargebra::{GraphUpdateOperation, Query, Update};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// What an update changed, and what it should be told. Graphs are keyed by [`graph_key`].
#[derive(Debug, Default)]
pub struct Report {
    pub deleted: BTreeMap<String, u64>,
    pub inserted: BTreeMap<String, u64>,
    pub warnings: Vec<String>,
}

/// A graph as a sortable key: its IRI (or `_:id`), or the empty string for the default graph.
pub fn graph_key(graph: &GraphName) -> String {
    match graph {
        GraphName::DefaultGraph => String::new(),
        GraphName::NamedNode(n) => n.as_str().to_owned(),
        GraphName::BlankNode(b) => b.to_string(),
    }
}

/// A graph key as people read it: `the default graph`, or the prefixed IRI.
pub fn graph_key_label(key: &str) -> String {
    if key.is_empty() {
        "the default graph".to_owned()
    } else {
        prefixes::compact(key)
    }
}

fn sparql_graph(graph: spargebra::term::GraphName) -> GraphName {
    match graph {
        spargebra::term::GraphName::NamedNode(n) => n.into(),
        spargebra::term::GraphName::DefaultGraph => GraphName::DefaultGraph,
    }
}

impl Report {
    pub fn total_deleted(&self) -> u64 {
        self.deleted.values().sum()
    }
    pub fn total_inserted(&self) -> u64 {
        self.inserted.values().sum()
    }
}

/// Applies `update` to `store` in one transaction. With `graph`, the update reads and writes that
/// graph where it would use the default graph: as if each operation began with `WITH <graph>`.
pub fn apply(store: &Store, update: Update, graph: Option<&NamedNode>) -> Result<Report> {
    let update = match graph {
        Some(g) => retarget(update, g),
        None => update,
    };
    let mut report = Report::default();
    let mut transaction = store
        .start_transaction()
        .context("cannot start a transaction")?;
    let base_iri = update.base_iri.clone();
    for operation in update.operations {
        apply_operation(
            &mut transaction,
            operation,
            base_iri.clone(),
            graph,
            &mut report,
        )?;
    }
    transaction.commit().context("cannot commit the update")?;
    Ok(report)
}

fn apply_operation(
    txn: &mut Transaction<'_>,
    operation: GraphUpdateOperation,
    base_iri: Option<oxiri::Iri<String>>,
    graph: Option<&NamedNode>,
    report: &mut Report,
) -> Result<()> {
    match operation {
        GraphUpdateOperation::InsertData { data } => {
            let mut fresh = HashMap::new();
            for quad in data {
                let quad = Quad {
                    subject: match quad.subject {
                        NamedOrBlankNode::BlankNode(b) => fresh_blank(&mut fresh, b).into(),
                        other => other,
                    },
                    predicate: quad.predicate,
                    object: match quad.object {
                        Term::BlankNode(b) => fresh_blank(&mut fresh, b).into(),
                        other => other,
                    },
                    graph_name: sparql_graph(quad.graph_name),
                };
                insert(txn, &quad, report)?;
            }
        }
        GraphUpdateOperation::DeleteData { data } => {
            let mut missed = Vec::new();
            for quad in data {
                let quad = ground_quad(quad);
                if !delete(txn, &quad, report)? && quad.graph_name.is_default_graph() {
                    missed.push(quad);
                }
            }
            warn_elsewhere(txn, &missed, "DELETE DATA", graph, report)?;
        }
        GraphUpdateOperation::DeleteInsert {
            delete: delete_templates,
            insert: insert_templates,
            using,
            pattern,
        } => {
            let solutions = solutions(txn, &pattern, using.clone(), base_iri)?;
            if solutions.is_empty() && using_default_graph(&using, graph) {
                warn_no_match(txn, &pattern, graph, report)?;
            }
            let mut deletions = Vec::new();
            let mut insertions = Vec::new();
            for solution in &solutions {
                deletions.extend(
                    delete_templates
                        .iter()
                        .filter_map(|t| fill_ground(t, solution)),
                );
                let mut fresh = HashMap::new();
                insertions.extend(
                    insert_templates
                        .iter()
                        .filter_map(|t| fill(t, solution, &mut fresh)),
                );
            }
            let mut seen = HashSet::new();
            deletions.retain(|q| seen.insert(q.clone()));
            let mut missed = Vec::new();
            for quad in deletions {
                if !delete(txn, &quad, report)? && quad.graph_name.is_default_graph() {
                    missed.push(quad);
                }
            }
            warn_elsewhere(txn, &missed, "DELETE", graph, report)?;
            for quad in insertions {
                insert(txn, &quad, report)?;
            }
        }
        operation @ (GraphUpdateOperation::Load { .. }
        | GraphUpdateOperation::Clear { .. }
        | GraphUpdateOperation::Create { .. }
        | GraphUpdateOperation::Drop { .. }) => {
            let touched = touched_graphs(txn, &operation)?;
            let before = sizes(txn, &touched)?;
            let single = Update {
                base_iri,
                operations: vec![operation],
            };
            sparql::prepare_update(single, None)
                .on_transaction(txn)
                .execute()?;
            let after = sizes(txn, &touched)?;
            for (key, was) in before {
                let now = after.get(&key).copied().unwrap_or(0);
                if now < was {
                    *report.deleted.entry(key).or_default() += was - now;
                } else if now > was {
                    *report.inserted.entry(key).or_default() += now - was;
                }
            }
        }
    }
    Ok(())
}

/// Removes `quad` if the store holds it; whether it did.
fn delete(txn: &mut Transaction<'_>, quad: &Quad, report: &mut Report) -> Result<bool> {
    if !txn.contains(quad)? {
        return Ok(false);
    }
    txn.remove(quad);
    *report
        .deleted
        .entry(graph_key(&quad.graph_name))
        .or_default() += 1;
    Ok(true)
}

/// Adds `quad` unless the store holds it already.
fn insert(txn: &mut Transaction<'_>, quad: &Quad, report: &mut Report) -> Result<()> {
    if txn.contains(quad)? {
        return Ok(());
    }
    txn.insert(quad);
    *report
        .inserted
        .entry(graph_key(&quad.graph_name))
        .or_default() += 1;
    Ok(())
}

fn fresh_blank(fresh: &mut HashMap<BlankNode, BlankNode>, node: BlankNode) -> BlankNode {
    fresh.entry(node).or_default().clone()
}

/// The solutions of an update's `WHERE`, all of them, before anything changes.
fn solutions(
    txn: &Transaction<'_>,
    pattern: &GraphPattern,
    using: Option<QueryDataset>,
    base_iri: Option<oxiri::Iri<String>>,
) -> Result<Vec<QuerySolution>> {
    let mut variables = Vec::new();
    pattern.on_in_scope_variable(|v| {
        if !variables.contains(v) {
            variables.push(v.clone());
        }
    });
    let query = Query::Select {
        dataset: using,
        pattern: GraphPattern::Project {
            inner: Box::new(pattern.clone()),
            variables,
        },
        base_iri,
    };
    let QueryResults::Solutions(solutions) = sparql::prepare(query, Dataset::Store, None)
        .on_transaction(txn)
        .execute()?
    else {
        unreachable!("a SELECT gives solutions")
    };
    Ok(solutions.collect::<Result<Vec<_>, _>>()?)
}

/// Whether a `DELETE/INSERT` reads the store's default graph (no `USING`, `WITH` or `--graph`).
fn using_default_graph(using: &Option<QueryDataset>, graph: Option<&NamedNode>) -> bool {
    match using {
        None => true,
        Some(using) => graph.is_some_and(|g| using.default == [g.clone()]),
    }
}

fn graph_label(graph: &GraphName) -> String {
    graph_key_label(&graph_key(graph))
}

/// Names of graphs, as a list for a message (at most five, then how many more).
fn name_list(graphs: &BTreeSet<String>) -> String {
    let mut shown: Vec<&str> = graphs.iter().take(5).map(String::as_str).collect();
    let rest = graphs.len().saturating_sub(5);
    let more = format!("and {rest} more");
    if rest > 0 {
        shown.push(&more);
    }
    shown.join(", ")
}

fn where_read(graph: Option<&NamedNode>) -> String {
    match graph {
        Some(g) => format!("graph {}", prefixes::compact(g.as_str())),
        None => "the store's default graph".to_owned(),
    }
}

const HOW: &str = "write GRAPH ?g { ... } to use every graph that holds it, WITH <graph> or `mss-kg update --graph GRAPH` for one (see \"Updating the graph\" in the README)";

/// The `WHERE` matched nothing: say where the same pattern does match, if anywhere.
fn warn_no_match(
    txn: &Transaction<'_>,
    pattern: &GraphPattern,
    graph: Option<&NamedNode>,
    report: &mut Report,
) -> Result<()> {
    if matches!(pattern, GraphPattern::Bgp { patterns } if patterns.is_empty()) {
        return Ok(());
    }
    let g = Variable::new_unchecked("_mss_kg_graph");
    let in_one = Query::Select {
        dataset: None,
        pattern: GraphPattern::Distinct {
            inner: Box::new(GraphPattern::Project {
                inner: Box::new(GraphPattern::Graph {
                    name: NamedNodePattern::Variable(g.clone()),
                    inner: Box::new(pattern.clone()),
                }),
                variables: vec![g.clone()],
            }),
        },
        base_iri: None,
    };
    let QueryResults::Solutions(found) = sparql::prepare(in_one, Dataset::Store, None)
        .on_transaction(txn)
        .execute()?
    else {
        unreachable!("a SELECT gives solutions")
    };
    let mut graphs = BTreeSet::new();
    for solution in found {
        if let Some(Term::NamedNode(n)) = solution?.get(&g) {
            graphs.insert(prefixes::compact(n.as_str()));
        }
    }
    if !graphs.is_empty() {
        report.warnings.push(format!(
            "the WHERE clause matched nothing in {}, but matches in {} {}: {HOW}",
            where_read(graph),
            if graphs.len() == 1 { "graph" } else { "graphs" },
            name_list(&graphs)
        ));
    }
    Ok(())
}

/// Triples to delete from the default graph that it does not hold: say which graphs hold them.
fn warn_elsewhere(
    txn: &Transaction<'_>,
    missed: &[Quad],
    what: &str,
    graph: Option<&NamedNode>,
    report: &mut Report,
) -> Result<()> {
    let mut graphs = BTreeSet::new();
    let mut found = 0;
    // Looking each one up costs a read; a thousand tell enough.
    let missed = &missed[..missed.len().min(1000)];
    for quad in missed {
        let mut here = false;
        for q in txn.quads_for_pattern(
            Some(quad.subject.as_ref()),
            Some(quad.predicate.as_ref()),
            Some(quad.object.as_ref()),
            None,
        ) {
            let q = q?;
            if !q.graph_name.is_default_graph() {
                graphs.insert(graph_label(&q.graph_name));
                here = true;
            }
        }
        found += usize::from(here);
    }
    if found > 0 {
        let held = if missed.len() == 1 {
            "the triple it names is".to_owned()
        } else if found == missed.len() {
            format!("the {} triples it names are", missed.len())
        } else {
            format!("{found} of the {} triples it names are", missed.len())
        };
        report.warnings.push(format!(
            "{what} removed nothing from {}: {held} in {} {} instead: {HOW}",
            where_read(graph),
            if graphs.len() == 1 { "graph" } else { "graphs" },
            name_list(&graphs)
        ));
    }
    Ok(())
}

/// The graphs a `LOAD`, `CLEAR`, `CREATE` or `DROP` may change.
fn touched_graphs(
    txn: &Transaction<'_>,
    operation: &GraphUpdateOperation,
) -> Result<Vec<GraphName>> {
    let all_named = || -> Result<Vec<GraphName>> {
        let mut graphs = Vec::new();
        for g in txn.named_graphs() {
            graphs.push(match g? {
                NamedOrBlankNode::NamedNode(n) => n.into(),
                NamedOrBlankNode::BlankNode(b) => b.into(),
            });
        }
        Ok(graphs)
    };
    Ok(match operation {
        GraphUpdateOperation::Load { destination, .. } => vec![sparql_graph(destination.clone())],
        GraphUpdateOperation::Clear { graph, .. } | GraphUpdateOperation::Drop { graph, .. } => {
            match graph {
                GraphTarget::NamedNode(n) => vec![n.clone().into()],
                GraphTarget::DefaultGraph => vec![GraphName::DefaultGraph],
                GraphTarget::NamedGraphs => all_named()?,
                GraphTarget::AllGraphs => {
                    let mut graphs = all_named()?;
                    graphs.push(GraphName::DefaultGraph);
                    graphs
                }
            }
        }
        _ => Vec::new(),
    })
}

fn sizes(txn: &Transaction<'_>, graphs: &[GraphName]) -> Result<BTreeMap<String, u64>> {
    let mut sizes = BTreeMap::new();
    for graph in graphs {
        let name: GraphNameRef<'_> = graph.as_ref();
        let mut n = 0;
        for quad in txn.quads_for_pattern(None, None, None, Some(name)) {
            quad?;
            n += 1;
        }
        sizes.insert(graph_key(graph), n);
    }
    Ok(sizes)
}

// --- templates ------------------------------------------------------------------------------

fn ground_quad(quad: GroundQuad) -> Quad {
    Quad {
        subject: quad.subject.into(),
        predicate: quad.predicate,
        object: quad.object.into(),
        graph_name: sparql_graph(quad.graph_name),
    }
}

/// A term in subject position: an RDF 1.2 triple term may only be an object.
fn subject(term: Term) -> Option<NamedOrBlankNode> {
    match term {
        Term::NamedNode(n) => Some(n.into()),
        Term::BlankNode(b) => Some(b.into()),
        _ => None,
    }
}

fn predicate(pattern: &NamedNodePattern, solution: &QuerySolution) -> Option<NamedNode> {
    match pattern {
        NamedNodePattern::NamedNode(n) => Some(n.clone()),
        NamedNodePattern::Variable(v) => match solution.get(v)? {
            Term::NamedNode(n) => Some(n.clone()),
            _ => None,
        },
    }
}

fn graph_name(pattern: &GraphNamePattern, solution: &QuerySolution) -> Option<GraphName> {
    match pattern {
        GraphNamePattern::NamedNode(n) => Some(n.clone().into()),
        GraphNamePattern::DefaultGraph => Some(GraphName::DefaultGraph),
        GraphNamePattern::Variable(v) => match solution.get(v)? {
            Term::NamedNode(n) => Some(n.clone().into()),
            Term::BlankNode(b) => Some(b.clone().into()),
            _ => None,
        },
    }
}

/// A term of a `DELETE` template filled by a solution, triple terms (RDF 1.2) included.
fn ground_pattern_term(t: &GroundTermPattern, solution: &QuerySolution) -> Option<Term> {
    Some(match t {
        GroundTermPattern::NamedNode(n) => n.clone().into(),
        GroundTermPattern::Literal(l) => l.clone().into(),
        GroundTermPattern::Variable(v) => solution.get(v)?.clone(),
        GroundTermPattern::Triple(t) => Triple::new(
            subject(ground_pattern_term(&t.subject, solution)?)?,
            predicate(&t.predicate, solution)?,
            ground_pattern_term(&t.object, solution)?,
        )
        .into(),
    })
}

/// A `DELETE` template filled by a solution; `None` if a term is unbound or misplaced.
fn fill_ground(template: &GroundQuadPattern, solution: &QuerySolution) -> Option<Quad> {
    Some(Quad {
        subject: subject(ground_pattern_term(&template.subject, solution)?)?,
        predicate: predicate(&template.predicate, solution)?,
        object: ground_pattern_term(&template.object, solution)?,
        graph_name: graph_name(&template.graph_name, solution)?,
    })
}

/// A term of an `INSERT` template filled by a solution, its blank nodes new for this solution.
fn pattern_term(
    t: &TermPattern,
    solution: &QuerySolution,
    fresh: &mut HashMap<BlankNode, BlankNode>,
) -> Option<Term> {
    Some(match t {
        TermPattern::NamedNode(n) => n.clone().into(),
        TermPattern::Literal(l) => l.clone().into(),
        TermPattern::BlankNode(b) => fresh_blank(fresh, b.clone()).into(),
        TermPattern::Variable(v) => solution.get(v)?.clone(),
        TermPattern::Triple(t) => Triple::new(
            subject(pattern_term(&t.subject, solution, fresh)?)?,
            predicate(&t.predicate, solution)?,
            pattern_term(&t.object, solution, fresh)?,
        )
        .into(),
    })
}

/// An `INSERT` template filled by a solution, its blank nodes new for this solution.
fn fill(
    template: &QuadPattern,
    solution: &QuerySolution,
    fresh: &mut HashMap<BlankNode, BlankNode>,
) -> Option<Quad> {
    Some(Quad {
        subject: subject(pattern_term(&template.subject, solution, fresh)?)?,
        predicate: predicate(&template.predicate, solution)?,
        object: pattern_term(&template.object, solution, fresh)?,
        graph_name: graph_name(&template.graph_name, solution)?,
    })
}

// --- --graph ---------------------------------------------------------------------------------

/// The update as if each operation began with `WITH <graph>`: its default graph, read and
/// written, is `graph`. Quads and patterns that name a graph keep it.
pub fn retarget(update: Update, graph: &NamedNode) -> Update {
    let target_data = |g: spargebra::term::GraphName| match g {
        spargebra::term::GraphName::DefaultGraph => {
            spargebra::term::GraphName::NamedNode(graph.clone())
        }
        other => other,
    };
    let target_pattern = |g: GraphNamePattern| match g {
        GraphNamePattern::DefaultGraph => GraphNamePattern::NamedNode(graph.clone()),
        other => other,
    };
    let target_target = |t: GraphTarget| match t {
        GraphTarget::DefaultGraph => GraphTarget::NamedNode(graph.clone()),
        other => other,
    };
    let operations = update
        .operations
        .into_iter()
        .map(|op| match op {
            GraphUpdateOperation::InsertData { data } => GraphUpdateOperation::InsertData {
                data: data
                    .into_iter()
                    .map(|q| spargebra::term::Quad {
                        graph_name: target_data(q.graph_name),
                        ..q
                    })
                    .collect(),
            },
            GraphUpdateOperation::DeleteData { data } => GraphUpdateOperation::DeleteData {
                data: data
                    .into_iter()
                    .map(|q| GroundQuad {
                        graph_name: target_data(q.graph_name),
                        ..q
                    })
                    .collect(),
            },
            GraphUpdateOperation::DeleteInsert {
                delete,
                insert,
                using,
                pattern,
            } => GraphUpdateOperation::DeleteInsert {
                delete: delete
                    .into_iter()
                    .map(|q| GroundQuadPattern {
                        graph_name: target_pattern(q.graph_name),
                        ..q
                    })
                    .collect(),
                insert: insert
                    .into_iter()
                    .map(|q| QuadPattern {
                        graph_name: target_pattern(q.graph_name),
                        ..q
                    })
                    .collect(),
                using: using.or_else(|| {
                    Some(QueryDataset {
                        default: vec![graph.clone()],
                        named: None,
                    })
                }),
                pattern,
            },
            GraphUpdateOperation::Load {
                silent,
                source,
                destination,
            } => GraphUpdateOperation::Load {
                silent,
                source,
                destination: target_data(destination),
            },
            GraphUpdateOperation::Clear { silent, graph } => GraphUpdateOperation::Clear {
                silent,
                graph: target_target(graph),
            },
            GraphUpdateOperation::Drop { silent, graph } => GraphUpdateOperation::Drop {
                silent,
                graph: target_target(graph),
            },
            create @ GraphUpdateOperation::Create { .. } => create,
        })
        .collect();
    Update {
        operations,
        base_iri: update.base_iri,
    }
}

/// `deleted 2 triples: 1 from src:000_..., 1 from src:001_...; inserted 1 triple into graph:x`.
pub fn summary(report: &Report) -> String {
    fn triples(n: u64) -> String {
        format!("{n} triple{}", if n == 1 { "" } else { "s" })
    }
    fn per_graph(total: u64, counts: &BTreeMap<String, u64>, word: &str) -> String {
        if let [(graph, _)] = counts.iter().collect::<Vec<_>>()[..] {
            return format!("{} {word} {}", triples(total), graph_key_label(graph));
        }
        let each: Vec<String> = counts
            .iter()
            .map(|(g, n)| format!("{n} {word} {}", graph_key_label(g)))
            .collect();
        format!("{}: {}", triples(total), each.join(", "))
    }
    let (deleted, inserted) = (report.total_deleted(), report.total_inserted());
    if deleted == 0 && inserted == 0 {
        return "nothing changed: 0 triples deleted, 0 inserted".to_owned();
    }
    let mut parts = Vec::new();
    if deleted > 0 {
        parts.push(format!(
            "deleted {}",
            per_graph(deleted, &report.deleted, "from")
        ));
    }
    if inserted > 0 {
        parts.push(format!(
            "inserted {}",
            per_graph(inserted, &report.inserted, "into")
        ));
    }
    parts.join("; ")
}
