//! Quantities as the NewsQuant benchmark counts them: every number in a
//! sentence with its value (or range), how it is qualified, its unit in a
//! canonical vocabulary ("percentage", "dollar", "kilometre"; a counted
//! noun is its own unit, singular) and the words of what it measures.
//!
//! [`crate::annotate`]'s figures are the story-level view (numbers that
//! say what they count, for grouping across outlets); this scanner is the
//! exhaustive one. The unit lexicon is hand-written: it is small, and the
//! canonical names must match the benchmark's vocabulary.

use crate::textutil::Doc;
use crate::words::cardinal;
use regex::Regex;
use std::collections::HashSet;
use std::sync::LazyLock;

mod concept;
use concept::*;

/// A number in text, normalised.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    /// Start offset (chars).
    pub start: usize,
    /// End offset (chars, exclusive).
    pub end: usize,
    /// The value (the midpoint of a range).
    pub value: f64,
    /// Both ends of a range ("10,000-12,000", "dozens").
    pub range: Option<(f64, f64)>,
    /// `=` exact, `~` approximate, `>` more than, `<` less than,
    /// `up` / `down` a change by that amount.
    pub change: &'static str,
    /// Canonical unit ("percentage", "dollar", "kilometre", "people"); `-` when none.
    pub unit: String,
    /// Words of what is measured; `-` when unknown.
    pub concept: String,
}

/// Numbers in words: the cardinals (lexicon `en/numbers`), then counts
/// and scales in words ("a dozen", "hundreds", "tens of thousands").
static WORDS: LazyLock<String> = LazyLock::new(|| {
    format!(
        r"{}|a\s+dozen|a\s+(?:hundred|thousand|million|billion)|dozens|hundreds|thousands|tens\s+of\s+thousands|tens\s+of\s+millions|millions|billions",
        crate::words::number_words()
    )
});
const NUMBER: &str = r"\d[\d,]*(?:\.\d+)?|\.\d+";

static QUANTITY: LazyLock<Regex> = LazyLock::new(|| {
    let units = UNITS.iter().map(|(w, _)| *w).collect::<Vec<_>>().join("|");
    let words = &*WORDS;
    Regex::new(&format!(
        r"(?xi)
        (?P<qual>(?-u:\b)(?:about|around|approximately|approx\.|roughly|nearly|almost|some|over|more\s+than|at\s+least|up\s+to|fewer\s+than|less\s+than|as\s+many\s+as|an\s+estimated|estimated|under|below|above|close\s+to|at\s+most|exceeding)\s+|~\s*)?
        (?P<cur>\$US|\$A|US\$|A\$|C\$|HK\s?\$|S\$|NZ\$|R\$|\$|£|€|¥|₹|Rs\.?\s?|RM\s?|USD\s?|EUR\s?|GBP\s?|CHF\s?)?
        (?P<num>{NUMBER}|(?-u:\b)(?:{words})(?-u:\b))
        (?P<scale1>\s*(?:hundred\s+(?:million|billion|thousand)|million|billion|trillion|thousand)(?-u:\b)|(?:m|bn|k|tn)(?-u:\b))?
        (?:\s*(?:-|–|to|and)\s*(?:\$US|US\$|\$|£|€)?(?P<num2>{NUMBER}))?
        (?P<scale>\s*(?:hundred\s+(?:million|billion|thousand)|million|billion|trillion|thousand)(?-u:\b)|(?:m|bn|k|tn)(?-u:\b))?
        (?P<unit>\s*(?:{units})(?-u:\b)|\s*%)?
        "
    ))
    .unwrap()
});

/// Unit spellings (regex) and their canonical names. Longer forms first.
const UNITS: &[(&str, &str)] = &[
    (r"per\s+cent|percent|pc|percentage\s+points?", "percentage"),
    (r"degrees?\s+celsius|°C", "celsius"),
    (r"degrees?\s+fahrenheit|°F", "fahrenheit"),
    (
        r"km/h|kph|kilomet(?:re|er)s?\s+per\s+hour",
        "kilometre per hour",
    ),
    (r"mph|miles?\s+per\s+hour", "mile per hour"),
    (r"kWh|kilowatt[-\s]hours?", "kilowatt hour"),
    (r"kW|kilowatts?", "kilowatt"),
    (r"MW|megawatts?", "megawatt"),
    (r"GW|gigawatts?", "gigawatt"),
    (r"GB|gigabytes?", "gigabyte"),
    (r"TB|terabytes?", "terabyte"),
    (r"MB|megabytes?", "megabyte"),
    (r"GHz", "gigahertz"),
    (r"MHz", "megahertz"),
    (r"Hz|hertz", "hertz"),
    (r"W|watts?", "watt"),
    (r"nm|nanomet(?:re|er)s?", "nanometre"),
    (r"mg|milligrams?", "milligram"),
    (r"ml|millilit(?:re|er)s?", "millilitre"),
    (r"m2|m²|sq\.?\s?m|square\s+met(?:re|er)s?", "square metre"),
    (r"hp|horsepower|bhp", "horsepower"),
    (r"rpm", "revolutions per minute"),
    (r"pound-feet|lb-ft", "pound-foot"),
    (r"km|kilomet(?:re|er)s?", "kilometre"),
    (r"cm|centimet(?:re|er)s?", "centimetre"),
    (r"mm|millimet(?:re|er)s?", "millimetre"),
    (r"met(?:re|er)s?", "metre"),
    (r"miles?", "mile"),
    (r"yards?", "yard"),
    (r"feet|foot|ft", "foot"),
    (r"inch(?:es)?", "inch"),
    (r"kg|kilograms?|kilos?", "kilogram"),
    (r"grams?|g", "gram"),
    (r"lbs?|pounds?", "pound-mass"),
    (r"tonnes?", "tonne"),
    (r"tons?", "ton"),
    (r"acres?", "acre"),
    (r"hectares?", "hectare"),
    (r"litres?|liters?", "litre"),
    (r"gallons?", "gallon"),
    (r"barrels?", "barrel"),
    (r"seconds?|secs?", "second"),
    (r"minutes?|mins?", "minute"),
    (r"hours?|hrs?", "hour"),
    (r"days?", "day"),
    (r"weeks?", "week"),
    (r"months?", "month"),
    (r"years?[-\s]olds?", "year of age"),
    (r"years?", "year"),
    (r"euros?", "euro"),
    (r"dollars?", "dollar"),
    (r"yen", "japanese yen"),
    (r"points?", "point"),
];

static UNIT_RES: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
    UNITS
        .iter()
        .map(|(w, n)| (Regex::new(&format!(r"(?i)^(?:{w})$")).unwrap(), *n))
        .collect()
});

fn canonical_unit(raw: &str) -> Option<&'static str> {
    let raw = raw.trim();
    if raw == "%" {
        return Some("percentage");
    }
    UNIT_RES
        .iter()
        .find(|(re, _)| re.is_match(raw))
        .map(|(_, n)| *n)
}

fn word_number(w: &str) -> Option<(f64, Option<(f64, f64)>)> {
    let w = w
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let range = |a: f64, b: f64| Some(((a + b) / 2.0, Some((a, b))));
    match w.as_str() {
        "a dozen" => return Some((12.0, None)),
        "a hundred" => return Some((100.0, None)),
        "a thousand" => return Some((1e3, None)),
        "a million" => return Some((1e6, None)),
        "a billion" => return Some((1e9, None)),
        "dozens" => return range(12.0, 120.0),
        "hundreds" => return range(100.0, 1000.0),
        "thousands" => return range(1e3, 1e4),
        "tens of thousands" => return range(1e4, 1e5),
        "millions" => return range(1e6, 1e7),
        "tens of millions" => return range(1e7, 1e8),
        "billions" => return range(1e9, 1e10),
        _ => {}
    }
    cardinal(&w).map(|n| (n, None))
}

/// The multiplier of a scale word ("million", "bn", "k"); 1 for anything else.
pub(crate) fn scale_factor(word: &str) -> f64 {
    let word = word.trim().to_lowercase();
    if let Some(rest) = word.strip_prefix("hundred") {
        return 100.0 * scale_factor(rest); // "4 hundred million"
    }
    match word.as_str() {
        "thousand" | "k" => 1e3,
        "million" | "m" => 1e6,
        "billion" | "bn" => 1e9,
        "trillion" | "tn" => 1e12,
        _ => 1.0,
    }
}

/// Whether the token after a number makes it a clock time ("5 a.m.", "10 GMT").
pub(crate) fn time_of_day_follows(rest: &str) -> bool {
    let next = rest.split_whitespace().next().unwrap_or("").to_lowercase();
    ["a.m", "p.m", "am", "pm", "gmt", "utc", "o'clock", "o’clock"]
        .contains(&next.trim_end_matches([',', ';', '.']))
}

const STOP: &[&str] = &[
    "of", "the", "a", "an", "and", "or", "in", "on", "at", "to", "from", "by", "with", "for",
    "per", "was", "were", "is", "are", "that", "which", "who", "than", "as", "its", "their",
];

/// How a qualifier word bounds the number after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Qualifier {
    /// "about", "around", "an estimated": on either side.
    About,
    /// "nearly", "almost": just under.
    Nearly,
    /// "over", "more than", "at least": a lower bound.
    AtLeast,
    /// "up to", "fewer than", "as many as": an upper bound.
    AtMost,
}

/// The kind of a qualifier as written ("More  than" is "more than");
/// `None` for anything else (the "~" sign, say). One list for the story
/// figures ([`crate::figures`]) and the quantity scanner.
pub(crate) fn qualifier(q: &str) -> Option<Qualifier> {
    let q = q
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    Some(match q.as_str() {
        "about" | "around" | "approximately" | "approx." | "roughly" | "some" | "an estimated"
        | "estimated" | "close to" => Qualifier::About,
        "nearly" | "almost" => Qualifier::Nearly,
        "over" | "more than" | "at least" | "above" | "exceeding" => Qualifier::AtLeast,
        "up to" | "fewer than" | "less than" | "under" | "below" | "at most" | "as many as" => {
            Qualifier::AtMost
        }
        _ => return None,
    })
}

/// The quantities of `text`.
pub fn quantities(text: &str) -> Vec<Quantity> {
    let doc = Doc::new(text);
    let dates = crate::dates::scan(&doc, None);
    let mut out: Vec<(Quantity, usize, usize)> = Vec::new();
    for c in QUANTITY.captures_iter(text) {
        let m = c.get(0).unwrap();
        if skipped(text, &c, &dates) {
            continue;
        }
        let Some((value, range)) = value_of(text, &c) else {
            continue;
        };
        // The noun phrase after the number: a counted noun is its own unit.
        let words = noun_words(&text[m.end()..]);
        let concept = concept_of(text, m.start(), m.end()).unwrap_or_else(|| {
            if words.is_empty() {
                "-".to_string()
            } else {
                words.join(" ")
            }
        });
        let unit = currency(&c)
            .or_else(|| c.name("unit").and_then(|u| canonical_unit(u.as_str())))
            .map(str::to_string)
            .or_else(|| noun_unit(&words));
        let span_end = m.end() - (m.as_str().len() - m.as_str().trim_end().len());
        let q = Quantity {
            start: doc.ch(m.start()),
            end: doc.ch(span_end),
            value,
            range,
            change: change_of(&text[..m.start()], &c),
            unit: unit.unwrap_or_else(|| "-".into()),
            concept,
        };
        out.push((q, m.start(), span_end));
    }
    // A fraction in words wins over the numbers inside it ("two-thirds",
    // "one out of three").
    let fracs = fractions(text, &doc);
    out.retain(|(_, s, e)| !fracs.iter().any(|(_, fs, fe)| s < fe && fs < e));
    out.extend(fracs);
    out.sort_by_key(|q| q.1);
    join_ranges(text, out)
        .into_iter()
        .filter(|q| !is_score_or_years(q))
        .collect()
}

/// A number match that is no quantity: inside a date or a time expression
/// ("$2000" is money, not the year 2000), glued to letters (iPhone12,
/// 95th), a time of day, or a bare number that names something.
fn skipped(text: &str, c: &regex::Captures<'_>, dates: &[crate::dates::FoundDate]) -> bool {
    let m = c.get(0).unwrap();
    let num = c.name("num").unwrap();
    let has = |name: &str| c.name(name).is_some();
    let before = text[..num.start()].chars().next_back();
    let after = text[num.end()..].chars().next();
    let in_date = dates
        .iter()
        .any(|d| num.start() < d.end && d.start < num.end() && d.kind != "DURATION");
    let scaled = has("unit") || has("scale") || has("scale1");
    !has("cur") && in_date
        || before.is_some_and(char::is_alphabetic) && !has("cur")
        || after.is_some_and(char::is_alphabetic) && !scaled
        || time_of_day_follows(&text[m.end()..])
        || !has("cur") && !scaled && not_a_quantity(text, num.start(), num.end())
}

/// The value of a number match and its range, scaled ("1 to 1.5 million")
/// and signed ("minus 5", "minus-1.4 degrees", "negative 3%"); `None` for
/// a number word that is none.
fn value_of(text: &str, c: &regex::Captures<'_>) -> Option<(f64, Option<(f64, f64)>)> {
    let num = c.name("num").unwrap();
    let numeric = num
        .as_str()
        .starts_with(|c: char| c.is_ascii_digit() || c == '.');
    let (mut value, mut range) = if numeric {
        let v = num.as_str().replace(',', "");
        (v.trim_end_matches('.').parse().unwrap_or(0.0), None)
    } else {
        word_number(num.as_str())?
    };
    let scale_of = |name: &str| c.name(name).map(|s| scale_factor(s.as_str()));
    let (scale1, scale) = (scale_of("scale1"), scale_of("scale"));
    let n2 = c
        .name("num2")
        .and_then(|n| n.as_str().replace(',', "").parse::<f64>().ok());
    if let Some(n2) = n2 {
        // "1 to 1.5 million": the scale is shared; "$200 to $4 million"
        // and "$750,000 to $1 million": each end has its own.
        let high_scale = scale.unwrap_or(1.0);
        let low_scale = scale1.unwrap_or(if value < n2 { high_scale } else { 1.0 });
        let (lo, hi) = (value * low_scale, n2 * high_scale);
        range = Some((lo, hi));
        value = (lo + hi) / 2.0;
    } else {
        let k = scale.or(scale1).unwrap_or(1.0);
        range = range.map(|(a, b)| (a * k, b * k));
        value *= k;
    }
    let start = c.get(0).unwrap().start();
    let before_num = text[..start]
        .trim_end()
        .trim_end_matches('-')
        .to_lowercase();
    if before_num.ends_with("minus") || before_num.ends_with("negative") {
        value = -value;
        range = range.map(|(a, b)| (-b, -a));
    }
    Some((value, range))
}

/// How a quantity is stated: at least (">"), at most ("<"), about ("~"),
/// a rise ("up", from a verb in the two words before it), a fall
/// ("down"), or exactly ("=").
fn change_of(before: &str, c: &regex::Captures<'_>) -> &'static str {
    const UP: [&str; 6] = ["up", "rose", "gained", "increased", "climbed", "jumped"];
    const DOWN: [&str; 7] = [
        "down",
        "fell",
        "dropped",
        "lost",
        "decreased",
        "declined",
        "slid",
    ];
    let lead: String = before
        .split_whitespace()
        .rev()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    let near = |words: &[&str]| {
        words
            .iter()
            .any(|w| lead.split(' ').take(2).any(|x| x == *w))
    };
    let qual = c.name("qual").map(|q| q.as_str().trim().to_lowercase());
    match qual.as_deref().map(qualifier) {
        Some(Some(Qualifier::AtLeast)) => ">",
        Some(Some(Qualifier::AtMost)) => "<",
        Some(_) => "~",
        None if near(&UP) => "up",
        None if near(&DOWN) => "down",
        None => "=",
    }
}

/// The currency a symbol or code names.
fn currency(c: &regex::Captures<'_>) -> Option<&'static str> {
    let cur = c.name("cur")?;
    Some(match cur.as_str().trim().trim_end_matches('.') {
        "£" | "GBP" => "pound sterling",
        "€" | "EUR" => "euro",
        "¥" => "japanese yen",
        "₹" | "Rs" => "indian rupee",
        "$A" | "A$" => "australian dollar",
        "C$" => "canadian dollar",
        "S$" => "singapore dollar",
        "NZ$" => "new zealand dollar",
        "R$" => "brazilian real",
        "RM" => "malaysian ringgit",
        "CHF" => "swiss franc",
        hk if hk.starts_with("HK") => "hong kong dollar",
        _ => "dollar",
    })
}

/// Up to four words of the noun phrase after a number ("dozens of people":
/// after "of"), stopping at a stop word or a number.
fn noun_words(rest: &str) -> Vec<&str> {
    let tail = rest.trim_start();
    let tail = tail.strip_prefix("of ").unwrap_or(tail);
    tail.split_whitespace()
        .map(|w| w.trim_matches(|ch: char| !ch.is_alphanumeric() && ch != '-'))
        .take_while(|w| {
            !w.is_empty()
                && !STOP.contains(&w.to_lowercase().as_str())
                && !w.chars().next().is_some_and(|ch| ch.is_ascii_digit())
        })
        .take(4)
        .collect()
}

/// The unit a counted noun gives: its first plural word (or first word),
/// singular ("people" stays "people").
fn noun_unit(words: &[&str]) -> Option<String> {
    let last = words
        .iter()
        .find(|w| w.to_lowercase().ends_with('s') && w.len() > 3)
        .or(words.first())?;
    let l = last.to_lowercase();
    if l == "people" || l == "persons" {
        return Some("people".into());
    }
    let singular = l.strip_suffix("ies").map(|s| format!("{s}y")).or_else(|| {
        l.strip_suffix('s')
            .filter(|_| !l.ends_with("ss"))
            .map(str::to_string)
    });
    Some(singular.unwrap_or(l))
}

/// Words after which a number is a label ("category 4", "page 12").
const LABELS: &[&str] = &[
    "category",
    "level",
    "phase",
    "stage",
    "grade",
    "tier",
    "number",
    "no",
    "page",
    "chapter",
    "article",
    "section",
    "round",
    "season",
    "episode",
    "route",
    "platform",
    "gate",
    "terminal",
    "row",
    "seat",
    "flight",
    "room",
    "unit",
    "apartment",
    "suite",
    "district",
    "ward",
    "zone",
    "class",
    "version",
    "model",
    "channel",
    "highway",
    "interstate",
];

/// A bare number (no currency, unit or scale) that names or labels rather
/// than counts:
/// - part of a name: after a capitalised word mid-sentence ("iPhone 11",
///   "Big 12", "S&P 500", "Game 7", "BBC One") or before two capitalised
///   words ("49 Zorro Ranch Road");
/// - a code glued by a dash to letters ("COVID-19", "TA-125");
/// - a clock time ("4:39", "10:27 PM");
/// - a day after its month ("March 7", "December 2");
/// - an age in apposition ("Jamie Armstrong, 25, said");
/// - "one" as a pronoun ("each one", "the same one").
fn not_a_quantity(text: &str, start: usize, end: usize) -> bool {
    // The scanner's number may keep a trailing comma ("25,").
    let end = start + text[start..end].trim_end_matches(',').len();
    let before = &text[..start];
    let after = &text[end..];
    let prev_char = before.chars().next_back();
    // Clock times: digits on either side of a colon.
    if after.starts_with(':') && after[1..].starts_with(|c: char| c.is_ascii_digit())
        || prev_char == Some(':')
            && before[..before.len() - 1].ends_with(|c: char| c.is_ascii_digit())
    {
        return true;
    }
    // Codes: "COVID-19", "TA-35", "F-16" (but "minus-5" is a number).
    if prev_char == Some('-') {
        let word: String = before[..before.len() - 1]
            .chars()
            .rev()
            .take_while(|c| c.is_alphabetic())
            .collect();
        if word.chars().any(char::is_uppercase) {
            return true;
        }
    }
    let mut prev_words = before.split_whitespace().rev();
    let prev = prev_words.next().unwrap_or("");
    let prev2 = prev_words.next().unwrap_or("");
    let clean = |w: &str| {
        w.trim_matches(|c: char| !c.is_alphanumeric() && c != '&')
            .to_string()
    };
    let p = clean(prev);
    // A day after its month.
    static MONTHS: LazyLock<HashSet<&str>> =
        LazyLock::new(|| corroborate_lexicon::months("en").map(|(n, _)| n).collect());
    if MONTHS.contains(p.to_lowercase().as_str()) && !prev.ends_with([',', '.', ';']) {
        return true;
    }
    // An age in apposition: "Name, 25, ...".
    if prev.ends_with(',') && after.starts_with(',') && p.starts_with(|c: char| c.is_uppercase()) {
        return true;
    }
    // Part of a name: a capitalised (or camel-case) word just before, not
    // at the start of a sentence, not glued by punctuation.
    let sentence_start = prev2.is_empty() || prev2.ends_with(['.', '!', '?', ':']);
    let word_like = prev
        .trim_end_matches(['’', '\''])
        .chars()
        .all(|c| c.is_alphanumeric() || c == '&' || c == '-');
    let capitalised = word_like
        && (p.chars().next().is_some_and(char::is_uppercase)
            || p.chars().skip(1).any(char::is_uppercase));
    if capitalised && !sentence_start && !prev.ends_with([',', ';', ':', ')']) {
        return true;
    }
    // A label, not a count: "category 4 hurricane", "phase 2", "page 12".
    if LABELS.contains(&p.to_lowercase().as_str()) {
        return true;
    }
    let mut next_words = after.split_whitespace();
    let caps = |w: Option<&str>, last: bool| {
        w.is_some_and(|w| {
            w.starts_with(|c: char| c.is_uppercase())
                && (last || !w.ends_with([',', '.', ';', ':']))
        })
    };
    let digits = text[start..end].starts_with(|c: char| c.is_ascii_digit());
    if digits
        && after.starts_with(' ')
        && caps(next_words.next(), false)
        && caps(next_words.next(), true)
    {
        return true;
    }
    let word = &text[start..end];
    // "one" as a pronoun.
    if word.eq_ignore_ascii_case("one") {
        let lead = before.trim_end().to_lowercase();
        if [
            "each", "every", "any", "no", "same", "this", "that", "which", "the",
        ]
        .iter()
        .any(|w| lead.ends_with(&format!(" {w}")) || lead == *w)
        {
            return true;
        }
    }
    false
}

/// "252 miles to 287 miles", "from 208 pounds to 193", "between 5% and 6%":
/// two quantities of one unit joined by "to", a dash, or "and" after
/// "between", are one range. (Ranges without a unit in the middle, "10 to
/// 12 years", are read whole by the scanner.)
fn join_ranges(text: &str, qs: Vec<(Quantity, usize, usize)>) -> Vec<Quantity> {
    let mut out: Vec<(Quantity, usize, usize)> = Vec::with_capacity(qs.len());
    for (q, start, end) in qs {
        if let Some((prev, pstart, pend)) = out.last_mut() {
            let gap = text.get(*pend..start).unwrap_or("").trim();
            let lead = text[..*pstart].trim_end().to_lowercase();
            let joins = matches!(gap, "to" | "-" | "–")
                || gap == "and" && lead.ends_with("between")
                // "three or four years": the unit is named once, at the end.
                || gap == "or" && prev.unit == "-";
            let same_unit = q.unit == prev.unit || q.unit == "-" || prev.unit == "-";
            if joins && same_unit && prev.range.is_none() && q.range.is_none() && *pend <= start {
                prev.range = Some((prev.value, q.value));
                prev.value = (prev.value + q.value) / 2.0;
                prev.end = q.end;
                if prev.unit == "-" {
                    prev.unit = q.unit.clone();
                }
                *pend = end;
                continue;
            }
        }
        out.push((q, start, end));
    }
    out.into_iter().map(|(q, _, _)| q).collect()
}

static FRACTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?-u:\b)(?:(?P<third>(?:one|a)[-\s]third)|(?P<thirds>two[-\s]thirds)|(?P<quarter>(?:one|a)[-\s]quarter)\s+of|(?P<quarters>three[-\s]quarters)|(?P<half>half)\s+of|(?:almost|nearly|about|around|roughly)\s+(?P<half2>half)|one\s+(?:in|out\s+of)\s+(?P<n>\d+|two|three|four|five|six|seven|eight|nine|ten)|(?P<num>\d+)\s*[/⁄]\s*(?P<den>\d+)\s+of)(?-u:\b)",
    )
    .unwrap()
});

/// "89-89" and "2-0" (scores), "between 1600 and 1900" (years): ranges
/// whose ends are equal, or whole years, with no unit.
fn is_score_or_years(q: &Quantity) -> bool {
    let Some((lo, hi)) = q.range else {
        return false;
    };
    let year = |v: f64| v.fract() == 0.0 && (1000.0..=2100.0).contains(&v);
    // A counted noun ("1600 and 1900 world temperatures") is no unit here.
    let measured = UNITS.iter().any(|(_, name)| *name == q.unit)
        || [
            "dollar",
            "euro",
            "pound sterling",
            "japanese yen",
            "indian rupee",
        ]
        .contains(&q.unit.as_str())
        || q.unit.ends_with("dollar");
    !measured && (lo == hi || year(lo) && year(hi))
}

/// Fractions in words ("two-thirds", "a third of", "almost half", "one in
/// five") as ratios, with no unit.
fn fractions(text: &str, doc: &Doc) -> Vec<(Quantity, usize, usize)> {
    FRACTION
        .captures_iter(text)
        .filter_map(|c| {
            let m = c.get(0)?;
            if text[m.end()..].starts_with('-') {
                return None; // "a third-party evaluation"
            }
            let value = if c.name("third").is_some() {
                1.0 / 3.0
            } else if c.name("thirds").is_some() {
                2.0 / 3.0
            } else if c.name("quarter").is_some() {
                0.25
            } else if c.name("quarters").is_some() {
                0.75
            } else if c.name("half").is_some() || c.name("half2").is_some() {
                0.5
            } else if let (Some(a), Some(b)) = (c.name("num"), c.name("den")) {
                // "1/16 of a pint"
                let (a, b) = (
                    a.as_str().parse::<f64>().ok()?,
                    b.as_str().parse::<f64>().ok()?,
                );
                if b == 0.0 {
                    return None;
                }
                a / b
            } else {
                let n = c.name("n")?.as_str();
                let n = n
                    .parse::<f64>()
                    .ok()
                    .or_else(|| word_number(n).map(|v| v.0))?;
                1.0 / n
            };
            let lead = text[..m.start()].trim_end().to_lowercase();
            let change = if ["almost", "nearly", "about", "around", "roughly"]
                .iter()
                .any(|w| m.as_str().to_lowercase().starts_with(w) || lead.ends_with(w))
            {
                "~"
            } else {
                "="
            };
            Some((
                Quantity {
                    start: doc.ch(m.start()),
                    end: doc.ch(m.end()),
                    value,
                    range: None,
                    change,
                    unit: "-".into(),
                    concept: concept_of(text, m.start(), m.end()).unwrap_or_else(|| "-".into()),
                },
                m.start(),
                m.end(),
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests;
