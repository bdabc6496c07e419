//! Publication dates: parse the formats pages use, with sanity bounds.
//!
//! Written here because the `dateparser` crate mis-parses common formats
//! (see DEVELOPERS notes). Accepted: RFC 3339 / ISO 8601 (with or without
//! time and offset), RFC 2822, `17 December 2024`, `December 17, 2024`,
//! `Dec. 17, 2024`, `27/12/2024` (day first unless impossible),
//! `2024/12/17`, `20241217`. Dates before 1990 or after `now` (plus a day of
//! clock skew) are rejected.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};
use corroborate_model::Timestamp;
use regex::Regex;
use std::sync::LazyLock;

/// Month number for an English month name or abbreviation (`Dec`, `Dec.`, `Sept`).
pub fn month_number(name: &str) -> Option<u32> {
    let n = name.trim_end_matches('.').to_ascii_lowercase();
    let months = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    if n.len() < 3 {
        return None;
    }
    let full = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    months
        .iter()
        .zip(full)
        .position(|(ab, f)| f.starts_with(&n) || (n == "sept" && *ab == "sep"))
        .map(|i| i as u32 + 1)
}

const MONTH: &str = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?";

static DMY_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)(?-u:\b)(\d{{1,2}})(?:st|nd|rd|th)?\s+({MONTH}),?\s+(\d{{4}})(?-u:\b)"
    ))
    .unwrap()
});
static MDY_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)(?-u:\b)({MONTH})\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?-u:\b)"
    ))
    .unwrap()
});
static NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?-u:\b)|(?-u:\b)(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?-u:\b)")
        .unwrap()
});
static URL_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"/((?:19|20)\d{2})[/-]?(0[1-9]|1[0-2])[/-]?(0[1-9]|[12]\d|3[01])(?:/|[-_]|$)")
        .unwrap()
});

fn lower_bound() -> Timestamp {
    Utc.with_ymd_and_hms(1990, 1, 1, 0, 0, 0).unwrap()
}

fn bounded(t: Timestamp, now: Option<Timestamp>) -> Option<Timestamp> {
    let upper = now.map(|n| n + Duration::days(1));
    (t >= lower_bound() && upper.is_none_or(|u| t <= u)).then_some(t)
}

fn midnight(d: NaiveDate) -> Timestamp {
    Utc.from_utc_datetime(&d.and_hms_opt(0, 0, 0).unwrap())
}

/// Parses one date string as found in metadata. `now` bounds the result.
pub fn parse(s: &str, now: Option<Timestamp>) -> Option<Timestamp> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let t = DateTime::parse_from_rfc3339(s)
        .map(|d| d.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            DateTime::parse_from_rfc2822(s)
                .ok()
                .map(|d| d.with_timezone(&Utc))
        })
        .or_else(|| {
            [
                "%Y-%m-%dT%H:%M:%S%.f%z",
                "%Y-%m-%dT%H:%M%z",
                "%Y-%m-%d %H:%M:%S%.f%z",
            ]
            .iter()
            .find_map(|f| DateTime::parse_from_str(s, f).ok())
            .map(|d| d.with_timezone(&Utc))
        })
        .or_else(|| {
            [
                "%Y-%m-%dT%H:%M:%S%.f",
                "%Y-%m-%dT%H:%M",
                "%Y-%m-%d %H:%M:%S%.f",
                "%Y-%m-%d %H:%M",
            ]
            .iter()
            .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
            .map(|d| Utc.from_utc_datetime(&d))
        })
        .or_else(|| find_date(s).map(midnight))
        .or_else(|| {
            (s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| NaiveDate::parse_from_str(s, "%Y%m%d").ok())
                .flatten()
                .map(midnight)
        })?;
    bounded(t, now)
}

/// The first calendar date written in `s`, in any of the accepted shapes.
pub fn find_date(s: &str) -> Option<NaiveDate> {
    let mut best: Option<(usize, NaiveDate)> = None;
    let mut consider = |pos: usize, d: Option<NaiveDate>| {
        if let Some(d) = d {
            if best.is_none_or(|(p, _)| pos < p) {
                best = Some((pos, d));
            }
        }
    };
    // Named months, day first ("17 December 2024") or month first ("Dec. 17, 2024").
    for (re, day, month) in [(&*DMY_NAME, 1, 2), (&*MDY_NAME, 2, 1)] {
        if let Some(c) = re.captures(s) {
            let date = c[day]
                .parse()
                .ok()
                .zip(month_number(&c[month]))
                .zip(c[3].parse().ok())
                .and_then(|((d, m), y)| NaiveDate::from_ymd_opt(y, m, d));
            consider(c.get(0).unwrap().start(), date);
        }
    }
    if let Some(c) = NUMERIC.captures(s) {
        let n = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
        let d = if let (Some(y), Some(m), Some(d)) = (n(1), n(2), n(3)) {
            NaiveDate::from_ymd_opt(y as i32, m, d)
        } else if let (Some(a), Some(b), Some(y)) = (n(4), n(5), n(6)) {
            // Day first (most of the world) unless that is impossible.
            NaiveDate::from_ymd_opt(y as i32, b, a)
                .or_else(|| NaiveDate::from_ymd_opt(y as i32, a, b))
        } else {
            None
        };
        consider(c.get(0).unwrap().start(), d);
    }
    best.map(|(_, d)| d)
}

/// A date in a URL path (`/2024/12/17/`, `/20241217-`).
pub fn from_url(url: &str, now: Timestamp) -> Option<Timestamp> {
    let c = URL_DATE.captures(url)?;
    let d = NaiveDate::from_ymd_opt(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?)?;
    bounded(midnight(d), Some(now))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(t: Timestamp) -> String {
        t.format("%Y-%m-%d").to_string()
    }

    #[test]
    fn common_formats() {
        let now = Some(Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap());
        for (s, want) in [
            ("2024-12-17", "2024-12-17"),
            ("2024-12-17T23:30:00+02:00", "2024-12-17"),
            ("2024-12-17T23:30:00-05:00", "2024-12-18"),
            ("Tue, 17 Dec 2024 10:00:00 GMT", "2024-12-17"),
            ("17 December 2024", "2024-12-17"),
            ("December 17, 2024", "2024-12-17"),
            ("Dec. 17, 2024 10:31 am", "2024-12-17"),
            ("27/12/2024", "2024-12-27"),
            ("12/27/2024", "2024-12-27"),
            ("05/04/2024", "2024-04-05"),
            ("2024/12/17", "2024-12-17"),
            ("20241217", "2024-12-17"),
            ("date 2024-12-17 This audio", "2024-12-17"),
        ] {
            assert_eq!(parse(s, now).map(ymd).as_deref(), Some(want), "{s}");
        }
    }

    #[test]
    fn sanity_bounds() {
        let now = Some(Utc.with_ymd_and_hms(2024, 12, 20, 0, 0, 0).unwrap());
        assert_eq!(parse("2024-12-25", now), None, "future of the crawl");
        assert_eq!(parse("1985-01-01", now), None, "before 1990");
        assert_eq!(parse("2024-13-45", now), None);
        assert_eq!(parse("not a date", now), None);
    }

    #[test]
    fn dates_in_urls() {
        let now = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
        assert_eq!(
            from_url("https://x.example/2024/12/16/story/", now)
                .map(ymd)
                .as_deref(),
            Some("2024-12-16")
        );
        assert_eq!(
            from_url("https://x.example/news/20241216-story", now)
                .map(ymd)
                .as_deref(),
            Some("2024-12-16")
        );
        assert_eq!(from_url("https://x.example/news/12345678", now), None);
    }

    proptest::proptest! {
        #[test]
        fn never_panics_and_respects_bounds(s in "\\PC{0,40}") {
            let now = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
            if let Some(t) = parse(&s, Some(now)) {
                proptest::prop_assert!(t >= lower_bound() && t <= now + Duration::days(1));
            }
        }
    }
}
