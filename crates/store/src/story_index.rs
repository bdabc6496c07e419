//! The story-level search index (`story_fts`): one FTS5 document per story,
//! so that a text search costs the number of matching *stories*, not the
//! number of matching articles (at 100,000 articles a common word matches
//! tens of thousands of articles but only a few hundred stories).
//!
//! Each document has four columns: `title` (the story's and its articles'
//! headlines), `text` (the opening of up to [`LEADS`] original articles, for
//! readable snippets), `claims` (one "speaker: claim" line each) and `words`
//! (every distinct word of every member article, once). Matching against
//! the union means a story matches when each query word occurs somewhere in
//! it; phrase order across articles is not kept, which a story search does
//! not need. Cost: one pass over the member articles' texts per rewritten
//! story; the `words` column is as large as the story's vocabulary, which
//! for a story of near-copies is far smaller than its text.

use corroborate_model::StoryReport;
use rusqlite::{params, OptionalExtension, Transaction};
use std::collections::HashSet;

/// Original articles whose opening goes into the `text` column.
const LEADS: usize = 16;
/// Characters of each opening.
const LEAD_CHARS: usize = 320;

/// A story's search document, by column.
pub(crate) struct Doc {
    pub title: String,
    pub text: String,
    pub claims: String,
    pub words: String,
}

/// The search document of story `r`; `article` gives an article's title
/// and text by id (`None` when it is not stored).
pub(crate) fn document(
    r: &StoryReport,
    mut article: impl FnMut(&str) -> crate::Result<Option<(String, String)>>,
) -> crate::Result<Doc> {
    let mut titles = vec![r.title.clone()];
    let mut seen_titles: HashSet<String> = HashSet::from([r.title.clone()]);
    let mut leads = vec![r.summary.clone()];
    let mut words = String::new();
    let mut seen_words: HashSet<String> = HashSet::new();
    for a in &r.articles {
        let Some((title, text)) = article(a.id.as_str())? else {
            continue;
        };
        if !title.is_empty() && seen_titles.insert(title.clone()) {
            titles.push(title);
        }
        let copy = a.copy_of.as_ref().is_some_and(|c| c.article.is_some());
        if !copy && leads.len() <= LEADS {
            leads.push(opening(&text));
        }
        for w in text.split(|c: char| !c.is_alphanumeric()) {
            if !w.is_empty() && !seen_words.contains(w) {
                seen_words.insert(w.to_string());
                words.push_str(w);
                words.push(' ');
            }
        }
    }
    let claims: Vec<String> = r
        .claims
        .iter()
        .map(|c| match &c.speaker {
            Some(s) => format!("{s}: {}", c.text),
            None => c.text.clone(),
        })
        .collect();
    Ok(Doc {
        title: titles.join("\n"),
        text: leads.join("\n"),
        claims: claims.join("\n"),
        words,
    })
}

/// Writes the search document of story `r`, stored at `rowid` in `stories`.
pub(crate) fn write(tx: &Transaction<'_>, rowid: i64, r: &StoryReport) -> crate::Result<()> {
    // Title and text as the article index holds them: reading them from
    // `articles` would walk past each row's raw input first. (Two lookups:
    // FTS5 given `rowid = (subquery)` is several times slower.)
    let mut seq_of = tx.prepare_cached("SELECT seq FROM articles WHERE id = ?1")?;
    let mut article = tx.prepare_cached("SELECT title, text FROM article_fts WHERE rowid = ?1")?;
    let doc = document(r, |id| {
        let Some(seq) = seq_of
            .query_row([id], |row| row.get::<_, i64>(0))
            .optional()?
        else {
            return Ok(None);
        };
        Ok(article
            .query_row([seq], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
            })
            .optional()?)
    })?;
    tx.prepare_cached(
        "INSERT INTO story_fts (rowid, title, text, claims, words) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![rowid, doc.title, doc.text, doc.claims, doc.words])?;
    Ok(())
}

/// The first [`LEAD_CHARS`] characters of `text`, cut at a word.
fn opening(text: &str) -> String {
    match text.char_indices().nth(LEAD_CHARS) {
        None => text.to_string(),
        Some((cut, _)) => {
            let head = &text[..cut];
            let end = head.rfind(char::is_whitespace).unwrap_or(cut);
            format!("{}…", &head[..end])
        }
    }
}

/// What matched in one story: a snippet of its articles' openings (or of
/// the article that matched) and the first matching claim line.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct StoryMatch {
    /// Text around the match, each match in square brackets; empty when
    /// only words deep in the articles matched and none of the first
    /// articles holds them.
    pub snippet: String,
    /// The first matching claim, "speaker: text", matches in brackets.
    pub claim: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::opening;

    #[test]
    fn openings_are_cut_at_a_word() {
        assert_eq!(opening("short text"), "short text");
        let long = "word ".repeat(100);
        let o = opening(&long);
        assert!(o.ends_with("word…"), "{o}");
        assert!(o.chars().count() <= super::LEAD_CHARS + 1);
    }
}
