//! Cluster: online story clustering. Articles arrive one at a time and join
//! an existing story or found a new one, with no look-ahead.
//!
//! Representation: TF-IDF over title (counted twice) and body words, stop
//! words dropped, with document frequencies learnt as the stream goes and
//! smoothed by a prior of [`PRIOR_DOCS`] pseudo-documents so that the first
//! few articles are not dominated by accidental rare words. Each story keeps
//! the sum of its members' unit vectors (its centroid) and the latest time
//! of its members. Candidate stories come from an inverted index over the
//! heaviest terms of each member, so the cost per article depends on the
//! postings it touches, not on the number of stories.
//!
//! Score = cosine(article, centroid) × time factor, where the time factor is
//! 1 within [`ClusterConfig::grace_days`] of the story and decays
//! exponentially after. An article whose best text match fails only because
//! of time founds a new story *related* to the old one: the same subject, a
//! different event.
//!
//! ```
//! use corroborate_cluster::{ClusterConfig, ClusterDoc};
//!
//! let mut c = ClusterConfig::default().build();
//! let a = c.add(&ClusterDoc { title: "Storm closes ferry pier in Norhaven", body: "The storm damaged the ferry pier in Norhaven harbour.", time: None });
//! let b = c.add(&ClusterDoc { title: "Norhaven ferry pier shut after storm", body: "Ferry services from Norhaven harbour stopped after storm damage to the pier.", time: None });
//! let z = c.add(&ClusterDoc { title: "Cup final tickets sold out", body: "Football fans bought every ticket for the cup final within an hour.", time: None });
//! assert_eq!(a.story, b.story);
//! assert_ne!(a.story, z.story);
//! ```
#![deny(missing_docs)]

use corroborate_model::Timestamp;
use std::collections::HashMap;

/// Pseudo-documents in the IDF prior.
pub const PRIOR_DOCS: f64 = 50.0;

/// Tuning of the clusterer.
#[derive(Debug, Clone)]
pub struct ClusterConfig {
    /// Minimum score to join a story.
    pub join_threshold: f64,
    /// Minimum text similarity for two stories to be called related.
    pub related_threshold: f64,
    /// Days around a story's dates within which time does not count.
    pub grace_days: f64,
    /// Decay constant in days after the grace period.
    pub decay_days: f64,
    /// Terms per article entered in the inverted index.
    pub index_terms: usize,
    /// Only stories that took an article among the last N are candidates
    /// (for streams without timestamps; time decay does this for dated ones).
    pub window: Option<usize>,
}

impl Default for ClusterConfig {
    fn default() -> Self {
        ClusterConfig {
            join_threshold: 0.2,
            related_threshold: 0.15,
            grace_days: 3.0,
            decay_days: 4.0,
            index_terms: 30,
            window: None,
        }
    }
}

impl ClusterConfig {
    /// Builds the runtime clusterer.
    pub fn build(self) -> OnlineClusterer {
        OnlineClusterer {
            config: self,
            vocab: HashMap::new(),
            df: Vec::new(),
            n_docs: 0,
            stories: Vec::new(),
            postings: HashMap::new(),
        }
    }
}

/// One article as clustering sees it.
#[derive(Debug, Clone, Copy)]
pub struct ClusterDoc<'a> {
    /// Headline.
    pub title: &'a str,
    /// Body text.
    pub body: &'a str,
    /// Publication (or event) time.
    pub time: Option<Timestamp>,
}

/// Where an article went.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    /// Story index (0-based, in order of creation).
    pub story: usize,
    /// Score against that story (1.0 for a new story).
    pub score: f64,
    /// A different story this one is related to, with the text similarity.
    pub related: Option<(usize, f64)>,
}

struct Story {
    /// Arrival number of its latest article.
    last_doc: usize,
    centroid: HashMap<u32, f64>,
    norm: f64,
    first: Option<Timestamp>,
    last: Option<Timestamp>,
}

/// The online clusterer. Deterministic for the same input order.
pub struct OnlineClusterer {
    config: ClusterConfig,
    vocab: HashMap<String, u32>,
    df: Vec<u32>,
    n_docs: u32,
    stories: Vec<Story>,
    postings: HashMap<u32, Vec<u32>>,
}

const STOP: &[&str] = &[
    "a",
    "about",
    "after",
    "against",
    "all",
    "also",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "been",
    "before",
    "being",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "during",
    "each",
    "even",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "him",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "just",
    "more",
    "most",
    "no",
    "not",
    "now",
    "of",
    "on",
    "once",
    "only",
    "or",
    "other",
    "our",
    "out",
    "over",
    "own",
    "said",
    "same",
    "says",
    "she",
    "should",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "you",
    "your",
    "s",
    "t",
    "mr",
    "ms",
    "one",
    "two",
    "new",
    "told",
    "according",
];

/// Lower-cased content words: letters and digits, stop words removed,
/// a light plural fold (`soldiers` → `soldier`). Chinese and Japanese
/// script, written without spaces, becomes overlapping character pairs
/// ("北京大学" → "北京", "京大", "大学"), the usual unit for indexing it.
pub fn tokens(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .flat_map(|w| {
            if w.chars().any(is_cjk) {
                cjk_pairs(w)
            } else {
                vec![w.to_string()]
            }
        })
        .filter(|w| w.chars().count() > 1)
        .map(|w| w.to_lowercase())
        .filter(|w| !STOP.contains(&w.as_str()))
        .map(|w| {
            if w.len() > 4 && w.ends_with('s') && !w.ends_with("ss") {
                w[..w.len() - 1].to_string()
            } else {
                w
            }
        })
}

/// The terms of an article in reading order with their weight: title
/// words count twice, and only the first 600 body words count.
fn weighted_terms<'a>(doc: &ClusterDoc<'a>) -> impl Iterator<Item = (String, f64)> + 'a {
    let title_terms = tokens(doc.title).map(|t| (t, 2.0));
    let body_terms = tokens(doc.body).take(600).map(|t| (t, 1.0));
    title_terms.chain(body_terms)
}

/// Log-scaled term frequency times smoothed IDF (`n` counts the prior).
fn tf_idf(f: f64, df: u32, n: f64) -> f64 {
    (1.0 + f.ln()) * (n / (f64::from(df) + 1.0)).ln()
}

fn unit_length<K>(v: &mut HashMap<K, f64>) {
    let norm = v.values().map(|x| x * x).sum::<f64>().sqrt();
    if norm > 0.0 {
        v.values_mut().for_each(|x| *x /= norm);
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30ff}' | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}')
}

/// Runs of CJK characters as overlapping pairs; other runs (Latin words,
/// digits glued to them) as they are.
fn cjk_pairs(w: &str) -> Vec<String> {
    let chars: Vec<char> = w.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let cjk = is_cjk(chars[i]);
        let mut j = i;
        while j < chars.len() && is_cjk(chars[j]) == cjk {
            j += 1;
        }
        if cjk && j - i > 1 {
            out.extend(chars[i..j].windows(2).map(|p| p.iter().collect::<String>()));
        } else {
            out.push(chars[i..j].iter().collect());
        }
        i = j;
    }
    out
}

impl OnlineClusterer {
    /// Number of stories so far.
    pub fn len(&self) -> usize {
        self.stories.len()
    }

    /// True before the first article.
    pub fn is_empty(&self) -> bool {
        self.stories.is_empty()
    }

    /// Learns the term statistics of `doc` without clustering it (to warm
    /// the IDF on a collection before [`OnlineClusterer::similarity`]).
    pub fn observe(&mut self, doc: &ClusterDoc<'_>) {
        self.vectorize(doc);
    }

    /// The text similarity clustering uses (cosine of the TF-IDF vectors,
    /// title words counted twice), under the term statistics seen so far,
    /// without adding either article. Time plays no part.
    ///
    /// ```
    /// use corroborate_cluster::{ClusterConfig, ClusterDoc};
    /// let c = ClusterConfig::default().build();
    /// let doc = |title| ClusterDoc { title, body: "", time: None };
    /// let same = c.similarity(&doc("Ferry pier closed by storm"), &doc("Storm closes ferry pier"));
    /// let other = c.similarity(&doc("Ferry pier closed by storm"), &doc("Cup final sold out"));
    /// assert!(same > 0.5 && other == 0.0);
    /// ```
    pub fn similarity(&self, a: &ClusterDoc<'_>, b: &ClusterDoc<'_>) -> f64 {
        let (va, vb) = (self.weigh(a), self.weigh(b));
        let dot: f64 = va
            .iter()
            .filter_map(|(t, x)| vb.get(t).map(|y| x * y))
            .sum();
        dot.clamp(0.0, 1.0)
    }

    /// TF-IDF unit vector of `doc` by term, from the current statistics.
    fn weigh(&self, doc: &ClusterDoc<'_>) -> HashMap<String, f64> {
        let mut tf: HashMap<String, f64> = HashMap::new();
        for (term, w) in weighted_terms(doc) {
            *tf.entry(term).or_default() += w;
        }
        let n = f64::from(self.n_docs) + PRIOR_DOCS;
        let mut v: HashMap<String, f64> = tf
            .into_iter()
            .map(|(term, f)| {
                let df = self.vocab.get(&term).map_or(0, |&id| self.df[id as usize]);
                (term, tf_idf(f, df, n))
            })
            .collect();
        unit_length(&mut v);
        v
    }

    fn vectorize(&mut self, doc: &ClusterDoc<'_>) -> HashMap<u32, f64> {
        let mut tf: HashMap<u32, f64> = HashMap::new();
        for (term, w) in weighted_terms(doc) {
            let next = self.vocab.len() as u32;
            let id = *self.vocab.entry(term).or_insert(next);
            if id as usize == self.df.len() {
                self.df.push(0);
            }
            *tf.entry(id).or_default() += w;
        }
        // IDF from frequencies *before* this document, smoothed by the prior.
        let n = f64::from(self.n_docs) + PRIOR_DOCS;
        let mut v: HashMap<u32, f64> = tf
            .iter()
            .map(|(&id, &f)| (id, tf_idf(f, self.df[id as usize], n)))
            .collect();
        for &id in tf.keys() {
            self.df[id as usize] += 1;
        }
        self.n_docs += 1;
        unit_length(&mut v);
        v
    }

    fn time_factor(&self, story: &Story, t: Option<Timestamp>) -> f64 {
        let (Some(t), Some(first), Some(last)) = (t, story.first, story.last) else {
            return 1.0;
        };
        let gap = if t < first {
            (first - t).num_hours() as f64 / 24.0
        } else if t > last {
            (t - last).num_hours() as f64 / 24.0
        } else {
            0.0
        };
        let over = (gap - self.config.grace_days).max(0.0);
        (-over / self.config.decay_days).exp()
    }

    /// Adds one article and says which story it joined or founded.
    pub fn add(&mut self, doc: &ClusterDoc<'_>) -> Assignment {
        let v = self.vectorize(doc);
        let mut top: Vec<(u32, f64)> = v.iter().map(|(&k, &w)| (k, w)).collect();
        top.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        top.truncate(self.config.index_terms);

        let mut candidates: Vec<u32> = top
            .iter()
            .filter_map(|(term, _)| self.postings.get(term))
            .flatten()
            .copied()
            .collect();
        candidates.sort_unstable();
        candidates.dedup();

        let mut best: Option<(usize, f64)> = None;
        let mut best_text: Option<(usize, f64)> = None;
        let now = self.n_docs as usize;
        for &s in &candidates {
            let story = &self.stories[s as usize];
            if self
                .config
                .window
                .is_some_and(|w| now.saturating_sub(story.last_doc) > w)
            {
                continue;
            }
            let dot: f64 = v
                .iter()
                .map(|(k, w)| w * story.centroid.get(k).copied().unwrap_or(0.0))
                .sum();
            let cos = if story.norm > 0.0 {
                dot / story.norm
            } else {
                0.0
            };
            let score = cos * self.time_factor(story, doc.time);
            if best.is_none_or(|(_, b)| score > b) {
                best = Some((s as usize, score));
            }
            if best_text.is_none_or(|(_, b)| cos > b) {
                best_text = Some((s as usize, cos));
            }
        }
        let joined = best.filter(|(_, score)| *score >= self.config.join_threshold);
        let (story, score) = match joined {
            Some(j) => j,
            None => {
                self.stories.push(Story {
                    last_doc: 0,
                    centroid: HashMap::new(),
                    norm: 0.0,
                    first: None,
                    last: None,
                });
                (self.stories.len() - 1, 1.0)
            }
        };
        let related =
            best_text.filter(|(s, cos)| *s != story && *cos >= self.config.related_threshold);
        let st = &mut self.stories[story];
        st.last_doc = now;
        for (&k, &w) in &v {
            *st.centroid.entry(k).or_default() += w;
        }
        st.norm = st.centroid.values().map(|x| x * x).sum::<f64>().sqrt();
        if let Some(t) = doc.time {
            st.first = Some(st.first.map_or(t, |f| f.min(t)));
            st.last = Some(st.last.map_or(t, |l| l.max(t)));
        }
        for (term, _) in top {
            let list = self.postings.entry(term).or_default();
            if list.last() != Some(&(story as u32)) && !list.contains(&(story as u32)) {
                list.push(story as u32);
            }
        }
        Assignment {
            story,
            score,
            related,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    #[test]
    fn chinese_is_indexed_by_character_pairs() {
        let t: Vec<String> = tokens("北京大学 COVID疫苗").collect();
        assert_eq!(t, ["北京", "京大", "大学", "covid", "疫苗"]);
        // Two Chinese headlines on one event share terms; a different one does not.
        let c = ClusterConfig::default().build();
        let doc = |title| ClusterDoc {
            title,
            body: "",
            time: None,
        };
        let same = c.similarity(
            &doc("北京大学发布新冠疫苗研究"),
            &doc("新冠疫苗研究由北京大学发布"),
        );
        let other = c.similarity(&doc("北京大学发布新冠疫苗研究"), &doc("上海股市周一下跌"));
        assert!(same > 0.8 && other < 0.1, "{same} {other}");
    }

    fn day(d: u32) -> Option<Timestamp> {
        Some(chrono::Utc.with_ymd_and_hms(2024, 12, d, 12, 0, 0).unwrap())
    }

    #[test]
    fn same_subject_weeks_apart_is_a_related_story() {
        let mut c = ClusterConfig::default().build();
        let body = "Engineers inspected the Norhaven ferry pier damaged by the storm; the harbour master said ferries stay suspended.";
        let a = c.add(&ClusterDoc {
            title: "Norhaven ferry pier damaged",
            body,
            time: day(2),
        });
        let b = c.add(&ClusterDoc {
            title: "Norhaven ferry pier damaged by storm",
            body,
            time: day(3),
        });
        let later = c.add(&ClusterDoc {
            title: "Norhaven ferry pier damaged again",
            body,
            time: day(25),
        });
        assert_eq!(a.story, b.story);
        assert_ne!(later.story, a.story);
        assert_eq!(later.related.map(|r| r.0), Some(a.story));
    }

    #[test]
    fn a_window_limits_candidates_to_recent_stories() {
        let run = |window: Option<usize>| {
            let mut c = ClusterConfig {
                window,
                ..ClusterConfig::default()
            }
            .build();
            let first = c
                .add(&ClusterDoc {
                    title: "Norhaven ferry pier damaged",
                    body: "storm ferry pier harbour",
                    time: None,
                })
                .story;
            for i in 0..5 {
                let t = format!("unrelated topic {i} football cup final tickets {i}");
                c.add(&ClusterDoc {
                    title: &t,
                    body: &t,
                    time: None,
                });
            }
            let again = c
                .add(&ClusterDoc {
                    title: "Norhaven ferry pier damaged",
                    body: "storm ferry pier harbour",
                    time: None,
                })
                .story;
            first == again
        };
        assert!(run(None), "without a window the old story is found");
        assert!(!run(Some(3)), "with a window of 3 it is out of reach");
    }

    proptest! {
        /// Every article lands in exactly one story, indexes are dense, and the
        /// result is the same when the same stream is replayed.
        #[test]
        fn partition_and_determinism(docs in proptest::collection::vec(("[a-f]{2,6}( [a-f]{2,6}){0,6}", "[a-f]{2,6}( [a-f]{2,6}){0,20}"), 1..25)) {
            let run = || {
                let mut c = ClusterConfig::default().build();
                docs.iter().map(|(t, b)| c.add(&ClusterDoc { title: t, body: b, time: None }).story).collect::<Vec<_>>()
            };
            let first = run();
            prop_assert_eq!(&first, &run());
            let max = *first.iter().max().unwrap();
            for s in 0..=max { prop_assert!(first.contains(&s)); }
        }
    }
}
