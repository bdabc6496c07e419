//! Crosscheck: who claims what, with which figures and dates, and how the
//! outlets of one story line up.
//!
//! Two levels. [`annotate`] reads one article: sentences, direct quotes
//! (straight and curly, split across paragraphs, opening a document),
//! indirect speech ("X said that", "according to X"), speakers resolved to
//! full names ("Zelensky", "he" → Volodymyr Zelenskyy), channels ("on
//! Telegram", "during a press briefing"), hedges ("allegedly", "could not
//! confirm"), figures with qualifiers kept as bounds and what they count,
//! and dates resolved against the publication date. [`build_report`] aligns
//! a story's articles: one claim however it is worded, which outlet carried
//! it first, figure groups with their spread, a timeline and a summary.
//!
//! The rules and lexicons here are written by hand: they are the product's
//! edge, and they are small enough to read.
//!
//! ```
//! use corroborate_crosscheck::annotate;
//!
//! let text = "Mayor Ana Lopes said on Telegram that about 3,000 homes lost power on Sunday.";
//! let published = "2024-12-17T00:00:00Z".parse().ok();
//! let a = annotate(text, published);
//! let s = &a.statements[0];
//! assert_eq!(s.speaker.as_ref().unwrap().name, "Ana Lopes");
//! assert_eq!(s.channel.as_deref(), Some("Telegram"));
//! assert_eq!(a.figures[0].value, 3000.0);
//! assert_eq!(a.figures[0].what.as_deref(), Some("homes"));
//! assert_eq!(a.dates[0].value, "2024-12-15");
//! ```
#![deny(missing_docs)]

#[cfg(test)]
extern crate self as corroborate_crosscheck;
pub mod claim_index;
mod dates;
#[cfg(test)]
mod doc_examples;
mod figure_groups;
mod figures;
mod quantity;
mod quotes;
mod report;
mod similarity;
mod speakers;
mod statements;
mod textutil;
mod time_rules;
mod timeline;
mod timex;
mod words;

pub use dates::find_dates;
pub use quantity::{quantities, Quantity};
pub use report::{build_report, ReportArticle, StoryInput};
pub use similarity::similarity;
pub use speakers::name_key;
pub use timex::{timexes, Timex};
pub use words::resolve_day_month;

use corroborate_model::{Annotations, Timestamp};

/// Annotates one text. Offsets in the result count `char`s of `text`.
pub fn annotate(text: &str, published: Option<Timestamp>) -> Annotations {
    let doc = textutil::Doc::new(text);
    let dates = dates::find_dates_in(&doc, published);
    let statements = statements::find(&doc, &dates);
    let figures = figures::find(&doc, &statements, &dates);
    Annotations {
        statements,
        figures,
        dates: dates.into_iter().map(|d| d.into_mention(&doc)).collect(),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        /// Any text, any script: no panic, and every offset indexes the text.
        #[test]
        fn annotate_never_panics_and_offsets_index_the_text(text in "(\\PC|[“”‘’\"'.,:;0-9 \n]|Dec\\. 1[0-9]|said|according to|about 1,000|Ä|„){0,400}") {
            let a = super::annotate(&text, "2024-12-17T00:00:00Z".parse().ok());
            let n = text.chars().count();
            for (s, e) in a.statements.iter().map(|x| (x.start, x.end))
                .chain(a.figures.iter().map(|x| (x.start, x.end)))
                .chain(a.dates.iter().map(|x| (x.start, x.end)))
            {
                prop_assert!(s <= e && e <= n, "{s}..{e} of {n}");
            }
            let chars: Vec<char> = text.chars().collect();
            for d in &a.dates {
                prop_assert_eq!(chars[d.start..d.end].iter().collect::<String>(), d.text.clone());
            }
        }
    }
}
