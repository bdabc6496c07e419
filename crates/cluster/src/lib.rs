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
//! Score = cosine(article, centroid) × time factor × size factor, where the
//! time factor is 1 within [`ClusterConfig::grace_days`] of the story and
//! decays exponentially after, and the size factor is the story's size to
//! the power [`ClusterConfig::size_prior`] (a close call goes to the larger
//! story, as in a Dirichlet-multinomial mixture). An article whose best text match fails only because
//! of time founds a new story *related* to the old one: the same subject, a
//! different event.
//!
//! Stories merge online: when an article could join two stories and their
//! centroids are themselves similar ([`ClusterConfig::merge_threshold`]),
//! the younger story is folded into the older one and the [`Merge`] says
//! why. Stories also split online: each time its size grows by half (up to
//! 1,024 articles) a story is divided in two by a two-means over its members'
//! heaviest terms, and when the two groups are unlike each other
//! ([`ClusterConfig::split_threshold`]) the group without its first article
//! becomes a new story and the [`Split`] says why. For undated articles,
//! whose only clock is their arrival order, two groups that arrived one
//! after the other (the two-means groups, or the members cut at a point in
//! their arrival order) are two events unless they are nearly as alike as
//! two stories that would merge ([`ClusterConfig::sequence_split_threshold`]).
//! Two stories a split divided never merge again. Both are decided on the
//! evidence seen so far, so the clustering stays online and deterministic;
//! [`OnlineClusterer::story_of_doc`] gives each article's story after them.
//!
//! Cost per article is bounded whatever the length of the stream: each
//! term's postings keep the [`ClusterConfig::max_postings`] most recent
//! stories, only the [`ClusterConfig::max_candidates`] stories sharing the
//! most index terms are scored in full, and a story's centroid keeps its
//! [`ClusterConfig::centroid_terms`] heaviest terms.
//!
//! ```
//! use corroborate_cluster::{ClusterConfig, ClusterDoc};
//!
//! let mut c = ClusterConfig::default().build();
//! let a = c.add(&ClusterDoc { title: "Storm closes ferry pier in Norhaven", body: "The storm damaged the ferry pier in Norhaven harbour.", time: None, lang: None });
//! let b = c.add(&ClusterDoc { title: "Norhaven ferry pier shut after storm", body: "Ferry services from Norhaven harbour stopped after storm damage to the pier.", time: None, lang: None });
//! let z = c.add(&ClusterDoc { title: "Cup final tickets sold out", body: "Football fans bought every ticket for the cup final within an hour.", time: None, lang: None });
//! assert_eq!(a.story, b.story);
//! assert_ne!(a.story, z.story);
//! ```
#![deny(missing_docs)]

#[cfg(test)]
extern crate self as corroborate_cluster;
#[cfg(test)]
mod doc_examples;
mod index;
mod merge;
mod split;
mod story;
mod terms;
mod vectors;

use corroborate_model::{is_cjk, Timestamp};
use rustc_hash::FxHashMap as HashMap;
use story::*;
pub use terms::tokens;
use terms::*;

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
    /// Two stories an article could join merge when their centroids'
    /// cosine reaches this (above 1: never).
    pub merge_threshold: f64,
    /// Stories kept per term in the inverted index (the most recent).
    pub max_postings: usize,
    /// Stories scored in full per article (those sharing most index terms).
    pub max_candidates: usize,
    /// Terms kept in a story's centroid (the heaviest).
    pub centroid_terms: usize,
    /// Exponent of a story's size in its score (0: size plays no part):
    /// an article's score against a story of `n` articles is its cosine
    /// times the time decay times `n^size_prior`.
    pub size_prior: f64,
    /// A story splits in two when its members fall into two groups whose
    /// centroids' cosine (times the time decay between the groups' spans)
    /// is below this (0: never). Below `merge_threshold`, so that what
    /// was split is not merged again by the next article.
    pub split_threshold: f64,
    /// For undated articles: two groups of a story that came one after the
    /// other (nine in ten of their cross pairs in arrival order, each group
    /// of 16 articles or more) split when their centroids' cosine is below
    /// this, or below `split_threshold` if that is higher (0 leaves them
    /// to `split_threshold`). Arrival order is the only clock such a
    /// stream has, as `window` is its only recency.
    pub sequence_split_threshold: f64,
    /// Fewest articles in each group of a split; a story is examined when
    /// its size reaches twice this, then each time it grows by half, up to
    /// 1,024 articles.
    pub split_min: usize,
    /// Heaviest terms of each article kept to re-divide a story (its
    /// vector beyond them is not kept: memory per article stays bounded).
    pub member_terms: usize,
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
            merge_threshold: 0.5,
            max_postings: 64,
            max_candidates: 8,
            centroid_terms: 400,
            size_prior: 0.2,
            split_threshold: 0.15,
            sequence_split_threshold: 0.5,
            split_min: 4,
            member_terms: 48,
        }
    }
}

/// Which defaults fit a stream: full articles, or short texts (headlines,
/// titles, posts). Short texts share few words even within one story, so
/// two of their stories' centroids are less alike than two article
/// stories' of the same event ([`ClusterConfig::short_texts`] merges at a
/// lower cosine); and a feed of them rarely carries times, so recency is
/// their arrival order (a window of the last 2,000 records).
///
/// `corroborate cluster` chooses by [`Profile::of_lengths`] over its first
/// records unless told; `analyze` clusters articles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    /// Articles with a body: [`ClusterConfig::default`].
    Articles,
    /// Headlines, titles, posts: [`ClusterConfig::short_texts`].
    ShortTexts,
}

impl Profile {
    /// Records sampled to choose a profile.
    pub const SAMPLE: usize = 200;
    /// A stream whose median record has fewer words than this is short
    /// texts. Set from what the two kinds are (a headline or a post has
    /// 5-30 words, a news article's body hundreds), not searched.
    pub const SHORT_MEDIAN_WORDS: usize = 40;

    /// The profile of records with these word counts (their median);
    /// articles when there are none.
    pub fn of_lengths(mut words: Vec<usize>) -> Profile {
        if words.is_empty() {
            return Profile::Articles;
        }
        let mid = words.len() / 2;
        let (_, median, _) = words.select_nth_unstable(mid);
        if *median < Self::SHORT_MEDIAN_WORDS {
            Profile::ShortTexts
        } else {
            Profile::Articles
        }
    }

    /// The clustering defaults of this profile.
    pub fn config(self) -> ClusterConfig {
        match self {
            Profile::Articles => ClusterConfig::default(),
            Profile::ShortTexts => ClusterConfig::short_texts(),
        }
    }

    /// The profile's name as the CLI spells it.
    pub fn name(self) -> &'static str {
        match self {
            Profile::Articles => "articles",
            Profile::ShortTexts => "short-texts",
        }
    }
}

/// Single settings given by a user over a profile's defaults (the flags
/// of `corroborate cluster` and of `cargo xtask bench-cluster`).
#[derive(Debug, Clone, Copy, Default)]
pub struct Overrides {
    /// [`ClusterConfig::join_threshold`].
    pub join_threshold: Option<f64>,
    /// [`ClusterConfig::window`]; 0: no window.
    pub window: Option<usize>,
    /// [`ClusterConfig::merge_threshold`].
    pub merge_threshold: Option<f64>,
    /// [`ClusterConfig::size_prior`].
    pub size_prior: Option<f64>,
    /// [`ClusterConfig::split_threshold`].
    pub split_threshold: Option<f64>,
    /// [`ClusterConfig::sequence_split_threshold`].
    pub sequence_split_threshold: Option<f64>,
}

impl Overrides {
    /// `config` with every setting given here replaced.
    pub fn apply(&self, mut config: ClusterConfig) -> ClusterConfig {
        let set = |flag: Option<f64>, value: &mut f64| *value = flag.unwrap_or(*value);
        set(self.join_threshold, &mut config.join_threshold);
        set(self.merge_threshold, &mut config.merge_threshold);
        set(self.size_prior, &mut config.size_prior);
        set(self.split_threshold, &mut config.split_threshold);
        set(
            self.sequence_split_threshold,
            &mut config.sequence_split_threshold,
        );
        if let Some(w) = self.window {
            config.window = Some(w).filter(|w| *w > 0);
        }
        config
    }
}

impl ClusterConfig {
    /// Defaults for short texts (see [`Profile`]): stories merge at a
    /// centroid cosine of 0.25 instead of 0.5, and only stories that took
    /// one of the last 2,000 records are candidates. Chosen on MStream's
    /// News order and applied unchanged to its News-T stream
    /// (BENCHMARKS.md).
    pub fn short_texts() -> Self {
        ClusterConfig {
            window: Some(2000),
            merge_threshold: 0.25,
            ..ClusterConfig::default()
        }
    }

    /// Builds the runtime clusterer.
    pub fn build(self) -> OnlineClusterer {
        OnlineClusterer {
            config: self,
            vocab: HashMap::default(),
            df: Vec::new(),
            stemmed: vec![(0, 0); STEMMED_SLOTS],
            n_docs: 0,
            stories: Vec::new(),
            parent: Vec::new(),
            apart: Vec::new(),
            postings: HashMap::default(),
            docs: Vec::new(),
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
    /// ISO 639-1 language code, when known: it picks the stemmer, and two
    /// texts in different languages are compared by their names and
    /// numbers only (see [`OnlineClusterer::similarity`]).
    pub lang: Option<&'a str>,
}

/// Where an article went.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    /// Story index (0-based, in order of creation).
    pub story: usize,
    /// Score against that story (1.0 for a new story): the text cosine
    /// times the time decay times the size factor
    /// ([`ClusterConfig::size_prior`]), so above 1 for a large story.
    pub score: f64,
    /// A different story this one is related to, with the text similarity.
    pub related: Option<(usize, f64)>,
    /// A story folded into [`Assignment::story`] because of this article.
    pub merged: Option<Merge>,
    /// The story this article joined, divided in two once it arrived.
    pub split: Option<Split>,
}

/// A story found to be two, decided online when an article arrived: its
/// members had fallen into two groups unlike each other.
#[derive(Debug, Clone, PartialEq)]
pub struct Split {
    /// The story divided; it keeps the group holding its first article.
    pub from: usize,
    /// The new story holding the other group.
    pub new: usize,
    /// Arrival numbers of the articles moved to `new` (the order of
    /// [`OnlineClusterer::add`] calls, from 0), ascending.
    pub moved: Vec<usize>,
    /// Why, in words, e.g. "its 12 articles form two groups (8 and 4)
    /// whose centroids have cosine 0.04".
    pub reason: String,
}

/// Two stories found to be one, decided online when an article arrived.
#[derive(Debug, Clone, PartialEq)]
pub struct Merge {
    /// The younger story, now part of `into`.
    pub absorbed: usize,
    /// The older story, which keeps its index.
    pub into: usize,
    /// What the arriving article showed, in words, e.g. "fits both stories
    /// (scores 0.31 and 0.27) and their centroids have cosine 0.62".
    pub reason: String,
}

struct Story {
    /// Arrival number of its latest article.
    last_doc: usize,
    /// Articles in it, merged stories' included.
    size: u32,
    /// Arrival numbers of its articles, merged stories' included.
    members: Vec<u32>,
    /// Size at which it is next examined for a split.
    next_split_check: u32,
    centroid: HashMap<u32, f64>,
    norm: f64,
    /// Squared length of the centroid's name and number terms alone.
    name_norm2: f64,
    /// Languages of its members (empty when none was known).
    langs: Vec<Box<str>>,
    first: Option<Timestamp>,
    last: Option<Timestamp>,
}

/// The online clusterer. Deterministic for the same input order.
pub struct OnlineClusterer {
    config: ClusterConfig,
    /// Term key ([`term_key`]) → term id.
    vocab: HashMap<u64, u32>,
    df: Vec<u32>,
    /// Term ids of words lately stemmed, by [`Term::stem_slot`]: stemming
    /// costs more than the rest of a word's handling, and news vocabularies
    /// repeat. A direct-mapped cache of [`STEMMED_SLOTS`] cells (a word
    /// takes the cell its slot's low bits name, evicting the one there):
    /// 1 MiB, small enough to stay in the processor's cache, where a hash
    /// map of every word seen would not.
    stemmed: Vec<(u64, u32)>,
    n_docs: u32,
    stories: Vec<Story>,
    /// Union-find over story indexes: a merged story points to its survivor.
    parent: Vec<u32>,
    /// Stories a split divided: (the story split, the one it gave), never
    /// merged again.
    apart: Vec<(u32, u32)>,
    postings: HashMap<u32, Vec<u32>>,
    /// Per article, by arrival number.
    docs: Vec<DocEntry>,
}

/// What the clusterer keeps of each article after placing it.
struct DocEntry {
    /// Its story when placed, or after a split moved it (merges apply
    /// through [`OnlineClusterer::resolve`]).
    story: u32,
    time: Option<Timestamp>,
    /// Its heaviest terms ([`ClusterConfig::member_terms`]), by term id.
    terms: Box<[(u32, f32)]>,
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

    /// The story `story` now belongs to, after the merges so far (itself
    /// when it was never merged).
    pub fn resolve(&self, mut story: usize) -> usize {
        while let Some(&p) = self.parent.get(story) {
            if p as usize == story {
                break;
            }
            story = p as usize;
        }
        story
    }

    /// Adds one article and says which story it joined or founded.
    pub fn add(&mut self, doc: &ClusterDoc<'_>) -> Assignment {
        let v = self.vectorize(doc);
        let (kept, top) = self.kept_terms(&v);
        // (story, score with time, text cosine), in story order.
        let now = self.n_docs as usize;
        let scored = self.score(&v, &top, doc, now);
        let pick = |key: fn(&(usize, f64, f64)) -> f64, skip: Option<usize>| {
            scored.iter().filter(|c| Some(c.0) != skip).fold(
                None::<(usize, f64, f64)>,
                |best, c| match best {
                    Some(b) if key(&b) >= key(c) => Some(b),
                    _ => Some(*c),
                },
            )
        };
        let threshold = self.config.join_threshold;
        let best = pick(|c| c.1, None).filter(|c| c.1 >= threshold);
        let best_text = pick(|c| c.2, None);
        let runner_up = best.and_then(|b| pick(|c| c.1, Some(b.0)).filter(|c| c.1 >= threshold));

        let (mut story, score) = match best {
            Some((s, score, _)) => (s, score),
            None => (self.new_story(), 1.0),
        };
        self.absorb(story, &v, doc, now);
        let mut merged = None;
        if let (Some(a), Some(b)) = (best, runner_up) {
            merged = self.maybe_merge(a, b);
            if let Some(m) = &merged {
                story = m.into;
            }
        }
        let related = best_text
            .map(|(s, _, cos)| (self.resolve(s), cos))
            .filter(|(s, cos)| *s != story && *cos >= self.config.related_threshold);
        self.post(story, &top);
        self.docs.push(DocEntry {
            story: story as u32,
            time: doc.time,
            terms: kept.into(),
        });
        let split = self.maybe_split(story);
        Assignment {
            story: self.story_of_doc(self.docs.len() - 1),
            score,
            related,
            merged,
            split,
        }
    }

    /// An article's heaviest terms: those kept with it (by term id) and
    /// those it is indexed under (heaviest first).
    fn kept_terms(&self, v: &[(u32, f64)]) -> (Vec<(u32, f32)>, Terms) {
        let mut ranked: Vec<(u32, f64)> = v.to_vec();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut kept: Vec<(u32, f32)> = ranked
            .iter()
            .take(self.config.member_terms)
            .map(|&(k, w)| (k, w as f32))
            .collect();
        kept.sort_unstable_by_key(|t| t.0);
        ranked.truncate(self.config.index_terms);
        (kept, ranked)
    }

    /// The candidate stories an article's index terms reach, within the
    /// window: (story, score with time and size, text cosine).
    fn score(
        &self,
        v: &[(u32, f64)],
        top: &[(u32, f64)],
        doc: &ClusterDoc<'_>,
        now: usize,
    ) -> Vec<(usize, f64, f64)> {
        let mut scored = Vec::new();
        for s in self.candidates(top) {
            let story = &self.stories[s as usize];
            let stale = self
                .config
                .window
                .is_some_and(|w| now.saturating_sub(story.last_doc) > w);
            if stale {
                continue;
            }
            let cos = text_cosine(story, v, doc.lang);
            let score = cos * self.time_factor(story, doc.time) * self.size_factor(story);
            scored.push((s as usize, score, cos));
        }
        scored
    }

    /// A new, empty story's index.
    fn new_story(&mut self) -> usize {
        self.stories.push(Story {
            last_doc: 0,
            size: 0,
            members: Vec::new(),
            next_split_check: 2 * self.config.split_min.max(1) as u32,
            centroid: HashMap::default(),
            norm: 0.0,
            name_norm2: 0.0,
            langs: Vec::new(),
            first: None,
            last: None,
        });
        self.parent.push((self.stories.len() - 1) as u32);
        self.stories.len() - 1
    }

    /// Merges the two stories an article fits best (`(story, score, _)`)
    /// when their centroids are alike enough. Two events on one subject
    /// days apart stay two stories (linked as related), however alike
    /// their words: the gap between their dates weighs the centroids'
    /// cosine as it weighs an article's; two stories split apart stay so.
    fn maybe_merge(
        &mut self,
        (a, sa, _): (usize, f64, f64),
        (b, sb, _): (usize, f64, f64),
    ) -> Option<Merge> {
        let centroids = self.cosine(a, b);
        let (x, y) = (&self.stories[a], &self.stories[b]);
        let gap = gap_days((x.first, x.last), (y.first, y.last));
        let (ra, rb) = (self.resolve(a), self.resolve(b));
        let split_apart = self.apart.iter().any(|&(x, y)| {
            let (x, y) = (self.resolve(x as usize), self.resolve(y as usize));
            (x, y) == (ra, rb) || (x, y) == (rb, ra)
        });
        if split_apart || centroids * self.decay(gap) < self.config.merge_threshold {
            return None;
        }
        let (into, absorbed) = (a.min(b), a.max(b));
        self.merge(absorbed, into);
        let apart = if gap > 0.0 {
            format!(", {gap:.1} days apart")
        } else {
            String::new()
        };
        Some(Merge {
            absorbed,
            into,
            reason: format!(
                "fits both stories (scores {sa:.2} and {sb:.2}) and their centroids have cosine {centroids:.2}{apart}"
            ),
        })
    }

    /// The story of the `doc`-th article added (from 0, in the order of
    /// [`OnlineClusterer::add`] calls) after every merge and split so far.
    ///
    /// # Panics
    /// If fewer articles were added.
    pub fn story_of_doc(&self, doc: usize) -> usize {
        self.resolve(self.docs[doc].story as usize)
    }
}
#[cfg(test)]
mod tests;

/// An article's cosine with a story's centroid; with no language in
/// common, over names and numbers alone.
fn text_cosine(story: &Story, v: &[(u32, f64)], lang: Option<&str>) -> f64 {
    if story.foreign(lang) {
        let (mut dot, mut norm2) = (0.0, 0.0);
        for (k, w) in v.iter().filter(|(k, _)| is_name(*k)) {
            dot += w * story.centroid.get(k).copied().unwrap_or(0.0);
            norm2 += w * w;
        }
        let norms = (norm2 * story.name_norm2).sqrt();
        if norms > 0.0 {
            dot / norms
        } else {
            0.0
        }
    } else {
        let dot: f64 = v
            .iter()
            .map(|(k, w)| w * story.centroid.get(k).copied().unwrap_or(0.0))
            .sum();
        if story.norm > 0.0 {
            dot / story.norm
        } else {
            0.0
        }
    }
}

/// Weighted terms (term id, weight).
type Terms = Vec<(u32, f64)>;
