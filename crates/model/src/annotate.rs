//! Per-article annotations: statements, figures and dates with offsets.
//!
//! Offsets (`start`, `end`) count Unicode scalar values (Rust `char`s) in the
//! article text, end exclusive.

use serde::{Deserialize, Serialize};

/// Everything cross-checking found in one article.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Annotations {
    /// Attributed statements: direct quotes and indirect speech.
    pub statements: Vec<Statement>,
    /// Numbers with what they count.
    pub figures: Vec<Figure>,
    /// Date expressions resolved against the publication date.
    pub dates: Vec<DateMention>,
}

/// The person or body a statement is attributed to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Speaker {
    /// Name resolved as far as the article allows ("Volodymyr Zelenskyy").
    pub name: String,
    /// Start of the mention in the text.
    pub start: usize,
    /// End of the mention in the text.
    pub end: usize,
}

/// The verb or phrase that attributes a statement ("said", "according to").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Cue {
    /// The cue as written.
    pub text: String,
    /// Start offset.
    pub start: usize,
    /// End offset.
    pub end: usize,
}

/// One attributed statement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Statement {
    /// Start of the statement's content.
    pub start: usize,
    /// End of the statement's content.
    pub end: usize,
    /// The content: the quote without its marks, or the reported clause.
    pub text: String,
    /// True for a direct quotation.
    pub direct: bool,
    /// Who said it, when the article says.
    pub speaker: Option<Speaker>,
    /// The attribution cue.
    pub cue: Option<Cue>,
    /// Channel ("Telegram", "X", "press briefing", "evening address").
    pub channel: Option<String>,
    /// ISO date the statement was made, when stated.
    pub date: Option<String>,
    /// Hedging and verification cues in the sentence ("allegedly", "could not confirm").
    pub hedges: Vec<String>,
    /// True when this quote goes on with the previous direct statement, the
    /// same speaker saying more in the same paragraph ("“…,” she said.
    /// “…”"): one act of saying in several pieces.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub continues: bool,
}

/// A number with what it counts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Figure {
    /// Start offset of the whole expression.
    pub start: usize,
    /// End offset of the whole expression.
    pub end: usize,
    /// The expression as written ("about 11,000").
    pub text: String,
    /// Central value (a range's midpoint; for a vague word such as
    /// "dozens", its order of magnitude, used for sorting only: see `vague`).
    pub value: f64,
    /// Lower bound as stated: the number itself, a range's first end, the
    /// number after "at least"; `None` when the text states none ("up to",
    /// "nearly", a vague word). Never widened by the reader.
    pub low: Option<f64>,
    /// Upper bound as stated (`None` when open, as in "at least", or vague).
    pub high: Option<f64>,
    /// Unit when it is one ("miles", "%", "USD").
    pub unit: Option<String>,
    /// What is counted ("North Korean troops", "casualties").
    pub what: Option<String>,
    /// Who the figure is attributed to in its sentence.
    pub attributed_to: Option<String>,
    /// Stated as an estimate ("about", "around", "approximately").
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub approximate: bool,
    /// A word, not a number ("dozens", "thousands"): `low`/`high` are
    /// `None` and `value` is only an order of magnitude.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub vague: bool,
    /// The rate's period when the figure is one ("day" for "1,300 per day").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per: Option<String>,
    /// The date the figure refers to when its clause says so ("by October
    /// 23"): `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
}

/// A date expression.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DateMention {
    /// Start offset.
    pub start: usize,
    /// End offset.
    pub end: usize,
    /// As written ("on Sunday", "16 December").
    pub text: String,
    /// Resolved value: `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    pub value: String,
}
