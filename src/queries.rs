//! Saved queries: finding them (bundled in the binary, or in a user's folder), reading their grlc
//! header, deriving their parameters from grlc/BASIL variable names, and binding values to those
//! parameters as RDF terms on the parsed query, never by editing the query text.
//!
//! Parameter names follow grlc: `?_name` is required, `?__name` optional; a suffix gives the type:
//! `_iri`, `_integer` (or another XSD type name), `_xsd_date` (prefix and local name of a
//! datatype), or a language tag (`_en`). Without a suffix a value is a plain string.

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
    /// A literal of this datatype, checked against it.
    Datatype(NamedNode),
}

impl std::fmt::Display for ParamType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::String => f.write_str("string"),
            Self::Iri => f.write_str("IRI"),
            Self::Lang(lang) => write!(f, "string@{lang}"),
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

/// XSD type names accepted as a bare suffix (`?_count_integer`).
const XSD_SUFFIXES: &[&str] = &[
    "integer",
    "decimal",
    "double",
    "float",
    "boolean",
    "date",
    "dateTime",
    "gYear",
    "gYearMonth",
    "nonNegativeInteger",
    "positiveInteger",
    "duration",
    "string",
];

/// The parameter a variable name declares, if it is one (`_name...` or `__name...`).
pub fn param_of_variable(variable: &str) -> Option<(String, bool, ParamType)> {
    let (required, rest) = if let Some(rest) = variable.strip_prefix("__") {
        (false, rest)
    } else {
        (true, variable.strip_prefix('_')?)
    };
    let parts: Vec<&str> = rest.split('_').collect();
    if parts.iter().any(|p| p.is_empty()) {
        return None;
    }
    let n = parts.len();
    let (name_parts, kind) = if n >= 2 && parts[n - 1] == "iri" {
        (&parts[..n - 1], ParamType::Iri)
    } else if n >= 3
        && let Some((_, ns)) = prefixes::COMMON.iter().find(|(p, _)| *p == parts[n - 2])
    {
        let kind = ParamType::Datatype(NamedNode::new_unchecked(format!("{ns}{}", parts[n - 1])));
        (&parts[..n - 2], kind)
    } else if n >= 2 && XSD_SUFFIXES.contains(&parts[n - 1]) {
        let kind = if parts[n - 1] == "string" {
            ParamType::String
        } else {
            ParamType::Datatype(NamedNode::new_unchecked(format!("{XSD}{}", parts[n - 1])))
        };
        (&parts[..n - 1], kind)
    } else if n >= 2
        && (2..=3).contains(&parts[n - 1].len())
        && parts[n - 1].chars().all(|c| c.is_ascii_lowercase())
    {
        (&parts[..n - 1], ParamType::Lang(parts[n - 1].to_owned()))
    } else {
        (&parts[..], ParamType::String)
    };
    Some((name_parts.join("_"), required, kind))
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

/// Parses a saved query file's text: its grlc header (`#+ ` lines at the top) and parameters.
pub fn parse(name: &str, origin: Origin, text: &str) -> Result<SavedQuery> {
    let header: String = text
        .lines()
        .take_while(|line| line.starts_with("#+"))
        .map(|line| line.strip_prefix("#+ ").unwrap_or(&line[2..]))
        .collect::<Vec<_>>()
        .join("\n");
    let yaml = if header.trim().is_empty() {
        Yaml::Hash(Default::default())
    } else {
        YamlLoader::load_from_str(&header)
            .map_err(|e| anyhow!("saved query '{name}': invalid header: {e}"))?
            .into_iter()
            .next()
            .unwrap_or(Yaml::Null)
    };
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
    let mut params: Vec<Param> = Vec::new();
    for var in variables(text) {
        let Some((pname, required, kind)) = param_of_variable(&var) else {
            continue;
        };
        if params.iter().any(|p| p.name == pname) {
            bail!("saved query '{name}': parameter '{pname}' is declared by two variables");
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

/// Every saved query: the bundled ones, then those of `user_dir`, which win on a name clash.
/// Sorted by name.
pub fn all(user_dir: Option<&Path>) -> Result<Vec<SavedQuery>> {
    let mut found: BTreeMap<String, SavedQuery> = BTreeMap::new();
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
        for file in crate::files::walk(dir)?
            .into_iter()
            .filter(|f| f.extension().is_some_and(|e| e == "rq"))
        {
            let rel = file.strip_prefix(dir).expect("under dir");
            let name = rel.with_extension("").to_string_lossy().replace('\\', "/");
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read '{}'", file.display()))?;
            found.insert(name.clone(), parse(&name, Origin::File(file), &text)?);
        }
    }
    Ok(found.into_values().collect())
}

/// The saved query called `name`, or an error suggesting the closest names.
pub fn find(user_dir: Option<&Path>, name: &str) -> Result<SavedQuery> {
    let mut all = all(user_dir)?;
    if let Some(i) = all.iter().position(|q| q.name == name) {
        return Ok(all.swap_remove(i));
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
                bail!("unknown parameter '{key}' ({})", expected());
            }
            if values.insert(key, value).is_some() {
                bail!("parameter '{key}' is given twice");
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
                    bail!(
                        "missing required parameter '{}' ({})",
                        param.name,
                        expected()
                    )
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

    #[test]
    fn parameter_names_follow_grlc() {
        let p = |v: &str| param_of_variable(v).map(|(n, r, k)| (n, r, k.to_string()));
        assert_eq!(
            p("_person_iri"),
            Some(("person".into(), true, "IRI".into()))
        );
        assert_eq!(p("__fact_iri"), Some(("fact".into(), false, "IRI".into())));
        assert_eq!(
            p("_count_integer"),
            Some(("count".into(), true, "xsd:integer".into()))
        );
        assert_eq!(
            p("_day_xsd_date"),
            Some(("day".into(), true, "xsd:date".into()))
        );
        assert_eq!(
            p("_label_en"),
            Some(("label".into(), true, "string@en".into()))
        );
        assert_eq!(p("_status"), Some(("status".into(), true, "string".into())));
        assert_eq!(
            p("_country_name"),
            Some(("country_name".into(), true, "string".into()))
        );
        assert_eq!(p("person"), None);
        assert_eq!(p("_"), None);
    }

    #[test]
    fn variables_skip_comments_strings_and_iris() {
        let text =
            "# ?_no\nSELECT ?a WHERE { ?a <http://x/?_no> \"?_no\" . FILTER(?b < 3 && ?c<?d) }";
        assert_eq!(variables(text), ["a", "b", "c", "d"]);
    }

    #[test]
    fn values_are_checked_against_their_type() {
        let (name, required, kind) = param_of_variable("_n_integer").unwrap();
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
