//! The CLI and the server on a PostgreSQL store (`--db postgres://…`): the
//! same stories as on SQLite. Skipped with a message when PostgreSQL is not
//! reachable, except in CI (`CI=true`), where that fails.

use crate::common::*;

fn analyze_json(db: &str) -> serde_json::Value {
    let o = bin()
        .args(["--db", db, "analyze", "examples", "--json", "-q"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    json(&o)
}

#[test]
fn the_same_stories_on_postgresql_as_on_sqlite() {
    let Some(schema) = corroborate_store::testing::pg_schema("cli_same") else {
        return;
    };
    let url = schema.url.clone();
    let dir = tempfile::tempdir().unwrap();
    let sqlite = analyze_json(dir.path().join("t.db").to_str().unwrap());
    let pg = analyze_json(&url);
    assert_eq!(pg["stories"], sqlite["stories"]);
    // Rerunning is idempotent there too.
    let again = analyze_json(&url);
    assert_eq!(again["ingest"]["added"], 0);
    assert_eq!(again["stories"], sqlite["stories"]);
    // Reading commands work on it.
    let o = bin()
        .args(["--db", &url, "stories", "--json"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        json(&o)["stories"].as_array().unwrap().len(),
        sqlite["stories"].as_array().unwrap().len()
    );
}
