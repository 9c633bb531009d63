use std::path::Path;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

use crate::encryption::Key;
use crate::Result;

pub(crate) static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!();

/// A connection to the file at `path`, decrypted with `key` when it is encrypted. sqlx runs
/// `PRAGMA key` before every other pragma, as SQLCipher requires.
pub(crate) fn options(path: &Path, key: Option<&Key>) -> SqliteConnectOptions {
    let options = SqliteConnectOptions::new().filename(path);
    match key {
        Some(key) => options.pragma("key", key.pragma_value()),
        None => options,
    }
}

/// Opens (creating on first use) and migrates a plain database file.
pub(crate) async fn open_pool(path: &Path) -> Result<SqlitePool> {
    open_pool_keyed(path, None).await
}

/// Opens (creating on first use) and migrates the database file, encrypted with `key`.
pub(crate) async fn open_pool_keyed(path: &Path, key: Option<&Key>) -> Result<SqlitePool> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    let options = options(path, key)
        .create_if_missing(true)
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
    let pool = SqlitePoolOptions::new().max_connections(4).connect_with(options).await?;
    MIGRATOR.run(&pool).await?;
    Ok(pool)
}

/// Milliseconds since the Unix epoch, the storage form of every timestamp.
pub(crate) fn to_ms(t: chrono::DateTime<chrono::Utc>) -> i64 {
    t.timestamp_millis()
}

pub(crate) fn from_ms(ms: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default()
}
