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
use regex::Regex;
use std::sync::LazyLock;

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

const WORDS: &str = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[-\s](?:one|two|three|four|five|six|seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|a\s+dozen|dozens|hundreds|thousands|tens\s+of\s+thousands|tens\s+of\s+millions|millions|billions";
const NUMBER: &str = r"\d[\d,]*(?:\.\d+)?|\.\d+";

static QUANTITY: LazyLock<Regex> = LazyLock::new(|| {
    let units = UNITS.iter().map(|(w, _)| *w).collect::<Vec<_>>().join("|");
    Regex::new(&format!(
        r"(?xi)
        (?P<qual>(?-u:\b)(?:about|around|approximately|approx\.|roughly|nearly|almost|some|over|more\s+than|at\s+least|up\s+to|fewer\s+than|less\s+than|as\s+many\s+as|an\s+estimated|estimated|under|below|above|close\s+to|at\s+most|exceeding)\s+|~\s*)?
        (?P<cur>\$US|\$A|US\$|A\$|C\$|\$|£|€|¥|₹|Rs\.?\s?|USD\s?|EUR\s?|GBP\s?)?
        (?P<num>{NUMBER}|(?-u:\b)(?:{WORDS})(?-u:\b))
        (?P<scale1>\s*(?:million|billion|trillion|thousand)(?-u:\b)|(?:m|bn|k|tn)(?-u:\b))?
        (?:\s*(?:-|–|to|and)\s*(?:\$US|US\$|\$|£|€)?(?P<num2>{NUMBER}))?
        (?P<scale>\s*(?:million|billion|trillion|thousand)(?-u:\b)|(?:m|bn|k|tn)(?-u:\b))?
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

/// A cardinal written in words, up to ninety-nine ("twenty-five" → 25).
pub(crate) fn cardinal(w: &str) -> Option<f64> {
    const UNITS: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 8] = [
        "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    let mut total = 0.0;
    for p in w.to_lowercase().split(['-', ' ']).filter(|p| !p.is_empty()) {
        if let Some(i) = UNITS.iter().position(|u| *u == p) {
            total += i as f64;
        } else if let Some(i) = TENS.iter().position(|u| *u == p) {
            total += (i as f64 + 2.0) * 10.0;
        } else {
            return None;
        }
    }
    Some(total)
}

/// The multiplier of a scale word ("million", "bn", "k"); 1 for anything else.
pub(crate) fn scale_factor(word: &str) -> f64 {
    match word.trim().to_lowercase().as_str() {
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

/// Words that end a clause's subject: auxiliaries and the verbs news uses
/// with figures.
const VERBS: &[&str] = &[
    "is",
    "was",
    "were",
    "are",
    "be",
    "been",
    "has",
    "have",
    "had",
    "will",
    "would",
    "could",
    "can",
    "may",
    "might",
    "should",
    "must",
    "did",
    "does",
    "do",
    "said",
    "says",
    "rose",
    "fell",
    "grew",
    "dropped",
    "jumped",
    "gained",
    "lost",
    "climbed",
    "slipped",
    "reported",
    "posted",
    "raised",
    "cut",
    "scored",
    "generates",
    "generated",
    "made",
    "makes",
    "gave",
    "gives",
    "got",
    "gets",
    "took",
    "takes",
    "put",
    "puts",
    "sold",
    "bought",
    "paid",
    "spent",
    "won",
    "saw",
    "needs",
    "needed",
    "plans",
    "planned",
    "expects",
    "expected",
    "estimated",
    "estimates",
    "added",
    "adds",
    "drops",
    "rises",
    "falls",
    "costs",
    "cost",
    "owns",
    "employs",
    "killed",
    "injured",
    "hit",
    "reached",
    "reaches",
    "topped",
    "tops",
    "totalled",
    "totaled",
    "stood",
    "stands",
    "remains",
    "remained",
    "increased",
    "decreased",
    "boost",
    "boosts",
    "offers",
    "offered",
];

/// What a quantity measures: the noun phrase of "of" after it ("60 per
/// cent of its revenue" → "revenue"), else the subject of its clause ("The
/// September crude contract was up 19 cents" → "September crude contract"),
/// its content words up to the first verb. `None` when neither is found.
///
/// Hand-written rather than parsed: a dependency parser is not available
/// offline in Rust, and in news copy the measured thing is nearly always one
/// of these two.
fn concept_of(text: &str, start: usize, end: usize) -> Option<String> {
    let content = |w: &&str| {
        let l = w.to_lowercase();
        !l.is_empty()
            && !STOP.contains(&l.as_str())
            && !matches!(
                l.as_str(),
                "his"
                    | "her"
                    | "our"
                    | "my"
                    | "your"
                    | "this"
                    | "these"
                    | "those"
                    | "it"
                    | "they"
                    | "he"
                    | "she"
                    | "we"
                    | "i"
                    | "you"
                    | "there"
                    | "also"
                    | "just"
                    | "only"
                    | "still"
                    | "even"
                    | "now"
                    | "then"
                    | "all"
                    | "many"
                    | "most"
                    | "some"
                    | "if"
                    | "up"
                    | "down"
                    | "about"
                    | "around"
                    | "nearly"
                    | "almost"
                    | "more"
                    | "less"
            )
            && !w.chars().next().is_some_and(|c| c.is_ascii_digit())
    };
    let clean = |w: &str| {
        w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-' && c != '&')
            .to_string()
    };
    let tail = text[end..].trim_start();
    if let Some(rest) = tail.strip_prefix("of ") {
        // The noun phrase: past its determiner ("its", "the"), up to the
        // next function word, verb or punctuation.
        let mut words: Vec<String> = Vec::new();
        for raw in rest.split_whitespace().take(6) {
            let w = clean(raw);
            if content(&w.as_str()) && !VERBS.contains(&w.to_lowercase().as_str()) {
                words.push(w);
            } else if !words.is_empty() {
                break;
            }
            if raw.ends_with([',', '.', ';', ':']) {
                break;
            }
        }
        words.truncate(3);
        if !words.is_empty() {
            return Some(words.join(" "));
        }
    }
    // The clause before the quantity.
    let before = &text[..start];
    let clause_start = [
        ". ", "! ", "? ", "\n", "; ", " - ", " – ", ", which ", ", who ", " when ", " while ",
    ]
    .iter()
    .filter_map(|sep| before.rfind(sep).map(|i| i + sep.len()))
    .max()
    .unwrap_or(0);
    // Its subject: the words before the first verb; with no subject (a
    // pronoun, "It will boost the driving range by 35 miles"), the object
    // between the last verb and the quantity.
    let verb = |w: &str| {
        let l = w.to_lowercase();
        VERBS.contains(&l.as_str())
            || (l.len() > 4 && l.ends_with("ed") && w.starts_with(char::is_lowercase))
    };
    let clause: Vec<String> = before[clause_start..]
        .split_whitespace()
        .map(clean)
        .collect();
    let first_verb = clause.iter().position(|w| verb(w)).unwrap_or(clause.len());
    let subject: Vec<&str> = clause[..first_verb]
        .iter()
        .map(String::as_str)
        .filter(content)
        .take(6)
        .collect();
    if !subject.is_empty() {
        return Some(subject.join(" "));
    }
    // After a modal ("will also extend"), the main verb is the next word
    // that is not an adverb.
    let mut last_verb = clause.iter().rposition(|w| verb(w)).map_or(0, |i| i + 1);
    if last_verb > 0
        && matches!(
            clause[last_verb - 1].to_lowercase().as_str(),
            "will" | "would" | "could" | "can" | "may" | "might" | "should" | "must" | "to"
        )
    {
        while clause.get(last_verb).is_some_and(|w| {
            w.ends_with("ly") || matches!(w.as_str(), "also" | "not" | "still" | "just")
        }) {
            last_verb += 1;
        }
        last_verb = (last_verb + 1).min(clause.len());
    }
    let object: Vec<&str> = clause[last_verb..]
        .iter()
        .map(String::as_str)
        .filter(content)
        .take(4)
        .collect();
    (!object.is_empty()).then(|| object.join(" "))
}

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
    let mut out = Vec::new();
    for c in QUANTITY.captures_iter(text) {
        let m = c.get(0).unwrap();
        let num = c.name("num").unwrap();
        let before = text[..num.start()].chars().next_back();
        let after = text[num.end()..].chars().next();
        // Inside a date or a time expression, or glued to letters (iPhone12, 95th).
        if dates
            .iter()
            .any(|d| num.start() < d.end && d.start < num.end() && d.kind != "DURATION")
            || before.is_some_and(char::is_alphabetic) && c.name("cur").is_none()
            || after.is_some_and(char::is_alphabetic)
                && c.name("unit").is_none()
                && c.name("scale").is_none()
                && c.name("scale1").is_none()
        {
            continue;
        }
        if time_of_day_follows(&text[m.end()..]) {
            continue;
        }
        let numeric = num
            .as_str()
            .starts_with(|c: char| c.is_ascii_digit() || c == '.');
        let (mut value, mut range) = if numeric {
            (
                num.as_str()
                    .replace(',', "")
                    .trim_end_matches('.')
                    .parse()
                    .unwrap_or(0.0),
                None,
            )
        } else {
            match word_number(num.as_str()) {
                Some(v) => v,
                None => continue,
            }
        };
        let scale_of = |name: &str| c.name(name).map(|s| scale_factor(s.as_str()));
        let (scale1, scale) = (scale_of("scale1"), scale_of("scale"));
        if let Some(n2) = c
            .name("num2")
            .and_then(|n| n.as_str().replace(',', "").parse::<f64>().ok())
        {
            // "1 to 1.5 million": the scale is shared; "$200 to $4 million"
            // and "$750,000 to $1 million": each end has its own.
            let high_scale = scale.unwrap_or(1.0);
            let low_scale = scale1.unwrap_or(if value < n2 { high_scale } else { 1.0 });
            let (lo, hi) = (value * low_scale, n2 * high_scale);
            range = Some((lo, hi));
            value = (lo + hi) / 2.0;
        } else {
            let k = scale.or(scale1).unwrap_or(1.0);
            if let Some((a, b)) = range {
                range = Some((a * k, b * k));
            }
            value *= k;
        }
        let qual = c.name("qual").map(|q| q.as_str().trim().to_lowercase());
        let lead: String = text[..m.start()]
            .split_whitespace()
            .rev()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        let change = match qual.as_deref().map(qualifier) {
            Some(Some(Qualifier::AtLeast)) => ">",
            Some(Some(Qualifier::AtMost)) => "<",
            Some(_) => "~",
            None if ["up", "rose", "gained", "increased", "climbed", "jumped"]
                .iter()
                .any(|w| lead.split(' ').take(2).any(|x| x == *w)) =>
            {
                "up"
            }
            None if [
                "down",
                "fell",
                "dropped",
                "lost",
                "decreased",
                "declined",
                "slid",
            ]
            .iter()
            .any(|w| lead.split(' ').take(2).any(|x| x == *w)) =>
            {
                "down"
            }
            None => "=",
        };
        let mut unit = c
            .name("cur")
            .map(|cur| match cur.as_str().trim().trim_end_matches('.') {
                "£" | "GBP" => "pound sterling",
                "€" | "EUR" => "euro",
                "¥" => "japanese yen",
                "₹" | "Rs" => "indian rupee",
                "$A" | "A$" => "australian dollar",
                "C$" => "canadian dollar",
                _ => "dollar",
            })
            .or_else(|| c.name("unit").and_then(|u| canonical_unit(u.as_str())))
            .map(str::to_string);
        // The noun phrase after the number: a counted noun is its own unit.
        let tail = text[m.end()..].trim_start();
        let tail = tail.strip_prefix("of ").unwrap_or(tail); // "dozens of people"
        let words: Vec<&str> = tail
            .split_whitespace()
            .map(|w| w.trim_matches(|ch: char| !ch.is_alphanumeric() && ch != '-'))
            .take_while(|w| {
                !w.is_empty()
                    && !STOP.contains(&w.to_lowercase().as_str())
                    && !w.chars().next().is_some_and(|ch| ch.is_ascii_digit())
            })
            .take(4)
            .collect();
        let concept = concept_of(text, m.start(), m.end()).unwrap_or_else(|| {
            if words.is_empty() {
                "-".to_string()
            } else {
                words.join(" ")
            }
        });
        if unit.is_none() {
            if let Some(last) = words
                .iter()
                .find(|w| w.to_lowercase().ends_with('s') && w.len() > 3)
                .or(words.first())
            {
                let l = last.to_lowercase();
                let singular = l
                    .strip_suffix("ies")
                    .map(|s| format!("{s}y"))
                    .or_else(|| {
                        l.strip_suffix('s')
                            .filter(|_| !l.ends_with("ss"))
                            .map(str::to_string)
                    })
                    .unwrap_or(l.clone());
                unit = Some(if l == "people" || l == "persons" {
                    "people".into()
                } else {
                    singular
                });
            }
        }
        let span_end = m.end() - (m.as_str().len() - m.as_str().trim_end().len());
        out.push(Quantity {
            start: doc.ch(m.start()),
            end: doc.ch(span_end),
            value,
            range,
            change,
            unit: unit.unwrap_or_else(|| "-".into()),
            concept,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concept_is_the_of_phrase_the_subject_or_the_object() {
        let concept = |t: &str| {
            quantities(t)
                .into_iter()
                .map(|q| q.concept)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            concept("The harbour fuel contract was up 19 cents on Monday."),
            ["harbour fuel contract"]
        );
        assert_eq!(
            concept("The ferry line earns more than 60 per cent of its revenue in summer."),
            ["revenue"]
        );
        assert_eq!(
            concept("It will also extend the ferry range by about 35 miles."),
            ["ferry range"]
        );
    }

    #[test]
    fn values_units_ranges_and_qualifiers() {
        let q = quantities("Prices rose about 19 per cent to US $58.24 per barrel; 50mph winds, 1 to 1.5 degrees Celsius, dozens of people and more than 3,000 homes on 16 December 2024.");
        type Row<'a> = (f64, Option<(f64, f64)>, &'a str, &'a str);
        let got: Vec<Row<'_>> = q
            .iter()
            .map(|q| (q.value, q.range, q.change, q.unit.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (19.0, None, "~", "percentage"),
                (58.24, None, "=", "dollar"),
                (50.0, None, "=", "mile per hour"),
                (1.25, Some((1.0, 1.5)), "=", "celsius"),
                (66.0, Some((12.0, 120.0)), "=", "people"),
                (3000.0, None, ">", "home"),
            ],
            "{q:#?}"
        );
    }
}
