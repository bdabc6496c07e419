//! Hostile and concurrent input: one bad document never takes a run down,
//! and two writers on one store lose nothing.

use crate::common::*;
use std::path::Path;

const GOOD: &str = "Storm closes Norhaven ferry pier\n\nThe storm damaged the ferry pier in Norhaven on Sunday night, the harbour master said on Monday.\n";

/// A page of `depth` nested `<div>`s around one sentence (made at test
/// time: 1.1 MB at 100,000 levels).
pub fn nested_page(depth: usize) -> String {
    format!(
        "<html><body>{}Deep text about the ferry pier.{}</body></html>",
        "<div>".repeat(depth),
        "</div>".repeat(depth)
    )
}

#[test]
fn a_deeply_nested_page_is_extracted_and_the_good_file_beside_it_stored() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("in");
    std::fs::create_dir(&inputs).unwrap();
    std::fs::write(inputs.join("deep.html"), nested_page(100_000)).unwrap();
    std::fs::write(inputs.join("good.txt"), GOOD).unwrap();
    let o = run(dir.path(), &["analyze", "--json", inputs.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let doc = json(&o);
    assert_eq!(doc["ingest"]["added"], 2, "{doc}");

    let o = bin()
        .args(["extract", "--json"])
        .arg(inputs.join("deep.html"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("Deep text about the ferry pier."));
}

#[test]
fn a_page_over_the_element_limit_is_refused_and_the_rest_stored() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("in");
    std::fs::create_dir(&inputs).unwrap();
    let huge = format!("<html><body>{}</body></html>", "<i>x</i>".repeat(210_000));
    std::fs::write(inputs.join("huge.html"), huge).unwrap();
    std::fs::write(inputs.join("good.txt"), GOOD).unwrap();
    let o = run(dir.path(), &["ingest", inputs.to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("failed: ") && err.contains("huge.html: not extracted: too_many_elements"),
        "{err}"
    );
    assert!(err.contains("1 new"), "{err}");
    // Idempotent: the rerun stores nothing new and reports the page again.
    let again = run(dir.path(), &["ingest", inputs.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        stderr(&again).contains("0 new, 1 unchanged"),
        "{}",
        stderr(&again)
    );
}

fn write_articles(dir: &Path, prefix: &str, n: usize) {
    std::fs::create_dir_all(dir).unwrap();
    for i in 0..n {
        std::fs::write(
            dir.join(format!("{prefix}{i:03}.txt")),
            format!("Report {prefix} {i}\n\nThe council of Norhaven met on day {i} to discuss the ferry pier, item {prefix}-{i}.\n"),
        )
        .unwrap();
    }
}

/// Two `ingest` processes at once on `db`, sharing `shared` articles.
fn two_ingests(root: &Path, db: &Path) {
    let (a, b, shared) = (root.join("a"), root.join("b"), root.join("shared"));
    let spawn = |dir: &Path| {
        bin()
            .arg("--db")
            .arg(db)
            .args(["ingest", "-q"])
            .arg(dir)
            .arg(&shared)
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (p, q) = (spawn(&a), spawn(&b));
    for child in [p, q] {
        let o = child.wait_with_output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
}

#[test]
fn two_concurrent_ingests_store_every_article_once() {
    let dir = tempfile::tempdir().unwrap();
    write_articles(&dir.path().join("a"), "a", 300);
    write_articles(&dir.path().join("b"), "b", 300);
    write_articles(&dir.path().join("shared"), "s", 50);
    for trial in 0..3 {
        // A new store: both processes create the schema at once.
        let db = dir.path().join(format!("new{trial}.db"));
        two_ingests(dir.path(), &db);
        let store = corroborate_store::Store::open(&db).unwrap();
        // Earlier trials' extra articles are in the folders too.
        assert_eq!(
            store.article_count().unwrap(),
            650 + 200 * trial,
            "trial {trial}"
        );
        // An existing store: both write batches at once.
        write_articles(&dir.path().join("a"), &format!("a{trial}x"), 100);
        write_articles(&dir.path().join("b"), &format!("b{trial}x"), 100);
        two_ingests(dir.path(), &db);
        let ids: Vec<_> = store.articles().unwrap();
        let unique: std::collections::HashSet<_> = ids.iter().map(|a| &a.article.id).collect();
        assert_eq!(ids.len(), unique.len());
        assert_eq!(ids.len(), 650 + 200 * (trial + 1), "trial {trial}");
    }
}

#[test]
fn reading_a_missing_store_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let typo = dir.path().join("typo.db");
    let o = bin()
        .arg("--db")
        .arg(&typo)
        .arg("stories")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("typo.db"), "{}", stderr(&o));
    assert!(!typo.exists());
}
