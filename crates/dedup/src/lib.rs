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

use corroborate_model::{ArticleId, CopyLink, Timestamp};
use std::collections::{HashMap, HashSet};

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
}

impl Default for DedupConfig {
    fn default() -> Self {
        DedupConfig {
            min_containment: 0.6,
            min_shingles: 8,
        }
    }
}

impl DedupConfig {
    /// Builds the runtime deduplicator.
    pub fn build(self) -> Deduper {
        Deduper {
            config: self,
            docs: Vec::new(),
            exact: HashMap::new(),
            bands: HashMap::new(),
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
    shingles: HashSet<u64>,
    published: Option<Timestamp>,
    site: Option<String>,
}

/// Online deduplicator: add articles in arrival order; each is compared with
/// those before it.
pub struct Deduper {
    config: DedupConfig,
    docs: Vec<Seen>,
    exact: HashMap<u64, usize>,
    bands: HashMap<(usize, u64), Vec<usize>>,
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

fn mix(mut x: u64) -> u64 {
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// Lower-cased alphanumeric words.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Hashed word shingles of the text.
pub fn shingles(text: &str) -> HashSet<u64> {
    let w: Vec<u64> = words(text)
        .iter()
        .map(|w| hash_bytes(w.as_bytes()))
        .collect();
    if w.len() < SHINGLE {
        return w.iter().copied().collect();
    }
    w.windows(SHINGLE)
        .map(|win| win.iter().fold(0u64, |acc, h| mix(acc.rotate_left(5) ^ h)))
        .collect()
}

fn signature(sh: &HashSet<u64>) -> [u64; HASHES] {
    let mut sig = [u64::MAX; HASHES];
    for &s in sh {
        for (i, slot) in sig.iter_mut().enumerate() {
            let v = mix(s ^ (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
            if v < *slot {
                *slot = v;
            }
        }
    }
    sig
}

/// Share of `a` found in `b`: |a ∩ b| / |a|, in [0, 1].
pub fn containment(a: &HashSet<u64>, b: &HashSet<u64>) -> f64 {
    if a.is_empty() {
        return 0.0;
    }
    a.iter().filter(|x| b.contains(x)).count() as f64 / a.len() as f64
}

/// Jaccard similarity |a ∩ b| / |a ∪ b|, in [0, 1].
pub fn jaccard(a: &HashSet<u64>, b: &HashSet<u64>) -> f64 {
    let inter = a.iter().filter(|x| b.contains(x)).count();
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
        let normalized = words(doc.text).join(" ");
        let sh = shingles(doc.text);
        let idx = self.docs.len();
        let exact_key = hash_bytes(normalized.as_bytes());
        let mut best: Option<(usize, f64, bool)> = None;
        if normalized.is_empty() {
            // Nothing to compare: an empty body is never a copy.
        } else if let Some(&j) = self.exact.get(&exact_key) {
            best = Some((j, 1.0, true));
        } else if sh.len() >= self.config.min_shingles {
            let sig = signature(&sh);
            let mut candidates: Vec<usize> = Vec::new();
            for (b, rows) in sig.chunks(ROWS).enumerate() {
                let key = rows.iter().fold(0u64, |a, r| mix(a ^ r));
                if let Some(list) = self.bands.get(&(b, key)) {
                    candidates.extend(list);
                }
            }
            candidates.sort_unstable();
            candidates.dedup();
            for j in candidates {
                let prev = &self.docs[j];
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
            for (b, rows) in sig.chunks(ROWS).enumerate() {
                let key = rows.iter().fold(0u64, |a, r| mix(a ^ r));
                self.bands.entry((b, key)).or_default().push(idx);
            }
        }
        if !normalized.is_empty() {
            self.exact.entry(exact_key).or_insert(idx);
        }
        self.docs.push(Seen {
            id: doc.id.clone(),
            shingles: sh,
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
