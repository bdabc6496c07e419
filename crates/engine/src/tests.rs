use super::*;
use corroborate_model::{Format, Hints};
use proptest::prelude::*;

fn docs(texts: &[(String, String)]) -> Vec<RawDocument> {
    texts
        .iter()
        .map(|(title, body)| {
            RawDocument::new(
                "gen",
                Format::Text,
                format!("{title}\n\n{body}"),
                Hints::default(),
            )
        })
        .collect()
}

fn corpus() -> impl Strategy<Value = Vec<(String, String)>> {
    let word = prop::sample::select(vec![
        "ferry",
        "pier",
        "storm",
        "council",
        "mayor",
        "bridge",
        "fire",
        "port",
        "match",
        "coach",
        "river",
        "school",
        "said",
        "the",
        "on",
        "Monday",
        "repairs",
        "residents",
        "Norhaven",
        "Kestrel",
        "3,000",
        "evacuated",
    ]);
    let sentence = prop::collection::vec(word, 6..14).prop_map(|w| format!("{}.", w.join(" ")));
    let title = prop::collection::vec(
        prop::sample::select(vec!["Storm", "Fire", "Bridge", "Coach", "Port", "Ferry"]),
        3..6,
    )
    .prop_map(|w| w.join(" "));
    prop::collection::vec(
        (
            title,
            prop::collection::vec(sentence, 1..5).prop_map(|s| s.join(" ")),
        ),
        1..12,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Ingesting the same documents twice equals ingesting them once, and
    /// every stored article is in exactly one story.
    #[test]
    fn ingest_twice_is_once_and_stories_partition(texts in corpus()) {
        let mut once = Engine::open_in_memory().unwrap();
        let s1 = once.ingest_documents(docs(&texts)).unwrap();
        let r1 = once.analyze().unwrap();

        let mut twice = Engine::open_in_memory().unwrap();
        twice.ingest_documents(docs(&texts)).unwrap();
        let s2 = twice.ingest_documents(docs(&texts)).unwrap();
        let r2 = twice.analyze().unwrap();

        prop_assert_eq!(s2.added, 0);
        prop_assert_eq!(s2.unchanged, texts.len());
        prop_assert_eq!(&r1, &r2);

        let stored = once.store().article_count().unwrap();
        prop_assert_eq!(stored, s1.added);
        let mut seen = std::collections::HashSet::new();
        for r in &r1 {
            prop_assert!(!r.articles.is_empty());
            for a in &r.articles {
                prop_assert!(seen.insert(a.id.clone()), "article in two stories");
            }
        }
        prop_assert_eq!(seen.len(), stored);
    }
}

/// Every stored story's report, by id.
fn stored_reports(e: &Engine) -> Vec<StoryReport> {
    let mut out: Vec<StoryReport> = e
        .store()
        .stories()
        .unwrap()
        .into_iter()
        .map(|s| e.store().report(s.id.as_str()).unwrap().unwrap())
        .collect();
    out.sort_by(|a, b| a.id.as_str().cmp(b.id.as_str()));
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// The incremental path (the state kept warm between analyses, only new
    /// articles pushed, only changed stories rebuilt) gives the same stored
    /// stories and reports as one full analysis of the same stream.
    #[test]
    fn incremental_analysis_equals_a_full_one(texts in corpus(), cuts in prop::collection::vec(1usize..5, 1..6)) {
        let all = docs(&texts);
        let mut warm = Engine::open_in_memory().unwrap();
        let mut rest = all.clone();
        let mut batches = 0;
        for n in cuts.iter().cycle() {
            if rest.is_empty() {
                break;
            }
            let take: Vec<RawDocument> = rest.drain(..(*n).min(rest.len())).collect();
            warm.ingest_documents(take).unwrap();
            warm.analyze().unwrap();
            batches += 1;
        }
        prop_assert!(batches >= 1);
        let mut full = Engine::open_in_memory().unwrap();
        full.ingest_documents(all).unwrap();
        full.analyze().unwrap();
        prop_assert_eq!(stored_reports(&warm), stored_reports(&full));
        prop_assert!(warm.store().check_integrity().unwrap());
        prop_assert!(!warm.store().needs_analysis().unwrap());
    }
}

/// A cold engine over an analysed store (a server starting) warms up and
/// then places new articles incrementally, with the same result as a full
/// analysis.
#[test]
fn a_warmed_up_engine_places_new_articles_like_a_full_analysis() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let first = docs(&[
        ("Storm hits Norhaven".into(), "A storm hit the Norhaven ferry pier on Monday, the mayor said. Repairs will take weeks.".into()),
        ("Coach sacked".into(), "The Lowmere club sacked its coach after a fourth defeat in a row.".into()),
    ]);
    let later = docs(&[(
        "Norhaven pier storm damage".into(),
        "The storm damaged the Norhaven ferry pier on Monday, the mayor said; repairs will take weeks.".into(),
    )]);
    {
        let mut e = Engine::open(&db).unwrap();
        e.ingest_documents(first.clone()).unwrap();
        e.analyze().unwrap();
    }
    let mut server = Engine::open(&db).unwrap();
    server.ingest_documents(later.clone()).unwrap();
    assert!(server.refresh().unwrap());
    let rebuilt = server.analyze().unwrap();
    assert!(rebuilt.is_empty(), "nothing new: nothing rebuilt");
    let mut full = Engine::open_in_memory().unwrap();
    full.ingest_documents(first.into_iter().chain(later).collect())
        .unwrap();
    full.analyze().unwrap();
    assert_eq!(stored_reports(&server), stored_reports(&full));
}

#[test]
fn the_profile_is_sampled_and_the_stream_given_back_whole() {
    let fields = ClusterFields::default();
    let line = |i: usize, words: usize| {
        let text = vec!["word"; words].join(" ");
        format!("{{\"id\":\"r{i}\",\"text\":\"{text}\"}}\n")
    };
    // More records than the sample, a malformed line among them.
    let mut input: String = (0..Profile::SAMPLE + 50).map(|i| line(i, 8)).collect();
    input.insert_str(0, "not json\n");
    let (profile, mut back) = sample_profile(input.as_bytes(), &fields).unwrap();
    assert_eq!(profile, Profile::ShortTexts);
    let mut again = String::new();
    std::io::Read::read_to_string(&mut back, &mut again).unwrap();
    assert_eq!(again, input);
    let articles: String = (0..10).map(|i| line(i, 300)).collect();
    let (profile, _) = sample_profile(articles.as_bytes(), &fields).unwrap();
    assert_eq!(profile, Profile::Articles);
}

/// Fifty pages of one fictional outlet: each its own event, two lines of
/// furniture inside the article body that no phrase list knows, and a
/// background paragraph that three of them share.
fn outlet_pages() -> Vec<RawDocument> {
    let places = [
        "Norhaven",
        "Eastmere",
        "Kettleby",
        "Saltcombe",
        "Ravensholt",
    ];
    let things = [
        "ferry pier",
        "library roof",
        "tram depot",
        "grain silo",
        "bridge",
    ];
    (0..50)
        .map(|i| {
            let (place, thing) = (places[i % 5], things[(i / 5) % 5]);
            let background = if i < 3 {
                "<p>The council first inspected the harbour wall in spring.</p>"
            } else {
                ""
            };
            let html = format!(
                "<html><head><title>{place} {thing} report {i}</title></head><body>\
                 <nav><a href=\"/\">Home</a></nav><article><h1>{place} {thing} report {i}</h1>\
                 <p>Workers in {place} inspected the {thing} on day {i} after residents \
                 reported cracks along its northern side, the district engineer said.</p>\
                 <p>Ledger Plus members read every story first, without limits.</p>\
                 <p>The {thing} will stay closed for {n} days while crews from {place} \
                 replace the damaged sections and test the supports.</p>{background}\
                 <p>Tell the Ledger what you saw: tips at the front desk.</p>\
                 </article></body></html>",
                n = i + 2
            );
            RawDocument::new(
                format!("ledger/{i}.html"),
                Format::Html,
                html,
                Hints {
                    url: Some(format!("https://www.ledger.example/news/{i}")),
                    ..Hints::default()
                },
            )
        })
        .collect()
}

fn stored_texts(e: &Engine) -> Vec<String> {
    e.store()
        .articles()
        .unwrap()
        .into_iter()
        .map(|a| a.article.text)
        .collect()
}

#[test]
fn an_outlets_repeated_furniture_is_stripped_from_every_article() {
    let furniture = ["Ledger Plus members", "Tell the Ledger what you saw"];
    let background = "first inspected the harbour wall";
    // Control: without templates the extractor keeps the furniture.
    let mut off = Engine::with_config(
        Box::new(Store::open_in_memory().unwrap()),
        EngineConfig {
            outlet_templates: false,
            ..EngineConfig::default()
        },
    )
    .unwrap();
    off.ingest_documents(outlet_pages()).unwrap();
    let texts = stored_texts(&off);
    assert_eq!(texts.len(), 50);
    assert!(texts
        .iter()
        .all(|t| furniture.iter().all(|f| t.contains(f))));
    // One batch learns from itself: every article loses both lines.
    let mut on = Engine::open_in_memory().unwrap();
    on.ingest_documents(outlet_pages()).unwrap();
    let texts = stored_texts(&on);
    for t in &texts {
        assert!(furniture.iter().all(|f| !t.contains(f)), "{t}");
        assert!(t.contains("district engineer said"), "{t}");
    }
    // The story background shared by three of fifty is kept.
    assert_eq!(texts.iter().filter(|t| t.contains(background)).count(), 3);
    let stored = on.store().articles().unwrap();
    assert!(stored[0]
        .article
        .boilerplate
        .iter()
        .any(|l| l.contains(furniture[0])));
}

#[test]
fn articles_posted_one_by_one_learn_the_template_and_reanalyze_catches_up() {
    let mut e = Engine::open_in_memory().unwrap();
    for doc in outlet_pages() {
        e.ingest_documents(vec![doc]).unwrap();
    }
    let has = |t: &String| t.contains("Ledger Plus members");
    // The first four came before the line was known; the rest lost it.
    let texts = stored_texts(&e);
    assert_eq!(texts.iter().filter(|t| has(t)).count(), 4);
    // Re-ingesting changes nothing and counts nothing twice.
    e.ingest_documents(outlet_pages()).unwrap();
    let again = e.store_mut().outlet_lines(
        &[(
            "ledger.example".into(),
            corroborate_extract::templates::paragraph_keys(
                "Ledger Plus members read every story first, without limits.",
            ),
        )],
        false,
    );
    assert_eq!(again.unwrap()[0][0].articles, 50);
    let (summary, _) = e.reanalyze(&NoProgress).unwrap();
    assert_eq!(summary.changed, 4);
    assert!(!stored_texts(&e).iter().any(has));
}

#[test]
fn reports_are_built_from_stored_annotations() {
    let texts = [(
        "Norhaven bridge to reopen".to_string(),
        "Mayor Ana Ruiz said on Tuesday that the Norhaven bridge would reopen on Friday. \
         \"The repairs are finished,\" she told reporters."
            .to_string(),
    )];
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.db");
    let mut e = Engine::open(&path).unwrap();
    e.ingest_documents(docs(&texts)).unwrap();
    let first = e.analyze().unwrap();
    assert!(!first[0].claims.is_empty(), "{first:?}");
    // The analysis saved the article's annotations under this annotator.
    let a = e.store().articles().unwrap().remove(0).article;
    let key = corroborate_store::AnnotationKey {
        article: a.id.clone(),
        anchor: a.published,
    };
    let version = stored::annotator_version();
    let saved = e
        .store()
        .annotations(std::slice::from_ref(&key), version)
        .unwrap();
    assert_eq!(
        saved[0],
        Some(corroborate_crosscheck::annotate(&a.text, a.published))
    );
    assert_eq!(
        article_annotations(e.store(), &a).unwrap(),
        saved[0].clone().unwrap()
    );
    // A cold engine reads them instead of annotating again: a stored row
    // with nothing in it gives a report with no claim.
    e.store_mut()
        .save_annotations(&[(key, corroborate_model::Annotations::default())], version)
        .unwrap();
    drop(e);
    let mut cold = Engine::open(&path).unwrap();
    let again = cold.analyze_full(&NoProgress).unwrap();
    assert!(again[0].claims.is_empty(), "{again:?}");
    // Re-extraction drops the row, and the next analysis annotates anew.
    cold.store_mut().update_articles(&[a]).unwrap();
    let fixed = cold.analyze_full(&NoProgress).unwrap();
    assert_eq!(fixed[0].claims, first[0].claims);
}

/// A generated article: a title, a body, maybe an outlet and a declared
/// source, maybe a date.
fn article(n: usize, title: &str, body: &str, day: Option<u32>) -> Article {
    let raw = RawDocument::new(
        format!("gen#{n}"),
        Format::Text,
        format!("{title}\n\n{body}"),
        Hints::default(),
    );
    let mut a = Article::bare(raw.id.clone(), "gen", body);
    a.title = Some(title.to_string());
    a.site = Some(["Wire", "Courier", "Herald"][n % 3].to_string());
    a.republished_from = (n % 4 == 3).then(|| "Wire".to_string());
    a.published = day.map(|d| format!("2025-03-{d:02}T08:00:00Z").parse().unwrap());
    a
}

/// One story as the full resolution gives it: members' ids, id, links,
/// merges.
type Resolution = (Vec<ArticleId>, Vec<(String, String)>, Vec<(String, String)>);

fn by_id(a: &Analysis, r: &analyze::Resolved) -> HashMap<StoryId, Resolution> {
    (0..r.members.len())
        .map(|k| {
            let members = r.members[k]
                .iter()
                .map(|&i| a.article_id(i).clone())
                .collect();
            let pair =
                |x: &corroborate_model::RelatedStory| (x.id.as_str().to_string(), x.reason.clone());
            (
                r.ids[k].clone(),
                (
                    members,
                    r.links_of(k).iter().map(pair).collect(),
                    r.merged_into(k).iter().map(pair).collect(),
                ),
            )
        })
        .collect()
}

/// Resolves what changed since the last call and checks it against a full
/// resolution: touched stories as resolved in full, untouched ones as they
/// were (`before`), removed ids gone. The full resolution, by id.
fn check_touched(
    a: &mut Analysis,
    before: &HashMap<StoryId, Resolution>,
) -> Result<HashMap<StoryId, Resolution>, String> {
    let touched = a.touched();
    let got = by_id(a, &touched.resolved);
    let full = by_id(a, &a.resolve());
    for (id, story) in &got {
        if full.get(id) != Some(story) {
            return Err(format!(
                "touched story {} differs from the full resolution",
                id.as_str()
            ));
        }
    }
    for (id, story) in &full {
        if !got.contains_key(id) && before.get(id) != Some(story) {
            return Err(format!("untouched story {} changed", id.as_str()));
        }
    }
    for id in &touched.removed {
        if full.contains_key(id) || !before.contains_key(id) {
            return Err(format!("{} reported removed", id.as_str()));
        }
    }
    if let Some(id) = before
        .keys()
        .find(|id| !full.contains_key(*id) && !touched.removed.contains(*id))
    {
        return Err(format!("{} vanished unreported", id.as_str()));
    }
    Ok(full)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// After every batch, the stories incremental resolution returns are
    /// those of a full resolution (same members, id, links and merges),
    /// every story it leaves out is unchanged since the previous batch, and
    /// the ids it says are gone are gone.
    #[test]
    fn touched_stories_resolve_as_a_full_resolution(
        texts in corpus(),
        days in prop::collection::vec(prop::option::of(1u32..28), 12),
        cuts in prop::collection::vec(1usize..4, 1..6),
    ) {
        let articles: Vec<Article> = texts
            .iter()
            .enumerate()
            .map(|(n, (t, b))| article(n, t, b, days[n % days.len()]))
            .collect();
        let mut a = Analysis::default();
        let mut before: HashMap<StoryId, Resolution> = HashMap::new();
        let mut rest = articles.as_slice();
        for n in cuts.iter().cycle() {
            if rest.is_empty() {
                break;
            }
            let (batch, tail) = rest.split_at((*n).min(rest.len()));
            rest = tail;
            for x in batch {
                a.push(x);
            }
            before = check_touched(&mut a, &before).map_err(TestCaseError::fail)?;
        }
    }
}

/// A longer stream than the property test's (stories that grow, merge,
/// link and split), resolved incrementally after batches of one to five
/// articles: each batch's touched stories equal a full resolution's.
#[test]
fn a_long_stream_resolves_incrementally_as_in_full() {
    let topics: [&[&str]; 4] = [
        &[
            "ferry", "pier", "storm", "Norhaven", "harbour", "repairs", "waves",
        ],
        &[
            "fire",
            "warehouse",
            "solvent",
            "Kestrel",
            "evacuated",
            "smoke",
            "port",
        ],
        &[
            "coach", "club", "defeat", "Lowmere", "league", "sacked", "match",
        ],
        &[
            "bridge", "council", "river", "vote", "budget", "mayor", "traffic",
        ],
    ];
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    let mut articles = Vec::new();
    for n in 0..400 {
        // Topics blend now and then (a story about the fire at the pier).
        let t = topics[next(4)];
        let u = if next(6) == 0 { topics[next(4)] } else { t };
        let words: Vec<&str> = (0..40)
            .map(|i| {
                if i % 3 == 0 {
                    u[next(u.len())]
                } else {
                    t[next(t.len())]
                }
            })
            .collect();
        let title = format!(
            "{} {} {}",
            t[next(t.len())],
            t[next(t.len())],
            u[next(u.len())]
        );
        let day = (next(3) > 0).then(|| 1 + (n / 20) as u32 % 27);
        articles.push(article(n, &title, &format!("{}.", words.join(" ")), day));
    }
    // Two wordings of one event that start as two stories, then articles
    // that use both: the stories merge.
    let (shared, one, two) = (
        ["quake", "Dunmore", "tremor"],
        ["rubble", "rescuers", "collapsed"],
        ["aftershock", "magnitude", "epicentre"],
    );
    for n in 0..60 {
        let side = if n < 30 {
            if n % 2 == 0 {
                &one
            } else {
                &two
            }
        } else {
            if next(2) == 0 {
                &one
            } else {
                &two
            }
        };
        let other = if n < 30 {
            side
        } else if side == &one {
            &two
        } else {
            &one
        };
        let words: Vec<&str> = (0..30)
            .map(|i| match i % 3 {
                0 => shared[next(3)],
                1 => side[next(3)],
                _ => other[next(3)],
            })
            .collect();
        let title = format!("{} {} {}", shared[next(3)], side[next(3)], other[next(3)]);
        articles.push(article(
            400 + n,
            &title,
            &format!("{}.", words.join(" ")),
            None,
        ));
    }
    // Merging made easy, so that the stream merges as well as splits.
    let cluster = ClusterConfig {
        merge_threshold: 0.05,
        ..ClusterConfig::default()
    };
    let mut a = Analysis::with_stream(StoryStream::new(DedupConfig::default(), cluster));
    let (mut links, mut merges, mut splits) = (0, 0, 0);
    let mut before = HashMap::new();
    let mut rest = articles.as_slice();
    while !rest.is_empty() {
        let (batch, tail) = rest.split_at((1 + next(5)).min(rest.len()));
        rest = tail;
        for x in batch {
            a.push(x);
        }
        let full = check_touched(&mut a, &before).unwrap();
        for story in full.values() {
            links += story.1.len();
            merges += story.2.len();
            splits += story.1.iter().filter(|l| l.1.starts_with("split")).count();
        }
        before = full;
    }
    assert!(
        links > 0 && merges > 0 && splits > 0,
        "the stream links ({links}), merges ({merges}) and splits ({splits})"
    );
}
