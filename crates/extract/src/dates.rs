//! Publication dates: parse the formats pages use, with sanity bounds.
//!
//! Written here because the `dateparser` crate mis-parses common formats
//! (see DEVELOPERS notes). Accepted: RFC 3339 / ISO 8601 (with or without
//! time and offset), RFC 2822, `17 December 2024`, `December 17, 2024`,
//! `Dec. 17, 2024`, `2024. december 17.`, `27/12/2024`, `28-04-2021` (day first unless impossible),
//! `2024/12/17`, `20241217`. Dates before 1990 or after `now` (plus a day of
//! clock skew) are rejected.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};
use corroborate_model::Timestamp;
use regex::Regex;
use std::collections::{BTreeSet, HashMap};
use std::sync::LazyLock;

/// Month number for a month name or an English abbreviation (`Dec`, `Dec.`,
/// `Sept`) in any language of the lexicon's `months` tables.
pub fn month_number(name: &str) -> Option<u32> {
    static NUMBERS: LazyLock<HashMap<&'static str, u32>> =
        LazyLock::new(|| corroborate_lexicon::month_names().collect());
    let n = name.trim_end_matches('.').to_lowercase();
    if n.chars().count() < 2 {
        return None;
    }
    NUMBERS.get(n.as_str()).copied()
}

/// A regex alternation of every month name and English abbreviation.
fn month_alternation() -> String {
    let names: BTreeSet<&str> = corroborate_lexicon::month_names().map(|(n, _)| n).collect();
    format!("(?:{})\\.?", corroborate_lexicon::alternation(names))
}

static MONTH: LazyLock<String> = LazyLock::new(month_alternation);

static DMY_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)(?-u:\b)(\d{{1,2}})(?:st|nd|rd|th|\.)?\s+(?:de\s+|of\s+)?(?:{month}\s*/\s*)?({month}),?\s+(?:de\s+)?(\d{{4}})(?-u:\b)",
        month = *MONTH
    ))
    .unwrap()
});
static MDY_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)(?-u:\b)({month})\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?-u:\b)",
        month = *MONTH
    ))
    .unwrap()
});
/// Year first with a month name: Hungarian "2014. július 19.".
static YMD_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)(?-u:\b)(\d{{4}})\.?\s+({month})\s+(\d{{1,2}})(?-u:\b)",
        month = *MONTH
    ))
    .unwrap()
});
static NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
    // A dot may be followed by one space ("19. 7. 2014", "2014. 07. 19.":
    // Central European styles).
    Regex::new(r"(?-u:\b)(\d{4})(?:[-/]|\. ?)(\d{1,2})(?:[-/]|\. ?)(\d{1,2})(?-u:\b)|(?-u:\b)(\d{1,2})(?:[/-]|\. ?)(\d{1,2})(?:[/-]|\. ?)(\d{4})(?-u:\b)")
        .unwrap()
});
static CJK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]?").unwrap()
});
static URL_DATE: LazyLock<Regex> = LazyLock::new(|| {
    // Year first, with or without separators (`/2024/12/17/`, `/20241217-`),
    // or with one-digit month and day between slashes (`/2017/7/12/`).
    Regex::new(r"[/_-]((?:19|20)\d{2})[/-]?(0[1-9]|1[0-2])[/-]?(0[1-9]|[12]\d|3[01])(?:/|[-_.]|$)|/((?:19|20)\d{2})/([1-9]|0[1-9]|1[0-2])/([1-9]|0[1-9]|[12]\d|3[01])(?:/|$)")
        .unwrap()
});
/// A day-first date in a URL path (`/23-01-2022-title`, `/29-10-2021`),
/// a Central European habit.
static URL_DMY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"/(0[1-9]|[12]\d|3[01])[-.](0[1-9]|1[0-2])[-.]((?:19|20)\d{2})(?:/|[-_.]|$)")
        .unwrap()
});
/// A day-first date with a two-digit year and dots (`28.01.22`,
/// `17.7.11`): German-speaking page furniture. Read only in elements that
/// say they hold a date, where a version number is unlikely.
static SHORT_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^\d.])(\d{1,2})\. ?(\d{1,2})\. ?(\d{2})(?:$|[^\d.]|\.(?:$|\D))").unwrap()
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
    // Times with an offset keep the wall-clock time the page states (the
    // offset is dropped): "published 4 May, 00:30 +07:00" is 4 May to its
    // readers, not 3 May in UTC.
    let wall = |d: DateTime<chrono::FixedOffset>| Utc.from_utc_datetime(&d.naive_local());
    // "2020-06-07T15:06Z" (no seconds) is common in JSON-LD.
    let zulu = s.strip_suffix('Z').or_else(|| s.strip_suffix('z'));
    let t = DateTime::parse_from_rfc3339(s)
        .map(wall)
        .ok()
        .or_else(|| DateTime::parse_from_rfc2822(s).ok().map(wall))
        .or_else(|| {
            [
                "%Y-%m-%dT%H:%M:%S%.f%z",
                "%Y-%m-%dT%H:%M%z",
                "%Y-%m-%d %H:%M:%S%.f%z",
                "%Y-%m-%d %H:%M:%S %z",
            ]
            .iter()
            .find_map(|f| DateTime::parse_from_str(s, f).ok())
            .map(wall)
        })
        .or_else(|| {
            let z = zulu?;
            ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S%.f"]
                .iter()
                .find_map(|f| NaiveDateTime::parse_from_str(z, f).ok())
                .map(|d| Utc.from_utc_datetime(&d))
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
        })
        .or_else(|| leading_iso_day(s).map(midnight))?;
    bounded(t, now)
}

/// The day of a string that starts as ISO 8601 and then goes wrong
/// (`2022-01-10T22:06:08:684Z`, `2018-11-28CET11:59:00+0100`): a CMS's
/// own serialisation, whose calendar day is still the one it means.
fn leading_iso_day(s: &str) -> Option<NaiveDate> {
    let head = s.get(..10)?;
    let next = s[10..].chars().next();
    if next.is_some_and(|c| c.is_ascii_digit()) {
        return None;
    }
    NaiveDate::parse_from_str(head, "%Y-%m-%d").ok()
}

/// The first day-first date with a two-digit year in `s` (`28.01.22`),
/// read as 19xx from 90 on and as 20xx below; `None` past `today`.
pub fn short_year_date(s: &str, today: NaiveDate) -> Option<NaiveDate> {
    SHORT_YEAR.captures_iter(s).find_map(|c| {
        let n = |i: usize| c[i].parse::<u32>().ok();
        let yy = n(3)? as i32;
        let year = if yy >= 90 { 1900 + yy } else { 2000 + yy };
        NaiveDate::from_ymd_opt(year, n(2)?, n(1)?).filter(|d| *d <= today)
    })
}

/// The first calendar date written in `s`, in any of the accepted shapes.
pub fn find_date(s: &str) -> Option<NaiveDate> {
    if !has_year(s) {
        return None; // every pattern needs a four-digit year: skip the regexes
    }
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
    if let Some(c) = YMD_NAME.captures(s) {
        let date = month_number(&c[2])
            .zip(c[1].parse().ok())
            .zip(c[3].parse().ok())
            .and_then(|((m, y), d)| NaiveDate::from_ymd_opt(y, m, d));
        consider(c.get(0).unwrap().start(), date);
    }
    if let Some(c) = NUMERIC.captures(s) {
        consider(c.get(0).unwrap().start(), numeric_date(&c));
    }
    if let Some(c) = CJK.captures(s) {
        let n = |i: usize| c[i].parse::<u32>().ok();
        let d = n(1)
            .zip(n(2))
            .zip(n(3))
            .and_then(|((y, m), d)| NaiveDate::from_ymd_opt(y as i32, m, d));
        consider(c.get(0).unwrap().start(), d);
    }
    best.map(|(_, d)| d)
}

/// `2024-12-17`, `2024/12/17`, `17.12.2024`, `27/12/2024`, `28-04-2021`: day first unless
/// that is impossible.
fn numeric_date(c: &regex::Captures<'_>) -> Option<NaiveDate> {
    let n = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
    if let (Some(y), Some(m), Some(d)) = (n(1), n(2), n(3)) {
        NaiveDate::from_ymd_opt(y as i32, m, d)
    } else if let (Some(a), Some(b), Some(y)) = (n(4), n(5), n(6)) {
        NaiveDate::from_ymd_opt(y as i32, b, a).or_else(|| NaiveDate::from_ymd_opt(y as i32, a, b))
    } else {
        None
    }
}

/// Whether `s` holds four ASCII digits in a row (a possible year).
fn has_year(s: &str) -> bool {
    let mut run = 0;
    for b in s.bytes() {
        run = if b.is_ascii_digit() { run + 1 } else { 0 };
        if run == 4 {
            return true;
        }
    }
    false
}

/// Every full date written in `s` (for the frequency fallback): one linear
/// pass per pattern, so long pages with many dates stay cheap.
pub fn all_dates(s: &str) -> Vec<NaiveDate> {
    dates_at(s).into_iter().map(|(_, d)| d).collect()
}

/// Every full date written in `s` with the byte range it spans, in text
/// order.
pub fn dates_at(s: &str) -> Vec<(std::ops::Range<usize>, NaiveDate)> {
    let mut out = Vec::new();
    if !has_year(s) {
        return out;
    }
    let ymd =
        |y: &str, m: u32, d: &str| NaiveDate::from_ymd_opt(y.parse().ok()?, m, d.parse().ok()?);
    let at = |c: &regex::Captures<'_>| c.get(0).map_or(0..0, |m| m.range());
    for c in DMY_NAME.captures_iter(s) {
        out.extend(
            month_number(&c[2])
                .and_then(|m| ymd(&c[3], m, &c[1]))
                .map(|d| (at(&c), d)),
        );
    }
    for c in MDY_NAME.captures_iter(s) {
        out.extend(
            month_number(&c[1])
                .and_then(|m| ymd(&c[3], m, &c[2]))
                .map(|d| (at(&c), d)),
        );
    }
    for c in YMD_NAME.captures_iter(s) {
        out.extend(
            month_number(&c[2])
                .and_then(|m| ymd(&c[1], m, &c[3]))
                .map(|d| (at(&c), d)),
        );
    }
    for c in NUMERIC.captures_iter(s) {
        out.extend(numeric_date(&c).map(|d| (at(&c), d)));
    }
    for c in CJK.captures_iter(s) {
        out.extend(
            c[2].parse()
                .ok()
                .and_then(|m| ymd(&c[1], m, &c[3]))
                .map(|d| (at(&c), d)),
        );
    }
    out.sort_by_key(|(r, _)| r.start);
    out
}

/// Words that introduce a page's last change ("Updated", "Letzte
/// Änderung"), every language of the lexicon's `update-words`.
static UPDATE_WORDS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    corroborate_lexicon::tables("update-words")
        .flat_map(|t| t.entries.iter().map(|e| e.text))
        .collect()
});

/// Words that introduce the reader's own time ("Aktuelle Zeit",
/// "printed on", "accessed on"), every language of the lexicon's
/// `now-words`: the date they precede is the crawl's, not the page's.
static NOW_WORDS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    corroborate_lexicon::tables("now-words")
        .flat_map(|t| t.entries.iter().map(|e| e.text))
        .collect()
});

/// Whether `before` (the text between the previous date and this one)
/// ends, within 40 bytes, with words that say the date is a change's.
fn introduces_update(before: &str) -> bool {
    introduced_by(before, &UPDATE_WORDS)
}

/// Whether `before` ends, within 40 bytes, with one of `words` (whole
/// words, any case).
fn introduced_by(before: &str, words: &[&str]) -> bool {
    let mut from = before.len().saturating_sub(40);
    while !before.is_char_boundary(from) {
        from += 1;
    }
    // Not from inside a word ("Vor|stand" is no "stand").
    if before[..from]
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric)
    {
        from = before[from..]
            .find(|c: char| !c.is_alphanumeric())
            .map_or(before.len(), |i| from + i);
    }
    let window = before[from..].to_lowercase();
    words.iter().any(|w| {
        window.match_indices(w).any(|(i, _)| {
            let edge = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
            edge(window[..i].chars().next_back()) && edge(window[i + w.len()..].chars().next())
        })
    })
}

/// The first full date in `s` that is not introduced as an update
/// ("Erstellt: 19.07.2014 · Letzte Änderung: 02.03.2016" gives the first;
/// "Updated 2 March 2016, first published 19 July 2014" the second).
pub fn first_published_date(s: &str) -> Option<NaiveDate> {
    published_or_updated(s).0
}

/// The first date of `s` that is not introduced as an update, and the
/// first one that is: a page that shows only its last change ("Stand:
/// 08.05.2019", "Last updated: 13 July 2020") is dated by it, as a last
/// resort.
pub fn published_or_updated(s: &str) -> (Option<NaiveDate>, Option<NaiveDate>) {
    let mut prev = 0;
    let mut updated = None;
    for (r, d) in dates_at(s) {
        if r.start < prev {
            continue; // one date matched by two patterns
        }
        let before = &s[prev..r.start];
        prev = r.end;
        if introduced_by(before, &NOW_WORDS) {
            continue; // "Aktuelle Zeit: 14.10.2020": the reader's day
        }
        if !introduces_update(before) {
            return (Some(d), updated);
        }
        updated = updated.or(Some(d));
    }
    (None, updated)
}

/// One language's "time ago" patterns, compiled: `{n}` a number, `{unit}`
/// a unit word of the same language (lexicon `relative-ago`,
/// `time-units`).
static RELATIVE: LazyLock<Vec<(Regex, std::collections::HashMap<&'static str, &'static str>)>> =
    LazyLock::new(|| {
        corroborate_lexicon::tables("relative-ago")
            .filter_map(|t| {
                let units = corroborate_lexicon::table(t.lang, "time-units")?;
                let map: std::collections::HashMap<_, _> = units
                    .entries
                    .iter()
                    .filter_map(|e| Some((e.text, e.value?)))
                    .collect();
                let unit = corroborate_lexicon::alternation(units.entries.iter().map(|e| e.text));
                let pattern = t
                    .entries
                    .iter()
                    .map(|e| {
                        regex::escape(e.text)
                            .replace(r"\{n\}", r"(?P<n>\d{1,3})")
                            .replace(r"\{unit\}", &format!("(?P<unit>{unit})"))
                            .replace(' ', r"\s+")
                    })
                    .collect::<Vec<_>>()
                    .join("|");
                let re = Regex::new(&format!(r"(?i)(?:^|\W)(?:{pattern})(?:\W|$)")).ok()?;
                Some((re, map))
            })
            .collect()
    });

/// Words naming a day relative to the crawl ("gestern" = 1 day back).
static RELATIVE_DAYS: LazyLock<Vec<(&'static str, i64)>> = LazyLock::new(|| {
    corroborate_lexicon::tables("relative-days")
        .flat_map(|t| t.entries.iter())
        .filter_map(|e| Some((e.text, e.value?.parse().ok()?)))
        .collect()
});

/// A date written relative to the crawl ("vor 3 Tagen", "3 days ago",
/// "il y a 2 heures", "Gestern, 14:30"), as the calendar day it names when
/// the page was fetched at `crawled`. Only a short text (a date line) is
/// read: in running prose such words rarely date the page.
pub fn relative_date(s: &str, crawled: Timestamp) -> Option<NaiveDate> {
    let s = s.trim();
    if s.len() > 60 {
        return None;
    }
    for (re, units) in RELATIVE.iter() {
        if let Some(c) = re.captures(s) {
            let n: i64 = c.name("n")?.as_str().parse().ok()?;
            let unit = units.get(c.name("unit")?.as_str().to_lowercase().as_str())?;
            let back = match *unit {
                "minute" => chrono::Duration::minutes(n),
                "hour" => chrono::Duration::hours(n),
                "day" => chrono::Duration::days(n),
                "week" => chrono::Duration::weeks(n),
                "month" => chrono::Duration::days(30 * n),
                "year" => chrono::Duration::days(365 * n),
                _ => return None,
            };
            return Some((crawled - back).date_naive());
        }
    }
    let lower = s.to_lowercase();
    RELATIVE_DAYS.iter().find_map(|(word, back)| {
        let rest = lower.strip_prefix(word)?;
        rest.chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric())
            .then(|| (crawled - chrono::Duration::days(*back)).date_naive())
    })
}

/// A date in a URL path (`/2024/12/17/`, `/20241217-`).
pub fn from_url(url: &str, now: Timestamp) -> Option<Timestamp> {
    let n = |c: &regex::Captures<'_>, i: usize| c.get(i)?.as_str().parse::<u32>().ok();
    let ymd = |y: u32, m: u32, d: u32| NaiveDate::from_ymd_opt(y as i32, m, d);
    let d = if let Some(c) = URL_DATE.captures(url) {
        // Groups 1-3 hold the compact form, 4-6 the one with short numbers.
        let g = |i: usize| n(&c, i).or_else(|| n(&c, i + 3));
        ymd(g(1)?, g(2)?, g(3)?)?
    } else {
        let c = URL_DMY.captures(url)?;
        ymd(n(&c, 3)?, n(&c, 2)?, n(&c, 1)?)?
    };
    bounded(midnight(d), Some(now))
}

/// The standard UTC offset, in minutes, of the country a host's top-level
/// domain names, for countries that keep one time zone (or whose press
/// keeps its capital's), or `None`: generic domains (.com), and countries
/// spanning several zones (.us, .ca, .au, .br, .mx, ...), say nothing.
pub fn newsroom_offset(host: &str) -> Option<i32> {
    let tld = host.rsplit('.').next()?;
    let hours: f64 = match tld {
        "it" | "de" | "fr" | "es" | "nl" | "be" | "at" | "ch" | "pl" | "cz" | "sk" | "hu"
        | "se" | "no" | "dk" | "hr" | "si" | "rs" | "ba" | "lu" | "mk" | "al" | "me" | "ng"
        | "dz" | "tn" => 1.0,
        "gr" | "ro" | "bg" | "ua" | "fi" | "ee" | "lv" | "lt" | "il" | "eg" | "za" | "lb"
        | "cy" | "md" => 2.0,
        "ru" | "tr" | "by" | "sa" | "iq" | "ke" | "qa" | "kw" | "jo" | "sy" => 3.0,
        "ir" => 3.5,
        "ae" | "am" | "az" | "ge" | "om" => 4.0,
        "af" => 4.5,
        "pk" | "uz" => 5.0,
        "in" | "lk" => 5.5,
        "np" => 5.75,
        "bd" => 6.0,
        "th" | "vn" | "kh" => 7.0,
        "cn" | "hk" | "tw" | "sg" | "my" | "ph" => 8.0,
        "jp" | "kr" => 9.0,
        "nz" => 12.0,
        "ar" | "uy" => -3.0,
        "cl" | "ve" | "bo" => -4.0,
        "co" | "pe" | "ec" | "cu" => -5.0,
        _ => return None,
    };
    Some((hours * 60.0) as i32)
}

/// European summer time (last Sunday of March to last Sunday of October,
/// at 01:00 UTC) for the zones at UTC+0..+2 that keep it.
fn european_summer(t: Timestamp) -> bool {
    use chrono::Datelike;
    let last_sunday = |month: u32| {
        let last = NaiveDate::from_ymd_opt(t.year(), month, 31).unwrap_or_default();
        let back = last.weekday().num_days_from_sunday();
        Utc.from_utc_datetime(
            &(last - Duration::days(i64::from(back)))
                .and_hms_opt(1, 0, 0)
                .unwrap_or_default(),
        )
    };
    t >= last_sunday(3) && t < last_sunday(10)
}

/// A stamp stated in UTC ("…Z", "+00:00") moved to the wall clock of the
/// newsroom, when the host's domain names one zone ([`newsroom_offset`]):
/// the day a page's readers saw. Other stamps are returned as they are.
pub fn to_newsroom_time(stamp: &str, t: Timestamp, host: Option<&str>) -> Timestamp {
    let s = stamp.trim();
    let utc = s.ends_with(['Z', 'z']) || s.ends_with("+00:00") || s.ends_with("+0000");
    let timed = s.contains(':');
    let Some(offset) = host.filter(|_| utc && timed).and_then(newsroom_offset) else {
        return t;
    };
    let tld = host.and_then(|h| h.rsplit('.').next()).unwrap_or_default();
    let keeps_summer_time = (60..=120).contains(&offset)
        && !matches!(tld, "ng" | "dz" | "tn" | "za" | "eg" | "il" | "lb" | "by");
    let summer = i64::from(keeps_summer_time && european_summer(t)) * 60;
    t + Duration::minutes(i64::from(offset) + summer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_stamps_move_to_the_newsroom_clock() {
        let at = |s: &str| parse(s, None).unwrap();
        let day = |s: &str, host| to_newsroom_time(s, at(s), host).date_naive().to_string();
        // 23:15 UTC in December is 00:15 the next day in Rome.
        assert_eq!(
            day("2020-12-05T23:15:00Z", Some("gazzetta.it")),
            "2020-12-06"
        );
        // Summer time: 22:30 UTC in July is 00:30 in Berlin.
        assert_eq!(
            day("2020-07-10T22:30:00Z", Some("zeitung.de")),
            "2020-07-11"
        );
        assert_eq!(
            day("2020-01-10T22:30:00Z", Some("zeitung.de")),
            "2020-01-10"
        );
        // Stamps with a local offset, generic and multi-zone domains: unchanged.
        assert_eq!(
            day("2020-12-05T23:15:00+01:00", Some("gazzetta.it")),
            "2020-12-05"
        );
        assert_eq!(day("2020-12-05T23:15:00Z", Some("news.com")), "2020-12-05");
        assert_eq!(day("2020-12-05T23:15:00Z", Some("paper.ca")), "2020-12-05");
        assert_eq!(day("2020-12-05T23:15:00Z", None), "2020-12-05");
        // West of UTC: an early-morning UTC stamp is the previous evening.
        assert_eq!(day("2020-08-25T02:00:00Z", Some("diario.pe")), "2020-08-24");
    }

    #[test]
    fn month_names_beyond_latin_script() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        assert_eq!(
            find_date("الأربعاء، 07 أكتوبر 2020 - 12:09 م"),
            day(2020, 10, 7)
        );
        // Levantine and Egyptian names side by side.
        assert_eq!(
            find_date("تم نشره الجمعة 24 نيسان / أبريل 2020 09:22 مساءً"),
            day(2020, 4, 24)
        );
        assert_eq!(find_date("Опубликовано 5 июня 2021"), day(2021, 6, 5));
        assert_eq!(find_date("12 października 2019 r."), day(2019, 10, 12));
        assert_eq!(find_date("3 Ağustos 2022 Çarşamba"), day(2022, 8, 3));
    }

    /// Every entry of the lexicon's month tables, in every language: the
    /// name alone gives its month and "17 <name> 2024" is that day (the
    /// English names also "<name> 17, 2024"). Prose without a day and year
    /// is no date.
    #[test]
    fn every_month_name_of_the_lexicon_dates() {
        let mut n = 0;
        for (name, month) in corroborate_lexicon::month_names() {
            n += 1;
            assert_eq!(month_number(name), Some(month), "{name}");
            let want = NaiveDate::from_ymd_opt(2024, month, 17);
            assert_eq!(
                find_date(&format!("17 {name} 2024")),
                want,
                "17 {name} 2024"
            );
            if name.is_ascii() && name.len() <= "september".len() {
                assert_eq!(
                    find_date(&format!("{name} 17, 2024")),
                    want,
                    "{name} 17, 2024"
                );
            }
            assert_eq!(
                find_date(&format!("2024. {name} 17.")),
                want,
                "2024. {name} 17."
            );
            assert_eq!(find_date(&format!("The {name} meeting was long.")), None);
        }
        assert!(n > 150, "{n} month names");
        assert_eq!(month_number("Sept."), Some(9));
        assert_eq!(month_number("m"), None);
    }

    fn ymd(t: Timestamp) -> String {
        t.format("%Y-%m-%d").to_string()
    }

    #[test]
    fn common_formats() {
        let now = Some(Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap());
        for (s, want) in [
            ("2024-12-17", "2024-12-17"),
            ("2024-12-17T23:30:00+02:00", "2024-12-17"),
            ("2024-12-17T23:30:00-05:00", "2024-12-17"),
            ("2020-06-07T15:06Z", "2020-06-07"),
            ("2020-12-06 00:15", "2020-12-06"),
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
            ("jueves 2 de abril de 2020", "2020-04-02"),
            ("duminică, 20 septembrie 2020 16:20", "2020-09-20"),
            ("Domenica 06 Dicembre 2020 | 00:36", "2020-12-06"),
            ("le 3 août 2020", "2020-08-03"),
            ("17. März 2020", "2020-03-17"),
            ("2020年7月12日 10:00", "2020-07-12"),
        ] {
            assert_eq!(parse(s, now).map(ymd).as_deref(), Some(want), "{s}");
        }
    }

    #[test]
    fn all_dates_in_one_pass() {
        let text = "Posted 2 de abril de 2020. Updated 2020-04-03, then 04.04.2020 and 2020年4月5日; April 6, 2020.";
        let mut got: Vec<String> = all_dates(text).iter().map(|d| d.to_string()).collect();
        got.sort();
        assert_eq!(
            got,
            [
                "2020-04-02",
                "2020-04-03",
                "2020-04-04",
                "2020-04-05",
                "2020-04-06"
            ]
        );
    }

    #[test]
    fn a_date_introduced_as_an_update_is_not_the_publication_date() {
        let d = |s: &str| first_published_date(s).map(|d| d.to_string());
        assert_eq!(
            d("Erstellt: 19.07.2014 · Letzte Änderung: 02.03.2016").as_deref(),
            Some("2014-07-19")
        );
        assert_eq!(
            d("Letzte Änderung: 02.03.2016 Erstellt: 19.07.2014").as_deref(),
            Some("2014-07-19")
        );
        assert_eq!(
            d("Updated 2 March 2016, first published 19 July 2014").as_deref(),
            Some("2014-07-19")
        );
        assert_eq!(d("Mis à jour le 2 mars 2016").as_deref(), None);
        // A word that merely contains an update word does not count, nor
        // does one cut by the 40-byte window.
        assert_eq!(d("Bestand 19.07.2014").as_deref(), Some("2014-07-19"));
        assert_eq!(
            d("und der Vorstand stellte die Pläne vor. Erstellt: 19.07.2014").as_deref(),
            Some("2014-07-19")
        );
        // Central European spacing.
        assert_eq!(d("Publikováno 19. 7. 2014").as_deref(), Some("2014-07-19"));
        assert_eq!(d("2014. 07. 19. 10:00").as_deref(), Some("2014-07-19"));
    }

    #[test]
    fn every_update_word_of_the_lexicon_introduces_an_update() {
        let mut n = 0;
        for t in corroborate_lexicon::tables("update-words") {
            for e in &t.entries {
                let line = format!("{}: 19.07.2014", e.text);
                assert_eq!(
                    first_published_date(&line),
                    None,
                    "{}/{}: {line}",
                    t.lang,
                    e.text
                );
                n += 1;
            }
        }
        assert!(n >= 30, "{n} update words");
        // Prose before a date, with no update word, leaves it a publication date.
        for prose in [
            "Die Sitzung war am",
            "Published on",
            "Publié le",
            "The vote took place on",
        ] {
            assert!(
                first_published_date(&format!("{prose} 19.07.2014")).is_some(),
                "{prose}"
            );
        }
    }

    #[test]
    fn relative_dates_count_back_from_the_crawl() {
        let crawled = Utc.with_ymd_and_hms(2014, 7, 22, 9, 0, 0).unwrap();
        let d = |s: &str| relative_date(s, crawled).map(|d| d.to_string());
        for (s, want) in [
            ("vor 3 Tagen", "2014-07-19"),
            ("3 days ago", "2014-07-19"),
            ("il y a 3 jours", "2014-07-19"),
            ("hace 3 días", "2014-07-19"),
            ("Posted 2 weeks ago", "2014-07-08"),
            ("vor 10 Stunden", "2014-07-21"),
            ("Gestern, 14:30", "2014-07-21"),
            ("Heute", "2014-07-22"),
        ] {
            assert_eq!(d(s).as_deref(), Some(want), "{s}");
        }
        // Prose, or a word that only begins like one, is not a date line.
        assert_eq!(d("Heuteufel"), None);
        assert_eq!(
            d("Three days ago the council met to discuss the new harbour wall plans again"),
            None
        );
    }

    #[test]
    fn every_relative_pattern_and_unit_of_the_lexicon_dates() {
        let crawled = Utc.with_ymd_and_hms(2014, 7, 22, 9, 0, 0).unwrap();
        for t in corroborate_lexicon::tables("relative-ago") {
            let units = corroborate_lexicon::table(t.lang, "time-units").expect("units");
            for p in &t.entries {
                for u in &units.entries {
                    let line = p.text.replace("{n}", "2").replace("{unit}", u.text);
                    assert!(
                        relative_date(&line, crawled).is_some(),
                        "{}: {line}",
                        t.lang
                    );
                }
            }
        }
        for t in corroborate_lexicon::tables("relative-days") {
            for e in &t.entries {
                let line = format!("{}, 14:30", e.text);
                assert!(
                    relative_date(&line, crawled).is_some(),
                    "{}: {line}",
                    t.lang
                );
            }
        }
    }

    #[test]
    fn day_first_with_hyphens() {
        assert_eq!(
            find_date("Data: 28-04-2021, 09:29")
                .map(|d| d.to_string())
                .as_deref(),
            Some("2021-04-28")
        );
        assert_eq!(
            find_date("Created 03-10-2004 2:20pm")
                .map(|d| d.to_string())
                .as_deref(),
            Some("2004-10-03")
        );
    }

    #[test]
    fn a_broken_iso_stamp_keeps_its_day() {
        let now = Some(Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap());
        let p = |s: &str| parse(s, now).map(ymd);
        assert_eq!(p("2022-01-10T22:06:08:684Z").as_deref(), Some("2022-01-10"));
        assert_eq!(
            p("2018-11-28CET11:59:00+0100").as_deref(),
            Some("2018-11-28")
        );
        assert_eq!(p("2018-11-281"), None, "a longer number is no date");
    }

    #[test]
    fn two_digit_years_with_dots() {
        let today = NaiveDate::from_ymd_opt(2024, 6, 1).unwrap();
        let d = |s: &str| short_year_date(s, today).map(|d| d.to_string());
        assert_eq!(d("28.01.22").as_deref(), Some("2022-01-28"));
        assert_eq!(d("Posted 17.7.11 by Anna").as_deref(), Some("2011-07-17"));
        assert_eq!(d("am 01.07.98").as_deref(), Some("1998-07-01"));
        assert_eq!(d("1.2.3.4"), None, "part of a longer dotted number");
        assert_eq!(
            d("28.01.2022"),
            None,
            "a four-digit year is another pattern's"
        );
        assert_eq!(d("01.07.25"), None, "after today");
        assert_eq!(d("32.01.22"), None);
    }

    #[test]
    fn the_readers_own_time_dates_nothing() {
        let d = |s: &str| first_published_date(s).map(|d| d.to_string());
        assert_eq!(d("Aktuelle Zeit: 14.10.2020, 12:18"), None);
        assert_eq!(
            d("It is currently 14 October 2020 · Posted 21 January 2009").as_deref(),
            Some("2009-01-21")
        );
        assert_eq!(d("Abgerufen am 09.11.2022"), None);
        for t in corroborate_lexicon::tables("now-words") {
            for e in &t.entries {
                let line = format!("{}: 14.10.2020", e.text);
                assert_eq!(first_published_date(&line), None, "{} {line}", t.lang);
            }
        }
    }

    #[test]
    fn an_update_only_date_is_kept_apart() {
        assert_eq!(
            published_or_updated("Stand: 08.05.2019"),
            (None, NaiveDate::from_ymd_opt(2019, 5, 8))
        );
        assert_eq!(
            published_or_updated("Erstellt 19.07.2014, aktualisiert 02.03.2016"),
            (NaiveDate::from_ymd_opt(2014, 7, 19), None)
        );
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
        let url = |u: &str| from_url(u, now).map(ymd);
        // One-digit month and day between slashes; day first in a slug.
        assert_eq!(
            url("https://x.example/home/2017/7/12/title").as_deref(),
            Some("2017-07-12")
        );
        assert_eq!(
            url("https://x.example/news/23-01-2022-title").as_deref(),
            Some("2022-01-23")
        );
        assert_eq!(
            url("https://x.example/meldungen/29-10-2021").as_deref(),
            Some("2021-10-29")
        );
        assert_eq!(url("https://x.example/2017/7/title"), None, "no day");
        assert_eq!(
            url("https://x.example/v/1-2-2017-3"),
            None,
            "not two-digit day and month"
        );
        assert_eq!(
            from_url(
                "https://x.example/world/megablaze-under-control-20200113",
                now
            )
            .map(ymd)
            .as_deref(),
            Some("2020-01-13")
        );
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
