//! A run killed mid-ingest (SIGKILL, no chance to clean up) leaves a store
//! that opens, passes its integrity check, and completes on the next run.

use crate::common::*;
use std::time::{Duration, Instant};

#[test]
fn killing_a_run_never_corrupts_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("many");
    std::fs::create_dir(&inputs).unwrap();
    let n = 3000;
    for i in 0..n {
        let text = format!(
            "Report {i} on the harbour\n\nThe harbour master said on Monday that berth {i} would close for {} days while engineers inspect the quay wall and replace its fenders.\n",
            i % 17 + 2
        );
        std::fs::write(inputs.join(format!("{i:05}.txt")), text).unwrap();
    }
    let db = dir.path().join("t.db");
    let mut child = bin()
        .args([
            "--db",
            db.to_str().unwrap(),
            "ingest",
            "-q",
            inputs.to_str().unwrap(),
        ])
        .spawn()
        .unwrap();
    // Wait until at least one batch is committed, then kill without warning.
    let start = Instant::now();
    loop {
        std::thread::sleep(Duration::from_millis(20));
        let count = corroborate_store::Store::open(&db)
            .ok()
            .and_then(|s| s.article_count().ok())
            .unwrap_or(0);
        if count > 0 || start.elapsed() > Duration::from_secs(60) {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();

    let store = corroborate_store::Store::open(&db).unwrap();
    assert!(store.check_integrity().unwrap());
    let partial = store.article_count().unwrap();
    assert!(partial <= n, "{partial}");
    assert!(
        partial % 256 == 0 || partial == n,
        "only whole batches are committed: {partial}"
    );
    drop(store);

    let o = run(dir.path(), &["ingest", "-q", inputs.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let store = corroborate_store::Store::open(&db).unwrap();
    assert_eq!(store.article_count().unwrap(), n);
    assert!(store.check_integrity().unwrap());
}

/// A server killed (SIGKILL) at 20 different points while it places POSTed
/// articles incrementally leaves a consistent store each time: it opens,
/// passes its integrity check, every analysed article is in exactly one
/// story and every report names the articles its story holds. A restarted
/// server catches up with what was stored before the kill.
#[test]
fn killing_the_server_mid_update_keeps_the_store_consistent() {
    use corroborate_store::Storage;
    let dir = tempfile::tempdir().unwrap();
    let o = run(dir.path(), &["analyze", "examples", "-q"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let db = dir.path().join("t.db");
    let consistent = |trial: usize| {
        let store = corroborate_store::Store::open(&db).unwrap();
        assert!(store.check_integrity().unwrap(), "trial {trial}");
        let through = store.analyzed_through().unwrap();
        for a in store.articles().unwrap() {
            let story = store.story_of(a.article.id.as_str()).unwrap();
            if a.seq <= through {
                let story =
                    story.unwrap_or_else(|| panic!("trial {trial}: {} has no story", a.article.id));
                let report = store.report(story.as_str()).unwrap().unwrap();
                assert!(
                    report.articles.iter().any(|r| r.id == a.article.id),
                    "trial {trial}"
                );
            }
        }
        for s in store.stories().unwrap() {
            let report = store.report(s.id.as_str()).unwrap().unwrap();
            for r in &report.articles {
                assert_eq!(
                    store.story_of(r.id.as_str()).unwrap().as_ref(),
                    Some(&s.id),
                    "trial {trial}"
                );
            }
        }
    };
    let serve = || {
        let port = free_port();
        let child = bin()
            .args([
                "--db",
                db.to_str().unwrap(),
                "serve",
                "--addr",
                &format!("127.0.0.1:{port}"),
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        wait_for_port(port, 30, "server");
        (child, port)
    };
    for trial in 0..20usize {
        let (mut child, port) = serve();
        let body = format!(
            r#"{{"title":"Norhaven port fire, update {trial}","text":"Firefighters returned to Warehouse 7 at the port of Norhaven for the {trial}th inspection after the chemical fire, the fire brigade said on Sunday. Residents near the docks were told to keep their windows closed."}}"#
        );
        let r = crate::server::request(
            port,
            "POST",
            "/api/articles?wait=0",
            Some("application/json"),
            body.as_bytes(),
        );
        assert!((200..300).contains(&r.status), "{}", r.body);
        // Kill at a different point of the background analysis each time.
        std::thread::sleep(Duration::from_millis((trial as u64 * 37) % 400));
        let _ = child.kill();
        let _ = child.wait();
        consistent(trial);
    }
    // A restart places everything stored before the kills.
    let (mut child, port) = serve();
    let start = Instant::now();
    loop {
        let store = corroborate_store::Store::open(&db).unwrap();
        if !store.needs_analysis().unwrap() {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(60), "never caught up");
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(crate::server::get(port, "/health").json()["articles"], 27);
    let _ = child.kill();
    let _ = child.wait();
    consistent(20);
}
