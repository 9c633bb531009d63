//! The warning shown when the data folder was deleted while the app runs, and its two ways
//! out: save the still-open ledger to a chosen file, or write it back where it was and restart.

use tauri::AppHandle;
use yiben::backup::BackupInfo;
use yiben::ledger_file::LedgerStatus;
use yiben::Error;

use crate::session::Ledger;

type Result<T> = std::result::Result<T, Error>;

/// Asked by the window every few seconds (a `stat` of the ledger's file).
#[tauri::command]
pub fn ledger_status(crm: Ledger) -> LedgerStatus {
    crm.ledger_status()
}

/// Writes the open ledger to the file the user chose in the save dialog (`reports_save_path`).
#[tauri::command]
pub async fn ledger_rescue_to(crm: Ledger, path: String) -> Result<BackupInfo> {
    let path = crate::picked::checked(&path)?;
    if path.file_name().is_none() {
        return Err(Error::invalid("path", "required"));
    }
    crm.rescue_to(&path).await
}

/// Recreates the data folder, writes the open ledger back into it and restarts the app on it,
/// like after a restore (see `backup_commands`).
#[tauri::command]
pub async fn ledger_rescue_in_place(app: AppHandle, crm: Ledger) -> Result<()> {
    let crm = crm.inner().clone();
    // Reopening runs the migrator on a borrowed connection, whose future the compiler cannot
    // prove `Send`; it runs to completion on a blocking thread.
    let rescued = tauri::async_runtime::spawn_blocking(move || {
        tauri::async_runtime::block_on(async move {
            let reopened = crm.rescue_in_place().await?;
            reopened.close().await;
            Ok::<_, Error>(())
        })
    })
    .await
    .map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?;
    if let Err(err) = &rescued {
        eprintln!("yiben: writing the ledger back: {err}");
    }
    rescued?;
    app.request_restart();
    Ok(())
}
