//! The distributed commands: `ingest --queue` (publish), `worker` (consume)
//! and `queue status`. See docs/deploy.md.

use crate::{progress, report_issue, Global};
use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use corroborate_engine::{IngestSummary, Preparer};
use corroborate_queue::{Queue, QueueConfig};
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Where the work queue is (NATS JetStream).
#[derive(Args, Debug, Clone, Default)]
pub(crate) struct QueueArgs {
    /// NATS server with JetStream (nats://HOST:4222): publish to / consume from its stream.
    #[arg(long, env = "CORROBORATE_QUEUE", value_name = "URL")]
    pub queue: Option<String>,
    /// Stream of raw documents (created when missing).
    #[arg(long, env = "CORROBORATE_STREAM", default_value = "CORROBORATE")]
    pub stream: String,
    /// Subject documents are published on.
    #[arg(
        long,
        env = "CORROBORATE_SUBJECT",
        default_value = "corroborate.articles"
    )]
    pub subject: String,
    /// Durable consumer the workers share.
    #[arg(long, env = "CORROBORATE_CONSUMER", default_value = "workers")]
    pub consumer: String,
    /// Seconds a delivered message may stay unacknowledged before another worker gets it.
    #[arg(long, default_value_t = 30)]
    pub ack_wait: u64,
}

impl QueueArgs {
    /// The queue configuration, when `--queue` is given.
    pub(crate) fn config(&self) -> Option<QueueConfig> {
        let mut c = QueueConfig::new(self.queue.clone()?);
        c.stream.clone_from(&self.stream);
        c.subject.clone_from(&self.subject);
        c.consumer.clone_from(&self.consumer);
        c.ack_wait = Duration::from_secs(self.ack_wait.max(1));
        Some(c)
    }

    fn required(&self) -> Result<QueueConfig> {
        self.config()
            .context("this command needs --queue nats://HOST:4222 (or CORROBORATE_QUEUE)")
    }
}

/// `corroborate worker` options.
#[derive(Args, Debug)]
pub(crate) struct WorkerArgs {
    #[command(flatten)]
    pub queue: QueueArgs,
    /// Name in `queue status` (default: host name and process id).
    #[arg(long)]
    pub name: Option<String>,
    /// Messages pulled at once.
    #[arg(long, default_value_t = 64)]
    pub batch: usize,
    /// Serve Prometheus metrics on this address (GET /metrics).
    #[arg(long, value_name = "ADDR")]
    pub metrics: Option<std::net::SocketAddr>,
    /// Never become the story assigner (extract and stage only).
    #[arg(long)]
    pub no_assign: bool,
    /// Exit once the queue has been empty this many seconds (batch jobs).
    #[arg(long, value_name = "SECONDS")]
    pub exit_when_idle: Option<u64>,
}

/// `corroborate queue …`.
#[derive(Subcommand, Debug)]
pub(crate) enum QueueCommand {
    /// Depth, pending, redeliveries, dead letters (with reasons) and workers' rates.
    #[command(
        after_help = "Examples:\n  corroborate queue status --queue nats://127.0.0.1:4222\n  corroborate queue status --json --dead 50"
    )]
    Status {
        #[command(flatten)]
        queue: QueueArgs,
        /// One JSON object.
        #[arg(long)]
        json: bool,
        /// How many of the newest dead letters to list.
        #[arg(long, default_value_t = 10)]
        dead: usize,
    },
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?)
}

/// `ingest PATH… --queue`: reads the inputs here (bad input reported and
/// counted as `ingest` does) and publishes each document, in input order.
pub(crate) fn publish(
    g: &Global,
    paths: &[PathBuf],
    queue: &QueueArgs,
) -> Result<(IngestSummary, corroborate_queue::Published)> {
    let config = queue.required()?;
    let rt = runtime()?;
    let q = rt.block_on(Queue::connect(config))?;
    let preparer = Preparer::new(g.max_size);
    let bar = progress::Bar::new(g.quiet);
    let cancel = crate::cancel_on_ctrl_c();
    let mut batch = Vec::new();
    let mut published = corroborate_queue::Published::default();
    let mut failure = None;
    let summary = preparer.read_paths(
        paths,
        &bar,
        &cancel,
        &mut |doc| {
            batch.push(doc);
            if batch.len() >= 512 && failure.is_none() {
                match rt.block_on(q.publish(&batch)) {
                    Ok(p) => add(&mut published, p),
                    Err(e) => failure = Some(e),
                }
                batch.clear();
            }
        },
        &mut |i| report_issue(i),
    )?;
    if let Some(e) = failure {
        return Err(e).context("publishing to the queue");
    }
    add(&mut published, rt.block_on(q.publish(&batch))?);
    if !g.quiet {
        eprintln!(
            "corroborate: {} read, {} queued, {} already queued, {} skipped, {} failed",
            summary.read,
            published.published,
            published.duplicates,
            summary.skipped,
            summary.failed
        );
    }
    Ok((summary, published))
}

fn add(total: &mut corroborate_queue::Published, p: corroborate_queue::Published) {
    total.published += p.published;
    total.duplicates += p.duplicates;
}

/// `corroborate worker`: runs until Ctrl-C (or SIGTERM), or until idle.
pub(crate) fn worker(g: &Global, args: &WorkerArgs) -> Result<corroborate_worker::Summary> {
    let mut config =
        corroborate_worker::WorkerConfig::new(args.queue.required()?, crate::db_spec(g));
    if let Some(n) = &args.name {
        config.name.clone_from(n);
    }
    config.batch = args.batch.max(1);
    config.max_size = g.max_size;
    config.assign = !args.no_assign;
    config.metrics_addr = args.metrics;
    config.exit_when_idle = args.exit_when_idle.map(Duration::from_secs);
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let _ = ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst));
    if !g.quiet {
        eprintln!(
            "corroborate: worker {} on {} ({}), store {}",
            config.name, config.queue.url, config.queue.stream, config.db
        );
    }
    let summary = corroborate_worker::run(config, stop)?;
    if !g.quiet {
        eprintln!(
            "corroborate: worker handled {} messages: {} staged, {} dead-lettered, {} placed as assigner",
            summary.handled, summary.staged, summary.dead, summary.placed
        );
    }
    Ok(summary)
}

/// `corroborate queue status`.
pub(crate) fn status(cmd: &QueueCommand, out: &mut dyn Write) -> Result<()> {
    let QueueCommand::Status { queue, json, dead } = cmd;
    let rt = runtime()?;
    let q = rt.block_on(Queue::connect(queue.required()?))?;
    let s = rt.block_on(q.status(*dead))?;
    if *json {
        serde_json::to_writer_pretty(&mut *out, &s)?;
        writeln!(out)?;
        return Ok(());
    }
    writeln!(out, "stream        {}", s.stream)?;
    writeln!(out, "depth         {} messages, {} bytes", s.depth, s.bytes)?;
    writeln!(
        out,
        "sequences     {}..{}",
        s.first_sequence, s.last_sequence
    )?;
    writeln!(
        out,
        "pending       {} not yet delivered, {} awaiting ack",
        s.pending, s.ack_pending
    )?;
    writeln!(out, "redelivered   {}", s.redelivered)?;
    writeln!(out, "dead letters  {}", s.dead_letters)?;
    for d in &s.newest_dead_letters {
        writeln!(
            out,
            "  #{} {}: {}",
            d.sequence.map_or("?".into(), |n| n.to_string()),
            d.source.as_deref().unwrap_or("-"),
            d.reason
        )?;
    }
    writeln!(out, "workers       {}", s.workers.len())?;
    for w in &s.workers {
        writeln!(
            out,
            "  {}{}: {} handled ({} staged, {} dead), {:.1}/s, at {}",
            w.worker,
            if w.assigner { " [assigner]" } else { "" },
            w.handled,
            w.staged,
            w.dead,
            w.rate,
            w.at
        )?;
    }
    Ok(())
}
