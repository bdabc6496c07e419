//! A report as plain text for a terminal, or as Markdown. Article text is
//! data: in Markdown it is escaped, so a page's `<javascript:…>` or
//! `[x](…)` never becomes a link or HTML.

use super::*;

/// A report being written.
struct Out<'r> {
    o: String,
    md: bool,
    names: Names<'r>,
}

impl Out<'_> {
    /// Article text as written (escaped in Markdown).
    fn e(&self, s: &str) -> String {
        if self.md {
            escape_markdown(s)
        } else {
            s.to_string()
        }
    }

    fn heading(&mut self, level: usize, t: &str) {
        let o = &mut self.o;
        if self.md {
            let _ = writeln!(o, "\n{} {t}\n", "#".repeat(level));
        } else if level == 1 {
            let _ = writeln!(o, "{t}\n{}", "=".repeat(t.chars().count().min(78)));
        } else {
            let _ = writeln!(o, "\n{t}\n{}", "-".repeat(t.chars().count().min(78)));
        }
    }

    fn outlet(&self, id: &corroborate_model::ArticleId) -> String {
        self.e(&outlet_of(&self.names, id))
    }

    fn sources(&mut self, r: &StoryReport) {
        self.heading(3, "Sources");
        for a in &r.articles {
            let copy = match &a.copy_of {
                Some(c) => format!(
                    " — copy of {} ({})",
                    c.article
                        .as_ref()
                        .map(|x| outlet_of(&self.names, x))
                        .or(c.declared.clone())
                        .map(|x| self.e(&x))
                        .unwrap_or_default(),
                    c.evidence.join(", ")
                ),
                None => String::new(),
            };
            let line = format!(
                "- {} · {} · {}{}{}",
                format_day(&a.published),
                // The same label the claims' carriers use: the outlet, or
                // the file an outlet-less article came from.
                self.outlet(&a.id),
                self.e(a.title.as_deref().unwrap_or(&a.source)),
                a.url
                    .as_deref()
                    .map(|u| url_text(u, self.md))
                    .unwrap_or_default(),
                copy
            );
            let _ = writeln!(self.o, "{line}");
        }
    }

    fn claims(&mut self, r: &StoryReport) {
        if r.claims.is_empty() {
            return;
        }
        self.heading(3, "Claims");
        for c in &r.claims {
            let outlets = counted(
                c.carriers
                    .iter()
                    .map(|x| format!("{}{}", self.outlet(&x.article), self.e(&how(x)))),
            );
            let line = format!(
                "- {} ({}) {}{}{}: “{}”\n  carried by: {}",
                c.id,
                status(c.status),
                self.e(c.speaker.as_deref().unwrap_or("unattributed")),
                self.e(&c.channel_phrase()),
                self.e(&c.date_phrase()),
                self.e(&cut(&c.text, 220)),
                outlets.join("; ")
            );
            let _ = writeln!(self.o, "{line}");
        }
    }

    fn figures(&mut self, r: &StoryReport) {
        if r.figures.is_empty() {
            return;
        }
        self.heading(3, "Figures");
        for g in &r.figures {
            let unit = g
                .unit
                .as_deref()
                .map(|u| format!(" {u}"))
                .unwrap_or_default();
            let flag = if g.disagree {
                " (sources disagree)"
            } else {
                ""
            };
            // A group of one is listed as its value, never as a range.
            let span = g
                .span(format_number)
                .map(|s| format!(": {s}"))
                .unwrap_or_default();
            let line = format!("- {}{unit}{span}{flag}", self.e(&g.what));
            let _ = writeln!(self.o, "{line}");
            for v in &g.values {
                let by = v
                    .attributed_to
                    .as_deref()
                    .map(|a| format!(", attributed to {}", self.e(a)))
                    .unwrap_or_default();
                let line = format!("  - {} — {}{by}", self.e(&v.text), self.outlet(&v.article));
                let _ = writeln!(self.o, "{line}");
            }
        }
    }

    fn timeline(&mut self, r: &StoryReport) {
        if r.timeline.is_empty() {
            return;
        }
        self.heading(3, "Timeline");
        for t in &r.timeline {
            let inferred = if t.inferred {
                " (inferred from the story's date)"
            } else {
                ""
            };
            let line = format!(
                "- {}{inferred}: {} ({})",
                self.e(timeline_label(t)),
                self.e(&cut(&t.event, 160)),
                plural(t.articles.len(), "article", "articles"),
            );
            let _ = writeln!(self.o, "{line}");
        }
    }

    /// Related and merged stories.
    fn links(&mut self, r: &StoryReport) {
        if !r.related.is_empty() {
            self.heading(3, "Related stories");
            for rel in &r.related {
                let _ = writeln!(self.o, "- {}: {}", rel.id, rel.reason);
            }
        }
        if !r.merged.is_empty() {
            self.heading(3, "Merged stories");
            for m in &r.merged {
                let _ = writeln!(self.o, "- {}: {}", m.id, m.reason);
            }
        }
    }
}

/// At most `n` characters, with an ellipsis when cut.
fn cut(s: &str, n: usize) -> String {
    let mut c: String = s.chars().take(n).collect();
    if s.chars().count() > n {
        c.push('…');
    }
    c
}

/// A report as text (`md`: Markdown).
pub(crate) fn text(r: &StoryReport, md: bool) -> String {
    let mut out = Out {
        o: String::new(),
        md,
        names: outlet_names(r),
    };
    let title = format!("{} [{}]", out.e(&r.title), r.id);
    out.heading(if md { 2 } else { 1 }, &title);
    let _ = writeln!(
        out.o,
        "{} · {}",
        span_text(r),
        plural(r.articles.len(), "article", "articles")
    );
    if !r.summary.is_empty() {
        let summary = out.e(&r.summary);
        let _ = writeln!(out.o, "\n{summary}");
    }
    out.sources(r);
    out.claims(r);
    out.figures(r);
    out.timeline(r);
    out.links(r);
    out.o
}

/// Each distinct item once, in first-seen order, with "×N" when an article
/// carries a claim N times (its headline and its body, say). Linear in the
/// items.
fn counted(items: impl Iterator<Item = String>) -> Vec<String> {
    let mut order: Vec<(String, usize)> = Vec::new();
    let mut at: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for item in items {
        match at.get(&item) {
            Some(&k) => order[k].1 += 1,
            None => {
                at.insert(item.clone(), order.len());
                order.push((item, 1));
            }
        }
    }
    order
        .into_iter()
        .map(|(s, n)| if n > 1 { format!("{s} ×{n}") } else { s })
        .collect()
}

#[cfg(test)]
mod counted_tests {
    #[test]
    fn an_article_carrying_a_claim_twice_is_listed_once_with_its_count() {
        let items = ["a [reports]", "b [denies]", "a [reports]", "a [asserts]"].map(String::from);
        assert_eq!(
            super::counted(items.into_iter()),
            ["a [reports] ×2", "b [denies]", "a [asserts]"]
        );
    }
}
