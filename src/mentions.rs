//! What a plain-text article talks about: every known entity it names, found by label and alias
//! with one multi-pattern automaton (aho-corasick, leftmost-longest) over the text folded as
//! `describe` folds names (case, accents, punctuation and spacing aside); and the capitalised
//! names and numbers it cannot place, as candidates for new entities and figures.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Input, MatchKind};
use anyhow::{Context, Result};
use hashbrown::HashTable;
use oxigraph::model::NamedNode;
use unicode_normalization::UnicodeNormalization;

/// The names of the known entities, folded, in one automaton.
pub struct Gazetteer {
    automaton: AhoCorasick,
    /// For each pattern, the entities (indexes into `entities`) that bear the name.
    bearers: Vec<Vec<usize>>,
    /// Each entity and the label it is shown with.
    entities: Vec<(NamedNode, String)>,
}

/// A stretch of the text: character offsets, end exclusive, and the text as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// A name of the text that names known entities (several when they share the name).
#[derive(Debug, Clone)]
pub struct Mention {
    pub span: Span,
    pub entities: Vec<usize>,
}

/// Gathers the names of a [`Gazetteer`] one at a time, so that they need not all be held twice.
pub struct Builder {
    hasher: hashbrown::DefaultHashBuilder,
    entity_index: HashTable<usize>,
    entities: Vec<(NamedNode, String)>,
    pattern_index: HashTable<usize>,
    patterns: Vec<String>,
    bearers: Vec<Vec<usize>>,
}

impl Default for Builder {
    fn default() -> Self {
        Self {
            hasher: hashbrown::DefaultHashBuilder::default(),
            entity_index: HashTable::new(),
            entities: Vec::new(),
            pattern_index: HashTable::new(),
            patterns: Vec::new(),
            bearers: Vec::new(),
        }
    }
}

impl Builder {
    /// Adds a name of `entity`; its first name given is its label (give `rdfs:label`s first).
    /// Names that fold to nothing are skipped. Each IRI and each folded name is held once.
    pub fn add(&mut self, entity: NamedNode, name: String) {
        let folded = crate::names::normalize(&name);
        if folded.is_empty() {
            return;
        }
        let hasher = &self.hasher;
        let hash = |s: &str| std::hash::BuildHasher::hash_one(hasher, s);
        let entities = &mut self.entities;
        let h = hash(entity.as_str());
        let e = match self.entity_index.find(h, |&i| entities[i].0 == entity) {
            Some(&i) => i,
            None => {
                entities.push((entity, name));
                let i = entities.len() - 1;
                self.entity_index
                    .insert_unique(h, i, |&j| hash(entities[j].0.as_str()));
                i
            }
        };
        let patterns = &mut self.patterns;
        let h = hash(&folded);
        let p = match self.pattern_index.find(h, |&i| patterns[i] == folded) {
            Some(&i) => i,
            None => {
                patterns.push(folded);
                self.bearers.push(Vec::new());
                let i = patterns.len() - 1;
                self.pattern_index
                    .insert_unique(h, i, |&j| hash(&patterns[j]));
                i
            }
        };
        if !self.bearers[p].contains(&e) {
            self.bearers[p].push(e);
        }
    }

    /// The automaton over every name added.
    pub fn build(self) -> Result<Gazetteer> {
        let Self {
            entities,
            patterns,
            bearers,
            ..
        } = self;
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)
            .context("cannot build the name matcher")?;
        drop(patterns);
        release_freed_memory();
        Ok(Gazetteer {
            automaton,
            bearers,
            entities,
        })
    }
}

/// Hands the memory freed while building back (glibc's `malloc_trim`): after a million small
/// allocations have come and gone, glibc's allocator serves the matching that follows about 3
/// times slower than jemalloc or mimalloc would (benches/RESULTS.md, "mentions"). A custom global allocator would avoid it, but
/// Oxigraph 0.5 frees RocksDB's C error strings with Rust's allocator, which must stay malloc.
fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        unsafe extern "C" {
            fn malloc_trim(pad: usize) -> i32;
        }
        // SAFETY: malloc_trim only returns free memory to the system; it takes no pointer.
        unsafe {
            malloc_trim(0);
        }
    }
}

impl Gazetteer {
    /// Builds the automaton from `(entity, name)` pairs (see [`Builder::add`]).
    pub fn new(names: impl IntoIterator<Item = (NamedNode, String)>) -> Result<Self> {
        let mut builder = Builder::default();
        for (entity, name) in names {
            builder.add(entity, name);
        }
        builder.build()
    }

    pub fn entity(&self, index: usize) -> &(NamedNode, String) {
        &self.entities[index]
    }

    pub fn len(&self) -> usize {
        self.bearers.len()
    }

    pub fn is_empty(&self) -> bool {
        self.bearers.is_empty()
    }

    /// Every mention of a known name in `text`, in text order: the longest name at each place,
    /// whole words only.
    pub fn find(&self, text: &str) -> Vec<Mention> {
        FOLDED.with_borrow_mut(|folded| self.find_in(text, folded))
    }

    fn find_in(&self, text: &str, folded: &mut Folded) -> Vec<Mention> {
        folded.fill(text);
        let hay = folded.text.as_bytes();
        let mut found = Vec::new();
        let mut at = 0;
        while at < hay.len() {
            let Some(m) = self.automaton.find(Input::new(hay).span(at..hay.len())) else {
                break;
            };
            let whole = (m.start() == 0 || hay[m.start() - 1] == b' ')
                && (m.end() == hay.len() || hay[m.end()] == b' ');
            if whole {
                found.push(Mention {
                    span: folded.span(text, m.start(), m.end()),
                    entities: self.bearers[m.pattern().as_usize()].clone(),
                });
                at = m.end();
            } else {
                // Inside a longer word: look again from the next character.
                at = m.start()
                    + folded.text[m.start()..]
                        .chars()
                        .next()
                        .map_or(1, char::len_utf8);
            }
        }
        found
    }
}

// Buffers kept from one article to the next: allocating them afresh for each was most of the
// time of matching, once a million names had fragmented glibc's heap.
thread_local! {
    static FOLDED: std::cell::RefCell<Folded> = std::cell::RefCell::new(Folded::default());
    static CHARS: std::cell::RefCell<Vec<char>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// A text folded as names are ([`crate::names::normalize`] without dropping articles), each
/// byte mapped back to the character it came from.
#[derive(Default)]
struct Folded {
    text: String,
    /// For each byte of `text`, the offset of its character in the original text.
    origin: Vec<usize>,
    /// For each character of the original text, its byte offset; then the text's length.
    bytes: Vec<usize>,
}

impl Folded {
    /// Folds `original` into this buffer, replacing what it held.
    fn fill(&mut self, original: &str) {
        let Self {
            text,
            origin,
            bytes,
        } = self;
        text.clear();
        origin.clear();
        bytes.clear();
        for (i, (at, c)) in original.char_indices().enumerate() {
            bytes.push(at);
            for d in std::iter::once(c)
                .nfd()
                .filter(|d| !unicode_normalization::char::is_combining_mark(*d))
            {
                for l in d.to_lowercase() {
                    let l = if l.is_alphanumeric() { l } else { ' ' };
                    if l == ' ' && (text.is_empty() || text.ends_with(' ')) {
                        continue;
                    }
                    let before = text.len();
                    text.push(l);
                    origin.extend(std::iter::repeat_n(i, text.len() - before));
                }
            }
        }
        bytes.push(original.len());
    }

    /// The original span of folded bytes `start..end`.
    fn span(&self, original: &str, start: usize, end: usize) -> Span {
        let first = self.origin[start];
        let last = self.origin[end - 1];
        let text = original[self.bytes[first]..self.bytes[last + 1]].to_owned();
        Span {
            start: first,
            end: last + 1,
            text,
        }
    }
}

/// Words that start a sentence without naming anything.
fn sentence_word(word: &str) -> bool {
    const COMMON: &[&str] = &[
        "A",
        "An",
        "The",
        "In",
        "On",
        "At",
        "As",
        "By",
        "For",
        "From",
        "Of",
        "To",
        "With",
        "He",
        "She",
        "It",
        "They",
        "We",
        "I",
        "His",
        "Her",
        "Its",
        "Their",
        "This",
        "That",
        "These",
        "Those",
        "But",
        "And",
        "Or",
        "So",
        "If",
        "When",
        "While",
        "After",
        "Before",
        "Since",
        "According",
        "Meanwhile",
        "However",
        "Earlier",
        "Later",
        "Last",
        "Some",
        "Many",
        "Most",
        "More",
        "One",
        "Two",
        "Three",
        "There",
        "Here",
        "What",
        "Who",
        "Why",
        "How",
        "Despite",
        "Although",
        "Other",
        "Such",
        "Now",
        "Still",
        "Also",
        "Among",
        "Under",
        "Over",
    ];
    COMMON.contains(&word)
}

/// Months and days: dates, which the numbers beside them stand for.
const CALENDAR: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// Words that may join the capitalised words of one name ("Ministry of Justice").
const JOINERS: &[&str] = &[
    "of", "the", "de", "du", "des", "la", "le", "and", "for", "on",
];

/// Runs of capitalised words that no mention covers: candidates for new entities. A single
/// word opening a sentence is left out when it is a common one ("The", "According").
pub fn unplaced_names(text: &str, mentions: &[Mention]) -> Vec<Span> {
    CHARS.with_borrow_mut(|chars| {
        chars.clear();
        chars.extend(text.chars());
        unplaced_names_in(text, chars, mentions)
    })
}

fn unplaced_names_in(text: &str, chars: &[char], mentions: &[Mention]) -> Vec<Span> {
    // Words with their character offsets, and whether each opens a sentence (nothing but
    // quotes and brackets since a full stop, a colon, or the start of its line), in one pass.
    struct Word {
        start: usize,
        end: usize,
        text: String,
        opens: bool,
    }
    let mut words: Vec<Word> = Vec::new();
    let mut current: Option<Word> = None;
    let mut last_mark: Option<char> = None;
    let mut line_blank = true;
    let mut count = 0;
    for (i, c) in text.chars().enumerate() {
        count = i + 1;
        if c.is_alphanumeric() || ((c == '-' || c == '\'' || c == '’') && current.is_some()) {
            if current.is_none() {
                let opens =
                    line_blank || last_mark.is_none_or(|m| matches!(m, '.' | '!' | '?' | ':'));
                current = Some(Word {
                    start: i,
                    end: i,
                    text: String::new(),
                    opens,
                });
            }
            current.as_mut().expect("a word").text.push(c);
        } else if let Some(mut w) = current.take() {
            w.end = i;
            words.push(w);
        }
        if c == '\n' {
            line_blank = true;
        } else if !c.is_whitespace() {
            line_blank = false;
            if !matches!(c, '"' | '“' | '‘' | '(' | '\'') {
                last_mark = Some(c);
            }
        }
    }
    if let Some(mut w) = current.take() {
        w.end = count;
        words.push(w);
    }
    // Mentions come in text order and do not overlap: one pointer walks them.
    let mut next_mention = 0;
    let mut covered = |start: usize, end: usize| {
        while next_mention < mentions.len() && mentions[next_mention].span.end <= start {
            next_mention += 1;
        }
        next_mention < mentions.len() && mentions[next_mention].span.start < end
    };
    let capitalised = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
    let mut found = Vec::new();
    let mut i = 0;
    while i < words.len() {
        // A common word opening a sentence ("The", "According") starts no name.
        if !capitalised(&words[i].text) || (words[i].opens && sentence_word(&words[i].text)) {
            i += 1;
            continue;
        }
        // Extend over capitalised words and joiners followed by a capitalised word.
        let mut j = i + 1;
        loop {
            if j < words.len()
                && capitalised(&words[j].text)
                && gap_is_space(chars, words[j - 1].end, words[j].start)
            {
                j += 1;
                continue;
            }
            let mut k = j;
            while k < words.len()
                && JOINERS.contains(&words[k].text.as_str())
                && gap_is_space(chars, words[k - 1].end, words[k].start)
            {
                k += 1;
            }
            // One joiner only: "Ministry of Justice", but "Jean Dupont of the Ministry" is two.
            if k == j + 1
                && k < words.len()
                && capitalised(&words[k].text)
                && gap_is_space(chars, words[k - 1].end, words[k].start)
            {
                j = k + 1;
                continue;
            }
            break;
        }
        let (start, end) = (words[i].start, words[j - 1].end);
        let lone_opening = j == i + 1 && words[i].opens && words[i].text.chars().count() < 3;
        let lone_letter = j == i + 1 && words[i].text.chars().count() < 2;
        let calendar = j == i + 1 && CALENDAR.contains(&words[i].text.as_str());
        if !covered(start, end) && !lone_opening && !lone_letter && !calendar {
            found.push(Span {
                start,
                end,
                text: chars[start..end].iter().collect(),
            });
        }
        i = j;
    }
    found
}

fn gap_is_space(chars: &[char], end: usize, start: usize) -> bool {
    chars[end..start].iter().all(|c| *c == ' ')
}

/// Number words, for the numbers an article writes out.
const NUMBER_WORDS: &[&str] = &[
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
    "hundred",
    "hundreds",
    "thousand",
    "thousands",
    "million",
    "millions",
    "billion",
    "billions",
    "dozen",
    "dozens",
];

/// The numbers of a text: digits (with `,` and `.` inside: `1,000`, `40.7`, and a scale word
/// after them: `40.7 million`) and number words (`two`, `twenty-one`).
pub fn numbers(text: &str) -> Vec<Span> {
    CHARS.with_borrow_mut(|chars| {
        chars.clear();
        chars.extend(text.chars());
        numbers_in(chars)
    })
}

fn numbers_in(chars: &[char]) -> Vec<Span> {
    let mut found = Vec::new();
    let mut i = 0;
    let is_word_char = |c: char| c.is_alphanumeric();
    while i < chars.len() {
        let starts_word = i == 0 || !is_word_char(chars[i - 1]);
        if chars[i].is_ascii_digit() && starts_word {
            let mut j = i;
            while j < chars.len()
                && (chars[j].is_ascii_digit()
                    || (matches!(chars[j], ',' | '.')
                        && chars.get(j + 1).is_some_and(char::is_ascii_digit)))
            {
                j += 1;
            }
            // "40.7 million"
            let rest: String = chars[j..chars.len().min(j + 10)].iter().collect();
            for scale in [" million", " billion", " thousand"] {
                if rest.to_lowercase().starts_with(scale)
                    && chars.get(j + scale.len()).is_none_or(|c| !is_word_char(*c))
                {
                    j += scale.len();
                    break;
                }
            }
            found.push(Span {
                start: i,
                end: j,
                text: chars[i..j].iter().collect(),
            });
            i = j;
            continue;
        }
        if chars[i].is_alphabetic() && starts_word {
            let mut j = i;
            while j < chars.len() && (chars[j].is_alphabetic() || chars[j] == '-') {
                j += 1;
            }
            let word: String = chars[i..j].iter().collect::<String>().to_lowercase();
            if !word.is_empty() && word.split('-').all(|w| NUMBER_WORDS.contains(&w)) {
                found.push(Span {
                    start: i,
                    end: j,
                    text: chars[i..j].iter().collect(),
                });
            }
            i = j.max(i + 1);
            continue;
        }
        i += 1;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gazetteer(names: &[(&str, &str)]) -> Gazetteer {
        Gazetteer::new(names.iter().map(|(iri, name)| {
            (
                NamedNode::new(format!("http://example.org/{iri}")).unwrap(),
                (*name).to_owned(),
            )
        }))
        .unwrap()
    }

    #[test]
    fn names_are_found_folded_longest_first_whole_words_with_offsets() {
        let g = gazetteer(&[
            ("hnp", "Haitian National Police"),
            ("hnp", "HNP"),
            ("haiti", "Haiti"),
            ("pap", "Port-au-Prince"),
            ("ruto", "William Ruto"),
        ]);
        let text = "In Port au Prince, the HAITIAN  National Police (HNP) met Wílliam\nRuto; Haitians said.";
        let found = g.find(text);
        let shown: Vec<(&str, usize, usize)> = found
            .iter()
            .map(|m| {
                (
                    g.entity(m.entities[0])
                        .0
                        .as_str()
                        .rsplit('/')
                        .next()
                        .unwrap(),
                    m.span.start,
                    m.span.end,
                )
            })
            .collect();
        assert_eq!(
            shown,
            [
                ("pap", 3, 17),
                ("hnp", 23, 47),
                ("hnp", 49, 52),
                ("ruto", 58, 70)
            ],
            "{found:#?}"
        );
        assert_eq!(found[0].span.text, "Port au Prince");
        assert_eq!(found[3].span.text, "Wílliam\nRuto");
        // "Haitians" is not "Haiti": whole words only.
        assert!(found.iter().all(|m| !m.span.text.starts_with("Haitians")));
    }

    #[test]
    fn unplaced_names_and_numbers() {
        let text = "The Minister of Foreign Affairs met Jean Dupont. According to 2 reports, 1,200 officers and forty-two vehicles cost $40.7 million.";
        let names: Vec<String> = unplaced_names(text, &[])
            .into_iter()
            .map(|s| s.text)
            .collect();
        assert_eq!(names, ["Minister of Foreign Affairs", "Jean Dupont"]);
        let numbers: Vec<String> = numbers(text).into_iter().map(|s| s.text).collect();
        assert_eq!(numbers, ["2", "1,200", "forty-two", "40.7 million"]);
    }
}
