//! The learnt bags' vocabularies, chosen on the train split only: stems of
//! the sentences closest to the claim, phrases of the whole text, phrases
//! of the claim.

use super::*;

/// Bodies a vocabulary stem must appear in (in the closest sentences of
/// some related train pair), and stems kept per related class. Chosen on
/// dev among 10 / 30 / 60 / 100 bodies and 30 / 60 stems: 100 and 30 gave
/// the best dev figures and the smallest train-dev gap (the rarer the
/// stem, the more it names one story's people and places).
const VOCAB_MIN_BODIES: usize = 100;
const VOCAB_PER_CLASS: usize = 30;

/// The bag vocabulary, from the train split only: stems of the sentences
/// closest to the claim that tell the related classes apart (chi-square of
/// each class against the other two, counted once per body and class),
/// seen in at least [`VOCAB_MIN_BODIES`] bodies, never a name (a stem
/// mostly written with a capital) or a number.
fn choose_vocab(data: &Data, prepared: &HashMap<u32, Prepared>, caps: &Capitals) -> Vec<String> {
    let (n_min, k) = (VOCAB_MIN_BODIES, VOCAB_PER_CLASS);
    // Names and numbers are never chosen: stems written with a capital
    // most of the time, or holding a digit.
    // Nor the stems the cue lexicons already hold: their features count
    // them in context, the bag would count them again without it.
    use corroborate_stance::lexicon::{CONFIRM, HEDGE, NEGATION, REFUTE};
    let covered: HashSet<String> = [&REFUTE, &HEDGE, &CONFIRM, &NEGATION]
        .iter()
        .flat_map(|lex| lex.entries().iter())
        .filter(|e| e.len() == 1)
        .flat_map(|e| corroborate_stance::text::words(&e[0]))
        .map(|(_, w)| w.stem)
        .collect();
    let general = |w: &str| {
        !w.chars().any(|c| c.is_ascii_digit())
            && !name_like(&caps.by_stem, w)
            && !covered.contains(w)
    };
    // One document per (body, class): a body's pairs share its words, so
    // counting pairs would favour the words of one busy body.
    let mut docs: HashMap<(u32, usize), HashSet<&str>> = HashMap::new();
    for p in &data.pairs {
        if is_dev(p.body) || p.gold == Stance::Unrelated {
            continue;
        }
        let near = features::closest_stems(&Claim::new(&p.headline), &prepared[&p.body]);
        docs.entry((p.body, class(p.gold)))
            .or_default()
            .extend(near);
    }
    chi_square_pick(&docs, n_min, k, false, general)
}

/// Phrases (a word, or two consecutive words) per related class, the text
/// bag's from each body's whole text ("hoax", "the original": what a body
/// says of the story wherever it says it) and the claim bag's from the
/// headlines ("denies", "is not", "reportedly": how a headline words a
/// claim). Chosen like [`choose_vocab`]'s stems, with one document per
/// (story, class): a story's bodies share its topic words ("smartwatch",
/// "hostages"), which say nothing of stance on another story. Kept: the
/// `k` per class more frequent in the class than outside it, seen in
/// `min_stories` train stories, never a name or a number
/// ([`general_phrase`], judged from the bodies: headlines capitalise every
/// word).
fn choose_phrases<'a>(
    data: &Data,
    ctx: &VocabContext,
    phrases_of: impl Fn(&Pair) -> &'a HashSet<String>,
    min_stories: usize,
    k: usize,
) -> Vec<String> {
    let mut docs: HashMap<(u32, usize), HashSet<&str>> = HashMap::new();
    for p in &data.pairs {
        if is_dev(p.body) || p.gold == Stance::Unrelated {
            continue;
        }
        docs.entry((ctx.story[&p.body], class(p.gold)))
            .or_default()
            .extend(phrases_of(p).iter().map(String::as_str));
    }
    chi_square_pick(&docs, min_stories, k, true, |p| {
        general_phrase(&ctx.caps, p)
    })
}

/// What the three vocabularies are chosen with: each train body's story
/// and how its words are written.
struct VocabContext {
    story: HashMap<u32, u32>,
    caps: Capitals,
}

/// The three bags' vocabularies, from the train split only.
pub(super) fn choose_bags(
    data: &Data,
    prepared: &HashMap<u32, Prepared>,
) -> (Vec<String>, Vec<String>, Vec<String>) {
    let ctx = VocabContext {
        story: stories(data),
        caps: capitals(data),
    };
    let closest = choose_vocab(data, prepared, &ctx.caps);
    let bodies: HashMap<u32, HashSet<String>> = data
        .bodies
        .iter()
        .filter(|(id, _)| !is_dev(**id))
        .map(|(id, text)| (*id, features::phrases(text)))
        .collect();
    let text = choose_phrases(
        data,
        &ctx,
        |p| &bodies[&p.body],
        TEXT_VOCAB_MIN_STORIES,
        TEXT_VOCAB_PER_CLASS,
    );
    let headlines: HashMap<&str, HashSet<String>> = data
        .pairs
        .iter()
        .map(|p| (p.headline.as_str(), features::phrases(&p.headline)))
        .collect();
    let claim = choose_phrases(
        data,
        &ctx,
        |p| &headlines[p.headline.as_str()],
        CLAIM_VOCAB_MIN_STORIES,
        CLAIM_VOCAB_PER_CLASS,
    );
    (closest, text, claim)
}

/// How often each word of the train bodies is written with a capital, and
/// how often at all, by stem and by lower-cased form (one pass).
struct Capitals {
    by_stem: HashMap<String, (u32, u32)>,
    by_lower: HashMap<String, (u32, u32)>,
}

fn capitals(data: &Data) -> Capitals {
    let mut c = Capitals {
        by_stem: HashMap::new(),
        by_lower: HashMap::new(),
    };
    for (id, text) in &data.bodies {
        if is_dev(*id) {
            continue;
        }
        for (_, w) in corroborate_stance::text::words(text) {
            let cap = u32::from(w.capital);
            for (map, key) in [(&mut c.by_stem, w.stem), (&mut c.by_lower, w.lower)] {
                let e = map.entry(key).or_default();
                e.0 += cap;
                e.1 += 1;
            }
        }
    }
    c
}

/// Mostly written with a capital (a name), or never seen.
fn name_like(caps: &HashMap<String, (u32, u32)>, w: &str) -> bool {
    caps.get(w).is_none_or(|&(c, n)| c * 3 >= n)
}

/// Whether a phrase may be a bag feature: no digit, and no word of it
/// written with a capital a third of the times or more in the train bodies
/// (a name), nor absent from them.
fn general_phrase(caps: &Capitals, p: &str) -> bool {
    !p.chars().any(|c| c.is_ascii_digit()) && !p.split(' ').any(|w| name_like(&caps.by_lower, w))
}

/// Stories a claim-bag phrase must appear in, and phrases kept per class.
const CLAIM_VOCAB_MIN_STORIES: usize = 10;
const CLAIM_VOCAB_PER_CLASS: usize = 20;

/// The story of each train body: bodies related to a common headline are
/// one story (connected components of the related pairs; FNC-1 gives no
/// story ids). A story is named by its smallest body id.
fn stories(data: &Data) -> HashMap<u32, u32> {
    let mut parent: HashMap<u32, u32> = HashMap::new();
    fn find(parent: &mut HashMap<u32, u32>, x: u32) -> u32 {
        let p = *parent.entry(x).or_insert(x);
        if p == x {
            return x;
        }
        let root = find(parent, p);
        parent.insert(x, root);
        root
    }
    let mut first: HashMap<&str, u32> = HashMap::new();
    for p in &data.pairs {
        if is_dev(p.body) {
            continue;
        }
        find(&mut parent, p.body);
        if p.gold == Stance::Unrelated {
            continue;
        }
        let other = *first.entry(p.headline.as_str()).or_insert(p.body);
        let (a, b) = (find(&mut parent, p.body), find(&mut parent, other));
        parent.insert(a.max(b), a.min(b));
    }
    let ids: Vec<u32> = parent.keys().copied().collect();
    ids.into_iter().map(|b| (b, find(&mut parent, b))).collect()
}

/// Stories a text-bag phrase must appear in, and phrases kept per related
/// class.
const TEXT_VOCAB_MIN_STORIES: usize = 10;
const TEXT_VOCAB_PER_CLASS: usize = 30;

/// The `k` terms per class (asserts, reports, disputes) that tell it from
/// the other two best by chi-square over `docs` (one document per group,
/// a body or a story, and class), among terms seen in `n_min` groups that
/// pass `general`; with `over_only`, only terms more frequent in the class
/// than outside it.
fn chi_square_pick(
    docs: &HashMap<(u32, usize), HashSet<&str>>,
    n_min: usize,
    k: usize,
    over_only: bool,
    general: impl Fn(&str) -> bool,
) -> Vec<String> {
    let mut bodies: HashMap<&str, HashSet<u32>> = HashMap::new();
    let mut counts: HashMap<&str, [f64; 3]> = HashMap::new();
    let mut totals = [0f64; 3];
    for ((body, c), set) in docs {
        totals[*c] += 1.0;
        for w in set {
            bodies.entry(w).or_default().insert(*body);
            counts.entry(w).or_default()[*c] += 1.0;
        }
    }
    let n: f64 = totals.iter().sum();
    let mut chosen: Vec<String> = Vec::new();
    for c in 0..3 {
        let mut ranked: Vec<(f64, &str)> = counts
            .iter()
            .filter(|(w, _)| bodies[*w].len() >= n_min && general(w))
            .filter(|(_, v)| {
                let rest = v.iter().sum::<f64>() - v[c];
                !over_only || v[c] / totals[c].max(1.0) > rest / (n - totals[c]).max(1.0)
            })
            .map(|(w, v)| {
                let a = v[c];
                let b: f64 = v.iter().sum::<f64>() - a;
                let cc = totals[c] - a;
                let d = n - totals[c] - b;
                let chi = n * (a * d - b * cc).powi(2)
                    / ((a + b) * (cc + d) * (a + cc) * (b + d)).max(1e-9);
                (chi, *w)
            })
            .collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
        for (_, w) in ranked.into_iter().take(k) {
            if !chosen.iter().any(|x| x == w) {
                chosen.push(w.to_string());
            }
        }
    }
    chosen
}
