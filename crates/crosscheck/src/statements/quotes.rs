//! Direct quotes: where each stands in its sentence, which cue and speaker
//! attribute it (the first pattern that fits around it), and what a
//! paragraph's quotes carry to the next paragraph.

use super::*;

/// What a paragraph's last quote leaves to a quote opening the next one:
/// its speaker, channel and date.
pub(super) type Carried = Option<(Option<Speaker>, Option<String>, Option<String>)>;

/// Where a quote stands: its paragraph's start, its sentence's start, the
/// text of its sentence before and after it, and the previous paragraph.
pub(super) struct Around<'t> {
    ps: usize,
    sent_start: usize,
    before: &'t str,
    after: &'t str,
    prev_para: Option<(usize, usize)>,
}

/// Where a quote stands in its sentence: the sentence's span, the text of
/// the sentence before the quote and after it (the next sentence's too
/// when the quote opens and ends its own), and whether it opens it.
pub(super) struct Place<'t> {
    sent_start: usize,
    sent_end: usize,
    before: &'t str,
    after: &'t str,
    opens_sentence: bool,
}

pub(super) fn place<'t>(doc: &Doc<'t>, q: &Quote, (ps, pe): (usize, usize)) -> Place<'t> {
    let text = doc.text;
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
    Place {
        sent_start,
        sent_end,
        before,
        after,
        opens_sentence,
    }
}

/// A speaker group that cleans to a speaker.
pub(super) fn names_speaker(c: &regex::Captures<'_>) -> bool {
    clean_speaker(c.name("spk").map_or("", |m| m.as_str())).is_some()
}

/// A cue and speaker right after a quote, in the same clause.
pub(super) fn adjacent_cue(after: &str) -> Option<regex::Captures<'_>> {
    CUE_FIRST
        .captures(after)
        .filter(names_speaker)
        .or_else(|| CUE_DESCRIPTION.captures(after).filter(names_speaker))
        .or_else(|| DESCRIPTION_CUE.captures(after).filter(names_speaker))
        .or_else(|| {
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
                names_speaker(c)
                    && !conjunction
                    && gap.split_whitespace().count() <= 5
                    && !gap.contains(['.', ';', ':', '!', '?', '“', '”', '"'])
            })
        })
}

/// Whether a short quote with no cue next to it is words said: the quoted
/// part of reported speech ("Trump said Machado was “disgusting” and “a
/// con”"), not a scare quote or a title (“Fox News Sunday”).
pub(super) fn short_quote_is_speech(
    text: &str,
    q: &Quote,
    at: &Place<'_>,
    (ps, pe): (usize, usize),
) -> bool {
    let reported = EVALUATIVE.is_match(at.before)
        || INDIRECT.captures_iter(at.before).any(|c| names_speaker(&c))
        || ACCORDING.is_match(&text[at.sent_start.max(ps)..at.sent_end.min(pe)]);
    let title = text[q.content.0..q.content.1]
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphabetic))
        .all(|w| w.starts_with(|c: char| c.is_uppercase() || !c.is_alphabetic()));
    reported && !title
}

/// The speaker and cue of the sentence just before a quote that opens its
/// own (“…,” Schiff said. “The other factor…”), when that sentence ends
/// with them.
pub(super) fn previous_sentence_speaker(
    ctx: &mut Ctx<'_, '_>,
    ps: usize,
    sent_start: usize,
) -> Option<(Speaker, Cue)> {
    let doc = ctx.doc;
    let &(s0, e0) = doc
        .sentences
        .iter()
        .rfind(|&&(s, e)| s >= ps && e <= sent_start)?;
    let sent = doc.text[s0..e0].trim_end();
    let c = INDIRECT.captures_iter(sent).last().filter(names_speaker)?;
    let tail = &sent[c.get(0).unwrap().end()..];
    if tail.split_whitespace().count() > 4 || tail.contains(['“', '”', '"']) {
        return None;
    }
    let (cm, sm) = (c.name("cue").unwrap(), c.name("spk").unwrap());
    let cue = ctx.cue(cm.as_str(), s0 + cm.start());
    Some((ctx.speaker(sm.as_str(), s0 + sm.start()), cue))
}

/// What one paragraph's quotes share while they are read in order.
#[derive(Default)]
pub(super) struct ParaState {
    covered: Vec<(usize, usize)>,
    carried: Carried,
    last_speaker: Option<Speaker>,
    short_quote_sentence: Option<usize>,
    /// The previous quote of the paragraph: where it closed, who said it.
    prev_quote: Option<(usize, Option<String>)>,
}

/// The direct quotes of one paragraph, pushed to `out`: the spans they
/// cover, and what the paragraph leaves to the next.
pub(super) fn direct_quotes(
    ctx: &mut Ctx<'_, '_>,
    (ps, pe): (usize, usize),
    prev_para: Option<(usize, usize)>,
    prev_para_quote_speaker: &Carried,
    out: &mut Vec<Statement>,
) -> (Vec<(usize, usize)>, Carried) {
    let text = ctx.doc.text;
    let mut st = ParaState::default();
    for q in &quotes_in(text, (ps, pe)) {
        let at = place(ctx.doc, q, (ps, pe));
        let adjacent = adjacent_cue(at.after);
        // Short quotes ("too little") are scare quotes unless a cue is
        // right next to them; a short quote in reported speech is kept
        // once per sentence, with the sentence's speaker.
        let short = text[q.content.0..q.content.1].split_whitespace().count() < 4;
        if short && adjacent.is_none() {
            if !short_quote_is_speech(text, q, &at, (ps, pe))
                || st.short_quote_sentence == Some(at.sent_start)
            {
                continue;
            }
            st.short_quote_sentence = Some(at.sent_start);
        }
        st.covered.push((q.open, q.close));
        let around = Around {
            ps,
            sent_start: at.sent_start,
            before: at.before,
            after: at.after,
            prev_para,
        };
        let (speaker, cue) = attribute(ctx, q, around, adjacent, prev_para_quote_speaker);
        let (speaker, cue) = fallback_speaker(ctx, &at, ps, speaker, cue, &st);
        if speaker.is_some() {
            st.last_speaker = speaker.clone();
        }
        let sentence = (at.sent_start.max(ps), at.sent_end.min(pe));
        let inherited = prev_para_quote_speaker.as_ref().filter(|_| q.open == ps);
        let s = quote_statement(ctx, q, sentence, prev_para, inherited, speaker, cue, &st);
        st.prev_quote = Some((q.close, s.speaker.as_ref().map(|s| s.name.clone())));
        st.carried = Some((s.speaker.clone(), s.channel.clone(), s.date.clone()));
        out.push(s);
    }
    (st.covered, st.carried)
}

/// When no pattern around a quote named its speaker: the sentence just
/// before, the subject of the quote's own sentence, or the paragraph's
/// previous speaker going on.
pub(super) fn fallback_speaker(
    ctx: &mut Ctx<'_, '_>,
    at: &Place<'_>,
    ps: usize,
    speaker: Option<Speaker>,
    cue: Option<Cue>,
    st: &ParaState,
) -> (Option<Speaker>, Option<Cue>) {
    if speaker.is_some() {
        return (speaker, cue);
    }
    if at.opens_sentence && at.sent_start > ps {
        if let Some((s, c)) = previous_sentence_speaker(ctx, ps, at.sent_start) {
            return (Some(s), Some(c));
        }
    }
    if !at.opens_sentence {
        // A quote inside a sentence with no cue next to it ("Reid has
        // gone after Trump as a “human leech…”"): its subject.
        if let Some(sm) = sentence_subject(at.before) {
            let base = at.sent_start.max(ps);
            return (Some(ctx.speaker(sm.as_str(), base + sm.start())), cue);
        }
    }
    (st.last_speaker.clone(), cue)
}

/// The statement of one direct quote, its channel and date read from its
/// sentence (and an introducing paragraph ending in a colon) or carried
/// from the previous paragraph's quote.
#[allow(clippy::too_many_arguments)]
pub(super) fn quote_statement(
    ctx: &Ctx<'_, '_>,
    q: &Quote,
    sentence: (usize, usize),
    prev_para: Option<(usize, usize)>,
    inherited: Option<&(Option<Speaker>, Option<String>, Option<String>)>,
    speaker: Option<Speaker>,
    cue: Option<Cue>,
    st: &ParaState,
) -> Statement {
    let (doc, text) = (ctx.doc, ctx.doc.text);
    let context = match prev_para {
        Some((pps, ppe)) if text[pps..ppe].trim_end().ends_with(':') => &text[pps..sentence.1],
        _ => &text[sentence.0..sentence.1],
    };
    let channel = channel_of(context).or_else(|| inherited.and_then(|p| p.1.clone()));
    let date = ctx
        .date_outside(sentence, q.content)
        .or_else(|| inherited.and_then(|p| p.2.clone()));
    let (cs, ce) = crate::textutil::trim_range(text, q.content.0, q.content.1);
    let content = text[cs..ce].trim_end_matches(['’', '”', '"']).trim_end();
    // The same speaker going on after the attribution, in the same
    // paragraph with nothing quoted between: one act of saying.
    let continues = st.prev_quote.as_ref().is_some_and(|(close, who)| {
        let gap = &text[*close..q.open];
        who.is_some()
            && speaker.as_ref().map(|s| &s.name) == who.as_ref()
            // "“…,” she added": a cue of its own, another act.
            && cue.as_ref().is_none_or(|c| c.start < doc.ch(q.open))
            && gap.split_whitespace().count() <= 25
            && !gap.contains(['“', '”', '"'])
    });
    Statement {
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
    }
}

/// The speaker and cue of quote `q`: the first attribution pattern that
/// fits around it (cue next to it, signed, labelled, a participle, an
/// inverted or introducing clause, "according to", the enclosing clause,
/// the previous paragraph's introduction or quote, a cue after a partial
/// quote).
pub(super) fn attribute(
    ctx: &mut Ctx<'_, '_>,
    q: &Quote,
    at: Around<'_>,
    adjacent: Option<regex::Captures<'_>>,
    prev_para_quote_speaker: &Carried,
) -> (Option<Speaker>, Option<Cue>) {
    fn spk<'h>(c: &regex::Captures<'h>) -> regex::Match<'h> {
        c.name("spk").unwrap()
    }
    let text = ctx.doc.text;
    let Around {
        ps,
        sent_start,
        before,
        after,
        prev_para,
    } = at;
    let base = sent_start.max(ps);
    if let Some(c) = adjacent {
        found(ctx, c.name("cue"), spk(&c), q.close)
    } else if let Some(c) = DASH_SIGNED.captures(after) {
        found(ctx, None, spk(&c), q.close)
    } else if let Some(c) = LABEL.captures(&text[q.content.0..q.content.1]) {
        found(ctx, None, spk(&c), q.content.0)
    } else if let Some((cm, sm)) = participle(before) {
        found(ctx, Some(cm), sm, base)
    } else if let Some((cm, sm)) = inverted(before) {
        found(ctx, Some(cm), sm, base)
    } else if let Some(c) = LABEL_BEFORE.captures(before).filter(names_speaker) {
        found(ctx, None, spk(&c), base)
    } else if let Some(c) = ACCORDING.captures_iter(before).last() {
        found(ctx, c.name("cue"), spk(&c), base)
    } else if let Some(c) = outer_speaker(before).filter(names_speaker) {
        found(ctx, c.name("cue"), spk(&c), base)
    } else if q.open == ps || text[ps..q.open].trim().is_empty() {
        let (speaker, cue) = introduced(ctx, prev_para);
        match (speaker, prev_para_quote_speaker) {
            (None, Some((s, _, _))) => (s.clone(), cue),
            (speaker, _) => (speaker, cue),
        }
    } else if let Some(c) = INDIRECT.captures(after).filter(|c| {
        // Not the attribution of the next quote.
        names_speaker(c) && !after[..c.get(0).unwrap().start()].contains(['“', '”', '"'])
    }) {
        // A partial quote inside an attributed sentence:
        // A cashier who “steals” is held accountable, Warren said.
        found(ctx, c.name("cue"), spk(&c), q.close)
    } else {
        (None, None)
    }
}

/// A speaker (and cue) matched at `base`.
pub(super) fn found(
    ctx: &mut Ctx<'_, '_>,
    cue: Option<regex::Match<'_>>,
    speaker: regex::Match<'_>,
    base: usize,
) -> (Option<Speaker>, Option<Cue>) {
    let cue = cue.map(|cm| ctx.cue(cm.as_str(), base + cm.start()));
    (
        Some(ctx.speaker(speaker.as_str(), base + speaker.start())),
        cue,
    )
}

/// A participle before the quote ("…, saying, “…”") and the subject of its
/// clause, not the last name before it: "Trump attacked Clinton over
/// Libya, saying, “…”".
pub(super) fn participle(before: &str) -> Option<(regex::Match<'_>, regex::Match<'_>)> {
    let c = PARTICIPLE.captures(before)?;
    let cm = c.name("cue").unwrap();
    let head = &before[..c.get(0).unwrap().start()];
    let subject = sentence_subject(head).or_else(|| {
        SPEAKER_NP
            .find_iter(head)
            .filter(|m| clean_speaker(m.as_str()).is_some())
            .last()
    })?;
    Some((cm, subject))
}

/// An inverted, introducing or evaluative clause before the quote ("said
/// X:", "X said:", "X called it a “…”").
pub(super) fn inverted(before: &str) -> Option<(regex::Match<'_>, regex::Match<'_>)> {
    let c = INVERTED
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
        .or_else(|| EVALUATIVE.captures_iter(before).last())?;
    let (cm, mut sm) = (c.name("cue").unwrap(), c.name("spk").unwrap());
    // "Ban Ki-moon condemned what he called a “brazen breach”": the label
    // is quoted by the sentence's subject.
    if before[..sm.start()].trim_end().ends_with("what") {
        if let Some(subject) = sentence_subject(before).filter(|m| m.start() < sm.start()) {
            sm = subject;
        }
    }
    Some((cm, sm))
}

/// A quote opening its paragraph, introduced by the previous paragraph
/// ("X said:"; with no cue verb, "Sanders made the following comment:",
/// the subject of the introducing sentence).
pub(super) fn introduced(
    ctx: &mut Ctx<'_, '_>,
    prev_para: Option<(usize, usize)>,
) -> (Option<Speaker>, Option<Cue>) {
    let doc = ctx.doc;
    let Some((pps, ppe)) = prev_para else {
        return (None, None);
    };
    let intro = &doc.text[pps..ppe];
    if !intro.trim_end().ends_with(':') {
        return (None, None);
    }
    if let Some(c) = INDIRECT.captures_iter(intro).last() {
        return found(ctx, c.name("cue"), c.name("spk").unwrap(), pps);
    }
    let last = doc
        .sentences
        .iter()
        .rfind(|&&(s, e)| s >= pps && e <= ppe)
        .map_or(pps, |&(s, _)| s);
    match SPEAKER_NP
        .find_iter(&doc.text[last..ppe])
        .find(|m| clean_speaker(m.as_str()).is_some())
    {
        Some(sm) => found(ctx, None, sm, last),
        None => (None, None),
    }
}
