//! Backups of the ledger: whole-database copies written with `VACUUM INTO` (a consistent
//! snapshot taken through SQLite, never a copy of the live file and its WAL), kept in a
//! `backups/` folder beside the database, named by UTC time and kind, and rotated.

pub mod check;
pub mod recovery;
pub mod restore;
pub mod rotation;

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;
use ts_rs::TS;

use crate::Result;

/// Why a backup was made; it decides how long the backup is kept (see [`rotation`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum BackupKind {
    Daily,
    PreMigration,
    PreImport,
    /// The ledger as it was just before a restore replaced it.
    PreRestore,
    /// Asked for by the user; never rotated away.
    Manual,
}

impl BackupKind {
    pub const ALL: [BackupKind; 5] = [
        BackupKind::Daily,
        BackupKind::PreMigration,
        BackupKind::PreImport,
        BackupKind::PreRestore,
        BackupKind::Manual,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            BackupKind::Daily => "daily",
            BackupKind::PreMigration => "pre-migration",
            BackupKind::PreImport => "pre-import",
            BackupKind::PreRestore => "pre-restore",
            BackupKind::Manual => "manual",
        }
    }

    fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw)
    }
}

/// One backup file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BackupInfo {
    pub kind: BackupKind,
    /// When it was taken (from its file name).
    pub at: DateTime<Utc>,
    #[ts(type = "number")]
    pub size: u64,
    pub path: String,
}

/// The automatic backups' folder: `backups/` beside the database file.
pub fn dir_for(db: &Path) -> PathBuf {
    db.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .join("backups")
}

const PREFIX: &str = "yiben-";
const TIME_FORMAT: &str = "%Y%m%dT%H%M%S%.3fZ";

/// `yiben-20261124T131400.123Z-daily.db`: sorts by time, says its kind, and is readable.
pub fn file_name(at: DateTime<Utc>, kind: BackupKind) -> String {
    format!("{PREFIX}{}-{}.db", at.format(TIME_FORMAT), kind.as_str())
}

/// The time and kind a backup's file name carries; `None` for any other file.
pub fn parse_name(name: &str) -> Option<(DateTime<Utc>, BackupKind)> {
    let rest = name.strip_prefix(PREFIX)?.strip_suffix(".db")?;
    let (time, kind) = rest.split_once('-')?;
    // A second backup in the same millisecond gets `-2`, `-3` … after its kind.
    let kind = match kind.rsplit_once('-') {
        Some((k, n)) if n.chars().all(|c| c.is_ascii_digit()) && BackupKind::parse(k).is_some() => {
            k
        }
        _ => kind,
    };
    let at = NaiveDateTime::parse_from_str(time, TIME_FORMAT)
        .ok()?
        .and_utc();
    Some((at, BackupKind::parse(kind)?))
}

/// Every backup in `dir`, newest first. A missing folder has none.
pub fn list(dir: &Path) -> Result<Vec<BackupInfo>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e.into()),
    };
    let mut found = Vec::new();
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some((at, kind)) = parse_name(&name) else {
            continue;
        };
        let meta = entry.metadata()?;
        if meta.is_file() {
            found.push(BackupInfo {
                kind,
                at,
                size: meta.len(),
                path: entry.path().to_string_lossy().into_owned(),
            });
        }
    }
    found.sort_by(|a, b| b.at.cmp(&a.at).then_with(|| b.path.cmp(&a.path)));
    Ok(found)
}

/// A path in `dir` for a new backup that does not exist yet.
pub fn new_path(dir: &Path, at: DateTime<Utc>, kind: BackupKind) -> PathBuf {
    let first = dir.join(file_name(at, kind));
    if !first.exists() {
        return first;
    }
    (2..)
        .map(|n| {
            dir.join(format!(
                "{PREFIX}{}-{}-{n}.db",
                at.format(TIME_FORMAT),
                kind.as_str()
            ))
        })
        .find(|p| !p.exists())
        .expect("some suffix is free")
}

/// Writes a consistent copy of the database `conn` is on to `dest`. It goes to a temporary
/// file first, is flushed to disk, and only then takes its name: a file under a backup's name
/// is always whole, and an existing `dest` is replaced only by a complete copy.
pub async fn write(conn: &mut SqliteConnection, dest: &Path) -> Result<u64> {
    if let Some(parent) = dest.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    let tmp = temp_beside(dest);
    let _ = std::fs::remove_file(&tmp);
    let written = sqlx::query("VACUUM INTO ?")
        .bind(tmp.to_string_lossy().into_owned())
        .execute(&mut *conn)
        .await;
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(e.into());
    }
    let size = finish(&tmp, dest)?;
    Ok(size)
}

/// Removes temporary files of backups that never finished (the process was killed while
/// writing one) once they are a day old; younger ones may still be being written by another
/// process on the same ledger.
pub fn remove_abandoned(dir: &Path, now: DateTime<Utc>) -> Result<usize> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e.into()),
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !(name.starts_with(PREFIX) && name.ends_with(".partial")) {
            continue;
        }
        let modified = entry
            .metadata()
            .and_then(|m| m.modified())
            .map(DateTime::<Utc>::from);
        if modified.is_ok_and(|at| now - at > chrono::Duration::days(1))
            && std::fs::remove_file(entry.path()).is_ok()
        {
            removed += 1;
        }
    }
    Ok(removed)
}

/// `name.partial` next to `path`, in the same folder so the final rename is atomic.
pub(crate) fn temp_beside(path: &Path) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(format!(".{}.partial", std::process::id()));
    path.with_file_name(name)
}

/// Flushes `tmp`, renames it to `dest` and flushes the folder, so after a crash either the
/// old `dest` or the whole new one is there.
pub(crate) fn finish(tmp: &Path, dest: &Path) -> Result<u64> {
    let file = std::fs::File::open(tmp)?;
    file.sync_all()?;
    let size = file.metadata()?.len();
    drop(file);
    if let Err(e) = std::fs::rename(tmp, dest) {
        let _ = std::fs::remove_file(tmp);
        return Err(e.into());
    }
    sync_dir(dest);
    Ok(size)
}

fn sync_dir(path: &Path) {
    // Only some systems can open a folder to flush its entries; elsewhere rename is durable.
    #[cfg(unix)]
    if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// Backs up the database file at `path` without opening it for writing: used before
/// migrations, when the ledger must not be touched until its copy is safe. An encrypted
/// ledger (`key`) gives an encrypted backup with the same key.
pub async fn write_from_file(path: &Path, dest: &Path, key: Option<&crate::encryption::Key>) -> Result<u64> {
    use sqlx::{ConnectOptions, Connection};
    let mut conn = crate::db::options(path, key)
        .read_only(true)
        .connect()
        .await?;
    let written = write(&mut conn, dest).await;
    let _ = conn.close().await;
    written
}
