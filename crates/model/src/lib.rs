//! Core types of corroborate, shared by every stage.
//!
//! This crate sits at the bottom of the workspace: it owns the data that
//! flows between stages (raw documents, extracted articles, annotations,
//! stories and their reports) and the small traits each stage implements.
//! It has no logic beyond constructors and helpers, so that deepening a stage
//! never forces a change anywhere else.
//!
//! ```
//! use corroborate_model::{Format, Hints, RawDocument};
//!
//! let doc = RawDocument::new("feed.jsonl#3", Format::Text, "Body text.".into(), Hints::default());
//! assert_eq!(doc.id.as_str().len(), 32);
//! // The id is a content hash: the same content under another path has the same id.
//! let again = RawDocument::new("copy/feed.jsonl#3", Format::Text, "Body text.".into(), Hints::default());
//! assert_eq!(doc.id, again.id);
//! ```
#![deny(missing_docs)]

#[cfg(test)]
extern crate self as corroborate_model;
mod annotate;
#[cfg(test)]
mod doc_examples;
mod report;

pub use annotate::{Annotations, Cue, DateMention, Figure, Speaker, Statement};
pub use report::{
    ArticleRef, Attestation, Claim, ClaimCarrier, ClaimStatus, CopyOf, FigureGroup, FigureValue,
    OutletCoverage, RelatedStory, Stance, StoryReport, TimeSpan, TimelineEntry,
};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A point in time. Publication times hold the wall-clock time the page
/// states (its UTC offset dropped: the date readers saw); date-only values
/// are midnight.
pub type Timestamp = DateTime<Utc>;

/// Stable identifier of an article: the first 128 bits of a content hash, hex.
#[derive(
    Debug,
    Clone,
    Default,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(transparent)]
pub struct ArticleId(pub String);

impl ArticleId {
    /// The id as a string slice.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ArticleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Stable identifier of a story, derived from its founding article.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(transparent)]
pub struct StoryId(pub String);

impl StoryId {
    /// The story id for a story founded by `article`: `s-` and 12 hex digits.
    pub fn for_founder(article: &ArticleId) -> Self {
        StoryId(format!("s-{}", &article.0[..12.min(article.0.len())]))
    }
    /// The id as a string slice.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for StoryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Whether `c` is a Chinese or Japanese character (kana, CJK ideographs
/// and their extensions): text written without spaces between words, which
/// the stages count and index by characters.
pub fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30ff}' | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}')
}

/// |a ∩ b| of two sorted lists of distinct numbers (shingle hashes, stem
/// numbers), by one linear merge: how dedup's containment and the report's
/// claim similarity count what two texts share.
pub fn sorted_intersection(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// How an article's outlet is named in reports: its outlet, or else the name
/// of the file it came from (without a `#record` suffix).
pub fn outlet_label(outlet: Option<&str>, source: &str) -> String {
    outlet.map(str::to_string).unwrap_or_else(|| {
        let name = source.rsplit('/').next().unwrap_or(source);
        name.split('#').next().unwrap_or(name).to_string()
    })
}

/// What kind of content a raw document holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// An HTML page.
    Html,
    /// Plain text, usually scraped from a page with its boilerplate.
    Text,
}

impl Format {
    /// Lower-case name, as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Text => "text",
        }
    }
}

/// Metadata a record states about itself (JSON fields, WARC and HTTP headers).
///
/// Whatever is given here wins over what extraction guesses.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Hints {
    /// Canonical or fetched URL.
    pub url: Option<String>,
    /// Headline.
    pub title: Option<String>,
    /// Publication date as the record wrote it (parsed by extraction).
    pub published: Option<String>,
    /// Outlet or site name.
    pub outlet: Option<String>,
    /// Author(s).
    pub author: Option<String>,
    /// When the page was fetched (WARC-Date), used as the upper bound for dates.
    pub fetched: Option<String>,
}

/// A document as read from input: decoded to UTF-8, not yet extracted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RawDocument {
    /// Content hash of the format, the content and the hints.
    pub id: ArticleId,
    /// Where it came from: a path, `path#N` for the Nth record of a JSONL or WARC file, or `-`.
    pub source: String,
    /// HTML or text.
    pub format: Format,
    /// The content, decoded to UTF-8.
    pub content: String,
    /// Metadata stated by the record.
    pub hints: Hints,
}

impl RawDocument {
    /// Builds a raw document and computes its content id.
    pub fn new(source: impl Into<String>, format: Format, content: String, hints: Hints) -> Self {
        let id = content_id(format, &content, &hints);
        RawDocument {
            id,
            source: source.into(),
            format,
            content,
            hints,
        }
    }
}

/// Content id: SHA-256 over the format, the stated metadata and the content,
/// cut to 128 bits. Ingesting the same input twice yields the same id.
pub fn content_id(format: Format, content: &str, hints: &Hints) -> ArticleId {
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    h.update(format.as_str().as_bytes());
    for field in [
        &hints.url,
        &hints.title,
        &hints.published,
        &hints.outlet,
        &hints.author,
    ] {
        h.update([0xff]);
        if let Some(v) = field {
            h.update(v.as_bytes());
        }
    }
    h.update([0xfe]);
    h.update(content.as_bytes());
    let digest = h.finalize();
    ArticleId(digest[..16].iter().map(|b| format!("{b:02x}")).collect())
}

/// An extracted article: clean body text plus metadata.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Article {
    /// Content id of the raw document it came from.
    pub id: ArticleId,
    /// Where it came from (see [`RawDocument::source`]).
    pub source: String,
    /// Canonical URL if known.
    pub url: Option<String>,
    /// Headline.
    pub title: Option<String>,
    /// Publication time.
    pub published: Option<Timestamp>,
    /// Author(s), never the outlet's name.
    pub author: Option<String>,
    /// Outlet or site name.
    pub site: Option<String>,
    /// ISO 639-1 language code.
    pub language: Option<String>,
    /// The article body, paragraphs separated by blank lines.
    pub text: String,
    /// Outlet named by the page as the original ("Source Link", "previously told Metro").
    pub republished_from: Option<String>,
    /// Lines removed as page furniture (kept so a UI can show what was dropped).
    pub boilerplate: Vec<String>,
}

impl Article {
    /// An article of `id` from `source` with `text` and nothing else known
    /// (tests, and what a refused document leaves a benchmark).
    pub fn bare(id: ArticleId, source: impl Into<String>, text: impl Into<String>) -> Article {
        Article {
            id,
            source: source.into(),
            url: None,
            title: None,
            published: None,
            author: None,
            site: None,
            language: None,
            text: text.into(),
            republished_from: None,
            boilerplate: Vec::new(),
        }
    }
}

/// Extraction: raw document in, article out. Stateless, so it runs in parallel.
pub trait Extractor: Send + Sync {
    /// Extracts the article from one raw document, or refuses a document
    /// over a work limit (see [`Refusal`]): never a panic, never unbounded.
    fn extract(&self, doc: &RawDocument) -> Result<Article, Refusal>;
}

/// Why extraction refused one document: the work it would take is over a
/// limit. The caller reports it with the document's location and goes on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Refusal {
    /// The page has more elements than extraction reads.
    TooManyElements {
        /// Elements counted (counting stops a little past the limit).
        found: usize,
        /// The limit.
        max: usize,
    },
    /// Extraction ran past its time budget (checked between its phases).
    Timeout {
        /// Milliseconds spent.
        elapsed_ms: u64,
        /// The budget.
        budget_ms: u64,
    },
}

impl Refusal {
    /// The short machine-readable reason: `too_many_elements`, `timeout`.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::TooManyElements { .. } => "too_many_elements",
            Refusal::Timeout { .. } => "timeout",
        }
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::TooManyElements { found, max } => write!(
                f,
                "too_many_elements: over {found} HTML elements, the limit is {max}"
            ),
            Refusal::Timeout {
                elapsed_ms,
                budget_ms,
            } => write!(
                f,
                "timeout: extraction took {elapsed_ms} ms, over its budget of {budget_ms} ms"
            ),
        }
    }
}

impl std::error::Error for Refusal {}

/// One copy relation found by deduplication.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CopyLink {
    /// The copy.
    pub copy: ArticleId,
    /// The earliest or declared original.
    pub original: ArticleId,
    /// Share of the copy's shingles found in the original (containment), 0..=1.
    pub overlap: f64,
    /// Why: `declared source`, `shared text`, `earlier timestamp`, `identical text`.
    pub evidence: Vec<String>,
}

/// Membership of articles in stories, as produced by clustering.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Clustering {
    /// Stories in order of creation; each holds its articles in arrival order.
    pub stories: Vec<Vec<ArticleId>>,
    /// Pairs of story indexes judged related (same subject, different event), with a reason.
    pub related: Vec<(usize, usize, String)>,
}
