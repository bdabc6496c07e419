//! Attributed statements: direct quotes and indirect speech, speakers,
//! channels, dates and hedges.

use crate::dates::FoundDate;
use crate::quotes::{quotes_in, Quote};
use crate::speakers::{clean_speaker, Names, PERSON_ROLES, ROLE_WORDS};
use crate::textutil::Doc;
use corroborate_model::{Cue, Speaker, Statement};
use regex::Regex;
use std::sync::LazyLock;

mod quotes;
use quotes::*;

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

/// A speaker noun phrase: capitalised run (with possessives, "of" and
/// "for": "the Institute for the Study of War"), a
/// possessive organisation ("Ukraine's military intelligence"), a pronoun,
/// or a definite description ("the Ukrainian president").
static SPEAKER: Built = Built(LazyLock::new(|| {
    let nouns =
        corroborate_lexicon::phrase_alternation(corroborate_lexicon::words("en", "speaker-nouns"));
    format!(
        r"(?:(?-u:\b)(?:[Tt]he|[Mm]y|[Hh]is|[Hh]er|[Oo]ur|[Tt]heir)\s+(?:[\p{{L}}-]+(?:[’']s)?\s+){{0,3}}(?:{nouns})(?-u:\b)|(?:\p{{Lu}}[\p{{L}}’'.-]*(?:\s+(?:(?:of|for)\s+(?:the\s+)?)?\p{{Lu}}[\p{{L}}’'.-]*){{0,5}}(?:[’']s(?:\s+[\p{{Ll}}-]+){{1,3}}(?:\s+\(\p{{Lu}}+\))?|(?:\s+(?:intelligence|officials?|military|government|ministry|forces|media|authorities|police|army|sources?|spokesperson|spokesman)(?-u:\b))+)?)|(?-u:\b)(?:[Hh]e|[Ss]he|[Tt]hey)(?-u:\b))"
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
/// A description: "a young woman", "another senior official", "one Harbour
/// Line employee", "Rubio’s deputy campaign manager" (the speaker of a
/// quote when a cue verb stands between them); `{SEP}` is what may stand
/// between its words.
fn description(sep: &str) -> String {
    format!(
        r"(?:(?:[Aa]n?|[Aa]nother|[Oo]ne|[Tt]he)\s+|\p{{Lu}}[\p{{L}}.-]*[’']s\s+)[\p{{L}}\d&’'-]+(?:{sep}\s+[\p{{L}}\d&’'-]+){{0,3}}"
    )
}
/// A description after its cue: words parted by spaces only (a comma ends
/// it: "said Lind’s deputy campaign manager, Ole Brant").
static DESCRIPTION: Built = Built(LazyLock::new(|| description("")));
/// A description before its cue, which ends it: a comma may part its
/// adjectives ("the bespectacled, 71-year-old diplomat").
static DESCRIPTION_LIST: Built = Built(LazyLock::new(|| description(",?")));
/// A description and its cue right after a quote: "…,” a young woman
/// exclaimed.
static DESCRIPTION_CUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^\s*,?\s*(?P<spk>{DESCRIPTION_LIST})\s+(?:\p{{Ll}}+ly\s+)?(?P<cue>{CUES})(?-u:\b)"
    ))
    .unwrap()
});
/// A cue and a description right after a quote: "…,” said a longtime
/// adviser.
static CUE_DESCRIPTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^\s*,?\s*(?P<cue>{CUES})\s+(?P<spk>{DESCRIPTION})"
    ))
    .unwrap()
});
/// A name and a colon opening a quote's sentence: Clinton: "Our goal …".
/// (Any name before a colon, "… doesn’t surprise pollster Jane Roe: “…”",
/// lost on both PolNeAR splits.)
static LABEL_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?P<spk>\p{Lu}[\p{L}.’'-]*(?:\s+\p{Lu}[\p{L}.’'-]*){0,3}):\s*$").unwrap()
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

/// The last occurrence of `word` in `text` as a whole word ("Korea" is
/// not found in "Korean").
fn rfind_word(text: &str, word: &str) -> Option<usize> {
    let alnum = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    text.rmatch_indices(word).map(|(i, _)| i).find(|&i| {
        !alnum(text[..i].chars().next_back()) && !alnum(text[i + word.len()..].chars().next())
    })
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
        // The article may have been trimmed off with a connective ("The
        // Ukrainian president wrote"); a modifier may be a capitalised
        // adjective or organisation ("the Ukrainian president", "the
        // Pentagon spokesperson"), since the head is a person's role.
        let definite = |s: &str| s.starts_with("the ") || s.starts_with("The ");
        let words = trimmed.split_whitespace().count();
        let person_description = (definite(trimmed)
            || (definite(raw.trim()) && raw.trim().ends_with(trimmed)))
            && PERSON_ROLES.contains(head.as_str())
            && words <= 4
            && trimmed.split_whitespace().all(|w| {
                !w.contains(['’', '\'']) || ROLE_WORDS.contains(w.to_lowercase().as_str())
            });
        let name = if pronoun {
            self.nearest_person(start)
                .or_else(|| self.last_speaker.clone())
                .unwrap_or_else(|| trimmed.to_string())
        } else if person_description {
            self.nearest_person(start)
                .or_else(|| self.last_speaker.clone())
                .unwrap_or_else(|| self.names.resolve(trimmed))
        } else {
            self.names.resolve(trimmed)
        };
        if !pronoun {
            self.last_speaker = Some(name.clone());
            self.names.spoke(&name);
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
        // Known people first (introduced by a role, or heard speaking);
        // any full name only when none of them is in the paragraph.
        let nearest = |names: &mut dyn Iterator<Item = &String>| {
            names
                .filter_map(|n| {
                    let last = n.split_whitespace().last()?;
                    rfind_word(window, n)
                        .or_else(|| rfind_word(window, last))
                        .map(|pos| (pos, n))
                })
                .max_by_key(|(pos, _)| *pos)
                .map(|(_, n)| n.clone())
        };
        // Among names not known to be people, a capitalised run that reads
        // as a plural ("North Koreans") is a group, not a "he" or "she".
        let singular = |n: &&String| !n.ends_with('s') || n.ends_with("ss");
        nearest(&mut self.names.persons.iter())
            .or_else(|| nearest(&mut self.names.full.iter().filter(singular)))
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
    let mut ctx = Ctx {
        doc,
        dates,
        names: Names::collect(doc.text),
        last_speaker: None,
    };
    let mut out: Vec<Statement> = Vec::new();
    let mut prev_para_quote_speaker: Carried = None;
    let mut prev_para: Option<(usize, usize)> = None;
    for &para in &doc.paragraphs {
        let (covered, carried) = direct_quotes(
            &mut ctx,
            para,
            prev_para,
            &prev_para_quote_speaker,
            &mut out,
        );
        indirect_statements(&mut ctx, para, &covered, &mut out);
        prev_para_quote_speaker = carried;
        prev_para = Some(para);
    }
    out.sort_by_key(|s| s.start);
    out
}

/// Indirect speech in the sentences of one paragraph outside its quotes
/// (`covered`), pushed to `out`.
fn indirect_statements(
    ctx: &mut Ctx<'_, '_>,
    (ps, pe): (usize, usize),
    covered: &[(usize, usize)],
    out: &mut Vec<Statement>,
) {
    let doc = ctx.doc;
    let text = doc.text;
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
}

#[cfg(test)]
mod tests;
