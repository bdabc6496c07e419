//! Search over the SQLite store: stories by words and filters (FTS5), what
//! matched in each, and articles and claims by words.

use super::*;

impl Store {
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
}
