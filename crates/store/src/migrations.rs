//! Versioned schema migrations. Each entry moves the schema from version
//! `i` to `i + 1` and runs in its own transaction together with the
//! `user_version` bump, so a store is never left half-migrated.

use crate::{Error, Result};
use rusqlite::Connection;

/// Migrations in order; never edit a released one, append a new one.
pub(crate) const MIGRATIONS: &[&str] = &[
    // 1: articles, stories, memberships, copies, links.
    r#"
    CREATE TABLE articles (
        seq     INTEGER PRIMARY KEY AUTOINCREMENT,
        id      TEXT NOT NULL UNIQUE,
        source  TEXT NOT NULL,
        format  TEXT NOT NULL,
        raw     TEXT NOT NULL,
        hints   TEXT NOT NULL,
        article TEXT NOT NULL,
        ingested_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    CREATE TABLE stories (
        id         TEXT PRIMARY KEY,
        title      TEXT NOT NULL,
        start      TEXT,
        end        TEXT,
        n_articles INTEGER NOT NULL,
        outlets    TEXT NOT NULL,
        report     TEXT NOT NULL
    );
    CREATE TABLE memberships (
        article_id TEXT PRIMARY KEY REFERENCES articles(id),
        story_id   TEXT NOT NULL REFERENCES stories(id),
        position   INTEGER NOT NULL
    );
    CREATE INDEX memberships_story ON memberships(story_id);
    CREATE TABLE copies (
        article_id  TEXT PRIMARY KEY REFERENCES articles(id),
        original_id TEXT REFERENCES articles(id),
        declared    TEXT,
        overlap     REAL NOT NULL,
        evidence    TEXT NOT NULL
    );
    CREATE TABLE story_links (
        story_id   TEXT NOT NULL REFERENCES stories(id),
        related_id TEXT NOT NULL REFERENCES stories(id),
        reason     TEXT NOT NULL,
        PRIMARY KEY (story_id, related_id)
    );
    "#,
    // 2: full-text search over articles and claims (FTS5), and a meta table.
    r#"
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE VIRTUAL TABLE article_fts USING fts5(title, text, tokenize = 'unicode61 remove_diacritics 2');
    INSERT INTO article_fts (rowid, title, text)
        SELECT seq, coalesce(json_extract(article, '$.title'), ''), json_extract(article, '$.text') FROM articles;
    CREATE VIRTUAL TABLE claim_fts USING fts5(text, speaker, story_id UNINDEXED, claim_id UNINDEXED,
        tokenize = 'unicode61 remove_diacritics 2');
    "#,
];

pub(crate) fn migrate(conn: &mut Connection) -> Result<()> {
    let current: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let supported = MIGRATIONS.len() as i64;
    if current > supported {
        return Err(Error::TooNew {
            found: current,
            supported,
        });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
        tx.commit()?;
        tracing::info!(target: "store::migrate", version = i + 1, "schema migrated");
    }
    Ok(())
}
