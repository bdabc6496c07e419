//! Terms: tokenising, stop words (English from the lexicon, other languages
//! from the stop-words crate), stemming or prefix folding by language, name
//! keys, CJK character pairs, term keys and TF-IDF weights.

use super::*;

/// Stop words by their [`term_key`]: a word is checked with the key it
/// needs anyway, without hashing its text a second time.
pub(crate) type StopSet = rustc_hash::FxHashSet<u64>;

/// The lexicon's `en/stop-words` as a set: a token is checked in one lookup, not a scan.
pub(crate) fn stop_words() -> &'static StopSet {
    static SET: std::sync::OnceLock<StopSet> = std::sync::OnceLock::new();
    SET.get_or_init(|| {
        let words = corroborate_lexicon::words("en", "stop-words");
        words.iter().map(|w| term_key(w)).collect()
    })
}

/// The stop words of a language (ISO 639-1): `en/stop-words` (English words turn
/// up in every language's news) with the language's list from the
/// stop-words crate, which takes NLTK's list where NLTK has one (shorter
/// and more careful) and stopwords-iso's otherwise (Polish, Czech, ...).
/// Without them a German or Spanish text's articles and conjunctions would
/// weigh as much as its content words, and any two texts of the language
/// would look alike.
pub(crate) fn stop_words_of(lang: Option<&str>) -> &'static StopSet {
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
pub(crate) fn plural_fold(w: &str) -> &str {
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
pub(crate) fn each_token(
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
pub(crate) fn lowered<'a>(w: &'a str, buf: &'a mut String) -> &'a str {
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
pub(crate) enum Fold {
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
pub(crate) const PREFIX_CHARS: usize = 5;

/// Languages with a Snowball stemmer in rust-stemmers.
pub(crate) const STEMMED: &[(&str, rust_stemmers::Algorithm)] = {
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
    pub(crate) fn of(lang: Option<&str>) -> Fold {
        match lang {
            None => Fold::Plural,
            Some(l) => STEMMED
                .iter()
                .position(|(code, _)| code.eq_ignore_ascii_case(l))
                .map_or(Fold::Prefix, |i| Fold::Stem(i as u8)),
        }
    }

    /// The term of a lower-cased word whose own key is `key`.
    pub(crate) fn term(self, w: &str, key: u64) -> Term<'_> {
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
pub(crate) enum Term<'a> {
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
    pub(crate) fn key(self) -> u64 {
        match self {
            Term::Key(k) | Term::Name(k) => k,
            Term::Stem { stemmer, word, .. } => stem_key(stemmer, word),
        }
    }

    /// For a word to stem, one u64 for (stemmer, word): the word's key
    /// moved by the stemmer.
    pub(crate) fn stem_slot(self) -> Option<u64> {
        match self {
            Term::Stem { stemmer, key, .. } => Some(key.rotate_left(u32::from(stemmer) + 1)),
            _ => None,
        }
    }
}

/// Cells of a clusterer's cache of stemmed words (a power of two).
pub(crate) const STEMMED_SLOTS: usize = 1 << 16;

/// The term key of a word's Snowball stem (rust-stemmers).
pub(crate) fn stem_key(stemmer: u8, w: &str) -> u64 {
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
pub(crate) fn name_key(w: &str) -> Option<u64> {
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

pub(crate) const NAME_SPACE: u64 = 0x9e37_79b9_7f4a_7c15;

/// Calls `f` with the terms of an article in reading order and their
/// weight: title words count twice, and only the first 600 body words
/// count; then its names ([`name_key`]).
pub(crate) fn each_weighted_term(doc: &ClusterDoc<'_>, f: &mut impl FnMut(Term<'_>, f64)) {
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
pub(crate) fn term_key(term: &str) -> u64 {
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
pub(crate) fn tf_idf(f: f64, df: u32, n: f64) -> f64 {
    (1.0 + f.ln()) * (n / (f64::from(df) + 1.0)).ln()
}

/// Scales the weights to unit length (a map's values or a vector's).
pub(crate) fn unit_length<'a>(weights: impl IntoIterator<Item = &'a mut f64>) {
    let mut xs: Vec<&mut f64> = weights.into_iter().collect();
    let norm = xs.iter().map(|x| **x * **x).sum::<f64>().sqrt();
    if norm > 0.0 {
        xs.iter_mut().for_each(|x| **x /= norm);
    }
}

/// Runs of CJK characters as overlapping pairs; other runs (Latin words,
/// digits glued to them) as they are.
pub(crate) fn cjk_pairs(w: &str) -> Vec<String> {
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

/// A term id is its slot in the document frequencies shifted left, with
/// the low bit set for a name term: telling a name from a word costs no
/// lookup in a table as large as the vocabulary.
pub(crate) fn slot(id: u32) -> usize {
    (id >> 1) as usize
}

/// Whether a term id is a language-neutral name or number ([`name_key`]).
pub(crate) fn is_name(id: u32) -> bool {
    id & 1 == 1
}
