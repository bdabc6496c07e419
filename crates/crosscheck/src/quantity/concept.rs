//! What a quantity counts: the noun phrase after "of", or the subject (else
//! the object) of the clause before it.

use super::*;

/// Words that end a clause's subject: auxiliaries and the verbs news uses
/// with figures.
pub(super) const VERBS: &[&str] = &[
    "is",
    "was",
    "were",
    "are",
    "be",
    "been",
    "has",
    "have",
    "had",
    "will",
    "would",
    "could",
    "can",
    "may",
    "might",
    "should",
    "must",
    "did",
    "does",
    "do",
    "said",
    "says",
    "rose",
    "fell",
    "grew",
    "dropped",
    "jumped",
    "gained",
    "lost",
    "climbed",
    "slipped",
    "reported",
    "posted",
    "raised",
    "cut",
    "scored",
    "generates",
    "generated",
    "made",
    "makes",
    "gave",
    "gives",
    "got",
    "gets",
    "took",
    "takes",
    "put",
    "puts",
    "sold",
    "bought",
    "paid",
    "spent",
    "won",
    "saw",
    "needs",
    "needed",
    "plans",
    "planned",
    "expects",
    "expected",
    "estimated",
    "estimates",
    "added",
    "adds",
    "drops",
    "rises",
    "falls",
    "costs",
    "cost",
    "owns",
    "employs",
    "killed",
    "injured",
    "hit",
    "reached",
    "reaches",
    "topped",
    "tops",
    "totalled",
    "totaled",
    "stood",
    "stands",
    "remains",
    "remained",
    "increased",
    "decreased",
    "boost",
    "boosts",
    "offers",
    "offered",
];

/// What a quantity measures: the noun phrase of "of" after it ("60 per
/// cent of its revenue" → "revenue"), else the subject of its clause ("The
/// September crude contract was up 19 cents" → "September crude contract"),
/// its content words up to the first verb. `None` when neither is found.
///
/// Hand-written rather than parsed: a dependency parser is not available
/// offline in Rust, and in news copy the measured thing is nearly always one
/// of these two.
pub(super) fn concept_of(text: &str, start: usize, end: usize) -> Option<String> {
    let tail = text[end..].trim_start();
    tail.strip_prefix("of ")
        .and_then(of_phrase)
        .or_else(|| clause_concept(&text[..start]))
}

/// Pronouns, determiners, adverbs and quantifiers: words a concept does
/// not start or end with.
pub(super) const NOT_CONTENT: [&str; 36] = [
    "his", "her", "our", "my", "your", "this", "these", "those", "it", "they", "he", "she", "we",
    "i", "you", "there", "also", "just", "only", "still", "even", "now", "then", "all", "many",
    "most", "some", "if", "up", "down", "about", "around", "nearly", "almost", "more", "less",
];

/// A content word: not a stop word, a [`NOT_CONTENT`] word or a number.
pub(super) fn content(w: &&str) -> bool {
    let l = w.to_lowercase();
    !l.is_empty()
        && !STOP.contains(&l.as_str())
        && !NOT_CONTENT.contains(&l.as_str())
        && !w.chars().next().is_some_and(|c| c.is_ascii_digit())
}

pub(super) fn clean_word(w: &str) -> String {
    w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-' && c != '&')
        .to_string()
}

/// The noun phrase after "of": past its determiner ("its", "the"), up to
/// the next function word, verb or punctuation; three words at most.
pub(super) fn of_phrase(rest: &str) -> Option<String> {
    let mut words: Vec<String> = Vec::new();
    for raw in rest.split_whitespace().take(6) {
        let w = clean_word(raw);
        if content(&w.as_str()) && !VERBS.contains(&w.to_lowercase().as_str()) {
            words.push(w);
        } else if !words.is_empty() {
            break;
        }
        if raw.ends_with([',', '.', ';', ':']) {
            break;
        }
    }
    words.truncate(3);
    (!words.is_empty()).then(|| words.join(" "))
}

/// The concept from the clause before a quantity: its subject, the words
/// before the first verb; with no subject (a pronoun, "It will boost the
/// driving range by 35 miles"), the object between the last verb and the
/// quantity.
pub(super) fn clause_concept(before: &str) -> Option<String> {
    const CLAUSE_BREAKS: [&str; 11] = [
        ". ", "! ", "? ", "\n", "; ", " - ", " – ", ", which ", ", who ", " when ", " while ",
    ];
    let clause_start = CLAUSE_BREAKS
        .iter()
        .filter_map(|sep| before.rfind(sep).map(|i| i + sep.len()))
        .max()
        .unwrap_or(0);
    let verb = |w: &str| {
        let l = w.to_lowercase();
        VERBS.contains(&l.as_str())
            || (l.len() > 4 && l.ends_with("ed") && w.starts_with(char::is_lowercase))
    };
    let clause: Vec<String> = before[clause_start..]
        .split_whitespace()
        .map(clean_word)
        .collect();
    let first_verb = clause.iter().position(|w| verb(w)).unwrap_or(clause.len());
    let subject: Vec<&str> = clause[..first_verb]
        .iter()
        .map(String::as_str)
        .filter(content)
        .take(6)
        .collect();
    if !subject.is_empty() {
        return Some(subject.join(" "));
    }
    let last_verb = main_verb_end(&clause, clause.iter().rposition(|w| verb(w)));
    let object: Vec<&str> = clause[last_verb..]
        .iter()
        .map(String::as_str)
        .filter(content)
        .take(4)
        .collect();
    (!object.is_empty()).then(|| object.join(" "))
}

/// Where the object starts after the clause's last verb (at `last`): after
/// a modal ("will also extend"), past the main verb, the next word that is
/// not an adverb.
pub(super) fn main_verb_end(clause: &[String], last: Option<usize>) -> usize {
    let mut at = last.map_or(0, |i| i + 1);
    let modal = at > 0
        && matches!(
            clause[at - 1].to_lowercase().as_str(),
            "will" | "would" | "could" | "can" | "may" | "might" | "should" | "must" | "to"
        );
    if modal {
        while clause.get(at).is_some_and(|w| {
            w.ends_with("ly") || matches!(w.as_str(), "also" | "not" | "still" | "just")
        }) {
            at += 1;
        }
        at = (at + 1).min(clause.len());
    }
    at
}
