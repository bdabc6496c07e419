//! Analysis over a set of articles: dedup → cluster → cross-check → reports.

use crate::{NoProgress, Progress, StoryStream};
use corroborate_crosscheck::{annotate, build_report, ReportArticle, StoryInput};
use corroborate_model::{Article, ArticleId, CopyLink, CopyOf, RelatedStory, StoryId, StoryReport};
use rayon::prelude::*;
use std::collections::HashMap;

/// Runs dedup, clustering and cross-checking over `articles` (in arrival
/// order) and returns one report per story, in order of creation.
pub fn analyze_articles(articles: &[Article]) -> Vec<StoryReport> {
    analyze_articles_with(articles, &NoProgress)
}

/// [`analyze_articles`], reporting progress: phase `analyze` (dedup and
/// clustering, an article at a time), then `report` (cross-checking, a
/// story's articles at a time).
pub fn analyze_articles_with(articles: &[Article], progress: &dyn Progress) -> Vec<StoryReport> {
    progress.start("analyze", articles.len() as u64);
    // Dedup and cluster, online, in arrival order.
    let mut stream = StoryStream::default();
    let mut copies: HashMap<ArticleId, CopyLink> = HashMap::new();
    let mut related: Vec<(usize, usize, f64)> = Vec::new();
    // (surviving story, founder of the absorbed story, reason)
    let mut merges: Vec<(usize, usize, String)> = Vec::new();
    // (divided story, new story, reason)
    let mut splits: Vec<(usize, usize, String)> = Vec::new();
    let mut founder: Vec<usize> = Vec::new();
    for (i, a) in articles.iter().enumerate() {
        let p = stream.push(a);
        if let Some(l) = p.copy {
            copies.entry(l.copy.clone()).or_insert(l);
        }
        match &p.split {
            // A story of one article never splits: this one joined a
            // story, and the split made the only new one.
            Some(sp) => {
                debug_assert_eq!(sp.new, founder.len());
                founder.push(sp.moved[0]);
                let reason = format!("split when article {} arrived: {}", a.id, sp.reason);
                splits.push((sp.from, sp.new, reason));
            }
            None if p.story == founder.len() => founder.push(i),
            None => {}
        }
        if let Some((other, sim)) = p.related {
            related.push((p.story, other, sim));
        }
        if let Some(m) = p.merged {
            let reason = format!("article {} {}", a.id, m.reason);
            merges.push((m.into, founder[m.absorbed], reason));
        }
        progress.advance(1);
    }
    progress.finish();
    // Final stories, after the merges, in order of creation.
    let mut slot: HashMap<usize, usize> = HashMap::new();
    let mut members: Vec<Vec<usize>> = Vec::new();
    for i in 0..articles.len() {
        let root = stream.current_story(i);
        let next = slot.len();
        let k = *slot.entry(root).or_insert(next);
        if k == members.len() {
            members.push(Vec::new());
        }
        members[k].push(i);
    }
    let mut order: Vec<usize> = slot.keys().copied().collect();
    order.sort_unstable();
    let members: Vec<Vec<usize>> = order.iter().map(|r| members[slot[r]].clone()).collect();
    let index: HashMap<usize, usize> = order.iter().enumerate().map(|(k, &r)| (r, k)).collect();
    let ids: Vec<StoryId> = members
        .iter()
        .map(|m| StoryId::for_founder(&articles[m[0]].id))
        .collect();
    let mut links: Vec<(usize, usize, f64)> = related
        .iter()
        .filter_map(|&(x, y, sim)| {
            let (x, y) = (index[&stream.resolve(x)], index[&stream.resolve(y)]);
            (x != y).then_some((x.min(y), x.max(y), sim))
        })
        .collect();
    links.sort_by_key(|l| (l.0, l.1));
    links.dedup_by(|a, b| (a.0, a.1) == (b.0, b.1));
    let related = links;
    // Each side of a split names the other, with why.
    let splits: Vec<(usize, usize, String)> = splits
        .into_iter()
        .filter_map(|(from, new, reason)| {
            let (x, y) = (index[&stream.resolve(from)], index[&stream.resolve(new)]);
            (x != y).then_some((x, y, reason))
        })
        .collect();
    let merged: Vec<(usize, RelatedStory)> = merges
        .into_iter()
        .map(|(into, absorbed_founder, reason)| {
            let story = index[&stream.resolve(into)];
            let id = StoryId::for_founder(&articles[absorbed_founder].id);
            (story, RelatedStory { id, reason })
        })
        .collect();

    // Each story's links, grouped once (not a scan of all links per story).
    let mut links_of: Vec<Vec<RelatedStory>> = vec![Vec::new(); members.len()];
    let mut link = |x: usize, y: usize, reason: &str| {
        for (from, to) in [(x, y), (y, x)] {
            links_of[from].push(RelatedStory {
                id: ids[to].clone(),
                reason: reason.to_string(),
            });
        }
    };
    for &(x, y, sim) in &related {
        link(
            x,
            y,
            &format!("same subject (text similarity {sim:.2}), different time"),
        );
    }
    for (x, y, reason) in &splits {
        link(*x, *y, reason);
    }
    let mut merged_into: Vec<Vec<RelatedStory>> = vec![Vec::new(); members.len()];
    for (k, m) in merged {
        merged_into[k].push(m);
    }
    let outlets = by_outlet(articles);

    // Cross-check each story, in parallel.
    progress.start("report", articles.len() as u64);
    let reports = members
        .par_iter()
        .enumerate()
        .map(|(s, m)| {
            let story_start = m.iter().filter_map(|&i| articles[i].published).min();
            let list: Vec<ReportArticle<'_>> = m
                .iter()
                .map(|&i| {
                    let a = &articles[i];
                    ReportArticle {
                        article: a,
                        annotations: annotate(&a.text, a.published.or(story_start)),
                        copy_of: copy_of(a, copies.get(&a.id), &outlets),
                    }
                })
                .collect();
            progress.advance(m.len() as u64);
            let mut report = build_report(&StoryInput {
                id: ids[s].clone(),
                articles: list,
                related: links_of[s].clone(),
                merged: merged_into[s].clone(),
            });
            let story: Vec<&Article> = m.iter().map(|&i| &articles[i]).collect();
            crate::carriers::judge(&mut report, &story);
            report
        })
        .collect();
    progress.finish();
    reports
}

/// The first two articles of each outlet (lower-cased name), in arrival
/// order: where a declared source ("Source: Wire") is looked up.
fn by_outlet(articles: &[Article]) -> HashMap<String, Vec<&ArticleId>> {
    let mut map: HashMap<String, Vec<&ArticleId>> = HashMap::new();
    for a in articles {
        if let Some(site) = &a.site {
            let ids = map.entry(site.to_lowercase()).or_default();
            if ids.len() < 2 {
                ids.push(&a.id);
            }
        }
    }
    map
}

fn copy_of(
    a: &Article,
    link: Option<&CopyLink>,
    outlets: &HashMap<String, Vec<&ArticleId>>,
) -> Option<CopyOf> {
    let declared = a.republished_from.clone();
    match link {
        Some(l) => {
            let mut evidence = l.evidence.clone();
            if declared.is_some() && !evidence.iter().any(|e| e == "declared source") {
                evidence.push("declared source".into());
            }
            Some(CopyOf {
                article: Some(l.original.clone()),
                declared,
                overlap: l.overlap,
                evidence,
            })
        }
        None => {
            let name = declared?;
            // The declared original may be in the store under its outlet name.
            let original = outlets
                .get(&name.to_lowercase())
                .and_then(|ids| ids.iter().find(|id| ***id != a.id))
                .map(|id| (*id).clone());
            Some(CopyOf {
                article: original,
                declared: Some(name),
                overlap: 0.0,
                evidence: vec!["declared source".into()],
            })
        }
    }
}
