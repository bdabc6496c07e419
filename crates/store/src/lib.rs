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
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
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

/// Whether SQLite said the database is locked or busy.
fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// Called after a busy try: `Err(Locked)` past the timeout, else reports
/// the wait and returns to try again.
fn waited(start: Instant, timeout: Duration, on_wait: Option<&LockWait>) -> Result<()> {
    let waited = start.elapsed();
    if waited >= timeout {
        return Err(Error::Locked {
            waited_s: waited.as_secs(),
        });
    }
    tracing::info!(target: "store", waited_s = waited.as_secs(), "waiting for the write lock");
    if let Some(f) = on_wait {
        f(waited);
    }
    Ok(())
}

/// Runs `f` until it does not fail on a busy lock, reporting each wait to
/// `on_wait`, and fails with [`Error::Locked`] past `timeout`.
fn with_lock_wait<T>(
    timeout: Duration,
    on_wait: Option<&LockWait>,
    mut f: impl FnMut() -> rusqlite::Result<T>,
) -> Result<T> {
    let start = Instant::now();
    loop {
        match f() {
            Err(e) if is_busy(&e) => waited(start, timeout, on_wait)?,
            other => return Ok(other?),
        }
    }
}

/// `BEGIN IMMEDIATE`, waiting for the write lock up to `timeout`. (Through
/// `new_unchecked`: the callers hold `&mut self`, so no transaction nests.)
fn begin_write<'c>(
    conn: &'c Connection,
    timeout: Duration,
    on_wait: Option<&LockWait>,
) -> Result<rusqlite::Transaction<'c>> {
    with_lock_wait(timeout, on_wait, || {
        rusqlite::Transaction::new_unchecked(conn, rusqlite::TransactionBehavior::Immediate)
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

fn set_analyzed(tx: &rusqlite::Transaction<'_>, through: i64) -> Result<()> {
    tx.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES ('analyzed_seq', ?1)",
        [through],
    )?;
    Ok(())
}

/// Inserts `reports`' rows: stories, their search documents, claims,
/// memberships, copies, and (after every story exists) links.
fn insert_reports(tx: &rusqlite::Transaction<'_>, reports: &[StoryReport]) -> Result<()> {
    {
        let mut story = tx.prepare_cached(
                "INSERT INTO stories (id, title, start, end, n_articles, outlets, report, statuses) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?;
        let mut member = tx.prepare_cached(
                "INSERT INTO memberships (article_id, story_id, position, seq) VALUES (?1, ?2, ?3, (SELECT seq FROM articles WHERE id = ?1))",
            )?;
        let mut copy = tx.prepare_cached(
                "INSERT INTO copies (article_id, original_id, declared, overlap, evidence) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
        let mut claim = tx.prepare_cached(
                "INSERT INTO claim_fts (rowid, text, speaker, story_id, claim_id) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
        let mut link = tx.prepare_cached(
            "INSERT OR IGNORE INTO story_links (story_id, related_id, reason) VALUES (?1, ?2, ?3)",
        )?;
        for r in reports {
            let mut outlets: Vec<String> =
                r.articles.iter().filter_map(|a| a.outlet.clone()).collect();
            outlets.sort();
            outlets.dedup();
            story.execute(params![
                r.id.as_str(),
                r.title,
                r.span.start.map(rfc3339),
                r.span.end.map(rfc3339),
                r.articles.len() as i64,
                serde_json::to_string(&outlets)?,
                serde_json::to_string(r)?,
                statuses(r),
            ])?;
            let rowid = tx.last_insert_rowid();
            story_index::write(tx, rowid, r)?;
            for (k, c) in r.claims.iter().enumerate().take(CLAIM_ROWS as usize) {
                claim.execute(params![
                    rowid * CLAIM_ROWS + k as i64,
                    c.text,
                    c.speaker.as_deref().unwrap_or(""),
                    r.id.as_str(),
                    c.id
                ])?;
            }
            for (i, a) in r.articles.iter().enumerate() {
                member.execute(params![a.id.as_str(), r.id.as_str(), i as i64])?;
                if let Some(c) = &a.copy_of {
                    copy.execute(params![
                        a.id.as_str(),
                        c.article.as_ref().map(|x| x.as_str().to_string()),
                        c.declared,
                        c.overlap,
                        serde_json::to_string(&c.evidence)?,
                    ])?;
                }
            }
        }
        // Links after every story exists (they reference each other).
        for r in reports {
            for rel in &r.related {
                link.execute(params![r.id.as_str(), rel.id.as_str(), rel.reason])?;
            }
        }
    }
    Ok(())
}

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

fn summary_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Result<StorySummary>> {
    let (id, title, n, outlets, start, end): (
        String,
        String,
        i64,
        String,
        Option<String>,
        Option<String>,
    ) = (
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
    );
    Ok(serde_json::from_str(&outlets)
        .map(|outlets| StorySummary {
            id: StoryId(id),
            title,
            articles: n as usize,
            outlets,
            start: normalized_time(start),
            end: normalized_time(end),
        })
        .map_err(Error::from))
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

/// Inserts articles (and their search rows) inside `tx`; returns how many
/// were new.
fn insert_in<'a>(
    tx: &rusqlite::Transaction<'_>,
    batch: impl Iterator<Item = (&'a RawDocument, &'a Article)>,
) -> Result<usize> {
    let mut fts =
        tx.prepare_cached("INSERT INTO article_fts (rowid, title, text) VALUES (?1, ?2, ?3)")?;
    let mut stmt = tx.prepare_cached(
        "INSERT OR IGNORE INTO articles (id, source, format, raw, hints, article) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    let mut added = 0;
    for (raw, article) in batch {
        let n = stmt.execute(params![
            raw.id.as_str(),
            raw.source,
            raw.format.as_str(),
            raw.content,
            serde_json::to_string(&raw.hints)?,
            serde_json::to_string(article)?,
        ])?;
        if n == 1 {
            fts.execute(params![
                tx.last_insert_rowid(),
                article.title.as_deref().unwrap_or(""),
                article.text
            ])?;
        }
        added += n;
    }
    Ok(added)
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

/// The SQLite store.
///
/// Concurrency: any number of readers beside one writer (WAL). Every write
/// transaction, schema creation and migration included, takes the write
/// lock when it begins (`BEGIN IMMEDIATE`), so two processes never both
/// start writing and then fail on upgrading their locks; a writer that
/// finds the lock taken waits for it, reporting through [`Store::on_lock_wait`],
/// up to the lock timeout, and then fails with [`Error::Locked`].
pub struct Store {
    conn: Connection,
    lock_timeout: Duration,
    on_wait: Option<LockWait>,
}

/// Waits between tries for the write lock (SQLite's own busy handler waits
/// inside each try).
const LOCK_TRY: Duration = Duration::from_secs(1);

impl Store {
    /// Opens (creating if needed) the store at `path` and migrates it.
    pub fn open(path: &Path) -> Result<Self> {
        Self::open_with(path, None)
    }

    /// [`Store::open`], reporting waits for another process's write lock
    /// (while creating or migrating the schema, and on every later write)
    /// to `on_wait`.
    pub fn open_with(path: &Path, on_wait: Option<LockWait>) -> Result<Self> {
        let conn = Connection::open(path)?;
        // Before anything that may need a lock: a second process opening a
        // new store waits instead of failing with "database is locked".
        conn.busy_timeout(LOCK_TRY)?;
        let mut store = Store::with_conn(conn);
        store.on_wait = on_wait;
        with_lock_wait(store.lock_timeout, store.on_wait.as_ref(), || {
            store.conn.pragma_update(None, "journal_mode", "WAL")?;
            store.conn.pragma_update(None, "synchronous", "NORMAL")
        })?;
        store.init()?;
        Ok(store)
    }

    /// Opens an existing store for reading: a missing file is an error
    /// naming it, never a new empty store.
    pub fn open_existing(path: &Path, on_wait: Option<LockWait>) -> Result<Self> {
        if !path.is_file() {
            return Err(Error::Missing(path.display().to_string()));
        }
        Self::open_with(path, on_wait)
    }

    /// An in-memory store (the same engine and schema; for tests and one-off runs).
    pub fn open_in_memory() -> Result<Self> {
        let mut store = Store::with_conn(Connection::open_in_memory()?);
        store.init()?;
        Ok(store)
    }

    fn with_conn(conn: Connection) -> Self {
        let lock_timeout = std::env::var("CORROBORATE_LOCK_TIMEOUT")
            .ok()
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map_or(DEFAULT_LOCK_TIMEOUT, Duration::from_secs);
        Store {
            conn,
            lock_timeout,
            on_wait: None,
        }
    }

    fn init(&mut self) -> Result<()> {
        self.conn.busy_timeout(LOCK_TRY)?;
        self.conn.pragma_update(None, "foreign_keys", "ON")?;
        // 32 MiB of page cache (SQLite's default is 2 MiB): the story list
        // and the search indexes of a large store stay in memory.
        self.conn.pragma_update(None, "cache_size", -32_768)?;
        let (timeout, wait) = (self.lock_timeout, self.on_wait.clone());
        migrations::migrate(&self.conn, &|c| begin_write(c, timeout, wait.as_ref()))
    }

    /// Reports waits for the write lock to `f` (a progress line, a log).
    pub fn on_lock_wait(&mut self, f: LockWait) {
        self.on_wait = Some(f);
    }

    /// How long a writer waits for the write lock before [`Error::Locked`].
    pub fn set_lock_timeout(&mut self, timeout: Duration) {
        self.lock_timeout = timeout;
    }

    /// A write transaction holding the write lock (waiting for it).
    fn write(&mut self) -> Result<rusqlite::Transaction<'_>> {
        begin_write(&self.conn, self.lock_timeout, self.on_wait.as_ref())
    }

    /// Schema version of the open store.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    /// See [`Storage::annotations`].
    pub fn annotations(
        &self,
        keys: &[AnnotationKey],
        version: u32,
    ) -> Result<Vec<Option<corroborate_model::Annotations>>> {
        annotations::load_sqlite(&self.conn, keys, version)
    }

    /// See [`Storage::save_annotations`].
    pub fn save_annotations(
        &mut self,
        items: &[(AnnotationKey, corroborate_model::Annotations)],
        version: u32,
    ) -> Result<()> {
        let tx = self.write()?;
        annotations::save_sqlite(&tx, items, version)?;
        tx.commit()?;
        Ok(())
    }

    /// See [`Storage::outlet_lines`].
    pub fn outlet_lines(
        &mut self,
        batch: &[OutletLines],
        learn: bool,
    ) -> Result<Vec<Vec<LineStats>>> {
        let mut tx = if learn {
            self.write()?
        } else {
            self.conn.unchecked_transaction()?
        };
        let out = templates::outlet_lines(&mut tx, batch, learn)?;
        tx.commit()?;
        Ok(out)
    }

    /// Inserts a batch in one transaction; returns how many were new.
    pub fn insert_articles(&mut self, batch: &[(RawDocument, Article)]) -> Result<usize> {
        let tx = self.write()?;
        let added = insert_in(&tx, batch.iter().map(|(r, a)| (r, a)))?;
        tx.commit()?;
        Ok(added)
    }

    /// Stages articles a queue worker extracted, keyed by queue sequence
    /// (see [`Storage::stage_articles`]).
    pub fn stage_articles(&mut self, batch: &[Staged]) -> Result<usize> {
        let tx = self.write()?;
        let mut added = 0;
        {
            let mut stmt = tx.prepare_cached(
                "INSERT OR IGNORE INTO staged (qseq, raw, article) VALUES (?1, ?2, ?3)",
            )?;
            for s in batch {
                added += stmt.execute(params![
                    s.qseq as i64,
                    serde_json::to_string(&s.raw)?,
                    serde_json::to_string(&s.article)?
                ])?;
            }
        }
        tx.commit()?;
        Ok(added)
    }

    /// Moves staged articles up to queue sequence `through` into the store,
    /// in queue order, in one transaction (see [`Storage::promote_staged`]).
    pub fn promote_staged(&mut self, through: u64) -> Result<Promoted> {
        let tx = self.write()?;
        let rows: Vec<(RawDocument, Article)> = {
            let mut stmt = tx
                .prepare_cached("SELECT raw, article FROM staged WHERE qseq <= ?1 ORDER BY qseq")?;
            let rows = stmt.query_map([through as i64], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })?;
            let mut out = Vec::new();
            for row in rows {
                let (raw, article) = row?;
                out.push((serde_json::from_str(&raw)?, serde_json::from_str(&article)?));
            }
            out
        };
        let added = insert_in(&tx, rows.iter().map(|(r, a)| (r, a)))?;
        tx.execute("DELETE FROM staged WHERE qseq <= ?1", [through as i64])?;
        tx.commit()?;
        Ok(Promoted {
            moved: rows.len(),
            added,
        })
    }

    /// Number of staged articles.
    pub fn staged_count(&self) -> Result<usize> {
        Ok(self
            .conn
            .query_row("SELECT COUNT(*) FROM staged", [], |r| r.get::<_, i64>(0))?
            as usize)
    }

    /// Whether an article is already stored.
    pub fn contains(&self, id: &ArticleId) -> Result<bool> {
        Ok(self
            .conn
            .query_row(
                "SELECT 1 FROM articles WHERE id = ?1",
                [id.as_str()],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }

    /// Number of stored articles.
    pub fn article_count(&self) -> Result<usize> {
        Ok(self
            .conn
            .query_row("SELECT COUNT(*) FROM articles", [], |r| r.get::<_, i64>(0))?
            as usize)
    }

    /// All articles in arrival order (arrival numbers start at 1).
    pub fn articles(&self) -> Result<Vec<StoredArticle>> {
        self.articles_since(0)
    }

    /// One article by id.
    pub fn article(&self, id: &str) -> Result<Option<Article>> {
        let json: Option<String> = self
            .conn
            .query_row("SELECT article FROM articles WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?;
        json.map(|j| serde_json::from_str(&j).map_err(Error::from))
            .transpose()
    }

    /// Story of an article, if analysed.
    pub fn story_of(&self, article: &str) -> Result<Option<StoryId>> {
        Ok(self
            .conn
            .query_row(
                "SELECT story_id FROM memberships WHERE article_id = ?1",
                [article],
                |r| r.get::<_, String>(0),
            )
            .optional()?
            .map(StoryId))
    }

    /// Replaces all analysis results in one transaction, as covering every
    /// article stored now (for a single writer; see
    /// [`Store::replace_analysis_through`]).
    pub fn replace_analysis(&mut self, reports: &[StoryReport]) -> Result<()> {
        let through = self.max_seq()?;
        self.replace_analysis_through(reports, through)
    }

    /// The arrival number of the newest stored article (0 when none).
    pub fn max_seq(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT coalesce(max(seq), 0) FROM articles", [], |r| {
                r.get(0)
            })?)
    }

    /// Replaces all analysis results in one transaction, recording that they
    /// cover the articles up to arrival number `through`: articles another
    /// process stored while the analysis ran stay due for the next one.
    pub fn replace_analysis_through(
        &mut self,
        reports: &[StoryReport],
        through: i64,
    ) -> Result<()> {
        let tx = self.write()?;
        tx.execute_batch(
            "DELETE FROM memberships; DELETE FROM copies; DELETE FROM story_links; DELETE FROM stories; DELETE FROM claim_fts; DELETE FROM story_fts;",
        )?;
        set_analyzed(&tx, through)?;
        insert_reports(&tx, reports)?;
        tx.commit()?;
        Ok(())
    }

    /// Replaces the stories `changed` (new or rebuilt) and deletes the
    /// stories `removed`, leaving every other story as it is, in one
    /// transaction that records the analysis as covering `through`. Cost:
    /// the rows of those stories only (each story's claim rows sit in one
    /// range of rowids per story).
    pub fn replace_stories(
        &mut self,
        changed: &[StoryReport],
        removed: &[StoryId],
        through: i64,
    ) -> Result<()> {
        let tx = self.write()?;
        // A rebuilt story's row is deleted and inserted again while other
        // stories' links still name it: foreign keys are checked at commit.
        tx.pragma_update(None, "defer_foreign_keys", "ON")?;
        let gone: Vec<&str> = changed
            .iter()
            .map(|r| r.id.as_str())
            .chain(removed.iter().map(|s| s.as_str()))
            .collect();
        for id in &gone {
            let rowid: Option<i64> = tx
                .query_row("SELECT rowid FROM stories WHERE id = ?1", [id], |r| {
                    r.get(0)
                })
                .optional()?;
            if let Some(n) = rowid {
                tx.execute("DELETE FROM story_fts WHERE rowid = ?1", [n])?;
                tx.execute(
                    "DELETE FROM claim_fts WHERE rowid >= ?1 AND rowid < ?2",
                    [n * CLAIM_ROWS, (n + 1) * CLAIM_ROWS],
                )?;
            }
            tx.execute(
                "DELETE FROM copies WHERE article_id IN (SELECT article_id FROM memberships WHERE story_id = ?1)",
                [id],
            )?;
            tx.execute("DELETE FROM memberships WHERE story_id = ?1", [id])?;
            tx.execute("DELETE FROM story_links WHERE story_id = ?1", [id])?;
        }
        for id in removed {
            tx.execute(
                "DELETE FROM story_links WHERE related_id = ?1",
                [id.as_str()],
            )?;
        }
        for id in &gone {
            tx.execute("DELETE FROM stories WHERE id = ?1", [id])?;
        }
        set_analyzed(&tx, through)?;
        insert_reports(&tx, changed)?;
        tx.commit()?;
        Ok(())
    }

    /// Up to `limit` stored raw documents after arrival number `after`.
    pub fn raw_documents(&self, after: i64, limit: usize) -> Result<Vec<(i64, RawDocument)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT seq, id, source, format, raw, hints FROM articles WHERE seq > ?1 ORDER BY seq LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![after, limit as i64], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
            ))
        })?;
        rows.map(|row| {
            let (seq, id, source, format, content, hints) = row?;
            raw_document(seq, id, source, &format, content, &hints)
        })
        .collect()
    }

    /// Replaces the extracted form of stored articles and their search rows.
    pub fn update_articles(&mut self, articles: &[Article]) -> Result<usize> {
        let tx = self.write()?;
        let mut n = 0;
        for a in articles {
            let seq: Option<i64> = tx
                .query_row(
                    "SELECT seq FROM articles WHERE id = ?1",
                    [a.id.as_str()],
                    |r| r.get(0),
                )
                .optional()?;
            let Some(seq) = seq else { continue };
            tx.execute(
                "DELETE FROM annotations WHERE article_id = ?1",
                [a.id.as_str()],
            )?;
            tx.execute(
                "UPDATE articles SET article = ?1 WHERE seq = ?2",
                params![serde_json::to_string(a)?, seq],
            )?;
            tx.execute("DELETE FROM article_fts WHERE rowid = ?1", [seq])?;
            tx.execute(
                "INSERT INTO article_fts (rowid, title, text) VALUES (?1, ?2, ?3)",
                params![seq, a.title.as_deref().unwrap_or(""), a.text],
            )?;
            n += 1;
        }
        tx.commit()?;
        Ok(n)
    }

    /// Articles stored after arrival number `seq`, in arrival order.
    pub fn articles_since(&self, seq: i64) -> Result<Vec<StoredArticle>> {
        let mut stmt = self
            .conn
            .prepare("SELECT seq, article FROM articles WHERE seq > ?1 ORDER BY seq")?;
        let rows = stmt.query_map([seq], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
        rows.map(|row| {
            let (seq, json) = row?;
            Ok(StoredArticle {
                seq,
                article: serde_json::from_str(&json)?,
            })
        })
        .collect()
    }

    /// One story's report. Accepts a unique id prefix.
    pub fn report(&self, id: &str) -> Result<Option<StoryReport>> {
        let mut stmt = self.conn.prepare(
            "SELECT report FROM stories WHERE id = ?1 OR id LIKE ?2 ESCAPE '\\' LIMIT 2",
        )?;
        let like = format!(
            "{}%",
            id.replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        let found: Vec<String> = stmt
            .query_map(params![id, like], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        match found.as_slice() {
            [one] => Ok(Some(serde_json::from_str(one)?)),
            _ => Ok(None),
        }
    }

    /// The titles of the stories `ids` that exist (for links to related
    /// stories).
    pub fn story_titles(&self, ids: &[&str]) -> Result<std::collections::HashMap<String, String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT title FROM stories WHERE id = ?1")?;
        let mut out = std::collections::HashMap::new();
        for id in ids {
            if let Some(t) = stmt.query_row([id], |r| r.get::<_, String>(0)).optional()? {
                out.insert((*id).to_string(), t);
            }
        }
        Ok(out)
    }

    /// What matched the search words `text` in each of the stories `ids` (a
    /// page of search results): a snippet and the first matching claim.
    /// Bounded: one row of the story index per story and, when the openings
    /// it holds do not match, the texts of at most 4 of
    /// its articles, each scanned once (snippet.rs).
    pub fn story_matches(&self, text: &str, ids: &[&str]) -> Result<Vec<StoryMatch>> {
        let terms = snippet::Terms::new(text);
        // Two lookups: FTS5 given `rowid = (subquery)` is several times slower.
        let mut rowid = self
            .conn
            .prepare_cached("SELECT rowid FROM stories WHERE id = ?1")?;
        let mut doc = self
            .conn
            .prepare_cached("SELECT text, claims FROM story_fts WHERE rowid = ?1")?;
        let mut members = self.conn.prepare_cached(
            "SELECT seq FROM memberships WHERE story_id = ?1 ORDER BY position LIMIT ?2",
        )?;
        // The text as the article index holds it: the articles table would
        // walk past each row's raw input first.
        let mut article = self
            .conn
            .prepare_cached("SELECT text FROM article_fts WHERE rowid = ?1")?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let row = rowid.query_row([id], |r| r.get::<_, i64>(0)).optional()?;
            let Some((openings, claims)) = row
                .map(|n| {
                    doc.query_row([n], |r| {
                        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
                    })
                })
                .transpose()
                .optional()?
                .flatten()
            else {
                out.push(StoryMatch::default());
                continue;
            };
            // Article texts are read one at a time, until one matches.
            let first = members
                .query_map(params![id, SNIPPET_ARTICLES], |r| r.get::<_, i64>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let texts = first
                .into_iter()
                .map(|a| Ok(article.query_row([a], |r| r.get::<_, String>(0))?));
            out.push(terms.story_match(&openings, &claims, texts)?);
        }
        Ok(out)
    }

    /// The arrival number the stored analysis covers (0 before any).
    pub fn analyzed_through(&self) -> Result<i64> {
        Ok(self.conn.query_row(
            "SELECT coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'analyzed_seq'), 0)",
            [],
            |r| r.get(0),
        )?)
    }

    /// True when articles were stored after the last analysis.
    pub fn needs_analysis(&self) -> Result<bool> {
        Ok(self.conn.query_row(
            "SELECT coalesce(max(seq), 0) > coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'analyzed_seq'), 0) FROM articles",
            [],
            |r| r.get(0),
        )?)
    }

    /// Stories matching `filter`, newest first, with the total count before paging.
    pub fn search_stories(&self, filter: &StoryFilter) -> Result<(usize, Vec<StorySummary>)> {
        let mut wh: Vec<&str> = Vec::new();
        let mut args: Vec<rusqlite::types::Value> = Vec::new();
        let text = filter.text.as_deref().and_then(fts_query);
        if let Some(q) = &text {
            // One document per story (story_index.rs): the cost is the
            // number of matching stories, not of matching articles.
            wh.push("rowid IN (SELECT rowid FROM story_fts WHERE story_fts MATCH ?)");
            args.push(q.clone().into());
        }
        if let Some(o) = &filter.outlet {
            wh.push(
                "EXISTS (SELECT 1 FROM json_each(stories.outlets) WHERE lower(value) = lower(?))",
            );
            args.push(o.clone().into());
        }
        if let Some(e) = filter.entity.as_deref().and_then(fts_query) {
            wh.push("id IN (SELECT story_id FROM claim_fts WHERE claim_fts MATCH ?)");
            args.push(e.into());
        }
        if let Some(status) = &filter.status {
            wh.push("instr(statuses, ',' || ? || ',') > 0");
            args.push(status.clone().into());
        }
        if let Some(from) = &filter.from {
            wh.push("end >= ?");
            args.push(from.clone().into());
        }
        if let Some(to) = &filter.to {
            wh.push("start <= ?");
            args.push(format!("{to}~").into()); // any time on that day
        }
        let cond = if wh.is_empty() {
            String::from("1")
        } else {
            wh.join(" AND ")
        };
        let total: i64 = self.conn.query_row(
            &format!("SELECT COUNT(*) FROM stories WHERE {cond}"),
            rusqlite::params_from_iter(args.iter()),
            |r| r.get(0),
        )?;
        let mut paged = args.clone();
        paged.push((filter.limit as i64).into());
        paged.push((filter.offset as i64).into());
        let mut stmt = self.conn.prepare(&format!(
            "SELECT id, title, n_articles, outlets, start, end FROM stories WHERE {cond} ORDER BY (end IS NULL), end DESC, n_articles DESC, id LIMIT ? OFFSET ?"
        ))?;
        let rows = stmt.query_map(rusqlite::params_from_iter(paged.iter()), summary_row)?;
        let list = rows
            .map(|row| row.map_err(Error::from)?)
            .collect::<Result<Vec<_>>>()?;
        Ok((total as usize, list))
    }

    /// Full-text search over articles and claims.
    pub fn search(&self, text: &str, limit: usize) -> Result<SearchHits> {
        let Some(q) = fts_query(text) else {
            return Ok(SearchHits::default());
        };
        let mut stmt = self.conn.prepare(
            "SELECT a.id, f.title, snippet(article_fts, 1, '[', ']', '…', 12), m.story_id
             FROM article_fts f JOIN articles a ON a.seq = f.rowid LEFT JOIN memberships m ON m.seq = f.rowid
             WHERE article_fts MATCH ?1 ORDER BY rank LIMIT ?2",
        )?;
        let articles = stmt
            .query_map(params![q, limit as i64], |r| {
                Ok(ArticleHit {
                    id: r.get(0)?,
                    title: r.get(1)?,
                    snippet: r.get(2)?,
                    story: r.get(3)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let mut stmt = self.conn.prepare(
            "SELECT story_id, claim_id, text, speaker FROM claim_fts WHERE claim_fts MATCH ?1 ORDER BY rank LIMIT ?2",
        )?;
        let claims = stmt
            .query_map(params![q, limit as i64], |r| {
                Ok(ClaimHit {
                    story: r.get(0)?,
                    claim: r.get(1)?,
                    text: r.get(2)?,
                    speaker: r.get(3)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(SearchHits { articles, claims })
    }

    /// Integrity check (`PRAGMA integrity_check`): `true` when the file is sound.
    pub fn check_integrity(&self) -> Result<bool> {
        let s: String = self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        Ok(s == "ok")
    }
}

#[cfg(test)]
mod tests;
