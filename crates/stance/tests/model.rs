//! The shipped model on fictional pairs written here: each stance on a
//! clear case, and the evidence pointing at the sentence that carries it.

use corroborate_stance::{Model, Stance};

const CLAIM: &str = "Norhaven's mayor resigned over the ferry contract";

fn judge(text: &str) -> corroborate_stance::Judgement {
    Model::default().judge(CLAIM, None, text)
}

#[test]
fn an_unrelated_text_is_unrelated() {
    let j = judge("The Lowmere football club sacked its coach after a fourth defeat in a row. Fans had called for the change for weeks, and the board met on Sunday evening to decide.");
    assert_eq!(j.stance, Stance::Unrelated, "{j:?}");
}

#[test]
fn a_denial_disputes_and_points_at_the_denial() {
    let text = "Posts shared widely on Tuesday said the mayor had quit. The city hall denied that Norhaven's mayor resigned over the ferry contract, calling the reports false and a hoax. The mayor was at work on Wednesday, officials said.";
    let j = judge(text);
    assert_eq!(j.stance, Stance::Disputes, "{j:?}");
    let e = j.evidence.expect("evidence");
    assert!(e.text.contains("denied"), "{e:?}");
    assert_eq!(
        text.chars()
            .skip(e.start)
            .take(e.end - e.start)
            .collect::<String>(),
        e.text
    );
}

#[test]
fn hedged_relaying_reports_and_plain_statement_asserts() {
    let reported = judge("Norhaven's mayor has reportedly resigned over the ferry contract, according to a local radio station, which cited unnamed sources. The claim could not be verified and city hall did not respond to requests for comment. If true, it would be the second resignation this year.");
    assert_eq!(reported.stance, Stance::Reports, "{reported:?}");
    let asserted = judge("Norhaven's mayor resigned over the ferry contract on Monday, the city council confirmed in a statement. The council announced that her deputy will lead the city until an election in June. The resignation letter, seen by this newspaper, shows she quit over the ferry contract.");
    assert_ne!(asserted.stance, Stance::Unrelated, "{asserted:?}");
    assert_ne!(asserted.stance, Stance::Disputes, "{asserted:?}");
}
