//! Quantities as the NewsQuant benchmark counts them: every number with its
//! value (or range), how it is qualified, its unit in a canonical
//! vocabulary and the words of what it measures.

use corroborate_model::Figure;

/// A number in text, normalised.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    /// Start offset (chars).
    pub start: usize,
    /// End offset (chars, exclusive).
    pub end: usize,
    /// The value (the midpoint of a range).
    pub value: f64,
    /// Both ends of a range ("10,000-12,000").
    pub range: Option<(f64, f64)>,
    /// `=` exact, `~` approximate, `>` lower bound, `<` upper bound,
    /// `up` / `down` a change by that amount.
    pub change: &'static str,
    /// Canonical unit ("percentage", "dollar", "kilometre", "people"); `-` when none.
    pub unit: String,
    /// Words of what is measured; `-` when unknown.
    pub concept: String,
}

/// The quantities of `text`.
pub fn quantities(text: &str) -> Vec<Quantity> {
    let a = crate::annotate(text, None);
    a.figures.iter().map(from_figure).collect()
}

fn from_figure(f: &Figure) -> Quantity {
    let range = match (f.low, f.high) {
        (Some(l), Some(h)) if l < h && f.text.contains(['-', '–']) => Some((l, h)),
        _ => None,
    };
    let change = match (f.low, f.high) {
        (Some(l), Some(h)) if l < f.value && h > f.value && range.is_none() => "~",
        (_, None) => ">",
        (None, Some(_)) => "<",
        _ => "=",
    };
    let unit = match f.unit.as_deref() {
        Some("%") => "percentage".to_string(),
        Some(u) => u.trim_end_matches('s').to_string(),
        None => f.what.as_deref().map_or("-".to_string(), |w| {
            w.split_whitespace().last().unwrap_or("-").to_lowercase()
        }),
    };
    Quantity {
        start: f.start,
        end: f.end,
        value: f.value,
        range,
        change,
        unit,
        concept: f.what.clone().unwrap_or_else(|| "-".into()),
    }
}
