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
        id: raw.id.clone(),
        source: raw.source.clone(),
        url: None,
        title: Some(text.into()),
        published: None,
        author: None,
        site: Some("Example".into()),
        language: None,
        text: text.into(),
        republished_from: None,
        boilerplate: vec![],
    };
    (raw, article)
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
