//! Dedup and story clustering together, one article at a time: the online
//! half of analysis, used by [`crate::analyze_articles`] and by the
//! throughput benchmark (`cargo xtask bench-stream`), so both measure the
//! same code.

use corroborate_cluster::{ClusterConfig, ClusterDoc, Merge, OnlineClusterer};
use corroborate_dedup::{DedupConfig, DedupDoc, Deduper};
use corroborate_model::{Article, ArticleId, CopyLink};
use std::collections::HashMap;

/// Where one article went.
#[derive(Debug, Clone, PartialEq)]
pub struct Placement {
    /// Its story at arrival (see [`StoryStream::resolve`] for later merges).
    pub story: usize,
    /// Set when it copies an earlier article, or an earlier-arrived article
    /// turns out to copy it. A copy joins its original's story.
    pub copy: Option<CopyLink>,
    /// A different story on the same subject, with the text similarity.
    pub related: Option<(usize, f64)>,
    /// A story folded into this one because of this article.
    pub merged: Option<Merge>,
}

/// Online dedup + clustering. Deterministic for the same input order.
///
/// ```
/// use corroborate_engine::StoryStream;
/// use corroborate_model::{Article, ArticleId};
///
/// let article = |id: &str, title: &str, text: &str| Article {
///     id: ArticleId(id.into()), source: String::new(), url: None, title: Some(title.into()),
///     published: None, author: None, site: None, language: None, text: text.into(),
///     republished_from: None, boilerplate: vec![],
/// };
/// let body = "Engineers closed the Norhaven ferry pier after the storm tore away part of the deck on Sunday night.";
/// let mut s = StoryStream::default();
/// let a = s.push(&article("a", "Storm closes Norhaven pier", body));
/// let b = s.push(&article("b", "Norhaven pier shut", body));
/// assert_eq!(a.story, b.story);
/// assert_eq!(b.copy.unwrap().original, ArticleId("a".into()));
/// ```
pub struct StoryStream {
    deduper: Deduper,
    clusterer: OnlineClusterer,
    /// Story of each placed article, at arrival.
    story_of: HashMap<ArticleId, usize>,
}

impl Default for StoryStream {
    fn default() -> Self {
        StoryStream::new(DedupConfig::default(), ClusterConfig::default())
    }
}

impl StoryStream {
    /// A stream with the given tuning.
    pub fn new(dedup: DedupConfig, cluster: ClusterConfig) -> Self {
        StoryStream {
            deduper: dedup.build(),
            clusterer: cluster.build(),
            story_of: HashMap::new(),
        }
    }

    /// Places one article. A copy (in either direction of time) joins the
    /// story of the article it shares its text with and leaves the story
    /// vectors alone: a flood of copies costs one dedup lookup each.
    pub fn push(&mut self, a: &Article) -> Placement {
        let copy = self.deduper.add(&DedupDoc {
            id: a.id.clone(),
            text: &a.text,
            published: a.published,
            site: a.site.as_deref(),
            declared_source: a.republished_from.as_deref(),
        });
        let twin = copy.as_ref().and_then(|l| {
            let other = if l.copy == a.id { &l.original } else { &l.copy };
            self.story_of.get(other).copied()
        });
        let placement = match twin {
            Some(story) => Placement {
                story: self.clusterer.resolve(story),
                copy,
                related: None,
                merged: None,
            },
            None => {
                let asg = self.clusterer.add(&ClusterDoc {
                    title: a.title.as_deref().unwrap_or(""),
                    body: &a.text,
                    time: a.published,
                    lang: a.language.as_deref(),
                });
                Placement {
                    story: asg.story,
                    copy,
                    related: asg.related,
                    merged: asg.merged,
                }
            }
        };
        self.story_of.insert(a.id.clone(), placement.story);
        placement
    }

    /// The story `story` belongs to now, after the merges so far.
    pub fn resolve(&self, story: usize) -> usize {
        self.clusterer.resolve(story)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    const BODY: &str = "Engineers closed the Norhaven ferry pier on Monday after the storm tore away part of the deck. \
        The harbour master said crossings to the islands would stay suspended until divers had inspected the piles. \
        Island shops reported that deliveries of fresh food had already been delayed by two days.";

    fn article(id: &str, title: &str, text: &str, day: Option<u32>) -> Article {
        Article {
            id: ArticleId(id.into()),
            source: String::new(),
            url: Some(format!("https://example.test/{id}")),
            title: Some(title.into()),
            published: day.map(|d| chrono::Utc.with_ymd_and_hms(2025, 3, d, 9, 0, 0).unwrap()),
            author: None,
            site: None,
            language: None,
            text: text.into(),
            republished_from: None,
            boilerplate: vec![],
        }
    }

    #[test]
    fn a_flood_of_identical_copies_is_one_story_pointing_at_the_first() {
        let mut s = StoryStream::default();
        let first = s.push(&article("orig", "Pier closed", BODY, Some(3)));
        for i in 0..300 {
            let p = s.push(&article(&format!("c{i}"), "Pier closed", BODY, Some(4)));
            assert_eq!(p.story, first.story);
            let l = p.copy.expect("every copy is found");
            assert_eq!(l.original, ArticleId("orig".into()));
            assert!(l.evidence.contains(&"identical text".to_string()));
        }
        // Copies never reach the clusterer: one story, one article in it.
        assert_eq!(s.clusterer.len(), 1);
    }

    #[test]
    fn out_of_time_order_the_earlier_dated_is_the_original() {
        let mut s = StoryStream::default();
        let late = s.push(&article("late", "Pier closed", BODY, Some(9)));
        let early = s.push(&article("early", "Pier closed", BODY, Some(2)));
        assert_eq!(late.story, early.story);
        let l = early.copy.unwrap();
        assert_eq!(
            (l.copy, l.original),
            (ArticleId("late".into()), ArticleId("early".into()))
        );
    }

    #[test]
    fn empty_bodies_and_missing_dates() {
        let mut s = StoryStream::default();
        // No text at all: nothing says two such articles are one event.
        let a = s.push(&article("a", "", "", None));
        let b = s.push(&article("b", "", "", None));
        assert!(a.copy.is_none() && b.copy.is_none());
        assert_ne!(a.story, b.story);
        // A headline alone still places an article; no date means no decay.
        let c = s.push(&article(
            "c",
            "Norhaven ferry pier closed by storm",
            "",
            None,
        ));
        let d = s.push(&article(
            "d",
            "Storm closes Norhaven ferry pier",
            "",
            Some(20),
        ));
        assert!(d.copy.is_none());
        assert_eq!(c.story, d.story);
    }
}
