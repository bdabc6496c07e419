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
    // 400 characters of body text are enough for whatlang (about 60 words)
    // and keep detection cheap and constant per document.
    let sample: String = text.chars().take(400).collect();
    let is_cjk = |c: &char| corroborate_model::is_cjk(*c);
    let cjk = sample.chars().filter(is_cjk).count();
    let letters = sample.chars().filter(|c| c.is_alphabetic()).count();
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
    static DETECTOR: std::sync::OnceLock<whatlang::Detector> = std::sync::OnceLock::new();
    let detector = DETECTOR.get_or_init(|| {
        whatlang::Detector::with_allowlist(
            LANGS
                .iter()
                .filter_map(|(code, _)| whatlang::Lang::from_code(*code))
                .collect(),
        )
    });
    // Under 20 words (a headline, a snippet) only a guess whatlang calls
    // reliable is an answer: the language picks stemmers and decides which
    // articles are compared by names alone, and a wrong one costs more
    // than none.
    let info = detector
        .detect(&sample)
        .filter(|i| words >= 20 || i.is_reliable())?;
    let code = info.lang().code();
    LANGS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, two)| two.to_string())
}

#[cfg(test)]
mod tests {
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
