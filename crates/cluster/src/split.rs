//! Online splits: a story divided in two by a two-means over its members'
//! heaviest terms, or at a point in its arrival order, when the two groups
//! are unlike each other.

use super::*;

/// Share of cross-group pairs in arrival order from which two groups of
/// undated articles count as one after the other ([`in_sequence`]).
pub(crate) const SEQUENCE_MIN: f64 = 0.9;

/// Fewest articles in each group for their order to count: with 16 and
/// 16 in random order, nine pairs in ten in order is four standard
/// deviations from chance.
pub(crate) const SEQUENCE_GROUP_MIN: usize = 16;

/// How far two groups of articles came one after the other, from their
/// members' groups in arrival order (`true`: the second group): the share
/// of (first group, second group) pairs in arrival order (the
/// Mann-Whitney statistic), folded so that 1 is "wholly one after the
/// other" and 0.5 "interleaved".
pub(crate) fn in_sequence(by_arrival: impl Iterator<Item = bool>) -> f64 {
    let (mut na, mut nb, mut pairs) = (0u64, 0u64, 0u64);
    for b in by_arrival {
        if b {
            nb += 1;
            pairs += na;
        } else {
            na += 1;
        }
    }
    let u = pairs as f64 / (na * nb).max(1) as f64;
    u.max(1.0 - u)
}

/// Seedings of the two-means a split check tries.
pub(crate) const SPLIT_SEEDS: usize = 4;

/// Largest story examined for a split (checks come each time a story's
/// size grows by half, up to this; their cost is in proportion to the
/// size).
pub(crate) const SPLIT_MAX_SIZE: u32 = 1024;

/// A sparse sum of term vectors.
type Centroid = HashMap<u32, f64>;

/// A division of a story's members: the groups (`true`: the second), the
/// first group's centroid, the second's, and a score (how well members
/// fit their groups, or how alike the two sides of a cut are).
type Division = (Vec<bool>, Centroid, Centroid, f64);

/// The members' term vectors, in member order.
struct Vectors<'a>(Vec<&'a [(u32, f32)]>);

impl Vectors<'_> {
    fn len(&self) -> usize {
        self.0.len()
    }

    /// The sum of the members `pick` selects.
    fn sum(&self, pick: impl Fn(usize) -> bool) -> Centroid {
        let mut c: Centroid = HashMap::default();
        for (i, v) in self.0.iter().enumerate() {
            if pick(i) {
                for &(k, w) in v.iter() {
                    *c.entry(k).or_default() += f64::from(w);
                }
            }
        }
        c
    }

    /// Members ranked by their cosine with `c`, least alike first.
    fn ranked_by(&self, c: &Centroid) -> Vec<(usize, f64)> {
        let cn = norm(c);
        let mut r: Vec<(usize, f64)> = (0..self.len())
            .map(|i| (i, cos_to(self.0[i], c, cn)))
            .collect();
        r.sort_by(|x, y| x.1.total_cmp(&y.1).then(x.0.cmp(&y.0)));
        r
    }

    /// Two-means from seeds `a` and `b`: the groups, their centroids, and
    /// how well members fit their own group's centroid (the sum of
    /// cosines).
    fn two_means(&self, a: usize, b: usize) -> Division {
        let mut in_b: Vec<bool> = (0..self.len()).map(|i| i == b).collect();
        let (mut ca, mut cb) = (self.sum(|i| i == a), self.sum(|i| i == b));
        for _ in 0..10 {
            let (na, nb) = (norm(&ca), norm(&cb));
            let next: Vec<bool> = self
                .0
                .iter()
                .map(|v| cos_to(v, &cb, nb) > cos_to(v, &ca, na))
                .collect();
            if next == in_b {
                break;
            }
            in_b = next;
            ca = self.sum(|i| !in_b[i]);
            cb = self.sum(|i| in_b[i]);
        }
        let (na, nb) = (norm(&ca), norm(&cb));
        let fit: f64 = self
            .0
            .iter()
            .zip(&in_b)
            .map(|(v, &g)| {
                if g {
                    cos_to(v, &cb, nb)
                } else {
                    cos_to(v, &ca, na)
                }
            })
            .sum();
        (in_b, ca, cb, fit)
    }

    /// The best of a few two-means: one seeding can settle in a poor
    /// division (a name every member shares pulls the groups together), so
    /// each of the members least like the story's centroid is tried with
    /// the member least like it; the division members fit best wins.
    fn best_division(&self) -> Option<Division> {
        let all = self.sum(|_| true);
        let mut best: Option<Division> = None;
        for &(a, _) in self.ranked_by(&all).iter().take(SPLIT_SEEDS) {
            let b = self.ranked_by(&self.sum(|i| i == a))[0].0;
            if a == b {
                continue;
            }
            let trial = self.two_means(a, b);
            if best.as_ref().is_none_or(|x| trial.3 > x.3) {
                best = Some(trial);
            }
        }
        best
    }

    /// An undated story may also be two events one after the other that
    /// share their strongest words, which two-means over words does not
    /// separate: the members cut at a point in their arrival order (at
    /// each tenth, both sides of [`SEQUENCE_GROUP_MIN`] or more) whose two
    /// sides are least alike (score: their cosine).
    fn sequence_cut(&self, by_arrival: &[usize]) -> Option<Division> {
        let n = self.len();
        let mut cut: Option<Division> = None;
        for tenth in 1..10 {
            let at = n * tenth / 10;
            if at.min(n - at) < SEQUENCE_GROUP_MIN {
                continue;
            }
            let mut later = vec![false; n];
            for &i in &by_arrival[at..] {
                later[i] = true;
            }
            let (before, after) = (self.sum(|i| !later[i]), self.sum(|i| later[i]));
            let cos = centroids_cos(&before, &after);
            if cut.as_ref().is_none_or(|c| cos < c.3) {
                cut = Some((later, before, after, cos));
            }
        }
        cut
    }
}

fn cos_to(v: &[(u32, f32)], c: &Centroid, c_norm: f64) -> f64 {
    let (mut dot, mut n2) = (0.0, 0.0);
    for &(k, w) in v {
        let w = f64::from(w);
        dot += w * c.get(&k).copied().unwrap_or(0.0);
        n2 += w * w;
    }
    let n = n2.sqrt() * c_norm;
    if n > 0.0 {
        dot / n
    } else {
        0.0
    }
}

fn norm(c: &Centroid) -> f64 {
    c.values().map(|x| x * x).sum::<f64>().sqrt()
}

/// The cosine of two groups' centroids.
fn centroids_cos(a: &Centroid, b: &Centroid) -> f64 {
    let (na, nb) = (norm(a), norm(b));
    let dot: f64 = a.iter().filter_map(|(k, w)| b.get(k).map(|x| w * x)).sum();
    if na > 0.0 && nb > 0.0 {
        dot / (na * nb)
    } else {
        0.0
    }
}

impl OnlineClusterer {
    /// Examines `story` for a split when its size has reached the next
    /// check (twice [`ClusterConfig::split_min`], then each growth by half): a
    /// deterministic two-means over its members' kept terms, seeded with
    /// the member least like the centroid and the member least like that
    /// one. The story splits when each group has at least `split_min`
    /// articles and the groups' centroids, weighed by the time decay
    /// between their spans, are less alike than `split_threshold`: two
    /// events an early, loose article had bridged, or one subject's two
    /// episodes days apart. The group holding the story's first article
    /// keeps it; the other becomes a new story.
    pub(crate) fn maybe_split(&mut self, story: usize) -> Option<Split> {
        let min = self.config.split_min.max(1);
        if !self.split_due(story) {
            return None;
        }
        let members = self.stories[story].members.clone();
        if members.len() < 2 * min {
            return None;
        }
        let vecs = Vectors(
            members
                .iter()
                .map(|&d| &*self.docs[d as usize].terms)
                .collect(),
        );
        let (mut in_b, mut ca, mut cb, _) = vecs.best_division()?;
        let undated = members
            .iter()
            .all(|&d| self.docs[d as usize].time.is_none());
        // Undated members by arrival (their indexes), for the cut and the
        // order of the groups.
        let mut by_arrival: Vec<usize> = Vec::new();
        if undated {
            by_arrival = (0..members.len()).collect();
            by_arrival.sort_by_key(|&i| members[i]);
            if let Some((later, before, after, cos)) = vecs.sequence_cut(&by_arrival) {
                if cos < self.config.sequence_split_threshold {
                    (in_b, ca, cb) = (later, before, after);
                }
            }
        }
        let moved_n = in_b.iter().filter(|&&x| x != in_b[0]).count();
        if moved_n < min || vecs.len() - moved_n < min {
            return None;
        }
        let cos = centroids_cos(&ca, &cb);
        let span = |want: bool| {
            let times = (0..vecs.len())
                .filter(|&i| in_b[i] == want)
                .filter_map(|i| self.docs[members[i] as usize].time);
            (times.clone().min(), times.max())
        };
        let gap = gap_days(span(false), span(true));
        // Undated articles have only their arrival order for a clock: two
        // groups that came one after the other are two events (as two
        // groups dated days apart are), and they part unless they are as
        // alike as two stories that would merge.
        let sequential = undated
            && moved_n.min(vecs.len() - moved_n) >= SEQUENCE_GROUP_MIN
            && in_sequence(by_arrival.iter().map(|&i| in_b[i])) >= SEQUENCE_MIN;
        let threshold = if sequential {
            self.config
                .sequence_split_threshold
                .max(self.config.split_threshold)
        } else {
            self.config.split_threshold
        };
        if cos * self.decay(gap) >= threshold {
            return None;
        }
        // The group without the first member leaves.
        let leaves = !in_b[0];
        let gone = if leaves { cb } else { ca };
        let (new, moved) = self.part(story, &members, &in_b, leaves, gone, min);
        let apart = if gap > 0.0 {
            format!(", {gap:.1} days apart")
        } else if sequential {
            ", one group arriving after the other".to_string()
        } else {
            String::new()
        };
        let total = members.len();
        Some(Split {
            from: story,
            new,
            moved: moved.iter().map(|&d| d as usize).collect(),
            reason: format!(
                "its {total} articles form two groups ({} and {}) whose centroids have cosine {cos:.2}{apart}",
                total - moved.len(),
                moved.len()
            ),
        })
    }

    /// Whether `story` is due a split check, and the next check scheduled:
    /// each growth by half; past [`SPLIT_MAX_SIZE`] a story is settled (a
    /// check costs time in proportion to its size, and a story that large
    /// has shown what it is about).
    fn split_due(&mut self, story: usize) -> bool {
        let st = &mut self.stories[story];
        if self.config.split_threshold <= 0.0 || st.size < st.next_split_check {
            return false;
        }
        let next = st.size.saturating_mul(3) / 2;
        st.next_split_check = if next > SPLIT_MAX_SIZE {
            u32::MAX
        } else {
            next
        };
        true
    }

    /// Moves the members in group `leaves` (with their centroid `gone`) out
    /// of `story` into a new story: the new story's index and its members.
    fn part(
        &mut self,
        story: usize,
        members: &[u32],
        in_b: &[bool],
        leaves: bool,
        gone: Centroid,
        min: usize,
    ) -> (usize, Vec<u32>) {
        let (mut moved, mut stay) = (Vec::new(), Vec::new());
        for (&d, &g) in members.iter().zip(in_b) {
            if g == leaves {
                moved.push(d);
            } else {
                stay.push(d);
            }
        }
        let new = self.stories.len();
        // A copy built entry by entry, as the story's own centroids are.
        let mut centroid: Centroid = HashMap::default();
        for (&k, &w) in &gone {
            centroid.insert(k, w);
        }
        let old = &mut self.stories[story];
        for (k, w) in &centroid {
            if let Some(x) = old.centroid.get_mut(k) {
                *x -= w;
                if *x <= 1e-9 {
                    old.centroid.remove(k);
                }
            }
        }
        old.renorm();
        old.members = stay;
        old.size = old.members.len() as u32;
        let mut fresh = Story {
            last_doc: old.last_doc,
            size: moved.len() as u32,
            members: moved.clone(),
            next_split_check: (2 * moved.len().max(min)) as u32,
            centroid,
            norm: 0.0,
            name_norm2: 0.0,
            langs: old.langs.clone(),
            first: None,
            last: None,
        };
        fresh.renorm();
        self.stories.push(fresh);
        self.parent.push(new as u32);
        self.apart.push((story as u32, new as u32));
        for &d in &moved {
            self.docs[d as usize].story = new as u32;
        }
        for s in [story, new] {
            self.restamp(s);
        }
        let mut top: Vec<(u32, f64)> = self.stories[new]
            .centroid
            .iter()
            .map(|(&k, &w)| (k, w))
            .collect();
        top.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        top.truncate(self.config.index_terms);
        self.post(new, &top);
        (new, moved)
    }

    /// A story's first and last times, from its members.
    fn restamp(&mut self, s: usize) {
        let times = self.stories[s]
            .members
            .iter()
            .filter_map(|&d| self.docs[d as usize].time);
        let (first, last) = (times.clone().min(), times.max());
        let st = &mut self.stories[s];
        (st.first, st.last) = (first, last);
    }
}
