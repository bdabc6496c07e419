//! Single-stage runs without a store: `extract`, `claims`, `cluster`.

use corroborate_cluster::{ClusterConfig, ClusterDoc, Merge, OnlineClusterer, Profile, Split};
use corroborate_extract::{dates, ArticleExtractor};
use corroborate_ingest::{IngestorBuilder, Issue};
use corroborate_model::{Annotations, Article, Extractor, Format, Timestamp};
use rayon::prelude::*;
use std::io::{BufRead, Read};
use std::path::PathBuf;

fn read_all(
    max_size: u64,
    paths: &[PathBuf],
    on_issue: &mut dyn FnMut(Issue),
) -> Vec<corroborate_model::RawDocument> {
    let ingestor = IngestorBuilder::new().max_size(max_size).build();
    let mut issues = Vec::new();
    let inputs = ingestor.discover(paths, &mut |i| issues.push(i));
    let mut docs = Vec::new();
    for input in &inputs {
        ingestor.read(input, &mut |item| match item {
            Ok(d) => docs.push(d),
            Err(i) => issues.push(i),
        });
    }
    for i in issues {
        on_issue(i);
    }
    docs
}

/// Extracts every document under `paths`, in input order (extraction runs in parallel).
pub fn extract_inputs(
    paths: &[PathBuf],
    max_size: u64,
    on_issue: &mut dyn FnMut(Issue),
) -> Vec<Article> {
    let docs = read_all(max_size, paths, on_issue);
    let extractor = ArticleExtractor::default();
    let results: Vec<_> = docs.par_iter().map(|d| extractor.extract(d)).collect();
    keep_extracted(&docs, results, on_issue)
}

/// The documents' results, in input order; each refusal goes to `on_issue`
/// with its document's location.
fn keep_extracted<T>(
    docs: &[corroborate_model::RawDocument],
    results: Vec<Result<T, corroborate_model::Refusal>>,
    on_issue: &mut dyn FnMut(Issue),
) -> Vec<T> {
    docs.iter()
        .zip(results)
        .filter_map(|(d, r)| {
            r.map_err(|e| on_issue(Issue::new(d.source.clone(), e.into())))
                .ok()
        })
        .collect()
}

/// Annotations of one document, for `corroborate claims`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Annotated {
    /// Input location.
    pub source: String,
    /// Publication date used to resolve relative dates.
    pub published: Option<Timestamp>,
    /// Text the offsets refer to.
    #[serde(skip)]
    pub text: String,
    /// The annotations.
    #[serde(flatten)]
    pub annotations: Annotations,
}

/// Cross-check annotation of every document under `paths`. With `raw`, each
/// input is taken as clean text (offsets refer to it as given); otherwise
/// it is extracted first.
pub fn annotate_inputs(
    paths: &[PathBuf],
    raw: bool,
    max_size: u64,
    on_issue: &mut dyn FnMut(Issue),
) -> Vec<Annotated> {
    let docs = read_all(max_size, paths, on_issue);
    let extractor = ArticleExtractor::default();
    let results: Vec<_> = docs
        .par_iter()
        .map(|d| {
            let (text, published) = if raw {
                let text = if d.format == Format::Html {
                    extractor.extract(d)?.text
                } else {
                    d.content.clone()
                };
                (
                    text,
                    d.hints
                        .published
                        .as_deref()
                        .and_then(|p| dates::parse(p, None)),
                )
            } else {
                let a = extractor.extract(d)?;
                (a.text, a.published)
            };
            Ok(Annotated {
                source: d.source.clone(),
                published,
                annotations: corroborate_crosscheck::annotate(&text, published),
                text,
            })
        })
        .collect();
    keep_extracted(&docs, results, on_issue)
}

/// Field names for [`cluster_jsonl`].
#[derive(Debug, Clone)]
pub struct ClusterFields {
    /// Record id field.
    pub id: String,
    /// Body text field.
    pub text: String,
    /// Title field (optional in records).
    pub title: String,
    /// Time field (optional in records).
    pub time: String,
    /// Language field (ISO 639-1, optional in records: detected when absent).
    pub lang: String,
    /// Clustering parameters.
    pub config: ClusterConfig,
}

impl Default for ClusterFields {
    fn default() -> Self {
        ClusterFields {
            id: "id".into(),
            text: "text".into(),
            title: "title".into(),
            time: "time".into(),
            lang: "lang".into(),
            config: ClusterConfig::default(),
        }
    }
}

/// What [`cluster_jsonl`] reports as records arrive.
#[derive(Debug)]
pub enum ClusterEvent<'a> {
    /// A record joined (or founded) a story.
    Assigned {
        /// The record's id (its line number when it has none).
        id: &'a serde_json::Value,
        /// The story at arrival.
        story: usize,
    },
    /// Two stories became one when a record arrived (after its `Assigned`).
    Merged {
        /// The record whose arrival merged them.
        at: &'a serde_json::Value,
        /// Which story went into which, and why.
        merge: &'a Merge,
    },
    /// A story became two when a record arrived (after its `Assigned`).
    Split {
        /// The record whose arrival led to the split.
        at: &'a serde_json::Value,
        /// Which story was divided, the new one, and why.
        split: &'a Split,
        /// The ids of the records moved to the new story.
        moved: Vec<&'a serde_json::Value>,
    },
}

/// Clusters JSONL records in input order with no look-ahead, calling `out`
/// for each assignment and each online merge and split. Malformed lines go
/// to `on_issue` and are skipped. Returns the clusterer, whose
/// [`OnlineClusterer::story_of_doc`] gives the final story of the n-th
/// record assigned.
pub fn cluster_jsonl(
    input: impl BufRead,
    name: &str,
    fields: &ClusterFields,
    out: &mut dyn FnMut(ClusterEvent<'_>) -> std::io::Result<()>,
    on_issue: &mut dyn FnMut(Issue),
) -> std::io::Result<OnlineClusterer> {
    let mut clusterer = fields.config.clone().build();
    // Ids of the records assigned so far, to name the ones a split moves.
    let mut ids: Vec<serde_json::Value> = Vec::new();
    for (i, line) in input.lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let loc = format!("{name}:{}", i + 1);
        let v: serde_json::Value = match serde_json::from_str(&line) {
            Ok(v) => v,
            Err(e) => {
                on_issue(Issue::new(
                    loc,
                    corroborate_ingest::Error::Json(e.to_string()),
                ));
                continue;
            }
        };
        let s = |f: &str| v.get(f).and_then(|x| x.as_str()).unwrap_or("");
        let time = match v.get(&fields.time) {
            Some(serde_json::Value::String(t)) => dates::parse(t, None),
            Some(serde_json::Value::Number(n)) => n
                .as_i64()
                .and_then(|t| chrono::DateTime::from_timestamp(t, 0)),
            _ => None,
        };
        // The record's language when it states one, else detected from its
        // text: it picks the stemmer, and articles in different languages
        // are compared by names and numbers.
        let lang = match s(&fields.lang) {
            "" => corroborate_extract::detect_language(s(&fields.text)),
            l => Some(l.to_string()),
        };
        let asg = clusterer.add(&ClusterDoc {
            title: s(&fields.title),
            body: s(&fields.text),
            time,
            lang: lang.as_deref(),
        });
        let id = v
            .get(&fields.id)
            .cloned()
            .unwrap_or(serde_json::Value::from(i + 1));
        out(ClusterEvent::Assigned {
            id: &id,
            story: asg.story,
        })?;
        if let Some(merge) = &asg.merged {
            out(ClusterEvent::Merged { at: &id, merge })?;
        }
        ids.push(id);
        if let Some(split) = &asg.split {
            out(ClusterEvent::Split {
                at: &ids[ids.len() - 1],
                split,
                moved: split.moved.iter().map(|&d| &ids[d]).collect(),
            })?;
        }
    }
    Ok(clusterer)
}

/// Chooses the clustering [`Profile`] of a JSONL stream from the word
/// counts (title and text fields) of its first [`Profile::SAMPLE`] records,
/// and gives back a reader that yields the whole stream again, the sampled
/// lines first: the stream is read once, and stdin works. Lines that are
/// not JSON objects are not counted (`cluster_jsonl` reports them).
pub fn sample_profile<'a>(
    mut input: impl BufRead + 'a,
    fields: &ClusterFields,
) -> std::io::Result<(Profile, Box<dyn BufRead + 'a>)> {
    let mut head: Vec<u8> = Vec::new();
    let mut words = Vec::new();
    let mut line = String::new();
    while words.len() < Profile::SAMPLE {
        line.clear();
        if input.read_line(&mut line)? == 0 {
            break;
        }
        head.extend_from_slice(line.as_bytes());
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(&line) {
            let count = |f: &str| {
                v.get(f)
                    .and_then(|x| x.as_str())
                    .map_or(0, |s| s.split_whitespace().count())
            };
            if v.is_object() {
                words.push(count(&fields.title) + count(&fields.text));
            }
        }
    }
    let profile = Profile::of_lengths(words);
    Ok((profile, Box::new(std::io::Cursor::new(head).chain(input))))
}
