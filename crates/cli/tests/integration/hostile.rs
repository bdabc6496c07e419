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

mod web {
    use super::nested_page;
    use crate::server::{get, is_json_error, request, request_with, start};
    use std::time::{Duration, Instant};

    #[test]
    fn a_hostile_post_never_blocks_or_kills_the_server() {
        let srv = start();
        let port = srv.port;
        let deep = nested_page(100_000);
        let poster = std::thread::spawn(move || {
            request(
                port,
                "POST",
                "/api/articles",
                Some("text/html"),
                deep.as_bytes(),
            )
        });
        // Other requests are answered while it is being handled.
        let t = Instant::now();
        while !poster.is_finished() && t.elapsed() < Duration::from_secs(60) {
            assert_eq!(get(port, "/health").status, 200);
            std::thread::sleep(Duration::from_millis(50));
        }
        let posted = poster.join().unwrap();
        assert_eq!(posted.status, 201, "{}", posted.body);
        assert_eq!(get(port, "/health").status, 200, "still serving");
        let huge = format!("<html><body>{}</body></html>", "<i>x</i>".repeat(210_000));
        let refused = request(
            port,
            "POST",
            "/api/articles",
            Some("text/html"),
            huge.as_bytes(),
        );
        is_json_error(&refused, 422, "unprocessable");
        assert!(
            refused.body.contains("too_many_elements"),
            "{}",
            refused.body
        );
        assert_eq!(get(port, "/health").status, 200);
    }

    #[test]
    fn the_web_surface_is_hardened() {
        let srv = start();
        let port = srv.port;
        // Security headers on pages and API answers.
        for path in ["/", "/api/stories", "/nowhere"] {
            let head = get(port, path).head.to_ascii_lowercase();
            for h in [
                "content-security-policy: default-src 'none'; script-src 'self'",
                "x-content-type-options: nosniff",
                "x-frame-options: deny",
                "referrer-policy: no-referrer",
            ] {
                assert!(head.contains(h), "{path}: {h} missing in {head}");
            }
        }
        // DNS rebinding: another Host name is not answered.
        let r = request_with(
            port,
            "GET",
            "/api/stories",
            &[("Host", "attacker.example")],
            b"",
        );
        is_json_error(&r, 421, "misdirected_host");
        // A page on another site cannot write, whatever the content type.
        let body = br#"{"text":"The harbour master said the Norhaven pier reopens on Friday after repairs."}"#;
        for (ctype, extra) in [
            ("text/plain", ("Origin", "http://evil.example")),
            ("application/json", ("Origin", "http://evil.example")),
            ("application/json", ("Sec-Fetch-Site", "cross-site")),
        ] {
            let r = request_with(
                port,
                "POST",
                "/api/articles",
                &[("Host", "127.0.0.1"), ("Content-Type", ctype), extra],
                body,
            );
            is_json_error(&r, 403, "forbidden");
        }
        // A form-type body from a page of this server itself needs the token.
        let own = format!("127.0.0.1:{port}");
        let origin = format!("http://{own}");
        let r = request_with(
            port,
            "POST",
            "/api/articles",
            &[
                ("Host", &own),
                ("Content-Type", "text/plain"),
                ("Origin", &origin),
            ],
            b"A page posting plain text about the ferry pier in Norhaven.",
        );
        is_json_error(&r, 403, "forbidden");
        // A stored javascript: URL is never a link.
        let record = br#"{"url":"javascript:alert(document.domain)//","title":"Pier reopens","text":"The harbour master said the Norhaven pier reopens on Friday after two weeks of repairs to its timber deck."}"#;
        let posted = request(
            port,
            "POST",
            "/api/articles",
            Some("application/json"),
            record,
        );
        assert_eq!(posted.status, 201, "{}", posted.body);
        let id = posted.json()["articles"][0]["id"]
            .as_str()
            .unwrap()
            .to_string();
        let page = get(port, &format!("/articles/{id}"));
        assert_eq!(page.status, 200);
        assert!(page.body.contains("javascript:alert"), "shown as text");
        assert!(!page.body.contains("href=\"javascript"), "{}", page.body);
        // Errors keep their JSON body: 405, and a signed limit.
        is_json_error(
            &request(port, "DELETE", "/api/stories", None, b""),
            405,
            "method_not_allowed",
        );
        is_json_error(&get(port, "/api/stories?limit=+5"), 400, "bad_request");
    }
}

mod search {
    use crate::server::{get, is_json_error, start};

    #[test]
    fn a_query_without_a_word_is_refused_alike_everywhere() {
        let srv = start();
        for path in [
            "/api/stories?q=*",
            "/api/search?q=*",
            "/api/stories?entity=%22%22",
            "/api/search?q=",
        ] {
            is_json_error(&get(srv.port, path), 400, "bad_request");
        }
        assert_eq!(
            get(srv.port, "/api/stories?q=").status,
            200,
            "an empty filter is no filter"
        );
    }
}
