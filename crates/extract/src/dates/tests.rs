//! Tests of this module.
use super::*;

#[test]
fn utc_stamps_move_to_the_newsroom_clock() {
    let at = |s: &str| parse(s, None).unwrap();
    let day = |s: &str, host| to_newsroom_time(s, at(s), host).date_naive().to_string();
    // 23:15 UTC in December is 00:15 the next day in Rome.
    assert_eq!(
        day("2020-12-05T23:15:00Z", Some("gazzetta.it")),
        "2020-12-06"
    );
    // Summer time: 22:30 UTC in July is 00:30 in Berlin.
    assert_eq!(
        day("2020-07-10T22:30:00Z", Some("zeitung.de")),
        "2020-07-11"
    );
    assert_eq!(
        day("2020-01-10T22:30:00Z", Some("zeitung.de")),
        "2020-01-10"
    );
    // Stamps with a local offset, generic and multi-zone domains: unchanged.
    assert_eq!(
        day("2020-12-05T23:15:00+01:00", Some("gazzetta.it")),
        "2020-12-05"
    );
    assert_eq!(day("2020-12-05T23:15:00Z", Some("news.com")), "2020-12-05");
    assert_eq!(day("2020-12-05T23:15:00Z", Some("paper.ca")), "2020-12-05");
    assert_eq!(day("2020-12-05T23:15:00Z", None), "2020-12-05");
    // West of UTC: an early-morning UTC stamp is the previous evening.
    assert_eq!(day("2020-08-25T02:00:00Z", Some("diario.pe")), "2020-08-24");
}

#[test]
fn month_names_beyond_latin_script() {
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
    assert_eq!(
        find_date("الأربعاء، 07 أكتوبر 2020 - 12:09 م"),
        day(2020, 10, 7)
    );
    // Levantine and Egyptian names side by side.
    assert_eq!(
        find_date("تم نشره الجمعة 24 نيسان / أبريل 2020 09:22 مساءً"),
        day(2020, 4, 24)
    );
    assert_eq!(find_date("Опубликовано 5 июня 2021"), day(2021, 6, 5));
    assert_eq!(find_date("12 października 2019 r."), day(2019, 10, 12));
    assert_eq!(find_date("3 Ağustos 2022 Çarşamba"), day(2022, 8, 3));
}

/// Every entry of the lexicon's month tables, in every language: the
/// name alone gives its month and "17 <name> 2024" is that day (the
/// English names also "<name> 17, 2024"). Prose without a day and year
/// is no date.
#[test]
fn every_month_name_of_the_lexicon_dates() {
    let mut n = 0;
    for (name, month) in corroborate_lexicon::month_names() {
        n += 1;
        assert_eq!(month_number(name), Some(month), "{name}");
        let want = NaiveDate::from_ymd_opt(2024, month, 17);
        assert_eq!(
            find_date(&format!("17 {name} 2024")),
            want,
            "17 {name} 2024"
        );
        if name.is_ascii() && name.len() <= "september".len() {
            assert_eq!(
                find_date(&format!("{name} 17, 2024")),
                want,
                "{name} 17, 2024"
            );
        }
        assert_eq!(
            find_date(&format!("2024. {name} 17.")),
            want,
            "2024. {name} 17."
        );
        assert_eq!(find_date(&format!("The {name} meeting was long.")), None);
    }
    assert!(n > 150, "{n} month names");
    assert_eq!(month_number("Sept."), Some(9));
    assert_eq!(month_number("m"), None);
}

fn ymd(t: Timestamp) -> String {
    t.format("%Y-%m-%d").to_string()
}

#[test]
fn common_formats() {
    let now = Some(Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap());
    for (s, want) in [
        ("2024-12-17", "2024-12-17"),
        ("2024-12-17T23:30:00+02:00", "2024-12-17"),
        ("2024-12-17T23:30:00-05:00", "2024-12-17"),
        ("2020-06-07T15:06Z", "2020-06-07"),
        ("2020-12-06 00:15", "2020-12-06"),
        ("Tue, 17 Dec 2024 10:00:00 GMT", "2024-12-17"),
        ("17 December 2024", "2024-12-17"),
        ("December 17, 2024", "2024-12-17"),
        ("Dec. 17, 2024 10:31 am", "2024-12-17"),
        ("27/12/2024", "2024-12-27"),
        ("12/27/2024", "2024-12-27"),
        ("05/04/2024", "2024-04-05"),
        ("2024/12/17", "2024-12-17"),
        ("20241217", "2024-12-17"),
        ("date 2024-12-17 This audio", "2024-12-17"),
        ("jueves 2 de abril de 2020", "2020-04-02"),
        ("duminică, 20 septembrie 2020 16:20", "2020-09-20"),
        ("Domenica 06 Dicembre 2020 | 00:36", "2020-12-06"),
        ("le 3 août 2020", "2020-08-03"),
        ("17. März 2020", "2020-03-17"),
        ("2020年7月12日 10:00", "2020-07-12"),
    ] {
        assert_eq!(parse(s, now).map(ymd).as_deref(), Some(want), "{s}");
    }
}

#[test]
fn all_dates_in_one_pass() {
    let text = "Posted 2 de abril de 2020. Updated 2020-04-03, then 04.04.2020 and 2020年4月5日; April 6, 2020.";
    let mut got: Vec<String> = all_dates(text).iter().map(|d| d.to_string()).collect();
    got.sort();
    assert_eq!(
        got,
        [
            "2020-04-02",
            "2020-04-03",
            "2020-04-04",
            "2020-04-05",
            "2020-04-06"
        ]
    );
}

#[test]
fn a_date_introduced_as_an_update_is_not_the_publication_date() {
    let d = |s: &str| first_published_date(s).map(|d| d.to_string());
    assert_eq!(
        d("Erstellt: 19.07.2014 · Letzte Änderung: 02.03.2016").as_deref(),
        Some("2014-07-19")
    );
    assert_eq!(
        d("Letzte Änderung: 02.03.2016 Erstellt: 19.07.2014").as_deref(),
        Some("2014-07-19")
    );
    assert_eq!(
        d("Updated 2 March 2016, first published 19 July 2014").as_deref(),
        Some("2014-07-19")
    );
    assert_eq!(d("Mis à jour le 2 mars 2016").as_deref(), None);
    // A word that merely contains an update word does not count, nor
    // does one cut by the 40-byte window.
    assert_eq!(d("Bestand 19.07.2014").as_deref(), Some("2014-07-19"));
    assert_eq!(
        d("und der Vorstand stellte die Pläne vor. Erstellt: 19.07.2014").as_deref(),
        Some("2014-07-19")
    );
    // Central European spacing.
    assert_eq!(d("Publikováno 19. 7. 2014").as_deref(), Some("2014-07-19"));
    assert_eq!(d("2014. 07. 19. 10:00").as_deref(), Some("2014-07-19"));
}

#[test]
fn every_update_word_of_the_lexicon_introduces_an_update() {
    let mut n = 0;
    for t in corroborate_lexicon::tables("update-words") {
        for e in &t.entries {
            let line = format!("{}: 19.07.2014", e.text);
            assert_eq!(
                first_published_date(&line),
                None,
                "{}/{}: {line}",
                t.lang,
                e.text
            );
            n += 1;
        }
    }
    assert!(n >= 30, "{n} update words");
    // Prose before a date, with no update word, leaves it a publication date.
    for prose in [
        "Die Sitzung war am",
        "Published on",
        "Publié le",
        "The vote took place on",
    ] {
        assert!(
            first_published_date(&format!("{prose} 19.07.2014")).is_some(),
            "{prose}"
        );
    }
}

#[test]
fn relative_dates_count_back_from_the_crawl() {
    let crawled = Utc.with_ymd_and_hms(2014, 7, 22, 9, 0, 0).unwrap();
    let d = |s: &str| relative_date(s, crawled).map(|d| d.to_string());
    for (s, want) in [
        ("vor 3 Tagen", "2014-07-19"),
        ("3 days ago", "2014-07-19"),
        ("il y a 3 jours", "2014-07-19"),
        ("hace 3 días", "2014-07-19"),
        ("Posted 2 weeks ago", "2014-07-08"),
        ("vor 10 Stunden", "2014-07-21"),
        ("Gestern, 14:30", "2014-07-21"),
        ("Heute", "2014-07-22"),
    ] {
        assert_eq!(d(s).as_deref(), Some(want), "{s}");
    }
    // Prose, or a word that only begins like one, is not a date line.
    assert_eq!(d("Heuteufel"), None);
    assert_eq!(
        d("Three days ago the council met to discuss the new harbour wall plans again"),
        None
    );
}

#[test]
fn every_relative_pattern_and_unit_of_the_lexicon_dates() {
    let crawled = Utc.with_ymd_and_hms(2014, 7, 22, 9, 0, 0).unwrap();
    for t in corroborate_lexicon::tables("relative-ago") {
        let units = corroborate_lexicon::table(t.lang, "time-units").expect("units");
        for p in &t.entries {
            for u in &units.entries {
                let line = p.text.replace("{n}", "2").replace("{unit}", u.text);
                assert!(
                    relative_date(&line, crawled).is_some(),
                    "{}: {line}",
                    t.lang
                );
            }
        }
    }
    for t in corroborate_lexicon::tables("relative-days") {
        for e in &t.entries {
            let line = format!("{}, 14:30", e.text);
            assert!(
                relative_date(&line, crawled).is_some(),
                "{}: {line}",
                t.lang
            );
        }
    }
}

#[test]
fn day_first_with_hyphens() {
    assert_eq!(
        find_date("Data: 28-04-2021, 09:29")
            .map(|d| d.to_string())
            .as_deref(),
        Some("2021-04-28")
    );
    assert_eq!(
        find_date("Created 03-10-2004 2:20pm")
            .map(|d| d.to_string())
            .as_deref(),
        Some("2004-10-03")
    );
}

#[test]
fn a_broken_iso_stamp_keeps_its_day() {
    let now = Some(Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap());
    let p = |s: &str| parse(s, now).map(ymd);
    assert_eq!(p("2022-01-10T22:06:08:684Z").as_deref(), Some("2022-01-10"));
    assert_eq!(
        p("2018-11-28CET11:59:00+0100").as_deref(),
        Some("2018-11-28")
    );
    assert_eq!(p("2018-11-281"), None, "a longer number is no date");
}

#[test]
fn two_digit_years_with_dots() {
    let today = NaiveDate::from_ymd_opt(2024, 6, 1).unwrap();
    let d = |s: &str| short_year_date(s, today).map(|d| d.to_string());
    assert_eq!(d("28.01.22").as_deref(), Some("2022-01-28"));
    assert_eq!(d("Posted 17.7.11 by Anna").as_deref(), Some("2011-07-17"));
    assert_eq!(d("am 01.07.98").as_deref(), Some("1998-07-01"));
    assert_eq!(d("1.2.3.4"), None, "part of a longer dotted number");
    assert_eq!(
        d("28.01.2022"),
        None,
        "a four-digit year is another pattern's"
    );
    assert_eq!(d("01.07.25"), None, "after today");
    assert_eq!(d("32.01.22"), None);
}

#[test]
fn the_readers_own_time_dates_nothing() {
    let d = |s: &str| first_published_date(s).map(|d| d.to_string());
    assert_eq!(d("Aktuelle Zeit: 14.10.2020, 12:18"), None);
    assert_eq!(
        d("It is currently 14 October 2020 · Posted 21 January 2009").as_deref(),
        Some("2009-01-21")
    );
    assert_eq!(d("Abgerufen am 09.11.2022"), None);
    for t in corroborate_lexicon::tables("now-words") {
        for e in &t.entries {
            let line = format!("{}: 14.10.2020", e.text);
            assert_eq!(first_published_date(&line), None, "{} {line}", t.lang);
        }
    }
}

#[test]
fn an_update_only_date_is_kept_apart() {
    assert_eq!(
        published_or_updated("Stand: 08.05.2019"),
        (None, NaiveDate::from_ymd_opt(2019, 5, 8))
    );
    assert_eq!(
        published_or_updated("Erstellt 19.07.2014, aktualisiert 02.03.2016"),
        (NaiveDate::from_ymd_opt(2014, 7, 19), None)
    );
}

#[test]
fn sanity_bounds() {
    let now = Some(Utc.with_ymd_and_hms(2024, 12, 20, 0, 0, 0).unwrap());
    assert_eq!(parse("2024-12-25", now), None, "future of the crawl");
    assert_eq!(parse("1985-01-01", now), None, "before 1990");
    assert_eq!(parse("2024-13-45", now), None);
    assert_eq!(parse("not a date", now), None);
}

#[test]
fn dates_in_urls() {
    let now = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
    // Year first (compact or with one-digit month and day between
    // slashes), day first in a slug; a number that is no date.
    for (u, want) in [
        ("https://x.example/2024/12/16/story/", Some("2024-12-16")),
        ("https://x.example/news/20241216-story", Some("2024-12-16")),
        (
            "https://x.example/world/megablaze-under-control-20200113",
            Some("2020-01-13"),
        ),
        ("https://x.example/home/2017/7/12/title", Some("2017-07-12")),
        (
            "https://x.example/news/23-01-2022-title",
            Some("2022-01-23"),
        ),
        ("https://x.example/meldungen/29-10-2021", Some("2021-10-29")),
        ("https://x.example/news/12345678", None),
        ("https://x.example/2017/7/title", None),
        ("https://x.example/v/1-2-2017-3", None),
    ] {
        assert_eq!(from_url(u, now).map(ymd).as_deref(), want, "{u}");
    }
}

proptest::proptest! {
    #[test]
    fn never_panics_and_respects_bounds(s in "\\PC{0,40}") {
        let now = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
        if let Some(t) = parse(&s, Some(now)) {
            proptest::prop_assert!(t >= lower_bound() && t <= now + Duration::days(1));
        }
    }
}
