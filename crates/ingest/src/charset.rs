//! Character sets: bytes in, UTF-8 out, never a panic.
//!
//! Order of authority: an explicit charset (HTTP `Content-Type`), a byte-order
//! mark, `<meta charset>` / `http-equiv` in the first 4 KiB of HTML, valid
//! UTF-8, and finally statistical detection (chardetng).

use crate::Error;
use corroborate_model::Format;
use encoding_rs::{Encoding, UTF_8};

/// Decodes `bytes` to a `String`. `declared` is a charset label from outside
/// the document (an HTTP header).
pub fn decode(bytes: &[u8], format: Format, declared: Option<&str>) -> Result<String, Error> {
    decode_noted(bytes, format, declared).map(|(text, _)| text)
}

/// [`decode`], with a note when the text was not what it claimed or no
/// charset was stated: broken UTF-8 sequences replaced, or a legacy
/// charset guessed ("not valid UTF-8 and no charset declared: read as
/// windows-1250"). The caller reports the note as a warning.
pub fn decode_noted(
    bytes: &[u8],
    format: Format,
    declared: Option<&str>,
) -> Result<(String, Option<String>), Error> {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        return finish(enc, &bytes[bom_len..]).map(|t| (t, None));
    }
    // NUL bytes never occur in text documents (UTF-16 without BOM aside).
    if bytes[..bytes.len().min(8192)].contains(&0) {
        return Err(Error::Binary);
    }
    let explicit = declared
        .and_then(|l| Encoding::for_label(l.trim().as_bytes()))
        .or_else(|| {
            if format == Format::Html {
                meta_charset(&bytes[..bytes.len().min(4096)])
            } else {
                None
            }
        });
    if let Some(enc) = explicit {
        // UTF-16 labels in <meta> are lies by definition (the page parsed as ASCII).
        let enc = if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
            UTF_8
        } else {
            enc
        };
        if enc != UTF_8 || std::str::from_utf8(bytes).is_ok() {
            return finish(enc, bytes).map(|t| (t, None));
        }
        // Declared UTF-8 but not: fall through to detection for a
        // mislabelled page (below).
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok((s.to_string(), None));
    }
    // UTF-8 with a few broken sequences (a truncated character in a
    // template) stays UTF-8, as a browser shows it: detection would read the
    // whole page as windows-1252, every accented letter in mojibake.
    if mostly_utf8(bytes) {
        let bad = utf8_counts(bytes).0;
        let note = format!("{bad} invalid UTF-8 sequence(s) replaced with U+FFFD");
        return finish(UTF_8, bytes).map(|t| (t, Some(note)));
    }
    let mut det = chardetng::EncodingDetector::new();
    det.feed(bytes, true);
    // Detection may say UTF-8 of bytes that are not: `finish` counts the
    // damage.
    let enc = det.guess(None, true);
    let note = format!(
        "not valid UTF-8 and no charset {}: read as {} (detected)",
        if explicit.is_some() {
            "that fits"
        } else {
            "declared"
        },
        enc.name()
    );
    finish(enc, bytes).map(|t| (t, Some(note)))
}

fn finish(enc: &'static Encoding, bytes: &[u8]) -> Result<String, Error> {
    let (text, _, had_errors) = enc.decode(bytes);
    // UTF-8 with more than one broken sequence per hundred bytes is no
    // text we can trust.
    if had_errors && enc == UTF_8 {
        let bad = utf8_counts(bytes).0;
        if bad * 100 > bytes.len().max(1) {
            return Err(Error::InvalidUtf8(bad));
        }
    }
    if text
        .chars()
        .filter(|c| c.is_control() && !c.is_whitespace())
        .count()
        * 20
        > text.len().max(1)
    {
        return Err(Error::Binary);
    }
    Ok(text.into_owned())
}

/// Whether `bytes` hold ten valid non-ASCII UTF-8 characters or more for
/// each invalid sequence.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (bad, good) = utf8_counts(bytes);
    good >= 10 * bad.max(1)
}

/// The invalid sequences in `bytes` (each one U+FFFD when decoded lossily)
/// and the valid non-ASCII characters (U+FFFD itself not counted), in one
/// pass.
fn utf8_counts(bytes: &[u8]) -> (usize, usize) {
    let (mut bad, mut good) = (0, 0);
    for chunk in bytes.utf8_chunks() {
        good += chunk
            .valid()
            .chars()
            .filter(|&c| !c.is_ascii() && c != char::REPLACEMENT_CHARACTER)
            .count();
        bad += usize::from(!chunk.invalid().is_empty());
    }
    (bad, good)
}

/// Finds `<meta charset="x">` or `<meta http-equiv=... content="...; charset=x">`.
fn meta_charset(head: &[u8]) -> Option<&'static Encoding> {
    let lower: Vec<u8> = head.iter().map(|b| b.to_ascii_lowercase()).collect();
    let mut from = 0;
    while let Some(pos) = find(&lower[from..], b"<meta") {
        let start = from + pos;
        let end = lower[start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        if let Some(c) = find(tag, b"charset=") {
            let rest = &tag[c + 8..];
            let rest = rest
                .strip_prefix(b"\"")
                .or_else(|| rest.strip_prefix(b"'"))
                .unwrap_or(rest);
            let label_end = rest
                .iter()
                .position(|b| matches!(b, b'"' | b'\'' | b';' | b' ' | b'/' | b'>'))
                .unwrap_or(rest.len());
            if let Some(enc) = Encoding::for_label(&rest[..label_end]) {
                return Some(enc);
            }
        }
        from = end;
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Charset parameter of a `Content-Type` header value.
pub(crate) fn content_type_charset(value: &str) -> Option<String> {
    value.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        (k.trim().eq_ignore_ascii_case("charset")).then(|| v.trim().trim_matches('"').to_string())
    })
}
