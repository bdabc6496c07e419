//! Stored annotations (see [`crate::Storage::annotations`]): what
//! cross-checking found in an article, kept so that a story's report is
//! rebuilt from stored annotations instead of annotating its articles
//! again. One row per article: the time its dates were resolved against
//! (its own date, or for an undated article its story's start), the
//! annotator's version, and the annotations as JSON. A row for another
//! time or version is a miss; saving replaces it.

use crate::Result;
use corroborate_model::{Annotations, ArticleId, Timestamp};

/// What the annotations of one article were computed for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AnnotationKey {
    /// The article.
    pub article: ArticleId,
    /// The time its relative dates were resolved against.
    pub anchor: Option<Timestamp>,
}

fn anchor_text(a: Option<Timestamp>) -> String {
    a.map_or(String::new(), |t| t.to_rfc3339())
}

/// The row's annotations if written by annotator `version` and, when
/// `want` is given, for that anchor.
fn decode(
    row: Option<(String, i64, String)>,
    want: Option<&str>,
    version: u32,
) -> Option<Annotations> {
    let (anchor, v, json) = row?;
    if want.is_some_and(|w| w != anchor) || v != i64::from(version) {
        return None;
    }
    serde_json::from_str(&json).ok()
}

pub(crate) fn load_sqlite(
    conn: &rusqlite::Connection,
    keys: &[AnnotationKey],
    version: u32,
) -> Result<Vec<Option<Annotations>>> {
    use rusqlite::OptionalExtension;
    let mut stmt =
        conn.prepare_cached("SELECT anchor, version, json FROM annotations WHERE article_id = ?1")?;
    keys.iter()
        .map(|k| {
            let row = stmt
                .query_row([k.article.as_str()], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })
                .optional()?;
            Ok(decode(row, Some(&anchor_text(k.anchor)), version))
        })
        .collect()
}

pub(crate) fn save_sqlite(
    tx: &rusqlite::Transaction<'_>,
    items: &[(AnnotationKey, Annotations)],
    version: u32,
) -> Result<()> {
    let mut stmt = tx.prepare_cached(
        "INSERT OR REPLACE INTO annotations (article_id, anchor, version, json) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (k, a) in items {
        stmt.execute(rusqlite::params![
            k.article.as_str(),
            anchor_text(k.anchor),
            i64::from(version),
            serde_json::to_string(a)?
        ])?;
    }
    Ok(())
}

pub(crate) fn load_pg(
    client: &mut postgres::Client,
    keys: &[AnnotationKey],
    version: u32,
) -> Result<Vec<Option<Annotations>>> {
    let ids: Vec<&str> = keys.iter().map(|k| k.article.as_str()).collect();
    let rows = client.query(
        "SELECT article_id, anchor, version, json FROM annotations WHERE article_id = ANY($1)",
        &[&ids],
    )?;
    let mut by_id: std::collections::HashMap<String, (String, i64, String)> = rows
        .into_iter()
        .map(|r| (r.get(0), (r.get(1), r.get(2), r.get(3))))
        .collect();
    Ok(keys
        .iter()
        .map(|k| {
            decode(
                by_id.remove(k.article.as_str()),
                Some(&anchor_text(k.anchor)),
                version,
            )
        })
        .collect())
}

pub(crate) fn save_pg(
    tx: &mut postgres::Transaction<'_>,
    items: &[(AnnotationKey, Annotations)],
    version: u32,
) -> Result<()> {
    let stmt = tx.prepare(
        "INSERT INTO annotations (article_id, anchor, version, json) VALUES ($1, $2, $3, $4)
         ON CONFLICT (article_id) DO UPDATE SET anchor = excluded.anchor,
             version = excluded.version, json = excluded.json",
    )?;
    for (k, a) in items {
        tx.execute(
            &stmt,
            &[
                &k.article.as_str(),
                &anchor_text(k.anchor),
                &i64::from(version),
                &serde_json::to_string(a)?.replace('\0', "\u{FFFD}"),
            ],
        )?;
    }
    Ok(())
}

pub(crate) fn latest_sqlite(
    conn: &rusqlite::Connection,
    article: &ArticleId,
    version: u32,
) -> Result<Option<Annotations>> {
    use rusqlite::OptionalExtension;
    let row = conn
        .prepare_cached("SELECT anchor, version, json FROM annotations WHERE article_id = ?1")?
        .query_row([article.as_str()], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    Ok(decode(row, None, version))
}

pub(crate) fn latest_pg(
    client: &mut postgres::Client,
    article: &ArticleId,
    version: u32,
) -> Result<Option<Annotations>> {
    let row = client
        .query_opt(
            "SELECT anchor, version, json FROM annotations WHERE article_id = $1",
            &[&article.as_str()],
        )?
        .map(|r| (r.get(0), r.get(1), r.get(2)));
    Ok(decode(row, None, version))
}
