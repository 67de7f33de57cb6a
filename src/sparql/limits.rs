//! Bounds on the size of a query's structure, checked before anything recurses on it.
//!
//! Issue #20: Oxigraph's SPARQL parser, optimizer and evaluator recurse on the structure of a
//! query without a bound, so 5,000 nested groups, 8,000 `UNION`s or a 20,000-step property path
//! (10 KB of text) overflowed the stack and aborted the process (`serve` with it). Two checks,
//! both iterative, make such input a clear error instead:
//!
//! - before parsing, the nesting of brackets (`{`, `(`, `[`) in the text, outside strings, IRIs
//!   and comments: the parser recurses once per bracket, and only there;
//! - after parsing, the depth of the algebra (a `UNION` or `OPTIONAL` chain, a property path, an
//!   expression such as `1 + 1 + ...`, and a group of triple patterns, which the optimizer turns
//!   into a chain of joins, each count one level per element).
//!
//! A query past a limit is taken apart without recursion ([`teardown`]), so that dropping it cannot
//! overflow either. Queries are parsed and evaluated on threads whose stacks are sized for these
//! limits ([`STACK_SIZE`]).
//!
//! Oxigraph's optimizer takes time that grows faster than the query (a chain of 100 `OPTIONAL`s:
//! 0.6 s; of 500: minutes), and a timeout cannot stop it, as it runs before evaluation. A query
//! larger than [`OPTIMIZE_UP_TO`] is therefore evaluated as written, without it: correct, in
//! time linear in its size, and then subject to the timeout like any other.

use anyhow::{Result, bail};
use spargebra::algebra::{
    AggregateExpression, Expression, GraphPattern, OrderExpression, PropertyPathExpression,
};
use spargebra::{GraphUpdateOperation, Query, Update};

/// The deepest nesting of brackets a query or update may have; real queries stay more than ten
/// times below it (`tests/limits.rs` measures the saved queries and the W3C SPARQL 1.1 syntax
/// tests).
pub const MAX_NESTING: usize = 200;

/// The deepest algebra a query may have (groups, unions, optionals, path steps, operators, triple
/// patterns in one group); real queries stay more than ten times below it.
pub const MAX_DEPTH: usize = 1_000;

/// Queries with more nodes than this (a group of triple patterns counting one per pattern) are
/// evaluated without Oxigraph's optimizer (see above).
pub const OPTIMIZE_UP_TO: usize = 200;

/// The stack of a thread that parses and evaluates queries. The costliest level is an operator
/// (Oxigraph builds an expression's evaluator with about 50 KB of stack a level): [`MAX_DEPTH`]
/// of them take about 50 MB, so this leaves a margin of five. Only the pages a query touches are
/// ever mapped.
pub const STACK_SIZE: usize = 256 << 20;

/// Refuses a text whose brackets nest deeper than [`MAX_NESTING`], naming where.
pub fn check_text(text: &str, source: &str) -> Result<()> {
    let mut too_deep = None;
    brackets(text, |offset, depth| {
        if depth > MAX_NESTING {
            too_deep = Some(offset);
            return false;
        }
        true
    });
    if let Some(offset) = too_deep {
        let (line, column) = super::line_col(text, offset);
        bail!(
            "{source}:{line}:{column}: the query nests brackets more than {MAX_NESTING} deep, the most mss-kg takes (see \"Limits\" in the README)"
        );
    }
    Ok(())
}

/// How deep the brackets of a text nest.
pub fn nesting(text: &str) -> usize {
    let mut max = 0;
    brackets(text, |_, depth| {
        max = max.max(depth);
        true
    });
    max
}

/// Calls `opened(offset, depth)` at each opening bracket outside strings, IRIs and comments, until
/// it returns false.
fn brackets(text: &str, mut opened: impl FnMut(usize, usize) -> bool) {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            quote @ (b'"' | b'\'') => {
                i = skip_string(bytes, i, quote);
                continue;
            }
            b'<' => {
                if let Some(end) = iri_end(bytes, i) {
                    i = end;
                    continue;
                }
            }
            b'{' | b'(' | b'[' => {
                depth += 1;
                if !opened(i, depth) {
                    return;
                }
            }
            b'}' | b')' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
}

/// The index after a string that starts at `start` (short or long form, with escapes).
pub(crate) fn skip_string(bytes: &[u8], start: usize, quote: u8) -> usize {
    let long = bytes.get(start + 1) == Some(&quote) && bytes.get(start + 2) == Some(&quote);
    let mut i = start + if long { 3 } else { 1 };
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b if b == quote => {
                if !long {
                    return i + 1;
                }
                if bytes.get(i + 1) == Some(&quote) && bytes.get(i + 2) == Some(&quote) {
                    return i + 3;
                }
                i += 1;
            }
            b'\n' | b'\r' if !long => return i,
            _ => i += 1,
        }
    }
    i
}

/// Where an IRI that starts at `start` ends (after its `>`), if a `<` there opens one: SPARQL's
/// IRIREF holds no spaces, quotes, braces or `<`, which tells it from the less-than operator.
pub(crate) fn iri_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'>' => return Some(i + 1),
            b'<' | b'"' | b'{' | b'}' | b'|' | b'^' | b'`' | b'\\' => return None,
            b if b <= b' ' => return None,
            _ => i += 1,
        }
    }
    None
}

/// A node of the algebra, borrowed.
#[derive(Clone, Copy)]
pub(crate) enum NodeRef<'a> {
    Pattern(&'a GraphPattern),
    Expr(&'a Expression),
    Path(&'a PropertyPathExpression),
}

/// A node of the algebra, owned (for [`teardown`]).
enum Node {
    Pattern(GraphPattern),
    Expr(Expression),
    Path(PropertyPathExpression),
}

/// How many levels a node adds: one, or one per triple pattern for a group of them.
fn weight(node: NodeRef<'_>) -> usize {
    match node {
        NodeRef::Pattern(GraphPattern::Bgp { patterns }) => patterns.len().max(1),
        _ => 1,
    }
}

/// The children of a node (an expression's `EXISTS` pattern among them).
pub(crate) fn children<'a>(node: NodeRef<'a>, out: &mut Vec<NodeRef<'a>>) {
    use NodeRef::{Expr, Path, Pattern};
    match node {
        Pattern(p) => match p {
            GraphPattern::Bgp { .. } | GraphPattern::Values { .. } => {}
            GraphPattern::Path { path, .. } => out.push(Path(path)),
            GraphPattern::Join { left, right }
            | GraphPattern::Union { left, right }
            | GraphPattern::Minus { left, right }
            | GraphPattern::Lateral { left, right } => {
                out.extend([Pattern(left), Pattern(right)]);
            }
            GraphPattern::LeftJoin {
                left,
                right,
                expression,
            } => {
                out.extend([Pattern(left), Pattern(right)]);
                out.extend(expression.as_ref().map(Expr));
            }
            GraphPattern::Filter { expr, inner } => out.extend([Expr(expr), Pattern(inner)]),
            GraphPattern::Extend {
                inner, expression, ..
            } => out.extend([Pattern(inner), Expr(expression)]),
            GraphPattern::OrderBy { inner, expression } => {
                out.push(Pattern(inner));
                out.extend(expression.iter().map(|o| match o {
                    OrderExpression::Asc(e) | OrderExpression::Desc(e) => Expr(e),
                }));
            }
            GraphPattern::Group {
                inner, aggregates, ..
            } => {
                out.push(Pattern(inner));
                out.extend(aggregates.iter().filter_map(|(_, a)| match a {
                    AggregateExpression::FunctionCall { expr, .. } => Some(Expr(expr)),
                    AggregateExpression::CountSolutions { .. } => None,
                }));
            }
            GraphPattern::Graph { inner, .. }
            | GraphPattern::Project { inner, .. }
            | GraphPattern::Distinct { inner }
            | GraphPattern::Reduced { inner }
            | GraphPattern::Slice { inner, .. }
            | GraphPattern::Service { inner, .. } => out.push(Pattern(inner)),
        },
        Expr(e) => match e {
            Expression::NamedNode(_)
            | Expression::Literal(_)
            | Expression::Variable(_)
            | Expression::Bound(_) => {}
            Expression::Or(a, b)
            | Expression::And(a, b)
            | Expression::Equal(a, b)
            | Expression::SameTerm(a, b)
            | Expression::Greater(a, b)
            | Expression::GreaterOrEqual(a, b)
            | Expression::Less(a, b)
            | Expression::LessOrEqual(a, b)
            | Expression::Add(a, b)
            | Expression::Subtract(a, b)
            | Expression::Multiply(a, b)
            | Expression::Divide(a, b) => out.extend([Expr(a), Expr(b)]),
            Expression::In(a, list) => {
                out.push(Expr(a));
                out.extend(list.iter().map(Expr));
            }
            Expression::UnaryPlus(a) | Expression::UnaryMinus(a) | Expression::Not(a) => {
                out.push(Expr(a));
            }
            Expression::Exists(p) => out.push(Pattern(p)),
            Expression::If(a, b, c) => out.extend([Expr(a), Expr(b), Expr(c)]),
            Expression::Coalesce(list) | Expression::FunctionCall(_, list) => {
                out.extend(list.iter().map(Expr));
            }
        },
        Path(p) => match p {
            PropertyPathExpression::NamedNode(_)
            | PropertyPathExpression::NegatedPropertySet(_) => {}
            PropertyPathExpression::Reverse(a)
            | PropertyPathExpression::ZeroOrMore(a)
            | PropertyPathExpression::OneOrMore(a)
            | PropertyPathExpression::ZeroOrOne(a) => out.push(Path(a)),
            PropertyPathExpression::Sequence(a, b) | PropertyPathExpression::Alternative(a, b) => {
                out.extend([Path(a), Path(b)]);
            }
        },
    }
}

/// The depth and size of a pattern.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Shape {
    /// The heaviest path from the pattern to a leaf.
    pub depth: usize,
    /// How many nodes it has.
    pub size: usize,
}

impl Shape {
    fn max(self, other: Self) -> Self {
        Self {
            depth: self.depth.max(other.depth),
            size: self.size.max(other.size),
        }
    }
}

/// The shape of a pattern, found without recursion.
pub fn shape(pattern: &GraphPattern) -> Shape {
    let root = NodeRef::Pattern(pattern);
    let mut stack = vec![(root, weight(root))];
    let mut kids = Vec::new();
    let mut shape = Shape::default();
    while let Some((node, at)) = stack.pop() {
        shape.depth = shape.depth.max(at);
        shape.size += weight(node);
        children(node, &mut kids);
        stack.extend(kids.drain(..).map(|k| (k, at + weight(k))));
    }
    shape
}

/// The pattern of a query, which the evaluator will walk.
fn query_pattern(query: &Query) -> &GraphPattern {
    match query {
        Query::Select { pattern, .. }
        | Query::Construct { pattern, .. }
        | Query::Describe { pattern, .. }
        | Query::Ask { pattern, .. } => pattern,
    }
}

/// The shape of a query's algebra.
pub fn query_shape(query: &Query) -> Shape {
    shape(query_pattern(query))
}

/// The shape of the deepest and of the largest `WHERE` of an update.
pub fn update_shape(update: &Update) -> Shape {
    update
        .operations
        .iter()
        .map(|op| match op {
            GraphUpdateOperation::DeleteInsert { pattern, .. } => shape(pattern),
            _ => Shape::default(),
        })
        .fold(Shape::default(), Shape::max)
}

/// Refuses a parsed query deeper than [`MAX_DEPTH`] (and takes it apart safely).
pub fn check_query(query: Query, source: &str) -> Result<Query> {
    let depth = query_shape(&query).depth;
    if depth > MAX_DEPTH {
        let pattern = match query {
            Query::Select { pattern, .. }
            | Query::Construct { pattern, .. }
            | Query::Describe { pattern, .. }
            | Query::Ask { pattern, .. } => pattern,
        };
        teardown(pattern);
        bail!(too_deep(source, depth));
    }
    Ok(query)
}

/// Refuses a parsed update one of whose patterns is deeper than [`MAX_DEPTH`].
pub fn check_update(update: Update, source: &str) -> Result<Update> {
    let deepest = update_shape(&update).depth;
    if deepest > MAX_DEPTH {
        for op in update.operations {
            if let GraphUpdateOperation::DeleteInsert { pattern, .. } = op {
                teardown(*pattern);
            }
        }
        bail!(too_deep(source, deepest));
    }
    Ok(update)
}

fn too_deep(source: &str, depth: usize) -> String {
    format!(
        "{source}: the query's structure is {depth} levels deep (chains of UNION, OPTIONAL, path steps, operators or triple patterns in one group count a level each), more than the {MAX_DEPTH} mss-kg takes (see \"Limits\" in the README)"
    )
}

/// Drops a pattern of any depth without recursion: each node's children are moved onto a work
/// list before the node itself is dropped, childless.
pub fn teardown(pattern: GraphPattern) {
    let mut stack = vec![Node::Pattern(pattern)];
    while let Some(node) = stack.pop() {
        match node {
            Node::Pattern(p) => take_pattern_children(p, &mut stack),
            Node::Expr(e) => take_expr_children(e, &mut stack),
            Node::Path(p) => match p {
                PropertyPathExpression::NamedNode(_)
                | PropertyPathExpression::NegatedPropertySet(_) => {}
                PropertyPathExpression::Reverse(a)
                | PropertyPathExpression::ZeroOrMore(a)
                | PropertyPathExpression::OneOrMore(a)
                | PropertyPathExpression::ZeroOrOne(a) => stack.push(Node::Path(*a)),
                PropertyPathExpression::Sequence(a, b)
                | PropertyPathExpression::Alternative(a, b) => {
                    stack.extend([Node::Path(*a), Node::Path(*b)]);
                }
            },
        }
    }
}

fn take_pattern_children(p: GraphPattern, out: &mut Vec<Node>) {
    match p {
        GraphPattern::Bgp { .. } | GraphPattern::Values { .. } => {}
        GraphPattern::Path { path, .. } => out.push(Node::Path(path)),
        GraphPattern::Join { left, right }
        | GraphPattern::Union { left, right }
        | GraphPattern::Minus { left, right }
        | GraphPattern::Lateral { left, right } => {
            out.extend([Node::Pattern(*left), Node::Pattern(*right)]);
        }
        GraphPattern::LeftJoin {
            left,
            right,
            expression,
        } => {
            out.extend([Node::Pattern(*left), Node::Pattern(*right)]);
            out.extend(expression.map(Node::Expr));
        }
        GraphPattern::Filter { expr, inner } => {
            out.extend([Node::Expr(expr), Node::Pattern(*inner)]);
        }
        GraphPattern::Extend {
            inner, expression, ..
        } => out.extend([Node::Pattern(*inner), Node::Expr(expression)]),
        GraphPattern::OrderBy { inner, expression } => {
            out.push(Node::Pattern(*inner));
            out.extend(expression.into_iter().map(|o| match o {
                OrderExpression::Asc(e) | OrderExpression::Desc(e) => Node::Expr(e),
            }));
        }
        GraphPattern::Group {
            inner, aggregates, ..
        } => {
            out.push(Node::Pattern(*inner));
            out.extend(aggregates.into_iter().filter_map(|(_, a)| match a {
                AggregateExpression::FunctionCall { expr, .. } => Some(Node::Expr(expr)),
                AggregateExpression::CountSolutions { .. } => None,
            }));
        }
        GraphPattern::Graph { inner, .. }
        | GraphPattern::Project { inner, .. }
        | GraphPattern::Distinct { inner }
        | GraphPattern::Reduced { inner }
        | GraphPattern::Slice { inner, .. }
        | GraphPattern::Service { inner, .. } => out.push(Node::Pattern(*inner)),
    }
}

fn take_expr_children(e: Expression, out: &mut Vec<Node>) {
    match e {
        Expression::NamedNode(_)
        | Expression::Literal(_)
        | Expression::Variable(_)
        | Expression::Bound(_) => {}
        Expression::Or(a, b)
        | Expression::And(a, b)
        | Expression::Equal(a, b)
        | Expression::SameTerm(a, b)
        | Expression::Greater(a, b)
        | Expression::GreaterOrEqual(a, b)
        | Expression::Less(a, b)
        | Expression::LessOrEqual(a, b)
        | Expression::Add(a, b)
        | Expression::Subtract(a, b)
        | Expression::Multiply(a, b)
        | Expression::Divide(a, b) => out.extend([Node::Expr(*a), Node::Expr(*b)]),
        Expression::In(a, list) => {
            out.push(Node::Expr(*a));
            out.extend(list.into_iter().map(Node::Expr));
        }
        Expression::UnaryPlus(a) | Expression::UnaryMinus(a) | Expression::Not(a) => {
            out.push(Node::Expr(*a));
        }
        Expression::Exists(p) => out.push(Node::Pattern(*p)),
        Expression::If(a, b, c) => out.extend([Node::Expr(*a), Node::Expr(*b), Node::Expr(*c)]),
        Expression::Coalesce(list) | Expression::FunctionCall(_, list) => {
            out.extend(list.into_iter().map(Node::Expr));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brackets_in_strings_iris_and_comments_do_not_count() {
        let deep = "{".repeat(MAX_NESTING + 1);
        for text in [
            format!("SELECT * {{ ?s ?p \"{deep}\" }}"),
            format!("SELECT * {{ ?s ?p '''{deep}\n''' }}"),
            format!("SELECT * {{ ?s ?p <http://e/{}> }}", "(".repeat(300)),
            format!("# {deep}\nSELECT * {{}}"),
        ] {
            check_text(&text, "q").unwrap();
        }
        let err = check_text(&format!("SELECT * WHERE {deep}"), "q").unwrap_err();
        assert!(err.to_string().starts_with("q:1:"), "{err}");
        // A less-than is not an IRI: the brackets after it count.
        let text = format!("SELECT * {{ FILTER(?a < {} }}", "(".repeat(MAX_NESTING));
        assert!(check_text(&text, "q").is_err());
    }

    #[test]
    fn depth_counts_chains() {
        let parse = |q: &str| spargebra::SparqlParser::new().parse_query(q).unwrap();
        let union = (0..50)
            .map(|i| format!("{{ ?s ?p {i} }}"))
            .collect::<Vec<_>>()
            .join(" UNION ");
        assert!(query_shape(&parse(&format!("SELECT * {{ {union} }}"))).depth >= 50);
        let bgp = (0..40)
            .map(|i| format!("?s <urn:p{i}> ?o{i} ."))
            .collect::<String>();
        assert!(query_shape(&parse(&format!("SELECT * {{ {bgp} }}"))).depth >= 40);
    }
}
