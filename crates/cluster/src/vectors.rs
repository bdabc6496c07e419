//! An article as a weighted term vector: document frequencies learnt from
//! the stream, the IDF prior, similarity of two documents.

use super::*;

impl OnlineClusterer {
    /// Learns the term statistics of `doc` without clustering it (to warm
    /// the IDF on a collection before [`OnlineClusterer::similarity`]).
    pub fn observe(&mut self, doc: &ClusterDoc<'_>) {
        self.vectorize(doc);
    }

    /// The text similarity clustering uses, under the term statistics seen
    /// so far, without adding either article; time plays no part. It is
    /// the cosine of the two TF-IDF vectors (title words counted twice,
    /// names and numbers also as language-neutral terms) when the texts
    /// share a language or either language is unknown, and the cosine of
    /// their name and number terms alone when their languages differ:
    /// words of two languages cannot match, and counting them would put
    /// every cross-language pair far below any same-language one.
    ///
    /// ```
    /// use corroborate_cluster::{ClusterConfig, ClusterDoc};
    /// let c = ClusterConfig::default().build();
    /// let doc = |title, lang| ClusterDoc { title, body: "", time: None, lang };
    /// let same = c.similarity(&doc("Ferry pier closed by storm", None), &doc("Storm closes ferry pier", None));
    /// let other = c.similarity(&doc("Ferry pier closed by storm", None), &doc("Cup final sold out", None));
    /// assert!(same > 0.5 && other == 0.0);
    /// let en = doc("Storm closes Norhaven ferry pier for 3 days", Some("en"));
    /// let de = doc("Sturm schließt den Fähranleger von Norhaven für 3 Tage", Some("de"));
    /// assert!(c.similarity(&en, &de) > 0.5);
    /// ```
    pub fn similarity(&self, a: &ClusterDoc<'_>, b: &ClusterDoc<'_>) -> f64 {
        let names_only = no_language_in_common(a.lang, b.lang);
        let (va, vb) = (self.weigh(a, names_only), self.weigh(b, names_only));
        let dot: f64 = va
            .iter()
            .filter_map(|(t, x)| vb.get(t).map(|y| x * y))
            .sum();
        dot.clamp(0.0, 1.0)
    }

    /// TF-IDF unit vector of `doc` by term, from the current statistics
    /// (of its name terms alone with `names_only`).
    pub(crate) fn weigh(&self, doc: &ClusterDoc<'_>, names_only: bool) -> HashMap<u64, f64> {
        let mut tf: HashMap<u64, f64> = HashMap::default();
        each_weighted_term(doc, &mut |term, w| {
            if !names_only || matches!(term, Term::Name(_)) {
                *tf.entry(term.key()).or_default() += w;
            }
        });
        let n = f64::from(self.n_docs) + PRIOR_DOCS;
        let mut v: HashMap<u64, f64> = tf
            .into_iter()
            .map(|(term, f)| {
                let df = self.vocab.get(&term).map_or(0, |&id| self.df[slot(id)]);
                (term, tf_idf(f, df, n))
            })
            .collect();
        unit_length(v.values_mut());
        v
    }

    /// The article's TF-IDF unit vector, sorted by term id; learns its
    /// document frequencies.
    pub(crate) fn vectorize(&mut self, doc: &ClusterDoc<'_>) -> Vec<(u32, f64)> {
        let mut tf: HashMap<u32, f64> = HashMap::default();
        let (vocab, df, stemmed) = (&mut self.vocab, &mut self.df, &mut self.stemmed);
        let mut intern = |key: u64, name: bool| {
            *vocab.entry(key).or_insert_with(|| {
                df.push(0);
                ((df.len() as u32 - 1) << 1) | u32::from(name)
            })
        };
        each_weighted_term(doc, &mut |term, w| {
            let id = match term.stem_slot() {
                // A word seen lately goes straight to its stem's id: one
                // probe, no stemming.
                Some(slot) => {
                    let cell = &mut stemmed[(slot as usize) & (STEMMED_SLOTS - 1)];
                    if cell.0 == slot {
                        cell.1
                    } else {
                        let id = intern(term.key(), false);
                        *cell = (slot, id);
                        id
                    }
                }
                None => intern(term.key(), matches!(term, Term::Name(_))),
            };
            *tf.entry(id).or_default() += w;
        });
        // IDF from frequencies *before* this document, smoothed by the prior.
        let n = f64::from(self.n_docs) + PRIOR_DOCS;
        let mut v: Vec<(u32, f64)> = tf
            .iter()
            .map(|(&id, &f)| (id, tf_idf(f, self.df[slot(id)], n)))
            .collect();
        for &id in tf.keys() {
            self.df[slot(id)] += 1;
        }
        self.n_docs += 1;
        v.sort_unstable_by_key(|t| t.0);
        unit_length(v.iter_mut().map(|(_, x)| x));
        v
    }
}
