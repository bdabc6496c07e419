//! Word-stem similarity of two statements: five-letter stems, function
//! words dropped, Dice overlap. Cheap, language-agnostic, and it folds
//! spelling variants of names.

use std::collections::HashSet;

/// Content-word stems of a statement (first five letters, lower-cased,
/// function words out): what [`similarity`] compares.
pub(crate) fn stem_set(s: &str) -> HashSet<String> {
    const FUNCTION_WORDS: &[&str] = &[
        "the", "and", "that", "this", "with", "from", "have", "they", "their", "there", "were",
        "been", "which", "about", "would", "could", "after", "also", "them", "even", "into",
        "only", "when",
    ];
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() > 2)
        .map(stem)
        .filter(|w| !FUNCTION_WORDS.contains(&w.as_str()))
        .collect()
}

/// A word's stem: lower-cased, its first five letters. Cheap and language
/// agnostic, and it folds spelling variants ("Zelensky" / "Zelenskyy").
pub(crate) fn stem(word: &str) -> String {
    word.to_lowercase().chars().take(5).collect()
}

/// Dice coefficient of two stem sets, in [0, 1].
pub(crate) fn dice(x: &HashSet<String>, y: &HashSet<String>) -> f64 {
    if x.is_empty() || y.is_empty() {
        return 0.0;
    }
    let (small, big) = if x.len() <= y.len() { (x, y) } else { (y, x) };
    2.0 * small.iter().filter(|w| big.contains(*w)).count() as f64 / (x.len() + y.len()) as f64
}

/// Word-overlap similarity of two statements (Dice over 5-letter stems of content words), in [0, 1].
pub fn similarity(a: &str, b: &str) -> f64 {
    dice(&stem_set(a), &stem_set(b))
}
