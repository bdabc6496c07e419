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
