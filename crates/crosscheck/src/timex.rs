//! TIMEX3-style time expressions: dates, times, durations and sets with
//! their normalised values, as TempEval-3 scores them. The timeline uses
//! the `DATE` ones ([`crate::find_dates`]).

use crate::textutil::Doc;
use corroborate_model::Timestamp;

/// One time expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timex {
    /// Start offset (chars).
    pub start: usize,
    /// End offset (chars, exclusive).
    pub end: usize,
    /// As written.
    pub text: String,
    /// `DATE`, `TIME`, `DURATION` or `SET`.
    pub kind: &'static str,
    /// Normalised value ("1998-01-08", "P3M", "PRESENT_REF").
    pub value: String,
}

/// Finds the time expressions of `text`, resolved against `reference` (the
/// document creation or publication time).
pub fn timexes(text: &str, reference: Option<Timestamp>) -> Vec<Timex> {
    let doc = Doc::new(text);
    crate::dates::scan(&doc, reference)
        .into_iter()
        .map(|d| Timex {
            start: doc.ch(d.start),
            end: doc.ch(d.end),
            text: text[d.start..d.end].to_string(),
            kind: d.kind,
            value: d.value,
        })
        .collect()
}
