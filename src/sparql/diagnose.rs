//! When a query or update does not parse, the usual causes, said in words.
//!
//! Issue #21: the parser names what it expected at the point where it gave up, which is rarely
//! what is wrong: an undeclared prefix said `expected GRAPH`, a triple pattern without its object
//! `expected one of LATERAL, SERVICE, [_]`, a missing `.` `expected OPTIONAL`. After a failed
//! parse, the text is tokenized (a light tokenizer: it only needs to find these causes) and
//! checked for them in turn: brackets that do not balance, a prefix not declared, a triple pattern
//! with too few or too many terms. The first found replaces the parser's message; if none is, the
//! parser's stands.

use crate::prefixes;

/// A cause found, and where (a byte offset in the text).
pub struct Cause {
    pub offset: usize,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// An IRI, a prefixed name, a variable, a literal, a blank node label, `a`: one RDF term.
    Term,
    /// A prefixed name (also a term).
    PName,
    /// A word that is not a term: a keyword such as `FILTER`.
    Word,
    /// One punctuation character.
    Punct(u8),
}

#[derive(Debug, Clone)]
struct Token {
    kind: Kind,
    start: usize,
    end: usize,
}

/// The first usual cause found in `text`, which failed to parse at byte `error_at`.
pub fn diagnose(text: &str, error_at: usize) -> Option<Cause> {
    let tokens = tokenize(text);
    brackets(text, &tokens)
        .or_else(|| undeclared_prefix(text, &tokens))
        .or_else(|| triple_patterns(text, &tokens, error_at))
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b >= 0x80
}

fn tokenize(text: &str) -> Vec<Token> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let term = |tokens: &mut Vec<Token>, start, end| {
        tokens.push(Token {
            kind: Kind::Term,
            start,
            end,
        });
    };
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let start = i;
        match b {
            b if b.is_ascii_whitespace() => {
                i += 1;
                continue;
            }
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'"' | b'\'' => {
                i = super::limits::skip_string(bytes, i, b);
                // A language tag or a datatype belongs to the literal.
                if bytes.get(i) == Some(&b'@') {
                    i += 1;
                    while i < bytes.len() && (is_name_byte(bytes[i])) {
                        i += 1;
                    }
                }
                term(&mut tokens, start, i);
                continue;
            }
            b'<' => {
                if let Some(end) = super::limits::iri_end(bytes, i) {
                    i = end;
                    term(&mut tokens, start, i);
                    continue;
                }
            }
            b'?' | b'$' if bytes.get(i + 1).is_some_and(|&n| is_name_byte(n)) => {
                i += 1;
                while i < bytes.len() && is_name_byte(bytes[i]) {
                    i += 1;
                }
                term(&mut tokens, start, i);
                continue;
            }
            b'_' if bytes.get(i + 1) == Some(&b':') => {
                i += 2;
                while i < bytes.len() && (is_name_byte(bytes[i]) || bytes[i] == b'.') {
                    i += 1;
                }
                while bytes[i - 1] == b'.' {
                    i -= 1;
                }
                term(&mut tokens, start, i);
                continue;
            }
            b if b.is_ascii_digit() => {
                i += 1;
                while i < bytes.len()
                    && (bytes[i].is_ascii_digit()
                        || bytes[i] == b'e'
                        || bytes[i] == b'E'
                        || (bytes[i] == b'.' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)))
                {
                    i += 1;
                }
                term(&mut tokens, start, i);
                continue;
            }
            b if is_name_byte(b) || b == b':' => {
                while i < bytes.len() && is_name_byte(bytes[i]) {
                    i += 1;
                }
                if bytes.get(i) == Some(&b':') {
                    // A prefixed name: the local part may hold dots, not at its end.
                    i += 1;
                    while i < bytes.len()
                        && (is_name_byte(bytes[i])
                            || bytes[i] == b':'
                            || bytes[i] == b'%'
                            || bytes[i] == b'\\'
                            || bytes[i] == b'.')
                    {
                        i += 1;
                    }
                    while bytes[i - 1] == b'.' {
                        i -= 1;
                    }
                    tokens.push(Token {
                        kind: Kind::PName,
                        start,
                        end: i,
                    });
                } else {
                    let word = &text[start..i];
                    let kind = if word == "a"
                        || word.eq_ignore_ascii_case("true")
                        || word.eq_ignore_ascii_case("false")
                    {
                        Kind::Term
                    } else {
                        Kind::Word
                    };
                    tokens.push(Token {
                        kind,
                        start,
                        end: i,
                    });
                }
                continue;
            }
            _ => {}
        }
        if b == b'^' && bytes.get(i + 1) == Some(&b'^') {
            // A datatype: `"1"^^xsd:integer` is one term, so drop the marker and the next token
            // joins the literal below.
            i += 2;
            tokens.push(Token {
                kind: Kind::Punct(b'~'),
                start,
                end: i,
            });
            continue;
        }
        // A multi-byte character outside a name: skip it whole.
        let len = text[i..].chars().next().map_or(1, char::len_utf8);
        i += len;
        tokens.push(Token {
            kind: Kind::Punct(b),
            start,
            end: i,
        });
    }
    tokens
}

/// Brackets that do not balance: where the unclosed one opened, or the stray closer.
fn brackets(text: &str, tokens: &[Token]) -> Option<Cause> {
    let mut open: Vec<(u8, usize)> = Vec::new();
    for t in tokens {
        let Kind::Punct(c) = t.kind else { continue };
        match c {
            b'{' | b'(' | b'[' => open.push((c, t.start)),
            b'}' | b')' | b']' => {
                let wanted = match c {
                    b'}' => b'{',
                    b')' => b'(',
                    _ => b'[',
                };
                match open.pop() {
                    Some((o, _)) if o == wanted => {}
                    Some((o, at)) => {
                        return Some(Cause {
                            offset: t.start,
                            message: format!(
                                "'{}' here closes the '{}' opened at {}, which needs '{}' first",
                                c as char,
                                o as char,
                                {
                                    let (line, column) = super::line_col(text, at);
                                    format!("{line}:{column}")
                                },
                                closer(o) as char
                            ),
                        });
                    }
                    None => {
                        return Some(Cause {
                            offset: t.start,
                            message: format!("'{}' here closes nothing", c as char),
                        });
                    }
                }
            }
            _ => {}
        }
    }
    let (o, at) = open.pop()?;
    Some(Cause {
        offset: at,
        message: format!(
            "the '{}' opened here is never closed (add '{}')",
            o as char,
            closer(o) as char
        ),
    })
}

fn closer(open: u8) -> u8 {
    match open {
        b'{' => b'}',
        b'(' => b')',
        _ => b']',
    }
}

/// A prefixed name whose prefix no `PREFIX` declares and mss-kg does not declare either.
fn undeclared_prefix(text: &str, tokens: &[Token]) -> Option<Cause> {
    let prefix_of = |t: &Token| -> &str {
        let name = &text[t.start..t.end];
        &name[..name.find(':').unwrap_or(0)]
    };
    let mut declared: Vec<String> = prefixes::COMMON
        .iter()
        .map(|(p, _)| (*p).to_owned())
        .collect();
    for pair in tokens.windows(2) {
        if pair[0].kind == Kind::Word
            && text[pair[0].start..pair[0].end].eq_ignore_ascii_case("PREFIX")
            && pair[1].kind == Kind::PName
        {
            declared.push(prefix_of(&pair[1]).to_owned());
        }
    }
    let token = tokens
        .iter()
        .find(|t| t.kind == Kind::PName && !declared.iter().any(|d| d == prefix_of(t)))?;
    let prefix = prefix_of(token);
    let mut known: Vec<&str> = declared.iter().map(String::as_str).collect();
    known.sort_unstable();
    known.dedup();
    let close = known
        .iter()
        .map(|k| (strsim::jaro_winkler(prefix, k), *k))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| format!(" (did you mean '{k}:'?)"))
        .unwrap_or_default();
    Some(Cause {
        offset: token.start,
        message: format!(
            "the prefix '{prefix}:' is not declared{close}: declare it with PREFIX {prefix}: <...>; declared are {}",
            known
                .iter()
                .map(|k| format!("{k}:"))
                .collect::<Vec<_>>()
                .join(" ")
        ),
    })
}

/// Keywords that start something other than a triple pattern.
const NOT_TRIPLES: &[&str] = &[
    "FILTER",
    "OPTIONAL",
    "MINUS",
    "BIND",
    "VALUES",
    "GRAPH",
    "SERVICE",
    "UNION",
    "SELECT",
    "CONSTRUCT",
    "DESCRIBE",
    "ASK",
    "WHERE",
    "PREFIX",
    "BASE",
    "FROM",
    "NAMED",
    "INSERT",
    "DELETE",
    "DATA",
    "WITH",
    "USING",
    "LOAD",
    "CLEAR",
    "CREATE",
    "DROP",
    "COPY",
    "MOVE",
    "ADD",
    "TO",
    "INTO",
    "DEFAULT",
    "ALL",
    "SILENT",
    "LATERAL",
    "GROUP",
    "ORDER",
    "HAVING",
    "LIMIT",
    "OFFSET",
    "DISTINCT",
    "REDUCED",
    "AS",
    "BY",
    "ASC",
    "DESC",
];

/// A triple pattern with a subject and a predicate but no object, or two triple patterns with no
/// `.` between them, in a group the parser stopped in or after.
fn triple_patterns(text: &str, tokens: &[Token], error_at: usize) -> Option<Cause> {
    // Statements: runs of tokens inside braces, ended by '.', '{' or '}'. A brace block that
    // follows VALUES holds data, not triples.
    let mut statement: Vec<&Token> = Vec::new();
    let mut blocks: Vec<bool> = Vec::new(); // for each open brace: does it hold triples?
    let mut depth_in_brackets = 0usize;
    let mut found = None;
    for t in tokens {
        if let Kind::Punct(c) = t.kind {
            match c {
                b'(' | b'[' => depth_in_brackets += 1,
                b')' | b']' => depth_in_brackets = depth_in_brackets.saturating_sub(1),
                _ => {}
            }
            if depth_in_brackets == 0 && matches!(c, b'.' | b'{' | b'}') {
                if blocks.last() == Some(&true)
                    && let Some(cause) = check_statement(text, &statement, t.start)
                {
                    found = Some(cause);
                }
                match c {
                    b'{' => blocks.push(!statement.iter().any(|t| {
                        t.kind == Kind::Word && text[t.start..t.end].eq_ignore_ascii_case("VALUES")
                    })),
                    b'}' => {
                        blocks.pop();
                    }
                    _ => {}
                }
                statement.clear();
                if t.start >= error_at {
                    break;
                }
                continue;
            }
        }
        statement.push(t);
    }
    if found.is_none() && blocks.last() == Some(&true) && !statement.is_empty() {
        found = check_statement(text, &statement, text.len());
    }
    found
}

/// How many terms each `;`-separated part of a statement has (a bracketed group is one term).
fn check_statement(text: &str, statement: &[&Token], end: usize) -> Option<Cause> {
    let first = statement.first()?;
    if first.kind == Kind::Word
        && NOT_TRIPLES
            .iter()
            .any(|k| text[first.start..first.end].eq_ignore_ascii_case(k))
    {
        return None;
    }
    if statement.iter().any(|t| t.kind == Kind::Word) {
        return None;
    }
    let mut part = 0;
    let mut terms: Vec<&Token> = Vec::new();
    let mut depth = 0usize;
    let mut joined = false;
    let check = |part: usize, terms: &[&Token], end: usize| -> Option<Cause> {
        let wanted = if part == 0 { 3 } else { 2 };
        if terms.len() + 1 == wanted && (part > 0 || terms.len() == 2) {
            let last = terms.last()?;
            let written = text[terms[0].start..last.end].trim();
            return Some(Cause {
                offset: last.end.min(end),
                message: if part == 0 {
                    format!("the triple pattern '{written}' has no object")
                } else {
                    format!("the predicate '{written}' after ';' has no object")
                },
            });
        }
        if terms.len() > wanted {
            let extra = terms[wanted];
            return Some(Cause {
                offset: extra.start,
                message: format!(
                    "a '.' is missing before '{}': two triple patterns must be separated by '.'",
                    &text[extra.start..extra.end]
                ),
            });
        }
        None
    };
    for t in statement {
        match t.kind {
            Kind::Punct(b'(' | b'[') => {
                if depth == 0 && !std::mem::take(&mut joined) {
                    terms.push(t);
                }
                depth += 1;
            }
            Kind::Punct(b')' | b']') => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            Kind::Punct(b';') => {
                if let Some(cause) = check(part, &terms, t.start) {
                    return Some(cause);
                }
                part += 1;
                terms.clear();
            }
            // An object list: `?s ?p ?a, ?b`: the part is complete, further objects do not count.
            Kind::Punct(b',') => joined = true,
            // Path operators and datatypes join their neighbours into one term; inverse and
            // negation only mark the next one.
            Kind::Punct(b'/' | b'|' | b'~') => joined = true,
            Kind::Punct(b'*' | b'+' | b'?' | b'^' | b'!') => {}
            Kind::Term | Kind::PName => {
                if !std::mem::take(&mut joined) {
                    terms.push(t);
                }
            }
            _ => return None,
        }
    }
    check(part, &terms, end)
}
