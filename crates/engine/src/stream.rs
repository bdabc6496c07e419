//! Dedup and story clustering together, one article at a time: the online
//! half of analysis, used by [`crate::analyze_articles`] and by the
//! throughput benchmark (`cargo xtask bench-stream`), so both measure the
//! same code.

use corroborate_cluster::{ClusterConfig, ClusterDoc, Merge, OnlineClusterer, Split};
use corroborate_dedup::{DedupConfig, DedupDoc, Deduper};
use corroborate_model::{Article, ArticleId, CopyLink};
use std::collections::HashMap;

/// Where one article went.
#[derive(Debug, Clone, PartialEq)]
pub struct Placement {
    /// Its story at arrival (see [`StoryStream::current_story`] for where
    /// later merges and splits put it).
    pub story: usize,
    /// Set when it copies an earlier article, or an earlier-arrived article
    /// turns out to copy it. A copy joins its original's story.
    pub copy: Option<CopyLink>,
    /// A different story on the same subject, with the text similarity.
    pub related: Option<(usize, f64)>,
    /// A story folded into this one because of this article.
    pub merged: Option<Merge>,
    /// The story this article joined, divided in two once it arrived;
    /// `moved` holds the push numbers (from 0, in [`StoryStream::push`]
    /// order) of the articles moved (their copies follow them).
    pub split: Option<Split>,
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
    /// The clusterer's arrival number of each placed article (a copy's is
    /// its original's: it follows its original through merges and splits).
    doc_of: HashMap<ArticleId, u32>,
    /// Clusterer arrival number of each pushed article, by push number.
    pushed: Vec<u32>,
    /// Push number of each article the clusterer placed, by its number.
    push_of_doc: Vec<u32>,
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
            doc_of: HashMap::new(),
            pushed: Vec::new(),
            push_of_doc: Vec::new(),
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
            self.doc_of.get(other).copied()
        });
        let (doc, placement) = match twin {
            Some(doc) => (
                doc,
                Placement {
                    story: self.clusterer.story_of_doc(doc as usize),
                    copy,
                    related: None,
                    merged: None,
                    split: None,
                },
            ),
            None => {
                let asg = self.clusterer.add(&ClusterDoc {
                    title: a.title.as_deref().unwrap_or(""),
                    body: &a.text,
                    time: a.published,
                    lang: a.language.as_deref(),
                });
                let doc = self.push_of_doc.len() as u32;
                self.push_of_doc.push(self.pushed.len() as u32);
                let split = asg.split.map(|mut s| {
                    for d in &mut s.moved {
                        *d = self.push_of_doc[*d] as usize;
                    }
                    s
                });
                (
                    doc,
                    Placement {
                        story: asg.story,
                        copy,
                        related: asg.related,
                        merged: asg.merged,
                        split,
                    },
                )
            }
        };
        self.doc_of.insert(a.id.clone(), doc);
        self.pushed.push(doc);
        placement
    }

    /// The story of the `n`-th pushed article (from 0) now, after the
    /// merges and splits so far.
    ///
    /// # Panics
    /// If fewer articles were pushed.
    pub fn current_story(&self, n: usize) -> usize {
        self.clusterer.story_of_doc(self.pushed[n] as usize)
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
    fn a_split_moves_articles_and_their_copies_follow() {
        let mut s = StoryStream::new(
            DedupConfig::default(),
            ClusterConfig {
                join_threshold: 0.05,
                merge_threshold: 2.0,
                split_threshold: 0.15,
                split_min: 4,
                ..ClusterConfig::default()
            },
        );
        // A loose first report bridges two events; reports of each join
        // it, alternating, and one fire report is copied word for word.
        let text = |kind: &str, i: usize| match kind {
            "strike" => format!("Ferry crews strike over pay, day {i} of walkout"),
            _ => format!("Stadium fire inquiry, update {i}: stands burnt out"),
        };
        let mut pushed: Vec<(String, &str)> = Vec::new();
        let mut push = |s: &mut StoryStream, id: String, kind: &'static str, body: &str| {
            let p = s.push(&article(&id, "", body, None));
            pushed.push((id, kind));
            p
        };
        let mut splits = Vec::new();
        push(
            &mut s,
            "first".into(),
            "both",
            "Ferry crews strike as stadium fire burns",
        );
        for i in 0..8 {
            for kind in ["strike", "fire"] {
                splits.extend(push(&mut s, format!("{kind}{i}"), kind, &text(kind, i)).split);
                if kind == "fire" && i == 0 {
                    let p = push(&mut s, "copy".into(), "fire", &text(kind, i));
                    assert!(p.copy.is_some());
                }
            }
        }
        assert_eq!(splits.len(), 1, "{splits:?}");
        let story_of = |kind: &str| -> Vec<usize> {
            (0..pushed.len())
                .filter(|&n| pushed[n].1 == kind)
                .map(|n| s.current_story(n))
                .collect()
        };
        let (strike, fire) = (story_of("strike"), story_of("fire"));
        assert!(strike.iter().all(|&x| x == strike[0]));
        assert!(
            fire.iter().all(|&x| x == fire[0]),
            "the copy follows its original"
        );
        assert_ne!(strike[0], fire[0]);
        // `moved` names push numbers, all of one side, never the copy.
        let moved_kinds: Vec<&str> = splits[0].moved.iter().map(|&n| pushed[n].1).collect();
        assert!(moved_kinds
            .iter()
            .all(|k| *k == moved_kinds[0] && *k != "both"));
        assert!(splits[0].moved.iter().all(|&n| pushed[n].0 != "copy"));
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
