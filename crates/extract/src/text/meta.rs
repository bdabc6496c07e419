//! What a page says about itself in its text: bylines, signatures, a title's
//! site suffix, contact addresses, copyright owners, a newsroom naming
//! itself, an author's bio.

use super::*;

pub(super) static BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[Bb][Yy]:?\s*)(\p{Lu}[\p{L}'’.-]+(?:\s+\p{Lu}[\p{L}'’.-]+){0,3})$").unwrap()
});

/// The author a byline names ([`BYLINE`]). The test of the first two
/// bytes spares the regex's set-up on the hundreds of lines per page that
/// are no byline.
pub(super) fn byline(line: &str) -> Option<&str> {
    if !line.as_bytes().get(..2)?.eq_ignore_ascii_case(b"by") {
        return None;
    }
    BYLINE
        .captures(line)
        .map(|c| c.get(1).map_or("", |m| m.as_str()))
}

/// Characters that separate a headline from the outlet's name.
pub(super) const SITE_SEPARATORS: [char; 4] = ['|', '–', '—', '-'];

/// " | Site" at the end of a line: where the suffix starts and the site's
/// name (2 to 40 characters after the last separator, which has whitespace
/// on both sides). Written by hand because it runs on every line: the
/// regex (`\s+[|–—-]\s+([^|–—-]{2,40})$`, kept in a test as the
/// reference) built a lazy DFA state per counted character and cost a
/// fifth of plain-text extraction.
pub(super) fn site_suffix(line: &str) -> Option<(usize, &str)> {
    let sep = line.rfind(SITE_SEPARATORS)?;
    let before = line[..sep].trim_end();
    let after = &line[sep + line[sep..].chars().next()?.len_utf8()..];
    let name = after.trim_start();
    let space = after[..after.len() - name.len()].chars().count();
    let chars = name.chars().count();
    // As the regex backtracks: the name may take back all but one of the
    // spaces before it to reach two characters.
    (before.len() < sep && space >= 1 && chars <= 40 && chars + space > 2)
        .then_some((before.len(), name.trim()))
}

/// Words that name a section of a site, not the site: a title suffix made
/// of them only ("News UK", "World News", "Sport") is no outlet name
/// (lexicon `en/section-words`).
pub(super) static SECTION_WORDS: LazyLock<Vec<&str>> =
    LazyLock::new(|| corroborate_lexicon::words("en", "section-words"));

/// Whether a title suffix is only section words ([`SECTION_WORDS`]).
pub(super) fn is_section_name(name: &str) -> bool {
    let mut words = name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .peekable();
    words.peek().is_some()
        && words.all(|w| {
            SECTION_WORDS
                .binary_search(&w.to_lowercase().as_str())
                .is_ok()
        })
}

/// The author of a signed article: a line that is only a person's name
/// (two or three capitalised words) directly above a line holding only an
/// e-mail address, among the lines removed after the body ("Daniel Kim" /
/// "d.kim@outlet.example").
pub(super) fn signature(removed: &[String]) -> Option<String> {
    removed.windows(2).find_map(|w| {
        let name = trim(&w[0]);
        let parts: Vec<&str> = name.split_whitespace().collect();
        let person = (2..=3).contains(&parts.len())
            && parts.iter().all(|p| {
                p.chars().next().is_some_and(char::is_uppercase)
                    && p.chars()
                        .skip(1)
                        .all(|c| c.is_lowercase() || c == '-' || c == '.' || c == '\'')
            });
        // The address alone on its line, as a signature sets it ("Contact
        // Us" above "Write to tips@…" is a link and an invitation).
        let address = trim(&w[1]);
        let only_address = !address.contains(char::is_whitespace)
            && EMAIL
                .find(address)
                .is_some_and(|m| m.len() == address.len());
        (person && only_address && !is_furniture(name, parts.len())).then(|| name.to_string())
    })
}

/// Mail providers anyone can use: their domain names no outlet (lexicon
/// `mul/webmail-domains`).
pub(super) static WEBMAIL: LazyLock<Vec<&str>> =
    LazyLock::new(|| corroborate_lexicon::words("mul", "webmail-domains"));

pub(super) static EMAIL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[\w.+-]+@((?:[\w-]+\.)+[A-Za-z]{2,})").unwrap());

/// The domain of a contact address in a line the classifier removed ("Daniel
/// Kim, content@outlet.example"): the outlet's own address names it when
/// nothing else does. Webmail domains ([`WEBMAIL`]) name nobody.
pub(super) fn contact_domain(line: &str) -> Option<String> {
    if !line.contains('@') {
        return None;
    }
    let domain = EMAIL.captures(line)?.get(1)?.as_str().to_ascii_lowercase();
    (WEBMAIL.binary_search(&domain.as_str()).is_err()).then_some(domain)
}

pub(super) static COPYRIGHT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:copyright\s*)?(?:©|\(c\))\s*(?:\d{4}\s*)?(.{2,60}?)\.?$").unwrap()
});

/// The owner a copyright line names ([`COPYRIGHT`]), from a trimmed line.
/// Its first byte (`c`, `©`, `(`) is tested before the regex.
pub(super) fn copyright_owner(line: &str) -> Option<&str> {
    if !matches!(line.as_bytes().first(), Some(b'c' | b'C' | 0xC2 | b'(')) {
        return None;
    }
    COPYRIGHT
        .captures(line)
        .map(|c| c.get(1).map_or("", |m| m.as_str()))
}

/// A newsroom speaking of itself at the start of a sentence: "The Valley
/// Courier could not independently verify the video", "The Valley Courier
/// has reached out to the ministry for comment". Only names of "The" and two
/// to four capitalised words are taken: a bare surname before "could not
/// confirm" is a person, and a one-word name after "The" is as often a seat
/// of power as a newspaper, which says nothing in general about which.
pub(super) static SELF_REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[.!?]\s+)(The(?:\s+\p{Lu}[\w&'’-]*){2,4})\s+(?:(?:could\s+not|couldn[’']t|cannot|can[’']t|was\s+unable\s+to|has\s+not\s+been\s+able\s+to|was\s+not\s+able\s+to)\s+(?:immediately\s+|independently\s+)*(?:confirm|verify)|(?:has\s+)?(?:reached\s+out\s+to|contacted|asked)\s[^.]{0,80}?\sfor\s+(?:a\s+)?comment)").unwrap()
});

/// Last words of institutions that speak of themselves the same way ("The
/// Defence Ministry could not confirm"): such a name is not an outlet
/// (lexicon `en/institution-words`).
pub(super) static INSTITUTION_WORDS: LazyLock<Vec<&str>> =
    LazyLock::new(|| corroborate_lexicon::words("en", "institution-words"));

/// The outlet an article names as itself ([`SELF_REFERENCE`]), unless the
/// name is an institution's ([`INSTITUTION_WORDS`]).
pub(super) fn self_reference(body: &str) -> Option<String> {
    SELF_REFERENCE.captures_iter(body).find_map(|c| {
        let name = c.get(1)?.as_str();
        let last = name.rsplit(char::is_whitespace).next()?.to_lowercase();
        INSTITUTION_WORDS
            .binary_search(&last.as_str())
            .is_err()
            .then(|| name.split_whitespace().collect::<Vec<_>>().join(" "))
    })
}

/// An author's bio: "Jane Doe is a senior writer for …", "Max Muster ist
/// Redakteur …", "Ich bin Steffi, …". Only ever tested on the last
/// paragraphs of an article: a sentence like these in its middle is text.
pub(super) static BIO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        ^(Hallo,?\ )?[Ii]ch\ bin\ \p{Lu}[\p{L}-]+(\ \p{Lu}[\p{L}-]+)?,
      | ^(\p{Lu}[\p{L}'.-]+\ ){1,3}(is|was)\ (a|an|the)\ ((?i)(senior|staff|contributing|freelance|political|chief|deputy|former|associate|assistant|visiting|managing|executive|digital|science|technology)\ )*
         (?i)(writer|editor|reporter|journalist|correspondent|professor|author|columnist|co-?founder|founder|analyst|fellow|producer|contributor|lecturer|researcher)(?-u:\b)
      | ^(\p{Lu}[\p{L}.-]+\ ){1,3}(ist|war)\ ((freie[rn]?|leitende[rn]?|stellvertretende[rn]?|politische[rn]?)\ )?
         (Redakteur|Autor|Journalist|Korrespondent|Professor|Gründer|Rechtsanwalt|Chefredakteur|Reporter)(in)?(?-u:\b)
      | ^(\p{Lu}[\p{L}.-]+\ ){1,3}(leitet\ das\ Ressort|schreibt\ seit|beschäftigt\ sich\ mit|ist\ \S+-Experte)
    ",
    )
    .unwrap()
});

/// Whether a paragraph is an author's bio ([`BIO`]).
pub(crate) fn is_bio(line: &str) -> bool {
    BIO.is_match(line)
}
