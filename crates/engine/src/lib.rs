//! Engine: runs the corroborate pipeline over a store. No HTTP, no terminal.
//!
//! Ingest → extract (in parallel, rayon) → store, one transaction per batch;
//! then analysis over everything stored: dedup → cluster (in arrival order,
//! deterministic) → cross-check → reports, replaced in one transaction.
//! The caller passes a [`Progress`] handle and a [`Cancel`] flag; a
//! cancelled run stops between batches with everything before it committed.
//!
//! ```
//! use corroborate_engine::{Engine, NoProgress, Cancel};
//! # let dir = tempfile::tempdir().unwrap();
//! # std::fs::write(dir.path().join("a.txt"), "Storm closes Norhaven ferry pier\n\nThe storm damaged the ferry pier in Norhaven on Sunday, officials said.\n").unwrap();
//! let mut engine = Engine::open_in_memory().unwrap();
//! let summary = engine.ingest(&[dir.path().to_path_buf()], &NoProgress, &Cancel::default(), &mut |_| {}).unwrap();
//! assert_eq!(summary.added, 1);
//! let reports = engine.analyze().unwrap();
//! assert_eq!(reports.len(), 1);
//! ```
#![deny(missing_docs)]

#[cfg(test)]
extern crate self as corroborate_engine;
mod analyze;
mod carriers;
#[cfg(test)]
mod doc_examples;
pub mod export;
pub mod matching;
mod outlets;
mod stored;
mod stream;
mod tools;

pub use analyze::{analyze_articles, analyze_articles_with, Analysis, Resolved};
pub use corroborate_cluster::{ClusterConfig, Merge, Overrides, Profile, Split};
pub use corroborate_dedup::DedupConfig;
pub use corroborate_ingest::{Issue, Kind, Severity, DEFAULT_MAX_SIZE};
pub use corroborate_stance as stance;
pub use stored::article_annotations;
pub use stream::{Placement, StoryStream};
pub use tools::{
    annotate_inputs, cluster_jsonl, extract_inputs, sample_profile, Annotated, ClusterEvent,
    ClusterFields,
};

use corroborate_extract::ArticleExtractor;
use corroborate_ingest::{Ingestor, IngestorBuilder};
use corroborate_model::{Article, ArticleId, Extractor, RawDocument, StoryId, StoryReport};
use corroborate_store::{Storage, Store};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

mod prepare;
pub use prepare::{Posted, Prepared, Preparer};

/// Errors that stop a run (bad *articles* never do: they become [`Issue`]s).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] corroborate_store::Error),
    /// The run was cancelled (Ctrl-C); committed batches are kept.
    #[error("interrupted; {0} new articles were saved before stopping")]
    Interrupted(usize),
    /// Writing output failed.
    #[error("output error: {0}")]
    Io(#[from] std::io::Error),
    /// The store and the analysis state disagree.
    #[error("inconsistent store: {0}")]
    Inconsistent(String),
}

/// Result alias of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Progress reporting, implemented by the CLI (a bar) or nothing.
pub trait Progress: Sync {
    /// A phase begins with `total` units of work.
    fn start(&self, phase: &str, total: u64);
    /// `n` units done.
    fn advance(&self, n: u64);
    /// The phase is over.
    fn finish(&self);
}

/// Progress that reports nothing.
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&self, _: &str, _: u64) {}
    fn advance(&self, _: u64) {}
    fn finish(&self) {}
}

/// A cancel flag shared with a signal handler.
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    /// Asks the run to stop at the next batch boundary.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }
    /// Whether cancellation was asked for.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// Engine settings.
#[derive(Debug, Clone)]
pub struct EngineConfig {
    /// Largest input accepted, in bytes.
    pub max_size: u64,
    /// Articles per store transaction.
    pub batch: usize,
    /// Strip outlet-template paragraphs (those repeated across one
    /// outlet's articles; `corroborate_extract::templates`).
    pub outlet_templates: bool,
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            max_size: DEFAULT_MAX_SIZE,
            batch: 256,
            outlet_templates: true,
        }
    }
}

/// Raw documents re-extracted per batch by [`Engine::reanalyze`].
pub const REEXTRACT_BATCH: usize = 256;

/// What [`Engine::reanalyze`] did before analysing.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ReextractSummary {
    /// Stored raw documents read.
    pub read: usize,
    /// Articles whose extraction changed (stored anew).
    pub changed: usize,
    /// Documents extraction refused now (their stored extraction kept).
    pub refused: usize,
}

/// What an ingestion run did.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize)]
pub struct IngestSummary {
    /// Documents read.
    pub read: usize,
    /// New articles stored.
    pub added: usize,
    /// Articles already in the store (unchanged).
    pub unchanged: usize,
    /// Inputs skipped (not articles: unknown type, empty).
    pub skipped: usize,
    /// Inputs or records that failed (corrupt, malformed, too large, missing).
    pub failed: usize,
    /// Documents kept with a warning (a guessed or repaired charset).
    #[serde(skip_serializing_if = "is_zero")]
    pub warned: usize,
}

impl IngestSummary {
    /// Counts a problem by its severity.
    pub fn count(&mut self, issue: &Issue) {
        match issue.severity() {
            Severity::Skipped => self.skipped += 1,
            Severity::Failed => self.failed += 1,
            Severity::Warning => self.warned += 1,
        }
    }
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// The pipeline over one store.
pub struct Engine {
    /// Ids of the documents the last `ingest` read (new or already stored).
    touched: Vec<ArticleId>,
    store: Box<dyn Storage>,
    /// The online analysis state, once a full analysis built it.
    warm: Option<Warm>,
    /// Reading and extraction, as the server uses them apart from a store.
    preparer: Preparer,
    config: EngineConfig,
}

impl Engine {
    /// Opens the store at `path` with default settings.
    pub fn open(path: &Path) -> Result<Self> {
        Self::with_config(Box::new(Store::open(path)?), EngineConfig::default())
    }

    /// Opens the store `db` (an SQLite path or a PostgreSQL URL) with
    /// default settings.
    pub fn open_db(db: &str) -> Result<Self> {
        Self::with_config(corroborate_store::open(db, None)?, EngineConfig::default())
    }

    /// An engine over an in-memory store.
    pub fn open_in_memory() -> Result<Self> {
        Self::with_config(Box::new(Store::open_in_memory()?), EngineConfig::default())
    }

    /// An engine over `store` (any [`Storage`] backend) with `config`.
    pub fn with_config(store: Box<dyn Storage>, config: EngineConfig) -> Result<Self> {
        Ok(Engine {
            touched: Vec::new(),
            store,
            warm: None,
            preparer: Preparer::new(config.max_size),
            config,
        })
    }

    /// The store.
    pub fn store(&self) -> &dyn Storage {
        self.store.as_ref()
    }

    /// The store, for writes beside the engine's own (the queue workers'
    /// staging and promotion).
    pub fn store_mut(&mut self) -> &mut dyn Storage {
        self.store.as_mut()
    }

    /// The documents the last [`Engine::ingest`] (or
    /// [`Engine::ingest_documents`]) read and stored or found stored
    /// already, in input order: what `analyze PATH` reports on.
    pub fn touched(&self) -> &[ArticleId] {
        &self.touched
    }

    /// Re-analyses when articles arrived since the last analysis (by this or
    /// another process); returns whether it did.
    /// A cold engine over an analysed store first warms up
    /// ([`Engine::warm_up`]), so that this and every later refresh is
    /// incremental.
    pub fn refresh(&mut self) -> Result<bool> {
        if self.warm.is_none() && self.store.analyzed_through()? > 0 {
            self.warm_up()?;
        }
        if self.store.needs_analysis()? {
            self.analyze()?;
            Ok(true)
        } else {
            Ok(false)
        }
    }

    /// Ingests paths (files, directories, `-`): new articles are extracted and
    /// stored; known ones are left alone. Each bad input is handed to
    /// `on_issue` and counted; the run goes on.
    pub fn ingest(
        &mut self,
        paths: &[PathBuf],
        progress: &dyn Progress,
        cancel: &Cancel,
        on_issue: &mut dyn FnMut(&Issue),
    ) -> Result<IngestSummary> {
        let Engine {
            preparer,
            store,
            touched,
            config,
            ..
        } = self;
        touched.clear();
        // Problems come from reading and from extraction (in a flush): one
        // sink counts and reports both, in the order they happen.
        let problems = std::cell::RefCell::new((IngestSummary::default(), on_issue));
        let count = |issue: Issue| {
            let (summary, on_issue) = &mut *problems.borrow_mut();
            summary.count(&issue);
            tracing::warn!(target: "ingest", location = %issue.location, error = %issue.error, "input problem");
            on_issue(&issue);
        };
        let mut stored = IngestSummary::default();
        let mut pending: Vec<RawDocument> = Vec::new();
        let mut store_batch =
            |pending: &mut Vec<RawDocument>, stored: &mut IngestSummary| -> Result<()> {
                let refused = flush(
                    store.as_mut(),
                    &preparer.extractor,
                    config.outlet_templates,
                    touched,
                    pending,
                    stored,
                )?;
                refused.into_iter().for_each(count);
                Ok(())
            };
        let done = preparer.read_inputs(
            paths,
            progress,
            "ingest",
            cancel,
            &mut |doc| {
                pending.push(doc);
                if pending.len() >= config.batch {
                    store_batch(&mut pending, &mut stored)?;
                }
                Ok(())
            },
            &mut |issue| count(issue),
        )?;
        if !done {
            return Err(Error::Interrupted(stored.added));
        }
        store_batch(&mut pending, &mut stored)?;
        let problems = problems.into_inner().0;
        Ok(IngestSummary {
            skipped: problems.skipped,
            failed: problems.failed,
            warned: problems.warned,
            ..stored
        })
    }

    /// Ingests one in-memory input of a known kind (the HTTP API's POST):
    /// the same reading, validation and errors as files get.
    pub fn ingest_bytes(&mut self, name: &str, kind: Kind, bytes: &[u8]) -> Result<Posted> {
        let prepared = self.preparer.prepare(name, kind, bytes);
        self.store_prepared(prepared)
    }

    /// Stores what a [`Preparer`] read and extracted (one short write
    /// transaction: no extraction happens under the store's write lock).
    pub fn store_prepared(&mut self, prepared: Prepared) -> Result<Posted> {
        let Prepared {
            mut articles,
            mut ids,
            issues,
            warnings,
        } = prepared;
        if self.config.outlet_templates {
            // Only articles new to the store are counted.
            let mut new = Vec::with_capacity(articles.len());
            for (doc, a) in articles.iter_mut() {
                if !self.store.contains(&doc.id)? {
                    new.push(a);
                }
            }
            outlets::strip_templates(self.store.as_mut(), new, true)?;
        }
        let mut summary = IngestSummary {
            read: ids.len(),
            ..IngestSummary::default()
        };
        let added = self.store.insert_articles(&articles)?;
        summary.added = added;
        summary.unchanged = articles.len() - added;
        summary.failed = issues.len();
        summary.warned = warnings.len();
        let stored: std::collections::HashSet<&ArticleId> =
            articles.iter().map(|(d, _)| &d.id).collect();
        ids.retain(|id| stored.contains(id));
        Ok(Posted {
            summary,
            articles: ids,
            issues,
            warnings,
        })
    }

    /// Ingests documents already in memory; documents extraction refused
    /// are counted as failed and logged.
    pub fn ingest_documents(&mut self, docs: Vec<RawDocument>) -> Result<IngestSummary> {
        self.touched.clear();
        let mut summary = IngestSummary::default();
        let mut pending = docs;
        let refused = flush(
            self.store.as_mut(),
            &self.preparer.extractor,
            self.config.outlet_templates,
            &mut self.touched,
            &mut pending,
            &mut summary,
        )?;
        for issue in refused {
            summary.failed += 1;
            tracing::warn!(target: "ingest", location = %issue.location, error = %issue.error, "input skipped");
        }
        Ok(summary)
    }

    /// Brings the analysis up to date and saves it atomically; returns the
    /// reports it (re)built. The first analysis in a process is a full one
    /// (dedup, stories and reports over everything stored; every report
    /// returned). After it the engine keeps the online state warm, and a
    /// later call pushes only the articles stored since, rebuilds only the
    /// stories whose inputs changed, and saves only those (unless another
    /// process analysed the store meanwhile: then it is full again). Both
    /// give the same reports.
    pub fn analyze(&mut self) -> Result<Vec<StoryReport>> {
        self.analyze_with(&NoProgress)
    }

    /// [`Engine::analyze`], reporting progress.
    pub fn analyze_with(&mut self, progress: &dyn Progress) -> Result<Vec<StoryReport>> {
        if let Some(w) = &self.warm {
            if self.store.analyzed_through()? == w.through {
                let done = self.analyze_incremental(progress);
                if done.is_err() {
                    // The warm state has moved past the store: the next
                    // analysis starts from the store again.
                    self.warm = None;
                }
                return done;
            }
        }
        self.analyze_full(progress)
    }

    /// Rebuilds the online state of the stored analysis without writing
    /// anything: the articles it covers are pushed again (dedup and
    /// clustering only, no reports), and each story's signature taken, so
    /// that the next analysis is incremental. A server does this once at
    /// start.
    pub fn warm_up(&mut self) -> Result<()> {
        let through = self.store.analyzed_through()?;
        let mut analysis = Analysis::default();
        // Page by page: the warm state keeps each article's sketch and
        // terms, never its text, so memory stays that of the state.
        let mut after = 0;
        'pages: loop {
            let page = self.store.articles_page(after, WARM_UP_PAGE)?;
            let Some(last) = page.last().map(|s| s.seq) else {
                break;
            };
            for s in page {
                if s.seq > through {
                    break 'pages;
                }
                analysis.push(&s.article);
            }
            after = last;
        }
        let resolved = analysis.resolve();
        self.warm = Some(Warm::new(analysis, &resolved, through));
        Ok(())
    }

    /// Extracts every stored raw document again with this build's
    /// extractor (after an extractor upgrade), replaces the stored
    /// articles whose extraction changed, then analyses everything from
    /// scratch. Streams the store in batches of [`REEXTRACT_BATCH`] raw
    /// documents, so memory does not grow with the store.
    pub fn reanalyze(
        &mut self,
        progress: &dyn Progress,
    ) -> Result<(ReextractSummary, Vec<StoryReport>)> {
        let mut summary = ReextractSummary::default();
        let total = self.store.article_count()?;
        progress.start("re-extract", total as u64);
        let mut after = 0;
        loop {
            let batch = self.store.raw_documents(after, REEXTRACT_BATCH)?;
            let Some(&(last, _)) = batch.last() else {
                break;
            };
            after = last;
            let extractor = &self.preparer.extractor;
            let mut fresh: Vec<Result<Article, _>> = batch
                .par_iter()
                .map(|(_, doc)| extractor.extract(doc))
                .collect();
            if self.config.outlet_templates {
                let articles = fresh.iter_mut().filter_map(|r| r.as_mut().ok()).collect();
                outlets::strip_templates(self.store.as_mut(), articles, false)?;
            }
            let mut changed = Vec::new();
            for ((_, doc), result) in batch.iter().zip(fresh) {
                summary.read += 1;
                match result {
                    Ok(a) => {
                        if self.store.article(doc.id.as_str())?.as_ref() != Some(&a) {
                            changed.push(a);
                        }
                    }
                    Err(refusal) => {
                        summary.refused += 1;
                        tracing::warn!(target: "reanalyze", source = %doc.source, ?refusal, "kept the stored extraction");
                    }
                }
            }
            summary.changed += self.store.update_articles(&changed)?;
            progress.advance(batch.len() as u64);
        }
        progress.finish();
        let reports = self.analyze_full(progress)?;
        Ok((summary, reports))
    }

    /// Everything from the stored articles (see [`Engine::analyze`]).
    pub fn analyze_full(&mut self, progress: &dyn Progress) -> Result<Vec<StoryReport>> {
        self.warm = None;
        let stored = self.store.articles()?;
        // The analysis covers what was read, not what another process may
        // store meanwhile (that stays due for the next analysis).
        let through = stored.last().map_or(0, |s| s.seq);
        let articles: Vec<Article> = stored.into_iter().map(|s| s.article).collect();
        let mut analysis = Analysis::default();
        progress.start("analyze", articles.len() as u64);
        for a in &articles {
            analysis.push(a);
            progress.advance(1);
        }
        progress.finish();
        let resolved = analysis.resolve();
        let stories: Vec<(usize, Vec<&Article>)> = (0..resolved.members.len())
            .map(|k| {
                (
                    k,
                    resolved.members[k].iter().map(|&i| &articles[i]).collect(),
                )
            })
            .collect();
        let reports = stored::reports(
            self.store.as_mut(),
            &analysis,
            &resolved,
            &stories,
            progress,
        )?;
        self.store.replace_analysis_through(&reports, through)?;
        self.warm = Some(Warm::new(analysis, &resolved, through));
        Ok(reports)
    }

    /// The articles stored since the warm state's analysis, placed; the
    /// stories whose signature changed rebuilt and saved, the stories that
    /// disappeared (merged away) deleted. Cost: the new articles, plus the
    /// articles of the stories they touched, plus one linear pass of cheap
    /// lookups over the state to resolve the final stories.
    fn analyze_incremental(&mut self, progress: &dyn Progress) -> Result<Vec<StoryReport>> {
        let Some(w) = self.warm.as_mut() else {
            return Ok(Vec::new());
        };
        let new = self.store.articles_since(w.through)?;
        let Some(last) = new.last() else {
            return Ok(Vec::new());
        };
        let through = last.seq;
        progress.start("analyze", new.len() as u64);
        let mut fresh: HashMap<ArticleId, Article> = HashMap::new();
        for s in new {
            w.analysis.push(&s.article);
            fresh.insert(s.article.id.clone(), s.article);
            progress.advance(1);
        }
        progress.finish();
        let t = std::time::Instant::now();
        // Only the stories this batch touched are resolved (not the store).
        let touched = w.analysis.touched();
        let resolved = touched.resolved;
        let mut changed = Vec::new();
        let mut signatures = Vec::with_capacity(resolved.members.len());
        for k in 0..resolved.members.len() {
            let sig = w.analysis.signature(&resolved, k);
            if w.signatures.get(&resolved.ids[k]) != Some(&sig) {
                changed.push(k);
            }
            signatures.push((resolved.ids[k].clone(), sig));
        }
        let removed = touched.removed;
        let t_resolve = t.elapsed();
        let mut stories = Vec::with_capacity(changed.len());
        for k in changed {
            let mut story = Vec::with_capacity(resolved.members[k].len());
            for &i in &resolved.members[k] {
                let id = w.analysis.article_id(i);
                match fresh.get(id) {
                    Some(a) => story.push(a.clone()),
                    None => story.push(self.store.article(id.as_str())?.ok_or_else(|| {
                        Error::Inconsistent(format!("article {id} is analysed but not stored"))
                    })?),
                }
            }
            stories.push((k, story));
        }
        // The stance verdicts of the earlier reports: a rebuilt report
        // judges only its new carriers.
        for (k, _) in &stories {
            if let Some(earlier) = self.store.report(resolved.ids[*k].as_str())? {
                w.analysis.remember_verdicts(&earlier);
            }
        }
        let t_load = t.elapsed();
        let refs: Vec<(usize, Vec<&Article>)> = stories
            .iter()
            .map(|(k, story)| (*k, story.iter().collect()))
            .collect();
        let reports = stored::reports(
            self.store.as_mut(),
            &w.analysis,
            &resolved,
            &refs,
            &NoProgress,
        )?;
        let t_reports = t.elapsed();
        self.store.replace_stories(&reports, &removed, through)?;
        tracing::debug!(
            target: "engine",
            "incremental: {} stories touched, {} rebuilt; resolve {:?}, load {:?}, reports {:?}, write {:?}",
            resolved.members.len(),
            reports.len(),
            t_resolve,
            t_load - t_resolve,
            t_reports - t_load,
            t.elapsed() - t_reports
        );
        for id in &removed {
            w.signatures.remove(id);
        }
        w.signatures.extend(signatures);
        w.through = through;
        Ok(reports)
    }
}

impl Warm {
    /// The state of an analysis resolved into `resolved`, covering the
    /// articles up to `through`.
    fn new(mut analysis: Analysis, resolved: &Resolved, through: i64) -> Warm {
        let signatures = (0..resolved.members.len())
            .map(|k| (resolved.ids[k].clone(), analysis.signature(resolved, k)))
            .collect();
        analysis.prime(resolved);
        Warm {
            analysis,
            through,
            signatures,
        }
    }
}

/// Articles read per store round trip while warming up.
const WARM_UP_PAGE: usize = 2048;

/// The analysis state a running engine keeps between analyses.
struct Warm {
    analysis: Analysis,
    /// The last arrival number it covers.
    through: i64,
    /// Each stored story's signature ([`Analysis::signature`]).
    signatures: HashMap<StoryId, u64>,
}

/// Extracts and stores a batch (`pending`, emptied), recording the ids in
/// `touched`; returns the documents extraction refused.
fn flush(
    store: &mut dyn Storage,
    extractor: &ArticleExtractor,
    outlet_templates: bool,
    touched: &mut Vec<ArticleId>,
    pending: &mut Vec<RawDocument>,
    summary: &mut IngestSummary,
) -> Result<Vec<Issue>> {
    if pending.is_empty() {
        return Ok(Vec::new());
    }
    let batch = std::mem::take(pending);
    summary.read += batch.len();
    let mut fresh = Vec::with_capacity(batch.len());
    for doc in batch {
        if store.contains(&doc.id)? || fresh.iter().any(|d: &RawDocument| d.id == doc.id) {
            summary.unchanged += 1;
            touched.push(doc.id);
        } else {
            fresh.push(doc);
        }
    }
    let results: Vec<(RawDocument, Result<Article, _>)> = fresh
        .into_par_iter()
        .map(|doc| {
            let article = extractor.extract(&doc);
            (doc, article)
        })
        .collect();
    // A document over a work limit is reported; the rest of the batch is
    // stored.
    let mut refused = Vec::new();
    let mut pairs = Vec::with_capacity(results.len());
    for (doc, r) in results {
        match r {
            Ok(article) => {
                touched.push(doc.id.clone());
                pairs.push((doc, article));
            }
            Err(e) => refused.push(Issue::new(doc.source, e.into())),
        }
    }
    if outlet_templates {
        let articles = pairs.iter_mut().map(|(_, a)| a).collect();
        outlets::strip_templates(store, articles, true)?;
    }
    let added = store.insert_articles(&pairs)?;
    summary.added += added;
    summary.unchanged += pairs.len() - added;
    tracing::info!(target: "ingest", added, "batch committed");
    Ok(refused)
}

#[cfg(test)]
mod tests;
