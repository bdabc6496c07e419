//! Errors and issues: what went wrong with one input, and where.

use std::fmt;

/// What went wrong with one input or record.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The path does not exist.
    #[error("no such file or directory")]
    Missing,
    /// Reading failed.
    #[error("read error: {0}")]
    Io(#[from] std::io::Error),
    /// Nothing but whitespace.
    #[error("empty input")]
    Empty,
    /// NUL bytes or undecodable content: not a text document.
    #[error("binary content, not a text document")]
    Binary,
    /// Over the size limit.
    #[error("{found} bytes, over the limit of {max} bytes (see --max-size)")]
    TooLarge {
        /// Size seen.
        found: u64,
        /// Limit in force.
        max: u64,
    },
    /// An extension this tool does not read.
    #[error("unknown file type {0:?} (expected html, htm, txt, json, jsonl, ndjson, warc, optionally .gz)")]
    UnknownExtension(String),
    /// Corrupt or truncated gzip.
    #[error("corrupt or truncated gzip: {0}")]
    Gzip(String),
    /// Declared UTF-8 (or no declaration) but the bytes are not.
    #[error("invalid UTF-8 ({0} bad sequences)")]
    InvalidUtf8(usize),
    /// JSON that does not parse or is not an article object.
    #[error("malformed JSON: {0}")]
    Json(String),
    /// Read, but its characters were guessed or repaired (a warning: the
    /// document is kept).
    #[error("{0}")]
    Charset(String),
    /// A record field of the wrong JSON type.
    #[error("field {field:?} must be {expected}, not {found}")]
    FieldType {
        /// The field.
        field: String,
        /// What it must be.
        expected: &'static str,
        /// What it was.
        found: &'static str,
    },
    /// A record without `html` or `text`.
    #[error("record has no \"html\" or \"text\" field")]
    NoContent,
    /// Corrupt or truncated WARC.
    #[error("malformed WARC: {0}")]
    Warc(String),
    /// Read, but extraction refused it: over a work limit (too many
    /// elements, past the time budget).
    #[error("not extracted: {0}")]
    Refused(#[from] corroborate_model::Refusal),
}

/// How an issue counts in the run summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// Not an article this tool reads (unknown type, empty): skipped.
    Skipped,
    /// An article that could not be read (corrupt, malformed, too large): failed.
    Failed,
    /// Read and kept, with a caveat (a guessed charset): warned.
    Warning,
}

/// One problem with one input, located by file and line or record.
#[derive(Debug)]
pub struct Issue {
    /// `path`, `path:LINE` for JSONL lines, `path#N` for WARC/JSON records, or `-`.
    pub location: String,
    /// What went wrong.
    pub error: Error,
}

impl Issue {
    /// A new issue at `location`.
    pub fn new(location: impl Into<String>, error: Error) -> Self {
        Issue {
            location: location.into(),
            error,
        }
    }

    /// Whether the input was skipped (not for us) or failed (broken).
    pub fn severity(&self) -> Severity {
        match self.error {
            Error::UnknownExtension(_) | Error::Empty => Severity::Skipped,
            Error::Charset(_) => Severity::Warning,
            _ => Severity::Failed,
        }
    }
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.error)
    }
}
