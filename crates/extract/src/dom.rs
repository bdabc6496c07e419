//! Main text from a parsed page by its structure: find the element that holds
//! the article, walk it into blocks, and leave out the page furniture inside
//! it.
//!
//! Why by hand: this is the part of extraction that decides quality, and no
//! crate does it the way news pages need. Readability (dom_smoothie, run
//! beside this in [`crate::html`]) scores candidate containers by their
//! paragraphs and often picks a block that is too small (a lead box) or keeps
//! what sits inside the right one (share bars, author boxes, related links,
//! comment forms). This module follows what trafilatura showed works: the
//! markup's own names for the article body (`itemprop=articleBody`,
//! `entry-content`, `<article>` …) in order of trust, furniture pruned by
//! class, id and role names, hidden elements dropped, and lists of links
//! recognised by their link density. A lead paragraph that the page sets
//! between the headline and the marked body (`<p class="chapo">`) is taken
//! in front of it ([`lead_before`]). The caller keeps whichever of the two
//! results is the better article (see [`crate::html`]).
//!
//! Everything works on the already parsed DOM, with no regex per element:
//! one pass measures the text under every element ([`text_lengths`]), one
//! finds the body candidates, one walks the chosen body. Only
//! [`clean_for_readability`] changes the DOM, after the walk.

use dom_query::{Document, NodeId, NodeRef};
use rustc_hash::FxHashMap;

/// One block of text (a paragraph, heading, list item, table cell …).
#[derive(Debug, Clone)]
pub(crate) struct Block {
    /// Whitespace-normalised text.
    pub text: String,
    /// Characters of `text` that were link text.
    pub link_chars: usize,
}

/// The article text found by structure, with what it left out.
#[derive(Debug, Default)]
pub(crate) struct Extracted {
    /// The article's blocks, in document order.
    pub blocks: Vec<Block>,
    /// The rank of the marker that named the body (0 is the strongest);
    /// `None` when no marker led to enough text.
    pub rank: Option<u8>,
}

impl Extracted {
    /// Characters of text kept.
    pub fn chars(&self) -> usize {
        self.blocks.iter().map(|b| b.text.len()).sum()
    }
}

/// Elements whose content is never article text.
pub(crate) fn never_text(tag: &str) -> bool {
    matches!(
        tag,
        "script"
            | "style"
            | "template"
            | "svg"
            | "math"
            | "iframe"
            | "object"
            | "embed"
            | "video"
            | "audio"
            | "canvas"
            | "map"
            | "picture"
            | "img"
            | "button"
            | "select"
            | "option"
            | "textarea"
            | "input"
            | "label"
            | "dialog"
            | "head"
            | "title"
            | "meta"
            | "link"
            | "figcaption"
            | "menu"
            // Ruby annotations: the readings printed above Japanese and
            // Chinese characters (子<rt>こ</rt>ども), not text of their own.
            | "rt"
            | "rp"
    )
}

/// Page regions that hold furniture: navigation, asides, footers, forms;
/// and `<noscript>`, which holds a "please enable JavaScript" notice or a
/// tracking pixel, unless broken markup left it open (`<noscript><div>`
/// never closes: the parser keeps the whole page inside it, which a
/// browser renders).
fn furniture_tag(tag: &str) -> bool {
    matches!(tag, "nav" | "aside" | "footer" | "form" | "noscript")
}

/// Tags that end a line of text.
pub(crate) fn is_block(tag: &str) -> bool {
    matches!(
        tag,
        "p" | "div"
            | "section"
            | "article"
            | "main"
            | "header"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "ul"
            | "ol"
            | "li"
            | "dl"
            | "dt"
            | "dd"
            | "blockquote"
            | "pre"
            | "table"
            | "thead"
            | "tbody"
            | "tfoot"
            | "tr"
            | "td"
            | "th"
            | "caption"
            | "figure"
            | "address"
            | "hr"
            | "br"
            | "details"
            | "summary"
            | "center"
            | "body"
            | "fieldset"
            | "hgroup"
            | "footer"
            | "nav"
            | "aside"
            | "form"
    )
}

/// Containers judged by their link density as a whole (a list of links).
fn is_link_list_candidate(tag: &str) -> bool {
    matches!(
        tag,
        "ul" | "ol" | "dl" | "div" | "section" | "table" | "nav" | "p"
    )
}

/// True when one lower-cased class or id token names page furniture. These
/// are the names content systems give their widgets (WordPress, Drupal,
/// newsroom CMSs), not names from any one site: the lexicon's
/// `mul/furniture-classes` table. Tokens are matched by
/// prefix, suffix or whole word where a bare substring would also hit
/// layout names (`sticky-sidebar-relative`, `hidden-xs`,
/// `documentContent__sharingContainer`, `print-full`).
fn furniture_token(t: &str) -> bool {
    static TOKENS: std::sync::LazyLock<ClassTokens> =
        std::sync::LazyLock::new(|| ClassTokens::load("furniture-classes"));
    TOKENS.matches(t)
}

/// A lexicon table of class and id tokens, by how each matches: `name`
/// whole, `name*` as a prefix, `*name` as a suffix, `*name*` anywhere.
struct ClassTokens {
    whole: Vec<&'static str>,
    prefix: Vec<&'static str>,
    suffix: Vec<&'static str>,
    // One automaton for the substrings: a search each was most of the time
    // spent on class names.
    anywhere: aho_corasick::AhoCorasick,
}

impl ClassTokens {
    fn load(table: &str) -> ClassTokens {
        let (mut whole, mut prefix, mut suffix, mut anywhere) = (vec![], vec![], vec![], vec![]);
        for w in corroborate_lexicon::words("mul", table) {
            match (w.strip_prefix('*'), w.strip_suffix('*')) {
                (Some(inner), Some(_)) => anywhere.push(&inner[..inner.len() - 1]),
                (Some(end), None) => suffix.push(end),
                (None, Some(start)) => prefix.push(start),
                (None, None) => whole.push(w),
            }
        }
        ClassTokens {
            whole,
            prefix,
            suffix,
            anywhere: aho_corasick::AhoCorasick::new(anywhere).expect("class tokens"),
        }
    }

    fn matches(&self, t: &str) -> bool {
        self.whole.contains(&t)
            || self.anywhere.is_match(t)
            || self.prefix.iter().any(|p| t.starts_with(p))
            || self.suffix.iter().any(|s| t.ends_with(s))
    }
}

/// The values of the element's `keys` attributes, lower-cased and joined by
/// spaces.
fn names_of(node: &NodeRef<'_>, keys: &[&str]) -> String {
    let mut names = String::new();
    for key in keys {
        if let Some(v) = node.attr(key) {
            names.push(' ');
            names.push_str(&v);
        }
    }
    names.make_ascii_lowercase();
    names
}

/// True when the element's class, id or role names it furniture.
fn furniture_by_name(node: &NodeRef<'_>) -> bool {
    names_of(node, &["class", "id", "role"])
        .split_whitespace()
        .any(furniture_token)
}

/// True when the element's class, id or itemprop names it the article's
/// lead (standfirst, teaser text, intro, chapo, `itemprop=description`).
fn lead_by_name(node: &NodeRef<'_>) -> bool {
    names_of(node, &["class", "id", "itemprop"])
        .split_whitespace()
        .any(|t| {
            t == "description"
                || t == "lead"
                || t.ends_with("-lead")
                || t.starts_with("lead-")
                || t.ends_with("_lead")
                || [
                    "standfirst",
                    "chapo",
                    "teaser-text",
                    "intro",
                    "article-summary",
                ]
                .iter()
                .any(|n| t.contains(n))
        })
}

/// True for elements a reader never sees.
pub(crate) fn hidden(node: &NodeRef<'_>) -> bool {
    if node.has_attr("hidden") {
        return true;
    }
    if node
        .attr("aria-hidden")
        .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    {
        return true;
    }
    node.attr("style").is_some_and(|s| {
        let s: String = s
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        s.contains("display:none") || s.contains("visibility:hidden")
    })
}

pub(crate) fn tag_of(node: &NodeRef<'_>) -> Option<String> {
    node.qual_name_ref().map(|q| q.local.to_string())
}

/// How strongly an element's markup says "this is the article body": 0 is
/// the strongest; `None` says nothing.
fn body_rank(node: &NodeRef<'_>, tag: &str) -> Option<u8> {
    static STRONG: std::sync::LazyLock<Vec<&str>> =
        std::sync::LazyLock::new(|| corroborate_lexicon::words("mul", "body-classes"));
    if node
        .attr("itemprop")
        .is_some_and(|v| v.eq_ignore_ascii_case("articleBody"))
    {
        return Some(0);
    }
    if !matches!(
        tag,
        "div" | "article" | "section" | "main" | "td" | "span" | "font"
    ) {
        return None;
    }
    let names = names_of(node, &["class", "id"]);
    if STRONG.iter().any(|s| names.contains(s)) {
        return Some(0);
    }
    if tag == "article" {
        return Some(1);
    }
    let role = node.attr("role").map(|r| r.to_ascii_lowercase());
    if role.as_deref() == Some("article")
        || names.split_whitespace().any(|t| {
            matches!(
                t,
                "post" | "entry" | "story" | "article" | "text" | "fulltext" | "hentry"
            )
        })
    {
        return Some(2);
    }
    if names.contains("main-content")
        || names.contains("maincontent")
        || names.contains("content-main")
        || names.contains("page-content")
        || names.split_whitespace().any(|t| t == "content")
    {
        return Some(3);
    }
    if tag == "main" || role.as_deref() == Some("main") {
        return Some(4);
    }
    None
}

/// Visible text length (bytes) of every element of a page's body.
pub(crate) struct TextLengths(FxHashMap<NodeId, usize>);

impl TextLengths {
    fn of(&self, node: &NodeRef<'_>) -> usize {
        self.0.get(&node.id).copied().unwrap_or(0)
    }
}

/// Measures the text under every element of the body in one post-order
/// pass: asking each candidate for its text would cost the size of its
/// subtree, again for every nested candidate. Script and style text count
/// as nothing. Iterative, so a deep DOM cannot overflow the stack. Measured
/// once per page, before [`clean_for_readability`] changes it.
pub(crate) fn text_lengths(doc: &Document) -> TextLengths {
    let mut lens = FxHashMap::default();
    let Some(root) = doc.body() else {
        return TextLengths(lens);
    };
    let mut stack = vec![(root, false)];
    let mut seen = 0;
    while let Some((node, done)) = stack.pop() {
        if done {
            let mut sum = 0;
            for c in node.children_it(false) {
                if c.is_text() {
                    sum += c.text().len();
                } else if let Some(n) = lens.get(&c.id) {
                    sum += n;
                }
            }
            lens.insert(node.id, sum);
            continue;
        }
        seen += 1;
        if seen > MAX_VISITS {
            continue;
        }
        if tag_of(&node).is_some_and(|t| never_text(&t)) {
            lens.insert(node.id, 0);
            continue;
        }
        stack.push((node, true));
        stack.extend(
            node.children_it(false)
                .filter(|c| c.is_element())
                .map(|c| (c, false)),
        );
    }
    TextLengths(lens)
}

/// The page's visible text, one line per block as a text browser shows
/// it, without what never holds article text (scripts, hidden elements,
/// furniture by tag or name, lists of links): the input of the plain-text
/// classifier when the markup gave no body.
pub(crate) fn page_lines(doc: &Document) -> String {
    let Some(body) = doc.body() else {
        return String::new();
    };
    let lens = text_lengths(doc);
    let mut w = Walker::new(lens.of(&body), &lens);
    w.walk(&body, 0);
    w.flush();
    let lines: Vec<&str> = w.blocks.iter().map(|b| b.text.as_str()).collect();
    lines.join("\n")
}

/// Deepest element the walk descends to: text nested deeper than this in
/// broken markup is not read (the walk is recursive).
const MAX_DEPTH: usize = 400;

/// Collects blocks while walking a subtree.
struct Walker<'a> {
    blocks: Vec<Block>,
    line: String,
    line_links: usize,
    /// Depth inside `<a>` elements.
    in_link: usize,
    /// Elements visited (a bound against enormous DOMs).
    visited: usize,
    /// Raw text length of the walked root: a region holding half of it is
    /// a wrapper with an unlucky name, not furniture.
    root_chars: usize,
    /// Text length of every element ([`text_lengths`]).
    lens: &'a TextLengths,
}

/// The most elements one walk visits; the rest of a page beyond it is not
/// read (an enormous DOM must not cost minutes).
const MAX_VISITS: usize = 200_000;

impl<'a> Walker<'a> {
    fn new(root_chars: usize, lens: &'a TextLengths) -> Walker<'a> {
        Walker {
            blocks: Vec::new(),
            line: String::new(),
            line_links: 0,
            in_link: 0,
            visited: 0,
            root_chars,
            lens,
        }
    }

    fn push_text(&mut self, text: &str) {
        let before = self.line.len();
        // Words of one text node are separated by a space; a node joins the
        // line without one unless white space separates them in the markup
        // (`<b>Moderator</b>: Ann` is "Moderator: Ann").
        let mut need_space = text.starts_with(char::is_whitespace);
        for w in text.split_whitespace() {
            if need_space && !self.line.is_empty() && !self.line.ends_with(' ') {
                self.line.push(' ');
            }
            self.line.push_str(w);
            need_space = true;
        }
        if text.ends_with(char::is_whitespace) && !self.line.is_empty() && !self.line.ends_with(' ')
        {
            self.line.push(' ');
        }
        if self.in_link > 0 {
            self.line_links += self.line.len() - before;
        }
    }

    fn flush(&mut self) {
        let text = self.line.trim();
        if !text.is_empty() {
            let link_chars = self.line_links.min(text.len());
            self.blocks.push(Block {
                text: text.to_string(),
                link_chars,
            });
        }
        self.line.clear();
        self.line_links = 0;
    }

    fn walk(&mut self, node: &NodeRef<'_>, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        for child in node.children_it(false) {
            if child.is_text() {
                self.push_text(&child.text());
                continue;
            }
            if !child.is_element() {
                continue;
            }
            self.visited += 1;
            if self.visited > MAX_VISITS {
                return;
            }
            let Some(tag) = tag_of(&child) else { continue };
            if never_text(&tag) || hidden(&child) {
                continue;
            }
            if (furniture_tag(&tag) || furniture_by_name(&child))
                && self.lens.of(&child) * 2 < self.root_chars
            {
                // A block boundary still separates the text around it.
                if is_block(&tag) {
                    self.flush();
                }
                continue;
            }
            let block = is_block(&tag);
            if block {
                self.flush();
            }
            let start = self.blocks.len();
            let link = tag == "a";
            if link {
                self.in_link += 1;
            }
            self.walk(&child, depth + 1);
            if link {
                self.in_link -= 1;
            }
            if block {
                self.flush();
                // A nested list may have taken its title from before `start`.
                let start = start.min(self.blocks.len());
                if is_link_list_candidate(&tag) && link_list(&self.blocks[start..]) {
                    self.blocks.truncate(start);
                    // Its title ("More on this", "Weitere Artikel") goes
                    // with it: a short line that is not a sentence.
                    if self.blocks.last().is_some_and(|b| is_list_title(&b.text)) {
                        self.blocks.pop();
                    }
                }
            }
        }
    }
}

/// A run of blocks that is mostly link text and not long: a list of links
/// (related articles, tags, a menu) rather than prose that cites sources.
fn link_list(blocks: &[Block]) -> bool {
    if blocks.is_empty() {
        return false;
    }
    let chars: usize = blocks.iter().map(|b| b.text.len()).sum();
    let links: usize = blocks.iter().map(|b| b.link_chars).sum();
    if chars == 0 {
        return false;
    }
    let density = links as f64 / chars as f64;
    // Several items, most of them links; or one short line that is all link.
    (blocks.len() >= 2 && density > 0.5 && chars < 2_000)
        || (blocks.len() == 1 && density > 0.8 && chars < 120)
}

/// Whether a block ends as a sentence does (a stop or a closing quote).
fn ends_sentence(text: &str) -> bool {
    text.ends_with(['.', '!', '?', '"', '”', '»', '“'])
}

/// A heading-like line: a few words, no sentence end.
fn is_list_title(text: &str) -> bool {
    text.split_whitespace().count() <= 6 && text.len() < 60 && !ends_sentence(text)
}

/// The shortest extraction accepted from a body marker; below it the next
/// marker is tried (a marked lead box or teaser is not the article). 500:
/// on the trafilatura pages 150 and 250 do .002 F1 worse, 800 .001.
const MIN_CHARS: usize = 500;

/// Finds the article body by its markup and extracts its blocks. Returns
/// empty `blocks` when no marker leads to enough text. `lens` is
/// [`text_lengths`] of the same page.
pub(crate) fn extract(doc: &Document, lens: &TextLengths) -> Extracted {
    let Some(body) = doc.body() else {
        return Extracted::default();
    };
    // One pass over the elements: the best candidate of each rank, by the
    // length of its raw text (the outer of nested matches, the main
    // `<article>` rather than a teaser).
    let mut best: [Option<(usize, NodeRef<'_>)>; 5] = [None, None, None, None, None];
    let mut seen = 0;
    for node in body.descendants_it() {
        if !node.is_element() {
            continue;
        }
        seen += 1;
        if seen > MAX_VISITS {
            break;
        }
        let Some(tag) = tag_of(&node) else { continue };
        if let Some(rank) = body_rank(&node, &tag) {
            let slot = &mut best[rank as usize];
            let len = lens.of(&node);
            if slot.as_ref().is_none_or(|(l, _)| len > *l) {
                *slot = Some((len, node));
            }
        }
    }
    for (rank, cand) in best.iter().enumerate() {
        let Some((len, node)) = cand else { continue };
        let mut w = Walker::new(*len, lens);
        w.walk(node, 0);
        w.flush();
        let mut blocks = lead_before(node, *len, lens);
        blocks.append(&mut w.blocks);
        let out = Extracted {
            blocks,
            rank: Some(rank as u8),
        };
        if out.chars() >= MIN_CHARS {
            return out;
        }
    }
    Extracted::default()
}

/// The lead paragraph a page sets just above its marked body, between the
/// headline and the body (`<p class="chapo">`, a teaser `<div>`): the
/// nearest earlier siblings of the body and of its parent that read as
/// prose, up to the headline. `body_chars` is the body's text length.
fn lead_before(body: &NodeRef<'_>, body_chars: usize, lens: &TextLengths) -> Vec<Block> {
    let mut lead = Vec::new();
    let mut node = *body;
    'levels: for level in 0..LEAD_HEADER_LEVELS {
        // Beyond LEAD_LEVELS only a header holding the headline, or a lead
        // the markup names, is looked into: the wrappers around a body
        // grow, and their other siblings are the page's.
        let near = level < LEAD_LEVELS;
        let mut sib = node.prev_element_sibling();
        for _ in 0..LEAD_SIBLINGS {
            let Some(s) = sib else { break };
            // The headline (or a header holding it) marks the top; a header
            // may hold the standfirst below the headline.
            let is_h1 = |n: &NodeRef<'_>| n.qual_name_ref().is_some_and(|q| &*q.local == "h1");
            if is_h1(&s) {
                break 'levels;
            }
            if let Some(h1) = s.descendants_it().take(2_000).find(|d| is_h1(d)) {
                let mut after = Vec::new();
                let mut n = h1;
                while n.id != s.id {
                    let mut next = n.next_element_sibling();
                    while let Some(x) = next {
                        after.push(x);
                        next = x.next_element_sibling();
                    }
                    match n.parent() {
                        Some(p) => n = p,
                        None => break,
                    }
                }
                // Nearest the body first, as the siblings are read.
                for x in after.iter().rev() {
                    lead_blocks(x, body_chars, lens, &mut lead);
                }
                break 'levels;
            }
            if near || lead_by_name(&s) {
                lead_blocks(&s, body_chars, lens, &mut lead);
            }
            sib = s.prev_element_sibling();
        }
        match node.parent() {
            Some(p) if p.is_element() && tag_of(&p).is_some_and(|t| t != "body") => node = p,
            _ => break,
        }
    }
    lead.reverse();
    lead
}

/// Pushes onto `lead`, last first, the blocks of `node` that read as a lead
/// paragraph: twelve words or more, few links, a sentence's end; nothing
/// from a region named as furniture or hidden, or holding half the body's
/// text or more.
fn lead_blocks(node: &NodeRef<'_>, body_chars: usize, lens: &TextLengths, lead: &mut Vec<Block>) {
    let chars = lens.of(node);
    if chars == 0 || 2 * chars >= body_chars || furniture_by_name(node) || hidden(node) {
        return;
    }
    // A lead the markup names needs no sentence's end ("Was seit Wochen
    // kolportiert wurde, ist nun bestätigt") and may be shorter.
    let named = lead_by_name(node)
        || node
            .descendants_it()
            .take(200)
            .any(|d| d.is_element() && lead_by_name(&d));
    let mut w = Walker::new(chars, lens);
    w.walk(node, 0);
    w.flush();
    for b in w.blocks.into_iter().rev() {
        let words = b.text.split_whitespace().count();
        let prose = if named {
            words >= 8
        } else {
            words >= 12 && ends_sentence(&b.text)
        };
        if prose && 4 * b.link_chars < b.text.len() {
            lead.push(b);
        }
    }
}

/// Earlier siblings looked at, per level, for a lead paragraph.
const LEAD_SIBLINGS: usize = 3;

/// Levels looked at: the body's own siblings, its parent's, ...
const LEAD_LEVELS: usize = 3;

/// Levels looked at for a header holding the headline (and the standfirst
/// below it) or a lead the markup names.
const LEAD_HEADER_LEVELS: usize = 6;

/// Removes, in place, what never holds article text and the furniture
/// regions outside the article, so that Readability scores a cleaner page.
/// A region is kept when it holds most of the page's text (a site that wraps
/// everything in a `<form>` or a `content has-sidebar` div). `lens` is
/// [`text_lengths`] of the page before this call.
pub(crate) fn clean_for_readability(doc: &Document, lens: &TextLengths) {
    let Some(body) = doc.body() else { return };
    let total = lens.of(&body).max(1);
    let mut doomed = Vec::new();
    let mut stack: Vec<NodeRef<'_>> = body.children_it(true).filter(|c| c.is_element()).collect();
    let mut seen = 0;
    while let Some(node) = stack.pop() {
        seen += 1;
        if seen > MAX_VISITS {
            break;
        }
        let Some(tag) = tag_of(&node) else { continue };
        let len = lens.of(&node);
        if matches!(
            tag.as_str(),
            "script" | "style" | "template" | "svg" | "iframe" | "figcaption" | "rt" | "rp"
        ) || hidden(&node)
            || ((furniture_tag(&tag) || furniture_by_name(&node)) && len * 3 < total)
        {
            // Its subtree goes with it: no need to look inside.
            doomed.push(node);
        } else {
            // Reversed, so that the stack pops children in document order.
            stack.extend(node.children_it(true).filter(|c| c.is_element()));
        }
    }
    for node in doomed {
        node.remove_from_parent();
    }
}

#[cfg(test)]
mod tests;
