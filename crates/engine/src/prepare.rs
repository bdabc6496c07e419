//! Reading inputs and preparing articles outside the store: decoding,
//! extraction and validation, which workers and the server run without
//! holding the engine.

use super::*;

/// What [`Engine::ingest_bytes`] did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Posted {
    /// Counts.
    pub summary: IngestSummary,
    /// Ids of the documents read (new or already stored).
    pub articles: Vec<corroborate_model::ArticleId>,
    /// Problems, one line each.
    pub issues: Vec<String>,
    /// Documents kept with a caveat, one line each.
    pub warnings: Vec<String>,
}

/// Reading and extraction without a store: what a server runs off its
/// writer lock, in parallel, before one short write. `Send + Sync`.
#[derive(Debug, Clone)]
pub struct Preparer {
    ingestor: Ingestor,
    pub(super) extractor: ArticleExtractor,
}

/// Documents read and extracted, ready to store.
#[derive(Debug, Default)]
pub struct Prepared {
    /// Raw documents with their articles.
    pub articles: Vec<(RawDocument, Article)>,
    /// Ids of every document read, in input order.
    pub ids: Vec<ArticleId>,
    /// Problems (unreadable records, refused documents), one line each.
    pub issues: Vec<String>,
    /// Documents kept with a caveat (a guessed charset), one line each.
    pub warnings: Vec<String>,
}

impl Preparer {
    /// A preparer refusing inputs over `max_size` bytes.
    pub fn new(max_size: u64) -> Self {
        Preparer {
            ingestor: IngestorBuilder::new().max_size(max_size).build(),
            extractor: ArticleExtractor::default(),
        }
    }

    /// Reads `bytes` as `kind` into documents without extracting them (what
    /// a server started with a queue publishes): the documents, then the
    /// problems, then the warnings.
    pub fn read(
        &self,
        name: &str,
        kind: Kind,
        bytes: &[u8],
    ) -> (Vec<RawDocument>, Vec<String>, Vec<String>) {
        let (mut docs, mut issues, mut warnings) = (Vec::new(), Vec::new(), Vec::new());
        self.ingestor
            .read_bytes(name, kind, bytes, &mut |item| match item {
                Ok(d) => docs.push(d),
                Err(i) if i.severity() == Severity::Warning => warnings.push(i.to_string()),
                Err(i) => issues.push(i.to_string()),
            });
        (docs, issues, warnings)
    }

    /// Extracts one document (what a queue worker does with a message).
    pub fn extract(&self, doc: &RawDocument) -> std::result::Result<Article, String> {
        self.extractor.extract(doc).map_err(|e| e.to_string())
    }

    /// Reads files, directories and `-` into documents in input order
    /// without extracting or storing them, handing each to `on_doc` and
    /// each bad input to `on_issue` (counted in the summary as `ingest`
    /// counts them); `read` is the number of documents read.
    pub fn read_paths(
        &self,
        paths: &[PathBuf],
        progress: &dyn Progress,
        cancel: &Cancel,
        on_doc: &mut dyn FnMut(RawDocument),
        on_issue: &mut dyn FnMut(&Issue),
    ) -> Result<IngestSummary> {
        let mut summary = IngestSummary::default();
        let mut read = 0;
        let done = self.read_inputs(
            paths,
            progress,
            "read",
            cancel,
            &mut |doc| {
                read += 1;
                on_doc(doc);
                Ok(())
            },
            &mut |issue| {
                summary.count(&issue);
                on_issue(&issue);
            },
        )?;
        if !done {
            return Err(Error::Interrupted(0));
        }
        summary.read = read;
        Ok(summary)
    }

    /// Discovers `paths` and reads each input in order, handing each
    /// document to `on_doc` (an error stops the run) and each problem to
    /// `on_issue`; `cancel` is checked between inputs. Returns `false` when
    /// cancelled. What `ingest`, `read_paths` and so `ingest --queue` share.
    pub(super) fn read_inputs(
        &self,
        paths: &[PathBuf],
        progress: &dyn Progress,
        phase: &str,
        cancel: &Cancel,
        on_doc: &mut dyn FnMut(RawDocument) -> Result<()>,
        on_issue: &mut dyn FnMut(Issue),
    ) -> Result<bool> {
        let mut found = Vec::new();
        let inputs = self.ingestor.discover(paths, &mut |i| found.push(i));
        found.into_iter().for_each(&mut *on_issue);
        progress.start(phase, inputs.len() as u64);
        for input in &inputs {
            if cancel.is_cancelled() {
                progress.finish();
                return Ok(false);
            }
            let (mut docs, mut issues) = (Vec::new(), Vec::new());
            self.ingestor.read(input, &mut |item| match item {
                Ok(doc) => docs.push(doc),
                Err(issue) => issues.push(issue),
            });
            issues.into_iter().for_each(&mut *on_issue);
            for doc in docs {
                on_doc(doc)?;
            }
            progress.advance(1);
        }
        progress.finish();
        Ok(true)
    }

    /// Reads `bytes` as `kind` and extracts each document (bounded work
    /// per document: see `corroborate_extract::limits`).
    pub fn prepare(&self, name: &str, kind: Kind, bytes: &[u8]) -> Prepared {
        let (docs, issues, warnings) = self.read(name, kind, bytes);
        let mut out = Prepared {
            issues,
            warnings,
            ..Prepared::default()
        };
        for doc in docs {
            out.ids.push(doc.id.clone());
            match self.extractor.extract(&doc) {
                Ok(a) => out.articles.push((doc, a)),
                Err(e) => out
                    .issues
                    .push(Issue::new(doc.source, e.into()).to_string()),
            }
        }
        out
    }
}
