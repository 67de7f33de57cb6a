//! Saved queries: finding them (bundled in the binary, or in a user's folder), reading their grlc
//! header, deriving their parameters from grlc/BASIL variable names, and binding values to those
//! parameters as RDF terms on the parsed query, never by editing the query text.
//!
//! Parameter names follow grlc (its `gquery.py`): `?_name` is required, `?__name` optional, the
//! name has no `_`; a suffix gives the type: `_iri`, `_number` (a SPARQL numeric literal),
//! `_literal` or `_string` (a plain string), `_integer` (or another XSD type name), `_xsd_date`
//! (prefix and local name of a datatype), or a two-letter language tag (`_en`). Without one, a
//! value is a plain string. Query files are `.rq` and `.sparql`; a header that is not YAML is
//! read as JSON, and failing that the query runs without it, with a warning.

use crate::bundle;
use crate::prefixes;
use anyhow::{Context, Result, anyhow, bail};
use oxigraph::model::{Literal, NamedNode, Term, Variable};
use spargebra::algebra::GraphPattern;
use spargebra::term::GroundTerm;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use yaml_rust2::{Yaml, YamlLoader};

/// Where a saved query comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Shipped inside the binary (`queries/` of the crate).
    Bundled,
    /// A file of the user's `--queries` folder.
    File(PathBuf),
}

/// A saved query, with its documentation and parameters.
#[derive(Debug, Clone)]
pub struct SavedQuery {
    /// What `run` takes: the path under `queries/` without `.rq` (`people/offices`).
    pub name: String,
    pub origin: Origin,
    pub text: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub tags: Vec<String>,
    /// grlc's `#+ endpoint:`: where the query runs unless `--endpoint` or `--local` says.
    pub endpoint: Option<String>,
    /// grlc's `#+ endpoint-method:` (GET or POST), how the query travels to its endpoint.
    pub method: Option<String>,
    pub params: Vec<Param>,
    /// mss-kg's `#+ if-empty:`: what to do when the query answers no rows (a step it needs first).
    pub if_empty: Option<String>,
    /// grlc decorators the header gives that mss-kg does not act on (`pagination`, ...).
    pub ignored: Vec<String>,
    /// What was wrong with the header, if it could not be read (the query runs without it).
    pub warning: Option<String>,
}

/// A query file that cannot be used, and why (`file:line: message`).
#[derive(Debug, Clone)]
pub struct Broken {
    pub name: String,
    pub error: String,
}

/// Every saved query that can be used, and the files that cannot.
#[derive(Debug, Default)]
pub struct Catalog {
    pub queries: Vec<SavedQuery>,
    pub broken: Vec<Broken>,
}

/// The type of values a parameter takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamType {
    /// A plain string literal.
    String,
    /// An IRI (full, `<...>`, or prefixed with one of the common prefixes).
    Iri,
    /// A string literal with this language tag.
    Lang(String),
    /// A SPARQL numeric literal: `42` (xsd:integer), `4.2` (xsd:decimal), `4.2e1` (xsd:double).
    Number,
    /// A literal of this datatype, checked against it.
    Datatype(NamedNode),
}

impl std::fmt::Display for ParamType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::String => f.write_str("string"),
            Self::Iri => f.write_str("IRI"),
            Self::Lang(lang) => write!(f, "string@{lang}"),
            Self::Number => f.write_str("number"),
            Self::Datatype(dt) => f.write_str(&prefixes::compact(dt.as_str())),
        }
    }
}

/// A parameter of a saved query.
#[derive(Debug, Clone)]
pub struct Param {
    /// What `--param` takes (`person` for `?_person_iri`).
    pub name: String,
    /// The variable it binds.
    pub variable: Variable,
    pub required: bool,
    pub kind: ParamType,
    /// From `#+ defaults:`.
    pub default: Option<String>,
    /// From `#+ enumerate:`: the only values allowed, when not empty.
    pub allowed: Vec<String>,
}

impl Param {
    /// `person (IRI, optional, default mssr:godfrey-otunge)`, for messages and listings.
    pub fn describe(&self) -> String {
        let mut text = format!(
            "{} ({}, {}",
            self.name,
            self.kind,
            if self.required {
                "required"
            } else {
                "optional"
            }
        );
        if let Some(default) = &self.default {
            text.push_str(&format!(", default {default}"));
        }
        if !self.allowed.is_empty() {
            text.push_str(&format!(", one of: {}", self.allowed.join(", ")));
        }
        text.push(')');
        text
    }

    /// The RDF term for `value`, or why it is not one of this parameter's type.
    pub fn term(&self, value: &str) -> Result<Term> {
        let term: Term = match &self.kind {
            ParamType::String => Literal::new_simple_literal(value).into(),
            ParamType::Lang(lang) => Literal::new_language_tagged_literal(value, lang)
                .map_err(|e| anyhow!("invalid language tag '{lang}': {e}"))?
                .into(),
            ParamType::Iri => NamedNode::new(expand_iri(value))
                .map_err(|e| anyhow!("'{value}' is not a valid IRI ({e})"))?
                .into(),
            ParamType::Number => number(value)?.into(),
            ParamType::Datatype(datatype) => {
                check_lexical(value, datatype)?;
                Literal::new_typed_literal(value, datatype.clone()).into()
            }
        };
        if !self.allowed.is_empty() {
            let allowed = self.allowed.iter().any(|a| {
                a == value || (self.kind == ParamType::Iri && expand_iri(a) == expand_iri(value))
            });
            if !allowed {
                bail!(
                    "'{value}' is not one of the allowed values: {}",
                    self.allowed.join(", ")
                );
            }
        }
        Ok(term)
    }
}

/// `mssr:x` to its full IRI with the common prefixes; `<iri>` to `iri`; anything else unchanged.
pub fn expand_iri(value: &str) -> String {
    let value = value.trim();
    if let Some(inner) = value.strip_prefix('<').and_then(|v| v.strip_suffix('>')) {
        return inner.to_owned();
    }
    if let Some((prefix, local)) = value.split_once(':')
        && let Some((_, ns)) = prefixes::COMMON.iter().find(|(p, _)| *p == prefix)
        && !local.starts_with("//")
    {
        return format!("{ns}{local}");
    }
    value.to_owned()
}

const XSD: &str = "http://www.w3.org/2001/XMLSchema#";

/// A SPARQL numeric literal's term: INTEGER, DECIMAL or DOUBLE, signed, as the grammar says.
fn number(value: &str) -> Result<Literal> {
    let digits = value.strip_prefix(['+', '-']).unwrap_or(value);
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let (mantissa, exponent) = match digits.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e.strip_prefix(['+', '-']).unwrap_or(e))),
        None => (digits, None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        Some((whole, fraction)) => {
            (whole.is_empty() || all_digits(whole))
                && (all_digits(fraction)
                    || exponent.is_some() && fraction.is_empty() && all_digits(whole))
        }
        None => all_digits(mantissa),
    };
    let datatype = match exponent {
        _ if !mantissa_ok => None,
        Some(e) if all_digits(e) => Some("double"),
        Some(_) => None,
        None if mantissa.contains('.') => Some("decimal"),
        None => Some("integer"),
    };
    let Some(datatype) = datatype else {
        bail!("'{value}' is not a number (e.g. 42, -4.2 or 4.2e1)");
    };
    Ok(Literal::new_typed_literal(
        value,
        NamedNode::new_unchecked(format!("{XSD}{datatype}")),
    ))
}

/// Checks a value against the lexical space of the XSD types Oxigraph knows.
fn check_lexical(value: &str, datatype: &NamedNode) -> Result<()> {
    use oxsdatatypes::*;
    let Some(local) = datatype.as_str().strip_prefix(XSD) else {
        return Ok(()); // a datatype we cannot check: taken as given
    };
    let ok = match local {
        "integer" | "long" | "int" | "short" | "byte" => Integer::from_str(value).is_ok(),
        "nonNegativeInteger" | "positiveInteger" | "unsignedLong" | "unsignedInt" => {
            Integer::from_str(value)
                .is_ok_and(|i| i >= Integer::from(i64::from(local == "positiveInteger")))
        }
        "decimal" => Decimal::from_str(value).is_ok(),
        "double" => Double::from_str(value).is_ok(),
        "float" => Float::from_str(value).is_ok(),
        "boolean" => Boolean::from_str(value).is_ok(),
        "date" => Date::from_str(value).is_ok(),
        "dateTime" => DateTime::from_str(value).is_ok(),
        "gYear" => GYear::from_str(value).is_ok(),
        "gYearMonth" => GYearMonth::from_str(value).is_ok(),
        "duration" => Duration::from_str(value).is_ok(),
        _ => true,
    };
    if ok {
        Ok(())
    } else {
        bail!("'{value}' is not a valid xsd:{local}")
    }
}

/// XSD type names accepted as a bare suffix (`?_count_integer`): grlc's list.
const XSD_SUFFIXES: &[&str] = &[
    "decimal",
    "float",
    "double",
    "integer",
    "positiveInteger",
    "negativeInteger",
    "nonPositiveInteger",
    "nonNegativeInteger",
    "long",
    "int",
    "short",
    "byte",
    "unsignedLong",
    "unsignedInt",
    "unsignedShort",
    "unsignedByte",
    "dateTime",
    "date",
    "gYearMonth",
    "gYear",
    "duration",
    "gMonthDay",
    "gDay",
    "gMonth",
    "string",
    "normalizedString",
    "token",
    "language",
    "NMTOKEN",
    "NMTOKENS",
    "Name",
    "NCName",
    "ID",
    "IDREFS",
    "ENTITY",
    "ENTITIES",
    "QName",
    "boolean",
    "hexBinary",
    "base64Binary",
    "anyURI",
    "notation",
];

/// The parameter a variable name declares, if it is one, read as grlc reads it: the pattern
/// `(_{1,2})([^_]+)_?([a-zA-Z0-9]+)?_?([a-zA-Z0-9]+)?.*` gives required-ness, name, type and a
/// datatype's local name; anything after those is ignored. `namespace` gives a datatype prefix's
/// IRI (the query's own `PREFIX`es, then the common ones).
pub fn param_of_variable(
    variable: &str,
    namespace: &dyn Fn(&str) -> Option<String>,
) -> Option<Result<(String, bool, ParamType)>> {
    let (required, rest) = match variable.strip_prefix("__") {
        Some(rest) => (false, rest),
        None => (true, variable.strip_prefix('_')?),
    };
    let mut parts = rest.split('_');
    let name = parts.next().filter(|n| !n.is_empty())?;
    let alnum = |p: &&str| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric());
    let kind = parts.next().filter(alnum);
    let user = kind.and_then(|_| parts.next().filter(alnum));
    let kind = match kind {
        None => ParamType::String,
        Some("iri") => ParamType::Iri,
        Some("number") => ParamType::Number,
        Some("literal" | "string") => ParamType::String,
        Some(t) if XSD_SUFFIXES.contains(&t) => {
            ParamType::Datatype(NamedNode::new_unchecked(format!("{XSD}{t}")))
        }
        Some(t) if t.len() == 2 => ParamType::Lang(t.to_ascii_lowercase()),
        Some(prefix) => match user {
            Some(local) => match namespace(prefix) {
                Some(ns) => match NamedNode::new(format!("{ns}{local}")) {
                    Ok(datatype) => ParamType::Datatype(datatype),
                    Err(e) => {
                        return Some(Err(anyhow!(
                            "?{variable}: {prefix}:{local} is no IRI ({e})"
                        )));
                    }
                },
                None => {
                    return Some(Err(anyhow!(
                        "?{variable}: the datatype's prefix '{prefix}:' is not declared"
                    )));
                }
            },
            None => ParamType::String,
        },
    };
    Some(Ok((name.to_owned(), required, kind)))
}

/// The `PREFIX name: <iri>` declarations of a SPARQL text.
fn declared_prefixes(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    // ASCII upper-casing keeps byte offsets: the keyword found in one is at the same place in
    // the other.
    let upper = text.to_ascii_uppercase();
    for (at, _) in upper.match_indices("PREFIX") {
        let rest = &text[at + 6..];
        let Some((name, after)) = rest.trim_start().split_once(':') else {
            break;
        };
        let after = after.trim_start();
        if let Some(iri) = after.strip_prefix('<').and_then(|a| a.split_once('>')) {
            let name = name.trim();
            if name
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
            {
                out.push((name.to_owned(), iri.0.to_owned()));
            }
        }
    }
    out
}

/// The variables of a SPARQL text, in order of first appearance, skipping comments, strings and
/// IRIs.
fn variables(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '#' => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '<' if chars
                .get(i + 1)
                .is_some_and(|c| !c.is_whitespace() && *c != '=') =>
            {
                // An IRI, or a comparison: an IRI ends at '>' before any whitespace.
                let start = i;
                i += 1;
                while i < chars.len() && chars[i] != '>' && !chars[i].is_whitespace() {
                    i += 1;
                }
                if chars.get(i) != Some(&'>') {
                    i = start;
                }
            }
            quote @ ('"' | '\'') => {
                let long = chars.get(i + 1) == Some(&quote) && chars.get(i + 2) == Some(&quote);
                i += if long { 3 } else { 1 };
                while i < chars.len() {
                    if chars[i] == '\\' {
                        i += 1;
                    } else if chars[i] == quote
                        && (!long
                            || (chars.get(i + 1) == Some(&quote)
                                && chars.get(i + 2) == Some(&quote)))
                    {
                        i += if long { 2 } else { 0 };
                        break;
                    }
                    i += 1;
                }
            }
            '?' | '$' => {
                let start = i + 1;
                let mut end = start;
                while end < chars.len() && (chars[end].is_alphanumeric() || chars[end] == '_') {
                    end += 1;
                }
                if end > start {
                    let name: String = chars[start..end].iter().collect();
                    if !out.contains(&name) {
                        out.push(name);
                    }
                }
                i = end.max(i + 1) - 1;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// The decorators mss-kg acts on; grlc's others are listed as ignored.
const ACTED_ON: &[&str] = &[
    "summary",
    "description",
    "tags",
    "defaults",
    "enumerate",
    "endpoint",
    "endpoint-method",
    // mss-kg's own: what to tell a user whom the query answers with no rows.
    "if-empty",
];

/// The header's YAML (or JSON, as grlc also reads it), or why it is neither: a message naming
/// the line of the file.
fn read_header(lines: &[(usize, &str)]) -> std::result::Result<Yaml, String> {
    let header = lines.iter().map(|(_, l)| *l).collect::<Vec<_>>().join("\n");
    if header.trim().is_empty() {
        return Ok(Yaml::Hash(Default::default()));
    }
    // A line of the header to a line of the file; past the end (YAML found the header
    // unfinished) to its last line.
    let file_line = |header_line: usize| {
        lines
            .get(header_line.clamp(1, lines.len()) - 1)
            .map_or(header_line, |(n, _)| *n)
    };
    let yaml_error = match YamlLoader::load_from_str(&header) {
        Ok(docs) => return Ok(docs.into_iter().next().unwrap_or(Yaml::Null)),
        Err(e) => e,
    };
    if let Ok(json) = serde_json::from_str::<serde_json::Value>(&header) {
        return Ok(yaml_of_json(json));
    }
    let marker = yaml_error.marker();
    Err(format!(
        "{}: the header is neither YAML nor JSON ({}); its decorators are ignored",
        file_line(marker.line()),
        yaml_error.info()
    ))
}

fn yaml_of_json(value: serde_json::Value) -> Yaml {
    use serde_json::Value;
    match value {
        Value::Null => Yaml::Null,
        Value::Bool(b) => Yaml::Boolean(b),
        Value::Number(n) if n.is_i64() => Yaml::Integer(n.as_i64().unwrap_or_default()),
        Value::Number(n) => Yaml::Real(n.to_string()),
        Value::String(s) => Yaml::String(s),
        Value::Array(items) => Yaml::Array(items.into_iter().map(yaml_of_json).collect()),
        Value::Object(map) => Yaml::Hash(
            map.into_iter()
                .map(|(k, v)| (Yaml::String(k), yaml_of_json(v)))
                .collect(),
        ),
    }
}

/// Parses a saved query file's text: its grlc header (`#+ ` lines) and parameters. A header that
/// cannot be read leaves the query without metadata, with a warning (as grlc does); a query whose
/// parameters cannot be made sense of is an error.
pub fn parse(name: &str, origin: Origin, text: &str) -> Result<SavedQuery> {
    // grlc reads every `#+` line as the header; each keeps its line number for messages.
    let lines: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .filter(|(_, line)| line.starts_with("#+"))
        .map(|(i, line)| (i + 1, line.strip_prefix("#+ ").unwrap_or(&line[2..])))
        .collect();
    let (yaml, warning) = match read_header(&lines) {
        Ok(Yaml::Hash(hash)) => (Yaml::Hash(hash), None),
        Ok(Yaml::Null) => (Yaml::Hash(Default::default()), None),
        Ok(_) => (
            Yaml::Hash(Default::default()),
            Some(format!(
                "{}: the header is not a map of decorators; it is ignored",
                lines.first().map_or(1, |(n, _)| *n)
            )),
        ),
        Err(message) => (Yaml::Hash(Default::default()), Some(message)),
    };
    let ignored: Vec<String> = yaml
        .as_hash()
        .map(|hash| {
            hash.keys()
                .filter_map(scalar)
                .filter(|k| !ACTED_ON.contains(&k.as_str()))
                .collect()
        })
        .unwrap_or_default();
    let string = |key: &str| yaml[key].as_str().map(|s| s.trim().to_owned());
    let tags = match &yaml["tags"] {
        Yaml::Array(items) => items.iter().filter_map(scalar).collect(),
        other => scalar(other).into_iter().collect(),
    };
    let defaults: BTreeMap<String, String> = pairs(&yaml["defaults"])
        .into_iter()
        .filter_map(|(k, v)| Some((k, scalar(&v)?)))
        .collect();
    let enumerate: BTreeMap<String, Vec<String>> = pairs(&yaml["enumerate"])
        .into_iter()
        .map(|(k, v)| {
            let values = match &v {
                Yaml::Array(items) => items.iter().filter_map(scalar).collect(),
                other => scalar(other).into_iter().collect(),
            };
            (k, values)
        })
        .collect();
    let declared = declared_prefixes(text);
    let namespace = |prefix: &str| {
        declared
            .iter()
            .find(|(p, _)| p == prefix)
            .map(|(_, ns)| ns.clone())
            .or_else(|| {
                prefixes::COMMON
                    .iter()
                    .find(|(p, _)| *p == prefix)
                    .map(|(_, ns)| (*ns).to_owned())
            })
    };
    let mut params: Vec<Param> = Vec::new();
    for var in variables(text) {
        let Some(found) = param_of_variable(&var, &namespace) else {
            continue;
        };
        let (pname, required, kind) = found.with_context(|| format!("saved query '{name}'"))?;
        if let Some(other) = params.iter().find(|p| p.name == pname) {
            bail!(
                "saved query '{name}': parameter '{pname}' is declared by two variables, ?{} and ?{var}",
                other.variable.as_str()
            );
        }
        let default = defaults.get(&pname).cloned();
        params.push(Param {
            variable: Variable::new(&var).map_err(|e| anyhow!("{e}"))?,
            required: required && default.is_none(),
            allowed: enumerate.get(&pname).cloned().unwrap_or_default(),
            default,
            kind,
            name: pname,
        });
    }
    for key in defaults.keys().chain(enumerate.keys()) {
        if !params.iter().any(|p| &p.name == key) {
            bail!(
                "saved query '{name}': the header names '{key}', which is not a parameter of the query"
            );
        }
    }
    for param in &params {
        if let Some(default) = &param.default {
            param
                .term(default)
                .with_context(|| format!("saved query '{name}': default of '{}'", param.name))?;
        }
    }
    Ok(SavedQuery {
        name: name.to_owned(),
        origin,
        text: text.to_owned(),
        summary: string("summary"),
        description: string("description"),
        tags,
        endpoint: string("endpoint"),
        method: string("endpoint-method"),
        params,
        if_empty: string("if-empty"),
        ignored,
        warning,
    })
}

fn scalar(yaml: &Yaml) -> Option<String> {
    match yaml {
        Yaml::String(s) | Yaml::Real(s) => Some(s.clone()),
        Yaml::Integer(i) => Some(i.to_string()),
        Yaml::Boolean(b) => Some(b.to_string()),
        _ => None,
    }
}

/// grlc writes `defaults` and `enumerate` as a list of one-key maps; a plain map is accepted too.
fn pairs(yaml: &Yaml) -> Vec<(String, Yaml)> {
    let from_hash = |hash: &yaml_rust2::yaml::Hash| {
        hash.iter()
            .filter_map(|(k, v)| Some((scalar(k)?, v.clone())))
            .collect::<Vec<_>>()
    };
    match yaml {
        Yaml::Hash(hash) => from_hash(hash),
        Yaml::Array(items) => items
            .iter()
            .filter_map(|item| item.as_hash().map(from_hash))
            .flatten()
            .collect(),
        _ => Vec::new(),
    }
}

/// The extensions of query files, as grlc has them.
const QUERY_EXTENSIONS: &[&str] = &["rq", "sparql"];

/// Every saved query: the bundled ones, then those of `user_dir` (`.rq` and `.sparql` files),
/// which win on a name clash; sorted by name. A file that cannot be used is set apart in
/// `broken`, with why; the others are all there.
pub fn catalog(user_dir: Option<&Path>) -> Result<Catalog> {
    let mut found: BTreeMap<String, SavedQuery> = BTreeMap::new();
    let mut broken: BTreeMap<String, Broken> = BTreeMap::new();
    for (path, text, _) in bundle::files() {
        if let Some(rel) = path.strip_prefix("queries/")
            && let Some(name) = rel.strip_suffix(".rq")
        {
            found.insert(name.to_owned(), parse(name, Origin::Bundled, text)?);
        }
    }
    if let Some(dir) = user_dir {
        if !dir.is_dir() {
            bail!("--queries '{}' is not a folder", dir.display());
        }
        let mut own: BTreeMap<String, PathBuf> = BTreeMap::new();
        for file in crate::files::walk(dir)?.into_iter().filter(|f| {
            f.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| QUERY_EXTENSIONS.contains(&e))
        }) {
            let rel = file.strip_prefix(dir).expect("under dir");
            let name = rel.with_extension("").to_string_lossy().replace('\\', "/");
            let fail = |error: String| Broken {
                name: name.clone(),
                error,
            };
            if let Some(first) = own.get(&name) {
                broken.insert(
                    format!("{name}\u{0}{}", file.display()),
                    fail(format!(
                        "{}: query '{name}' is also in '{}', which is used",
                        file.display(),
                        first.display()
                    )),
                );
                continue;
            }
            own.insert(name.clone(), file.clone());
            let parsed = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read '{}'", file.display()))
                .and_then(|text| parse(&name, Origin::File(file.clone()), &text));
            match parsed {
                Ok(query) => {
                    found.insert(name, query);
                }
                Err(e) => {
                    found.remove(&name);
                    broken.insert(name.clone(), fail(format!("{}: {e:#}", file.display())));
                }
            }
        }
    }
    Ok(Catalog {
        queries: found.into_values().collect(),
        broken: broken.into_values().collect(),
    })
}

/// Every saved query that can be used (see [`catalog`]).
pub fn all(user_dir: Option<&Path>) -> Result<Vec<SavedQuery>> {
    Ok(catalog(user_dir)?.queries)
}

/// The saved query called `name`; an error saying what is wrong with its file if it cannot be
/// used, or suggesting the closest names if there is none.
pub fn find(user_dir: Option<&Path>, name: &str) -> Result<SavedQuery> {
    let Catalog {
        queries: mut all,
        broken,
    } = catalog(user_dir)?;
    if let Some(i) = all.iter().position(|q| q.name == name) {
        return Ok(all.swap_remove(i));
    }
    if let Some(b) = broken.iter().find(|b| b.name == name) {
        bail!("{}", b.error);
    }
    let names: Vec<&str> = all.iter().map(|q| q.name.as_str()).collect();
    let close = closest(name, &names);
    if close.is_empty() {
        bail!("unknown saved query '{name}' (`mss-kg queries` lists them)")
    }
    bail!(
        "unknown saved query '{name}' (did you mean {}?)",
        close
            .iter()
            .map(|n| format!("'{n}'"))
            .collect::<Vec<_>>()
            .join(" or ")
    )
}

/// Up to three names close to `wanted`: containing it, or similar by Jaro-Winkler.
pub fn closest<'a>(wanted: &str, names: &[&'a str]) -> Vec<&'a str> {
    let wanted = wanted.to_lowercase();
    let mut scored: Vec<(f64, &str)> = names
        .iter()
        .map(|n| {
            let lower = n.to_lowercase();
            let score = if lower.contains(&wanted) || wanted.contains(&lower) {
                1.0
            } else {
                // The whole name, or one of its words (`deploymnts` for `kenya-deployments`).
                lower
                    .split(['-', '_', '/'])
                    .chain([lower.as_str()])
                    .map(|part| strsim::jaro_winkler(&wanted, part))
                    .fold(0.0, f64::max)
            };
            (score, *n)
        })
        .filter(|(score, _)| *score >= 0.8)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored.into_iter().take(3).map(|(_, n)| n).collect()
}

impl SavedQuery {
    /// How the query travels to its `#+ endpoint:`: grlc's `endpoint-method`, GET or POST.
    pub fn endpoint_method(&self) -> Result<crate::backend::QueryMethod> {
        use crate::backend::QueryMethod;
        match self
            .method
            .as_deref()
            .map(str::to_ascii_uppercase)
            .as_deref()
        {
            None | Some("POST") => Ok(QueryMethod::Post),
            Some("GET") => Ok(QueryMethod::Get),
            Some(other) => bail!(
                "saved query '{}': endpoint-method '{other}' is neither GET nor POST",
                self.name
            ),
        }
    }

    /// Whether `param` names the endpoint of a `SERVICE` (`SERVICE ?_endpoint_iri {...}`): an
    /// endpoint, not an entity of the graph.
    pub fn names_a_service(&self, param: &Param) -> bool {
        let upper = self.text.to_ascii_uppercase();
        let variable = param.variable.as_str().to_ascii_uppercase();
        upper.match_indices("SERVICE").any(|(at, _)| {
            let rest = upper[at + "SERVICE".len()..].trim_start();
            let rest = rest.strip_prefix("SILENT").map_or(rest, str::trim_start);
            rest.strip_prefix(['?', '$'])
                .and_then(|r| r.strip_prefix(variable.as_str()))
                .is_some_and(|r| !r.starts_with(|c: char| c.is_alphanumeric() || c == '_'))
        })
    }

    /// `name (type, required) , ...` or `none`.
    pub fn describe_params(&self) -> String {
        if self.params.is_empty() {
            return "none".to_owned();
        }
        self.params
            .iter()
            .map(Param::describe)
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// The terms to bind, from `name=value` pairs and the defaults; checks every value.
    pub fn bindings(&self, given: &[(String, String)]) -> Result<Vec<(Variable, Term)>> {
        let expected = || format!("parameters of '{}': {}", self.name, self.describe_params());
        let mut values: BTreeMap<&str, &str> = BTreeMap::new();
        for (key, value) in given {
            if !self.params.iter().any(|p| &p.name == key) {
                return Err(crate::usage(format!(
                    "unknown parameter '{key}' ({})",
                    expected()
                )));
            }
            if values.insert(key, value).is_some() {
                return Err(crate::usage(format!("parameter '{key}' is given twice")));
            }
        }
        let mut out = Vec::new();
        for param in &self.params {
            let value = values
                .get(param.name.as_str())
                .copied()
                .or(param.default.as_deref());
            match value {
                Some(value) => {
                    let term = param
                        .term(value)
                        .with_context(|| format!("parameter '{}' ({})", param.name, expected()))?;
                    out.push((param.variable.clone(), term));
                }
                None if param.required => {
                    return Err(crate::usage(format!(
                        "missing required parameter '{}' ({})",
                        param.name,
                        expected()
                    )));
                }
                None => {} // an optional parameter not given stays unbound
            }
        }
        Ok(out)
    }

    /// The query parsed with the common prefixes and the union default graph, its parameters
    /// bound as RDF terms.
    ///
    /// The values are joined into the query's WHERE pattern as a one-row `VALUES` block, on the
    /// parsed algebra: no text is ever edited, and the query sees each parameter bound as if
    /// `VALUES (?p ...) { (value ...) }` ended its WHERE clause, inside its FILTERs and BINDs.
    /// (Oxigraph's own pre-binding, SPARQL-dev SEP-0007, needs the variable in the result, and
    /// its optimizer then takes `BOUND(?p)` for false.)
    pub fn algebra(&self, given: &[(String, String)]) -> Result<spargebra::Query> {
        let bindings = self.bindings(given)?;
        let source = match &self.origin {
            Origin::Bundled => format!("queries/{}.rq", self.name),
            Origin::File(path) => path.display().to_string(),
        };
        let mut query = crate::sparql::parse_algebra(&self.text, &source)?;
        if !bindings.is_empty() {
            let pattern = crate::sparql::pattern_mut(&mut query);
            let (variables, row): (Vec<Variable>, Vec<Option<GroundTerm>>) = bindings
                .into_iter()
                .map(|(variable, term)| (variable, Some(ground(term))))
                .unzip();
            bind_services(pattern, &variables, &row);
            join_values(pattern, variables, row);
        }
        // Ties of its ORDER BY broken by every column: the same rows in the same order each run.
        Ok(crate::sparql::order::total_order(query))
    }
}

fn ground(term: Term) -> GroundTerm {
    match term {
        Term::NamedNode(n) => GroundTerm::NamedNode(n),
        Term::Literal(l) => GroundTerm::Literal(l),
        // Parameters are IRIs or literals only.
        other => unreachable!("parameter bound to {other}"),
    }
}

/// Names the endpoint of each `SERVICE ?param { ... }` whose variable a parameter binds: a service
/// is called before the rest of the query binds anything, so the VALUES join cannot name it.
fn bind_services(pattern: &mut GraphPattern, variables: &[Variable], row: &[Option<GroundTerm>]) {
    use spargebra::term::NamedNodePattern;
    match pattern {
        GraphPattern::Service { name, inner, .. } => {
            if let NamedNodePattern::Variable(v) = name
                && let Some(Some(GroundTerm::NamedNode(iri))) =
                    variables.iter().position(|x| x == v).map(|i| &row[i])
            {
                *name = NamedNodePattern::NamedNode(iri.clone());
            }
            bind_services(inner, variables, row);
        }
        GraphPattern::Join { left, right }
        | GraphPattern::LeftJoin { left, right, .. }
        | GraphPattern::Union { left, right }
        | GraphPattern::Minus { left, right } => {
            bind_services(left, variables, row);
            bind_services(right, variables, row);
        }
        GraphPattern::Filter { inner, .. }
        | GraphPattern::Graph { inner, .. }
        | GraphPattern::Extend { inner, .. }
        | GraphPattern::OrderBy { inner, .. }
        | GraphPattern::Project { inner, .. }
        | GraphPattern::Distinct { inner }
        | GraphPattern::Reduced { inner }
        | GraphPattern::Slice { inner, .. }
        | GraphPattern::Group { inner, .. } => bind_services(inner, variables, row),
        _ => {}
    }
}

/// Joins `VALUES (variables) { (row) }` at the top of the WHERE pattern: below the solution
/// modifiers, the grouping and the group's FILTERs and BINDs.
fn join_values(pattern: &mut GraphPattern, variables: Vec<Variable>, row: Vec<Option<GroundTerm>>) {
    match pattern {
        GraphPattern::Slice { inner, .. }
        | GraphPattern::Distinct { inner }
        | GraphPattern::Reduced { inner }
        | GraphPattern::Project { inner, .. }
        | GraphPattern::OrderBy { inner, .. }
        | GraphPattern::Group { inner, .. }
        | GraphPattern::Extend { inner, .. }
        | GraphPattern::Filter { inner, .. } => join_values(inner, variables, row),
        other => {
            let values = GraphPattern::Values {
                variables,
                bindings: vec![row],
            };
            let rest = std::mem::replace(
                other,
                GraphPattern::Bgp {
                    patterns: Vec::new(),
                },
            );
            *other = GraphPattern::Join {
                left: Box::new(values),
                right: Box::new(rest),
            };
        }
    }
}

/// `name=value` as given to `--param`.
pub fn parse_param(arg: &str) -> Result<(String, String), String> {
    match arg.split_once('=') {
        Some((name, value)) if !name.is_empty() => Ok((name.trim().to_owned(), value.to_owned())),
        _ => Err(format!("'{arg}' is not of the form name=value")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn common(prefix: &str) -> Option<String> {
        prefixes::COMMON
            .iter()
            .find(|(p, _)| *p == prefix)
            .map(|(_, ns)| (*ns).to_owned())
    }

    #[test]
    fn parameter_names_follow_grlc() {
        let p = |v: &str| {
            param_of_variable(v, &common).map(|r| {
                let (n, r, k) = r.unwrap();
                (n, r, k.to_string())
            })
        };
        let some = |n: &str, r: bool, k: &str| Some((n.to_owned(), r, k.to_owned()));
        assert_eq!(p("_person_iri"), some("person", true, "IRI"));
        assert_eq!(p("__fact_iri"), some("fact", false, "IRI"));
        assert_eq!(p("_count_number"), some("count", true, "number"));
        assert_eq!(p("_name_literal"), some("name", true, "string"));
        assert_eq!(p("_name_string"), some("name", true, "string"));
        assert_eq!(p("_count_integer"), some("count", true, "xsd:integer"));
        assert_eq!(p("_flag_boolean"), some("flag", true, "xsd:boolean"));
        assert_eq!(p("_n_unsignedShort"), some("n", true, "xsd:unsignedShort"));
        assert_eq!(p("_day_xsd_date"), some("day", true, "xsd:date"));
        assert_eq!(p("_label_en"), some("label", true, "string@en"));
        assert_eq!(p("_status"), some("status", true, "string"));
        // The name stops at the first `_`; an unknown type word is a string, as in grlc.
        assert_eq!(p("_country_name"), some("country", true, "string"));
        assert_eq!(p("_label_fra"), some("label", true, "string"));
        assert_eq!(p("_day_xsd_date_ignored"), some("day", true, "xsd:date"));
        assert_eq!(p("person"), None);
        assert_eq!(p("_"), None);
        assert_eq!(p("___x"), None);
        assert!(param_of_variable("_d_nope_date", &common).unwrap().is_err());
    }

    #[test]
    fn numbers_are_sparql_numeric_literals() {
        for (value, datatype) in [
            ("42", "integer"),
            ("-7", "integer"),
            ("+3", "integer"),
            ("4.2", "decimal"),
            (".5", "decimal"),
            ("4.2e1", "double"),
            ("1E-3", "double"),
            ("5.e2", "double"),
        ] {
            let literal = number(value).unwrap();
            assert_eq!(literal.value(), value);
            assert_eq!(literal.datatype().as_str(), format!("{XSD}{datatype}"));
        }
        for bad in [
            "",
            "4.",
            "e3",
            "1e",
            "4 2",
            "0x10",
            "1) } UNION { ?s ?p ?o",
            "NaN",
        ] {
            assert!(number(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_header_is_yaml_or_json_or_ignored_with_a_warning() {
        let q = parse(
            "q",
            Origin::Bundled,
            "#+ summary: S\n#+ pagination: 10\n#+ transform: {a: b}\nSELECT * {}",
        )
        .unwrap();
        assert_eq!(q.summary.as_deref(), Some("S"));
        assert_eq!(q.ignored, ["pagination", "transform"]);
        assert!(q.warning.is_none());
        let q = parse(
            "q",
            Origin::Bundled,
            "#+ {\"summary\": \"J\", \"tags\": [\"a\"],\n#+  \"method\": \"GET\"}\nSELECT * {}",
        )
        .unwrap();
        assert_eq!(q.summary.as_deref(), Some("J"));
        assert_eq!(q.tags, ["a"]);
        assert_eq!(q.ignored, ["method"]);
        let q = parse(
            "q",
            Origin::Bundled,
            "# a comment\n#+ summary: fine\n#+ tags: [unclosed\nSELECT ?_x_iri {}",
        )
        .unwrap();
        assert!(q.summary.is_none());
        let warning = q.warning.unwrap();
        assert!(warning.starts_with("3: "), "{warning}");
        assert_eq!(q.params.len(), 1, "the query still has its parameters");
    }

    #[test]
    fn a_datatype_prefix_may_be_the_querys_own() {
        let q = parse(
            "q",
            Origin::Bundled,
            "PREFIX cur: <http://example.org/dt#>\nSELECT * { ?s ?p ?_v_cur_money }",
        )
        .unwrap();
        assert_eq!(
            q.params[0].kind.to_string(),
            "<http://example.org/dt#money>"
        );
    }

    /// Issue #19: binding a hostile value never changes the shape of a query: the algebra with
    /// the value bound is the algebra with a harmless value of the same type bound, the term
    /// aside. Every bundled query, every parameter, every value its type accepts.
    #[test]
    fn a_bound_value_never_changes_the_shape_of_the_query() {
        let attacks = [
            "x\" } ; DROP ALL ; #",
            "> } UNION { ?s ?p ?o",
            "https://w3id.org/mss-kg/id/kenya> } UNION { ?s ?p ?o } #",
            "http://x/\\u003E } UNION { ?s ?p ?o",
            "x\"@en-US } UNION { ?s ?p ?o } #",
            "1\"^^<http://www.w3.org/2001/XMLSchema#integer> } UNION { ?s ?p ?o }",
            "\\u0022 } UNION { ?s ?p ?o } #",
            "\u{22}) } UNION { ?s ?p ?o } #",
            "a\n} UNION {\n?s ?p ?o",
            "urn:x:a",
            "42",
            "2025-02-06",
            "deployed",
        ];
        let harmless = |kind: &ParamType| match kind {
            ParamType::Iri => "urn:x:harmless",
            ParamType::Number => "7",
            ParamType::Datatype(dt) if dt.as_str().ends_with("date") => "2000-01-01",
            ParamType::Datatype(_) => "7",
            ParamType::String | ParamType::Lang(_) => "harmless",
        };
        // The parser names aggregates with random variables: numbered in order instead.
        let shape = |text: &str| -> String {
            let mut out = String::new();
            let mut names: Vec<String> = Vec::new();
            let mut rest = text;
            while let Some(at) = rest.find('?') {
                out.push_str(&rest[..=at]);
                rest = &rest[at + 1..];
                let len = rest.chars().take_while(|c| c.is_ascii_hexdigit()).count();
                // (A 128-bit name in hexadecimal, leading zeros dropped.)
                if len >= 24 {
                    let name = rest[..len].to_owned();
                    let n = names.iter().position(|x| *x == name).unwrap_or_else(|| {
                        names.push(name);
                        names.len() - 1
                    });
                    out.push_str(&format!("aggregate{n}"));
                    rest = &rest[len..];
                }
            }
            out.push_str(rest);
            out
        };
        let mut checked = 0;
        let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
        let collections = [
            all(None).unwrap(),
            all(Some(Path::new(&format!("{fixtures}/grlc")))).unwrap(),
            all(Some(Path::new(&format!("{fixtures}/grlc-rules")))).unwrap(),
        ];
        for saved in collections.into_iter().flatten() {
            for param in &saved.params {
                let bind = |value: &str| {
                    let mut given: Vec<(String, String)> = saved
                        .params
                        .iter()
                        .filter(|p| p.required && p.name != param.name && p.default.is_none())
                        .map(|p| (p.name.clone(), harmless(&p.kind).to_owned()))
                        .collect();
                    given.push((param.name.clone(), value.to_owned()));
                    saved.algebra(&given)
                };
                let Ok(reference) = bind(harmless(&param.kind)) else {
                    continue; // an enumerated parameter: its own values only
                };
                let reference_term = param.term(harmless(&param.kind)).unwrap().to_string();
                for attack in attacks {
                    let Ok(term) = param.term(attack) else {
                        continue; // refused as not of the type: nothing to bind
                    };
                    let Ok(bound) = bind(attack) else { continue };
                    assert_eq!(
                        shape(
                            &bound
                                .to_string()
                                .replace(&term.to_string(), "\u{1}TERM\u{1}")
                        ),
                        shape(
                            &reference
                                .to_string()
                                .replace(&reference_term, "\u{1}TERM\u{1}")
                        ),
                        "{} {}={attack:?} changed the query",
                        saved.name,
                        param.name
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 40, "{checked}");
    }

    #[test]
    fn variables_skip_comments_strings_and_iris() {
        let text =
            "# ?_no\nSELECT ?a WHERE { ?a <http://x/?_no> \"?_no\" . FILTER(?b < 3 && ?c<?d) }";
        assert_eq!(variables(text), ["a", "b", "c", "d"]);
    }

    #[test]
    fn values_are_checked_against_their_type() {
        let (name, required, kind) = param_of_variable("_n_integer", &common).unwrap().unwrap();
        let param = Param {
            name,
            variable: Variable::new_unchecked("_n_integer"),
            required,
            kind,
            default: None,
            allowed: vec![],
        };
        assert!(param.term("42").is_ok());
        assert!(param.term("4 2").is_err());
        assert!(param.term("1 } UNION { ?s ?p ?o").is_err());
    }

    #[test]
    fn prefixed_and_bracketed_iris_expand() {
        assert_eq!(expand_iri("mssr:kenya"), "https://w3id.org/mss-kg/id/kenya");
        assert_eq!(expand_iri("<http://x/y>"), "http://x/y");
        assert_eq!(expand_iri("http://x/y"), "http://x/y");
    }
}
