//! Claim retrieval: given a statement, rank a collection of known claims
//! (fact-checked claims, or the claims of other articles) by how likely
//! they state the same thing.
//!
//! BM25 over lower-cased word stems (the first five letters: cheap,
//! language-agnostic stemming that also joins "Zelensky"/"Zelenskyy"),
//! computed over an inverted index so that a query touches only the claims
//! sharing a word with it. Written here rather than pulled from a search
//! engine crate: the index lives in memory next to one story or one
//! benchmark collection, and it stems words as [`crate::similarity`] does
//! (its own stop list keeps two-letter words out, since BM25 weighs counts).
//!
//! ```
//! use corroborate_crosscheck::claim_index::ClaimIndex;
//!
//! let claims = ["The mayor resigned on Monday.", "Port fire forced 1,200 people from their homes."];
//! let index = ClaimIndex::new(&claims);
//! let best = index.rank("A fire at the port forced hundreds from homes", 1);
//! assert_eq!(best[0].0, 1);
//! ```

use std::collections::HashMap;

const K1: f64 = 1.2;
const B: f64 = 0.75;

/// Word stems of a text: lower-cased, first five letters, stop words out.
pub fn stems(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() > 1)
        .map(crate::statements::stem)
        .filter(|w| !STOP.contains(&w.as_str()))
        .collect()
}

const STOP: &[&str] = &[
    "the", "and", "that", "this", "with", "from", "have", "they", "their", "there", "were", "been",
    "which", "about", "would", "could", "after", "also", "them", "even", "into", "only", "when",
    "of", "to", "in", "is", "it", "on", "for", "as", "at", "by", "an", "be", "or", "are", "was",
    "has", "had", "not", "but", "his", "her", "its", "we", "he", "she", "you", "our", "will",
    "can", "do", "did", "so", "if", "no", "all", "who", "what",
];

/// An in-memory BM25 index over claims.
#[derive(Debug, Default)]
pub struct ClaimIndex {
    postings: HashMap<String, Vec<(u32, u16)>>,
    lengths: Vec<f64>,
    avg_len: f64,
}

impl ClaimIndex {
    /// Indexes `claims` (their positions are the ids `rank` returns).
    pub fn new<S: AsRef<str>>(claims: &[S]) -> Self {
        let mut postings: HashMap<String, Vec<(u32, u16)>> = HashMap::new();
        let mut lengths = Vec::with_capacity(claims.len());
        for (i, c) in claims.iter().enumerate() {
            let words = stems(c.as_ref());
            lengths.push(words.len() as f64);
            let mut tf: HashMap<String, u16> = HashMap::new();
            for w in words {
                *tf.entry(w).or_default() += 1;
            }
            for (w, n) in tf {
                postings.entry(w).or_default().push((i as u32, n));
            }
        }
        let avg_len = lengths.iter().sum::<f64>() / lengths.len().max(1) as f64;
        ClaimIndex {
            postings,
            lengths,
            avg_len,
        }
    }

    /// The `k` best claims for `query`, best first, as (position, score).
    /// Ties go to the earlier claim.
    pub fn rank(&self, query: &str, k: usize) -> Vec<(usize, f64)> {
        let n = self.lengths.len() as f64;
        let mut scores: HashMap<u32, f64> = HashMap::new();
        let mut q = stems(query);
        q.sort();
        q.dedup();
        for w in &q {
            let Some(list) = self.postings.get(w) else {
                continue;
            };
            let df = list.len() as f64;
            let idf = ((n - df + 0.5) / (df + 0.5) + 1.0).ln();
            for &(doc, tf) in list {
                let tf = f64::from(tf);
                let norm = K1 * (1.0 - B + B * self.lengths[doc as usize] / self.avg_len.max(1.0));
                *scores.entry(doc).or_default() += idf * tf * (K1 + 1.0) / (tf + norm);
            }
        }
        let mut out: Vec<(usize, f64)> = scores.into_iter().map(|(d, s)| (d as usize, s)).collect();
        out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        out.truncate(k);
        out
    }
}
