//! Store: the embedded SQLite store (one file, `corroborate.db` by default).
//!
//! Owns persistence and nothing else: versioned schema migrations
//! (`PRAGMA user_version`), WAL journaling, one transaction per batch so a
//! crash or Ctrl-C leaves either the whole batch or none of it, and
//! articles keyed by their content hash so that ingesting twice changes
//! nothing. Analysis results (stories, memberships, copies, reports) are
//! replaced atomically in one transaction.
//!
//! ```
//! use corroborate_store::Store;
//! # use corroborate_model::*;
//! let mut store = Store::open_in_memory().unwrap();
//! let raw = RawDocument::new("a.txt", Format::Text, "Body.".into(), Hints::default());
//! let article = Article::bare(raw.id.clone(), raw.source.clone(), "Body.");
//! assert_eq!(store.insert_articles(&[(raw.clone(), article.clone())]).unwrap(), 1);
//! assert_eq!(store.insert_articles(&[(raw, article)]).unwrap(), 0); // idempotent
//! assert_eq!(store.article_count().unwrap(), 1);
//! ```
#![deny(missing_docs)]

#[cfg(test)]
extern crate self as corroborate_store;
mod annotations;
mod backend;
#[cfg(test)]
mod doc_examples;
mod migrations;
mod pg;
mod snippet;
mod story_index;
mod templates;
#[doc(hidden)]
pub mod testing;

pub use annotations::AnnotationKey;
pub use backend::Storage;
pub use pg::{Lease, PgStore};
pub use story_index::StoryMatch;
pub use templates::{LineStats, OutletLines};

use corroborate_model::{Article, ArticleId, RawDocument, StoryId, StoryReport};
use rusqlite::{params, Connection, OptionalExtension};
use std::path::Path;
use std::time::{Duration, Instant};

mod sqlite;
pub use sqlite::Store;

/// Errors of the store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// SQLite failed.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// Stored JSON could not be read back.
    #[error("corrupt stored value: {0}")]
    Json(#[from] serde_json::Error),
    /// PostgreSQL failed.
    #[error("postgres: {}", postgres_detail(.0))]
    Postgres(#[from] postgres::Error),
    /// A `schema=` that is not a plain identifier.
    #[error("schema name {0:?}: use letters, digits and _ only")]
    BadSchema(String),
    /// Another process held the store's write lock for longer than the
    /// lock timeout.
    #[error("the store is being written by another process and its write lock was not free within {waited_s} s (set CORROBORATE_LOCK_TIMEOUT to wait longer); everything committed before is kept, and a rerun picks up the rest")]
    Locked {
        /// Seconds waited.
        waited_s: u64,
    },
    /// A store opened for reading does not exist.
    #[error("no store at {0} (run `corroborate ingest` or `analyze` first, or pass --db)")]
    Missing(String),
    /// The file was written by a newer corroborate.
    #[error("store schema version {found} is newer than this program supports ({supported}); upgrade corroborate")]
    TooNew {
        /// Version in the file.
        found: i64,
        /// Newest version this build knows.
        supported: i64,
    },
}

/// The server's message where there is one ("db error" alone says
/// nothing).
fn postgres_detail(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{} ({})", db.message(), db.code().code()),
        None => e.to_string(),
    }
}

/// Result alias of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Summary row of a story.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct StorySummary {
    /// Story id.
    pub id: StoryId,
    /// Title.
    pub title: String,
    /// Number of articles.
    pub articles: usize,
    /// Distinct outlets.
    pub outlets: Vec<String>,
    /// Earliest publication time (RFC 3339).
    pub start: Option<String>,
    /// Latest publication time (RFC 3339).
    pub end: Option<String>,
}

/// Filters for [`Store::search_stories`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoryFilter {
    /// Words that an article or claim of the story contains.
    pub text: Option<String>,
    /// An outlet of the story (exact name, any case).
    pub outlet: Option<String>,
    /// A speaker or name in the story's claims.
    pub entity: Option<String>,
    /// Stories with a claim of this status (`confirmed`, `attributed_only`,
    /// `disputed`, `contested`, `unattributed`).
    pub status: Option<String>,
    /// Stories ending on or after this date (`YYYY-MM-DD` or RFC 3339).
    pub from: Option<String>,
    /// Stories starting on or before this date.
    pub to: Option<String>,
    /// Page size.
    pub limit: usize,
    /// Page offset.
    pub offset: usize,
}

impl Default for StoryFilter {
    fn default() -> Self {
        StoryFilter {
            text: None,
            outlet: None,
            entity: None,
            status: None,
            from: None,
            to: None,
            limit: 50,
            offset: 0,
        }
    }
}

/// Full-text search results.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct SearchHits {
    /// Matching articles, best first.
    pub articles: Vec<ArticleHit>,
    /// Matching claims, best first.
    pub claims: Vec<ClaimHit>,
}

/// An article matching a search.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ArticleHit {
    /// Article id.
    pub id: String,
    /// Headline.
    pub title: String,
    /// Text around the match, with each match in square brackets.
    pub snippet: String,
    /// Its story, when analysed.
    pub story: Option<String>,
}

/// A claim matching a search.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ClaimHit {
    /// Story id.
    pub story: String,
    /// Claim id within the story report.
    pub claim: String,
    /// Claim text.
    pub text: String,
    /// Speaker ("" when none).
    pub speaker: String,
}

/// RFC 3339 with a `Z`, as reports write times.
pub(crate) fn rfc3339(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A stored time in that form (stores written before it said `+00:00`).
fn normalized_time(t: Option<String>) -> Option<String> {
    t.map(|s| {
        chrono::DateTime::parse_from_rfc3339(&s)
            .map(|d| rfc3339(d.with_timezone(&chrono::Utc)))
            .unwrap_or(s)
    })
}

/// Turns user words into a safe FTS5 query: each word quoted, all required.
///
/// Words are stemmed by the index (Porter: "burned" finds "burn"). A word
/// written with a capital and seven letters or more is taken for a name and
/// matched by its first letters less two, so that a name's spellings and
/// transliterations find each other ("Zelenskyy" and "Zelensky" both search
/// `zelens*`/`zelensk*`, which match both).
fn fts_query(text: &str) -> Option<String> {
    let terms: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let chars: Vec<char> = w.chars().collect();
            if is_name(w) {
                let stem: String = chars[..chars.len() - 2].iter().collect();
                format!("\"{}\"*", stem.to_lowercase())
            } else {
                format!("\"{w}\"")
            }
        })
        .collect();
    (!terms.is_empty()).then(|| terms.join(" "))
}

/// Claim rows per story in `claim_fts`: story `n`'s claims have rowids
/// `n * CLAIM_ROWS ..`, so one story's rows are deleted as a range.
const CLAIM_ROWS: i64 = 1 << 20;

/// A stored raw document from its columns (its stored id kept).
pub(crate) fn raw_document(
    seq: i64,
    id: String,
    source: String,
    format: &str,
    content: String,
    hints: &str,
) -> Result<(i64, RawDocument)> {
    Ok((
        seq,
        RawDocument {
            id: ArticleId(id),
            source,
            format: serde_json::from_value(serde_json::Value::String(format.to_string()))?,
            content,
            hints: serde_json::from_str(hints)?,
        },
    ))
}

/// Articles of a story tried for a snippet when its openings hold no match.
const SNIPPET_ARTICLES: i64 = 4;

/// A story's claim statuses as ",confirmed,disputed," (the status filter).
pub(crate) fn statuses(r: &StoryReport) -> String {
    let mut all: Vec<String> = r
        .claims
        .iter()
        .filter_map(|c| serde_json::to_value(c.status).ok())
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect();
    all.sort();
    all.dedup();
    if all.is_empty() {
        String::new()
    } else {
        format!(",{},", all.join(","))
    }
}

/// Letters from which a capitalised query word is searched as a name.
const NAME_LETTERS: usize = 7;

/// Whether a query word is searched as a name (by its first letters less
/// two): written with a capital and [`NAME_LETTERS`] letters or more. The
/// one rule of every backend and of the snippets.
pub(crate) fn is_name(word: &str) -> bool {
    word.starts_with(char::is_uppercase) && word.chars().count() >= NAME_LETTERS
}

/// An article with its stored raw document, in arrival order.
#[derive(Debug, Clone)]
pub struct StoredArticle {
    /// Arrival sequence number.
    pub seq: i64,
    /// The extracted article.
    pub article: Article,
}

/// An article a queue worker extracted, waiting to be placed: keyed by the
/// sequence number of its message in the queue, so that the story assigner
/// places articles in the order they were published whatever worker
/// extracted them first.
#[derive(Debug, Clone)]
pub struct Staged {
    /// The message's sequence number in the queue.
    pub qseq: u64,
    /// The document as published.
    pub raw: RawDocument,
    /// What the worker extracted.
    pub article: Article,
}

/// What [`Storage::promote_staged`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Promoted {
    /// Staged rows consumed.
    pub moved: usize,
    /// Articles new to the store among them (the rest were stored already).
    pub added: usize,
}

/// Whether `db` names a PostgreSQL store (`postgres://…`, `postgresql://…`).
pub fn is_postgres(db: &str) -> bool {
    db.starts_with("postgres://") || db.starts_with("postgresql://")
}

/// Opens the store `db`: a PostgreSQL URL, or the path of an SQLite file
/// (created when missing), reporting waits for the write lock to `on_wait`.
pub fn open(db: &str, on_wait: Option<LockWait>) -> Result<Box<dyn Storage>> {
    if is_postgres(db) {
        Ok(Box::new(PgStore::open(db)?))
    } else {
        Ok(Box::new(Store::open_with(Path::new(db), on_wait)?))
    }
}

/// [`open`] for reading: an SQLite path that does not exist is an error
/// naming it, never a new empty store.
pub fn open_existing(db: &str, on_wait: Option<LockWait>) -> Result<Box<dyn Storage>> {
    if is_postgres(db) {
        open(db, on_wait)
    } else {
        Ok(Box::new(Store::open_existing(Path::new(db), on_wait)?))
    }
}

/// Called while a writer waits for the write lock, with the time waited.
pub type LockWait = std::sync::Arc<dyn Fn(Duration) + Send + Sync>;

/// How long a writer waits for another process's write lock by default
/// (`CORROBORATE_LOCK_TIMEOUT`, in seconds, overrides it).
pub const DEFAULT_LOCK_TIMEOUT: Duration = Duration::from_secs(300);

#[cfg(test)]
mod tests;
