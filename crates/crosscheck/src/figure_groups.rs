//! A story's figures grouped by what they count.
//!
//! Two figures are compared only when they count the same thing at a
//! comparable time: the same concept ("troops", "casualties", the counted
//! noun otherwise), the same named group when both name one ("North Korean"
//! troops are not "Kadyrov" fighters), the same unit, the same rate ("per
//! day") and the same reference date ("by October 23"). A figure that names
//! no group joins the named group its sentence mentions, or the only named
//! group of its concept; otherwise it stays apart. Within a group, values
//! disagree only when their stated bounds cannot both hold.
//!
//! Cost: linear in the story's figures and its articles' length (one char
//! index per article with figures, one map insert per figure, one pass per
//! group).

use crate::figures::what_key;
use crate::report::ReportArticle;
use corroborate_model::{Figure, FigureGroup, FigureValue};
use std::collections::{BTreeMap, HashMap};

/// What makes two figures comparable (see the module doc).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Key {
    concept: String,
    /// The named group, lower case.
    group: Option<String>,
    unit: Option<String>,
    per: Option<String>,
    as_of: Option<String>,
}

/// One figure on its way into a group.
struct Item {
    value: FigureValue,
    /// As written, for the group's label.
    group: Option<String>,
    /// The text before the figure in its sentence (lower case).
    context: String,
    approximate: bool,
    vague: bool,
}

/// The figure groups of a story, largest first.
pub(crate) fn groups(arts: &[&ReportArticle<'_>]) -> Vec<FigureGroup> {
    let mut keyed: BTreeMap<Key, Vec<Item>> = BTreeMap::new();
    for ra in arts {
        if ra.annotations.figures.is_empty() {
            continue;
        }
        // Figure offsets count chars: one index per article, not a scan
        // of the text per figure.
        let bytes: Vec<usize> = ra.article.text.char_indices().map(|(b, _)| b).collect();
        for f in &ra.annotations.figures {
            if f.what.is_none() && f.unit.is_none() {
                continue;
            }
            let at = bytes.get(f.start).copied().unwrap_or(ra.article.text.len());
            let (key, item) = keyed_item(ra, f, at);
            keyed.entry(key).or_default().push(item);
        }
    }
    join_unnamed(&mut keyed);
    let mut out: Vec<FigureGroup> = keyed.into_iter().map(|(k, v)| group(k, v)).collect();
    out.sort_by_key(|g| std::cmp::Reverse(g.values.len()));
    out
}

/// `f` keyed for grouping; `at` is the byte where it starts.
fn keyed_item(ra: &ReportArticle<'_>, f: &Figure, at: usize) -> (Key, Item) {
    let what = f.what.as_deref();
    let group = what.and_then(named_group);
    let key = Key {
        concept: what.map(what_key).unwrap_or_else(|| "quantity".into()),
        group: group.as_deref().map(str::to_lowercase),
        unit: f.unit.clone(),
        per: f.per.clone(),
        as_of: f.as_of.clone(),
    };
    let item = Item {
        value: FigureValue {
            article: ra.article.id.clone(),
            text: match what {
                Some(w) => format!("{} {w}", f.text),
                None => f.text.clone(),
            },
            start: f.start,
            end: f.end,
            value: f.value,
            low: f.low,
            high: f.high,
            attributed_to: f.attributed_to.clone(),
        },
        group,
        context: sentence_before(&ra.article.text, at).to_lowercase(),
        approximate: f.approximate,
        vague: f.vague,
    };
    (key, item)
}

/// The group a counted phrase names: its leading capitalised words ("North
/// Korean troops" -> "North Korean"); a capitalised head names itself
/// ("North Koreans" -> "North Korean").
fn named_group(what: &str) -> Option<String> {
    let what = crate::figures::counted_noun(what);
    let words: Vec<&str> = what.split_whitespace().collect();
    let capital = |w: &&str| w.chars().next().is_some_and(char::is_uppercase);
    let (head, modifiers) = words.split_last()?;
    let mut named: Vec<&str> = modifiers.iter().copied().take_while(capital).collect();
    if named.len() == modifiers.len() && capital(head) {
        named.push(head.strip_suffix('s').unwrap_or(head));
    }
    (!named.is_empty()).then(|| named.join(" "))
}

/// Up to 200 chars of `text` before byte `at`, from the start of its
/// sentence.
fn sentence_before(text: &str, at: usize) -> &str {
    let from = text[..at]
        .char_indices()
        .rev()
        .nth(199)
        .map_or(0, |(b, _)| b);
    let window = &text[from..at];
    match window.rfind(['.', '!', '?', '\n']) {
        Some(i) => &window[i + 1..],
        None => window,
    }
}

/// Moves each unnamed group's figures into the named group of the same
/// concept, unit, rate and date that their sentence mentions, or into the
/// only such named group.
fn join_unnamed(keyed: &mut BTreeMap<Key, Vec<Item>>) {
    // The named groups by the key they would have unnamed: one pass, not
    // a scan of every group per unnamed one.
    let mut named_by_base: HashMap<Key, Vec<Key>> = HashMap::new();
    for k in keyed.keys().filter(|k| k.group.is_some()) {
        let base = Key {
            group: None,
            ..k.clone()
        };
        named_by_base.entry(base).or_default().push(k.clone());
    }
    for (key, named) in named_by_base {
        let Some(items) = keyed.remove(&key) else {
            continue;
        };
        let mut stay = Vec::new();
        for item in items {
            let mentioned: Vec<&Key> = named
                .iter()
                .filter(|k| k.group.as_deref().is_some_and(|g| item.context.contains(g)))
                .collect();
            let to = match (mentioned.as_slice(), named.as_slice()) {
                ([one], _) => Some((*one).clone()),
                ([], [one]) => Some(one.clone()),
                _ => None,
            };
            match to {
                Some(k) => keyed.entry(k).or_default().push(item),
                None => stay.push(item),
            }
        }
        if !stay.is_empty() {
            keyed.insert(key, stay);
        }
    }
}

fn group(key: Key, items: Vec<Item>) -> FigureGroup {
    let stated: Vec<f64> = items
        .iter()
        .filter(|i| !i.vague)
        .flat_map(|i| [i.value.low, i.value.high])
        .flatten()
        .collect();
    let low = stated.iter().copied().reduce(f64::min);
    let high = stated.iter().copied().reduce(f64::max);
    let disagree = !all_compatible(&items);
    let label = items
        .iter()
        .find_map(|i| i.group.clone())
        .map_or(key.concept.clone(), |g| format!("{g} {}", key.concept));
    let label = match (&key.per, &key.as_of) {
        (Some(p), Some(d)) => format!("{label} per {p}, by {d}"),
        (Some(p), None) => format!("{label} per {p}"),
        (None, Some(d)) => format!("{label} by {d}"),
        (None, None) => label,
    };
    FigureGroup {
        what: label,
        unit: key.unit,
        low,
        high,
        disagree,
        values: items.into_iter().map(|i| i.value).collect(),
    }
}

/// Whether all values can hold at once: their stated bounds, an estimate
/// allowed a tenth either way, share a point; a vague word agrees with
/// anything. Intervals on a line that overlap pairwise share a point, so
/// one pass finds the largest lower and smallest upper bound instead of
/// comparing every pair.
fn all_compatible(items: &[Item]) -> bool {
    let mut lo = f64::NEG_INFINITY;
    let mut hi = f64::INFINITY;
    for i in items.iter().filter(|i| !i.vague) {
        let slack = if i.approximate { 0.1 } else { 0.0 };
        lo = lo.max(i.value.low.map_or(f64::NEG_INFINITY, |l| l * (1.0 - slack)));
        hi = hi.min(i.value.high.map_or(f64::INFINITY, |h| h * (1.0 + slack)));
    }
    lo <= hi
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_groups() {
        assert_eq!(
            named_group("North Korean troops").as_deref(),
            Some("North Korean")
        );
        assert_eq!(
            named_group("North Koreans").as_deref(),
            Some("North Korean")
        );
        assert_eq!(
            named_group("Kadyrov fighters killed or wounded").as_deref(),
            Some("Kadyrov")
        );
        assert_eq!(named_group("military personnel"), None);
        assert_eq!(named_group("casualties"), None);
    }

    use corroborate_model::{Article, ArticleId};
    use proptest::prelude::*;

    fn story(texts: &[&str]) -> Vec<FigureGroup> {
        let articles: Vec<Article> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| Article::bare(ArticleId(format!("a{i}")), format!("a{i}"), *t))
            .collect();
        let ras: Vec<ReportArticle<'_>> = articles
            .iter()
            .map(|a| ReportArticle {
                article: a,
                annotations: crate::annotate(&a.text, None),
                copy_of: None,
            })
            .collect();
        groups(&ras.iter().collect::<Vec<_>>())
    }

    fn find<'a>(g: &'a [FigureGroup], what: &str) -> &'a FigureGroup {
        g.iter()
            .find(|x| x.what == what)
            .unwrap_or_else(|| panic!("no group {what}: {g:#?}"))
    }

    #[test]
    fn figures_are_grouped_by_what_they_count_when_and_per_what() {
        let g = story(&[
            "About 6,000 Varnish troops were sent to the front. The Varnish army had lost approximately 90 personnel in one week.",
            "Over 5,000 Varnish soldiers are there, officials said. At least 20 Varnish soldiers have been killed or wounded. Around 2,000 Varnish troops had arrived by March 3, 2025.",
            "Dozens of casualties were reported. The Varnish troops killed four Tollen militiamen. The defenders lose more than 700 soldiers per day. At least 300 Varnish troops took part in the assault.",
        ]);
        let troops = find(&g, "Varnish troops");
        assert_eq!(troops.values.len(), 2, "{troops:#?}");
        assert_eq!(
            (troops.low, troops.high, troops.disagree),
            (Some(5000.0), Some(6000.0), false)
        );
        let lost = find(&g, "Varnish casualties");
        assert_eq!(lost.values.len(), 2, "{lost:#?}");
        assert_eq!((lost.low, lost.high), (Some(20.0), Some(90.0)));
        // Whose dozens? Two named groups have casualties and the sentence
        // names neither: the value stays apart, and states no number.
        let dozens = find(&g, "casualties");
        assert!(dozens.values[0].text.starts_with("Dozens"), "{dozens:#?}");
        assert_eq!((dozens.low, dozens.high), (None, None));
        for apart in [
            "Tollen casualties",
            "casualties per day",
            "Varnish troops by 2025-03-03",
            "Varnish participants",
        ] {
            assert_eq!(find(&g, apart).values.len(), 1, "{apart}");
        }
    }

    #[test]
    fn values_disagree_only_when_their_bounds_cannot_both_hold() {
        let g = story(&[
            "About 100 sailors were aboard.",
            "At least 95 sailors were aboard.",
            "Up to 104 sailors were aboard.",
        ]);
        assert!(!find(&g, "sailor").disagree);
        let g = story(&[
            "About 100 sailors were aboard.",
            "At least 150 sailors were aboard.",
        ]);
        assert!(find(&g, "sailor").disagree);
    }

    proptest! {
        /// Every printed bound of a group is a number one of its values
        /// states in its own span.
        #[test]
        fn printed_bounds_are_stated_numbers(a in 1u32..5000, b in 1u32..5000, qa in 0usize..5, qb in 0usize..5) {
            const Q: [&str; 5] = ["", "about ", "at least ", "up to ", "nearly "];
            let g = story(&[
                &format!("Officials said {}{a} sailors were aboard.", Q[qa]),
                &format!("The navy said {}{b} sailors were aboard.", Q[qb]),
            ]);
            for group in &g {
                for bound in [group.low, group.high].into_iter().flatten() {
                    let written = format!("{}", bound as u64);
                    prop_assert!(group.values.iter().any(|v| v.text.contains(&written)), "{bound} in {group:?}");
                }
            }
        }
    }
}
