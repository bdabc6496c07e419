//! Date expressions in running text, resolved against the publication date.
//!
//! Values follow TIMEX3 conventions: `2024-12-16`, `2024-12`, `2024`,
//! `2024-W50` (a week), `2024-FA` (a season), and `XXXX-12-16` when the
//! year cannot be known (no publication date).

use crate::textutil::Doc;
use crate::words::{holiday, month_num, next_year_of_month, resolve_day_month, year_for_month};
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use corroborate_model::{DateMention, Timestamp};
use regex::Regex;
use std::sync::LazyLock;

/// English month names and abbreviations, capitalised, as one capturing
/// group: `(January|...|Sept\.?|Sep\.?|...)` (lexicon `en/months`,
/// `en/month-abbreviations`).
static MONTH: LazyLock<String> = LazyLock::new(|| {
    let capital = |w: &str| w[..1].to_uppercase() + &w[1..];
    let full = corroborate_lexicon::words("en", "months")
        .into_iter()
        .map(capital);
    let mut short: Vec<String> = corroborate_lexicon::words("en", "month-abbreviations")
        .into_iter()
        .map(capital)
        .collect();
    short.sort_by_key(|w| std::cmp::Reverse(w.len()));
    let short = short.into_iter().map(|w| format!("{w}\\.?"));
    format!("({})", full.chain(short).collect::<Vec<_>>().join("|"))
});

static PATTERNS: LazyLock<Vec<(Kind, Regex)>> = LazyLock::new(|| {
    let r = |s: String| Regex::new(&s).unwrap();
    let month = &*MONTH;
    let weekdays = corroborate_lexicon::words("en", "weekdays")
        .iter()
        .map(|w| w[..1].to_uppercase() + &w[1..])
        .collect::<Vec<_>>()
        .join("|");
    vec![
        (Kind::Iso, r(r"(?-u:\b)(\d{4})-(\d{2})-(\d{2})(?-u:\b)".into())),
        (Kind::DayMonth, r(format!(r"(?-u:\b)(\d{{1,2}})(?:st|nd|rd|th)?\s+{month}(?:,?\s+(\d{{4}}))?(?-u:\b)"))),
        (Kind::MonthDay, r(format!(r"(?-u:\b){month}\s+(\d{{1,2}})(?:st|nd|rd|th)?(?-u:\b)(?:,?\s+(\d{{4}}))?"))),
        (Kind::PartMonth, r(format!(r"(?i:(?-u:\b)(?:in\s+)?(early|mid|late)[-\s]+){month}(?:\s+(\d{{4}}))?(?-u:\b)"))),
        (Kind::NamedYear, r(format!(r"(?-u:\b)(?:([Tt]his|[Ll]ast|[Nn]ext)\s+)?{month}(?:\s+(?:of\s+)?(\d{{4}})|\s+(this|last|next)\s+year)?(?-u:\b)"))),
        (Kind::MonthYear, r(format!(r"(?-u:\b)(?:[Ii]n|[Ss]ince|[Bb]y|[Ff]rom|[Uu]ntil)\s+{month}(?:\s+(\d{{4}}))?(?-u:\b)"))),
        (Kind::Holiday, r(r"(?-u:\b)(?:([Ll]ast|[Tt]his|[Nn]ext)\s+)?(Thanksgiving(?:\s+Day)?|Christmas(?:\s+Day|\s+Eve)?|New\s+Year['’]s(?:\s+Day|\s+Eve)?|Easter(?:\s+Sunday)?|Labor\s+Day|Memorial\s+Day|Independence\s+Day|(?:the\s+)?Fourth\s+of\s+July|Halloween|Valentine['’]s\s+Day)(?-u:\b)".into())),
        (Kind::WordYear, r(r"(?i)(?-u:\b)(?:the\s+year\s+)?(?:(nineteen|twenty)[-\s]+((?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[-\s]+(?:one|two|three|four|five|six|seven|eight|nine))?|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|hundred)|(two\s+thousand(?:\s+(?:and\s+)?(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty(?:[-\s]+(?:one|two|three|four|five|six|seven|eight|nine))?))?))(?-u:\b)".into())),
        (Kind::Season, r(r"(?i)(?-u:\b)(spring|summer|fall|autumn|winter)\s+(?:of\s+)?(\d{4})(?-u:\b)".into())),
        (Kind::Weekday, r(format!(r"(?-u:\b)(?:(?:[Oo]n|[Ll]ast|[Tt]his|[Nn]ext)\s+)?({weekdays})(?:\s+(morning|afternoon|evening|night))?(?-u:\b)"))),
        (Kind::Relative, r(r"(?i)(?-u:\b)(today|yesterday|tonight|last\s+week|this\s+week|last\s+month|this\s+month|last\s+year|this\s+year)(?-u:\b)".into())),
        (Kind::Extra, r(crate::time_rules::extra_pattern())),
    ]
});

static FUTURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(will|could|can|shall|might|would\s+be|going\s+to|next|plan(?:s|ned|ning)?\s+to|planned|(?:is|are|set)\s+to|expected\s+to|scheduled|due\s+to|as\s+(?:soon|early)\s+as|until|(?:this|the)\s+coming)(?-u:\b)").unwrap()
});
/// A plan told in the past ("had been due to expire Friday", "was
/// scheduled for Monday"): the day is past.
static PAST_PLAN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?:had|was|were)\s+(?:\w+\s+)?(?:due|scheduled|planned|set|expected|going|been)(?-u:\b)").unwrap()
});

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Iso,
    DayMonth,
    MonthDay,
    PartMonth,
    /// A month with its year: "August 1988", "June last year", "this September".
    NamedYear,
    MonthYear,
    Season,
    /// A named holiday: "Thanksgiving Day", "Christmas Eve", "last Easter".
    Holiday,
    /// A year in words: "nineteen ninety-six", "the year two thousand".
    WordYear,
    Weekday,
    Relative,
    /// The TIMEX3 rules of [`crate::time_rules`].
    Extra,
}

/// A date found in text (byte offsets).
#[derive(Debug, Clone)]
pub(crate) struct FoundDate {
    pub start: usize,
    pub end: usize,
    pub value: String,
    /// TIMEX3 type: `DATE`, `TIME`, `DURATION` or `SET`.
    pub kind: &'static str,
}

impl FoundDate {
    pub fn into_mention(self, doc: &Doc<'_>) -> DateMention {
        DateMention {
            start: doc.ch(self.start),
            end: doc.ch(self.end),
            text: doc.text[self.start..self.end].to_string(),
            value: self.value,
        }
    }
}

/// Whether the clause before `at` speaks of the future ("will meet on
/// Monday", "is due to be paid Dec. 7"): news otherwise reports the past.
/// The clause runs back to the last sentence end, quote mark or comma.
fn future_clause(text: &str, at: usize) -> bool {
    let mut end = at;
    let clause_start = loop {
        match text[..end].rfind(['.', '!', '?', '\n', ',', '”', '"', '’']) {
            // The period of "a.m."/"p.m." ends no clause.
            Some(i)
                if text[i..].starts_with('.')
                    && (text[..i].to_ascii_lowercase().ends_with(".m")
                        || (text[..i].ends_with(['a', 'p', 'A', 'P'])
                            && text[i + 1..].starts_with(['m', 'M']))) =>
            {
                end = i
            }
            Some(i) => break i + text[i..].chars().next().map_or(1, char::len_utf8),
            None => break 0,
        }
    };
    // A relative or subordinate clause has its own tense: "could ask the
    // panel that issued Thursday's ruling" is about a past Thursday.
    let clause = &text[clause_start..at];
    let clause = [
        " that ",
        " which ",
        " who ",
        " after ",
        " because ",
        " since ",
    ]
    .iter()
    .filter_map(|w| clause.rfind(w).map(|i| &clause[i + w.len()..]))
    .min_by_key(|c| c.len())
    .unwrap_or(clause);
    FUTURE.is_match(clause) && !PAST_PLAN.is_match(clause)
}

/// Finds and resolves the date expressions of a text.
pub fn find_dates(text: &str, reference: Option<Timestamp>) -> Vec<DateMention> {
    let doc = Doc::new(text);
    find_dates_in(&doc, reference)
        .into_iter()
        .map(|d| d.into_mention(&doc))
        .collect()
}

/// Finds date expressions in `doc` (the `DATE` time expressions), earliest
/// first, without overlaps.
pub(crate) fn find_dates_in(doc: &Doc<'_>, reference: Option<Timestamp>) -> Vec<FoundDate> {
    let mut v = scan(doc, reference);
    // The timeline wants calendar dates: not "now" (PRESENT_REF), not a
    // bare year that is more likely a figure's neighbour than an event date.
    // Times of day ("Saturday evening") count by their day.
    static CALENDAR: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:\d{4}|XXXX)(?:-\d{2}(?:-\d{2})?|-W\d{2}|-(?:SP|SU|FA|WI))?$").unwrap()
    });
    for d in &mut v {
        if let Some(i) = d.value.find('T') {
            d.value.truncate(i);
            d.kind = "DATE";
        }
    }
    v.retain(|d| d.kind == "DATE" && CALENDAR.is_match(&d.value));
    v
}

/// Finds every time expression in `doc`, earliest first, without overlaps.
pub(crate) fn scan(doc: &Doc<'_>, reference: Option<Timestamp>) -> Vec<FoundDate> {
    let text = doc.text;
    let quarterly = text.contains("quarter");
    let mut out: Vec<FoundDate> = Vec::new();
    // Spans taken so far (start → end), disjoint: an overlap test is one
    // lookup, not a scan of every date found (a long page holds many).
    let mut taken: std::collections::BTreeMap<usize, usize> = Default::default();
    let overlaps = |taken: &std::collections::BTreeMap<usize, usize>, s: usize, e: usize| {
        taken
            .range(..e)
            .next_back()
            .is_some_and(|(_, &end)| end > s)
    };
    for (kind, re) in PATTERNS.iter() {
        for c in re.captures_iter(text) {
            let m = c.get(0).unwrap();
            if overlaps(&taken, m.start(), m.end()) {
                continue;
            }
            let hit = Hit {
                text,
                c: &c,
                reference,
            };
            if *kind == Kind::Extra {
                if let Some(d) = extra_date(&hit, quarterly) {
                    taken.insert(d.start, d.end);
                    out.push(d);
                }
                continue;
            }
            let value = value_of(*kind, &hit);
            if let Some(value) = value {
                // TIMEX3 extents leave out a preposition ("on Sunday" →
                // "Sunday", "in February" → "February") but keep a modifier
                // ("last Friday"); the day or month is group 1 of both patterns.
                let skip = match (kind, c.get(1)) {
                    (Kind::Weekday | Kind::MonthYear, Some(g1))
                        if matches!(
                            text[m.start()..g1.start()]
                                .trim()
                                .to_ascii_lowercase()
                                .as_str(),
                            "on" | "in" | "since" | "by" | "from" | "until"
                        ) =>
                    {
                        g1.start() - m.start()
                    }
                    _ => 0,
                };
                taken.insert(m.start() + skip, m.end());
                out.push(FoundDate {
                    start: m.start() + skip,
                    end: m.end(),
                    value,
                    kind: "DATE",
                });
            }
        }
    }
    out.sort_by_key(|d| d.start);
    join_clock_and_day(text, out)
}

/// One match of a date pattern, with the text it is in and the date it
/// is read against: what every pattern's reading takes.
struct Hit<'t> {
    text: &'t str,
    c: &'t regex::Captures<'t>,
    reference: Option<Timestamp>,
}

impl Hit<'_> {
    /// Group `i`'s text.
    fn g(&self, i: usize) -> Option<&str> {
        self.c.get(i).map(|x| x.as_str())
    }

    /// Where the match starts.
    fn start(&self) -> usize {
        self.c.get(0).map_or(0, |m| m.start())
    }

    /// Whether the match's clause speaks of the future.
    fn future(&self) -> bool {
        future_clause(self.text, self.start())
    }
}

/// The TIMEX3 value of a match of one of the date patterns (all but
/// [`Kind::Extra`]).
fn value_of(kind: Kind, h: &Hit<'_>) -> Option<String> {
    match kind {
        Kind::Iso => h.g(0).map(str::to_string),
        Kind::DayMonth | Kind::MonthDay => day_month(kind, h),
        Kind::PartMonth | Kind::MonthYear => part_or_month_year(kind, h),
        Kind::NamedYear => named_year(h),
        Kind::Holiday => holiday_value(h),
        Kind::WordYear => word_year(h),
        Kind::Season => {
            let s = crate::words::season(&h.g(1).unwrap_or("").to_ascii_lowercase());
            Some(format!("{}-{s}", h.g(2).unwrap_or("XXXX")))
        }
        Kind::Weekday => weekday_value(h),
        Kind::Relative => relative_value(h),
        Kind::Extra => None,
    }
}

/// "16 December 2024", "Dec. 16": a day of a month (the year from the
/// text, or the reference date).
fn day_month(kind: Kind, h: &Hit<'_>) -> Option<String> {
    let (d, mo) = if kind == Kind::DayMonth {
        (h.g(1), h.g(2))
    } else {
        (h.g(2), h.g(1))
    };
    let (Some(day), Some(month)) = (d.and_then(|d| d.parse().ok()), mo.and_then(month_num)) else {
        return None;
    };
    match h.g(3).and_then(|y| y.parse::<i32>().ok()) {
        Some(y) => NaiveDate::from_ymd_opt(y, month, day).map(|d| d.format("%Y-%m-%d").to_string()),
        None if h.future() => h.reference.and_then(|r| {
            let r = r.date_naive();
            NaiveDate::from_ymd_opt(r.year(), month, day)
                .filter(|d| *d >= r)
                .or_else(|| NaiveDate::from_ymd_opt(r.year() + 1, month, day))
                .map(|d| d.format("%Y-%m-%d").to_string())
        }),
        None => resolve_day_month(day, month, h.reference),
    }
}

/// "early December", "December 2024": a month.
fn part_or_month_year(kind: Kind, h: &Hit<'_>) -> Option<String> {
    let mi = if kind == Kind::PartMonth { 2 } else { 1 };
    let month = h.g(mi).and_then(month_num)?;
    // "May" alone is too often the verb.
    if h.g(mi) == Some("May") && h.g(mi + 1).is_none() && kind == Kind::MonthYear {
        return None;
    }
    let year = match (h.g(mi + 1), h.reference) {
        (Some(y), _) => y.to_string(),
        (None, Some(r)) if h.future() => next_year_of_month(month, r).to_string(),
        (None, _) => year_for_month(month, h.reference),
    };
    Some(format!("{year}-{month:02}"))
}

/// "August 1988", "June last year", "this September".
fn named_year(h: &Hit<'_>) -> Option<String> {
    let (Some(month), lead, year, rel) = (h.g(2).and_then(month_num), h.g(1), h.g(3), h.g(4))
    else {
        return None;
    };
    let year = match (lead.map(str::to_ascii_lowercase), year, rel, h.reference) {
        (_, Some(y), _, _) => y.to_string(),
        (_, None, Some(rel), Some(r)) => (r.year()
            + match rel {
                "last" => -1,
                "next" => 1,
                _ => 0,
            })
        .to_string(),
        (Some(lead), None, None, Some(r)) => {
            let r = r.date_naive();
            match lead.as_str() {
                "this" => r.year(),
                // The last such month before this one; the next after it.
                "last" if month < r.month() => r.year(),
                "last" => r.year() - 1,
                _ if month > r.month() => r.year(),
                _ => r.year() + 1,
            }
            .to_string()
        }
        // A bare month is left to the rules below, which
        // also keep the verb "May" out.
        _ => return None,
    };
    Some(format!("{year}-{month:02}"))
}

/// A named holiday on the year the reference and the clause point to.
fn holiday_value(h: &Hit<'_>) -> Option<String> {
    let r = h.reference?;
    let name = h.g(2).unwrap_or("").to_ascii_lowercase();
    let lead = h.g(1).map(str::to_ascii_lowercase);
    let r = r.date_naive();
    let on = |y: i32| holiday(&name, y);
    let day = match lead.as_deref() {
        Some("this") => on(r.year()),
        Some("next") => (r.year()..=r.year() + 1).filter_map(on).find(|d| *d > r),
        Some(_) => (r.year() - 1..=r.year())
            .rev()
            .filter_map(on)
            .find(|d| *d < r),
        None if h.future() => (r.year()..=r.year() + 1).filter_map(on).find(|d| *d >= r),
        None => (r.year() - 1..=r.year())
            .rev()
            .filter_map(on)
            .find(|d| *d <= r),
    };
    day.map(|d| d.format("%Y-%m-%d").to_string())
}

/// "nineteen ninety-six", "the year two thousand".
fn word_year(h: &Hit<'_>) -> Option<String> {
    let words = |i: usize| h.g(i).unwrap_or("").to_ascii_lowercase().replace('-', " ");
    if h.g(3).is_some() {
        let w = words(3);
        let rest = w["two thousand".len()..]
            .trim()
            .trim_start_matches("and")
            .trim();
        let rest = if rest.is_empty() {
            Some(0.0)
        } else {
            crate::words::cardinal(rest)
        };
        rest.map(|r| format!("{:.0}", 2000.0 + r))
    } else {
        let century = if words(1) == "nineteen" { 1900 } else { 2000 };
        let rest = words(2);
        let rest = if rest == "hundred" {
            Some(0.0)
        } else {
            crate::words::cardinal(&rest)
        };
        rest.map(|r| format!("{:.0}", f64::from(century) + r))
    }
}

/// A weekday: the one before the reference date, or after it when the
/// clause speaks of the future.
fn weekday_value(h: &Hit<'_>) -> Option<String> {
    // "each Thursday" is a set, read by the timex rules.
    let lead = h.text[..h.start()].trim_end().to_ascii_lowercase();
    if lead.ends_with("each") || lead.ends_with("every") {
        return None;
    }
    let r = h.reference?;
    let Ok(want) = h.g(1).unwrap_or("").parse::<Weekday>() else {
        return None;
    };
    let mut d = r.date_naive();
    // News reports the past, unless the clause speaks of the future
    // ("could return home on Sunday", "will meet on Monday").
    // The governing clause: back to the last sentence end, quote mark or comma.
    let lead = h.g(0).unwrap_or("").to_ascii_lowercase();
    let step = if lead.starts_with("next") || h.future() {
        Duration::days(1)
    } else {
        -Duration::days(1)
    };
    // "Thursday" in a Thursday paper is that day, said or
    // planned; "last Thursday" and "next Thursday" are a week off.
    if lead.starts_with("last") || (lead.starts_with("next") && d.weekday() == want) {
        d += step;
    }
    while d.weekday() != want {
        d += step;
    }
    let part = match h.g(2) {
        Some("morning") => "TMO",
        Some("afternoon") => "TAF",
        Some("evening") => "TEV",
        Some("night") => "TNI",
        _ => "",
    };
    Some(format!("{}{part}", d.format("%Y-%m-%d")))
}

/// "today", "yesterday", "last week", "this month", "last year".
fn relative_value(h: &Hit<'_>) -> Option<String> {
    let r = h.reference?;
    let d = r.date_naive();
    let w = crate::words::week;
    Some(
        match h
            .g(1)
            .unwrap_or("")
            .to_ascii_lowercase()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .as_str()
        {
            "today" | "tonight" => d.format("%Y-%m-%d").to_string(),
            "yesterday" => (d - Duration::days(1)).format("%Y-%m-%d").to_string(),
            "last week" => w(d - Duration::days(7)),
            "this week" => w(d),
            "last month" => (d - Duration::days(i64::from(d.day())))
                .format("%Y-%m")
                .to_string(),
            "this month" => d.format("%Y-%m").to_string(),
            "last year" => (d.year() - 1).to_string(),
            _ => d.year().to_string(),
        },
    )
}

/// A date of the TIMEX3 rules ([`crate::time_rules`]), with the checks
/// that keep ages, rates, fractions and vague lengths out.
fn extra_date(h: &Hit<'_>, quarterly: bool) -> Option<FoundDate> {
    let (text, c, reference) = (h.text, h.c, h.reference);
    let m = c.get(0).unwrap();
    let (mut value, kind) = crate::time_rules::extra_value(c, reference)?;
    // "reopen before the summer": the next one.
    if let (Some(r), Some(w)) = (reference, c.name("seas")) {
        if future_clause(text, m.start()) {
            let w = w.as_str().to_ascii_lowercase();
            value = crate::words::the_season(&w, r.date_naive(), true);
        }
    }
    // "the weekend" in a weekday paper: the one just past,
    // unless the clause speaks of the future.
    if let (Some(r), Some(_)) = (reference, c.name("day")) {
        let r = r.date_naive();
        if value.ends_with("-WE")
            && r.weekday().number_from_monday() <= 5
            && !future_clause(text, m.start())
        {
            value = format!("{}-WE", crate::words::week(r - Duration::weeks(1)));
        }
    }
    // "a year ago" in a quarterly report (a text that speaks
    // of quarters): the year-ago quarter.
    // A bare month in a clause about the future: its next occurrence.
    if let (Some(r), Some(month)) = (
        reference,
        c.name("month").and_then(|mo| month_num(mo.as_str())),
    ) {
        if future_clause(text, m.start()) {
            value = format!("{}-{month:02}", next_year_of_month(month, r));
        }
    }
    if let (Some(r), true) = (
        reference,
        (c.name("ago").is_some() || c.name("yago").is_some()) && value.len() == 4,
    ) {
        if quarterly {
            let (y, q) = crate::words::last_quarter(r.date_naive());
            if value == (y - 1).to_string() {
                value = format!("{}-Q{q}", y - 1);
            }
        }
    }
    let (start, end) = (m.start(), m.end());
    // "6-year-old", "three-quarters": an age or a fraction.
    let next = &text[end..];
    // "the year-ago quarter", "the year before": not the year.
    if c.name("theyear").is_some()
        && (next.starts_with('-')
            || [" before", " ago", " earlier", " two", " 1", " 2"]
                .iter()
                .any(|w| next.starts_with(w)))
    {
        return None;
    }
    // "average daily volume" is a rate, not a recurring time.
    if c.name("set")
        .is_some_and(|s| s.as_str().eq_ignore_ascii_case("daily"))
        && text[..start]
            .trim_end()
            .to_ascii_lowercase()
            .ends_with("average")
    {
        return None;
    }
    // A length left vague ("for years", "within weeks", "in
    // the years that followed"), only after a preposition of
    // time: "years of loyalty" is not one.
    if c.name("vague").is_some() {
        let prev = text[..start]
            .split_whitespace()
            .next_back()
            .unwrap_or("")
            .to_ascii_lowercase();
        if !matches!(prev.as_str(), "for" | "within" | "after" | "in" | "over") {
            return None;
        }
    }
    if next.starts_with("-old")
        || next.starts_with(" old")
        || next.starts_with("-year")
        || (c
            .name("duru")
            .is_some_and(|u| u.as_str().eq_ignore_ascii_case("quarter"))
            && (next.starts_with('s') || next.starts_with(" of") || m.as_str().contains('-')))
    {
        return None;
    }
    Some(FoundDate {
        start,
        end,
        value,
        kind,
    })
}

/// "10 p.m. Wednesday", "5 p.m. EST, Nov. 9": a clock time followed by its
/// day is one TIME on that day ("2024-12-18T22:00").
fn join_clock_and_day(text: &str, found: Vec<FoundDate>) -> Vec<FoundDate> {
    static BETWEEN: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^\.?\s*(?:[A-Z]{2,4}\s*)?,?\s*(?:on\s+)?$").unwrap());
    let mut out: Vec<FoundDate> = Vec::with_capacity(found.len());
    for d in found {
        if let Some(prev) = out.last_mut() {
            let clock =
                prev.kind == "TIME" && prev.value.len() == 16 && prev.value.as_bytes()[10] == b'T';
            let day = d.kind == "DATE"
                && d.value.len() == 10
                && d.value.as_bytes()[4] == b'-'
                && d.value.as_bytes()[7] == b'-';
            if clock && day && BETWEEN.is_match(&text[prev.end..d.start]) {
                prev.value = format!("{}{}", &d.value[..10], &prev.value[10..]);
                prev.end = d.end;
                continue;
            }
        }
        out.push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::words::easter;

    fn values(text: &str, published: &str) -> Vec<(String, String)> {
        let doc = Doc::new(text);
        let r = format!("{published}T12:00:00Z").parse().ok();
        find_dates_in(&doc, r)
            .into_iter()
            .map(|d| (text[d.start..d.end].to_string(), d.value))
            .collect()
    }

    #[test]
    fn absolute_and_relative() {
        let v = values(
            "On 16 December he spoke; on Dec. 14 and October 23 too. On Sunday, last week, in early November and in fall 2024; yesterday. They will vote on Friday.",
            "2024-12-17",
        );
        let got: Vec<&str> = v.iter().map(|(_, v)| v.as_str()).collect();
        assert_eq!(
            got,
            [
                "2024-12-16",
                "2024-12-14",
                "2024-10-23",
                "2024-12-15",
                "2024-W50",
                "2024-11",
                "2024-FA",
                "2024-12-16",
                "2024-12-20"
            ]
        );
    }

    #[test]
    fn holidays_and_years_in_words() {
        let v = values(
            "Since Thanksgiving Day, and last Easter, in nineteen ninety-six and the year two thousand; \
             they will meet on Christmas Eve.",
            "2000-04-03",
        );
        let got: Vec<(&str, &str)> = v.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        assert_eq!(
            got,
            [
                ("Thanksgiving Day", "1999-11-25"),
                ("last Easter", "1999-04-04"),
                ("nineteen ninety-six", "1996"),
                ("the year two thousand", "2000"),
                ("Christmas Eve", "2000-12-24"),
            ]
        );
        // A curly quote after "a" is no "a.m." (and no panic on its bytes).
        let v = values("“It will be a’ Monday", "2000-04-03");
        assert_eq!(v[0].1, "2000-04-03");
        assert_eq!(easter(2024), NaiveDate::from_ymd_opt(2024, 3, 31));
        assert_eq!(easter(2025), NaiveDate::from_ymd_opt(2025, 4, 20));
    }

    #[test]
    fn extents_drop_prepositions_only() {
        let v = values(
            "The blaze began Sunday night, crews returned on Thursday, left last Friday and came back in February.",
            "2025-03-17",
        );
        let texts: Vec<&str> = v.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(
            texts,
            ["Sunday night", "Thursday", "last Friday", "February"]
        );
    }

    #[test]
    fn year_boundary_and_unknown_year() {
        assert_eq!(
            resolve_day_month(28, 12, "2025-01-03T00:00:00Z".parse().ok()).as_deref(),
            Some("2024-12-28")
        );
        assert_eq!(
            resolve_day_month(16, 12, None).as_deref(),
            Some("XXXX-12-16")
        );
        assert_eq!(resolve_day_month(31, 2, None), None);
    }
}
