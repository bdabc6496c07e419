//! The examples of this crate's documentation, run as unit tests (one test
//! binary instead of one linked program per example; see Cargo.toml,
//! `doctest = false`). Keep each in step with the comment it copies.

/// The example in `src/lib.rs`.
#[test]
fn example_1() {
    use corroborate_model::*;
    use corroborate_store::Store;
    let mut store = Store::open_in_memory().unwrap();
    let raw = RawDocument::new("a.txt", Format::Text, "Body.".into(), Hints::default());
    let article = Article::bare(raw.id.clone(), raw.source.clone(), "Body.");
    assert_eq!(
        store
            .insert_articles(&[(raw.clone(), article.clone())])
            .unwrap(),
        1
    );
    assert_eq!(store.insert_articles(&[(raw, article)]).unwrap(), 0); // idempotent
    assert_eq!(store.article_count().unwrap(), 1);
}
