//! The work queue of distributed corroborate, on NATS JetStream.
//!
//! Publishers (`corroborate ingest --queue`, a server started with
//! `--queue`) read their inputs as usual and publish each decoded document
//! ([`RawDocument`], JSON, gzip) as one message on [`QueueConfig::subject`]
//! of the stream [`QueueConfig::stream`], with the document's content id as
//! `Nats-Msg-Id`, so that JetStream drops a document published twice within
//! its duplicate window. Workers pull from one durable consumer
//! ([`QueueConfig::consumer`]) shared by all of them, acknowledge a message
//! only after what they made of it is committed, and send a message they
//! cannot handle to the dead-letter stream ([`Queue::dead_letter`]) with the
//! reason.
//!
//! Stream limits (documented in docs/deploy.md): work-queue retention (a
//! message is deleted once acknowledged), `discard new` when the stream
//! holds [`QueueConfig::max_bytes`] or its messages are older than
//! [`QueueConfig::max_age`] (a publisher gets an error instead of an older
//! message being dropped), messages up to the server's `max_payload`
//! (1 MiB by default; gzip makes room for pages of several MiB).
//!
//! The stream's sequence numbers order the work: [`Queue::watermark`] is
//! the highest sequence below which every message has been acknowledged,
//! which the story assigner uses to place articles in publication order
//! whatever worker extracted them first.
#![deny(missing_docs)]

pub mod metrics;

use async_nats::header::HeaderMap;
use async_nats::jetstream::{self, consumer, kv, stream, AckKind};
use bytes::Bytes;
use corroborate_model::RawDocument;
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use std::io::{Read, Write};
use std::time::Duration;

/// Header naming where a document came from (a path, `path#N`, `POST`).
pub const SOURCE_HEADER: &str = "Corroborate-Source";
/// Header holding why a message went to the dead-letter stream.
pub const REASON_HEADER: &str = "Corroborate-Reason";
/// Header holding the stream sequence a dead letter had.
pub const SEQUENCE_HEADER: &str = "Corroborate-Sequence";

/// Errors of the queue.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Talking to NATS failed.
    #[error("NATS: {0}")]
    Nats(String),
    /// A document could not be encoded.
    #[error("encoding a message: {0}")]
    Encode(String),
}

impl Error {
    fn nats(e: impl std::fmt::Display) -> Self {
        Error::Nats(e.to_string())
    }
}

/// Result alias of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Where the queue is and how its stream is set up.
#[derive(Debug, Clone)]
pub struct QueueConfig {
    /// `nats://host:port`.
    pub url: String,
    /// Stream of raw documents.
    pub stream: String,
    /// Subject documents are published on.
    pub subject: String,
    /// Durable consumer shared by the workers.
    pub consumer: String,
    /// Bytes the stream may hold before publishers are refused.
    pub max_bytes: i64,
    /// Age after which an unprocessed message is dropped.
    pub max_age: Duration,
    /// How long a delivered message may stay unacknowledged before it is
    /// delivered again (to any worker).
    pub ack_wait: Duration,
    /// Window in which a document published twice is dropped by JetStream.
    pub duplicate_window: Duration,
}

impl QueueConfig {
    /// Defaults for the queue at `url`: stream `CORROBORATE`, subject
    /// `corroborate.articles`, consumer `workers`, 1 GiB (JetStream reserves
    /// it from the server's storage), 7 days, ack wait 30 s, duplicate
    /// window 2 min.
    pub fn new(url: impl Into<String>) -> Self {
        QueueConfig {
            url: url.into(),
            stream: "CORROBORATE".into(),
            subject: "corroborate.articles".into(),
            consumer: "workers".into(),
            max_bytes: 1 << 30,
            max_age: Duration::from_secs(7 * 24 * 3600),
            ack_wait: Duration::from_secs(30),
            duplicate_window: Duration::from_secs(120),
        }
    }

    /// The dead-letter stream's name.
    pub fn dead_stream(&self) -> String {
        format!("{}_DEAD", self.stream)
    }

    /// The dead-letter subject.
    pub fn dead_subject(&self) -> String {
        format!("{}.dead", self.subject)
    }

    /// The key-value bucket where workers report their rates.
    pub fn workers_bucket(&self) -> String {
        format!("{}_WORKERS", self.stream)
    }
}

/// The document stream's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamState {
    /// Messages in the stream (not yet acknowledged).
    pub messages: u64,
    /// Their bytes.
    pub bytes: u64,
    /// Oldest sequence still in the stream.
    pub first: u64,
    /// Newest sequence published.
    pub last: u64,
}

impl StreamState {
    /// The highest sequence at or below which every message has been
    /// acknowledged (see [`Queue::watermark`]).
    pub fn watermark(&self) -> u64 {
        if self.messages == 0 {
            self.last
        } else {
            self.first.saturating_sub(1)
        }
    }
}

/// The stream's state and the consumer's counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Depth {
    /// The document stream.
    pub stream: StreamState,
    /// Not yet delivered, awaiting ack, redelivered, waiting pulls.
    pub consumer: [u64; 4],
}

/// A connection to the queue (cheap to clone).
#[derive(Clone)]
pub struct Queue {
    config: QueueConfig,
    js: jetstream::Context,
    client: async_nats::Client,
}

/// What a publish did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Published {
    /// Messages the stream took.
    pub published: usize,
    /// Messages JetStream dropped as published already (same content id
    /// within the duplicate window).
    pub duplicates: usize,
}

impl Queue {
    /// Connects and creates the streams when missing. The client reconnects
    /// on its own when the server restarts.
    pub async fn connect(config: QueueConfig) -> Result<Queue> {
        let client = async_nats::ConnectOptions::new()
            .name("corroborate")
            .connection_timeout(Duration::from_secs(5))
            .connect(config.url.as_str())
            .await
            .map_err(|e| Error::Nats(format!("connecting to {}: {e}", config.url)))?;
        let js = jetstream::new(client.clone());
        let queue = Queue { config, js, client };
        queue.ensure_streams().await?;
        Ok(queue)
    }

    /// The configuration.
    pub fn config(&self) -> &QueueConfig {
        &self.config
    }

    async fn ensure_streams(&self) -> Result<()> {
        let c = &self.config;
        let base = stream::Config {
            max_age: c.max_age,
            duplicate_window: c.duplicate_window,
            storage: stream::StorageType::File,
            ..Default::default()
        };
        // The documents: deleted once acknowledged; a full stream refuses
        // publishers rather than dropping old work.
        let documents = stream::Config {
            name: c.stream.clone(),
            subjects: vec![c.subject.clone()],
            retention: stream::RetentionPolicy::WorkQueue,
            discard: stream::DiscardPolicy::New,
            max_bytes: c.max_bytes,
            ..base.clone()
        };
        // The dead letters: kept until they age out or the stream is full.
        let dead = stream::Config {
            name: c.dead_stream(),
            subjects: vec![c.dead_subject()],
            retention: stream::RetentionPolicy::Limits,
            max_bytes: c.max_bytes / 8,
            ..base
        };
        for config in [documents, dead] {
            self.js
                .get_or_create_stream(config)
                .await
                .map_err(Error::nats)?;
        }
        Ok(())
    }

    /// Publishes documents in order (pipelined: up to 256 awaiting their
    /// acknowledgement) and waits until the stream holds every one.
    pub async fn publish(&self, docs: &[RawDocument]) -> Result<Published> {
        let mut out = Published::default();
        let mut pending = std::collections::VecDeque::new();
        for doc in docs {
            let payload = encode(doc)?;
            let msg = jetstream::message::PublishMessage::build()
                .payload(payload)
                .message_id(doc.id.as_str())
                .header(SOURCE_HEADER, header_value(&doc.source).as_str());
            let ack = self
                .js
                .send_publish(self.config.subject.clone(), msg)
                .await
                .map_err(Error::nats)?;
            pending.push_back(ack);
            if pending.len() >= 256 {
                count(pending.pop_front(), &mut out).await?;
            }
        }
        while !pending.is_empty() {
            count(pending.pop_front(), &mut out).await?;
        }
        Ok(out)
    }

    /// The workers' consumer (created when missing).
    pub async fn consumer(&self) -> Result<Consumer> {
        let c = &self.config;
        let stream = self.js.get_stream(&c.stream).await.map_err(Error::nats)?;
        let inner = stream
            .get_or_create_consumer(
                &c.consumer,
                consumer::pull::Config {
                    durable_name: Some(c.consumer.clone()),
                    ack_policy: consumer::AckPolicy::Explicit,
                    ack_wait: c.ack_wait,
                    filter_subject: c.subject.clone(),
                    max_ack_pending: 4096,
                    ..Default::default()
                },
            )
            .await
            .map_err(Error::nats)?;
        Ok(Consumer { inner })
    }

    /// Sends `delivery` to the dead-letter stream with `reason`, then
    /// acknowledges it (so it is not delivered again). Publishing twice the
    /// dead letter of one message keeps one (its id is the sequence).
    pub async fn dead_letter(&self, delivery: &Delivery, reason: &str) -> Result<()> {
        let seq = delivery.sequence();
        let mut msg = jetstream::message::PublishMessage::build()
            .payload(delivery.message.payload.clone())
            .message_id(format!("dead-{}-{seq}", self.config.stream))
            .header(REASON_HEADER, header_value(reason).as_str())
            .header(SEQUENCE_HEADER, seq.to_string().as_str());
        if let Some(source) = delivery.source() {
            msg = msg.header(SOURCE_HEADER, header_value(&source).as_str());
        }
        self.js
            .send_publish(self.config.dead_subject(), msg)
            .await
            .map_err(Error::nats)?
            .await
            .map_err(Error::nats)?;
        delivery.ack().await
    }

    /// The highest stream sequence at or below which every message has been
    /// acknowledged (work-queue retention deletes a message once it is
    /// acknowledged, so this is one less than the oldest message still in
    /// the stream, or the last sequence when the stream is empty).
    pub async fn watermark(&self) -> Result<u64> {
        Ok(self.stream_state().await?.watermark())
    }

    /// The document stream's state: one request (`get_stream` reads the
    /// stream's info, kept as its cached info).
    async fn stream_state(&self) -> Result<StreamState> {
        let s = self
            .js
            .get_stream(&self.config.stream)
            .await
            .map_err(Error::nats)?;
        let state = &s.cached_info().state;
        Ok(StreamState {
            messages: state.messages,
            bytes: state.bytes,
            first: state.first_sequence,
            last: state.last_sequence,
        })
    }

    /// The stream's state and the consumer's counters (pending, awaiting
    /// ack, redelivered, waiting pulls): two requests, whatever the number
    /// of workers.
    pub async fn depth(&self) -> Result<Depth> {
        let stream = self.stream_state().await?;
        let s = self
            .js
            .get_stream_no_info(&self.config.stream)
            .await
            .map_err(Error::nats)?;
        let consumer = match s.consumer_info(&self.config.consumer).await {
            Ok(i) => [
                i.num_pending,
                i.num_ack_pending as u64,
                i.num_redelivered as u64,
                i.num_waiting as u64,
            ],
            // No consumer yet: everything is pending.
            Err(_) => [stream.messages, 0, 0, 0],
        };
        Ok(Depth { stream, consumer })
    }

    /// Messages the consumer has lost track of: the stream still holds
    /// them, yet the consumer has nothing left to deliver and nothing
    /// awaiting an ack. This happens when a JetStream server killed
    /// uncleanly comes back with its consumer state ahead of its stream;
    /// those messages would never be delivered again. `None` when the
    /// consumer is sound.
    pub async fn orphaned(&self) -> Result<Option<u64>> {
        let d = self.depth().await?;
        let [pending, ack_pending, ..] = d.consumer;
        let depth = d.stream.messages;
        Ok((depth > 0 && pending == 0 && ack_pending == 0).then_some(depth))
    }

    /// Deletes the workers' consumer; the next fetch of every worker fails
    /// and creates it again, delivering every message still in the stream
    /// (delivery is idempotent downstream).
    pub async fn reset_consumer(&self) -> Result<()> {
        let stream = self
            .js
            .get_stream(&self.config.stream)
            .await
            .map_err(Error::nats)?;
        stream
            .delete_consumer(&self.config.consumer)
            .await
            .map_err(Error::nats)?;
        Ok(())
    }

    /// Depth, pending, redeliveries, dead letters (the newest `dead` of
    /// them with their reasons) and the workers' last reports.
    pub async fn status(&self, dead: usize) -> Result<QueueStatus> {
        let c = &self.config;
        let Depth {
            stream: state,
            consumer: [pending, ack_pending, redelivered, waiting],
        } = self.depth().await?;
        let mut d = self
            .js
            .get_stream(c.dead_stream())
            .await
            .map_err(Error::nats)?;
        let dstate = d.info().await.map_err(Error::nats)?.state.clone();
        let mut letters = Vec::new();
        if dstate.messages > 0 && dead > 0 {
            let from = dstate
                .last_sequence
                .saturating_sub(dead as u64 - 1)
                .max(dstate.first_sequence);
            for seq in from..=dstate.last_sequence {
                if let Ok(m) = d.get_raw_message(seq).await {
                    letters.push(DeadLetter::from_headers(&m.headers, m.time.to_string()));
                }
            }
        }
        Ok(QueueStatus {
            stream: c.stream.clone(),
            depth: state.messages,
            bytes: state.bytes,
            first_sequence: state.first,
            last_sequence: state.last,
            pending,
            ack_pending,
            redelivered,
            waiting_pulls: waiting,
            dead_letters: dstate.messages,
            newest_dead_letters: letters,
            workers: self.workers().await.unwrap_or_default(),
        })
    }

    async fn workers_kv(&self) -> Result<kv::Store> {
        let bucket = self.config.workers_bucket();
        match self.js.get_key_value(&bucket).await {
            Ok(s) => Ok(s),
            Err(_) => self
                .js
                .create_key_value(kv::Config {
                    bucket,
                    history: 1,
                    max_age: Duration::from_secs(60),
                    ..Default::default()
                })
                .await
                .map_err(Error::nats),
        }
    }

    /// Records a worker's counters (kept a minute; a worker reports every
    /// few seconds).
    pub async fn report_worker(&self, report: &WorkerReport) -> Result<()> {
        let kv = self.workers_kv().await?;
        let value = serde_json::to_vec(report).map_err(|e| Error::Encode(e.to_string()))?;
        kv.put(&report.worker, value.into())
            .await
            .map_err(Error::nats)?;
        Ok(())
    }

    /// The workers that reported in the last minute.
    pub async fn workers(&self) -> Result<Vec<WorkerReport>> {
        let kv = self.workers_kv().await?;
        let mut keys = kv.keys().await.map_err(Error::nats)?;
        let mut out = Vec::new();
        while let Some(Ok(key)) = keys.next().await {
            if let Ok(Some(v)) = kv.get(&key).await {
                if let Ok(r) = serde_json::from_slice::<WorkerReport>(&v) {
                    out.push(r);
                }
            }
        }
        out.sort_by(|a, b| a.worker.cmp(&b.worker));
        Ok(out)
    }

    /// Publishes raw bytes on the document subject, bypassing encoding (for
    /// tests of poison messages and for tools that publish their own).
    pub async fn publish_raw(&self, payload: Bytes, id: &str) -> Result<()> {
        let msg = jetstream::message::PublishMessage::build()
            .payload(payload)
            .message_id(id);
        self.js
            .send_publish(self.config.subject.clone(), msg)
            .await
            .map_err(Error::nats)?
            .await
            .map_err(Error::nats)?;
        Ok(())
    }

    /// Deletes the queue's streams and bucket (tests clean up with this).
    pub async fn delete(&self) -> Result<()> {
        let c = &self.config;
        for s in [c.stream.clone(), c.dead_stream()] {
            let _ = self.js.delete_stream(&s).await;
        }
        let _ = self.js.delete_key_value(c.workers_bucket()).await;
        Ok(())
    }

    /// Whether the client is connected now.
    pub fn connected(&self) -> bool {
        self.client.connection_state() == async_nats::connection::State::Connected
    }
}

async fn count(
    ack: Option<jetstream::context::PublishAckFuture>,
    out: &mut Published,
) -> Result<()> {
    if let Some(ack) = ack {
        let ack = ack.await.map_err(Error::nats)?;
        if ack.duplicate {
            out.duplicates += 1;
        } else {
            out.published += 1;
        }
    }
    Ok(())
}

/// A header value: one line, at most 1,000 bytes.
fn header_value(s: &str) -> String {
    let line: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let mut end = line.len().min(1000);
    while !line.is_char_boundary(end) {
        end -= 1;
    }
    line[..end].to_string()
}

/// A document as a message body: JSON, gzip-compressed.
pub fn encode(doc: &RawDocument) -> Result<Bytes> {
    let json = serde_json::to_vec(doc).map_err(|e| Error::Encode(e.to_string()))?;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&json)
        .and_then(|_| gz.finish())
        .map(Bytes::from)
        .map_err(|e| Error::Encode(e.to_string()))
}

/// Why a message body is not a document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Undecodable {
    /// Over the size limit once decompressed.
    #[error("over the size limit of {0} bytes")]
    TooLarge(u64),
    /// Not gzip, or not a document's JSON.
    #[error("undecodable message: {0}")]
    Malformed(String),
}

/// A message body back to a document, refusing more than `max_size` bytes
/// of JSON (a compressed bomb stops there).
pub fn decode(payload: &[u8], max_size: u64) -> Result<RawDocument, Undecodable> {
    let mut json = Vec::new();
    flate2::read::GzDecoder::new(payload)
        .take(max_size + 1)
        .read_to_end(&mut json)
        .map_err(|e| Undecodable::Malformed(format!("not gzip: {e}")))?;
    if json.len() as u64 > max_size {
        return Err(Undecodable::TooLarge(max_size));
    }
    let doc: RawDocument =
        serde_json::from_slice(&json).map_err(|e| Undecodable::Malformed(e.to_string()))?;
    if corroborate_model::content_id(doc.format, &doc.content, &doc.hints) != doc.id {
        return Err(Undecodable::Malformed(
            "content id does not match the content".into(),
        ));
    }
    Ok(doc)
}

/// The workers' pull consumer.
pub struct Consumer {
    inner: consumer::Consumer<consumer::pull::Config>,
}

impl Consumer {
    /// Up to `max` messages, waiting at most `wait` for the first. Bounded
    /// on the client side too: a pull request the server forgot (it
    /// restarted) ends here after `wait` plus 5 s instead of hanging.
    pub async fn fetch(&self, max: usize, wait: Duration) -> Result<Vec<Delivery>> {
        tokio::time::timeout(wait + Duration::from_secs(5), self.fetch_inner(max, wait))
            .await
            .map_err(|_| Error::Nats("pull request timed out".into()))?
    }

    /// What is there now (up to `max`) at once; when nothing is, one long
    /// poll for the first message (up to `wait`), then what came with it.
    /// A batch never waits to fill up: latency stays that of one message.
    async fn fetch_inner(&self, max: usize, wait: Duration) -> Result<Vec<Delivery>> {
        let now = self.inner.fetch().max_messages(max).messages().await;
        let mut out = collect(now.map_err(Error::nats)?).await;
        if out.is_empty() {
            let first = self
                .inner
                .batch()
                .max_messages(1)
                .expires(wait)
                .messages()
                .await
                .map_err(Error::nats)?;
            out = collect(first).await;
            if !out.is_empty() && max > 1 {
                let rest = self.inner.fetch().max_messages(max - 1).messages().await;
                out.extend(collect(rest.map_err(Error::nats)?).await);
            }
        }
        Ok(out)
    }
}

/// The messages of one pull request, until it ends.
async fn collect(
    mut batch: impl futures_util::Stream<Item = Result<jetstream::Message, impl std::fmt::Display>>
        + Unpin,
) -> Vec<Delivery> {
    let mut out = Vec::new();
    while let Some(m) = batch.next().await {
        match m {
            Ok(message) => out.push(Delivery { message }),
            Err(e) => {
                tracing::debug!(target: "queue", error = %e, "pull ended");
                break;
            }
        }
    }
    out
}

/// One delivered message.
pub struct Delivery {
    message: jetstream::Message,
}

impl Delivery {
    /// The message's stream sequence.
    pub fn sequence(&self) -> u64 {
        self.message.info().map_or(0, |i| i.stream_sequence)
    }

    /// How many times it has been delivered (1 the first time).
    pub fn delivered(&self) -> i64 {
        self.message.info().map_or(1, |i| i.delivered)
    }

    /// The body.
    pub fn payload(&self) -> &[u8] {
        &self.message.payload
    }

    /// The `Corroborate-Source` header.
    pub fn source(&self) -> Option<String> {
        self.message
            .headers
            .as_ref()
            .and_then(|h| h.get(SOURCE_HEADER))
            .map(|v| v.to_string())
    }

    /// Done: never delivered again. Waits for the server to confirm, so
    /// that a watermark read afterwards counts it.
    pub async fn ack(&self) -> Result<()> {
        self.message.double_ack().await.map_err(Error::nats)
    }

    /// Not done: deliver again after `delay`.
    pub async fn nak(&self, delay: Duration) -> Result<()> {
        self.message
            .ack_with(AckKind::Nak(Some(delay)))
            .await
            .map_err(Error::nats)
    }

    /// Still working on it: restart the ack wait.
    pub async fn in_progress(&self) -> Result<()> {
        self.message
            .ack_with(AckKind::Progress)
            .await
            .map_err(Error::nats)
    }
}

/// A message in the dead-letter stream.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
pub struct DeadLetter {
    /// Why it could not be handled.
    pub reason: String,
    /// Where the document came from, when the publisher said.
    pub source: Option<String>,
    /// Its sequence in the document stream.
    pub sequence: Option<u64>,
    /// When it was dead-lettered.
    pub at: String,
}

impl DeadLetter {
    fn from_headers(h: &HeaderMap, at: String) -> Self {
        let get = |k: &str| h.get(k).map(|v| v.to_string());
        DeadLetter {
            reason: get(REASON_HEADER).unwrap_or_default(),
            source: get(SOURCE_HEADER),
            sequence: get(SEQUENCE_HEADER).and_then(|s| s.parse().ok()),
            at,
        }
    }
}

/// A worker's counters, as it last reported them.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct WorkerReport {
    /// Worker name (host and process id unless given).
    pub worker: String,
    /// Messages handled since start.
    pub handled: u64,
    /// Articles staged since start.
    pub staged: u64,
    /// Messages sent to the dead-letter stream since start.
    pub dead: u64,
    /// Messages per second over the last report interval.
    pub rate: f64,
    /// Whether it holds the story assigner's lease.
    pub assigner: bool,
    /// When it reported (RFC 3339).
    pub at: String,
}

/// What `corroborate queue status` shows.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct QueueStatus {
    /// Stream name.
    pub stream: String,
    /// Messages in the stream (not yet acknowledged).
    pub depth: u64,
    /// Bytes in the stream.
    pub bytes: u64,
    /// Oldest sequence still in the stream.
    pub first_sequence: u64,
    /// Newest sequence published.
    pub last_sequence: u64,
    /// Messages not yet delivered to any worker.
    pub pending: u64,
    /// Messages delivered and not yet acknowledged.
    pub ack_pending: u64,
    /// Messages delivered more than once.
    pub redelivered: u64,
    /// Pull requests waiting (idle workers).
    pub waiting_pulls: u64,
    /// Messages in the dead-letter stream.
    pub dead_letters: u64,
    /// The newest dead letters, oldest first.
    pub newest_dead_letters: Vec<DeadLetter>,
    /// Workers that reported in the last minute.
    pub workers: Vec<WorkerReport>,
}

#[cfg(test)]
mod tests;

pub mod testing;
