//! The default graph as the RDF merge of its graphs, a set, as the SPARQL standard has it, for a
//! query sent to a remote engine.
//!
//! Issue #21: Oxigraph 0.5 evaluates a default graph made of several graphs (the union of all
//! graphs, or `FROM <g1> FROM <g2>`) by reading each graph in turn, so a triple held by three
//! graphs matches three times and `COUNT`, `SUM` and plain listings count sources, not facts
//! (its issue #1919). mss-kg records a fact once per article that reports it, so this hit most
//! aggregates. Our own store reads the merge in the evaluator: mss-kg builds Oxigraph's with
//! Oxigraph's fix backported (vendor/PATCH.md). Other engines yield copies too
//! (Virtuoso's default graph gives a triple once per graph holding it), so a query sent to an
//! `--endpoint` is rewritten before it goes, wherever it reads the default graph (outside
//! `GRAPH` and `SERVICE`), into patterns whose solutions are those over a set:
//!
//! - a group of triple patterns (a BGP) becomes `DISTINCT` over all its variables. Over a set, a
//!   BGP has one solution per mapping of its variables and blank nodes, and the union yields the
//!   same mappings, only repeated; blank nodes become hidden variables, projected away after the
//!   `DISTINCT`, so that solutions differing only in them still count apart, as the standard says;
//! - property paths are taken apart as the standard's own translation does: a link is a triple
//!   pattern, `^p` swaps its ends, `p/q` joins two paths through a hidden variable, `p|q` is a
//!   union (made a set, as Oxigraph evaluates alternatives), a negated set is a triple pattern
//!   with a filter on a hidden predicate variable; only `p*`, `p+` and `p?` stay paths, and their
//!   solutions are a set by definition (`DISTINCT`). The tests check each against the same query
//!   on one graph holding the merge.
//!
//! `GRAPH ?g { ... }` is left alone: it reads each graph by itself, and sees each copy.

use spargebra::algebra::{
    AggregateExpression, Expression, GraphPattern, OrderExpression, PropertyPathExpression,
};
use spargebra::term::{BlankNode, NamedNodePattern, TermPattern, TriplePattern, Variable};
use std::collections::HashMap;

/// Hands out hidden variables, `?_mss_kg_hidden_1`, ...: valid SPARQL names (the rewritten query
/// can be written out as text), which no query of ours or any sensible user's uses, and which
/// never reach the results. Each blank node of the query gets one, the same wherever the node
/// occurs (Oxigraph's parser itself joins the steps of a path through blank nodes).
#[derive(Default)]
pub struct Fresh {
    next: usize,
    blanks: HashMap<BlankNode, Variable>,
}

const HIDDEN: &str = "_mss_kg_hidden_";

impl Fresh {
    fn var(&mut self) -> Variable {
        self.next += 1;
        Variable::new_unchecked(format!("{HIDDEN}{}", self.next))
    }

    /// A blank node as its hidden variable; other terms as they are.
    fn unblank(&mut self, term: TermPattern) -> TermPattern {
        match term {
            TermPattern::BlankNode(b) => {
                if let Some(v) = self.blanks.get(&b) {
                    return TermPattern::Variable(v.clone());
                }
                let v = self.var();
                self.blanks.insert(b, v.clone());
                TermPattern::Variable(v)
            }
            other => other,
        }
    }
}

fn is_hidden(variable: &Variable) -> bool {
    variable.as_str().starts_with(HIDDEN)
}

/// Whether a query's answer can depend on how many copies of a triple the default graph yields,
/// and so needs [`as_set`]. It cannot for an `ASK` (existence), nor for a `SELECT DISTINCT` or
/// `REDUCED`, a `CONSTRUCT` or a `DESCRIBE` (their results are sets) whose pattern holds nothing
/// that counts or cuts solutions before that: no `GROUP BY` or aggregate, no sub-select, no
/// `LIMIT`/`OFFSET` inside. Skipping the rewrite there spares its cost (benches/RESULTS.md).
pub fn counts_copies(query: &spargebra::Query) -> bool {
    use spargebra::Query;
    let pattern = match query {
        Query::Ask { .. } => return false,
        Query::Construct { pattern, .. } | Query::Describe { pattern, .. } => pattern,
        Query::Select { pattern, .. } => {
            // SELECT DISTINCT ... [ORDER BY] [LIMIT]: Slice? (Distinct|Reduced) Project OrderBy?
            let mut p = pattern;
            if let GraphPattern::Slice { inner, .. } = p {
                p = inner;
            }
            match p {
                GraphPattern::Distinct { inner } | GraphPattern::Reduced { inner } => {
                    match &**inner {
                        GraphPattern::Project { inner, .. } => match &**inner {
                            GraphPattern::OrderBy { inner, .. } => inner,
                            other => other,
                        },
                        _ => return true,
                    }
                }
                _ => return true,
            }
        }
    };
    counts_inside(pattern)
}

/// Whether a pattern holds an operator whose result depends on multiplicities.
fn counts_inside(pattern: &GraphPattern) -> bool {
    let mut stack = vec![pattern];
    while let Some(p) = stack.pop() {
        match p {
            GraphPattern::Group { .. }
            | GraphPattern::Slice { .. }
            | GraphPattern::Project { .. }
            | GraphPattern::Distinct { .. }
            | GraphPattern::Reduced { .. } => return true,
            GraphPattern::Bgp { .. }
            | GraphPattern::Path { .. }
            | GraphPattern::Values { .. }
            | GraphPattern::Service { .. } => {}
            GraphPattern::LeftJoin {
                expression: Some(e),
                ..
            }
            | GraphPattern::Filter { expr: e, .. }
            | GraphPattern::Extend { expression: e, .. }
                if has_exists(e) =>
            {
                // What an EXISTS counts inside is not looked into: assume the worst.
                return true;
            }
            GraphPattern::Join { left, right }
            | GraphPattern::LeftJoin { left, right, .. }
            | GraphPattern::Lateral { left, right }
            | GraphPattern::Union { left, right }
            | GraphPattern::Minus { left, right } => stack.extend([&**left, &**right]),
            GraphPattern::OrderBy { expression, .. }
                if expression.iter().any(|o| match o {
                    OrderExpression::Asc(e) | OrderExpression::Desc(e) => has_exists(e),
                }) =>
            {
                return true;
            }
            GraphPattern::Filter { inner, .. }
            | GraphPattern::Graph { inner, .. }
            | GraphPattern::Extend { inner, .. }
            | GraphPattern::OrderBy { inner, .. } => stack.push(inner),
        }
    }
    false
}

fn has_exists(expression: &Expression) -> bool {
    use super::limits::{NodeRef, children};
    // The only patterns below an expression are those of its EXISTS.
    let mut stack = vec![NodeRef::Expr(expression)];
    while let Some(node) = stack.pop() {
        if matches!(node, NodeRef::Pattern(_)) {
            return true;
        }
        children(node, &mut stack);
    }
    false
}

/// Rewrites `pattern`, read against a default graph made of several graphs, so that it reads
/// their merge.
pub fn as_set(pattern: GraphPattern, fresh: &mut Fresh) -> GraphPattern {
    let boxed = |p: Box<GraphPattern>, fresh: &mut Fresh| Box::new(as_set(*p, fresh));
    match pattern {
        GraphPattern::Bgp { patterns } if patterns.is_empty() => GraphPattern::Bgp { patterns },
        GraphPattern::Bgp { patterns } => distinct_bgp(patterns, fresh),
        GraphPattern::Path {
            subject,
            path,
            object,
        } => path_as_set(subject, path, object, fresh),
        GraphPattern::Join { left, right } => GraphPattern::Join {
            left: boxed(left, fresh),
            right: boxed(right, fresh),
        },
        GraphPattern::LeftJoin {
            left,
            right,
            expression,
        } => GraphPattern::LeftJoin {
            left: boxed(left, fresh),
            right: boxed(right, fresh),
            expression: expression.map(|e| expression_as_set(e, fresh)),
        },
        GraphPattern::Lateral { left, right } => GraphPattern::Lateral {
            left: boxed(left, fresh),
            right: boxed(right, fresh),
        },
        GraphPattern::Filter { expr, inner } => GraphPattern::Filter {
            expr: expression_as_set(expr, fresh),
            inner: boxed(inner, fresh),
        },
        GraphPattern::Union { left, right } => GraphPattern::Union {
            left: boxed(left, fresh),
            right: boxed(right, fresh),
        },
        GraphPattern::Minus { left, right } => GraphPattern::Minus {
            left: boxed(left, fresh),
            right: boxed(right, fresh),
        },
        GraphPattern::Extend {
            inner,
            variable,
            expression,
        } => GraphPattern::Extend {
            inner: boxed(inner, fresh),
            variable,
            expression: expression_as_set(expression, fresh),
        },
        GraphPattern::OrderBy { inner, expression } => GraphPattern::OrderBy {
            inner: boxed(inner, fresh),
            expression: expression
                .into_iter()
                .map(|o| match o {
                    OrderExpression::Asc(e) => OrderExpression::Asc(expression_as_set(e, fresh)),
                    OrderExpression::Desc(e) => OrderExpression::Desc(expression_as_set(e, fresh)),
                })
                .collect(),
        },
        GraphPattern::Project { inner, variables } => GraphPattern::Project {
            inner: boxed(inner, fresh),
            variables,
        },
        GraphPattern::Distinct { inner } => GraphPattern::Distinct {
            inner: boxed(inner, fresh),
        },
        GraphPattern::Reduced { inner } => GraphPattern::Reduced {
            inner: boxed(inner, fresh),
        },
        GraphPattern::Slice {
            inner,
            start,
            length,
        } => GraphPattern::Slice {
            inner: boxed(inner, fresh),
            start,
            length,
        },
        GraphPattern::Group {
            inner,
            variables,
            aggregates,
        } => GraphPattern::Group {
            // Hidden variables must not count in `COUNT(DISTINCT *)`: only real ones go in.
            inner: Box::new(without_hidden(as_set(*inner, fresh))),
            variables,
            aggregates: aggregates
                .into_iter()
                .map(|(v, a)| {
                    let a = match a {
                        AggregateExpression::FunctionCall {
                            name,
                            expr,
                            distinct,
                        } => AggregateExpression::FunctionCall {
                            name,
                            expr: expression_as_set(expr, fresh),
                            distinct,
                        },
                        count @ AggregateExpression::CountSolutions { .. } => count,
                    };
                    (v, a)
                })
                .collect(),
        },
        // Each named graph is a set already; a remote service has its own dataset.
        p @ (GraphPattern::Graph { .. }
        | GraphPattern::Service { .. }
        | GraphPattern::Values { .. }) => p,
    }
}

/// `EXISTS { ... }` inside an expression reads the default graph too (its sub-selects may count).
fn expression_as_set(expression: Expression, fresh: &mut Fresh) -> Expression {
    super::map_exists(expression, &mut |p| as_set(p, fresh))
}

/// A BGP whose solutions are those over the merge: blank nodes as hidden variables, `DISTINCT`
/// over every variable. (The hidden ones leave at the query's projection, or before a `GROUP`.)
fn distinct_bgp(patterns: Vec<TriplePattern>, fresh: &mut Fresh) -> GraphPattern {
    let patterns: Vec<TriplePattern> = patterns
        .into_iter()
        .map(|t| TriplePattern {
            subject: fresh.unblank(t.subject),
            predicate: t.predicate,
            object: fresh.unblank(t.object),
        })
        .collect();
    GraphPattern::Distinct {
        inner: Box::new(GraphPattern::Bgp { patterns }),
    }
}

/// `inner` without the hidden variables in its scope, if it has any.
fn without_hidden(inner: GraphPattern) -> GraphPattern {
    let mut any = false;
    inner.on_in_scope_variable(|v| any |= is_hidden(v));
    if !any {
        return inner;
    }
    let mut variables = Vec::new();
    inner.on_in_scope_variable(|v| {
        if !is_hidden(v) && !variables.contains(v) {
            variables.push(v.clone());
        }
    });
    GraphPattern::Project {
        inner: Box::new(inner),
        variables,
    }
}

fn project_without(inner: GraphPattern, hidden: &[&Variable]) -> GraphPattern {
    let mut variables = Vec::new();
    inner.on_in_scope_variable(|v| {
        if !hidden.contains(&v) && !variables.contains(v) {
            variables.push(v.clone());
        }
    });
    GraphPattern::Project {
        inner: Box::new(inner),
        variables,
    }
}

/// A path read against the merge: its blank node ends as hidden variables, then [`path_steps`].
fn path_as_set(
    subject: TermPattern,
    path: PropertyPathExpression,
    object: TermPattern,
    fresh: &mut Fresh,
) -> GraphPattern {
    let subject = fresh.unblank(subject);
    let object = fresh.unblank(object);
    path_steps(subject, path, object, fresh)
}

/// A path taken apart by the standard's translation, with the multiplicities Oxigraph gives on
/// a single graph: a sequence counts each middle node, an alternative is a set (`DISTINCT` over
/// its union), a negated set counts each triple.
fn path_steps(
    subject: TermPattern,
    path: PropertyPathExpression,
    object: TermPattern,
    fresh: &mut Fresh,
) -> GraphPattern {
    match path {
        PropertyPathExpression::NamedNode(p) => GraphPattern::Distinct {
            inner: Box::new(GraphPattern::Bgp {
                patterns: vec![TriplePattern {
                    subject,
                    predicate: NamedNodePattern::NamedNode(p),
                    object,
                }],
            }),
        },
        PropertyPathExpression::Reverse(p) => path_steps(object, *p, subject, fresh),
        PropertyPathExpression::Sequence(a, b) => {
            let middle = fresh.var();
            let join = GraphPattern::Join {
                left: Box::new(path_steps(
                    subject,
                    *a,
                    TermPattern::Variable(middle.clone()),
                    fresh,
                )),
                right: Box::new(path_steps(
                    TermPattern::Variable(middle.clone()),
                    *b,
                    object,
                    fresh,
                )),
            };
            project_without(join, &[&middle])
        }
        PropertyPathExpression::Alternative(a, b) => GraphPattern::Distinct {
            inner: Box::new(GraphPattern::Union {
                left: Box::new(path_steps(subject.clone(), *a, object.clone(), fresh)),
                right: Box::new(path_steps(subject, *b, object, fresh)),
            }),
        },
        PropertyPathExpression::NegatedPropertySet(excluded) => {
            let predicate = fresh.var();
            let link = TriplePattern {
                subject,
                predicate: NamedNodePattern::Variable(predicate.clone()),
                object,
            };
            let bgp = GraphPattern::Bgp {
                patterns: vec![link],
            };
            let filtered = GraphPattern::Filter {
                expr: Expression::Not(Box::new(Expression::In(
                    Box::new(Expression::Variable(predicate.clone())),
                    excluded.into_iter().map(Expression::NamedNode).collect(),
                ))),
                inner: Box::new(bgp),
            };
            project_without(
                GraphPattern::Distinct {
                    inner: Box::new(filtered),
                },
                &[&predicate],
            )
        }
        arbitrary @ (PropertyPathExpression::ZeroOrMore(_)
        | PropertyPathExpression::OneOrMore(_)
        | PropertyPathExpression::ZeroOrOne(_)) => GraphPattern::Distinct {
            inner: Box::new(GraphPattern::Path {
                subject,
                path: arbitrary,
                object,
            }),
        },
    }
}
