//! The story report: the contract between the engine and every front end
//! (CLI text/Markdown/HTML, JSON, HTTP API). Documented in `docs/report.md`.

use crate::{ArticleId, StoryId, Timestamp};
use serde::{Deserialize, Serialize};

/// Everything corroborate knows about one story.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct StoryReport {
    /// Stable id.
    pub id: StoryId,
    /// Title: the headline of the earliest original article.
    pub title: String,
    /// Earliest and latest publication time of its articles.
    pub span: TimeSpan,
    /// Short extractive summary.
    pub summary: String,
    /// Articles, earliest first.
    pub articles: Vec<ArticleRef>,
    /// Claims aligned across articles.
    pub claims: Vec<Claim>,
    /// Figures grouped by what they count.
    pub figures: Vec<FigureGroup>,
    /// Dated events.
    pub timeline: Vec<TimelineEntry>,
    /// Per outlet: what it alone carries and what it omits.
    pub outlets: Vec<OutletCoverage>,
    /// Stories on the same subject but a different event.
    pub related: Vec<RelatedStory>,
    /// Stories the clusterer folded into this one as evidence accumulated,
    /// with why (`id` is the id the absorbed story had).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub merged: Vec<RelatedStory>,
}

/// Time span of a story.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TimeSpan {
    /// Earliest publication time.
    pub start: Option<Timestamp>,
    /// Latest publication time.
    pub end: Option<Timestamp>,
}

/// An article as listed in a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ArticleRef {
    /// Article id.
    pub id: ArticleId,
    /// Input it was read from.
    pub source: String,
    /// Outlet name.
    pub outlet: Option<String>,
    /// URL.
    pub url: Option<String>,
    /// Headline.
    pub title: Option<String>,
    /// Publication time.
    pub published: Option<Timestamp>,
    /// Language code.
    pub language: Option<String>,
    /// Set when this article copies another.
    pub copy_of: Option<CopyOf>,
}

/// Copy relation as shown in a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CopyOf {
    /// The original article (in this store), when found.
    pub article: Option<ArticleId>,
    /// Outlet the page declares as its source, when it does.
    pub declared: Option<String>,
    /// Containment of this article's text in the original, 0..=1.
    pub overlap: f64,
    /// Evidence: `declared source`, `shared text`, `earlier timestamp`, `identical text`.
    pub evidence: Vec<String>,
}

/// How well a claim is supported across the story.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClaimStatus {
    /// A second party with its own access confirms it.
    Confirmed,
    /// Every article relies on the same speaker.
    AttributedOnly,
    /// Someone contradicts it, or an outlet says it could not verify it.
    Disputed,
    /// No speaker is named.
    Unattributed,
    /// Confirmed by one party and disputed by another (some carrier asserts
    /// it or a second speaker repeats it, and some carrier disputes it).
    Contested,
}

/// What an article does with a claim it carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Stance {
    /// States it as fact, or confirms it.
    Asserts,
    /// Relays it as someone's claim, hedged or attributed, without
    /// endorsing it.
    Reports,
    /// Denies, contradicts or debunks it.
    Disputes,
    /// About something else.
    Unrelated,
}

impl Stance {
    /// Its name in reports and tables.
    pub fn as_str(self) -> &'static str {
        match self {
            Stance::Asserts => "asserts",
            Stance::Reports => "reports",
            Stance::Disputes => "disputes",
            Stance::Unrelated => "unrelated",
        }
    }
}

/// One claim, aligned across the articles that carry it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Claim {
    /// Index-stable id within the report (`c1`, `c2`...).
    pub id: String,
    /// Representative wording (from the first article to carry it).
    pub text: String,
    /// Speaker, resolved.
    pub speaker: Option<String>,
    /// Channel: the one most articles name (ties: the earliest article's).
    pub channel: Option<String>,
    /// Date the claim was made: the one most articles state.
    pub date: Option<String>,
    /// Every channel the carriers name, with how many articles name it,
    /// most named first; empty when they agree (or name none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub channels: Vec<Attestation>,
    /// Every date the carriers state, the same way.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dates: Vec<Attestation>,
    /// Status across the story.
    pub status: ClaimStatus,
    /// Article that carried it first (by publication time, then input order).
    pub first_reported_by: ArticleId,
    /// Each article's wording, with offsets and hedges.
    pub carriers: Vec<ClaimCarrier>,
}

/// A value some of a claim's carriers state, and how many articles do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Attestation {
    /// The channel or date.
    pub value: String,
    /// Articles stating it.
    pub articles: usize,
}

impl Claim {
    /// " via Telegram" or, when carriers disagree, " via Telegram (3
    /// articles), X (1)"; empty when no carrier names a channel.
    pub fn channel_phrase(&self) -> String {
        phrase(" via ", self.channel.as_deref(), &self.channels)
    }

    /// " on 2024-12-16", or with every date carriers state when they
    /// disagree.
    pub fn date_phrase(&self) -> String {
        phrase(" on ", self.date.as_deref(), &self.dates)
    }
}

fn phrase(lead: &str, one: Option<&str>, all: &[Attestation]) -> String {
    match (one, all) {
        (_, [first, rest @ ..]) if !rest.is_empty() => {
            let mut s = format!(
                "{lead}{} ({} article{})",
                first.value,
                first.articles,
                if first.articles == 1 { "" } else { "s" }
            );
            for a in rest {
                s.push_str(&format!(", {} ({})", a.value, a.articles));
            }
            s
        }
        (Some(v), _) => format!("{lead}{v}"),
        (None, _) => String::new(),
    }
}

/// One article's wording of a claim.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ClaimCarrier {
    /// The article.
    pub article: ArticleId,
    /// Start offset in that article's text.
    pub start: usize,
    /// End offset.
    pub end: usize,
    /// The wording there.
    pub text: String,
    /// Direct quote or reported speech.
    pub direct: bool,
    /// Hedges this outlet used.
    pub hedges: Vec<String>,
    /// Who this article says made the claim.
    #[serde(default)]
    pub speaker: Option<String>,
    /// The attribution cue as written ("said", "claimed", "denied").
    #[serde(default)]
    pub cue: Option<String>,
    /// The channel this article names.
    #[serde(default)]
    pub channel: Option<String>,
    /// The date this article gives for the statement.
    #[serde(default)]
    pub date: Option<String>,
    /// The article's stance toward the claim (absent in reports written
    /// before stances were judged).
    #[serde(default)]
    pub stance: Option<Stance>,
    /// The stance model's probability for `stance` (absent when a rule
    /// decided it: a denial cue).
    #[serde(default)]
    pub stance_score: Option<f64>,
    /// The stance model's own verdict and probability (three decimals, as
    /// `stance_score`), whether the
    /// carrier's words backed it or not (absent when the model did not
    /// run); a rebuilt report reuses it instead of judging the carrier
    /// again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<(Stance, f64)>,
}

/// Figures about the same quantity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FigureGroup {
    /// What is counted.
    pub what: String,
    /// Unit, when any.
    pub unit: Option<String>,
    /// Lowest number stated in the group (`None` when every value is a
    /// word such as "dozens").
    pub low: Option<f64>,
    /// Highest number stated in the group.
    pub high: Option<f64>,
    /// True when two values cannot both be right: their stated bounds do
    /// not overlap (an estimate, "about 200", allowed a tenth either way).
    pub disagree: bool,
    /// The values, earliest article first.
    pub values: Vec<FigureValue>,
}

impl FigureGroup {
    /// The group's span as a reader sees it, numbers written by `number`:
    /// "30 to 200", "11,000" when every number is the same, `None` for a
    /// group of one value (listed as itself) or with no number stated.
    pub fn span(&self, number: impl Fn(f64) -> String) -> Option<String> {
        if self.values.len() < 2 {
            return None;
        }
        match (self.low, self.high) {
            (Some(l), Some(h)) if (h - l).abs() < f64::EPSILON => Some(number(l)),
            (Some(l), Some(h)) => Some(format!("{} to {}", number(l), number(h))),
            _ => None,
        }
    }
}

/// One stated value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FigureValue {
    /// The article.
    pub article: ArticleId,
    /// As written.
    pub text: String,
    /// Start offset.
    pub start: usize,
    /// End offset.
    pub end: usize,
    /// Central value.
    pub value: f64,
    /// Lower bound.
    pub low: Option<f64>,
    /// Upper bound.
    pub high: Option<f64>,
    /// Who it is attributed to.
    pub attributed_to: Option<String>,
}

/// A dated event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TimelineEntry {
    /// TIMEX3 value: `YYYY-MM-DD`, `YYYY-MM`, `YYYY`, a week (`2024-W50`),
    /// a season (`2024-FA`); `XXXX` for an unknown year.
    pub date: String,
    /// The date in words ("16 December 2024", "fall 2024", "week of 9
    /// December 2024"). Entries are ordered by the start of their period.
    #[serde(default)]
    pub label: String,
    /// True when no article states this date outright: every mention is a
    /// relative or yearless expression ("today", "Dec. 16") in an undated
    /// article, resolved against the story's date.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub inferred: bool,
    /// The sentence that dates the event (from the first article).
    pub event: String,
    /// Articles that mention it, with the sentence offsets.
    pub articles: Vec<ArticleId>,
}

/// What one outlet carries compared with the rest of the story.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct OutletCoverage {
    /// Outlet name (or source when unknown).
    pub outlet: String,
    /// Its articles.
    pub articles: Vec<ArticleId>,
    /// Ids of claims only this outlet carries.
    pub exclusive_claims: Vec<String>,
    /// Ids of claims carried by at least two other outlets but not this one.
    pub omitted_claims: Vec<String>,
}

/// A link to a related story.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RelatedStory {
    /// The other story.
    pub id: StoryId,
    /// Why they are related.
    pub reason: String,
}
