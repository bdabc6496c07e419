//! Bounded work per page: whatever the input, extraction of one document
//! costs at most a known amount of time and stack.
//!
//! Three limits, each with its reason:
//!
//! - **Depth.** Elements nested deeper than [`FLATTEN_DEPTH`] are unwrapped
//!   into the element at that depth (their text stays, in order; scripts,
//!   styles and other elements that never hold text are dropped with their
//!   contents). Browsers do the same: Blink's parser stops nesting at 512
//!   levels. Without it, Readability (`dom_smoothie`, through `dom_query`'s
//!   selector matching) recurses once per level and overflows the stack near
//!   100,000 levels, and its selector walks cost the depth for every node:
//!   20,000 nested `<div>`s took 195 s; its `clean_conditionally` still
//!   costs about the cube of the depth (256 levels: 0.3 s). Real pages nest
//!   17 levels deep at the median, 31 at the 99th percentile and 49 at most
//!   over the 1,163 development pages (`depth_of_real_pages` below), so 128
//!   leaves every real page untouched.
//! - **Elements.** A page with more than [`MAX_ELEMENTS`] elements is refused
//!   (`too_many_elements`): the largest real article pages hold a few tens of
//!   thousands.
//! - **Time.** A deadline ([`DEFAULT_BUDGET`]) is checked between extraction's phases (parse,
//!   metadata, the marked body, Readability, the line classifier); a
//!   document past its budget is refused (`timeout`). With the two limits
//!   above no phase runs long, so this is the last line of defence, not the
//!   first.
//!
//! The walk here is iterative (an explicit stack), so the depth of the
//! input never reaches the call stack.

use crate::dom::{is_block, never_text, tag_of};
use corroborate_model::Refusal;
use dom_query::{Document, NodeRef};
use std::time::{Duration, Instant};

/// Elements deeper than this are unwrapped into their ancestor at this depth.
pub const FLATTEN_DEPTH: usize = 128;

/// Source nesting (as the pre-pass over the source counts it) up to which the parsed
/// page cannot reach [`FLATTEN_DEPTH`], so the DOM is not walked to check:
/// the parser adds a few wrappers (`html`, `body`, `tbody`) and reopens at
/// most a few dozen formatting elements.
pub const SHALLOW_SOURCE: usize = 40;

/// Pages with more elements than this are refused.
pub const MAX_ELEMENTS: usize = 200_000;

/// Default time budget for one document.
pub const DEFAULT_BUDGET: Duration = Duration::from_secs(5);

/// A time budget, checked between phases.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Deadline {
    start: Instant,
    budget: Duration,
}

impl Deadline {
    pub(crate) fn new(budget: Duration) -> Self {
        Deadline {
            start: Instant::now(),
            budget,
        }
    }

    /// `Err(timeout)` once the budget is spent.
    pub(crate) fn check(&self) -> Result<(), Refusal> {
        let elapsed = self.start.elapsed();
        if elapsed > self.budget {
            Err(Refusal::Timeout {
                elapsed_ms: elapsed.as_millis() as u64,
                budget_ms: self.budget.as_millis() as u64,
            })
        } else {
            Ok(())
        }
    }
}

/// What [`bound`] did to a page.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Shape {
    /// Elements in the page.
    pub elements: usize,
    /// The deepest element's depth, before flattening.
    pub depth: usize,
    /// Elements unwrapped or dropped below [`FLATTEN_DEPTH`].
    pub flattened: usize,
}

/// Counts the page's elements (refusing a page over `max_elements`) and
/// flattens everything nested deeper than `flatten_depth`.
pub(crate) fn bound(
    doc: &Document,
    flatten_depth: usize,
    max_elements: usize,
) -> Result<Shape, Refusal> {
    let mut shape = Shape::default();
    let root = doc.root();
    let mut stack: Vec<(NodeRef<'_>, usize)> = vec![(root, 0)];
    while let Some((node, depth)) = stack.pop() {
        // Collected first: the iterator borrows the tree that flattening
        // changes.
        let children: Vec<NodeRef<'_>> =
            node.children_it(false).filter(|c| c.is_element()).collect();
        for child in children {
            shape.elements += 1;
            let d = depth + 1;
            shape.depth = shape.depth.max(d);
            if d == flatten_depth {
                flatten_below(&child, d, &mut shape);
            } else {
                stack.push((child, d));
            }
        }
        if shape.elements > max_elements {
            return Err(Refusal::TooManyElements {
                found: shape.elements,
                max: max_elements,
            });
        }
    }
    Ok(shape)
}

/// Unwraps every element under `top` (at depth `depth`) so that its text
/// becomes `top`'s, in document order, a block's text on a line of its own;
/// elements that never hold text go with their contents.
fn flatten_below(top: &NodeRef<'_>, depth: usize, shape: &mut Shape) {
    let mut unwrap = Vec::new();
    let mut stack: Vec<(NodeRef<'_>, usize)> = top
        .children_it(true)
        .filter(|c| c.is_element())
        .map(|c| (c, depth + 1))
        .collect();
    while let Some((node, d)) = stack.pop() {
        shape.elements += 1;
        shape.depth = shape.depth.max(d);
        shape.flattened += 1;
        if tag_of(&node).is_some_and(|t| never_text(&t)) {
            node.remove_from_parent();
            continue;
        }
        unwrap.push(node);
        stack.extend(
            node.children_it(true)
                .filter(|c| c.is_element())
                .map(|c| (c, d + 1)),
        );
    }
    // Top-down, in document order: each element's children move up into
    // the place it held, until only `top` is left holding text.
    for node in unwrap {
        if tag_of(&node).is_some_and(|t| is_block(&t)) {
            // A line break on each side keeps the block's words apart from
            // its neighbours' once the element is gone.
            node.insert_before(&node.tree.new_text("\n"));
            node.insert_after(&node.tree.new_text("\n"));
        }
        match node.first_child() {
            Some(first) => first.unwrap_node(),
            None => node.remove_from_parent(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(depth: usize, inner: &str) -> String {
        format!(
            "<html><body>{}{inner}{}</body></html>",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        )
    }

    #[test]
    fn shallow_pages_are_untouched() {
        let html = "<html><body><article><p>One <b>two</b></p><p>Three</p></article></body></html>";
        let doc = Document::from(html);
        let before = doc.html().to_string();
        let shape = bound(&doc, FLATTEN_DEPTH, MAX_ELEMENTS).unwrap();
        assert_eq!(shape.flattened, 0);
        assert_eq!(doc.html().to_string(), before);
        // html, head, body, article, p, b, p
        assert_eq!(shape.elements, 7);
    }

    #[test]
    fn deep_nesting_is_flattened_keeping_text_in_order() {
        let inner = "<p>first</p><script>var x = 1;</script><span>second</span> third";
        let doc = Document::from(nested(40, inner).as_str());
        let shape = bound(&doc, 10, MAX_ELEMENTS).unwrap();
        assert!(shape.depth > 40, "{shape:?}");
        assert!(shape.flattened > 30, "{shape:?}");
        let text = doc.select("body").text().to_string();
        assert_eq!(
            text.split_whitespace().collect::<Vec<_>>(),
            ["first", "second", "third"]
        );
        // Nothing is deeper than the limit now.
        let again = bound(&doc, 10, MAX_ELEMENTS).unwrap();
        assert!(again.depth <= 10, "{again:?}");
        assert_eq!(again.flattened, 0);
    }

    #[test]
    fn a_page_over_the_element_limit_is_refused() {
        let html = format!("<html><body>{}</body></html>", "<p>x</p>".repeat(500));
        let doc = Document::from(html.as_str());
        match bound(&doc, FLATTEN_DEPTH, 100) {
            Err(Refusal::TooManyElements { found, max }) => {
                assert!(found > 100);
                assert_eq!(max, 100);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_spent_budget_is_a_timeout() {
        let d = Deadline::new(Duration::ZERO);
        std::thread::sleep(Duration::from_millis(2));
        assert!(matches!(d.check(), Err(Refusal::Timeout { .. })));
        assert!(Deadline::new(DEFAULT_BUDGET).check().is_ok());
    }

    /// The depth of real pages: `DEPTH_CHECK=DIR cargo test -p
    /// corroborate-extract --release --lib depth_of_real_pages -- --ignored
    /// --nocapture` prints the deepest pages of DIR (HTML files, walked).
    #[test]
    #[ignore]
    fn depth_of_real_pages() {
        let Ok(dir) = std::env::var("DEPTH_CHECK") else {
            return;
        };
        let mut depths = Vec::new();
        let mut stack = vec![std::path::PathBuf::from(dir)];
        while let Some(p) = stack.pop() {
            if p.is_dir() {
                stack.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
            } else if let Ok(html) = std::fs::read_to_string(&p) {
                let doc = Document::from(html.as_str());
                let shape = bound(&doc, usize::MAX, usize::MAX).unwrap();
                depths.push((shape.depth, shape.elements, p.display().to_string()));
            }
        }
        depths.sort();
        let n = depths.len();
        println!(
            "{n} pages; median depth {}, p99 {}",
            depths[n / 2].0,
            depths[n * 99 / 100].0
        );
        for d in depths.iter().rev().take(5) {
            println!("{d:?}");
        }
    }
}
