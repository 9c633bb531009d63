//! The ledger's file on disk, watched while the ledger is open.
//!
//! When the data folder is deleted (or the file moved away) while the app runs, the open
//! connections keep working on the unlinked file: on Linux and macOS every write would succeed
//! and then vanish with the last connection. So every commit first checks that the file at the
//! ledger's path is still the very file that was opened (same device and inode); when it is
//! not, SQLite turns the commit into a rollback and the caller gets `DATA_FOLDER_GONE`. The
//! open connections still read the whole ledger, so it can be written to a new place (see
//! `Crm::rescue_to` and `Crm::rescue_in_place`).
//!
//! The pool also keeps its connections open for good (no idle or lifetime limit): a connection
//! closed while the folder is gone could be the last one holding the ledger's data.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use serde::Serialize;
use sqlx::SqliteConnection;
use ts_rs::TS;

/// Whether the file at the ledger's path is still the ledger this app opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum LedgerState {
    Present,
    /// Nothing at the path any more (the folder or the file was deleted or moved).
    Missing,
    /// Another file has taken the path since the ledger was opened.
    Replaced,
}

/// The ledger's state and where it lives, for the window's warning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LedgerStatus {
    pub state: LedgerState,
    pub path: String,
    pub folder: String,
}

/// A fault the tests put on every connection of a ledger, since a full disk or a read-only
/// mount cannot be made here without privileges. SQLite then answers exactly what it answers
/// for the real fault (`SQLITE_FULL`, `SQLITE_READONLY`).
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SimulatedFault {
    /// The file may grow by this many pages at most, from its size when the fault is put on
    /// (`PRAGMA max_page_count`).
    DiskFull { room_pages: u32 },
    /// No connection may write (`PRAGMA query_only`).
    ReadOnly,
}

/// A simulated fault as the connections take it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ConnectionLimits {
    max_pages: u64,
    query_only: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileId {
    dev: u64,
    ino: u64,
}

#[cfg(unix)]
fn file_id(path: &Path) -> std::io::Result<FileId> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(path)?;
    Ok(FileId { dev: meta.dev(), ino: meta.ino() })
}

// Windows does not let an open file be deleted or replaced, so being there is enough.
#[cfg(not(unix))]
fn file_id(path: &Path) -> std::io::Result<FileId> {
    std::fs::metadata(path).map(|_| FileId { dev: 0, ino: 0 })
}

/// The ledger's file as it was when opened.
#[derive(Debug)]
pub(crate) struct LedgerFile {
    path: PathBuf,
    id: FileId,
    limits: Mutex<Option<ConnectionLimits>>,
    /// Set once a fault was ever simulated, so connections are only reconfigured then.
    faults_used: AtomicBool,
}

/// What a connection refused by [`LedgerFile::check_connection`] carries inside its error,
/// recognised by type (see `Error::from(sqlx::Error)`).
#[derive(Debug, thiserror::Error)]
#[error("the ledger file is no longer at its path")]
pub(crate) struct LedgerGone;

impl LedgerFile {
    /// Remembers the file at `path`, which must exist.
    pub(crate) fn at(path: &Path) -> std::io::Result<Arc<LedgerFile>> {
        Ok(Arc::new(LedgerFile {
            path: path.to_path_buf(),
            id: file_id(path)?,
            limits: Mutex::new(None),
            faults_used: AtomicBool::new(false),
        }))
    }

    pub(crate) fn state(&self) -> LedgerState {
        match file_id(&self.path) {
            Ok(id) if id == self.id => LedgerState::Present,
            Ok(_) => LedgerState::Replaced,
            // Not found, or the folder no longer lets us look: either way writes cannot be
            // known to land in the ledger.
            Err(_) => LedgerState::Missing,
        }
    }

    pub(crate) fn status(&self) -> LedgerStatus {
        let folder = self.path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        LedgerStatus {
            state: self.state(),
            path: self.path.to_string_lossy().into_owned(),
            folder: folder.to_string_lossy().into_owned(),
        }
    }

    /// `DATA_FOLDER_GONE` unless the ledger's file is still at its path.
    pub(crate) fn ensure_present(&self) -> crate::Result<()> {
        match self.state() {
            LedgerState::Present => Ok(()),
            _ => Err(crate::Error::DataFolderGone),
        }
    }

    /// Sets up a new connection of the ledger's pool: it must be on the ledger's own file
    /// (a connection opened after the path was taken by another file is refused), and every
    /// commit it makes is checked first.
    pub(crate) async fn check_connection(self: &Arc<Self>, conn: &mut SqliteConnection) -> sqlx::Result<()> {
        if self.state() == LedgerState::Replaced {
            return Err(sqlx::Error::Io(std::io::Error::other(LedgerGone)));
        }
        let file = Arc::clone(self);
        // Returning false makes SQLite roll the transaction back and answer
        // SQLITE_CONSTRAINT_COMMITHOOK, which becomes `DATA_FOLDER_GONE`.
        conn.lock_handle().await?.set_commit_hook(move || file.state() == LedgerState::Present);
        if self.faults_used.load(Ordering::Acquire) {
            self.apply_fault(conn).await?;
        }
        Ok(())
    }

    /// Puts the simulated fault (or none) on a connection taken from the pool.
    pub(crate) async fn before_use(&self, conn: &mut SqliteConnection) -> sqlx::Result<()> {
        if self.faults_used.load(Ordering::Acquire) {
            self.apply_fault(conn).await?;
        }
        Ok(())
    }

    /// Puts `fault` on every connection from now on (or lifts it); `pages` is the file's size.
    pub(crate) fn simulate(&self, fault: Option<SimulatedFault>, pages: u64) {
        let limits = fault.map(|fault| match fault {
            SimulatedFault::DiskFull { room_pages } => {
                ConnectionLimits { max_pages: pages + u64::from(room_pages), query_only: false }
            }
            SimulatedFault::ReadOnly => ConnectionLimits { max_pages: NO_PAGE_LIMIT, query_only: true },
        });
        *self.limits.lock().expect("not poisoned") = limits;
        self.faults_used.store(true, Ordering::Release);
    }

    async fn apply_fault(&self, conn: &mut SqliteConnection) -> sqlx::Result<()> {
        let limits = *self.limits.lock().expect("not poisoned");
        let ConnectionLimits { max_pages, query_only } =
            limits.unwrap_or(ConnectionLimits { max_pages: NO_PAGE_LIMIT, query_only: false });
        sqlx::query(sqlx::AssertSqlSafe(format!("PRAGMA max_page_count = {max_pages}")))
            .execute(&mut *conn)
            .await?;
        sqlx::query(sqlx::AssertSqlSafe(format!("PRAGMA query_only = {}", u8::from(query_only))))
            .execute(&mut *conn)
            .await?;
        Ok(())
    }
}

/// SQLite's default (and largest) page limit.
const NO_PAGE_LIMIT: u64 = 4_294_967_294;

impl LedgerFile {
    /// Whether a connection coming back to the pool may be used again.
    ///
    /// SQLite sometimes ends a transaction on its own: a commit refused by the check above, or
    /// a disk-full error, which it answers by rolling the whole transaction back. sqlx still
    /// counts that transaction open, so it starts the next one as a savepoint, and a rollback
    /// of that leaves SQLite inside a transaction. Such a connection is retired and a fresh one
    /// takes its place, unless the ledger's file is gone: then no new connection can be opened
    /// and this one may be among the last holding the data, so it is kept, with any transaction
    /// SQLite still has open ended, so the next commit reaches the check and is refused.
    pub(crate) async fn after_use(&self, conn: &mut SqliteConnection) -> sqlx::Result<bool> {
        use sqlx::Connection;
        if !conn.is_in_transaction() {
            return Ok(true);
        }
        // A dropped transaction's rollback is queued on the connection's worker; a ping
        // answers after it has run.
        conn.ping().await?;
        if !conn.is_in_transaction() {
            return Ok(true);
        }
        if self.state() == LedgerState::Present {
            return Ok(false);
        }
        end_open_transaction(conn).await;
        Ok(true)
    }
}

/// Ends whatever transaction SQLite has open on `conn`, outside sqlx's bookkeeping; nothing
/// when there is none.
pub(crate) async fn end_open_transaction(conn: &mut SqliteConnection) {
    let _ = sqlx::query("ROLLBACK").execute(&mut *conn).await;
}
