//! Restoring a ledger from a file, and the questions asked before: is it a SQLite database,
//! a Yiben ledger, whole, and not from a newer version? The candidate is only ever opened
//! read-only; what replaces the ledger is a checked, migrated copy swapped in by rename.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use sqlx::sqlite::SqliteJournalMode;
use sqlx::{ConnectOptions, Connection, SqliteConnection};

use super::check;
use crate::db::{self, MIGRATOR};
use crate::encryption::{self, Key, Password, Probe};
use crate::{Error, Result};

fn display(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

async fn open_read_only(path: &Path, key: Option<&Key>) -> Result<SqliteConnection> {
    let options = db::options(path, key)
        .read_only(true)
        .create_if_missing(false);
    Ok(options.connect().await?)
}

/// The migration versions this build knows.
fn known_versions() -> HashSet<i64> {
    MIGRATOR
        .iter()
        .filter(|m| m.migration_type.is_up_migration())
        .map(|m| m.version)
        .collect()
}

/// The versions applied to the database on `conn`; `None` when it has no migration table.
async fn applied_versions(conn: &mut SqliteConnection) -> Result<Option<HashSet<i64>>> {
    let has_table: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
    )
    .fetch_one(&mut *conn)
    .await?;
    if has_table == 0 {
        return Ok(None);
    }
    let versions: Vec<i64> =
        sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success = 1")
            .fetch_all(&mut *conn)
            .await?;
    Ok(Some(versions.into_iter().collect()))
}

/// Whether opening the existing database at `path` would apply migrations. A missing or
/// empty file is new, not pending. Answers `None` when the file cannot be read at all; the
/// normal open then reports why.
pub async fn pending_migrations(path: &Path, key: Option<&Key>) -> Option<bool> {
    match std::fs::metadata(path) {
        Ok(meta) if meta.len() > 0 => {}
        _ => return Some(false),
    }
    let mut conn = open_read_only(path, key).await.ok()?;
    let applied = applied_versions(&mut conn).await.ok();
    let tables: Option<i64> = sqlx::query_scalar("SELECT count(*) FROM sqlite_master")
        .fetch_one(&mut conn)
        .await
        .ok();
    let _ = conn.close().await;
    match applied? {
        Some(applied) => Some(!known_versions().is_subset(&applied)),
        // Tables but no migration record: not ours to migrate silently, yet worth a copy.
        None => Some(tables? > 0),
    }
}

/// Refuses a file that is not a whole Yiben ledger this version can open.
pub async fn verify(candidate: &Path) -> Result<()> {
    verify_with(candidate, None).await.map(|_| ())
}

/// [`verify`] for a file that may be encrypted: `password` opens it. An encrypted file is
/// `PASSWORD_REQUIRED` without one and `WRONG_PASSWORD` with the wrong one. Answers the key
/// the file opens with (`None`: a plain file).
pub async fn verify_with(candidate: &Path, password: Option<&Password>) -> Result<Option<Key>> {
    verify_keyed(candidate, password, None).await
}

/// [`verify_with`], where without a password a file made with `known` (a backup of the
/// ledger taken under its current password: same key, same salt) opens with that key.
pub(crate) async fn verify_keyed(candidate: &Path, password: Option<&Password>, known: Option<&Key>) -> Result<Option<Key>> {
    // A missing file is an IO error, not an empty database.
    std::fs::metadata(candidate)?;
    let key = match encryption::probe(candidate)? {
        Probe::Plain => None,
        Probe::Encrypted(salt) => {
            let key = match (password, known) {
                (Some(password), _) => Key::derive_blocking(password, salt).await?,
                (None, Some(known)) if known.salt() == salt => known.clone(),
                (None, _) => return Err(Error::PasswordRequired),
            };
            encryption::check_key(candidate, &key, true).await?;
            Some(key)
        }
        Probe::New | Probe::Unknown => return Err(Error::NotADatabase(display(candidate))),
    };
    verify_opened(candidate, key.as_ref()).await?;
    Ok(key)
}

async fn verify_opened(candidate: &Path, key: Option<&Key>) -> Result<()> {
    let corrupt = |e: Error| match e {
        Error::Database(db) => Error::BackupCorrupt(db.to_string()),
        other => other,
    };
    let mut conn = open_read_only(candidate, key).await.map_err(corrupt)?;
    let verdict = async {
        let integrity = check::integrity(&mut conn).await?;
        if integrity != ["ok"] {
            return Err(Error::BackupCorrupt(
                integrity.into_iter().take(5).collect::<Vec<_>>().join("; "),
            ));
        }
        let violations = check::foreign_keys(&mut conn).await?;
        if let Some(v) = violations.first() {
            return Err(Error::BackupCorrupt(format!(
                "{} foreign key violation(s), e.g. {} row {} → {}",
                violations.len(),
                v.table,
                v.rowid.map(|r| r.to_string()).unwrap_or_default(),
                v.parent
            )));
        }
        let applied = applied_versions(&mut conn)
            .await?
            .ok_or_else(|| Error::NotADatabase(display(candidate)))?;
        let known = known_versions();
        if !applied.is_subset(&known) {
            return Err(Error::BackupTooNew);
        }
        Ok(())
    }
    .await
    .map_err(corrupt);
    let _ = conn.close().await;
    verdict
}

/// A verified, migrated copy of `candidate` beside `db`, ready to be swapped in. `password`
/// opens an encrypted candidate (without one, a backup made under the ledger's current
/// password opens with its key); the copy is encrypted like the ledger it replaces (with
/// `ledger_key`, plain when `None`), so a restore never changes how the ledger is locked.
pub async fn stage(
    candidate: &Path,
    password: Option<&Password>,
    db: &Path,
    ledger_key: Option<&Key>,
) -> Result<PathBuf> {
    let candidate_key = verify_keyed(candidate, password, ledger_key).await?;
    let staged = super::temp_beside(&db.with_file_name(format!("{}.restore", display(db))));
    let _ = std::fs::remove_file(&staged);
    let staged_work = async {
        let same_lock = candidate_key.as_ref() == ledger_key;
        let copy = if same_lock { staged.clone() } else { staged.with_extension("copy") };
        let mut source = open_read_only(candidate, candidate_key.as_ref()).await?;
        // A copy through SQLite carries the candidate's own WAL content, if it has one,
        // and an encrypted source's key and salt.
        let copied = sqlx::query("VACUUM INTO ?")
            .bind(copy.to_string_lossy().into_owned())
            .execute(&mut source)
            .await;
        let _ = source.close().await;
        copied?;
        if !same_lock {
            // Locked like the ledger: exported from the copy, since the candidate itself is
            // only ever opened read-only.
            let exported = encryption::rekey::export(&copy, candidate_key.as_ref(), &staged, ledger_key).await;
            let _ = std::fs::remove_file(&copy);
            exported?;
        }
        // The normal migration path (the same migrator and connection rules as the app), in
        // rollback-journal mode so the staged file is complete on its own when closed.
        let mut conn = db::options(&staged, ledger_key)
            .journal_mode(SqliteJournalMode::Delete)
            .foreign_keys(true)
            .connect()
            .await?;
        MIGRATOR.run(&mut conn).await?;
        let violations = check::foreign_keys(&mut conn).await?;
        conn.close().await?;
        if !violations.is_empty() {
            return Err(Error::BackupCorrupt(format!(
                "{} foreign key violation(s) after upgrading",
                violations.len()
            )));
        }
        Ok(())
    }
    .await;
    if let Err(e) = staged_work {
        let _ = std::fs::remove_file(&staged);
        return Err(e);
    }
    Ok(staged)
}

/// Makes sure no other connection (another process: the CLI beside the app) has the ledger
/// open, since replacing the file under it would lose what it writes next. SQLite lets only
/// the last connection take a database out of WAL mode, which also folds the WAL into the file.
/// A connection of the ledger's own pool may still be finishing its close on its worker thread
/// when the pool's `close` returns, so the question is asked again for a moment before the
/// answer is `BUSY`.
pub async fn ensure_alone(db: &Path, key: Option<&Key>) -> Result<()> {
    let deadline = std::time::Instant::now() + ALONE_WAIT;
    loop {
        match switch_out_of_wal(db, key).await {
            Err(Error::Busy) if std::time::Instant::now() < deadline => {
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
            answer => return answer,
        }
    }
}

const ALONE_WAIT: std::time::Duration = std::time::Duration::from_millis(1500);

async fn switch_out_of_wal(path: &Path, key: Option<&Key>) -> Result<()> {
    let mut conn = db::options(path, key)
        .busy_timeout(std::time::Duration::from_millis(200))
        .connect()
        .await?;
    let switched: Result<String> = sqlx::query_scalar("PRAGMA journal_mode = DELETE")
        .fetch_one(&mut conn)
        .await
        .map_err(Error::from);
    let _ = conn.close().await;
    match switched {
        Ok(mode) if mode.eq_ignore_ascii_case("delete") => Ok(()),
        Ok(_) => Err(Error::Busy),
        Err(Error::Database(e)) if e.to_string().contains("locked") => Err(Error::Busy),
        Err(e) => Err(e),
    }
}

/// Puts the staged file in place of `db`. The ledger's pools must be closed: a leftover WAL
/// of the old file would otherwise be replayed into the new one.
pub fn swap(staged: &Path, db: &Path) -> Result<()> {
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut side = db.as_os_str().to_os_string();
        side.push(suffix);
        match std::fs::remove_file(PathBuf::from(side)) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e.into()),
        }
    }
    super::finish(staged, db)?;
    Ok(())
}
