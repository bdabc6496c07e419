//! Boilerplate removal for plain text scraped from a page.
//!
//! Hand-written because it is our edge and no crate does it: with no DOM the
//! only evidence is the lines themselves. Each line is classified from its
//! length, final punctuation, case, repetition within the page, its position
//! relative to the headline and to tail markers ("Related", "Leave a Reply",
//! "Comments"), and phrases typical of page furniture ("Share this article",
//! "2 minute read", copyright lines, donation appeals, photo credits).
//!
//! Steps: (1) find the headline: a title-like line repeated in the head of
//! the page, or the last title-like line before the first run of two body
//! lines; everything above its last repeat is page header (a repeat after
//! 100 words of prose is a "latest posts" list, not the header). (2) find
//! the end: the first tail marker after the body has started that is not
//! followed by more prose than came before it nor by a run of paragraphs
//! (a share bar's "Comments (32)", a "Most read" box inside the article);
//! then the end of the article's main run of paragraphs, the run with the
//! most words whose paragraphs are fewer than five other lines apart (a list
//! of the article is no gap), less an author's bio as its last paragraph.
//! (3) keep the lines between that read as prose and are not furniture,
//! captions, repeated lines or keyword soup, and the short lines and lists
//! that sit between two paragraphs.
//!
//! Words are counted by whitespace, and one per two Chinese or Japanese
//! characters (written without spaces); sentence ends include the
//! full-width, Arabic and Devanagari marks, emoji and emoticons.

use crate::{dates, normalize_ws, single_spaced, words_of, Found};
use corroborate_model::{is_cjk, Timestamp};
use regex::Regex;
use rustc_hash::FxHashMap as HashMap;
use std::sync::LazyLock;

mod lines;
use lines::*;

mod meta;
pub(crate) use meta::is_bio;
use meta::*;

/// The result of cleaning one scraped page.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Cleaned {
    /// Headline, when one was found.
    pub title: Option<String>,
    /// Body paragraphs, in order.
    pub paragraphs: Vec<String>,
    /// Every other non-empty line, in order.
    pub removed: Vec<String>,
    /// Lines above the body (header, standfirst, byline, captions): metadata sources.
    pub head: Vec<String>,
    /// Outlet named after the headline ("Headline | Outlet").
    pub site: Option<String>,
}

/// Phrases of page furniture: the lexicon's `furniture` tables of every
/// language (`crates/lexicon/data/<language>/furniture.txt`), one
/// alternative a line, joined into one alternation (case-insensitive,
/// verbose). [`FURNITURE`] splits it in two at start-up.
fn furniture_pattern() -> String {
    corroborate_lexicon::tables("furniture")
        .flat_map(|t| t.words())
        .collect::<Vec<_>>()
        .join("\n| ")
}

/// [`furniture_pattern`] as two automata: its alternatives anchored at the
/// line's start, and the others. One automaton for both tracked every
/// pair of their partial matches: its lazy DFA kept building states (a
/// tenth of plain-text extraction). A line is furniture when either
/// matches, exactly as when the one alternation did.
static FURNITURE: LazyLock<(Regex, Regex)> = LazyLock::new(|| split_anchored(&furniture_pattern()));

/// Splits a verbose, case-insensitive alternation into (anchored at the
/// start, the rest), each compiled on its own.
fn split_anchored(pattern: &str) -> (Regex, Regex) {
    use regex_syntax::ast::{parse::ParserBuilder, print::Printer, AssertionKind, Ast};
    let ast = ParserBuilder::new()
        .ignore_whitespace(true)
        .build()
        .parse(pattern)
        .expect("furniture pattern");
    let alternatives = match &ast {
        Ast::Alternation(a) => a.asts.clone(),
        other => vec![other.clone()],
    };
    let (mut start, mut rest) = (Vec::new(), Vec::new());
    for alt in alternatives {
        let first = match &alt {
            Ast::Concat(c) => c.asts.first(),
            other => Some(other),
        };
        let anchored = matches!(first, Some(Ast::Assertion(a))
            if matches!(a.kind, AssertionKind::StartLine | AssertionKind::StartText));
        let mut text = String::new();
        Printer::new().print(&alt, &mut text).expect("print");
        if anchored {
            start.push(text);
        } else {
            rest.push(text);
        }
    }
    let build = |alts: Vec<String>| {
        regex::RegexBuilder::new(&format!("(?:{})", alts.join("|")))
            .case_insensitive(true)
            .dfa_size_limit(64 << 20)
            .build()
            .expect("furniture regex")
    };
    (build(start), build(rest))
}

/// Prose words after the headline beyond which a repeat of it is no longer
/// part of the page's header.
const HEADER_PROSE: usize = 100;

/// Lines without prose that separate the article's main run of paragraphs
/// from the page's own prose further down.
const GAP: usize = 5;

/// A tail heading ends the article only when at most this many times the
/// prose before it follows it.
const TAIL_RATIO: usize = 1;

/// Words of prose after which any tail heading but "Read more" ends the article.
const TAIL_MIN_BEFORE: usize = 100;

/// "Read more", "Read next", "Lire la suite": a link that may sit inside the article.
static READ_ON: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(read\s+(more|next)|lire\s+la\s+suite|weiterlesen|leer\s+más)\W*$")
        .unwrap()
});

static TAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^(\[\w+\]\s*)?(
        related(\ (posts|articles|stories|news|content|coverage))? | latest\ (stories|news) | you\ may\ also\ like
      | leave\ a\ reply | comments?\s*\(?\d*\)? | most\ (read|popular|viewed) | popular\ now | trending(\ now)?
      | read\ (more|next) | more\ (from|stories|news)(?-u:\b).* | recommended(\ for\ you)? | what\ to\ read\ next
      | you\ might\ also\ like | more\ on\ this\ (story|topic) | about\ the\ author | über\ den\ autor
      | zum\ weiterlesen | entdecke\ (weitere|mehr)(\ .*)?
      | neueste\ (beiträge|artikel|kommentare|nachrichten) | recent\ (posts|comments|articles)
      # German, French, Italian, Spanish, Polish, Dutch: the same headings.
      | mehr\ (zum\ thema|zu\ diesem\ thema)(\ (auf|bei|von)\ .*)? | mehr\ aus\ (der|dem)\ .* | weitere\ (artikel|beiträge|nachrichten|meldungen|themen)
      | weiterführende\ links? | ähnliche\ (beiträge|artikel|themen) | verwandte\ (beiträge|artikel|themen)
      | das\ könnte\ (sie|dich)\ auch\ interessieren | auch\ interessant | kommentare?\s*\(?\d*\)? | meistgelesen(e)?
      | (die\ )?meist-?(gelesen|geklickt|kommentiert|diskutiert)(e|en)?(\ (artikel|beiträge|nachrichten|news))?(\ .*)?
      | (à\ )?lire\ aussi | sur\ le\ même\ sujet | articles?\ (similaires|liés) | commentaires?\s*\(?\d*\)?
      | leggi\ anche | articoli\ correlati | commenti | lee\ también | noticias\ relacionadas | comentarios
      | czytaj\ (też|także) | komentarze | lees\ ook | gerelateerde\ artikelen | reacties
    )\s*:?$",
    )
    .unwrap()
});

static CAPTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)
        \((picture|photo|image|source|credit|video|footage)s?\s*:  | \(photo\ by(?-u:\b) | (?-u:\b)photo\ (via|by|courtesy)(?-u:\b)
      | (?-u:\b)getty\ images(?-u:\b) | (?-u:\b)reuters/ | (?-u:\b)ap\ photo(?-u:\b) | /\ captured\ from(?-u:\b) | (?-u:\b)illustrative\ (image|photo)(?-u:\b)
      | ^(left|right|above|top|below)\s*: | (?-u:\b)credit\s*:
      # The same credits in the other languages of the pages we read.
      | \((foto|fotos|bild|bildquelle|quelle|grafik|zdjęcie|źródło|fuente|crédito|crédit|photo)s?\s*:
      | (foto|bild|bildquelle|zdjęcie|fuente)\s*:\s*[^.]{2,60}\.?$ | ©\s*[^.]{2,60}$ | /domena\ publiczna$
      # Stock-photo and agency credits at a line's end, illustration labels.
      | (?-u:\b)(shutterstock|istock|adobestock|stock\.adobe)(\.com)?\)?\.?$ | /\ ?reuters$ | \(symbolbild\)\.?$
      | ^(beitragsbild|titelbild|symbolbild)\s*: | ,\ (photo|foto)\s*:\ [^.]{2,60}$ | ^abbildung(\ \d+)?\s*:
      | \(c\)\ [^.]{2,40}$ | \((links|rechts|l\.|r\.|li\.|re\.)(\ im\ bild)?\) ",
    )
    .unwrap()
});

static TOLD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(?:previously|earlier|originally)\s+(?:told|reported\s+to|spoke\s+to)\s+(\p{Lu}[\w.]*(?:\s+\p{Lu}[\w.]*)?)").unwrap()
});

/// True for a line of page furniture ("Share this article", a photo credit,
/// a byline with a date...).
pub fn is_furniture_line(line: &str) -> bool {
    let n = words(line);
    is_furniture(line, n) || (n <= 25 && CAPTION.is_match(line)) || TAIL.is_match(line)
}

/// True for a block that reads as a paragraph and is not furniture.
pub fn is_prose_block(block: &str) -> bool {
    let n = words(block);
    paragraph_shaped(block, n) && !is_furniture(block, n)
}

/// Words beyond which a line is prose whatever phrase it holds (a footer's
/// sentence runs to 60 words; 80 lost article paragraphs on the trafilatura
/// pages, 40 kept footers).
const FURNITURE_MAX_WORDS: usize = 60;

/// `n` is the line's word count ([`words`]), computed once by the caller.
fn is_furniture(line: &str, n: usize) -> bool {
    n <= FURNITURE_MAX_WORDS && (FURNITURE.0.is_match(line) || FURNITURE.1.is_match(line))
        || is_dateline(line, n)
}

/// "By Ada Lindqvist · 14 March 2025", "Tomas Reyes | 15 March 2025":
/// short lines made of a name and a date, or a byline.
fn is_dateline(line: &str, n: usize) -> bool {
    (n <= 10
        && !ends_like_prose(line)
        && line.bytes().any(|b| b.is_ascii_digit())
        && dates::find_date(line).is_some())
        || (n <= 6 && byline(line).is_some())
}

/// Words from which a list item does not count towards the gap that ends
/// the article's main run of paragraphs (a menu's items are shorter).
const LIST_GAP_WORDS: usize = 3;

/// Words from which a list item inside the article is kept however it is
/// placed.
const LIST_ITEM_WORDS: usize = 4;

/// "1. ", "2) ": a numbered list item.
static NUMBERED: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\d{1,2}[.)]\s").unwrap());

/// Whether a line is a numbered list item ([`NUMBERED`]); the regex only
/// runs on lines that start with a digit.
fn numbered(line: &str) -> bool {
    line.chars().next().is_some_and(char::is_numeric) && NUMBERED.is_match(line)
}

/// A run of words that is no sentence: a lower-case tag cloud, a menu
/// flattened into one line ("+ Themen + Urlaub + Börse"), or a row of
/// title-case links ("Home Aktuell Unfälle Verkehr Feuerwehr").
fn is_soup(line: &str, n: usize) -> bool {
    if n < 5 {
        return false;
    }
    let (mut pipes, mut separators, mut capitalised, mut tokens) = (0, 0, 0, 0);
    for t in words_of(line) {
        tokens += 1;
        pipes += usize::from(t == "|");
        if t.chars()
            .all(|c| matches!(c, '+' | '*' | '|' | '•' | '·' | '»' | '/' | '>' | '-' | '–'))
        {
            separators += 1;
        } else if t.starts_with(char::is_uppercase) {
            capitalised += 1;
        }
    }
    // Links joined by pipes, whatever ends the last one ("Rente | Blog |
    // Mailaktion | Alles klar?").
    if pipes >= 3 && pipes * 4 >= n {
        return true;
    }
    if ends_like_prose(line) {
        return false;
    }
    // All lower case: a tag cloud (a caseless script tells nothing).
    let (upper, caseless) = cased(line);
    if !upper && !caseless {
        return true;
    }
    separators >= 3 && separators * 8 >= tokens || n >= 8 && capitalised * 10 >= n * 8
}

fn is_title_like(line: &str, n: usize) -> bool {
    (4..=30).contains(&n)
        && !line.trim_end().ends_with(['.', ':', ';', ','])
        && cased(line) != (false, false)
        && !is_furniture(line, n)
        && !CAPTION.is_match(line)
        && (!is_soup(line, n) || title_cased(line))
        && byline(line).is_none()
}

/// A headline in title case ("Soldiers Are Dying in Ukraine – the Cover-Up
/// Is Worse"): capitalised like a run of menu links, but title case keeps
/// short function words in lower case, which link labels do not have, and
/// it holds at most one separator.
fn title_cased(line: &str) -> bool {
    let (mut short_lower, mut separators) = (0, 0);
    for t in words_of(line) {
        if t.chars().all(|c| !c.is_alphanumeric()) {
            separators += 1;
        } else if t.chars().count() <= 4 && t.chars().all(char::is_lowercase) {
            short_lower += 1;
        }
    }
    short_lower >= 1 && separators <= 1 && !line.contains('|')
}

/// Classifies the lines of one scraped page. See the module docs.
pub fn clean(text: &str) -> Cleaned {
    let p = Page::new(text);
    let h = headline(&p);
    let started = (h.body_start..p.lines.len())
        .find(|&i| p.prose(i))
        .unwrap_or(h.body_start);
    let tail = drop_bio(
        &p,
        started,
        main_run_end(&p, started, tail_heading(&p, started)),
    );
    body(&p, h, started, tail)
}

/// A text page's lines, classified once: cheap tests first, regexes last,
/// each run at most once per line.
struct Page<'t> {
    lines: Vec<&'t str>,
    /// Whether each line was a list item (bullet or number).
    listed: Vec<bool>,
    keys: Vec<u64>,
    nwords: Vec<usize>,
    /// (count, first line) of each key.
    seen: HashMap<u64, (usize, usize)>,
    furniture: Vec<std::cell::OnceCell<bool>>,
    caption: Vec<std::cell::OnceCell<bool>>,
    prose: Vec<bool>,
}

impl<'t> Page<'t> {
    fn new(text: &'t str) -> Page<'t> {
        let (lines, listed): (Vec<&str>, Vec<bool>) = text
            .lines()
            .map(|l| {
                let t = trim(l);
                let item = strip_bullet(t);
                (item, item.len() < t.len() || numbered(item))
            })
            .filter(|(l, _)| !l.is_empty())
            .unzip();
        let mut buf = Vec::new();
        let (keys, nwords): (Vec<u64>, Vec<usize>) = lines.iter().map(|l| key(l, &mut buf)).unzip();
        let mut seen: HashMap<u64, (usize, usize)> = HashMap::default();
        for (i, k) in keys.iter().enumerate() {
            seen.entry(*k).or_insert((0, i)).0 += 1;
        }
        let n = lines.len();
        let mut p = Page {
            lines,
            listed,
            keys,
            nwords,
            seen,
            furniture: vec![Default::default(); n],
            caption: vec![Default::default(); n],
            prose: Vec::new(),
        };
        p.prose = (0..n)
            .map(|i| {
                let l = p.lines[i];
                paragraph_shaped(l, p.nwords[i])
                    && !p.repeated(i)
                    && !is_soup(l, p.nwords[i])
                    && !p.furniture(i)
                    && !p.caption(i)
            })
            .collect();
        p
    }

    fn count(&self, i: usize) -> usize {
        self.seen[&self.keys[i]].0
    }

    /// A repeated line is furniture (captions, teasers)... unless it is a
    /// long paragraph, whose first copy is the article and later ones are
    /// echoes.
    fn repeated(&self, i: usize) -> bool {
        let n = self.nwords[i];
        self.count(i) > 1 && n >= 3 && !(n >= 25 && self.seen[&self.keys[i]].1 == i)
    }

    fn furniture(&self, i: usize) -> bool {
        *self.furniture[i].get_or_init(|| is_furniture(self.lines[i], self.nwords[i]))
    }

    fn caption(&self, i: usize) -> bool {
        *self.caption[i].get_or_init(|| CAPTION.is_match(self.lines[i]))
    }

    fn prose(&self, i: usize) -> bool {
        self.prose[i]
    }
}

/// What the top of a page says: the headline, its line, the outlet, and
/// where the body starts.
struct Headline {
    title: Option<String>,
    title_idx: Option<usize>,
    site: Option<String>,
    body_start: usize,
    head_len: usize,
}

/// (1) The headline.
fn headline(p: &Page<'_>) -> Headline {
    let head_len = (p.lines.len() * 2 / 5).max(15).min(p.lines.len());
    // Where the body starts: two prose lines in a row, or else the first one
    // (a short page may have a single paragraph).
    let first_run = (0..p.lines.len().saturating_sub(1))
        .find(|&i| p.prose(i) && p.prose(i + 1))
        .or_else(|| (0..p.lines.len()).find(|&i| p.prose(i)));
    let title_zone = first_run.unwrap_or(head_len).min(head_len);
    let repeated_title = (0..title_zone)
        .filter(|&i| p.count(i) > 1 && is_title_like(p.lines[i], p.nwords[i]))
        .max_by_key(|&i| (p.count(i), usize::MAX - i));
    let title_idx = repeated_title.or_else(|| {
        let limit = first_run.unwrap_or(0).min(head_len);
        (0..limit)
            .rev()
            .find(|&i| is_title_like(p.lines[i], p.nwords[i]))
    });
    // "Headline | Outlet": the outlet, from the lines that carry the headline
    // (a section name, "| News UK", "| World", is not an outlet).
    let site = title_idx.and_then(|i| {
        (0..head_len)
            .filter(|&j| p.keys[j] == p.keys[i] && has_separator(p.lines[j]))
            .find_map(|j| site_suffix(p.lines[j]).map(|(_, site)| site.to_string()))
            .filter(|site| !is_section_name(site))
    });
    let (title, body_start) = match title_idx {
        Some(i) => {
            // The body starts after the headline's last repeat, unless an
            // article's worth of prose came first: then that repeat is a
            // "latest posts" list further down, not the page's header.
            let mut prose_words = 0;
            let mut last = i;
            for j in i + 1..head_len {
                if p.keys[j] == p.keys[i] && prose_words < HEADER_PROSE {
                    last = j;
                }
                if p.prose(j) {
                    prose_words += p.nwords[j];
                }
            }
            (
                Some(
                    site_suffix(p.lines[i])
                        .map_or(p.lines[i], |(start, _)| &p.lines[i][..start])
                        .trim()
                        .to_string(),
                ),
                last + 1,
            )
        }
        None => (None, 0),
    };

    Headline {
        title,
        title_idx,
        site,
        body_start,
        head_len,
    }
}

/// (2) The tail: the first tail heading that ends the article (or the
/// page's end).
fn tail_heading(p: &Page<'_>, started: usize) -> usize {
    // The first tail heading that ends the article: one followed by more
    // prose than came before it is a link or a share bar inside or above the
    // article ("Read More", "Comments (32)"), not its end.
    let mut prose_after: Vec<usize> = vec![0; p.lines.len() + 1];
    for i in (0..p.lines.len()).rev() {
        prose_after[i] = prose_after[i + 1] + if p.prose(i) { p.nwords[i] } else { 0 };
    }
    (started..p.lines.len())
        .find(|&i| {
            let before = prose_after[started] - prose_after[i];
            TAIL.is_match(p.lines[i])
                && (prose_after[i + 1] <= TAIL_RATIO * before
                    // After a real start of the article, a comments or
                    // related-links heading is its end; "Read more" may be
                    // a link inside it.
                    || (before >= TAIL_MIN_BEFORE
                        && !READ_ON.is_match(p.lines[i])
                        // A box inside the article ("Most Read") is followed
                        // by the article again: a run of paragraphs.
                        && !(i + 1..(i + 16).min(p.lines.len()).saturating_sub(2))
                            .any(|j| p.prose(j) && p.prose(j + 1) && p.prose(j + 2))))
        })
        .unwrap_or(p.lines.len())
}

/// With no heading to mark it, the article ends with its main run of
/// prose: the run (paragraphs separated by fewer than GAP other lines)
/// with the most words. Prose after a wider gap is the page's: author
/// boxes, appeals, teasers.
fn main_run_end(p: &Page<'_>, started: usize, tail: usize) -> usize {
    let (mut best, mut best_words) = (tail, 0);
    let (mut run_words, mut gap) = (0, 0);
    for (i, &n) in p.nwords.iter().enumerate().take(tail).skip(started) {
        if p.prose(i) {
            if gap >= GAP {
                run_words = 0;
            }
            run_words += n;
            gap = 0;
            if run_words > best_words {
                (best, best_words) = (i + 1, run_words);
            }
        } else if !(p.listed[i] && p.nwords[i] >= LIST_GAP_WORDS) {
            // A list of the article (steps, ingredients, points) is no
            // gap; a menu's one-word items are.
            gap += 1;
        }
    }
    best
}

/// An author's bio as the last paragraph is the page's, not the
/// article's ("Will Knight is a senior writer for WIRED"); so is one that
/// comes after most of the prose, with only related posts or comments
/// after it: the article ends at its author box.
fn drop_bio(p: &Page<'_>, started: usize, tail: usize) -> usize {
    let mut tail = bio_boundary(p, started, tail);
    for _ in 0..2 {
        match (started..tail).rev().find(|&i| p.prose(i)) {
            Some(last) if last > started && is_bio(p.lines[last]) => tail = last,
            _ => break,
        }
    }
    tail
}

/// The first author's bio ([`is_bio`]) after at least 100 words of prose
/// and after more prose than follows it, or `tail`: past the article's
/// author box come related posts and comments.
fn bio_boundary(p: &Page<'_>, started: usize, tail: usize) -> usize {
    let total: usize = (started..tail)
        .filter(|&i| p.prose(i))
        .map(|i| p.nwords[i])
        .sum();
    let mut before = 0;
    for i in started..tail {
        if !p.prose(i) {
            continue;
        }
        if before >= 100 && before >= total - before && is_bio(p.lines[i].trim()) {
            return i;
        }
        before += p.nwords[i];
    }
    tail
}

/// Whether line `i`, just above the body's first paragraph, begins that
/// paragraph's sentence: the paragraph opens in lower case ("findet in
/// 2020 zum 6. Mal statt") and line `i`, two words or more and no list
/// item, does not end one (a renderer broke the sentence at an inline
/// element).
fn opens(p: &Page<'_>, i: usize, started: usize) -> bool {
    let line = p.lines[i];
    i + 1 == started
        && !p.listed[i]
        && p.nwords[i] >= 2
        && p.lines[started]
            .split_whitespace()
            .next()
            .is_some_and(|w| w.chars().count() > 1 && w.chars().all(char::is_lowercase))
        && !line.ends_with(['.', '!', '?', ':', '…'])
        && !p.repeated(i)
        && !p.furniture(i)
        && !p.caption(i)
}

/// (3) The body: the lines between the headline and the tail, with the
/// short lines and lists that sit between its paragraphs.
fn body(p: &Page<'_>, h: Headline, started: usize, tail: usize) -> Cleaned {
    let Headline {
        title,
        title_idx,
        site,
        body_start,
        head_len,
    } = h;
    let mut out = Cleaned {
        title,
        site,
        ..Cleaned::default()
    };
    // A short line between two paragraphs of the body (a subheading, a list
    // item) belongs to the article unless it looks like furniture.
    // The same for a whole list between two paragraphs (steps, ingredients):
    // for each list item, whether the lines around its list are prose.
    let item = |j: usize| p.listed[j] && !p.prose(j);
    let mut list_flanked = vec![false; p.lines.len()];
    let mut j = started;
    while j < tail {
        if !item(j) {
            j += 1;
            continue;
        }
        let end = (j..tail).find(|&k| !item(k)).unwrap_or(tail);
        let flanked = j > started && p.prose(j - 1) && end < tail && p.prose(end);
        list_flanked[j..end].fill(flanked);
        j = end;
    }
    let first_prose = (started..tail).find(|&j| p.prose(j)).unwrap_or(tail);
    let inner = |i: usize| {
        let l = p.lines[i];
        let body = |j: usize| p.prose(j) || list_flanked[j];
        let flanked = if item(i) {
            list_flanked[i] || (p.nwords[i] >= LIST_ITEM_WORDS && i > first_prose)
        } else {
            i > started && body(i - 1) && body(i + 1)
        };
        i > started
            && i + 1 < tail
            && flanked
            && !p.repeated(i)
            && !p.furniture(i)
            && !p.caption(i)
            && !TAIL.is_match(l)
    };
    // Above the headline, a long paragraph is still article text (the page
    // put its title low), but not in the standfirst zone between the
    // headline's first and last occurrence.
    let title_first = title_idx
        .map(|i| (0..head_len).find(|&j| p.keys[j] == p.keys[i]).unwrap_or(i))
        .unwrap_or(0);
    for (i, line) in p.lines.iter().enumerate() {
        if i < body_start && i < title_first && p.prose(i) && p.nwords[i] >= LONG_LINE {
            out.paragraphs.push(normalize_ws(line));
        } else if i < body_start {
            out.head.push(line.to_string());
            out.removed.push(line.to_string());
        } else if i < tail && (p.prose(i) || inner(i) || opens(p, i, started)) {
            out.paragraphs.push(normalize_ws(line));
        } else {
            out.removed.push(line.to_string());
        }
    }
    // Pages with no recognisable structure: keep the prose we found anywhere.
    if out.paragraphs.is_empty() {
        out.removed.clear();
        for (i, line) in p.lines.iter().enumerate() {
            if p.prose(i) {
                out.paragraphs.push(normalize_ws(line));
            } else {
                out.removed.push(line.to_string());
            }
        }
    }
    out
}

/// Extraction of a scraped text page: body plus what its header lines tell.
pub(crate) fn extract(text: &str, now: Timestamp) -> Found {
    let cleaned = clean(text);
    let head_and_removed = || cleaned.head.iter().chain(cleaned.removed.iter());
    let published = head_and_removed()
        .take(40)
        .filter(|l| words(l) <= 12)
        .find_map(|l| dates::find_date(l))
        .and_then(|d| dates::parse(&d.to_string(), Some(now)));
    let author = head_and_removed()
        .find_map(|l| byline(l).map(str::to_string))
        .or_else(|| signature(&cleaned.removed));
    let site = cleaned.site.clone().or_else(|| {
        cleaned
            .removed
            .iter()
            .find_map(|l| copyright_owner(trim(l)).map(|owner| owner.trim().to_string()))
            .or_else(|| cleaned.removed.iter().find_map(|l| contact_domain(l)))
    });
    let body = cleaned.paragraphs.join("\n\n");
    let site = site.or_else(|| self_reference(&body));
    let declared_source = cleaned.removed.iter().any(|l| {
        l.get(..11)
            .is_some_and(|p| p.eq_ignore_ascii_case("source link"))
    });
    // A republished page says so ("Source Link"); only then does "previously
    // told Metro", the original's own reporting phrase, name the original.
    // Without the notice it is reporting, not syndication.
    let republished_from = declared_source.then(|| {
        TOLD.captures(&body)
            .map(|c| c[1].trim_end_matches('.').to_string())
            .filter(|name| site.as_deref() != Some(name.as_str()))
            .unwrap_or_else(|| "unnamed source (\"Source Link\")".to_string())
    });
    Found {
        title: cleaned.title.clone(),
        author,
        site,
        published,
        text: body,
        republished_from,
        boilerplate: cleaned.removed,
        ..Found::default()
    }
}

#[cfg(test)]
mod tests;
