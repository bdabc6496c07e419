//! Claim matching: has this statement been seen (or fact-checked) before?
//!
//! A [`ClaimMatcher`] holds a collection of claims (a fact-checker's
//! verified claims from a JSONL file, or every claim of the stories in the
//! store) and ranks them against a query, such as a post or a sentence from
//! a new article. Scoring is BM25 over the claim and its context (a
//! fact-check's title, a story's title), mixed with the cosine of
//! all-MiniLM-L6-v2 sentence embeddings of the claim alone when the binary
//! is built with the `embed` feature and the model is on disk
//! ([`corroborate_crosscheck::claim_index::fuse`]). Queries are cleaned of
//! links, post signatures and hashtag markup first
//! ([`corroborate_crosscheck::claim_index::clean_post`]).
//!
//! `cargo xtask bench-crosscheck --only claims` measures exactly this on
//! CheckThat! 2020 (BENCHMARKS.md).

use corroborate_crosscheck::claim_index::{clean_post, fuse, ClaimIndex, LEXICAL_WEIGHT};
use corroborate_embed::{cosine, Embedder};
use corroborate_store::Storage;
use serde::Serialize;
use std::path::Path;

/// One claim of a collection.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatchEntry {
    /// Its id in the collection.
    pub id: String,
    /// The claim.
    pub text: String,
    /// Words around it that restate it (a fact-check's title, a story's
    /// title); searched lexically, not embedded.
    pub context: String,
}

/// One ranked claim.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Match {
    /// Position in the collection.
    pub index: usize,
    /// The claim's id.
    pub id: String,
    /// The claim.
    pub text: String,
    /// Higher is closer; comparable within one query only.
    pub score: f64,
}

/// A claim collection ready to be searched.
pub struct ClaimMatcher {
    entries: Vec<MatchEntry>,
    index: ClaimIndex,
    dense: Option<(Embedder, Vec<Vec<f32>>)>,
}

impl std::fmt::Debug for ClaimMatcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClaimMatcher")
            .field("claims", &self.entries.len())
            .field("embeddings", &self.dense.is_some())
            .finish()
    }
}

impl ClaimMatcher {
    /// Indexes `entries`; with an `embedder`, embeds every claim too
    /// (minutes for ten thousand claims on two cores).
    pub fn new(
        entries: Vec<MatchEntry>,
        embedder: Option<Embedder>,
    ) -> Result<Self, corroborate_embed::EmbedError> {
        let vectors = match &embedder {
            Some(m) => {
                let texts: Vec<&str> = entries.iter().map(|e| e.text.as_str()).collect();
                Some(m.embed(&texts)?)
            }
            None => None,
        };
        Ok(Self::with_vectors(entries, embedder.zip(vectors)))
    }

    /// Like [`ClaimMatcher::new`], with the claims' embeddings computed
    /// before (one per entry, in order).
    pub fn with_vectors(
        entries: Vec<MatchEntry>,
        dense: Option<(Embedder, Vec<Vec<f32>>)>,
    ) -> Self {
        let lexical: Vec<String> = entries
            .iter()
            .map(|e| format!("{} {}", e.text, e.context))
            .collect();
        Self {
            index: ClaimIndex::new(&lexical),
            entries,
            dense,
        }
    }

    /// Whether sentence embeddings take part in the ranking.
    pub fn uses_embeddings(&self) -> bool {
        self.dense.is_some()
    }

    /// The collection.
    pub fn entries(&self) -> &[MatchEntry] {
        &self.entries
    }

    /// The `k` claims closest to `query`, best first.
    pub fn rank(&self, query: &str, k: usize) -> Result<Vec<Match>, corroborate_embed::EmbedError> {
        let query = clean_post(query);
        let vector = match &self.dense {
            Some((m, _)) => m.embed(&[query.as_str()])?.pop(),
            None => None,
        };
        Ok(self.rank_cleaned(&query, vector.as_deref(), k))
    }

    /// [`ClaimMatcher::rank`] for a query already passed through
    /// [`clean_post`] and, when embeddings are in use, already embedded.
    pub fn rank_cleaned(&self, query: &str, vector: Option<&[f32]>, k: usize) -> Vec<Match> {
        let lexical = self.index.rank(query, usize::MAX);
        let cosines: Vec<f32> = match (&self.dense, vector) {
            (Some((_, claims)), Some(q)) => claims.iter().map(|c| cosine(q, c)).collect(),
            _ => Vec::new(),
        };
        fuse(&lexical, &cosines, LEXICAL_WEIGHT)
            .into_iter()
            .take(k)
            .map(|(i, score)| Match {
                index: i,
                id: self.entries[i].id.clone(),
                text: self.entries[i].text.clone(),
                score,
            })
            .collect()
    }
}

/// Why a claims file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ClaimsFileError {
    /// Reading failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// A line is not a JSON object with a claim text.
    #[error("{path}:{line}: {reason}")]
    Record {
        /// The file.
        path: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        reason: String,
    },
}

/// Reads a claim collection from JSON lines: each object's claim is its
/// `text`, `claim` or `vclaim` field, its id `id`, `claim_id` or `vclaim_id`
/// (else the line number), its context `title` (optional). Blank lines are
/// skipped; a bad line is an error naming it, since a collection with holes
/// would silently answer wrong.
pub fn read_claims_jsonl(path: &Path) -> Result<Vec<MatchEntry>, ClaimsFileError> {
    let name = path.display().to_string();
    let raw = std::fs::read_to_string(path).map_err(|source| ClaimsFileError::Io {
        path: name.clone(),
        source,
    })?;
    let mut out = Vec::new();
    for (n, line) in raw.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let bad = |reason: String| ClaimsFileError::Record {
            path: name.clone(),
            line: n + 1,
            reason,
        };
        let v: serde_json::Value = serde_json::from_str(line).map_err(|e| bad(e.to_string()))?;
        let field = |keys: &[&str]| {
            keys.iter().find_map(|k| match &v[*k] {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Number(x) => Some(x.to_string()),
                _ => None,
            })
        };
        let text = field(&["text", "claim", "vclaim"])
            .ok_or_else(|| bad("no \"text\", \"claim\" or \"vclaim\" string".into()))?;
        out.push(MatchEntry {
            id: field(&["id", "claim_id", "vclaim_id"]).unwrap_or_else(|| (n + 1).to_string()),
            text: text.split_whitespace().collect::<Vec<_>>().join(" "),
            context: field(&["title"]).unwrap_or_default(),
        });
    }
    Ok(out)
}

/// Every claim of every analysed story in the store, with the story title
/// as context; ids are `story-id/claim-id`.
pub fn stored_claims(store: &dyn Storage) -> crate::Result<Vec<MatchEntry>> {
    let mut out = Vec::new();
    for s in store.stories()? {
        let Some(report) = store.report(&s.id.0)? else {
            continue;
        };
        for c in &report.claims {
            out.push(MatchEntry {
                id: format!("{}/{}", report.id.0, c.id),
                text: c.text.clone(),
                context: report.title.clone(),
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, text: &str, context: &str) -> MatchEntry {
        MatchEntry {
            id: id.into(),
            text: text.into(),
            context: context.into(),
        }
    }

    #[test]
    fn context_words_find_a_claim_its_text_does_not_share() {
        let m = ClaimMatcher::new(
            vec![
                entry(
                    "a",
                    "The senator voted against the farm bill.",
                    "Did Senator Hale oppose farm aid?",
                ),
                entry(
                    "b",
                    "A ferry sank off the coast in May.",
                    "Ferry disaster in Norhaven",
                ),
            ],
            None,
        )
        .unwrap();
        let r = m
            .rank("Hale opposed farm aid #FarmBill https://t.co/xyz", 2)
            .unwrap();
        assert_eq!(r[0].id, "a");
        assert!(!m.uses_embeddings());
    }

    #[test]
    fn claims_file_names_the_bad_line() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("c.jsonl");
        std::fs::write(&p, "{\"vclaim_id\": \"7\", \"vclaim\": \"A  claim.\", \"title\": \"T\"}\n\n{\"nope\": 1}\n").unwrap();
        match read_claims_jsonl(&p) {
            Err(ClaimsFileError::Record { line, .. }) => assert_eq!(line, 3),
            other => panic!("expected a record error, got {other:?}"),
        }
        std::fs::write(
            &p,
            "{\"vclaim_id\": 7, \"vclaim\": \"A  claim.\", \"title\": \"T\"}\n{\"text\": \"B\"}\n",
        )
        .unwrap();
        let e = read_claims_jsonl(&p).unwrap();
        assert_eq!(e[0], entry("7", "A claim.", "T"));
        assert_eq!(e[1], entry("2", "B", ""));
    }
}
