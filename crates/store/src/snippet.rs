//! Snippets for a page of story search results, computed here rather than
//! by FTS5's `snippet()`: that function re-tokenises and scores the whole
//! column for every row (about 0.4 ms for a 5 KB article), which for a page
//! of 50 stories cost more than the search itself. The story index has
//! already decided *which* stories match; this only finds the first place
//! in a text where a query word occurs, in one linear pass.
//!
//! A word matches the way the index matches it, closely enough for marking:
//! accents folded, lower-cased, and compared by English stem (Snowball
//! English; the index uses the original Porter stemmer, which differs on
//! rare suffixes), or by prefix for a name ([`crate::fts_query`]'s rule).

use rust_stemmers::{Algorithm, Stemmer};
use std::sync::LazyLock;

static STEMMER: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

/// Words before and after the first match that a snippet keeps.
const BEFORE: usize = 5;
const AFTER: usize = 11;

/// The query words of a search, as a snippet matches them.
pub(crate) struct Terms {
    stems: Vec<String>,
    prefixes: Vec<String>,
    /// The first letters of every term ([`Terms::close`]), any case: finds
    /// candidate words in a long ASCII text without splitting it into words.
    finder: Option<aho_corasick::AhoCorasick>,
}

impl Terms {
    /// From the user's words, with [`crate::fts_query`]'s name rule.
    pub(crate) fn new(text: &str) -> Terms {
        let mut t = Terms {
            stems: Vec::new(),
            prefixes: Vec::new(),
            finder: None,
        };
        for w in words(text).map(|(_, w)| w) {
            let chars = w.chars().count();
            let folded = fold(w);
            if crate::is_name(w) {
                let cut: String = folded.chars().take(chars - 2).collect();
                t.prefixes.push(cut);
            } else {
                t.stems.push(STEMMER.stem(&folded).into_owned());
            }
        }
        let heads: Vec<&str> = t.prefixes.iter().chain(&t.stems).map(|x| head(x)).collect();
        t.finder = aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(heads.iter().filter(|h| h.is_ascii()))
            .ok()
            .filter(|_| heads.iter().all(|h| h.is_ascii()));
        t
    }

    /// Byte offset of the first matching word of `text`.
    pub(crate) fn first(&self, text: &str) -> Option<usize> {
        match &self.finder {
            Some(f) if text.is_ascii() => f
                .find_iter(text)
                .map(|m| m.start())
                .filter(|&i| i == 0 || !text.as_bytes()[i - 1].is_ascii_alphanumeric())
                .find(|&i| {
                    let end = text[i..]
                        .find(|c: char| !c.is_alphanumeric())
                        .map_or(text.len(), |e| i + e);
                    self.matches(&text[i..end])
                }),
            _ => words(text).find(|(_, w)| self.matches(w)).map(|(i, _)| i),
        }
    }

    fn matches(&self, word: &str) -> bool {
        // Most words share no first letters with any term: they are passed
        // over without folding or stemming.
        let close = |t: &str| {
            let h = head(t);
            word.get(..h.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(h))
        };
        if word.is_ascii() && !self.prefixes.iter().chain(&self.stems).any(|t| close(t)) {
            return false;
        }
        let f = fold(word);
        self.prefixes.iter().any(|p| f.starts_with(p.as_str()))
            || self.stems.iter().any(|s| *s == STEMMER.stem(&f))
    }

    /// Text around the first matching word of `text`, every matching word
    /// in square brackets; `None` when no word matches.
    pub(crate) fn snippet(&self, text: &str) -> Option<String> {
        let at = self.first(text)?;
        // A window around it, wide enough for the words kept either side.
        let lo = floor_boundary(text, at.saturating_sub(WINDOW_BEFORE));
        let hi = floor_boundary(text, (at + WINDOW_AFTER).min(text.len()));
        let hi = if hi < text.len() { hi.max(at + 1) } else { hi };
        let window = &text[lo..ceil_boundary(text, hi)];
        let all: Vec<(usize, &str)> = words(window).collect();
        let first = all.iter().position(|&(i, _)| lo + i >= at)?;
        // Words cut by the window's edges are dropped.
        let alnum_at = |i: usize| text[i..].starts_with(char::is_alphanumeric);
        let cut_before = lo > 0 && all[0].0 == 0 && text[..lo].ends_with(char::is_alphanumeric);
        let end = lo + window.len();
        let cut_after = end < text.len() && alnum_at(end);
        let from = first
            .saturating_sub(BEFORE)
            .max(usize::from(cut_before).min(first));
        let to =
            (first + AFTER).min(all.len() - 1 - usize::from(cut_after && all.len() - 1 > first));
        let cut_head = lo + all[from].0 > 0;
        let cut_tail = lo + all[to].0 + all[to].1.len() < text.len();
        Some(self.mark(window, &all[from..=to], cut_head, cut_tail))
    }

    /// What matched in one story (both backends): a snippet of its
    /// `openings`, else of the first of `articles` (texts read lazily, one
    /// at a time) that matches, and the first line of `claims` that
    /// matches, marked.
    pub(crate) fn story_match(
        &self,
        openings: &str,
        claims: &str,
        articles: impl IntoIterator<Item = crate::Result<String>>,
    ) -> crate::Result<crate::StoryMatch> {
        let mut found = self.snippet(openings);
        if found.is_none() {
            for text in articles {
                found = self.snippet(&text?);
                if found.is_some() {
                    break;
                }
            }
        }
        Ok(crate::StoryMatch {
            snippet: found.unwrap_or_default(),
            claim: self.first(claims).and_then(|at| {
                let start = claims[..at].rfind('\n').map_or(0, |i| i + 1);
                let end = claims[at..].find('\n').map_or(claims.len(), |i| at + i);
                self.highlight(&claims[start..end])
            }),
        })
    }

    /// `line` with every matching word in square brackets, when one matches.
    pub(crate) fn highlight(&self, line: &str) -> Option<String> {
        let all: Vec<(usize, &str)> = words(line).collect();
        all.iter()
            .any(|(_, w)| self.matches(w))
            .then(|| self.mark(line, &all, false, false))
    }

    /// The text from the first to the last of `span`'s words, matches marked.
    fn mark(&self, text: &str, span: &[(usize, &str)], cut_head: bool, cut_tail: bool) -> String {
        let (Some(&(start, _)), Some(&(last, lw))) = (span.first(), span.last()) else {
            return String::new();
        };
        let mut out = String::from(if cut_head { "…" } else { "" });
        let mut at = start;
        for &(i, w) in span {
            out.push_str(&text[at..i]);
            if self.matches(w) {
                out.push('[');
                out.push_str(w);
                out.push(']');
            } else {
                out.push_str(w);
            }
            at = i + w.len();
        }
        debug_assert_eq!(at, last + lw.len());
        if cut_tail {
            out.push('…');
        }
        out
    }
}

/// Bytes of text kept before and after the first match before splitting
/// it into words (enough for [`BEFORE`] and [`AFTER`] words).
const WINDOW_BEFORE: usize = 160;
const WINDOW_AFTER: usize = 320;

/// The first letters of a term that a matching word must start with (a stem
/// is its word's prefix but for a last letter, as in "happi" from "happy").
fn head(term: &str) -> &str {
    let n = term.len().saturating_sub(1).clamp(1, 3);
    term.get(..n).unwrap_or(term)
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Accents folded, lower-cased.
fn fold(w: &str) -> String {
    if w.is_ascii() {
        w.to_ascii_lowercase()
    } else {
        deunicode::deunicode(w).to_lowercase()
    }
}

/// The words of `text` (runs of letters and digits) with their byte offsets.
fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(move |w| (w.as_ptr() as usize - text.as_ptr() as usize, w))
}

#[cfg(test)]
mod tests {
    use super::Terms;

    #[test]
    fn the_first_match_with_its_context_and_every_match_marked() {
        let t = Terms::new("burned pier");
        let text = "Storm night. The old ferry pier burns after lightning struck it, and the pier was closed for the season by the harbour board on Monday.";
        let s = t.snippet(text).unwrap();
        assert_eq!(
            s,
            "Storm night. The old ferry [pier] [burns] after lightning struck it, and the [pier] was closed for…"
        );
        assert_eq!(t.snippet("Nothing about that here."), None);
    }

    #[test]
    fn long_texts_are_cut_at_words_around_the_match() {
        let t = Terms::new("harbour");
        let filler = "lorem ipsum dolor sit amet ".repeat(40);
        let text = format!("{filler}the harbour board met {filler}");
        let s = t.snippet(&text).unwrap();
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        assert!(s.contains("the [harbour] board met"), "{s}");
        // Whole words only at both ends.
        let inner = s.trim_matches('…');
        for w in inner.split_whitespace() {
            assert!(
                [
                    "lorem",
                    "ipsum",
                    "dolor",
                    "sit",
                    "amet",
                    "the",
                    "[harbour]",
                    "board",
                    "met"
                ]
                .contains(&w),
                "{w} in {s}"
            );
        }
    }

    #[test]
    fn the_fast_path_finds_what_a_word_by_word_scan_finds() {
        let texts = [
            "Burning questions: the fire burned on.",
            "Nothing here; a burnt offering.",
            "The burn unit, then BURNS again.",
            "sunburned backs, and burned toast",
        ];
        let t = Terms::new("burned");
        for text in texts {
            let scan = super::words(text)
                .find(|(_, w)| t.matches(w))
                .map(|(i, _)| i);
            assert_eq!(t.first(text), scan, "{text}");
        }
    }

    #[test]
    fn names_by_prefix_and_accents_folded() {
        let t = Terms::new("Kovačević");
        assert_eq!(
            t.highlight("Mayor Kovacevic said so").as_deref(),
            Some("Mayor [Kovacevic] said so")
        );
        assert_eq!(
            Terms::new("cafe").highlight("the Café closed").as_deref(),
            Some("the [Café] closed")
        );
        assert_eq!(Terms::new("ferry").highlight("no match"), None);
    }

    proptest::proptest! {
        /// Any text, any query: no panic at a char boundary, and a snippet
        /// always marks the match it was made for.
        #[test]
        fn snippets_of_any_text(text in "[a-zé ,.ß\u{1F600}]{0,900}", q in "[a-zé]{1,6}") {
            let t = Terms::new(&q);
            if let Some(s) = t.snippet(&text) {
                proptest::prop_assert!(s.contains('['), "{}", s);
            }
        }
    }
}
