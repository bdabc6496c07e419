//! The examples of this crate's documentation, run as unit tests (one test
//! binary instead of one linked program per example; see Cargo.toml,
//! `doctest = false`). Keep each in step with the comment it copies.

/// The example in `src/lib.rs`.
#[test]
fn example_1() {
    use corroborate_ingest::Ingestor;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("feed.jsonl");
    std::fs::write(
        &path,
        "{\"text\":\"One.\",\"outlet\":\"Daily Example\"}\nnot json\n",
    )
    .unwrap();

    let ingestor = Ingestor::default();
    let (mut docs, mut issues) = (Vec::new(), Vec::new());
    for input in ingestor.discover(&[path], &mut |i| issues.push(i)) {
        ingestor.read(&input, &mut |item| match item {
            Ok(doc) => docs.push(doc),
            Err(issue) => issues.push(issue),
        });
    }
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].hints.outlet.as_deref(), Some("Daily Example"));
    assert_eq!(issues.len(), 1);
    assert!(issues[0].to_string().contains("feed.jsonl:2"));
}
