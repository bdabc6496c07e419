//! Candidate stories from the inverted index over members' heaviest terms
//! (bounded postings), and the score of an article against a story:
//! cosine, time factor, size factor.

use super::*;

impl OnlineClusterer {
    /// `size^size_prior`: the larger story wins a close call, as a
    /// Dirichlet-multinomial mixture weighs a cluster by its size (the
    /// "rich get richer" term of GSDMM and MStream). A centroid of many
    /// articles spreads its weight over more words, so a new article's
    /// cosine with it is lower than with a small story of the same
    /// subject; this term gives that back.
    pub(crate) fn size_factor(&self, story: &Story) -> f64 {
        if self.config.size_prior == 0.0 {
            1.0
        } else {
            f64::from(story.size.max(1)).powf(self.config.size_prior)
        }
    }

    pub(crate) fn time_factor(&self, story: &Story, t: Option<Timestamp>) -> f64 {
        self.decay(gap_days((t, t), (story.first, story.last)))
    }

    /// 1 within the grace period, then exponential decay.
    pub(crate) fn decay(&self, gap_days: f64) -> f64 {
        let over = (gap_days - self.config.grace_days).max(0.0);
        (-over / self.config.decay_days).exp()
    }

    /// Cosine of two stories' centroids; of their name terms alone when
    /// they have no language in common.
    pub(crate) fn cosine(&self, a: usize, b: usize) -> f64 {
        let (x, y) = (&self.stories[a], &self.stories[b]);
        let names_only = no_language_in_common(x.langs(), y.langs());
        let (small, large) = if x.centroid.len() <= y.centroid.len() {
            (x, y)
        } else {
            (y, x)
        };
        let dot: f64 = small
            .centroid
            .iter()
            .filter(|(k, _)| !names_only || is_name(**k))
            .filter_map(|(k, w)| large.centroid.get(k).map(|v| w * v))
            .sum();
        let (nx, ny) = if names_only {
            (x.name_norm2.sqrt(), y.name_norm2.sqrt())
        } else {
            (x.norm, y.norm)
        };
        if nx > 0.0 && ny > 0.0 {
            dot / (nx * ny)
        } else {
            0.0
        }
    }

    /// Live stories sharing index terms with `top`, those sharing the most
    /// first, at most [`ClusterConfig::max_candidates`] of them.
    pub(crate) fn candidates(&self, top: &[(u32, f64)]) -> Vec<u32> {
        let mut hits: Vec<u32> = top
            .iter()
            .filter_map(|(term, _)| self.postings.get(term))
            .flatten()
            .map(|&s| self.resolve(s as usize) as u32)
            .collect();
        hits.sort_unstable();
        let mut counted: Vec<(u32, u32)> = Vec::new(); // (story, shared terms)
        for s in hits {
            match counted.last_mut() {
                Some((last, n)) if *last == s => *n += 1,
                _ => counted.push((s, 1)),
            }
        }
        let cap = self.config.max_candidates.max(1);
        if counted.len() > cap {
            // Most shared terms first; among equals the more recent story.
            counted.select_nth_unstable_by(cap - 1, |a, b| b.1.cmp(&a.1).then(b.0.cmp(&a.0)));
            counted.truncate(cap);
        }
        let mut out: Vec<u32> = counted.into_iter().map(|(s, _)| s).collect();
        out.sort_unstable();
        out
    }

    /// Enters a story under the article's index terms, keeping each term's
    /// postings to the most recent stories.
    pub(crate) fn post(&mut self, story: usize, top: &[(u32, f64)]) {
        let cap = self.config.max_postings.max(1);
        for &(term, _) in top {
            let list = self.postings.entry(term).or_default();
            if !list.contains(&(story as u32)) {
                list.push(story as u32);
                if list.len() > 2 * cap {
                    list.drain(..list.len() - cap);
                }
            }
        }
    }
}
