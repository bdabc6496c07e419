//! Outlet templates' counts (see [`crate::Storage::outlet_lines`]): per
//! outlet, how many articles it has; per outlet and paragraph key, in how
//! many of them the paragraph appeared and the outlet's article count when
//! it first did. Both backends run the same statements but for their
//! placeholders and integer types.

use crate::Result;

/// How often one paragraph appears among one outlet's articles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct LineStats {
    /// The paragraph's key.
    pub key: u64,
    /// Articles of the outlet it appeared in.
    pub articles: u32,
    /// Articles of the outlet since it first appeared (itself included).
    pub since: u32,
}

/// One article of a batch: its outlet and its paragraph keys (distinct).
pub type OutletLines = (String, Vec<u64>);

/// The few statements the counting needs, for either backend.
pub(crate) trait Counts {
    /// The outlet's article count (0 when unknown).
    fn outlet_articles(&mut self, outlet: &str) -> Result<i64>;
    fn set_outlet_articles(&mut self, outlet: &str, n: i64) -> Result<()>;
    /// Counts one more article for the key (first seen at `at` if new).
    fn bump(&mut self, outlet: &str, key: i64, at: i64) -> Result<()>;
    /// (articles, first seen) of the key, if counted.
    fn line(&mut self, outlet: &str, key: i64) -> Result<Option<(i64, i64)>>;
}

/// Learns (when asked) and reads the counts of a batch, in order: each
/// article of an outlet is one more article of it, and its keys are counted
/// against it; then every key's counts are read with the batch learnt.
pub(crate) fn outlet_lines(
    db: &mut dyn Counts,
    batch: &[OutletLines],
    learn: bool,
) -> Result<Vec<Vec<LineStats>>> {
    if learn {
        for (outlet, keys) in batch {
            let n = db.outlet_articles(outlet)?;
            for &k in keys {
                db.bump(outlet, k as i64, n)?;
            }
            db.set_outlet_articles(outlet, n + 1)?;
        }
    }
    let mut out = Vec::with_capacity(batch.len());
    for (outlet, keys) in batch {
        let total = db.outlet_articles(outlet)?;
        let mut stats = Vec::with_capacity(keys.len());
        for &k in keys {
            if let Some((articles, first)) = db.line(outlet, k as i64)? {
                stats.push(LineStats {
                    key: k,
                    articles: clamp(articles),
                    since: clamp(total - first),
                });
            }
        }
        out.push(stats);
    }
    Ok(out)
}

fn clamp(n: i64) -> u32 {
    n.clamp(0, i64::from(u32::MAX)) as u32
}

impl Counts for rusqlite::Transaction<'_> {
    fn outlet_articles(&mut self, outlet: &str) -> Result<i64> {
        use rusqlite::OptionalExtension;
        Ok(self
            .prepare_cached("SELECT articles FROM outlets WHERE outlet = ?1")?
            .query_row([outlet], |r| r.get(0))
            .optional()?
            .unwrap_or(0))
    }
    fn set_outlet_articles(&mut self, outlet: &str, n: i64) -> Result<()> {
        self.prepare_cached(
            "INSERT INTO outlets (outlet, articles) VALUES (?1, ?2)
             ON CONFLICT (outlet) DO UPDATE SET articles = excluded.articles",
        )?
        .execute(rusqlite::params![outlet, n])?;
        Ok(())
    }
    fn bump(&mut self, outlet: &str, key: i64, at: i64) -> Result<()> {
        self.prepare_cached(
            "INSERT INTO outlet_lines (outlet, key, first_seen, articles) VALUES (?1, ?2, ?3, 1)
             ON CONFLICT (outlet, key) DO UPDATE SET articles = articles + 1",
        )?
        .execute(rusqlite::params![outlet, key, at])?;
        Ok(())
    }
    fn line(&mut self, outlet: &str, key: i64) -> Result<Option<(i64, i64)>> {
        use rusqlite::OptionalExtension;
        Ok(self
            .prepare_cached(
                "SELECT articles, first_seen FROM outlet_lines WHERE outlet = ?1 AND key = ?2",
            )?
            .query_row(rusqlite::params![outlet, key], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?)
    }
}

/// The PostgreSQL side: each statement prepared once per batch (one
/// round trip per paragraph key instead of two).
pub(crate) struct PgCounts<'a, 't> {
    tx: &'a mut postgres::Transaction<'t>,
    /// outlet articles, set outlet articles, bump, line.
    stmts: [postgres::Statement; 4],
}

impl<'a, 't> PgCounts<'a, 't> {
    pub(crate) fn new(tx: &'a mut postgres::Transaction<'t>) -> Result<Self> {
        let stmts = [
            tx.prepare("SELECT articles FROM outlets WHERE outlet = $1")?,
            tx.prepare(
                "INSERT INTO outlets (outlet, articles) VALUES ($1, $2)
                 ON CONFLICT (outlet) DO UPDATE SET articles = excluded.articles",
            )?,
            tx.prepare(
                "INSERT INTO outlet_lines (outlet, key, first_seen, articles) VALUES ($1, $2, $3, 1)
                 ON CONFLICT (outlet, key) DO UPDATE SET articles = outlet_lines.articles + 1",
            )?,
            tx.prepare(
                "SELECT articles, first_seen FROM outlet_lines WHERE outlet = $1 AND key = $2",
            )?,
        ];
        Ok(PgCounts { tx, stmts })
    }
}

impl Counts for PgCounts<'_, '_> {
    fn outlet_articles(&mut self, outlet: &str) -> Result<i64> {
        Ok(self
            .tx
            .query_opt(&self.stmts[0], &[&outlet])?
            .map_or(0, |r| r.get(0)))
    }
    fn set_outlet_articles(&mut self, outlet: &str, n: i64) -> Result<()> {
        self.tx.execute(&self.stmts[1], &[&outlet, &n])?;
        Ok(())
    }
    fn bump(&mut self, outlet: &str, key: i64, at: i64) -> Result<()> {
        self.tx.execute(&self.stmts[2], &[&outlet, &key, &at])?;
        Ok(())
    }
    fn line(&mut self, outlet: &str, key: i64) -> Result<Option<(i64, i64)>> {
        Ok(self
            .tx
            .query_opt(&self.stmts[3], &[&outlet, &key])?
            .map(|r| (r.get(0), r.get(1))))
    }
}
