//! The storage seam: what the engine, the server and the CLI need of a
//! store, as one trait with two implementations, the embedded SQLite store
//! ([`crate::Store`], the default) and PostgreSQL ([`crate::PgStore`], for a
//! desk that outgrows one machine). One test suite (tests/suite.rs) runs
//! against both.

use crate::{
    AnnotationKey, LineStats, OutletLines, Promoted, Result, SearchHits, Staged, StoredArticle,
    StoryFilter, StoryMatch, StorySummary,
};
use corroborate_model::{Annotations, Article, ArticleId, RawDocument, StoryId, StoryReport};
use std::collections::HashMap;

/// A corroborate store: articles (raw and extracted), the analysis of them
/// (stories and reports), and search over both.
pub trait Storage: Send {
    /// Inserts a batch in one transaction; returns how many were new
    /// (articles are keyed by content hash: a second insert changes nothing).
    fn insert_articles(&mut self, batch: &[(RawDocument, Article)]) -> Result<usize>;
    /// The stored annotations of each key's article, where they were
    /// computed for the key's anchor time by annotator `version` (else
    /// `None`: compute them and [`Storage::save_annotations`]).
    fn annotations(&self, keys: &[AnnotationKey], version: u32)
        -> Result<Vec<Option<Annotations>>>;
    /// The annotations last saved for an article by annotator `version`,
    /// whatever time they were resolved against: those its story's latest
    /// report used (the API and the web UI show them).
    fn latest_annotations(&self, article: &ArticleId, version: u32) -> Result<Option<Annotations>>;
    /// Saves annotations (one row per article: a later save for another
    /// anchor or version replaces it). Re-extracting an article
    /// ([`Storage::update_articles`]) drops its row.
    fn save_annotations(
        &mut self,
        items: &[(AnnotationKey, Annotations)],
        version: u32,
    ) -> Result<()>;
    /// Outlet templates (`corroborate_extract::templates`): for each
    /// article of `batch` (its outlet and the distinct keys of its short
    /// paragraphs), the counts of each of its keys that the store holds
    /// among the outlet's articles. With `learn`, the batch's articles are
    /// counted first, in order, in the same transaction (call it once per
    /// article new to the store); without, the counts are only read.
    fn outlet_lines(&mut self, batch: &[OutletLines], learn: bool) -> Result<Vec<Vec<LineStats>>>;
    /// Stages articles extracted by queue workers, keyed by their message's
    /// queue sequence (a second stage of the same sequence changes nothing);
    /// returns how many were new. Staged articles are not yet stored
    /// articles: [`Storage::promote_staged`] moves them in queue order.
    fn stage_articles(&mut self, batch: &[Staged]) -> Result<usize>;
    /// Moves every staged article up to queue sequence `through` into the
    /// store, in queue order, in one transaction (arrival numbers follow the
    /// queue, so the stories do not depend on which worker was fastest).
    fn promote_staged(&mut self, through: u64) -> Result<Promoted>;
    /// Number of staged articles.
    fn staged_count(&self) -> Result<usize>;
    /// Whether an article is stored.
    fn contains(&self, id: &ArticleId) -> Result<bool>;
    /// Number of stored articles.
    fn article_count(&self) -> Result<usize>;
    /// All articles in arrival order (arrival numbers start at 1).
    fn articles(&self) -> Result<Vec<StoredArticle>> {
        self.articles_since(0)
    }
    /// Articles stored after arrival number `seq`, in arrival order.
    fn articles_since(&self, seq: i64) -> Result<Vec<StoredArticle>>;
    /// Up to `limit` articles stored after arrival number `seq`, in arrival
    /// order: a pass over the store in bounded memory.
    fn articles_page(&self, seq: i64, limit: usize) -> Result<Vec<StoredArticle>>;
    /// Up to `limit` stored raw documents after arrival number `after`, in
    /// arrival order, with their arrival numbers (for re-extraction).
    fn raw_documents(&self, after: i64, limit: usize) -> Result<Vec<(i64, RawDocument)>>;
    /// Replaces the extracted form of stored articles (same ids), search
    /// index included, in one transaction; returns how many it updated.
    fn update_articles(&mut self, articles: &[Article]) -> Result<usize>;
    /// One article by id.
    fn article(&self, id: &str) -> Result<Option<Article>>;
    /// The story of an article, once analysed.
    fn story_of(&self, article: &str) -> Result<Option<StoryId>>;
    /// The arrival number of the newest stored article (0 when none).
    fn max_seq(&self) -> Result<i64>;
    /// Replaces all analysis results in one transaction, as covering the
    /// articles up to arrival number `through`.
    fn replace_analysis_through(&mut self, reports: &[StoryReport], through: i64) -> Result<()>;
    /// Replaces the stories `changed` and deletes the stories `removed`,
    /// every other story left as it is, in one transaction recording the
    /// analysis as covering `through` (the incremental path).
    fn replace_stories(
        &mut self,
        changed: &[StoryReport],
        removed: &[StoryId],
        through: i64,
    ) -> Result<()>;
    /// Replaces all analysis results, as covering every article stored now.
    fn replace_analysis(&mut self, reports: &[StoryReport]) -> Result<()> {
        let through = self.max_seq()?;
        self.replace_analysis_through(reports, through)
    }
    /// The arrival number the stored analysis covers (0 before any).
    fn analyzed_through(&self) -> Result<i64>;
    /// True when articles were stored after the last analysis.
    fn needs_analysis(&self) -> Result<bool> {
        Ok(self.max_seq()? > self.analyzed_through()?)
    }
    /// Every story, newest first.
    fn stories(&self) -> Result<Vec<StorySummary>> {
        Ok(self
            .search_stories(&StoryFilter {
                limit: usize::MAX >> 1,
                ..StoryFilter::default()
            })?
            .1)
    }
    /// One story's report; a unique id prefix resolves.
    fn report(&self, id: &str) -> Result<Option<StoryReport>>;
    /// Titles of the stories `ids` that exist.
    fn story_titles(&self, ids: &[&str]) -> Result<HashMap<String, String>>;
    /// Stories matching `filter`, newest first, with the total before paging.
    fn search_stories(&self, filter: &StoryFilter) -> Result<(usize, Vec<StorySummary>)>;
    /// What matched the words `text` in each of the stories `ids`.
    fn story_matches(&self, text: &str, ids: &[&str]) -> Result<Vec<StoryMatch>>;
    /// Full-text search over articles and claims.
    fn search(&self, text: &str, limit: usize) -> Result<SearchHits>;
    /// Whether the store is sound (SQLite: `PRAGMA integrity_check`;
    /// PostgreSQL: every membership names a stored article and story).
    fn check_integrity(&self) -> Result<bool>;
}

impl Storage for crate::Store {
    fn insert_articles(&mut self, batch: &[(RawDocument, Article)]) -> Result<usize> {
        crate::Store::insert_articles(self, batch)
    }
    fn annotations(
        &self,
        keys: &[AnnotationKey],
        version: u32,
    ) -> Result<Vec<Option<Annotations>>> {
        crate::Store::annotations(self, keys, version)
    }
    fn latest_annotations(&self, article: &ArticleId, version: u32) -> Result<Option<Annotations>> {
        crate::annotations::latest_sqlite(&self.conn, article, version)
    }
    fn save_annotations(
        &mut self,
        items: &[(AnnotationKey, Annotations)],
        version: u32,
    ) -> Result<()> {
        crate::Store::save_annotations(self, items, version)
    }
    fn outlet_lines(&mut self, batch: &[OutletLines], learn: bool) -> Result<Vec<Vec<LineStats>>> {
        crate::Store::outlet_lines(self, batch, learn)
    }
    fn stage_articles(&mut self, batch: &[Staged]) -> Result<usize> {
        crate::Store::stage_articles(self, batch)
    }
    fn promote_staged(&mut self, through: u64) -> Result<Promoted> {
        crate::Store::promote_staged(self, through)
    }
    fn staged_count(&self) -> Result<usize> {
        crate::Store::staged_count(self)
    }
    fn contains(&self, id: &ArticleId) -> Result<bool> {
        crate::Store::contains(self, id)
    }
    fn article_count(&self) -> Result<usize> {
        crate::Store::article_count(self)
    }
    fn articles_since(&self, seq: i64) -> Result<Vec<StoredArticle>> {
        crate::Store::articles_since(self, seq)
    }
    fn articles_page(&self, seq: i64, limit: usize) -> Result<Vec<StoredArticle>> {
        crate::Store::articles_page(self, seq, limit)
    }
    fn raw_documents(&self, after: i64, limit: usize) -> Result<Vec<(i64, RawDocument)>> {
        crate::Store::raw_documents(self, after, limit)
    }
    fn update_articles(&mut self, articles: &[Article]) -> Result<usize> {
        crate::Store::update_articles(self, articles)
    }
    fn article(&self, id: &str) -> Result<Option<Article>> {
        crate::Store::article(self, id)
    }
    fn replace_stories(
        &mut self,
        changed: &[StoryReport],
        removed: &[StoryId],
        through: i64,
    ) -> Result<()> {
        crate::Store::replace_stories(self, changed, removed, through)
    }
    fn story_of(&self, article: &str) -> Result<Option<StoryId>> {
        crate::Store::story_of(self, article)
    }
    fn max_seq(&self) -> Result<i64> {
        crate::Store::max_seq(self)
    }
    fn replace_analysis_through(&mut self, reports: &[StoryReport], through: i64) -> Result<()> {
        crate::Store::replace_analysis_through(self, reports, through)
    }
    fn analyzed_through(&self) -> Result<i64> {
        crate::Store::analyzed_through(self)
    }
    fn needs_analysis(&self) -> Result<bool> {
        crate::Store::needs_analysis(self)
    }
    fn report(&self, id: &str) -> Result<Option<StoryReport>> {
        crate::Store::report(self, id)
    }
    fn story_titles(&self, ids: &[&str]) -> Result<HashMap<String, String>> {
        crate::Store::story_titles(self, ids)
    }
    fn search_stories(&self, filter: &StoryFilter) -> Result<(usize, Vec<StorySummary>)> {
        crate::Store::search_stories(self, filter)
    }
    fn story_matches(&self, text: &str, ids: &[&str]) -> Result<Vec<StoryMatch>> {
        crate::Store::story_matches(self, text, ids)
    }
    fn search(&self, text: &str, limit: usize) -> Result<SearchHits> {
        crate::Store::search(self, text, limit)
    }
    fn check_integrity(&self) -> Result<bool> {
        crate::Store::check_integrity(self)
    }
}
