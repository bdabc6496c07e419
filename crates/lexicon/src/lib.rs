//! corroborate's language knowledge as data.
//!
//! Every word list the stages use lives in one file,
//! `data/<language>/<table>.txt` (ISO 639-1 folder names), compiled into
//! the binary and parsed once on first use. Adding a language is adding a
//! folder; extending a table is adding a line. The model is trafilatura's
//! `settings.py`/`xpaths.py` and ripgrep's `default_types.rs`: knowledge in
//! one place, algorithms elsewhere.
//!
//! ## File format
//! - one entry a line, lower case unless the table says otherwise;
//! - `entry = value` where the table maps entries to a value (a month's
//!   number);
//! - `#` starts a comment line (the first line says what the table is for);
//! - entries sorted (byte order) and unique: the tests check every table.
//!
//! ## Tables
//! | table | languages | used by |
//! |---|---|---|
//! | `months` (`name = number`), `month-abbreviations`, `weekdays`, `numbers` (`word = value`) | months in en es pt fr it de ro nl sv da no cs sk hu fi sl et ar ru uk bg el pl tr, month abbreviations in en de fr es it nl pt sv da no; the others en | extract (page dates), crosscheck (dates, time expressions, quantities) |
//! | `update-words`, `now-words` (the reader's time: "current time", "printed on"), `relative-ago` (`{n} {unit} ago`), `time-units` (`word = unit`), `relative-days` (`word = days back`) | en de fr es it nl pl pt | extract (page dates: a change's date is not the publication's; dates relative to the crawl) |
//! | `furniture` (one regex alternative a line) | en de fr es it pl nl, `mul` | extract (plain-text furniture lines) |
//! | `furniture-classes` (`name`, `name*`, `*name`, `*name*`), `body-classes`, `webmail-domains` | `mul` | extract (HTML body finder, outlet from a contact address) |
//! | `function-words` | 25 Latin-script languages | extract (narrowing language detection) |
//! | `section-words`, `institution-words` | en | extract (outlet names) |
//! | `abbreviations`, `cue-verbs`, `speaker-nouns`, `evaluative-verbs`, `hedges`, `role-words`, `person-roles`, `speaker-trailing-words`, `not-speakers`, `connectives` | en | crosscheck (sentences, statements, speakers) |
//! | `loss-verbs` (`verb = killed/lost`), `participation-verbs`, `care-words` | en | crosscheck (what a figure counts: "lost 200 soldiers", "500 took part") |
//! | `stance-refute`, `stance-hedge`, `stance-confirm`, `stance-negation` | en | stance (cue features) |
//! | `denial-cues`, `confirming-cues` | en | engine (a carrier's stance from its cue verb) |
//! | `stop-words` | en | cluster (other languages from the stop-words crate) |
//!
//! Each consuming stage tests that every entry of the tables it reads does
//! what the table promises in that stage (a month name parses as its month,
//! a denial cue makes a denial) and that prose without the entries does not.

include!(concat!(env!("OUT_DIR"), "/files.rs"));

use std::sync::LazyLock;

/// One line of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// The word or phrase.
    pub text: &'static str,
    /// What it maps to, for tables written `entry = value`.
    pub value: Option<&'static str>,
    /// Its line in the file (1-based), for error messages.
    pub line: usize,
}

/// One table of one language.
#[derive(Debug)]
pub struct Table {
    /// Language folder (`en`, `de`...).
    pub lang: &'static str,
    /// Table name (the file name without `.txt`).
    pub name: &'static str,
    /// The entries, in file order.
    pub entries: Vec<Entry>,
}

impl Table {
    fn parse(lang: &'static str, name: &'static str, data: &'static str) -> Table {
        let entries = data
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
            .map(|(i, l)| {
                let (text, value) = match l.split_once(" = ") {
                    Some((t, v)) => (t, Some(v.trim())),
                    None => (l, None),
                };
                Entry {
                    text: text.trim(),
                    value,
                    line: i + 1,
                }
            })
            .collect();
        Table {
            lang,
            name,
            entries,
        }
    }

    /// The entries' words or phrases.
    pub fn words(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.entries.iter().map(|e| e.text)
    }

    /// The value of `text`, for a keyed table.
    pub fn value(&self, text: &str) -> Option<&'static str> {
        self.entries
            .iter()
            .find(|e| e.text == text)
            .and_then(|e| e.value)
    }
}

static TABLES: LazyLock<Vec<Table>> = LazyLock::new(|| {
    FILES
        .iter()
        .map(|&(lang, name, data)| Table::parse(lang, name, data))
        .collect()
});

/// Every table of every language.
pub fn all() -> &'static [Table] {
    &TABLES
}

/// The table `name` of language `lang`, if that language has it.
pub fn table(lang: &str, name: &str) -> Option<&'static Table> {
    TABLES.iter().find(|t| t.lang == lang && t.name == name)
}

/// The words of a table every build has (panics, naming it, when the file
/// is missing: a packaging error, caught by the tests of the stage that
/// reads it).
pub fn words(lang: &str, name: &str) -> Vec<&'static str> {
    table(lang, name)
        .unwrap_or_else(|| panic!("lexicon table {lang}/{name}.txt is missing"))
        .words()
        .collect()
}

/// The table `name` in every language that has it, languages in
/// alphabetical order.
pub fn tables(name: &str) -> impl Iterator<Item = &'static Table> + '_ {
    TABLES.iter().filter(move |t| t.name == name)
}

/// Month names of every language and the English abbreviations, each with
/// its month number (1-12).
pub fn month_names() -> impl Iterator<Item = (&'static str, u32)> {
    tables("months")
        .chain(tables("month-abbreviations"))
        .flat_map(keyed_months)
}

/// Month names and abbreviations of one language, with their numbers.
pub fn months(lang: &str) -> impl Iterator<Item = (&'static str, u32)> + '_ {
    ["months", "month-abbreviations"]
        .into_iter()
        .filter_map(move |name| table(lang, name))
        .flat_map(keyed_months)
}

fn keyed_months(t: &'static Table) -> impl Iterator<Item = (&'static str, u32)> {
    t.entries
        .iter()
        .filter_map(|e| Some((e.text, e.value?.parse().ok()?)))
}

/// A regular-expression alternation of `words`, longest first (so that a
/// leftmost-first engine prefers "september" to "sep"), each escaped.
pub fn alternation<'a>(words: impl IntoIterator<Item = &'a str>) -> String {
    let mut words: Vec<&str> = words.into_iter().collect();
    words.sort_by_key(|w| std::cmp::Reverse(w.len()));
    words
        .iter()
        .map(|w| escape(w))
        .collect::<Vec<_>>()
        .join("|")
}

/// Like [`alternation`], for phrases in running text: the words of a
/// phrase may be separated by any white space (`\s+`), and an apostrophe
/// also matches the typographic one (’).
pub fn phrase_alternation<'a>(phrases: impl IntoIterator<Item = &'a str>) -> String {
    let mut phrases: Vec<&str> = phrases.into_iter().collect();
    phrases.sort_by_key(|w| std::cmp::Reverse(w.len()));
    phrases
        .iter()
        .map(|p| {
            p.split(' ')
                .map(|w| escape(w).replace('\'', "[’']"))
                .collect::<Vec<_>>()
                .join(r"\s+")
        })
        .collect::<Vec<_>>()
        .join("|")
}

/// Escapes the characters a regular expression treats specially.
pub fn escape(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        if r"\.+*?()|[]{}^$#&-~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every table: entries sorted and unique, none empty or padded, no
    /// stray `=`; the first line a comment saying what the table is for.
    #[test]
    fn every_table_is_sorted_unique_and_described() {
        assert!(!all().is_empty());
        for (t, (_, _, data)) in all().iter().zip(FILES) {
            let id = format!("{}/{}.txt", t.lang, t.name);
            assert!(data.starts_with("# "), "{id}: starts with a comment");
            assert!(!t.entries.is_empty(), "{id}: has entries");
            for w in t.entries.windows(2) {
                assert!(
                    w[0].text < w[1].text,
                    "{id}:{}: {:?} must come after {:?} (sorted, unique)",
                    w[1].line,
                    w[1].text,
                    w[0].text
                );
            }
            for e in &t.entries {
                assert!(!e.text.is_empty(), "{id}:{}: empty entry", e.line);
                assert!(!e.text.contains(" ="), "{id}:{}: stray '='", e.line);
                // A trailing space is trimmed: a pattern ending in `\ `
                // would lose it (write `\x20`).
                assert!(
                    !e.text.ends_with('\\'),
                    "{id}:{}: ends with a backslash",
                    e.line
                );
                assert!(
                    e.value.is_none_or(|v| !v.is_empty()),
                    "{id}:{}: empty value",
                    e.line
                );
            }
        }
    }

    /// A table is keyed on every line or on none.
    #[test]
    fn keyed_tables_are_keyed_throughout() {
        for t in all() {
            let keyed = t.entries.iter().filter(|e| e.value.is_some()).count();
            assert!(
                keyed == 0 || keyed == t.entries.len(),
                "{}/{}: some lines have a value, some not",
                t.lang,
                t.name
            );
        }
    }

    /// Month tables: twelve months each, numbers 1-12, and one name never
    /// means two months in two languages.
    #[test]
    fn month_tables_cover_twelve_months_without_conflict() {
        for t in tables("months") {
            let mut seen = [false; 12];
            for e in &t.entries {
                let n: usize = e.value.unwrap().parse().unwrap();
                assert!((1..=12).contains(&n), "{}: {}", t.lang, e.text);
                seen[n - 1] = true;
            }
            assert!(seen.iter().all(|s| *s), "{}: every month named", t.lang);
        }
        let mut by_name = std::collections::HashMap::new();
        for (name, n) in month_names() {
            assert_eq!(*by_name.entry(name).or_insert(n), n, "{name}");
        }
        assert_eq!(by_name["sept"], 9);
        assert_eq!(by_name["декабря"], 12);
    }

    #[test]
    fn alternation_prefers_longer_words_and_escapes() {
        assert_eq!(
            alternation(["sep", "september", "a.m"]),
            r"september|sep|a\.m"
        );
        assert_eq!(escape("o'clock (utc)"), r"o'clock \(utc\)");
        assert_eq!(
            phrase_alternation(["said", "couldn't confirm"]),
            r"couldn[’']t\s+confirm|said"
        );
    }

    #[test]
    fn missing_tables_are_none() {
        assert!(table("en", "no-such-table").is_none());
        assert!(table("xx", "months").is_none());
        assert_eq!(tables("months").count(), 24);
        assert_eq!(tables("month-abbreviations").count(), 10);
    }
}
