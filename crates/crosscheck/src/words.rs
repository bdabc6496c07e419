//! The bottom of cross-checking: calendar and number words (read from
//! corroborate-lexicon) and calendar arithmetic (quarters, weeks,
//! seasons, holidays, the year a month or day falls in). Every other
//! module may use this one; it uses none of them.

use chrono::{Datelike, NaiveDate, Weekday};
use corroborate_model::Timestamp;
use std::collections::HashMap;
use std::sync::LazyLock;

/// The month of an English month name or abbreviation ("Sept." → 9).
pub(crate) fn month_num(s: &str) -> Option<u32> {
    // The three-letter English abbreviations (and "may") as prefixes:
    // "Sept." and "September" are 9.
    static PREFIXES: LazyLock<Vec<(&'static str, u32)>> = LazyLock::new(|| {
        let mut p: Vec<_> = corroborate_lexicon::months("en")
            .filter(|(n, _)| n.len() == 3)
            .collect();
        p.sort_by_key(|&(_, n)| n);
        p
    });
    let s = s.trim_end_matches('.').to_ascii_lowercase();
    PREFIXES
        .iter()
        .find(|(m, _)| s.starts_with(m))
        .map(|&(_, n)| n)
}

/// Resolves a day and month without a year against the reference date: the
/// year that puts it at most a week after the reference (news reports on the
/// past). Without a reference the year is `XXXX`.
pub fn resolve_day_month(day: u32, month: u32, reference: Option<Timestamp>) -> Option<String> {
    NaiveDate::from_ymd_opt(2000, month, day)?; // validates day for month (leap-year safe)
    let Some(r) = reference else {
        return Some(format!("XXXX-{month:02}-{day:02}"));
    };
    let r = r.date_naive();
    // The nearest occurrence, leaning to the past: news reports what
    // happened, and announces what is scheduled weeks, not months, ahead.
    (r.year() - 1..=r.year() + 1)
        .filter_map(|y| NaiveDate::from_ymd_opt(y, month, day))
        .min_by_key(|d| {
            let days = (*d - r).num_days();
            if days > 7 {
                days * 2
            } else {
                days.abs()
            }
        })
        .map(|d| d.format("%Y-%m-%d").to_string())
}

pub(crate) fn year_for_month(month: u32, reference: Option<Timestamp>) -> String {
    match reference {
        Some(r) => {
            // The nearest such month, leaning to the past as above.
            let ahead = month as i32 - r.month() as i32;
            let y = if ahead > 3 {
                r.year() - 1
            } else if ahead < -8 {
                r.year() + 1
            } else {
                r.year()
            };
            y.to_string()
        }
        None => "XXXX".into(),
    }
}

/// The day of a (US and Christian calendar) holiday in year `y`.
pub(crate) fn holiday(name: &str, y: i32) -> Option<NaiveDate> {
    let name = name
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('’', "'");
    let nth = |month: u32, weekday: Weekday, n: u8| {
        NaiveDate::from_weekday_of_month_opt(y, month, weekday, n)
    };
    let last_monday_of_may = || {
        (25..=31)
            .rev()
            .filter_map(|d| NaiveDate::from_ymd_opt(y, 5, d))
            .find(|d| d.weekday() == Weekday::Mon)
    };
    match name.as_str() {
        n if n.starts_with("thanksgiving") => nth(11, Weekday::Thu, 4),
        "christmas eve" => NaiveDate::from_ymd_opt(y, 12, 24),
        n if n.starts_with("christmas") => NaiveDate::from_ymd_opt(y, 12, 25),
        "new year's eve" => NaiveDate::from_ymd_opt(y, 12, 31),
        n if n.starts_with("new year") => NaiveDate::from_ymd_opt(y, 1, 1),
        n if n.starts_with("easter") => easter(y),
        "labor day" => nth(9, Weekday::Mon, 1),
        "memorial day" => last_monday_of_may(),
        "halloween" => NaiveDate::from_ymd_opt(y, 10, 31),
        "valentine's day" => NaiveDate::from_ymd_opt(y, 2, 14),
        _ => NaiveDate::from_ymd_opt(y, 7, 4), // Independence Day, the Fourth of July
    }
}

/// Easter Sunday (Gregorian; the anonymous "Meeus/Jones/Butcher" algorithm).
pub(crate) fn easter(y: i32) -> Option<NaiveDate> {
    let a = y % 19;
    let (b, c) = (y / 100, y % 100);
    let (d, e) = (b / 4, b % 4);
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let (i, k) = (c / 4, c % 4);
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(y, month as u32, day as u32)
}

/// The year of the next occurrence of `month` (this month counts).
pub(crate) fn next_year_of_month(month: u32, reference: Timestamp) -> i32 {
    if month >= reference.month() {
        reference.year()
    } else {
        reference.year() + 1
    }
}

pub(crate) fn quarter_of(month: u32) -> u32 {
    (month - 1) / 3 + 1
}

/// The last quarter that has ended before `d`, as (year, quarter).
pub(crate) fn last_quarter(d: NaiveDate) -> (i32, u32) {
    match quarter_of(d.month()) {
        1 => (d.year() - 1, 4),
        q => (d.year(), q - 1),
    }
}

/// ISO week of a day, TIMEX3 style ("2024-W50").
pub(crate) fn week(d: NaiveDate) -> String {
    format!("{}-W{:02}", d.iso_week().year(), d.iso_week().week())
}

/// TIMEX3 season code of a season word ("fall" → "FA").
pub(crate) fn season(word: &str) -> &'static str {
    match word {
        "spring" => "SP",
        "summer" => "SU",
        "winter" => "WI",
        _ => "FA",
    }
}

/// The season word of a TIMEX3 season code ("FA" → "fall").
pub(crate) fn season_name(code: &str) -> Option<&'static str> {
    Some(match code {
        "SP" => "spring",
        "SU" => "summer",
        "FA" => "fall",
        "WI" => "winter",
        _ => return None,
    })
}

/// "the summer" (`word` lower case) seen from `r`: the latest one begun, or
/// with `ahead` the next one to begin ("reopen before the summer").
pub(crate) fn the_season(word: &str, r: NaiveDate, ahead: bool) -> String {
    let code = season(word);
    let begun = if r.month() >= season_start(code) {
        r.year()
    } else {
        r.year() - 1
    };
    format!("{}-{code}", begun + i32::from(ahead))
}

/// The month a season begins, by its TIMEX3 code (meteorological seasons).
pub(crate) fn season_start(code: &str) -> u32 {
    match code {
        "SP" => 3,
        "SU" => 6,
        "FA" => 9,
        _ => 12,
    }
}

/// A cardinal written in words, up to ninety-nine ("twenty-five" → 25),
/// from the lexicon's `en/numbers`.
pub(crate) fn cardinal(w: &str) -> Option<f64> {
    let mut total = 0.0;
    for p in w.to_lowercase().split(['-', ' ']).filter(|p| !p.is_empty()) {
        total += *CARDINALS.get(p)?;
    }
    Some(total)
}

static CARDINALS: LazyLock<HashMap<&'static str, f64>> = LazyLock::new(|| {
    corroborate_lexicon::table("en", "numbers")
        .expect("lexicon en/numbers")
        .entries
        .iter()
        .map(|e| {
            (
                e.text,
                e.value.and_then(|v| v.parse().ok()).unwrap_or(f64::NAN),
            )
        })
        .collect()
});

/// The cardinals one to ninety-nine in words as one alternation: a ten
/// with an optional unit ("twenty-five", "forty two"), then one to
/// nineteen, each group in the order of its values.
pub(crate) fn number_words() -> String {
    let mut words: Vec<(&str, f64)> = CARDINALS.iter().map(|(w, v)| (*w, *v)).collect();
    words.sort_by(|a, b| a.1.total_cmp(&b.1));
    let between = |lo: f64, hi: f64| {
        let in_range = words.iter().filter(|(_, v)| (lo..=hi).contains(v));
        in_range.map(|(w, _)| *w).collect::<Vec<_>>().join("|")
    };
    format!(
        r"(?:{})(?:[-\s](?:{}))?|{}",
        between(20.0, 90.0),
        between(1.0, 9.0),
        between(1.0, 19.0)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every number word of the lexicon has its value, alone and in a
    /// compound, and the number-word pattern finds each as a whole word
    /// but no word that merely starts like one.
    #[test]
    fn every_number_word_counts() {
        let pattern = regex::Regex::new(&format!(r"^(?:{})$", number_words())).unwrap();
        for e in &corroborate_lexicon::table("en", "numbers").unwrap().entries {
            let v: f64 = e.value.unwrap().parse().unwrap();
            assert_eq!(cardinal(e.text), Some(v), "{}", e.text);
            assert_eq!(pattern.is_match(e.text), v > 0.0, "{}", e.text);
        }
        assert_eq!(cardinal("Twenty-five"), Some(25.0));
        assert_eq!(cardinal("ninety nine"), Some(99.0));
        assert!(pattern.is_match("forty-two"));
        assert!(!pattern.is_match("tenant") && cardinal("tenant").is_none());
    }

    #[test]
    fn every_english_month_name_has_its_number() {
        for (name, n) in corroborate_lexicon::months("en") {
            assert_eq!(month_num(name), Some(n), "{name}");
        }
        assert_eq!(month_num("Sept."), Some(9));
        assert_eq!(month_num("Monday"), None);
    }
}
