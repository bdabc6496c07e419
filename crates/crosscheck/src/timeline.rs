//! A story's timeline: one entry per date value, in the words a reader
//! uses ("fall 2024", "week of 9 December 2024"), ordered by when each
//! period starts, and saying when a date was inferred rather than read.
//!
//! Cost: linear in the story's date mentions (one map insert each), then a
//! sort of the distinct dates.

use crate::report::{sentence_around, ReportArticle};
use chrono::NaiveDate;
use corroborate_model::TimelineEntry;
use std::collections::{BTreeMap, HashSet};

/// The timeline of a story's articles (earliest period first).
pub(crate) fn timeline(arts: &[&ReportArticle<'_>]) -> Vec<TimelineEntry> {
    let mut by_date: BTreeMap<String, TimelineEntry> = BTreeMap::new();
    // (date, article) pairs already listed: an entry's article list grows
    // with the story, so membership is not a scan of it.
    let mut listed: HashSet<(&str, usize)> = HashSet::new();
    for (ai, ra) in arts.iter().enumerate() {
        for d in &ra.annotations.dates {
            if !listed.insert((d.value.as_str(), ai)) {
                continue;
            }
            let inferred = ra.article.published.is_none() && !states_its_year(&d.text);
            let e = by_date
                .entry(d.value.clone())
                .or_insert_with(|| TimelineEntry {
                    date: d.value.clone(),
                    label: label(&d.value),
                    event: sentence_around(&ra.article.text, d.start, d.end),
                    articles: Vec::new(),
                    inferred,
                });
            // Inferred only when no article states it outright.
            e.inferred &= inferred;
            e.articles.push(ra.article.id.clone());
        }
    }
    let mut out: Vec<TimelineEntry> = by_date.into_values().collect();
    out.sort_by_cached_key(|t| order(&t.date));
    out
}

/// True when a date expression holds its own year ("16 December 2024",
/// "fall 2024"): read, not inferred from the article's or story's date.
fn states_its_year(text: &str) -> bool {
    text.split(|c: char| !c.is_ascii_digit())
        .any(|n| n.len() == 4 && (1800..=2200).contains(&n.parse::<u32>().unwrap_or(0)))
}

/// The order of the timeline: by the first day of each period, values with
/// no year last.
fn order(value: &str) -> (bool, Option<NaiveDate>, String) {
    let s = start(value);
    (s.is_none(), s, value.to_string())
}

/// The first day of the period a TIMEX3 value names (`None` for values
/// with no year).
fn start(value: &str) -> Option<NaiveDate> {
    let mut parts = value.split('-');
    let year: i32 = parts.next()?.parse().ok()?;
    let rest: Vec<&str> = parts.collect();
    match rest.as_slice() {
        [] => NaiveDate::from_ymd_opt(year, 1, 1),
        [w, ..] if w.starts_with('W') => {
            NaiveDate::from_isoywd_opt(year, w[1..].parse().ok()?, chrono::Weekday::Mon)
        }
        [s, ..] if s.chars().all(|c| c.is_ascii_alphabetic()) => {
            NaiveDate::from_ymd_opt(year, crate::words::season_start(s), 1)
        }
        [m] => NaiveDate::from_ymd_opt(year, m.parse().ok()?, 1),
        [m, d, ..] => NaiveDate::from_ymd_opt(year, m.parse().ok()?, d.parse().ok()?),
    }
}

/// A TIMEX3 value in plain words: "16 December 2024", "December 2024",
/// "fall 2024", "week of 9 December 2024", "weekend of 14 December 2024";
/// a value with no year keeps its day and month ("16 December, year
/// unknown").
pub(crate) fn label(value: &str) -> String {
    use chrono::Datelike;
    let name = |m: u32| {
        u8::try_from(m)
            .ok()
            .and_then(|m| chrono::Month::try_from(m).ok())
            .map(|m| m.name())
    };
    let day = |d: NaiveDate| {
        format!(
            "{} {} {}",
            d.day(),
            name(d.month()).unwrap_or_default(),
            d.year()
        )
    };
    let parts: Vec<&str> = value.split('-').collect();
    let year = parts[0];
    let month = |m: &str| m.parse::<u32>().ok().and_then(name);
    let known_year = year != "XXXX";
    let with_year = |s: String| {
        if known_year {
            format!("{s} {year}")
        } else {
            format!("{s}, year unknown")
        }
    };
    match parts.as_slice() {
        [_] => year.to_string(),
        [_, w, rest @ ..] if w.starts_with('W') => match start(value) {
            Some(d) if rest.first() == Some(&"WE") => {
                format!("weekend of {}", day(d + chrono::Duration::days(5)))
            }
            Some(d) => format!("week of {}", day(d)),
            None => value.to_string(),
        },
        [_, s] if s.chars().all(|c| c.is_ascii_alphabetic()) => {
            crate::words::season_name(s).map_or(value.to_string(), |n| with_year(n.to_string()))
        }
        [_, m] => month(m).map_or(value.to_string(), |m| with_year(m.to_string())),
        [_, m, d] => match (month(m), d.parse::<u32>()) {
            (Some(m), Ok(d)) => with_year(format!("{d} {m}")),
            _ => value.to_string(),
        },
        _ => value.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_read_as_words() {
        for (value, words) in [
            ("2024-12-16", "16 December 2024"),
            ("2024-12", "December 2024"),
            ("2024", "2024"),
            ("2024-FA", "fall 2024"),
            ("2024-W50", "week of 9 December 2024"),
            ("2024-W50-WE", "weekend of 14 December 2024"),
            ("XXXX-10-23", "23 October, year unknown"),
        ] {
            assert_eq!(label(value), words, "{value}");
        }
    }

    #[test]
    fn periods_sort_by_their_start() {
        let mut v = vec![
            "2024-FA",
            "2024-12-16",
            "2024-08",
            "2024-W50",
            "XXXX-12",
            "2024",
        ];
        v.sort_by_cached_key(|d| order(d));
        assert_eq!(
            v,
            [
                "2024",
                "2024-08",
                "2024-FA",
                "2024-W50",
                "2024-12-16",
                "XXXX-12"
            ]
        );
    }

    #[test]
    fn a_date_with_its_year_is_read_not_inferred() {
        assert!(states_its_year("16 December 2024"));
        assert!(states_its_year("fall 2024"));
        assert!(!states_its_year("today"));
        assert!(!states_its_year("Dec. 16"));
    }
}
