//! Story-level alignment: claims across articles, figure groups, timeline,
//! outlet coverage and the summary.

use crate::similarity::stem_set;
use crate::speakers::name_key;
use corroborate_model::{
    Annotations, Article, ArticleRef, Attestation, Claim, ClaimCarrier, ClaimStatus, CopyOf,
    OutletCoverage, RelatedStory, StoryId, StoryReport, TimeSpan,
};
use std::collections::{HashMap, HashSet};

/// One article of a story, with its annotations and copy relation.
#[derive(Debug, Clone)]
pub struct ReportArticle<'a> {
    /// The article.
    pub article: &'a Article,
    /// Its annotations (dates resolved against its, or the story's, date).
    pub annotations: Annotations,
    /// Set when it copies another article.
    pub copy_of: Option<CopyOf>,
}

/// A story to report on.
#[derive(Debug, Clone)]
pub struct StoryInput<'a> {
    /// Story id.
    pub id: StoryId,
    /// Its articles, in arrival order.
    pub articles: Vec<ReportArticle<'a>>,
    /// Related stories.
    pub related: Vec<RelatedStory>,
    /// Stories merged into this one, with why.
    pub merged: Vec<RelatedStory>,
}

/// Minimum statement similarity to align two wordings as one claim.
const ALIGN: f64 = 0.5;
/// Minimum similarity when the speakers differ.
const SAME_CLAIM_OTHER_SPEAKER: f64 = 0.8;

/// A statement's wording prepared for alignment: its stems and the stems
/// of each of its sentences, computed once per statement rather than once
/// per comparison (alignment compares every statement with every claim).
/// Stems are numbered per story ([`Stems`]) and kept as sorted lists, so a
/// comparison is one merge of two short lists, not a hash of every stem.
struct Wording {
    len: usize,
    all: Vec<u32>,
    parts: Vec<Vec<u32>>,
}

/// The numbers of one story's stems.
#[derive(Default)]
struct Stems(HashMap<String, u32>);

impl Stems {
    /// The sorted, distinct numbers of `text`'s stems.
    fn of(&mut self, text: &str) -> Vec<u32> {
        let mut ids: Vec<u32> = stem_set(text)
            .into_iter()
            .map(|stem| {
                let next = self.0.len() as u32;
                *self.0.entry(stem).or_insert(next)
            })
            .collect();
        ids.sort_unstable();
        ids
    }
}

impl Wording {
    fn new(text: &str, stems: &mut Stems) -> Self {
        Wording {
            len: text.len(),
            all: stems.of(text),
            parts: text
                .split_inclusive(['.', '!', '?'])
                .map(|part| stems.of(part))
                .collect(),
        }
    }
}

/// Dice's coefficient of two sorted lists of distinct stem numbers, as
/// `similarity::dice` computes it over sets.
fn dice_sorted(x: &[u32], y: &[u32]) -> f64 {
    if x.is_empty() || y.is_empty() {
        return 0.0;
    }
    let shared = corroborate_model::sorted_intersection(x, y);
    2.0 * shared as f64 / (x.len() + y.len()) as f64
}

fn claim_similarity(a: &Wording, b: &Wording) -> f64 {
    let whole = dice_sorted(&a.all, &b.all);
    // A short wording inside a longer one (a quote cut in two paragraphs)
    // scores low on Dice; compare it with the matching part instead.
    let (short, long) = if a.len <= b.len { (a, b) } else { (b, a) };
    let best_part = long
        .parts
        .iter()
        .map(|part| dice_sorted(&short.all, part))
        .fold(0.0, f64::max);
    whole.max(best_part * 0.95)
}

fn outlet_of(a: &Article) -> String {
    corroborate_model::outlet_label(a.site.as_deref(), &a.source)
}

pub(crate) fn sentence_around(text: &str, start: usize, end: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut s = start.min(chars.len());
    while s > 0
        && !(matches!(chars[s - 1], '.' | '!' | '?' | '\n')
            && (s == chars.len() || chars[s].is_whitespace()))
    {
        s -= 1;
    }
    let mut e = end.min(chars.len());
    while e < chars.len()
        && !matches!(chars[e], '\n')
        && !(matches!(chars[e], '.' | '!' | '?')
            && chars.get(e + 1).is_none_or(|c| c.is_whitespace()))
    {
        e += 1;
    }
    let e = (e + 1).min(chars.len());
    chars[s..e].iter().collect::<String>().trim().to_string()
}

/// Builds the report of one story.
pub fn build_report(input: &StoryInput<'_>) -> StoryReport {
    let mut order: Vec<usize> = (0..input.articles.len()).collect();
    order.sort_by_key(|&i| {
        (
            input.articles[i].article.published.is_none(),
            input.articles[i].article.published,
            i,
        )
    });
    let arts: Vec<&ReportArticle<'_>> = order.iter().map(|&i| &input.articles[i]).collect();

    // Canonical speaker names across the story: the fullest form of each key.
    let mut canon: HashMap<String, String> = HashMap::new();
    for ra in &arts {
        for s in &ra.annotations.statements {
            if let Some(sp) = &s.speaker {
                let k = name_key(&sp.name);
                let e = canon.entry(k).or_insert_with(|| sp.name.clone());
                if sp.name.split_whitespace().count() > e.split_whitespace().count() {
                    *e = sp.name.clone();
                }
            }
        }
    }

    let mut claims = align_claims(&arts, &canon);
    // Most widely carried first; ties keep story order.
    claims.sort_by_cached_key(|c| {
        std::cmp::Reverse(
            c.carriers
                .iter()
                .map(|x| &x.article)
                .collect::<HashSet<_>>()
                .len(),
        )
    });
    for (i, c) in claims.iter_mut().enumerate() {
        c.id = format!("c{}", i + 1);
    }

    let figures = crate::figure_groups::groups(&arts);

    let timeline = crate::timeline::timeline(&arts);

    let outlets = outlet_coverage(&arts, &claims);

    let lead = arts.iter().find(|ra| ra.copy_of.is_none()).or(arts.first());
    let title = lead
        .and_then(|ra| ra.article.title.clone())
        .or_else(|| arts.iter().find_map(|ra| ra.article.title.clone()))
        .unwrap_or_else(|| {
            lead.map(|ra| ra.article.text.chars().take(80).collect())
                .unwrap_or_default()
        });
    let summary = lead
        .map(|ra| summarize(&ra.article.text))
        .unwrap_or_default();
    let dated: Vec<_> = arts.iter().filter_map(|ra| ra.article.published).collect();
    StoryReport {
        id: input.id.clone(),
        title,
        span: TimeSpan {
            start: dated.iter().min().copied(),
            end: dated.iter().max().copied(),
        },
        summary,
        articles: arts
            .iter()
            .map(|ra| ArticleRef {
                id: ra.article.id.clone(),
                source: ra.article.source.clone(),
                outlet: ra.article.site.clone(),
                url: ra.article.url.clone(),
                title: ra.article.title.clone(),
                published: ra.article.published,
                language: ra.article.language.clone(),
                copy_of: ra.copy_of.clone(),
            })
            .collect(),
        claims,
        figures,
        timeline,
        outlets,
        related: input.related.clone(),
        merged: input.merged.clone(),
    }
}

/// Claims whose omission by an outlet is reported: the most widely carried
/// ones (claims come sorted that way). Listing every claim an outlet left
/// out would grow with claims × outlets.
const MAX_OMISSION_CLAIMS: usize = 64;

/// Which outlets carried the story, which claims only one of them carried,
/// and which widely carried claims each left out. Copies are collapsed into
/// their original: a claim carried by an article and its copy is carried by
/// one outlet. Costs the story's carriers plus outlets × the claims checked.
fn outlet_coverage(arts: &[&ReportArticle<'_>], claims: &[Claim]) -> Vec<OutletCoverage> {
    let mut outlets: Vec<OutletCoverage> = Vec::new();
    let mut slot: HashMap<String, usize> = HashMap::new();
    // Each article's outlet, or None for a copy: copies are collapsed into
    // their original, so they carry nothing of their own.
    let mut outlet_of_id: HashMap<&corroborate_model::ArticleId, Option<usize>> = HashMap::new();
    // Whether an outlet has an article that is not a copy.
    let mut has_own: Vec<bool> = Vec::new();
    for ra in arts {
        let name = outlet_of(ra.article);
        let k = *slot.entry(name.clone()).or_insert_with(|| {
            outlets.push(OutletCoverage {
                outlet: name,
                articles: vec![],
                exclusive_claims: vec![],
                omitted_claims: vec![],
            });
            has_own.push(false);
            outlets.len() - 1
        });
        outlets[k].articles.push(ra.article.id.clone());
        let copy = ra.copy_of.as_ref().is_some_and(|c| c.article.is_some());
        outlet_of_id.insert(&ra.article.id, (!copy).then_some(k));
        has_own[k] |= !copy;
    }
    let several_outlets = outlets.len() > 1;
    for (ci, c) in claims.iter().enumerate() {
        let mut carriers: Vec<usize> = c
            .carriers
            .iter()
            .filter_map(|x| outlet_of_id[&x.article])
            .collect();
        carriers.sort_unstable();
        carriers.dedup();
        if carriers.len() == 1 && several_outlets && has_own[carriers[0]] {
            outlets[carriers[0]].exclusive_claims.push(c.id.clone());
        } else if carriers.len() >= 2 && ci < MAX_OMISSION_CLAIMS {
            for (k, o) in outlets.iter_mut().enumerate() {
                // A copy-only outlet neither owns nor omits claims.
                if has_own[k] && carriers.binary_search(&k).is_err() {
                    o.omitted_claims.push(c.id.clone());
                }
            }
        }
    }
    outlets
}

/// Most wordings of one claim that new statements are compared with: the
/// first ones carried. A claim repeated by a thousand copies keeps
/// collecting carriers, but aligning one more statement costs at most this
/// many comparisons per candidate claim.
const MAX_WORDINGS: usize = 8;

/// A stem shared by more claims than this says nothing about which claim a
/// statement repeats (like a stop word): it does not make candidates.
const MAX_POSTING: usize = 256;

/// A claim being built: its carriers so far and what new statements are
/// compared with.
struct Building {
    claim: Claim,
    speakers: Vec<String>,
    wordings: Vec<Wording>,
    /// Stems of `wordings`, as indexed.
    stems: HashSet<u32>,
    /// (article, start) of each carrier, so a statement is carried once.
    carried: HashSet<(usize, usize)>,
}

/// Aligns every statement of the story with the claims before it (in story
/// order), or starts a new claim. Candidate claims come from an inverted
/// index over the stems of their wordings, so one statement costs work in
/// proportion to the claims it shares words with, never to the whole story.
fn align_claims(arts: &[&ReportArticle<'_>], canon: &HashMap<String, String>) -> Vec<Claim> {
    let mut claims: Vec<Building> = Vec::new();
    let mut stems = Stems::default();
    let mut index: HashMap<u32, Vec<usize>> = HashMap::new();
    let mut candidates: Vec<usize> = Vec::new();
    for (ai, ra) in arts.iter().enumerate() {
        let a = ra.article;
        for s in &ra.annotations.statements {
            let key = s.speaker.as_ref().map(|sp| name_key(&sp.name));
            let wording = Wording::new(&s.text, &mut stems);
            candidates.clear();
            for stem in &wording.all {
                if let Some(list) = index.get(stem).filter(|l| l.len() <= MAX_POSTING) {
                    candidates.extend_from_slice(list);
                }
            }
            shortlist(&mut candidates);
            let best = candidates
                .iter()
                .map(|&ci| {
                    let b = &claims[ci];
                    let sim = b
                        .wordings
                        .iter()
                        .map(|w| claim_similarity(w, &wording))
                        .fold(0.0, f64::max);
                    // A different named speaker must say nearly the same thing
                    // to count as the same claim (that is what confirms it).
                    let other_speaker = key
                        .as_ref()
                        .is_some_and(|k| !b.speakers.is_empty() && !b.speakers.contains(k));
                    let needed = if other_speaker {
                        SAME_CLAIM_OTHER_SPEAKER
                    } else {
                        ALIGN
                    };
                    (sim, needed, ci)
                })
                .filter(|(sim, needed, _)| *sim >= *needed)
                .map(|(sim, _, ci)| (sim, ci))
                .max_by(|x, y| x.0.total_cmp(&y.0))
                .map(|(_, ci)| ci);
            let carrier = ClaimCarrier {
                article: a.id.clone(),
                start: s.start,
                end: s.end,
                text: s.text.clone(),
                direct: s.direct,
                hedges: s.hedges.clone(),
                speaker: s
                    .speaker
                    .as_ref()
                    .map(|sp| canon[&name_key(&sp.name)].clone()),
                cue: s.cue.as_ref().map(|c| c.text.clone()),
                channel: s.channel.clone(),
                date: s.date.clone(),
                stance: None,
                stance_score: None,
                model: None,
            };
            let speaker = carrier.speaker.clone();
            let ci = match best {
                Some(ci) => {
                    let b = &mut claims[ci];
                    if !b.carried.insert((ai, s.start)) {
                        continue;
                    }
                    b.claim.carriers.push(carrier);
                    if let Some(k) = key {
                        if !b.speakers.contains(&k) {
                            b.speakers.push(k);
                        }
                    }
                    if b.claim.speaker.is_none() {
                        b.claim.speaker = speaker;
                    }
                    ci
                }
                None => {
                    claims.push(Building {
                        claim: Claim {
                            id: String::new(),
                            text: s.text.clone(),
                            speaker,
                            // Channel and date: from every carrier, in
                            // `reconcile`.
                            channel: None,
                            date: None,
                            channels: Vec::new(),
                            dates: Vec::new(),
                            status: ClaimStatus::Unattributed,
                            first_reported_by: a.id.clone(),
                            carriers: vec![carrier],
                        },
                        speakers: key.into_iter().collect(),
                        wordings: Vec::new(),
                        stems: HashSet::new(),
                        carried: HashSet::from([(ai, s.start)]),
                    });
                    claims.len() - 1
                }
            };
            keep_wording(&mut claims[ci], ci, wording, &mut index);
        }
    }
    claims
        .into_iter()
        .map(settle_status)
        .map(reconcile)
        .collect()
}

/// A claim's channel and date from all its carriers: each distinct value
/// counted once per article, the most attested first (ties: the earliest
/// carrier's); every value listed when they differ.
fn reconcile(mut c: Claim) -> Claim {
    let attest = |pick: fn(&ClaimCarrier) -> Option<&String>| -> Vec<Attestation> {
        let mut seen: HashSet<(&str, &str)> = HashSet::new();
        let mut out: Vec<Attestation> = Vec::new();
        for carrier in &c.carriers {
            let Some(v) = pick(carrier) else { continue };
            if !seen.insert((carrier.article.as_str(), v.as_str())) {
                continue;
            }
            match out.iter_mut().find(|a| a.value == *v) {
                Some(a) => a.articles += 1,
                None => out.push(Attestation {
                    value: v.clone(),
                    articles: 1,
                }),
            }
        }
        // Stable: equal counts keep the carriers' order.
        out.sort_by_key(|a| std::cmp::Reverse(a.articles));
        out
    };
    let channels = attest(|x| x.channel.as_ref());
    let dates = attest(|x| x.date.as_ref());
    c.channel = channels.first().map(|a| a.value.clone());
    c.date = dates.first().map(|a| a.value.clone());
    c.channels = if channels.len() > 1 {
        channels
    } else {
        Vec::new()
    };
    c.dates = if dates.len() > 1 { dates } else { Vec::new() };
    c
}

/// Candidate claims scored in full per statement: those sharing most
/// stems with it. Two wordings of one claim share most of their stems, so
/// the best match is among them; the cap keeps a statement's cost flat as
/// a story grows (otherwise every claim sharing one common stem is scored,
/// and aligning a story costs the square of its size).
const MAX_CANDIDATES: usize = 32;

/// `candidates` (a claim once per stem shared) becomes the distinct claims
/// sharing most stems, at most [`MAX_CANDIDATES`], in claim order.
fn shortlist(candidates: &mut Vec<usize>) {
    candidates.sort_unstable();
    let mut counted: Vec<(usize, usize)> = Vec::new(); // (shared stems, claim)
    for run in candidates.chunk_by(|a, b| a == b) {
        counted.push((run.len(), run[0]));
    }
    if counted.len() > MAX_CANDIDATES {
        counted
            .select_nth_unstable_by(MAX_CANDIDATES - 1, |a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        counted.truncate(MAX_CANDIDATES);
    }
    candidates.clear();
    candidates.extend(counted.iter().map(|c| c.1));
    candidates.sort_unstable();
}

/// Keeps a new wording of claim `ci` for comparison (up to
/// [`MAX_WORDINGS`]) and indexes its stems.
fn keep_wording(
    b: &mut Building,
    ci: usize,
    wording: Wording,
    index: &mut HashMap<u32, Vec<usize>>,
) {
    if b.wordings.len() >= MAX_WORDINGS {
        return;
    }
    for &stem in &wording.all {
        if b.stems.insert(stem) {
            index.entry(stem).or_default().push(ci);
        }
    }
    b.wordings.push(wording);
}

/// A claim's status from its carriers' hedges and speakers.
fn settle_status(mut b: Building) -> Claim {
    let hedges: Vec<&String> = b.claim.carriers.iter().flat_map(|c| &c.hedges).collect();
    b.claim.status = if hedges
        .iter()
        .any(|h| h.as_str() == "denied" || h.as_str() == "disputed")
    {
        ClaimStatus::Disputed
    } else if b.speakers.len() >= 2 {
        ClaimStatus::Confirmed
    } else if b.claim.speaker.is_some() {
        ClaimStatus::AttributedOnly
    } else {
        ClaimStatus::Unattributed
    };
    b.claim
}

/// The first two sentences of the lead article, at most ~400 characters.
fn summarize(text: &str) -> String {
    let doc = crate::textutil::Doc::new(text);
    let mut out = String::new();
    for &(a, b) in doc.sentences.iter().take(2) {
        if out.len() + (b - a) > 400 {
            break;
        }
        out.push_str(&text[a..b]);
        out.push(' ');
    }
    if out.is_empty() {
        out = text.chars().take(300).collect();
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use corroborate_model::ArticleId;

    fn carrier(article: &str, channel: Option<&str>, date: Option<&str>) -> ClaimCarrier {
        ClaimCarrier {
            article: ArticleId(article.into()),
            start: 0,
            end: 4,
            text: "text".into(),
            direct: false,
            hedges: vec![],
            speaker: None,
            cue: None,
            channel: channel.map(String::from),
            date: date.map(String::from),
            stance: None,
            stance_score: None,
            model: None,
        }
    }

    #[test]
    fn channel_and_date_come_from_every_carrier_once_per_article() {
        let claim = Claim {
            id: "c1".into(),
            text: "text".into(),
            speaker: None,
            // The first article's channel, before reconciling.
            channel: Some("X".into()),
            date: None,
            channels: vec![],
            dates: vec![],
            status: ClaimStatus::AttributedOnly,
            first_reported_by: ArticleId("a".into()),
            carriers: vec![
                carrier("a", Some("X"), None),
                carrier("b", Some("Telegram"), Some("2025-03-14")),
                carrier("b", Some("Telegram"), Some("2025-03-14")),
                carrier("c", Some("Telegram"), Some("2025-03-14")),
                carrier("d", None, None),
            ],
        };
        let c = reconcile(claim);
        assert_eq!(c.channel.as_deref(), Some("Telegram"));
        assert_eq!(c.channel_phrase(), " via Telegram (2 articles), X (1)");
        // One date, stated by two articles: no disagreement to list.
        assert_eq!(c.date.as_deref(), Some("2025-03-14"));
        assert!(c.dates.is_empty());
        assert_eq!(c.date_phrase(), " on 2025-03-14");
    }
}
