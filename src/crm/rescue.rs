//! When the data folder was deleted (or the ledger's file moved) while the ledger is open:
//! what the window shows, and the two ways to save the data the open connections still hold.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::Connection;

use super::backup::{same_file, to_file_precision};
use super::Crm;
use crate::audit::{self, AuditAction};
use crate::backup::{self, BackupInfo, BackupKind};
use crate::ledger_file::{end_open_transaction, LedgerState, LedgerStatus, SimulatedFault};
use crate::{Error, Result};

impl Crm {
    /// Whether the ledger's file is still the one this ledger opened. The window asks every
    /// few seconds, so it can warn before the user tries to save anything.
    pub fn ledger_status(&self) -> LedgerStatus {
        self.file.status()
    }

    /// Writes the whole ledger, as this app still has it open, to `out` (replaced only by a
    /// complete copy). Works when its folder is gone; nothing is logged then, since the
    /// ledger cannot be written. `out` may not be the ledger's own path: that is
    /// [`Crm::rescue_in_place`].
    pub async fn rescue_to(&self, out: &Path) -> Result<BackupInfo> {
        let now = to_file_precision(self.now());
        if self.is_ledger_path(out) {
            return Err(Error::invalid("out", "same_as_ledger"));
        }
        let mut conn = self.pool.acquire().await?;
        if conn.is_in_transaction() {
            end_open_transaction(&mut conn).await;
        }
        let size = backup::write(&mut conn, out).await?;
        Ok(BackupInfo { kind: BackupKind::Manual, at: now, size, path: out.to_string_lossy().into_owned() })
    }

    /// Writes the ledger back to its own path after its folder was deleted or its file moved
    /// or replaced, and answers the ledger opened there again; this one is closed (like after
    /// a restore). Whatever has taken the path meanwhile is renamed to
    /// `<name>.displaced-<time>`, never overwritten. Refused with `VALIDATION` (`ledger:
    /// not_gone`) while the file is where it belongs.
    pub async fn rescue_in_place(&self) -> Result<Crm> {
        if self.file.state() == LedgerState::Present {
            return Err(Error::invalid("ledger", "not_gone"));
        }
        let now = self.now();
        if let Some(folder) = self.path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(folder)?;
        }
        let displaced = keep_aside(&self.path, now)?;
        let mut conn = self.pool.acquire().await?;
        if conn.is_in_transaction() {
            end_open_transaction(&mut conn).await;
        }
        let size = backup::write(&mut conn, &self.path).await?;
        drop(conn);
        // The old connections are on the unlinked (or moved) file: closing them cannot touch
        // the new one, since SQLite does not checkpoint or delete a WAL whose database moved.
        self.pool.close().await;
        let crm = Crm::open_keyed(&self.path, self.key.clone(), self.clock.clone(), self.ids.clone()).await?.with_zone(self.zone);
        let details = json!({
            "rescue": true,
            "file": self.path.to_string_lossy(),
            "size": size,
            "displaced": displaced.map(|p| p.to_string_lossy().into_owned()),
        });
        audit::record(&mut *crm.pool.acquire().await?, now, AuditAction::BackupRestore, None, details).await?;
        Ok(crm)
    }

    fn is_ledger_path(&self, out: &Path) -> bool {
        let mut wal = self.path.as_os_str().to_os_string();
        wal.push("-wal");
        let absolute = |p: &Path| std::path::absolute(p).ok();
        same_file(out, &self.path)
            || same_file(out, Path::new(&wal))
            || absolute(out).is_some_and(|a| Some(a) == absolute(&self.path))
    }

    /// Puts a fault on every connection of this ledger, or lifts it, for the fault tests.
    #[doc(hidden)]
    pub async fn simulate_fault(&self, fault: Option<SimulatedFault>) -> Result<()> {
        let mut conn = self.pool.acquire().await?;
        let pages: i64 = sqlx::query_scalar("PRAGMA page_count").fetch_one(&mut *conn).await?;
        // Every connection takes it when next acquired.
        self.file.simulate(fault, pages.max(0) as u64);
        Ok(())
    }
}

/// Renames what is at `path` (and its WAL and shared-memory files) out of the way; answers
/// where the main file went, if there was one.
fn keep_aside(path: &Path, now: DateTime<Utc>) -> Result<Option<PathBuf>> {
    let with = |base: &Path, suffix: &str| {
        let mut name = base.as_os_str().to_os_string();
        name.push(suffix);
        PathBuf::from(name)
    };
    let taken = ["", "-wal", "-shm"].iter().any(|s| with(path, *s).symlink_metadata().is_ok());
    if !taken {
        return Ok(None);
    }
    let stamp = now.format("%Y%m%dT%H%M%S%.3fZ");
    let aside = (1..)
        .map(|n| match n {
            1 => with(path, &format!(".displaced-{stamp}")),
            n => with(path, &format!(".displaced-{stamp}-{n}")),
        })
        .find(|p| p.symlink_metadata().is_err())
        .expect("some name is free");
    for side in ["-wal", "-shm", ""] {
        let from = with(path, side);
        if from.symlink_metadata().is_ok() {
            std::fs::rename(&from, with(&aside, side))?;
        }
    }
    Ok(Some(aside))
}
