//! Tests of the `text` module.

use super::*;

const PAGE: &str = "\
MENU
Skip to content
Harbour Times
Ferry service suspended after storm damages pier in Norhaven
Ferry service suspended after storm damages pier in Norhaven
By Ada Lindqvist
3 minute read
The storm hit the coast late on Sunday and tore away part of the main pier, officials said.
Harbour master Piet Olsen said repairs would take at least two weeks.
A damaged section of the pier (Photo: Harbour Times)
“We will reopen as soon as it is safe,” he told reporters on Monday.
See also Ten best beaches on the coast
Share this article
Related:
Storm warnings issued for the whole region this weekend.
Copyright © 2024 Harbour Times
";

#[test]
fn keeps_prose_and_drops_furniture() {
    let c = clean(PAGE);
    assert_eq!(
        c.title.as_deref(),
        Some("Ferry service suspended after storm damages pier in Norhaven")
    );
    assert_eq!(c.paragraphs.len(), 3, "{:#?}", c.paragraphs);
    assert!(c.paragraphs[0].starts_with("The storm hit"));
    assert!(c.paragraphs[2].starts_with("“We will reopen"));
    for gone in [
        "See also",
        "Share this",
        "Photo:",
        "Storm warnings",
        "Copyright",
        "minute read",
    ] {
        assert!(!c.paragraphs.iter().any(|p| p.contains(gone)), "{gone}");
        assert!(c.removed.iter().any(|p| p.contains(gone)), "{gone}");
    }
}

#[test]
fn chinese_paragraphs_are_prose() {
    // Written without spaces: each paragraph is one whitespace token.
    let page = "首页\n新闻\n体育\n诺港渡轮因风暴停航\n周日晚间的风暴摧毁了诺港主码头的一部分，港务局官员周一表示，维修工作至少需要两周时间。\n港务局长奥尔森说，渡轮将在码头安全后尽快恢复运营，乘客可以改乘临时巴士。\n当地商会估计，停航期间每天的损失约为十万元，主要影响旅游业和货运。\n分享到微信\n";
    let c = clean(page);
    assert_eq!(c.paragraphs.len(), 3, "{c:#?}");
    assert!(c.paragraphs[0].starts_with("周日晚间"));
    assert_eq!(c.title.as_deref(), Some("诺港渡轮因风暴停航"));
}

#[test]
fn a_one_paragraph_page_keeps_its_headline() {
    let c = clean("Rovers name Mia Ström permanent coach\n\nThe club said on Monday that the assistant coach would take charge for the rest of the season.\n");
    assert_eq!(
        c.title.as_deref(),
        Some("Rovers name Mia Ström permanent coach")
    );
    assert_eq!(c.paragraphs.len(), 1);
}

/// Sentences of a fictional article, one per line.
fn prose(from: usize, n: usize) -> String {
    (from..from + n)
        .map(|i| format!("The harbour board met for the {i}th time on Monday and agreed that the ferry pier would reopen after the storm repairs were done.\n"))
        .collect()
}

#[test]
fn a_tail_heading_above_or_inside_the_article_does_not_end_it() {
    // A share bar with a comment count above the body, a "Read More"
    // link inside it; then the real end.
    let page = format!(
        "Pier to reopen after storm\nShares\nComments (32)\n{}Read More\n{}Related articles\nAnother story about trains\n",
        prose(0, 3),
        prose(3, 4)
    );
    assert_body(&page, 7, "trains");
}

/// `line` between two paragraphs and two more is kept: a paragraph
/// starts with `start`.
fn assert_kept_between(line: &str, start: &str) {
    let page = format!(
        "Pier to reopen after storm\n{}{line}{}",
        prose(0, 2),
        prose(2, 2)
    );
    let c = clean(&page);
    assert!(c.paragraphs.iter().any(|p| p.starts_with(start)), "{c:#?}");
}

/// `page` keeps `n` paragraphs, none of them holding `gone`.
fn assert_body(page: &str, n: usize, gone: &str) {
    let c = clean(page);
    assert_eq!(c.paragraphs.len(), n, "{c:#?}");
    assert!(!c.paragraphs.iter().any(|p| p.contains(gone)), "{c:#?}");
}

#[test]
fn an_authors_bio_as_the_last_paragraph_is_the_pages() {
    let bio = "Ana Lopes is a senior reporter for the Harbour Times, covering ferries and ports.\n";
    let page = format!("Pier to reopen after storm\n{}{bio}", prose(0, 4));
    assert_body(&page, 4, "Ana Lopes");
    // The same sentence inside the article is text.
    assert_kept_between(bio, "Ana Lopes");
}

#[test]
fn an_author_box_ends_the_article_when_related_posts_follow_it() {
    let bio = "Ana Lopes is a senior reporter for the Harbour Times, covering ferries and ports.\n";
    let related = "12 March 2024 Harbour desk: the old lighthouse will be painted red and white again this spring, the board said.\n\
                   11 March 2024 Harbour desk: ferry tickets will cost a little more from April, the operator told passengers.\n";
    let page = format!("Pier to reopen after storm\n{}{bio}{related}", prose(0, 5));
    assert_body(&page, 5, "Harbour desk");
    // Near the top, before most of the article, the same sentence is text.
    let page = format!(
        "Pier to reopen after storm\n{}{bio}{}",
        prose(0, 1),
        prose(1, 4)
    );
    let c = clean(&page);
    assert!(
        c.paragraphs.iter().any(|p| p.starts_with("Ana Lopes")),
        "{c:#?}"
    );
}

#[test]
fn a_line_that_begins_the_first_paragraphs_sentence_is_kept() {
    // A renderer broke the opening sentence at an inline element.
    let page = format!(
        "Pier to reopen after storm | Harbour Times\nNews\nPier to reopen after storm\nAfter a long night, the harbour board\nmet for the first time on Monday and agreed that the ferry pier would reopen after the storm.\n{}",
        prose(1, 3)
    );
    let c = clean(&page);
    assert!(
        c.paragraphs[0].starts_with("After a long night, the harbour board"),
        "{c:#?}"
    );
    // A complete line above a paragraph that opens in capitals is not.
    let page = format!(
        "Pier to reopen after storm\nHarbour news today\n{}",
        prose(0, 3)
    );
    assert_body(&page, 3, "Harbour news");
}

#[test]
fn links_joined_by_pipes_are_soup_whatever_ends_them() {
    let menu = "Hafen | Fähren | Wetter | Alles klar?";
    assert!(is_soup(menu, words(menu)));
    let prose = "The ferry | as locals call it | is back?";
    assert!(!is_soup(prose, words(prose)));
}

#[test]
fn an_embedded_post_ending_in_its_picture_link_is_prose() {
    let post =
        "The harbour master posted that the pier will reopen on Friday. pic.twitter.com/AbC123\n";
    assert_kept_between(post, "The harbour master posted");
    assert!(ends_like_prose(
        "The ferry is back and we could not be happier 😉"
    ));
    assert!(ends_like_prose(
        "The ferry is back and we could not be happier :)"
    ));
    assert!(!ends_like_prose(
        "The ferry is back and we could not be happier"
    ));
    assert_eq!(without_trailing_link("See https://example.org"), "See");
    assert_eq!(
        without_trailing_link("https://example.org"),
        "https://example.org"
    );
}

#[test]
fn prose_after_a_wide_gap_below_the_article_is_the_pages() {
    // No tail heading: the article's run of paragraphs ends, a block of
    // links follows, then an author box written as prose.
    let page = format!(
        "Pier to reopen after storm\n{}Harbour\nFerries\nWeather\nEvents\nContact\nAna Lopes is a reporter who has covered the harbour and its ferries for ten years.\n",
        prose(0, 5)
    );
    assert_body(&page, 5, "reporter");
}

/// The paragraphs `clean` keeps of a page with `list` (lines) between
/// four paragraphs and two more.
fn with_list(list: &str) -> Vec<String> {
    let page = format!(
        "Pier to reopen after storm\n{}{list}{}",
        prose(0, 4),
        prose(4, 2)
    );
    clean(&page).paragraphs
}

#[test]
fn a_list_between_paragraphs_is_kept_and_is_no_gap() {
    let kept = with_list("The board decided on the following works for the pier this spring:\n* New piles for the outer berth\n* A second gangway for cars\n1. Repair the fuel dock\n2. Repaint the waiting room\n3. Replace the ticket office\n4. Test the new lights\n");
    for want in ["1. Repair the fuel dock", "New piles for the outer berth"] {
        assert!(kept.iter().any(|p| p == want), "{want}: {kept:#?}");
    }
    assert!(kept.iter().any(|p| p.contains("the 5th time")), "{kept:#?}");
}

#[test]
fn list_items_inside_the_article_are_kept_under_a_subheading() {
    let kept = with_list("What the board decided\n* New piles for the outer berth\n* A second gangway for cars\n* Home\n");
    assert!(
        kept.iter().any(|p| p == "New piles for the outer berth"),
        "{kept:#?}"
    );
    // A one-word item is a menu's, not the article's.
    assert!(!kept.iter().any(|p| p == "Home"), "{kept:#?}");
}

#[test]
fn the_headline_repeated_in_a_latest_posts_list_is_not_the_header() {
    let page = format!(
        "Harbour Blog\nPier to reopen after storm\nBy Ana | 3 May 2025\n{}Latest posts\n* Pier to reopen after storm\n* Another post\n",
        prose(0, 8)
    );
    let c = clean(&page);
    assert_eq!(c.title.as_deref(), Some("Pier to reopen after storm"));
    assert_eq!(c.paragraphs.len(), 8, "{c:#?}");
}

#[test]
fn blog_comment_forms_are_furniture() {
    for line in [
        "Deine E-Mail-Adresse wird nicht veröffentlicht. Erforderliche Felder sind mit * markiert.",
        "Diese Website verwendet Akismet, um Spam zu reduzieren.",
        "This entry was posted in News and tagged harbour. Bookmark the permalink.",
        "Votre adresse e-mail ne sera pas publiée.",
        "LE PUEDE INTERESAR: La nueva terminal del puerto abre en mayo",
        "Lesen Sie auch: Neue Fähre für die Insel",
        "Für Links auf dieser Seite erhält das Magazin ggf. eine Provision vom Händler.",
        "War der Artikel hilfreich?",
        "← Neue Fähre für die Insel Der Hafen im Winter →",
        "If you liked this story, would you consider supporting the Harbour Times?",
        "Klicken Sie auf den Button, um den Inhalt von www.karten.example zu laden.",
        "Externer Inhalt",
        "Harbour Times would like to send you push notifications.",
        "Artikel gefallen? Vergiss nicht zu teilen!",
        "Sie müssen sich anmelden, um Kommentare zu schreiben.",
        "Mit der Anmeldung stimme ich der Verarbeitung meiner Daten gemäß der Datenschutzerklärung zu.",
        "Vous avez lu 2 des 5 articles gratuits ce mois-ci.",
        "Materiał chroniony prawem autorskim.",
        "© 2025 Hafenblatt. Alle Rechte vorbehalten.",
        "Follow the Harbour Times on Twitter and Instagram",
        "Submit your letter to the editor via this form.",
        "Pour lire la suite de cet article, abonnez-vous.",
        "Instant access to the full article PDF.",
        "Rezept drucken Bei Pinterest speichern",
        "Inhaltsverzeichnis",
        "Kategorie: Hafen",
        "Quelle: Hafenamt Norhaven",
        "(Alle Angaben ohne Gewähr)",
        "Warning: Undefined variable $x in /var/www/index.php on line 12",
        "To view the full story, please subscribe to the Harbour Times.",
        "Get the latest news straight to your phone with the Harbour Times app.",
        "Anzeige, enthält Affiliate Links",
        "PUEDES VER: La nueva terminal del puerto",
        "Mehr zum Hafen-Radweg",
        "Der Artikel wurde erfolgreich hinzugefügt.",
        "Es werden die Artikel 1 bis 10 von insgesamt 19 angezeigt!",
        "11 responses to “The pier at night”",
        "Get the Harbour Times daily edition by email and never miss our top stories. Free sign up",
        "Alle Beiträge stehen unter einer Creative-Commons-Lizenz.",
        "Wie bewerten Sie diesen Artikel?",
        "Please donate today to keep the Harbour Times free.",
        "Bitte teilen Sie uns Ihre Erfahrungen mit dem neuen Fahrplan mit.",
        "You are using a browser version with limited support for CSS.",
        "Senior reporter. You can keep up with me on Twitter: @harbour",
        "… weiter zu \"Die neue Fähre\"",
        "Pressemitteilung als PDF",
        "Para comentar debes registrarte.",
        "Weitere Informationen:",
        "Failed to load latest commit information.",
        "ana/PAP",
        "Help us continue to bring you the harbour news.",
        "Weitere Meldungen aus der Rubrik Hafen:",
        "Wir respektieren deine Privatsphäre und laden die Karte nicht ohne dein Einverständnis.",
        "Lesen Sie das Hafenblatt digital in der App (iTunes und Google Play).",
    ] {
        assert!(is_furniture(line, words(line)), "{line}");
    }
    for heading in [
        "Die meistgelesenen Artikel bei Hafenblatt.example",
        "Meistkommentiert",
    ] {
        assert!(TAIL.is_match(heading), "{heading}");
    }
    // Prose that mentions the same words stays, and so does a sentence
    // that gives an address to write to.
    for prose in [
        "The ferry company said it would load the new vessel with cargo on Monday.",
        "Passengers can claim a refund by writing to refunds@ferries.example before May.",
        "The ferry company said it would donate the old gangway to the harbour museum.",
        "Quelle der Zahlen ist das Hafenamt, das die Fähren seit 1990 zählt und jedes Jahr berichtet.",
    ] {
        assert!(!is_furniture(prose, words(prose)), "{prose}");
    }
}

#[test]
fn photo_credits_in_other_languages_are_captions() {
    for line in [
        "Der neue Anleger am Dienstag. (Foto: Ana Lopes/Hafenamt)",
        "Die Fähre im Hafen. © Hafenamt",
        "Nowy prom w porcie. Zdjęcie: Ana Lopes",
        "Die neue Fähre im Abendrot. Bild: AnaL/Shutterstock.com",
        "Der Hafen im Winter (Symbolbild).",
        "Puerto de Norhaven. Foto: Archivo El Puerto.",
        "Abbildung 4: Der Anleger vor und nach dem Sturm",
        "Ana Lopes (links im Bild) und Piet Olsen am neuen Anleger.",
        "Le nouveau quai du port / (C) Ana Lopes",
    ] {
        assert!(CAPTION.is_match(line), "{line}");
    }
    assert!(!CAPTION.is_match("The harbour board said the ferry would run again in May."));
}

#[test]
fn header_metadata() {
    let now = chrono::Utc::now();
    let f = extract(&PAGE.replace("3 minute read", "17/12/2024"), now);
    assert_eq!(f.author.as_deref(), Some("Ada Lindqvist"));
    assert_eq!(f.site.as_deref(), Some("Harbour Times"));
    assert_eq!(
        f.published.map(|d| d.format("%F").to_string()).as_deref(),
        Some("2024-12-17")
    );
}

#[test]
fn a_name_above_an_address_signs_the_article() {
    let removed = |lines: &[&str]| lines.iter().map(|l| l.to_string()).collect::<Vec<_>>();
    assert_eq!(
        signature(&removed(&[
            "Comments",
            "Mira Olsen",
            "mira@valleycourier.example"
        ]))
        .as_deref(),
        Some("Mira Olsen")
    );
    assert_eq!(
        signature(&removed(&[
            "Contact Us",
            "Write to tips@valleycourier.example"
        ])),
        None
    );
    assert_eq!(signature(&removed(&["Mira Olsen", "Comments"])), None);
}

#[test]
fn an_outlet_speaking_of_itself_names_the_outlet() {
    assert!(INSTITUTION_WORDS.windows(2).all(|w| w[0] < w[1]), "sorted");
    let body = "Officials said the bridge closed. The Valley Courier could not independently verify the footage.";
    assert_eq!(self_reference(body).as_deref(), Some("The Valley Courier"));
    assert_eq!(
        self_reference("The Harbour Gazette has reached out to the port authority for comment.")
            .as_deref(),
        Some("The Harbour Gazette")
    );
    // Institutions say the same of themselves; a person is not "The …".
    assert_eq!(
        self_reference("The Defence Ministry could not confirm the losses."),
        None
    );
    assert_eq!(
        self_reference("The Pentagon could not confirm the report."),
        None
    );
    assert_eq!(
        self_reference("Mira Olsen could not confirm the figure."),
        None
    );
    // Mid-sentence "the" is not a name at the start of a sentence.
    assert_eq!(
        self_reference("He said that the Courier could not confirm it."),
        None
    );
    // Found in a scraped page that names no outlet otherwise.
    let page = "Ferry pier closes after storm\n\nThe ferry pier at Norhaven closed on Monday after the storm damaged its deck, the harbour master said in a statement to reporters.\n\nThe Norhaven Ledger could not confirm the extent of the damage, which residents described as severe in posts and photographs shared online.\n";
    assert_eq!(
        extract(page, chrono::Utc::now()).site.as_deref(),
        Some("The Norhaven Ledger")
    );
}

#[test]
fn a_contact_address_names_the_outlet_unless_it_is_webmail() {
    assert!(
        WEBMAIL.windows(2).all(|w| w[0] < w[1]),
        "sorted, no duplicates"
    );
    assert_eq!(
        contact_domain("Mira Olsen mira@valleycourier.example").as_deref(),
        Some("valleycourier.example")
    );
    assert_eq!(contact_domain("Tips: reader.tips@gmail.com"), None);
    assert_eq!(contact_domain("Follow us @valleycourier"), None);
}

#[test]
fn section_words_are_sorted_and_a_section_is_no_outlet() {
    assert!(
        SECTION_WORDS.windows(2).all(|w| w[0] < w[1]),
        "sorted, no duplicates"
    );
    assert!(is_section_name("News UK") && is_section_name("World"));
    assert!(!is_section_name("The Valley Courier") && !is_section_name("Harbour Times"));
}

#[test]
fn a_long_headline_in_title_case_is_the_title() {
    let page = "Home About Contact\n\nFlood Soldiers Are Dying in Northern Valley – Army’s Cover-Up Is Even Worse\n\n\
        The regional government has confirmed that soldiers sent to the flooded valley died when a dam broke, officials said on Monday.\n\n\
        A spokesman said the soldiers had been deployed last week to build barriers against the rising river near the town.\n";
    let c = clean(page);
    assert_eq!(
        c.title.as_deref(),
        Some("Flood Soldiers Are Dying in Northern Valley – Army’s Cover-Up Is Even Worse")
    );
    // A menu of capitalised links stays a menu.
    assert!(!is_title_like(
        "Home News Sport Weather Culture Travel Business Money Video",
        9
    ));
}

#[test]
fn republishing_is_noticed() {
    let page = "A headline about a thing happening today\nThe mayor previously told Metro that the plan was final and would not change.\nA second paragraph of the article follows here with more words.\nSource Link Website\n";
    let f = extract(page, chrono::Utc::now());
    assert_eq!(f.republished_from.as_deref(), Some("Metro"));
    // The same reporting phrase in an original article is no notice.
    let original = page.replace("Source Link Website\n", "");
    let f = extract(&original, chrono::Utc::now());
    assert_eq!(f.republished_from, None);
}

/// Every furniture alternative of every language compiles on its own
/// and stays off prose: no line of news prose, in the languages of the
/// tables, matches any of them.
#[test]
fn furniture_tables_compile_and_spare_prose() {
    let prose = [
        "The harbour master said the pier would reopen after engineers inspected it.",
        "Der Hafenmeister sagte, die Fähre fahre erst wieder, wenn der Pier geprüft sei.",
        "Le capitaine du port a déclaré que le ferry ne circulerait pas avant mardi.",
        "El capitán del puerto dijo que el ferry no funcionará hasta el martes.",
        "Il capitano del porto ha detto che il traghetto non partirà fino a martedì.",
        "Kapitan portu powiedział, że prom nie popłynie przed wtorkiem.",
        "De havenmeester zei dat de veerboot pas dinsdag weer vaart.",
    ];
    for t in corroborate_lexicon::tables("furniture") {
        for e in &t.entries {
            let re = regex::RegexBuilder::new(&format!("(?x){}", e.text))
                .case_insensitive(true)
                .build()
                .unwrap_or_else(|err| panic!("{}/furniture.txt:{}: {err}", t.lang, e.line));
            for p in prose {
                assert!(
                    !re.is_match(p),
                    "{}/furniture.txt:{} matches {p:?}",
                    t.lang,
                    e.line
                );
            }
        }
    }
    assert!(is_furniture_line("Share this article"));
}

proptest::proptest! {
    #[test]
    fn trim_is_str_trim(line in "[a \t\n\r\u{b}\u{c}\u{85}\u{a0}é\u{2009}\u{3000}]{0,12}") {
        proptest::prop_assert_eq!(trim(&line), line.trim());
    }
    #[test]
    fn has_separator_finds_the_four(line in "[a |\\-–—]{0,12}") {
        let want = [" | ", " - ", " – ", " — "].iter().any(|p| line.contains(p));
        proptest::prop_assert_eq!(has_separator(&line), want);
    }
    /// The one-pass key is the hash of the line's words, lower-cased
    /// and joined by single spaces, and its count is `words`.
    #[test]
    fn key_is_the_lowercased_words(line in "[aB \t\n\r\u{b}\u{c}\u{85}\u{a0}ÉéΣ诺港\u{2009}\u{3000}|-]{0,40}|[aBz |-]{0,40}|[aB ]{0,30}[\t\n\u{b}]?") {
        let head = match has_separator(&line).then(|| site_suffix(&line)).flatten() {
            Some((start, _)) => &line[..start],
            None => &line,
        };
        // Character by character: no final-sigma rule.
        let want: Vec<String> = head
            .split_whitespace()
            .map(|w| w.chars().flat_map(char::to_lowercase).collect())
            .collect();
        let want = std::hash::BuildHasher::hash_one(&rustc_hash::FxBuildHasher, want.join(" ").as_bytes());
        proptest::prop_assert_eq!(key(&line, &mut Vec::new()), (want, words(&line)));
    }
    /// The hand-written " | Site" finder agrees with the regex it replaced.
    #[test]
    fn site_suffix_matches_its_regex(line in "([A-Za-zé]{0,12}[ \t]{0,3}[|–—-]?[ ]{0,3}){0,6}") {
        static RE: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r"\s+[|–—-]\s+([^|–—-]{2,40})$").unwrap());
        let want = RE.captures(&line).map(|c| (c.get(0).unwrap().start(), c[1].trim().to_string()));
        let got = site_suffix(&line).map(|(start, site)| (start, site.to_string()));
        proptest::prop_assert_eq!(got, want);
    }

    /// The two automata of the furniture phrases match exactly the
    /// lines the one alternation matches.
    #[test]
    fn split_furniture_matches_as_one_alternation(words in proptest::collection::vec(
        "(share|this|article|see|also|read|more|newsletter|tags:|foto:|©|2024|-|\\||sign|up|donate|now|weiter|zu|…|Über|den|Autor|cookie|the|hafen|pier|\\(links\\)|pdf|als|kategorie:)", 0..8)) {
        static ONE: LazyLock<Regex> = LazyLock::new(|| {
            regex::RegexBuilder::new(&format!("(?ix){}", furniture_pattern())).build().unwrap()
        });
        let line = words.join(" ");
        let split = FURNITURE.0.is_match(&line) || FURNITURE.1.is_match(&line);
        proptest::prop_assert_eq!(split, ONE.is_match(&line), "{}", line);
    }

    /// Every non-empty line ends up either in the body or among the removed lines.
    #[test]
    fn lines_are_partitioned(lines in proptest::collection::vec("[A-Za-z .,“”]{0,60}", 0..30)) {
        let text = lines.join("\n");
        let c = clean(&text);
        let nonempty = text.lines().map(|l| strip_bullet(trim(l))).filter(|l| !l.is_empty()).count();
        proptest::prop_assert_eq!(c.paragraphs.len() + c.removed.len(), nonempty);
    }
}

/// `TEXT_DEBUG=page.txt cargo test -p corroborate-extract --lib text_debug
/// -- --ignored --nocapture`: each line of a page with what the classifier
/// makes of it (K kept, . removed; then the tests that fire).
#[cfg(test)]
#[test]
#[ignore]
fn text_debug() {
    let Some(path) = std::env::var_os("TEXT_DEBUG") else {
        return;
    };
    let page = std::fs::read_to_string(path).unwrap();
    let c = clean(&page);
    let kept: std::collections::HashSet<&str> = c.paragraphs.iter().map(String::as_str).collect();
    for line in page
        .lines()
        .map(|l| strip_bullet(trim(l)))
        .filter(|l| !l.is_empty())
    {
        let n = words(line);
        let flags = [
            (paragraph_shaped(line, n), "shaped"),
            (is_furniture(line, n), "furniture"),
            (CAPTION.is_match(line), "caption"),
            (TAIL.is_match(line), "tail"),
            (is_soup(line, n), "soup"),
            (is_bio(line), "bio"),
        ];
        let on: Vec<&str> = flags.iter().filter(|f| f.0).map(|f| f.1).collect();
        let mark = if kept.contains(normalize_ws(line).as_str()) {
            'K'
        } else {
            '.'
        };
        println!(
            "{mark} {:<30} {}",
            on.join(","),
            line.chars().take(90).collect::<String>()
        );
    }
}

/// Every section word of the lexicon, alone or capitalised in a pair, is a
/// section name, and an outlet's name is not; every webmail domain names
/// nobody, and an outlet's own domain does.
#[test]
fn section_and_webmail_tables_do_what_they_say() {
    for w in corroborate_lexicon::words("en", "section-words") {
        let cap = w[..1].to_uppercase() + &w[1..];
        assert!(is_section_name(&cap), "{w}");
        assert!(is_section_name(&format!("World {cap}")), "{w}");
    }
    assert!(!is_section_name("Harbour Gazette"));
    for d in corroborate_lexicon::words("mul", "webmail-domains") {
        assert_eq!(
            contact_domain(&format!("Write to news.desk@{d}")),
            None,
            "{d}"
        );
    }
    assert_eq!(
        contact_domain("Write to news.desk@harbourgazette.example").as_deref(),
        Some("harbourgazette.example")
    );
}
