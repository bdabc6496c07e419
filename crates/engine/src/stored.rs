//! Annotations kept in the store: a story's report is rebuilt from its
//! articles' stored annotations, and only an article never annotated (or
//! annotated by another annotator, or for another anchor time) is
//! annotated again. So the cost of rebuilding a story is reading its
//! rows, not cross-checking its articles; a process that starts cold (the
//! CLI, a restarted server) pays it once per article, not once per run.
//! The API and the web UI read the same rows, so an article shows the
//! dates its story's report used.

use crate::analyze::{Analysis, Resolved};
use crate::{Progress, Result};
use corroborate_crosscheck::annotate;
use corroborate_model::{Annotations, Article, ArticleId, StoryReport, Timestamp};
use corroborate_store::{AnnotationKey, Storage};
use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::LazyLock;

/// Bumped by hand when annotation changes in a way the probe below may
/// miss.
const ANNOTATOR_RELEASE: u32 = 1;

/// A fictional paragraph annotated once per process: its output is part
/// of the version, so a build whose annotator reads it differently does
/// not trust rows written by another.
const PROBE: &str = "Harbour master Ines Vale said on Tuesday that 120 boats had left \
    Norhaven since 3 March. \"The pier will reopen next week,\" she told the Norhaven Ledger. \
    Officials denied reports that two ferries were damaged.";

/// The version stored annotations are written and read under.
pub(crate) fn annotator_version() -> u32 {
    static VERSION: LazyLock<u32> = LazyLock::new(|| {
        let anchor = "2025-03-11T09:00:00Z".parse().ok();
        let probe = serde_json::to_string(&annotate(PROBE, anchor)).unwrap_or_default();
        let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ u64::from(ANNOTATOR_RELEASE);
        for b in probe.bytes() {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        (h >> 33) as u32
    });
    *VERSION
}

/// Articles of stories handled per store round trip when every story is
/// reported (memory: their annotations).
const CHUNK_ARTICLES: usize = 2048;

/// The annotations of `articles` with their anchors, from the store where
/// saved, else computed in parallel and saved.
pub(crate) fn annotations_for(
    store: &mut dyn Storage,
    articles: &[(&Article, Option<Timestamp>)],
) -> Result<Vec<Annotations>> {
    let version = annotator_version();
    let keys: Vec<AnnotationKey> = articles
        .iter()
        .map(|(a, anchor)| AnnotationKey {
            article: a.id.clone(),
            anchor: *anchor,
        })
        .collect();
    let found = store.annotations(&keys, version)?;
    let missing: Vec<usize> = (0..found.len()).filter(|&i| found[i].is_none()).collect();
    let computed: Vec<(AnnotationKey, Annotations)> = missing
        .par_iter()
        .map(|&i| {
            (
                keys[i].clone(),
                annotate(&articles[i].0.text, articles[i].1),
            )
        })
        .collect();
    if !computed.is_empty() {
        store.save_annotations(&computed, version)?;
    }
    let mut computed = computed.into_iter();
    Ok(found
        .into_iter()
        .map(|f| f.unwrap_or_else(|| computed.next().map(|c| c.1).unwrap_or_default()))
        .collect())
}

/// The reports of `stories` (a story's index and its articles in member
/// order), from stored annotations; `progress` counts articles (phase
/// `report`).
pub(crate) fn reports(
    store: &mut dyn Storage,
    analysis: &Analysis,
    resolved: &Resolved,
    stories: &[(usize, Vec<&Article>)],
    progress: &dyn Progress,
) -> Result<Vec<StoryReport>> {
    let total: usize = stories.iter().map(|(_, a)| a.len()).sum();
    progress.start("report", total as u64);
    let mut out = Vec::with_capacity(stories.len());
    let mut start = 0;
    while start < stories.len() {
        let mut end = start;
        let mut n = 0;
        while end < stories.len() && (end == start || n + stories[end].1.len() <= CHUNK_ARTICLES) {
            n += stories[end].1.len();
            end += 1;
        }
        let chunk = &stories[start..end];
        let wanted: Vec<(&Article, Option<Timestamp>)> = chunk
            .iter()
            .flat_map(|(k, arts)| arts.iter().map(|a| (*a, analysis.anchor(resolved, *k, a))))
            .collect();
        let mut got = annotations_for(store, &wanted)?.into_iter();
        let per_story: Vec<HashMap<ArticleId, Annotations>> = chunk
            .iter()
            .map(|(_, arts)| {
                arts.iter()
                    .map(|a| (a.id.clone(), got.next().unwrap_or_default()))
                    .collect()
            })
            .collect();
        // Each member's annotations are moved into its report, not copied.
        out.par_extend(chunk.par_iter().zip(per_story).map(|((k, arts), mut ann)| {
            analysis.report(resolved, *k, arts, &mut |a, _| {
                ann.remove(&a.id).unwrap_or_default()
            })
        }));
        progress.advance(n as u64);
        start = end;
    }
    progress.finish();
    Ok(out)
}

/// An article's annotations as its story's latest report used them (dates
/// resolved against its own date, else its story's start): the row that
/// report read or saved; when there is none yet (never analysed, or
/// another annotator's), computed against its own date and not saved
/// (readers do not write).
pub fn article_annotations(store: &dyn Storage, article: &Article) -> Result<Annotations> {
    Ok(store
        .latest_annotations(&article.id, annotator_version())?
        .unwrap_or_else(|| annotate(&article.text, article.published)))
}
