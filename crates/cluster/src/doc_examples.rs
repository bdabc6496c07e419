//! The examples of this crate's documentation, run as unit tests (one test
//! binary instead of one linked program per example; see Cargo.toml,
//! `doctest = false`). Keep each in step with the comment it copies.

/// The example in `src/lib.rs`.
#[test]
fn example_1() {
    use corroborate_cluster::{ClusterConfig, ClusterDoc};

    let mut c = ClusterConfig::default().build();
    let a = c.add(&ClusterDoc {
        title: "Storm closes ferry pier in Norhaven",
        body: "The storm damaged the ferry pier in Norhaven harbour.",
        time: None,
        lang: None,
    });
    let b = c.add(&ClusterDoc {
        title: "Norhaven ferry pier shut after storm",
        body: "Ferry services from Norhaven harbour stopped after storm damage to the pier.",
        time: None,
        lang: None,
    });
    let z = c.add(&ClusterDoc {
        title: "Cup final tickets sold out",
        body: "Football fans bought every ticket for the cup final within an hour.",
        time: None,
        lang: None,
    });
    assert_eq!(a.story, b.story);
    assert_ne!(a.story, z.story);
}

/// The example in `src/lib.rs`.
#[test]
fn example_2() {
    use corroborate_cluster::{ClusterConfig, ClusterDoc};
    let c = ClusterConfig::default().build();
    let doc = |title, lang| ClusterDoc {
        title,
        body: "",
        time: None,
        lang,
    };
    let same = c.similarity(
        &doc("Ferry pier closed by storm", None),
        &doc("Storm closes ferry pier", None),
    );
    let other = c.similarity(
        &doc("Ferry pier closed by storm", None),
        &doc("Cup final sold out", None),
    );
    assert!(same > 0.5 && other == 0.0);
    let en = doc("Storm closes Norhaven ferry pier for 3 days", Some("en"));
    let de = doc(
        "Sturm schließt den Fähranleger von Norhaven für 3 Tage",
        Some("de"),
    );
    assert!(c.similarity(&en, &de) > 0.5);
}
