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

use regex::Regex;
use std::collections::HashMap;
use std::sync::LazyLock;

const K1: f64 = 1.2;
const B: f64 = 0.75;

/// Word stems of a text: lower-cased, first five letters, stop words out.
pub fn stems(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() > 1)
        .map(crate::similarity::stem)
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

static LINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:https?://|pic\.twitter\.com/|\bt\.co/|www\.)\S*").expect("link pattern")
});
/// The signature of an embedded social-media post: "— Name (@handle) December 26, 2019".
static SIGNATURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\s*[—–-]\s*([^—–()]{1,60}?)\s*\(@\w+\)\s*[A-Z][a-z]+\.? \d{1,2}, \d{4}\s*$")
        .expect("signature pattern")
});
static TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[#@](\w+)").expect("tag pattern"));
static CAMEL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"([a-z])([A-Z])|([A-Z])([A-Z][a-z])").expect("camel pattern"));

/// A social-media post as a claim to look up: links dropped, the embed
/// signature ("— Name (@handle) date") cut to the name, and hashtags and
/// handles split into words ("#DefundTheCBC" → "Defund The CBC"), so that
/// both BM25 and the sentence model see words rather than tokens of markup.
///
/// ```
/// use corroborate_crosscheck::claim_index::clean_post;
/// assert_eq!(
///     clean_post("Stop it #ImpeachTrump https://t.co/x1 — Jo Doe (@jodoe) May 2, 2019"),
///     "Stop it Impeach Trump — Jo Doe"
/// );
/// ```
pub fn clean_post(text: &str) -> String {
    let text = SIGNATURE.replace(text, " — $1");
    let text = LINK.replace_all(&text, " ");
    let text = TAG.replace_all(&text, |c: &regex::Captures| {
        CAMEL.replace_all(&c[1], "$1$3 $2$4").replace('_', " ")
    });
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Weight of the normalised BM25 score against the cosine in [`fuse`].
pub const LEXICAL_WEIGHT: f64 = 0.25;

/// Mixes lexical and dense evidence into one ranking of every claim:
/// `cosine + weight × bm25 / best bm25 of this query`. The cosines come from
/// sentence embeddings (one per claim, in index order); BM25 scores from
/// [`ClaimIndex::rank`]. Dividing by the query's best BM25 puts the two on
/// one scale (BM25 grows with query length, cosine does not). With no
/// cosines, the lexical ranking is returned as it is; with `weight` 0, the
/// dense one. Ties go to the earlier claim.
pub fn fuse(lexical: &[(usize, f64)], dense: &[f32], weight: f64) -> Vec<(usize, f64)> {
    if dense.is_empty() {
        return lexical.to_vec();
    }
    let best = lexical.iter().map(|&(_, s)| s).fold(0.0, f64::max);
    let mut scores: Vec<f64> = dense.iter().map(|&c| f64::from(c)).collect();
    if best > 0.0 && weight > 0.0 {
        for &(i, s) in lexical {
            if let Some(x) = scores.get_mut(i) {
                *x += weight * s / best;
            }
        }
    }
    let mut out: Vec<(usize, f64)> = scores.into_iter().enumerate().collect();
    out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bm25_prefers_the_claim_sharing_rare_words() {
        let claims = [
            "The council approved the budget.",
            "The council approved the harbour dredging budget.",
            "Dredging of the harbour starts in May.",
        ];
        let index = ClaimIndex::new(&claims);
        let r = index.rank("harbour dredging approved", 3);
        let order: Vec<usize> = r.iter().map(|x| x.0).collect();
        assert_eq!(order, [1, 2, 0]);
    }

    #[test]
    fn fuse_without_cosines_keeps_the_lexical_order() {
        let lexical = vec![(2, 5.0), (0, 1.0)];
        assert_eq!(fuse(&lexical, &[], LEXICAL_WEIGHT), lexical);
    }

    #[test]
    fn fuse_lets_lexical_evidence_break_a_near_tie_but_not_overturn_a_clear_gap() {
        // Claims 0 and 1 are near-tied on cosine; only 1 shares words.
        let lexical = vec![(1, 4.0), (2, 2.0)];
        let r = fuse(&lexical, &[0.70, 0.69, 0.20], LEXICAL_WEIGHT);
        assert_eq!(r[0].0, 1);
        assert_eq!(r.len(), 3);
        // A clear cosine gap survives the best lexical score.
        let r = fuse(&lexical, &[0.95, 0.40, 0.20], LEXICAL_WEIGHT);
        assert_eq!(r[0].0, 0);
        // Weight 0: dense order only.
        let r = fuse(&lexical, &[0.70, 0.69, 0.20], 0.0);
        assert_eq!(r.iter().map(|x| x.0).collect::<Vec<_>>(), [0, 1, 2]);
    }
}
