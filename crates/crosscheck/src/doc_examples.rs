//! The examples of this crate's documentation, run as unit tests (one test
//! binary instead of one linked program per example; see Cargo.toml,
//! `doctest = false`). Keep each in step with the comment it copies.

/// The example in `src/claim_index.rs`.
#[test]
fn example_1() {
    use corroborate_crosscheck::claim_index::ClaimIndex;

    let claims = [
        "The mayor resigned on Monday.",
        "Port fire forced 1,200 people from their homes.",
    ];
    let index = ClaimIndex::new(&claims);
    let best = index.rank("A fire at the port forced hundreds from homes", 1);
    assert_eq!(best[0].0, 1);
}

/// The example in `src/claim_index.rs`.
#[test]
fn example_2() {
    use corroborate_crosscheck::claim_index::clean_post;
    assert_eq!(
        clean_post("Stop it #ImpeachTrump https://t.co/x1 — Jo Doe (@jodoe) May 2, 2019"),
        "Stop it Impeach Trump — Jo Doe"
    );
}

/// The example in `src/lib.rs`.
#[test]
fn example_3() {
    use corroborate_crosscheck::annotate;

    let text = "Mayor Ana Lopes said on Telegram that about 3,000 homes lost power on Sunday.";
    let published = "2024-12-17T00:00:00Z".parse().ok();
    let a = annotate(text, published);
    let s = &a.statements[0];
    assert_eq!(s.speaker.as_ref().unwrap().name, "Ana Lopes");
    assert_eq!(s.channel.as_deref(), Some("Telegram"));
    assert_eq!(a.figures[0].value, 3000.0);
    assert_eq!(a.figures[0].what.as_deref(), Some("homes"));
    assert_eq!(a.dates[0].value, "2024-12-15");
}
