use std::sync::LazyLock;

/// The languages reported, by whatlang code, with their ISO 639-1 code.
/// Detection only considers these: fewer trigram profiles to score, and no
/// answer outside the list.
const LANGS: &[(&str, &str)] = &[
    ("eng", "en"),
    ("deu", "de"),
    ("fra", "fr"),
    ("spa", "es"),
    ("ita", "it"),
    ("por", "pt"),
    ("nld", "nl"),
    ("rus", "ru"),
    ("ukr", "uk"),
    ("pol", "pl"),
    ("ces", "cs"),
    ("swe", "sv"),
    ("dan", "da"),
    ("fin", "fi"),
    ("nob", "no"),
    ("tur", "tr"),
    ("ara", "ar"),
    ("heb", "he"),
    ("jpn", "ja"),
    ("kor", "ko"),
    ("cmn", "zh"),
    ("ell", "el"),
    ("hun", "hu"),
    ("ron", "ro"),
    ("bul", "bg"),
    ("hrv", "hr"),
    ("srp", "sr"),
    ("slk", "sk"),
    ("slv", "sl"),
    ("est", "et"),
    ("lav", "lv"),
    ("lit", "lt"),
    ("pes", "fa"),
    ("hin", "hi"),
    ("vie", "vi"),
    ("ind", "id"),
    ("tha", "th"),
    ("cat", "ca"),
    ("bel", "be"),
];

pub(crate) fn detect(text: &str) -> Option<String> {
    detect_with(text, true)
}

/// [`detect`], narrowing the languages by function words or not (the
/// tests check both give the same answers).
fn detect_with(text: &str, narrow: bool) -> Option<String> {
    // 400 characters of body text are enough for whatlang (about 60 words)
    // and keep detection cheap and constant per document.
    let sample: String = text.chars().take(400).collect();
    let is_cjk = |c: &char| corroborate_model::is_cjk(*c);
    let (mut cjk, mut letters, mut latin) = (0, 0, 0);
    for c in sample.chars() {
        cjk += usize::from(is_cjk(&c));
        if c.is_alphabetic() {
            letters += 1;
            latin += usize::from(is_latin(c));
        }
    }
    // Chinese and Japanese are written without spaces: count a word for
    // every two of their characters.
    let words = sample.split_whitespace().count() + cjk / 2;
    if words < 5 {
        return None;
    }
    // A Chinese or Japanese text that leaves names in Latin script ("Simon
    // Coveney 敦促 Stormont 会谈…") can have more Latin letters than CJK
    // characters, each of which carries a word's worth of text: when a
    // third of the letters are CJK, the CJK characters alone decide.
    let sample = if cjk * 3 >= letters && cjk < letters {
        sample.chars().filter(is_cjk).collect()
    } else {
        sample
    };
    // Under 20 words (a headline, a snippet) only a guess whatlang calls
    // reliable is an answer: the language picks stemmers and decides which
    // articles are compared by names alone, and a wrong one costs more
    // than none. From 20 words, function words may narrow the languages
    // whatlang scores (see `candidates`).
    let info = if words >= 20 {
        match narrow
            .then(|| candidates(&sample, latin == letters))
            .flatten()
        {
            Some(Narrowed::Decided(code)) => return two_letter(code),
            Some(Narrowed::Among(list)) => whatlang::Detector::with_allowlist(list).detect(&sample),
            None => detector().detect(&sample),
        }
    } else {
        detector().detect(&sample).filter(|i| i.is_reliable())
    }?;
    two_letter(info.lang().code())
}

/// The ISO 639-1 code of a whatlang code in [`LANGS`].
fn two_letter(code: &str) -> Option<String> {
    LANGS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, two)| two.to_string())
}

/// Whatlang over every language [`LANGS`] names.
fn detector() -> &'static whatlang::Detector {
    static DETECTOR: std::sync::OnceLock<whatlang::Detector> = std::sync::OnceLock::new();
    DETECTOR.get_or_init(|| {
        whatlang::Detector::with_allowlist(
            LANGS
                .iter()
                .filter_map(|(code, _)| whatlang::Lang::from_code(*code))
                .collect(),
        )
    })
}

/// The most frequent function words of each Latin-script language, from
/// the lexicon's `function-words` tables, by whatlang code.
///
/// Why by hand: whatlang scores a Latin-script text against each of its
/// 25 Latin profiles, 300 trigram look-ups apiece, whatever the text's
/// length: a quarter of plain-text extraction. Counting these words in the
/// sample is a few dozen look-ups and names the two or three languages
/// worth scoring; whatlang still decides among them (and among all of
/// them when the words do not point clearly anywhere).
static FUNCTION_WORDS: LazyLock<Vec<(&'static str, Vec<&'static str>)>> = LazyLock::new(|| {
    corroborate_lexicon::tables("function-words")
        .map(|t| {
            let code = LANGS.iter().find(|(_, two)| *two == t.lang);
            let code = code.unwrap_or_else(|| panic!("function-words/{}: not in LANGS", t.lang));
            (code.0, t.words().collect())
        })
        .collect()
});

/// Languages whatlang confuses with each other: a candidate brings its
/// group along.
const GROUPS: &[&[&str]] = &[
    &["dan", "nob", "swe"],
    &["ces", "slk"],
    &["hrv", "slv"],
    &["spa", "cat", "por"],
    &["fin", "est"],
    &["lav", "lit"],
    &["deu", "nld"],
];

/// Function-word hits below which the words tell nothing.
const MIN_HITS: u32 = 6;

/// Function-word hits from which one language, far ahead of all others,
/// is the answer without whatlang.
const DECISIVE_HITS: u32 = 8;

/// What the function words tell of a sample's language.
enum Narrowed {
    /// This language (a whatlang code).
    Decided(&'static str),
    /// One of these: whatlang decides.
    Among(Vec<whatlang::Lang>),
}

/// Candidates beyond which scoring all languages costs little more.
const MAX_CANDIDATES: usize = 8;

/// The Latin-script languages worth scoring for `sample`: those with at
/// least half the function-word hits of the best, with their groups.
/// `None` (score them all) when a letter of the sample is of another
/// script (`latin_only` false, counted by the caller), for too few hits,
/// or for too many candidates.
fn candidates(sample: &str, latin_only: bool) -> Option<Narrowed> {
    use rustc_hash::FxHashMap;
    static INDEX: std::sync::OnceLock<FxHashMap<&'static str, u32>> = std::sync::OnceLock::new();
    let index = INDEX.get_or_init(|| {
        let mut index = FxHashMap::default();
        for (i, (_, words)) in FUNCTION_WORDS.iter().enumerate() {
            for w in words {
                *index.entry(*w).or_insert(0) |= 1 << i;
            }
        }
        index
    });
    // One bit per language in the index's masks: at most 32 languages (a
    // test checks).
    let mut hits = [0u32; 32];
    let hits = &mut hits[..FUNCTION_WORDS.len()];
    let mut lower = String::new();
    for word in sample.split(|c: char| !c.is_alphabetic()) {
        // A one-letter word counts in lower case only: "A", "B" are list
        // labels and grades more often than Hungarian or Czech articles.
        if word.is_empty()
            || word.len() > 12
            || word.len() == 1 && word.as_bytes()[0].is_ascii_uppercase()
        {
            continue;
        }
        let word = if word
            .bytes()
            .any(|b| b.is_ascii_uppercase() || !b.is_ascii())
        {
            lower.clear();
            lower.extend(word.chars().flat_map(char::to_lowercase));
            lower.as_str()
        } else {
            word
        };
        if let Some(&mask) = index.get(word) {
            for (i, h) in hits.iter_mut().enumerate() {
                *h += (mask >> i) & 1;
            }
        }
    }
    let top = *hits.iter().max()?;
    if top < MIN_HITS || !latin_only {
        return None;
    }
    // One language with many hits and no other near it (not a third of
    // its hits): that is the answer, with nothing left for whatlang to
    // tell apart.
    let best = hits.iter().position(|&h| h == top)?;
    if top >= DECISIVE_HITS
        && hits
            .iter()
            .enumerate()
            .all(|(i, &h)| i == best || h * 3 <= top)
    {
        return Some(Narrowed::Decided(FUNCTION_WORDS[best].0));
    }
    let mut codes: Vec<&str> = Vec::new();
    for (i, (code, _)) in FUNCTION_WORDS.iter().enumerate() {
        if hits[i] * 2 >= top {
            let group = GROUPS.iter().find(|g| g.contains(code));
            for c in group.map_or(&[*code][..], |g| &g[..]) {
                if !codes.contains(c) {
                    codes.push(c);
                }
            }
        }
    }
    (codes.len() <= MAX_CANDIDATES).then(|| {
        Narrowed::Among(
            codes
                .iter()
                .filter_map(|c| whatlang::Lang::from_code(*c))
                .collect(),
        )
    })
}

/// Latin letters, plain and accented (Basic Latin to Latin Extended
/// Additional, which holds Vietnamese).
fn is_latin(c: char) -> bool {
    matches!(c, 'a'..='z' | 'A'..='Z' | '\u{c0}'..='\u{24f}' | '\u{1e00}'..='\u{1eff}')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every function-words table is of a language detection reports, at
    /// most 32 of them (one bit each), and each of its entries, repeated
    /// as a sample, narrows detection to candidates that include its
    /// language (or, shared by several languages, to none); prose of
    /// another script does not narrow.
    #[test]
    fn function_word_tables_narrow_to_their_language() {
        assert!(FUNCTION_WORDS.len() <= 32 && FUNCTION_WORDS.len() >= 20);
        for (code, words) in FUNCTION_WORDS.iter() {
            for w in words {
                let sample = [*w; 10].join(" ");
                let found = match candidates(&sample, true) {
                    Some(Narrowed::Decided(c)) => vec![c.to_string()],
                    Some(Narrowed::Among(langs)) => {
                        langs.iter().map(|l| l.code().to_string()).collect()
                    }
                    None => vec![],
                };
                // A word of many languages may name too many to narrow.
                let shared = FUNCTION_WORDS
                    .iter()
                    .filter(|(_, ws)| ws.contains(w))
                    .count();
                assert!(
                    found.iter().any(|c| c == code) || found.is_empty() && shared > 1,
                    "{code}: {w} gives {found:?}"
                );
            }
        }
        assert!(candidates("Это просто текст на другом языке", false).is_none());
    }

    /// Narrowing by function words changes no answer, in each language
    /// it narrows to.
    #[test]
    fn narrowing_gives_the_same_answers() {
        let texts = [
            ("en", "The harbour master said on Tuesday that the ferry would not run until engineers from the port authority had inspected the damaged pier, which was hit by the storm."),
            ("de", "Der Hafenmeister sagte am Dienstag, dass die Fähre erst wieder fahren werde, wenn Ingenieure der Hafenbehörde den beschädigten Pier geprüft hätten, der vom Sturm getroffen wurde."),
            ("nl", "De havenmeester zei dinsdag dat de veerboot niet zal varen tot ingenieurs van het havenbedrijf de beschadigde pier hebben geïnspecteerd, die door de storm werd getroffen."),
            ("fr", "Le capitaine du port a déclaré mardi que le ferry ne circulerait pas avant que les ingénieurs de l'autorité portuaire aient inspecté la jetée endommagée par la tempête."),
            ("es", "El capitán del puerto dijo el martes que el ferry no funcionará hasta que los ingenieros de la autoridad portuaria hayan inspeccionado el muelle dañado por la tormenta."),
            ("pt", "O capitão do porto disse na terça-feira que o ferry não vai funcionar até que os engenheiros da autoridade portuária tenham inspecionado o cais danificado pela tempestade."),
            ("it", "Il capitano del porto ha detto martedì che il traghetto non partirà finché gli ingegneri dell'autorità portuale non avranno ispezionato il molo danneggiato dalla tempesta."),
            ("pl", "Kapitan portu powiedział we wtorek, że prom nie będzie kursował, dopóki inżynierowie z zarządu portu nie sprawdzą uszkodzonego przez sztorm nabrzeża i nie ocenią jego stanu."),
            ("cs", "Kapitán přístavu v úterý řekl, že trajekt nebude jezdit, dokud inženýři přístavní správy neprověří molo, které bylo poškozeno bouří a je to také nebezpečné pro lidi."),
            ("sv", "Hamnkaptenen sade på tisdagen att färjan inte kommer att gå förrän ingenjörer från hamnmyndigheten har inspekterat den skadade piren, som träffades av stormen och det är allvarligt."),
            ("da", "Havnefogeden sagde tirsdag, at færgen ikke vil sejle, før ingeniører fra havnemyndigheden har undersøgt den beskadigede mole, som blev ramt af stormen, og det er alvorligt."),
            ("fi", "Satamakapteeni sanoi tiistaina, että lautta ei kulje ennen kuin satamaviranomaisen insinöörit ovat tarkastaneet myrskyssä vaurioituneen laiturin, joka on nyt suljettu ja se oli vaarallinen."),
            ("hu", "A kikötő kapitánya kedden azt mondta, hogy a komp nem indul, amíg a kikötői hatóság mérnökei meg nem vizsgálják a vihar által megrongált mólót, és ez már csak idő kérdése volt."),
            ("tr", "Liman başkanı salı günü yaptığı açıklamada, liman idaresinin mühendisleri fırtınada hasar gören iskeleyi inceleyene kadar feribotun çalışmayacağını söyledi ve bu çok daha uzun sürebilir gibi görünüyor."),
            ("ro", "Căpitanul portului a spus marți că feribotul nu va circula până când inginerii autorității portuare nu vor inspecta debarcaderul care a fost avariat de furtună, iar acest lucru este important."),
            ("id", "Kepala pelabuhan mengatakan pada hari Selasa bahwa kapal feri tidak akan beroperasi sampai insinyur dari otoritas pelabuhan memeriksa dermaga yang rusak akibat badai, dan itu akan memakan waktu dalam beberapa hari."),
        ];
        for (lang, text) in texts {
            assert_eq!(
                super::detect_with(text, false).as_deref(),
                Some(lang),
                "{text}"
            );
            assert_eq!(
                super::detect_with(text, true).as_deref(),
                Some(lang),
                "{text}"
            );
        }
    }

    /// Dev tool: `LANG_CHECK=file.jsonl cargo test -p corroborate-extract
    /// --lib --release lang_check -- --ignored --nocapture` compares the
    /// narrowed and the full detection on the `text` field of each line.
    #[test]
    #[ignore]
    fn lang_check() {
        let path = std::env::var("LANG_CHECK").expect("LANG_CHECK=file.jsonl");
        let (mut same, mut differ) = (0, 0);
        for line in std::fs::read_to_string(path).unwrap().lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let text = v["text"].as_str().unwrap_or_default();
            let (fast, full) = (
                super::detect_with(text, true),
                super::detect_with(text, false),
            );
            if fast == full {
                same += 1;
            } else {
                differ += 1;
                let head: String = text.chars().take(120).collect();
                println!("{fast:?} vs {full:?}: {head}");
            }
        }
        println!("{same} same, {differ} differ");
    }

    #[test]
    fn common_languages_and_too_little_text() {
        let d = |t: &str| super::detect(t);
        assert_eq!(d("The harbour master said on Tuesday that the ferry would not run until engineers from the port authority had inspected the damaged pier.").as_deref(), Some("en"));
        assert_eq!(
            d("storm closes the pier in norhaven harbour today"),
            None,
            "a short unreliable guess"
        );
        assert_eq!(d("Der Hafenmeister sagte, die Fähre werde erst wieder fahren, wenn Ingenieure den Pier geprüft hätten.").as_deref(), Some("de"));
        assert_eq!(d("Капитан порта заявил во вторник, что паром не будет ходить, пока инженеры портового управления не осмотрят причал, повреждённый штормом на прошлой неделе.").as_deref(), Some("ru"));
        assert_eq!(d("Le capitaine du port a déclaré que le ferry ne circulerait pas avant l'inspection de la jetée.").as_deref(), Some("fr"));
        assert_eq!(d("Storm closes pier"), None, "under five words");
        assert_eq!(
            d("港务局局长周二表示，在港务局工程师检查受损码头之前，渡轮将停止运营。").as_deref(),
            Some("zh"),
            "no spaces, yet many words"
        );
        assert_eq!(d("Simon Coveney 敦促 Stormont 会谈的各方表现出慷慨 节日期间暂停后，谈判将于周四正式恢复（David Young/PA）").as_deref(), Some("zh"), "names in Latin script");
    }
}
