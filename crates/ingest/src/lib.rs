//! Ingest: turns files, directories and stdin into [`RawDocument`]s.
//!
//! This crate owns everything about *reading* input: walking directories,
//! recognising formats by extension (or by sniffing stdin), gzip, JSON and
//! JSONL records, WARC response records, character sets (HTTP header, then
//! `<meta charset>`, then a BOM, then UTF-8, then detection), and the limits
//! that keep a bad file from hurting the run. It knows nothing of extraction.
//!
//! Bad input never stops a run: each problem becomes an [`Issue`] naming the
//! file (and line or record) that is handed to the same sink as the documents.
//!
//! ```
//! use corroborate_ingest::Ingestor;
//! # let dir = tempfile::tempdir().unwrap();
//! let path = dir.path().join("feed.jsonl");
//! std::fs::write(&path, "{\"text\":\"One.\",\"outlet\":\"Daily Example\"}\nnot json\n").unwrap();
//!
//! let ingestor = Ingestor::default();
//! let (mut docs, mut issues) = (Vec::new(), Vec::new());
//! for input in ingestor.discover(&[path], &mut |i| issues.push(i)) {
//!     ingestor.read(&input, &mut |item| match item {
//!         Ok(doc) => docs.push(doc),
//!         Err(issue) => issues.push(issue),
//!     });
//! }
//! assert_eq!(docs.len(), 1);
//! assert_eq!(docs[0].hints.outlet.as_deref(), Some("Daily Example"));
//! assert_eq!(issues.len(), 1);
//! assert!(issues[0].to_string().contains("feed.jsonl:2"));
//! ```
#![deny(missing_docs)]

#[cfg(test)]
extern crate self as corroborate_ingest;
mod charset;
#[cfg(test)]
mod doc_examples;
mod error;
mod record;
mod warc_file;

pub use charset::{decode, decode_noted};
pub use error::{Error, Issue, Severity};

use corroborate_model::{Format, Hints, RawDocument};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// Result alias of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Default limit on one input's size (after decompression): 32 MiB. For
/// JSONL files it applies to each record (the file is streamed).
pub const DEFAULT_MAX_SIZE: u64 = 32 * 1024 * 1024;

/// One input to read: a file or standard input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Standard input (`-`); the format is sniffed from the content.
    Stdin,
    /// A file; the format comes from its extension.
    File(PathBuf),
}

impl Input {
    /// How the input is named in messages and `source` fields.
    pub fn name(&self) -> String {
        match self {
            Input::Stdin => "-".to_string(),
            Input::File(p) => p.display().to_string(),
        }
    }
}

/// Container formats this crate reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// One HTML page.
    Html,
    /// One plain-text page.
    Text,
    /// One JSON article object (or an array of them).
    Json,
    /// One JSON article object per line.
    Jsonl,
    /// WARC response records.
    Warc,
}

impl Kind {
    /// The kind for a file name, looking through a trailing `.gz`.
    /// Returns the kind and whether the file is gzip-compressed.
    pub fn from_path(path: &Path) -> Option<(Kind, bool)> {
        let name = path.file_name()?.to_str()?.to_ascii_lowercase();
        let (stem, gz) = match name.strip_suffix(".gz") {
            Some(s) => (s.to_string(), true),
            None => (name, false),
        };
        let ext = stem.rsplit_once('.')?.1;
        let kind = match ext {
            "html" | "htm" | "xhtml" | "shtml" => Kind::Html,
            "txt" | "text" => Kind::Text,
            "json" => Kind::Json,
            "jsonl" | "ndjson" => Kind::Jsonl,
            "warc" => Kind::Warc,
            _ => return None,
        };
        Some((kind, gz))
    }

    /// Guesses the kind of unnamed content (stdin) from its first bytes.
    pub fn sniff(bytes: &[u8]) -> Kind {
        let start = bytes
            .iter()
            .position(|b| !b.is_ascii_whitespace() && *b != 0xEF && *b != 0xBB && *b != 0xBF)
            .unwrap_or(0);
        let head = &bytes[start..bytes.len().min(start + 512)];
        if head.starts_with(b"WARC/") {
            Kind::Warc
        } else if head.starts_with(b"{") {
            // One object per line, or one object over several lines?
            let lines = bytes
                .split(|b| *b == b'\n')
                .filter(|l| !l.trim_ascii().is_empty());
            if lines
                .take(3)
                .all(|l| l.trim_ascii().starts_with(b"{") && l.trim_ascii().ends_with(b"}"))
            {
                Kind::Jsonl
            } else {
                Kind::Json
            }
        } else if head.starts_with(b"[") {
            Kind::Json
        } else if head.starts_with(b"<") {
            Kind::Html
        } else {
            Kind::Text
        }
    }
}

/// Reads inputs into raw documents. Configure with [`IngestorBuilder`].
#[derive(Debug, Clone)]
pub struct Ingestor {
    max_size: u64,
}

impl Default for Ingestor {
    fn default() -> Self {
        IngestorBuilder::new().build()
    }
}

/// Builder for [`Ingestor`].
#[derive(Debug, Clone)]
pub struct IngestorBuilder {
    max_size: u64,
}

impl Default for IngestorBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl IngestorBuilder {
    /// Defaults: 32 MiB per input.
    pub fn new() -> Self {
        IngestorBuilder {
            max_size: DEFAULT_MAX_SIZE,
        }
    }
    /// Largest input accepted, in bytes, after decompression.
    pub fn max_size(mut self, bytes: u64) -> Self {
        self.max_size = bytes;
        self
    }
    /// Builds the ingestor.
    pub fn build(self) -> Ingestor {
        Ingestor {
            max_size: self.max_size.max(1),
        }
    }
}

impl Ingestor {
    /// Expands paths into inputs: `-` is stdin, directories are walked
    /// recursively in sorted order (hidden entries skipped). Missing paths and
    /// files of unknown type are reported through `issue`.
    pub fn discover(&self, paths: &[PathBuf], issue: &mut dyn FnMut(Issue)) -> Vec<Input> {
        let mut inputs = Vec::new();
        for path in paths {
            if path.as_os_str() == "-" {
                inputs.push(Input::Stdin);
                continue;
            }
            if !path.exists() {
                issue(Issue::new(path.display().to_string(), Error::Missing));
                continue;
            }
            if path.is_dir() {
                // Links are followed (a folder of links to a crawl is
                // common); walkdir detects link loops and reports them.
                let walker = walkdir::WalkDir::new(path)
                    .follow_links(true)
                    .sort_by_file_name()
                    .into_iter()
                    .filter_entry(|e| {
                        e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.')
                    });
                for entry in walker {
                    match entry {
                        Ok(e) if e.file_type().is_file() => {
                            let p = e.into_path();
                            if Kind::from_path(&p).is_some() {
                                inputs.push(Input::File(p));
                            } else {
                                issue(Issue::new(p.display().to_string(), unknown_ext(&p)));
                            }
                        }
                        Ok(_) => {}
                        Err(e) => {
                            let name = e
                                .path()
                                .map(|p| p.display().to_string())
                                .unwrap_or_else(|| path.display().to_string());
                            issue(Issue::new(name, Error::Io(io::Error::other(e.to_string()))));
                        }
                    }
                }
            } else {
                // An explicitly named file of unknown type is still reported:
                // guessing would hide a typo.
                if Kind::from_path(path).is_some() {
                    inputs.push(Input::File(path.clone()));
                } else {
                    issue(Issue::new(path.display().to_string(), unknown_ext(path)));
                }
            }
        }
        inputs
    }

    /// Reads one input, handing each document or issue to `sink` in order.
    pub fn read(&self, input: &Input, sink: &mut dyn FnMut(Result<RawDocument, Issue>)) {
        let name = input.name();
        // JSONL files are streamed: the size limit applies to each record.
        if let Input::File(path) = input {
            if let Some((Kind::Jsonl, gz)) = Kind::from_path(path) {
                let result = std::fs::File::open(path).and_then(|f| {
                    let raw = io::BufReader::new(f);
                    if gz {
                        let dec = io::BufReader::new(flate2::read::MultiGzDecoder::new(raw));
                        record::stream_jsonl(&name, dec, self.max_size, sink)
                    } else {
                        record::stream_jsonl(&name, raw, self.max_size, sink)
                    }
                });
                if let Err(e) = result {
                    let err = if gz {
                        Error::Gzip(e.to_string())
                    } else {
                        Error::Io(e)
                    };
                    sink(Err(Issue::new(name, err)));
                }
                return;
            }
        }
        match self.load(input) {
            Ok((bytes, kind)) => self.read_bytes(&name, kind, &bytes, sink),
            // A WARC of one gzip member per record, cut short: the records
            // before the cut are whole, so they are read; the cut record is
            // reported by the WARC reader, and the gzip error after it.
            Err(Loaded::Truncated { bytes, kind, error }) if kind == Kind::Warc => {
                if !bytes.is_empty() {
                    self.read_bytes(&name, kind, &bytes, sink);
                }
                sink(Err(Issue::new(name, error)));
            }
            Err(Loaded::Truncated { error, .. }) | Err(Loaded::Failed(error)) => {
                sink(Err(Issue::new(name, error)))
            }
        }
    }

    /// Reads in-memory content of a known kind (used by the HTTP API too).
    pub fn read_bytes(
        &self,
        name: &str,
        kind: Kind,
        bytes: &[u8],
        sink: &mut dyn FnMut(Result<RawDocument, Issue>),
    ) {
        if bytes.iter().all(|b| b.is_ascii_whitespace()) {
            return sink(Err(Issue::new(name, Error::Empty)));
        }
        if bytes.len() as u64 > self.max_size {
            return sink(Err(Issue::new(
                name,
                Error::TooLarge {
                    found: bytes.len() as u64,
                    max: self.max_size,
                },
            )));
        }
        match kind {
            Kind::Html | Kind::Text => {
                let format = if kind == Kind::Html {
                    Format::Html
                } else {
                    Format::Text
                };
                match charset::decode_noted(bytes, format, None) {
                    Ok((text, note)) => {
                        if let Some(note) = note {
                            sink(Err(Issue::new(name, Error::Charset(note))));
                        }
                        sink(Ok(RawDocument::new(name, format, text, Hints::default())))
                    }
                    Err(e) => sink(Err(Issue::new(name, e))),
                }
            }
            Kind::Json => record::read_json(name, bytes, sink),
            Kind::Jsonl => record::read_jsonl(name, bytes, sink),
            Kind::Warc => warc_file::read_warc(name, bytes, self.max_size, sink),
        }
    }

    /// Reads an input's bytes, decompressing gzip, within the size limit.
    fn load(&self, input: &Input) -> Result<(Vec<u8>, Kind), Loaded> {
        let limit = self.max_size;
        match input {
            Input::Stdin => {
                let mut raw = Vec::new();
                io::stdin()
                    .lock()
                    .take(limit.saturating_add(1))
                    .read_to_end(&mut raw)
                    .map_err(|e| Loaded::Failed(e.into()))?;
                let bytes = if raw.starts_with(&[0x1f, 0x8b]) {
                    let (bytes, broken) = gunzip_prefix(&raw, limit);
                    if let Some(error) = broken {
                        let kind = Kind::sniff(&bytes);
                        return Err(Loaded::Truncated { bytes, kind, error });
                    }
                    bytes
                } else {
                    raw
                };
                check_limit(bytes.len() as u64, limit)?;
                let kind = Kind::sniff(&bytes);
                Ok((bytes, kind))
            }
            Input::File(path) => {
                let (kind, gz) = Kind::from_path(path).ok_or_else(|| unknown_ext(path))?;
                let meta = std::fs::metadata(path).map_err(Error::from)?;
                check_limit(meta.len(), limit)?;
                let raw = std::fs::read(path).map_err(Error::from)?;
                let bytes = if gz {
                    let (bytes, broken) = gunzip_prefix(&raw, limit);
                    if let Some(error) = broken {
                        return Err(Loaded::Truncated { bytes, kind, error });
                    }
                    bytes
                } else {
                    raw
                };
                check_limit(bytes.len() as u64, limit)?;
                Ok((bytes, kind))
            }
        }
    }
}

/// Why an input's bytes could not be loaded whole.
enum Loaded {
    /// Nothing usable.
    Failed(Error),
    /// Decompression broke after `bytes` (complete up to the break).
    Truncated {
        bytes: Vec<u8>,
        kind: Kind,
        error: Error,
    },
}

impl From<Error> for Loaded {
    fn from(e: Error) -> Self {
        Loaded::Failed(e)
    }
}

fn unknown_ext(path: &Path) -> Error {
    Error::UnknownExtension(
        path.extension()
            .map(|e| e.to_string_lossy().into_owned())
            .unwrap_or_default(),
    )
}

fn check_limit(found: u64, max: u64) -> Result<()> {
    if found > max {
        Err(Error::TooLarge { found, max })
    } else {
        Ok(())
    }
}

/// Decompresses (multi-member) gzip, refusing output over `limit` bytes.
pub fn gunzip(raw: &[u8], limit: u64) -> Result<Vec<u8>> {
    match gunzip_prefix(raw, limit) {
        (out, None) => Ok(out),
        (_, Some(e)) => Err(e),
    }
}

/// Decompresses what it can: the output up to where the stream broke (or
/// went over `limit`), and the error that stopped it.
fn gunzip_prefix(raw: &[u8], limit: u64) -> (Vec<u8>, Option<Error>) {
    let mut out = Vec::new();
    let mut dec = flate2::read::MultiGzDecoder::new(raw).take(limit.saturating_add(1));
    // read_to_end keeps what it read before an error.
    if let Err(e) = dec.read_to_end(&mut out) {
        return (out, Some(Error::Gzip(e.to_string())));
    }
    match check_limit(out.len() as u64, limit) {
        Ok(()) => (out, None),
        Err(e) => (Vec::new(), Some(e)),
    }
}

#[cfg(test)]
mod tests;
