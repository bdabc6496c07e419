//! Speakers: cleaning a speaker phrase (connectives, auxiliaries,
//! possessives, non-speakers), stripping titles and roles, telling a
//! person from a body, one key per name ("Zelensky" / "Zelenskyy"), and
//! resolving a surname, pronoun or role noun to the full name seen before.

use regex::Regex;
use std::collections::HashSet;
use std::sync::LazyLock;

/// Titles and roles that may precede a name ("Defence Minister Jane Doe", "spokesperson Maj. Gen. ...") (lexicon `en/role-words`).
pub(crate) static ROLE_WORDS: LazyLock<HashSet<&str>> = LazyLock::new(|| {
    corroborate_lexicon::words("en", "role-words")
        .into_iter()
        .collect()
});

/// Canonical key for a person or body name: the last name token, lower-cased,
/// with doubled final letters folded, so that "Zelensky", "Zelenskyy" and
/// "Volodymyr Zelenskyy" share a key.
pub fn name_key(name: &str) -> String {
    if !is_person_like(name) {
        // A body ("South Korean intelligence"): the whole phrase is the key.
        return name
            .to_lowercase()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
    }
    let last = name.split_whitespace().last().unwrap_or("");
    let mut k: String = last
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    while k.len() > 2 && (k.ends_with("yy") || k.ends_with("ii")) {
        k.pop();
    }
    k
}

/// Strips titles and roles: "Pentagon spokesperson Major General Patrick
/// Ryder" → "Patrick Ryder", "Ukrainian President Jane Doe" → "Jane Doe":
/// everything up to the last role word goes when what follows is a
/// capitalised name and what precedes is a capitalised title run. A body
/// keeps its words ("South Korean intelligence": no role word).
/// Otherwise leading role words go while two tokens remain.
pub(crate) fn strip_roles(raw: &str) -> String {
    let toks: Vec<&str> = raw.split_whitespace().collect();
    let role = |t: &str| ROLE_WORDS.contains(t.to_lowercase().as_str());
    let capital = |t: &&str| t.chars().next().is_some_and(char::is_uppercase);
    let last_role = toks[..toks.len().saturating_sub(1)]
        .iter()
        .rposition(|t| role(t));
    if let Some(i) = last_role {
        let (title, name) = (&toks[..i], &toks[i + 1..]);
        if name.iter().all(capital) && title.iter().all(|t| capital(t) || role(t)) && i > 0 {
            return name.join(" ");
        }
    }
    let mut start = 0;
    while start + 2 < toks.len() + usize::from(toks.len() <= 2)
        && start + 1 < toks.len()
        && role(toks[start])
    {
        start += 1;
    }
    let rest = &toks[start..];
    if rest.len() == 1 && toks.len() == 2 && !is_person_like(toks[1]) {
        return toks.join(" ");
    }
    rest.join(" ")
}

/// Heads of definite descriptions that refer back to a person ("the president", "the minister") (lexicon `en/person-roles`).
pub(crate) static PERSON_ROLES: LazyLock<HashSet<&str>> = LazyLock::new(|| {
    corroborate_lexicon::words("en", "person-roles")
        .into_iter()
        .collect()
});

/// Words trimmed from the end of a speaker ("Ukraine's military intelligence has") (lexicon `en/speaker-trailing-words`).
pub(crate) static AUX: LazyLock<HashSet<&str>> = LazyLock::new(|| {
    corroborate_lexicon::words("en", "speaker-trailing-words")
        .into_iter()
        .collect()
});

/// Words that start a sentence like a name but never speak ("Multiple reports", "Footage") (lexicon `en/not-speakers`).
pub(crate) static NOT_SPEAKERS: LazyLock<HashSet<&str>> = LazyLock::new(|| {
    corroborate_lexicon::words("en", "not-speakers")
        .into_iter()
        .collect()
});

/// Sentence-opening connectives that are not part of a following name ("But Megan Hester") (lexicon `en/connectives`), capitalised.
pub(crate) static CONNECTIVES: LazyLock<HashSet<String>> = LazyLock::new(|| {
    corroborate_lexicon::words("en", "connectives")
        .iter()
        .map(|w| capitalised(w))
        .collect()
});

/// Connectives that open a subordinate clause (lexicon `en/subordinators`).
static SUBORDINATORS: LazyLock<HashSet<&str>> = LazyLock::new(|| {
    corroborate_lexicon::words("en", "subordinators")
        .into_iter()
        .collect()
});

fn capitalised(w: &str) -> String {
    let mut c = w.chars();
    c.next()
        .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

/// Trims auxiliaries ("Ukraine's military intelligence has") and rejects
/// possessives ("Zelensky's claim") and non-speakers ("Multiple reports").
pub(crate) fn clean_speaker(raw: &str) -> Option<&str> {
    let mut t = raw.trim();
    // A sentence-opening connective is not part of the name: "But Megan Hester".
    if let Some((first, rest)) = t.split_once(char::is_whitespace) {
        if CONNECTIVES.contains(first) && rest.starts_with(char::is_uppercase) {
            t = rest.trim_start();
        }
    }
    // A prepositional phrase ("On July", "In Washington", "in shot") is
    // when or where; a subordinator alone ("When questioned about it,
    // Miller noted ...") opens a clause, it is no one.
    let first = t.split_whitespace().next().unwrap_or("");
    if matches!(
        first.to_lowercase().as_str(),
        "on" | "in" | "at" | "for" | "by" | "during" | "with" | "from" | "to" | "of"
    ) || (t.split_whitespace().count() == 1
        && SUBORDINATORS.contains(&first.to_lowercase().as_str()))
    {
        return None;
    }
    // A day or month name is when, not who.
    if t.parse::<chrono::Weekday>().is_ok() || t.parse::<chrono::Month>().is_ok() {
        return None;
    }
    // A lone function word ("But", "The", "More") opens a clause; it is no
    // one. Personal pronouns stay: "he", "I" and "they" are resolved later.
    if !t.contains(char::is_whitespace) && is_function_word(t) {
        return None;
    }
    // An indefinite description ("a longtime adviser to both Clintons"):
    // its head, up to the first function word after it.
    t = indefinite_head(t);
    loop {
        match t.rsplit_once(char::is_whitespace) {
            Some((head, last)) if AUX.contains(last) => t = head.trim_end(),
            _ => break,
        }
    }
    let lower = t.to_lowercase();
    if lower.ends_with("'s")
        || lower.ends_with("’s")
        || NOT_SPEAKERS.contains(lower.as_str())
        || t.is_empty()
    {
        return None;
    }
    Some(t)
}

/// A function word that is not a personal pronoun (lexicon `en/stop-words`).
fn is_function_word(word: &str) -> bool {
    static STOP: LazyLock<HashSet<&str>> = LazyLock::new(|| {
        corroborate_lexicon::words("en", "stop-words")
            .into_iter()
            .collect()
    });
    let lower = word.to_lowercase();
    !matches!(
        lower.as_str(),
        "i" | "he" | "she" | "we" | "they" | "you" | "it"
    ) && STOP.contains(lower.as_str())
}

/// "a young woman", "another senior official in the campaign" →
/// "another senior official": a description in lower case ends before its
/// first function word.
fn indefinite_head(t: &str) -> &str {
    let mut words = t.split_whitespace();
    let Some(first) = words.next() else { return t };
    if !matches!(
        first.to_lowercase().as_str(),
        "a" | "an" | "another" | "one" | "the"
    ) {
        return t;
    }
    let words: Vec<&str> = words.collect();
    let capital = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
    let mut end = first.len();
    for (i, w) in words.iter().enumerate() {
        // A proper name goes on across its function words ("the Institute
        // for the Study of War"); a description ends at its first one.
        let name_goes_on = || {
            capital(words[0])
                && words[i..]
                    .iter()
                    .find(|w| !is_function_word(w))
                    .is_some_and(|w| capital(w))
        };
        if i > 0 && is_function_word(w) && !name_goes_on() {
            break;
        }
        // The byte end of word `w`.
        end = w.as_ptr() as usize - t.as_ptr() as usize + w.len();
    }
    &t[..end]
}

pub(crate) fn is_person_like(name: &str) -> bool {
    let toks: Vec<&str> = name.split_whitespace().collect();
    (1..=3).contains(&toks.len())
        && toks
            .iter()
            .all(|t| t.chars().next().is_some_and(char::is_uppercase))
        && !name.contains('’')
        && !name.contains('\'')
}

/// Names in the article for resolving short mentions: full person names
/// ("President Volodymyr Zelenskyy" → "Volodymyr Zelenskyy").
pub(crate) struct Names {
    pub(crate) full: Vec<String>,
    /// The full names known to be people: introduced by a title or role
    /// ("spokesperson Matthew Miller", "journalist Andriy Tsaplienko"), or
    /// heard speaking ([`Names::spoke`]). Only these can be what "he" or
    /// "she" refers to: "North Korean forces" is a capitalised run, not a
    /// person.
    pub(crate) persons: Vec<String>,
    /// Membership of `full` and `persons` (the lists keep first-seen order
    /// for resolving; a scan of them per name would grow with the square
    /// of an article's names).
    seen_full: HashSet<String>,
    seen_persons: HashSet<String>,
}

impl Names {
    pub(crate) fn collect(text: &str) -> Self {
        static RUN: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"\p{Lu}\p{Ll}[\p{L}-]*(?:\s+\p{Lu}\p{Ll}[\p{L}-]*)+").unwrap()
        });
        let mut names = Names {
            full: Vec::new(),
            persons: Vec::new(),
            seen_full: HashSet::new(),
            seen_persons: HashSet::new(),
        };
        for m in RUN.find_iter(text) {
            let name = strip_roles(m.as_str());
            let n = name.split_whitespace().count();
            if !(2..=3).contains(&n) {
                continue;
            }
            if names.seen_full.insert(name.clone()) {
                names.full.push(name.clone());
            }
            // A role before the name, inside the run ("President Jane
            // Doe") or just before it ("spokesperson Jane Doe").
            let role_before = text[..m.start()]
                .split_whitespace()
                .next_back()
                .is_some_and(|w| ROLE_WORDS.contains(w.to_lowercase().as_str()));
            // A sentence's opening article is no role ("The North
            // Koreans’ losses" names a group, not a person).
            let run = m.as_str();
            let run = run
                .strip_prefix("The ")
                .or_else(|| run.strip_prefix("A "))
                .unwrap_or(run);
            let had_role = n < run.split_whitespace().count();
            if had_role || role_before {
                names.add_person(name);
            }
        }
        names
    }

    fn add_person(&mut self, name: String) {
        if self.seen_persons.insert(name.clone()) {
            self.persons.push(name);
        }
    }

    /// Records that `name` spoke: a person-like name becomes a possible
    /// antecedent of "he" and "she".
    pub(crate) fn spoke(&mut self, name: &str) {
        let n = name.split_whitespace().count();
        if (2..=3).contains(&n) && !self.seen_persons.contains(name) && is_person_like(name) {
            self.add_person(name.to_string());
        }
    }

    pub(crate) fn resolve(&self, raw: &str) -> String {
        let name = strip_roles(raw.trim());
        if name.split_whitespace().count() == 1 && is_person_like(&name) {
            let key = name_key(&name);
            if let Some(f) = self.full.iter().find(|f| name_key(f) == key) {
                return f.clone();
            }
        }
        name
    }
}
