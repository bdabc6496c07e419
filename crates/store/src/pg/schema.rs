//! The PostgreSQL store's versioned migrations and the statements its writes
//! share.

use super::*;

/// Migrations in order; never edit a released one, append a new one.
pub(super) const MIGRATIONS: &[&str] = &[
    r#"
    CREATE TABLE articles (
        seq     BIGSERIAL PRIMARY KEY,
        id      TEXT NOT NULL UNIQUE,
        source  TEXT NOT NULL,
        format  TEXT NOT NULL,
        raw     TEXT NOT NULL,
        hints   TEXT NOT NULL,
        article TEXT NOT NULL,
        title   TEXT NOT NULL,
        text    TEXT NOT NULL,
        tsv     TSVECTOR NOT NULL,
        ingested_at TIMESTAMPTZ NOT NULL DEFAULT now()
    );
    CREATE INDEX articles_tsv ON articles USING GIN (tsv);
    CREATE TABLE stories (
        id         TEXT PRIMARY KEY,
        title      TEXT NOT NULL,
        start      TEXT,
        "end"      TEXT,
        n_articles INTEGER NOT NULL,
        outlets    JSONB NOT NULL,
        report     TEXT NOT NULL,
        statuses   TEXT NOT NULL,
        openings   TEXT NOT NULL,
        claims     TEXT NOT NULL,
        tsv        TSVECTOR NOT NULL
    );
    CREATE INDEX stories_tsv ON stories USING GIN (tsv);
    CREATE INDEX stories_recent ON stories (("end" IS NULL), "end" DESC, n_articles DESC, id);
    CREATE TABLE memberships (
        article_id TEXT PRIMARY KEY REFERENCES articles(id),
        story_id   TEXT NOT NULL REFERENCES stories(id) DEFERRABLE INITIALLY DEFERRED,
        position   INTEGER NOT NULL,
        seq        BIGINT NOT NULL
    );
    CREATE INDEX memberships_story ON memberships(story_id);
    CREATE TABLE copies (
        article_id  TEXT PRIMARY KEY REFERENCES articles(id),
        original_id TEXT REFERENCES articles(id),
        declared    TEXT,
        overlap     DOUBLE PRECISION NOT NULL,
        evidence    TEXT NOT NULL
    );
    CREATE TABLE story_links (
        story_id   TEXT NOT NULL REFERENCES stories(id) DEFERRABLE INITIALLY DEFERRED,
        related_id TEXT NOT NULL REFERENCES stories(id) DEFERRABLE INITIALLY DEFERRED,
        reason     TEXT NOT NULL,
        PRIMARY KEY (story_id, related_id)
    );
    CREATE TABLE claims (
        story_id TEXT NOT NULL REFERENCES stories(id) DEFERRABLE INITIALLY DEFERRED,
        claim_id TEXT NOT NULL,
        text     TEXT NOT NULL,
        speaker  TEXT NOT NULL,
        tsv      TSVECTOR NOT NULL
    );
    CREATE INDEX claims_tsv ON claims USING GIN (tsv);
    CREATE INDEX claims_story ON claims(story_id);
"#,
    r#"
    CREATE TABLE staged (
        qseq    BIGINT PRIMARY KEY,
        raw     TEXT NOT NULL,
        article TEXT NOT NULL
    );
"#,
    r#"
    CREATE TABLE outlets (
        outlet   TEXT PRIMARY KEY,
        articles BIGINT NOT NULL
    );
    CREATE TABLE outlet_lines (
        outlet     TEXT NOT NULL,
        key        BIGINT NOT NULL,
        first_seen BIGINT NOT NULL,
        articles   BIGINT NOT NULL,
        PRIMARY KEY (outlet, key)
    );
"#,
    r#"
    CREATE TABLE annotations (
        article_id TEXT PRIMARY KEY,
        anchor     TEXT NOT NULL,
        version    BIGINT NOT NULL,
        json       TEXT NOT NULL
    );
"#,
];

/// Accents folded (the index and the queries both see folded text), as a
/// text value.
pub(super) fn fold(s: &str) -> String {
    if s.is_ascii() {
        text_value(s).into_owned()
    } else {
        text_value(&deunicode::deunicode(s)).into_owned()
    }
}

/// `s` as PostgreSQL can hold it: a `TEXT` value cannot contain NUL, which
/// scraped pages do (SQLite keeps it); each becomes U+FFFD. The article's
/// id still hashes the content as read.
pub(super) fn text_value(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains('\0') {
        std::borrow::Cow::Owned(s.replace('\0', "\u{FFFD}"))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// The user's words as a `to_tsquery` string: each word required, a name
/// (capitalised, seven letters or more) matched by its first letters less
/// two, as the SQLite store does.
pub(super) fn tsquery(text: &str) -> Option<String> {
    let terms: Vec<String> = fold(text)
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            if crate::is_name(w) {
                format!("{}:*", w[..w.len() - 2].to_lowercase())
            } else {
                w.to_lowercase()
            }
        })
        .collect();
    (!terms.is_empty()).then(|| terms.join(" & "))
}

/// A transaction holding the schema's write lock (writers wait for each
/// other; readers never wait).
pub(super) fn write(client: &mut Client) -> Result<Transaction<'_>> {
    let mut tx = client.transaction()?;
    tx.execute(
        "SELECT pg_advisory_xact_lock(hashtext(current_schema()))",
        &[],
    )?;
    Ok(tx)
}

/// `url` without its `schema=` parameter, and the schema.
pub(super) fn split_schema(url: &str) -> (String, Option<String>) {
    let Some((base, query)) = url.split_once('?') else {
        return (url.to_string(), None);
    };
    let mut schema = None;
    let rest: Vec<&str> = query
        .split('&')
        .filter(|kv| match kv.strip_prefix("schema=") {
            Some(s) => {
                schema = Some(s.to_string());
                false
            }
            None => true,
        })
        .collect();
    let url = if rest.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", rest.join("&"))
    };
    (url, schema)
}

/// Runs `f`, a call into the `postgres` crate's blocking client (which
/// drives its own runtime), out of the async context when called from a
/// tokio worker (the server's handlers): `block_in_place` lets that thread
/// block without stalling the other tasks.
pub(super) fn blocking<T>(f: impl FnOnce() -> T) -> T {
    match tokio::runtime::Handle::try_current() {
        Ok(h) if h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(f)
        }
        _ => f(),
    }
}

/// Inserts articles (search vectors included) inside `tx`; returns how
/// many were new.
pub(super) fn insert_in<'a>(
    tx: &mut Transaction<'_>,
    batch: impl Iterator<Item = (&'a RawDocument, &'a Article)>,
) -> Result<usize> {
    let stmt = tx.prepare(
        "INSERT INTO articles (id, source, format, raw, hints, article, title, text, tsv)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8,
                 setweight(to_tsvector('english', $9), 'A') || to_tsvector('english', $10))
         ON CONFLICT (id) DO NOTHING",
    )?;
    let mut added = 0;
    for (raw, a) in batch {
        let title = a.title.clone().unwrap_or_default();
        added += tx.execute(
            &stmt,
            &[
                &raw.id.as_str(),
                &raw.source,
                &raw.format.as_str(),
                &text_value(&raw.content),
                &serde_json::to_string(&raw.hints)?,
                &serde_json::to_string(a)?,
                &text_value(&title),
                &text_value(&a.text),
                &fold(&title),
                &fold(&a.text),
            ],
        )? as usize;
    }
    Ok(added)
}

pub(super) fn set_analyzed(tx: &mut Transaction<'_>, through: i64) -> Result<()> {
    tx.execute(
        "INSERT INTO meta (key, value) VALUES ('analyzed_seq', $1) ON CONFLICT (key) DO UPDATE SET value = $1",
        &[&through.to_string()],
    )?;
    Ok(())
}

/// Inserts `reports`' rows: stories with their search documents, claims,
/// memberships, copies, and (after every story exists) links.
pub(super) fn insert_reports(tx: &mut Transaction<'_>, reports: &[StoryReport]) -> Result<()> {
    let story = tx.prepare(
            "INSERT INTO stories (id, title, start, \"end\", n_articles, outlets, report, statuses, openings, claims, tsv)
             VALUES ($1, $2, $3, $4, $5, CAST($6::text AS jsonb), $7, $8, $9, $10,
                     setweight(to_tsvector('english', $11), 'A') || setweight(to_tsvector('english', $12), 'B')
                     || to_tsvector('english', $13))",
        )?;
    let text_of = tx.prepare("SELECT title, text FROM articles WHERE id = $1")?;
    let member = tx.prepare(
            "INSERT INTO memberships (article_id, story_id, position, seq) VALUES ($1, $2, $3, (SELECT seq FROM articles WHERE id = $1))",
        )?;
    let copy = tx.prepare(
            "INSERT INTO copies (article_id, original_id, declared, overlap, evidence) VALUES ($1, $2, $3, $4, $5)",
        )?;
    let claim = tx.prepare(
            "INSERT INTO claims (story_id, claim_id, text, speaker, tsv) VALUES ($1, $2, $3, $4, to_tsvector('english', $5))",
        )?;
    for r in reports {
        // JSONB cannot hold NUL either.
        let mut outlets: Vec<String> = r
            .articles
            .iter()
            .filter_map(|a| a.outlet.as_deref().map(|o| text_value(o).into_owned()))
            .collect();
        outlets.sort();
        outlets.dedup();
        let doc = story_index::document(r, |id| {
            Ok(tx
                .query_opt(&text_of, &[&id])?
                .map(|row| (row.get::<_, String>(0), row.get::<_, String>(1))))
        })?;
        let weighted = format!("{}\n{}", doc.text, doc.words);
        tx.execute(
            &story,
            &[
                &r.id.as_str(),
                &text_value(&r.title),
                &r.span.start.map(crate::rfc3339),
                &r.span.end.map(crate::rfc3339),
                &(r.articles.len() as i32),
                &serde_json::to_string(&outlets)?,
                &serde_json::to_string(r)?,
                &crate::statuses(r),
                &text_value(&doc.text),
                &text_value(&doc.claims),
                &fold(&doc.title),
                &fold(&doc.claims),
                &fold(&weighted),
            ],
        )?;
        for c in &r.claims {
            let speaker = c.speaker.clone().unwrap_or_default();
            tx.execute(
                &claim,
                &[
                    &r.id.as_str(),
                    &c.id,
                    &text_value(&c.text),
                    &text_value(&speaker),
                    &fold(&format!("{speaker} {}", c.text)),
                ],
            )?;
        }
        for (i, a) in r.articles.iter().enumerate() {
            tx.execute(&member, &[&a.id.as_str(), &r.id.as_str(), &(i as i32)])?;
            if let Some(c) = &a.copy_of {
                tx.execute(
                    &copy,
                    &[
                        &a.id.as_str(),
                        &c.article.as_ref().map(|x| x.as_str().to_string()),
                        &c.declared.as_deref().map(text_value),
                        &c.overlap,
                        &serde_json::to_string(&c.evidence)?,
                    ],
                )?;
            }
        }
    }
    for r in reports {
        for rel in &r.related {
            tx.execute(
                    "INSERT INTO story_links (story_id, related_id, reason) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                    &[&r.id.as_str(), &rel.id.as_str(), &rel.reason],
                )?;
        }
    }
    Ok(())
}

pub(super) fn summary(row: &postgres::Row) -> Result<StorySummary> {
    Ok(StorySummary {
        id: StoryId(row.get(0)),
        title: row.get(1),
        articles: row.get::<_, i32>(2) as usize,
        outlets: serde_json::from_str(row.get(3))?,
        start: row.get(4),
        end: row.get(5),
    })
}
