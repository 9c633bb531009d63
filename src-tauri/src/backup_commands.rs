//! 设置's 备份与恢复 and 操作日志, the integrity check, and the start-up recovery screen.
//!
//! After a restore the app restarts. A restore closes the ledger's pool (it must, to swap the
//! file), so the old `Crm` is unusable afterwards; restarting reopens the restored file
//! through the same start-up path as any launch (migrations, recovery, the lock screen for an
//! encrypted ledger), which cannot leave a command on the closed ledger.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use tauri::{AppHandle, Manager, State};
use tauri_plugin_dialog::DialogExt;
use tokio::sync::Notify;
use yiben::audit::{AuditPage, AuditQuery};
use yiben::backup::check::CheckReport;
use yiben::backup::recovery::Recovery;
use yiben::backup::BackupInfo;
use yiben::encryption::Password;
use yiben::Error;

use crate::session::Ledger;

type Result<T> = std::result::Result<T, Error>;

/// Answers the restore's open dialog with this path when set, so the end-to-end tests can
/// pick a file without a native dialog they cannot drive (like `YIBEN_SAVE_DIR` for saving).
const OPEN_FILE_ENV_VAR: &str = "YIBEN_OPEN_FILE";

/// What start-up found: a damaged ledger set aside, until the user restores a backup or
/// goes on with the new, empty ledger.
#[derive(Clone, Default)]
pub struct Startup(Arc<Mutex<Option<Recovery>>>, Arc<Mutex<Option<Password>>>);

impl Startup {
    pub fn new(recovery: Option<Recovery>) -> Self {
        Startup(Arc::new(Mutex::new(recovery)), Arc::default())
    }

    /// What an unlock found: an encrypted ledger can only be looked at once unlocked. The
    /// password is kept until the user decides, for the backups offered: they were made under
    /// the damaged ledger's salt, which the new ledger does not share, so its key cannot open
    /// them.
    pub fn set(&self, recovery: Option<Recovery>, password: Password) {
        let found = recovery.is_some();
        *self.0.lock().expect("not poisoned") = recovery;
        *self.1.lock().expect("not poisoned") = found.then_some(password);
    }

    /// What a later open of a plain ledger found (see `ledger_open_again`).
    pub fn found(&self, recovery: Option<Recovery>) {
        *self.0.lock().expect("not poisoned") = recovery;
        *self.1.lock().expect("not poisoned") = None;
    }

    fn password(&self) -> Option<Password> {
        self.1.lock().expect("not poisoned").clone()
    }

    pub fn recovering(&self) -> bool {
        self.0.lock().expect("not poisoned").is_some()
    }
}

/// Set once the first page is on screen, so the daily backup never competes with it.
#[derive(Clone, Default)]
pub struct Shown(pub Arc<Notify>);

#[tauri::command]
pub fn startup_state(startup: State<'_, Startup>) -> Option<Recovery> {
    startup.0.lock().expect("not poisoned").clone()
}

/// The user chose to go on with the empty ledger; the damaged file stays where it was kept.
#[tauri::command]
pub fn recovery_dismiss(startup: State<'_, Startup>) {
    startup.0.lock().expect("not poisoned").take();
    startup.1.lock().expect("not poisoned").take();
}

#[tauri::command]
pub async fn backups_list(crm: Ledger) -> Result<Vec<BackupInfo>> {
    crm.backups().await
}

/// A manual backup into the app's backups folder.
#[tauri::command]
pub async fn backup_now(crm: Ledger) -> Result<BackupInfo> {
    crm.create_backup(None).await
}

/// A manual backup to the file the user chose in the save dialog (`reports_save_path`).
#[tauri::command]
pub async fn backup_to_file(crm: Ledger, path: String) -> Result<BackupInfo> {
    let path = crate::picked::checked(&path)?;
    if path.file_name().is_none() {
        return Err(Error::invalid("path", "required"));
    }
    crm.create_backup(Some(&path)).await
}

/// The native open dialog for a backup file; none when the user cancels.
#[tauri::command]
pub async fn restore_pick_path(app: AppHandle, filter: String) -> Option<String> {
    let chosen = open_dialog(&app, &filter)?;
    crate::picked::grant(&chosen);
    Some(chosen)
}

fn open_dialog(app: &AppHandle, filter: &str) -> Option<String> {
    if let Some(file) = std::env::var_os(OPEN_FILE_ENV_VAR).filter(|f| !f.is_empty()) {
        return Some(PathBuf::from(file).to_string_lossy().into_owned());
    }
    let mut dialog = app.dialog().file().add_filter(filter, &["db", "sqlite", "sqlite3", "bak"]);
    if let Some(dir) = yiben::paths::download_path("x").and_then(|p| p.parent().map(Path::to_path_buf)) {
        dialog = dialog.set_directory(dir);
    }
    dialog.blocking_pick_file()?.into_path().ok().map(|p| p.to_string_lossy().into_owned())
}

/// Replaces the ledger with the backup at `path` and restarts the app on it (see the module
/// comment). A refused file (`NOT_A_DATABASE`, `BACKUP_CORRUPT`, `BACKUP_TOO_NEW`) leaves
/// everything as it was; after `BUSY` the ledger is untouched but closed, and
/// [`ledger_is_open`] tells the window to offer a restart.
#[tauri::command]
pub async fn backup_restore(app: AppHandle, crm: Ledger, startup: State<'_, Startup>, path: String) -> Result<()> {
    let crm = crm.inner().clone();
    let password = startup.password();
    let file = PathBuf::from(path.trim());
    // A file picked in the open dialog, or one of the backups the list shows.
    let listed = || async { Ok::<_, Error>(crm.backups().await?.iter().any(|b| Path::new(&b.path) == file)) };
    if !crate::picked::is_picked(&file) && !listed().await? {
        return Err(Error::invalid("path", "not_picked"));
    }
    // The restore's future runs the migrator on a borrowed connection, which the compiler
    // cannot prove `Send` for every lifetime; it runs to completion on a blocking thread.
    let restored = tauri::async_runtime::spawn_blocking(move || {
        tauri::async_runtime::block_on(async move {
            let restored = crm.restore_with_password(&file, password.as_ref()).await?;
            restored.close().await;
            Ok::<_, Error>(())
        })
    })
    .await
    .map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?;
    if let Err(err) = &restored {
        eprintln!("yiben: restore from {path}: {err}");
    }
    restored?;
    app.request_restart();
    Ok(())
}

#[tauri::command]
pub fn ledger_is_open(crm: Ledger) -> bool {
    crm.is_open()
}

#[tauri::command]
pub fn app_restart(app: AppHandle) {
    app.request_restart();
}

#[tauri::command]
pub async fn audit_list(crm: Ledger, query: AuditQuery) -> Result<AuditPage> {
    crm.audit_log(&query).await
}

#[tauri::command]
pub async fn ledger_check(crm: Ledger) -> Result<CheckReport> {
    crm.check().await
}

/// How often the daily backup is asked whether one is due. The core's rule is per calendar
/// day in the user's zone, so asking hourly (like the scheduler's daily refresh) takes it soon
/// after midnight and after the machine wakes, without a timer that sleep would stall.
const ASK_EVERY: std::time::Duration = std::time::Duration::from_secs(3600);
/// The first backup waits for the first page, but not for ever (a window that never reports).
const LONGEST_WAIT_FOR_WINDOW: std::time::Duration = std::time::Duration::from_secs(60);

/// Takes the daily backup on the async runtime, off the window's thread: first once the
/// window has shown its first page, then whenever a new day has begun.
pub fn spawn_daily(app: AppHandle, startup: Startup, shown: Shown) {
    tauri::async_runtime::spawn(async move {
        let _ = tokio::time::timeout(LONGEST_WAIT_FOR_WINDOW, shown.0.notified()).await;
        loop {
            // None while locked; drawn afresh each round so no key is kept while sleeping.
            let open = app.state::<crate::session::Session>().current();
            // An empty ledger standing in for a damaged one is no backup worth keeping.
            if let Some(crm) = open.filter(|crm| crm.is_open() && !startup.recovering()) {
                if let Err(err) = crm.backup_daily_if_due().await {
                    eprintln!("yiben: daily backup: {err}");
                }
            }
            // A ledger unlocked meanwhile is asked at once rather than up to an hour later.
            let session = app.state::<crate::session::Session>();
            tokio::select! {
                _ = tokio::time::sleep(ASK_EVERY) => {}
                _ = session.unlocked.notified() => {}
            }
        }
    });
}
