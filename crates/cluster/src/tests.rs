//! Unit tests of the clusterer.

use super::*;
use chrono::TimeZone;
use proptest::prelude::*;

#[test]
fn chinese_is_indexed_by_character_pairs() {
    let t: Vec<String> = tokens("北京大学 COVID疫苗").collect();
    assert_eq!(t, ["北京", "京大", "大学", "covid", "疫苗"]);
    // Two Chinese headlines on one event share terms; a different one does not.
    let c = ClusterConfig::default().build();
    let doc = |title| ClusterDoc {
        title,
        body: "",
        time: None,
        lang: None,
    };
    let same = c.similarity(
        &doc("北京大学发布新冠疫苗研究"),
        &doc("新冠疫苗研究由北京大学发布"),
    );
    let other = c.similarity(&doc("北京大学发布新冠疫苗研究"), &doc("上海股市周一下跌"));
    assert!(same > 0.8 && other < 0.1, "{same} {other}");
}

#[test]
fn names_and_numbers_have_one_form_across_scripts() {
    // As each_weighted_term asks: stop words are no names.
    let key = |w: &str| {
        let stop = stop_words_of(Some("en")).contains(&term_key(&w.to_lowercase()));
        if stop {
            None
        } else {
            name_key(w)
        }
    };
    assert_eq!(key("Zelensky"), key("Зеленский"));
    assert_eq!(key("Ukraine"), key("Ukrainy"));
    assert_eq!(key("Ukraine"), key("UKRAINE"));
    assert!(key("11000").is_some());
    assert_ne!(key("11000"), key("12000"));
    assert_eq!(key("harbour"), None, "not capitalised");
    assert_eq!(key("The"), None, "a stop word");
    assert_eq!(key("Xi"), None, "too short to be told apart");
    assert_ne!(
        key("Paris"),
        Some(term_key("paris")),
        "names have their own namespace"
    );
}

#[test]
fn a_known_language_is_stemmed_and_its_stop_words_dropped() {
    let key = |fold: Fold, w: &str| fold.term(w, term_key(w)).key();
    let en = Fold::of(Some("en"));
    assert_eq!(key(en, "ferries"), key(en, "ferry"));
    assert_eq!(key(en, "inspected"), key(en, "inspecting"));
    let de = Fold::of(Some("de"));
    assert_eq!(key(de, "häfen"), key(de, "hafen"));
    let slot = |fold: Fold| fold.term("hafen", term_key("hafen")).stem_slot();
    assert_ne!(slot(de), slot(en), "each stemmer its own cache slot");
    assert_eq!(Fold::of(Some("pl")).term("hafen", 1).stem_slot(), None);
    // No stemmer for Polish: the five-letter prefix.
    let pl = Fold::of(Some("pl"));
    assert_eq!(key(pl, "portowego"), key(pl, "portowy"));
    assert_eq!(Fold::of(None), Fold::Plural);
    assert_eq!(key(Fold::Plural, "soldiers"), key(Fold::Plural, "soldier"));
    let stop = |lang, w| stop_words_of(lang).contains(&term_key(w));
    assert!(stop(Some("de"), "und"));
    assert!(stop(Some("de"), "the"), "English stop words everywhere");
    assert!(!stop(None, "und"));
    let terms = |title, lang| {
        let mut n = 0;
        let doc = ClusterDoc {
            title,
            body: "",
            time: None,
            lang,
        };
        each_weighted_term(&doc, &mut |_, _| n += 1);
        n
    };
    // "Der", "die", "und" are not terms; "Hafen" and "Fähre" are, as words and names.
    assert_eq!(terms("Der Hafen und die Fähre", Some("de")), 4);
    // A number is one (name) term; "5G" is a word.
    assert_eq!(terms("14 Fahrten", Some("de")), 3);
    assert_eq!(terms("5G", Some("en")), 1);
}

#[test]
fn articles_in_two_languages_meet_on_names_and_numbers() {
    let en = ClusterDoc {
        title: "Storm closes Norhaven ferry pier",
        body: "Harbour master Ingrid Solberg said 14 sailings from Norhaven to Kestrel Island were cancelled on Tuesday.",
        time: day(3),
        lang: Some("en"),
    };
    let de = ClusterDoc {
        title: "Sturm schließt Fähranleger in Norhaven",
        body: "Hafenmeisterin Ingrid Solberg sagte, 14 Fahrten von Norhaven nach Kestrel Island seien am Dienstag ausgefallen.",
        time: day(3),
        lang: Some("de"),
    };
    let other_de = ClusterDoc {
        title: "Pokalfinale in Brandau ausverkauft",
        body: "Alle Karten für das Finale im Stadion von Brandau wurden innerhalb einer Stunde verkauft, sagte der Verein.",
        time: day(3),
        lang: Some("de"),
    };
    let mut c = ClusterConfig::default().build();
    let a = c.add(&en);
    let b = c.add(&de);
    let z = c.add(&other_de);
    assert_eq!(a.story, b.story, "{b:?}");
    assert_ne!(z.story, a.story);
    // Without languages the German words count against the pair.
    let c = ClusterConfig::default().build();
    let known = c.similarity(&en, &de);
    let unknown = c.similarity(
        &ClusterDoc { lang: None, ..en },
        &ClusterDoc { lang: None, ..de },
    );
    assert!(known > unknown, "{known} {unknown}");
}

fn day(d: u32) -> Option<Timestamp> {
    Some(chrono::Utc.with_ymd_and_hms(2024, 12, d, 12, 0, 0).unwrap())
}

#[test]
fn same_subject_weeks_apart_is_a_related_story() {
    let mut c = ClusterConfig::default().build();
    let body = "Engineers inspected the Norhaven ferry pier damaged by the storm; the harbour master said ferries stay suspended.";
    let a = c.add(&ClusterDoc {
        title: "Norhaven ferry pier damaged",
        body,
        time: day(2),
        lang: None,
    });
    let b = c.add(&ClusterDoc {
        title: "Norhaven ferry pier damaged by storm",
        body,
        time: day(3),
        lang: None,
    });
    let later = c.add(&ClusterDoc {
        title: "Norhaven ferry pier damaged again",
        body,
        time: day(25),
        lang: None,
    });
    assert_eq!(a.story, b.story);
    assert_ne!(later.story, a.story);
    assert_eq!(later.related.map(|r| r.0), Some(a.story));
}

#[test]
fn a_close_call_goes_to_the_larger_story_under_a_size_prior() {
    // One story of one article, then one of three (identical texts, so
    // each centroid points one way); the last article is half of each.
    // Its words from the small story are rarer, hence heavier: on text
    // alone it joins the small story; with the size prior the large
    // story's score is multiplied by 3^0.5 and it wins.
    let run = |size_prior: f64| {
        let mut c = ClusterConfig {
            size_prior,
            merge_threshold: 2.0,
            ..ClusterConfig::default()
        }
        .build();
        let doc = |title| ClusterDoc {
            title,
            body: "",
            time: None,
            lang: None,
        };
        let small = c.add(&doc("quartz harbour ferry")).story;
        let large: Vec<usize> = (0..3)
            .map(|_| c.add(&doc("velvet meadow lantern")).story)
            .collect();
        assert!(large.iter().all(|&s| s == large[0] && s != small));
        let both = c.add(&doc("quartz harbour ferry velvet meadow lantern"));
        (both.story == large[0], both.score)
    };
    let (to_large, text_only) = run(0.0);
    assert!(!to_large, "on text alone the rarer words win");
    let (to_large, scored) = run(0.5);
    assert!(to_large, "the prior tips the close call");
    assert!(scored > text_only, "scores are cosines times 3^0.5 here");
}

#[test]
fn each_join_is_scored_as_cosine_times_size_to_the_prior() {
    let scores = |size_prior: f64| -> Vec<f64> {
        let mut c = ClusterConfig {
            size_prior,
            ..ClusterConfig::default()
        }
        .build();
        let texts = [
            "Storm closes Norhaven ferry pier",
            "Norhaven ferry pier closed by storm",
            "Storm shuts the Norhaven pier; ferries stop",
            "Norhaven pier: ferries halted by storm",
        ];
        let out: Vec<(usize, f64)> = texts
            .iter()
            .map(|t| {
                let a = c.add(&ClusterDoc {
                    title: t,
                    body: "",
                    time: None,
                    lang: None,
                });
                (a.story, a.score)
            })
            .collect();
        assert!(out.iter().all(|(s, _)| *s == 0), "one story: {out:?}");
        out.into_iter().map(|(_, x)| x).collect()
    };
    let (plain, sized) = (scores(0.0), scores(0.3));
    // Article k joins a story of k articles (the first founds it).
    for k in 1..plain.len() {
        let want = plain[k] * (k as f64).powf(0.3);
        assert!(
            (sized[k] - want).abs() < 1e-9,
            "{k}: {} vs {want}",
            sized[k]
        );
    }
}

#[test]
fn undated_events_one_after_the_other_split_and_interleaved_ones_do_not() {
    // 24 reports of a ferry strike, then 24 of the ferry's new
    // timetable: one name, two events, and only the arrival order to
    // tell them apart (the check at 40 articles sees 16 of the second).
    // Interleaved, the same reports are one story in two strands.
    let run = |sequence_split_threshold: f64, interleave: bool| {
        let mut c = ClusterConfig {
            join_threshold: 0.05,
            merge_threshold: 2.0,
            sequence_split_threshold,
            ..ClusterConfig::default()
        }
        .build();
        let strike =
            (0..24).map(|i| format!("Norhaven ferry crews strike over pay, talks round {i}"));
        let timetable = (0..24).map(|i| {
            format!(
                "Norhaven ferry timetable adds winter sailings, route {}",
                100 + i
            )
        });
        let titles: Vec<String> = if interleave {
            strike.zip(timetable).flat_map(|(a, b)| [a, b]).collect()
        } else {
            strike.chain(timetable).collect()
        };
        let mut splits = Vec::new();
        for t in &titles {
            let doc = ClusterDoc {
                title: t,
                body: "",
                time: None,
                lang: None,
            };
            splits.extend(c.add(&doc).split);
        }
        let stories: std::collections::BTreeSet<usize> =
            (0..titles.len()).map(|d| c.story_of_doc(d)).collect();
        let reasons: Vec<String> = splits.iter().map(|sp: &Split| sp.reason.clone()).collect();
        (splits.len(), stories.len(), reasons)
    };
    let (splits, stories, _) = run(0.0, false);
    assert_eq!((splits, stories), (0, 1), "off: one story");
    let (splits, stories, reasons) = run(0.5, false);
    assert_eq!(
        (splits, stories),
        (1, 2),
        "one after the other: two stories"
    );
    assert!(
        reasons[0].contains("one group arriving after the other"),
        "{reasons:?}"
    );
    let (splits, stories, _) = run(0.5, true);
    assert_eq!((splits, stories), (0, 1), "interleaved: one story");
}

#[test]
fn a_story_bridging_two_events_splits_when_each_has_grown() {
    // A first, loose article names a ferry strike and a stadium fire;
    // reports of each then join its story (a low join threshold), each
    // side in its own words (the town named in a few). Once each side
    // has enough articles, the story divides and one side leaves.
    let run = |split_threshold: f64| {
        let mut c = ClusterConfig {
            join_threshold: 0.05,
            merge_threshold: 2.0,
            split_threshold,
            split_min: 4,
            ..ClusterConfig::default()
        }
        .build();
        let doc = |title| ClusterDoc {
            title,
            body: "",
            time: None,
            lang: None,
        };
        let mut splits = Vec::new();
        let first = c.add(&doc("Norhaven ferry strike and stadium fire"));
        // Nine reports of each, alternating; each check comes when the
        // story's size has grown by half (8, 12, then 18 articles).
        let strike = [
            "Ferry crews strike in Norhaven over pay",
            "Ferry strike enters second day",
            "Ferry strike: crews reject pay offer",
            "Norhaven ferry crews vote to continue strike",
            "Islanders stranded by ferry strike",
            "Union says ferry strike will go on",
            "Ferry operator offers crews new pay deal",
            "Ferry crews end strike after pay deal",
            "Ferry timetable back to normal after strike",
        ];
        let fire = [
            "Fire guts Norhaven stadium stands",
            "Stadium fire: arson suspected",
            "Stadium fire leaves Norhaven club homeless",
            "Firefighters contain stadium blaze",
            "Police arrest teenager over stadium fire",
            "Club to play at rival ground after stadium blaze",
            "Stadium blaze: insurers inspect burnt stands",
            "Stadium rebuild to take a year after fire",
            "Fire-hit stadium club thanks volunteers",
        ];
        for (a, b) in strike.iter().zip(&fire) {
            for t in [a, b] {
                let asg = c.add(&doc(t));
                splits.extend(asg.split);
            }
        }
        let label = |d: usize| c.story_of_doc(d);
        let strike_stories: Vec<usize> = (0..9).map(|i| label(1 + 2 * i)).collect();
        let fire_stories: Vec<usize> = (0..9).map(|i| label(2 + 2 * i)).collect();
        (first.story, label(0), strike_stories, fire_stories, splits)
    };
    let (founded, _, strike, fire, splits) = run(0.0);
    assert!(splits.is_empty());
    assert!(
        strike.iter().chain(&fire).all(|&s| s == founded),
        "one story without splits"
    );

    let (founded, first_now, strike, fire, splits) = run(0.15);
    assert_eq!(splits.len(), 1, "{splits:?}");
    let sp = &splits[0];
    assert_eq!(sp.from, founded);
    assert!(sp.reason.contains("two groups"), "{}", sp.reason);
    assert!(strike.iter().all(|&s| s == strike[0]));
    assert!(fire.iter().all(|&s| s == fire[0]));
    assert_ne!(strike[0], fire[0]);
    // The founder's group keeps the story; the other moved.
    assert!(first_now == founded && (strike[0] == founded || fire[0] == founded));
    let moved_to = if strike[0] == founded {
        fire[0]
    } else {
        strike[0]
    };
    assert_eq!(moved_to, sp.new);
}

#[test]
fn a_window_limits_candidates_to_recent_stories() {
    let run = |window: Option<usize>| {
        let mut c = ClusterConfig {
            window,
            ..ClusterConfig::default()
        }
        .build();
        let first = c
            .add(&ClusterDoc {
                title: "Norhaven ferry pier damaged",
                body: "storm ferry pier harbour",
                time: None,
                lang: None,
            })
            .story;
        for i in 0..5 {
            let t = format!("unrelated topic {i} football cup final tickets {i}");
            c.add(&ClusterDoc {
                title: &t,
                body: &t,
                time: None,
                lang: None,
            });
        }
        let again = c
            .add(&ClusterDoc {
                title: "Norhaven ferry pier damaged",
                body: "storm ferry pier harbour",
                time: None,
                lang: None,
            })
            .story;
        first == again
    };
    assert!(run(None), "without a window the old story is found");
    assert!(!run(Some(3)), "with a window of 3 it is out of reach");
}

#[test]
fn an_article_fitting_two_similar_stories_merges_them() {
    let run = |merge_threshold: f64| {
        let mut c = ClusterConfig {
            merge_threshold,
            ..ClusterConfig::default()
        }
        .build();
        let mut add = |title: &str| {
            c.add(&ClusterDoc {
                title,
                body: "",
                time: None,
                lang: None,
            })
        };
        let a = add("north harbour ferry pier storm damage");
        let b = add("ferry operator cancels crossings weekend timetable");
        let bridge = add(
            "north harbour ferry pier storm damage operator cancels crossings weekend timetable",
        );
        (a, b, bridge, c)
    };
    let (a, b, bridge, c) = run(0.3);
    assert_ne!(a.story, b.story, "too little in common to join at first");
    let m = bridge.merged.expect("the bridging article merges them");
    assert_eq!((m.into, m.absorbed), (a.story, b.story));
    assert!(m.reason.contains("fits both stories"), "{}", m.reason);
    assert_eq!(bridge.story, a.story);
    assert_eq!((c.resolve(b.story), c.resolve(a.story)), (a.story, a.story));

    let (a, b, bridge, c) = run(1.5);
    assert!(bridge.merged.is_none(), "merging off");
    assert_ne!(c.resolve(b.story), c.resolve(a.story));
}

#[test]
fn an_undated_article_does_not_merge_two_events_days_apart() {
    let body = "Harbour master Ingrid Solberg said the Norhaven ferry pier was damaged by the storm and crossings to Kestrel Island stopped.";
    let mut c = ClusterConfig {
        merge_threshold: 0.3,
        ..ClusterConfig::default()
    }
    .build();
    let mut add = |title, time| {
        c.add(&ClusterDoc {
            title,
            body,
            time,
            lang: Some("en"),
        })
    };
    let first = add("Storm damages Norhaven ferry pier", day(2));
    let later = add("Norhaven ferry pier damaged again in second storm", day(20));
    assert_ne!(first.story, later.story, "18 days apart");
    let bridge = add("Norhaven ferry pier storm damage", None);
    assert!(bridge.merged.is_none(), "{:?}", bridge.merged);
}

#[test]
fn postings_stay_bounded_on_a_long_stream() {
    let mut c = ClusterConfig {
        max_postings: 8,
        max_candidates: 4,
        ..ClusterConfig::default()
    }
    .build();
    for i in 0..200 {
        let t = format!("council budget vote ward{i} district{i}");
        c.add(&ClusterDoc {
            title: &t,
            body: "",
            time: None,
            lang: None,
        });
    }
    assert!(c.postings.values().all(|l| l.len() <= 16));
    // The newest stories stay reachable.
    let again = c.add(&ClusterDoc {
        title: "council budget vote ward199 district199",
        body: "",
        time: None,
        lang: None,
    });
    assert_eq!(c.resolve(again.story), c.resolve(c.len() - 1));
}

proptest! {
    /// Every article lands in exactly one story, indexes are dense, and the
    /// result is the same when the same stream is replayed.
    #[test]
    fn partition_and_determinism(docs in proptest::collection::vec(("[a-f]{2,6}( [a-f]{2,6}){0,6}", "[a-f]{2,6}( [a-f]{2,6}){0,20}"), 1..25)) {
        let run = || {
            let mut c = ClusterConfig::default().build();
            docs.iter().map(|(t, b)| c.add(&ClusterDoc { title: t, body: b, time: None, lang: None }).story).collect::<Vec<_>>()
        };
        let first = run();
        prop_assert_eq!(&first, &run());
        let max = *first.iter().max().unwrap();
        for s in 0..=max { prop_assert!(first.contains(&s)); }
    }

    /// Under frequent merges and splits, every article is a member of
    /// exactly the live story [`OnlineClusterer::story_of_doc`] names,
    /// sizes match memberships, and replays agree.
    #[test]
    fn merges_and_splits_keep_a_partition(docs in proptest::collection::vec("[a-d]{2,3}( [a-d]{2,3}){1,5}", 1..40), split in 0.2f64..0.9) {
        let run = || {
            let mut c = ClusterConfig { join_threshold: 0.1, merge_threshold: 0.4, split_threshold: split, split_min: 1, ..ClusterConfig::default() }.build();
            let mut splits = 0;
            for t in &docs {
                let a = c.add(&ClusterDoc { title: t, body: "", time: None, lang: None });
                if let Some(sp) = &a.split {
                    splits += 1;
                    prop_assert!(!sp.moved.is_empty() && sp.new == c.len() - 1);
                    prop_assert!(sp.moved.iter().all(|&d| c.story_of_doc(d) == c.resolve(sp.new)));
                }
            }
            let labels: Vec<usize> = (0..docs.len()).map(|d| c.story_of_doc(d)).collect();
            Ok((labels, splits, c))
        };
        let (labels, _, c) = run()?;
        let (again, _, _) = run()?;
        prop_assert_eq!(&labels, &again);
        let mut total = 0;
        for (s, st) in c.stories.iter().enumerate() {
            if c.resolve(s) != s {
                prop_assert!(st.members.is_empty());
                continue;
            }
            prop_assert_eq!(st.size as usize, st.members.len());
            total += st.members.len();
            for &d in &st.members {
                prop_assert_eq!(labels[d as usize], s);
            }
        }
        prop_assert_eq!(total, docs.len());
    }

    /// With languages, names and numbers in the mix: every score is a
    /// cosine in [0, 1], the norms kept incrementally (whole centroid
    /// and its name terms) match a recomputation, and replays agree.
    #[test]
    fn mixed_languages_keep_norms_and_determinism(docs in proptest::collection::vec(
        ("[A-F][a-f]{2,5}( [a-fA-F][a-f]{2,5}| [0-9]{1,4}){0,8}", 0usize..4), 1..30)) {
        let langs = [None, Some("en"), Some("de"), Some("pl")];
        let run = || {
            let mut c = ClusterConfig { merge_threshold: 0.3, centroid_terms: 8, size_prior: 0.0, ..ClusterConfig::default() }.build();
            let mut out = Vec::new();
            for (t, l) in &docs {
                let a = c.add(&ClusterDoc { title: t, body: t, time: None, lang: langs[*l] });
                out.push((a.story, a.score));
            }
            (out, c)
        };
        let (first, c) = run();
        prop_assert_eq!(&first, &run().0);
        for (_, score) in &first {
            prop_assert!((0.0..=1.0 + 1e-9).contains(score), "{}", score);
        }
        for st in c.stories.iter().filter(|s| s.norm > 0.0) {
            let mut again = Story { centroid: st.centroid.clone(), norm: 0.0, name_norm2: 0.0, langs: Vec::new(), last_doc: 0, size: 0, members: Vec::new(), next_split_check: 0, first: None, last: None };
            again.renorm();
            prop_assert!((again.norm - st.norm).abs() < 1e-6, "{} vs {}", again.norm, st.norm);
            prop_assert!((again.name_norm2 - st.name_norm2).abs() < 1e-6);
            prop_assert!(st.name_norm2 <= st.norm * st.norm + 1e-9);
        }
    }

    /// With merges on, final stories are fixed points of `resolve`, and a
    /// story only ever merges into an older one.
    #[test]
    fn merges_resolve_to_older_roots(docs in proptest::collection::vec("[a-d]{2,3}( [a-d]{2,3}){1,5}", 1..30)) {
        let mut c = ClusterConfig { merge_threshold: 0.2, ..ClusterConfig::default() }.build();
        let mut arrival = Vec::new();
        for t in &docs {
            let a = c.add(&ClusterDoc { title: t, body: "", time: None, lang: None });
            if let Some(m) = &a.merged {
                prop_assert!(m.into < m.absorbed);
            }
            arrival.push(a.story);
        }
        for s in arrival {
            let root = c.resolve(s);
            prop_assert!(root <= s);
            prop_assert_eq!(c.resolve(root), root);
        }
    }
}

#[test]
fn the_profile_follows_the_median_length() {
    // Headlines with one long outlier are still short texts; articles
    // with a few headlines among them are still articles.
    let mut heads = vec![7, 9, 12, 6, 8];
    heads.push(900);
    assert_eq!(Profile::of_lengths(heads), Profile::ShortTexts);
    assert_eq!(
        Profile::of_lengths(vec![350, 800, 8, 420, 10]),
        Profile::Articles
    );
    assert_eq!(Profile::of_lengths(Vec::new()), Profile::Articles);
    // The boundary: a median of exactly SHORT_MEDIAN_WORDS is an article.
    let edge = Profile::SHORT_MEDIAN_WORDS;
    assert_eq!(Profile::of_lengths(vec![edge - 1]), Profile::ShortTexts);
    assert_eq!(Profile::of_lengths(vec![edge]), Profile::Articles);
    // Each profile's defaults differ where the docs say they do.
    let (a, s) = (Profile::Articles.config(), Profile::ShortTexts.config());
    assert_eq!((a.window, s.window), (None, Some(2000)));
    assert!(s.merge_threshold < a.merge_threshold);
    assert_eq!(a.join_threshold, s.join_threshold);
}
