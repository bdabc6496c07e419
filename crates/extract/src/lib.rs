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
//! text; a long, strongly named body skips Readability. Plain text has no
//! DOM, so it goes through
//! [`text::clean`], a line classifier written here because no crate does it.
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
//! let article = ArticleExtractor::default().extract(&raw);
//! assert_eq!(article.title.as_deref(), Some("City council approves new bridge"));
//! assert!(article.text.starts_with("The city council voted"));
//! assert!(!article.text.contains("Share this article"));
//! ```
#![deny(missing_docs)]

pub mod dates;
mod dom;
mod html;
mod lang;
pub mod text;

use corroborate_model::{Article, Extractor, Format, RawDocument, Timestamp};

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
#[derive(Debug, Clone, Default)]
pub struct ArticleExtractor {
    now: Option<Timestamp>,
}

impl ArticleExtractor {
    /// An extractor that treats `now` as the crawl time: no date after it is accepted.
    pub fn with_now(now: Timestamp) -> Self {
        ArticleExtractor { now: Some(now) }
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
    fn extract(&self, doc: &RawDocument) -> Article {
        let now = doc
            .hints
            .fetched
            .as_deref()
            .and_then(|f| dates::parse(f, None))
            .or(self.now)
            .unwrap_or_else(chrono::Utc::now);
        let found = match doc.format {
            Format::Html => html::extract(&doc.content, doc.hints.url.as_deref(), now),
            Format::Text => text::extract(&doc.content, now),
        };
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
        Article {
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
        }
    }
}

/// Host of a URL without `www.`, used as the outlet when nothing better is known.
pub fn host(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#', ':']).next()?;
    let host = host.strip_prefix("www.").unwrap_or(host);
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

/// Collapses whitespace runs to one space and trims.
pub fn normalize_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
