//! Paragraphs, sentences and byte→char offset mapping.

use regex::Regex;
use std::collections::HashSet;
use std::sync::LazyLock;

/// A text with its paragraphs and sentences (byte ranges).
pub(crate) struct Doc<'a> {
    pub text: &'a str,
    pub paragraphs: Vec<(usize, usize)>,
    pub sentences: Vec<(usize, usize)>,
    char_at: Vec<u32>,
}

/// Words whose dot does not end a sentence: lexicon `en/abbreviations` and
/// `en/month-abbreviations`.
static ABBREV: LazyLock<HashSet<&str>> = LazyLock::new(|| {
    let mut set: HashSet<&str> = corroborate_lexicon::words("en", "abbreviations")
        .into_iter()
        .collect();
    set.extend(corroborate_lexicon::words("en", "month-abbreviations"));
    set
});

static SENT_END: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#"[.!?…]+["”’']?\s+"#).unwrap());

impl<'a> Doc<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut char_at = vec![0u32; text.len() + 1];
        let mut n = 0u32;
        for (b, c) in text.char_indices() {
            for slot in &mut char_at[b..b + c.len_utf8()] {
                *slot = n;
            }
            n += 1;
        }
        char_at[text.len()] = n;
        let mut paragraphs = Vec::new();
        let mut start = 0;
        for (i, _) in text
            .match_indices('\n')
            .chain(std::iter::once((text.len(), "")))
        {
            let (s, e) = trim_range(text, start, i);
            if e > s {
                paragraphs.push((s, e));
            }
            start = i + 1;
        }
        let mut sentences = Vec::new();
        for &(ps, pe) in &paragraphs {
            let para = &text[ps..pe];
            let mut s = 0;
            for m in SENT_END.find_iter(para) {
                let before = &para[s..m.start()];
                let last_word = before
                    .rsplit(|c: char| c.is_whitespace() || c == '(')
                    .next()
                    .unwrap_or("");
                let lw = last_word.trim_end_matches('.').to_lowercase();
                let next = para[m.end()..].chars().next();
                let abbreviation = ABBREV.contains(lw.as_str())
                    || (lw.len() == 1 && lw.chars().all(char::is_alphabetic));
                if abbreviation || next.is_some_and(|c| c.is_lowercase() || c.is_ascii_digit()) {
                    continue;
                }
                let (a, b) = trim_range(text, ps + s, ps + m.end());
                if b > a {
                    sentences.push((a, b));
                }
                s = m.end();
            }
            let (a, b) = trim_range(text, ps + s, pe);
            if b > a {
                sentences.push((a, b));
            }
        }
        Doc {
            text,
            paragraphs,
            sentences,
            char_at,
        }
    }

    /// Char offset of a byte offset.
    pub fn ch(&self, byte: usize) -> usize {
        self.char_at[byte.min(self.text.len())] as usize
    }

    /// The sentence (byte range) containing `byte`.
    pub fn sentence_of(&self, byte: usize) -> (usize, usize) {
        self.sentences
            .iter()
            .copied()
            .find(|&(s, e)| byte >= s && byte < e)
            .unwrap_or((byte, byte))
    }
}

pub(crate) fn trim_range(text: &str, mut s: usize, mut e: usize) -> (usize, usize) {
    let t = &text[s..e];
    s += t.len() - t.trim_start().len();
    e -= t.len() - t.trim_end().len();
    (s, e.max(s))
}
