//! One test suite for every storage backend (as tantivy runs one suite
//! against every Directory): each test below runs on the embedded SQLite
//! store and on PostgreSQL (127.0.0.1:5432, database `test`, a schema of
//! its own per test). Without a reachable PostgreSQL the PostgreSQL half is
//! skipped with a message, except in CI (`CI=true`), where it fails.

use corroborate_model::*;
use corroborate_store::testing::{pg_schema, PgSchema};
use corroborate_store::{PgStore, Storage, Store, StoryFilter};

fn postgres_store(test: &str) -> Option<(Box<dyn Storage>, PgSchema)> {
    let schema = pg_schema(test)?;
    let store = PgStore::open(&schema.url).unwrap();
    Some((Box::new(store), schema))
}

/// Runs `check` against a fresh store of every backend.
fn each_backend(test: &str, check: impl Fn(&mut dyn Storage)) {
    let dir = tempfile::tempdir().unwrap();
    let mut sqlite = Store::open(&dir.path().join("t.db")).unwrap();
    check(&mut sqlite);
    if let Some((mut pg, _schema)) = postgres_store(test) {
        check(pg.as_mut());
    }
}

fn pair(source: &str, title: &str, text: &str) -> (RawDocument, Article) {
    let raw = RawDocument::new(source, Format::Text, text.into(), Hints::default());
    let article = Article {
        title: Some(title.into()),
        ..Article::bare(raw.id.clone(), raw.source.clone(), text)
    };
    (raw, article)
}

fn day(d: &str) -> Option<Timestamp> {
    Some(format!("{d}T00:00:00Z").parse().unwrap())
}

fn story(
    id: &str,
    a: &Article,
    outlet: &str,
    d: &str,
    speaker: &str,
    status: ClaimStatus,
) -> StoryReport {
    StoryReport {
        id: StoryId(id.into()),
        title: a.title.clone().unwrap(),
        span: TimeSpan {
            start: day(d),
            end: day(d),
        },
        summary: String::new(),
        articles: vec![ArticleRef {
            id: a.id.clone(),
            source: a.source.clone(),
            outlet: Some(outlet.into()),
            url: None,
            title: a.title.clone(),
            published: day(d),
            language: None,
            copy_of: None,
        }],
        claims: vec![Claim {
            id: "c1".into(),
            text: a.text.split('.').next().unwrap().to_string(),
            speaker: Some(speaker.into()),
            channel: None,
            date: None,
            channels: vec![],
            dates: vec![],
            status,
            first_reported_by: a.id.clone(),
            carriers: vec![],
        }],
        figures: vec![],
        timeline: vec![],
        outlets: vec![],
        related: vec![],
        merged: vec![],
    }
}

/// Two fictional stories, stored and analysed.
fn fill(s: &mut dyn Storage) -> (Article, Article) {
    let (ra, a) = pair(
        "ferry.txt",
        "Storm damages the Norhaven ferry pier",
        "The old ferry pier burned after lightning struck it. Harbour master Marta Kovač said repairs would take weeks.",
    );
    let (rb, b) = pair(
        "club.txt",
        "Lowmere club sacks its coach",
        "The football club sacked its coach on Tuesday. Chairman Oleksandr Petrenkovv said the decision was unanimous.",
    );
    let batch = [(ra.clone(), a.clone()), (rb, b.clone())];
    assert_eq!(s.insert_articles(&batch).unwrap(), 2);
    assert_eq!(
        s.insert_articles(&[(ra, a.clone())]).unwrap(),
        0,
        "idempotent"
    );
    assert!(s.needs_analysis().unwrap());
    s.replace_analysis(&[
        story(
            "s-ferry1",
            &a,
            "Harbour Times",
            "2025-03-14",
            "Marta Kovač",
            ClaimStatus::AttributedOnly,
        ),
        story(
            "s-club22",
            &b,
            "Valley Wire",
            "2025-03-20",
            "Oleksandr Petrenkovv",
            ClaimStatus::Disputed,
        ),
    ])
    .unwrap();
    (a, b)
}

#[test]
fn articles_are_stored_once_in_arrival_order() {
    each_backend("articles", |s| {
        let (a, b) = fill(s);
        assert_eq!(s.article_count().unwrap(), 2);
        assert!(s.contains(&a.id).unwrap());
        assert!(!s.contains(&ArticleId("nope".into())).unwrap());
        let all = s.articles().unwrap();
        let ids: Vec<&ArticleId> = all.iter().map(|x| &x.article.id).collect();
        assert_eq!(ids, [&a.id, &b.id]);
        assert!(all[0].seq < all[1].seq);
        assert_eq!(s.article(a.id.as_str()).unwrap().unwrap(), a);
        assert_eq!(s.max_seq().unwrap(), all[1].seq);
        assert!(s.check_integrity().unwrap());
        // Pages: bounded, in order, resuming after the last seen.
        let first = s.articles_page(0, 1).unwrap();
        assert_eq!(first.len(), 1);
        assert_eq!(first[0].article.id, a.id);
        let next = s.articles_page(first[0].seq, 1).unwrap();
        assert_eq!(next.len(), 1);
        assert_eq!(next[0].article.id, b.id);
        assert!(s.articles_page(next[0].seq, 1).unwrap().is_empty());
    });
}

#[test]
fn analysis_is_replaced_and_reports_resolve_by_prefix() {
    each_backend("analysis", |s| {
        let (a, b) = fill(s);
        assert!(!s.needs_analysis().unwrap());
        assert_eq!(s.analyzed_through().unwrap(), s.max_seq().unwrap());
        let ids: Vec<String> = s.stories().unwrap().into_iter().map(|x| x.id.0).collect();
        assert_eq!(ids, ["s-club22", "s-ferry1"], "newest first");
        assert_eq!(s.report("s-fer").unwrap().unwrap().id.as_str(), "s-ferry1");
        assert!(s.report("s-").unwrap().is_none(), "ambiguous prefix");
        assert_eq!(
            s.story_of(b.id.as_str()).unwrap().unwrap().as_str(),
            "s-club22"
        );
        assert_eq!(s.story_titles(&["s-ferry1", "s-missing"]).unwrap().len(), 1);
        // A second analysis replaces the first entirely.
        let only = story(
            "s-both",
            &a,
            "Harbour Times",
            "2025-03-15",
            "x",
            ClaimStatus::Confirmed,
        );
        s.replace_analysis(&[only]).unwrap();
        let ids: Vec<String> = s.stories().unwrap().into_iter().map(|x| x.id.0).collect();
        assert_eq!(ids, ["s-both"]);
        assert!(s.story_of(b.id.as_str()).unwrap().is_none());
        assert!(s.check_integrity().unwrap());
    });
}

#[test]
fn search_stems_folds_accents_and_matches_name_spellings() {
    each_backend("search", |s| {
        fill(s);
        let found = |f: StoryFilter| -> Vec<String> {
            s.search_stories(&f)
                .unwrap()
                .1
                .into_iter()
                .map(|x| x.id.0)
                .collect()
        };
        let words = |q: &str| StoryFilter {
            text: Some(q.into()),
            ..Default::default()
        };
        let with = |f: fn(&mut StoryFilter)| {
            let mut x = StoryFilter::default();
            f(&mut x);
            x
        };
        assert_eq!(found(words("burning piers")), ["s-ferry1"], "stemmed");
        assert_eq!(found(words("Kovac")), ["s-ferry1"], "accents folded");
        assert_eq!(
            found(words("Petrenkov")),
            ["s-club22"],
            "a name's spellings"
        );
        assert!(found(words("zeppelin")).is_empty());
        assert_eq!(found(words("ferry\"*(^")), ["s-ferry1"], "no query syntax");
        assert_eq!(
            found(with(|f| f.outlet = Some("valley wire".into()))),
            ["s-club22"]
        );
        assert_eq!(
            found(with(|f| f.entity = Some("Kovač".into()))),
            ["s-ferry1"]
        );
        assert_eq!(
            found(with(|f| f.status = Some("disputed".into()))),
            ["s-club22"]
        );
        assert_eq!(
            found(with(|f| f.from = Some("2025-03-15".into()))),
            ["s-club22"]
        );
        assert_eq!(
            found(with(|f| f.to = Some("2025-03-14".into()))),
            ["s-ferry1"]
        );
        let (total, page) = s
            .search_stories(&StoryFilter {
                limit: 1,
                offset: 1,
                ..Default::default()
            })
            .unwrap();
        assert_eq!((total, page[0].id.as_str()), (2, "s-ferry1"));
        let m = s
            .story_matches("burned", &["s-ferry1", "s-club22"])
            .unwrap();
        assert!(m[0].snippet.contains("[burned]"), "{m:?}");
        assert_eq!(
            m[0].claim.as_deref(),
            Some("Marta Kovač: The old ferry pier [burned] after lightning struck it")
        );
        assert!(m[1].snippet.is_empty());
        let hits = s.search("coach", 10).unwrap();
        assert_eq!(hits.articles[0].story.as_deref(), Some("s-club22"));
        assert!(hits.articles[0].snippet.contains("[coach]"));
        assert_eq!(
            s.search("Petrenkovv", 10).unwrap().claims[0].story,
            "s-club22"
        );
    });
}

#[test]
fn stories_are_replaced_one_by_one() {
    each_backend("incremental", |s| {
        let (a, b) = fill(s);
        let before = s.max_seq().unwrap();
        let (rc, c) = pair(
            "club2.txt",
            "Lowmere club names a new coach",
            "The football club named a new coach on Friday. Chairman Oleksandr Petrenkovv welcomed the appointment.",
        );
        assert_eq!(s.insert_articles(&[(rc, c.clone())]).unwrap(), 1);
        let new = s.articles_since(before).unwrap();
        assert_eq!(new.len(), 1);
        assert_eq!(new[0].article.id, c.id);
        assert!(s.needs_analysis().unwrap());
        // The club story grows to two articles; the ferry story goes.
        let mut club = story(
            "s-club22",
            &b,
            "Valley Wire",
            "2025-03-20",
            "Oleksandr Petrenkovv",
            ClaimStatus::Disputed,
        );
        let mut second = club.articles[0].clone();
        second.id = c.id.clone();
        club.articles.push(second);
        s.replace_stories(&[club], &[StoryId("s-ferry1".into())], s.max_seq().unwrap())
            .unwrap();
        assert!(!s.needs_analysis().unwrap());
        let ids: Vec<String> = s.stories().unwrap().into_iter().map(|x| x.id.0).collect();
        assert_eq!(ids, ["s-club22"]);
        assert_eq!(s.stories().unwrap()[0].articles, 2);
        assert_eq!(
            s.story_of(c.id.as_str()).unwrap().unwrap().as_str(),
            "s-club22"
        );
        assert!(s.story_of(a.id.as_str()).unwrap().is_none());
        let found = |q: &str| {
            s.search_stories(&StoryFilter {
                text: Some(q.into()),
                ..Default::default()
            })
            .unwrap()
            .0
        };
        assert_eq!(found("appointment"), 1, "the new article's words");
        assert_eq!(found("lightning"), 0, "the removed story's words");
        assert!(
            s.search("Kovač", 10).unwrap().claims.is_empty(),
            "its claims went too"
        );
        assert!(s.check_integrity().unwrap());
    });
}

#[test]
fn raw_documents_come_back_and_articles_can_be_re_extracted() {
    each_backend("reextract", |s| {
        let (a, b) = fill(s);
        let first = s.raw_documents(0, 1).unwrap();
        assert_eq!(first.len(), 1);
        assert_eq!(first[0].1.id, a.id);
        assert_eq!(first[0].1.content, a.text, "the raw input as stored");
        let rest = s.raw_documents(first[0].0, 10).unwrap();
        assert_eq!(rest.iter().map(|(_, d)| &d.id).collect::<Vec<_>>(), [&b.id]);
        // A better extractor's result replaces the old one, search included.
        let mut better = a.clone();
        better.text = "The lighthouse keeper reported the damage.".into();
        assert_eq!(s.update_articles(&[better.clone()]).unwrap(), 1);
        assert_eq!(s.article(a.id.as_str()).unwrap().unwrap(), better);
        assert_eq!(s.search("lighthouse", 10).unwrap().articles.len(), 1);
        assert!(s.search("lightning", 10).unwrap().articles.is_empty());
    });
}

#[test]
fn staged_articles_are_placed_in_queue_order() {
    each_backend("staged", |s| {
        let a = pair(
            "a",
            "Ferry pier closes",
            "The ferry pier in Norhaven closed on Monday.",
        );
        let b = pair(
            "b",
            "Storm reaches coast",
            "A storm reached the Velmar coast.",
        );
        let c = pair(
            "c",
            "Cup final sold out",
            "Tickets for the cup final sold out.",
        );
        let staged = |q: u64, p: &(RawDocument, Article)| corroborate_store::Staged {
            qseq: q,
            raw: p.0.clone(),
            article: p.1.clone(),
        };
        // Workers finish out of order; a redelivered message stages again.
        assert_eq!(
            s.stage_articles(&[staged(3, &c), staged(1, &a)]).unwrap(),
            2
        );
        assert_eq!(s.stage_articles(&[staged(1, &a)]).unwrap(), 0);
        assert_eq!(s.staged_count().unwrap(), 2);
        // Staged is not stored: nothing to analyse yet.
        assert_eq!(s.article_count().unwrap(), 0);
        // Sequence 2 is still with a worker: only 1 may be placed.
        let p = s.promote_staged(1).unwrap();
        assert_eq!((p.moved, p.added), (1, 1));
        assert_eq!(s.stage_articles(&[staged(2, &b)]).unwrap(), 1);
        // The same document published twice (sequence 4) is stored once.
        s.stage_articles(&[staged(4, &a)]).unwrap();
        let p = s.promote_staged(4).unwrap();
        assert_eq!((p.moved, p.added), (3, 2));
        assert_eq!(s.staged_count().unwrap(), 0);
        let order: Vec<String> = s
            .articles()
            .unwrap()
            .into_iter()
            .map(|x| x.article.source)
            .collect();
        assert_eq!(order, ["a", "b", "c"]);
        assert_eq!(s.promote_staged(10).unwrap(), Default::default());
    });
}

#[test]
fn a_lease_has_one_holder_and_frees_when_dropped() {
    let Some(schema) = pg_schema("lease") else {
        return;
    };
    let first = corroborate_store::Lease::try_acquire(&schema.url, "assigner")
        .unwrap()
        .expect("free lease");
    assert!(first.check());
    assert!(
        corroborate_store::Lease::try_acquire(&schema.url, "assigner")
            .unwrap()
            .is_none()
    );
    // Another name, or another schema, is another lease.
    assert!(corroborate_store::Lease::try_acquire(&schema.url, "other")
        .unwrap()
        .is_some());
    drop(first);
    let second = corroborate_store::Lease::try_acquire(&schema.url, "assigner").unwrap();
    assert!(second.is_some_and(|l| l.check()));
}

#[test]
fn a_nul_character_in_a_page_is_stored() {
    // Scraped pages hold NUL now and then; PostgreSQL text cannot.
    each_backend("nul", |s| {
        let p = pair("nul", "Pier\0 closes", "The ferry pier\0 closed on Monday.");
        assert_eq!(s.insert_articles(std::slice::from_ref(&p)).unwrap(), 1);
        assert_eq!(s.search("ferry", 10).unwrap().articles.len(), 1);
        let staged = corroborate_store::Staged {
            qseq: 1,
            raw: p.0.clone(),
            article: p.1.clone(),
        };
        s.stage_articles(&[staged]).unwrap();
        assert_eq!(s.promote_staged(1).unwrap().moved, 1);
        assert!(s.article(p.1.id.as_str()).unwrap().is_some());
        // Its story, claims and search document too.
        let report = story(
            "s-nul",
            &p.1,
            "Harbour\0 Times",
            "2026-03-01",
            "Mayor\0 Lind",
            ClaimStatus::Confirmed,
        );
        s.replace_analysis(&[report]).unwrap();
        assert_eq!(s.stories().unwrap().len(), 1);
    });
}

#[test]
fn outlet_lines_are_counted_per_outlet_in_order() {
    each_backend("outlet_lines", |s| {
        let post = |keys: &[u64]| ("post.example".to_string(), keys.to_vec());
        // Three articles of one outlet share key 1; key 2 first appears in
        // the second; another outlet's key 1 is its own.
        let batch = [
            post(&[1, 9]),
            post(&[1, 2]),
            post(&[1, 2]),
            ("other".into(), vec![1]),
        ];
        let stats = s.outlet_lines(&batch, true).unwrap();
        let of = |a: usize, key: u64| stats[a].iter().find(|l| l.key == key).copied().unwrap();
        assert_eq!((of(0, 1).articles, of(0, 1).since), (3, 3));
        assert_eq!((of(1, 2).articles, of(1, 2).since), (2, 2));
        assert_eq!((of(0, 9).articles, of(0, 9).since), (1, 3));
        assert_eq!((of(3, 1).articles, of(3, 1).since), (1, 1));
        // Reading does not count; an unknown key has no counts.
        let again = s.outlet_lines(&[post(&[1, 7])], false).unwrap();
        assert_eq!(again[0].len(), 1);
        assert_eq!((again[0][0].articles, again[0][0].since), (3, 3));
        // A fourth article without key 2: key 2 is in 2 of the 3 since.
        let later = s.outlet_lines(&[post(&[1])], true).unwrap();
        assert_eq!((later[0][0].articles, later[0][0].since), (4, 4));
        let read = s.outlet_lines(&[post(&[2])], false).unwrap();
        assert_eq!((read[0][0].articles, read[0][0].since), (2, 3));
    });
}

#[test]
fn annotations_are_kept_per_article_anchor_and_version() {
    use corroborate_store::AnnotationKey;
    each_backend("annotations", |s| {
        let (raw, article) = pair("a", "Ferry pier closes", "The ferry pier closed on Monday.");
        s.insert_articles(&[(raw, article.clone())]).unwrap();
        let key = |anchor: Option<&str>| AnnotationKey {
            article: article.id.clone(),
            anchor: anchor.and_then(day),
        };
        let ann = Annotations::default();
        assert_eq!(s.annotations(&[key(None)], 1).unwrap(), [None]);
        s.save_annotations(&[(key(None), ann.clone())], 1).unwrap();
        assert_eq!(s.annotations(&[key(None)], 1).unwrap(), [Some(ann.clone())]);
        // Another anchor or another annotator version is a miss.
        assert_eq!(
            s.annotations(&[key(Some("2025-01-02"))], 1).unwrap(),
            [None]
        );
        assert_eq!(s.annotations(&[key(None)], 2).unwrap(), [None]);
        // Saving for another anchor replaces the row.
        s.save_annotations(&[(key(Some("2025-01-02")), ann.clone())], 1)
            .unwrap();
        assert_eq!(s.annotations(&[key(None)], 1).unwrap(), [None]);
        assert!(s.annotations(&[key(Some("2025-01-02"))], 1).unwrap()[0].is_some());
        // The latest row, whatever its anchor, for its version only.
        assert_eq!(
            s.latest_annotations(&article.id, 1).unwrap(),
            Some(ann.clone())
        );
        assert_eq!(s.latest_annotations(&article.id, 2).unwrap(), None);
        // Re-extraction drops it.
        s.update_articles(std::slice::from_ref(&article)).unwrap();
        assert_eq!(
            s.annotations(&[key(Some("2025-01-02"))], 1).unwrap(),
            [None]
        );
    });
}
