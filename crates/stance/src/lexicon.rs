//! Cue lexicons: the `stance-*` tables of corroborate-lexicon
//! (`crates/lexicon/data/en/stance-refute.txt` and its siblings): general
//! English, naming no event, person or outlet.

use crate::text::words;
use std::sync::LazyLock;

/// A list of cue words and phrases.
pub struct Lexicon {
    /// Each entry as its lower-case words.
    entries: Vec<Vec<String>>,
    /// The one-word entries, for one lookup per word.
    single: std::collections::HashSet<String>,
    /// Entries of several words, and suffix entries ("n't").
    other: Vec<Vec<String>>,
}

impl Lexicon {
    fn load(table: &str) -> Lexicon {
        let entries: Vec<Vec<String>> = corroborate_lexicon::words("en", table)
            .into_iter()
            .map(|l| words(l).into_iter().map(|(_, w)| w.lower).collect())
            .collect();
        let (single, other): (Vec<_>, Vec<_>) = entries
            .iter()
            .cloned()
            .partition(|e| e.len() == 1 && !e[0].starts_with("n'"));
        Lexicon {
            single: single.into_iter().flatten().collect(),
            other,
            entries,
        }
    }

    /// How many times an entry occurs in `lower` (a run of lower-case
    /// words). An entry written as a suffix ("n't") matches word endings.
    pub fn count(&self, lower: &[&str]) -> usize {
        let mut n = 0;
        for (i, w) in lower.iter().enumerate() {
            n += usize::from(self.single.contains(*w));
            for e in &self.other {
                let hit = match e.as_slice() {
                    [suffix] => w.ends_with(suffix.as_str()),
                    many => lower
                        .get(i..i + many.len())
                        .is_some_and(|run| run.iter().zip(many).all(|(a, b)| *a == b.as_str())),
                };
                n += usize::from(hit);
            }
        }
        n
    }

    /// The entries (for tests).
    pub fn entries(&self) -> &[Vec<String>] {
        &self.entries
    }
}

/// Disputing, denying, debunking.
pub static REFUTE: LazyLock<Lexicon> = LazyLock::new(|| Lexicon::load("stance-refute"));
/// Relaying without endorsing.
pub static HEDGE: LazyLock<Lexicon> = LazyLock::new(|| Lexicon::load("stance-hedge"));
/// Asserting, confirming.
pub static CONFIRM: LazyLock<Lexicon> = LazyLock::new(|| Lexicon::load("stance-confirm"));
/// Negation.
pub static NEGATION: LazyLock<Lexicon> = LazyLock::new(|| Lexicon::load("stance-negation"));

#[cfg(test)]
mod tests {
    use super::*;

    /// Every table (sorted and unique: the lexicon's own tests): each entry
    /// in lower case and already in the form the tokenizer gives.
    #[test]
    fn entries_are_lower_case_and_tokenize_to_themselves() {
        for name in [
            "stance-refute",
            "stance-hedge",
            "stance-confirm",
            "stance-negation",
        ] {
            for l in corroborate_lexicon::words("en", name) {
                assert_eq!(l, l.to_lowercase(), "{name}: {l}");
                let back: Vec<String> = words(l).into_iter().map(|(_, w)| w.lower).collect();
                assert_eq!(back.join(" "), l, "{name}: {l} tokenizes to itself");
            }
        }
    }

    #[test]
    fn phrases_and_suffixes_match() {
        let t = |s: &str| {
            words(s)
                .into_iter()
                .map(|(_, w)| w.lower)
                .collect::<Vec<_>>()
        };
        let c = |lex: &Lexicon, s: &str| {
            let w = t(s);
            lex.count(&w.iter().map(String::as_str).collect::<Vec<_>>())
        };
        assert_eq!(c(&REFUTE, "There is no evidence the video is fake."), 2);
        assert_eq!(c(&NEGATION, "It doesn't and it never did."), 2);
        assert_eq!(
            c(&HEDGE, "According to the mayor, it reportedly burned."),
            2
        );
        assert_eq!(c(&CONFIRM, "Nothing here."), 0);
    }
}
