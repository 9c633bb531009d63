//! `yiben encryption status|on|off|change`, and where the CLI gets passwords from.
//!
//! With `--password-stdin` the passwords are read from standard input, one per line, in the
//! order the command needs them: the ledger's current password first (only when the ledger is
//! encrypted), then a new one (`on`, `change`), then a backup's (`backup restore`, when it is
//! not the ledger's). Without it they come from `YIBEN_PASSWORD` (the ledger's),
//! `YIBEN_NEW_PASSWORD` and `YIBEN_BACKUP_PASSWORD`. A password is never taken as an argument,
//! where other users of the machine could read it in the process list.

use std::io::BufRead;

use clap::Subcommand;

use yiben::encryption::{self, EncryptionStatus, Password};
use yiben::settings::Language;
use yiben::{Crm, Error};

use super::{fail, Failure, Session};

pub const PASSWORD_ENV: &str = "YIBEN_PASSWORD";
pub const NEW_PASSWORD_ENV: &str = "YIBEN_NEW_PASSWORD";
pub const BACKUP_PASSWORD_ENV: &str = "YIBEN_BACKUP_PASSWORD";

/// Standard input is one buffered stream for the whole process, so each question takes the
/// next line whichever `Passwords` asks it.
#[derive(Clone, Copy)]
pub struct Passwords {
    pub stdin: bool,
}

impl Passwords {
    fn next_line(&self) -> Result<Option<String>, Error> {
        let mut line = String::new();
        let n = std::io::stdin().lock().read_line(&mut line)?;
        if n == 0 {
            return Ok(None);
        }
        // Only the line break goes: spaces may be part of a password.
        let line = line.strip_suffix('\n').unwrap_or(&line);
        let line = line.strip_suffix('\r').unwrap_or(line);
        Ok(Some(line.to_owned()))
    }

    fn ask(&self, env: &str) -> Result<Option<Password>, Error> {
        let raw = if self.stdin {
            self.next_line()?
        } else {
            std::env::var(env).ok()
        };
        raw.map(Password::new).transpose()
    }

    /// The ledger's password, when one was given.
    pub fn current(&self) -> Result<Option<Password>, Error> {
        self.ask(PASSWORD_ENV)
    }

    /// The new password for `on` and `change`; `VALIDATION` (`password`: `required`) when none.
    pub fn new_password(&self) -> Result<Password, Error> {
        self.ask(NEW_PASSWORD_ENV)?.ok_or_else(|| Error::invalid("password", "required"))
    }

    /// A backup's own password, when one was given.
    pub fn backup(&self) -> Result<Option<Password>, Error> {
        self.ask(BACKUP_PASSWORD_ENV)
    }
}

#[derive(Subcommand)]
pub enum EncryptionCommand {
    /// Whether the ledger is encrypted (asks for no password).
    Status {
        #[arg(long)]
        json: bool,
    },
    /// Encrypt the ledger with a new password (YIBEN_NEW_PASSWORD, or a line of stdin with
    /// --password-stdin).
    On {
        #[arg(long)]
        json: bool,
    },
    /// Write the ledger back unencrypted; needs its password.
    Off {
        #[arg(long)]
        json: bool,
    },
    /// Re-encrypt the ledger with a new password; needs the current one, then the new one.
    Change {
        #[arg(long)]
        json: bool,
    },
}

impl EncryptionCommand {
    pub fn json(&self) -> bool {
        match self {
            EncryptionCommand::Status { json }
            | EncryptionCommand::On { json }
            | EncryptionCommand::Off { json }
            | EncryptionCommand::Change { json } => *json,
        }
    }
}

fn print(status: &EncryptionStatus, json: bool, lang: Language) {
    if json {
        println!("{}", serde_json::to_string(status).expect("json output"));
        return;
    }
    let zh = lang == Language::ZhCn;
    match (status.encrypted, zh) {
        (true, true) => println!("已加密：{}（{}）", status.path, status.kdf.as_deref().unwrap_or_default()),
        (true, false) => println!("encrypted: {} ({})", status.path, status.kdf.as_deref().unwrap_or_default()),
        (false, true) => println!("未加密：{}", status.path),
        (false, false) => println!("not encrypted: {}", status.path),
    }
    if status.plain_backups > 0 {
        if zh {
            println!("备份文件夹里有 {} 个未加密的旧备份，任何人都能读取；不需要时请删除", status.plain_backups);
        } else {
            println!(
                "{} older backups in the backups folder are not encrypted and can be read by anyone; delete them when no longer needed",
                status.plain_backups
            );
        }
    }
}

/// `status` reads only the file's first page, without opening the ledger.
pub fn status(path: &std::path::Path, json: bool) -> Result<(), Failure> {
    let status = encryption::status(path).map_err(|e| fail(e, json, Language::default()))?;
    print(&status, json, Language::default());
    Ok(())
}

/// `on`, `off` and `change` on the open ledger; the reopened ledger is closed at the end.
pub async fn run(session: &Session, command: &EncryptionCommand, passwords: &Passwords) -> Result<(), Failure> {
    let changed: Result<Crm, Error> = match command {
        EncryptionCommand::Status { .. } => unreachable!("status does not open the ledger"),
        EncryptionCommand::On { .. } => match passwords.new_password() {
            Ok(new) => session.crm.encrypt(&new).await,
            Err(e) => Err(e),
        },
        EncryptionCommand::Off { .. } => match &session.password {
            Some(current) => session.crm.decrypt(current).await,
            None => Err(Error::invalid("encryption", "off")),
        },
        EncryptionCommand::Change { .. } => match (&session.password, passwords.new_password()) {
            (Some(current), Ok(new)) => session.crm.change_password(current, &new).await,
            (None, _) => Err(Error::invalid("encryption", "off")),
            (_, Err(e)) => Err(e),
        },
    };
    let crm = changed.map_err(|e| session.fail(e))?;
    let status = crm.encryption_status();
    crm.close().await;
    print(&status.map_err(|e| session.fail(e))?, session.json, session.lang);
    Ok(())
}
