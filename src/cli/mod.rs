mod messages;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use chrono::{DateTime, Local, NaiveDateTime, TimeZone, Utc};
use clap::{Parser, Subcommand};

use yiben::customers::{CustomerInput, PageQuery};
use yiben::settings::Language;
use yiben::{paths, Crm, Error, FixedClock, RandomIds};

/// Exit codes are part of the CLI's contract (see README).
pub mod exit {
    pub const ERROR: u8 = 1;
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
    /// Add and list customers.
    #[command(subcommand)]
    Customers(CustomersCommand),
    /// The benchmark suite and its data generator.
    #[command(subcommand)]
    Bench(BenchCommand),
}

#[derive(Subcommand)]
enum CustomersCommand {
    /// Add one customer.
    Add {
        #[arg(long)]
        name: String,
        /// Chinese mobile; +86, spaces, dashes and full-width digits are accepted.
        #[arg(long)]
        phone: Option<String>,
        #[arg(long)]
        industry: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// List customers, newest first.
    List {
        /// Page size (1–500).
        #[arg(long, default_value_t = 100)]
        limit: u32,
        /// Continue after this cursor (the previous page's nextCursor).
        #[arg(long)]
        after: Option<i64>,
        #[arg(long)]
        json: bool,
    },
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
    /// Add generated customers to the ledger given by --db (for measuring the app).
    Seed {
        #[arg(long)]
        customers: usize,
    },
}

fn parse_now(raw: &str) -> Result<DateTime<Utc>, String> {
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
            let _ = writeln!(std::io::stderr(), "{}", failure.text);
            ExitCode::from(failure.exit)
        }
    }
}

struct Failure {
    text: String,
    exit: u8,
}

fn fail(err: Error, json: bool, lang: Language) -> Failure {
    let exit = match err {
        Error::Validation(_) | Error::Conflict(_) => exit::INVALID_INPUT,
        Error::NotFound { .. } => exit::NOT_FOUND,
        _ => exit::ERROR,
    };
    let text = if json { serde_json::to_string(&err.body()).expect("error body") } else { messages::describe(&err, lang) };
    Failure { text, exit }
}

async fn open(cli: &Cli, json: bool) -> Result<Crm, Failure> {
    let path = paths::resolve_db_path(cli.db.clone()).ok_or_else(|| Failure {
        text: "cannot find the app-data directory; pass --db PATH".into(),
        exit: exit::ERROR,
    })?;
    let opened = match cli.now {
        Some(now) => Crm::open_with(&path, Arc::new(FixedClock::new(now)), Arc::new(RandomIds::default())).await,
        None => Crm::open(&path).await,
    };
    opened.map_err(|err| fail(err, json, Language::default()))
}

async fn dispatch(cli: Cli) -> Result<(), Failure> {
    match &cli.command {
        Command::Customers(CustomersCommand::Add { name, phone, industry, json }) => {
            let crm = open(&cli, *json).await?;
            let lang = crm.language().await.unwrap_or_default();
            let input = CustomerInput { name: name.clone(), phone: phone.clone(), industry: industry.clone() };
            let customer = crm.add_customer(&input).await.map_err(|e| fail(e, *json, lang))?;
            if *json {
                println!("{}", serde_json::to_string(&customer).expect("customer json"));
            } else {
                println!("{}", messages::added(&customer, lang));
            }
            crm.close().await;
        }
        Command::Customers(CustomersCommand::List { limit, after, json }) => {
            let crm = open(&cli, *json).await?;
            let lang = crm.language().await.unwrap_or_default();
            let page = crm
                .list_customers(&PageQuery { limit: *limit, after: *after })
                .await
                .map_err(|e| fail(e, *json, lang))?;
            if *json {
                println!("{}", serde_json::to_string(&page).expect("page json"));
            } else {
                print!("{}", messages::table(&page, lang));
            }
            crm.close().await;
        }
        Command::Bench(BenchCommand::Run { customers, runs, out }) => {
            let report = yiben::bench::run(*customers, *runs).await.map_err(|e| fail(e, false, Language::En))?;
            print!("{report}");
            if let Some(out) = out {
                std::fs::write(out, &report).map_err(|e| fail(e.into(), false, Language::En))?;
            }
        }
        Command::Bench(BenchCommand::Seed { customers }) => {
            let crm = open(&cli, false).await?;
            yiben::bench::seed(&crm, *customers).await.map_err(|e| fail(e, false, Language::En))?;
            println!("{customers}");
            crm.close().await;
        }
    }
    Ok(())
}
