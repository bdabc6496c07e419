//! The examples of this crate's documentation, run as unit tests (one test
//! binary instead of one linked program per example; see Cargo.toml,
//! `doctest = false`). Keep each in step with the comment it copies.

/// The example in `src/lib.rs`.
#[test]
fn example_1() {
    use corroborate_extract::ArticleExtractor;
    use corroborate_model::{Extractor, Format, Hints, RawDocument};

    let page = "Share this article\n\nCity council approves new bridge\n\n\
        The city council voted on Tuesday to approve the long-delayed bridge over the river.\n\n\
        Construction is expected to start next spring, the mayor said.\n\nLeave a Reply\n";
    let raw = RawDocument::new("page.txt", Format::Text, page.into(), Hints::default());
    let article = ArticleExtractor::default().extract(&raw).unwrap();
    assert_eq!(
        article.title.as_deref(),
        Some("City council approves new bridge")
    );
    assert!(article.text.starts_with("The city council voted"));
    assert!(!article.text.contains("Share this article"));
}

/// The example in `src/lib.rs`.
#[test]
fn example_2() {
    let lang = corroborate_extract::detect_language(
        "The harbour master said on Tuesday that the ferry would not run until \
         engineers from the port authority had inspected the damaged pier.",
    );
    assert_eq!(lang.as_deref(), Some("en"));
    assert_eq!(
        corroborate_extract::detect_language("ferry pier closed after storm"),
        None
    );
}
