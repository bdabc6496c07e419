//! The features of a (claim, text) pair: how much of the claim the text
//! holds and where (relatedness), and which cues surround the sentences
//! closest to the claim (stance). General features only: word overlap,
//! position, and the cue lexicons of [`crate::lexicon`]; no topic words,
//! so that a model trained on one set of stories carries to others.

use crate::lexicon::{Lexicon, CONFIRM, HEDGE, NEGATION, REFUTE};
use crate::text::{sentences, words, Word};
use std::collections::HashSet;

/// A text prepared once for many claims: its words and sentences.
pub struct Prepared {
    /// All words with their char offsets.
    words: Vec<(usize, Word)>,
    /// Sentences: char span and the index range of their words.
    sentences: Vec<Sentence>,
    stems: HashSet<String>,
    bigrams: HashSet<(String, String)>,
    lowers: HashSet<String>,
    /// Hashes of the text's lower-cased words and pairs of consecutive
    /// words ([`phrase_hash`]), sorted and unique (8 bytes each, searched
    /// by bisection): what the text bag features look up.
    phrases: Vec<u64>,
    /// Cue counts of the whole text, one per lexicon of [`LEXICONS`].
    cues: [u32; 4],
}

struct Sentence {
    span: (usize, usize),
    stems: HashSet<String>,
    /// Cue counts, one per lexicon of [`LEXICONS`].
    cues: [u32; 4],
}

/// The cue lexicons, in the order of [`Sentence::cues`].
static LEXICONS: [&std::sync::LazyLock<Lexicon>; 4] = [&REFUTE, &HEDGE, &CONFIRM, &NEGATION];

impl Prepared {
    /// Prepares `title` (when given, read as the text's first sentence) and
    /// `text`.
    pub fn new(title: Option<&str>, text: &str) -> Prepared {
        let mut all = Vec::new();
        let mut spans = Vec::new();
        // The title's offsets are kept out of the text's: evidence points
        // into the text only, so title words get offsets past its end.
        let text_chars = text.chars().count();
        if let Some(t) = title.filter(|t| !t.trim().is_empty()) {
            let ws = words(t);
            spans.push(((text_chars, text_chars), 0..ws.len()));
            all.extend(ws.into_iter().map(|(_, w)| (text_chars, w)));
        }
        let ws = words(text);
        let mut k = 0;
        let base = all.len();
        for (s, e) in sentences(text) {
            let from = k;
            while k < ws.len() && ws[k].0 < e {
                k += 1;
            }
            spans.push(((s, e), base + from..base + k));
        }
        all.extend(ws);
        let content = |w: &Word| !w.stop;
        let stems: HashSet<String> = all
            .iter()
            .filter(|(_, w)| content(w))
            .map(|(_, w)| w.stem.clone())
            .collect();
        let cw: Vec<&String> = all
            .iter()
            .filter(|(_, w)| content(w))
            .map(|(_, w)| &w.stem)
            .collect();
        let bigrams = cw
            .windows(2)
            .map(|p| (p[0].clone(), p[1].clone()))
            .collect();
        let lowers = all.iter().map(|(_, w)| w.lower.clone()).collect();
        let lower: Vec<&str> = all.iter().map(|(_, w)| w.lower.as_str()).collect();
        let phrases = phrase_hashes(&lower);
        let sentences: Vec<Sentence> = spans
            .into_iter()
            .map(|(span, r)| {
                let lower: Vec<&str> = all[r.clone()]
                    .iter()
                    .map(|(_, w)| w.lower.as_str())
                    .collect();
                Sentence {
                    stems: all[r.clone()]
                        .iter()
                        .filter(|(_, w)| content(w))
                        .map(|(_, w)| w.stem.clone())
                        .collect(),
                    cues: LEXICONS.map(|lex| lex.count(&lower) as u32),
                    span,
                }
            })
            .collect();
        let mut cues = [0u32; 4];
        for s in &sentences {
            for (total, n) in cues.iter_mut().zip(s.cues) {
                *total += n;
            }
        }
        Prepared {
            words: all,
            sentences,
            stems,
            bigrams,
            lowers,
            phrases,
            cues,
        }
    }
}

/// The claim side, prepared once.
pub struct Claim {
    words: Vec<Word>,
    stems: Vec<String>,
    bigrams: Vec<(String, String)>,
    question: bool,
    /// Hashes of its words and pairs of words, as [`Prepared`] keeps them.
    phrases: Vec<u64>,
}

impl Claim {
    /// Prepares a claim (a headline, a sentence).
    pub fn new(text: &str) -> Claim {
        let words: Vec<Word> = words(text).into_iter().map(|(_, w)| w).collect();
        let mut stems: Vec<String> = words
            .iter()
            .filter(|w| !w.stop)
            .map(|w| w.stem.clone())
            .collect();
        let bigrams = stems
            .windows(2)
            .map(|p| (p[0].clone(), p[1].clone()))
            .collect();
        stems.sort();
        stems.dedup();
        let lower: Vec<&str> = words.iter().map(|w| w.lower.as_str()).collect();
        let phrases = phrase_hashes(&lower);
        Claim {
            words,
            stems,
            bigrams,
            question: text.trim_end().ends_with('?'),
            phrases,
        }
    }
}

/// The learnt bag features of a model: stems looked up in the sentences
/// closest to the claim, and phrases (a lower-cased word, or two
/// consecutive words joined by a space) looked up anywhere in the text and
/// in the claim.
#[derive(Debug, Clone, Default)]
pub struct Bags {
    closest: Vec<String>,
    text: Vec<String>,
    text_hashes: Vec<u64>,
    claim: Vec<String>,
    claim_hashes: Vec<u64>,
}

impl Bags {
    /// Bags of `closest` stems, `text` phrases and `claim` phrases.
    pub fn new(closest: Vec<String>, text: Vec<String>, claim: Vec<String>) -> Bags {
        let hashes = |v: &[String]| {
            v.iter()
                .map(|p| phrase_hash(&p.split(' ').collect::<Vec<_>>()))
                .collect()
        };
        Bags {
            closest,
            text_hashes: hashes(&text),
            text,
            claim_hashes: hashes(&claim),
            claim,
        }
    }
}

/// The phrases of a run of lower-cased words: each word, then each pair of
/// consecutive words (what [`phrases`] and the hashes both enumerate).
fn phrase_windows<T>(lower: &[T]) -> impl Iterator<Item = &[T]> {
    lower.windows(1).chain(lower.windows(2))
}

fn phrase_hashes(lower: &[&str]) -> Vec<u64> {
    let mut out: Vec<u64> = phrase_windows(lower).map(phrase_hash).collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// A stable hash of the words of a phrase joined by spaces (FNV-1a): the
/// same for a phrase of the text and one of a model's vocabulary.
pub fn phrase_hash(words: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (i, w) in words.iter().enumerate() {
        let sep = (i > 0).then_some(b' ');
        for b in sep.into_iter().chain(w.bytes()) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// The lower-cased words and pairs of consecutive words of `text`, as the
/// text bag features see them (a training program chooses its vocabulary
/// among them).
pub fn phrases(text: &str) -> HashSet<String> {
    let lower = crate::text::lower_words(text);
    phrase_windows(&lower).map(|p| p.join(" ")).collect()
}

/// Index of `text_len` (ln(1 + the text's words)) in [`NAMES`].
pub const TEXT_LEN: usize = 8;

/// The names of the features, in order (the model file records them).
pub const NAMES: &[&str] = &[
    "overlap",
    "bigram_overlap",
    "best_sentence",
    "top3_sentences",
    "lead",
    "names",
    "numbers",
    "claim_len",
    "text_len",
    "close_sentences",
    "best_position",
    "question",
    "refute_claim",
    "refute_top",
    "refute_text",
    "refute_lead",
    "refute_best",
    "hedge_claim",
    "hedge_top",
    "hedge_text",
    "hedge_lead",
    "hedge_best",
    "confirm_claim",
    "confirm_top",
    "confirm_text",
    "confirm_lead",
    "confirm_best",
    "negation_claim",
    "negation_top",
    "negation_text",
    "negation_lead",
    "negation_best",
    "refute_both",
    "negation_both",
    "best_x_refute",
    "best_x_hedge",
    "joint_refute",
    "joint_negation",
    "joint_hedge",
    "near_refute",
    "near_negation",
    "related_refuting",
];

/// Features of `claim` against `text`, and the index of the text's sentence
/// closest to the claim (the evidence: never the title; `None` for an
/// empty text). The named features ([`NAMES`]) come first, then one per
/// stem of the closest bag: whether the closest sentences hold it, then
/// one per phrase of the text bag: whether the text holds it, then one per
/// phrase of the claim bag: whether the claim holds it (vocabularies
/// learnt from the training split, see `cargo xtask train-stance`).
pub fn features(claim: &Claim, text: &Prepared, bags: &Bags) -> (Vec<f32>, Option<usize>) {
    let n_claim = claim.stems.len().max(1) as f32;
    let share = |set: &HashSet<String>| {
        claim.stems.iter().filter(|s| set.contains(*s)).count() as f32 / n_claim
    };
    let scored = rank(claim, text);
    let best = scored.first().map(|&(_, i)| i);
    let top: Vec<usize> = scored.iter().take(3).map(|&(_, i)| i).collect();
    let top3 = scored.iter().take(3).map(|x| x.0).sum::<f32>() / 3.0;
    let lead: Vec<usize> = (0..text.sentences.len().min(3)).collect();
    let names: Vec<&Word> = claim
        .words
        .iter()
        .filter(|w| w.capital && !w.stop)
        .collect();
    let numbers: Vec<&Word> = claim
        .words
        .iter()
        .filter(|w| w.lower.chars().any(|c| c.is_ascii_digit()))
        .collect();
    let found = |ws: &[&Word]| {
        if ws.is_empty() {
            0.5
        } else {
            ws.iter().filter(|w| text.lowers.contains(&w.lower)).count() as f32 / ws.len() as f32
        }
    };
    let bigram = if claim.bigrams.is_empty() {
        0.0
    } else {
        claim
            .bigrams
            .iter()
            .filter(|b| text.bigrams.contains(*b))
            .count() as f32
            / claim.bigrams.len() as f32
    };
    let n_words = text.words.len().max(1) as f32;
    let claim_lower: Vec<&str> = claim.words.iter().map(|w| w.lower.as_str()).collect();
    // Cue counts per sentence are the text's own, counted once when it
    // was prepared (a text is judged against many claims).
    let in_sentences = |lex: usize, which: &[usize]| -> f32 {
        which
            .iter()
            .map(|&i| text.sentences[i].cues[lex] as f32)
            .sum()
    };
    let mut f = vec![
        share(&text.stems),
        bigram,
        scored.first().map_or(0.0, |x| x.0),
        top3,
        lead.first()
            .map_or(0.0, |&i| share(&text.sentences[i].stems)),
        found(&names),
        found(&numbers),
        (1.0 + n_claim).ln(),
        (1.0 + n_words).ln(),
        (1.0 + scored.iter().filter(|x| x.0 >= 0.5).count() as f32).ln(),
        best.map_or(0.0, |i| i as f32 / text.sentences.len() as f32),
        f32::from(u8::from(claim.question)),
    ];
    let mut cue = |lex: usize| {
        let in_claim = LEXICONS[lex].count(&claim_lower) as f32;
        let whole = text.cues[lex] as f32;
        let values = [
            in_claim.min(3.0),
            in_sentences(lex, &top).min(6.0) / 3.0,
            (whole * 100.0 / n_words).min(10.0),
            in_sentences(lex, &lead).min(6.0) / 3.0,
            best.map_or(0.0, |i| in_sentences(lex, &[i]).min(3.0)),
        ];
        f.extend(values);
        values
    };
    let refute = cue(0);
    let hedge = cue(1);
    cue(2);
    let negation = cue(3);
    let best_share = scored.first().map_or(0.0, |x| x.0);
    f.extend([
        refute[0].min(1.0) * refute[1].min(1.0),
        negation[0].min(1.0) * negation[1].min(1.0),
        best_share * refute[4].min(1.0),
        best_share * hedge[4].min(1.0),
    ]);
    f.extend(joint(text, &scored, best));
    debug_assert_eq!(f.len(), NAMES.len());
    let near = &scored[..scored.len().min(CLOSEST)];
    f.extend(bags.closest.iter().map(|w| {
        let held = near
            .iter()
            .any(|&(_, i)| text.sentences[i].stems.contains(w));
        f32::from(u8::from(held))
    }));
    f.extend(
        bags.text_hashes
            .iter()
            .map(|h| f32::from(u8::from(text.phrases.binary_search(h).is_ok()))),
    );
    f.extend(
        bags.claim_hashes
            .iter()
            .map(|h| f32::from(u8::from(claim.phrases.binary_search(h).is_ok()))),
    );
    let evidence = scored
        .iter()
        .map(|&(_, i)| i)
        .find(|&i| sentence_span(text, i).is_some());
    (f, evidence)
}

/// Where cues and the claim meet anywhere in the text: for refuting,
/// negation and hedging cues, the largest claim share of a sentence that
/// holds the cue; refuting and negation cues in the sentences around the
/// closest one; and the share of the claim-related sentences (half the
/// claim or more) that refute.
fn joint(text: &Prepared, scored: &[(f32, usize)], best: Option<usize>) -> [f32; 6] {
    let with_cue = |lex: usize| {
        scored
            .iter()
            .find(|&&(_, i)| text.sentences[i].cues[lex] > 0)
            .map_or(0.0, |x| x.0)
    };
    let near = |lex: usize| {
        best.map_or(0.0, |b| {
            let to = (b + 2).min(text.sentences.len());
            (b.saturating_sub(1)..to)
                .map(|i| text.sentences[i].cues[lex] as f32)
                .sum::<f32>()
                .min(3.0)
        })
    };
    let related: Vec<usize> = scored
        .iter()
        .take_while(|x| x.0 >= 0.5)
        .map(|x| x.1)
        .collect();
    let refuting = if related.is_empty() {
        0.0
    } else {
        related
            .iter()
            .filter(|&&i| text.sentences[i].cues[0] > 0)
            .count() as f32
            / related.len() as f32
    };
    [
        with_cue(0),
        with_cue(3),
        with_cue(1),
        near(0),
        near(3),
        refuting,
    ]
}

/// The content stems of the three sentences closest to `claim` (what the
/// bag features of [`features`] look into; training chooses its vocabulary
/// from them).
pub fn closest_stems<'a>(claim: &Claim, text: &'a Prepared) -> HashSet<&'a str> {
    rank(claim, text)
        .iter()
        .take(CLOSEST)
        .flat_map(|&(_, i)| text.sentences[i].stems.iter().map(String::as_str))
        .collect()
}

/// How many of the closest sentences the bag features look into.
const CLOSEST: usize = 3;

/// The text's sentences by the share of the claim's content stems they
/// hold, largest first (ties in text order).
fn rank(claim: &Claim, text: &Prepared) -> Vec<(f32, usize)> {
    let n_claim = claim.stems.len().max(1) as f32;
    let mut scored: Vec<(f32, usize)> = text
        .sentences
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let n = claim.stems.iter().filter(|w| s.stems.contains(*w)).count();
            (n as f32 / n_claim, i)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    scored
}

/// Every feature name of a model with `bags`, in input order: the
/// [`NAMES`], then one per stem and phrase (what a model file records).
pub fn names(bags: &Bags) -> Vec<String> {
    NAMES
        .iter()
        .map(|s| s.to_string())
        .chain(bags.closest.iter().map(|w| format!("closest_has:{w}")))
        .chain(bags.text.iter().map(|w| format!("text_has:{w}")))
        .chain(bags.claim.iter().map(|w| format!("claim_has:{w}")))
        .collect()
}

/// The char span of sentence `i` of `text` (`None` for the title).
pub fn sentence_span(text: &Prepared, i: usize) -> Option<(usize, usize)> {
    let s = text.sentences.get(i)?;
    (s.span.0 != s.span.1).then_some(s.span)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_len_is_where_its_index_says() {
        assert_eq!(NAMES[TEXT_LEN], "text_len");
    }

    #[test]
    fn one_value_per_name_and_the_closest_sentence_found() {
        let claim = Claim::new("Harbour master says the ferry pier burned down");
        let text = Prepared::new(
            None,
            "The council met on Monday. The harbour master said the ferry pier burned down overnight. Nobody was hurt.",
        );
        let (f, best) = features(&claim, &text, &Bags::default());
        assert_eq!(f.len(), NAMES.len());
        assert_eq!(best, Some(1));
        assert_eq!(sentence_span(&text, 1), Some((27, 88)));
        let unrelated = Prepared::new(None, "The football club sacked its coach after a loss.");
        let (g, _) = features(&claim, &unrelated, &Bags::default());
        assert!(f[0] > 0.8 && g[0] < 0.2, "{} {}", f[0], g[0]);
    }

    #[test]
    fn refuting_cues_near_the_claim_are_seen() {
        let claim = Claim::new("Ferry pier burned down");
        let text = Prepared::new(
            None,
            "Officials said reports that the ferry pier burned down are false and a hoax.",
        );
        let (f, _) = features(&claim, &text, &Bags::default());
        let at = |name: &str| f[NAMES.iter().position(|n| *n == name).unwrap()];
        assert_eq!(at("refute_best"), 2.0);
        assert_eq!(at("refute_claim"), 0.0);
    }

    #[test]
    fn bag_features_look_into_the_closest_sentences_only() {
        let claim = Claim::new("Ferry pier burned down");
        // Five sentences: the bag reads the three closest to the claim, so
        // "ticket", in a sentence sharing nothing with it, is not seen.
        let text = Prepared::new(
            None,
            "The ferry pier burned down on Sunday. A witness said the pier burned for hours. \
             The ferry company posted a video. Tickets went on sale at noon. Lunch was late.",
        );
        let vocabulary: Vec<String> = ["wit", "ticket", "video"]
            .iter()
            .map(|w| Claim::new(w).stems[0].clone())
            .collect();
        let bags = Bags::new(vocabulary, vec![], vec![]);
        let (f, _) = features(&claim, &text, &bags);
        assert_eq!(f.len(), NAMES.len() + 3);
        assert_eq!(&f[NAMES.len()..], &[1.0, 0.0, 1.0]);
    }

    #[test]
    fn text_bag_phrases_are_words_and_word_pairs_anywhere_in_the_text() {
        let claim = Claim::new("Ferry pier burned down");
        let text = Prepared::new(
            Some("A hoax"),
            "The ferry pier burned down on Sunday. Lunch was late. \
             The story was a Fake, readers later learnt.",
        );
        let bags = Bags::new(
            vec![],
            [
                "hoax",
                "a fake",
                "the story",
                "story the",
                "fake readers",
                "lunch late",
            ]
            .map(String::from)
            .to_vec(),
            vec!["pier burned".into(), "burned pier".into(), "down".into()],
        );
        let (f, _) = features(&claim, &text, &bags);
        // Title words count; pairs cross punctuation but not word order.
        assert_eq!(
            &f[NAMES.len()..NAMES.len() + 6],
            &[1.0, 1.0, 1.0, 0.0, 1.0, 0.0]
        );
        assert_eq!(&f[NAMES.len() + 6..], &[1.0, 0.0, 1.0]);
        assert_eq!(names(&bags)[NAMES.len() + 6], "claim_has:pier burned");
        assert_eq!(names(&bags)[NAMES.len() + 1], "text_has:a fake");
        let p = phrases("It's a FAKE story");
        assert!(p.contains("it's a") && p.contains("fake story") && p.contains("fake"));
        assert_eq!(p.len(), 7);
    }

    #[test]
    fn a_refuting_sentence_close_to_the_claim_is_measured_wherever_it_stands() {
        let claim = Claim::new("Ferry pier burned down");
        let text = Prepared::new(
            None,
            "The council met on Monday. Nobody was hurt. \
             It is false that the ferry pier burned down.",
        );
        let (f, _) = features(&claim, &text, &Bags::default());
        let at = |name: &str| f[NAMES.iter().position(|n| *n == name).unwrap()];
        assert_eq!(at("joint_refute"), 1.0);
        assert_eq!(at("related_refuting"), 1.0);
        assert_eq!(at("joint_hedge"), 0.0);
    }
}
