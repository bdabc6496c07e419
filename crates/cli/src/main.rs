//! `corroborate`: the command-line front end. Parses flags, sets up logging
//! and progress, and hands the work to the engine. See `corroborate --help`.

mod progress;
mod queue;
mod stance;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};
use corroborate_engine::{
    render, Cancel, ClusterEvent, Engine, EngineConfig, IngestSummary, Issue, ReportFormat,
    Severity,
};
use std::io::{self, BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Exit status when a run completed but some inputs were skipped or failed.
const EXIT_INPUT_PROBLEMS: u8 = 2;

#[derive(Parser, Debug)]
#[command(
    name = "corroborate",
    version,
    about = "Cross-check news stories across outlets: who claims what, through which channel, where figures disagree, what is confirmed.",
    after_help = "Examples:\n  corroborate analyze examples/\n  corroborate analyze ../shared/seeds --json > stories.json\n  corroborate report s-1a2b3c --format md\n\nExit status: 0 success, 1 error, 2 finished but some inputs were skipped or failed."
)]
struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Debug)]
pub(crate) struct Global {
    /// Store file (SQLite). Commands that write create it; stories, report and export need it to exist.
    #[arg(
        long,
        global = true,
        env = "CORROBORATE_DB",
        default_value = "corroborate.db"
    )]
    db: PathBuf,
    /// Largest input accepted, in bytes (after decompression).
    #[arg(long, global = true, default_value_t = corroborate_engine::DEFAULT_MAX_SIZE)]
    max_size: u64,
    /// No progress bar and no summary line (problems are still reported).
    #[arg(short, long, global = true)]
    quiet: bool,
    /// More logging (-v info, -vv debug); RUST_LOG overrides.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Ingest, extract, dedup, cluster and cross-check; print the reports of the stories the input is in.
    #[command(
        after_help = "Examples:\n  corroborate analyze examples/\n  corroborate analyze page.html feed.jsonl.gz crawl.warc.gz --db news.db\n  cat page.html | corroborate analyze - --json\n  corroborate analyze new/ --all --format md   # every story in the store"
    )]
    Analyze {
        /// Files, directories (recursive) or `-` for stdin.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Print one JSON document {"stories": [...], "ingest": {...}} instead of text.
        #[arg(long)]
        json: bool,
        /// Output format: text, md (Markdown), json or html.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Print every story in the store, not only those the input is in.
        #[arg(long)]
        all: bool,
        /// Then serve the web UI and API on this address (e.g. 127.0.0.1:8080).
        #[arg(long, value_name = "ADDR")]
        serve: Option<std::net::SocketAddr>,
        #[command(flatten)]
        web: WebOptions,
    },
    /// Ingest articles into the store without analysing them, or publish them to a work queue.
    #[command(
        after_help = "Examples:\n  corroborate ingest examples/ --db news.db\n  corroborate ingest - < article.txt\n  corroborate ingest crawl/ --queue nats://127.0.0.1:4222   # workers extract and place them\n\nWith --queue, inputs are read here (bad input reported as usual) and each document is published; `corroborate worker` processes them."
    )]
    Ingest {
        /// Files, directories (recursive) or `-` for stdin.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Print the run's counts as one JSON object.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        queue: queue::QueueArgs,
    },
    /// Consume the work queue: decode, extract, stage; one worker at a time also places articles in stories.
    #[command(
        after_help = "Examples:\n  corroborate worker --queue nats://127.0.0.1:4222 --db postgres://corroborate@db/news\n  corroborate worker --queue nats://q:4222 --db postgres://db/news --metrics 0.0.0.0:9464 --name w1\n\nRun any number, on any machines, over one PostgreSQL store; see docs/deploy.md."
    )]
    Worker(queue::WorkerArgs),
    /// The work queue: `queue status`.
    #[command(
        subcommand,
        after_help = "Examples:\n  corroborate queue status --queue nats://127.0.0.1:4222\n  CORROBORATE_QUEUE=nats://q:4222 corroborate queue status --json"
    )]
    Queue(queue::QueueCommand),
    /// List the stories in the store (run `analyze` first).
    #[command(
        after_help = "Examples:\n  corroborate stories\n  corroborate stories --json --db news.db"
    )]
    Stories {
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// Print one story's report.
    #[command(
        after_help = "Examples:\n  corroborate report s-1a2b3c4d5e6f\n  corroborate report s-1a2b --format html > story.html"
    )]
    Report {
        /// Story id, or a unique prefix of one.
        story_id: String,
        /// Output format: text, md (Markdown), json or html.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// The same as --format json.
        #[arg(long)]
        json: bool,
    },
    /// Export a story's tables (claims, carriers, figures, timeline, sources) as CSV or NDJSON.
    #[command(
        after_help = "Examples:\n  corroborate export s-1a2b --table claims > claims.csv\n  corroborate export s-1a2b --table carriers --format ndjson | jq .\n  corroborate export s-1a2b --out tables/        # all five: tables/s-1a2b…-claims.csv, …\n\nColumns: docs/report.md (\"Tables\")."
    )]
    Export {
        /// Story id, or a unique prefix of one.
        story_id: String,
        /// Which table (all five when --out is given and no --table).
        #[arg(long, value_enum)]
        table: Option<TableArg>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = TableFormat::Csv)]
        format: TableFormat,
        /// Write files STORY-TABLE.EXT into this folder instead of printing one table.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Extraction only (no store): one JSON object a line per document.
    #[command(
        after_help = "Examples:\n  corroborate extract --json page.html\n  corroborate extract ../shared/seeds"
    )]
    Extract {
        /// JSON lines output (the default; kept for symmetry with other commands).
        #[arg(long)]
        json: bool,
        /// Files, directories or `-`.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Clustering only: read JSONL records in order, print {"id", "story"} per line.
    ///
    /// Records are printed as they arrive, with the story they joined then.
    /// When a record shows that two stories are one, a line
    /// {"merge": {"at", "absorbed", "into", "reason"}} follows it; when a
    /// story turns out to be two, {"split": {"at", "from", "new", "moved",
    /// "reason"}} names the records moved to the new story. With --final,
    /// nothing is printed until the end, and then every record with its
    /// story after all merges and splits.
    #[command(
        after_help = "Examples:\n  corroborate cluster --input news.jsonl --text-field text --time-field date\n  corroborate cluster --final --input - < records.jsonl\n  corroborate cluster --input multilingual.jsonl --lang-field language\n\nEach record's language (a field, else detected from text of 20 words or more) picks its stemmer and stop words; records in different languages are compared by their names and numbers."
    )]
    Cluster {
        /// JSONL file, or `-` for stdin.
        #[arg(long)]
        input: PathBuf,
        /// Field holding the record id.
        #[arg(long, default_value = "id")]
        id_field: String,
        /// Field holding the body text.
        #[arg(long, default_value = "text")]
        text_field: String,
        /// Field holding the title.
        #[arg(long, default_value = "title")]
        title_field: String,
        /// Field holding the time (ISO 8601 string or Unix seconds).
        #[arg(long, default_value = "time")]
        time_field: String,
        /// Field holding the language (ISO 639-1); detected from the text
        /// when a record has none.
        #[arg(long, default_value = "lang")]
        lang_field: String,
        /// Minimum similarity for an article to join a story (0..1; lower merges more).
        #[arg(long, default_value_t = corroborate_engine::ClusterConfig::default().join_threshold)]
        threshold: f64,
        /// Only stories that took one of the last N records are candidates
        /// (for streams without times).
        #[arg(long)]
        window: Option<usize>,
        /// Stories an article could join merge when their centroids are at
        /// least this similar (0..1; above 1 turns merging off).
        #[arg(long, default_value_t = corroborate_engine::ClusterConfig::default().merge_threshold)]
        merge_threshold: f64,
        /// How much a story's size counts: a record's score against a
        /// story of n records is multiplied by n^P (0 turns it off).
        #[arg(long, default_value_t = corroborate_engine::ClusterConfig::default().size_prior)]
        size_prior: f64,
        /// A story splits when its members form two groups whose centroids
        /// are less alike than this (0..1; 0 turns splitting off).
        #[arg(long, default_value_t = corroborate_engine::ClusterConfig::default().split_threshold)]
        split_threshold: f64,
        /// Records without a time: two groups of a story that came one
        /// after the other in the input split when their centroids are less
        /// alike than this (0..1; 0 leaves them to --split-threshold).
        #[arg(long, default_value_t = corroborate_engine::ClusterConfig::default().sequence_split_threshold)]
        sequence_split_threshold: f64,
        /// Print each record's story after all merges, at the end.
        #[arg(long = "final")]
        final_labels: bool,
    },
    /// Cross-check extraction only (no store): statements, figures and dates per document.
    #[command(
        after_help = "Examples:\n  corroborate claims --json ../shared/seeds\n  corroborate claims --raw --json sentences.jsonl"
    )]
    Claims {
        /// Take inputs as clean text: offsets refer to the text as given.
        #[arg(long)]
        raw: bool,
        /// JSON lines output.
        #[arg(long)]
        json: bool,
        /// Files, directories or `-`.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Find known claims that match a statement: in a claims file (a
    /// fact-checker's collection) or in the stories of the store.
    #[command(
        after_help = "Queries are arguments, or lines of stdin with `-`. Links, post signatures and hashtag markup are ignored.\n\nExamples:\n  corroborate match --against verified.jsonl \"Video shows troops crossing the river\"\n  corroborate --db news.db match --top 3 --json \"the port fire forced 1,200 people out\"\n  cut -f2 posts.tsv | corroborate match --against verified.jsonl -\n\nClaims files are JSON lines with \"text\" (or \"claim\", \"vclaim\"), optional \"id\" and \"title\". With a build that has the `embed` feature and the model folder (scripts/fetch-minilm.sh), sentence embeddings join the ranking; --lexical turns them off."
    )]
    Match {
        /// Claims file (JSON lines); without it, the claims of the stories in the store.
        #[arg(long)]
        against: Option<PathBuf>,
        /// How many claims to list per query.
        #[arg(long, default_value_t = 5)]
        top: usize,
        /// BM25 only, even when sentence embeddings are available.
        #[arg(long)]
        lexical: bool,
        /// Model folder (default: $CORROBORATE_MINILM, else models/all-minilm-l6-v2).
        #[arg(long)]
        model: Option<PathBuf>,
        /// JSON lines output: {"query", "matches": [{"id", "text", "score"}]}.
        #[arg(long)]
        json: bool,
        /// Statements to look up, or `-` to read one a line from stdin.
        #[arg(required = true)]
        queries: Vec<String>,
    },
    /// Extract every stored raw document again with this version's
    /// extractor, store what changed, and analyse everything from scratch
    /// (after an upgrade: the store keeps each input as it was read).
    #[command(
        after_help = "Examples:\n  corroborate reanalyze\n  corroborate --db news.db reanalyze --json\n  corroborate --db 'postgres://postgres@127.0.0.1/test?schema=desk' reanalyze"
    )]
    Reanalyze {
        /// Print {"read", "changed", "refused", "stories"} as JSON.
        #[arg(long)]
        json: bool,
    },
    /// The stance of articles toward a claim (asserts, reports, disputes or
    /// unrelated), with the sentence it rests on: one JSON line each.
    ///
    /// With --claim, each input article (any format `analyze` reads) is
    /// judged: {"source", "stance", "score", "evidence": {"start", "end",
    /// "text"}}, offsets in chars of the extracted text. With --pairs, each
    /// line {"id", "claim", "text", "title"?} of a JSON lines file is
    /// answered with {"id", "stance", "score", "evidence"}, in input order;
    /// a bad line is reported with its number and skipped (exit code 2).
    #[command(
        after_help = "Examples:\n  corroborate stance --claim \"The ferry pier burned down\" articles/\n  corroborate stance --pairs pairs.jsonl > stances.jsonl\n  echo '{\"id\": 1, \"claim\": \"The mayor resigned\", \"text\": \"The mayor denied that she resigned.\"}' | corroborate stance --pairs -\n\nThe model: a small network over general overlap and cue features, trained by `cargo xtask train-stance` (docs/stance.md)."
    )]
    #[command(group(clap::ArgGroup::new("what").required(true).args(["claim", "pairs"])))]
    Stance {
        /// The claim to judge the inputs against.
        #[arg(long, requires = "paths")]
        claim: Option<String>,
        /// A JSON lines file of pairs, or `-` for stdin.
        #[arg(long, conflicts_with_all = ["claim", "paths"])]
        pairs: Option<PathBuf>,
        /// Files, directories or `-` (with --claim).
        paths: Vec<PathBuf>,
    },
    /// Serve the web UI (/) and the JSON API (/api, documented at /openapi.json) over the store.
    #[command(
        after_help = "Examples:\n  corroborate serve --db news.db --addr 127.0.0.1:8080\n  curl http://127.0.0.1:8080/api/stories\n  CORROBORATE_TOKEN=s3cret corroborate serve --addr 0.0.0.0:8080 --allow-host desk.example\n  curl -H 'Authorization: Bearer s3cret' -H 'Content-Type: application/json' \\\n       --data '{\"text\": \"...\"}' http://desk.example:8080/api/articles\n\nOn loopback, writes need no token but are refused from other sites' pages.\nBound beyond loopback, the server is read-only unless --token is set."
    )]
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
        #[command(flatten)]
        web: WebOptions,
        /// Publish POSTed articles to this queue (workers place them) instead of storing them.
        #[command(flatten)]
        queue: queue::QueueArgs,
    },
}

/// Who may reach the server and write to it.
#[derive(clap::Args, Debug, Clone, Default)]
struct WebOptions {
    /// Token that writes must carry (Authorization: Bearer TOKEN); needed
    /// for writes when serving beyond loopback.
    #[arg(long, env = "CORROBORATE_TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// Another host name the server answers to (besides loopback names and
    /// the bind address); repeatable.
    #[arg(long = "allow-host", value_name = "NAME")]
    allow_host: Vec<String>,
}

impl WebOptions {
    fn serve_options(&self) -> corroborate_server::ServeOptions {
        corroborate_server::ServeOptions {
            token: self.token.clone(),
            allowed_hosts: self.allow_host.clone(),
            queue: None,
        }
    }
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum TableArg {
    Claims,
    Carriers,
    Figures,
    Timeline,
    Sources,
}

impl From<TableArg> for corroborate_engine::export::Table {
    fn from(t: TableArg) -> Self {
        use corroborate_engine::export::Table;
        match t {
            TableArg::Claims => Table::Claims,
            TableArg::Carriers => Table::Carriers,
            TableArg::Figures => Table::Figures,
            TableArg::Timeline => Table::Timeline,
            TableArg::Sources => Table::Sources,
        }
    }
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum TableFormat {
    Csv,
    Ndjson,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Text,
    Md,
    Json,
    Html,
}

impl From<Format> for ReportFormat {
    fn from(f: Format) -> Self {
        match f {
            Format::Text => ReportFormat::Text,
            Format::Md => ReportFormat::Markdown,
            Format::Json => ReportFormat::Json,
            Format::Html => ReportFormat::Html,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(&cli.global);
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            // A closed pipe (`| head`) is not an error.
            if err.chain().any(|e| {
                e.downcast_ref::<io::Error>()
                    .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            eprintln!("corroborate: error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_logging(g: &Global) {
    let default = match (g.quiet, g.verbose) {
        (true, _) => "error",
        (_, 0) => "error",
        (_, 1) => "info",
        _ => "debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(io::stderr)
        .with_target(true)
        .init();
}

pub(crate) fn report_issue(issue: &Issue) {
    let what = match issue.severity() {
        Severity::Skipped => "skipped",
        Severity::Failed => "failed",
        Severity::Warning => "warning",
    };
    eprintln!("corroborate: {what}: {issue}");
}

/// Says on stderr (every few seconds, unless quiet) that this process is
/// waiting for another one's write lock on the store.
fn lock_wait_notice(g: &Global) -> Option<corroborate_store::LockWait> {
    if g.quiet {
        return None;
    }
    let db = g.db.display().to_string();
    let last = std::sync::Mutex::new(None::<u64>);
    Some(std::sync::Arc::new(move |waited: std::time::Duration| {
        let s = waited.as_secs();
        let mut last = last.lock().unwrap_or_else(|e| e.into_inner());
        if last.is_none_or(|l| s >= l + 5) {
            eprintln!("corroborate: waiting for another process to finish writing to {db} ({s} s)");
            *last = Some(s);
        }
    }))
}

/// The engine over the store, created if missing (commands that write).
fn open(g: &Global) -> Result<Engine> {
    engine_over(g, corroborate_store::open(&db_spec(g), lock_wait_notice(g)))
}

/// `--db` as the store layer reads it: an SQLite path or a PostgreSQL URL.
pub(crate) fn db_spec(g: &Global) -> String {
    g.db.to_string_lossy().into_owned()
}

/// The engine over an existing store (commands that only read): a
/// mistyped --db is an error naming the path, never a new empty store.
fn open_existing(g: &Global) -> Result<Engine> {
    engine_over(
        g,
        corroborate_store::open_existing(&db_spec(g), lock_wait_notice(g)),
    )
}

/// A story's report from an existing store, by id or unique prefix.
fn stored_report(g: &Global, story_id: &str) -> Result<corroborate_model::StoryReport> {
    open_existing(g)?
        .store()
        .report(story_id)?
        .with_context(|| {
            format!(
                "no story {story_id:?} in {} (see `corroborate stories`)",
                g.db.display()
            )
        })
}

fn engine_over(
    g: &Global,
    store: corroborate_store::Result<Box<dyn corroborate_store::Storage>>,
) -> Result<Engine> {
    let store = store.with_context(|| format!("opening store {}", g.db.display()))?;
    Ok(Engine::with_config(
        store,
        EngineConfig {
            max_size: g.max_size,
            ..EngineConfig::default()
        },
    )?)
}

pub(crate) fn cancel_on_ctrl_c() -> Cancel {
    let cancel = Cancel::default();
    let c = cancel.clone();
    let _ = ctrlc::set_handler(move || {
        if c.is_cancelled() {
            // Second Ctrl-C: stop now. SQLite transactions keep the store consistent.
            std::process::exit(130);
        }
        eprintln!("corroborate: stopping after the current batch (Ctrl-C again to quit now)");
        c.cancel();
    });
    cancel
}

fn ingest(engine: &mut Engine, g: &Global, paths: &[PathBuf]) -> Result<IngestSummary> {
    let bar = progress::Bar::new(g.quiet);
    let cancel = cancel_on_ctrl_c();
    let summary = engine.ingest(paths, &bar, &cancel, &mut |i| report_issue(i))?;
    if !g.quiet {
        let warned = if summary.warned > 0 {
            format!(", {} with warnings", summary.warned)
        } else {
            String::new()
        };
        eprintln!(
            "corroborate: {} read, {} new, {} unchanged, {} skipped, {} failed{warned}",
            summary.read, summary.added, summary.unchanged, summary.skipped, summary.failed
        );
    }
    Ok(summary)
}

fn status(summary: &IngestSummary) -> ExitCode {
    if summary.failed + summary.skipped > 0 {
        ExitCode::from(EXIT_INPUT_PROBLEMS)
    } else {
        ExitCode::SUCCESS
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    let g = &cli.global;
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match &cli.command {
        Command::Analyze {
            paths,
            json,
            format,
            all,
            serve,
            web,
        } => {
            let mut engine = open(g)?;
            let summary = ingest(&mut engine, g, paths)?;
            let bar = progress::Bar::new(g.quiet);
            let mut reports = engine.analyze_with(&bar)?;
            if !*all {
                // The stories the input is in, not the whole store.
                let touched: std::collections::HashSet<&corroborate_model::ArticleId> =
                    engine.touched().iter().collect();
                reports.retain(|r| r.articles.iter().any(|a| touched.contains(&a.id)));
            }
            reports.sort_by_key(|r| std::cmp::Reverse(r.articles.len()));
            if *json || *format == Format::Json {
                serde_json::to_writer_pretty(
                    &mut out,
                    &serde_json::json!({ "stories": reports, "ingest": summary }),
                )?;
                writeln!(out)?;
            } else {
                for r in &reports {
                    writeln!(out, "{}", render(r, (*format).into()))?;
                }
                if !g.quiet {
                    eprintln!(
                        "corroborate: {} in {}",
                        corroborate_engine::plural(reports.len(), "story", "stories"),
                        g.db.display()
                    );
                }
            }
            out.flush()?;
            drop(out);
            if let Some(addr) = serve {
                drop(engine);
                corroborate_server::run_with(&g.db, *addr, web.serve_options())
                    .context("serving")?;
            }
            Ok(status(&summary))
        }
        Command::Ingest {
            paths,
            json,
            queue: q,
        } if q.queue.is_some() => {
            let (summary, published) = queue::publish(g, paths, q)?;
            if *json {
                serde_json::to_writer(
                    &mut out,
                    &serde_json::json!({ "ingest": summary, "queued": published }),
                )?;
                writeln!(out)?;
                out.flush()?;
            }
            Ok(status(&summary))
        }
        Command::Worker(args) => {
            drop(out);
            queue::worker(g, args)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Queue(cmd) => {
            queue::status(cmd, &mut out)?;
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Ingest { paths, json, .. } => {
            let mut engine = open(g)?;
            let summary = ingest(&mut engine, g, paths)?;
            if *json {
                serde_json::to_writer(&mut out, &serde_json::json!({ "ingest": summary }))?;
                writeln!(out)?;
                out.flush()?;
            } else if !g.quiet {
                eprintln!("corroborate: run `corroborate analyze` or `corroborate stories` next");
            }
            Ok(status(&summary))
        }
        Command::Stories { json } => {
            let engine = open_existing(g)?;
            let stories = engine.store().stories()?;
            if *json {
                serde_json::to_writer_pretty(&mut out, &serde_json::json!({ "stories": stories }))?;
                writeln!(out)?;
            } else if stories.is_empty() {
                eprintln!(
                    "corroborate: no stories in {} (run `corroborate analyze PATH` first)",
                    g.db.display()
                );
            } else {
                for s in stories {
                    let span = match (&s.start, &s.end) {
                        (Some(a), Some(b)) if a.get(..10) == b.get(..10) => {
                            a.chars().take(10).collect()
                        }
                        (Some(a), Some(b)) => format!(
                            "{} – {}",
                            a.chars().take(10).collect::<String>(),
                            b.chars().take(10).collect::<String>()
                        ),
                        _ => "undated".into(),
                    };
                    writeln!(
                        out,
                        "{}  {:>12}  {:<25}  {}  [{}]",
                        s.id,
                        corroborate_engine::plural(s.articles, "article", "articles"),
                        span,
                        s.title,
                        s.outlets.join(", ")
                    )?;
                }
            }
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Export {
            story_id,
            table,
            format,
            out: dir,
        } => {
            use corroborate_engine::export::{self, Table};
            let report = stored_report(g, story_id)?;
            let body = |t: Table| match format {
                TableFormat::Csv => export::to_csv(&report, t),
                TableFormat::Ndjson => export::to_ndjson(&report, t),
            };
            match (dir, table) {
                (None, None) => anyhow::bail!("choose a table (--table claims|carriers|figures|timeline|sources) or a folder for all five (--out DIR)"),
                (None, Some(t)) => write!(out, "{}", body((*t).into()))?,
                (Some(dir), tables) => {
                    std::fs::create_dir_all(dir)
                        .with_context(|| format!("creating {}", dir.display()))?;
                    let chosen: Vec<Table> = match tables {
                        Some(t) => vec![(*t).into()],
                        None => Table::ALL.to_vec(),
                    };
                    let ext = match format {
                        TableFormat::Csv => "csv",
                        TableFormat::Ndjson => "ndjson",
                    };
                    for t in chosen {
                        let path = dir.join(format!("{}-{}.{ext}", report.id.as_str(), t.name()));
                        std::fs::write(&path, body(t))
                            .with_context(|| format!("writing {}", path.display()))?;
                        if !g.quiet {
                            eprintln!("corroborate: wrote {}", path.display());
                        }
                    }
                }
            }
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Report {
            story_id,
            format,
            json,
        } => {
            let format = if *json { &Format::Json } else { format };
            let report = stored_report(g, story_id)?;
            writeln!(out, "{}", render(&report, (*format).into()))?;
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Reanalyze { json } => {
            let mut engine = open_existing(g)?;
            let bar = progress::Bar::new(g.quiet);
            let (summary, reports) = engine.reanalyze(&bar)?;
            if *json {
                let mut v = serde_json::to_value(&summary)?;
                v["stories"] = reports.len().into();
                writeln!(out, "{v}")?;
            } else if !g.quiet {
                writeln!(
                    out,
                    "{} re-extracted ({} changed, {} refused and kept as stored); {} {}",
                    summary.read,
                    summary.changed,
                    summary.refused,
                    reports.len(),
                    if reports.len() == 1 {
                        "story"
                    } else {
                        "stories"
                    }
                )?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Stance {
            claim,
            pairs,
            paths,
        } => {
            let problems = match (claim, pairs) {
                (Some(c), _) => stance::articles(c, paths, g.max_size, &mut out)?,
                (None, Some(p)) => stance::pairs(p, &mut out)?,
                (None, None) => unreachable!("clap requires --claim or --pairs"),
            };
            out.flush()?;
            Ok(if problems > 0 {
                ExitCode::from(EXIT_INPUT_PROBLEMS)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Extract { paths, .. } => {
            let mut problems = 0;
            let articles = corroborate_engine::extract_inputs(paths, g.max_size, &mut |i| {
                problems += usize::from(i.severity() != Severity::Warning);
                report_issue(&i)
            });
            for a in articles {
                let line = serde_json::json!({
                    "source": a.source, "url": a.url, "title": a.title,
                    "published": a.published.map(|t| t.to_rfc3339()), "author": a.author, "site": a.site,
                    "language": a.language, "text": a.text,
                });
                writeln!(out, "{line}")?;
            }
            out.flush()?;
            Ok(if problems > 0 {
                ExitCode::from(EXIT_INPUT_PROBLEMS)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Claims { raw, json, paths } => {
            let mut problems = 0;
            let docs = corroborate_engine::annotate_inputs(paths, *raw, g.max_size, &mut |i| {
                problems += usize::from(i.severity() != Severity::Warning);
                report_issue(&i)
            });
            for d in docs {
                if *json {
                    writeln!(out, "{}", serde_json::to_string(&d)?)?;
                } else {
                    writeln!(out, "== {}", d.source)?;
                    for s in &d.annotations.statements {
                        writeln!(
                            out,
                            "  {} {}{}: {}",
                            if s.direct { "quote " } else { "report" },
                            s.speaker.as_ref().map_or("?", |x| x.name.as_str()),
                            s.channel
                                .as_deref()
                                .map(|c| format!(" via {c}"))
                                .unwrap_or_default(),
                            s.text
                        )?;
                    }
                    for f in &d.annotations.figures {
                        writeln!(
                            out,
                            "  figure {} {}",
                            f.text,
                            f.what.as_deref().or(f.unit.as_deref()).unwrap_or("")
                        )?;
                    }
                    for x in &d.annotations.dates {
                        writeln!(out, "  date   {} = {}", x.text, x.value)?;
                    }
                }
            }
            out.flush()?;
            Ok(if problems > 0 {
                ExitCode::from(EXIT_INPUT_PROBLEMS)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Match {
            against,
            top,
            lexical,
            model,
            json,
            queries,
        } => {
            use corroborate_engine::matching::{read_claims_jsonl, stored_claims, ClaimMatcher};
            let entries = match against {
                Some(path) => read_claims_jsonl(path)?,
                None => stored_claims(open_existing(g)?.store())?,
            };
            if entries.is_empty() {
                anyhow::bail!(
                    "no claims to match against: pass --against FILE, or run `corroborate analyze` first"
                );
            }
            let embedder = if *lexical {
                None
            } else {
                match corroborate_embed::locate(model.as_deref())
                    .map(|dir| corroborate_embed::Embedder::load(&dir))
                {
                    Some(Ok(m)) => Some(m),
                    // Asked for by name: say why it is not used.
                    Some(Err(e)) if model.is_some() || corroborate_embed::available() => {
                        eprintln!("warning: lexical matching only: {e}");
                        None
                    }
                    _ => None,
                }
            };
            let matcher = ClaimMatcher::new(entries, embedder)?;
            let mut lines = Vec::new();
            for q in queries {
                if q == "-" {
                    for l in io::stdin().lock().lines() {
                        let l = l?;
                        if !l.trim().is_empty() {
                            lines.push(l);
                        }
                    }
                } else {
                    lines.push(q.clone());
                }
            }
            for q in &lines {
                let matches = matcher.rank(q, *top)?;
                if *json {
                    let v = serde_json::json!({ "query": q, "matches": matches });
                    writeln!(out, "{v}")?;
                } else {
                    writeln!(out, "== {q}")?;
                    for m in &matches {
                        writeln!(out, "  {:>6.3}  [{}] {}", m.score, m.id, m.text)?;
                    }
                }
            }
            out.flush()?;
            if !g.quiet {
                eprintln!(
                    "{} queries against {} claims ({})",
                    lines.len(),
                    matcher.entries().len(),
                    if matcher.uses_embeddings() {
                        "BM25 + sentence embeddings"
                    } else {
                        "BM25"
                    }
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Cluster {
            input,
            id_field,
            text_field,
            title_field,
            time_field,
            lang_field,
            threshold,
            window,
            merge_threshold,
            size_prior,
            split_threshold,
            sequence_split_threshold,
            final_labels,
        } => {
            let fields = corroborate_engine::ClusterFields {
                id: id_field.clone(),
                text: text_field.clone(),
                title: title_field.clone(),
                time: time_field.clone(),
                lang: lang_field.clone(),
                config: corroborate_engine::ClusterConfig {
                    join_threshold: *threshold,
                    window: *window,
                    merge_threshold: *merge_threshold,
                    size_prior: *size_prior,
                    split_threshold: *split_threshold,
                    sequence_split_threshold: *sequence_split_threshold,
                    ..Default::default()
                },
            };
            let reader: Box<dyn BufRead> = if input.as_os_str() == "-" {
                Box::new(io::BufReader::new(io::stdin()))
            } else {
                Box::new(io::BufReader::new(
                    std::fs::File::open(input)
                        .with_context(|| format!("opening {}", input.display()))?,
                ))
            };
            let mut problems = 0;
            // With --final, the ids in order: the n-th assigned record is
            // the clusterer's n-th article.
            let mut held: Vec<serde_json::Value> = Vec::new();
            let clusterer = corroborate_engine::cluster_jsonl(
                reader,
                &input.display().to_string(),
                &fields,
                &mut |event| match event {
                    ClusterEvent::Assigned { id, .. } if *final_labels => {
                        held.push(id.clone());
                        Ok(())
                    }
                    ClusterEvent::Assigned { id, story } => {
                        writeln!(out, "{}", serde_json::json!({ "id": id, "story": story }))
                    }
                    ClusterEvent::Merged { .. } | ClusterEvent::Split { .. } if *final_labels => {
                        Ok(())
                    }
                    ClusterEvent::Merged { at, merge } => writeln!(
                        out,
                        "{}",
                        serde_json::json!({ "merge": { "at": at, "absorbed": merge.absorbed, "into": merge.into, "reason": merge.reason } })
                    ),
                    ClusterEvent::Split { at, split, moved } => writeln!(
                        out,
                        "{}",
                        serde_json::json!({ "split": { "at": at, "from": split.from, "new": split.new, "moved": moved, "reason": split.reason } })
                    ),
                },
                &mut |i| {
                    problems += 1;
                    report_issue(&i)
                },
            )?;
            for (n, id) in held.into_iter().enumerate() {
                let story = clusterer.story_of_doc(n);
                writeln!(out, "{}", serde_json::json!({ "id": id, "story": story }))?;
            }
            out.flush()?;
            Ok(if problems > 0 {
                ExitCode::from(EXIT_INPUT_PROBLEMS)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Serve { addr, web, queue } => {
            drop(out);
            let mut options = web.serve_options();
            options.queue = queue.config();
            if options.queue.is_none() {
                open(g)?.refresh()?; // analyse what arrived since the last run
            }
            corroborate_server::run_with(&g.db, *addr, options).context("serving")?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

// Keep the terminal check in one place for the progress bar.
pub(crate) fn stderr_is_terminal() -> bool {
    io::stderr().is_terminal()
}
