//! `mss-kg mentions FILE`: the known entities a plain-text article names, the names and numbers
//! it cannot place, or (`--skeleton`) a TriG skeleton of its source graph to fill in.

use super::Context;
use crate::cli::MentionsArgs;
use anyhow::{Context as _, Result, anyhow};
use mss_kg::mentions::{self, Gazetteer, Mention, Span};
use mss_kg::output;
use mss_kg::prefixes;
use mss_kg::sparql::Dataset;
use mss_kg::store::Access;
use oxigraph::model::{Literal, NamedNode, NamedOrBlankNode, Term, Variable};
use oxigraph::sparql::{QueryEvaluationError, QueryResults, QuerySolution, QuerySolutionIter};
use std::collections::{BTreeSet, HashSet};
use std::io::{Read, Write};
use std::sync::Arc;

/// The classes whose members name no entity: reported facts (and their subclasses), articles,
/// and the terms of vocabularies.
const NOT_ENTITIES: &str = r#"
SELECT DISTINCT ?class WHERE {
  { ?class rdfs:subClassOf* mss:ReportedFact }
  UNION {
    VALUES ?class { owl:Class rdfs:Class rdf:Property owl:ObjectProperty owl:DatatypeProperty
                    owl:AnnotationProperty skos:Concept skos:ConceptScheme owl:Ontology
                    mss:Article sh:NodeShape }
  }
}
"#;

pub fn run(ctx: &Context, args: MentionsArgs) -> Result<()> {
    if !args.skeleton {
        output::output_format(args.format.as_deref(), None)?;
    }
    let files = articles(&args.files)?;
    if args.skeleton && files.len() != 1 {
        return Err(mss_kg::usage(
            "--skeleton drafts the source graph of one article: give one file",
        ));
    }
    // Read the first article before the graph, so that a missing file fails at once.
    let first = read_text(&files[0])?;
    let backend = ctx.backend.open(Access::Read)?;
    let started = std::time::Instant::now();
    let gazetteer = gazetteer(ctx, &backend)?;
    let indexed = started.elapsed().as_secs_f64();
    let started = std::time::Instant::now();
    if args.skeleton {
        let (text, name) = first;
        let found = gazetteer.find(&text);
        let unplaced = mentions::unplaced_names(&text, &found);
        let numbers = mentions::numbers(&text);
        let entities: BTreeSet<usize> = found
            .iter()
            .flat_map(|m| m.entities.iter().copied())
            .collect();
        let mut out = ctx.printer.stdout();
        skeleton(
            &mut out, &files[0], &text, &gazetteer, &entities, &unplaced, &numbers,
        )?;
        out.flush()?;
        note(
            ctx,
            &name,
            &Counts::of(&found, &unplaced, &numbers),
            &gazetteer,
            None,
        );
        return Ok(());
    }
    // One article: its rows; several: a `file` column first, the articles read one at a time
    // as the rows stream out.
    let several = files.len() > 1;
    let mut columns = vec!["kind", "text", "start", "end", "entity", "label"];
    if several {
        columns.insert(0, "file");
    }
    let variables: Arc<[Variable]> = columns.into_iter().map(Variable::new_unchecked).collect();
    let counts = std::rc::Rc::new(std::cell::RefCell::new(Counts::default()));
    let tally = std::rc::Rc::clone(&counts);
    let g = &gazetteer;
    let mut first = Some(first);
    let rows = files.iter().flat_map(move |path| {
        let read = match first.take() {
            Some(read) => Ok(read),
            None => read_text(path),
        };
        let (text, name) = match read {
            Ok(read) => read,
            Err(e) => {
                let e: Box<dyn std::error::Error + Send + Sync> = format!("{e:#}").into();
                return vec![Err(QueryEvaluationError::Dataset(e))];
            }
        };
        let found = g.find(&text);
        let unplaced = mentions::unplaced_names(&text, &found);
        let numbers = mentions::numbers(&text);
        tally
            .borrow_mut()
            .add(&Counts::of(&found, &unplaced, &numbers));
        rows(g, &found, &unplaced, &numbers)
            .into_iter()
            .map(|mut row| {
                if several {
                    row.insert(0, Some(Literal::new_simple_literal(&name).into()));
                }
                Ok(row)
            })
            .collect()
    });
    let vars = Arc::clone(&variables);
    let solutions = QuerySolutionIter::new(
        variables,
        rows.map(move |row| row.map(|row| QuerySolution::from((Arc::clone(&vars), row)))),
    );
    output::write_results_to(
        QueryResults::Solutions(solutions),
        args.format.as_deref(),
        &ctx.printer,
        None,
    )?;
    let what = if several {
        format!("{} articles", files.len())
    } else {
        files[0].display().to_string()
    };
    let rate = several.then(|| (files.len(), indexed, started.elapsed().as_secs_f64()));
    note(ctx, &what, &counts.borrow(), &gazetteer, rate);
    Ok(())
}

/// The articles named: files, `-`, and the `.txt` files of folders (sorted).
fn articles(paths: &[std::path::PathBuf]) -> Result<Vec<std::path::PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let found: Vec<_> = mss_kg::files::walk(path)?
                .into_iter()
                .filter(|p| p.extension().is_some_and(|e| e == "txt"))
                .collect();
            if found.is_empty() {
                return Err(anyhow!("'{}' holds no .txt article", path.display()));
            }
            files.extend(found);
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

/// The gazetteer of every entity's names in the graph, read straight from the store's indexes
/// (a name property at a time; a name several graphs hold is one name), leaving out the members
/// of [`NOT_ENTITIES`].
fn gazetteer(ctx: &Context, backend: &mss_kg::backend::Backend) -> Result<Gazetteer> {
    let query = mss_kg::sparql::parse_algebra(NOT_ENTITIES, "the classes that are not entities")?;
    let QueryResults::Solutions(solutions) =
        backend.query(query, Dataset::Union, ctx.deadline().as_ref())?
    else {
        unreachable!("a SELECT answers solutions")
    };
    let rdf_type = NamedNode::new_unchecked("http://www.w3.org/1999/02/22-rdf-syntax-ns#type");
    let mut excluded: HashSet<NamedOrBlankNode> = HashSet::new();
    for row in solutions {
        if let Some(class) = row?.get("class") {
            for quad in backend.quads(None, Some(&rdf_type), Some(class), None)? {
                excluded.insert(quad?.subject);
            }
        }
    }
    let mut names = mentions::Builder::default();
    // describe's names of an entity, its search names (skos:hiddenLabel) last; the first given
    // is its label, rdfs:label coming first.
    let search_names = [mss_kg::describe::HIDDEN_LABEL];
    for property in mss_kg::describe::LABEL_PROPERTIES
        .iter()
        .chain(&search_names)
    {
        let property = NamedNode::new_unchecked(*property);
        for quad in backend.quads(None, Some(&property), None, None)? {
            let quad = quad?;
            if let (NamedOrBlankNode::NamedNode(entity), Term::Literal(name)) =
                (&quad.subject, &quad.object)
                && !excluded.contains(&quad.subject)
            {
                names.add(entity.clone(), name.value().to_owned());
            }
        }
    }
    names.build()
}

/// What was found, for the summary.
#[derive(Default)]
struct Counts {
    mentions: usize,
    entities: BTreeSet<usize>,
    names: usize,
    numbers: usize,
}

impl Counts {
    fn of(found: &[Mention], unplaced: &[Span], numbers: &[Span]) -> Self {
        Self {
            mentions: found.len(),
            entities: found
                .iter()
                .flat_map(|m| m.entities.iter().copied())
                .collect(),
            names: unplaced.len(),
            numbers: numbers.len(),
        }
    }

    fn add(&mut self, other: &Counts) {
        self.mentions += other.mentions;
        self.entities.extend(other.entities.iter().copied());
        self.names += other.names;
        self.numbers += other.numbers;
    }
}

/// The summary line; `rate` is (articles, seconds reading the names, seconds matching).
fn note(ctx: &Context, what: &str, c: &Counts, g: &Gazetteer, rate: Option<(usize, f64, f64)>) {
    let s = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let rate = rate.map_or_else(String::new, |(n, indexed, secs)| {
        format!(
            "; names read in {indexed:.2}s, articles matched in {secs:.2}s ({} articles/s)",
            output::per_second(n as u64, secs)
        )
    });
    ctx.printer.note(format!(
        "{what}: {} of {} ({} in the graph), {} and {} to place{rate}",
        s(c.mentions, "mention", "mentions"),
        s(c.entities.len(), "known entity", "known entities"),
        s(g.len(), "name", "names"),
        s(c.names, "name", "names"),
        s(c.numbers, "number", "numbers"),
    ));
}

/// The article's text, from a file or standard input (`-`).
fn read_text(path: &std::path::Path) -> Result<(String, String)> {
    let mut bytes = Vec::new();
    let name = if path.as_os_str() == "-" {
        std::io::stdin()
            .read_to_end(&mut bytes)
            .context("cannot read standard input")?;
        "<stdin>".to_owned()
    } else {
        std::fs::File::open(path)
            .and_then(|mut f| f.read_to_end(&mut bytes))
            .with_context(|| format!("cannot read '{}'", path.display()))?;
        path.display().to_string()
    };
    let text = String::from_utf8(bytes).map_err(|e| {
        anyhow!(
            "{name}: not UTF-8 text (byte {})",
            e.utf8_error().valid_up_to()
        )
    })?;
    Ok((text.trim_start_matches('\u{feff}').to_owned(), name))
}

type Row = Vec<Option<Term>>;

/// One row per mention (per entity it may name), per unplaced name and per number, in text order.
fn rows(g: &Gazetteer, found: &[Mention], unplaced: &[Span], numbers: &[Span]) -> Vec<Row> {
    let lit = |s: &str| Some(Term::from(Literal::new_simple_literal(s)));
    let int = |n: usize| Some(Term::from(Literal::from(n as i64)));
    let mut rows: Vec<(usize, u8, Row)> = Vec::new();
    for m in found {
        for &e in &m.entities {
            let (entity, label) = g.entity(e);
            rows.push((
                m.span.start,
                0,
                vec![
                    lit("entity"),
                    lit(&m.span.text),
                    int(m.span.start),
                    int(m.span.end),
                    Some(entity.clone().into()),
                    lit(label),
                ],
            ));
        }
    }
    for (kind, order, spans) in [("name", 1, unplaced), ("number", 2, numbers)] {
        for s in spans {
            rows.push((
                s.start,
                order,
                vec![
                    lit(kind),
                    lit(&s.text),
                    int(s.start),
                    int(s.end),
                    None,
                    None,
                ],
            ));
        }
    }
    rows.sort_by_key(|(start, order, _)| (*start, *order));
    rows.into_iter().map(|(_, _, row)| row).collect()
}

/// A few words of the text around a span, on one line, for a comment.
fn context_of(text: &str, span: &Span) -> String {
    let chars: Vec<char> = text.chars().collect();
    let from = chars[..span.start]
        .iter()
        .rposition(|c| c.is_whitespace())
        .map_or(0, |i| {
            // Three words before.
            let mut at = i;
            for _ in 0..3 {
                at = chars[..at]
                    .iter()
                    .rposition(|c| c.is_whitespace())
                    .unwrap_or(0);
            }
            at
        });
    let to = (span.end..chars.len())
        .filter(|&i| chars[i].is_whitespace())
        .nth(3)
        .unwrap_or(chars.len());
    chars[from..to]
        .iter()
        .map(|c| if c.is_whitespace() { ' ' } else { *c })
        .collect::<String>()
        .trim()
        .to_owned()
}

/// A TriG skeleton of the new source: its graph, the article's metadata to fill in, a
/// `schema:mentions` per entity found, and a commented stub per unplaced name and number.
fn skeleton(
    out: &mut dyn Write,
    file: &std::path::Path,
    text: &str,
    g: &Gazetteer,
    entities: &BTreeSet<usize>,
    unplaced: &[Span],
    numbers: &[Span],
) -> Result<()> {
    let file_name = file.file_name().map_or_else(
        || "NNN_0000000000000000.txt".to_owned(),
        |f| f.to_string_lossy().into_owned(),
    );
    let stem = file_name.strip_suffix(".txt").unwrap_or(&file_name);
    let number = stem.split('_').next().unwrap_or(stem);
    let graph = NamedNode::new(format!("{}{stem}", prefixes::SRC))
        .with_context(|| format!("'{file_name}' does not make a source IRI"))?;
    let graph = prefixes::compact(graph.as_str());
    for (p, ns) in [
        ("mss", prefixes::MSS),
        ("mssr", prefixes::MSSR),
        ("src", prefixes::SRC),
        ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
        ("xsd", "http://www.w3.org/2001/XMLSchema#"),
        ("schema", "http://schema.org/"),
        ("prov", "http://www.w3.org/ns/prov#"),
        ("dcterms", "http://purl.org/dc/terms/"),
    ] {
        writeln!(out, "@prefix {p}: <{ns}> .")?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "# What source {number} ({file_name}) reports. A skeleton from `mss-kg mentions --skeleton`:"
    )?;
    writeln!(
        out,
        "# fill in the TODOs, turn the stubs below into facts (or delete them), then"
    )?;
    writeln!(out, "# `mss-kg validate` this file and `mss-kg load` it.")?;
    writeln!(out, "{graph} {{")?;
    writeln!(out, "    {graph} a mss:Article ;")?;
    writeln!(out, "        mss:fileName \"{file_name}\" ;")?;
    writeln!(
        out,
        "        rdfs:label \"Source {number}: TODO what it reports\"@en ;"
    )?;
    writeln!(out, "        schema:headline \"TODO the headline\"@en ;")?;
    writeln!(
        out,
        "        dcterms:bibliographicCitation \"{number} (TODO publication date)\" ;"
    )?;
    writeln!(out, "        mss:publishedNotBefore \"TODO\"^^xsd:date ;")?;
    if entities.is_empty() {
        writeln!(out, "        schema:about mssr:mss .")?;
    } else {
        writeln!(out, "        schema:about mssr:mss ;")?;
        for (i, &e) in entities.iter().enumerate() {
            let (entity, label) = g.entity(e);
            let end = if i + 1 == entities.len() { "." } else { "," };
            let lead = if i == 0 {
                "        schema:mentions "
            } else {
                "            "
            };
            let label = label.replace('\n', " ");
            writeln!(
                out,
                "{lead}{}{end}  # {label}",
                prefixes::compact(entity.as_str())
            )?;
        }
    }
    if !unplaced.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "    # Names the graph does not know yet: a new entity (in data/entities.ttl), an alias of"
        )?;
        writeln!(
            out,
            "    # a known one (skos:altLabel), or nothing to record."
        )?;
        let mut seen = BTreeSet::new();
        for s in unplaced {
            if seen.insert(s.text.clone()) {
                writeln!(
                    out,
                    "    # mssr:TODO rdfs:label \"{}\"@en .  # at {}",
                    s.text, s.start
                )?;
            }
        }
    }
    if !numbers.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "    # Numbers the article states: each a sourced fact (a figure, deployment, pledge,"
        )?;
        writeln!(
            out,
            "    # amount, date...) or a line in the numbers left out, with the reason."
        )?;
        for s in numbers {
            writeln!(
                out,
                "    # mssr:TODO a mss:Figure ; prov:wasDerivedFrom {graph} ; schema:value {} .  # at {}: \"{}\"",
                s.text,
                s.start,
                context_of(text, s)
            )?;
        }
    }
    writeln!(out, "}}")?;
    Ok(())
}
