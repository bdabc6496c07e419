//! Story-level alignment: claims across articles, figure groups, timeline,
//! outlet coverage and the summary.

use crate::figures::what_key;
use crate::statements::{dice, name_key, stem_set};
use corroborate_model::{
    Annotations, Article, ArticleRef, Claim, ClaimCarrier, ClaimStatus, CopyOf, FigureGroup,
    FigureValue, OutletCoverage, RelatedStory, StoryId, StoryReport, TimeSpan, TimelineEntry,
};
use std::collections::{BTreeMap, HashMap, HashSet};

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
struct Wording {
    len: usize,
    all: HashSet<String>,
    parts: Vec<HashSet<String>>,
}

impl Wording {
    fn new(text: &str) -> Self {
        Wording {
            len: text.len(),
            all: stem_set(text),
            parts: text
                .split_inclusive(['.', '!', '?'])
                .map(stem_set)
                .collect(),
        }
    }
}

fn claim_similarity(a: &Wording, b: &Wording) -> f64 {
    let whole = dice(&a.all, &b.all);
    // A short wording inside a longer one (a quote cut in two paragraphs)
    // scores low on Dice; compare it with the matching part instead.
    let (short, long) = if a.len <= b.len { (a, b) } else { (b, a) };
    let best_part = long
        .parts
        .iter()
        .map(|part| dice(&short.all, part))
        .fold(0.0, f64::max);
    whole.max(best_part * 0.95)
}

fn outlet_of(a: &Article) -> String {
    corroborate_model::outlet_label(a.site.as_deref(), &a.source)
}

fn sentence_around(text: &str, start: usize, end: usize) -> String {
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

    // Claims.
    struct Building {
        claim: Claim,
        speakers: Vec<String>,
        wordings: Vec<Wording>,
    }
    let mut claims: Vec<Building> = Vec::new();
    for ra in &arts {
        let a = ra.article;
        for s in &ra.annotations.statements {
            let key = s.speaker.as_ref().map(|sp| name_key(&sp.name));
            let wording = Wording::new(&s.text);
            let best = claims
                .iter_mut()
                .map(|b| {
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
                    (sim, needed, b)
                })
                .filter(|(sim, needed, _)| *sim >= *needed)
                .map(|(sim, _, b)| (sim, b))
                .max_by(|x, y| x.0.total_cmp(&y.0));
            let carrier = ClaimCarrier {
                article: a.id.clone(),
                start: s.start,
                end: s.end,
                text: s.text.clone(),
                direct: s.direct,
                hedges: s.hedges.clone(),
            };
            match best {
                Some((_, b)) => {
                    if b.claim
                        .carriers
                        .iter()
                        .any(|c| c.article == a.id && c.start == s.start)
                    {
                        continue;
                    }
                    b.claim.carriers.push(carrier);
                    b.wordings.push(wording);
                    if let Some(k) = key {
                        if !b.speakers.contains(&k) {
                            b.speakers.push(k);
                        }
                    }
                    b.claim.channel = b.claim.channel.clone().or(s.channel.clone());
                    b.claim.date = b.claim.date.clone().or(s.date.clone());
                    if b.claim.speaker.is_none() {
                        b.claim.speaker = s
                            .speaker
                            .as_ref()
                            .map(|sp| canon[&name_key(&sp.name)].clone());
                    }
                }
                None => claims.push(Building {
                    claim: Claim {
                        id: String::new(),
                        text: s.text.clone(),
                        speaker: s
                            .speaker
                            .as_ref()
                            .map(|sp| canon[&name_key(&sp.name)].clone()),
                        channel: s.channel.clone(),
                        date: s.date.clone(),
                        status: ClaimStatus::Unattributed,
                        first_reported_by: a.id.clone(),
                        carriers: vec![carrier],
                    },
                    speakers: key.into_iter().collect(),
                    wordings: vec![wording],
                }),
            }
        }
    }
    let mut claims: Vec<Claim> = claims
        .into_iter()
        .map(|mut b| {
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
        })
        .collect();
    // Most widely carried first; ties keep story order.
    claims.sort_by_key(|c| {
        std::cmp::Reverse(
            c.carriers
                .iter()
                .map(|x| &x.article)
                .collect::<std::collections::HashSet<_>>()
                .len(),
        )
    });
    for (i, c) in claims.iter_mut().enumerate() {
        c.id = format!("c{}", i + 1);
    }

    // Figures.
    let mut groups: BTreeMap<(String, Option<String>), Vec<FigureValue>> = BTreeMap::new();
    let mut labels: HashMap<(String, Option<String>), String> = HashMap::new();
    for ra in &arts {
        for f in &ra.annotations.figures {
            if f.what.is_none() && f.unit.is_none() {
                continue;
            }
            let key = (
                f.what
                    .as_deref()
                    .map(what_key)
                    .unwrap_or_else(|| "quantity".into()),
                f.unit.clone(),
            );
            labels.entry(key.clone()).or_insert_with(|| key.0.clone());
            groups.entry(key).or_default().push(FigureValue {
                article: ra.article.id.clone(),
                text: format!(
                    "{}{}",
                    f.text,
                    f.what
                        .as_deref()
                        .map(|w| format!(" {w}"))
                        .unwrap_or_default()
                ),
                start: f.start,
                end: f.end,
                value: f.value,
                low: f.low,
                high: f.high,
                attributed_to: f.attributed_to.clone(),
            });
        }
    }
    let mut figures: Vec<FigureGroup> = groups
        .into_iter()
        .map(|(key, values)| {
            let low = values
                .iter()
                .map(|v| v.low.unwrap_or(v.value))
                .fold(f64::INFINITY, f64::min);
            let high = values
                .iter()
                .map(|v| v.high.unwrap_or(v.value))
                .fold(f64::NEG_INFINITY, f64::max);
            let disagree = values
                .iter()
                .any(|v| (v.value - values[0].value).abs() > f64::EPSILON);
            FigureGroup {
                what: labels[&key].clone(),
                unit: key.1,
                low,
                high,
                disagree,
                values,
            }
        })
        .collect();
    figures.sort_by_key(|g| std::cmp::Reverse(g.values.len()));

    // Timeline.
    let mut timeline: BTreeMap<String, TimelineEntry> = BTreeMap::new();
    for ra in &arts {
        for d in &ra.annotations.dates {
            let e = timeline
                .entry(d.value.clone())
                .or_insert_with(|| TimelineEntry {
                    date: d.value.clone(),
                    event: sentence_around(&ra.article.text, d.start, d.end),
                    articles: Vec::new(),
                });
            if !e.articles.contains(&ra.article.id) {
                e.articles.push(ra.article.id.clone());
            }
        }
    }

    // Outlets.
    let mut outlets: Vec<OutletCoverage> = Vec::new();
    for ra in &arts {
        let name = outlet_of(ra.article);
        match outlets.iter_mut().find(|o| o.outlet == name) {
            Some(o) => o.articles.push(ra.article.id.clone()),
            None => outlets.push(OutletCoverage {
                outlet: name,
                articles: vec![ra.article.id.clone()],
                exclusive_claims: vec![],
                omitted_claims: vec![],
            }),
        }
    }
    let outlet_of_id: HashMap<&corroborate_model::ArticleId, String> = arts
        .iter()
        .map(|ra| (&ra.article.id, outlet_of(ra.article)))
        .collect();
    // Copies are collapsed into their original: a claim carried by an article
    // and its copy is carried by one outlet.
    let copies: std::collections::HashSet<&corroborate_model::ArticleId> = arts
        .iter()
        .filter(|ra| ra.copy_of.as_ref().is_some_and(|c| c.article.is_some()))
        .map(|ra| &ra.article.id)
        .collect();
    let several_outlets = outlets.len() > 1;
    for c in &claims {
        let mut carriers: Vec<&String> = c
            .carriers
            .iter()
            .filter(|x| !copies.contains(&x.article))
            .map(|x| &outlet_of_id[&x.article])
            .collect();
        carriers.sort();
        carriers.dedup();
        for o in outlets.iter_mut() {
            let has = carriers.contains(&&o.outlet);
            if o.articles.iter().all(|a| copies.contains(a)) {
                continue; // a copy-only outlet neither owns nor omits claims
            }
            if has && carriers.len() == 1 && several_outlets {
                o.exclusive_claims.push(c.id.clone());
            } else if !has && carriers.len() >= 2 {
                o.omitted_claims.push(c.id.clone());
            }
        }
    }

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
        timeline: timeline.into_values().collect(),
        outlets,
        related: input.related.clone(),
        merged: input.merged.clone(),
    }
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
