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
//! let article = Article { id: raw.id.clone(), source: raw.source.clone(), url: None, title: None,
//!     published: None, author: None, site: None, language: None, text: "Body.".into(),
//!     republished_from: None, boilerplate: vec![] };
//! assert_eq!(store.insert_articles(&[(raw.clone(), article.clone())]).unwrap(), 1);
//! assert_eq!(store.insert_articles(&[(raw, article)]).unwrap(), 0); // idempotent
//! assert_eq!(store.article_count().unwrap(), 1);
//! ```
#![deny(missing_docs)]

mod migrations;

use corroborate_model::{Article, ArticleId, RawDocument, StoryId, StoryReport};
use rusqlite::{params, Connection, OptionalExtension};
use std::path::Path;

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
    /// The file was written by a newer corroborate.
    #[error("store schema version {found} is newer than this program supports ({supported}); upgrade corroborate")]
    TooNew {
        /// Version in the file.
        found: i64,
        /// Newest version this build knows.
        supported: i64,
    },
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

/// An article with its stored raw document, in arrival order.
#[derive(Debug, Clone)]
pub struct StoredArticle {
    /// Arrival sequence number.
    pub seq: i64,
    /// The extracted article.
    pub article: Article,
}

/// The SQLite store.
pub struct Store {
    conn: Connection,
}

impl Store {
    /// Opens (creating if needed) the store at `path` and migrates it.
    pub fn open(path: &Path) -> Result<Self> {
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        Self::init(conn)
    }

    /// An in-memory store (the same engine and schema; for tests and one-off runs).
    pub fn open_in_memory() -> Result<Self> {
        Self::init(Connection::open_in_memory()?)
    }

    fn init(conn: Connection) -> Result<Self> {
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let mut store = Store { conn };
        migrations::migrate(&mut store.conn)?;
        Ok(store)
    }

    /// Schema version of the open store.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    /// Inserts a batch in one transaction; returns how many were new.
    pub fn insert_articles(&mut self, batch: &[(RawDocument, Article)]) -> Result<usize> {
        let tx = self.conn.transaction()?;
        let mut added = 0;
        {
            let mut stmt = tx.prepare_cached(
                "INSERT OR IGNORE INTO articles (id, source, format, raw, hints, article) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for (raw, article) in batch {
                added += stmt.execute(params![
                    raw.id.as_str(),
                    raw.source,
                    raw.format.as_str(),
                    raw.content,
                    serde_json::to_string(&raw.hints)?,
                    serde_json::to_string(article)?,
                ])?;
            }
        }
        tx.commit()?;
        Ok(added)
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

    /// All articles in arrival order.
    pub fn articles(&self) -> Result<Vec<StoredArticle>> {
        let mut stmt = self
            .conn
            .prepare("SELECT seq, article FROM articles ORDER BY seq")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
        rows.map(|row| {
            let (seq, json) = row?;
            Ok(StoredArticle {
                seq,
                article: serde_json::from_str(&json)?,
            })
        })
        .collect()
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

    /// Replaces all analysis results in one transaction.
    pub fn replace_analysis(&mut self, reports: &[StoryReport]) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute_batch("DELETE FROM memberships; DELETE FROM copies; DELETE FROM story_links; DELETE FROM stories;")?;
        {
            let mut story = tx.prepare_cached(
                "INSERT INTO stories (id, title, start, end, n_articles, outlets, report) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            let mut member = tx.prepare_cached(
                "INSERT INTO memberships (article_id, story_id, position) VALUES (?1, ?2, ?3)",
            )?;
            let mut copy = tx.prepare_cached(
                "INSERT INTO copies (article_id, original_id, declared, overlap, evidence) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            let mut link = tx.prepare_cached("INSERT OR IGNORE INTO story_links (story_id, related_id, reason) VALUES (?1, ?2, ?3)")?;
            for r in reports {
                let mut outlets: Vec<String> =
                    r.articles.iter().filter_map(|a| a.outlet.clone()).collect();
                outlets.sort();
                outlets.dedup();
                story.execute(params![
                    r.id.as_str(),
                    r.title,
                    r.span.start.map(|t| t.to_rfc3339()),
                    r.span.end.map(|t| t.to_rfc3339()),
                    r.articles.len() as i64,
                    serde_json::to_string(&outlets)?,
                    serde_json::to_string(r)?,
                ])?;
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
        tx.commit()?;
        Ok(())
    }

    /// Story summaries, newest first.
    pub fn stories(&self) -> Result<Vec<StorySummary>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, title, n_articles, outlets, start, end FROM stories ORDER BY (end IS NULL), end DESC, n_articles DESC, id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, Option<String>>(5)?,
            ))
        })?;
        rows.map(|row| {
            let (id, title, n, outlets, start, end) = row?;
            Ok(StorySummary {
                id: StoryId(id),
                title,
                articles: n as usize,
                outlets: serde_json::from_str(&outlets)?,
                start,
                end,
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
