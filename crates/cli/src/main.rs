//! `corroborate`: the command-line front end. Parses flags, sets up logging
//! and progress, and hands the work to the engine. See `corroborate --help`.

mod commands;
mod progress;
mod queue;
mod stance;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};
use corroborate_engine::{
    Cancel, ClusterEvent, Engine, EngineConfig, IngestSummary, Issue, Profile, Severity,
};
use corroborate_render::{render, ReportFormat};
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
    /// Keep paragraphs that repeat across one outlet's articles (by
    /// default, a short paragraph found in 5 or more of an outlet's
    /// articles, and in half of those since it first appeared, is page
    /// furniture and is dropped when articles are stored).
    #[arg(long, global = true)]
    no_templates: bool,
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
    Analyze(AnalyzeArgs),
    /// Ingest articles into the store without analysing them, or publish them to a work queue.
    #[command(
        after_help = "Examples:\n  corroborate ingest examples/ --db news.db\n  corroborate ingest - < article.txt\n  corroborate ingest crawl/ --queue nats://127.0.0.1:4222   # workers extract and place them\n\nWith --queue, inputs are read here (bad input reported as usual) and each document is published; `corroborate worker` processes them."
    )]
    Ingest(IngestArgs),
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
    Stories(StoriesArgs),
    /// Print one story's report.
    #[command(
        after_help = "Examples:\n  corroborate report s-1a2b3c4d5e6f\n  corroborate report s-1a2b --format html > story.html"
    )]
    Report(ReportArgs),
    /// Export a story's tables (claims, carriers, figures, timeline, sources) as CSV or NDJSON.
    #[command(
        after_help = "Examples:\n  corroborate export s-1a2b --table claims > claims.csv\n  corroborate export s-1a2b --table carriers --format ndjson | jq .\n  corroborate export s-1a2b --out tables/        # all five: tables/s-1a2b…-claims.csv, …\n\nColumns: docs/report.md (\"Tables\")."
    )]
    Export(ExportArgs),
    /// Extraction only (no store): one JSON object a line per document.
    #[command(
        after_help = "Examples:\n  corroborate extract --json page.html\n  corroborate extract ../shared/seeds"
    )]
    Extract(ExtractArgs),
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
        after_help = "Examples:\n  corroborate cluster --input news.jsonl --text-field text --time-field date\n  corroborate cluster --final --input - < records.jsonl\n  corroborate cluster --input multilingual.jsonl --lang-field language\n  corroborate cluster --profile short-texts --input headlines.jsonl --text-field headline\n\nEach record's language (a field, else detected from text of 20 words or more) picks its stemmer and stop words; records in different languages are compared by their names and numbers."
    )]
    Cluster(ClusterArgs),
    /// Cross-check extraction only (no store): statements, figures and dates per document.
    #[command(
        after_help = "Examples:\n  corroborate claims --json ../shared/seeds\n  corroborate claims --raw --json sentences.jsonl"
    )]
    Claims(ClaimsArgs),
    /// Find known claims that match a statement: in a claims file (a
    /// fact-checker's collection) or in the stories of the store.
    #[command(
        after_help = "Queries are arguments, or lines of stdin with `-`. Links, post signatures and hashtag markup are ignored.\n\nExamples:\n  corroborate match --against verified.jsonl \"Video shows troops crossing the river\"\n  corroborate --db news.db match --top 3 --json \"the port fire forced 1,200 people out\"\n  cut -f2 posts.tsv | corroborate match --against verified.jsonl -\n\nClaims files are JSON lines with \"text\" (or \"claim\", \"vclaim\"), optional \"id\" and \"title\". With a build that has the `embed` feature and the model folder (scripts/fetch-minilm.sh), sentence embeddings join the ranking; --lexical turns them off."
    )]
    Match(MatchArgs),
    /// Extract every stored raw document again with this version's
    /// extractor, store what changed, and analyse everything from scratch
    /// (after an upgrade: the store keeps each input as it was read).
    #[command(
        after_help = "Examples:\n  corroborate reanalyze\n  corroborate --db news.db reanalyze --json\n  corroborate --db 'postgres://postgres@127.0.0.1/test?schema=desk' reanalyze"
    )]
    Reanalyze(ReanalyzeArgs),
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
    Stance(StanceArgs),
    /// Serve the web UI (/) and the JSON API (/api, documented at /openapi.json) over the store.
    #[command(
        after_help = "Examples:\n  corroborate serve --db news.db --addr 127.0.0.1:8080\n  curl http://127.0.0.1:8080/api/stories\n  CORROBORATE_TOKEN=s3cret corroborate serve --addr 0.0.0.0:8080 --allow-host desk.example\n  curl -H 'Authorization: Bearer s3cret' -H 'Content-Type: application/json' \\\n       --data '{\"text\": \"...\"}' http://desk.example:8080/api/articles\n\nOn loopback, writes need no token but are refused from other sites' pages.\nBound beyond loopback, the server is read-only unless --token is set."
    )]
    Serve(ServeArgs),
}

/// Arguments of `corroborate analyze`.
#[derive(Args, Debug)]
struct AnalyzeArgs {
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
}

/// Arguments of `corroborate ingest`.
#[derive(Args, Debug)]
struct IngestArgs {
    /// Files, directories (recursive) or `-` for stdin.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Print the run's counts as one JSON object.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    queue: queue::QueueArgs,
}

/// Arguments of `corroborate stories`.
#[derive(Args, Debug)]
struct StoriesArgs {
    /// JSON output.
    #[arg(long)]
    json: bool,
}

/// Arguments of `corroborate report`.
#[derive(Args, Debug)]
struct ReportArgs {
    /// Story id, or a unique prefix of one.
    story_id: String,
    /// Output format: text, md (Markdown), json or html.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// The same as --format json.
    #[arg(long)]
    json: bool,
}

/// Arguments of `corroborate export`.
#[derive(Args, Debug)]
struct ExportArgs {
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
}

/// Arguments of `corroborate extract`.
#[derive(Args, Debug)]
struct ExtractArgs {
    /// JSON lines output (the default; kept for symmetry with other commands).
    #[arg(long)]
    json: bool,
    /// Files, directories or `-`.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
}

/// Arguments of `corroborate cluster`.
#[derive(Args, Debug)]
struct ClusterArgs {
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
    /// Which defaults to use: `articles`, `short-texts` (headlines,
    /// titles, posts: merge at 0.25, window 2000), or `auto`: short texts
    /// when the median of the first 200 records has under 40 words. The
    /// flags below override single settings of the chosen profile.
    #[arg(long, value_enum, default_value_t = ProfileArg::Auto)]
    profile: ProfileArg,
    /// Minimum similarity for an article to join a story (0..1; lower
    /// merges more) [default: 0.2].
    #[arg(long)]
    threshold: Option<f64>,
    /// Only stories that took one of the last N records are candidates
    /// (0: all) [default: none for articles, 2000 for short texts].
    #[arg(long)]
    window: Option<usize>,
    /// Stories an article could join merge when their centroids are at
    /// least this similar (0..1; above 1 turns merging off) [default: 0.5
    /// for articles, 0.25 for short texts].
    #[arg(long)]
    merge_threshold: Option<f64>,
    /// How much a story's size counts: a record's score against a
    /// story of n records is multiplied by n^P (0 turns it off) [default: 0.2].
    #[arg(long)]
    size_prior: Option<f64>,
    /// A story splits when its members form two groups whose centroids
    /// are less alike than this (0..1; 0 turns splitting off) [default: 0.15].
    #[arg(long)]
    split_threshold: Option<f64>,
    /// Records without a time: two groups of a story that came one
    /// after the other in the input split when their centroids are less
    /// alike than this (0..1; 0 leaves them to --split-threshold) [default: 0.5].
    #[arg(long)]
    sequence_split_threshold: Option<f64>,
    /// Print each record's story after all merges, at the end.
    #[arg(long = "final")]
    final_labels: bool,
}

/// Arguments of `corroborate claims`.
#[derive(Args, Debug)]
struct ClaimsArgs {
    /// Take inputs as clean text: offsets refer to the text as given.
    #[arg(long)]
    raw: bool,
    /// JSON lines output.
    #[arg(long)]
    json: bool,
    /// Files, directories or `-`.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
}

/// Arguments of `corroborate match`.
#[derive(Args, Debug)]
struct MatchArgs {
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
}

/// Arguments of `corroborate reanalyze`.
#[derive(Args, Debug)]
struct ReanalyzeArgs {
    /// Print {"read", "changed", "refused", "stories"} as JSON.
    #[arg(long)]
    json: bool,
}

/// Arguments of `corroborate stance`.
#[derive(Args, Debug)]
struct StanceArgs {
    /// The claim to judge the inputs against.
    #[arg(long, requires = "paths")]
    claim: Option<String>,
    /// A JSON lines file of pairs, or `-` for stdin.
    #[arg(long, conflicts_with_all = ["claim", "paths"])]
    pairs: Option<PathBuf>,
    /// Files, directories or `-` (with --claim).
    paths: Vec<PathBuf>,
}

/// Arguments of `corroborate serve`.
#[derive(Args, Debug)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: std::net::SocketAddr,
    #[command(flatten)]
    web: WebOptions,
    /// Publish POSTed articles to this queue (workers place them) instead of storing them.
    #[command(flatten)]
    queue: queue::QueueArgs,
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

/// `corroborate cluster --profile`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum ProfileArg {
    /// Chosen from the records' length.
    Auto,
    /// Full articles.
    Articles,
    /// Headlines, titles, posts.
    ShortTexts,
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
            outlet_templates: !g.no_templates,
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
    let out = io::BufWriter::new(stdout.lock());
    match &cli.command {
        Command::Analyze(args) => commands::analyze(g, out, args),
        Command::Ingest(args) if args.queue.queue.is_some() => {
            commands::ingest_to_queue(g, out, args)
        }
        Command::Worker(args) => commands::worker(g, out, args),
        Command::Queue(cmd) => commands::queue_status(out, cmd),
        Command::Ingest(args) => commands::ingest_into_store(g, out, args),
        Command::Stories(args) => commands::stories(g, out, args),
        Command::Export(args) => commands::export(g, out, args),
        Command::Report(args) => commands::report(g, out, args),
        Command::Reanalyze(args) => commands::reanalyze(g, out, args),
        Command::Stance(args) => commands::stance(g, out, args),
        Command::Extract(args) => commands::extract(g, out, args),
        Command::Claims(args) => commands::claims(g, out, args),
        Command::Match(args) => commands::match_claims(g, out, args),
        Command::Cluster(args) => commands::cluster(out, args),
        Command::Serve(args) => commands::serve(g, out, args),
    }
}

// Keep the terminal check in one place for the progress bar.
pub(crate) fn stderr_is_terminal() -> bool {
    io::stderr().is_terminal()
}
