mod backup;
mod customers;
mod deals;
mod encryption;
mod export;
mod followups;
mod import;
mod lists;
mod messages;
mod reports;
mod tags;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use chrono::{DateTime, Local, NaiveDateTime, TimeZone, Utc};
use clap::{Parser, Subcommand};

use yiben::settings::Language;
use yiben::{paths, Crm, Error, FixedClock, RandomIds};

/// Exit codes are part of the CLI's contract (see README).
pub mod exit {
    pub const ERROR: u8 = 1;
    pub const DUPLICATE: u8 = 3;
    pub const INVALID_INPUT: u8 = 4;
    pub const NOT_FOUND: u8 = 5;
}

#[derive(Parser)]
#[command(name = "yiben", version, about = "一本账 Yiben CRM — command line")]
struct Cli {
    /// The ledger file. Default: the desktop app's database in the OS app-data dir.
    #[arg(long, global = true, env = paths::DB_ENV_VAR, value_name = "PATH")]
    db: Option<PathBuf>,
    /// Pretend it is this moment (RFC 3339, or "YYYY-MM-DD HH:MM[:SS]" in local time).
    #[arg(long, global = true, value_name = "DATETIME", value_parser = parse_now)]
    now: Option<DateTime<Utc>>,
    /// Read passwords from stdin, one per line: the encrypted ledger's, then a new one (see
    /// `encryption`). Without it: YIBEN_PASSWORD, YIBEN_NEW_PASSWORD, YIBEN_BACKUP_PASSWORD.
    #[arg(long, global = true)]
    password_stdin: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Customers: add, get, update, delete, restore, list, search, merge, history.
    #[command(subcommand)]
    Customers(customers::CustomersCommand),
    /// The managed industry list.
    #[command(subcommand)]
    Industries(lists::IndustriesCommand),
    /// Custom customer fields.
    #[command(subcommand)]
    Fields(lists::FieldsCommand),
    /// Import customers from a spreadsheet, or undo an import.
    Import(import::ImportArgs),
    /// Export customers (all, a search or a filter) to .xlsx.
    Export(export::ExportArgs),
    /// Write the blank import template, or the rejected rows of a file, to .xlsx.
    Template(export::TemplateArgs),
    /// Tags: add one, list them with their counts.
    #[command(subcommand)]
    Tags(tags::TagsCommand),
    /// Saved segments (named filters) with live counts.
    #[command(subcommand)]
    Segments(tags::SegmentsCommand),
    /// Follow-ups: log one (with its next step), list a customer's.
    #[command(subcommand)]
    Followups(followups::FollowupsCommand),
    /// Reminders: what is due now, and the rules.
    #[command(subcommand)]
    Reminders(followups::RemindersCommand),
    /// Deals (商机): add, move between stages, list, stalled.
    #[command(subcommand)]
    Deals(deals::DealsCommand),
    /// Reports: dashboard, performance, customers, follow-ups, funnel, forecast, export.
    #[command(subcommand)]
    Report(reports::ReportCommand),
    /// Backups: create one (into the backups folder or --out FILE), list them, restore one.
    #[command(subcommand)]
    Backup(backup::BackupCommand),
    /// Check the ledger: integrity, foreign keys, search index. Exits 1 when a check fails.
    Check(backup::CheckArgs),
    /// The audit log: imports, exports, merges, deletes, backups, restores, settings changes.
    Audit(backup::AuditArgs),
    /// Encryption at rest: status, on, off, change the password.
    #[command(subcommand)]
    Encryption(encryption::EncryptionCommand),
    /// The benchmark suite and its data generator.
    #[command(subcommand)]
    Bench(BenchCommand),
}

#[derive(Subcommand)]
enum BenchCommand {
    /// Time the core on a generated, temporary ledger and print a Markdown report.
    Run {
        /// How many customers to generate.
        #[arg(long, default_value_t = 100_000)]
        customers: usize,
        /// Timed repetitions per query.
        #[arg(long, default_value_t = 200)]
        runs: usize,
        /// Also write the report to this Markdown file.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Time an import of a generated workbook against bare calamine reading it.
    Import {
        #[arg(long, default_value_t = 100_000)]
        rows: usize,
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Time an export of generated customers against bare rust_xlsxwriter writing the same rows.
    Export {
        #[arg(long, default_value_t = 100_000)]
        rows: usize,
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Time filtered pages and counts over tag links, and the full refresh of automatic tags and scores.
    Tags {
        #[arg(long, default_value_t = 1_000_000)]
        customers: usize,
        #[arg(long, default_value_t = 50)]
        runs: usize,
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Time finding the next of many scheduled reminders, the rules, firing delay and idle CPU.
    Reminders {
        #[arg(long, default_value_t = 10_000)]
        customers: usize,
        #[arg(long, default_value_t = 100_000)]
        reminders: usize,
        #[arg(long, default_value_t = 200)]
        runs: usize,
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Time the funnel report and the kanban on a generated pipeline with its stage history.
    Deals {
        #[arg(long, default_value_t = 200_000)]
        deals: usize,
        #[arg(long, default_value_t = 50)]
        runs: usize,
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Time every dashboard widget and report on a generated ledger (customers, follow-ups,
    /// deals over three years), with the query plans and the bare-sqlx baselines. Periods are
    /// taken at --now (default 2026-11-24 10:00 +08:00).
    Reports {
        #[arg(long, default_value_t = 1_000_000)]
        customers: usize,
        #[arg(long, default_value_t = 5_000_000)]
        followups: usize,
        #[arg(long, default_value_t = 200_000)]
        deals: usize,
        #[arg(long, default_value_t = 20)]
        runs: usize,
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Add generated customers to the ledger given by --db (for measuring the app).
    Seed {
        #[arg(long)]
        customers: usize,
    },
}

pub(crate) fn parse_now(raw: &str) -> Result<DateTime<Utc>, String> {
    if let Ok(t) = DateTime::parse_from_rfc3339(raw) {
        return Ok(t.with_timezone(&Utc));
    }
    for format in ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(raw, format) {
            if let Some(local) = Local.from_local_datetime(&naive).earliest() {
                return Ok(local.with_timezone(&Utc));
            }
        }
    }
    Err(format!("not a date and time: {raw:?} (expected e.g. 2026-03-01 09:30 or 2026-03-01T09:30:00+08:00)"))
}

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("tokio runtime");
    match runtime.block_on(dispatch(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            if !failure.text.is_empty() {
                let _ = writeln!(std::io::stderr(), "{}", failure.text);
            }
            ExitCode::from(failure.exit)
        }
    }
}

pub struct Failure {
    pub text: String,
    pub exit: u8,
}

pub fn fail(err: Error, json: bool, lang: Language) -> Failure {
    let exit = match err {
        Error::Validation(_) | Error::Conflict(_) => exit::INVALID_INPUT,
        Error::NotFound { .. } => exit::NOT_FOUND,
        _ => exit::ERROR,
    };
    let text = if json { serde_json::to_string(&err.body()).expect("error body") } else { messages::describe(&err, lang) };
    Failure { text, exit }
}

/// The ledger plus the language its human-readable output uses.
pub struct Session {
    pub crm: Crm,
    pub lang: Language,
    pub json: bool,
    /// The password the ledger was opened with, when it is encrypted.
    pub password: Option<yiben::encryption::Password>,
    pub passwords: encryption::Passwords,
}

impl Session {
    pub fn fail(&self, err: Error) -> Failure {
        fail(err, self.json, self.lang)
    }

    pub fn print_json<T: serde::Serialize>(&self, value: &T) {
        println!("{}", serde_json::to_string(value).expect("json output"));
    }
}

fn db_path(cli: &Cli) -> Result<PathBuf, Failure> {
    paths::resolve_db_path(cli.db.clone()).ok_or_else(|| Failure {
        text: "cannot find the app-data directory; pass --db PATH".into(),
        exit: exit::ERROR,
    })
}

async fn open(cli: &Cli, json: bool) -> Result<Session, Failure> {
    let path = db_path(cli)?;
    let passwords = encryption::Passwords { stdin: cli.password_stdin };
    // A password is asked for only when the ledger is encrypted, so the order of the lines
    // on stdin does not depend on anything else.
    let password = match yiben::encryption::is_encrypted(&path) {
        Ok(true) => passwords.current(),
        Ok(false) => Ok(None),
        Err(e) => Err(e),
    }
    .map_err(|err| fail(err, json, Language::default()))?;
    let clock: Arc<dyn yiben::Clock> = match cli.now {
        Some(now) => Arc::new(FixedClock::new(now)),
        None => Arc::new(yiben::SystemClock),
    };
    let opened = Crm::open_with_password(&path, password.as_ref(), clock, Arc::new(RandomIds::default())).await;
    let crm = opened.map_err(|err| fail(err, json, Language::default()))?;
    let lang = crm.language().await.unwrap_or_default();
    Ok(Session { crm, lang, json, password, passwords })
}

/// Opens the ledger, runs one command on it, and closes it whatever the outcome.
macro_rules! with_session {
    ($cli:expr, $json:expr, |$session:ident| $run:expr) => {{
        let $session = open($cli, $json).await?;
        let result = $run.await;
        $session.crm.close().await;
        result
    }};
}

/// A benchmark's report to stdout, and to `out` when given.
fn emit(report: yiben::Result<String>, out: &Option<PathBuf>) -> Result<(), Failure> {
    let report = report.map_err(|e| fail(e, false, Language::En))?;
    print!("{report}");
    if let Some(out) = out {
        std::fs::write(out, &report).map_err(|e| fail(e.into(), false, Language::En))?;
    }
    Ok(())
}

/// Runs a benchmark in its own scratch directory, removed afterwards.
async fn in_scratch<F, Fut>(name: &str, run: F) -> yiben::Result<String>
where
    F: FnOnce(PathBuf) -> Fut,
    Fut: std::future::Future<Output = yiben::Result<String>>,
{
    let dir = std::env::temp_dir().join(format!("yiben-bench-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let report = run(dir.clone()).await;
    // YIBEN_BENCH_KEEP leaves the generated ledger behind, to look into a slow query by hand.
    if std::env::var_os("YIBEN_BENCH_KEEP").is_some() {
        eprintln!("bench: kept {}", dir.display());
    } else {
        let _ = std::fs::remove_dir_all(&dir);
    }
    report
}

async fn dispatch(cli: Cli) -> Result<(), Failure> {
    let cli = &cli;
    match &cli.command {
        Command::Customers(c) => with_session!(cli, c.json(), |s| customers::run(&s, c)),
        Command::Deals(c) => with_session!(cli, c.json(), |s| deals::run(&s, c)),
        Command::Report(c) => with_session!(cli, c.json(), |s| reports::run(&s, c)),
        Command::Industries(c) => with_session!(cli, c.json(), |s| lists::industries(&s, c)),
        Command::Fields(c) => with_session!(cli, c.json(), |s| lists::fields(&s, c)),
        Command::Tags(c) => with_session!(cli, c.json(), |s| tags::tags(&s, c)),
        Command::Segments(c) => with_session!(cli, c.json(), |s| tags::segments(&s, c)),
        Command::Followups(c) => with_session!(cli, c.json(), |s| followups::followups(&s, c)),
        Command::Reminders(c) => with_session!(cli, c.json(), |s| followups::reminders(&s, c)),
        Command::Export(a) => with_session!(cli, a.json(), |s| export::export(&s, a)),
        Command::Template(a) => with_session!(cli, false, |s| export::template(&s, a)),
        Command::Import(a) => with_session!(cli, a.json(), |s| import::run(&s, a)),
        Command::Backup(c) => with_session!(cli, c.json(), |s| backup::backup(&s, c)),
        Command::Check(a) => with_session!(cli, a.json(), |s| backup::check(&s)),
        Command::Audit(a) => with_session!(cli, a.json(), |s| backup::audit(&s, a)),
        Command::Encryption(encryption::EncryptionCommand::Status { json }) => encryption::status(&db_path(cli)?, *json),
        Command::Encryption(c) => with_session!(cli, c.json(), |s| encryption::run(&s, c, &s.passwords)),
        Command::Bench(BenchCommand::Run { customers, runs, out }) => emit(yiben::bench::run(*customers, *runs).await, out),
        Command::Bench(BenchCommand::Import { rows, out }) => {
            emit(in_scratch("import", |dir| async move { yiben::bench::import::run(&dir, *rows).await }).await, out)
        }
        Command::Bench(BenchCommand::Export { rows, out }) => {
            emit(in_scratch("export", |dir| async move { yiben::bench::export::run(&dir, *rows).await }).await, out)
        }
        Command::Bench(BenchCommand::Tags { customers, runs, out }) => {
            let report = in_scratch("tags", |dir| async move { yiben::bench::tags::run(&dir, *customers, (*runs).max(1)).await });
            emit(report.await, out)
        }
        Command::Bench(BenchCommand::Reminders { customers, reminders, runs, out }) => {
            let report = in_scratch("reminders", |dir| async move {
                yiben::bench::reminders::run(&dir, *customers, *reminders, (*runs).max(1)).await
            });
            emit(report.await, out)
        }
        Command::Bench(BenchCommand::Deals { deals, runs, out }) => emit(yiben::bench::deals::run(*deals, *runs).await, out),
        Command::Bench(BenchCommand::Reports { customers, followups, deals, runs, out }) => {
            let sizes = yiben::bench::reports::Sizes { customers: *customers, followups: *followups, deals: *deals };
            let report = in_scratch("reports", |dir| async move { yiben::bench::reports::run(&dir, sizes, (*runs).max(1), cli.now).await });
            emit(report.await, out)
        }
        Command::Bench(BenchCommand::Seed { customers }) => with_session!(cli, false, |s| async {
            yiben::bench::seed(&s.crm, *customers).await.map_err(|e| s.fail(e))?;
            println!("{customers}");
            Ok(())
        }),
    }
}
