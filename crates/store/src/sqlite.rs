//! The embedded SQLite store: one file, readers beside one writer (WAL),
//! every write in one immediate transaction.

use super::*;

mod search;

/// Whether SQLite said the database is locked or busy.
pub(super) fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// Called after a busy try: `Err(Locked)` past the timeout, else reports
/// the wait and returns to try again.
pub(super) fn waited(start: Instant, timeout: Duration, on_wait: Option<&LockWait>) -> Result<()> {
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
pub(super) fn with_lock_wait<T>(
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
pub(super) fn begin_write<'c>(
    conn: &'c Connection,
    timeout: Duration,
    on_wait: Option<&LockWait>,
) -> Result<rusqlite::Transaction<'c>> {
    with_lock_wait(timeout, on_wait, || {
        rusqlite::Transaction::new_unchecked(conn, rusqlite::TransactionBehavior::Immediate)
    })
}

pub(super) fn set_analyzed(tx: &rusqlite::Transaction<'_>, through: i64) -> Result<()> {
    tx.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES ('analyzed_seq', ?1)",
        [through],
    )?;
    Ok(())
}

/// Inserts `reports`' rows: stories, their search documents, claims,
/// memberships, copies, and (after every story exists) links.
pub(super) fn insert_reports(
    tx: &rusqlite::Transaction<'_>,
    reports: &[StoryReport],
) -> Result<()> {
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

pub(super) fn summary_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Result<StorySummary>> {
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

/// Inserts articles (and their search rows) inside `tx`; returns how many
/// were new.
pub(super) fn insert_in<'a>(
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

/// The SQLite store.
///
/// Concurrency: any number of readers beside one writer (WAL). Every write
/// transaction, schema creation and migration included, takes the write
/// lock when it begins (`BEGIN IMMEDIATE`), so two processes never both
/// start writing and then fail on upgrading their locks; a writer that
/// finds the lock taken waits for it, reporting through [`Store::on_lock_wait`],
/// up to the lock timeout, and then fails with [`Error::Locked`].
pub struct Store {
    pub(crate) conn: Connection,
    pub(crate) lock_timeout: Duration,
    pub(crate) on_wait: Option<LockWait>,
}

/// Waits between tries for the write lock (SQLite's own busy handler waits
/// inside each try).
pub(super) const LOCK_TRY: Duration = Duration::from_secs(1);

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
        self.articles_page(seq, usize::MAX)
    }

    /// Up to `limit` articles stored after arrival number `seq`, in order.
    pub fn articles_page(&self, seq: i64, limit: usize) -> Result<Vec<StoredArticle>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT seq, article FROM articles WHERE seq > ?1 ORDER BY seq LIMIT ?2",
        )?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = stmt.query_map([seq, limit], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
        })?;
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

    /// Integrity check (`PRAGMA integrity_check`): `true` when the file is sound.
    pub fn check_integrity(&self) -> Result<bool> {
        let s: String = self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        Ok(s == "ok")
    }
}
