//! Backups, restore and the integrity check as the desktop and the CLI call them.
//!
//! Automatic backups go to `backups/` beside the ledger: before a migration (at open), before
//! an import, before a restore, and daily when the desktop calls [`Crm::backup_daily_if_due`]
//! (at start and once a day while it runs).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::SqlitePool;

use super::Crm;
use crate::audit::{self, AuditAction};
use crate::backup::check::{self, CheckReport};
use crate::backup::recovery::{self, Recovery};
use crate::backup::{self, restore, rotation, BackupInfo, BackupKind};
use crate::encryption::{Key, Password};
use crate::ledger_file::LedgerFile;
use crate::{db, Clock, Error, IdGen, Result, Zone};

/// Opens and migrates the ledger at `path`; when migrations are pending on an existing file,
/// a `pre-migration` backup is taken first, and logged once the log exists.
pub(super) async fn open_pool(path: &Path, now: DateTime<Utc>, key: Option<&Key>) -> Result<(SqlitePool, Arc<LedgerFile>)> {
    let now = to_file_precision(now);
    let mut taken = None;
    if restore::pending_migrations(path, key).await == Some(true) {
        let dir = backup::dir_for(path);
        let dest = backup::new_path(&dir, now, BackupKind::PreMigration);
        let size = backup::write_from_file(path, &dest, key).await?;
        taken = Some(BackupInfo {
            kind: BackupKind::PreMigration,
            at: now,
            size,
            path: dest.to_string_lossy().into_owned(),
        });
    }
    let (pool, file) = db::open_ledger(path, key).await?;
    if let Some(info) = taken {
        let mut conn = pool.acquire().await?;
        log_backup(&mut conn, &info, now).await?;
        prune(&backup::dir_for(path), now, Zone::machine())?;
    }
    Ok((pool, file))
}

async fn log_backup(
    conn: &mut sqlx::SqliteConnection,
    info: &BackupInfo,
    now: DateTime<Utc>,
) -> Result<()> {
    let details = json!({ "kind": info.kind, "path": info.path, "size": info.size });
    audit::record(
        conn,
        now,
        AuditAction::BackupCreate,
        Some(("backup", info.kind.as_str().to_owned())),
        details,
    )
    .await
}

/// Removes what the rotation rule lets go; a file that will not go is left for next time.
fn prune(dir: &Path, now: DateTime<Utc>, zone: Zone) -> Result<()> {
    for old in rotation::expired(&backup::list(dir)?, now, zone) {
        let _ = std::fs::remove_file(&old.path);
    }
    backup::remove_abandoned(dir, now)?;
    Ok(())
}

/// A backup's time as its file name (and so `Crm::backups`) carries it: whole milliseconds.
pub(super) fn to_file_precision(now: DateTime<Utc>) -> DateTime<Utc> {
    db::from_ms(db::to_ms(now))
}

pub(super) fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

impl Crm {
    /// Opens the ledger like [`Crm::open_with`]; when its file is damaged, keeps it aside
    /// (see [`recovery::set_aside`]) and opens a new, empty ledger in its place, answering
    /// what happened with the newest backup that passes the checks. The app lets the user
    /// restore that backup or go on with the empty ledger. Any other failure is answered.
    pub async fn open_recovering(
        path: impl AsRef<Path>,
        clock: std::sync::Arc<dyn Clock>,
        ids: std::sync::Arc<dyn IdGen>,
    ) -> Result<(Crm, Option<Recovery>)> {
        Self::open_recovering_with_password(path, None, clock, ids).await
    }

    /// [`Crm::open_recovering`] for a ledger that may be encrypted (see
    /// [`Crm::open_with_password`]). `WRONG_PASSWORD` and `PASSWORD_REQUIRED` are answered
    /// as they are: a locked ledger is never taken for a damaged one. When an encrypted
    /// ledger is damaged, the backups offered are those `password` opens, and the new
    /// ledger is encrypted with it.
    pub async fn open_recovering_with_password(
        path: impl AsRef<Path>,
        password: Option<&Password>,
        clock: std::sync::Arc<dyn Clock>,
        ids: std::sync::Arc<dyn IdGen>,
    ) -> Result<(Crm, Option<Recovery>)> {
        let path = path.as_ref();
        match Crm::open_with_password(path, password, clock.clone(), ids.clone()).await {
            Ok(crm) => Ok((crm, None)),
            Err(e) if recovery::is_corrupt(&e) => {
                let aside = recovery::set_aside(path, clock.now())?;
                // Looked for before the new ledger exists: nothing of it can be mistaken for a backup.
                let newest_good = recovery::newest_good_with(&backup::dir_for(path), password).await?;
                let crm = Crm::open_with_password(path, password, clock, ids).await?;
                let found = Recovery {
                    corrupt_file: aside.to_string_lossy().into_owned(),
                    newest_good,
                };
                Ok((crm, Some(found)))
            }
            Err(e) => Err(e),
        }
    }

    /// False once a restore has closed this ledger (after it, or when it was refused with
    /// `BUSY`): the ledger must then be opened again.
    pub fn is_open(&self) -> bool {
        !self.pool.is_closed()
    }

    /// The folder of the automatic backups.
    pub fn backups_dir(&self) -> PathBuf {
        backup::dir_for(&self.path)
    }

    /// The backups in [`Crm::backups_dir`], newest first.
    pub async fn backups(&self) -> Result<Vec<BackupInfo>> {
        backup::list(&self.backups_dir())
    }

    /// Takes a backup of `kind` into the backups folder, logs it, and rotates the folder.
    pub(super) async fn backup_into_folder(
        &self,
        kind: BackupKind,
        now: DateTime<Utc>,
    ) -> Result<BackupInfo> {
        // Not into a folder that was deleted under the ledger: recreating it behind the
        // user's back would hide that the ledger itself is gone.
        self.file.ensure_present()?;
        let now = to_file_precision(now);
        let dest = backup::new_path(&self.backups_dir(), now, kind);
        let mut conn = self.pool.acquire().await?;
        let size = backup::write(&mut conn, &dest).await?;
        let info = BackupInfo {
            kind,
            at: now,
            size,
            path: dest.to_string_lossy().into_owned(),
        };
        log_backup(&mut conn, &info, now).await?;
        prune(&self.backups_dir(), now, self.zone)?;
        Ok(info)
    }

    /// A backup the user asked for: to `out` (replaced only once the copy is complete), or
    /// into the backups folder, where manual backups are never rotated away.
    pub async fn create_backup(&self, out: Option<&Path>) -> Result<BackupInfo> {
        let now = to_file_precision(self.now());
        let Some(out) = out else {
            return self.backup_into_folder(BackupKind::Manual, now).await;
        };
        if self.file.ensure_present().is_err() {
            // The copy is what matters now; the ledger can no longer log it.
            return self.rescue_to(out).await;
        }
        let mut wal = self.path.as_os_str().to_os_string();
        wal.push("-wal");
        if same_file(out, &self.path) || same_file(out, Path::new(&wal)) {
            return Err(Error::invalid("out", "same_as_ledger"));
        }
        let mut conn = self.pool.acquire().await?;
        let size = backup::write(&mut conn, out).await?;
        let info = BackupInfo {
            kind: BackupKind::Manual,
            at: now,
            size,
            path: out.to_string_lossy().into_owned(),
        };
        log_backup(&mut conn, &info, now).await?;
        Ok(info)
    }

    /// Takes today's daily backup unless there is one already (today in the user's zone).
    /// The desktop calls this at start and once a day; answers the backup when one was taken.
    pub async fn backup_daily_if_due(&self) -> Result<Option<BackupInfo>> {
        let now = self.now();
        if !rotation::daily_due(&self.backups().await?, now, self.zone) {
            return Ok(None);
        }
        self.backup_into_folder(BackupKind::Daily, now)
            .await
            .map(Some)
    }

    /// Replaces the ledger with the database in `file` and answers the reopened ledger.
    ///
    /// The file is checked first (SQLite header, `integrity_check`, `foreign_key_check`, a
    /// Yiben ledger no newer than this version) and refused with `NOT_A_DATABASE`,
    /// `BACKUP_CORRUPT` or `BACKUP_TOO_NEW`, leaving the ledger untouched. A copy of it is
    /// migrated to the current schema; the current ledger is backed up (`pre-restore`); then
    /// this ledger's pool (shared by every clone of it) is closed, the copy renamed into
    /// place, and the ledger opened again. A refused file leaves this `Crm` working; after a
    /// restore use the returned one. When another program has the ledger open, nothing is
    /// replaced and `BUSY` is answered, but this `Crm` is closed by then: open the ledger
    /// again with `Crm::open`, as after a failed final reopen.
    pub async fn restore(&self, file: &Path) -> Result<Crm> {
        self.restore_with_password(file, None).await
    }

    /// [`Crm::restore`] from a file that may be encrypted: `password` opens it
    /// (`PASSWORD_REQUIRED`, `WRONG_PASSWORD` otherwise, the ledger untouched); a backup
    /// made under this ledger's current password needs none. The restored
    /// ledger keeps this ledger's encryption and password, whatever the backup had.
    pub async fn restore_with_password(&self, file: &Path, password: Option<&Password>) -> Result<Crm> {
        let now = self.now();
        if same_file(file, &self.path) {
            return Err(Error::invalid("file", "same_as_ledger"));
        }
        let staged = restore::stage(file, password, &self.path, self.key.as_ref()).await?;
        let before = match self.backup_into_folder(BackupKind::PreRestore, now).await {
            Ok(info) => info,
            Err(e) => {
                let _ = std::fs::remove_file(&staged);
                return Err(e);
            }
        };
        self.pool.close().await;
        let swapped = match restore::ensure_alone(&self.path, self.key.as_ref()).await {
            Ok(()) => restore::swap(&staged, &self.path),
            Err(e) => Err(e),
        };
        if let Err(e) = swapped {
            let _ = std::fs::remove_file(&staged);
            return Err(e);
        }
        let crm = Crm::open_keyed(&self.path, self.key.clone(), self.clock.clone(), self.ids.clone())
            .await?
            .with_zone(self.zone);
        let details = json!({ "file": file.to_string_lossy(), "preRestoreBackup": before.path });
        audit::record(
            &mut *crm.pool.acquire().await?,
            now,
            AuditAction::BackupRestore,
            None,
            details,
        )
        .await?;
        Ok(crm)
    }

    /// Whether the ledger is whole: integrity, foreign keys, search index (see [`CheckReport`]).
    pub async fn check(&self) -> Result<CheckReport> {
        let mut tx = self.pool.begin().await?;
        let report = check::run(&mut tx).await?;
        // The FTS integrity-check commands write nothing, but they are INSERT statements.
        tx.rollback().await?;
        Ok(report)
    }
}
