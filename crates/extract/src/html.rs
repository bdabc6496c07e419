//! HTML pages: metadata from the parsed DOM, then the main text from the
//! same DOM: the body its markup names ([`crate::dom`]) or `dom_smoothie`'s
//! (a Readability port) choice, whichever is the article. Parse once.

use crate::limits::{self, Deadline};
use crate::prescan;
use crate::{dates, dom, normalize_ws, text, Found};
use corroborate_model::{Refusal, Timestamp};
use dom_query::Document;
use dom_smoothie::{Config, Readability, TextMode};
use regex::Regex;
use std::sync::LazyLock;

#[derive(Default)]
struct Meta {
    /// `datePublished` of the article's JSON-LD object.
    published: Option<String>,
    /// Publication date, from the first source that gives one (see [`first_date`]).
    published_at: Option<Timestamp>,
    /// `datePublished` of any JSON-LD object, when no article object has one.
    any_published: Option<String>,
    title: Option<String>,
    author: Option<String>,
    site: Option<String>,
    url: Option<String>,
    language: Option<String>,
    syndicated_from: Option<String>,
}

/// The first candidate that is not empty once its whitespace is
/// normalised. Candidates are computed in order, and only until one
/// answers (some walk the whole document).
fn first(values: &[&dyn Fn() -> Option<String>]) -> Option<String> {
    values
        .iter()
        .filter_map(|v| v())
        .map(|v| normalize_ws(&v))
        .find(|v| !v.is_empty())
}

/// What the page's metadata elements say, gathered in one walk over the
/// document: a `select` per question was a walk each, a tenth of HTML
/// extraction. Each field is what the selector in its doc returned.
#[derive(Default)]
struct Tags {
    /// (property, name or itemprop; content) of each `<meta>`, in order.
    metas: Vec<(String, Option<String>)>,
    /// `href` of the first `link[rel=canonical]`.
    canonical: Option<String>,
    /// `href` of the first `link[rel=original-source]`.
    original_source: Option<String>,
    /// The text of every `title` element (SVG titles too), joined.
    title: String,
    /// The text of the first `h1`.
    h1: Option<String>,
    /// `lang` of the first `html`.
    lang: Option<String>,
    /// The text of each `script[type=application/ld+json]`.
    ld_json: Vec<String>,
}

impl Tags {
    fn of(doc: &Document) -> Tags {
        let mut t = Tags::default();
        let (mut canonical, mut original, mut html) = (false, false, false);
        for node in doc.root().descendants_it() {
            let Some(name) = node.node_name() else {
                continue;
            };
            match &*name {
                "meta" => t.metas.push((
                    node.attr("property")
                        .or_else(|| node.attr("name"))
                        .or_else(|| node.attr("itemprop"))
                        .map(|n| n.to_string())
                        .unwrap_or_default(),
                    node.attr("content").map(|c| c.to_string()),
                )),
                "link" => {
                    let rel = node.attr("rel");
                    let rel = rel.as_deref().unwrap_or_default();
                    // The first matching link answers, with or without an href.
                    if !canonical && rel.eq_ignore_ascii_case("canonical") {
                        canonical = true;
                        t.canonical = node.attr("href").map(|h| h.to_string());
                    } else if !original && rel.eq_ignore_ascii_case("original-source") {
                        original = true;
                        t.original_source = node.attr("href").map(|h| h.to_string());
                    }
                }
                "title" => t.title.push_str(&node.text()),
                "h1" if t.h1.is_none() => t.h1 = Some(node.text().to_string()),
                "html" if !html => {
                    html = true;
                    t.lang = node.attr("lang").map(|l| l.to_string());
                }
                "script"
                    if node
                        .attr("type")
                        .is_some_and(|ty| ty.eq_ignore_ascii_case("application/ld+json")) =>
                {
                    t.ld_json.push(node.text().to_string())
                }
                _ => {}
            }
        }
        t
    }

    /// The content of the first `<meta>` named by the first of `keys`
    /// that has one (not blank).
    fn meta(&self, keys: &[&str]) -> Option<String> {
        keys.iter().find_map(|key| {
            self.metas.iter().find_map(|(name, content)| {
                content
                    .as_deref()
                    .filter(|c| name.eq_ignore_ascii_case(key) && !c.trim().is_empty())
                    .map(str::to_string)
            })
        })
    }
}

/// Reads JSON-LD blocks for the NewsArticle-like object.
fn json_ld(tags: &Tags) -> Meta {
    let mut m = Meta::default();
    for text in &tags.ld_json {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(text) else {
            continue;
        };
        let mut stack = vec![v];
        while let Some(v) = stack.pop() {
            match v {
                serde_json::Value::Array(a) => stack.extend(a),
                serde_json::Value::Object(o) => {
                    if let Some(g) = o.get("@graph") {
                        stack.push(g.clone());
                    }
                    if m.any_published.is_none() {
                        m.any_published = ["datePublished", "uploadDate", "dateCreated"]
                            .iter()
                            .find_map(|k| o.get(*k).and_then(|x| x.as_str()).map(str::to_string));
                    }
                    let typ = o.get("@type").map(|t| t.to_string()).unwrap_or_default();
                    if !(typ.contains("Article")
                        || typ.contains("Posting")
                        || typ.contains("Report"))
                    {
                        continue;
                    }
                    let s = |k: &str| o.get(k).and_then(|x| x.as_str()).map(str::to_string);
                    let name_of = |x: &serde_json::Value| match x {
                        serde_json::Value::String(s) => Some(s.clone()),
                        serde_json::Value::Object(o) => {
                            o.get("name").and_then(|n| n.as_str()).map(str::to_string)
                        }
                        serde_json::Value::Array(a) => {
                            let names: Vec<String> = a
                                .iter()
                                .filter_map(|p| match p {
                                    serde_json::Value::String(s) => Some(s.clone()),
                                    serde_json::Value::Object(o) => {
                                        o.get("name").and_then(|n| n.as_str()).map(str::to_string)
                                    }
                                    _ => None,
                                })
                                .collect();
                            (!names.is_empty()).then(|| names.join(", "))
                        }
                        _ => None,
                    };
                    m.title = m.title.or(s("headline"));
                    m.published = m.published.or(s("datePublished")).or(s("dateCreated"));
                    m.author = m.author.or_else(|| o.get("author").and_then(name_of));
                    m.site = m.site.or_else(|| o.get("publisher").and_then(name_of));
                    m.url = m.url.or(s("url"));
                    m.language = m.language.or(s("inLanguage"));
                }
                _ => {}
            }
        }
    }
    m
}

fn read_meta(
    doc: &Document,
    html: &str,
    url: Option<&str>,
    now: Timestamp,
    crawled: Option<Timestamp>,
) -> Meta {
    let tags = Tags::of(doc);
    let ld = json_ld(&tags);
    let ld_published = ld.published.clone();
    let mut m = Meta {
        title: first(&[
            &|| ld.title.clone(),
            &|| tags.meta(&["og:title", "twitter:title", "headline"]),
            &|| tags.h1.clone(),
            &|| Some(tags.title.clone()),
        ]),
        author: first(&[
            &|| ld.author.clone(),
            &|| {
                tags.meta(&[
                    "author",
                    "article:author",
                    "byl",
                    "dc.creator",
                    "parsely-author",
                    "sailthru.author",
                ])
            },
            &|| {
                Some(
                    doc.select("[rel=author], .byline__name, .author-name")
                        .first()
                        .text()
                        .to_string(),
                )
            },
        ])
        .map(|a| {
            a.trim_start_matches("By ")
                .trim_start_matches("by ")
                .to_string()
        })
        .filter(|a| !a.starts_with("http")),
        site: first(&[&|| ld.site.clone(), &|| {
            tags.meta(&["og:site_name", "application-name", "publisher"])
        }]),
        url: first(&[
            &|| tags.canonical.clone(),
            &|| tags.meta(&["og:url"]),
            &|| ld.url.clone(),
            &|| url.map(str::to_string),
        ])
        .filter(|u| u.starts_with("http")),
        published: None,
        published_at: None,
        any_published: ld.any_published.clone(),
        language: first(&[&|| ld.language.clone(), &|| tags.lang.clone()]).map(|l| {
            l.split(['-', '_'])
                .next()
                .unwrap_or("")
                .to_ascii_lowercase()
        }),
        syndicated_from: first(&[&|| tags.original_source.clone(), &|| {
            tags.meta(&[
                "syndication-source",
                "original-source",
                "article:original_source",
            ])
        }]),
    };
    m.published_at = first_date(doc, &tags, html, ld_published, &m, url, now)
        .or_else(|| relative_date(doc, crawled?));
    m
}

static SCRIPT_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)["']?(?:datePublished|date_published|publication_date|publicationDate|publishDate|publishedDate|publish_date|pubDate|dateCreated|published_at|publishedAt|firstPublished|first_published_at|releaseDate)["']?\s*[:=]\s*["']([0-9][^"']{7,34})["']"#,
    )
    .unwrap()
});

/// Elements whose name, class or id says they hold a date.
const DATEISH: &str = "time, [class*=date], [class*=Date], [id*=date], [class*=time], [class*=publish], [class*=posted], [class*=created], \
                       .tagline, .byline, .dateline, .meta, .entry-meta, .post-meta, .article-meta";

/// The publication date from the evidence, in order of trust: article JSON-LD,
/// meta tags, microdata, `<time>`, dates in the page's URLs, date variables
/// in scripts, any JSON-LD object, then elements whose class or id says
/// "date" (the first one that holds a full date).
fn first_date(
    doc: &Document,
    tags: &Tags,
    html: &str,
    ld_published: Option<String>,
    m: &Meta,
    url: Option<&str>,
    now: Timestamp,
) -> Option<Timestamp> {
    // Sources are tried in order and the search stops at the first date
    // that parses within bounds: the cheap, trusted sources usually answer.
    let found = std::cell::Cell::new(None);
    let host = url.or(m.url.as_deref()).and_then(crate::host);
    let push = |v: Option<String>| {
        if found.get().is_none() {
            if let Some(t) = v.as_deref().map(str::trim).and_then(|v| {
                let t = dates::parse(v, Some(now))?;
                Some(dates::to_newsroom_time(v, t, host.as_deref()))
            }) {
                found.set(Some(t));
            }
        }
    };
    // A full date in the page's URL is the newsroom's own calendar date: when
    // metadata gives a time that can be that day somewhere newsrooms are (a
    // UTC stamp of a local evening, say), the URL's day is the one readers
    // saw. Local time runs from UTC−8 (US Pacific, the westernmost large
    // newsrooms) to UTC+14: a stamp up to 32 hours after the URL's midnight
    // or 14 hours before it.
    let url_date = [url.map(str::to_string), m.url.clone()]
        .into_iter()
        .flatten()
        .find_map(|u| dates::from_url(&u, now));
    macro_rules! done {
        () => {
            if let Some(t) = found.get() {
                return Some(match url_date {
                    Some(u)
                        if (-14..32).contains(&(t - u).num_hours())
                            && t.date_naive() != u.date_naive() =>
                    {
                        u
                    }
                    _ => t,
                });
            }
        };
    }
    push(ld_published);
    done!();
    push(tags.meta(&[
        "article:published_time",
        "datePublished",
        "og:published_time",
        "article:published",
        "date",
        "pubdate",
        "publishdate",
        "publish-date",
        "publish_date",
        "pub_date",
        "dc.date",
        "dc.date.issued",
        "dc.date.created",
        "dcterms.created",
        "dcterms.issued",
        "created",
        "sailthru.date",
        "parsely-pub-date",
        "article.published",
        "publication_date",
        "cxenseparse:recs:publishtime",
        "og:updated_time",
        "article:modified_time",
    ]));
    done!();
    // Past the article's own metadata, a full date in its URL is trusted
    // above elements and text (as htmldate does): those may date another
    // post of a listing, a sidebar or a comment.
    if url_date.is_some() {
        return url_date;
    }
    for node in doc
        .select("[itemprop=datePublished], [itemprop=dateCreated], [property$=datePublished], [property$=dateCreated]")
        .nodes()
        .iter()
        .take(3)
    {
        push(
            node.attr("content")
                .or_else(|| node.attr("datetime"))
                .map(|v| v.to_string())
                .or_else(|| Some(node.text().to_string())),
        );
    }
    for node in doc.select("time[datetime]").nodes().iter().take(3) {
        push(node.attr("datetime").map(|v| v.to_string()));
    }
    done!();
    let mut end = html.len().min(400_000);
    while !html.is_char_boundary(end) {
        end -= 1;
    }
    for c in SCRIPT_DATE.captures_iter(&html[..end]).take(3) {
        push(Some(c[1].to_string()));
    }
    push(m.any_published.clone());
    done!();
    for d in visible_dates(doc, now.date_naive()) {
        push(Some(d.format("%Y-%m-%d").to_string()));
        done!();
    }
    found.get()
}

/// Dates the page shows rather than declares, in order of trust, each
/// computed only if the ones before it did not date the page: the first
/// date of each element whose class or id says "date" (not one an update
/// word introduces; a two-digit year, `28.01.22`, is read there only); a
/// full date the visible text repeats (a dateline and its echo in a
/// byline, say); the first full date of the visible text, as htmldate's
/// extensive search does (on a page with no date anywhere else, the one
/// date its text shows is most often when it was written); and last, a
/// date the page gives only as its last change ("Stand: 08.05.2019").
/// Comment sections are never read: their dates are the readers'.
fn visible_dates<'a>(
    doc: &'a Document,
    today: chrono::NaiveDate,
) -> impl Iterator<Item = chrono::NaiveDate> + 'a {
    // Each ancestor is judged once: the date elements of a long comment
    // section share it, and judging it (a walk of its subtree) per element
    // would be quadratic in the page.
    let mut judged = std::collections::HashMap::new();
    let nodes: Vec<_> = doc
        .select(DATEISH)
        .nodes()
        .iter()
        .filter(|n| !in_furniture(n, &mut judged))
        .take(40)
        .cloned()
        .collect();
    let dateish = nodes.into_iter().filter_map(move |node| {
        let text = spaced_text(&node, 400);
        let text = text.trim();
        if (6..=160).contains(&text.len()) {
            dates::first_published_date(text).or_else(|| dates::short_year_date(text, today))
        } else {
            None
        }
    });
    let body = std::rc::Rc::new(std::cell::OnceCell::new());
    let text = move || -> std::rc::Rc<String> {
        body.get_or_init(|| {
            std::rc::Rc::new(
                doc.body()
                    .map(|b| spaced_text(&b, 400_000))
                    .unwrap_or_default(),
            )
        })
        .clone()
    };
    // The first date of the text, and the first one an update word
    // introduces, found in one pass.
    let split = std::rc::Rc::new(std::cell::OnceCell::new());
    let t2 = text.clone();
    let published_or_updated = move || *split.get_or_init(|| dates::published_or_updated(&t2()));
    let t1 = text;
    let p2 = published_or_updated.clone();
    let repeated = std::iter::once_with(move || {
        let mut counts: std::collections::HashMap<chrono::NaiveDate, usize> =
            std::collections::HashMap::new();
        for d in dates::all_dates(&t1()) {
            *counts.entry(d).or_default() += 1;
        }
        counts
            .into_iter()
            .filter(|(_, n)| *n >= 2)
            .max_by_key(|(d, n)| (*n, *d))
            .map(|(d, _)| d)
    });
    let first = std::iter::once_with(move || published_or_updated().0);
    let updated = std::iter::once_with(move || p2().1);
    dateish
        .chain(repeated.flatten())
        .chain(first.flatten())
        .chain(updated.flatten())
}

/// Whether `node` is in (or is) a part of the page whose dates are not
/// the article's: a comment section or an item of a listing.
/// `judged` keeps each element's verdict.
fn in_furniture(
    node: &dom_query::NodeRef<'_>,
    judged: &mut std::collections::HashMap<dom_query::NodeId, bool>,
) -> bool {
    std::iter::once(*node)
        .chain(node.ancestors_it(Some(30)))
        .any(|n| {
            *judged
                .entry(n.id)
                .or_insert_with(|| is_comment_section(&n) || is_listing_item(&n))
        })
}

/// An item of a list that links to another page by a headline (`<li><a
/// href="/other-story">A headline of some words</a> <span
/// class="date">…`): a listing of other articles, whose dates are theirs.
fn is_listing_item(node: &dom_query::NodeRef<'_>) -> bool {
    node.has_name("li")
        && node.find(&["a"]).iter().any(|a| {
            a.attr("href").is_some_and(|h| !h.starts_with('#'))
                && a.text().trim().chars().count() >= 20
        })
}

fn is_comment_section(node: &dom_query::NodeRef<'_>) -> bool {
    let says = |v: Option<&str>| v.is_some_and(|v| v.to_ascii_lowercase().contains("comment"));
    node.is_element()
        && (says(node.attr("class").as_deref()) || says(node.id_attr().as_deref()))
        && node.find(&["h1"]).is_empty()
}

/// Block elements: their text is set apart by a space (the DOM's own text
/// runs "Gemeindehaus</h1><span>19.07.2014" together).
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "dd",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "td",
    "th",
    "tr",
    "ul",
];

/// The visible text under `root`, for finding dates: a space at each
/// block element's start and end, and between inline runs that would glue
/// a word to a number ("Erstellt am</span><span>09.02.2022"), but none
/// otherwise ("<b>2020</b>/04/17" stays a date); styles and scripts over
/// 200 bytes and comment sections left out; at most about `limit` bytes.
fn spaced_text(root: &dom_query::NodeRef<'_>, limit: usize) -> String {
    let mut out = String::new();
    // `None` marks the end of a block element.
    let mut stack = vec![Some(*root)];
    while let Some(next) = stack.pop() {
        if out.len() > limit {
            break;
        }
        let Some(node) = next else {
            out.push(' ');
            continue;
        };
        if !node.is_text() {
            let tag = crate::dom::tag_of(&node);
            let tag = tag.as_deref().unwrap_or("");
            let short_script = tag == "script" && node.text().len() <= 200;
            // A short inline script is most often a renderer of what the
            // reader sees (`showDate("2020/04/17")`); longer ones are code.
            if matches!(tag, "style" | "noscript" | "template")
                || (tag == "script" && !short_script)
                || is_comment_section(&node)
                || is_listing_item(&node)
            {
                continue;
            }
            if BLOCKS.contains(&tag) {
                out.push(' ');
                stack.push(None);
            }
            stack.extend(node.children_it(true).map(Some));
            continue;
        }
        let text = node.text();
        let glued = match (out.chars().next_back(), text.chars().next()) {
            (Some(a), Some(b)) => {
                (a.is_alphabetic() && b.is_ascii_digit())
                    || (a.is_ascii_digit() && b.is_alphabetic())
            }
            _ => false,
        };
        if glued {
            out.push(' ');
        }
        out.push_str(&text);
    }
    out
}

/// Last of all, when the crawl time is known: a date line written relative
/// to it ("vor 3 Tagen", "Yesterday, 14:30") in an element whose class or
/// id says "date".
fn relative_date(doc: &Document, crawled: Timestamp) -> Option<Timestamp> {
    doc.select(DATEISH)
        .nodes()
        .iter()
        .take(40)
        .find_map(|node| dates::relative_date(&node.text(), crawled))
        .map(|d| d.and_time(chrono::NaiveTime::MIN).and_utc())
}

/// A title compared loosely: lower case, words only.
fn title_key(t: &str) -> String {
    t.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Bytes of body text under which the page's lines are read again by the
/// plain-text classifier ([`text::clean`]).
const FALLBACK_CHARS: usize = 200;

/// Parses `html` so that nothing deeper than FLATTEN_DEPTH reaches the walks
/// or Readability. A page whose source nests shallowly (`deep` false) cannot
/// parse that deep (the parser adds a few wrappers and at most a few dozen
/// reopened formatting elements), so the DOM walk is spared there.
fn parse_bounded(html: &str, deep: bool) -> Result<Document, Refusal> {
    let doc = Document::from(html);
    if deep {
        let shape = limits::bound(&doc, limits::FLATTEN_DEPTH, limits::MAX_ELEMENTS)?;
        if shape.flattened > 0 {
            tracing::debug!(target: "extract", depth = shape.depth, flattened = shape.flattened, "deep nesting flattened");
        }
    }
    Ok(doc)
}

pub(crate) fn extract(
    html: &str,
    url: Option<&str>,
    now: Timestamp,
    crawled: Option<Timestamp>,
    deadline: &Deadline,
) -> Result<Found, Refusal> {
    // The parser's cost grows with the square of nesting depth: tags
    // deeper than SOURCE_DEPTH are removed from the source first.
    let scan = prescan::scan(html, prescan::SOURCE_DEPTH);
    if scan.start_tags > limits::MAX_ELEMENTS {
        // Refused before parsing: parsing alone would cost the most.
        return Err(Refusal::TooManyElements {
            found: scan.start_tags,
            max: limits::MAX_ELEMENTS,
        });
    }
    if scan.rewritten.is_some() {
        tracing::debug!(target: "extract", "tags nested deeper than {} removed before parsing", prescan::SOURCE_DEPTH);
    }
    let html = scan.rewritten.as_deref().unwrap_or(html);
    let deep = scan.max_depth > limits::SHALLOW_SOURCE;
    let doc = parse_bounded(html, deep)?;
    deadline.check()?;
    let meta = read_meta(&doc, html, url, now, crawled);
    // Two candidates from the one parse: the body the markup names
    // (crate::dom), and Readability's choice on the page cleaned of what
    // never holds article text.
    let lens = dom::text_lengths(&doc);
    let marked = dom::extract(&doc, &lens);
    // A body the markup names outright (articleBody, entry-content,
    // <article>) that holds a long text is rarely bettered by Readability,
    // which costs as much as the parse: it is skipped there. (3,000 chars
    // loses nothing on the trafilatura pages; 1,500 loses .001 F1.)
    let confident = marked.rank.is_some_and(|r| r <= 1) && marked.chars() >= 3_000;
    deadline.check()?;
    let rd = if confident {
        Readable::default()
    } else {
        dom::clean_for_readability(&doc, &lens);
        readable(doc, html, meta.url.as_deref())
    };
    deadline.check()?;
    let mut body = rd.body.clone();
    // The marked body wins unless Readability found far more text (the
    // marker named a lead box or one part of a split article). 1.5x: on the
    // trafilatura pages 2x and 3x lose .001 to .002 F1.
    if marked.rank.is_some() && 2 * body.len() <= 3 * marked.chars() {
        body = marked_body(marked, meta.title.as_deref());
    }
    let (mut body, mut removed) = trim_tail(&body);
    if body.len() < FALLBACK_CHARS {
        // No main block, or a sliver (a caption, a teaser): the text
        // classifier on the page's visible lines, if it finds more (the
        // page parsed again: Readability consumed the first parse).
        let c = text::clean(&dom::page_lines(&parse_bounded(html, deep)?));
        let found = c.paragraphs.join("\n\n");
        if found.len() > body.len() {
            body = found;
            removed = c.removed;
        }
    }
    let published = meta.published_at.or_else(|| {
        rd.published
            .as_deref()
            .and_then(|p| dates::parse(p, Some(now)))
    });
    Ok(Found {
        title: meta.title.or(rd.title.filter(|t| !t.is_empty())),
        author: meta.author.or(rd.byline),
        site: meta.site.or(rd.site),
        url: meta.url,
        published,
        language: meta.language,
        text: body,
        republished_from: meta.syndicated_from,
        boilerplate: removed,
    })
}

/// What Readability found on a page.
#[derive(Default)]
struct Readable {
    body: String,
    title: Option<String>,
    byline: Option<String>,
    site: Option<String>,
    published: Option<String>,
}

/// Readability's article on the cleaned parse (the raw page again if it
/// refuses that one).
fn readable(doc: Document, html: &str, url: Option<&str>) -> Readable {
    let doc_url = url.filter(|u| u.starts_with("http"));
    let cfg = Config {
        text_mode: TextMode::Formatted,
        // The metadata was read before.
        disable_json_ld: true,
        ..Config::default()
    };
    let article = Readability::with_document(doc, doc_url, Some(cfg.clone()))
        .or_else(|_| Readability::with_document(Document::from(html), None, Some(cfg)))
        .ok()
        .and_then(|mut r| r.parse().ok());
    match article {
        Some(a) => Readable {
            body: a.text_content.to_string(),
            title: Some(a.title),
            byline: a.byline,
            site: a.site_name,
            published: a.published_time,
        },
        None => Readable::default(),
    }
}

/// The marked body's blocks, but the headline: a block near the top that
/// repeats the title is metadata, not body (Readability does the same).
fn marked_body(marked: dom::Extracted, title: Option<&str>) -> String {
    let headline = title.map(title_key).unwrap_or_default();
    marked
        .blocks
        .into_iter()
        .enumerate()
        .filter(|(i, b)| {
            let key = title_key(&b.text);
            !(*i < 3
                && !key.is_empty()
                && (key == headline || (key.split(' ').count() >= 4 && headline.starts_with(&key))))
        })
        .map(|(_, b)| b.text)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The body without furniture lines left inside its blocks (the rules for
/// scraped text, never the article's prose) and without what follows its
/// last paragraph (tags, share prompts, teaser titles, signatures, an
/// author's bio): the body, and what was removed.
fn trim_tail(body: &str) -> (String, Vec<String>) {
    let mut removed = Vec::new();
    let mut kept = Vec::new();
    for para in body.split("\n").map(str::trim).filter(|p| !p.is_empty()) {
        if text::is_furniture_line(para) {
            removed.push(para.to_string());
        } else {
            kept.push(normalize_ws(para));
        }
    }
    // The end of the last paragraph among the first `upto` blocks.
    let prose_end = |upto: usize| {
        kept[..upto]
            .iter()
            .rposition(|b| text::is_prose_block(b))
            .map_or(upto, |i| i + 1)
    };
    let mut end = prose_end(kept.len());
    for _ in 0..2 {
        if end > 1 && text::is_bio(&kept[end - 1]) {
            end = prose_end(end - 1);
        }
    }
    removed.extend(kept[end..].iter().cloned());
    (kept[..end].join("\n\n"), removed)
}

#[cfg(test)]
mod tests;
