//! Words, stems and sentences, as the stance features see them.

use rust_stemmers::{Algorithm, Stemmer};
use std::collections::HashSet;
use std::sync::LazyLock;

static STEMMER: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

static STOP: LazyLock<HashSet<String>> = LazyLock::new(|| {
    stop_words::lookup("en")
        .into_iter()
        .flatten()
        .map(|w| w.to_string())
        .collect()
});

/// A word of a text: lower-cased, accents folded, with its char offsets.
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    /// Lower-cased, accents folded; an inner apostrophe kept ("doesn't").
    pub lower: String,
    /// English stem of `lower`.
    pub stem: String,
    /// Written with a capital first letter.
    pub capital: bool,
    /// A stop word (function word).
    pub stop: bool,
}

/// The words of `text` with the char offset of each.
pub fn words(text: &str) -> Vec<(usize, Word)> {
    let mut out = Vec::new();
    let mut start: Option<(usize, usize)> = None; // (char index, byte index)
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (ci, &(bi, c)) in chars.iter().enumerate() {
        let inner_apostrophe = matches!(c, '\'' | '’')
            && start.is_some()
            && chars.get(ci + 1).is_some_and(|(_, n)| n.is_alphanumeric());
        if c.is_alphanumeric() || inner_apostrophe {
            start.get_or_insert((ci, bi));
        } else if let Some((cs, bs)) = start.take() {
            out.push((cs, word(&text[bs..bi])));
        }
    }
    if let Some((cs, bs)) = start {
        out.push((cs, word(&text[bs..])));
    }
    out
}

/// The words of `text` lower-cased and accents folded, as [`words`] cuts
/// them, without stems (what the cue lexicons compare).
pub fn lower_words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let inner_apostrophe = matches!(c, '\'' | '’')
            && start.is_some()
            && chars.peek().is_some_and(|(_, n)| n.is_alphanumeric());
        if c.is_alphanumeric() || inner_apostrophe {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            out.push(lower(&text[s..i]));
        }
    }
    if let Some(s) = start {
        out.push(lower(&text[s..]));
    }
    out
}

fn lower(w: &str) -> String {
    if w.is_ascii() {
        w.to_ascii_lowercase()
    } else {
        deunicode::deunicode(w).to_lowercase()
    }
    .replace('’', "'")
}

fn word(w: &str) -> Word {
    let lower = lower(w);
    let stop = STOP.contains(&lower);
    Word {
        stem: STEMMER.stem(&lower).into_owned(),
        capital: w.starts_with(char::is_uppercase),
        stop,
        lower,
    }
}

/// Sentences of `text` as (char start, char end) spans: cut after `.`, `!`
/// or `?` followed by white space, and at blank lines.
pub fn sentences(text: &str) -> Vec<(usize, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let end_mark = matches!(c, '.' | '!' | '?')
            && chars
                .get(i + 1)
                .is_none_or(|n| n.is_whitespace() || matches!(n, '"' | '”' | '\''));
        let blank = c == '\n' && chars.get(i + 1) == Some(&'\n');
        if end_mark || blank {
            let mut end = i + 1;
            while end < chars.len() && matches!(chars[end], '"' | '”' | '\'') {
                end += 1;
            }
            push_trimmed(&chars, start, end, &mut out);
            start = end;
            i = end;
            continue;
        }
        i += 1;
    }
    push_trimmed(&chars, start, chars.len(), &mut out);
    out
}

fn push_trimmed(chars: &[char], mut s: usize, mut e: usize, out: &mut Vec<(usize, usize)>) {
    while s < e && chars[s].is_whitespace() {
        s += 1;
    }
    while e > s && chars[e - 1].is_whitespace() {
        e -= 1;
    }
    if e > s {
        out.push((s, e));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_keep_inner_apostrophes_and_offsets() {
        let w = words("It doesn't burn, Café 'x'");
        let lower: Vec<&str> = w.iter().map(|(_, w)| w.lower.as_str()).collect();
        assert_eq!(lower, ["it", "doesn't", "burn", "cafe", "x"]);
        assert_eq!(w[3].0, 17);
        assert!(w[3].1.capital && w[0].1.stop && !w[2].1.stop);
        assert_eq!(w[2].1.stem, "burn");
    }

    #[test]
    fn lower_words_cut_as_words_do() {
        let t = "It doesn't burn, Café 'x' — l’eau";
        let a: Vec<String> = words(t).into_iter().map(|(_, w)| w.lower).collect();
        assert_eq!(lower_words(t), a);
    }

    #[test]
    fn sentences_end_at_marks_and_blank_lines() {
        let t = "He said so. \"It is false.\" Then?\n\nNew paragraph without a mark";
        let s: Vec<String> = sentences(t)
            .into_iter()
            .map(|(a, b)| t.chars().skip(a).take(b - a).collect())
            .collect();
        assert_eq!(
            s,
            [
                "He said so.",
                "\"It is false.\"",
                "Then?",
                "New paragraph without a mark"
            ]
        );
    }
}
