//! The examples of this crate's documentation, run as unit tests (one test
//! binary instead of one linked program per example; see Cargo.toml,
//! `doctest = false`). Keep each in step with the comment it copies.

/// The example in `src/lib.rs`.
#[test]
fn example_1() {
    use corroborate_dedup::{DedupDoc, Deduper};
    use corroborate_model::ArticleId;

    let body = "The council voted on Tuesday to approve the new bridge over the river after years of debate.";
    let copy = format!("{body} Subscribe to our channel for more stories like this one today.");
    let mut d = Deduper::default();
    assert!(d
        .add(&DedupDoc {
            id: ArticleId("a".into()),
            text: body,
            ..DedupDoc::default()
        })
        .is_none());
    let link = d
        .add(&DedupDoc {
            id: ArticleId("b".into()),
            text: &copy,
            ..DedupDoc::default()
        })
        .unwrap();
    assert_eq!(link.original, ArticleId("a".into()));
    assert!(link.overlap > 0.99);
}
