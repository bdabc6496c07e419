//! Cue lexicons, kept as data files in `data/` (one word or phrase a line,
//! `#` for comments): general English, naming no event, person or outlet.

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
    fn parse(data: &str) -> Lexicon {
        let entries: Vec<Vec<String>> = data
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
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
pub static REFUTE: LazyLock<Lexicon> =
    LazyLock::new(|| Lexicon::parse(include_str!("../data/refute.txt")));
/// Relaying without endorsing.
pub static HEDGE: LazyLock<Lexicon> =
    LazyLock::new(|| Lexicon::parse(include_str!("../data/hedge.txt")));
/// Asserting, confirming.
pub static CONFIRM: LazyLock<Lexicon> =
    LazyLock::new(|| Lexicon::parse(include_str!("../data/confirm.txt")));
/// Negation.
pub static NEGATION: LazyLock<Lexicon> =
    LazyLock::new(|| Lexicon::parse(include_str!("../data/negation.txt")));

#[cfg(test)]
mod tests {
    use super::*;

    /// Every table: sorted, no duplicates, each entry in lower case and
    /// already in the form the tokenizer gives.
    #[test]
    fn tables_are_sorted_lower_case_and_unique() {
        for (name, data) in [
            ("refute", include_str!("../data/refute.txt")),
            ("hedge", include_str!("../data/hedge.txt")),
            ("confirm", include_str!("../data/confirm.txt")),
            ("negation", include_str!("../data/negation.txt")),
        ] {
            let lines: Vec<&str> = data
                .lines()
                .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
                .collect();
            assert!(
                lines.windows(2).all(|w| w[0] < w[1]),
                "{name}: sorted, unique"
            );
            for l in &lines {
                assert_eq!(*l, l.to_lowercase(), "{name}: {l}");
                let back: Vec<String> = words(l).into_iter().map(|(_, w)| w.lower).collect();
                assert_eq!(back.join(" "), *l, "{name}: {l} tokenizes to itself");
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
