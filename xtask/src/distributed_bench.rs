//! `cargo xtask gen-feed` and `cargo xtask bench-distributed`: the
//! distributed path (NATS JetStream workers over PostgreSQL) measured on a
//! generated feed of fictional news.

use anyhow::Result;
use std::path::Path;

/// Writes the generated feed of `n` articles to `path`.
pub fn gen_feed(n: usize, path: &Path) -> Result<()> {
    let events = corroborate_worker::testing::write_feed(path, n)?;
    eprintln!("{n} articles about {events} events in {}", path.display());
    Ok(())
}

/// `cargo xtask bench-distributed [--articles N]`: builds the release
/// binary, publishes a generated feed of N articles (JSONL, fictional) to a
/// stream of its own, and times 1 and then 2 workers over a fresh
/// PostgreSQL schema each: articles/s staged (workers), articles/s placed
/// (the assigner's ceiling: promotion plus incremental analysis), and the
/// whole run. Needs NATS at 127.0.0.1:4222 and PostgreSQL at 127.0.0.1:5432.
pub fn bench(n: usize) -> Result<()> {
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};
    let status = Command::new("cargo")
        .args(["build", "--release", "-q", "-p", "corroborate"])
        .status()?;
    anyhow::ensure!(status.success(), "release build failed");
    let bin = std::env::current_dir()?.join("target/release/corroborate");
    let dir = tempfile::tempdir()?;
    let feed = dir.path().join("feed.jsonl");
    corroborate_worker::testing::write_feed(&feed, n)?;
    println!("| workers | articles | staged/s | placed/s | total s |");
    println!("|---|---|---|---|---|");
    for workers in [1usize, 2] {
        let q = corroborate_queue::testing::queue(&format!("bench{workers}"))
            .ok_or_else(|| anyhow::anyhow!("NATS not reachable"))?;
        let schema = corroborate_store::testing::pg_schema(&format!("bench{workers}"))
            .ok_or_else(|| anyhow::anyhow!("PostgreSQL not reachable"))?;
        drop(corroborate_store::PgStore::open(&schema.url)?);
        let qargs = [
            "--queue".to_string(),
            q.config.url.clone(),
            "--stream".into(),
            q.config.stream.clone(),
            "--subject".into(),
            q.config.subject.clone(),
        ];
        let o = Command::new(&bin)
            .args(["-q", "ingest", feed.to_str().unwrap_or_default()])
            .args(&qargs)
            .output()?;
        anyhow::ensure!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let mut pg = postgres::Client::connect(corroborate_store::testing::PG, postgres::NoTls)?;
        let name = schema
            .url
            .rsplit_once("schema=")
            .map_or("", |p| p.1)
            .to_string();
        pg.batch_execute(&format!("SET search_path TO {name}"))?;
        let start = Instant::now();
        let mut children = Vec::new();
        for w in 0..workers {
            children.push(
                Command::new(&bin)
                    .args([
                        "--db",
                        &schema.url,
                        "-q",
                        "worker",
                        "--name",
                        &format!("b{w}"),
                    ])
                    .args(&qargs)
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .spawn()?,
            );
        }
        let (mut staged_at, mut placed_at) = (None, None);
        while placed_at.is_none() {
            let stored: i64 = pg
                .query_one(
                    "SELECT (SELECT count(*) FROM articles) + (SELECT count(*) FROM staged)",
                    &[],
                )?
                .get(0);
            let placed: i64 = pg
                .query_one("SELECT count(*) FROM memberships", &[])?
                .get(0);
            if staged_at.is_none() && stored >= n as i64 {
                staged_at = Some(start.elapsed());
            }
            if placed >= n as i64 {
                placed_at = Some(start.elapsed());
            }
            anyhow::ensure!(start.elapsed() < Duration::from_secs(1800), "timed out");
            std::thread::sleep(Duration::from_millis(50));
        }
        for mut c in children {
            let _ = c.kill();
            let _ = c.wait();
        }
        let (s, p) = (
            staged_at.unwrap_or_default().as_secs_f64(),
            placed_at.unwrap_or_default().as_secs_f64(),
        );
        println!(
            "| {workers} | {n} | {:.0} | {:.0} | {p:.1} |",
            n as f64 / s.max(1e-3),
            n as f64 / p.max(1e-3)
        );
    }
    Ok(())
}
