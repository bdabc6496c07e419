//! Analysis over a set of articles: dedup → cluster → cross-check → reports.

use corroborate_cluster::{ClusterConfig, ClusterDoc};
use corroborate_crosscheck::{annotate, build_report, ReportArticle, StoryInput};
use corroborate_dedup::{DedupDoc, Deduper};
use corroborate_model::{Article, ArticleId, CopyLink, CopyOf, RelatedStory, StoryId, StoryReport};
use rayon::prelude::*;
use std::collections::HashMap;

/// Runs dedup, clustering and cross-checking over `articles` (in arrival
/// order) and returns one report per story, in order of creation.
pub fn analyze_articles(articles: &[Article]) -> Vec<StoryReport> {
    // Dedup, in arrival order.
    let mut deduper = Deduper::default();
    let mut copies: HashMap<ArticleId, CopyLink> = HashMap::new();
    for a in articles {
        let link = deduper.add(&DedupDoc {
            id: a.id.clone(),
            text: &a.text,
            published: a.published,
            site: a.site.as_deref(),
            declared_source: a.republished_from.as_deref(),
        });
        if let Some(l) = link {
            copies.entry(l.copy.clone()).or_insert(l);
        }
    }

    // Cluster, in arrival order. A copy joins its original's story.
    let mut clusterer = ClusterConfig::default().build();
    let mut story_of: HashMap<&ArticleId, usize> = HashMap::new();
    let mut members: Vec<Vec<usize>> = Vec::new();
    let mut related: Vec<(usize, usize, f64)> = Vec::new();
    for (i, a) in articles.iter().enumerate() {
        let via_copy = copies
            .get(&a.id)
            .and_then(|l| story_of.get(&l.original).copied());
        let story = match via_copy {
            Some(s) => s,
            None => {
                let asg = clusterer.add(&ClusterDoc {
                    title: a.title.as_deref().unwrap_or(""),
                    body: &a.text,
                    time: a.published,
                });
                if let Some((other, sim)) = asg.related {
                    related.push((asg.story, other, sim));
                }
                asg.story
            }
        };
        if story == members.len() {
            members.push(Vec::new());
        }
        members[story].push(i);
        story_of.insert(&a.id, story);
    }
    let ids: Vec<StoryId> = members
        .iter()
        .map(|m| StoryId::for_founder(&articles[m[0]].id))
        .collect();

    // Cross-check each story, in parallel.
    members
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
                        copy_of: copy_of(a, copies.get(&a.id), articles),
                    }
                })
                .collect();
            let rel = related
                .iter()
                .filter_map(|&(x, y, sim)| {
                    let other = if x == s {
                        y
                    } else if y == s {
                        x
                    } else {
                        return None;
                    };
                    Some(RelatedStory {
                        id: ids[other].clone(),
                        reason: format!("same subject (text similarity {sim:.2}), different time"),
                    })
                })
                .collect();
            build_report(&StoryInput {
                id: ids[s].clone(),
                articles: list,
                related: rel,
            })
        })
        .collect()
}

fn copy_of(a: &Article, link: Option<&CopyLink>, articles: &[Article]) -> Option<CopyOf> {
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
            let original = articles
                .iter()
                .find(|o| {
                    o.id != a.id
                        && o.site
                            .as_deref()
                            .is_some_and(|s| s.eq_ignore_ascii_case(&name))
                })
                .map(|o| o.id.clone());
            Some(CopyOf {
                article: original,
                declared: Some(name),
                overlap: 0.0,
                evidence: vec!["declared source".into()],
            })
        }
    }
}
