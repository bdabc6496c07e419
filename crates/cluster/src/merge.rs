//! Joining and merging: an article absorbed into a story, and a younger
//! story folded into an older one.

use super::*;

impl OnlineClusterer {
    /// Adds an article's unit vector to a story.
    pub(crate) fn absorb(
        &mut self,
        story: usize,
        v: &[(u32, f64)],
        doc: &ClusterDoc<'_>,
        now: usize,
    ) {
        let cap = self.config.centroid_terms.max(1);
        let arrival = self.docs.len() as u32;
        let st = &mut self.stories[story];
        st.last_doc = now;
        st.size += 1;
        st.members.push(arrival);
        // |c + v|² = |c|² + 2 c·v + |v|²: no pass over the whole centroid.
        let mut norm2 = st.norm * st.norm;
        for &(k, w) in v {
            let c = st.centroid.entry(k).or_default();
            let grow = 2.0 * *c * w + w * w;
            norm2 += grow;
            if is_name(k) {
                st.name_norm2 += grow;
            }
            *c += w;
        }
        st.norm = norm2.max(0.0).sqrt();
        if st.centroid.len() > 2 * cap {
            prune(&mut st.centroid, cap);
            st.renorm();
        }
        if let Some(l) = doc.lang {
            st.add_lang(l);
        }
        if let Some(t) = doc.time {
            st.first = Some(st.first.map_or(t, |f| f.min(t)));
            st.last = Some(st.last.map_or(t, |l| l.max(t)));
        }
    }

    /// Folds story `absorbed` into `into`; postings that name it resolve to
    /// `into` from now on.
    pub(crate) fn merge(&mut self, absorbed: usize, into: usize) {
        let gone = std::mem::take(&mut self.stories[absorbed].centroid);
        let (first, last, last_doc, size) = {
            let a = &self.stories[absorbed];
            (a.first, a.last, a.last_doc, a.size)
        };
        let members = std::mem::take(&mut self.stories[absorbed].members);
        let st = &mut self.stories[into];
        for (k, w) in gone {
            *st.centroid.entry(k).or_default() += w;
        }
        prune(&mut st.centroid, 2 * self.config.centroid_terms.max(1));
        st.renorm();
        let langs = std::mem::take(&mut self.stories[absorbed].langs);
        let st = &mut self.stories[into];
        for l in &langs {
            st.add_lang(l);
        }
        st.first = st.first.min(first).or(st.first).or(first);
        st.last = st.last.max(last);
        st.last_doc = st.last_doc.max(last_doc);
        st.size += size;
        st.members.extend(members);
        st.members.sort_unstable();
        self.stories[absorbed].norm = 0.0;
        self.parent[absorbed] = into as u32;
    }
}
