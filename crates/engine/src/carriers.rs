//! The stance of each article toward each claim it carries, and the claim
//! statuses that follow from them.
//!
//! A carrier whose own cue or hedge is a denial ("denied", "disputed")
//! disputes the claim by that rule. Every other carrier is judged by the
//! stance model ([`corroborate_stance`]) from the whole article, which was
//! trained on whole articles against their headline claim; a story's claims
//! are often one statement among many, so the model's verdict is only
//! taken where the carrier's own words back it:
//! - `disputes` only when a refuting cue ("false", "a hoax", "no evidence")
//!   stands in the carrier's sentence or the one after it;
//! - `asserts` only when the carrier is not hedged (but for "confirmed")
//!   and either names no speaker (the outlet's own voice) or its cue
//!   confirms ("confirmed");
//! - otherwise `reports`: the article relays someone's claim.
//!
//! Then a claim that some carrier disputes is `disputed`, or `contested`
//! when another carrier asserts it or a second speaker repeats it
//! (`confirmed` before).
//!
//! Cost: each carrying article is prepared once per story (linear in its
//! text); each carrier is one judgement, linear in its article's sentences.

use corroborate_model::{Article, ArticleId, ClaimCarrier, ClaimStatus, Stance, StoryReport};
use corroborate_stance::{Claim, Model, Prepared};
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

static MODEL: LazyLock<Model> = LazyLock::new(Model::default);

/// Cues that make a carrier a denial without the model (lexicon
/// `en/denial-cues`).
static DENIALS: LazyLock<Vec<&str>> =
    LazyLock::new(|| corroborate_lexicon::words("en", "denial-cues"));

/// Articles prepared for the stance model, and the model's verdicts, kept
/// between reports by a warm engine: a story that grows one article at a
/// time has its report rebuilt each time, and preparing its articles' words
/// again was a quarter of an add (perf, 20,000-article store); judging
/// every carrier again was most of the rest (193 ms of a 218 ms add for a
/// story of 18 articles and 1,144 carriers). Both are pure functions of an
/// article's title and text, which its id (a content hash) fixes, and of
/// the claim's wording; so a rebuilt report judges only its new carriers.
/// Bounded: past [`PREPARED_KEPT`] articles or [`VERDICTS_KEPT`] verdicts
/// a map starts again empty.
#[derive(Default)]
pub(crate) struct PreparedCache {
    prepared: Mutex<HashMap<ArticleId, Arc<Prepared>>>,
    /// The model's stance and score per claim wording (its hash) and
    /// carrying article.
    verdicts: Mutex<HashMap<(u64, ArticleId), (Stance, f64)>>,
}

/// Most prepared articles a [`PreparedCache`] keeps.
const PREPARED_KEPT: usize = 512;

/// Most verdicts a [`PreparedCache`] keeps (about 100 bytes each).
const VERDICTS_KEPT: usize = 200_000;

/// Inserts into a bounded map: past `cap` entries it starts again empty.
fn bounded_insert<K: std::hash::Hash + Eq, V>(m: &mut HashMap<K, V>, cap: usize, k: K, v: V) {
    if m.len() >= cap {
        m.clear();
    }
    m.insert(k, v);
}

/// [`bounded_insert`] under the map's lock.
fn keep<K: std::hash::Hash + Eq, V>(map: &Mutex<HashMap<K, V>>, cap: usize, k: K, v: V) {
    if let Ok(mut m) = map.lock() {
        bounded_insert(&mut m, cap, k, v);
    }
}

impl PreparedCache {
    fn get(&self, article: &Article) -> Arc<Prepared> {
        let found = self
            .prepared
            .lock()
            .ok()
            .and_then(|m| m.get(&article.id).cloned());
        if let Some(p) = found {
            return p;
        }
        let p = Arc::new(Prepared::new(article.title.as_deref(), &article.text));
        keep(&self.prepared, PREPARED_KEPT, article.id.clone(), p.clone());
        p
    }

    fn verdict(&self, key: &(u64, ArticleId)) -> Option<(Stance, f64)> {
        self.verdicts.lock().ok()?.get(key).copied()
    }

    /// Remembers the model's verdicts written in a story's earlier report,
    /// so that rebuilding it judges only the carriers that are new.
    pub(crate) fn remember(&self, earlier: &StoryReport) {
        let Ok(mut m) = self.verdicts.lock() else {
            return;
        };
        for claim in &earlier.claims {
            let h = wording_hash(&claim.text);
            for c in &claim.carriers {
                if let Some(v) = c.model {
                    bounded_insert(&mut m, VERDICTS_KEPT, (h, c.article.clone()), v);
                }
            }
        }
    }
}

/// The hash a claim's wording is remembered by.
fn wording_hash(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

/// Sets every carrier's stance in `report` and settles claim statuses;
/// `articles` holds the story's articles; `cache` keeps prepared articles
/// between calls.
pub(crate) fn judge(report: &mut StoryReport, articles: &[&Article], cache: &PreparedCache) {
    let by_id: HashMap<&ArticleId, &Article> = articles.iter().map(|a| (&a.id, *a)).collect();
    let mut prepared: HashMap<ArticleId, Arc<Prepared>> = HashMap::new();
    let mut refuting: HashMap<ArticleId, Refuting> = HashMap::new();
    for claim in &mut report.claims {
        // Tokenised only if the model runs for one of its carriers.
        let mut wording: Option<Claim> = None;
        let mut hash: Option<u64> = None;
        let text = &claim.text;
        // Where each article carries this claim, grouped once (not a scan
        // of every carrier per carrier: a claim copied by thousands of
        // articles would make that quadratic).
        let mut starts: HashMap<ArticleId, Vec<usize>> = HashMap::new();
        for c in &claim.carriers {
            starts.entry(c.article.clone()).or_default().push(c.start);
        }
        for carrier in &mut claim.carriers {
            let Some(article) = by_id.get(&carrier.article) else {
                continue;
            };
            carrier.stance_score = None;
            carrier.model = None;
            if denial(carrier) {
                carrier.stance = Some(Stance::Disputes);
                continue;
            }
            // What the carrier's own words allow: the model runs only when
            // its verdict could be kept (most carriers relay a speaker with
            // "said" and no refuting cue beside them).
            let others: Vec<usize> = starts[&carrier.article]
                .iter()
                .copied()
                .filter(|&s| s != carrier.start)
                .collect();
            let may_dispute = refuting
                .entry(carrier.article.clone())
                .or_insert_with(|| Refuting::new(&article.text))
                .near(carrier.start, &others);
            let may_assert = carrier.hedges.iter().all(|h| confirming(Some(h)))
                && (carrier.speaker.is_none() || confirming(carrier.cue.as_deref()));
            carrier.stance = Some(Stance::Reports);
            if !may_dispute && !may_assert {
                continue;
            }
            let key = (
                *hash.get_or_insert_with(|| wording_hash(text)),
                carrier.article.clone(),
            );
            let (stance, score) = cache.verdict(&key).unwrap_or_else(|| {
                let prep = prepared
                    .entry(carrier.article.clone())
                    .or_insert_with(|| cache.get(article));
                let wording = wording.get_or_insert_with(|| Claim::new(text));
                let j = MODEL.judge_prepared(wording, prep, &article.text);
                let v = (j.stance, (f64::from(j.score) * 1000.0).round() / 1000.0);
                keep(&cache.verdicts, VERDICTS_KEPT, key, v);
                v
            });
            carrier.model = Some((stance, score));
            let backed = match stance {
                Stance::Disputes => may_dispute,
                Stance::Asserts => may_assert,
                _ => false,
            };
            if backed {
                carrier.stance = Some(stance);
                carrier.stance_score = Some(score);
            }
        }
        let disputes = claim
            .carriers
            .iter()
            .any(|c| c.stance == Some(Stance::Disputes));
        let asserts = claim
            .carriers
            .iter()
            .any(|c| c.stance == Some(Stance::Asserts));
        if disputes {
            claim.status = if asserts || claim.status == ClaimStatus::Confirmed {
                ClaimStatus::Contested
            } else {
                ClaimStatus::Disputed
            };
        }
    }
}

/// Cues by which a speaker confirms rather than claims (lexicon
/// `en/confirming-cues`).
static CONFIRMING: LazyLock<Vec<&str>> =
    LazyLock::new(|| corroborate_lexicon::words("en", "confirming-cues"));

fn confirming(cue: Option<&str>) -> bool {
    cue.is_some_and(|c| CONFIRMING.contains(&c.to_lowercase().as_str()))
}

/// An article's sentences and which of them hold a refuting cue, found
/// once per article and story.
struct Refuting {
    spans: Vec<(usize, usize)>,
    chars: Vec<char>,
    /// Whether each sentence holds a refuting cue, read the first time a
    /// carrier asks (most sentences of a long page never are: reading
    /// them all cost a rebuild tens of milliseconds per long page).
    refutes: Vec<Option<bool>>,
}

impl Refuting {
    fn new(text: &str) -> Refuting {
        let spans = corroborate_stance::text::sentences(text);
        let refutes = vec![None; spans.len()];
        Refuting {
            spans,
            chars: text.chars().collect(),
            refutes,
        }
    }

    fn refutes(&mut self, k: usize) -> bool {
        if let Some(r) = self.refutes[k] {
            return r;
        }
        let (s, e) = self.spans[k];
        let sentence: String = self.chars[s..e].iter().collect();
        let words = corroborate_stance::text::lower_words(&sentence);
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        let r = corroborate_stance::lexicon::REFUTE.count(&words) > 0;
        self.refutes[k] = Some(r);
        r
    }

    /// A refuting cue in the sentence holding `start` or the one after it
    /// (unless that one carries the claim again, at `others`: a denial
    /// there is its own carrier's).
    fn near(&mut self, start: usize, others: &[usize]) -> bool {
        // Sentences are in text order: the first ending after `start`.
        let k = self.spans.partition_point(|&(_, e)| e <= start);
        if self.spans.get(k).is_none_or(|&(s, _)| s > start) {
            return false;
        }
        let next = self
            .spans
            .get(k + 1)
            .is_some_and(|&(s, e)| !others.iter().any(|o| (s..e).contains(o)));
        self.refutes(k) || (next && self.refutes(k + 1))
    }
}

fn denial(c: &ClaimCarrier) -> bool {
    let cue = c.cue.as_deref().map(str::to_lowercase);
    c.hedges
        .iter()
        .map(String::as_str)
        .chain(cue.as_deref())
        .any(|w| DENIALS.contains(&w))
}

#[cfg(test)]
mod tests {
    use super::*;
    use corroborate_model::{ArticleId, Claim as ReportClaim};

    fn article(text: &str) -> Article {
        Article::bare(ArticleId("a-test".into()), "t.txt", text)
    }

    /// The fictional fire story's report (crates/model/testdata/report.json) holding one
    /// claim.
    fn report_with_claim(
        text: &str,
        status: ClaimStatus,
        carriers: Vec<ClaimCarrier>,
    ) -> StoryReport {
        let mut r: StoryReport =
            serde_json::from_str(include_str!("../../model/testdata/report.json"))
                .expect("fixture parses");
        r.claims = vec![ReportClaim {
            id: "c1".into(),
            text: text.into(),
            speaker: None,
            channel: None,
            date: None,
            channels: vec![],
            dates: vec![],
            status,
            first_reported_by: carriers[0].article.clone(),
            carriers,
        }];
        r
    }

    /// Each entry of the lexicon's `denial-cues` makes its carrier a denial
    /// (in any case), each of `confirming-cues` confirms; a plain "said"
    /// does neither.
    #[test]
    fn cue_tables_decide_denial_and_confirmation() {
        let carrier = |cue: &str| ClaimCarrier {
            article: ArticleId("a-test".into()),
            start: 0,
            end: 10,
            text: "the pier burned down".into(),
            direct: false,
            hedges: vec![],
            speaker: Some("port authority".into()),
            cue: Some(cue.into()),
            channel: None,
            date: None,
            stance: None,
            stance_score: None,
            model: None,
        };
        for cue in corroborate_lexicon::words("en", "denial-cues") {
            assert!(denial(&carrier(cue)), "{cue}");
            assert!(denial(&carrier(&cue.to_uppercase())), "{cue}");
        }
        for cue in corroborate_lexicon::words("en", "confirming-cues") {
            assert!(confirming(Some(cue)) && !denial(&carrier(cue)), "{cue}");
        }
        assert!(!denial(&carrier("said")) && !confirming(Some("said")));
    }

    #[test]
    fn a_denial_disputes_and_a_second_party_makes_it_contested() {
        let a = article("The harbour master said the pier burned down. The port authority denied that the pier burned down.");
        let carrier = |start: usize, speaker: &str, cue: &str| ClaimCarrier {
            article: a.id.clone(),
            start,
            end: start + 10,
            text: "the pier burned down".into(),
            direct: false,
            hedges: vec![],
            speaker: Some(speaker.into()),
            cue: Some(cue.into()),
            channel: None,
            date: None,
            stance: None,
            stance_score: None,
            model: None,
        };
        let mut report = report_with_claim(
            "the pier burned down",
            ClaimStatus::Confirmed,
            vec![
                carrier(0, "harbour master", "said"),
                carrier(48, "port authority", "denied"),
            ],
        );
        judge(&mut report, &[&a], &PreparedCache::default());
        let c = &report.claims[0];
        assert_eq!(c.carriers[1].stance, Some(Stance::Disputes));
        assert_ne!(c.carriers[0].stance, Some(Stance::Disputes));
        assert_ne!(c.carriers[0].stance, Some(Stance::Unrelated));
        assert_eq!(c.status, ClaimStatus::Contested);
    }

    /// A report whose one claim, "the ferry pier at Norhaven burned down",
    /// a viral post in `a` claimed.
    fn ferry_report(a: &Article) -> StoryReport {
        report_with_claim(
            "the ferry pier at Norhaven burned down",
            ClaimStatus::AttributedOnly,
            vec![ClaimCarrier {
                article: a.id.clone(),
                start: 0,
                end: 20,
                text: "the ferry pier at Norhaven burned down".into(),
                direct: false,
                hedges: vec![],
                speaker: Some("a viral post".into()),
                cue: Some("claimed".into()),
                channel: None,
                date: None,
                stance: None,
                stance_score: None,
                model: None,
            }],
        )
    }

    #[test]
    fn a_debunk_after_the_claim_disputes_but_one_far_away_does_not() {
        let one = |text: &str| {
            let a = article(text);
            let mut r = ferry_report(&a);
            judge(&mut r, &[&a], &PreparedCache::default());
            r.claims[0].carriers[0].stance
        };
        let debunked = one("A viral post claimed the ferry pier at Norhaven burned down. The claim is false and the photo is a hoax from another country, the harbour master said.");
        let far = one("A viral post claimed the ferry pier at Norhaven burned down. The harbour master said crews were checking the pier. Ferries ran as usual in the afternoon. Separately, officials called a story about the mayor false and a hoax.");
        assert_ne!(
            far,
            Some(Stance::Disputes),
            "the hoax is about something else"
        );
        assert!(matches!(
            debunked,
            Some(Stance::Disputes) | Some(Stance::Reports)
        ));
    }

    /// A rebuilt report takes the model's verdicts from the earlier report
    /// (the model does not run again): a verdict planted in the earlier
    /// report comes back, and the model's own verdict is written for a
    /// carrier it judged.
    #[test]
    fn a_rebuilt_report_reuses_the_earlier_verdicts() {
        let a = article("A viral post claimed the ferry pier at Norhaven burned down. The claim is false and the photo is a hoax from another country, the harbour master said.");
        let fresh = || ferry_report(&a);
        let mut first = fresh();
        judge(&mut first, &[&a], &PreparedCache::default());
        let (stance, _) = first.claims[0].carriers[0].model.expect("the model ran");
        // The opposite verdict, planted as if an earlier report had it.
        let planted = if stance == Stance::Disputes {
            Stance::Unrelated
        } else {
            Stance::Disputes
        };
        let mut earlier = first.clone();
        earlier.claims[0].carriers[0].model = Some((planted, 0.999));
        let cache = PreparedCache::default();
        cache.remember(&earlier);
        let mut rebuilt = fresh();
        judge(&mut rebuilt, &[&a], &cache);
        assert_eq!(rebuilt.claims[0].carriers[0].model, Some((planted, 0.999)));
    }
}
