use super::*;
use corroborate_model::{Format, Hints};

fn pair(text: &str) -> (RawDocument, Article) {
    let raw = RawDocument::new(
        format!("{text}.txt"),
        Format::Text,
        text.into(),
        Hints::default(),
    );
    let article = Article {
        title: Some(text.into()),
        site: Some("Example".into()),
        ..Article::bare(raw.id.clone(), raw.source.clone(), text)
    };
    (raw, article)
}

/// A story of one article with one confirmed claim.
fn one_story(id: &str, art: &Article) -> StoryReport {
    use corroborate_model::*;
    StoryReport {
        id: StoryId(id.into()),
        title: "A story".into(),
        span: TimeSpan::default(),
        summary: String::new(),
        articles: vec![ArticleRef {
            id: art.id.clone(),
            source: art.source.clone(),
            outlet: None,
            url: None,
            title: None,
            published: None,
            language: None,
            copy_of: None,
        }],
        claims: vec![Claim {
            id: "c1".into(),
            text: "two sailors were rescued".into(),
            speaker: Some("the coastguard".into()),
            channel: None,
            date: None,
            channels: vec![],
            dates: vec![],
            status: ClaimStatus::Confirmed,
            first_reported_by: art.id.clone(),
            carriers: vec![],
        }],
        figures: vec![],
        timeline: vec![],
        outlets: vec![],
        related: vec![],
        merged: vec![],
    }
}

#[test]
fn reopening_keeps_data_and_version() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    {
        let mut s = Store::open(&path).unwrap();
        assert_eq!(
            s.schema_version().unwrap(),
            migrations::MIGRATIONS.len() as i64
        );
        s.insert_articles(&[pair("one"), pair("two")]).unwrap();
    }
    let s = Store::open(&path).unwrap();
    assert_eq!(s.article_count().unwrap(), 2);
    let order: Vec<String> = s
        .articles()
        .unwrap()
        .into_iter()
        .map(|a| a.article.text)
        .collect();
    assert_eq!(order, ["one", "two"]);
    assert!(s.check_integrity().unwrap());
}

#[test]
fn a_newer_store_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    Store::open(&path)
        .unwrap()
        .conn
        .pragma_update(None, "user_version", 99)
        .unwrap();
    assert!(matches!(
        Store::open(&path),
        Err(Error::TooNew { found: 99, .. })
    ));
}

#[test]
fn processes_opening_a_new_store_at_once_both_succeed() {
    // Each thread has its own connection, as two processes would.
    for trial in 0..5 {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(format!("c{trial}.db"));
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(3));
        let handles: Vec<_> = (0..3)
            .map(|i| {
                let (path, barrier) = (path.clone(), barrier.clone());
                std::thread::spawn(move || {
                    barrier.wait();
                    let mut s = Store::open(&path)?;
                    s.insert_articles(&[pair(&format!("t{i}")), pair("shared")])
                })
            })
            .collect();
        let added: usize = handles
            .into_iter()
            .map(|h| h.join().unwrap().expect("every opener succeeds"))
            .sum();
        assert_eq!(added, 4, "three own articles and the shared one once");
        assert_eq!(Store::open(&path).unwrap().article_count().unwrap(), 4);
    }
}

/// Holds the store's write lock from another connection for `hold`.
fn hold_write_lock(
    path: &std::path::Path,
    hold: std::time::Duration,
) -> std::thread::JoinHandle<()> {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch("BEGIN IMMEDIATE").unwrap();
    std::thread::spawn(move || {
        std::thread::sleep(hold);
        conn.execute_batch("COMMIT").unwrap();
    })
}

#[test]
fn a_writer_waits_for_the_lock_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    let mut s = Store::open(&path).unwrap();
    let waits = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let w = waits.clone();
    s.on_lock_wait(std::sync::Arc::new(move |_| {
        w.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }));
    let holder = hold_write_lock(&path, std::time::Duration::from_millis(2500));
    assert_eq!(s.insert_articles(&[pair("late")]).unwrap(), 1);
    holder.join().unwrap();
    assert!(waits.load(std::sync::atomic::Ordering::SeqCst) >= 1);
}

#[test]
fn a_writer_past_its_lock_timeout_fails_clearly_and_keeps_what_was_committed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    let mut s = Store::open(&path).unwrap();
    s.insert_articles(&[pair("before")]).unwrap();
    s.set_lock_timeout(std::time::Duration::from_millis(500));
    let holder = hold_write_lock(&path, std::time::Duration::from_millis(3000));
    let err = s.insert_articles(&[pair("blocked")]).unwrap_err();
    assert!(matches!(err, Error::Locked { .. }), "{err}");
    assert!(
        err.to_string().contains("CORROBORATE_LOCK_TIMEOUT"),
        "{err}"
    );
    holder.join().unwrap();
    assert_eq!(s.article_count().unwrap(), 1);
    assert_eq!(s.insert_articles(&[pair("blocked")]).unwrap(), 1);
}

#[test]
fn an_analysis_covers_only_what_it_read() {
    let mut s = Store::open_in_memory().unwrap();
    s.insert_articles(&[pair("one")]).unwrap();
    let read = s.max_seq().unwrap();
    // Another writer stores an article while the analysis runs.
    s.insert_articles(&[pair("two")]).unwrap();
    s.replace_analysis_through(&[], read).unwrap();
    assert!(
        s.needs_analysis().unwrap(),
        "the second article is still due"
    );
    let all = s.max_seq().unwrap();
    s.replace_analysis_through(&[], all).unwrap();
    assert!(!s.needs_analysis().unwrap());
}

#[test]
fn opening_a_missing_store_for_reading_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("typo.db");
    let err = Store::open_existing(&path, None).err().expect("missing");
    assert!(err.to_string().contains("typo.db"), "{err}");
    assert!(!path.exists(), "no empty store was created");
}

#[test]
fn a_failed_batch_leaves_nothing_behind() {
    let mut s = Store::open_in_memory().unwrap();
    s.insert_articles(&[pair("kept")]).unwrap();
    // Sabotage: a trigger that fails on the second row of the next batch.
    s.conn
        .execute_batch("CREATE TRIGGER boom BEFORE INSERT ON articles WHEN NEW.source = 'bad.txt' BEGIN SELECT RAISE(ABORT, 'boom'); END;")
        .unwrap();
    assert!(s.insert_articles(&[pair("fine"), pair("bad")]).is_err());
    assert_eq!(s.article_count().unwrap(), 1);
}

#[test]
fn analysis_is_replaced_atomically_and_prefixes_resolve() {
    use corroborate_model::*;
    let mut s = Store::open_in_memory().unwrap();
    let (raw, art) = pair("alpha");
    s.insert_articles(&[(raw, art.clone())]).unwrap();
    let report = |id: &str| StoryReport {
        id: StoryId(id.into()),
        title: "T".into(),
        span: TimeSpan::default(),
        summary: String::new(),
        articles: vec![ArticleRef {
            id: art.id.clone(),
            source: art.source.clone(),
            outlet: art.site.clone(),
            url: None,
            title: None,
            published: None,
            language: None,
            copy_of: None,
        }],
        claims: vec![],
        figures: vec![],
        timeline: vec![],
        outlets: vec![],
        related: vec![],
        merged: vec![],
    };
    s.replace_analysis(&[report("s-abc123")]).unwrap();
    s.replace_analysis(&[report("s-def456")]).unwrap();
    let stories = s.stories().unwrap();
    assert_eq!(stories.len(), 1);
    assert_eq!(stories[0].outlets, ["Example"]);
    assert!(s.report("s-def").unwrap().is_some());
    assert!(s.report("s-abc").unwrap().is_none());
    assert!(
        s.report("s-").unwrap().is_some(),
        "a unique prefix resolves"
    );
    assert_eq!(
        s.story_of(art.id.as_str()).unwrap(),
        Some(StoryId("s-def456".into()))
    );
}

#[test]
fn a_version_1_store_is_upgraded_and_its_articles_become_searchable() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        // Build a store as version 1 wrote it.
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(migrations::MIGRATIONS[0]).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        let (raw, article) = pair("harbour ferry pier");
        conn.execute(
            "INSERT INTO articles (id, source, format, raw, hints, article) VALUES (?1, ?2, 'text', ?3, '{}', ?4)",
            rusqlite::params![raw.id.as_str(), raw.source, raw.content, serde_json::to_string(&article).unwrap()],
        )
        .unwrap();
    }
    let s = Store::open(&path).unwrap();
    assert_eq!(
        s.schema_version().unwrap(),
        migrations::MIGRATIONS.len() as i64
    );
    assert_eq!(s.search("ferry", 10).unwrap().articles.len(), 1);
    assert!(s.needs_analysis().unwrap(), "never analysed");
}

#[test]
fn a_version_4_store_gets_its_story_index_and_statuses() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v4.db");
    let (raw, article) = pair("the lighthouse keeper rescued two sailors");
    {
        let mut s = Store::open(&path).unwrap();
        s.insert_articles(&[(raw, article.clone())]).unwrap();
        s.replace_analysis(&[one_story("s-light", &article)])
            .unwrap();
        // Back to version 4: no story index, no statuses column, no
        // staging, no outlet templates, no stored annotations.
        s.conn
            .execute_batch(
                "DROP TABLE annotations; DROP TABLE outlet_lines; DROP TABLE outlets; DROP TABLE staged; DROP TABLE story_fts; DROP INDEX stories_recent; ALTER TABLE stories DROP COLUMN statuses; PRAGMA user_version = 4;",
            )
            .unwrap();
    }
    let s = Store::open(&path).unwrap();
    let found = |f: StoryFilter| s.search_stories(&f).unwrap().0;
    let words = |w: &str| StoryFilter {
        text: Some(w.into()),
        ..Default::default()
    };
    assert_eq!(
        found(words("rescuing sailor")),
        1,
        "stemmed, from the article's text"
    );
    assert_eq!(found(words("lifeboat")), 0);
    assert_eq!(
        found(StoryFilter {
            status: Some("confirmed".into()),
            ..Default::default()
        }),
        1
    );
}
