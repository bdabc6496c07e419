//! Extract: clean article text and metadata from HTML pages and from plain
//! text scraped from pages.
//!
//! This crate owns the question "is this the article, and only the article?".
//! An HTML page is parsed once. Metadata is read from the DOM (JSON-LD, Open
//! Graph, `<meta>`, `<time>`, canonical link, the URL); then two candidates
//! for the main text are taken from the same DOM: the body the markup names
//! (`itemprop=articleBody`, `entry-content`, `<article>` …), walked into
//! blocks with the furniture inside it pruned by name, visibility and link
//! density (`dom`, written here: this is where quality is decided), and
//! Readability's choice (`dom_smoothie`) on the page cleaned of furniture
//! regions. The named body wins unless Readability finds more than twice the
//! text; a long, strongly named body skips Readability. When neither finds
//! more than a sliver, the page's block lines go through the plain-text
//! classifier. Plain text has no DOM, so it goes through
//! [`text::clean`], a line classifier written here because no crate does it.
//! Output text has its whitespace collapsed and the characters a browser
//! does not show (soft hyphens, zero-width spaces) removed.
//! Metadata stated by the input record ([`Hints`](corroborate_model::Hints))
//! always wins over what is guessed.
//!
//! ```
//! use corroborate_extract::ArticleExtractor;
//! use corroborate_model::{Extractor, Format, Hints, RawDocument};
//!
//! let page = "Share this article\n\nCity council approves new bridge\n\n\
//!     The city council voted on Tuesday to approve the long-delayed bridge over the river.\n\n\
//!     Construction is expected to start next spring, the mayor said.\n\nLeave a Reply\n";
//! let raw = RawDocument::new("page.txt", Format::Text, page.into(), Hints::default());
//! let article = ArticleExtractor::default().extract(&raw).unwrap();
//! assert_eq!(article.title.as_deref(), Some("City council approves new bridge"));
//! assert!(article.text.starts_with("The city council voted"));
//! assert!(!article.text.contains("Share this article"));
//! ```
#![deny(missing_docs)]

#[cfg(test)]
extern crate self as corroborate_extract;
pub mod dates;
#[cfg(test)]
mod doc_examples;
mod dom;
mod html;
mod lang;
pub mod limits;
mod prescan;
pub mod templates;
pub mod text;

use corroborate_model::{Article, Extractor, Format, RawDocument, Refusal, Timestamp};
use std::time::Duration;

/// The ISO 639-1 code of the language `text` is written in, from its first
/// 400 characters (whatlang, among the languages reports name); `None` for
/// fewer than five words, and for fewer than twenty unless whatlang calls
/// its guess reliable.
///
/// ```
/// let lang = corroborate_extract::detect_language(
///     "The harbour master said on Tuesday that the ferry would not run until \
///      engineers from the port authority had inspected the damaged pier.",
/// );
/// assert_eq!(lang.as_deref(), Some("en"));
/// assert_eq!(corroborate_extract::detect_language("ferry pier closed after storm"), None);
/// ```
pub fn detect_language(text: &str) -> Option<String> {
    lang::detect(text)
}

/// The default extractor. Stateless and cheap to share across threads.
#[derive(Debug, Clone)]
pub struct ArticleExtractor {
    now: Option<Timestamp>,
    budget: Duration,
}

impl Default for ArticleExtractor {
    fn default() -> Self {
        ArticleExtractor {
            now: None,
            budget: limits::DEFAULT_BUDGET,
        }
    }
}

impl ArticleExtractor {
    /// An extractor that treats `now` as the crawl time: no date after it is accepted.
    pub fn with_now(now: Timestamp) -> Self {
        ArticleExtractor {
            now: Some(now),
            ..Self::default()
        }
    }

    /// The time one document may take ([`limits::DEFAULT_BUDGET`] unless set).
    pub fn with_budget(mut self, budget: Duration) -> Self {
        self.budget = budget;
        self
    }
}

/// What a format-specific extractor found before hints are applied.
#[derive(Debug, Default)]
pub(crate) struct Found {
    pub title: Option<String>,
    pub author: Option<String>,
    pub site: Option<String>,
    pub url: Option<String>,
    pub published: Option<Timestamp>,
    pub language: Option<String>,
    pub text: String,
    pub republished_from: Option<String>,
    pub boilerplate: Vec<String>,
}

impl Extractor for ArticleExtractor {
    fn extract(&self, doc: &RawDocument) -> Result<Article, Refusal> {
        let deadline = limits::Deadline::new(self.budget);
        let crawled = doc
            .hints
            .fetched
            .as_deref()
            .and_then(|f| dates::parse(f, None));
        let now = crawled.or(self.now).unwrap_or_else(chrono::Utc::now);
        let found = match doc.format {
            Format::Html => html::extract(
                &doc.content,
                doc.hints.url.as_deref(),
                now,
                crawled,
                &deadline,
            )?,
            Format::Text => text::extract(&doc.content, now),
        };
        deadline.check()?;
        let h = &doc.hints;
        let published = h
            .published
            .as_deref()
            .and_then(|p| dates::parse(p, Some(now)))
            .or(found.published)
            .or_else(|| h.url.as_deref().and_then(|u| dates::from_url(u, now)));
        let text = found.text;
        let language = found
            .language
            .filter(|l| l.len() == 2)
            .or_else(|| lang::detect(&text));
        Ok(Article {
            id: doc.id.clone(),
            source: doc.source.clone(),
            url: h.url.clone().or(found.url),
            title: h.title.clone().or(found.title),
            published,
            author: h.author.clone().or(found.author),
            site: h
                .outlet
                .clone()
                .or(found.site)
                .or_else(|| h.url.as_deref().and_then(host)),
            language,
            text,
            republished_from: found.republished_from,
            boilerplate: found.boilerplate,
        })
    }
}

/// Host of a URL without `www.`, used as the outlet when nothing better is known.
pub fn host(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#', ':']).next()?;
    let host = host.strip_prefix("www.").unwrap_or(host);
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

/// Collapses whitespace runs to one space and trims; drops the characters
/// a browser does not show (soft hyphens, zero-width spaces and joiners,
/// byte-order marks), which would split words for search and matching.
pub fn normalize_ws(s: &str) -> String {
    let b = s.as_bytes();
    let (spaced, hidden) = scan(b);
    // Most lines need nothing: single spaces between words.
    if spaced && !hidden && single_spaced(b) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    for w in words_of(s) {
        let before = out.len();
        if before > 0 {
            out.push(' ');
        }
        if hidden {
            out.extend(w.chars().filter(|&c| !invisible(c)));
            if out.len() == before + usize::from(before > 0) {
                out.truncate(before); // the word was all invisible
            }
        } else {
            out.push_str(w);
        }
    }
    out
}

/// Whether `b` has no space at either end, no two spaces in a row and no
/// control character (tab, line feed...): its ASCII whitespace is single
/// spaces between words. Counting loops, which the compiler vectorises:
/// this runs on every line.
pub(crate) fn single_spaced(b: &[u8]) -> bool {
    if b.first() == Some(&b' ') || b.last() == Some(&b' ') {
        return false;
    }
    let control = b.iter().filter(|&&c| c < b' ').count();
    let doubled = b
        .iter()
        .zip(&b[1.min(b.len())..])
        .filter(|(&x, &y)| x == b' ' && y == b' ')
        .count();
    control == 0 && doubled == 0
}

/// Characters that take no space on screen and are not whitespace.
fn invisible(c: char) -> bool {
    matches!(
        c,
        '\u{AD}' | '\u{200B}' | '\u{2060}' | '\u{2063}' | '\u{FEFF}'
    )
}

/// Whether every whitespace character of the UTF-8 text `b` is one that
/// [`u8::is_ascii_whitespace`] knows (space, tab, line feed, form feed,
/// carriage return): then splitting its bytes on those is splitting its
/// characters on [`char::is_whitespace`].
fn ascii_spaced(b: &[u8]) -> bool {
    scan(b).0
}

/// [`ascii_spaced`], and whether `b` holds an [`invisible`] character:
/// one pass over the bytes (a line is ASCII most of the time, and then
/// there is nothing to look for but U+000B).
fn scan(b: &[u8]) -> (bool, bool) {
    if b.is_ascii() {
        return (!b.contains(&0x0B), false);
    }
    let (mut spaced, mut hidden) = (true, false);
    // Only the bytes that may start what we look for, found by memchr
    // (SIMD) rather than matched one by one: most non-ASCII lines are
    // letters with accents (C3 xx), which none of these start.
    let starts =
        memchr::memchr3_iter(0x0B, 0xC2, 0xE2, b).chain(memchr::memchr3_iter(0xE1, 0xE3, 0xEF, b));
    for i in starts {
        let next = |k: usize| b.get(i + k).copied().unwrap_or(0);
        match b[i] {
            // U+000B, U+0085, U+00A0; U+00AD (soft hyphen).
            0x0B => spaced = false,
            0xC2 => match next(1) {
                0x85 | 0xA0 => spaced = false,
                0xAD => hidden = true,
                _ => {}
            },
            // U+1680.
            0xE1 if next(1) == 0x9A && next(2) == 0x80 => spaced = false,
            // U+2000..=U+200A, U+2028, U+2029, U+202F, U+205F; U+200B,
            // U+2060, U+2063.
            0xE2 => match (next(1), next(2)) {
                (0x80, 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF) | (0x81, 0x9F) => spaced = false,
                (0x80, 0x8B) | (0x81, 0xA0 | 0xA3) => hidden = true,
                _ => {}
            },
            // U+3000.
            0xE3 if next(1) == 0x80 && next(2) == 0x80 => spaced = false,
            // U+FEFF.
            0xEF if next(1) == 0xBB && next(2) == 0xBF => hidden = true,
            _ => {}
        }
    }
    (spaced, hidden)
}

/// The words of `s`, split exactly as [`str::split_whitespace`] splits
/// them, but by bytes when all its whitespace is ASCII (nearly every
/// line): decoding each character to test it for Unicode whitespace was a
/// tenth of plain-text extraction.
pub(crate) fn words_of(s: &str) -> Words<'_> {
    if ascii_spaced(s.as_bytes()) {
        Words::Ascii(s.split_ascii_whitespace())
    } else {
        Words::Unicode(s.split_whitespace())
    }
}

/// Iterator of [`words_of`].
pub(crate) enum Words<'a> {
    Ascii(std::str::SplitAsciiWhitespace<'a>),
    Unicode(std::str::SplitWhitespace<'a>),
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        match self {
            Words::Ascii(w) => w.next(),
            Words::Unicode(w) => w.next(),
        }
    }
}

#[cfg(test)]
mod tests {
    proptest::proptest! {
        /// The byte-wise split on ASCII text is the Unicode split.
        #[test]
        fn words_of_splits_as_split_whitespace(s in "[a-c \t\n\r\u{b}\u{c}\u{85}\u{a0}é’\u{1680}\u{2000}\u{2009}\u{200a}\u{200b}\u{2028}\u{202f}\u{205f}\u{3000}\u{3001}\u{ad}\u{200b}\u{2060}\u{2063}\u{feff}]{0,40}") {
            let got: Vec<&str> = super::words_of(&s).collect();
            let want: Vec<&str> = s.split_whitespace().collect();
            proptest::prop_assert_eq!(got, want.clone());
            let visible: Vec<String> = want
                .iter()
                .map(|w| w.chars().filter(|&c| !super::invisible(c)).collect::<String>())
                .filter(|w| !w.is_empty())
                .collect();
            proptest::prop_assert_eq!(super::normalize_ws(&s), visible.join(" "));
        }
    }
}

#[cfg(test)]
mod hostile_tests {
    use super::*;
    use corroborate_model::Hints;

    /// Found by the structure-aware fuzzer (a 12 s timeout under ASan): a
    /// tag with 8,762 attributes, 56,568 unclosed `<ul>`, 3,823 `<pre>`.
    /// Within the budget, it is extracted rather than refused.
    #[test]
    fn fuzzed_deep_lists_after_thousands_of_attributes() {
        let attrs: String = (0..8_762)
            .map(|i| format!(" a{i}=\"https://valleywi{{\""))
            .collect();
        let html = format!(
            "<html><body><span{attrs}>{}{}{}</body></html>",
            "<ul>".repeat(56_568),
            "<pre>".repeat(3_823),
            "</pre>".repeat(3_823)
        );
        let raw = RawDocument::new("fuzz.html", Format::Html, html, Hints::default());
        let r = ArticleExtractor::default().extract(&raw);
        assert!(r.is_ok(), "{:?}", r.err());
    }
}

#[cfg(test)]
mod date_tests {
    use super::*;
    use corroborate_model::Hints;

    fn page(date_line: &str, tail: &str) -> String {
        format!(
            "<html><head><title>Vereinsabend</title></head><body><div id=\"content\">\
             <h1>Vereinsabend im Gemeindehaus</h1>{date_line}\
             <p>Der Verein traf sich am Abend im Gemeindehaus, um über die neue Satzung \
             zu sprechen. Viele Mitglieder kamen, und der Vorstand stellte die Pläne vor.</p>\
             {tail}</div></body></html>"
        )
    }

    fn published(html: String, fetched: Option<&str>) -> Option<String> {
        published_with(
            html,
            Hints {
                fetched: fetched.map(str::to_string),
                ..Hints::default()
            },
        )
    }

    fn published_with(html: String, hints: Hints) -> Option<String> {
        let doc = RawDocument::new("t", Format::Html, html, hints);
        let a = ArticleExtractor::default().extract(&doc).unwrap();
        a.published.map(|t| t.format("%Y-%m-%d").to_string())
    }

    #[test]
    fn a_date_only_in_visible_text_is_found() {
        let p = |line: &str| published(page(line, ""), None);
        assert_eq!(p("<span>19.07.2014</span>").as_deref(), Some("2014-07-19"));
        assert_eq!(p("<time>19. 7. 2014</time>").as_deref(), Some("2014-07-19"));
        assert_eq!(
            p("<p>Geschrieben von Anna am 19. Juli 2014</p>").as_deref(),
            Some("2014-07-19")
        );
        // The creation date, not the last change, whichever comes first.
        let both = page(
            "<p>Letzte Änderung: 02.03.2016</p>",
            "<p>Erstellt: 19.07.2014</p>",
        );
        assert_eq!(published(both, None).as_deref(), Some("2014-07-19"));
    }

    #[test]
    fn inline_runs_that_glue_a_word_to_a_date_are_read_apart() {
        let p = |line: &str| published(page(line, ""), None);
        assert_eq!(
            p("<div class=\"creation\"><span>Erstellt am</span><span>09.02.2022</span></div>")
                .as_deref(),
            Some("2022-02-09")
        );
        assert_eq!(
            p("<p><a href=\"/autor\">Anna Beispiel</a>3.11.2023</p>").as_deref(),
            Some("2023-11-03")
        );
        // No space is added inside a number: "<b>2020</b>/04/17" stays a date.
        assert_eq!(p("<p><b>2020</b>/04/17</p>").as_deref(), Some("2020-04-17"));
    }

    #[test]
    fn a_two_digit_year_is_read_where_the_markup_says_date() {
        let p = |line: &str| published(page(line, ""), None);
        assert_eq!(
            p("<span class=\"post-created\"> 28.01.22</span>").as_deref(),
            Some("2022-01-28")
        );
        assert_eq!(p("<p>Version 28.01.22</p>"), None, "not in running text");
    }

    #[test]
    fn comments_and_listings_do_not_date_the_article() {
        let comments = "<div class=\"comments\"><div class=\"comment-meta\">\
                        <span class=\"date\">5. Mai 2019</span></div><p>Danke!</p></div>";
        let listing = "<ul><li><a href=\"/andere-meldung\">Eine ganz andere Meldung vom Verein</a>\
                       <span class=\"post-date\">7. Mai 2019</span></li></ul>";
        let html = page("<div>19. Juli 2014</div>", &format!("{listing}{comments}"));
        assert_eq!(published(html, None).as_deref(), Some("2014-07-19"));
        // With nothing else on the page, neither dates it.
        let html = page("", &format!("{listing}{comments}"));
        assert_eq!(published(html, None), None);
    }

    #[test]
    fn a_date_in_the_url_beats_elements_of_the_page() {
        let html = page("<time datetime=\"2009-04-11\">11. April 2009</time>", "");
        assert_eq!(
            published_with(
                html,
                Hints {
                    url: Some("https://verein.example/2019/10/22/abend/".into()),
                    ..Hints::default()
                }
            )
            .as_deref(),
            Some("2019-10-22")
        );
    }

    #[test]
    fn a_last_change_dates_a_page_that_shows_nothing_else() {
        let html = page("", "<p class=\"print\">[Stand: 08.05.2019, 05:02 Uhr]</p>");
        assert_eq!(published(html, None).as_deref(), Some("2019-05-08"));
    }

    #[test]
    fn a_relative_date_needs_the_crawl_time() {
        let html = || page("<div class=\"post-date\">vor 3 Tagen</div>", "");
        assert_eq!(
            published(html(), Some("2014-07-22T09:00:00Z")).as_deref(),
            Some("2014-07-19")
        );
        assert_eq!(published(html(), None), None);
    }
}
