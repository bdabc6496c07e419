//! JSON and JSONL article records.
//!
//! A record is an object with `html` or `text` (also `content`/`body`), and
//! optionally `url`, `title`, `published` (also `date`, `published_at`,
//! `datePublished`), `outlet` (also `site`, `source`), `author` (a string or a
//! list). Stated metadata goes into [`Hints`] and wins over extraction.

use crate::{Error, Issue};
use corroborate_model::{Format, Hints, RawDocument};
use serde_json::Value;

pub(crate) fn read_json(
    name: &str,
    bytes: &[u8],
    sink: &mut dyn FnMut(Result<RawDocument, Issue>),
) {
    let value: Value = match serde_json::from_slice(bytes) {
        Ok(v) => v,
        Err(e) => return sink(Err(Issue::new(name, json_error(bytes, &e)))),
    };
    match value {
        Value::Array(items) => {
            for (i, item) in items.into_iter().enumerate() {
                let loc = format!("{name}#{}", i + 1);
                sink(record(&loc, item).map_err(|e| Issue::new(loc.clone(), e)));
            }
        }
        other => sink(record(name, other).map_err(|e| Issue::new(name, e))),
    }
}

pub(crate) fn read_jsonl(
    name: &str,
    bytes: &[u8],
    sink: &mut dyn FnMut(Result<RawDocument, Issue>),
) {
    // In memory already: the limit was applied to the whole input.
    let _ = stream_jsonl(name, bytes, u64::MAX, sink);
}

/// Reads JSONL record by record from a stream, so a feed of any length is
/// fine; `limit` applies to each line. A line over it is reported and
/// skipped without being held in memory.
pub(crate) fn stream_jsonl(
    name: &str,
    mut input: impl std::io::BufRead,
    limit: u64,
    sink: &mut dyn FnMut(Result<RawDocument, Issue>),
) -> std::io::Result<()> {
    use std::io::{BufRead, Read};
    let mut line = Vec::new();
    let mut lineno = 0usize;
    loop {
        line.clear();
        let n = (&mut input)
            .take(limit.saturating_add(1))
            .read_until(b'\n', &mut line)
            .map_err(|e| std::io::Error::new(e.kind(), format!("{e} (after line {lineno})")))?;
        if n == 0 {
            return Ok(());
        }
        lineno += 1;
        if line.len() as u64 > limit && line.last() != Some(&b'\n') {
            // Over the limit: report, then skip the rest of the line.
            let mut rest = line.len() as u64;
            loop {
                let buf = input.fill_buf()?;
                if buf.is_empty() {
                    break;
                }
                match buf.iter().position(|b| *b == b'\n') {
                    Some(p) => {
                        rest += p as u64 + 1;
                        input.consume(p + 1);
                        break;
                    }
                    None => {
                        let len = buf.len();
                        rest += len as u64;
                        input.consume(len);
                    }
                }
            }
            sink(Err(Issue::new(
                format!("{name}:{lineno}"),
                Error::TooLarge {
                    found: rest,
                    max: limit,
                },
            )));
            continue;
        }
        let trimmed = line.trim_ascii();
        if trimmed.is_empty() {
            continue;
        }
        let parsed = serde_json::from_slice::<Value>(trimmed)
            .map_err(|e| json_error(trimmed, &e))
            .and_then(|v| record(&format!("{name}#{lineno}"), v));
        sink(parsed.map_err(|e| Issue::new(format!("{name}:{lineno}"), e)));
    }
}

fn json_error(bytes: &[u8], e: &serde_json::Error) -> Error {
    if std::str::from_utf8(bytes).is_err() && e.is_syntax() {
        Error::InvalidUtf8(1)
    } else {
        Error::Json(e.to_string())
    }
}

/// A JSON value's type, as messages name it.
fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn record(source: &str, value: Value) -> Result<RawDocument, Error> {
    let Value::Object(map) = value else {
        return Err(Error::Json("expected an object".into()));
    };
    // A field of the wrong type is the record's error, named, rather than
    // a guess ({"title": 5} is not a title; {"text": ["x"]} not a body).
    let field = |keys: &[&str], list_ok: bool| -> Result<Option<String>, Error> {
        for k in keys {
            match map.get(*k) {
                None | Some(Value::Null) => continue,
                Some(Value::String(s)) if s.trim().is_empty() => continue,
                Some(Value::String(s)) => return Ok(Some(s.clone())),
                Some(Value::Array(a)) if list_ok && a.iter().all(Value::is_string) => {
                    let parts: Vec<&str> = a.iter().filter_map(Value::as_str).collect();
                    if parts.is_empty() {
                        continue;
                    }
                    return Ok(Some(parts.join(", ")));
                }
                Some(other) => {
                    return Err(Error::FieldType {
                        field: (*k).to_string(),
                        expected: if list_ok {
                            "a string or a list of strings"
                        } else {
                            "a string"
                        },
                        found: json_type(other),
                    })
                }
            }
        }
        Ok(None)
    };
    let text_of = |keys: &[&str]| field(keys, false);
    let hints = Hints {
        url: text_of(&["url", "link", "canonical_url"])?,
        title: text_of(&["title", "headline"])?,
        published: text_of(&[
            "published",
            "date",
            "published_at",
            "datePublished",
            "pubdate",
        ])?,
        outlet: text_of(&["outlet", "site", "site_name", "publisher", "source"])?,
        author: field(&["author", "authors", "byline"], true)?,
        fetched: text_of(&["fetched", "crawled", "crawl_date"])?,
    };
    let (format, content) = if let Some(html) = text_of(&["html", "raw_html"])? {
        (Format::Html, html)
    } else if let Some(text) = text_of(&["text", "content", "body"])? {
        (Format::Text, text)
    } else {
        return Err(Error::NoContent);
    };
    if content.contains('\0') {
        return Err(Error::Binary);
    }
    Ok(RawDocument::new(source, format, content, hints))
}
