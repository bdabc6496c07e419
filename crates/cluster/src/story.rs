//! A story's state: its centroid, its time span, its languages; the gap
//! between a story and an article in days, and centroid pruning.

use super::*;

/// Days between two time spans (0 when they overlap or either is unknown).
pub(crate) fn gap_days(
    (a_first, a_last): (Option<Timestamp>, Option<Timestamp>),
    (b_first, b_last): (Option<Timestamp>, Option<Timestamp>),
) -> f64 {
    let (Some(af), Some(al), Some(bf), Some(bl)) = (a_first, a_last, b_first, b_last) else {
        return 0.0;
    };
    let hours = if al < bf {
        (bf - al).num_hours()
    } else if bl < af {
        (af - bl).num_hours()
    } else {
        0
    };
    hours as f64 / 24.0
}

/// Whether both sides know their languages and share none: then only
/// names and numbers can match.
pub(crate) fn no_language_in_common<'a, 'b>(
    a: impl IntoIterator<Item = &'a str>,
    b: impl IntoIterator<Item = &'b str> + Clone,
) -> bool {
    let mut a = a.into_iter().peekable();
    a.peek().is_some()
        && b.clone().into_iter().next().is_some()
        && a.all(|x| !b.clone().into_iter().any(|y| x.eq_ignore_ascii_case(y)))
}

impl Story {
    /// Whether an article in `lang` shares no language with the story
    /// (false when either is unknown).
    pub(crate) fn foreign(&self, lang: Option<&str>) -> bool {
        no_language_in_common(lang, self.langs())
    }

    pub(crate) fn langs(&self) -> impl Iterator<Item = &str> + Clone {
        self.langs.iter().map(|l| &**l)
    }

    /// Adds a language to the story's (kept lower-case, once each).
    pub(crate) fn add_lang(&mut self, lang: &str) {
        if !self.langs().any(|x| x.eq_ignore_ascii_case(lang)) {
            self.langs.push(lang.to_ascii_lowercase().into());
        }
    }

    /// Recomputes both norms from the centroid.
    pub(crate) fn renorm(&mut self) {
        self.norm = self.centroid.values().map(|x| x * x).sum::<f64>().sqrt();
        self.name_norm2 = self
            .centroid
            .iter()
            .filter(|(k, _)| is_name(**k))
            .map(|(_, x)| x * x)
            .sum();
    }
}

/// Keeps the `cap` heaviest terms (ties: the lower term id).
pub(crate) fn prune(centroid: &mut HashMap<u32, f64>, cap: usize) {
    if centroid.len() <= cap {
        return;
    }
    let mut all: Vec<(u32, f64)> = centroid.drain().collect();
    all.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    all.truncate(cap);
    centroid.extend(all);
}
