//! Tests of the `statements` module.

use super::*;
use crate::speakers::name_key;

fn run(text: &str) -> Vec<Statement> {
    let doc = Doc::new(text);
    find(&doc, &[])
}

/// Every cue verb of the lexicon attributes a quote to its speaker, and
/// every hedge is found as a hedge; the same sentence without a cue is
/// no statement.
#[test]
fn every_cue_verb_attributes_and_every_hedge_hedges() {
    for cue in corroborate_lexicon::words("en", "cue-verbs") {
        let s = run(&format!(
            "“The quay will reopen in March,” Ines Duarte {cue}."
        ));
        assert_eq!(s.len(), 1, "{cue}: {s:#?}");
        assert_eq!(
            s[0].speaker.as_ref().map(|s| s.name.as_str()),
            Some("Ines Duarte"),
            "{cue}"
        );
    }
    assert!(run("The quay will reopen in March, Ines Duarte hopes.").is_empty());
    for hedge in corroborate_lexicon::words("en", "hedges") {
        let sentence = format!("The quay {hedge} reopened in March.");
        assert!(HEDGES.is_match(&sentence), "{hedge}");
        assert!(HEDGES.is_match(&sentence.replace('\'', "’")), "{hedge}");
    }
    assert!(!HEDGES.is_match("The quay reopened in March, the harbour master said."));
}

#[test]
fn direct_quote_with_trailing_attribution() {
    let s = run("“We will rebuild the pier before summer,” Mayor Ana Lopes said on Monday.");
    assert_eq!(s.len(), 1);
    assert!(s[0].direct);
    assert_eq!(s[0].text, "We will rebuild the pier before summer,");
    assert_eq!(s[0].speaker.as_ref().unwrap().name, "Ana Lopes");
    assert_eq!(s[0].cue.as_ref().unwrap().text, "said");
}

#[test]
fn intro_paragraph_and_continued_quotes() {
    let text = "In her evening address, harbour master Ines Duarte said:\n\n‘The damage is worse than we thought at first.\n\n‘We need at least two weeks to make it safe.’";
    let s = run(text);
    let direct: Vec<&Statement> = s.iter().filter(|s| s.direct).collect();
    assert_eq!(direct.len(), 2, "{s:#?}");
    for d in &direct {
        assert_eq!(d.speaker.as_ref().unwrap().name, "Ines Duarte");
        assert_eq!(d.channel.as_deref(), Some("evening address"));
    }
}

#[test]
fn a_quote_going_on_after_its_attribution_continues_it() {
    let text = "“The quay is closed,” harbour master Ines Duarte said. “We need two weeks.” \
                “It is safe now,” Rui Matos said. “Ships can dock,” he added.";
    let s = run(text);
    let direct: Vec<(&str, bool)> = s
        .iter()
        .filter(|s| s.direct)
        .map(|s| (s.speaker.as_ref().unwrap().name.as_str(), s.continues))
        .collect();
    assert_eq!(
        direct,
        [
            ("Ines Duarte", false),
            // Same speaker, nothing quoted between, no cue of its own.
            ("Ines Duarte", true),
            // Another speaker.
            ("Rui Matos", false),
            // Its own cue ("he added"): a new act of saying.
            ("Rui Matos", false),
        ],
        "{s:#?}"
    );
}

#[test]
fn indirect_speech_and_name_resolution() {
    let text = "President Ana Lopes said that the bridge would reopen in March. Later, Lopes claimed that the contractor had lied about the costs. The newspaper could not confirm the claim.";
    let s = run(text);
    assert_eq!(s.len(), 2, "{s:#?}");
    assert_eq!(s[1].speaker.as_ref().unwrap().name, "Ana Lopes");
    assert!(
        s[1].hedges.contains(&"could not confirm".to_string()),
        "{:?}",
        s[1].hedges
    );
    assert_eq!(s[0].text, "the bridge would reopen in March");
}

/// The speaker's name of the first statement whose text holds `words`.
fn speaker_of(s: &[Statement], words: &str) -> Option<String> {
    s.iter()
        .find(|x| x.text.contains(words))
        .and_then(|x| x.speaker.as_ref())
        .map(|p| p.name.clone())
}

/// The speaker mention (as written) of each direct quote.
fn direct_speakers(text: &str) -> Vec<(String, Option<String>)> {
    let chars: Vec<char> = text.chars().collect();
    run(text)
        .iter()
        .filter(|s| s.direct)
        .map(|s| {
            let spk = s
                .speaker
                .as_ref()
                .map(|p| chars[p.start..p.end].iter().collect());
            (s.text.clone(), spk)
        })
        .collect()
}

#[test]
fn mixed_marks_appositives_and_reported_pronouns() {
    // A curly opener closed by a straight mark; an age as appositive.
    let text = "“The ferry must run every hour in summer,\" Councillor Rui Matos (Harbour Party) said.\n\n\
        \"We were never told about the closure of the pier,\" Ana Reis, 31, said on the quay.\n\n\
        Duarte said she recalled thinking, “This is the worst storm the harbour has seen.”";
    let got = direct_speakers(text);
    let names: Vec<Option<&str>> = got.iter().map(|(_, s)| s.as_deref()).collect();
    assert_eq!(
        names,
        [
            Some("Councillor Rui Matos"),
            Some("Ana Reis"),
            Some("Duarte")
        ],
        "{got:?}"
    );
}

#[test]
fn quote_inside_a_sentence_takes_its_subject_not_the_next_sentence() {
    let text = "In recent weeks, Duarte has gone after the port board as a “club that never meets on time” at every meeting.\n\n\
        Reyes says the board’s “decision to close the quay was taken far too late.” She says the board ignored the warnings.";
    let got = direct_speakers(text);
    let names: Vec<Option<&str>> = got.iter().map(|(_, s)| s.as_deref()).collect();
    assert_eq!(names, [Some("Duarte"), Some("Reyes")], "{got:?}");
}

#[test]
fn reported_fragments_family_speakers_and_mistyped_openers() {
    // A short quote inside reported speech is kept, with its speaker.
    let text = "Duarte said the harbour board was “a disgrace” and “a club”.\n\n\
        \"We sail when the sea allows,\" my father often said.\n\n\
        ”The port must stay open all winter, whatever it costs.” ― Lena Sorensen";
    let got = direct_speakers(text);
    assert_eq!(
        got,
        [
            ("a disgrace".to_string(), Some("Duarte".to_string())),
            (
                "We sail when the sea allows,".to_string(),
                Some("my father".to_string())
            ),
            (
                "The port must stay open all winter, whatever it costs.".to_string(),
                Some("Lena Sorensen".to_string())
            ),
        ]
    );
    // A scare quote with no report around it is not a statement.
    assert!(direct_speakers("The “premium” ferry costs more.").is_empty());
}

#[test]
fn a_colon_intro_without_a_cue_verb_names_its_subject() {
    let text = "On 6 July, Tomas Reyes made the following comment:\n\n“The harbour will not reopen before the pilots are back at work.”";
    let got = direct_speakers(text);
    assert_eq!(got[0].1.as_deref(), Some("Tomas Reyes"), "{got:?}");
}

#[test]
fn according_to_and_pronouns() {
    let s = run("About 300 people were evacuated, according to the regional fire service. He said the fire was under control by midnight.");
    assert_eq!(s[0].speaker.as_ref().unwrap().name, "regional fire service");
    assert_eq!(s[0].text, "About 300 people were evacuated");
}

#[test]
fn attribution_forms_beyond_said_x() {
    let text = "“Why is the pier still closed to the public?” Ines Duarte demanded.\n\n\
        “We need the pier open before the season starts,” said Tomas Reyes, a harbour pilot. “Every week costs us.”\n\n\
        The mayor defended the delay, saying, “Safety checks take time and cannot be rushed.”\n\n\
        “The port will reopen when the air is clean again.” ― Lena Sorensen";
    let s = run(text);
    // The speaker's mention in the text (resolution is tested above).
    let chars: Vec<char> = text.chars().collect();
    let speakers: Vec<(&str, String)> = s
        .iter()
        .filter(|s| s.direct)
        .map(|s| {
            let p = s.speaker.as_ref().expect("a speaker");
            (s.text.as_str(), chars[p.start..p.end].iter().collect())
        })
        .collect();
    assert_eq!(
        speakers,
        [
            (
                "Why is the pier still closed to the public?",
                "Ines Duarte".into()
            ),
            (
                "We need the pier open before the season starts,",
                "Tomas Reyes".into()
            ),
            ("Every week costs us.", "Tomas Reyes".into()),
            (
                "Safety checks take time and cannot be rushed.",
                "The mayor".into()
            ),
            (
                "The port will reopen when the air is clean again.",
                "Lena Sorensen".into()
            ),
        ],
        "{s:#?}"
    );
}

#[test]
fn inverted_cues_connectives_and_days_are_not_names() {
    let text = "The ferry plan divided the council. Said Marta Quill: “Nobody asked the islanders what they need.”\n\n\
        “Let them wait another winter,” But Oren Vale said on Monday.\n\n\
        Ada Brin sings to the crowd before asking them, “Where will the ferry go from here?”";
    let s = run(text);
    let chars: Vec<char> = text.chars().collect();
    let speakers: Vec<String> = s
        .iter()
        .filter(|s| s.direct)
        .map(|s| {
            let p = s.speaker.as_ref().expect("a speaker");
            chars[p.start..p.end].iter().collect()
        })
        .collect();
    assert_eq!(speakers, ["Marta Quill", "Oren Vale", "Ada Brin"], "{s:#?}");
    assert_eq!(clean_speaker("Monday"), None);
    assert_eq!(clean_speaker("When Patriot"), Some("Patriot"));
}

#[test]
fn name_keys_fold_spelling_variants() {
    assert_eq!(name_key("Zelensky"), name_key("Volodymyr Zelenskyy"));
    assert_ne!(name_key("Patrick Ryder"), name_key("Matthew Miller"));
    assert_ne!(
        name_key("South Korean intelligence"),
        name_key("Ukraine's military intelligence")
    );
}

#[test]
fn offsets_are_in_chars() {
    let text = "Ünïcödé “Здравствуйте, мир и все люди,” Ana Lopes said.";
    let s = run(text);
    let chars: Vec<char> = text.chars().collect();
    let got: String = chars[s[0].start..s[0].end].iter().collect();
    assert_eq!(got, s[0].text);
}

/// "He" refers to the person who spoke or was introduced by a role, not to
/// a capitalised run that merely ends in the same word ("Varnish" in
/// "Varnish forces", "Tollen-Varnish" in a later paragraph).
#[test]
fn a_pronoun_refers_to_a_person_not_to_a_capitalised_run() {
    let text = "Ines Duarte, the council's coordinator, said Varnish forces had moved to “front lines” this week. \
        He acknowledged that exact numbers are unavailable, with estimates suggesting “dozens of casualties.”\n\n\
        Port spokesperson Oren Vale confirmed the losses. Sending Varnish troops abroad, he added, is a “further escalation.”\n\n\
        When questioned about Tollen-Varnish ties, Vale noted that Tollen has leverage.";
    let s = run(text);
    let said = |quote: &str| speaker_of(&s, quote);
    assert_eq!(said("dozens").as_deref(), Some("Ines Duarte"), "{s:#?}");
    assert_eq!(
        said("further escalation").as_deref(),
        Some("Oren Vale"),
        "{s:#?}"
    );
    assert_eq!(said("leverage").as_deref(), Some("Oren Vale"), "{s:#?}");
    assert!(s
        .iter()
        .all(|x| x.speaker.as_ref().is_none_or(|p| p.name != "When")));
}

#[test]
fn a_definite_role_refers_back_to_the_person_even_with_a_capitalised_modifier() {
    let text = "Varnish President Ines Duarte said on Monday that the port would reopen. \
        The Varnish president wrote that the harbour had been cleared of wreckage overnight. \
        The president's spokesman said that the ferries would run again by Friday.";
    let s = run(text);
    let said = |words: &str| speaker_of(&s, words);
    assert_eq!(said("harbour").as_deref(), Some("Ines Duarte"), "{s:#?}");
    // A possessive's head is another person, not the one named.
    assert_ne!(said("ferries").as_deref(), Some("Ines Duarte"), "{s:#?}");
}

#[test]
fn a_reporters_pronoun_is_not_the_group_named_before_it() {
    let text = "Correspondent Ines Duarte said at least 500 Tollen Rangers took part in the assault.\n\n\
        The defenders held the bridge until dawn, according to Duarte.\n\n\
        The Tollen Rangers’ losses were so heavy that trucks carried the fallen away, she reported.";
    let s = run(text);
    let said = |words: &str| speaker_of(&s, words);
    assert_eq!(said("trucks").as_deref(), Some("Ines Duarte"), "{s:#?}");
}

#[test]
fn an_organisation_named_across_for_the_keeps_its_whole_name() {
    let s = run("The Institute for the Study of Tides (IST), a research group, has said that the harbour will flood twice this winter. \
        “We have a lot of ground to cover,” said a longtime adviser to the mayor.");
    assert_eq!(
        speaker_of(&s, "harbour").as_deref(),
        Some("Institute for the Study of Tides"),
        "{s:#?}"
    );
    assert_eq!(
        speaker_of(&s, "ground").as_deref(),
        Some("a longtime adviser"),
        "{s:#?}"
    );
}

/// A title run before a name goes, whatever nationality opens it; a body
/// keeps its words.
#[test]
fn titles_go_and_bodies_keep_their_words() {
    use crate::speakers::strip_roles;
    assert_eq!(strip_roles("Varnish President Jane Doe"), "Jane Doe");
    assert_eq!(
        strip_roles("Port spokesperson Maj. Gen. Oren Vale"),
        "Oren Vale"
    );
    assert_eq!(
        strip_roles("South Varnish intelligence"),
        "South Varnish intelligence"
    );
    assert_eq!(clean_speaker("When"), None);
    assert_eq!(clean_speaker("While"), None);
    // A prepositional phrase is where or when, in either case.
    assert_eq!(clean_speaker("in shot"), None);
    assert_eq!(clean_speaker("On Monday"), None);
    let s = run("Around 3,000 troops had arrived by May, according to South Varnish intelligence.");
    assert_eq!(
        s[0].speaker.as_ref().unwrap().name,
        "South Varnish intelligence"
    );
}

/// Speakers that are descriptions, not names: a cue then "a longtime
/// adviser …", a possessive role, "a young woman" before the cue; and a
/// name with a colon opening the quote's sentence.
#[test]
fn descriptions_and_labels_speak() {
    let who = |text: &str| -> Vec<Option<String>> {
        run(text)
            .into_iter()
            .filter(|s| s.direct)
            .map(|s| s.speaker.map(|s| s.name))
            .collect()
    };
    assert_eq!(
        who("“We have a lot of ground to cover,” said a longtime adviser to the mayor, who asked not to be named."),
        [Some("a longtime adviser".to_string())]
    );
    assert_eq!(
        who("“We are treating March as one long polling day,” said Lind’s deputy campaign manager, Ole Brant."),
        [Some("Lind’s deputy campaign manager".to_string())]
    );
    assert_eq!(
        who("“Oh, my goodness, the tram is back,” a young woman exclaimed on the platform."),
        [Some("a young woman".to_string())]
    );
    assert_eq!(
        who("“From day one I made the ferries my priority,” the bespectacled, 71-year-old mayor said."),
        [Some("bespectacled, 71-year-old mayor".to_string())]
    );
    assert_eq!(
        who(
            "“We are shocked, she was a friend to us,” one Harbour Line employee told local radio."
        ),
        [Some("one Harbour Line employee".to_string())]
    );
    assert_eq!(
        who("Lind: “Our goal is to reopen every ferry line by June.”"),
        [Some("Lind".to_string())]
    );
}

/// A lone function word opening the sentence is no one: "But their
/// chants of “…” were cut short" has no speaker named "But".
#[test]
fn a_function_word_is_no_speaker() {
    for s in run("But their chants of “Ferries now, ferries now” were cut short by the siren.")
    {
        let name = s.speaker.map(|s| s.name);
        assert!(
            !matches!(name.as_deref(), Some("But" | "The" | "More")),
            "{name:?}"
        );
    }
    assert_eq!(clean_speaker("But"), None);
    assert_eq!(clean_speaker("The"), None);
    assert_eq!(clean_speaker("he"), Some("he"));
    assert_eq!(
        clean_speaker("a spokesman for the port"),
        Some("a spokesman")
    );
}
