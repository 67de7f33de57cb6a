//! Names folded for comparison: what `describe` looks names up by and what `link` matches on.
//!
//! Folding removes accents and case, turns punctuation into spaces, and drops a leading article
//! ("the Bahamas", "la Jamaïque") or a parenthesised one ("Bahamas (the)"). The core of a formal
//! name drops its leading form of state as well ("the Republic of Kenya", "la République
//! démocratique du Congo", "el Principado de Andorra"): countries are often named both ways.

use unicode_normalization::UnicodeNormalization;

/// Leading and parenthesised articles, in the languages country names most often come in.
const ARTICLES: &[&str] = &[
    "the", "la", "le", "les", "l", "el", "los", "las", "die", "der", "das", "il", "lo", "gli",
];

/// Words of a form of state ("Democratic Republic", "Principality", "Grand Duchy"...), in
/// English, French and Spanish, folded. A formal name starts with some of them and then a
/// preposition: "the Islamic Republic of", "la République fédérale d'", "el Reino de".
const FORMAL_WORDS: &[&str] = &[
    // English
    "republic",
    "democratic",
    "people",
    "peoples",
    "s",
    "federal",
    "federative",
    "islamic",
    "arab",
    "socialist",
    "united",
    "kingdom",
    "commonwealth",
    "state",
    "states",
    "principality",
    "grand",
    "duchy",
    "sultanate",
    "emirate",
    "federation",
    "independent",
    "plurinational",
    "bolivarian",
    "co",
    "operative",
    "cooperative",
    "union",
    "oriental",
    "hashemite",
    "federated",
    "territory",
    "popular",
    "sovereign",
    // French
    "republique",
    "democratique",
    "populaire",
    "federale",
    "islamique",
    "arabe",
    "socialiste",
    "unie",
    "royaume",
    "principaute",
    "grand",
    "duche",
    "sultanat",
    "etat",
    "etats",
    "federation",
    "independant",
    "plurinational",
    "bolivarienne",
    "cooperative",
    "hachemite",
    "federes",
    "orientale",
    "souveraine",
    "commonwealth",
    // Spanish
    "republica",
    "democratica",
    "popular",
    "federal",
    "islamica",
    "arabe",
    "socialista",
    "unida",
    "reino",
    "principado",
    "gran",
    "ducado",
    "sultanato",
    "estado",
    "estados",
    "federacion",
    "independiente",
    "plurinacional",
    "bolivariana",
    "cooperativa",
    "hachemita",
    "federados",
    "oriental",
    "soberana",
    "mancomunidad",
];

/// What joins a form of state to the name: "of", "de", "du", "d'", "del", "des".
const CONNECTORS: &[&str] = &["of", "de", "du", "d", "del", "des"];

/// A name folded for comparison: accents and case removed, punctuation to spaces, a leading
/// article and a parenthesised one ("Bahamas (the)") dropped.
pub fn normalize(name: &str) -> String {
    words(name).join(" ")
}

/// The folded words of a name, its articles dropped.
pub fn words(name: &str) -> Vec<String> {
    let folded: String = name
        .nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let mut words: Vec<String> = folded.split_whitespace().map(str::to_owned).collect();
    if words.len() > 1 && ARTICLES.contains(&words[0].as_str()) {
        words.remove(0);
    }
    // "Bahamas (the)", "Congo (le)": a trailing article, once the parentheses are spaces.
    if words.len() > 1 && words.last().is_some_and(|w| ARTICLES.contains(&w.as_str())) {
        words.pop();
    }
    words
}

/// The core of a formal name: "the Republic of Kenya" -> "kenya", "la République démocratique du
/// Congo" -> "congo", "United Kingdom of Great Britain and Northern Ireland" -> "great britain and
/// northern ireland". `None` when the name does not start with a form of state and a preposition.
pub fn formal_core(name: &str) -> Option<String> {
    let words = words(name);
    let formal = words
        .iter()
        .take_while(|w| FORMAL_WORDS.contains(&w.as_str()))
        .count();
    if formal == 0 || formal >= words.len() || !CONNECTORS.contains(&words[formal].as_str()) {
        return None;
    }
    let mut rest = &words[formal + 1..];
    if rest.len() > 1 && ARTICLES.contains(&rest[0].as_str()) {
        rest = &rest[1..];
    }
    (!rest.is_empty()).then(|| rest.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_accents_punctuation_and_articles() {
        assert_eq!(normalize("The Bahamas"), "bahamas");
        assert_eq!(normalize("Bahamas (the)"), "bahamas");
        assert_eq!(normalize("Jovenel Moïse"), "jovenel moise");
        assert_eq!(normalize("Côte d’Ivoire"), "cote d ivoire");
        assert_eq!(normalize("U.S."), "u s");
        assert_eq!(normalize("The"), "the");
    }

    #[test]
    fn finds_the_core_of_formal_names() {
        assert_eq!(
            formal_core("the Republic of Kenya").as_deref(),
            Some("kenya")
        );
        assert_eq!(
            formal_core("la République démocratique du Congo").as_deref(),
            Some("congo")
        );
        assert_eq!(
            formal_core("la République d'Haïti").as_deref(),
            Some("haiti")
        );
        assert_eq!(
            formal_core("the Democratic People's Republic of Korea").as_deref(),
            Some("korea")
        );
        assert_eq!(
            formal_core("el Principado de Andorra").as_deref(),
            Some("andorra")
        );
        assert_eq!(
            formal_core("the Republic of the Congo").as_deref(),
            Some("congo")
        );
        assert_eq!(formal_core("Kenya"), None);
        assert_eq!(formal_core("Government of Kenya"), None);
        assert_eq!(formal_core("Republic of"), None);
    }
}
