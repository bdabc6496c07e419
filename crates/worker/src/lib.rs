//! Distributed corroborate: workers on a NATS JetStream queue over a shared
//! PostgreSQL store.
//!
//! Each worker pulls batches of documents from the queue's durable consumer
//! ([`corroborate_queue`]), decodes and extracts them in parallel, and
//! *stages* the articles in the store keyed by their message's stream
//! sequence ([`corroborate_store::Storage::stage_articles`]); only then does
//! it acknowledge the messages. A message it cannot handle goes to the
//! dead-letter stream with its reason: undecodable, over the size limit,
//! refused by extraction, or failing [`MAX_ATTEMPTS`] times.
//!
//! One worker at a time is also the **story assigner**: it holds a lease
//! (a PostgreSQL session advisory lock, [`corroborate_store::Lease`]) and, in
//! a loop, moves the staged articles up to the queue's ack watermark into
//! the store in stream order ([`corroborate_store::Storage::promote_staged`])
//! and runs the engine's incremental analysis, which places them in stories
//! and rebuilds the reports of the stories that changed. Because articles
//! enter the store in publication order, whatever the number of workers or
//! the order in which they finished, the stories are those a single
//! `corroborate analyze` of the same input in the same order gives. When the
//! assigner dies its session ends and the lease is free: another worker
//! takes it within [`WorkerConfig::lease_poll`], warms its engine up from
//! the store and goes on.
//!
//! Delivery: at-least-once from JetStream; staging is idempotent by stream
//! sequence and storing by content id, so each article is stored and placed
//! exactly once. A worker killed mid-batch loses nothing: its messages come
//! back after the ack wait. When the store is unreachable a worker keeps
//! its batch, tells JetStream it is still working on it, and retries until
//! the store is back; the NATS client reconnects on its own.

pub mod testing;

use corroborate_engine::{Engine, Preparer};
use corroborate_queue::metrics::Metrics;
use corroborate_queue::{decode, Delivery, Queue, QueueConfig, Undecodable, WorkerReport};
use corroborate_store::{Lease, Staged, Storage};
use rayon::prelude::*;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Name of the story assigner's lease.
pub const LEASE: &str = "story-assigner";

/// Deliveries after which a message that keeps failing is dead-lettered.
pub const MAX_ATTEMPTS: i64 = 3;

/// How often a worker reports its counters to the queue.
pub const REPORT_EVERY: Duration = Duration::from_secs(2);

/// Errors that stop a worker.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The queue failed.
    #[error(transparent)]
    Queue(#[from] corroborate_queue::Error),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] corroborate_store::Error),
    /// The engine failed.
    #[error(transparent)]
    Engine(#[from] corroborate_engine::Error),
    /// Workers share a store between processes and machines.
    #[error("a worker needs a PostgreSQL store (--db postgres://…); {0} is not one")]
    NotShared(String),
    /// Binding the metrics address failed.
    #[error("metrics on {0}: {1}")]
    Metrics(SocketAddr, std::io::Error),
    /// The runtime could not start.
    #[error("runtime: {0}")]
    Runtime(std::io::Error),
}

/// Result alias of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// How a worker runs.
#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// The queue.
    pub queue: QueueConfig,
    /// The shared store (`postgres://…`).
    pub db: String,
    /// This worker's name in reports.
    pub name: String,
    /// Messages pulled at once.
    pub batch: usize,
    /// Largest decoded document accepted, in bytes.
    pub max_size: u64,
    /// Whether this worker may become the story assigner.
    pub assign: bool,
    /// Where to serve `/metrics`, if anywhere.
    pub metrics_addr: Option<SocketAddr>,
    /// Pause of the assigner when nothing was placed.
    pub assign_every: Duration,
    /// How often a worker without the lease tries to take it.
    pub lease_poll: Duration,
    /// Exit when the queue stays empty this long (for batch jobs and
    /// tests); run until stopped when `None`.
    pub exit_when_idle: Option<Duration>,
}

impl WorkerConfig {
    /// Defaults for a worker on `queue` over the store `db`.
    pub fn new(queue: QueueConfig, db: impl Into<String>) -> Self {
        WorkerConfig {
            queue,
            db: db.into(),
            name: default_name(),
            batch: 64,
            max_size: corroborate_engine::DEFAULT_MAX_SIZE,
            assign: true,
            metrics_addr: None,
            assign_every: Duration::from_millis(100),
            lease_poll: Duration::from_secs(1),
            exit_when_idle: None,
        }
    }
}

/// Host name and process id.
pub fn default_name() -> String {
    let host = std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "worker".into());
    format!("{host}-{}", std::process::id())
}

/// What a worker did before it stopped.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    /// Messages handled (staged or dead-lettered).
    pub handled: u64,
    /// Articles staged.
    pub staged: u64,
    /// Messages dead-lettered.
    pub dead: u64,
    /// Articles this worker placed while it was the assigner.
    pub placed: u64,
}

/// Runs a worker until `stop` is set (or, with
/// [`WorkerConfig::exit_when_idle`], until the queue stays empty).
pub fn run(config: WorkerConfig, stop: Arc<AtomicBool>) -> Result<Summary> {
    if !corroborate_store::is_postgres(&config.db) {
        return Err(Error::NotShared(config.db));
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(Error::Runtime)?;
    let metrics = Arc::new(Metrics::default());
    rt.block_on(async move {
        let queue = connect(&config.queue, &stop).await?;
        if let Some(addr) = config.metrics_addr {
            serve_metrics(addr, metrics.clone()).await?;
        }
        let assigner = config.assign.then(|| {
            let (config, queue, metrics, stop) =
                (config.clone(), queue.clone(), metrics.clone(), stop.clone());
            let handle = tokio::runtime::Handle::current();
            std::thread::spawn(move || assign_loop(&config, &queue, &handle, &metrics, &stop))
        });
        let reporter = tokio::spawn(report_loop(
            config.name.clone(),
            queue.clone(),
            metrics.clone(),
        ));
        let result = work_loop(&config, &queue, &metrics, &stop).await;
        stop.store(true, Ordering::SeqCst);
        reporter.abort();
        let placed = match assigner {
            Some(t) => tokio::task::spawn_blocking(move || t.join().unwrap_or(0))
                .await
                .unwrap_or(0),
            None => 0,
        };
        let mut summary = result?;
        summary.placed = placed;
        Ok(summary)
    })
}

/// Connects to the queue, retrying every second until it answers or
/// `stop` is set.
async fn connect(config: &QueueConfig, stop: &AtomicBool) -> Result<Queue> {
    loop {
        match Queue::connect(config.clone()).await {
            Ok(q) => return Ok(q),
            Err(e) if stop.load(Ordering::SeqCst) => return Err(e.into()),
            Err(e) => {
                tracing::warn!(target: "worker", error = %e, "queue not reachable; retrying");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

async fn serve_metrics(addr: SocketAddr, metrics: Arc<Metrics>) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| Error::Metrics(addr, e))?;
    let app = axum::Router::new().route(
        "/metrics",
        axum::routing::get(move || {
            let m = metrics.clone();
            async move {
                (
                    [(axum::http::header::CONTENT_TYPE, Metrics::CONTENT_TYPE)],
                    m.render(),
                )
            }
        }),
    );
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok(())
}

/// Reports this worker's counters and reads the queue lag, every
/// [`REPORT_EVERY`].
async fn report_loop(name: String, queue: Queue, metrics: Arc<Metrics>) {
    let mut last = (Instant::now(), 0u64);
    loop {
        tokio::time::sleep(REPORT_EVERY).await;
        let handled = metrics.counted("handled");
        let rate = (handled - last.1) as f64 / last.0.elapsed().as_secs_f64().max(1e-3);
        last = (Instant::now(), handled);
        let report = WorkerReport {
            worker: name.clone(),
            handled,
            staged: metrics.counted("staged"),
            dead: metrics.counted("dead"),
            rate,
            assigner: metrics.is_assigner(),
            at: chrono::Utc::now().to_rfc3339(),
        };
        if let Err(e) = queue.report_worker(&report).await {
            tracing::debug!(target: "worker", error = %e, "report failed");
        }
        if let Ok(d) = queue.depth().await {
            metrics.set_lag(d.stream.messages);
        }
    }
}

/// Pulls, handles and acknowledges batches until stopped.
async fn work_loop(
    config: &WorkerConfig,
    queue: &Queue,
    metrics: &Arc<Metrics>,
    stop: &Arc<AtomicBool>,
) -> Result<Summary> {
    let mut store = StoreSlot(None);
    let preparer = Arc::new(Preparer::new(config.max_size));
    let mut consumer = None;
    let mut summary = Summary::default();
    let mut idle_since = Instant::now();
    while !stop.load(Ordering::SeqCst) {
        if consumer.is_none() {
            match queue.consumer().await {
                Ok(c) => consumer = Some(c),
                Err(e) => {
                    metrics.error("queue");
                    tracing::warn!(target: "worker", error = %e, "no consumer yet; retrying");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    continue;
                }
            }
        }
        let Some(c) = consumer.as_ref() else { continue };
        let batch = match c.fetch(config.batch, Duration::from_secs(1)).await {
            Ok(b) => b,
            Err(e) => {
                metrics.error("queue");
                tracing::warn!(target: "worker", error = %e, "fetch failed; retrying");
                consumer = None;
                tokio::time::sleep(Duration::from_millis(500)).await;
                continue;
            }
        };
        if batch.is_empty() {
            if config
                .exit_when_idle
                .is_some_and(|d| idle_since.elapsed() >= d)
            {
                break;
            }
            continue;
        }
        idle_since = Instant::now();
        metrics.count("received", batch.len() as u64);
        let handled =
            handle_batch(config, queue, metrics, stop, &preparer, &mut store.0, batch).await?;
        summary.handled += handled.handled;
        summary.staged += handled.staged;
        summary.dead += handled.dead;
    }
    Ok(summary)
}

/// The worker's store connection. The `postgres` client blocks when it is
/// dropped, which a runtime thread must not do: it is dropped off the
/// runtime.
struct StoreSlot(Option<Box<dyn Storage>>);

impl Drop for StoreSlot {
    fn drop(&mut self) {
        if let Some(store) = self.0.take() {
            tokio::task::block_in_place(|| drop(store));
        }
    }
}

/// What became of each message of a batch.
enum Fate {
    /// Its article is staged.
    Stage,
    Dead {
        reason: String,
        kind: &'static str,
    },
    Retry,
}

/// Decodes and extracts one message (a panic in extraction is caught and
/// retried, then dead-lettered after [`MAX_ATTEMPTS`]); with
/// [`Fate::Stage`], the article to stage.
fn fate(preparer: &Preparer, d: &Delivery, max_size: u64) -> (Fate, Option<Staged>) {
    match decide(preparer, d, max_size) {
        Ok(staged) => (Fate::Stage, Some(staged)),
        Err(fate) => (fate, None),
    }
}

fn decide(preparer: &Preparer, d: &Delivery, max_size: u64) -> Result<Staged, Fate> {
    let doc = match decode(d.payload(), max_size) {
        Ok(doc) => doc,
        Err(e @ Undecodable::TooLarge(_)) => {
            return Err(Fate::Dead {
                reason: e.to_string(),
                kind: "too_large",
            })
        }
        Err(e) => {
            return Err(Fate::Dead {
                reason: e.to_string(),
                kind: "undecodable",
            })
        }
    };
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| preparer.extract(&doc))) {
        Ok(Ok(article)) => Ok(Staged {
            qseq: d.sequence(),
            raw: doc,
            article,
        }),
        Ok(Err(e)) => Err(Fate::Dead {
            reason: format!("{}: extraction refused it: {e}", doc.source),
            kind: "refused",
        }),
        Err(_) if d.delivered() >= MAX_ATTEMPTS => Err(Fate::Dead {
            reason: format!(
                "{}: failed {MAX_ATTEMPTS} times (extraction panicked)",
                doc.source
            ),
            kind: "panic",
        }),
        Err(_) => Err(Fate::Retry),
    }
}

/// Handles one batch: decide each message's fate in parallel, stage the
/// articles in one transaction (retrying while the store is unreachable),
/// then acknowledge, dead-letter or hand back each message.
async fn handle_batch(
    config: &WorkerConfig,
    queue: &Queue,
    metrics: &Arc<Metrics>,
    stop: &Arc<AtomicBool>,
    preparer: &Arc<Preparer>,
    store: &mut Option<Box<dyn Storage>>,
    batch: Vec<Delivery>,
) -> Result<Summary> {
    let start = Instant::now();
    let batch = Arc::new(batch);
    let decided: Vec<(Fate, Option<Staged>)> = {
        let (p, b, max) = (preparer.clone(), batch.clone(), config.max_size);
        tokio::task::spawn_blocking(move || b.par_iter().map(|d| fate(&p, d, max)).collect())
            .await
            .unwrap_or_default()
    };
    metrics.time("extract", start);
    let (fates, staged): (Vec<Fate>, Vec<Option<Staged>>) = decided.into_iter().unzip();
    let staged: Vec<Staged> = staged.into_iter().flatten().collect();
    metrics.count("extracted", staged.len() as u64);
    if !staged.is_empty() {
        let t = Instant::now();
        stage_until_stored(config, metrics, stop, store, staged, &batch).await?;
        metrics.time("stage", t);
    }
    let mut summary = Summary::default();
    let mut acks = Vec::new();
    for (d, f) in batch.iter().zip(&fates) {
        match f {
            Fate::Stage => {
                summary.staged += 1;
                summary.handled += 1;
                acks.push(d.ack());
            }
            Fate::Dead { reason, kind } => {
                tracing::warn!(target: "worker", seq = d.sequence(), %reason, "dead letter");
                metrics.error(kind);
                queue.dead_letter(d, reason).await?;
                summary.dead += 1;
                summary.handled += 1;
            }
            Fate::Retry => {
                metrics.error("retry");
                d.nak(Duration::from_secs(1)).await?;
            }
        }
    }
    // Confirmed acks, all in flight at once.
    for r in futures_util::future::join_all(acks).await {
        if let Err(e) = r {
            // The message comes back after the ack wait and is staged again
            // (idempotent).
            metrics.error("ack");
            tracing::warn!(target: "worker", error = %e, "ack failed");
        }
    }
    metrics.count("staged", summary.staged);
    metrics.count("dead", summary.dead);
    metrics.count("handled", summary.handled);
    Ok(summary)
}

/// Stages `staged` in one transaction; while the store is unreachable,
/// reconnects every second and tells JetStream the batch is in progress.
async fn stage_until_stored(
    config: &WorkerConfig,
    metrics: &Arc<Metrics>,
    stop: &Arc<AtomicBool>,
    store: &mut Option<Box<dyn Storage>>,
    staged: Vec<Staged>,
    batch: &[Delivery],
) -> Result<()> {
    let staged = Arc::new(staged);
    loop {
        let (db, st, s) = (config.db.clone(), store.take(), staged.clone());
        let (back, result) = tokio::task::spawn_blocking(move || {
            let mut st = match st {
                Some(st) => st,
                None => match corroborate_store::open(&db, None) {
                    Ok(st) => st,
                    Err(e) => return (None, Err(e)),
                },
            };
            match st.stage_articles(&s) {
                Ok(n) => (Some(st), Ok(n)),
                // A broken connection is dropped here, off the runtime
                // (the client blocks when dropped); the next try reconnects.
                Err(e) => (None, Err(e)),
            }
        })
        .await
        .unwrap_or_else(|e| (None, Err(corroborate_store::Error::Missing(e.to_string()))));
        match result {
            Ok(_) => {
                *store = back;
                return Ok(());
            }
            Err(e) => {
                metrics.error("store");
                tracing::warn!(target: "worker", error = %e, "store unreachable; batch kept, retrying");
                if stop.load(Ordering::SeqCst) {
                    return Err(e.into());
                }
                for d in batch {
                    let _ = d.in_progress().await;
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

/// The story assigner: takes the lease when free, then places staged
/// articles up to the ack watermark and analyses incrementally, until
/// stopped. Returns the number of articles it placed.
fn assign_loop(
    config: &WorkerConfig,
    queue: &Queue,
    handle: &tokio::runtime::Handle,
    metrics: &Metrics,
    stop: &AtomicBool,
) -> u64 {
    let mut held: Option<(Lease, Engine)> = None;
    let mut placed = 0;
    let mut stuck = Stuck::default();
    while !stop.load(Ordering::SeqCst) {
        let Some((lease, engine)) = held.as_mut() else {
            held = take_lease(config, metrics);
            if held.is_none() {
                std::thread::sleep(config.lease_poll);
            }
            continue;
        };
        if !lease.check() {
            tracing::warn!(target: "worker", "assigner lease lost");
            release(&mut held, metrics);
            continue;
        }
        let t = Instant::now();
        match assign_step(engine, queue, handle, &mut stuck, config.queue.ack_wait * 2) {
            Ok(0) => std::thread::sleep(config.assign_every),
            Ok(n) => {
                placed += n as u64;
                metrics.count("placed", n as u64);
                metrics.time("assign", t);
            }
            Err(e) => {
                metrics.error("assign");
                tracing::warn!(target: "worker", error = %e, "assignment failed; lease released");
                release(&mut held, metrics);
                std::thread::sleep(config.lease_poll);
            }
        }
    }
    placed
}

fn take_lease(config: &WorkerConfig, metrics: &Metrics) -> Option<(Lease, Engine)> {
    let lease = match Lease::try_acquire(&config.db, LEASE) {
        Ok(Some(l)) => l,
        Ok(None) => return None,
        Err(e) => {
            tracing::debug!(target: "worker", error = %e, "lease not reachable");
            return None;
        }
    };
    match Engine::open_db(&config.db) {
        Ok(engine) => {
            tracing::info!(target: "worker", worker = %config.name, "took the story assigner's lease");
            metrics.set_assigner(true);
            Some((lease, engine))
        }
        Err(e) => {
            tracing::warn!(target: "worker", error = %e, "store not reachable");
            None
        }
    }
}

fn release(held: &mut Option<(Lease, Engine)>, metrics: &Metrics) {
    if held.take().is_some() {
        metrics.set_assigner(false);
    }
}

/// How long the ack watermark has stood still, for the assigner's check
/// of a consumer that lost track of messages.
#[derive(Default)]
struct Stuck {
    watermark: u64,
    since: Option<Instant>,
}

/// One step of the assigner: promote what every worker has finished below
/// the ack watermark, then analyse incrementally. Returns the number of
/// staged rows it moved. When the watermark has stood still for `patience`
/// while the consumer has nothing to deliver, the consumer is recreated
/// ([`Queue::reset_consumer`]).
fn assign_step(
    engine: &mut Engine,
    queue: &Queue,
    handle: &tokio::runtime::Handle,
    stuck: &mut Stuck,
    patience: Duration,
) -> Result<usize> {
    let watermark = handle.block_on(queue.watermark())?;
    if watermark != stuck.watermark || stuck.since.is_none() {
        *stuck = Stuck {
            watermark,
            since: Some(Instant::now()),
        };
    } else if stuck.since.is_some_and(|t| t.elapsed() > patience) {
        if let Some(n) = handle.block_on(queue.orphaned())? {
            tracing::warn!(target: "worker", messages = n, "the consumer lost track of messages still in the stream (a JetStream server restarted uncleanly?); recreating it");
            handle.block_on(queue.reset_consumer())?;
        }
        stuck.since = Some(Instant::now());
    }
    let promoted = engine.store_mut().promote_staged(watermark)?;
    engine.refresh()?;
    Ok(promoted.moved)
}
