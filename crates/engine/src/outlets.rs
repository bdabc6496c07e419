//! Outlet templates applied where articles enter the store: the counts
//! live in the store ([`Storage::outlet_lines`]), the rule and the
//! stripping in extraction ([`corroborate_extract::templates`]).

use crate::Result;
use corroborate_extract::templates;
use corroborate_model::Article;
use corroborate_store::Storage;

/// Strips each article's outlet-template paragraphs. With `learn`, the
/// articles (new to the store, in arrival order) are counted first, so a
/// batch learns from itself: 50 articles of one outlet ingested together
/// all lose the furniture they share. Without, the counts are only read
/// (re-extraction must not count an article twice). Returns the
/// paragraphs removed.
pub(crate) fn strip_templates(
    store: &mut dyn Storage,
    articles: Vec<&mut Article>,
    learn: bool,
) -> Result<usize> {
    // Articles that name an outlet, beside their outlet's key and their
    // paragraph keys.
    let (articles, batch): (Vec<&mut Article>, Vec<(String, Vec<u64>)>) = articles
        .into_iter()
        .filter_map(|a| {
            let outlet = templates::outlet_key(a)?;
            let keys = templates::paragraph_keys(&a.text);
            Some((a, (outlet, keys)))
        })
        .unzip();
    if articles.is_empty() {
        return Ok(0);
    }
    let stats = store.outlet_lines(&batch, learn)?;
    let mut removed = 0;
    for (article, lines) in articles.into_iter().zip(stats) {
        let furniture: Vec<u64> = lines
            .iter()
            .filter(|l| templates::is_template(l.articles, l.since))
            .map(|l| l.key)
            .collect();
        if !furniture.is_empty() {
            removed += templates::strip(article, |k| furniture.contains(&k));
        }
    }
    Ok(removed)
}
