//! Prometheus metrics of a worker or a server (`GET /metrics`, text
//! exposition format): articles in and out per stage, stage latencies as
//! histograms, queue lag, errors by kind, and whether the process holds the
//! story assigner's lease.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;
use std::time::Instant;

/// A stage label.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct StageLabel {
    /// `received`, `extracted`, `staged`, `placed`, `dead`, `published`, ….
    pub stage: String,
}

/// An error-kind label.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct KindLabel {
    /// `undecodable`, `too_large`, `refused`, `panic`, `store`, `queue`.
    pub kind: String,
}

fn latency() -> Histogram {
    // 0.5 ms to about 16 s.
    Histogram::new(exponential_buckets(0.0005, 2.0, 16))
}

/// The metrics of one process.
pub struct Metrics {
    registry: Registry,
    articles: Family<StageLabel, Counter>,
    seconds: Family<StageLabel, Histogram, fn() -> Histogram>,
    errors: Family<KindLabel, Counter>,
    lag: Gauge,
    assigner: Gauge,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("corroborate");
        let articles = Family::<StageLabel, Counter>::default();
        let seconds = Family::<StageLabel, Histogram, fn() -> Histogram>::new_with_constructor(
            latency as fn() -> Histogram,
        );
        let errors = Family::<KindLabel, Counter>::default();
        let lag = Gauge::default();
        let assigner = Gauge::default();
        registry.register(
            "articles",
            "Articles (or messages) through each stage",
            articles.clone(),
        );
        registry.register(
            "stage_seconds",
            "Time per stage step (a batch, or one assignment)",
            seconds.clone(),
        );
        registry.register("errors", "Errors by kind", errors.clone());
        registry.register(
            "queue_lag_messages",
            "Messages in the queue not yet acknowledged",
            lag.clone(),
        );
        registry.register(
            "assigner",
            "1 while this process holds the story assigner's lease",
            assigner.clone(),
        );
        Metrics {
            registry,
            articles,
            seconds,
            errors,
            lag,
            assigner,
        }
    }
}

impl Metrics {
    /// Counts `n` through `stage`.
    pub fn count(&self, stage: &str, n: u64) {
        self.articles
            .get_or_create(&StageLabel {
                stage: stage.into(),
            })
            .inc_by(n);
    }

    /// The count through `stage` so far.
    pub fn counted(&self, stage: &str) -> u64 {
        self.articles
            .get_or_create(&StageLabel {
                stage: stage.into(),
            })
            .get()
    }

    /// Records that `stage` took the time since `start`.
    pub fn time(&self, stage: &str, start: Instant) {
        self.seconds
            .get_or_create(&StageLabel {
                stage: stage.into(),
            })
            .observe(start.elapsed().as_secs_f64());
    }

    /// Counts an error of `kind`.
    pub fn error(&self, kind: &str) {
        self.errors
            .get_or_create(&KindLabel { kind: kind.into() })
            .inc();
    }

    /// Sets the queue lag.
    pub fn set_lag(&self, messages: u64) {
        self.lag.set(messages as i64);
    }

    /// Whether this process is the story assigner now.
    pub fn is_assigner(&self) -> bool {
        self.assigner.get() == 1
    }

    /// Sets whether this process is the story assigner.
    pub fn set_assigner(&self, holds: bool) {
        self.assigner.set(holds as i64);
    }

    /// The text exposition.
    pub fn render(&self) -> String {
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }

    /// The content type of [`Metrics::render`].
    pub const CONTENT_TYPE: &'static str =
        "application/openmetrics-text; version=1.0.0; charset=utf-8";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exposition_names_stages_kinds_and_histograms() {
        let m = Metrics::default();
        m.count("staged", 3);
        m.error("undecodable");
        m.time("extract", Instant::now());
        m.set_lag(7);
        let text = m.render();
        assert!(
            text.contains("corroborate_articles_total{stage=\"staged\"} 3"),
            "{text}"
        );
        assert!(text.contains("corroborate_errors_total{kind=\"undecodable\"} 1"));
        assert!(text.contains("corroborate_stage_seconds_bucket{le="));
        assert!(text.contains("corroborate_queue_lag_messages 7"));
        assert!(text.ends_with("# EOF\n"));
        assert_eq!(m.counted("staged"), 3);
    }
}
