//! Incremental resolution: the stories an analysis changed since it was
//! last resolved, without visiting the others. [`Analysis::resolve`] costs
//! time in proportion to every article pushed so far; a running server
//! that resolved after each added article would pay for the whole store
//! each time. Here each story's members are kept between calls, the
//! pushes record which stories they named (joined, merged, split, linked),
//! and only those stories are resolved again: the cost is the batch's
//! articles plus the members and links of the stories it touched.
//!
//! What a touched story resolves to is exactly what [`Analysis::resolve`]
//! gives for it (members in arrival order, id, links in the same order,
//! merges); a property test compares the two on generated streams.

use super::{Analysis, Resolved};
use corroborate_model::{RelatedStory, StoryId};
use std::collections::{HashMap, HashSet};

/// The incremental state, kept in the [`Analysis`] and fed by its pushes.
#[derive(Default)]
pub(crate) struct State {
    /// Each story's members (arrival indices, ascending) by clusterer story
    /// index, as of the last resolution.
    by_root: HashMap<usize, Vec<usize>>,
    /// Pushes covered by `by_root`.
    done: usize,
    /// Story indices named by pushes since then.
    pending: HashSet<usize>,
    /// Outlets whose first two articles changed since then (a declared
    /// source resolves to one of them).
    pending_outlets: Vec<String>,
    /// Story indices merged into each story, transitively.
    absorbed_by: HashMap<usize, Vec<usize>>,
    /// Entries of `Analysis::related`, `splits` and `merges` (by `into`)
    /// by the story indices they name.
    related_by: HashMap<usize, Vec<usize>>,
    splits_by: HashMap<usize, Vec<usize>>,
    merges_by_into: HashMap<usize, Vec<usize>>,
    /// Articles declaring a source, by the source's lower-cased name.
    declared_by: HashMap<String, Vec<usize>>,
}

/// What changed since the last resolution.
pub struct Touched {
    /// The touched stories, resolved (indices are local to this value).
    pub resolved: Resolved,
    /// Ids of stories that no longer exist (absorbed by a merge).
    pub removed: Vec<StoryId>,
}

impl State {
    /// A story a push named.
    pub(super) fn named(&mut self, story: usize) {
        self.pending.insert(story);
    }

    /// A related link was recorded as entry `e`.
    pub(super) fn related(&mut self, e: usize, x: usize, y: usize) {
        for s in [x, y] {
            self.pending.insert(s);
            self.related_by.entry(s).or_default().push(e);
        }
    }

    /// A split was recorded as entry `e`.
    pub(super) fn split(&mut self, e: usize, from: usize, new: usize) {
        for s in [from, new] {
            self.pending.insert(s);
            self.splits_by.entry(s).or_default().push(e);
        }
    }

    /// Story `absorbed` was merged into `into`, recorded as entry `e`.
    pub(super) fn merged(&mut self, e: usize, into: usize, absorbed: usize) {
        self.pending.insert(into);
        self.pending.insert(absorbed);
        self.merges_by_into.entry(into).or_default().push(e);
        let mut moved = self.absorbed_by.remove(&absorbed).unwrap_or_default();
        moved.push(absorbed);
        self.absorbed_by.entry(into).or_default().extend(moved);
    }

    /// Article `i` declares `source`.
    pub(super) fn declared(&mut self, i: usize, source: &str) {
        self.declared_by
            .entry(source.to_lowercase())
            .or_default()
            .push(i);
    }

    /// An outlet's first articles changed.
    pub(super) fn outlet_grew(&mut self, outlet: &str) {
        self.pending_outlets.push(outlet.to_string());
    }

    /// A story index and every index merged into it.
    fn group(&self, root: usize) -> impl Iterator<Item = usize> + '_ {
        std::iter::once(root).chain(self.absorbed_by.get(&root).into_iter().flatten().copied())
    }
}

impl Analysis {
    /// Takes a full resolution as the starting point of incremental ones.
    pub fn prime(&mut self, r: &Resolved) {
        let mut inc = std::mem::take(&mut self.inc);
        inc.by_root = r
            .members
            .iter()
            .map(|m| (self.stream.current_story(m[0]), m.clone()))
            .collect();
        inc.done = self.meta.len();
        inc.pending.clear();
        inc.pending_outlets.clear();
        self.inc = inc;
    }

    /// The stories changed since the last call (or [`Analysis::prime`]):
    /// resolved as [`Analysis::resolve`] resolves them, and the ids of the
    /// stories merged away.
    pub fn touched(&mut self) -> Touched {
        let mut inc = std::mem::take(&mut self.inc);
        let named = self.named_stories(&mut inc);
        let roots: HashSet<usize> = named.iter().map(|&s| self.stream.resolve(s)).collect();
        // The members of every story that may have changed, placed again.
        let mut old_ids = HashSet::new();
        let mut pool: Vec<usize> = (inc.done..self.meta.len()).collect();
        for r in named.iter().chain(&roots) {
            if let Some(old) = inc.by_root.remove(r) {
                old_ids.insert(StoryId::for_founder(&self.meta[old[0]].id));
                pool.extend(old);
            }
        }
        pool.sort_unstable();
        pool.dedup();
        let mut roots: Vec<usize> = roots.into_iter().collect();
        let mut receiving = HashSet::new();
        for i in pool {
            let root = self.stream.current_story(i);
            inc.by_root.entry(root).or_default().push(i);
            receiving.insert(root);
        }
        for r in &receiving {
            if let Some(m) = inc.by_root.get_mut(r) {
                m.sort_unstable();
                m.dedup();
            }
        }
        roots.extend(receiving);
        roots.sort_unstable();
        roots.dedup();
        roots.retain(|r| inc.by_root.get(r).is_some_and(|m| !m.is_empty()));
        inc.done = self.meta.len();
        let resolved = self.resolve_roots(&inc, &roots);
        self.inc = inc;
        // A story merged away, or one whose founder changed (a merge with
        // a story holding older articles): its old id is gone.
        let new_ids: HashSet<&StoryId> = resolved.ids.iter().collect();
        let removed = old_ids
            .into_iter()
            .filter(|id| !new_ids.contains(id))
            .collect();
        Touched { resolved, removed }
    }

    /// Story indices the pushes since the last call named, and those a
    /// change reaches: stories of the new articles, stories whose declared
    /// source's outlet gained an article, stories linked to a story merged
    /// away (their link now names the merged story).
    fn named_stories(&self, inc: &mut State) -> HashSet<usize> {
        let mut named = std::mem::take(&mut inc.pending);
        for i in inc.done..self.meta.len() {
            named.insert(self.stream.current_story(i));
        }
        for outlet in std::mem::take(&mut inc.pending_outlets) {
            for &i in inc.declared_by.get(&outlet).into_iter().flatten() {
                named.insert(self.stream.current_story(i));
            }
        }
        let merged_away: Vec<usize> = named
            .iter()
            .copied()
            .filter(|&s| self.stream.resolve(s) != s)
            .collect();
        for s in merged_away {
            let root = self.stream.resolve(s);
            for g in inc.group(root).collect::<Vec<_>>() {
                for &e in inc.related_by.get(&g).into_iter().flatten() {
                    named.extend([self.related[e].0, self.related[e].1]);
                }
                for &e in inc.splits_by.get(&g).into_iter().flatten() {
                    named.extend([self.splits[e].0, self.splits[e].1]);
                }
            }
        }
        named
    }

    /// `roots` (ascending) resolved: members, ids, links and merges.
    fn resolve_roots(&self, inc: &State, roots: &[usize]) -> Resolved {
        // A story's id comes from its earliest member (every live story has
        // its members in `by_root`; its founder is the fallback).
        let id_of = |root: usize| {
            let first = inc.by_root.get(&root).and_then(|m| m.first()).copied();
            StoryId::for_founder(&self.meta[first.unwrap_or(self.founder[root])].id)
        };
        let members: Vec<Vec<usize>> = roots.iter().map(|r| inc.by_root[r].clone()).collect();
        let ids: Vec<StoryId> = roots.iter().map(|&r| id_of(r)).collect();
        let links_of = roots
            .iter()
            .map(|&r| self.links_of(inc, r, &id_of))
            .collect();
        let merged_into = roots.iter().map(|&r| self.merged_into(inc, r)).collect();
        Resolved {
            members,
            ids,
            links_of,
            merged_into,
        }
    }

    /// A story's links in [`Analysis::resolve`]'s order: related stories by
    /// (lower, higher) story, the first recorded similarity of each pair,
    /// then the splits in the order they happened.
    fn links_of(
        &self,
        inc: &State,
        root: usize,
        id_of: &dyn Fn(usize) -> StoryId,
    ) -> Vec<RelatedStory> {
        let stream = &self.stream;
        let entries = |index: &HashMap<usize, Vec<usize>>| {
            let mut e: Vec<usize> = inc
                .group(root)
                .flat_map(|g| index.get(&g).into_iter().flatten().copied())
                .collect();
            e.sort_unstable();
            e.dedup();
            e
        };
        let mut pairs: Vec<(usize, usize, usize)> = entries(&inc.related_by)
            .into_iter()
            .filter_map(|e| {
                let (x, y, _) = self.related[e];
                let (x, y) = (stream.resolve(x), stream.resolve(y));
                (x != y && (x == root || y == root)).then_some((x.min(y), x.max(y), e))
            })
            .collect();
        pairs.sort_unstable();
        pairs.dedup_by(|a, b| (a.0, a.1) == (b.0, b.1));
        let mut out: Vec<RelatedStory> = pairs
            .into_iter()
            .map(|(x, y, e)| RelatedStory {
                id: id_of(if x == root { y } else { x }),
                reason: format!(
                    "same subject (text similarity {:.2}), different time",
                    self.related[e].2
                ),
            })
            .collect();
        for e in entries(&inc.splits_by) {
            let (from, new, reason) = &self.splits[e];
            let (x, y) = (stream.resolve(*from), stream.resolve(*new));
            if x != y && (x == root || y == root) {
                out.push(RelatedStory {
                    id: id_of(if x == root { y } else { x }),
                    reason: reason.clone(),
                });
            }
        }
        out
    }

    /// The stories merged into a story, in the order they were.
    fn merged_into(&self, inc: &State, root: usize) -> Vec<RelatedStory> {
        let mut e: Vec<usize> = inc
            .group(root)
            .flat_map(|g| inc.merges_by_into.get(&g).into_iter().flatten().copied())
            .collect();
        e.sort_unstable();
        e.dedup();
        e.into_iter()
            .map(|e| {
                let (_, founder, reason) = &self.merges[e];
                RelatedStory {
                    id: StoryId::for_founder(&self.meta[*founder].id),
                    reason: reason.clone(),
                }
            })
            .collect()
    }
}
