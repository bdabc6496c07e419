//! Analysis over a set of articles: dedup → cluster → cross-check → reports.
//!
//! [`Analysis`] is the online state: articles are pushed in arrival order
//! (dedup and clustering place each one), and [`Analysis::resolve`] turns
//! the state into the final stories (after merges and splits) with their
//! links. A full analysis pushes every stored article once and reports on
//! every story; the engine's incremental path keeps the state between runs,
//! pushes only new articles and reports on the stories whose inputs changed
//! ([`Resolved::signature`]). Both paths run this code, so they give the
//! same reports.

use crate::{NoProgress, Progress, StoryStream};
use corroborate_crosscheck::{annotate, build_report, ReportArticle, StoryInput};
use corroborate_model::{
    Article, ArticleId, CopyLink, CopyOf, RelatedStory, StoryId, StoryReport, Timestamp,
};
use rayon::prelude::*;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

mod incremental;

/// Runs dedup, clustering and cross-checking over `articles` (in arrival
/// order) and returns one report per story, in order of creation.
pub fn analyze_articles(articles: &[Article]) -> Vec<StoryReport> {
    analyze_articles_with(articles, &NoProgress)
}

/// [`analyze_articles`], reporting progress: phase `analyze` (dedup and
/// clustering, an article at a time), then `report` (cross-checking, a
/// story's articles at a time).
pub fn analyze_articles_with(articles: &[Article], progress: &dyn Progress) -> Vec<StoryReport> {
    let mut analysis = Analysis::default();
    progress.start("analyze", articles.len() as u64);
    for a in articles {
        analysis.push(a);
        progress.advance(1);
    }
    progress.finish();
    report_all(&analysis, &analysis.resolve(), articles, progress)
}

/// Every story's report, in parallel; `articles` are all the articles the
/// analysis was pushed, in the same order.
pub(crate) fn report_all(
    analysis: &Analysis,
    resolved: &Resolved,
    articles: &[Article],
    progress: &dyn Progress,
) -> Vec<StoryReport> {
    progress.start("report", articles.len() as u64);
    let reports = (0..resolved.members.len())
        .into_par_iter()
        .map(|k| {
            let story: Vec<&Article> = resolved.members[k].iter().map(|&i| &articles[i]).collect();
            progress.advance(story.len() as u64);
            analysis.report(resolved, k, &story, &mut |a, at| annotate(&a.text, at))
        })
        .collect();
    progress.finish();
    reports
}

/// What the analysis keeps of each pushed article (never its text).
#[derive(Debug, Clone)]
struct Meta {
    id: ArticleId,
    published: Option<Timestamp>,
    republished_from: Option<String>,
}

/// The online analysis state: dedup and clustering in arrival order, and
/// what the reports need besides the articles' texts. Memory per article:
/// its dedup sketch and cluster terms (in the stream), its id, date and
/// declared source.
#[derive(Default)]
pub struct Analysis {
    stream: StoryStream,
    meta: Vec<Meta>,
    copies: HashMap<ArticleId, CopyLink>,
    related: Vec<(usize, usize, f64)>,
    /// (surviving story, founder of the absorbed story, reason)
    merges: Vec<(usize, usize, String)>,
    /// (divided story, new story, reason)
    splits: Vec<(usize, usize, String)>,
    founder: Vec<usize>,
    /// The first two articles of each outlet (lower-cased name), in
    /// arrival order: where a declared source ("Source: Wire") is looked up.
    outlets: HashMap<String, Vec<ArticleId>>,
    /// What incremental resolution keeps ([`Analysis::touched`]).
    inc: incremental::State,
    /// Articles prepared for the stance model, reused by later reports.
    prepared: crate::carriers::PreparedCache,
}

/// The final stories of an [`Analysis`]: members (arrival indices), ids,
/// links and merges, in order of creation.
pub struct Resolved {
    /// Each story's articles, by arrival index.
    pub members: Vec<Vec<usize>>,
    /// Each story's id (from its founding article).
    pub ids: Vec<StoryId>,
    links_of: Vec<Vec<RelatedStory>>,
    merged_into: Vec<Vec<RelatedStory>>,
}

impl Analysis {
    /// An analysis over a stream of its own tuning (tests that need merges
    /// and splits to happen often).
    #[cfg(test)]
    pub fn with_stream(stream: StoryStream) -> Analysis {
        Analysis {
            stream,
            ..Analysis::default()
        }
    }

    /// Articles pushed so far.
    pub fn len(&self) -> usize {
        self.meta.len()
    }

    /// The id of the `i`-th article pushed.
    pub fn article_id(&self, i: usize) -> &ArticleId {
        &self.meta[i].id
    }

    /// True before the first push.
    pub fn is_empty(&self) -> bool {
        self.meta.is_empty()
    }

    /// Places the next article (in arrival order): dedup, then clustering.
    pub fn push(&mut self, a: &Article) {
        let i = self.meta.len();
        let p = self.stream.push(a);
        self.inc.named(p.story);
        if let Some(l) = p.copy {
            self.copies.entry(l.copy.clone()).or_insert(l);
        }
        match &p.split {
            // A story of one article never splits: this one joined a
            // story, and the split made the only new one.
            Some(sp) => {
                debug_assert_eq!(sp.new, self.founder.len());
                self.founder.push(sp.moved[0]);
                self.inc.split(self.splits.len(), sp.from, sp.new);
                let reason = format!("split when article {} arrived: {}", a.id, sp.reason);
                self.splits.push((sp.from, sp.new, reason));
            }
            None if p.story == self.founder.len() => self.founder.push(i),
            None => {}
        }
        if let Some((other, sim)) = p.related {
            self.inc.related(self.related.len(), p.story, other);
            self.related.push((p.story, other, sim));
        }
        if let Some(m) = p.merged {
            let reason = format!("article {} {}", a.id, m.reason);
            self.inc.merged(self.merges.len(), m.into, m.absorbed);
            self.merges.push((m.into, self.founder[m.absorbed], reason));
        }
        if let Some(site) = &a.site {
            let ids = self.outlets.entry(site.to_lowercase()).or_default();
            if ids.len() < 2 {
                ids.push(a.id.clone());
                self.inc.outlet_grew(&site.to_lowercase());
            }
        }
        if let Some(source) = &a.republished_from {
            self.inc.declared(i, source);
        }
        self.meta.push(Meta {
            id: a.id.clone(),
            published: a.published,
            republished_from: a.republished_from.clone(),
        });
    }

    /// The stories after every merge and split, in order of creation, with
    /// their links. Linear in the articles pushed (a few lookups each).
    pub fn resolve(&self) -> Resolved {
        let stream = &self.stream;
        let mut slot: HashMap<usize, usize> = HashMap::new();
        let mut members: Vec<Vec<usize>> = Vec::new();
        for i in 0..self.meta.len() {
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
            .map(|m| StoryId::for_founder(&self.meta[m[0]].id))
            .collect();
        let mut links: Vec<(usize, usize, f64)> = self
            .related
            .iter()
            .filter_map(|&(x, y, sim)| {
                let (x, y) = (index[&stream.resolve(x)], index[&stream.resolve(y)]);
                (x != y).then_some((x.min(y), x.max(y), sim))
            })
            .collect();
        links.sort_by_key(|l| (l.0, l.1));
        links.dedup_by(|a, b| (a.0, a.1) == (b.0, b.1));
        // Each side of a split names the other, with why.
        let splits = self.splits.iter().filter_map(|(from, new, reason)| {
            let (x, y) = (index[&stream.resolve(*from)], index[&stream.resolve(*new)]);
            (x != y).then_some((x, y, reason.clone()))
        });
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
        for &(x, y, sim) in &links {
            link(
                x,
                y,
                &format!("same subject (text similarity {sim:.2}), different time"),
            );
        }
        for (x, y, reason) in splits {
            link(x, y, &reason);
        }
        let mut merged_into: Vec<Vec<RelatedStory>> = vec![Vec::new(); members.len()];
        for (into, absorbed_founder, reason) in &self.merges {
            let story = index[&stream.resolve(*into)];
            let id = StoryId::for_founder(&self.meta[*absorbed_founder].id);
            merged_into[story].push(RelatedStory {
                id,
                reason: reason.clone(),
            });
        }
        Resolved {
            members,
            ids,
            links_of,
            merged_into,
        }
    }

    /// What a story's report depends on besides its articles' texts: its
    /// members, their copy links, its links and merges. Two equal
    /// signatures give the same report, so the incremental path rebuilds
    /// only the stories whose signature changed.
    pub fn signature(&self, r: &Resolved, k: usize) -> u64 {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        for &i in &r.members[k] {
            let m = &self.meta[i];
            m.id.as_str().hash(&mut h);
            if let Some(c) = self.copy_of(m) {
                c.article.as_ref().map(|x| x.as_str()).hash(&mut h);
                c.declared.hash(&mut h);
                c.overlap.to_bits().hash(&mut h);
                c.evidence.hash(&mut h);
            }
        }
        for rel in r.links_of[k].iter().chain(&r.merged_into[k]) {
            rel.id.as_str().hash(&mut h);
            rel.reason.hash(&mut h);
        }
        h.finish()
    }

    /// The time an article of story `k` has its dates resolved against:
    /// its own date, else the story's start.
    pub fn anchor(&self, r: &Resolved, k: usize, article: &Article) -> Option<Timestamp> {
        article.published.or_else(|| self.story_start(r, k))
    }

    fn story_start(&self, r: &Resolved, k: usize) -> Option<Timestamp> {
        r.members[k]
            .iter()
            .filter_map(|&i| self.meta[i].published)
            .min()
    }

    /// The report of story `k`; `articles` are its members in order, and
    /// `annotate` gives an article's annotations, dates resolved against
    /// the given time (its own, else the story's start).
    pub fn report(
        &self,
        r: &Resolved,
        k: usize,
        articles: &[&Article],
        annotate: &mut dyn FnMut(&Article, Option<Timestamp>) -> corroborate_model::Annotations,
    ) -> StoryReport {
        let m = &r.members[k];
        let story_start = self.story_start(r, k);
        let list: Vec<ReportArticle<'_>> = m
            .iter()
            .zip(articles)
            .map(|(&i, a)| ReportArticle {
                article: a,
                annotations: annotate(a, a.published.or(story_start)),
                copy_of: self.copy_of(&self.meta[i]),
            })
            .collect();
        let mut report = build_report(&StoryInput {
            id: r.ids[k].clone(),
            articles: list,
            related: r.links_of[k].clone(),
            merged: r.merged_into[k].clone(),
        });
        crate::carriers::judge(&mut report, articles, &self.prepared);
        report
    }

    /// Remembers the stance verdicts of a story's earlier report, so that
    /// rebuilding the story judges only carriers new to it.
    pub fn remember_verdicts(&self, earlier: &StoryReport) {
        self.prepared.remember(earlier);
    }

    fn copy_of(&self, a: &Meta) -> Option<CopyOf> {
        let declared = a.republished_from.clone();
        match self.copies.get(&a.id) {
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
                let original = self
                    .outlets
                    .get(&name.to_lowercase())
                    .and_then(|ids| ids.iter().find(|id| **id != a.id))
                    .cloned();
                Some(CopyOf {
                    article: original,
                    declared: Some(name),
                    overlap: 0.0,
                    evidence: vec!["declared source".into()],
                })
            }
        }
    }
}

#[cfg(test)]
impl Resolved {
    /// Story `k`'s links.
    pub fn links_of(&self, k: usize) -> &[RelatedStory] {
        &self.links_of[k]
    }

    /// The stories merged into story `k`.
    pub fn merged_into(&self, k: usize) -> &[RelatedStory] {
        &self.merged_into[k]
    }
}
