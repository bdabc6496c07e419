//! The PostgreSQL store: the same [`Storage`] as the SQLite one, for
//! several processes and machines sharing one store. Versioned migrations,
//! full-text search with `tsvector` and GIN indexes (English stemming; accents
//! folded before indexing and in queries, so no extension is needed), and
//! the same semantics: idempotent inserts by content hash, one transaction
//! per batch and per analysis, writers serialised by a transaction-scoped
//! advisory lock on the schema.
//!
//! `postgres://user@host/db?schema=NAME` keeps the store in schema NAME
//! (created when missing; `public` by default), so several stores, or
//! several tests, share one database without colliding.

use crate::backend::Storage;
use crate::snippet::Terms;
use crate::story_index;
use crate::{AnnotationKey, LineStats, OutletLines};
use crate::{
    ArticleHit, ClaimHit, Error, Promoted, Result, SearchHits, Staged, StoredArticle, StoryFilter,
    StoryMatch, StorySummary,
};
use corroborate_model::Annotations;
use corroborate_model::{Article, ArticleId, RawDocument, StoryId, StoryReport};
use postgres::types::ToSql;
use postgres::{Client, NoTls, Transaction};
use std::cell::RefCell;
use std::collections::HashMap;

mod schema;
use schema::*;

/// A store in a PostgreSQL schema.
pub struct PgStore {
    /// The connection; reads need `&mut` in the `postgres` crate while the
    /// [`Storage`] reads take `&self`, and a store is used by one thread at
    /// a time (the server keeps a pool of them).
    client: RefCell<Client>,
}

impl PgStore {
    /// Connects to `url` (`postgres://…`, optionally `?schema=NAME`) and
    /// brings the schema up to date.
    pub fn open(url: &str) -> Result<Self> {
        blocking(|| Self::connect(url))
    }

    fn connect(url: &str) -> Result<Self> {
        let (url, schema) = split_schema(url);
        let mut client = Client::connect(&url, NoTls)?;
        let schema = schema.unwrap_or_else(|| "public".to_string());
        if !schema
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_')
        {
            return Err(Error::BadSchema(schema));
        }
        client.batch_execute(&format!(
            "CREATE SCHEMA IF NOT EXISTS {schema}; SET search_path TO {schema}; SET client_min_messages TO WARNING;"
        ))?;
        let mut store = PgStore {
            client: RefCell::new(client),
        };
        store.migrate()?;
        Ok(store)
    }

    fn migrate(&mut self) -> Result<()> {
        let client = self.client.get_mut();
        let mut tx = write(client)?;
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        )?;
        let current: i64 = tx
            .query_opt("SELECT value FROM meta WHERE key = 'schema_version'", &[])?
            .map_or(Ok(0), |r| r.get::<_, String>(0).parse::<i64>())
            .unwrap_or(0);
        let supported = MIGRATIONS.len() as i64;
        if current > supported {
            return Err(Error::TooNew {
                found: current,
                supported,
            });
        }
        for m in &MIGRATIONS[current as usize..] {
            tx.batch_execute(m)?;
        }
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('schema_version', $1) ON CONFLICT (key) DO UPDATE SET value = $1",
            &[&supported.to_string()],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The schema version of the open store.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .client
            .borrow_mut()
            .query_one("SELECT value FROM meta WHERE key = 'schema_version'", &[])?
            .get::<_, String>(0)
            .parse()
            .unwrap_or(0))
    }
}

impl Storage for PgStore {
    fn insert_articles(&mut self, batch: &[(RawDocument, Article)]) -> Result<usize> {
        blocking(|| {
            let client = self.client.get_mut();
            let mut tx = write(client)?;
            let added = insert_in(&mut tx, batch.iter().map(|(r, a)| (r, a)))?;
            tx.commit()?;
            Ok(added)
        })
    }

    fn annotations(
        &self,
        keys: &[AnnotationKey],
        version: u32,
    ) -> Result<Vec<Option<Annotations>>> {
        blocking(|| crate::annotations::load_pg(&mut self.client.borrow_mut(), keys, version))
    }

    fn latest_annotations(&self, article: &ArticleId, version: u32) -> Result<Option<Annotations>> {
        blocking(|| crate::annotations::latest_pg(&mut self.client.borrow_mut(), article, version))
    }

    fn save_annotations(
        &mut self,
        items: &[(AnnotationKey, Annotations)],
        version: u32,
    ) -> Result<()> {
        blocking(|| {
            let client = self.client.get_mut();
            // Not under the schema's write lock: a row is one article's
            // cache, and the last writer's is as good as the first's.
            let mut tx = client.transaction()?;
            crate::annotations::save_pg(&mut tx, items, version)?;
            tx.commit()?;
            Ok(())
        })
    }

    fn outlet_lines(&mut self, batch: &[OutletLines], learn: bool) -> Result<Vec<Vec<LineStats>>> {
        blocking(|| {
            let client = self.client.get_mut();
            let mut tx = if learn {
                write(client)?
            } else {
                client.transaction()?
            };
            let out = crate::templates::outlet_lines(
                &mut crate::templates::PgCounts::new(&mut tx)?,
                batch,
                learn,
            )?;
            tx.commit()?;
            Ok(out)
        })
    }

    fn stage_articles(&mut self, batch: &[Staged]) -> Result<usize> {
        blocking(|| {
            let client = self.client.get_mut();
            // Staging does not take the schema's write lock: workers stage
            // in parallel; only the promotion is serialised.
            let mut tx = client.transaction()?;
            let stmt = tx.prepare(
                "INSERT INTO staged (qseq, raw, article) VALUES ($1, $2, $3) ON CONFLICT (qseq) DO NOTHING",
            )?;
            let mut added = 0;
            for s in batch {
                added += tx.execute(
                    &stmt,
                    &[
                        &(s.qseq as i64),
                        &serde_json::to_string(&s.raw)?,
                        &serde_json::to_string(&s.article)?,
                    ],
                )? as usize;
            }
            tx.commit()?;
            Ok(added)
        })
    }

    fn promote_staged(&mut self, through: u64) -> Result<Promoted> {
        blocking(|| {
            let client = self.client.get_mut();
            let mut tx = write(client)?;
            let through = through as i64;
            let mut rows = Vec::new();
            for r in tx.query(
                "DELETE FROM staged WHERE qseq <= $1 RETURNING qseq, raw, article",
                &[&through],
            )? {
                let raw: RawDocument = serde_json::from_str(r.get(1))?;
                let article: Article = serde_json::from_str(r.get(2))?;
                rows.push((r.get::<_, i64>(0), raw, article));
            }
            rows.sort_by_key(|r| r.0);
            let added = insert_in(&mut tx, rows.iter().map(|(_, r, a)| (r, a)))?;
            tx.commit()?;
            Ok(Promoted {
                moved: rows.len(),
                added,
            })
        })
    }

    fn staged_count(&self) -> Result<usize> {
        blocking(|| {
            Ok(self
                .client
                .borrow_mut()
                .query_one("SELECT count(*) FROM staged", &[])?
                .get::<_, i64>(0) as usize)
        })
    }

    fn contains(&self, id: &ArticleId) -> Result<bool> {
        blocking(|| {
            Ok(self
                .client
                .borrow_mut()
                .query_opt("SELECT 1 FROM articles WHERE id = $1", &[&id.as_str()])?
                .is_some())
        })
    }

    fn article_count(&self) -> Result<usize> {
        blocking(|| {
            Ok(self
                .client
                .borrow_mut()
                .query_one("SELECT count(*) FROM articles", &[])?
                .get::<_, i64>(0) as usize)
        })
    }

    fn articles_since(&self, seq: i64) -> Result<Vec<StoredArticle>> {
        self.articles_page(seq, usize::MAX)
    }
    fn articles_page(&self, seq: i64, limit: usize) -> Result<Vec<StoredArticle>> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        blocking(|| {
            self.client
                .borrow_mut()
                .query(
                    "SELECT seq, article FROM articles WHERE seq > $1 ORDER BY seq LIMIT $2",
                    &[&seq, &limit],
                )?
                .iter()
                .map(|r| {
                    Ok(StoredArticle {
                        seq: r.get(0),
                        article: serde_json::from_str(r.get(1))?,
                    })
                })
                .collect()
        })
    }

    fn raw_documents(&self, after: i64, limit: usize) -> Result<Vec<(i64, RawDocument)>> {
        blocking(|| {
            self.client
                .borrow_mut()
                .query(
                    "SELECT seq, id, source, format, raw, hints FROM articles WHERE seq > $1 ORDER BY seq LIMIT $2",
                    &[&after, &(limit as i64)],
                )?
                .iter()
                .map(|r| {
                    crate::raw_document(r.get(0), r.get(1), r.get(2), r.get(3), r.get(4), r.get(5))
                })
                .collect()
        })
    }

    fn update_articles(&mut self, articles: &[Article]) -> Result<usize> {
        blocking(|| {
            let client = self.client.get_mut();
            let mut tx = write(client)?;
            let mut n = 0;
            for a in articles {
                let title = a.title.clone().unwrap_or_default();
                tx.execute(
                    "DELETE FROM annotations WHERE article_id = $1",
                    &[&a.id.as_str()],
                )?;
                n += tx.execute(
                    "UPDATE articles SET article = $1, title = $2, text = $3,
                         tsv = setweight(to_tsvector('english', $4), 'A') || to_tsvector('english', $5)
                     WHERE id = $6",
                    &[
                        &serde_json::to_string(a)?,
                        &text_value(&title),
                        &text_value(&a.text),
                        &fold(&title),
                        &fold(&a.text),
                        &a.id.as_str(),
                    ],
                )? as usize;
            }
            tx.commit()?;
            Ok(n)
        })
    }

    fn article(&self, id: &str) -> Result<Option<Article>> {
        blocking(|| {
            self.client
                .borrow_mut()
                .query_opt("SELECT article FROM articles WHERE id = $1", &[&id])?
                .map(|r| serde_json::from_str(r.get(0)).map_err(Error::from))
                .transpose()
        })
    }

    fn story_of(&self, article: &str) -> Result<Option<StoryId>> {
        blocking(|| {
            Ok(self
                .client
                .borrow_mut()
                .query_opt(
                    "SELECT story_id FROM memberships WHERE article_id = $1",
                    &[&article],
                )?
                .map(|r| StoryId(r.get(0))))
        })
    }

    fn max_seq(&self) -> Result<i64> {
        blocking(|| {
            Ok(self
                .client
                .borrow_mut()
                .query_one("SELECT coalesce(max(seq), 0) FROM articles", &[])?
                .get(0))
        })
    }

    fn replace_analysis_through(&mut self, reports: &[StoryReport], through: i64) -> Result<()> {
        blocking(|| {
            let client = self.client.get_mut();
            let mut tx = write(client)?;
            tx.batch_execute(
                "DELETE FROM claims; DELETE FROM story_links; DELETE FROM copies; DELETE FROM memberships; DELETE FROM stories;",
            )?;
            set_analyzed(&mut tx, through)?;
            insert_reports(&mut tx, reports)?;
            tx.commit()?;
            Ok(())
        })
    }

    fn replace_stories(
        &mut self,
        changed: &[StoryReport],
        removed: &[StoryId],
        through: i64,
    ) -> Result<()> {
        blocking(|| {
            let client = self.client.get_mut();
            let mut tx = write(client)?;
            let gone: Vec<String> = changed
                .iter()
                .map(|r| r.id.as_str().to_string())
                .chain(removed.iter().map(|s| s.as_str().to_string()))
                .collect();
            let removed: Vec<String> = removed.iter().map(|s| s.as_str().to_string()).collect();
            tx.execute("DELETE FROM claims WHERE story_id = ANY($1)", &[&gone])?;
            tx.execute(
                "DELETE FROM copies WHERE article_id IN (SELECT article_id FROM memberships WHERE story_id = ANY($1))",
                &[&gone],
            )?;
            tx.execute("DELETE FROM memberships WHERE story_id = ANY($1)", &[&gone])?;
            tx.execute(
                "DELETE FROM story_links WHERE story_id = ANY($1) OR related_id = ANY($2)",
                &[&gone, &removed],
            )?;
            tx.execute("DELETE FROM stories WHERE id = ANY($1)", &[&gone])?;
            set_analyzed(&mut tx, through)?;
            insert_reports(&mut tx, changed)?;
            tx.commit()?;
            Ok(())
        })
    }

    fn analyzed_through(&self) -> Result<i64> {
        blocking(|| {
            Ok(self
                .client
                .borrow_mut()
                .query_opt("SELECT value FROM meta WHERE key = 'analyzed_seq'", &[])?
                .and_then(|r| r.get::<_, String>(0).parse().ok())
                .unwrap_or(0))
        })
    }

    fn report(&self, id: &str) -> Result<Option<StoryReport>> {
        blocking(|| {
            let like = format!(
                "{}%",
                id.replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_")
            );
            let rows = self.client.borrow_mut().query(
                "SELECT report FROM stories WHERE id = $1 OR id LIKE $2 LIMIT 2",
                &[&id, &like],
            )?;
            match rows.as_slice() {
                [one] => Ok(Some(serde_json::from_str(one.get(0))?)),
                _ => Ok(None),
            }
        })
    }

    fn story_titles(&self, ids: &[&str]) -> Result<HashMap<String, String>> {
        blocking(|| {
            let ids: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
            Ok(self
                .client
                .borrow_mut()
                .query("SELECT id, title FROM stories WHERE id = ANY($1)", &[&ids])?
                .iter()
                .map(|r| (r.get(0), r.get(1)))
                .collect())
        })
    }

    fn search_stories(&self, filter: &StoryFilter) -> Result<(usize, Vec<StorySummary>)> {
        blocking(|| {
            let mut wh: Vec<String> = Vec::new();
            let mut args: Vec<Box<dyn ToSql + Sync>> = Vec::new();
            let mut arg = |wh: &mut Vec<String>, cond: &str, v: Box<dyn ToSql + Sync>| {
                args.push(v);
                wh.push(cond.replace('?', &format!("${}", args.len())));
            };
            if let Some(q) = filter.text.as_deref().and_then(tsquery) {
                arg(&mut wh, "tsv @@ to_tsquery('english', ?)", Box::new(q));
            }
            if let Some(o) = &filter.outlet {
                arg(
                &mut wh,
                "EXISTS (SELECT 1 FROM jsonb_array_elements_text(outlets) o WHERE lower(o) = lower(?))",
                Box::new(o.clone()),
            );
            }
            if let Some(e) = filter.entity.as_deref().and_then(tsquery) {
                arg(
                    &mut wh,
                    "id IN (SELECT story_id FROM claims WHERE tsv @@ to_tsquery('english', ?))",
                    Box::new(e),
                );
            }
            if let Some(st) = &filter.status {
                arg(
                    &mut wh,
                    "position(',' || ? || ',' in statuses) > 0",
                    Box::new(st.clone()),
                );
            }
            if let Some(from) = &filter.from {
                arg(&mut wh, "\"end\" >= ?", Box::new(from.clone()));
            }
            if let Some(to) = &filter.to {
                arg(&mut wh, "start <= ?", Box::new(format!("{to}~")));
            }
            let cond = if wh.is_empty() {
                "TRUE".to_string()
            } else {
                wh.join(" AND ")
            };
            let params: Vec<&(dyn ToSql + Sync)> = args.iter().map(|b| b.as_ref()).collect();
            let mut client = self.client.borrow_mut();
            let total: i64 = client
                .query_one(
                    &format!("SELECT count(*) FROM stories WHERE {cond}"),
                    &params,
                )?
                .get(0);
            let (limit, offset) = (
                filter.limit.min(i64::MAX as usize) as i64,
                filter.offset as i64,
            );
            let n = params.len();
            let mut paged = params.clone();
            paged.push(&limit);
            paged.push(&offset);
            let rows = client.query(
            &format!(
                "SELECT id, title, n_articles, outlets::text, start, \"end\" FROM stories WHERE {cond}
                 ORDER BY (\"end\" IS NULL), \"end\" DESC, n_articles DESC, id LIMIT ${} OFFSET ${}",
                n + 1,
                n + 2
            ),
            &paged,
        )?;
            let list = rows.iter().map(summary).collect::<Result<Vec<_>>>()?;
            Ok((total as usize, list))
        })
    }

    fn story_matches(&self, text: &str, ids: &[&str]) -> Result<Vec<StoryMatch>> {
        blocking(|| {
            let terms = Terms::new(text);
            let mut client = self.client.borrow_mut();
            let mut out = Vec::with_capacity(ids.len());
            for id in ids {
                let Some(row) = client
                    .query_opt("SELECT openings, claims FROM stories WHERE id = $1", &[id])?
                else {
                    out.push(StoryMatch::default());
                    continue;
                };
                let (openings, claims): (String, String) = (row.get(0), row.get(1));
                let texts = client
                    .query(
                        "SELECT a.text FROM memberships m JOIN articles a ON a.id = m.article_id WHERE m.story_id = $1 ORDER BY m.position LIMIT $2",
                        &[id, &crate::SNIPPET_ARTICLES],
                    )?
                    .into_iter()
                    .map(|r| Ok(r.get::<_, String>(0)));
                out.push(terms.story_match(&openings, &claims, texts)?);
            }
            Ok(out)
        })
    }

    fn search(&self, text: &str, limit: usize) -> Result<SearchHits> {
        blocking(|| {
            let Some(q) = tsquery(text) else {
                return Ok(SearchHits::default());
            };
            let terms = Terms::new(text);
            let limit = limit as i64;
            let mut client = self.client.borrow_mut();
            let articles = client
            .query(
                "SELECT a.id, a.title, a.text, m.story_id FROM articles a LEFT JOIN memberships m ON m.article_id = a.id
                 WHERE a.tsv @@ to_tsquery('english', $1) ORDER BY ts_rank(a.tsv, to_tsquery('english', $1)) DESC, a.seq LIMIT $2",
                &[&q, &limit],
            )?
            .iter()
            .map(|r| ArticleHit {
                id: r.get(0),
                title: r.get(1),
                snippet: terms.snippet(r.get(2)).unwrap_or_default(),
                story: r.get(3),
            })
            .collect();
            let claims = client
            .query(
                "SELECT story_id, claim_id, text, speaker FROM claims
                 WHERE tsv @@ to_tsquery('english', $1) ORDER BY ts_rank(tsv, to_tsquery('english', $1)) DESC LIMIT $2",
                &[&q, &limit],
            )?
            .iter()
            .map(|r| ClaimHit {
                story: r.get(0),
                claim: r.get(1),
                text: r.get(2),
                speaker: r.get(3),
            })
            .collect();
            Ok(SearchHits { articles, claims })
        })
    }

    fn check_integrity(&self) -> Result<bool> {
        blocking(|| {
            let bad: i64 = self
                .client
                .borrow_mut()
                .query_one(
                    "SELECT count(*) FROM memberships m LEFT JOIN articles a ON a.id = m.article_id
                 LEFT JOIN stories s ON s.id = m.story_id WHERE a.id IS NULL OR s.id IS NULL",
                    &[],
                )?
                .get(0);
            Ok(bad == 0)
        })
    }
}

/// A named lease on a PostgreSQL store, held by at most one process at a
/// time: a session-level advisory lock on its own connection. It is
/// released when the holder drops it, when the holder's process dies (the
/// server closes the session), or when the connection is lost; a holder
/// must call [`Lease::check`] before each step it guards, and stop when it
/// answers `false`. The story assigner of the queue workers runs under one.
pub struct Lease {
    client: RefCell<Client>,
    key: String,
}

impl Lease {
    /// Tries once to take the lease `name` on the store `url`; `None` when
    /// another session holds it.
    pub fn try_acquire(url: &str, name: &str) -> Result<Option<Lease>> {
        blocking(|| {
            let (base, schema) = split_schema(url);
            let key = format!("{}:{name}", schema.unwrap_or_else(|| "public".into()));
            let mut client = Client::connect(&base, NoTls)?;
            let got: bool = client
                .query_one("SELECT pg_try_advisory_lock(hashtext($1))", &[&key])?
                .get(0);
            Ok(got.then(|| Lease {
                client: RefCell::new(client),
                key,
            }))
        })
    }

    /// Whether the lease is still held (its session is alive).
    pub fn check(&self) -> bool {
        blocking(|| {
            let mut c = self.client.borrow_mut();
            !c.is_closed()
                && c.query_one(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted",
                    &[],
                )
                .is_ok_and(|r| r.get::<_, i64>(0) > 0)
        })
    }

    /// The lease's key (schema and name).
    pub fn key(&self) -> &str {
        &self.key
    }
}
