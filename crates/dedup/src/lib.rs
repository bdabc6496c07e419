//! Dedup: exact and near-duplicate detection on extracted article bodies.
//!
//! Works on the clean body, never the raw page (boilerplate makes unrelated
//! pages look alike). Each body becomes a set of hashed word 5-shingles; a
//! 64-value MinHash signature is banded (32 bands of 2 rows) into an LSH
//! index that proposes candidates, and every candidate is verified on the
//! exact shingle sets with *containment* (|A ∩ B| / |A|, A the later
//! article), so a copy with an extra paragraph or a trimmed ending is still
//! found. Written here rather than taken from a crate: the crates on
//! crates.io offer MinHash or LSH but not containment verification over the
//! shingle sets, and the whole thing is ~150 lines.
//!
//! Memory and time stay flat on long streams: shingle sets are sorted
//! `u32` arrays (containment is a linear merge), and an article found to be
//! an exact or near-exact copy (containment ≥ [`DedupConfig::near_exact`])
//! is neither indexed nor kept: its original already stands for its text,
//! so a flood of copies of one article costs one lookup each and does not
//! grow the LSH buckets.
//!
//! ```
//! use corroborate_dedup::{Deduper, DedupDoc};
//! use corroborate_model::ArticleId;
//!
//! let body = "The council voted on Tuesday to approve the new bridge over the river after years of debate.";
//! let copy = format!("{body} Subscribe to our channel for more stories like this one today.");
//! let mut d = Deduper::default();
//! assert!(d.add(&DedupDoc { id: ArticleId("a".into()), text: body, ..DedupDoc::default() }).is_none());
//! let link = d.add(&DedupDoc { id: ArticleId("b".into()), text: &copy, ..DedupDoc::default() }).unwrap();
//! assert_eq!(link.original, ArticleId("a".into()));
//! assert!(link.overlap > 0.99);
//! ```
#![deny(missing_docs)]

#[cfg(test)]
extern crate self as corroborate_dedup;
#[cfg(test)]
mod doc_examples;
use corroborate_model::{sorted_intersection, ArticleId, CopyLink, Timestamp};
use rustc_hash::FxHashMap as HashMap;

const SHINGLE: usize = 5;
const HASHES: usize = 64;
const ROWS: usize = 2;

/// Tuning of the deduplicator.
#[derive(Debug, Clone)]
pub struct DedupConfig {
    /// Containment of the later article's shingles in the earlier one needed to call it a copy.
    pub min_containment: f64,
    /// Bodies with fewer shingles than this are only compared exactly.
    pub min_shingles: usize,
    /// A copy at least this contained in its original is not indexed itself.
    pub near_exact: f64,
}

impl Default for DedupConfig {
    fn default() -> Self {
        DedupConfig {
            min_containment: 0.6,
            min_shingles: 8,
            near_exact: 0.9,
        }
    }
}

impl DedupConfig {
    /// Builds the runtime deduplicator.
    pub fn build(self) -> Deduper {
        Deduper {
            config: self,
            docs: Vec::new(),
            exact: HashMap::default(),
            heads: HashMap::default(),
            chain: Vec::new(),
        }
    }
}

/// One article as dedup sees it.
#[derive(Debug, Clone, Default)]
pub struct DedupDoc<'a> {
    /// Article id.
    pub id: ArticleId,
    /// Clean body text.
    pub text: &'a str,
    /// Publication time, when known.
    pub published: Option<Timestamp>,
    /// Outlet name, when known.
    pub site: Option<&'a str>,
    /// Outlet the article declares as its source, when it does.
    pub declared_source: Option<&'a str>,
}

struct Seen {
    id: ArticleId,
    /// Empty for copies that are not indexed.
    shingles: Vec<u32>,
    /// High halves of the MinHash signature (empty when not indexed).
    sketch: Vec<u32>,
    published: Option<Timestamp>,
    site: Option<String>,
}

/// Online deduplicator: add articles in arrival order; each is compared with
/// those before it.
pub struct Deduper {
    config: DedupConfig,
    docs: Vec<Seen>,
    exact: HashMap<u64, usize>,
    /// LSH buckets as linked lists: `heads[bucket]` is the latest entry,
    /// `chain[entry]` = (document, the bucket's previous entry or `NONE`).
    /// One map entry per bucket and 8 bytes per (document, band), where a
    /// `Vec` per bucket cost an allocation each.
    heads: HashMap<u64, u32>,
    chain: Vec<(u32, u32)>,
}

impl Default for Deduper {
    fn default() -> Self {
        DedupConfig::default().build()
    }
}

/// 64-bit FNV-1a, then a final avalanche (splitmix64): fast, stable across runs.
fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    mix(h)
}

const fn mix(mut x: u64) -> u64 {
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// Hashes of the lower-cased alphanumeric words, in order. ASCII words are
/// lower-cased byte by byte without allocating.
pub fn word_hashes(text: &str) -> Vec<u64> {
    let mut buf = String::new();
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            if w.is_ascii() && !w.bytes().any(|b| b.is_ascii_uppercase()) {
                hash_bytes(w.as_bytes())
            } else {
                buf.clear();
                buf.extend(w.chars().flat_map(char::to_lowercase));
                hash_bytes(buf.as_bytes())
            }
        })
        .collect()
}

/// The shingle set of the text: hashed word 5-shingles (single words for
/// texts under five words), as a sorted array without repeats.
pub fn shingles(text: &str) -> Vec<u32> {
    set_of(&word_hashes(text))
}

fn set_of(w: &[u64]) -> Vec<u32> {
    let mut out: Vec<u32> = if w.len() < SHINGLE {
        w.iter().map(|&h| (h >> 32) as u32).collect()
    } else {
        w.windows(SHINGLE)
            .map(|win| (win.iter().fold(0u64, |acc, h| mix(acc.rotate_left(5) ^ h)) >> 32) as u32)
            .collect()
    };
    out.sort_unstable();
    out.dedup();
    out
}

/// Containment of the smaller set in the larger, estimated from MinHash
/// sketches: the share of equal slots estimates Jaccard `j`, and then
/// |a ∩ b| ≈ j (|a| + |b|) / (1 + j).
fn estimated_containment(a: &[u32], na: usize, b: &[u32], nb: usize) -> f64 {
    let same = a.iter().zip(b).filter(|(x, y)| x == y).count();
    let j = same as f64 / a.len().max(1) as f64;
    let inter = j * (na + nb) as f64 / (1.0 + j);
    inter / na.min(nb).max(1) as f64
}

/// End of a bucket's chain.
const NONE: u32 = u32::MAX;
/// Entries of one bucket looked at per article.
const MAX_WALK: usize = 256;

/// Candidates verified per article: those sharing the most LSH bands (the
/// share of bands two documents share estimates their similarity). In a
/// story of thousands of near-identical articles every bucket holds
/// hundreds of them; verifying all of them cost ~2.6 ms per article.
const MAX_VERIFY: usize = 32;

/// The `k` candidates that occur most often in `hits` (one entry per band
/// shared), most shared first, ties to the most recent; in document order
/// when there are at most `k`.
fn most_colliding(mut hits: Vec<u32>, k: usize) -> Vec<usize> {
    hits.sort_unstable();
    let mut counted: Vec<(u32, u32)> = Vec::new();
    for d in hits {
        match counted.last_mut() {
            Some((doc, n)) if *doc == d => *n += 1,
            _ => counted.push((d, 1)),
        }
    }
    if counted.len() > k {
        counted.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(b.0.cmp(&a.0)));
        counted.truncate(k);
        counted.sort_unstable();
    }
    counted.into_iter().map(|(d, _)| d as usize).collect()
}

/// The LSH bucket of each band: its rows hashed together with the band number.
fn buckets(sig: &[u64; HASHES]) -> Vec<u64> {
    sig.chunks(ROWS)
        .enumerate()
        .map(|(b, rows)| rows.iter().fold(mix(b as u64), |a, r| mix(a ^ r)))
        .collect()
}

/// Per-slot multipliers (odd) and offsets of the MinHash functions.
const SEEDS: [(u64, u64); HASHES] = {
    let mut out = [(0, 0); HASHES];
    let mut i = 0;
    while i < HASHES {
        out[i] = (mix(2 * i as u64 + 1) | 1, mix(2 * i as u64 + 2));
        i += 1;
    }
    out
};

/// MinHash signature: for each slot, the least `a·x + b` (mod 2⁶⁴) over the
/// mixed shingle hashes: one multiply-add per shingle and slot.
fn signature(sh: &[u32]) -> [u64; HASHES] {
    let mut sig = [u64::MAX; HASHES];
    for &s in sh {
        let x = mix(u64::from(s));
        for (slot, (a, b)) in sig.iter_mut().zip(SEEDS.iter()) {
            *slot = (*slot).min(x.wrapping_mul(*a).wrapping_add(*b));
        }
    }
    sig
}

/// Share of `a` found in `b`: |a ∩ b| / |a|, in [0, 1] (sorted sets, as
/// [`shingles`] returns them).
pub fn containment(a: &[u32], b: &[u32]) -> f64 {
    if a.is_empty() {
        return 0.0;
    }
    sorted_intersection(a, b) as f64 / a.len() as f64
}

/// Jaccard similarity |a ∩ b| / |a ∪ b|, in [0, 1] (sorted sets).
pub fn jaccard(a: &[u32], b: &[u32]) -> f64 {
    let inter = sorted_intersection(a, b);
    let union = a.len() + b.len() - inter;
    if union == 0 {
        0.0
    } else {
        inter as f64 / union as f64
    }
}

impl Deduper {
    /// Adds one article; returns the copy link if it copies an earlier one.
    ///
    /// The original is the earlier article: by publication time when both
    /// are dated, else by arrival. When the later-dated one arrived first the
    /// link still points at the earlier-dated article.
    pub fn add(&mut self, doc: &DedupDoc<'_>) -> Option<CopyLink> {
        let words = word_hashes(doc.text);
        let idx = self.docs.len();
        // The word sequence identifies the text up to case and punctuation.
        let exact_key = words
            .iter()
            .fold(0u64, |acc, h| mix(acc.rotate_left(7) ^ h));
        let exact = match words.is_empty() {
            true => None,
            false => self.exact.get(&exact_key).copied(),
        };
        let mut sh = match exact {
            Some(_) => Vec::new(),
            None => set_of(&words),
        };
        let mut best: Option<(usize, f64, bool)> = None;
        let mut kept_sketch = Vec::new();
        if words.is_empty() {
            // Nothing to compare: an empty body is never a copy.
        } else if let Some(j) = exact {
            best = Some((j, 1.0, true));
        } else if sh.len() >= self.config.min_shingles {
            let sig = signature(&sh);
            let buckets = buckets(&sig);
            let mut candidates: Vec<u32> = Vec::new();
            for key in &buckets {
                let mut e = self.heads.get(key).copied().unwrap_or(NONE);
                // The most recent entries of a bucket; a bucket that every
                // document falls into (shared furniture) is not walked whole.
                for _ in 0..MAX_WALK {
                    let Some(&(doc, prev)) = self.chain.get(e as usize) else {
                        break;
                    };
                    candidates.push(doc);
                    e = prev;
                }
            }
            let candidates = most_colliding(candidates, MAX_VERIFY);
            let sketch: Vec<u32> = sig.iter().map(|&h| (h >> 32) as u32).collect();
            for j in candidates {
                let prev = &self.docs[j];
                // The signatures estimate the overlap in 64 comparisons; the
                // exact check runs only where it could pass.
                if estimated_containment(&sketch, sh.len(), &prev.sketch, prev.shingles.len())
                    < self.config.min_containment - 0.25
                {
                    continue;
                }
                // Containment of the smaller in the larger catches both an
                // added paragraph and a trimmed ending.
                let c = if sh.len() <= prev.shingles.len() {
                    containment(&sh, &prev.shingles)
                } else {
                    containment(&prev.shingles, &sh)
                };
                if c >= self.config.min_containment && best.is_none_or(|(_, bc, _)| c > bc) {
                    best = Some((j, c, false));
                }
            }
            if best.is_some_and(|(_, c, _)| c >= self.config.near_exact) {
                sh = Vec::new(); // its original stands for it
            } else {
                kept_sketch = sketch;
                for key in buckets {
                    let entry = self.chain.len() as u32;
                    let prev = self.heads.insert(key, entry).unwrap_or(NONE);
                    self.chain.push((idx as u32, prev));
                }
            }
        }
        if best.is_some_and(|(_, _, identical)| identical) {
            sh = Vec::new();
        }
        if !words.is_empty() {
            self.exact.entry(exact_key).or_insert(idx);
        }
        self.docs.push(Seen {
            id: doc.id.clone(),
            shingles: sh,
            sketch: kept_sketch,
            published: doc.published,
            site: doc.site.map(str::to_string),
        });
        let (j, overlap, identical) = best?;
        let prev = &self.docs[j];
        let mut evidence = vec![if identical {
            "identical text"
        } else {
            "shared text"
        }
        .to_string()];
        let (copy, original) = match (doc.published, prev.published) {
            (Some(now), Some(before)) if now < before => (prev.id.clone(), doc.id.clone()),
            (Some(now), Some(before)) if now > before => {
                evidence.push("earlier timestamp".into());
                (doc.id.clone(), prev.id.clone())
            }
            _ => (doc.id.clone(), prev.id.clone()),
        };
        if let (Some(declared), Some(site)) = (doc.declared_source, prev.site.as_deref()) {
            if site.to_lowercase().contains(&declared.to_lowercase()) {
                evidence.push("declared source".into());
            }
        }
        Some(CopyLink {
            copy,
            original,
            overlap,
            evidence,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn id(s: &str) -> ArticleId {
        ArticleId(s.into())
    }

    const BODY: &str = "Officials in the port town said the ferry would not run until engineers had inspected the damaged pier. \
        The storm on Sunday night tore away a section of the structure and flooded the ticket hall. \
        Repairs are expected to take at least two weeks, the harbour master told reporters on Monday.";

    #[test]
    fn trimmed_and_extended_copies_are_found() {
        let mut d = Deduper::default();
        assert!(d
            .add(&DedupDoc {
                id: id("orig"),
                text: BODY,
                ..Default::default()
            })
            .is_none());
        let trimmed = &BODY[..BODY.len() * 2 / 3];
        let l = d
            .add(&DedupDoc {
                id: id("trim"),
                text: trimmed,
                ..Default::default()
            })
            .unwrap();
        assert_eq!(l.original, id("orig"));
        let unrelated = "The football club announced a new coach on Friday, ending weeks of speculation among supporters and pundits about the future of the team.";
        assert!(d
            .add(&DedupDoc {
                id: id("other"),
                text: unrelated,
                ..Default::default()
            })
            .is_none());
    }

    #[test]
    fn identical_texts_point_to_the_earliest_dated() {
        use chrono::TimeZone;
        let t = |d| chrono::Utc.with_ymd_and_hms(2024, 12, d, 0, 0, 0).unwrap();
        let mut d = Deduper::default();
        d.add(&DedupDoc {
            id: id("late"),
            text: BODY,
            published: Some(t(5)),
            ..Default::default()
        });
        let l = d
            .add(&DedupDoc {
                id: id("early"),
                text: BODY,
                published: Some(t(3)),
                ..Default::default()
            })
            .unwrap();
        assert_eq!((l.copy, l.original), (id("late"), id("early")));
        assert!(l.evidence.contains(&"identical text".to_string()));
    }

    #[test]
    fn a_flood_of_copies_links_to_the_original_without_growing_the_index() {
        let mut d = Deduper::default();
        d.add(&DedupDoc {
            id: id("orig"),
            text: BODY,
            ..Default::default()
        });
        let indexed = |d: &Deduper| d.chain.len();
        let before = indexed(&d);
        for i in 0..100 {
            let text = format!("{BODY} Reporting by desk {i}.");
            let l = d
                .add(&DedupDoc {
                    id: id(&format!("copy{i}")),
                    text: &text,
                    ..Default::default()
                })
                .unwrap();
            assert_eq!(l.original, id("orig"));
            assert!(l.overlap >= 0.9);
        }
        assert_eq!(indexed(&d), before);
        assert!(d.docs[1..].iter().all(|s| s.shingles.is_empty()));
    }

    #[test]
    fn empty_bodies_are_never_copies() {
        let mut d = Deduper::default();
        assert!(d
            .add(&DedupDoc {
                id: id("a"),
                text: "",
                ..Default::default()
            })
            .is_none());
        assert!(d
            .add(&DedupDoc {
                id: id("b"),
                text: "  ",
                ..Default::default()
            })
            .is_none());
    }

    proptest! {
        #[test]
        fn similarity_stays_in_unit_interval(a in "[a-e ]{0,120}", b in "[a-e ]{0,120}") {
            let (sa, sb) = (shingles(&a), shingles(&b));
            for v in [containment(&sa, &sb), jaccard(&sa, &sb)] {
                prop_assert!((0.0..=1.0).contains(&v));
            }
            prop_assert!((jaccard(&sa, &sb) - jaccard(&sb, &sa)).abs() < 1e-12);
        }

        /// Adding the same text again is always found as identical.
        #[test]
        fn re_adding_is_idempotent(text in "[a-z]{1,8}( [a-z]{1,8}){0,30}") {
            let mut d = Deduper::default();
            d.add(&DedupDoc { id: id("x"), text: &text, ..Default::default() });
            let l = d.add(&DedupDoc { id: id("y"), text: &text, ..Default::default() }).unwrap();
            prop_assert_eq!(l.original, id("x"));
            prop_assert!(l.overlap == 1.0);
        }
    }
}
