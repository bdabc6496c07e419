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
/// The patterns with a month name, each with the groups of its day,
/// month name and year.
fn named_month_patterns() -> [(&'static Regex, usize, usize, usize); 3] {
    [
        (&*DMY_NAME, 1, 2, 3),
        (&*MDY_NAME, 2, 1, 3),
        (&*YMD_NAME, 3, 2, 1),
    ]
}

/// The date one named-month match states (groups as in
/// [`named_month_patterns`]).
fn named_month_date(
    c: &regex::Captures<'_>,
    (d, m, y): (usize, usize, usize),
) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(c[y].parse().ok()?, month_number(&c[m])?, c[d].parse().ok()?)
}

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
    // Named months, day first ("17 December 2024"), month first ("Dec. 17,
    // 2024") or year first ("2024. december 17.").
    for (re, d, m, y) in named_month_patterns() {
        if let Some(c) = re.captures(s) {
            consider(c.get(0).unwrap().start(), named_month_date(&c, (d, m, y)));
        }
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
    for (re, d, m, y) in named_month_patterns() {
        for c in re.captures_iter(s) {
            out.extend(named_month_date(&c, (d, m, y)).map(|date| (at(&c), date)));
        }
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
mod tests;
