//! Language identification (whatlang), reported as ISO 639-1 where one exists.

pub(crate) fn detect(text: &str) -> Option<String> {
    // A thousand characters of body text are plenty for whatlang and keep
    // detection cheap and constant per document.
    let sample: String = text.chars().take(1000).collect();
    let info = whatlang::detect(&sample)?;
    if sample.split_whitespace().count() < 5 {
        return None;
    }
    let code = info.lang().code();
    let two = match code {
        "eng" => "en",
        "deu" => "de",
        "fra" => "fr",
        "spa" => "es",
        "ita" => "it",
        "por" => "pt",
        "nld" => "nl",
        "rus" => "ru",
        "ukr" => "uk",
        "pol" => "pl",
        "ces" => "cs",
        "swe" => "sv",
        "dan" => "da",
        "fin" => "fi",
        "nob" => "no",
        "tur" => "tr",
        "ara" => "ar",
        "heb" => "he",
        "jpn" => "ja",
        "kor" => "ko",
        "cmn" => "zh",
        "ell" => "el",
        "hun" => "hu",
        "ron" => "ro",
        "bul" => "bg",
        "hrv" => "hr",
        "srp" => "sr",
        "slk" => "sk",
        "slv" => "sl",
        "est" => "et",
        "lav" => "lv",
        "lit" => "lt",
        "pes" => "fa",
        "hin" => "hi",
        "vie" => "vi",
        "ind" => "id",
        "tha" => "th",
        "cat" => "ca",
        "bel" => "be",
        other => other,
    };
    Some(two.to_string())
}
