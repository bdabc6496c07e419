//! WARC files: `response` records holding HTML (and `resource` records of
//! type text/html or text/plain). Parsing of the WARC framing is done by the
//! `warc` crate; the HTTP message inside is split here (status line,
//! headers, chunked transfer coding, gzip/deflate content coding).

use crate::{charset, Error, Issue};
use corroborate_model::{Format, Hints, RawDocument};
use std::io::Read;
use warc::{WarcHeader, WarcReader};

pub(crate) fn read_warc(
    name: &str,
    bytes: &[u8],
    limit: u64,
    sink: &mut dyn FnMut(Result<RawDocument, Issue>),
) {
    let pos = std::cell::Cell::new(0usize);
    let reader = WarcReader::new(Tracked {
        data: bytes,
        pos: &pos,
    });
    let mut n = 0;
    let mut parsed_to = 0;
    for item in reader.iter_raw_records() {
        n += 1;
        let loc = format!("{name}#{n}");
        let (header, body) = match item {
            Ok(v) => {
                parsed_to = pos.get();
                v
            }
            Err(e) => {
                // The framing is lost after a bad record: report it and stop.
                sink(Err(Issue::new(loc, Error::Warc(e.to_string()))));
                return;
            }
        };
        let get = |h: WarcHeader| {
            header
                .as_ref()
                .get(&h)
                .map(|v| String::from_utf8_lossy(v).trim().to_string())
        };
        let wtype = get(WarcHeader::WarcType).unwrap_or_default();
        let ctype = get(WarcHeader::ContentType)
            .unwrap_or_default()
            .to_ascii_lowercase();
        let hints = Hints {
            url: get(WarcHeader::TargetURI),
            fetched: get(WarcHeader::Date),
            ..Hints::default()
        };
        let doc = match wtype.as_str() {
            "response" if ctype.starts_with("application/http") => {
                match http_payload(&body, limit) {
                    Ok(Some(Payload {
                        body: payload,
                        mime,
                        charset: cs,
                    })) => {
                        let format = if mime.contains("html") || mime.is_empty() {
                            Format::Html
                        } else if mime.starts_with("text/plain") {
                            Format::Text
                        } else {
                            continue; // images, scripts, CSS: not articles
                        };
                        decode(&loc, &payload, format, cs.as_deref(), hints)
                    }
                    Ok(None) => continue, // redirects, errors: not articles
                    Err(e) => Err(Issue::new(loc, e)),
                }
            }
            "resource" if ctype.contains("html") || ctype.starts_with("text/plain") => {
                let format = if ctype.contains("html") {
                    Format::Html
                } else {
                    Format::Text
                };
                let cs = charset::content_type_charset(&ctype);
                decode(&loc, &body, format, cs.as_deref(), hints)
            }
            _ => continue, // warcinfo, request, metadata...
        };
        sink(doc);
    }
    // The `warc` crate ends quietly when a record's header is cut off; bytes
    // left after the last whole record mean the file was truncated.
    if bytes[parsed_to.min(bytes.len())..]
        .iter()
        .any(|b| !b.is_ascii_whitespace())
    {
        let loc = format!("{name}#{}", n + 1);
        sink(Err(Issue::new(loc, Error::Warc("truncated record".into()))));
    }
}

/// A byte-slice reader that publishes how far it has been consumed.
struct Tracked<'a> {
    data: &'a [u8],
    pos: &'a std::cell::Cell<usize>,
}

impl Read for Tracked<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let rest = &self.data[self.pos.get()..];
        let n = rest.len().min(buf.len());
        buf[..n].copy_from_slice(&rest[..n]);
        self.pos.set(self.pos.get() + n);
        Ok(n)
    }
}

impl std::io::BufRead for Tracked<'_> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        Ok(&self.data[self.pos.get()..])
    }
    fn consume(&mut self, amt: usize) {
        self.pos.set((self.pos.get() + amt).min(self.data.len()));
    }
}

fn decode(
    loc: &str,
    payload: &[u8],
    format: Format,
    cs: Option<&str>,
    hints: Hints,
) -> Result<RawDocument, Issue> {
    if payload.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Issue::new(loc, Error::Empty));
    }
    charset::decode(payload, format, cs)
        .map(|text| RawDocument::new(loc, format, text, hints))
        .map_err(|e| Issue::new(loc, e))
}

/// The body of an HTTP response with its declared type.
struct Payload {
    body: Vec<u8>,
    mime: String,
    charset: Option<String>,
}

/// Splits an HTTP response. Returns `None` for non-2xx statuses, else the
/// decoded payload, the MIME type and the charset parameter.
fn http_payload(msg: &[u8], limit: u64) -> Result<Option<Payload>, Error> {
    let split = msg
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|p| (p, p + 4))
        .or_else(|| {
            msg.windows(2)
                .position(|w| w == b"\n\n")
                .map(|p| (p, p + 2))
        })
        .ok_or_else(|| Error::Warc("HTTP response without a header/body separator".into()))?;
    let head = String::from_utf8_lossy(&msg[..split.0]);
    let mut lines = head.lines();
    let status_line = lines.next().unwrap_or_default();
    let status: u16 = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| Error::Warc(format!("bad HTTP status line {status_line:?}")))?;
    if !(200..300).contains(&status) {
        return Ok(None);
    }
    let (mut mime, mut cs, mut chunked, mut coding) = (String::new(), None, false, String::new());
    for line in lines {
        let Some((k, v)) = line.split_once(':') else {
            continue;
        };
        let (k, v) = (k.trim().to_ascii_lowercase(), v.trim());
        match k.as_str() {
            "content-type" => {
                mime = v
                    .split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase();
                cs = charset::content_type_charset(v);
            }
            "transfer-encoding" => chunked = v.to_ascii_lowercase().contains("chunked"),
            "content-encoding" => coding = v.to_ascii_lowercase(),
            _ => {}
        }
    }
    let mut body = msg[split.1..].to_vec();
    if chunked {
        body = dechunk(&body).unwrap_or(body); // many WARCs store it already de-chunked
    }
    if coding.contains("gzip") {
        body = crate::gunzip(&body, limit)?;
    } else if coding.contains("deflate") {
        let mut out = Vec::new();
        flate2::read::ZlibDecoder::new(&body[..])
            .take(limit.saturating_add(1))
            .read_to_end(&mut out)
            .map_err(|e| Error::Gzip(e.to_string()))?;
        body = out;
    }
    Ok(Some(Payload {
        body,
        mime,
        charset: cs,
    }))
}

fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let nl = data.windows(2).position(|w| w == b"\r\n")?;
        let size_str = std::str::from_utf8(&data[..nl]).ok()?;
        let size = usize::from_str_radix(size_str.split(';').next()?.trim(), 16).ok()?;
        data = &data[nl + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(data.get(..size)?);
        data = data.get(size + 2..)?;
    }
}
