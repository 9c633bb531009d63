//! Re-encrypting a ledger (turning encryption on or off, or a new password) without ever
//! writing into the ledger itself: the whole database is exported through SQLCipher into a
//! new file beside it, that file is checked (integrity and every table's row count), flushed,
//! and only then renamed over the ledger. A crash before the rename leaves the old ledger as
//! it was (and a stray `.partial` file, removed by the next re-encryption); after it, the new
//! one is complete. There is no moment at which neither is whole.

use std::path::{Path, PathBuf};

use sqlx::{ConnectOptions, Connection, SqliteConnection};

use super::{probe, Key, Probe};
use crate::backup;
use crate::db;
use crate::{Error, Result};

/// Every table's row count (virtual tables' shadow tables included), by name.
async fn row_counts(conn: &mut SqliteConnection, schema: &str) -> Result<Vec<(String, i64)>> {
    // `schema` is one of this module's two attachment names, never user text.
    let names: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT name FROM {schema}.sqlite_schema WHERE type = 'table' AND rootpage > 0 ORDER BY name"
    )))
    .fetch_all(&mut *conn)
    .await?;
    let mut counts = Vec::with_capacity(names.len());
    for name in names {
        let quoted = name.replace('"', "\"\"");
        let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT count(*) FROM {schema}.\"{quoted}\"")))
            .fetch_one(&mut *conn)
            .await?;
        counts.push((name, n));
    }
    Ok(counts)
}

/// Copies the database at `source` (opened with `from`) into the new file `dest`, encrypted
/// with `to` (plain when `None`), with `sqlcipher_export`; then opens `dest` on its own and
/// checks that it is whole and holds as many rows in every table as `source`.
pub(crate) async fn export(source: &Path, from: Option<&Key>, dest: &Path, to: Option<&Key>) -> Result<()> {
    // `ATTACH` opens its file with the connection's flags: without CREATE it could not make
    // the new one. The source itself exists (a missing one is an IO error here, not a new file).
    std::fs::metadata(source)?;
    let mut conn = db::options(source, from).create_if_missing(true).connect().await?;
    let copied = async {
        let before = row_counts(&mut conn, "main").await?;
        // An empty KEY attaches a plain file; SQLCipher would otherwise reuse main's key.
        sqlx::query("ATTACH DATABASE ? AS rekeyed KEY ?")
            .bind(dest.to_string_lossy().into_owned())
            .bind(to.map(Key::spec).unwrap_or_default().to_owned())
            .execute(&mut conn)
            .await?;
        sqlx::query("SELECT sqlcipher_export('rekeyed')").execute(&mut conn).await?;
        let after = row_counts(&mut conn, "rekeyed").await?;
        sqlx::query("DETACH DATABASE rekeyed").execute(&mut conn).await?;
        if before != after {
            return Err(Error::Io(std::io::Error::other("the re-encrypted copy lacks rows; the ledger was not changed")));
        }
        Ok(())
    }
    .await;
    let _ = conn.close().await;
    copied?;

    let mut check = db::options(dest, to).read_only(true).connect().await?;
    let integrity: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check").fetch_all(&mut check).await?;
    let _ = check.close().await;
    if integrity != ["ok"] {
        return Err(Error::Io(std::io::Error::other(format!(
            "the re-encrypted copy failed its integrity check ({}); the ledger was not changed",
            integrity.join("; ")
        ))));
    }
    Ok(())
}

/// `<ledger>.rekey.<pid>.partial` beside the ledger, so the rename is atomic.
fn staged_path(ledger: &Path) -> PathBuf {
    let mut name = ledger.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".rekey");
    backup::temp_beside(&ledger.with_file_name(name))
}

/// Copies of earlier re-encryptions that never finished (the process died before the rename).
/// Only called while the ledger is known to be alone, so none of them is still being written.
fn remove_leftovers(ledger: &Path) {
    let Some(name) = ledger.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return;
    };
    let dir = ledger.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let prefix = format!("{name}.rekey.");
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let entry_name = entry.file_name().to_string_lossy().into_owned();
        // The copy's own rollback journal goes with it.
        if entry_name.starts_with(&prefix) && (entry_name.ends_with(".partial") || entry_name.ends_with(".partial-journal")) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Step one: the re-encrypted, checked copy of `ledger` beside it. The ledger must be alone
/// (no connection of this or any other process on it) and out of WAL mode, so the file holds
/// everything; see `backup::restore::ensure_alone`.
pub async fn stage(ledger: &Path, from: Option<&Key>, to: Option<&Key>) -> Result<PathBuf> {
    remove_leftovers(ledger);
    let staged = staged_path(ledger);
    let _ = std::fs::remove_file(&staged);
    if let Err(e) = export(ledger, from, &staged, to).await {
        let _ = std::fs::remove_file(&staged);
        return Err(e);
    }
    Ok(staged)
}

/// Step two: flushes the staged copy and renames it over the ledger (see
/// `backup::restore::swap`, which also drops the old file's journal side files).
pub fn swap(staged: &Path, ledger: &Path) -> Result<()> {
    backup::restore::swap(staged, ledger)
}

/// Encrypts the plain backups in `dir` (those taken before encryption was turned on) with
/// `key`, one at a time: each is exported to a file beside it, checked, flushed and renamed
/// over it, so a crash leaves every backup whole, plain or encrypted. A backup that cannot be
/// rewritten (damaged, read-only) stays as it is; `EncryptionStatus::plain_backups` counts
/// what is left. Answers how many were encrypted.
pub async fn encrypt_backups(dir: &Path, key: &Key) -> Result<u32> {
    let mut encrypted = 0;
    for b in backup::list(dir)? {
        let path = Path::new(&b.path);
        if probe(path)? != Probe::Plain {
            continue;
        }
        let staged = backup::temp_beside(path);
        let _ = std::fs::remove_file(&staged);
        let rewritten = match export(path, None, &staged, Some(key)).await {
            Ok(()) => backup::finish(&staged, path).map(|_| ()),
            Err(e) => Err(e),
        };
        if rewritten.is_ok() {
            encrypted += 1;
        } else {
            let _ = std::fs::remove_file(&staged);
        }
    }
    Ok(encrypted)
}

