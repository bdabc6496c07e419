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
use corroborate_model::{is_cjk, Timestamp};
use rustc_hash::FxHashMap as HashMap;

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

/// Share of cross-group pairs in arrival order from which two groups of
/// undated articles count as one after the other ([`in_sequence`]).
const SEQUENCE_MIN: f64 = 0.9;

/// Fewest articles in each group for their order to count: with 16 and
/// 16 in random order, nine pairs in ten in order is four standard
/// deviations from chance.
const SEQUENCE_GROUP_MIN: usize = 16;

/// How far two groups of articles came one after the other, from their
/// members' groups in arrival order (`true`: the second group): the share
/// of (first group, second group) pairs in arrival order (the
/// Mann-Whitney statistic), folded so that 1 is "wholly one after the
/// other" and 0.5 "interleaved".
fn in_sequence(by_arrival: impl Iterator<Item = bool>) -> f64 {
    let (mut na, mut nb, mut pairs) = (0u64, 0u64, 0u64);
    for b in by_arrival {
        if b {
            nb += 1;
            pairs += na;
        } else {
            na += 1;
        }
    }
    let u = pairs as f64 / (na * nb).max(1) as f64;
    u.max(1.0 - u)
}

impl ClusterConfig {
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

/// Stop words by their [`term_key`]: a word is checked with the key it
/// needs anyway, without hashing its text a second time.
type StopSet = rustc_hash::FxHashSet<u64>;

/// [`STOP`] as a set: a token is checked in one lookup, not a scan.
fn stop_words() -> &'static StopSet {
    static SET: std::sync::OnceLock<StopSet> = std::sync::OnceLock::new();
    SET.get_or_init(|| STOP.iter().map(|w| term_key(w)).collect())
}

/// The stop words of a language (ISO 639-1): [`STOP`] (English words turn
/// up in every language's news) with the language's list from the
/// stop-words crate, which takes NLTK's list where NLTK has one (shorter
/// and more careful) and stopwords-iso's otherwise (Polish, Czech, ...).
/// Without them a German or Spanish text's articles and conjunctions would
/// weigh as much as its content words, and any two texts of the language
/// would look alike.
fn stop_words_of(lang: Option<&str>) -> &'static StopSet {
    static SETS: std::sync::OnceLock<HashMap<&'static str, StopSet>> = std::sync::OnceLock::new();
    let Some(lang) = lang else {
        return stop_words();
    };
    let sets = SETS.get_or_init(|| {
        stop_words::available_languages()
            .iter()
            .map(|&code| {
                let mut set = stop_words().clone();
                set.extend(
                    stop_words::lookup(code)
                        .into_iter()
                        .flatten()
                        .map(|w| term_key(w)),
                );
                (code, set)
            })
            .collect()
    });
    sets.get(lang.to_ascii_lowercase().as_str())
        .unwrap_or_else(|| stop_words())
}

/// Lower-cased content words: letters and digits, stop words removed,
/// a light plural fold (`soldiers` → `soldier`). Chinese and Japanese
/// script, written without spaces, becomes overlapping character pairs
/// ("北京大学" → "北京", "京大", "大学"), the usual unit for indexing it.
/// These are the terms of a text whose language is not known; a known
/// language's words are stemmed instead (see [`ClusterDoc::lang`]).
pub fn tokens(text: &str) -> impl Iterator<Item = String> + '_ {
    let mut out = Vec::new();
    each_token(text, stop_words(), &mut |_, _| {}, &mut |t, _| {
        out.push(plural_fold(t).to_string());
        true
    });
    out.into_iter()
}

/// `soldiers` → `soldier`: the fold for text of unknown language.
fn plural_fold(w: &str) -> &str {
    if w.len() > 4 && w.ends_with('s') && !w.ends_with("ss") {
        &w[..w.len() - 1]
    } else {
        w
    }
}

/// Calls `f` with each lower-cased word of `text` that is not a stop word
/// (CJK runs as character pairs) and its [`term_key`], without allocating
/// for the common (ASCII, lower-case) word, and `raw` with each word as
/// written, before its tokens, with whether it is a stop word (always
/// false for a CJK run); stops when `f` returns false.
fn each_token(
    text: &str,
    stops: &StopSet,
    raw: &mut impl FnMut(&str, bool),
    f: &mut impl FnMut(&str, u64) -> bool,
) {
    let mut buf = String::new();
    for w in text.split(|c: char| !c.is_alphanumeric()) {
        if w.is_empty() {
            continue;
        }
        let go_on = if w.chars().any(is_cjk) {
            raw(w, false);
            cjk_pairs(w).iter().all(|p| {
                let lower = lowered(p, &mut buf);
                let key = term_key(lower);
                p.chars().nth(1).is_none() || stops.contains(&key) || f(lower, key)
            })
        } else {
            let lower = lowered(w, &mut buf);
            let key = term_key(lower);
            let stop = stops.contains(&key);
            raw(w, stop);
            // A single character is no term.
            stop || w.chars().nth(1).is_none() || f(lower, key)
        };
        if !go_on {
            return;
        }
    }
}

/// `w` lower-cased: itself when it already is (the common ASCII word),
/// else written into `buf`.
fn lowered<'a>(w: &'a str, buf: &'a mut String) -> &'a str {
    if w.bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    {
        w
    } else {
        buf.clear();
        buf.extend(w.chars().flat_map(char::to_lowercase));
        buf
    }
}

/// How a language's words become terms.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Fold {
    /// Unknown language: [`plural_fold`].
    Plural,
    /// A Snowball stemmer (rust-stemmers), by index in [`STEMMED`].
    Stem(u8),
    /// A language with no stemmer here (Polish, Czech, Croatian, ...):
    /// the first [`PREFIX_CHARS`] characters, the truncation stemmer that
    /// retrieval work on inflected languages has long used as a fallback.
    Prefix,
}

/// Characters kept by the [`Fold::Prefix`] truncation, and of a name term.
const PREFIX_CHARS: usize = 5;

/// Languages with a Snowball stemmer in rust-stemmers.
const STEMMED: &[(&str, rust_stemmers::Algorithm)] = {
    use rust_stemmers::Algorithm::*;
    &[
        ("ar", Arabic),
        ("da", Danish),
        ("nl", Dutch),
        ("en", English),
        ("fi", Finnish),
        ("fr", French),
        ("de", German),
        ("el", Greek),
        ("hu", Hungarian),
        ("it", Italian),
        ("no", Norwegian),
        ("nb", Norwegian),
        ("pt", Portuguese),
        ("ro", Romanian),
        ("ru", Russian),
        ("es", Spanish),
        ("sv", Swedish),
        ("ta", Tamil),
        ("tr", Turkish),
    ]
};

impl Fold {
    fn of(lang: Option<&str>) -> Fold {
        match lang {
            None => Fold::Plural,
            Some(l) => STEMMED
                .iter()
                .position(|(code, _)| code.eq_ignore_ascii_case(l))
                .map_or(Fold::Prefix, |i| Fold::Stem(i as u8)),
        }
    }

    /// The term of a lower-cased word whose own key is `key`.
    fn term(self, w: &str, key: u64) -> Term<'_> {
        match self {
            Fold::Plural => {
                let folded = plural_fold(w);
                Term::Key(if folded.len() == w.len() {
                    key
                } else {
                    term_key(folded)
                })
            }
            Fold::Prefix => Term::Key(match w.char_indices().nth(PREFIX_CHARS) {
                Some((end, _)) => term_key(&w[..end]),
                None => key,
            }),
            Fold::Stem(stemmer) => Term::Stem {
                stemmer,
                word: w,
                key,
            },
        }
    }
}

/// A term as the tokenizer hands it over: its key, or a word still to be
/// stemmed (left to the caller, which may know the word already).
#[derive(Debug, Clone, Copy)]
enum Term<'a> {
    /// A word's term key.
    Key(u64),
    /// A language-neutral name's key ([`name_key`]).
    Name(u64),
    /// A word of a language with a stemmer, and the word's own key.
    Stem {
        stemmer: u8,
        word: &'a str,
        key: u64,
    },
}

impl Term<'_> {
    /// The term key, stemming when needed.
    fn key(self) -> u64 {
        match self {
            Term::Key(k) | Term::Name(k) => k,
            Term::Stem { stemmer, word, .. } => stem_key(stemmer, word),
        }
    }

    /// For a word to stem, one u64 for (stemmer, word): the word's key
    /// moved by the stemmer.
    fn stem_slot(self) -> Option<u64> {
        match self {
            Term::Stem { stemmer, key, .. } => Some(key.rotate_left(u32::from(stemmer) + 1)),
            _ => None,
        }
    }
}

/// Seedings of the two-means a split check tries.
const SPLIT_SEEDS: usize = 4;

/// Largest story examined for a split (checks come each time a story's
/// size grows by half, up to this; their cost is in proportion to the
/// size).
const SPLIT_MAX_SIZE: u32 = 1024;

/// Cells of a clusterer's cache of stemmed words (a power of two).
const STEMMED_SLOTS: usize = 1 << 16;

/// The term key of a word's Snowball stem (rust-stemmers).
fn stem_key(stemmer: u8, w: &str) -> u64 {
    static STEMMERS: std::sync::OnceLock<Vec<rust_stemmers::Stemmer>> = std::sync::OnceLock::new();
    let all = STEMMERS.get_or_init(|| {
        STEMMED
            .iter()
            .map(|(_, a)| rust_stemmers::Stemmer::create(*a))
            .collect()
    });
    if w.chars().any(is_cjk) {
        term_key(w)
    } else {
        term_key(&all[stemmer as usize].stem(w))
    }
}

/// The language-neutral form of a name or number, if `w` (one word as
/// written) is one: capitalised words and numbers, transliterated to
/// ASCII (deunicode), lower-cased and cut to [`PREFIX_CHARS`] characters,
/// so that "Zelensky" and "Зеленский" share a term, and so do "Ukraine"
/// and "Ukrainy". These terms are what two articles in different languages
/// can have in common; CJK text has no capitals and contributes numbers
/// and Latin-script names only. The caller leaves out capitalised stop
/// words.
fn name_key(w: &str) -> Option<u64> {
    let first = w.chars().next()?;
    if first.is_ascii_digit() {
        // A number, whole ("11000" and "110000" stay apart); "19th", "5G"
        // and "2020年" are words.
        return w
            .bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| term_key(w) ^ NAME_SPACE);
    }
    if !first.is_uppercase() || w.chars().any(is_cjk) {
        return None;
    }
    let mut buf = [0u8; PREFIX_CHARS];
    let mut len = 0;
    let mut keep = |c: char| {
        if c.is_ascii_alphanumeric() && len < PREFIX_CHARS {
            buf[len] = c.to_ascii_lowercase() as u8;
            len += 1;
        }
    };
    if w.is_ascii() {
        w.chars().for_each(&mut keep);
    } else {
        deunicode::deunicode(w).chars().for_each(&mut keep);
    }
    let name = std::str::from_utf8(&buf[..len]).ok()?;
    if len < 3 {
        return None;
    }
    // A namespace of its own: "paris" the name never meets "paris" the
    // stemmed word of some language.
    Some(term_key(name) ^ NAME_SPACE)
}

const NAME_SPACE: u64 = 0x9e37_79b9_7f4a_7c15;

/// Calls `f` with the terms of an article in reading order and their
/// weight: title words count twice, and only the first 600 body words
/// count; then its names ([`name_key`]).
fn each_weighted_term(doc: &ClusterDoc<'_>, f: &mut impl FnMut(Term<'_>, f64)) {
    let (fold, stops) = (Fold::of(doc.lang), stop_words_of(doc.lang));
    for (text, weight, mut left) in [(doc.title, 2.0, usize::MAX), (doc.body, 1.0, 600)] {
        // One pass: a raw word that is a name or a number becomes a name
        // term, any other the words it folds to.
        let mut names: Vec<u64> = Vec::new();
        let is_name = std::cell::Cell::new(false);
        each_token(
            text,
            stops,
            &mut |raw, stop| {
                // A capitalised stop word ("Der", "The" opening a sentence)
                // is no name; a number is one, even in a list of stop words.
                let number = raw.as_bytes()[0].is_ascii_digit();
                let name = if stop && !number { None } else { name_key(raw) };
                // A number is its name term alone; a capitalised word is
                // its name and its word.
                is_name.set(name.is_some() && number);
                names.extend(name);
            },
            &mut |t, key| {
                if is_name.get() {
                    return true;
                }
                f(fold.term(t, key), weight);
                left -= 1;
                left > 0
            },
        );
        for k in names {
            f(Term::Name(k), weight);
        }
    }
}

/// A term's key in the vocabulary: a 64-bit hash (FNV-1a, then an
/// avalanche), so the vocabulary holds no strings; a collision between two
/// of a stream's terms is a 1-in-10⁸ event at a million terms.
fn term_key(term: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in term.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h ^= h >> 30;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^= h >> 27;
    h = h.wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

/// Log-scaled term frequency times smoothed IDF (`n` counts the prior).
fn tf_idf(f: f64, df: u32, n: f64) -> f64 {
    (1.0 + f.ln()) * (n / (f64::from(df) + 1.0)).ln()
}

/// Scales the weights to unit length (a map's values or a vector's).
fn unit_length<'a>(weights: impl IntoIterator<Item = &'a mut f64>) {
    let mut xs: Vec<&mut f64> = weights.into_iter().collect();
    let norm = xs.iter().map(|x| **x * **x).sum::<f64>().sqrt();
    if norm > 0.0 {
        xs.iter_mut().for_each(|x| **x /= norm);
    }
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

    /// The text similarity clustering uses, under the term statistics seen
    /// so far, without adding either article; time plays no part. It is
    /// the cosine of the two TF-IDF vectors (title words counted twice,
    /// names and numbers also as language-neutral terms) when the texts
    /// share a language or either language is unknown, and the cosine of
    /// their name and number terms alone when their languages differ:
    /// words of two languages cannot match, and counting them would put
    /// every cross-language pair far below any same-language one.
    ///
    /// ```
    /// use corroborate_cluster::{ClusterConfig, ClusterDoc};
    /// let c = ClusterConfig::default().build();
    /// let doc = |title, lang| ClusterDoc { title, body: "", time: None, lang };
    /// let same = c.similarity(&doc("Ferry pier closed by storm", None), &doc("Storm closes ferry pier", None));
    /// let other = c.similarity(&doc("Ferry pier closed by storm", None), &doc("Cup final sold out", None));
    /// assert!(same > 0.5 && other == 0.0);
    /// let en = doc("Storm closes Norhaven ferry pier for 3 days", Some("en"));
    /// let de = doc("Sturm schließt den Fähranleger von Norhaven für 3 Tage", Some("de"));
    /// assert!(c.similarity(&en, &de) > 0.5);
    /// ```
    pub fn similarity(&self, a: &ClusterDoc<'_>, b: &ClusterDoc<'_>) -> f64 {
        let names_only = no_language_in_common(a.lang, b.lang);
        let (va, vb) = (self.weigh(a, names_only), self.weigh(b, names_only));
        let dot: f64 = va
            .iter()
            .filter_map(|(t, x)| vb.get(t).map(|y| x * y))
            .sum();
        dot.clamp(0.0, 1.0)
    }

    /// TF-IDF unit vector of `doc` by term, from the current statistics
    /// (of its name terms alone with `names_only`).
    fn weigh(&self, doc: &ClusterDoc<'_>, names_only: bool) -> HashMap<u64, f64> {
        let mut tf: HashMap<u64, f64> = HashMap::default();
        each_weighted_term(doc, &mut |term, w| {
            if !names_only || matches!(term, Term::Name(_)) {
                *tf.entry(term.key()).or_default() += w;
            }
        });
        let n = f64::from(self.n_docs) + PRIOR_DOCS;
        let mut v: HashMap<u64, f64> = tf
            .into_iter()
            .map(|(term, f)| {
                let df = self.vocab.get(&term).map_or(0, |&id| self.df[slot(id)]);
                (term, tf_idf(f, df, n))
            })
            .collect();
        unit_length(v.values_mut());
        v
    }

    /// The article's TF-IDF unit vector, sorted by term id; learns its
    /// document frequencies.
    fn vectorize(&mut self, doc: &ClusterDoc<'_>) -> Vec<(u32, f64)> {
        let mut tf: HashMap<u32, f64> = HashMap::default();
        let (vocab, df, stemmed) = (&mut self.vocab, &mut self.df, &mut self.stemmed);
        let mut intern = |key: u64, name: bool| {
            *vocab.entry(key).or_insert_with(|| {
                df.push(0);
                ((df.len() as u32 - 1) << 1) | u32::from(name)
            })
        };
        each_weighted_term(doc, &mut |term, w| {
            let id = match term.stem_slot() {
                // A word seen lately goes straight to its stem's id: one
                // probe, no stemming.
                Some(slot) => {
                    let cell = &mut stemmed[(slot as usize) & (STEMMED_SLOTS - 1)];
                    if cell.0 == slot {
                        cell.1
                    } else {
                        let id = intern(term.key(), false);
                        *cell = (slot, id);
                        id
                    }
                }
                None => intern(term.key(), matches!(term, Term::Name(_))),
            };
            *tf.entry(id).or_default() += w;
        });
        // IDF from frequencies *before* this document, smoothed by the prior.
        let n = f64::from(self.n_docs) + PRIOR_DOCS;
        let mut v: Vec<(u32, f64)> = tf
            .iter()
            .map(|(&id, &f)| (id, tf_idf(f, self.df[slot(id)], n)))
            .collect();
        for &id in tf.keys() {
            self.df[slot(id)] += 1;
        }
        self.n_docs += 1;
        v.sort_unstable_by_key(|t| t.0);
        unit_length(v.iter_mut().map(|(_, x)| x));
        v
    }

    /// `size^size_prior`: the larger story wins a close call, as a
    /// Dirichlet-multinomial mixture weighs a cluster by its size (the
    /// "rich get richer" term of GSDMM and MStream). A centroid of many
    /// articles spreads its weight over more words, so a new article's
    /// cosine with it is lower than with a small story of the same
    /// subject; this term gives that back.
    fn size_factor(&self, story: &Story) -> f64 {
        if self.config.size_prior == 0.0 {
            1.0
        } else {
            f64::from(story.size.max(1)).powf(self.config.size_prior)
        }
    }

    fn time_factor(&self, story: &Story, t: Option<Timestamp>) -> f64 {
        self.decay(gap_days((t, t), (story.first, story.last)))
    }

    /// 1 within the grace period, then exponential decay.
    fn decay(&self, gap_days: f64) -> f64 {
        let over = (gap_days - self.config.grace_days).max(0.0);
        (-over / self.config.decay_days).exp()
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

    /// Cosine of two stories' centroids; of their name terms alone when
    /// they have no language in common.
    fn cosine(&self, a: usize, b: usize) -> f64 {
        let (x, y) = (&self.stories[a], &self.stories[b]);
        let names_only = no_language_in_common(x.langs(), y.langs());
        let (small, large) = if x.centroid.len() <= y.centroid.len() {
            (x, y)
        } else {
            (y, x)
        };
        let dot: f64 = small
            .centroid
            .iter()
            .filter(|(k, _)| !names_only || is_name(**k))
            .filter_map(|(k, w)| large.centroid.get(k).map(|v| w * v))
            .sum();
        let (nx, ny) = if names_only {
            (x.name_norm2.sqrt(), y.name_norm2.sqrt())
        } else {
            (x.norm, y.norm)
        };
        if nx > 0.0 && ny > 0.0 {
            dot / (nx * ny)
        } else {
            0.0
        }
    }

    /// Live stories sharing index terms with `top`, those sharing the most
    /// first, at most [`ClusterConfig::max_candidates`] of them.
    fn candidates(&self, top: &[(u32, f64)]) -> Vec<u32> {
        let mut hits: Vec<u32> = top
            .iter()
            .filter_map(|(term, _)| self.postings.get(term))
            .flatten()
            .map(|&s| self.resolve(s as usize) as u32)
            .collect();
        hits.sort_unstable();
        let mut counted: Vec<(u32, u32)> = Vec::new(); // (story, shared terms)
        for s in hits {
            match counted.last_mut() {
                Some((last, n)) if *last == s => *n += 1,
                _ => counted.push((s, 1)),
            }
        }
        let cap = self.config.max_candidates.max(1);
        if counted.len() > cap {
            // Most shared terms first; among equals the more recent story.
            counted.select_nth_unstable_by(cap - 1, |a, b| b.1.cmp(&a.1).then(b.0.cmp(&a.0)));
            counted.truncate(cap);
        }
        let mut out: Vec<u32> = counted.into_iter().map(|(s, _)| s).collect();
        out.sort_unstable();
        out
    }

    /// Adds one article and says which story it joined or founded.
    pub fn add(&mut self, doc: &ClusterDoc<'_>) -> Assignment {
        let v = self.vectorize(doc);
        let mut ranked: Vec<(u32, f64)> = v.clone();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut kept: Vec<(u32, f32)> = ranked
            .iter()
            .take(self.config.member_terms)
            .map(|&(k, w)| (k, w as f32))
            .collect();
        kept.sort_unstable_by_key(|t| t.0);
        let mut top = ranked;
        top.truncate(self.config.index_terms);

        // (story, score with time, text cosine), in story order.
        let now = self.n_docs as usize;
        let mut scored: Vec<(usize, f64, f64)> = Vec::new();
        for s in self.candidates(&top) {
            let story = &self.stories[s as usize];
            if self
                .config
                .window
                .is_some_and(|w| now.saturating_sub(story.last_doc) > w)
            {
                continue;
            }
            let cos = if story.foreign(doc.lang) {
                // No language in common: names and numbers alone.
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
            };
            let score = cos * self.time_factor(story, doc.time) * self.size_factor(story);
            scored.push((s as usize, score, cos));
        }
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
            None => {
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
                (self.stories.len() - 1, 1.0)
            }
        };
        self.absorb(story, &v, doc, now);
        let mut merged = None;
        if let (Some((a, sa, _)), Some((b, sb, _))) = (best, runner_up) {
            let centroids = self.cosine(a, b);
            // Two events on one subject days apart stay two stories (linked
            // as related), however alike their words: the gap between their
            // dates weighs the centroids' cosine as it weighs an article's.
            let (x, y) = (&self.stories[a], &self.stories[b]);
            let gap = gap_days((x.first, x.last), (y.first, y.last));
            let (ra, rb) = (self.resolve(a), self.resolve(b));
            let split_apart = self.apart.iter().any(|&(x, y)| {
                let (x, y) = (self.resolve(x as usize), self.resolve(y as usize));
                (x, y) == (ra, rb) || (x, y) == (rb, ra)
            });
            if !split_apart && centroids * self.decay(gap) >= self.config.merge_threshold {
                let (into, absorbed) = (a.min(b), a.max(b));
                self.merge(absorbed, into);
                story = into;
                let apart = if gap > 0.0 {
                    format!(", {gap:.1} days apart")
                } else {
                    String::new()
                };
                merged = Some(Merge {
                    absorbed,
                    into,
                    reason: format!(
                        "fits both stories (scores {sa:.2} and {sb:.2}) and their centroids have cosine {centroids:.2}{apart}"
                    ),
                });
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

    /// The story of the `doc`-th article added (from 0, in the order of
    /// [`OnlineClusterer::add`] calls) after every merge and split so far.
    ///
    /// # Panics
    /// If fewer articles were added.
    pub fn story_of_doc(&self, doc: usize) -> usize {
        self.resolve(self.docs[doc].story as usize)
    }

    /// Examines `story` for a split when its size has reached the next
    /// check (twice [`ClusterConfig::split_min`], then each growth by half): a
    /// deterministic two-means over its members' kept terms, seeded with
    /// the member least like the centroid and the member least like that
    /// one. The story splits when each group has at least `split_min`
    /// articles and the groups' centroids, weighed by the time decay
    /// between their spans, are less alike than `split_threshold`: two
    /// events an early, loose article had bridged, or one subject's two
    /// episodes days apart. The group holding the story's first article
    /// keeps it; the other becomes a new story.
    fn maybe_split(&mut self, story: usize) -> Option<Split> {
        let min = self.config.split_min.max(1);
        let st = &mut self.stories[story];
        if self.config.split_threshold <= 0.0 || st.size < st.next_split_check {
            return None;
        }
        // Past SPLIT_MAX_SIZE a story is settled: a check costs time in
        // proportion to its size, and a story that large has shown what
        // it is about.
        let next = st.size.saturating_mul(3) / 2;
        st.next_split_check = if next > SPLIT_MAX_SIZE {
            u32::MAX
        } else {
            next
        };
        let members = st.members.clone();
        if members.len() < 2 * min {
            return None;
        }
        let vecs: Vec<&[(u32, f32)]> = members
            .iter()
            .map(|&d| &*self.docs[d as usize].terms)
            .collect();
        let sum = |pick: &mut dyn FnMut(usize) -> bool| {
            let mut c: HashMap<u32, f64> = HashMap::default();
            for (i, v) in vecs.iter().enumerate() {
                if pick(i) {
                    for &(k, w) in v.iter() {
                        *c.entry(k).or_default() += f64::from(w);
                    }
                }
            }
            c
        };
        let cos_to = |v: &[(u32, f32)], c: &HashMap<u32, f64>, c_norm: f64| {
            let (mut dot, mut n2) = (0.0, 0.0);
            for &(k, w) in v {
                let w = f64::from(w);
                dot += w * c.get(&k).copied().unwrap_or(0.0);
                n2 += w * w;
            }
            let n = n2.sqrt() * c_norm;
            if n > 0.0 {
                dot / n
            } else {
                0.0
            }
        };
        let norm = |c: &HashMap<u32, f64>| c.values().map(|x| x * x).sum::<f64>().sqrt();
        // Members ranked by their cosine with `c`, least alike first.
        let ranked_by = |c: &HashMap<u32, f64>| {
            let cn = norm(c);
            let mut r: Vec<(usize, f64)> = (0..vecs.len())
                .map(|i| (i, cos_to(vecs[i], c, cn)))
                .collect();
            r.sort_by(|x, y| x.1.total_cmp(&y.1).then(x.0.cmp(&y.0)));
            r
        };
        // Two-means from seeds `a` and `b`: the groups (in_b[i]: member i
        // is in the second), their centroids, and how well members fit
        // their own group's centroid (the sum of cosines).
        let two_means = |a: usize, b: usize| {
            let mut in_b: Vec<bool> = (0..vecs.len()).map(|i| i == b).collect();
            let (mut ca, mut cb) = (sum(&mut |i| i == a), sum(&mut |i| i == b));
            for _ in 0..10 {
                let (na, nb) = (norm(&ca), norm(&cb));
                let next: Vec<bool> = vecs
                    .iter()
                    .map(|v| cos_to(v, &cb, nb) > cos_to(v, &ca, na))
                    .collect();
                if next == in_b {
                    break;
                }
                in_b = next;
                ca = sum(&mut |i| !in_b[i]);
                cb = sum(&mut |i| in_b[i]);
            }
            let (na, nb) = (norm(&ca), norm(&cb));
            let fit: f64 = vecs
                .iter()
                .zip(&in_b)
                .map(|(v, &g)| {
                    if g {
                        cos_to(v, &cb, nb)
                    } else {
                        cos_to(v, &ca, na)
                    }
                })
                .sum();
            (in_b, ca, cb, fit)
        };
        // One seeding can settle in a poor division (a name every member
        // shares pulls the groups together), so a few are tried: each of
        // the members least like the story's centroid, with the member
        // least like it; the division members fit best wins.
        let all = sum(&mut |_| true);
        // (groups, first group's centroid, second's, fit)
        type Division = (Vec<bool>, HashMap<u32, f64>, HashMap<u32, f64>, f64);
        let mut best: Option<Division> = None;
        for &(a, _) in ranked_by(&all).iter().take(SPLIT_SEEDS) {
            let b = ranked_by(&sum(&mut |i| i == a))[0].0;
            if a == b {
                continue;
            }
            let trial = two_means(a, b);
            if best.as_ref().is_none_or(|x| trial.3 > x.3) {
                best = Some(trial);
            }
        }
        let (mut in_b, mut ca, mut cb, _) = best?;
        // The cosine of two groups' centroids.
        let centroids_cos = |a: &HashMap<u32, f64>, b: &HashMap<u32, f64>| {
            let (na, nb) = (norm(a), norm(b));
            let dot: f64 = a.iter().filter_map(|(k, w)| b.get(k).map(|x| w * x)).sum();
            if na > 0.0 && nb > 0.0 {
                dot / (na * nb)
            } else {
                0.0
            }
        };
        let undated = members
            .iter()
            .all(|&d| self.docs[d as usize].time.is_none());
        // Undated members by arrival (their indexes), for the cuts below
        // and the order of the groups.
        let mut by_arrival: Vec<usize> = Vec::new();
        if undated {
            by_arrival = (0..members.len()).collect();
            by_arrival.sort_by_key(|&i| members[i]);
        }
        // An undated story may also be two events one after the other that
        // share their strongest words, which two-means over words does not
        // separate: the members cut at a point in their arrival order (at
        // each tenth, both sides of SEQUENCE_GROUP_MIN or more) whose two
        // sides are least alike is the division when they are unlike
        // enough ([`ClusterConfig::sequence_split_threshold`]).
        if undated {
            let mut cut: Option<Division> = None;
            for tenth in 1..10 {
                let at = members.len() * tenth / 10;
                if at.min(members.len() - at) < SEQUENCE_GROUP_MIN {
                    continue;
                }
                let mut later = vec![false; members.len()];
                for &i in &by_arrival[at..] {
                    later[i] = true;
                }
                let (before, after) = (sum(&mut |i| !later[i]), sum(&mut |i| later[i]));
                let cos = centroids_cos(&before, &after);
                if cut.as_ref().is_none_or(|c| cos < c.3) {
                    cut = Some((later, before, after, cos));
                }
            }
            if let Some((later, before, after, cos)) = cut {
                if cos < self.config.sequence_split_threshold {
                    (in_b, ca, cb) = (later, before, after);
                }
            }
        }
        let moved_n = in_b.iter().filter(|&&x| x != in_b[0]).count();
        if moved_n < min || vecs.len() - moved_n < min {
            return None;
        }
        let cos = centroids_cos(&ca, &cb);
        let span = |want: bool| {
            let times = (0..vecs.len())
                .filter(|&i| in_b[i] == want)
                .filter_map(|i| self.docs[members[i] as usize].time);
            (times.clone().min(), times.max())
        };
        let gap = gap_days(span(false), span(true));
        // Undated articles have only their arrival order for a clock: two
        // groups that came one after the other are two events (as two
        // groups dated days apart are), and they part unless they are as
        // alike as two stories that would merge.
        let sequential = undated
            && moved_n.min(vecs.len() - moved_n) >= SEQUENCE_GROUP_MIN
            && in_sequence(by_arrival.iter().map(|&i| in_b[i])) >= SEQUENCE_MIN;
        let threshold = if sequential {
            self.config
                .sequence_split_threshold
                .max(self.config.split_threshold)
        } else {
            self.config.split_threshold
        };
        if cos * self.decay(gap) >= threshold {
            return None;
        }
        // The group without the first member leaves.
        let leaves = !in_b[0];
        let (mut moved, mut stay) = (Vec::new(), Vec::new());
        for (&d, &g) in members.iter().zip(&in_b) {
            if g == leaves {
                moved.push(d);
            } else {
                stay.push(d);
            }
        }
        let gone = if leaves { &cb } else { &ca };
        let new = self.stories.len();
        let mut centroid: HashMap<u32, f64> = HashMap::default();
        for (&k, &w) in gone {
            centroid.insert(k, w);
        }
        let old = &mut self.stories[story];
        for (k, w) in &centroid {
            if let Some(x) = old.centroid.get_mut(k) {
                *x -= w;
                if *x <= 1e-9 {
                    old.centroid.remove(k);
                }
            }
        }
        old.renorm();
        old.members = stay;
        old.size = old.members.len() as u32;
        let langs = old.langs.clone();
        let last_doc = old.last_doc;
        let mut fresh = Story {
            last_doc,
            size: moved.len() as u32,
            members: moved.clone(),
            next_split_check: (2 * moved.len().max(min)) as u32,
            centroid,
            norm: 0.0,
            name_norm2: 0.0,
            langs,
            first: None,
            last: None,
        };
        fresh.renorm();
        self.stories.push(fresh);
        self.parent.push(new as u32);
        self.apart.push((story as u32, new as u32));
        for &d in &moved {
            self.docs[d as usize].story = new as u32;
        }
        for s in [story, new] {
            let times = self.stories[s]
                .members
                .iter()
                .filter_map(|&d| self.docs[d as usize].time);
            let (first, last) = (times.clone().min(), times.max());
            let st = &mut self.stories[s];
            (st.first, st.last) = (first, last);
        }
        let mut top: Vec<(u32, f64)> = self.stories[new]
            .centroid
            .iter()
            .map(|(&k, &w)| (k, w))
            .collect();
        top.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        top.truncate(self.config.index_terms);
        self.post(new, &top);
        let apart = if gap > 0.0 {
            format!(", {gap:.1} days apart")
        } else if sequential {
            ", one group arriving after the other".to_string()
        } else {
            String::new()
        };
        let total = members.len();
        Some(Split {
            from: story,
            new,
            moved: moved.iter().map(|&d| d as usize).collect(),
            reason: format!(
                "its {total} articles form two groups ({} and {}) whose centroids have cosine {cos:.2}{apart}",
                total - moved.len(),
                moved.len()
            ),
        })
    }

    /// Adds an article's unit vector to a story.
    fn absorb(&mut self, story: usize, v: &[(u32, f64)], doc: &ClusterDoc<'_>, now: usize) {
        let cap = self.config.centroid_terms.max(1);
        let arrival = self.docs.len() as u32;
        let st = &mut self.stories[story];
        st.last_doc = now;
        st.size += 1;
        st.members.push(arrival);
        // |c + v|² = |c|² + 2 c·v + |v|²: no pass over the whole centroid.
        let mut norm2 = st.norm * st.norm;
        for &(k, w) in v {
            let c = st.centroid.entry(k).or_default();
            let grow = 2.0 * *c * w + w * w;
            norm2 += grow;
            if is_name(k) {
                st.name_norm2 += grow;
            }
            *c += w;
        }
        st.norm = norm2.max(0.0).sqrt();
        if st.centroid.len() > 2 * cap {
            prune(&mut st.centroid, cap);
            st.renorm();
        }
        if let Some(l) = doc.lang {
            st.add_lang(l);
        }
        if let Some(t) = doc.time {
            st.first = Some(st.first.map_or(t, |f| f.min(t)));
            st.last = Some(st.last.map_or(t, |l| l.max(t)));
        }
    }

    /// Folds story `absorbed` into `into`; postings that name it resolve to
    /// `into` from now on.
    fn merge(&mut self, absorbed: usize, into: usize) {
        let gone = std::mem::take(&mut self.stories[absorbed].centroid);
        let (first, last, last_doc, size) = {
            let a = &self.stories[absorbed];
            (a.first, a.last, a.last_doc, a.size)
        };
        let members = std::mem::take(&mut self.stories[absorbed].members);
        let st = &mut self.stories[into];
        for (k, w) in gone {
            *st.centroid.entry(k).or_default() += w;
        }
        prune(&mut st.centroid, 2 * self.config.centroid_terms.max(1));
        st.renorm();
        let langs = std::mem::take(&mut self.stories[absorbed].langs);
        let st = &mut self.stories[into];
        for l in &langs {
            st.add_lang(l);
        }
        st.first = st.first.min(first).or(st.first).or(first);
        st.last = st.last.max(last);
        st.last_doc = st.last_doc.max(last_doc);
        st.size += size;
        st.members.extend(members);
        st.members.sort_unstable();
        self.stories[absorbed].norm = 0.0;
        self.parent[absorbed] = into as u32;
    }

    /// Enters a story under the article's index terms, keeping each term's
    /// postings to the most recent stories.
    fn post(&mut self, story: usize, top: &[(u32, f64)]) {
        let cap = self.config.max_postings.max(1);
        for &(term, _) in top {
            let list = self.postings.entry(term).or_default();
            if !list.contains(&(story as u32)) {
                list.push(story as u32);
                if list.len() > 2 * cap {
                    list.drain(..list.len() - cap);
                }
            }
        }
    }
}

/// A term id is its slot in the document frequencies shifted left, with
/// the low bit set for a name term: telling a name from a word costs no
/// lookup in a table as large as the vocabulary.
fn slot(id: u32) -> usize {
    (id >> 1) as usize
}

/// Whether a term id is a language-neutral name or number ([`name_key`]).
fn is_name(id: u32) -> bool {
    id & 1 == 1
}

/// Days between two time spans (0 when they overlap or either is unknown).
fn gap_days(
    (a_first, a_last): (Option<Timestamp>, Option<Timestamp>),
    (b_first, b_last): (Option<Timestamp>, Option<Timestamp>),
) -> f64 {
    let (Some(af), Some(al), Some(bf), Some(bl)) = (a_first, a_last, b_first, b_last) else {
        return 0.0;
    };
    let hours = if al < bf {
        (bf - al).num_hours()
    } else if bl < af {
        (af - bl).num_hours()
    } else {
        0
    };
    hours as f64 / 24.0
}

/// Whether both sides know their languages and share none: then only
/// names and numbers can match.
fn no_language_in_common<'a, 'b>(
    a: impl IntoIterator<Item = &'a str>,
    b: impl IntoIterator<Item = &'b str> + Clone,
) -> bool {
    let mut a = a.into_iter().peekable();
    a.peek().is_some()
        && b.clone().into_iter().next().is_some()
        && a.all(|x| !b.clone().into_iter().any(|y| x.eq_ignore_ascii_case(y)))
}

impl Story {
    /// Whether an article in `lang` shares no language with the story
    /// (false when either is unknown).
    fn foreign(&self, lang: Option<&str>) -> bool {
        no_language_in_common(lang, self.langs())
    }

    fn langs(&self) -> impl Iterator<Item = &str> + Clone {
        self.langs.iter().map(|l| &**l)
    }

    /// Adds a language to the story's (kept lower-case, once each).
    fn add_lang(&mut self, lang: &str) {
        if !self.langs().any(|x| x.eq_ignore_ascii_case(lang)) {
            self.langs.push(lang.to_ascii_lowercase().into());
        }
    }

    /// Recomputes both norms from the centroid.
    fn renorm(&mut self) {
        self.norm = self.centroid.values().map(|x| x * x).sum::<f64>().sqrt();
        self.name_norm2 = self
            .centroid
            .iter()
            .filter(|(k, _)| is_name(**k))
            .map(|(_, x)| x * x)
            .sum();
    }
}

/// Keeps the `cap` heaviest terms (ties: the lower term id).
fn prune(centroid: &mut HashMap<u32, f64>, cap: usize) {
    if centroid.len() <= cap {
        return;
    }
    let mut all: Vec<(u32, f64)> = centroid.drain().collect();
    all.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    all.truncate(cap);
    centroid.extend(all);
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
            lang: None,
        };
        let same = c.similarity(
            &doc("北京大学发布新冠疫苗研究"),
            &doc("新冠疫苗研究由北京大学发布"),
        );
        let other = c.similarity(&doc("北京大学发布新冠疫苗研究"), &doc("上海股市周一下跌"));
        assert!(same > 0.8 && other < 0.1, "{same} {other}");
    }

    #[test]
    fn names_and_numbers_have_one_form_across_scripts() {
        // As each_weighted_term asks: stop words are no names.
        let key = |w: &str| {
            let stop = stop_words_of(Some("en")).contains(&term_key(&w.to_lowercase()));
            if stop {
                None
            } else {
                name_key(w)
            }
        };
        assert_eq!(key("Zelensky"), key("Зеленский"));
        assert_eq!(key("Ukraine"), key("Ukrainy"));
        assert_eq!(key("Ukraine"), key("UKRAINE"));
        assert!(key("11000").is_some());
        assert_ne!(key("11000"), key("12000"));
        assert_eq!(key("harbour"), None, "not capitalised");
        assert_eq!(key("The"), None, "a stop word");
        assert_eq!(key("Xi"), None, "too short to be told apart");
        assert_ne!(
            key("Paris"),
            Some(term_key("paris")),
            "names have their own namespace"
        );
    }

    #[test]
    fn a_known_language_is_stemmed_and_its_stop_words_dropped() {
        let key = |fold: Fold, w: &str| fold.term(w, term_key(w)).key();
        let en = Fold::of(Some("en"));
        assert_eq!(key(en, "ferries"), key(en, "ferry"));
        assert_eq!(key(en, "inspected"), key(en, "inspecting"));
        let de = Fold::of(Some("de"));
        assert_eq!(key(de, "häfen"), key(de, "hafen"));
        let slot = |fold: Fold| fold.term("hafen", term_key("hafen")).stem_slot();
        assert_ne!(slot(de), slot(en), "each stemmer its own cache slot");
        assert_eq!(Fold::of(Some("pl")).term("hafen", 1).stem_slot(), None);
        // No stemmer for Polish: the five-letter prefix.
        let pl = Fold::of(Some("pl"));
        assert_eq!(key(pl, "portowego"), key(pl, "portowy"));
        assert_eq!(Fold::of(None), Fold::Plural);
        assert_eq!(key(Fold::Plural, "soldiers"), key(Fold::Plural, "soldier"));
        let stop = |lang, w| stop_words_of(lang).contains(&term_key(w));
        assert!(stop(Some("de"), "und"));
        assert!(stop(Some("de"), "the"), "English stop words everywhere");
        assert!(!stop(None, "und"));
        let terms = |title, lang| {
            let mut n = 0;
            let doc = ClusterDoc {
                title,
                body: "",
                time: None,
                lang,
            };
            each_weighted_term(&doc, &mut |_, _| n += 1);
            n
        };
        // "Der", "die", "und" are not terms; "Hafen" and "Fähre" are, as words and names.
        assert_eq!(terms("Der Hafen und die Fähre", Some("de")), 4);
        // A number is one (name) term; "5G" is a word.
        assert_eq!(terms("14 Fahrten", Some("de")), 3);
        assert_eq!(terms("5G", Some("en")), 1);
    }

    #[test]
    fn articles_in_two_languages_meet_on_names_and_numbers() {
        let en = ClusterDoc {
            title: "Storm closes Norhaven ferry pier",
            body: "Harbour master Ingrid Solberg said 14 sailings from Norhaven to Kestrel Island were cancelled on Tuesday.",
            time: day(3),
            lang: Some("en"),
        };
        let de = ClusterDoc {
            title: "Sturm schließt Fähranleger in Norhaven",
            body: "Hafenmeisterin Ingrid Solberg sagte, 14 Fahrten von Norhaven nach Kestrel Island seien am Dienstag ausgefallen.",
            time: day(3),
            lang: Some("de"),
        };
        let other_de = ClusterDoc {
            title: "Pokalfinale in Brandau ausverkauft",
            body: "Alle Karten für das Finale im Stadion von Brandau wurden innerhalb einer Stunde verkauft, sagte der Verein.",
            time: day(3),
            lang: Some("de"),
        };
        let mut c = ClusterConfig::default().build();
        let a = c.add(&en);
        let b = c.add(&de);
        let z = c.add(&other_de);
        assert_eq!(a.story, b.story, "{b:?}");
        assert_ne!(z.story, a.story);
        // Without languages the German words count against the pair.
        let c = ClusterConfig::default().build();
        let known = c.similarity(&en, &de);
        let unknown = c.similarity(
            &ClusterDoc { lang: None, ..en },
            &ClusterDoc { lang: None, ..de },
        );
        assert!(known > unknown, "{known} {unknown}");
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
            lang: None,
        });
        let b = c.add(&ClusterDoc {
            title: "Norhaven ferry pier damaged by storm",
            body,
            time: day(3),
            lang: None,
        });
        let later = c.add(&ClusterDoc {
            title: "Norhaven ferry pier damaged again",
            body,
            time: day(25),
            lang: None,
        });
        assert_eq!(a.story, b.story);
        assert_ne!(later.story, a.story);
        assert_eq!(later.related.map(|r| r.0), Some(a.story));
    }

    #[test]
    fn a_close_call_goes_to_the_larger_story_under_a_size_prior() {
        // One story of one article, then one of three (identical texts, so
        // each centroid points one way); the last article is half of each.
        // Its words from the small story are rarer, hence heavier: on text
        // alone it joins the small story; with the size prior the large
        // story's score is multiplied by 3^0.5 and it wins.
        let run = |size_prior: f64| {
            let mut c = ClusterConfig {
                size_prior,
                merge_threshold: 2.0,
                ..ClusterConfig::default()
            }
            .build();
            let doc = |title| ClusterDoc {
                title,
                body: "",
                time: None,
                lang: None,
            };
            let small = c.add(&doc("quartz harbour ferry")).story;
            let large: Vec<usize> = (0..3)
                .map(|_| c.add(&doc("velvet meadow lantern")).story)
                .collect();
            assert!(large.iter().all(|&s| s == large[0] && s != small));
            let both = c.add(&doc("quartz harbour ferry velvet meadow lantern"));
            (both.story == large[0], both.score)
        };
        let (to_large, text_only) = run(0.0);
        assert!(!to_large, "on text alone the rarer words win");
        let (to_large, scored) = run(0.5);
        assert!(to_large, "the prior tips the close call");
        assert!(scored > text_only, "scores are cosines times 3^0.5 here");
    }

    #[test]
    fn each_join_is_scored_as_cosine_times_size_to_the_prior() {
        let scores = |size_prior: f64| -> Vec<f64> {
            let mut c = ClusterConfig {
                size_prior,
                ..ClusterConfig::default()
            }
            .build();
            let texts = [
                "Storm closes Norhaven ferry pier",
                "Norhaven ferry pier closed by storm",
                "Storm shuts the Norhaven pier; ferries stop",
                "Norhaven pier: ferries halted by storm",
            ];
            let out: Vec<(usize, f64)> = texts
                .iter()
                .map(|t| {
                    let a = c.add(&ClusterDoc {
                        title: t,
                        body: "",
                        time: None,
                        lang: None,
                    });
                    (a.story, a.score)
                })
                .collect();
            assert!(out.iter().all(|(s, _)| *s == 0), "one story: {out:?}");
            out.into_iter().map(|(_, x)| x).collect()
        };
        let (plain, sized) = (scores(0.0), scores(0.3));
        // Article k joins a story of k articles (the first founds it).
        for k in 1..plain.len() {
            let want = plain[k] * (k as f64).powf(0.3);
            assert!(
                (sized[k] - want).abs() < 1e-9,
                "{k}: {} vs {want}",
                sized[k]
            );
        }
    }

    #[test]
    fn undated_events_one_after_the_other_split_and_interleaved_ones_do_not() {
        // 24 reports of a ferry strike, then 24 of the ferry's new
        // timetable: one name, two events, and only the arrival order to
        // tell them apart (the check at 40 articles sees 16 of the second).
        // Interleaved, the same reports are one story in two strands.
        let run = |sequence_split_threshold: f64, interleave: bool| {
            let mut c = ClusterConfig {
                join_threshold: 0.05,
                merge_threshold: 2.0,
                sequence_split_threshold,
                ..ClusterConfig::default()
            }
            .build();
            let strike =
                (0..24).map(|i| format!("Norhaven ferry crews strike over pay, talks round {i}"));
            let timetable = (0..24).map(|i| {
                format!(
                    "Norhaven ferry timetable adds winter sailings, route {}",
                    100 + i
                )
            });
            let titles: Vec<String> = if interleave {
                strike.zip(timetable).flat_map(|(a, b)| [a, b]).collect()
            } else {
                strike.chain(timetable).collect()
            };
            let mut splits = Vec::new();
            for t in &titles {
                let doc = ClusterDoc {
                    title: t,
                    body: "",
                    time: None,
                    lang: None,
                };
                splits.extend(c.add(&doc).split);
            }
            let stories: std::collections::BTreeSet<usize> =
                (0..titles.len()).map(|d| c.story_of_doc(d)).collect();
            let reasons: Vec<String> = splits.iter().map(|sp: &Split| sp.reason.clone()).collect();
            (splits.len(), stories.len(), reasons)
        };
        let (splits, stories, _) = run(0.0, false);
        assert_eq!((splits, stories), (0, 1), "off: one story");
        let (splits, stories, reasons) = run(0.5, false);
        assert_eq!(
            (splits, stories),
            (1, 2),
            "one after the other: two stories"
        );
        assert!(
            reasons[0].contains("one group arriving after the other"),
            "{reasons:?}"
        );
        let (splits, stories, _) = run(0.5, true);
        assert_eq!((splits, stories), (0, 1), "interleaved: one story");
    }

    #[test]
    fn a_story_bridging_two_events_splits_when_each_has_grown() {
        // A first, loose article names a ferry strike and a stadium fire;
        // reports of each then join its story (a low join threshold), each
        // side in its own words (the town named in a few). Once each side
        // has enough articles, the story divides and one side leaves.
        let run = |split_threshold: f64| {
            let mut c = ClusterConfig {
                join_threshold: 0.05,
                merge_threshold: 2.0,
                split_threshold,
                split_min: 4,
                ..ClusterConfig::default()
            }
            .build();
            let doc = |title| ClusterDoc {
                title,
                body: "",
                time: None,
                lang: None,
            };
            let mut splits = Vec::new();
            let first = c.add(&doc("Norhaven ferry strike and stadium fire"));
            // Nine reports of each, alternating; each check comes when the
            // story's size has grown by half (8, 12, then 18 articles).
            let strike = [
                "Ferry crews strike in Norhaven over pay",
                "Ferry strike enters second day",
                "Ferry strike: crews reject pay offer",
                "Norhaven ferry crews vote to continue strike",
                "Islanders stranded by ferry strike",
                "Union says ferry strike will go on",
                "Ferry operator offers crews new pay deal",
                "Ferry crews end strike after pay deal",
                "Ferry timetable back to normal after strike",
            ];
            let fire = [
                "Fire guts Norhaven stadium stands",
                "Stadium fire: arson suspected",
                "Stadium fire leaves Norhaven club homeless",
                "Firefighters contain stadium blaze",
                "Police arrest teenager over stadium fire",
                "Club to play at rival ground after stadium blaze",
                "Stadium blaze: insurers inspect burnt stands",
                "Stadium rebuild to take a year after fire",
                "Fire-hit stadium club thanks volunteers",
            ];
            for (a, b) in strike.iter().zip(&fire) {
                for t in [a, b] {
                    let asg = c.add(&doc(t));
                    splits.extend(asg.split);
                }
            }
            let label = |d: usize| c.story_of_doc(d);
            let strike_stories: Vec<usize> = (0..9).map(|i| label(1 + 2 * i)).collect();
            let fire_stories: Vec<usize> = (0..9).map(|i| label(2 + 2 * i)).collect();
            (first.story, label(0), strike_stories, fire_stories, splits)
        };
        let (founded, _, strike, fire, splits) = run(0.0);
        assert!(splits.is_empty());
        assert!(
            strike.iter().chain(&fire).all(|&s| s == founded),
            "one story without splits"
        );

        let (founded, first_now, strike, fire, splits) = run(0.15);
        assert_eq!(splits.len(), 1, "{splits:?}");
        let sp = &splits[0];
        assert_eq!(sp.from, founded);
        assert!(sp.reason.contains("two groups"), "{}", sp.reason);
        assert!(strike.iter().all(|&s| s == strike[0]));
        assert!(fire.iter().all(|&s| s == fire[0]));
        assert_ne!(strike[0], fire[0]);
        // The founder's group keeps the story; the other moved.
        assert!(first_now == founded && (strike[0] == founded || fire[0] == founded));
        let moved_to = if strike[0] == founded {
            fire[0]
        } else {
            strike[0]
        };
        assert_eq!(moved_to, sp.new);
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
                    lang: None,
                })
                .story;
            for i in 0..5 {
                let t = format!("unrelated topic {i} football cup final tickets {i}");
                c.add(&ClusterDoc {
                    title: &t,
                    body: &t,
                    time: None,
                    lang: None,
                });
            }
            let again = c
                .add(&ClusterDoc {
                    title: "Norhaven ferry pier damaged",
                    body: "storm ferry pier harbour",
                    time: None,
                    lang: None,
                })
                .story;
            first == again
        };
        assert!(run(None), "without a window the old story is found");
        assert!(!run(Some(3)), "with a window of 3 it is out of reach");
    }

    #[test]
    fn an_article_fitting_two_similar_stories_merges_them() {
        let run = |merge_threshold: f64| {
            let mut c = ClusterConfig {
                merge_threshold,
                ..ClusterConfig::default()
            }
            .build();
            let mut add = |title: &str| {
                c.add(&ClusterDoc {
                    title,
                    body: "",
                    time: None,
                    lang: None,
                })
            };
            let a = add("north harbour ferry pier storm damage");
            let b = add("ferry operator cancels crossings weekend timetable");
            let bridge = add("north harbour ferry pier storm damage operator cancels crossings weekend timetable");
            (a, b, bridge, c)
        };
        let (a, b, bridge, c) = run(0.3);
        assert_ne!(a.story, b.story, "too little in common to join at first");
        let m = bridge.merged.expect("the bridging article merges them");
        assert_eq!((m.into, m.absorbed), (a.story, b.story));
        assert!(m.reason.contains("fits both stories"), "{}", m.reason);
        assert_eq!(bridge.story, a.story);
        assert_eq!((c.resolve(b.story), c.resolve(a.story)), (a.story, a.story));

        let (a, b, bridge, c) = run(1.5);
        assert!(bridge.merged.is_none(), "merging off");
        assert_ne!(c.resolve(b.story), c.resolve(a.story));
    }

    #[test]
    fn an_undated_article_does_not_merge_two_events_days_apart() {
        let body = "Harbour master Ingrid Solberg said the Norhaven ferry pier was damaged by the storm and crossings to Kestrel Island stopped.";
        let mut c = ClusterConfig {
            merge_threshold: 0.3,
            ..ClusterConfig::default()
        }
        .build();
        let mut add = |title, time| {
            c.add(&ClusterDoc {
                title,
                body,
                time,
                lang: Some("en"),
            })
        };
        let first = add("Storm damages Norhaven ferry pier", day(2));
        let later = add("Norhaven ferry pier damaged again in second storm", day(20));
        assert_ne!(first.story, later.story, "18 days apart");
        let bridge = add("Norhaven ferry pier storm damage", None);
        assert!(bridge.merged.is_none(), "{:?}", bridge.merged);
    }

    #[test]
    fn postings_stay_bounded_on_a_long_stream() {
        let mut c = ClusterConfig {
            max_postings: 8,
            max_candidates: 4,
            ..ClusterConfig::default()
        }
        .build();
        for i in 0..200 {
            let t = format!("council budget vote ward{i} district{i}");
            c.add(&ClusterDoc {
                title: &t,
                body: "",
                time: None,
                lang: None,
            });
        }
        assert!(c.postings.values().all(|l| l.len() <= 16));
        // The newest stories stay reachable.
        let again = c.add(&ClusterDoc {
            title: "council budget vote ward199 district199",
            body: "",
            time: None,
            lang: None,
        });
        assert_eq!(c.resolve(again.story), c.resolve(c.len() - 1));
    }

    proptest! {
        /// Every article lands in exactly one story, indexes are dense, and the
        /// result is the same when the same stream is replayed.
        #[test]
        fn partition_and_determinism(docs in proptest::collection::vec(("[a-f]{2,6}( [a-f]{2,6}){0,6}", "[a-f]{2,6}( [a-f]{2,6}){0,20}"), 1..25)) {
            let run = || {
                let mut c = ClusterConfig::default().build();
                docs.iter().map(|(t, b)| c.add(&ClusterDoc { title: t, body: b, time: None, lang: None }).story).collect::<Vec<_>>()
            };
            let first = run();
            prop_assert_eq!(&first, &run());
            let max = *first.iter().max().unwrap();
            for s in 0..=max { prop_assert!(first.contains(&s)); }
        }

        /// Under frequent merges and splits, every article is a member of
        /// exactly the live story [`OnlineClusterer::story_of_doc`] names,
        /// sizes match memberships, and replays agree.
        #[test]
        fn merges_and_splits_keep_a_partition(docs in proptest::collection::vec("[a-d]{2,3}( [a-d]{2,3}){1,5}", 1..40), split in 0.2f64..0.9) {
            let run = || {
                let mut c = ClusterConfig { join_threshold: 0.1, merge_threshold: 0.4, split_threshold: split, split_min: 1, ..ClusterConfig::default() }.build();
                let mut splits = 0;
                for t in &docs {
                    let a = c.add(&ClusterDoc { title: t, body: "", time: None, lang: None });
                    if let Some(sp) = &a.split {
                        splits += 1;
                        prop_assert!(!sp.moved.is_empty() && sp.new == c.len() - 1);
                        prop_assert!(sp.moved.iter().all(|&d| c.story_of_doc(d) == c.resolve(sp.new)));
                    }
                }
                let labels: Vec<usize> = (0..docs.len()).map(|d| c.story_of_doc(d)).collect();
                Ok((labels, splits, c))
            };
            let (labels, _, c) = run()?;
            let (again, _, _) = run()?;
            prop_assert_eq!(&labels, &again);
            let mut total = 0;
            for (s, st) in c.stories.iter().enumerate() {
                if c.resolve(s) != s {
                    prop_assert!(st.members.is_empty());
                    continue;
                }
                prop_assert_eq!(st.size as usize, st.members.len());
                total += st.members.len();
                for &d in &st.members {
                    prop_assert_eq!(labels[d as usize], s);
                }
            }
            prop_assert_eq!(total, docs.len());
        }

        /// With languages, names and numbers in the mix: every score is a
        /// cosine in [0, 1], the norms kept incrementally (whole centroid
        /// and its name terms) match a recomputation, and replays agree.
        #[test]
        fn mixed_languages_keep_norms_and_determinism(docs in proptest::collection::vec(
            ("[A-F][a-f]{2,5}( [a-fA-F][a-f]{2,5}| [0-9]{1,4}){0,8}", 0usize..4), 1..30)) {
            let langs = [None, Some("en"), Some("de"), Some("pl")];
            let run = || {
                let mut c = ClusterConfig { merge_threshold: 0.3, centroid_terms: 8, size_prior: 0.0, ..ClusterConfig::default() }.build();
                let mut out = Vec::new();
                for (t, l) in &docs {
                    let a = c.add(&ClusterDoc { title: t, body: t, time: None, lang: langs[*l] });
                    out.push((a.story, a.score));
                }
                (out, c)
            };
            let (first, c) = run();
            prop_assert_eq!(&first, &run().0);
            for (_, score) in &first {
                prop_assert!((0.0..=1.0 + 1e-9).contains(score), "{}", score);
            }
            for st in c.stories.iter().filter(|s| s.norm > 0.0) {
                let mut again = Story { centroid: st.centroid.clone(), norm: 0.0, name_norm2: 0.0, langs: Vec::new(), last_doc: 0, size: 0, members: Vec::new(), next_split_check: 0, first: None, last: None };
                again.renorm();
                prop_assert!((again.norm - st.norm).abs() < 1e-6, "{} vs {}", again.norm, st.norm);
                prop_assert!((again.name_norm2 - st.name_norm2).abs() < 1e-6);
                prop_assert!(st.name_norm2 <= st.norm * st.norm + 1e-9);
            }
        }

        /// With merges on, final stories are fixed points of `resolve`, and a
        /// story only ever merges into an older one.
        #[test]
        fn merges_resolve_to_older_roots(docs in proptest::collection::vec("[a-d]{2,3}( [a-d]{2,3}){1,5}", 1..30)) {
            let mut c = ClusterConfig { merge_threshold: 0.2, ..ClusterConfig::default() }.build();
            let mut arrival = Vec::new();
            for t in &docs {
                let a = c.add(&ClusterDoc { title: t, body: "", time: None, lang: None });
                if let Some(m) = &a.merged {
                    prop_assert!(m.into < m.absorbed);
                }
                arrival.push(a.story);
            }
            for s in arrival {
                let root = c.resolve(s);
                prop_assert!(root <= s);
                prop_assert_eq!(c.resolve(root), root);
            }
        }
    }
}
