//! The TIMEX3 rules beyond calendar dates (times of day, durations, ages,
//! quarters, sets, seasons, relative and vague references): one pattern of
//! named alternatives and the value of each match. The date scanner
//! ([`crate::dates`]) runs them after the calendar dates.

use crate::words::{
    cardinal, last_quarter, month_num, quarter_of, season, season_start, the_season, week,
    year_for_month,
};
use chrono::{Datelike, Duration};
use corroborate_model::Timestamp;

/// A count in a time expression: digits, a number word, or a vague
/// quantity ("a few", "several").
fn num_pattern() -> String {
    format!(
        r"\d+(?:\.\d+)?|{}|a\s+few|a\s+couple\s+of|a\s+dozen|a\s+hundred|a\s+thousand|a|an|several|few|many",
        crate::words::number_words()
    )
}

/// [`EXTRA`] with its word lists filled in from the lexicon (`NUM`,
/// `WEEKDAYS`, `MONTHS`; `CAPITAL_MONTHS_BUT_MAY`: a bare capitalised
/// month name is a date, but "May" alone is too often the verb).
pub(crate) fn extra_pattern() -> String {
    let months = corroborate_lexicon::words("en", "months");
    let capital = |w: &&str| w[..1].to_uppercase() + &w[1..];
    let but_may: Vec<String> = months
        .iter()
        .filter(|m| **m != "may")
        .map(capital)
        .collect();
    EXTRA
        .replace(
            "WEEKDAYS",
            &corroborate_lexicon::words("en", "weekdays").join("|"),
        )
        .replace("CAPITAL_MONTHS_BUT_MAY", &but_may.join("|"))
        .replace("MONTHS", &months.join("|"))
        .replace("NUM", &num_pattern())
}

/// The TIMEX3 rules beyond calendar dates, tried after them (one regex of
/// named alternatives; leftmost-first, so longer forms come first).
pub(crate) const EXTRA: &str = concat!(
    r"(?-u:\b)(?:",
    r"(?P<tod>(?:\d{1,2}(?::\d{2})?\s*(?:a\.m|p\.m|am|pm))|(?i:midnight|noon))",
    r"|(?i:(?P<ago>(?P<agon>NUM)[-\s]+(?P<agou>day|week|month|year|decade)s?\s+(?:ago|earlier|before)))",
    r"|(?i:(?P<q>(?:the\s+)?(?:comparable\s+)?(?:(?P<qy>1[89]\d\d|20\d\d)\s+)?(?:(?P<qya>year-ago|year-earlier)\s+)?(?:(?P<qo>first|second|third|fourth|1st|2nd|3rd|4th)|(?P<ql>latest|last|current|same|year-ago|year-earlier|previous|prior|recent|past|fiscal))[-\s]+(?:fiscal[-\s]+)?(?:quarter|period)(?:\s+of\s+(?P<qy2>1[89]\d\d|20\d\d))?|the\s+quarter(?P<qago>\s+a\s+year\s+(?:ago|earlier))?|the\s+(?P<qyb>1[89]\d\d|20\d\d)\s+(?:quarter|period)))",
    r"|(?i:(?P<yago>(?:a\s+)?year-(?:ago|earlier)))",
    r"|(?i:(?P<recent>recent\s+(?P<recentu>year|month|week)s))",
    r"|(?i:(?P<dur>(?:the\s+)?(?:(?:past|last|next|first|previous|coming|latest|final|same)\s+)?(?P<durn>NUM)(?P<half1>\s+1/2)?[-\s]+(?P<duru>second|minute|hour|day|week|month|year|decade|quarter|century)s?(?P<half2>\s+and\s+a\s+half)?(?:[-\s]long)?))",
    r"|(?i:(?P<rel>(?:(?P<relm>early|late|mid|earlier|later)[-\s]+)?(?P<rels>last|this\s+past|this|next|the\s+coming|the\s+past|the\s+previous|the\s+last|the\s+next)\s+(?P<relu>year|month|week|quarter|weekend|spring|summer|fall|autumn|winter|decade|century)))",
    r"|(?i:(?P<set>daily|weekly|monthly|yearly|every\s+(?:day|week|month|year)|each\s+(?:day|week|month|year)))",
    r"|(?i:(?:every|each)\s+(?P<setwd>WEEKDAYS|MONTHS))",
    r"|(?i:(?P<cent>(?P<centn>\d{1,2})(?:st|nd|rd|th)[-\s]+century))",
    r"|(?i:(?P<day>tomorrow|tonight|this\s+(?:morning|afternoon|evening)|yesterday\s+(?:morning|afternoon|evening)|last\s+night|the\s+weekend))",
    r"|(?i:(?P<refs>now|currently|current|recently|lately|nowadays|presently|these\s+days|the\s+(?:near\s+)?future|the\s+(?:near|short)\s+term|the\s+past))",
    r"|(?i:(?P<theseason>the\s+(?:(?:early|late)\s+)?(?P<seas>summer|spring|winter)))",
    r"|(?i:(?P<theyear>the\s+(?:current\s+)?(?:full\s+|fiscal\s+)?year(?P<yend>\s+end(?:ed|ing))?))",
    r"|(?i:(?P<vague>(?:the\s+)?(?P<vagueu>week|month|year|decade)s))",
    r"|(?P<decade>(?:the\s+)?(?:mid-|early\s+|late\s+)?(?P<dec>1[89]\d0|20\d0)['’]?s)",
    r"|(?P<year>(?:fiscal\s+)?(?P<y>1[89]\d\d|20[0-4]\d))",
    r"|(?P<month>CAPITAL_MONTHS_BUT_MAY)",
    r")(?-u:\b)"
);

fn number(s: &str) -> Option<String> {
    let s = s.to_lowercase();
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Ok(n) = s.parse::<f64>() {
        return Some(if n.fract() == 0.0 {
            format!("{n:.0}")
        } else {
            n.to_string()
        });
    }
    match s.as_str() {
        "a" | "an" => Some("1".into()),
        "a couple of" => Some("2".into()),
        "a dozen" => Some("12".into()),
        "a hundred" => Some("100".into()),
        "a thousand" => Some("1000".into()),
        "a few" | "several" | "few" | "many" => Some("X".into()),
        _ => cardinal(&s).map(|n| format!("{n:.0}")),
    }
}

/// A duration of `n` units of `per` years ("2", 10 → "P20Y"; "X" → "PXY").
fn years(n: &str, per: u32) -> String {
    match n.parse::<f64>() {
        Ok(x) => format!("P{}Y", (x * f64::from(per)).round()),
        Err(_) => "PXY".into(),
    }
}

/// The value and TIMEX3 type of an [`EXTRA`] match; `None` drops it.
pub(crate) fn extra_value(
    c: &regex::Captures<'_>,
    reference: Option<Timestamp>,
) -> Option<(String, &'static str)> {
    let g = |n: &str| c.name(n).map(|m| m.as_str().to_lowercase());
    let r = reference.map(|r| r.date_naive());
    if let Some(t) = g("tod") {
        return clock(t, r);
    }
    if g("ago").is_some() {
        return ago(&g, r);
    }
    if g("q").is_some() {
        return quarter(&g, r);
    }
    if g("yago").is_some() {
        // "year-earlier results": the year before; the caller turns it
        // into the year-ago quarter in a quarterly report.
        return Some(((r?.year() - 1).to_string(), "DATE"));
    }
    if let Some(w) = g("seas") {
        // "the summer" in a report: the latest one begun by the reference.
        return Some((the_season(&w, r?, false), "DATE"));
    }
    if g("theyear").is_some() {
        // "for the year ended June 30" is a year's length; "for the year",
        // "the end of the year" are the current year.
        if g("yend").is_some() {
            return Some(("P1Y".into(), "DURATION"));
        }
        return Some((r?.year().to_string(), "DATE"));
    }
    if let Some(u) = g("vagueu") {
        let u = u[..1].to_ascii_uppercase();
        return Some((format!("PX{u}"), "DURATION"));
    }
    if let Some(u) = g("recentu") {
        let u = u[..1].to_ascii_uppercase();
        return Some((format!("PX{u}"), "DURATION"));
    }
    if let Some(d) = g("dur") {
        return length(d, &g);
    }
    if g("rel").is_some() {
        return relative(&g, r);
    }
    if let Some(w) = g("setwd") {
        // "each Thursday" → XXXX-WXX-4, "every July" → XXXX-07.
        if let Ok(day) = w.parse::<chrono::Weekday>() {
            return Some((format!("XXXX-WXX-{}", day.number_from_monday()), "SET"));
        }
        let m = month_num(&w)?;
        return Some((format!("XXXX-{m:02}"), "SET"));
    }
    if let Some(n) = g("centn") {
        // TimeML writes a century as its first two digits: "20th century" → "19".
        let n: u32 = n.parse().ok()?;
        return (1..=21)
            .contains(&n)
            .then(|| (format!("{:02}", n - 1), "DATE"));
    }
    if let Some(s) = g("set") {
        let u = if s.contains("day") || s == "daily" {
            "D"
        } else if s.contains("week") {
            "W"
        } else if s.contains("month") {
            "M"
        } else {
            "Y"
        };
        return Some((format!("P1{u}"), "SET"));
    }
    if let Some(d) = g("day") {
        return day_part(d, r);
    }
    if let Some(s) = g("refs") {
        let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
        let v = match s.as_str() {
            "now" | "currently" | "current" | "nowadays" | "presently" | "these days" => {
                "PRESENT_REF"
            }
            "the future" | "the near future" | "the near term" | "the short term" => "FUTURE_REF",
            _ => "PAST_REF",
        };
        return Some((v.into(), "DATE"));
    }
    if let Some(d) = g("dec") {
        return Some((d[..3].to_string(), "DATE"));
    }
    if let Some(y) = g("y") {
        return Some((y, "DATE"));
    }
    if let Some(m) = c.name("month") {
        let month = month_num(m.as_str())?;
        return Some((
            format!("{}-{month:02}", year_for_month(month, reference)),
            "DATE",
        ));
    }
    None
}

/// The named groups of a rule match, lower-cased.
type Groups<'a> = dyn Fn(&str) -> Option<String> + 'a;

/// "5 p.m.", "noon", "midnight" on the reference day.
fn clock(t: String, r: Option<chrono::NaiveDate>) -> Option<(String, &'static str)> {
    let r = r?;
    let (h, mi) = if t == "midnight" {
        (24, 0)
    } else if t == "noon" {
        (12, 0)
    } else {
        let digits: String = t
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == ':')
            .collect();
        let (h, mi) = digits.split_once(':').unwrap_or((&digits, "0"));
        let (mut h, mi): (u32, u32) = (h.parse().ok()?, mi.parse().ok()?);
        if h > 12 || mi > 59 {
            return None;
        }
        if t.contains('p') && h < 12 {
            h += 12;
        }
        (h, mi)
    };
    Some((format!("{}T{h:02}:{mi:02}", r.format("%Y-%m-%d")), "TIME"))
}

/// "three days ago", "a year ago".
fn ago(g: &Groups<'_>, r: Option<chrono::NaiveDate>) -> Option<(String, &'static str)> {
    let r = r?;
    let n = number(&g("agon")?)?;
    let Ok(n) = n.parse::<i64>() else {
        return Some(("PAST_REF".into(), "DATE"));
    };
    let v = match g("agou")?.as_str() {
        "day" => (r - Duration::days(n)).format("%Y-%m-%d").to_string(),
        "week" => week(r - Duration::weeks(n)),
        "month" => {
            let months = r.year() as i64 * 12 + r.month0() as i64 - n;
            format!("{}-{:02}", months.div_euclid(12), months.rem_euclid(12) + 1)
        }
        "decade" => format!("{}", (r.year() as i64 - 10 * n) / 10),
        _ => (r.year() as i64 - n).to_string(),
    };
    Some((v, "DATE"))
}

/// "the third quarter", "the year-ago period", "the 1988 second quarter".
fn quarter(g: &Groups<'_>, r: Option<chrono::NaiveDate>) -> Option<(String, &'static str)> {
    let r = r?;
    if let Some(y) = g("qyb") {
        // "the 1988 period": that year's quarter under report.
        return Some((format!("{y}-Q{}", last_quarter(r).1), "DATE"));
    }
    let (mut y, q) = if let Some(o) = g("qo") {
        let q = match &o[..2] {
            "fi" | "1s" => 1,
            "se" | "2n" => 2,
            "th" | "3r" => 3,
            _ => 4,
        };
        let y = if 3 * q - 2 > r.month() {
            r.year() - 1
        } else {
            r.year()
        };
        (y, q)
    } else {
        last_quarter(r)
    };
    let l = g("ql").unwrap_or_default();
    if l.starts_with("year-") || g("qya").is_some() || g("qago").is_some() {
        y -= 1;
    }
    // "the 1988 second quarter", "the third quarter of 1984".
    if let Some(year) = g("qy").or_else(|| g("qy2")).and_then(|y| y.parse().ok()) {
        y = year;
    }
    // "the fiscal quarter" names no quarter; "the latest period" and
    // "the year-ago period" do, other periods do not.
    let period = g("q").is_some_and(|q| q.ends_with("period"));
    let named_period = matches!(l.as_str(), "latest" | "year-ago" | "year-earlier");
    if g("qo").is_none() && (l == "fiscal" || period && !named_period) {
        return None;
    }
    Some((format!("{y}-Q{q}"), "DATE"))
}

/// "two years", "2 1/2 hours", "the first day" (an ordinal, not a length).
fn length(d: String, g: &Groups<'_>) -> Option<(String, &'static str)> {
    let n = number(&g("durn")?)?;
    if d.starts_with("first") && n == "1" {
        return None; // "first-hour", "the first day": an ordinal, not a length
    }
    let half = g("half1").is_some() || g("half2").is_some();
    let v = match g("duru")?.as_str() {
        // "2 1/2 years", "a minute and a half": the half in the next unit.
        "minute" if half => format!("PT{n}M30S"),
        "hour" if half => format!("PT{n}H30M"),
        "day" if half => format!("P{n}DT12H"),
        "year" if half => format!("P{n}Y6M"),
        "second" => format!("PT{n}S"),
        "minute" => format!("PT{n}M"),
        "hour" => format!("PT{n}H"),
        "day" => format!("P{n}D"),
        "week" => format!("P{n}W"),
        "month" => format!("P{n}M"),
        // TimeML writes decades and centuries in years ("two decades" = P20Y).
        "decade" => years(&n, 10),
        "quarter" => format!("P{n}Q"),
        "century" => years(&n, 100),
        _ => format!("P{n}Y"),
    };
    Some((v, "DURATION"))
}

/// "last month", "next quarter", "the past year", "this spring".
fn relative(g: &Groups<'_>, r: Option<chrono::NaiveDate>) -> Option<(String, &'static str)> {
    let which = g("rels")?;
    let unit = g("relu")?;
    if which == "the past" && unit == "year" {
        // TimeML reads "the past year" as last year.
        return Some(((r?.year() - 1).to_string(), "DATE"));
    }
    if which.starts_with("the ") {
        let u = match unit.as_str() {
            "month" => "M",
            "week" => "W",
            "quarter" => "Q",
            "weekend" => return None,
            "decade" => return Some(("P10Y".into(), "DURATION")),
            "century" => return Some(("P100Y".into(), "DURATION")),
            "year" => "Y",
            _ => return None,
        };
        return Some((format!("P1{u}"), "DURATION"));
    }
    let r = r?;
    let which = which.split_whitespace().collect::<Vec<_>>().join(" ");
    let step: i32 = match which.as_str() {
        "last" | "this past" => -1,
        "next" => 1,
        _ => 0,
    };
    let v = match unit.as_str() {
        "year" => (r.year() + step).to_string(),
        "month" => {
            let months = r.year() * 12 + r.month0() as i32 + step;
            format!("{}-{:02}", months.div_euclid(12), months.rem_euclid(12) + 1)
        }
        "week" => week(r + Duration::weeks(i64::from(step))),
        "weekend" => format!("{}-WE", week(r + Duration::weeks(i64::from(step)))),
        "quarter" => {
            let (y, q) = match step {
                -1 => last_quarter(r),
                0 => (r.year(), quarter_of(r.month())),
                _ => match quarter_of(r.month()) {
                    4 => (r.year() + 1, 1),
                    q => (r.year(), q + 1),
                },
            };
            format!("{y}-Q{q}")
        }
        "decade" => format!("{}", r.year() / 10 + step),
        "century" => format!("{}", r.year() / 100 + step),
        s => {
            let code = season(s);
            let start = season_start(code);
            let y = match step {
                -1 if r.month() < start + 3 => r.year() - 1,
                1 if r.month() >= start => r.year() + 1,
                _ => r.year(),
            };
            format!("{y}-{code}")
        }
    };
    Some((v, "DATE"))
}

/// "tomorrow", "tonight", "last night", "yesterday morning", "the weekend".
fn day_part(d: String, r: Option<chrono::NaiveDate>) -> Option<(String, &'static str)> {
    let r = r?;
    let d = d.split_whitespace().collect::<Vec<_>>().join(" ");
    let (day, part) = match d.as_str() {
        "tomorrow" => (r + Duration::days(1), ""),
        "tonight" => (r, "TNI"),
        "last night" => (r - Duration::days(1), "TNI"),
        "the weekend" => return Some((format!("{}-WE", week(r)), "DATE")),
        x => {
            let base = if x.starts_with("yesterday") {
                r - Duration::days(1)
            } else {
                r
            };
            let part = match x.rsplit(' ').next() {
                Some("morning") => "TMO",
                Some("afternoon") => "TAF",
                _ => "TEV",
            };
            return Some((format!("{}{part}", base.format("%Y-%m-%d")), "TIME"));
        }
    };
    Some((format!("{}{part}", day.format("%Y-%m-%d")), "DATE"))
}
