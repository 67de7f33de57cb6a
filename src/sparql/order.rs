//! `GROUP_CONCAT` in a known order. SPARQL leaves the order of its parts open, and engines give
//! them in the order they read the rows, which is storage order: the `sources` cell of a saved
//! query read `004, 001, 000` on one store and could read otherwise on another (issue #16). mss-kg
//! orders the rows a group concatenates by the concatenated values, ascending, so the parts come
//! sorted (by the first `GROUP_CONCAT` of a group, when it has several) and every run and every
//! store gives the same bytes. A query that orders the rows itself (an ordered sub-select) keeps
//! its order. Oxigraph concatenates in the order the rows reach the group; other engines may not
//! honour an inner order (Virtuoso does not), which the README says.

use spargebra::Query;
use spargebra::algebra::{
    AggregateExpression, AggregateFunction, Expression, GraphPattern, OrderExpression,
};

/// The query with each group's `GROUP_CONCAT` fed its rows in order.
pub fn sorted_concats(query: Query) -> Query {
    super::map_pattern(query, pattern_of)
}

/// A `SELECT` whose rows come in one order: its `ORDER BY` (or none) followed by every projected
/// variable as a tie-breaker, ascending, so that no two runs or engines can order equal keys
/// differently and a `LIMIT` always cuts the same rows. The saved queries run through this.
pub fn total_order(query: Query) -> Query {
    let Query::Select {
        dataset,
        pattern,
        base_iri,
    } = query
    else {
        return query;
    };
    Query::Select {
        dataset,
        pattern: totally_ordered(pattern),
        base_iri,
    }
}

fn totally_ordered(pattern: GraphPattern) -> GraphPattern {
    match pattern {
        GraphPattern::Slice {
            inner,
            start,
            length,
        } => GraphPattern::Slice {
            inner: Box::new(totally_ordered(*inner)),
            start,
            length,
        },
        GraphPattern::Distinct { inner } => GraphPattern::Distinct {
            inner: Box::new(totally_ordered(*inner)),
        },
        GraphPattern::Reduced { inner } => GraphPattern::Reduced {
            inner: Box::new(totally_ordered(*inner)),
        },
        GraphPattern::Project { inner, variables } => {
            let (inner, mut expression) = match *inner {
                GraphPattern::OrderBy { inner, expression } => (inner, expression),
                other => (Box::new(other), Vec::new()),
            };
            for v in &variables {
                let key = Expression::Variable(v.clone());
                let known = expression.iter().any(|o| match o {
                    OrderExpression::Asc(e) | OrderExpression::Desc(e) => *e == key,
                });
                if !known {
                    expression.push(OrderExpression::Asc(key));
                }
            }
            GraphPattern::Project {
                inner: Box::new(GraphPattern::OrderBy { inner, expression }),
                variables,
            }
        }
        other => other,
    }
}

/// Whether a pattern hands its rows on in an order of its own.
fn ordered(pattern: &GraphPattern) -> bool {
    match pattern {
        GraphPattern::OrderBy { .. } => true,
        GraphPattern::Project { inner, .. }
        | GraphPattern::Distinct { inner }
        | GraphPattern::Reduced { inner }
        | GraphPattern::Slice { inner, .. }
        | GraphPattern::Extend { inner, .. }
        | GraphPattern::Filter { inner, .. } => ordered(inner),
        _ => false,
    }
}

fn pattern_of(pattern: GraphPattern) -> GraphPattern {
    let b = |p: Box<GraphPattern>| Box::new(pattern_of(*p));
    match pattern {
        GraphPattern::Group {
            inner,
            variables,
            aggregates,
        } => {
            let aggregates: Vec<_> = aggregates
                .into_iter()
                .map(|(v, a)| (v, aggregate_of(a)))
                .collect();
            let mut order: Vec<OrderExpression> = Vec::new();
            for (_, a) in &aggregates {
                if let AggregateExpression::FunctionCall {
                    name: AggregateFunction::GroupConcat { .. },
                    expr,
                    ..
                } = a
                    && !order
                        .iter()
                        .any(|o| matches!(o, OrderExpression::Asc(e) if e == expr))
                {
                    order.push(OrderExpression::Asc(expr.clone()));
                }
            }
            let inner = pattern_of(*inner);
            let inner = if order.is_empty() || ordered(&inner) {
                inner
            } else {
                GraphPattern::OrderBy {
                    inner: Box::new(inner),
                    expression: order,
                }
            };
            GraphPattern::Group {
                inner: Box::new(inner),
                variables,
                aggregates,
            }
        }
        GraphPattern::Join { left, right } => GraphPattern::Join {
            left: b(left),
            right: b(right),
        },
        GraphPattern::LeftJoin {
            left,
            right,
            expression,
        } => GraphPattern::LeftJoin {
            left: b(left),
            right: b(right),
            expression: expression.map(expression_of),
        },
        GraphPattern::Lateral { left, right } => GraphPattern::Lateral {
            left: b(left),
            right: b(right),
        },
        GraphPattern::Union { left, right } => GraphPattern::Union {
            left: b(left),
            right: b(right),
        },
        GraphPattern::Minus { left, right } => GraphPattern::Minus {
            left: b(left),
            right: b(right),
        },
        GraphPattern::Filter { expr, inner } => GraphPattern::Filter {
            expr: expression_of(expr),
            inner: b(inner),
        },
        GraphPattern::Extend {
            inner,
            variable,
            expression,
        } => GraphPattern::Extend {
            inner: b(inner),
            variable,
            expression: expression_of(expression),
        },
        GraphPattern::OrderBy { inner, expression } => GraphPattern::OrderBy {
            inner: b(inner),
            expression,
        },
        GraphPattern::Project { inner, variables } => GraphPattern::Project {
            inner: b(inner),
            variables,
        },
        GraphPattern::Distinct { inner } => GraphPattern::Distinct { inner: b(inner) },
        GraphPattern::Reduced { inner } => GraphPattern::Reduced { inner: b(inner) },
        GraphPattern::Slice {
            inner,
            start,
            length,
        } => GraphPattern::Slice {
            inner: b(inner),
            start,
            length,
        },
        GraphPattern::Graph { name, inner } => GraphPattern::Graph {
            name,
            inner: b(inner),
        },
        GraphPattern::Service {
            name,
            inner,
            silent,
        } => GraphPattern::Service {
            name,
            inner: b(inner),
            silent,
        },
        leaf @ (GraphPattern::Bgp { .. }
        | GraphPattern::Path { .. }
        | GraphPattern::Values { .. }) => leaf,
    }
}

fn aggregate_of(aggregate: AggregateExpression) -> AggregateExpression {
    match aggregate {
        AggregateExpression::FunctionCall {
            name,
            expr,
            distinct,
        } => AggregateExpression::FunctionCall {
            name,
            expr: expression_of(expr),
            distinct,
        },
        count => count,
    }
}

/// Sub-selects inside `EXISTS` are groups too.
fn expression_of(expression: Expression) -> Expression {
    super::map_exists(expression, &mut pattern_of)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Query {
        spargebra::SparqlParser::new().parse_query(text).unwrap()
    }

    #[test]
    fn saved_queries_order_ties_by_every_column() {
        let q = total_order(parse(
            "SELECT ?a ?b WHERE { ?a <http://e/p> ?b } ORDER BY DESC(?b) LIMIT 2",
        ));
        assert!(
            q.to_sse().contains("(order ((desc ?b) (asc ?a))"),
            "{}",
            q.to_sse()
        );
        let q = total_order(parse("SELECT DISTINCT ?a WHERE { ?a <http://e/p> ?b }"));
        assert!(q.to_sse().contains("(order ((asc ?a))"), "{}", q.to_sse());
    }

    #[test]
    fn a_concat_is_fed_sorted_rows_unless_the_query_orders_them() {
        let q = sorted_concats(parse(
            "SELECT ?g (GROUP_CONCAT(?v) AS ?all) WHERE { ?g <http://e/p> ?v } GROUP BY ?g",
        ));
        assert!(q.to_sse().contains("(order ((asc ?v))"), "{}", q.to_sse());
        let own = parse(
            "SELECT ?g (GROUP_CONCAT(?v) AS ?all) WHERE { { SELECT ?g ?v WHERE { ?g <http://e/p> ?v } ORDER BY DESC(?v) } } GROUP BY ?g",
        );
        assert_eq!(sorted_concats(own.clone()), own);
        let counts = parse("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }");
        assert_eq!(sorted_concats(counts.clone()), counts);
    }
}
