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
