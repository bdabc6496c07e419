//! The examples of this crate's documentation, run as unit tests (one test
//! binary instead of one linked program per example; see Cargo.toml,
//! `doctest = false`). Keep each in step with the comment it copies.

/// The example in `src/lib.rs`.
#[test]
fn example_1() {
    use corroborate_model::{Format, Hints, RawDocument};

    let doc = RawDocument::new(
        "feed.jsonl#3",
        Format::Text,
        "Body text.".into(),
        Hints::default(),
    );
    assert_eq!(doc.id.as_str().len(), 32);
    // The id is a content hash: the same content under another path has the same id.
    let again = RawDocument::new(
        "copy/feed.jsonl#3",
        Format::Text,
        "Body text.".into(),
        Hints::default(),
    );
    assert_eq!(doc.id, again.id);
}
