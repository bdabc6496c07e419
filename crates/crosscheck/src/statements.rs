//! Attributed statements: direct quotes and indirect speech, speakers,
//! channels, dates and hedges.

use crate::dates::FoundDate;
use crate::textutil::Doc;
use corroborate_model::{Cue, Speaker, Statement};
use regex::Regex;
use std::collections::HashSet;
use std::sync::LazyLock;

/// Attribution cues (speech and writing verbs), present and past.
/// Verbs that report speech (lexicon `en/cue-verbs`), as one alternation.
/// A pattern built once from lexicon tables, written into other patterns
/// with `format!` (`{CUES}`) like a constant.
struct Built(LazyLock<String>);

impl std::fmt::Display for Built {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

static CUES: Built = Built(LazyLock::new(|| {
    corroborate_lexicon::phrase_alternation(corroborate_lexicon::words("en", "cue-verbs"))
}));

/// A speaker noun phrase: capitalised run (with possessives and "of"), a
/// possessive organisation ("Ukraine's military intelligence"), a pronoun,
/// or a definite description ("the Ukrainian president").
static SPEAKER: Built = Built(LazyLock::new(|| {
    let nouns =
        corroborate_lexicon::phrase_alternation(corroborate_lexicon::words("en", "speaker-nouns"));
    format!(
        r"(?:(?-u:\b)(?:[Tt]he|[Mm]y|[Hh]is|[Hh]er|[Oo]ur|[Tt]heir)\s+(?:[\p{{L}}-]+(?:[’']s)?\s+){{0,3}}(?:{nouns})(?-u:\b)|(?:\p{{Lu}}[\p{{L}}’'.-]*(?:\s+(?:of\s+(?:the\s+)?)?\p{{Lu}}[\p{{L}}’'.-]*){{0,5}}(?:[’']s(?:\s+[\p{{Ll}}-]+){{1,3}}(?:\s+\(\p{{Lu}}+\))?|(?:\s+(?:intelligence|officials?|military|government|ministry|forces|media|authorities|police|army|sources?|spokesperson|spokesman)(?-u:\b))+)?)|(?-u:\b)(?:[Hh]e|[Ss]he|[Tt]hey)(?-u:\b))"
    )
}));

static INDIRECT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r#"(?P<spk>{SPEAKER})(?:\s*\([^()]{{1,25}}\))?(?:,\s+[^,“”"]{{2,90}}?,){{0,2}}(?:\s+(?:on|in)\s+(?:\p{{Lu}}[\p{{L}}.]*\.?\s*\d{{1,2}}|\d{{1,2}}\s+\p{{Lu}}\p{{L}}+))?(?:\s+(?:has|have|had|also|previously|recently|later|then|earlier|reportedly|further|often|once|\p{{Ll}}+ly|has\s+also|had\s+previously))*\s+(?P<cue>{CUES})(?-u:\b)"#
    ))
    .unwrap()
});
static CUE_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^\s*,?\s*(?P<cue>{CUES})\s+(?P<spk>(?:(?:the\s+)?(?:[\p{{Ll}}\d/.-]+\s+){{0,3}}?)?(?:{SPEAKER}))"
    ))
    .unwrap()
});
/// Any noun phrase with a cue right before a quote: "the announcer said, “…”".
static INTRO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?P<spk>(?:[Tt]he|[Aa]n?|[Oo]ne)\s+[\p{{L}}’'-]+(?:\s+[\p{{L}}’'-]+){{0,3}}?)\s+(?P<cue>{CUES})[,:]?\s*$"
    ))
    .unwrap()
});
/// The cue first, then the speaker, before the quote: "Said Ellis: “…”".
static INVERTED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?:^|[.!?]\s+)(?P<cue>Said|Says|Added|Adds|Asked|Wrote|Writes)\s+(?P<spk>{SPEAKER})[,:]?\s*$"
    ))
    .unwrap()
});
/// Verbs that quote a label or a verdict (lexicon `en/evaluative-verbs`).
static EVALUATIVE_VERBS: Built = Built(LazyLock::new(|| {
    corroborate_lexicon::phrase_alternation(corroborate_lexicon::words("en", "evaluative-verbs"))
}));
/// Verbs that quote a label or a verdict: Cruz called Trump a “liar”.
static EVALUATIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?P<spk>{SPEAKER})\s+(?:\p{{Ll}}+ly\s+|also\s+)?(?P<cue>{EVALUATIVE_VERBS})(?-u:\b)"
    ))
    .unwrap()
});
/// A bare speaker noun phrase.
static SPEAKER_NP: LazyLock<Regex> = LazyLock::new(|| Regex::new(&SPEAKER.to_string()).unwrap());
/// A participle cue just before a quote: "…, saying, “…”".
static PARTICIPLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:,\s*|\s+)(?P<cue>saying|adding|asking(?:\s+\p{Ll}+)?|writing|noting|telling\s+\S+|arguing|declaring|insisting|explaining|tweeting|warning)(?:\s+that)?(?:\s+[\p{Ll}’']+){0,3}[,:]?\s*$").unwrap()
});
/// A transcript label opening a quote: "PENCE: Well, …".
static LABEL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?P<spk>\p{Lu}{2,}(?:\s+\p{Lu}{2,})?):\s").unwrap());
/// A reader quote signed with a dash: “…” ― Maria Lopez.
static DASH_SIGNED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*[―—–]\s*(?P<spk>\p{Lu}[\p{L}.’'-]*(?:\s+\p{Lu}[\p{L}.’'-]*){0,3})").unwrap()
});
static ACCORDING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?P<cue>[Aa]ccording\s+to)\s+(?P<spk>(?:{SPEAKER}|the\s+[\p{{L}}-]+(?:\s+[\p{{L}}-]+){{0,3}}|\p{{Ll}}+(?:\s+\p{{Ll}}+){{0,4}})(?:(?:,\s*(?:and\s+)?|\s+and\s+)(?:the\s+)?\p{{Lu}}[\p{{L}}.]*(?:\s+\p{{Lu}}[\p{{L}}.]*)*)*)")).unwrap()
});
static CHANNEL_PLATFORM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(?:(?:[Oo]n|[Vv]ia|[Tt]hrough|[Ii]n)\s+(?:(?:a|an|his|her|their|its|the)\s+)?(?:\p{Ll}+\s+)?(?P<p>Telegram|Twitter|Facebook|Instagram|YouTube|TikTok|X)(?-u:\b)|(?P<p2>Telegram)\s+(?:message|post|channel|statement))").unwrap()
});
static CHANNEL_FORM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?:in|during|at|on|via|through)\s+(?:a|an|his|her|their|its|the|this|that)?\s*(?:\w+\s+)??(?P<f>press\s+briefing|press\s+conference|news\s+conference|briefing|evening\s+address|video\s+address|nightly\s+address|televised\s+address|address|interview|statement|social\s+media\s+post|speech)(?-u:\b)").unwrap()
});
static ALLEGED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(?:allegedly|reportedly|purportedly|supposedly)(?-u:\b)").unwrap()
});
static HEDGES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)(?-u:\b)({})(?-u:\b)",
        corroborate_lexicon::phrase_alternation(corroborate_lexicon::words("en", "hedges"))
    ))
    .unwrap()
});

/// Titles and roles that may precede a name ("Defence Minister Jane Doe", "spokesperson Maj. Gen. ...") (lexicon `en/role-words`).
static ROLE_WORDS: LazyLock<HashSet<&str>> = LazyLock::new(|| {
    corroborate_lexicon::words("en", "role-words")
        .into_iter()
        .collect()
});

/// Canonical key for a person or body name: the last name token, lower-cased,
/// with doubled final letters folded, so that "Zelensky", "Zelenskyy" and
/// "Volodymyr Zelenskyy" share a key.
pub fn name_key(name: &str) -> String {
    if !is_person_like(name) {
        // A body ("South Korean intelligence"): the whole phrase is the key.
        return name
            .to_lowercase()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
    }
    let last = name.split_whitespace().last().unwrap_or("");
    let mut k: String = last
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    while k.len() > 2 && (k.ends_with("yy") || k.ends_with("ii")) {
        k.pop();
    }
    k
}

/// Strips titles and roles: "Pentagon spokesperson Major General Patrick Ryder" → "Patrick Ryder".
/// Stops while two tokens remain, so "South Korean intelligence" keeps its words.
fn strip_roles(raw: &str) -> String {
    let toks: Vec<&str> = raw.split_whitespace().collect();
    let mut start = 0;
    while start + 2 < toks.len() + usize::from(toks.len() <= 2)
        && start + 1 < toks.len()
        && ROLE_WORDS.contains(toks[start].to_lowercase().as_str())
    {
        start += 1;
    }
    let rest = &toks[start..];
    if rest.len() == 1 && toks.len() == 2 && !is_person_like(toks[1]) {
        return toks.join(" ");
    }
    rest.join(" ")
}

/// Heads of definite descriptions that refer back to a person ("the president", "the minister") (lexicon `en/person-roles`).
static PERSON_ROLES: LazyLock<HashSet<&str>> = LazyLock::new(|| {
    corroborate_lexicon::words("en", "person-roles")
        .into_iter()
        .collect()
});

/// Words trimmed from the end of a speaker ("Ukraine's military intelligence has") (lexicon `en/speaker-trailing-words`).
static AUX: LazyLock<HashSet<&str>> = LazyLock::new(|| {
    corroborate_lexicon::words("en", "speaker-trailing-words")
        .into_iter()
        .collect()
});

/// Words that start a sentence like a name but never speak ("Multiple reports", "Footage") (lexicon `en/not-speakers`).
static NOT_SPEAKERS: LazyLock<HashSet<&str>> = LazyLock::new(|| {
    corroborate_lexicon::words("en", "not-speakers")
        .into_iter()
        .collect()
});

/// Sentence-opening connectives that are not part of a following name ("But Megan Hester") (lexicon `en/connectives`), capitalised.
static CONNECTIVES: LazyLock<HashSet<String>> = LazyLock::new(|| {
    corroborate_lexicon::words("en", "connectives")
        .iter()
        .map(|w| w[..1].to_uppercase() + &w[1..])
        .collect()
});

/// Trims auxiliaries ("Ukraine's military intelligence has") and rejects
/// possessives ("Zelensky's claim") and non-speakers ("Multiple reports").
fn clean_speaker(raw: &str) -> Option<&str> {
    let mut t = raw.trim();
    // A sentence-opening connective is not part of the name: "But Megan Hester".
    if let Some((first, rest)) = t.split_once(char::is_whitespace) {
        if CONNECTIVES.contains(first) && rest.starts_with(char::is_uppercase) {
            t = rest.trim_start();
        }
    }
    // A prepositional phrase ("On July", "In Washington") is when or where.
    if matches!(
        t.split_whitespace().next(),
        Some("On" | "In" | "At" | "For" | "By" | "During" | "With" | "From" | "To" | "Of")
    ) {
        return None;
    }
    // A day or month name is when, not who.
    if t.parse::<chrono::Weekday>().is_ok() || t.parse::<chrono::Month>().is_ok() {
        return None;
    }
    loop {
        match t.rsplit_once(char::is_whitespace) {
            Some((head, last)) if AUX.contains(last) => t = head.trim_end(),
            _ => break,
        }
    }
    let lower = t.to_lowercase();
    if lower.ends_with("'s")
        || lower.ends_with("’s")
        || NOT_SPEAKERS.contains(lower.as_str())
        || t.is_empty()
    {
        return None;
    }
    Some(t)
}

static LEADING_ADJUNCT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(?:today|yesterday|tonight|earlier|later|recently|last\s+\w+|this\s+\w+|on\s+(?:\p{Lu}\p{L}*\.?\s+\d{1,2}|\d{1,2}\s+\p{Lu}\p{L}*|\p{Lu}\p{L}+day)|(?:on|via|in)\s+(?:Telegram|X|Twitter|Facebook))[,:\s]+)*(?:that\s+)?").unwrap()
});
/// The addressee after "told": "told Metro how…", "told reporters that…".
/// A circumstance before the reported clause: "during a press briefing at the town hall that…".
static CIRCUMSTANCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"^(?:during|at|in|on|via|through|after|before|while|speaking)(?-u:\b)[^.;“”"]{0,80}?(?-u:\b)that\s+"#,
    )
    .unwrap()
});
static ADDRESSEE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(?:the\s+)?(?:\p{Lu}[\p{L}.]*\s+)+(?:that\s+|how\s+)?|(?:the\s+)?\p{Ll}+\s+(?:that|how)\s+)").unwrap()
});

fn is_person_like(name: &str) -> bool {
    let toks: Vec<&str> = name.split_whitespace().collect();
    (1..=3).contains(&toks.len())
        && toks
            .iter()
            .all(|t| t.chars().next().is_some_and(char::is_uppercase))
        && !name.contains('’')
        && !name.contains('\'')
}

/// Content-word stems of a statement (first five letters, lower-cased,
/// function words out): what [`similarity`] compares.
pub(crate) fn stem_set(s: &str) -> HashSet<String> {
    const FUNCTION_WORDS: &[&str] = &[
        "the", "and", "that", "this", "with", "from", "have", "they", "their", "there", "were",
        "been", "which", "about", "would", "could", "after", "also", "them", "even", "into",
        "only", "when",
    ];
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() > 2)
        .map(stem)
        .filter(|w| !FUNCTION_WORDS.contains(&w.as_str()))
        .collect()
}

/// A word's stem: lower-cased, its first five letters. Cheap and language
/// agnostic, and it folds spelling variants ("Zelensky" / "Zelenskyy").
pub(crate) fn stem(word: &str) -> String {
    word.to_lowercase().chars().take(5).collect()
}

/// Dice coefficient of two stem sets, in [0, 1].
pub(crate) fn dice(x: &HashSet<String>, y: &HashSet<String>) -> f64 {
    if x.is_empty() || y.is_empty() {
        return 0.0;
    }
    let (small, big) = if x.len() <= y.len() { (x, y) } else { (y, x) };
    2.0 * small.iter().filter(|w| big.contains(*w)).count() as f64 / (x.len() + y.len()) as f64
}

/// Word-overlap similarity of two statements (Dice over 5-letter stems of content words), in [0, 1].
pub fn similarity(a: &str, b: &str) -> f64 {
    dice(&stem_set(a), &stem_set(b))
}

/// Names in the article for resolving short mentions: full person names
/// ("President Volodymyr Zelenskyy" → "Volodymyr Zelenskyy").
struct Names {
    full: Vec<String>,
}

impl Names {
    fn collect(text: &str) -> Self {
        static RUN: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"\p{Lu}\p{Ll}[\p{L}-]*(?:\s+\p{Lu}\p{Ll}[\p{L}-]*)+").unwrap()
        });
        let mut full: Vec<String> = Vec::new();
        for m in RUN.find_iter(text) {
            let name = strip_roles(m.as_str());
            let n = name.split_whitespace().count();
            if (2..=3).contains(&n) && !full.contains(&name) {
                full.push(name);
            }
        }
        Names { full }
    }

    fn resolve(&self, raw: &str) -> String {
        let name = strip_roles(raw.trim());
        if name.split_whitespace().count() == 1 && is_person_like(&name) {
            let key = name_key(&name);
            if let Some(f) = self.full.iter().find(|f| name_key(f) == key) {
                return f.clone();
            }
        }
        name
    }
}

struct Quote {
    open: usize,
    close: usize,
    content: (usize, usize),
}

fn is_opener(c: char) -> bool {
    matches!(c, '“' | '"' | '‘' | '«')
}

/// Finds quotations in one paragraph (byte range): “…”, "…", ‘…’, «…».
/// A quote left open runs to the end of the paragraph (the convention for
/// quotes that continue into the next paragraph); a closing mark with no
/// opener means the quote began the paragraph.
fn quotes_in(text: &str, (ps, pe): (usize, usize)) -> Vec<Quote> {
    let para = &text[ps..pe];
    let chars: Vec<(usize, char)> = para.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let closer_for = |c: char| match c {
        '“' | '”' => '”',
        '«' => '»',
        '‘' => '’',
        _ => '"',
    };
    let mut first_open_seen = false;
    while i < chars.len() {
        let (b, c) = chars[i];
        let prev = if i == 0 { ' ' } else { chars[i - 1].1 };
        let next = chars.get(i + 1).map_or(' ', |x| x.1);
        // A paragraph opened by a closing mark and a word (”Fear. I am…”)
        // is a mistyped opener, not the end of a quote begun earlier.
        let mistyped_opener = c == '”' && i == 0 && next.is_alphanumeric();
        let opens = (is_opener(c) || mistyped_opener)
            && !prev.is_alphanumeric()
            && (c != '‘' || next.is_uppercase() || next == '…')
            && !(c == '"' && next.is_whitespace());
        if (c == '”' || c == '»') && !mistyped_opener && !first_open_seen && out.is_empty() {
            // Closing mark before any opener: the quote opened the paragraph.
            out.push(Quote {
                open: ps,
                close: ps + b + c.len_utf8(),
                content: (ps, ps + b),
            });
            first_open_seen = true;
            i += 1;
            continue;
        }
        if opens {
            first_open_seen = true;
            let want = closer_for(c);
            let mut j = i + 1;
            let mut end = None;
            while j < chars.len() {
                let (bj, cj) = chars[j];
                let after = chars.get(j + 1).map_or(' ', |x| x.1);
                // Mixed marks are common in scraped copy (“…," or "…”):
                // a double opener is closed by either double closer.
                let closes = cj == want
                    || (want == '”' && cj == '"' && !after.is_alphanumeric())
                    || (want == '"' && cj == '”');
                if closes && (want != '’' || !after.is_alphanumeric()) {
                    end = Some((bj, cj.len_utf8()));
                    break;
                }
                j += 1;
            }
            let content_start = ps + b + c.len_utf8();
            match end {
                Some((bj, len)) => {
                    out.push(Quote {
                        open: ps + b,
                        close: ps + bj + len,
                        content: (content_start, ps + bj),
                    });
                    i = j + 1;
                }
                None => {
                    out.push(Quote {
                        open: ps + b,
                        close: pe,
                        content: (content_start, pe),
                    });
                    break;
                }
            }
            continue;
        }
        i += 1;
    }
    out
}

fn channel_of(s: &str) -> Option<String> {
    if let Some(c) = CHANNEL_PLATFORM.captures(s) {
        return c.name("p").or(c.name("p2")).map(|m| m.as_str().to_string());
    }
    CHANNEL_FORM.captures(s).map(|c| {
        c["f"]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    })
}

fn hedges_of(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for m in HEDGES.find_iter(s) {
        let h = m
            .as_str()
            .to_lowercase()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .replace('’', "'");
        let h = if h.starts_with("couldn't") || h.starts_with("unable to") {
            h.replacen("couldn't", "could not", 1)
                .replacen("unable to", "could not", 1)
        } else {
            h
        };
        if !out.contains(&h) {
            out.push(h);
        }
    }
    out
}

/// The subject opening a sentence, past a leading adjunct ("In recent
/// weeks, Reid has…" → "Reid"): a speaker noun phrase followed by a verb.
fn sentence_subject(sentence: &str) -> Option<regex::Match<'_>> {
    const ADJUNCT_OPENERS: &[&str] = &[
        "In",
        "On",
        "At",
        "After",
        "Before",
        "During",
        "Following",
        "Meanwhile",
        "However",
        "Later",
        "Earlier",
        "Still",
        "Also",
        "Since",
        "Despite",
        "With",
        "Without",
        "Under",
        "For",
        "As",
        "When",
        "While",
        "Last",
        "This",
        "Yesterday",
        "Today",
        "Instead",
    ];
    let lead = sentence.len() - sentence.trim_start().len();
    let mut from = lead;
    let first = sentence[lead..].split_whitespace().next().unwrap_or("");
    if ADJUNCT_OPENERS.contains(&first.trim_end_matches(',')) {
        let comma = sentence[lead..].find(',')?;
        if comma > 80 {
            return None;
        }
        from = lead + comma + 1;
        from += sentence[from..].len() - sentence[from..].trim_start().len();
    }
    // Capitalised function words that open a sentence but name no one.
    const FUNCTION_WORDS: &[&str] = &[
        "The",
        "A",
        "An",
        "My",
        "Our",
        "Your",
        "His",
        "Her",
        "Their",
        "Its",
        "Once",
        "Though",
        "Although",
        "Even",
        "Only",
        "Some",
        "All",
        "No",
        "One",
        "What",
        "Why",
        "How",
        "Who",
        "Where",
        "There",
        "Here",
        "Such",
        "Each",
        "Every",
        "Both",
        "Not",
        "So",
        "Yet",
        "Just",
        "Now",
        "Then",
        "Thus",
        "Similarly",
        "Conversely",
        "Indeed",
        "If",
        "Whether",
        "Perhaps",
        "Maybe",
        "Many",
        "Most",
        "Few",
        "Several",
        "Other",
        "Another",
        "That",
        "These",
        "Those",
    ];
    let m = SPEAKER_NP.find(&sentence[from..])?;
    if m.start() != 0
        || clean_speaker(m.as_str()).is_none()
        || FUNCTION_WORDS.contains(&m.as_str().split_whitespace().next().unwrap_or(""))
            && !m.as_str().contains(' ')
    {
        return None;
    }
    // A verb must follow: "Reid has gone", "The piece used"; not "Reid's".
    let rest = sentence[from + m.end()..].trim_start();
    rest.starts_with(char::is_lowercase)
        .then(|| SPEAKER_NP.find_at(sentence, from))
        .flatten()
}

/// The last "X said" before a quote, except that in "Lynch said she
/// recalled thinking, “…”" the reported pronoun defers to the one who
/// reports it.
fn outer_speaker(before: &str) -> Option<regex::Captures<'_>> {
    let all: Vec<_> = INDIRECT.captures_iter(before).collect();
    let last = all.len().checked_sub(1)?;
    let is_pronoun = |c: &regex::Captures<'_>| {
        matches!(
            c.name("spk").map_or("", |m| m.as_str().trim()),
            "he" | "she" | "they" | "He" | "She" | "They"
        )
    };
    if last > 0 && is_pronoun(&all[last]) && !is_pronoun(&all[last - 1]) {
        let gap = &before[all[last - 1].get(0)?.end()..all[last].get(0)?.start()];
        if gap.trim().is_empty() || gap.trim() == "that" {
            return all.into_iter().nth(last - 1);
        }
    }
    all.into_iter().nth(last)
}

struct Ctx<'d, 'a> {
    doc: &'d Doc<'a>,
    dates: &'d [FoundDate],
    names: Names,
    last_speaker: Option<String>,
}

impl Ctx<'_, '_> {
    fn speaker(&mut self, raw: &str, start: usize) -> Speaker {
        let trimmed = clean_speaker(raw).unwrap_or(raw.trim());
        // "said Burman." — the sentence's full stop, not an initial.
        let trimmed = match trimmed.rsplit_once(' ').map_or(trimmed, |(_, l)| l) {
            last if last.len() > 3
                && last.ends_with('.')
                && !last[..last.len() - 1].contains('.') =>
            {
                &trimmed[..trimmed.len() - 1]
            }
            _ => trimmed,
        };
        let pronoun = matches!(trimmed.to_lowercase().as_str(), "he" | "she");
        // "the Ukrainian president" refers back to a person; "the regional
        // health authority" is a body in its own right.
        let head = trimmed
            .split_whitespace()
            .last()
            .unwrap_or("")
            .to_lowercase();
        let person_description = (trimmed.starts_with("the ") || trimmed.starts_with("The "))
            && PERSON_ROLES.contains(head.as_str())
            && trimmed.split_whitespace().skip(1).all(|w| {
                w.chars().next().is_some_and(char::is_lowercase)
                    || ROLE_WORDS.contains(w.to_lowercase().as_str())
            });
        let name = if pronoun || person_description {
            self.nearest_person(start)
                .or_else(|| self.last_speaker.clone())
                .unwrap_or_else(|| trimmed.to_string())
        } else {
            self.names.resolve(trimmed)
        };
        if !pronoun {
            self.last_speaker = Some(name.clone());
        }
        // Where the cleaned mention starts inside the raw match (leading
        // space or a dropped connective such as "But").
        let lead = raw
            .find(trimmed)
            .unwrap_or(raw.len() - raw.trim_start().len());
        Speaker {
            name,
            start: self.doc.ch(start + lead),
            end: self.doc.ch(start + lead + trimmed.len()),
        }
    }

    /// The person named closest before `byte` in the same paragraph, if any.
    fn nearest_person(&self, byte: usize) -> Option<String> {
        let para_start = self
            .doc
            .paragraphs
            .iter()
            .find(|&&(s, e)| byte >= s && byte <= e)
            .map_or(0, |p| p.0);
        let window = &self.doc.text[para_start..byte];
        self.names
            .full
            .iter()
            .filter_map(|n| {
                let last = n.split_whitespace().last()?;
                window
                    .rfind(n.as_str())
                    .or_else(|| window.rfind(last))
                    .map(|pos| (pos, n))
            })
            .max_by_key(|(pos, _)| *pos)
            .map(|(_, n)| n.clone())
    }

    fn date_in(&self, span: (usize, usize)) -> Option<String> {
        self.date_outside(span, (0, 0))
    }

    /// The first date in `span` but not in `quoted`: a date inside a quote
    /// is what the speaker talks about, not when they spoke.
    fn date_outside(&self, (s, e): (usize, usize), (qs, qe): (usize, usize)) -> Option<String> {
        self.dates
            .iter()
            .find(|d| d.start >= s && d.end <= e && !(d.start < qe && qs < d.end))
            .map(|d| d.value.clone())
    }

    fn cue(&self, text: &str, start: usize) -> Cue {
        Cue {
            text: text.to_string(),
            start: self.doc.ch(start),
            end: self.doc.ch(start + text.len()),
        }
    }
}

/// Finds the statements of one document.
pub(crate) fn find(doc: &Doc<'_>, dates: &[FoundDate]) -> Vec<Statement> {
    let text = doc.text;
    let mut ctx = Ctx {
        doc,
        dates,
        names: Names::collect(text),
        last_speaker: None,
    };
    let mut out: Vec<Statement> = Vec::new();
    let mut prev_para_quote_speaker: Option<(Option<Speaker>, Option<String>, Option<String>)> =
        None;
    let mut prev_para: Option<(usize, usize)> = None;
    for &(ps, pe) in &doc.paragraphs {
        let quotes: Vec<Quote> = quotes_in(text, (ps, pe));
        let mut covered: Vec<(usize, usize)> = Vec::new();
        let mut para_quote_speaker = None;
        let mut last_in_para: Option<Speaker> = None;
        let mut short_quote_sentence: Option<usize> = None;
        // The previous quote of the paragraph: where it closed, who said it.
        let mut prev_quote: Option<(usize, Option<String>)> = None;
        for q in &quotes {
            // Short quotes ("too little") are scare quotes unless a cue is
            // right next to them.
            let short = text[q.content.0..q.content.1].split_whitespace().count() < 4;
            let sent_start = doc.sentence_of(q.open).0.min(q.open);
            let sent_end = doc.sentence_of(q.close.saturating_sub(1)).1.max(q.close);
            // A quote that ends its sentence (“…?” Vitter demanded.) is
            // attributed by the next one.
            let before = &text[sent_start.max(ps)..q.open];
            // Only a quote that opens its sentence: in “Clinton says Trump’s
            // “…”. She says…”, the next sentence is not the attribution.
            let opens_sentence = !before.chars().any(char::is_alphanumeric);
            let after_end = if sent_end <= q.close && !opens_sentence {
                q.close
            } else if sent_end <= q.close {
                doc.sentences
                    .iter()
                    .find(|&&(s, _)| s >= q.close)
                    .map_or(q.close, |&(_, e)| e)
            } else {
                sent_end
            };
            let after = &text[q.close..after_end.min(pe).max(q.close)];
            let mut speaker = None;
            let mut cue = None;
            let ok = |c: &regex::Captures<'_>| {
                clean_speaker(c.name("spk").map_or("", |m| m.as_str())).is_some()
            };
            let adjacent = CUE_FIRST.captures(after).filter(ok).or_else(|| {
                INDIRECT.captures(after).filter(|c| {
                    // Same clause: nothing but words between the quote and
                    // the speaker ("…,” Tulsa police Chief Chuck Jordan said).
                    let gap = &after[..c.get(0).unwrap().start()];
                    // "…,” but he said": a new clause, another statement.
                    let conjunction = gap.split_whitespace().any(|w| {
                        matches!(
                            w.trim_matches(','),
                            "but"
                                | "and"
                                | "while"
                                | "though"
                                | "although"
                                | "because"
                                | "as"
                                | "when"
                                | "so"
                        )
                    });
                    // "…,” White House press secretary Josh Earnest said":
                    // a title in lower case before the name.
                    ok(c)
                        && !conjunction
                        && gap.split_whitespace().count() <= 5
                        && !gap.contains(['.', ';', ':', '!', '?', '“', '”', '"'])
                })
            });
            // A short quote inside reported speech ("Trump said Machado was
            // “disgusting” and “a con”") is the quoted part of that report:
            // kept, once per sentence, with the sentence's speaker.
            if short && adjacent.is_none() {
                let reported = EVALUATIVE.is_match(before)
                    || INDIRECT.captures_iter(before).any(|c| ok(&c))
                    || ACCORDING.is_match(&text[sent_start.max(ps)..sent_end.min(pe)]);
                // “Fox News Sunday”, “Morning Joe”: a title, not words said.
                let title = text[q.content.0..q.content.1]
                    .split_whitespace()
                    .filter(|w| w.chars().any(char::is_alphabetic))
                    .all(|w| w.starts_with(|c: char| c.is_uppercase() || !c.is_alphabetic()));
                if !reported || title || short_quote_sentence == Some(sent_start) {
                    continue;
                }
                short_quote_sentence = Some(sent_start);
            }
            covered.push((q.open, q.close));
            if let Some(c) = adjacent {
                let (cm, sm) = (c.name("cue").unwrap(), c.name("spk").unwrap());
                cue = Some(ctx.cue(cm.as_str(), q.close + cm.start()));
                speaker = Some(ctx.speaker(sm.as_str(), q.close + sm.start()));
            } else if let Some(c) = DASH_SIGNED.captures(after) {
                let sm = c.name("spk").unwrap();
                speaker = Some(ctx.speaker(sm.as_str(), q.close + sm.start()));
            } else if let Some(c) = LABEL.captures(&text[q.content.0..q.content.1]) {
                let sm = c.name("spk").unwrap();
                speaker = Some(ctx.speaker(sm.as_str(), q.content.0 + sm.start()));
            } else if let Some((cm, sm)) = PARTICIPLE.captures(before).and_then(|c| {
                let cm = c.name("cue").unwrap();
                // The clause's subject, not the last name before the
                // participle: "Trump attacked Clinton over Libya, saying, “…”".
                let head = &before[..c.get(0).unwrap().start()];
                let subject = sentence_subject(head).or_else(|| {
                    SPEAKER_NP
                        .find_iter(head)
                        .filter(|m| clean_speaker(m.as_str()).is_some())
                        .last()
                })?;
                Some((cm, subject))
            }) {
                let base = sent_start.max(ps);
                cue = Some(ctx.cue(cm.as_str(), base + cm.start()));
                speaker = Some(ctx.speaker(sm.as_str(), base + sm.start()));
            } else if let Some(c) = INVERTED
                .captures(before)
                .or_else(|| {
                    // "She … come out of the car and repeatedly says": a
                    // coordinated verb phrase is not a noun phrase.
                    INTRO.captures(before).filter(|c| {
                        let spk = c.name("spk").map_or("", |m| m.as_str());
                        !spk.split_whitespace()
                            .any(|w| w == "and" || w.ends_with("ly"))
                    })
                })
                .or_else(|| EVALUATIVE.captures_iter(before).last())
            {
                let (cm, mut sm) = (c.name("cue").unwrap(), c.name("spk").unwrap());
                let base = sent_start.max(ps);
                // "Ban Ki-moon condemned what he called a “brazen breach”":
                // the label is quoted by the sentence's subject.
                if before[..sm.start()].trim_end().ends_with("what") {
                    if let Some(subject) =
                        sentence_subject(before).filter(|m| m.start() < sm.start())
                    {
                        sm = subject;
                    }
                }
                cue = Some(ctx.cue(cm.as_str(), base + cm.start()));
                speaker = Some(ctx.speaker(sm.as_str(), base + sm.start()));
            } else if let Some(c) = ACCORDING.captures_iter(before).last() {
                let (cm, sm) = (c.name("cue").unwrap(), c.name("spk").unwrap());
                let base = sent_start.max(ps);
                cue = Some(ctx.cue(cm.as_str(), base + cm.start()));
                speaker = Some(ctx.speaker(sm.as_str(), base + sm.start()));
            } else if let Some(c) = outer_speaker(before).filter(ok) {
                let (cm, sm) = (c.name("cue").unwrap(), c.name("spk").unwrap());
                let base = sent_start.max(ps);
                cue = Some(ctx.cue(cm.as_str(), base + cm.start()));
                speaker = Some(ctx.speaker(sm.as_str(), base + sm.start()));
            } else if q.open == ps || text[ps..q.open].trim().is_empty() {
                // A quote opening the paragraph: introduced by the previous
                // paragraph ("X said:") or continuing the previous quote.
                if let Some((pps, ppe)) = prev_para {
                    let intro = &text[pps..ppe];
                    if intro.trim_end().ends_with(':') {
                        if let Some(c) = INDIRECT.captures_iter(intro).last() {
                            let (cm, sm) = (c.name("cue").unwrap(), c.name("spk").unwrap());
                            cue = Some(ctx.cue(cm.as_str(), pps + cm.start()));
                            speaker = Some(ctx.speaker(sm.as_str(), pps + sm.start()));
                        } else {
                            // "Sanders made the following comment:": with no
                            // cue verb, the subject of the introducing sentence.
                            let last = doc
                                .sentences
                                .iter()
                                .rfind(|&&(s, e)| s >= pps && e <= ppe)
                                .map_or(pps, |&(s, _)| s);
                            if let Some(sm) = SPEAKER_NP
                                .find_iter(&text[last..ppe])
                                .find(|m| clean_speaker(m.as_str()).is_some())
                            {
                                speaker = Some(ctx.speaker(sm.as_str(), last + sm.start()));
                            }
                        }
                    }
                }
                if speaker.is_none() {
                    if let Some((s, _, _)) = &prev_para_quote_speaker {
                        speaker = s.clone();
                    }
                }
            } else if let Some(c) = INDIRECT.captures(after).filter(|c| {
                // Not the attribution of the next quote.
                ok(c) && !after[..c.get(0).unwrap().start()].contains(['“', '”', '"'])
            }) {
                // A partial quote inside an attributed sentence:
                // A cashier who “steals” is held accountable, Warren said.
                let (cm, sm) = (c.name("cue").unwrap(), c.name("spk").unwrap());
                cue = Some(ctx.cue(cm.as_str(), q.close + cm.start()));
                speaker = Some(ctx.speaker(sm.as_str(), q.close + sm.start()));
            }
            if speaker.is_none() && opens_sentence && sent_start > ps {
                // “…,” Schiff said. “The other factor…”: the sentence just
                // before ends with its speaker and cue.
                let prev = doc
                    .sentences
                    .iter()
                    .rfind(|&&(s, e)| s >= ps && e <= sent_start)
                    .map(|&(s, e)| (s, e));
                if let Some((s0, e0)) = prev {
                    let sent = text[s0..e0].trim_end();
                    if let Some(c) = INDIRECT.captures_iter(sent).last().filter(ok) {
                        let tail = &sent[c.get(0).unwrap().end()..];
                        if tail.split_whitespace().count() <= 4 && !tail.contains(['“', '”', '"'])
                        {
                            let (cm, sm) = (c.name("cue").unwrap(), c.name("spk").unwrap());
                            cue = Some(ctx.cue(cm.as_str(), s0 + cm.start()));
                            speaker = Some(ctx.speaker(sm.as_str(), s0 + sm.start()));
                        }
                    }
                }
            }
            if speaker.is_none() && !opens_sentence {
                // A quote inside a sentence with no cue next to it ("Reid has
                // gone after Trump as a “human leech…”"): its subject.
                if let Some(sm) = sentence_subject(before) {
                    let base = sent_start.max(ps);
                    speaker = Some(ctx.speaker(sm.as_str(), base + sm.start()));
                }
            }
            if speaker.is_none() {
                // A second quote in the paragraph: the same speaker goes on.
                speaker = last_in_para.clone();
            }
            if speaker.is_some() {
                last_in_para = speaker.clone();
            }
            let sentence = (sent_start.max(ps), sent_end.min(pe));
            let context = match prev_para {
                Some((pps, ppe)) if text[pps..ppe].trim_end().ends_with(':') => {
                    &text[pps..sentence.1]
                }
                _ => &text[sentence.0..sentence.1],
            };
            let inherited = prev_para_quote_speaker.as_ref().filter(|_| q.open == ps);
            let channel = channel_of(context).or_else(|| inherited.and_then(|p| p.1.clone()));
            let date = ctx
                .date_outside(sentence, q.content)
                .or_else(|| inherited.and_then(|p| p.2.clone()));
            let (cs, ce) = crate::textutil::trim_range(text, q.content.0, q.content.1);
            let content = text[cs..ce].trim_end_matches(['’', '”', '"']).trim_end();
            // The same speaker going on after the attribution, in the same
            // paragraph with nothing quoted between: one act of saying.
            let continues = prev_quote.is_some_and(|(close, ref who)| {
                let gap = &text[close..q.open];
                who.is_some()
                    && speaker.as_ref().map(|s| &s.name) == who.as_ref()
                    // "“…,” she added": a cue of its own, another act.
                    && cue.as_ref().is_none_or(|c| c.start < doc.ch(q.open))
                    && gap.split_whitespace().count() <= 25
                    && !gap.contains(['“', '”', '"'])
            });
            prev_quote = Some((q.close, speaker.as_ref().map(|s| s.name.clone())));
            let st = Statement {
                start: doc.ch(cs),
                end: doc.ch(cs + content.len()),
                text: content.to_string(),
                direct: true,
                speaker,
                cue,
                channel,
                date,
                hedges: hedges_of(&text[sentence.0..sentence.1]),
                continues,
            };
            para_quote_speaker = Some((st.speaker.clone(), st.channel.clone(), st.date.clone()));
            out.push(st);
        }
        // Indirect speech in the sentences outside quotes.
        for &(ss, se) in doc.sentences.iter().filter(|&&(s, e)| s >= ps && e <= pe) {
            if covered.iter().any(|&(a, b)| a < se && ss < b) {
                continue;
            }
            let sentence = &text[ss..se];
            if sentence.trim_end().ends_with(':') {
                continue; // introduces a direct quote in the next paragraph
            }
            let next_sentence = doc
                .sentences
                .iter()
                .find(|&&(s, _)| s >= se)
                .map(|&(s, e)| &text[s..e])
                .unwrap_or("");
            let indirect = INDIRECT
                .captures_iter(sentence)
                .find(|c| clean_speaker(c.name("spk").map_or("", |m| m.as_str())).is_some());
            let (speaker_m, cue_m, content) = if let Some(c) = indirect {
                let (sm, cm) = (c.name("spk").unwrap(), c.name("cue").unwrap());
                let rest = &sentence[cm.end()..];
                let rest_trim = rest.trim_start_matches([' ', ',', ':']);
                let mut cut = LEADING_ADJUNCT.find(rest_trim).map_or(0, |m| m.end());
                if cm.as_str().starts_with("told") || cm.as_str().starts_with("tells") {
                    cut += ADDRESSEE.find(&rest_trim[cut..]).map_or(0, |m| m.end());
                }
                cut += CIRCUMSTANCE.find(&rest_trim[cut..]).map_or(0, |m| m.end());
                // Keep the adjunct if stripping it would eat the whole clause.
                let rest_trim = if rest_trim[cut..].split_whitespace().count() >= 4 {
                    &rest_trim[cut..]
                } else {
                    rest_trim
                };
                let content = if rest_trim
                    .trim_matches(['.', ' '])
                    .split_whitespace()
                    .count()
                    >= 4
                {
                    let off = se - rest_trim.len();
                    (off, se)
                } else if sm.start() > 0 {
                    // "…, Zelensky alleged." — the content comes first.
                    (
                        ss,
                        ss + sentence[..sm.start()].trim_end_matches([' ', ',']).len(),
                    )
                } else {
                    continue;
                };
                (Some(sm), cm, content)
            } else if let Some(c) = ACCORDING.captures(sentence) {
                let (sm, cm) = (c.name("spk").unwrap(), c.name("cue").unwrap());
                let m = c.get(0).unwrap();
                let content = if m.start() > 3 {
                    (
                        ss,
                        ss + sentence[..m.start()].trim_end_matches([' ', ',']).len(),
                    )
                } else {
                    let rest = sentence[m.end()..].trim_start_matches([' ', ',']);
                    (se - rest.len(), se)
                };
                (Some(sm), cm, content)
            } else if let Some(h) = ALLEGED.find(sentence) {
                // "Kestrel reportedly stored more solvent…": a claim with no
                // speaker, only alleged. The whole sentence is the claim.
                (None, h, (ss, se))
            } else {
                continue;
            };
            let (cs, ce) = crate::textutil::trim_range(text, content.0, content.1);
            let body = text[cs..ce].trim_end_matches(['.', ' ']);
            if body.split_whitespace().count() < 4 {
                continue;
            }
            let speaker = speaker_m.map(|m| ctx.speaker(m.as_str(), ss + m.start()));
            let mut hedges = hedges_of(sentence);
            // "X could not confirm the claim." right after: the verification cue
            // must lead the next sentence, not trail another claim there.
            let next_lead = next_sentence.split(',').next().unwrap_or("");
            for h in hedges_of(next_lead) {
                if (h.starts_with("could not") || h == "unclear" || h.starts_with("not "))
                    && !hedges.contains(&h)
                {
                    hedges.push(h);
                }
            }
            out.push(Statement {
                start: doc.ch(cs),
                end: doc.ch(cs + body.len()),
                text: body.to_string(),
                direct: false,
                speaker,
                cue: Some(ctx.cue(cue_m.as_str(), ss + cue_m.start())),
                channel: channel_of(sentence),
                date: ctx.date_in((ss, se)),
                hedges,
                continues: false,
            });
        }
        prev_para_quote_speaker = para_quote_speaker;
        prev_para = Some((ps, pe));
    }
    out.sort_by_key(|s| s.start);
    out
}

#[cfg(test)]
mod tests;
