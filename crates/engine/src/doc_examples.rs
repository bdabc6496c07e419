//! The examples of this crate's documentation, run as unit tests (one test
//! binary instead of one linked program per example; see Cargo.toml,
//! `doctest = false`). Keep each in step with the comment it copies.

/// The example in `src/lib.rs`.
#[test]
fn example_1() {
    use corroborate_engine::{Cancel, Engine, NoProgress};
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "Storm closes Norhaven ferry pier\n\nThe storm damaged the ferry pier in Norhaven on Sunday, officials said.\n").unwrap();
    let mut engine = Engine::open_in_memory().unwrap();
    let summary = engine
        .ingest(
            &[dir.path().to_path_buf()],
            &NoProgress,
            &Cancel::default(),
            &mut |_| {},
        )
        .unwrap();
    assert_eq!(summary.added, 1);
    let reports = engine.analyze().unwrap();
    assert_eq!(reports.len(), 1);
}

/// The example in `src/stream.rs`.
#[test]
fn example_2() {
    use corroborate_engine::StoryStream;
    use corroborate_model::{Article, ArticleId};

    let article = |id: &str, title: &str, text: &str| Article {
        title: Some(title.into()),
        ..Article::bare(ArticleId(id.into()), "", text)
    };
    let body = "Engineers closed the Norhaven ferry pier after the storm tore away part of the deck on Sunday night.";
    let mut s = StoryStream::default();
    let a = s.push(&article("a", "Storm closes Norhaven pier", body));
    let b = s.push(&article("b", "Norhaven pier shut", body));
    assert_eq!(a.story, b.story);
    assert_eq!(b.copy.unwrap().original, ArticleId("a".into()));
}
