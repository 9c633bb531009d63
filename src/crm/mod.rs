mod audit;
mod backup;
mod customers;
mod deals;
mod encryption;
mod export;
mod followups;
mod import;
mod lists;
mod reminders;
mod reports;
mod rescue;
mod tags;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use sqlx::SqlitePool;

pub use customers::SaveOutcome;
pub use followups::{FollowupCursor, FollowupPage};
pub use reminders::{NewCustomer, Workbench};
pub use reports::ReportKind;
pub use tags::{FilterSummary, TagTarget};

use crate::encryption::{Key, Password};
use crate::ledger_file::LedgerFile;
use crate::settings::{self, Language};
use crate::{Clock, IdGen, RandomIds, Result, SystemClock, Zone};

/// The ledger: one SQLite file plus the clock and id source every operation uses.
///
/// Each method is one user-visible operation. It reads the clock once, owns its
/// transaction, and calls the entity modules, which hold all SQL.
#[derive(Clone)]
pub struct Crm {
    pool: SqlitePool,
    path: PathBuf,
    /// The file `pool` opened, checked before every commit (see [`crate::ledger_file`]).
    file: Arc<LedgerFile>,
    clock: Arc<dyn Clock>,
    ids: Arc<dyn IdGen>,
    /// The user's time zone: customer numbers carry the local year.
    zone: Zone,
    /// The key of an encrypted ledger, for the connections opened beside the pool (backups
    /// before a migration, restore, re-encryption).
    key: Option<Key>,
}

impl Crm {
    /// Opens the ledger at `path`, creating the file on first use and applying migrations.
    pub async fn open(path: impl AsRef<Path>) -> Result<Crm> {
        Self::open_with(path, Arc::new(SystemClock), Arc::new(RandomIds::default())).await
    }

    pub async fn open_with(path: impl AsRef<Path>, clock: Arc<dyn Clock>, ids: Arc<dyn IdGen>) -> Result<Crm> {
        Self::open_with_password(path, None, clock, ids).await
    }

    /// Opens a ledger that may be encrypted. An encrypted ledger needs `password`
    /// (`PASSWORD_REQUIRED` without one, `WRONG_PASSWORD` when it does not open it, and in
    /// neither case is the file touched). A new ledger opened with a password is created
    /// encrypted; a plain one opens plain whatever the password.
    pub async fn open_with_password(
        path: impl AsRef<Path>,
        password: Option<&Password>,
        clock: Arc<dyn Clock>,
        ids: Arc<dyn IdGen>,
    ) -> Result<Crm> {
        let path = path.as_ref();
        let key = crate::encryption::key_for_open(path, password).await?;
        Self::open_keyed(path, key, clock, ids).await
    }

    /// Opens the ledger with the key already derived (the file's own, or a new one).
    async fn open_keyed(path: &Path, key: Option<Key>, clock: Arc<dyn Clock>, ids: Arc<dyn IdGen>) -> Result<Crm> {
        if let Some(key) = &key {
            if std::fs::metadata(path).is_ok_and(|m| m.len() > 0) {
                crate::encryption::check_key(path, key, false).await?;
            }
        }
        let path = path.to_path_buf();
        let (pool, file) = backup::open_pool(&path, clock.now(), key.as_ref()).await?;
        let zone = Zone::machine();
        let crm = Crm { pool, path, file, clock, ids, zone, key };
        crm.refresh_stale().await?;
        Ok(crm)
    }

    /// Uses this zone instead of the machine's (tests, and the CLI's `--now` with an offset).
    pub fn with_zone(mut self, zone: impl Into<Zone>) -> Self {
        self.zone = zone.into();
        self
    }

    pub fn zone(&self) -> Zone {
        self.zone
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Begins a transaction that writes. The write lock is taken up front: SQLite will not wait to
    /// turn a read transaction into a write one and answers BUSY at once, so a deferred save that
    /// reads first would fail whenever another connection is mid-write (the reminder rules, a
    /// second save, another program). Taken at `BEGIN`, the lock is waited for up to the busy timeout.
    async fn write(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>> {
        match self.pool.begin_with("BEGIN IMMEDIATE").await {
            // A connection kept after the ledger's folder vanished (see `LedgerFile::after_use`)
            // is still counted inside a transaction SQLite already ended; sqlx then only offers a
            // savepoint, whose commit the file check refuses like any other.
            Err(sqlx::Error::InvalidSavePointStatement) => Ok(self.pool.begin().await?),
            begun => Ok(begun?),
        }
    }

    /// Waits for in-flight work and checkpoints the WAL so the file is whole on its own.
    pub async fn close(self) {
        self.pool.close().await;
    }

    pub async fn language(&self) -> Result<Language> {
        settings::language(&mut *self.pool.acquire().await?).await
    }

    pub async fn set_language(&self, language: Language) -> Result<()> {
        let now = self.now();
        let mut tx = self.write().await?;
        settings::set_language(&mut tx, language, now).await?;
        settings_changed(&mut tx, now, "language", &language).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn mask_lists(&self) -> Result<bool> {
        settings::mask_lists(&mut *self.pool.acquire().await?).await
    }

    /// Lists (the customer list and what the CLI lists) show phones and e-mails masked; the
    /// detail page and edits keep the real values.
    pub async fn set_mask_lists(&self, on: bool) -> Result<()> {
        let now = self.now();
        let mut tx = self.write().await?;
        settings::set_mask_lists(&mut tx, on, now).await?;
        settings_changed(&mut tx, now, "mask_lists", &on).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn ui_pref(&self, key: &str) -> Result<Option<serde_json::Value>> {
        settings::get(&mut *self.pool.acquire().await?, &settings::ui_pref_key(key)?).await
    }

    pub async fn set_ui_pref(&self, key: &str, value: &serde_json::Value) -> Result<()> {
        if value.to_string().len() > 16 * 1024 {
            return Err(crate::Error::invalid("value", "too_long"));
        }
        settings::put(&mut *self.pool.acquire().await?, &settings::ui_pref_key(key)?, value, self.now()).await
    }
}

/// Logs a change of a group of settings with its new value.
async fn settings_changed<T: serde::Serialize>(
    conn: &mut sqlx::SqliteConnection,
    now: DateTime<Utc>,
    key: &str,
    value: &T,
) -> Result<()> {
    let details = serde_json::json!({ "value": value });
    crate::audit::record(conn, now, crate::audit::AuditAction::SettingsChange, Some(("setting", key.to_owned())), details).await
}

/// How the connection is configured, for `yiben check` and the tests.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionSettings {
    pub journal_mode: String,
    pub foreign_keys: bool,
    pub busy_timeout_ms: i64,
}

impl Crm {
    pub async fn connection_settings(&self) -> Result<ConnectionSettings> {
        let mut conn = self.pool.acquire().await?;
        let journal_mode: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(&mut *conn).await?;
        let foreign_keys: i64 = sqlx::query_scalar("PRAGMA foreign_keys").fetch_one(&mut *conn).await?;
        let busy_timeout_ms: i64 = sqlx::query_scalar("PRAGMA busy_timeout").fetch_one(&mut *conn).await?;
        Ok(ConnectionSettings { journal_mode, foreign_keys: foreign_keys == 1, busy_timeout_ms })
    }
}
