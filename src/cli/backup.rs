//! `yiben backup create|list|restore`, `yiben check` and `yiben audit`.

use std::path::PathBuf;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use clap::{Args, Subcommand};

use yiben::audit::{AuditAction, AuditQuery};
use yiben::backup::BackupInfo;
use yiben::settings::Language;
use yiben::Error;

use super::{exit, Failure, Session};

#[derive(Subcommand)]
pub enum BackupCommand {
    /// Back up the ledger: into the backups folder beside it, or to --out FILE.
    Create {
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// The backups in the backups folder, newest first.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Replace the ledger with a backup, after checking it (and upgrading an older one). The
    /// current ledger is backed up first. An encrypted backup opens with
    /// YIBEN_BACKUP_PASSWORD (or the next line of stdin) or else the ledger's own password.
    Restore {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

impl BackupCommand {
    pub fn json(&self) -> bool {
        match self {
            BackupCommand::Create { json, .. }
            | BackupCommand::List { json }
            | BackupCommand::Restore { json, .. } => *json,
        }
    }
}

#[derive(Args)]
pub struct CheckArgs {
    #[arg(long)]
    json: bool,
}

impl CheckArgs {
    pub fn json(&self) -> bool {
        self.json
    }
}

#[derive(Args)]
pub struct AuditArgs {
    /// Only this action, e.g. import, customer_delete, backup_restore, settings_change.
    #[arg(long)]
    action: Option<String>,
    /// From this day (YYYY-MM-DD, local) or moment.
    #[arg(long, value_name = "DATE")]
    from: Option<String>,
    /// Up to and including this day (YYYY-MM-DD, local), or up to this moment.
    #[arg(long, value_name = "DATE")]
    to: Option<String>,
    /// Text inside the entry's details or entity id.
    #[arg(long)]
    text: Option<String>,
    #[arg(long, default_value_t = 50)]
    limit: u32,
    /// The previous page's nextCursor.
    #[arg(long)]
    cursor: Option<i64>,
    #[arg(long)]
    json: bool,
}

impl AuditArgs {
    pub fn json(&self) -> bool {
        self.json
    }
}

fn zh(session: &Session) -> bool {
    session.lang == Language::ZhCn
}

fn line(b: &BackupInfo) -> String {
    format!(
        "{}  {:<13}  {:>10}  {}",
        b.at.format("%Y-%m-%d %H:%M:%S UTC"),
        b.kind.as_str(),
        b.size,
        b.path
    )
}

pub async fn backup(session: &Session, command: &BackupCommand) -> Result<(), Failure> {
    match command {
        BackupCommand::Create { out, .. } => {
            let made = session
                .crm
                .create_backup(out.as_deref())
                .await
                .map_err(|e| session.fail(e))?;
            if session.json {
                session.print_json(&made);
            } else if zh(session) {
                println!("已备份到 {}（{} 字节）", made.path, made.size);
            } else {
                println!("backed up to {} ({} bytes)", made.path, made.size);
            }
        }
        BackupCommand::List { .. } => {
            let list = session.crm.backups().await.map_err(|e| session.fail(e))?;
            if session.json {
                session.print_json(&list);
            } else if list.is_empty() {
                println!(
                    "{}",
                    if zh(session) {
                        "还没有备份"
                    } else {
                        "no backups yet"
                    }
                );
            } else {
                list.iter().for_each(|b| println!("{}", line(b)));
            }
        }
        BackupCommand::Restore { file, .. } => {
            // An encrypted backup opens with its own password when one is given, else with
            // the ledger's (the usual case: the password has not changed since).
            let password = match yiben::encryption::is_encrypted(file) {
                Ok(true) => session
                    .passwords
                    .backup()
                    .map(|own| own.or_else(|| session.password.clone())),
                Ok(false) => Ok(None),
                Err(e) => Err(e),
            }
            .map_err(|e| session.fail(e))?;
            let restored = session
                .crm
                .restore_with_password(file, password.as_ref())
                .await
                .map_err(|e| session.fail(e))?;
            let pre = restored.backups().await.ok().and_then(|l| {
                l.into_iter()
                    .find(|b| b.kind == yiben::backup::BackupKind::PreRestore)
            });
            restored.close().await;
            if session.json {
                session.print_json(&serde_json::json!({ "restored": file, "preRestoreBackup": pre.map(|b| b.path) }));
            } else if zh(session) {
                println!("已从 {} 恢复；恢复前的账本已备份", file.display());
            } else {
                println!(
                    "restored from {}; the ledger as it was is backed up",
                    file.display()
                );
            }
        }
    }
    Ok(())
}

/// Prints the report; a failed check exits 1 (the report is still on stdout).
pub async fn check(session: &Session) -> Result<(), Failure> {
    let report = session.crm.check().await.map_err(|e| session.fail(e))?;
    if session.json {
        session.print_json(&report);
    } else {
        let s = &report.search_index;
        let verdict = |ok: bool| {
            if ok {
                "ok"
            } else if zh(session) {
                "有问题"
            } else {
                "FAILED"
            }
        };
        let (integrity, fk, search) = if zh(session) {
            ("完整性", "外键", "搜索索引")
        } else {
            ("integrity", "foreign keys", "search index")
        };
        println!("{integrity}: {}", report.integrity.join("; "));
        println!(
            "{fk}: {} ({})",
            verdict(report.foreign_keys.is_empty()),
            report.foreign_keys.len()
        );
        println!(
            "{search}: {} (customers {}, entries {}/{}, missing {:?}, extra {:?}, stale {:?}, fts {})",
            verdict(s.ok),
            s.live_customers,
            s.search_rows,
            s.gram_rows,
            s.missing,
            s.extra,
            s.stale,
            s.fts
        );
    }
    if report.ok {
        Ok(())
    } else {
        Err(Failure {
            text: String::new(),
            exit: exit::ERROR,
        })
    }
}

/// A day means its local midnight (`to` the next one: the day is included); anything else
/// is read as a moment like `--now`.
fn moment(session: &Session, field: &str, raw: &str, end: bool) -> Result<DateTime<Utc>, Failure> {
    if let Ok(day) = NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
        let day = if end { day + Duration::days(1) } else { day };
        return Ok(session.crm.zone().at(day, NaiveTime::MIN));
    }
    super::parse_now(raw).map_err(|_| session.fail(Error::invalid(field, "date_invalid")))
}

pub async fn audit(session: &Session, args: &AuditArgs) -> Result<(), Failure> {
    let action = args
        .action
        .as_deref()
        .map(AuditAction::parse)
        .transpose()
        .map_err(|e| session.fail(e))?;
    let from = args
        .from
        .as_deref()
        .map(|r| moment(session, "from", r, false))
        .transpose()?;
    let to = args
        .to
        .as_deref()
        .map(|r| moment(session, "to", r, true))
        .transpose()?;
    let query = AuditQuery {
        action,
        from,
        to,
        text: args.text.clone(),
        cursor: args.cursor,
        limit: args.limit,
    };
    let page = session
        .crm
        .audit_log(&query)
        .await
        .map_err(|e| session.fail(e))?;
    if session.json {
        session.print_json(&page);
        return Ok(());
    }
    if page.items.is_empty() {
        println!(
            "{}",
            if zh(session) {
                "没有记录"
            } else {
                "no entries"
            }
        );
    }
    for e in &page.items {
        let local = session.crm.zone().to_local(e.at);
        let entity = match (&e.entity, &e.entity_id) {
            (Some(kind), Some(id)) => format!(" {kind} {id}"),
            _ => String::new(),
        };
        println!(
            "#{} {}  {}{entity}  {}",
            e.id,
            local.format("%Y-%m-%d %H:%M:%S"),
            e.action.as_str(),
            e.details
        );
    }
    if let Some(next) = page.next_cursor {
        println!(
            "{} --cursor {next}",
            if zh(session) {
                "下一页："
            } else {
                "next page:"
            }
        );
    }
    Ok(())
}
