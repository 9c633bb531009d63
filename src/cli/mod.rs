mod customers;
mod deals;
mod export;
mod followups;
mod import;
mod lists;
mod messages;
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
    /// Reports: the sales funnel and the forecast.
    #[command(subcommand)]
    Report(deals::ReportCommand),
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
}

impl Session {
    pub fn fail(&self, err: Error) -> Failure {
        fail(err, self.json, self.lang)
    }

    pub fn print_json<T: serde::Serialize>(&self, value: &T) {
        println!("{}", serde_json::to_string(value).expect("json output"));
    }
}

async fn open(cli: &Cli, json: bool) -> Result<Session, Failure> {
    let path = paths::resolve_db_path(cli.db.clone()).ok_or_else(|| Failure {
        text: "cannot find the app-data directory; pass --db PATH".into(),
        exit: exit::ERROR,
    })?;
    let opened = match cli.now {
        Some(now) => Crm::open_with(&path, Arc::new(FixedClock::new(now)), Arc::new(RandomIds::default())).await,
        None => Crm::open(&path).await,
    };
    let crm = opened.map_err(|err| fail(err, json, Language::default()))?;
    let lang = crm.language().await.unwrap_or_default();
    Ok(Session { crm, lang, json })
}

async fn dispatch(cli: Cli) -> Result<(), Failure> {
    match &cli.command {
        Command::Customers(command) => {
            let session = open(&cli, command.json()).await?;
            let result = customers::run(&session, command).await;
            session.crm.close().await;
            result
        }
        Command::Deals(command) => {
            let session = open(&cli, command.json()).await?;
            let result = deals::run(&session, command).await;
            session.crm.close().await;
            result
        }
        Command::Report(command) => {
            let session = open(&cli, command.json()).await?;
            let result = deals::report(&session, command).await;
            session.crm.close().await;
            result
        }
        Command::Industries(command) => {
            let session = open(&cli, command.json()).await?;
            let result = lists::industries(&session, command).await;
            session.crm.close().await;
            result
        }
        Command::Fields(command) => {
            let session = open(&cli, command.json()).await?;
            let result = lists::fields(&session, command).await;
            session.crm.close().await;
            result
        }
        Command::Tags(command) => {
            let session = open(&cli, command.json()).await?;
            let result = tags::tags(&session, command).await;
            session.crm.close().await;
            result
        }
        Command::Segments(command) => {
            let session = open(&cli, command.json()).await?;
            let result = tags::segments(&session, command).await;
            session.crm.close().await;
            result
        }
        Command::Followups(command) => {
            let session = open(&cli, command.json()).await?;
            let result = followups::followups(&session, command).await;
            session.crm.close().await;
            result
        }
        Command::Reminders(command) => {
            let session = open(&cli, command.json()).await?;
            let result = followups::reminders(&session, command).await;
            session.crm.close().await;
            result
        }
        Command::Export(args) => {
            let session = open(&cli, args.json()).await?;
            let result = export::export(&session, args).await;
            session.crm.close().await;
            result
        }
        Command::Template(args) => {
            let session = open(&cli, false).await?;
            let result = export::template(&session, args).await;
            session.crm.close().await;
            result
        }
        Command::Import(args) => {
            let session = open(&cli, args.json()).await?;
            let result = import::run(&session, args).await;
            session.crm.close().await;
            result
        }
        Command::Bench(BenchCommand::Run { customers, runs, out }) => {
            let report = yiben::bench::run(*customers, *runs).await.map_err(|e| fail(e, false, Language::En))?;
            print!("{report}");
            if let Some(out) = out {
                std::fs::write(out, &report).map_err(|e| fail(e.into(), false, Language::En))?;
            }
            Ok(())
        }
        Command::Bench(BenchCommand::Import { rows, out }) => {
            let dir = std::env::temp_dir().join(format!("yiben-bench-import-{}", std::process::id()));
            std::fs::create_dir_all(&dir).map_err(|e| fail(e.into(), false, Language::En))?;
            let report = yiben::bench::import::run(&dir, *rows).await;
            let _ = std::fs::remove_dir_all(&dir);
            let report = report.map_err(|e| fail(e, false, Language::En))?;
            print!("{report}");
            if let Some(out) = out {
                std::fs::write(out, &report).map_err(|e| fail(e.into(), false, Language::En))?;
            }
            Ok(())
        }
        Command::Bench(BenchCommand::Tags { customers, runs, out }) => {
            let dir = std::env::temp_dir().join(format!("yiben-bench-tags-{}", std::process::id()));
            std::fs::create_dir_all(&dir).map_err(|e| fail(e.into(), false, Language::En))?;
            let report = yiben::bench::tags::run(&dir, *customers, (*runs).max(1)).await;
            let _ = std::fs::remove_dir_all(&dir);
            let report = report.map_err(|e| fail(e, false, Language::En))?;
            print!("{report}");
            if let Some(out) = out {
                std::fs::write(out, &report).map_err(|e| fail(e.into(), false, Language::En))?;
            }
            Ok(())
        }
        Command::Bench(BenchCommand::Reminders { customers, reminders, runs, out }) => {
            let dir = std::env::temp_dir().join(format!("yiben-bench-reminders-{}", std::process::id()));
            std::fs::create_dir_all(&dir).map_err(|e| fail(e.into(), false, Language::En))?;
            let report = yiben::bench::reminders::run(&dir, *customers, *reminders, (*runs).max(1)).await;
            let _ = std::fs::remove_dir_all(&dir);
            let report = report.map_err(|e| fail(e, false, Language::En))?;
            print!("{report}");
            if let Some(out) = out {
                std::fs::write(out, &report).map_err(|e| fail(e.into(), false, Language::En))?;
            }
            Ok(())
        }
        Command::Bench(BenchCommand::Deals { deals, runs, out }) => {
            let report = yiben::bench::deals::run(*deals, *runs).await.map_err(|e| fail(e, false, Language::En))?;
            print!("{report}");
            if let Some(out) = out {
                std::fs::write(out, &report).map_err(|e| fail(e.into(), false, Language::En))?;
            }
            Ok(())
        }
        Command::Bench(BenchCommand::Seed { customers }) => {
            let session = open(&cli, false).await?;
            yiben::bench::seed(&session.crm, *customers).await.map_err(|e| session.fail(e))?;
            println!("{customers}");
            session.crm.close().await;
            Ok(())
        }
    }
}
