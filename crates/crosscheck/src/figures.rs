//! Figures: numbers with qualifiers (kept as bounds), ranges, scale words,
//! units, what they count and who they are attributed to.

use crate::dates::FoundDate;
use crate::textutil::Doc;
use corroborate_model::{Figure, Statement};
use regex::Regex;
use std::sync::LazyLock;

static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?xi)
        (?P<qual>(?-u:\b)(?:about|around|approximately|approx\.|roughly|nearly|almost|some|over|more\s+than|at\s+least|up\s+to|fewer\s+than|less\s+than|as\s+many\s+as|an\s+estimated|estimated|under|below|above|close\s+to)\s+)?
        (?P<num>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|dozens|hundreds|thousands|tens\s+of\s+thousands|a\s+dozen|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundred)
        (?:\s*(?:-|–|—|to)\s*(?P<num2>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?))?
        (?P<scale>\s+(?:million|billion|thousand|trillion)|\s?(?:m|bn)(?-u:\b))?
        (?P<unit>\s*(?:%|percent(?-u:\b)|per\s+cent(?-u:\b)|miles?(?-u:\b)|km(?-u:\b)|kilomet(?:re|er)s?(?-u:\b)|met(?:re|er)s?(?-u:\b)|tons?(?-u:\b)|tonnes?(?-u:\b)|kg(?-u:\b)|hectares?(?-u:\b)))?
        ",
    )
    .unwrap()
});

const STOP: &[&str] = &[
    "were", "was", "had", "have", "has", "are", "is", "in", "on", "at", "to", "from", "by", "with",
    "and", "that", "who", "which", "per", "for", "as", "since", "after", "during", "across",
    "near", "into", "would", "will", "could", "been", "being", "than", "a", "an", "the", "its",
    "their", "his", "her", "this", "these", "those", "or", "but", "while", "when", "where", "be",
    "may", "might", "can", "of", "had", "said", "say", "says", "took", "lost", "it", "they", "he",
    "she", "we", "you", "i", "them", "there", "here", "more",
];

/// The value of a number word with its stated bounds; a vague word
/// ("dozens") states none, and its value is only an order of magnitude.
fn word_value(w: &str) -> Option<(f64, Option<f64>, Option<f64>)> {
    let w = w.to_lowercase();
    let w = w.split_whitespace().collect::<Vec<_>>().join(" ");
    Some(match w.as_str() {
        "dozens" => (24.0, None, None),
        "a dozen" => (12.0, Some(12.0), Some(12.0)),
        "hundreds" => (200.0, None, None),
        "thousands" => (2000.0, None, None),
        "tens of thousands" => (20000.0, None, None),
        _ => {
            let n = [
                "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                "eleven", "twelve",
            ]
            .iter()
            .position(|x| *x == w)
            .map(|i| i as f64 + 1.0)
            .or(match w.as_str() {
                "fifteen" => Some(15.0),
                "twenty" => Some(20.0),
                "thirty" => Some(30.0),
                "forty" => Some(40.0),
                "fifty" => Some(50.0),
                "hundred" => Some(100.0),
                _ => None,
            })?;
            (n, Some(n), Some(n))
        }
    })
}

fn parse_num(s: &str) -> Option<f64> {
    s.replace(',', "").parse().ok()
}

/// Canonical group for what a figure counts (a small lexicon for the news
/// this tool is built for; anything else keys on its last word).
pub(crate) fn what_key(what: &str) -> String {
    if what.ends_with(PARTICIPANTS) {
        return "participants".into();
    }
    if what.ends_with(HURT) {
        return "people hurt or treated".into();
    }
    let last = what.split_whitespace().last().unwrap_or("").to_lowercase();
    let last = last.trim_end_matches(['.', ',']);
    match last {
        "troops" | "troop" | "soldiers" | "soldier" | "personnel" | "forces" | "fighters"
        | "mercenaries" | "koreans" | "servicemen" => "troops".into(),
        "casualties" | "casualty" | "killed" | "wounded" | "dead" | "deaths" | "losses"
        | "lost" | "injured" | "fatalities" => "casualties".into(),
        "people" | "persons" | "residents" | "civilians" => "people".into(),
        other => {
            let s = other
                .strip_suffix('s')
                .filter(|s| s.len() > 3 && !other.ends_with("ss"))
                .unwrap_or(other);
            s.to_string()
        }
    }
}

/// Appended to what a figure counts when its clause says they took part in
/// something.
pub(crate) const PARTICIPANTS: &str = " taking part";

/// True when the words after a counted phrase say its members took part
/// (`participation-verbs`: "took part", "participated").
fn takes_part(after: &[String]) -> bool {
    static VERBS: LazyLock<Vec<Vec<&'static str>>> = LazyLock::new(|| {
        corroborate_lexicon::words("en", "participation-verbs")
            .into_iter()
            .map(|p| p.split_whitespace().collect())
            .collect()
    });
    (0..after.len()).any(|i| {
        VERBS
            .iter()
            .any(|v| after.len() >= i + v.len() && v.iter().zip(&after[i..]).all(|(a, b)| a == b))
    })
}

/// When the word before a figure (its qualifier aside) is a verb of loss
/// (`loss-verbs`, `verb = killed|lost`), what the figure counts was killed
/// or lost: the word to append.
fn loss_verb_before(before: &str) -> Option<&'static str> {
    let table = corroborate_lexicon::table("en", "loss-verbs")?;
    let last = before.split_whitespace().next_back()?.to_lowercase();
    table.value(&last)
}

/// The rest of a figure's clause: up to the next comma, semicolon or
/// sentence end, at most 80 bytes.
fn clause_after(text: &str, from: usize) -> &str {
    let rest = &text[from..];
    let mut end = rest
        .find([',', ';', '.', '!', '?', '\n'])
        .unwrap_or(rest.len());
    end = end.min(80);
    while !rest.is_char_boundary(end) {
        end -= 1;
    }
    &rest[..end]
}

/// The period of a rate named in the figure's clause ("per day", "a
/// week", "daily"): the unit of the `time-units` table.
fn rate(clause: &str) -> Option<String> {
    static UNITS: LazyLock<&corroborate_lexicon::Table> =
        LazyLock::new(|| corroborate_lexicon::table("en", "time-units").expect("time-units"));
    static RATE: LazyLock<Regex> = LazyLock::new(|| {
        let words = corroborate_lexicon::alternation(UNITS.words());
        Regex::new(&format!(r"(?i)\b(?:per|a|an|each|every)\s+({words})\b|\b(daily|weekly|monthly|yearly|annually)\b"))
            .unwrap()
    });
    let c = RATE.captures(clause)?;
    if let Some(u) = c.get(1) {
        return UNITS.value(&u.as_str().to_lowercase()).map(str::to_string);
    }
    let adverb = c.get(2)?.as_str().to_lowercase();
    Some(
        match adverb.as_str() {
            "daily" => "day",
            "weekly" => "week",
            "monthly" => "month",
            _ => "year",
        }
        .to_string(),
    )
}

/// The date a figure is counted at, when its clause says "by", "as of" or
/// "until" a date ("3,000 troops had arrived by October 23").
fn as_of(text: &str, from: usize, len: usize, dates: &[FoundDate]) -> Option<String> {
    dates
        .iter()
        .filter(|d| d.start >= from && d.start <= from + len)
        .find(|d| {
            // The words just before the date, not the whole text before it.
            let mut last = text[..d.start].split_whitespace().rev();
            let (w1, w2) = (last.next().unwrap_or(""), last.next().unwrap_or(""));
            w1.eq_ignore_ascii_case("by")
                || w1.eq_ignore_ascii_case("until")
                || (w1.eq_ignore_ascii_case("of") && w2.eq_ignore_ascii_case("as"))
        })
        .map(|d| d.value.clone())
}

/// Finds the figures of one document.
pub(crate) fn find(doc: &Doc<'_>, statements: &[Statement], dates: &[FoundDate]) -> Vec<Figure> {
    let text = doc.text;
    let mut out = Vec::new();
    for c in NUMBER.captures_iter(text) {
        let m = c.get(0).unwrap();
        if not_a_figure(text, &c, dates) {
            continue;
        }
        let Some(a) = amount(text, &c) else { continue };
        let unit = c.name("unit").map(|u| {
            let u = u.as_str().trim().to_lowercase();
            match u.as_str() {
                "percent" | "per cent" => "%".to_string(),
                "mile" => "miles".into(),
                _ => u,
            }
        });
        let what = counted(text, m, unit.is_none());
        if what.is_none() && unit.is_none() && a.scale == 1.0 && c.name("qual").is_none() {
            continue; // a bare number with nothing to say what it counts
        }
        let span = text[m.start()..m.end()].trim_end();
        let clause = clause_after(text, m.end());
        out.push(Figure {
            approximate: a.approximate,
            vague: a.vague,
            per: rate(clause),
            as_of: as_of(text, m.end(), clause.len(), dates),
            start: doc.ch(m.start()),
            end: doc.ch(m.start() + span.len()),
            text: span.to_string(),
            value: a.value,
            low: a.low,
            high: a.high,
            unit,
            what,
            attributed_to: attributed_to(doc, statements, m),
        });
    }
    out
}

/// A number inside a date, glued to letters ("HTML5", "95th") or a bare
/// year: not a figure.
fn not_a_figure(text: &str, c: &regex::Captures<'_>, dates: &[FoundDate]) -> bool {
    let num = c.name("num").unwrap();
    // Inside a date, glued to letters (HTML5, 95th), or a bare year: not a figure.
    if dates
        .iter()
        .any(|d| num.start() < d.end && d.start < num.end())
    {
        return true;
    }
    let before = text[..num.start()].chars().next_back();
    let after_num = text[num.end()..].chars().next();
    // Glued to letters ("HTML5", "95th", "SU7"): an identifier, not a figure.
    let glued_after = after_num.is_some_and(|c| c.is_alphabetic())
        && c.name("num2").is_none()
        && c.name("scale").is_none();
    if before.is_some_and(char::is_alphanumeric) || glued_after {
        return true;
    }
    let numeric = num
        .as_str()
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_digit());
    let raw = num.as_str();
    if numeric
        && raw.len() == 4
        && !raw.contains(',')
        && (1900..=2100).contains(&raw.parse::<u32>().unwrap_or(0))
        && c.name("num2").is_none()
    {
        return true;
    }
    false
}

/// A figure's amount as stated.
struct Amount {
    value: f64,
    low: Option<f64>,
    high: Option<f64>,
    scale: f64,
    vague: bool,
    approximate: bool,
}

/// The amount a number match states (`None` for what only looks like a
/// figure: "one of", a time of day, a score).
fn amount(text: &str, c: &regex::Captures<'_>) -> Option<Amount> {
    let m = c.get(0).unwrap();
    let num = c.name("num").unwrap();
    let raw = num.as_str();
    let numeric = raw.chars().next().is_some_and(|c| c.is_ascii_digit());
    let scale = c
        .name("scale")
        .map_or(1.0, |s| crate::quantity::scale_factor(s.as_str()));
    let vague = !numeric && matches!(word_value(raw), Some((_, None, None)));
    let (mut value, mut low, mut high) = if numeric {
        let v = parse_num(raw).unwrap_or(0.0);
        (v, Some(v), Some(v))
    } else {
        word_value(raw)?
    };
    if !numeric && c.name("qual").is_none() && value < 13.0 {
        // "one of", "two men": small number words are too often not figures.
        let next_word = text[m.end()..].split_whitespace().next().unwrap_or("");
        if next_word.is_empty() || STOP.contains(&next_word.to_lowercase().as_str()) {
            return None;
        }
    }
    if crate::quantity::time_of_day_follows(&text[m.end()..]) {
        return None; // a time of day
    }
    if let Some(n2) = c.name("num2").and_then(|n| parse_num(n.as_str())) {
        if n2 < value {
            return None; // "3-0": a score, not a range
        }
        low = Some(value);
        high = Some(n2);
        value = (value + n2) / 2.0;
    }
    value *= scale;
    low = low.map(|x| x * scale);
    high = high.map(|x| x * scale);
    // Bounds as stated, never widened: "about 11,000" keeps 11,000 as
    // both bounds (and says it is an estimate), "at least 30" opens the
    // top, "up to" / "nearly 200" the bottom.
    use crate::quantity::Qualifier;
    let qualifier = c
        .name("qual")
        .and_then(|q| crate::quantity::qualifier(q.as_str()));
    match qualifier {
        Some(Qualifier::AtLeast) => high = None,
        Some(Qualifier::AtMost | Qualifier::Nearly) => low = None,
        Some(Qualifier::About) | None => {}
    }
    Some(Amount {
        value,
        low,
        high,
        scale,
        vague,
        approximate: qualifier == Some(Qualifier::About),
    })
}

/// What a figure counts: the noun phrase after it ("North Korean troops"),
/// marked when a verb says they were lost, killed or took part. `None`
/// when the figure has a unit (`no_unit` false).
fn counted(text: &str, m: regex::Match<'_>, no_unit: bool) -> Option<String> {
    // What is counted: the noun phrase after the number.
    let mut what_words: Vec<&str> = Vec::new();
    let mut tail_end = text.len().min(m.end() + 120);
    while !text.is_char_boundary(tail_end) {
        tail_end -= 1;
    }
    let tail = &text[m.end()..tail_end];
    let tail = tail
        .trim_start()
        .strip_prefix("of ")
        .unwrap_or(tail.trim_start());
    for w in tail.split_whitespace() {
        let clean =
            w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-' && c != '’' && c != '\'');
        let lower = clean.to_lowercase();
        if clean.is_empty()
            || STOP.contains(&lower.as_str())
            || clean.chars().next().is_some_and(|c| c.is_ascii_digit())
        {
            break;
        }
        if what_words.is_empty()
            && ["killed", "wounded", "injured", "dead"].contains(&lower.as_str())
        {
            what_words.push("casualties");
            break;
        }
        if !what_words.is_empty() && lower.len() > 4 && lower.ends_with("ed") {
            break; // a verb: "1,500 people spent", "three people examined"
        }
        if what_words.is_empty() && lower.len() > 4 && lower.ends_with("ed") {
            break;
        }
        what_words.push(clean);
        if [
            "people",
            "personnel",
            "children",
            "men",
            "women",
            "staff",
            "police",
            "cattle",
        ]
        .contains(&lower.as_str())
        {
            break;
        }
        let ends_clause = w.ends_with([',', '.', ';', ':', ')']);
        let plural_head = clean.len() > 3 && lower.ends_with('s') && !lower.ends_with("ss");
        if ends_clause
            || what_words.len() >= 5
            || (plural_head && !clean.chars().next().is_some_and(char::is_uppercase))
        {
            break;
        }
    }
    let mut what = (!what_words.is_empty() && no_unit).then(|| what_words.join(" "));
    // "had lost approximately 200 personnel", "killed eight fighters":
    // the figure counts losses.
    if let Some(w) = &mut what {
        if w != "casualties" {
            if let Some(verb) = loss_verb_before(&text[..m.start()]) {
                w.push(' ');
                w.push_str(verb);
            }
        }
    }
    // "30 soldiers have been killed or wounded": the figure counts casualties.
    if let Some(w) = &mut what {
        let after: Vec<String> = tail
            .split_whitespace()
            .skip(what_words.len())
            .take(4)
            .map(|x| x.trim_matches(|c: char| !c.is_alphabetic()).to_lowercase())
            .collect();
        if w != "casualties"
            && after
                .iter()
                .any(|x| ["killed", "wounded", "died", "injured", "dead"].contains(&x.as_str()))
        {
            w.push_str(CASUALTIES);
        } else if takes_part(&after) {
            // "500 soldiers took part in the assault": those who took
            // part in one event, not a force's size.
            w.push_str(PARTICIPANTS);
        }
    }
    // "12 people treated in hospital" and "1,200 residents evacuated" both
    // count people: the care their sentence names tells them apart.
    if let Some(w) = &mut what {
        if what_key(w) == "people" && names_care(sentence_around(text, m.start(), m.end())) {
            w.push_str(HURT);
        }
    }
    what
}

/// Appended to what a generic person figure counts when its sentence names
/// care or injury (`care-words`: "hospital", "treated", "injured").
pub(crate) const HURT: &str = " hurt or treated";

/// Appended to what a figure counts when the words after it say killed or
/// wounded.
const CASUALTIES: &str = " killed or wounded";

/// The counted noun phrase without what [`counted`] appends to it (a loss
/// verb's mark, casualties, participants, care): "North Korean troops
/// killed" -> "North Korean troops".
pub(crate) fn counted_noun(what: &str) -> &str {
    let strip = |mark: &str| what.strip_suffix(mark);
    [CASUALTIES, PARTICIPANTS, HURT]
        .into_iter()
        .find_map(strip)
        .or_else(|| {
            let losses = corroborate_lexicon::table("en", "loss-verbs")?;
            losses
                .entries
                .iter()
                .filter_map(|e| e.value)
                .find_map(|v| what.strip_suffix(v)?.strip_suffix(' '))
        })
        .unwrap_or(what)
}

/// The sentence holding `start..end` (to the previous and next sentence
/// end or line break).
fn sentence_around(text: &str, start: usize, end: usize) -> &str {
    let from = text[..start]
        .rfind(['.', '!', '?', '\n'])
        .map_or(0, |i| i + 1);
    let to = text[end..]
        .find(['.', '!', '?', '\n'])
        .map_or(text.len(), |i| end + i);
    &text[from..to]
}

/// True when `sentence` holds a word of the `care-words` table.
fn names_care(sentence: &str) -> bool {
    static WORDS: LazyLock<std::collections::HashSet<&'static str>> = LazyLock::new(|| {
        corroborate_lexicon::words("en", "care-words")
            .into_iter()
            .collect()
    });
    sentence
        .split(|c: char| !c.is_alphabetic())
        .any(|w| WORDS.contains(w.to_lowercase().as_str()))
}

/// Who a figure is attributed to: the speaker of the statement holding it,
/// or of an indirect statement in its sentence.
fn attributed_to(doc: &Doc<'_>, statements: &[Statement], m: regex::Match<'_>) -> Option<String> {
    let fc = (doc.ch(m.start()), doc.ch(m.end()));
    statements
        .iter()
        .find(|s| {
            s.start <= fc.0 && fc.1 <= s.end || {
                let (ss, se) = doc.sentence_of(m.start());
                s.speaker.is_some() && !s.direct && doc.ch(ss) <= s.start && s.end <= doc.ch(se)
            }
        })
        .and_then(|s| s.speaker.as_ref().map(|sp| sp.name.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figs(text: &str) -> Vec<Figure> {
        let doc = Doc::new(text);
        let dates = crate::dates::find_dates_in(&doc, None);
        find(&doc, &[], &dates)
    }

    #[test]
    fn qualifiers_become_bounds() {
        let f = figs("About 11,000 soldiers arrived. Over 10,000 troops were seen. At least 30 were killed or wounded. Up to 12,000 people left.");
        assert_eq!(f.len(), 4, "{f:#?}");
        assert_eq!(
            (f[0].value, f[0].what.as_deref()),
            (11000.0, Some("soldiers"))
        );
        // Bounds as stated: an estimate keeps its number and says so.
        assert_eq!(
            (f[0].low, f[0].high, f[0].approximate),
            (Some(11000.0), Some(11000.0), true)
        );
        assert_eq!((f[1].low, f[1].high), (Some(10000.0), None));
        assert_eq!(f[3].low, None);
        assert_eq!(f[3].high, Some(12000.0));
    }

    #[test]
    fn a_range_stays_a_range_and_a_vague_word_states_no_number() {
        let f = figs(
            "Approximately 10,000-12,000 troops were sent. Dozens of casualties were reported.",
        );
        assert_eq!(
            (f[0].low, f[0].high, f[0].approximate),
            (Some(10000.0), Some(12000.0), true)
        );
        assert_eq!((f[1].low, f[1].high, f[1].vague), (None, None, true));
    }

    #[test]
    fn rates_and_reference_dates() {
        let f = figs("The army loses more than 1,300 soldiers per day. About 3,000 troops had arrived by October 23, 2024. 400 sailors a week left.");
        assert_eq!(f[0].per.as_deref(), Some("day"), "{f:#?}");
        assert_eq!(f[1].as_of.as_deref(), Some("2024-10-23"), "{f:#?}");
        assert_eq!(f[1].per, None);
        assert_eq!(f[2].per.as_deref(), Some("week"));
        assert_eq!(f[2].as_of, None);
    }

    #[test]
    fn every_loss_verb_counts_losses_and_prose_without_one_does_not() {
        for e in &corroborate_lexicon::table("en", "loss-verbs")
            .unwrap()
            .entries
        {
            let f = figs(&format!("The unit {} 40 soldiers in the assault.", e.text));
            let what = f[0].what.as_deref().unwrap_or("");
            assert_eq!(what, format!("soldiers {}", e.value.unwrap()), "{}", e.text);
            assert_eq!(what_key(what), "casualties", "{}", e.text);
        }
        let f = figs("The unit sent 40 soldiers to the assault.");
        assert_eq!(what_key(f[0].what.as_deref().unwrap()), "troops");
    }

    #[test]
    fn every_participation_verb_counts_participants() {
        for e in &corroborate_lexicon::table("en", "participation-verbs")
            .unwrap()
            .entries
        {
            let f = figs(&format!("At least 500 soldiers {} in the assault.", e.text));
            assert_eq!(
                what_key(f[0].what.as_deref().unwrap()),
                "participants",
                "{}",
                e.text
            );
        }
        let f = figs("At least 500 soldiers waited near the village.");
        assert_eq!(what_key(f[0].what.as_deref().unwrap()), "troops");
    }

    #[test]
    fn ranges_units_words_and_non_figures() {
        let f = figs("Some 10,000-12,000 North Korean troops; 4,000 miles away; dozens of casualties; 1.5 million people; on 16 December 2024 the 95th brigade used HTML5.");
        let got: Vec<(f64, Option<&str>, Option<&str>)> = f
            .iter()
            .map(|f| (f.value, f.unit.as_deref(), f.what.as_deref()))
            .collect();
        assert_eq!(got[0], (11000.0, None, Some("North Korean troops")));
        assert_eq!(got[1], (4000.0, Some("miles"), None));
        assert_eq!(got[2], (24.0, None, Some("casualties")));
        assert_eq!(got[3], (1.5e6, None, Some("people")));
        assert_eq!(f.len(), 4, "{f:#?}");
    }

    #[test]
    fn groups() {
        assert_eq!(
            what_key("North Korean military personnel"),
            what_key("troops")
        );
        assert_eq!(what_key("casualties"), what_key("killed"));
    }

    #[test]
    fn people_cared_for_are_not_people_moved() {
        let f = figs("About 900 residents were evacuated. Hospitals treated 14 people for burns.");
        assert_eq!(what_key(f[0].what.as_deref().unwrap()), "people");
        assert_eq!(
            what_key(f[1].what.as_deref().unwrap()),
            "people hurt or treated"
        );
        for e in corroborate_lexicon::words("en", "care-words") {
            // "injured", "wounded" after the noun already make casualties.
            let f = figs(&format!("Officials said 14 people were {e} on Monday."));
            let key = what_key(f[0].what.as_deref().unwrap());
            assert!(
                key == "people hurt or treated" || key == "casualties",
                "{e}: {key}"
            );
        }
    }
}
