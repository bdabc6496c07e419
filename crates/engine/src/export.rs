//! A story report as tables, the way analysts use it (a spreadsheet, a
//! notebook, DuckDB): claims, carriers (claim × article, with hedges),
//! figures (one row per stated value), the timeline and the sources. CSV
//! (RFC 4180, via the `csv` crate) or NDJSON (one JSON object per row, typed
//! values). Column names are documented in docs/report.md.

use corroborate_model::{ClaimStatus, StoryReport};
use serde_json::{json, Value};
use std::collections::HashMap;

/// The tables a report exports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    /// One row per claim.
    Claims,
    /// One row per claim and article carrying it.
    Carriers,
    /// One row per stated figure, with its group.
    Figures,
    /// One row per timeline date.
    Timeline,
    /// One row per article.
    Sources,
}

impl Table {
    /// Every table, in the order they are written.
    pub const ALL: [Table; 5] = [
        Table::Claims,
        Table::Carriers,
        Table::Figures,
        Table::Timeline,
        Table::Sources,
    ];

    /// The table's name (`claims`, `carriers`, …).
    pub fn name(self) -> &'static str {
        match self {
            Table::Claims => "claims",
            Table::Carriers => "carriers",
            Table::Figures => "figures",
            Table::Timeline => "timeline",
            Table::Sources => "sources",
        }
    }

    /// The table named `name`.
    pub fn parse(name: &str) -> Option<Table> {
        Table::ALL.into_iter().find(|t| t.name() == name)
    }

    /// Column names, in order.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            Table::Claims => &[
                "story_id",
                "claim_id",
                "status",
                "speaker",
                "channel",
                "date",
                "text",
                "first_reported_by",
                "articles",
                "outlets",
            ],
            Table::Carriers => &[
                "story_id",
                "claim_id",
                "article_id",
                "outlet",
                "published",
                "direct",
                "hedges",
                "speaker",
                "cue",
                "channel",
                "said_on",
                "stance",
                "stance_score",
                "start",
                "end",
                "text",
            ],
            Table::Figures => &[
                "story_id",
                "what",
                "unit",
                "group_low",
                "group_high",
                "disagree",
                "article_id",
                "outlet",
                "value",
                "low",
                "high",
                "attributed_to",
                "start",
                "end",
                "text",
            ],
            Table::Timeline => &[
                "story_id",
                "date",
                "label",
                "inferred",
                "event",
                "articles",
                "article_ids",
            ],
            Table::Sources => &[
                "story_id",
                "article_id",
                "outlet",
                "title",
                "url",
                "published",
                "language",
                "copy_of",
                "copy_declared",
                "copy_overlap",
                "copy_evidence",
            ],
        }
    }
}

fn status(s: ClaimStatus) -> &'static str {
    match s {
        ClaimStatus::Confirmed => "confirmed",
        ClaimStatus::AttributedOnly => "attributed_only",
        ClaimStatus::Disputed => "disputed",
        ClaimStatus::Unattributed => "unattributed",
        ClaimStatus::Contested => "contested",
    }
}

/// A report's articles by id, for the columns every table repeats.
struct Lookup<'r> {
    sid: &'r str,
    articles: HashMap<&'r str, &'r corroborate_model::ArticleRef>,
}

impl Lookup<'_> {
    fn outlet(&self, id: &str) -> Value {
        self.articles
            .get(id)
            .map(|a| {
                json!(corroborate_model::outlet_label(
                    a.outlet.as_deref(),
                    &a.source
                ))
            })
            .unwrap_or(Value::Null)
    }

    fn published(&self, id: &str) -> Value {
        self.articles
            .get(id)
            .and_then(|a| a.published)
            .map(|t| json!(t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)))
            .unwrap_or(Value::Null)
    }
}

/// The rows of `table`, one JSON value per column.
pub fn rows(r: &StoryReport, table: Table) -> Vec<Vec<Value>> {
    let l = Lookup {
        sid: r.id.as_str(),
        articles: r.articles.iter().map(|a| (a.id.as_str(), a)).collect(),
    };
    match table {
        Table::Claims => r.claims.iter().map(|c| claim_row(&l, c)).collect(),
        Table::Carriers => r
            .claims
            .iter()
            .flat_map(|c| c.carriers.iter().map(move |x| (c, x)))
            .map(|(c, x)| carrier_row(&l, c, x))
            .collect(),
        Table::Figures => r
            .figures
            .iter()
            .flat_map(|g| g.values.iter().map(move |v| (g, v)))
            .map(|(g, v)| figure_row(&l, g, v))
            .collect(),
        Table::Timeline => r.timeline.iter().map(|t| timeline_row(&l, t)).collect(),
        Table::Sources => r.articles.iter().map(|a| source_row(&l, a)).collect(),
    }
}

fn claim_row(l: &Lookup, c: &corroborate_model::Claim) -> Vec<Value> {
    let mut arts: Vec<&str> = c.carriers.iter().map(|x| x.article.as_str()).collect();
    arts.sort_unstable();
    arts.dedup();
    let mut outs: Vec<String> = arts.iter().map(|a| l.outlet(a).to_string()).collect();
    outs.sort();
    outs.dedup();
    vec![
        json!(l.sid),
        json!(c.id),
        json!(status(c.status)),
        json!(c.speaker),
        json!(c.channel),
        json!(c.date),
        json!(c.text),
        json!(c.first_reported_by.as_str()),
        json!(arts.len()),
        json!(outs.len()),
    ]
}

fn carrier_row(
    l: &Lookup,
    c: &corroborate_model::Claim,
    x: &corroborate_model::ClaimCarrier,
) -> Vec<Value> {
    let a = x.article.as_str();
    vec![
        json!(l.sid),
        json!(c.id),
        json!(a),
        l.outlet(a),
        l.published(a),
        json!(x.direct),
        json!(x.hedges.join("; ")),
        json!(x.speaker),
        json!(x.cue),
        json!(x.channel),
        json!(x.date),
        json!(x.stance.map(|s| s.as_str())),
        json!(x.stance_score),
        json!(x.start),
        json!(x.end),
        json!(x.text),
    ]
}

fn figure_row(
    l: &Lookup,
    g: &corroborate_model::FigureGroup,
    v: &corroborate_model::FigureValue,
) -> Vec<Value> {
    let a = v.article.as_str();
    vec![
        json!(l.sid),
        json!(g.what),
        json!(g.unit),
        json!(g.low),
        json!(g.high),
        json!(g.disagree),
        json!(a),
        l.outlet(a),
        json!(v.value),
        json!(v.low),
        json!(v.high),
        json!(v.attributed_to),
        json!(v.start),
        json!(v.end),
        json!(v.text),
    ]
}

fn timeline_row(l: &Lookup, t: &corroborate_model::TimelineEntry) -> Vec<Value> {
    let ids: Vec<&str> = t.articles.iter().map(|a| a.as_str()).collect();
    vec![
        json!(l.sid),
        json!(t.date),
        json!(t.label),
        json!(t.inferred),
        json!(t.event),
        json!(ids.len()),
        json!(ids.join(" ")),
    ]
}

fn source_row(l: &Lookup, a: &corroborate_model::ArticleRef) -> Vec<Value> {
    let c = a.copy_of.as_ref();
    vec![
        json!(l.sid),
        json!(a.id.as_str()),
        l.outlet(a.id.as_str()),
        json!(a.title),
        json!(a.url),
        l.published(a.id.as_str()),
        json!(a.language),
        json!(c.and_then(|c| c.article.as_ref()).map(|x| x.as_str())),
        json!(c.and_then(|c| c.declared.clone())),
        json!(c.map(|c| c.overlap)),
        json!(c.map(|c| c.evidence.join("; "))),
    ]
}

/// A cell as CSV text: strings as they are, null empty.
fn cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The table as CSV with a header row.
pub fn to_csv(r: &StoryReport, table: Table) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    // Writing to memory cannot fail.
    let _ = w.write_record(table.columns());
    for row in rows(r, table) {
        let _ = w.write_record(row.iter().map(cell));
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// The table's rows as JSON objects keyed by column (NDJSON lines, and the
/// API's JSON rows).
pub fn objects(r: &StoryReport, table: Table) -> Vec<Value> {
    rows(r, table)
        .into_iter()
        .map(|row| {
            Value::Object(
                table
                    .columns()
                    .iter()
                    .map(|c| c.to_string())
                    .zip(row)
                    .collect(),
            )
        })
        .collect()
}

/// The table as NDJSON: one object per row, keyed by column.
pub fn to_ndjson(r: &StoryReport, table: Table) -> String {
    let mut out = String::new();
    for obj in objects(r, table) {
        out.push_str(&obj.to_string());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_has_every_column() {
        let r: StoryReport = serde_json::from_str(include_str!("../../model/testdata/report.json"))
            .expect("fixture parses");
        for t in Table::ALL {
            let rows = rows(&r, t);
            assert!(!rows.is_empty(), "{}", t.name());
            assert!(
                rows.iter().all(|row| row.len() == t.columns().len()),
                "{}",
                t.name()
            );
            assert_eq!(Table::parse(t.name()), Some(t));
        }
        let carriers: usize = r.claims.iter().map(|c| c.carriers.len()).sum();
        assert_eq!(rows(&r, Table::Carriers).len(), carriers);
        let csv = to_csv(&r, Table::Claims);
        assert!(csv.starts_with("story_id,claim_id,status,"));
        assert_eq!(
            to_ndjson(&r, Table::Sources).lines().count(),
            r.articles.len()
        );
    }
}
