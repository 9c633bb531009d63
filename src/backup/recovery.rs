//! A ledger that will not open at start-up: recognising a damaged file, keeping it aside
//! (never deleting what might still be rescued by hand), and finding the newest backup that
//! is whole enough to restore.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use super::{list, restore, BackupInfo};
use crate::encryption::{self, Key, Password, Probe};
use crate::{Error, Result};

/// SQLite's primary result codes for a damaged file: SQLITE_CORRUPT and SQLITE_NOTADB.
const CORRUPT: i32 = 11;
const NOT_A_DATABASE: i32 = 26;

fn sqlx_is_corrupt(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::Database(db) => db
            .code()
            .and_then(|c| c.parse::<i32>().ok())
            .is_some_and(|code| matches!(code & 0xff, CORRUPT | NOT_A_DATABASE)),
        _ => false,
    }
}

/// Whether opening the ledger failed because its file is damaged (not because it is busy,
/// read-only or missing), so setting it aside is the way forward.
pub fn is_corrupt(err: &Error) -> bool {
    match err {
        Error::Database(e) => sqlx_is_corrupt(e),
        Error::Migration(sqlx::migrate::MigrateError::Execute(e)) => sqlx_is_corrupt(e),
        _ => false,
    }
}

/// Renames the damaged ledger (and its WAL and shared-memory files, which belong to it) to
/// `<name>.corrupt-<UTC time>`, so a fresh ledger or a restored backup can take its name.
/// Answers where the ledger file went.
pub fn set_aside(db: &Path, now: DateTime<Utc>) -> Result<PathBuf> {
    let stamp = now.format("%Y%m%dT%H%M%S%.3fZ");
    let with = |suffix: &str| {
        let mut name = db.as_os_str().to_os_string();
        name.push(suffix);
        PathBuf::from(name)
    };
    let aside = (1..)
        .map(|n| match n {
            1 => with(&format!(".corrupt-{stamp}")),
            n => with(&format!(".corrupt-{stamp}-{n}")),
        })
        .find(|p| !p.exists())
        .expect("some name is free");
    for side in ["-wal", "-shm"] {
        let from = with(side);
        let mut to = aside.as_os_str().to_os_string();
        to.push(side);
        match std::fs::rename(&from, PathBuf::from(to)) {
            // None left, or SQLite removed it as its last connection to the file closed.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            moved => moved?,
        }
    }
    std::fs::rename(db, &aside)?;
    Ok(aside)
}

/// The newest backup in `dir` that passes the restore's own checks (header, integrity,
/// foreign keys, not from a newer version); damaged ones are passed over.
pub async fn newest_good(dir: &Path) -> Result<Option<BackupInfo>> {
    newest_good_with(dir, None).await
}

/// [`newest_good`] among the backups that are plain or that `password` opens; those made
/// under another password are passed over too.
pub async fn newest_good_with(dir: &Path, password: Option<&Password>) -> Result<Option<BackupInfo>> {
    // Backups made under one password share its salt and key: each key is derived once.
    let mut keys: Vec<Key> = Vec::new();
    for backup in list(dir)? {
        let path = Path::new(&backup.path);
        let known = match (encryption::probe(path), password) {
            (Ok(Probe::Encrypted(salt)), Some(password)) => match keys.iter().find(|k| k.salt() == salt) {
                Some(key) => Some(key.clone()),
                None => {
                    let key = Key::derive_blocking(password, salt).await?;
                    keys.push(key.clone());
                    Some(key)
                }
            },
            _ => None,
        };
        if restore::verify_keyed(path, None, known.as_ref()).await.is_ok() {
            return Ok(Some(backup));
        }
    }
    Ok(None)
}

/// What start-up found when the ledger would not open: where the damaged file was kept and
/// the backup the user may restore instead of starting over.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Recovery {
    pub corrupt_file: String,
    pub newest_good: Option<BackupInfo>,
}
