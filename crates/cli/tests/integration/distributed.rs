//! Workers on NATS JetStream over a shared PostgreSQL store, as separate
//! processes on loopback: articles published with `ingest --queue`, placed
//! by `corroborate worker`s, some of them killed with SIGKILL. Each test has
//! its own stream and schema. Skipped with a message when NATS or
//! PostgreSQL is not reachable, except in CI (`CI=true`), where that fails.

use crate::common::*;
use corroborate_queue::testing::TestQueue;
use corroborate_store::testing::PgSchema;
use std::collections::HashMap;
use std::path::Path;
use std::process::Child;
use std::time::{Duration, Instant};

/// Articles in the big test: 10,000 (about a minute in a debug build);
/// CORROBORATE_DIST_ARTICLES sets another number.
fn articles() -> usize {
    std::env::var("CORROBORATE_DIST_ARTICLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000)
}

struct Setup {
    queue: TestQueue,
    schema: PgSchema,
    dir: tempfile::TempDir,
}

fn setup(test: &str) -> Option<Setup> {
    let queue = corroborate_queue::testing::queue(test)?;
    let schema = corroborate_store::testing::pg_schema(test)?;
    // The store exists before the first worker (the tests read it at once).
    drop(corroborate_store::PgStore::open(&schema.url).unwrap());
    Some(Setup {
        queue,
        schema,
        dir: tempfile::tempdir().unwrap(),
    })
}

impl Setup {
    fn queue_args(&self) -> Vec<String> {
        vec![
            "--queue".into(),
            self.queue.config.url.clone(),
            "--stream".into(),
            self.queue.config.stream.clone(),
            "--subject".into(),
            self.queue.config.subject.clone(),
            "--ack-wait".into(),
            "3".into(),
        ]
    }

    fn cli(&self, args: &[&str]) -> std::process::Output {
        let o = bin()
            .args(["--db", &self.schema.url])
            .args(args)
            .args(self.queue_args())
            .output()
            .unwrap();
        assert!(o.status.code().is_some(), "{}", stderr(&o));
        o
    }

    /// A worker serving metrics on a port of its own.
    fn worker(&self, name: &str) -> (KillOnDrop, u16) {
        let port = free_port();
        let child = bin()
            .args(["--db", &self.schema.url, "-q", "worker", "--name", name])
            .args(self.queue_args())
            .args(["--metrics", &format!("127.0.0.1:{port}")])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        (KillOnDrop(child), port)
    }

    fn pg(&self) -> postgres::Client {
        let mut c =
            postgres::Client::connect(corroborate_store::testing::PG, postgres::NoTls).unwrap();
        let schema = self
            .schema
            .url
            .rsplit_once("schema=")
            .unwrap()
            .1
            .to_string();
        c.batch_execute(&format!("SET search_path TO {schema}"))
            .unwrap();
        c
    }
}

/// Stored articles, and how many of them the stored analysis covers.
fn progress(c: &mut postgres::Client) -> (i64, i64) {
    let stored: i64 = c
        .query_one("SELECT count(*) FROM articles", &[])
        .unwrap()
        .get(0);
    let placed: i64 = c
        .query_one("SELECT count(*) FROM memberships", &[])
        .unwrap()
        .get(0);
    (stored, placed)
}

/// Waits until `n` articles are stored and placed, failing after `secs`.
fn wait_placed(c: &mut postgres::Client, n: i64, secs: u64) {
    wait_placed_or(c, n, secs, &|| String::new())
}

/// [`wait_placed`], adding `diagnose()` to the failure message.
fn wait_placed_or(c: &mut postgres::Client, n: i64, secs: u64, diagnose: &dyn Fn() -> String) {
    let start = Instant::now();
    loop {
        let p = progress(c);
        if p == (n, n) {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(secs),
            "after {secs} s: {p:?} of {n} stored/placed\n{}",
            diagnose()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Article id -> story id in the shared store.
fn memberships(c: &mut postgres::Client) -> HashMap<String, String> {
    c.query("SELECT article_id, story_id FROM memberships", &[])
        .unwrap()
        .into_iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
}

/// Article id -> story id from a single-process `analyze` of `feed`.
fn single_process(dir: &Path, feed: &Path) -> HashMap<String, String> {
    let o = run(dir, &["analyze", feed.to_str().unwrap(), "--json", "-q"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let doc = json(&o);
    let mut out = HashMap::new();
    for s in doc["stories"].as_array().unwrap() {
        for a in s["articles"].as_array().unwrap() {
            let prev = out.insert(
                a["id"].as_str().unwrap().to_string(),
                s["id"].as_str().unwrap().to_string(),
            );
            assert!(prev.is_none(), "an article in two stories");
        }
    }
    out
}

fn metric(port: u16, name: &str) -> Option<f64> {
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    use std::io::{Read, Write};
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        s,
        "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut body = String::new();
    s.read_to_string(&mut body).ok()?;
    body.lines()
        .find(|l| l.starts_with(name))
        .and_then(|l| l.rsplit(' ').next()?.parse().ok())
}

fn kill9(child: &mut Child) {
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn three_workers_one_killed_give_the_single_process_stories() {
    let Some(s) = setup("dist_kill") else { return };
    let n = articles();
    let feed = s.dir.path().join("feed.jsonl");
    corroborate_worker::testing::write_feed(&feed, n).unwrap();
    let o = s.cli(&["ingest", feed.to_str().unwrap(), "--json", "-q"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(json(&o)["queued"]["published"], n);
    let mut workers: Vec<(KillOnDrop, u16)> =
        ["w1", "w2", "w3"].iter().map(|w| s.worker(w)).collect();
    let mut c = s.pg();
    // Halfway, SIGKILL a worker that is not the assigner, and start another.
    let start = Instant::now();
    while progress(&mut c).0 < n as i64 / 2 {
        assert!(
            start.elapsed() < Duration::from_secs(300),
            "no progress: {:?}",
            progress(&mut c)
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let victim = workers
        .iter()
        .position(|(_, port)| metric(*port, "corroborate_assigner") == Some(0.0))
        .expect("a worker that is not the assigner");
    kill9(&mut workers[victim].0 .0);
    workers.push(s.worker("w4"));
    wait_placed(&mut c, n as i64, 600);
    let staged: i64 = c
        .query_one("SELECT count(*) FROM staged", &[])
        .unwrap()
        .get(0);
    assert_eq!(staged, 0);
    // Publishing the feed again adds nothing (JetStream drops duplicates;
    // the store is keyed by content).
    let o = s.cli(&["ingest", feed.to_str().unwrap(), "--json", "-q"]);
    assert_eq!(json(&o)["queued"]["duplicates"], n);
    let distributed = memberships(&mut c);
    drop(workers);
    let single = single_process(s.dir.path(), &feed);
    assert_eq!(distributed.len(), n);
    assert_eq!(distributed, single, "the same stories as one process");
    let stories: std::collections::HashSet<&String> = single.values().collect();
    eprintln!("{n} articles in {} stories", stories.len());
    assert!(stories.len() > 1, "{} stories", stories.len());
}

#[test]
fn the_assigner_killed_mid_stream_is_replaced_within_the_lease_time() {
    let Some(s) = setup("dist_lease") else { return };
    let n = 600;
    let feed = s.dir.path().join("feed.jsonl");
    corroborate_worker::testing::write_feed(&feed, n).unwrap();
    // The feed in two halves: the second is published after the kill, so
    // the new assigner has work to take over however fast the first was.
    let text = std::fs::read_to_string(&feed).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let halves = [
        s.dir.path().join("first.jsonl"),
        s.dir.path().join("second.jsonl"),
    ];
    for (path, part) in halves.iter().zip(lines.chunks(n / 2)) {
        std::fs::write(path, part.join("\n") + "\n").unwrap();
    }
    let mut workers: Vec<(KillOnDrop, u16)> = ["a", "b"].iter().map(|w| s.worker(w)).collect();
    let o = s.cli(&["ingest", halves[0].to_str().unwrap(), "-q"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut c = s.pg();
    let start = Instant::now();
    while progress(&mut c).1 < 50 {
        assert!(start.elapsed() < Duration::from_secs(300), "nothing placed");
        std::thread::sleep(Duration::from_millis(50));
    }
    let holder = workers
        .iter()
        .position(|(_, port)| metric(*port, "corroborate_assigner") == Some(1.0))
        .expect("an assigner");
    let placed_before = progress(&mut c).1;
    kill9(&mut workers[holder].0 .0);
    let killed = Instant::now();
    let other = workers[1 - holder].1;
    while metric(other, "corroborate_assigner") != Some(1.0) {
        assert!(killed.elapsed() < Duration::from_secs(10), "no takeover");
        std::thread::sleep(Duration::from_millis(100));
    }
    let takeover = killed.elapsed();
    eprintln!("takeover after {takeover:?} (lease poll 1 s)");
    assert!(takeover < Duration::from_secs(5), "{takeover:?}");
    let o = s.cli(&["ingest", halves[1].to_str().unwrap(), "-q"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    wait_placed(&mut c, n as i64, 300);
    assert!(progress(&mut c).1 > placed_before);
    let distributed = memberships(&mut c);
    drop(workers);
    assert_eq!(distributed, single_process(s.dir.path(), &feed));
}

#[test]
fn poison_messages_are_dead_lettered_with_their_reason_and_the_rest_flow() {
    let Some(s) = setup("dist_poison") else {
        return;
    };
    let feed = s.dir.path().join("feed.jsonl");
    corroborate_worker::testing::write_feed(&feed, 40).unwrap();
    let big = s.dir.path().join("big.txt");
    std::fs::write(&big, "A long text. ".repeat(4000)).unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let q = rt
        .block_on(corroborate_queue::Queue::connect(s.queue.config.clone()))
        .unwrap();
    rt.block_on(q.publish_raw("not a document".into(), "poison-1"))
        .unwrap();
    let o = s.cli(&[
        "ingest",
        feed.to_str().unwrap(),
        big.to_str().unwrap(),
        "-q",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // This worker refuses documents over 20,000 bytes: the big one is poison to it.
    let child = bin()
        .args([
            "--db",
            &s.schema.url,
            "-q",
            "--max-size",
            "20000",
            "worker",
            "--exit-when-idle",
            "3",
        ])
        .args(s.queue_args())
        .output()
        .unwrap();
    assert_eq!(child.status.code(), Some(0), "{}", stderr(&child));
    let mut c = s.pg();
    wait_placed(&mut c, 40, 60);
    let o = s.cli(&["queue", "status", "--json"]);
    let st = json(&o);
    assert_eq!(st["dead_letters"], 2, "{st}");
    assert_eq!(st["depth"], 0);
    let reasons: Vec<&str> = st["newest_dead_letters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["reason"].as_str().unwrap())
        .collect();
    assert!(reasons[0].contains("not gzip"), "{reasons:?}");
    assert!(reasons[1].contains("over the size limit"), "{reasons:?}");
    let text = stdout(&s.cli(&["queue", "status"]));
    assert!(text.contains("dead letters  2"), "{text}");
}

/// A NATS server of the test's own (JetStream in a temporary folder), so
/// that the test may kill and restart it.
fn own_nats(port: u16, store: &Path) -> Option<KillOnDrop> {
    let child = std::process::Command::new("nats-server")
        .args(["-a", "127.0.0.1", "-p", &port.to_string(), "-js", "-sd"])
        .arg(store)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    match child {
        Ok(c) => {
            wait_for_port(port, 20, "nats-server");
            Some(KillOnDrop(c))
        }
        Err(e) => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "nats-server not found (CI needs it): {e}"
            );
            eprintln!("skipped: nats-server not found: {e}");
            None
        }
    }
}

#[test]
fn workers_ride_out_a_nats_restart_and_lost_database_connections() {
    let Some(mut s) = setup("dist_restart") else {
        return;
    };
    // Below the kernel's ephemeral range, so that no other test's free
    // port (a worker's metrics) takes it while NATS is down.
    let port = 20_000 + (std::process::id() % 10_000) as u16;
    let nats_dir = tempfile::tempdir().unwrap();
    let Some(mut nats) = own_nats(port, nats_dir.path()) else {
        return;
    };
    s.queue.config.url = format!("nats://127.0.0.1:{port}");
    // Each worker's connections carry the schema's name, so that only they
    // are cut below (other tests share the server).
    let schema = s.schema.url.rsplit_once("schema=").unwrap().1.to_string();
    let tagged = format!("{}&application_name={schema}", s.schema.url);
    let n = 900;
    let feed = s.dir.path().join("feed.jsonl");
    corroborate_worker::testing::write_feed(&feed, n).unwrap();
    let o = s.cli(&["ingest", feed.to_str().unwrap(), "-q"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let worker = |name: &str| {
        KillOnDrop(
            bin()
                .args([
                    "--db", &tagged, "-q", "worker", "--name", name, "--batch", "16",
                ])
                .args(s.queue_args())
                .env("RUST_LOG", "worker=debug,queue=debug")
                .env("NO_COLOR", "1")
                .stdout(std::process::Stdio::null())
                .stderr(std::fs::File::create(s.dir.path().join(format!("{name}.log"))).unwrap())
                .spawn()
                .unwrap(),
        )
    };
    let workers = [worker("r1"), worker("r2")];
    let mut c = s.pg();
    let start = Instant::now();
    while progress(&mut c).0 < n as i64 / 4 {
        assert!(start.elapsed() < Duration::from_secs(300), "no progress");
        std::thread::sleep(Duration::from_millis(20));
    }
    // PostgreSQL drops every connection of the workers (as a restart does).
    let cut: i64 = c
        .query_one(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1",
            &[&schema],
        )
        .unwrap()
        .get(0);
    assert!(cut > 0);
    // NATS dies and comes back on the same port with the same store.
    kill9(&mut nats.0);
    std::thread::sleep(Duration::from_millis(500));
    let _nats = own_nats(port, nats_dir.path()).unwrap();
    let logs = || {
        ["r1", "r2"]
            .iter()
            .map(|w| {
                let log = std::fs::read_to_string(s.dir.path().join(format!("{w}.log")))
                    .unwrap_or_default();
                let lines: Vec<&str> = log.lines().filter(|l| !l.starts_with(' ')).collect();
                format!(
                    "{w}:\n{}",
                    lines[lines.len().saturating_sub(15)..].join("\n")
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
            + &stdout(&s.cli(&["queue", "status", "--json"]))
    };
    wait_placed_or(&mut c, n as i64, 120, &logs);
    let distributed = memberships(&mut c);
    drop(workers);
    assert_eq!(distributed, single_process(s.dir.path(), &feed));
}

#[test]
fn a_server_with_a_queue_publishes_posts_and_shows_the_queue_and_metrics() {
    use crate::server::{get, request};
    let Some(s) = setup("dist_server") else {
        return;
    };
    let port = free_port();
    let server = KillOnDrop(
        bin()
            .args([
                "--db",
                &s.schema.url,
                "serve",
                "--addr",
                &format!("127.0.0.1:{port}"),
            ])
            .args(s.queue_args())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap(),
    );
    wait_for_port(port, 30, "server");
    let body = b"Harbour master Ilse Varn says the Kelden ferry pier will reopen on Friday after storm repairs.";
    let r = request(port, "POST", "/api/articles", Some("text/plain"), body);
    assert_eq!(r.status, 202, "{}", r.body);
    let posted = r.json();
    assert_eq!(posted["analysis"], "queued");
    assert_eq!(posted["queued"]["published"], 1);
    let id = posted["articles"][0].as_str().unwrap().to_string();
    // An empty body is refused before it reaches the queue.
    assert_eq!(
        request(port, "POST", "/api/articles", Some("text/plain"), b"  ").status,
        422
    );
    let q = get(port, "/api/queue").json();
    assert_eq!(
        (q["depth"].as_u64(), q["last_sequence"].as_u64()),
        (Some(1), Some(1)),
        "{q}"
    );
    // A worker places it; the server shows it in its story.
    let (_worker, _) = s.worker("w");
    let start = Instant::now();
    loop {
        let a = get(port, &format!("/api/articles/{id}"));
        if a.status == 200 && a.json()["story"].is_string() {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(60), "{}", a.body);
        std::thread::sleep(Duration::from_millis(100));
    }
    let m = get(port, "/metrics");
    assert_eq!(m.status, 200);
    assert!(
        m.body
            .contains("corroborate_articles_total{stage=\"published\"} 1"),
        "{}",
        m.body
    );
    drop(server);
}
