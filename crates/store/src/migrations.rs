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
    // 3: search that finds a word's inflections (Porter stemming: "burned"
    // finds "burn"), still accent-insensitive; both indexes rebuilt from
    // what the store holds.
    r#"
    DROP TABLE article_fts;
    CREATE VIRTUAL TABLE article_fts USING fts5(title, text, tokenize = 'porter unicode61 remove_diacritics 2');
    INSERT INTO article_fts (rowid, title, text)
        SELECT seq, coalesce(json_extract(article, '$.title'), ''), json_extract(article, '$.text') FROM articles;
    DROP TABLE claim_fts;
    CREATE VIRTUAL TABLE claim_fts USING fts5(text, speaker, story_id UNINDEXED, claim_id UNINDEXED,
        tokenize = 'porter unicode61 remove_diacritics 2');
    INSERT INTO claim_fts (text, speaker, story_id, claim_id)
        SELECT json_extract(c.value, '$.text'), coalesce(json_extract(c.value, '$.speaker'), ''), s.id, json_extract(c.value, '$.id')
        FROM stories s, json_each(s.report, '$.claims') c;
    "#,
    // 4: memberships carry the article's arrival number, so that a text
    // search maps index hits to stories without reading the articles'
    // large rows.
    r#"
    ALTER TABLE memberships ADD COLUMN seq INTEGER;
    UPDATE memberships SET seq = (SELECT seq FROM articles WHERE articles.id = memberships.article_id);
    CREATE INDEX memberships_seq ON memberships(seq);
    "#,
    // 5: the story-level search index (see story_index.rs), filled here from
    // what the store holds (the next analysis rewrites it in its own shape);
    // each story's claim statuses as a column, so the status filter does not
    // read reports; an index in the story list's order.
    r#"
    CREATE VIRTUAL TABLE story_fts USING fts5(title, text, claims, words,
        tokenize = 'porter unicode61 remove_diacritics 2');
    INSERT INTO story_fts (rowid, title, text, claims, words)
        SELECT s.rowid, s.title, json_extract(s.report, '$.summary'),
            coalesce((SELECT group_concat(coalesce(json_extract(c.value, '$.speaker') || ': ', '') || json_extract(c.value, '$.text'), char(10))
                      FROM json_each(s.report, '$.claims') c), ''),
            coalesce((SELECT group_concat(coalesce(json_extract(a.article, '$.title'), '') || ' ' || json_extract(a.article, '$.text'), char(10))
                      FROM memberships m JOIN articles a ON a.id = m.article_id WHERE m.story_id = s.id), '')
        FROM stories s;
    ALTER TABLE stories ADD COLUMN statuses TEXT NOT NULL DEFAULT '';
    UPDATE stories SET statuses = coalesce((SELECT ',' || group_concat(DISTINCT json_extract(c.value, '$.status')) || ','
        FROM json_each(stories.report, '$.claims') c), '');
    CREATE INDEX stories_recent ON stories((end IS NULL), end DESC, n_articles DESC, id);
    "#,
    // 6: articles extracted by queue workers, waiting to be placed in queue
    // order (see `Storage::stage_articles`).
    r#"
    CREATE TABLE staged (
        qseq    INTEGER PRIMARY KEY,
        raw     TEXT NOT NULL,
        article TEXT NOT NULL
    );
    "#,
    // 7: outlet templates' counts (see `Storage::outlet_lines`).
    r#"
    CREATE TABLE outlets (
        outlet   TEXT PRIMARY KEY,
        articles INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE outlet_lines (
        outlet     TEXT NOT NULL,
        key        INTEGER NOT NULL,
        first_seen INTEGER NOT NULL,
        articles   INTEGER NOT NULL,
        PRIMARY KEY (outlet, key)
    ) WITHOUT ROWID;
    "#,
    // 8: stored annotations (see `Storage::annotations`).
    r#"
    CREATE TABLE annotations (
        article_id TEXT PRIMARY KEY,
        anchor     TEXT NOT NULL,
        version    INTEGER NOT NULL,
        json       TEXT NOT NULL
    );
    "#,
];

/// Opens a write transaction (waiting for the write lock).
pub(crate) type BeginWrite<'a> = dyn Fn(&Connection) -> Result<rusqlite::Transaction<'_>> + 'a;

/// Brings the schema up to date. The version is read again inside each
/// write transaction, so a second process that opened the same new store at
/// the same moment finds the first one's work done instead of creating the
/// tables twice.
pub(crate) fn migrate(conn: &Connection, begin: &BeginWrite<'_>) -> Result<()> {
    let supported = MIGRATIONS.len() as i64;
    loop {
        let current: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if current > supported {
            return Err(Error::TooNew {
                found: current,
                supported,
            });
        }
        if current == supported {
            return Ok(());
        }
        let tx = begin(conn)?;
        let now: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if now == current {
            tx.execute_batch(MIGRATIONS[current as usize])?;
            tx.pragma_update(None, "user_version", current + 1)?;
            tx.commit()?;
            tracing::info!(target: "store::migrate", version = current + 1, "schema migrated");
        }
    }
}
