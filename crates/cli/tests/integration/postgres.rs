//! The CLI and the server on a PostgreSQL store (`--db postgres://…`): the
//! same stories as on SQLite. Skipped with a message when PostgreSQL is not
//! reachable, except in CI (`CI=true`), where that fails.

use crate::common::*;

const PG: &str = "postgres://postgres@127.0.0.1:5432/test";

/// A schema of the test's own, dropped afterwards.
struct Schema(String);

impl Drop for Schema {
    fn drop(&mut self) {
        if let Ok(mut c) = postgres::Client::connect(PG, postgres::NoTls) {
            let _ = c.batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.0));
        }
    }
}

fn schema(test: &str) -> Option<Schema> {
    if postgres::Client::connect(PG, postgres::NoTls).is_err() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "PostgreSQL is not reachable at {PG} (CI needs it)"
        );
        eprintln!("skipped: PostgreSQL is not reachable at {PG}");
        return None;
    }
    Some(Schema(format!("cli_{test}_{}", std::process::id())))
}

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
    let Some(s) = schema("same") else { return };
    let url = format!("{PG}?schema={}", s.0);
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
