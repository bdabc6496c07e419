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
