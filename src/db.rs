use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{ConnectOptions, Connection, SqlitePool};

use crate::encryption::Key;
use crate::ledger_file::LedgerFile;
use crate::{Error, Result};

pub(crate) static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!();

const CONNECTIONS: u32 = 4;

/// A connection to the file at `path`, decrypted with `key` when it is encrypted. sqlx runs
/// `PRAGMA key` before every other pragma, as SQLCipher requires.
pub(crate) fn options(path: &Path, key: Option<&Key>) -> SqliteConnectOptions {
    let options = SqliteConnectOptions::new().filename(path);
    match key {
        Some(key) => options.pragma("key", key.pragma_value()),
        None => options,
    }
}

/// Opens (creating on first use) and migrates the database file.
pub(crate) async fn open_pool(path: &Path) -> Result<SqlitePool> {
    Ok(open_ledger(path, None).await?.0)
}

/// Like [`open_pool`], with the watch on the ledger's file that every connection's commits
/// go through (see [`LedgerFile`]), and encrypted with `key` when given.
pub(crate) async fn open_ledger(path: &Path, key: Option<&Key>) -> Result<(SqlitePool, Arc<LedgerFile>)> {
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder)?;
    // Created here rather than by SQLite so the file's identity is known before the first
    // connection; later connections must find this very file and never create another.
    match std::fs::OpenOptions::new().write(true).create_new(true).open(path) {
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            return Err(Error::ReadOnly(format!("cannot create the ledger in {}: {e}", folder.display())));
        }
        Err(e) => return Err(e.into()),
    }
    // In WAL mode SQLite keeps two files beside the ledger; in a folder it may not write to it
    // cannot open the ledger at all, and says only "unable to open database file".
    let explain = |e: sqlx::Error| -> Error {
        if sqlite_code(&e) == Some(SQLITE_CANTOPEN) && !folder_writable(folder) {
            Error::ReadOnly(format!("the folder {} cannot be written: {e}", folder.display()))
        } else {
            e.into()
        }
    };
    let file = LedgerFile::at(path)?;
    let options = options(path, key)
        .create_if_missing(false)
        // WAL lets the UI read while an import writes; NORMAL is durable across app crashes
        // in WAL mode (only a power cut can lose the last transactions).
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        // Another process (the CLI, a backup) may hold the write lock briefly.
        .busy_timeout(Duration::from_secs(5))
        // 16 MB of page cache per connection (default 2 MB): bulk imports touch nine indexes
        // and two full-text indexes, and a small cache turns that into re-reads.
        .pragma("cache_size", "-16000")
        .pragma("temp_store", "memory");
    // One connection first, closed (and waited for) before the pool opens its four. Switching a
    // file into WAL mode takes an exclusive lock, which the pool's side-by-side connections would
    // contend for, one being refused BUSY. And a damaged file is found here, by reading the
    // schema: connections a failed pool drops are closed later on their own threads, and one
    // closing after the damaged file was set aside would remove the WAL of the ledger that
    // took its name.
    let probe = options.clone().connect().await.map_err(explain)?;
    probe_schema(probe).await?;
    let (on_connect, on_acquire, on_release) = (file.clone(), file.clone(), file.clone());
    let pool = SqlitePoolOptions::new()
        .max_connections(CONNECTIONS)
        // All opened at once and never retired: should the data folder be deleted, the open
        // connections are all that still reach the ledger's data, and a new one could not be
        // opened (a pool below its size would try, and fail, on a busy moment).
        .min_connections(CONNECTIONS)
        .idle_timeout(None)
        .max_lifetime(None)
        .after_connect(move |conn, _| {
            let file = on_connect.clone();
            Box::pin(async move { file.check_connection(conn).await })
        })
        .before_acquire(move |conn, _| {
            let file = on_acquire.clone();
            Box::pin(async move { file.before_use(conn).await.map(|()| true) })
        })
        .after_release(move |conn, _| {
            let file = on_release.clone();
            Box::pin(async move { file.after_use(conn).await })
        })
        .connect_with(options)
        .await
        .map_err(explain)?;
    if let Err(e) = MIGRATOR.run(&pool).await {
        pool.close().await;
        return Err(e.into());
    }
    Ok((pool, file))
}

/// Reads the schema on `conn`, then closes it whatever the answer, waiting until SQLite has.
async fn probe_schema(mut conn: SqliteConnection) -> Result<()> {
    let read = sqlx::query_scalar::<_, i64>("SELECT count(*) FROM sqlite_master").fetch_one(&mut conn).await.map(drop);
    conn.close().await?;
    Ok(read?)
}

const SQLITE_CANTOPEN: i32 = 14;

fn sqlite_code(err: &sqlx::Error) -> Option<i32> {
    match err {
        sqlx::Error::Database(db) => db.code().and_then(|c| c.parse::<i32>().ok()).map(|c| c & 0xff),
        _ => None,
    }
}

/// Whether a new file can be made in `folder` (a probe, removed at once). Only a refusal
/// says no; any other failure is not taken as a read-only folder.
fn folder_writable(folder: &Path) -> bool {
    let probe = folder.join(format!(".yiben-write-probe-{}", std::process::id()));
    match std::fs::OpenOptions::new().write(true).create_new(true).open(&probe) {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            true
        }
        Err(e) => !matches!(e.kind(), std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem),
    }
}

/// Whether the database file's header says WAL (bytes 18 and 19, the file format versions,
/// are 2); false for a new, empty file.

/// Milliseconds since the Unix epoch, the storage form of every timestamp.
pub(crate) fn to_ms(t: chrono::DateTime<chrono::Utc>) -> i64 {
    t.timestamp_millis()
}

pub(crate) fn from_ms(ms: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default()
}
