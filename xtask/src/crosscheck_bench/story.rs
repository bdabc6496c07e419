//! One story's cross-check cost as its size grows: annotation and alignment
//! per article.

use super::*;

/// Cross-checks one story of 50 real articles (the first 50 of the
/// polnear dev split, all from one campaign) on this thread: annotate every
/// article, then align them into a report. Median of 5 runs.
pub(super) fn story(shared: &Path) -> Result<()> {
    use corroborate_crosscheck::{build_report, ReportArticle, StoryInput};
    use corroborate_model::{Article, ArticleId, StoryId};
    let path = shared.join("bench/attribution-polnear/dev.jsonl");
    if absent("story speed", &path) {
        return Ok(());
    }
    let mut docs = read_jsonl(&path)?;
    // For the scaling rows: the train split's articles after dev's (the
    // 50-article figure stays dev's first 50).
    let train = shared.join("bench/attribution-polnear/train.jsonl.gz");
    if train.is_file() {
        for line in crate::extract_bench::gunzip(&train)?.lines().take(300) {
            docs.push(serde_json::from_str(line)?);
        }
    }
    let articles: Vec<Article> = docs
        .iter()
        .take(320)
        .map(|d| Article {
            id: ArticleId(d["id"].as_str().unwrap_or("").to_string()),
            source: d["outlet"].as_str().unwrap_or("").to_string(),
            site: d["outlet"].as_str().map(str::to_string),
            title: d["title"].as_str().map(str::to_string),
            published: d["date"].as_str().and_then(published),
            text: d["text"].as_str().unwrap_or("").to_string(),
            url: None,
            author: None,
            language: Some("en".into()),
            republished_from: None,
            boilerplate: Vec::new(),
        })
        .collect();
    let all = articles;
    let articles = &all[..all.len().min(50)];
    let chars: usize = articles.iter().map(|a| a.text.chars().count()).sum();
    let mut times = Vec::new();
    let mut claims = 0;
    for _ in 0..5 {
        let t = Instant::now();
        let input = StoryInput {
            id: StoryId("bench".into()),
            articles: articles
                .iter()
                .map(|a| ReportArticle {
                    article: a,
                    annotations: annotate(&a.text, a.published),
                    copy_of: None,
                })
                .collect(),
            related: Vec::new(),
            merged: Vec::new(),
        };
        let report = build_report(&input);
        times.push(t.elapsed().as_secs_f64());
        claims = report.claims.len();
    }
    times.sort_by(f64::total_cmp);
    println!(
        "story speed: {} articles ({:.0}k characters), one thread: median {:.3} s (min {:.3}, max {:.3}) to annotate and align, {claims} claims\n",
        articles.len(),
        chars as f64 / 1e3,
        times[2],
        times[0],
        times[4]
    );
    // The alignment alone (annotations stored, as a report rebuild reads
    // them) at growing story sizes: its cost per article should not grow.
    let annotated: Vec<_> = all.iter().map(|a| annotate(&a.text, a.published)).collect();
    println!("| story articles | align ms (median of 3) | ms per article |\n|---|---|---|");
    for n in [20, 40, 80, 160, 320]
        .into_iter()
        .filter(|&n| n <= all.len())
    {
        let mut t3 = Vec::new();
        for _ in 0..3 {
            let input = StoryInput {
                id: StoryId("bench".into()),
                articles: all[..n]
                    .iter()
                    .zip(&annotated)
                    .map(|(a, ann)| ReportArticle {
                        article: a,
                        annotations: ann.clone(),
                        copy_of: None,
                    })
                    .collect(),
                related: Vec::new(),
                merged: Vec::new(),
            };
            let t = Instant::now();
            build_report(&input);
            t3.push(t.elapsed().as_secs_f64() * 1e3);
        }
        t3.sort_by(f64::total_cmp);
        println!("| {n} | {:.1} | {:.2} |", t3[1], t3[1] / n as f64);
    }
    Ok(())
}
