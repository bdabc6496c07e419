//! The shape of one line of scraped text: its words, case, trimmed form,
//! repetition key, and whether it ends like prose.

use super::*;

/// Words from which a line reads as a paragraph whatever its last character.
pub(super) const LONG_LINE: usize = 15;

/// Words of a line: its whitespace-separated tokens, plus one for every
/// two Chinese or Japanese characters (written without spaces, a
/// paragraph of them is one token).
pub(super) fn words(line: &str) -> usize {
    words_of(line).count() + cjk_chars(line) / 2
}

pub(super) fn cjk_chars(line: &str) -> usize {
    if line.is_ascii() {
        0
    } else {
        line.chars().filter(|&c| is_cjk(c)).count()
    }
}

/// Whether a line has upper-case letters, and whether it has letters of
/// a script without case (Chinese, Arabic, Hebrew...) and no lower-case
/// ones: such a line is written as a headline or a sentence may be. A
/// line that is neither is all lower case (or has no letters).
pub(super) fn cased(line: &str) -> (bool, bool) {
    let (mut upper, mut lower, mut caseless) = (false, false, false);
    for c in line.chars() {
        if c.is_uppercase() {
            upper = true;
        } else if c.is_lowercase() {
            lower = true;
        } else if c.is_alphabetic() {
            caseless = true;
        }
    }
    (upper, caseless && !lower)
}

/// `line.trim()`, stepping over ASCII whitespace by bytes first: scraped
/// text is indented (a text browser's rendering nests lists in spaces)
/// and decoding each space to test it was a twentieth of extraction.
pub(super) fn trim(line: &str) -> &str {
    let b = line.as_bytes();
    let start = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    let end = b
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(start, |e| e + 1);
    // Both ends stop at a byte that is not ASCII whitespace: a character
    // boundary. What Unicode whitespace is left (U+000B, U+00A0...), `trim`
    // takes.
    line[start..end].trim()
}

/// A trimmed line without its list bullet ("• ", "- ", "► "...).
pub(super) fn strip_bullet(t: &str) -> &str {
    // Every bullet starts with one of these bytes: most lines are let go
    // without trying each bullet.
    if !matches!(t.as_bytes().first(), Some(b'-' | b'*' | 0xC2 | 0xE2)) {
        return t;
    }
    for b in ["• ", "· ", "- ", "* ", "– ", "▪ ", "► "] {
        if let Some(rest) = t.strip_prefix(b) {
            return rest.trim_start();
        }
    }
    t
}

/// Key for repetition: a hash of the line lower-cased, with whitespace runs
/// collapsed and a " | Site" suffix dropped; and the line's word count
/// ([`words`]), counted in the same pass. One pass over the bytes, ASCII
/// handled byte by byte (fewer instructions than splitting into words
/// first): this runs on every line of every page.
pub(super) fn key(line: &str, buf: &mut Vec<u8>) -> (u64, usize) {
    let head = match has_separator(line).then(|| site_suffix(line)).flatten() {
        Some((start, _)) => &line[..start],
        None => line,
    };
    buf.clear();
    let suffix = &line[head.len()..];
    let mut n = words_of(suffix).count();
    let mut cjk = cjk_chars(suffix);
    // Most lines: ASCII, words separated by single spaces, no space at
    // either end. Their key is the line lower-cased, and their words the
    // spaces plus one: counting loops the compiler vectorises.
    if let Some(spaces) = single_spaced_ascii(head.as_bytes()) {
        buf.extend_from_slice(head.as_bytes());
        buf.make_ascii_lowercase();
        n += usize::from(!head.is_empty()) + spaces;
    } else {
        buf.reserve(head.len());
        let mut in_word = false;
        let mut i = 0;
        let bytes = head.as_bytes();
        while i < bytes.len() {
            let b = bytes[i];
            // ASCII, nearly every byte: no character to decode. Its
            // whitespace is what `char::is_whitespace` calls so: space, \t,
            // \n, \x0B, \x0C, \r.
            if b.is_ascii() {
                i += 1;
                if matches!(b, b' ' | b'\t'..=b'\r') {
                    in_word = false;
                } else {
                    open_word(&mut in_word, &mut n, buf);
                    buf.push(b.to_ascii_lowercase());
                }
                continue;
            }
            let c = head[i..].chars().next().unwrap_or_default();
            i += c.len_utf8();
            if c.is_whitespace() {
                in_word = false;
                continue;
            }
            open_word(&mut in_word, &mut n, buf);
            cjk += usize::from(is_cjk(c));
            for l in c.to_lowercase() {
                buf.extend_from_slice(l.encode_utf8(&mut [0; 4]).as_bytes());
            }
        }
    }
    (
        std::hash::BuildHasher::hash_one(&rustc_hash::FxBuildHasher, buf.as_slice()),
        n + cjk / 2,
    )
}

/// In [`key`]'s byte loop: a word starts unless one is open (counted, and
/// a space before it in the key).
#[inline(always)]
pub(super) fn open_word(in_word: &mut bool, n: &mut usize, buf: &mut Vec<u8>) {
    if !*in_word {
        *in_word = true;
        *n += 1;
        if !buf.is_empty() {
            buf.push(b' ');
        }
    }
}

/// The number of spaces in `b` when it is ASCII and [`single_spaced`];
/// `None` otherwise.
pub(super) fn single_spaced_ascii(b: &[u8]) -> Option<usize> {
    (b.is_ascii() && single_spaced(b)).then(|| b.iter().filter(|&&c| c == b' ').count())
}

/// Whether a line may end in " | Site" (cheap test before the regex).
pub(super) fn has_separator(line: &str) -> bool {
    // The separators' first bytes found by memchr (SIMD), then their
    // surroundings checked: not four substring searches.
    let b = line.as_bytes();
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    memchr::memchr3_iter(b'|', b'-', 0xE2, b).any(|i| {
        i > 0
            && b[i - 1] == b' '
            && match b[i] {
                b'|' | b'-' => at(i + 1) == b' ',
                // "–" (E2 80 93) and "—" (E2 80 94).
                0xE2 => at(i + 1) == 0x80 && matches!(at(i + 2), 0x93 | 0x94) && at(i + 3) == b' ',
                _ => false,
            }
    })
}

pub(super) fn ends_like_prose(line: &str) -> bool {
    let line = line.trim_end();
    // An emoticon ends a sentence as a full stop does ("… als Henry kam =)").
    if line.rsplit(char::is_whitespace).next().is_some_and(|t| {
        matches!(
            t,
            ":)" | ";)" | "=)" | ":-)" | ";-)" | ":D" | ";D" | "(:" | ":P" | ";P"
        )
    }) {
        return true;
    }
    line.chars().last().is_some_and(|c| {
        matches!(
            c,
            // An emoji, too ("… und das gefällt mir 😉").
            '\u{1F300}'..='\u{1FAFF}'
                | '\u{2600}'..='\u{27BF}'
                | '\u{FE0F}'
                | '.'
                | '!'
                | '?'
                | ':'
                | ';'
                | '…'
                | '"'
                | '”'
                | '“'
                | '’'
                | '\''
                | '»'
                | '«'
                | ')'
                | ']'
                // Chinese and Japanese full-width marks, the Arabic
                // question mark, the Devanagari full stop.
                | '。'
                | '！'
                | '？'
                | '：'
                | '；'
                | '」'
                | '』'
                | '）'
                | '؟'
                | '।'
        )
    })
}

/// A line of `n` words shaped like a paragraph: five words or more ending
/// like a sentence, or long (a scrape may lose the final stop).
pub(super) fn paragraph_shaped(line: &str, n: usize) -> bool {
    n >= 5 && (ends_like_prose(without_trailing_link(line)) || n >= LONG_LINE)
}

/// The line without a link that ends it: an embedded post ends its
/// sentence with its picture's address ("… vorbereitet. pic.twitter.com/x").
pub(super) fn without_trailing_link(line: &str) -> &str {
    let line = line.trim_end();
    match line.rsplit_once(char::is_whitespace) {
        Some((head, last))
            if ["http://", "https://", "pic.twitter.com/", "t.co/"]
                .iter()
                .any(|p| last.starts_with(p)) =>
        {
            head
        }
        _ => line,
    }
}
