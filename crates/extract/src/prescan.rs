//! A linear pre-pass over the HTML source that caps element nesting before
//! the page is parsed.
//!
//! Why by hand: html5ever's tree builder checks "is a `<p>` open in button
//! scope?" at every start tag by walking the stack of open elements, so a
//! page of N nested elements costs N² (20,000 nested `<div>`s: 1.4 s in the
//! parser alone; 100,000: 17 s), and no parser option bounds it. This pass
//! simulates the stack of open elements cheaply (void elements, raw-text
//! elements, comments, end tags closing the nearest open element of their
//! name, and the common implied ends: a `<p>` or block closes an open `<p>`,
//! `<li>` closes `<li>`, …) and removes the tags, never the text, of
//! elements that would open deeper than the cap, together with their end
//! tags. A page that never goes that deep (every real page: they nest 20 to
//! 60 levels) is returned untouched without a copy. The DOM pass in
//! [`crate::limits`] then flattens what the parser still nests too deep.

use memchr::memchr;

/// Nesting depth at which the source is rewritten.
pub const SOURCE_DEPTH: usize = 512;

/// Elements that never have content (HTML's void elements).
fn void(tag: &str) -> bool {
    matches!(
        tag,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
            | "keygen"
            | "frame"
            | "basefont"
            | "bgsound"
            | "image"
    )
}

/// Elements whose content is raw text up to their end tag.
fn raw_text(tag: &str) -> bool {
    matches!(
        tag,
        "script"
            | "style"
            | "textarea"
            | "title"
            | "xmp"
            | "iframe"
            | "noembed"
            | "noframes"
            | "plaintext"
    )
}

/// Start tags that close an open element of the same name (`<li>` after
/// `<li>`), as the tree builder's implied end tags do.
fn closes_same(tag: &str) -> bool {
    matches!(
        tag,
        "p" | "li" | "dt" | "dd" | "option" | "tr" | "td" | "th" | "rb" | "rt" | "rp" | "a"
    )
}

/// Block start tags that close an open `<p>`.
fn closes_p(tag: &str) -> bool {
    matches!(
        tag,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "div"
            | "dl"
            | "fieldset"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hr"
            | "main"
            | "nav"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "table"
            | "ul"
    )
}

/// Attributes one tag may carry: html5ever checks each new attribute
/// against the ones before it (20,000 attributes: 0.25 s), so a tag with
/// more keeps its name and loses them all. Real tags carry a few dozen.
pub const MAX_ATTRIBUTES: usize = 1_000;

/// How far down the stack an end tag looks for its element: a stray end
/// tag is ignored after this many, which keeps the pass linear.
const END_TAG_REACH: usize = 32;

/// A tag name, lower-cased, in place (no allocation per tag: this pass
/// runs on every page). Names over 16 bytes are cut, which only ever
/// confuses two long custom elements with each other.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Name {
    bytes: [u8; 16],
    len: u8,
}

impl Name {
    fn new(raw: &[u8]) -> Name {
        let mut bytes = [0u8; 16];
        let len = raw.len().min(16);
        for (b, r) in bytes.iter_mut().zip(&raw[..len]) {
            *b = r.to_ascii_lowercase();
        }
        Name {
            bytes,
            len: len as u8,
        }
    }

    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..self.len as usize]).unwrap_or("")
    }
}

/// One tag in the source.
struct Tag {
    /// Lower-cased name.
    name: Name,
    /// Byte range of the whole tag, `<` to `>`.
    start: usize,
    end: usize,
    closing: bool,
    self_closing: bool,
    /// Byte range of the attributes (name end to `>`), and how many there
    /// are (`=` signs outside quotes).
    attrs: (usize, usize),
    attr_count: usize,
}

/// What the pre-pass found.
#[derive(Debug)]
pub(crate) struct Scan {
    /// The source with the tags of elements nested deeper than the cap
    /// removed, or `None` when nothing nests that deep.
    pub rewritten: Option<String>,
    /// Start tags seen (each one an element once parsed): a page over the
    /// element limit is refused before it is parsed.
    pub start_tags: usize,
    /// The deepest nesting of open elements in the source (after the cap).
    pub max_depth: usize,
}

/// The source with the tags of elements nested deeper than `cap` removed,
/// or `None` when nothing nests that deep.
#[cfg(test)]
pub(crate) fn cap_depth(html: &str, cap: usize) -> Option<String> {
    scan(html, cap).rewritten
}

/// One linear pass: caps nesting at `cap` and counts start tags.
pub(crate) fn scan(html: &str, cap: usize) -> Scan {
    let mut start_tags = 0;
    let b = html.as_bytes();
    // Open elements: (name, dropped).
    let mut stack: Vec<(Name, bool)> = Vec::new();
    let mut max_depth = 0;
    // Byte ranges of tags to remove.
    let mut cut: Vec<(usize, usize)> = Vec::new();
    let mut at = 0;
    while let Some(off) = memchr(b'<', &b[at..]) {
        let lt = at + off;
        let Some((tag, next)) = next_tag(html, lt) else {
            at = lt + 1;
            continue;
        };
        at = next;
        let Some(tag) = tag else { continue };
        if tag.closing {
            close(&mut stack, &tag, &mut cut);
            continue;
        }
        start_tags += 1;
        if tag.attr_count > MAX_ATTRIBUTES {
            cut.push(tag.attrs);
        }
        let name = tag.name.as_str();
        if void(name) || tag.self_closing {
            if stack.len() >= cap {
                cut.push((tag.start, tag.end));
            }
            continue;
        }
        implied_ends(&mut stack, tag.name);
        let dropped = stack.len() >= cap;
        if dropped {
            cut.push((tag.start, tag.end));
        }
        if raw_text(name) {
            // Skip to the end tag; the element never stays open.
            let end = find_end_tag(html, at, name).unwrap_or(html.len());
            if dropped {
                cut.push((at, end));
            }
            at = end;
            continue;
        }
        stack.push((tag.name, dropped));
        max_depth = max_depth.max(stack.len());
    }
    if cut.is_empty() {
        return Scan {
            rewritten: None,
            start_tags,
            max_depth,
        };
    }
    let mut out = String::with_capacity(html.len());
    let mut from = 0;
    for (s, e) in cut {
        if s >= from {
            out.push_str(&html[from..s]);
            from = e;
        }
    }
    out.push_str(&html[from..]);
    Scan {
        rewritten: Some(out),
        start_tags,
        max_depth,
    }
}

/// Pops what a start tag of `name` implicitly ends.
fn implied_ends(stack: &mut Vec<(Name, bool)>, name: Name) {
    if closes_p(name.as_str()) && stack.last().is_some_and(|(t, _)| t.as_str() == "p") {
        stack.pop();
    }
    if closes_same(name.as_str()) && stack.last().is_some_and(|(t, _)| *t == name) {
        stack.pop();
    }
}

/// An end tag closes the nearest open element of its name (within reach);
/// the end tag of a dropped element is dropped with it.
fn close(stack: &mut Vec<(Name, bool)>, tag: &Tag, cut: &mut Vec<(usize, usize)>) {
    let reach = stack.len().saturating_sub(END_TAG_REACH);
    if let Some(i) = (reach..stack.len()).rev().find(|&i| stack[i].0 == tag.name) {
        if stack[i].1 {
            cut.push((tag.start, tag.end));
        }
        stack.truncate(i);
    }
}

/// The tag starting at `lt` (a `<`) and the offset after it: `Some(None)`
/// for a comment, doctype or processing instruction (skipped), `None` when
/// the `<` starts no tag (text).
fn next_tag(html: &str, lt: usize) -> Option<(Option<Tag>, usize)> {
    let b = html.as_bytes();
    let rest = &b[lt + 1..];
    if rest.starts_with(b"!--") {
        let end = memchr::memmem::find(&rest[3..], b"-->").map_or(b.len(), |p| lt + 4 + p + 3);
        return Some((None, end));
    }
    if rest.first().is_some_and(|c| *c == b'!' || *c == b'?') {
        let end = memchr(b'>', rest).map_or(b.len(), |p| lt + 1 + p + 1);
        return Some((None, end));
    }
    let closing = rest.first() == Some(&b'/');
    let name_at = lt + 1 + usize::from(closing);
    if !b.get(name_at).is_some_and(u8::is_ascii_alphabetic) {
        return None;
    }
    let name_end = b[name_at..]
        .iter()
        .position(|c| c.is_ascii_whitespace() || *c == b'/' || *c == b'>')
        .map_or(b.len(), |p| name_at + p);
    let (end, attr_count) = tag_end(b, name_end);
    let self_closing = end >= 2 && b[end - 2] == b'/' && end - 2 >= name_end;
    let tag = Tag {
        name: Name::new(&b[name_at..name_end]),
        start: lt,
        end,
        closing,
        self_closing,
        attrs: (name_end, end.saturating_sub(1).max(name_end)),
        attr_count,
    };
    Some((Some(tag), end))
}

/// The offset after the `>` that ends a tag, skipping quoted attribute
/// values, and the `=` signs outside quotes (one per valued attribute).
fn tag_end(b: &[u8], from: usize) -> (usize, usize) {
    let mut i = from;
    let mut quote = None;
    let mut equals = 0;
    while i < b.len() {
        let c = b[i];
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == b'"' || c == b'\'' => quote = Some(c),
            None if c == b'>' => return (i + 1, equals),
            None if c == b'=' => equals += 1,
            None => {}
        }
        i += 1;
    }
    (b.len(), equals)
}

/// The offset of `</name` (any case) at or after `from`.
fn find_end_tag(html: &str, from: usize, name: &str) -> Option<usize> {
    let b = html.as_bytes();
    let mut at = from;
    while let Some(p) = memchr::memmem::find(&b[at..], b"</") {
        let s = at + p;
        let n = &b[s + 2..];
        if n.len() >= name.len() && n[..name.len()].eq_ignore_ascii_case(name.as_bytes()) {
            return Some(s);
        }
        at = s + 2;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shallow_pages_are_not_copied() {
        let html = "<html><body><div><p>One<p>Two<br><img src=x></div><script>if (a<b) {}</script></body></html>";
        assert_eq!(cap_depth(html, 8), None);
    }

    #[test]
    fn unclosed_paragraphs_and_list_items_do_not_count_as_nesting() {
        let many = "<p>para ".repeat(100) + &"<li>item ".repeat(100);
        let html = format!("<html><body><ul>{many}</ul></body></html>");
        assert_eq!(cap_depth(&html, 10), None);
    }

    #[test]
    fn deep_tags_go_and_their_text_stays() {
        let html = format!(
            "<body>{}deep <b>text</b>{}</body>",
            "<div>".repeat(50),
            "</div>".repeat(50)
        );
        let out = cap_depth(&html, 10).expect("rewritten");
        // body + 9 divs kept open, the rest of the tags gone.
        assert_eq!(out.matches("<div>").count(), 9);
        assert_eq!(out.matches("</div>").count(), 9);
        assert!(out.contains("deep text"));
        assert!(!out.contains("<b>"));
    }

    #[test]
    fn a_tag_with_thousands_of_attributes_keeps_only_its_name() {
        let attrs: String = (0..2_000).map(|i| format!(" a{i}=\"v>\"")).collect();
        let html = format!("<body><p{attrs}>Text.</p><p class=\"x\">More.</p></body>");
        let out = cap_depth(&html, 64).expect("rewritten");
        assert_eq!(out, "<body><p>Text.</p><p class=\"x\">More.</p></body>");
    }

    #[test]
    fn raw_text_and_comments_hold_no_tags() {
        let html = format!(
            "<body><!-- {} --><script>{}</script><div>x</div></body>",
            "<div>".repeat(50),
            "<div>".repeat(50)
        );
        assert_eq!(cap_depth(&html, 10), None);
    }

    proptest::proptest! {
        /// Never a panic on tag soup, and a rewrite only ever removes.
        #[test]
        fn never_panics_and_only_shrinks(s in "(<(/)?(div|p|b|li|script)( a=\"x>\")?>|[a-z ]{0,3}|<!--|-->|<){0,60}") {
            if let Some(out) = cap_depth(&s, 3) {
                proptest::prop_assert!(out.len() < s.len());
            }
        }
    }
}
