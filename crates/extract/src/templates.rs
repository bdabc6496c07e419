//! Outlet templates: paragraphs that repeat across one outlet's articles
//! are its page furniture ("Sign up for our morning briefing", a standing
//! disclaimer, a related-links heading) even when no phrase list knows
//! them, in any language.
//!
//! Why by hand: this is a counting rule over our own article model, with
//! the counts persisted by the store (`Storage::outlet_lines`); no crate
//! does it. The extractor stays stateless: it gives each article's
//! [`paragraph_keys`]; whoever holds the counts asks [`is_template`] and
//! [`strip`]s the article before it is stored.
//!
//! The rule ([`is_template`]): a paragraph of at most [`MAX_WORDS`] words
//! is furniture once it has appeared in at least [`MIN_ARTICLES`] of the
//! outlet's articles and in at least half of those the outlet published
//! since it first appeared. The share keeps a story's background paragraph
//! (repeated in three updates of one story among an outlet's fifty
//! articles) while a line the outlet adds to its pages today is learnt
//! from today's articles; the length bound keeps long repeated passages,
//! which are quoted or copied text more often than furniture.
//!
//! Cost: one hash per paragraph at extraction; per article, one store
//! lookup per short paragraph. The counts grow with the distinct short
//! paragraphs of each outlet.

use corroborate_model::Article;

/// Longest paragraph (in words) that can be template furniture.
pub const MAX_WORDS: usize = 40;
/// Fewest articles of an outlet a paragraph must appear in.
pub const MIN_ARTICLES: u32 = 5;

/// The key the counts of one outlet are kept under: the host of the
/// article's URL without `www.`, else its site name lower-cased; `None`
/// when the article names neither.
pub fn outlet_key(article: &Article) -> Option<String> {
    let host = article.url.as_deref().and_then(|u| {
        let rest = u.split_once("://").map_or(u, |(_, r)| r);
        let host = rest.split(['/', '?', '#']).next()?.split(':').next()?;
        let host = host.trim_start_matches("www.").to_ascii_lowercase();
        (host.contains('.')).then_some(host)
    });
    host.or_else(|| {
        let site = article.site.as_deref()?.trim().to_lowercase();
        (!site.is_empty()).then_some(site)
    })
}

/// The distinct keys of the article's short paragraphs (in text order):
/// a paragraph's words, lower-cased and joined by single spaces, hashed
/// with 64-bit FNV-1a (stable across builds and machines: the keys are
/// persisted).
pub fn paragraph_keys(text: &str) -> Vec<u64> {
    let mut keys: Vec<u64> = Vec::new();
    for p in paragraphs(text) {
        if let Some(k) = key(p) {
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
    }
    keys
}

/// Whether a paragraph seen in `articles` of the outlet's articles, of
/// the `since` the outlet published since it first appeared, is furniture.
pub fn is_template(articles: u32, since: u32) -> bool {
    articles >= MIN_ARTICLES && 2 * articles >= since
}

/// Removes the paragraphs whose key `furniture` accepts from the article's
/// text (they join its `boilerplate` lines); returns how many went. An
/// article is never emptied: when every paragraph is furniture, it stays
/// as it was.
pub fn strip(article: &mut Article, furniture: impl Fn(u64) -> bool) -> usize {
    let (mut kept, mut gone): (Vec<&str>, Vec<&str>) = (Vec::new(), Vec::new());
    for p in paragraphs(&article.text) {
        match key(p) {
            Some(k) if furniture(k) => gone.push(p),
            _ => kept.push(p),
        }
    }
    if gone.is_empty() || kept.is_empty() {
        return 0;
    }
    let n = gone.len();
    let gone: Vec<String> = gone.into_iter().map(str::to_string).collect();
    article.text = kept.join("\n\n");
    article.boilerplate.extend(gone);
    n
}

fn paragraphs(text: &str) -> impl Iterator<Item = &str> {
    text.split("\n\n").map(str::trim).filter(|p| !p.is_empty())
}

fn key(paragraph: &str) -> Option<u64> {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut words = 0;
    for w in paragraph.split_whitespace() {
        words += 1;
        if words > MAX_WORDS {
            return None;
        }
        if words > 1 {
            hash = fnv(hash, b" ");
        }
        for c in w.chars().flat_map(char::to_lowercase) {
            hash = fnv(hash, c.encode_utf8(&mut [0; 4]).as_bytes());
        }
    }
    (words > 0).then_some(hash)
}

fn fnv(mut hash: u64, bytes: &[u8]) -> u64 {
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blank() -> Article {
        Article::bare(corroborate_model::ArticleId(String::new()), "", "")
    }

    fn article(text: &str) -> Article {
        Article {
            url: Some("https://www.norhaven-post.example/news/1".into()),
            text: text.into(),
            ..blank()
        }
    }

    #[test]
    fn keys_ignore_case_and_spacing_and_skip_long_paragraphs() {
        let a = paragraph_keys("Sign up for our  briefing\n\nThe pier closed.");
        let b = paragraph_keys("sign up for our briefing\n\nThe ferry stopped.");
        assert_eq!(a[0], b[0]);
        assert_ne!(a[1], b[1]);
        let long = vec!["word"; MAX_WORDS + 1].join(" ");
        assert!(paragraph_keys(&long).is_empty());
        // The same paragraph twice in one article counts once.
        assert_eq!(paragraph_keys("Share this\n\nShare this").len(), 1);
        // Stable across builds: the store keeps these numbers.
        assert_eq!(paragraph_keys("a")[0], 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn the_rule_wants_enough_articles_and_half_of_those_since() {
        assert!(!is_template(MIN_ARTICLES - 1, MIN_ARTICLES - 1));
        assert!(is_template(MIN_ARTICLES, MIN_ARTICLES));
        // A background paragraph in 6 of an outlet's 50 articles since.
        assert!(!is_template(6, 50));
        assert!(is_template(25, 50));
    }

    #[test]
    fn strip_moves_furniture_to_boilerplate_and_never_empties() {
        let mut a =
            article("The pier closed.\n\nSign up for our briefing\n\nRepairs start Monday.");
        let furniture = paragraph_keys("Sign up for our briefing")[0];
        assert_eq!(strip(&mut a, |k| k == furniture), 1);
        assert_eq!(a.text, "The pier closed.\n\nRepairs start Monday.");
        assert_eq!(a.boilerplate, ["Sign up for our briefing"]);
        let mut only = article("Sign up for our briefing");
        assert_eq!(strip(&mut only, |k| k == furniture), 0);
        assert_eq!(only.text, "Sign up for our briefing");
    }

    #[test]
    fn the_outlet_is_the_host_or_the_site_name() {
        assert_eq!(
            outlet_key(&article("x")).as_deref(),
            Some("norhaven-post.example")
        );
        let named = Article {
            site: Some(" Norhaven Post ".into()),
            ..blank()
        };
        assert_eq!(outlet_key(&named).as_deref(), Some("norhaven post"));
        assert_eq!(outlet_key(&blank()), None);
    }
}
