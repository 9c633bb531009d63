//! Import commands: preview, run with progress and cancel, undo, history, mapping templates.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use tauri::ipc::Channel;
use tauri::State;
use yiben::import::job::{ImportPreview, ImportProgress, ImportRecord, ImportReport, ImportRequest, MappingTemplate};
use yiben::import::Target;
use yiben::Error;

use crate::session::Ledger;

type Result<T> = std::result::Result<T, Error>;

/// Set by `import_cancel`; the running import checks it between batches.
#[derive(Default)]
pub struct ImportCancel(pub Arc<AtomicBool>);

#[tauri::command]
pub async fn import_sheets(crm: Ledger, path: String) -> Result<Vec<String>> {
    crm.import_sheets(std::path::Path::new(&path)).await
}

#[tauri::command]
pub async fn import_preview(crm: Ledger, request: ImportRequest) -> Result<ImportPreview> {
    crm.import_preview(&request, 200).await
}

#[tauri::command]
pub async fn import_run(
    crm: Ledger,
    cancel: State<'_, ImportCancel>,
    request: ImportRequest,
    on_progress: Channel<ImportProgress>,
) -> Result<ImportReport> {
    cancel.0.store(false, Ordering::Relaxed);
    crm.import(&request, false, &cancel.0, &|p| {
        let _ = on_progress.send(p);
    })
    .await
}

#[tauri::command]
pub fn import_cancel(cancel: State<'_, ImportCancel>) {
    cancel.0.store(true, Ordering::Relaxed);
}

#[tauri::command]
pub async fn import_undo(crm: Ledger, id: Option<i64>) -> Result<ImportRecord> {
    crm.undo_import(id).await
}

#[tauri::command]
pub async fn import_history(crm: Ledger) -> Result<Vec<ImportRecord>> {
    crm.imports().await
}

#[tauri::command]
pub async fn import_templates(crm: Ledger) -> Result<Vec<MappingTemplate>> {
    crm.mapping_templates().await
}

#[tauri::command]
pub async fn import_template_save(
    crm: Ledger,
    name: String,
    headers: Vec<String>,
    mapping: Vec<Target>,
) -> Result<MappingTemplate> {
    crm.save_mapping_template(&name, &headers, &mapping).await
}

fn download(name: &str) -> Result<std::path::PathBuf> {
    yiben::paths::download_path(name).ok_or_else(|| Error::Io(std::io::Error::other("no downloads folder")))
}

/// Writes the rows this import would reject (original cells + reasons) to the downloads folder.
#[tauri::command]
pub async fn import_rejected_download(crm: Ledger, request: ImportRequest) -> Result<String> {
    let path = download("导入失败的行.xlsx")?;
    crm.write_import_rejected(&request, &path).await?;
    Ok(path.to_string_lossy().into_owned())
}

#[tauri::command]
pub async fn import_template_download(crm: Ledger) -> Result<String> {
    let path = download("客户导入模板.xlsx")?;
    crm.write_import_template(&path).await?;
    Ok(path.to_string_lossy().into_owned())
}

/// Exports the customers a list query matches, with the chosen columns, to the downloads folder.
#[tauri::command]
pub async fn customers_export(
    crm: Ledger,
    query: yiben::customers::ListQuery,
    columns: Vec<yiben::export::Column>,
    mask: bool,
) -> Result<String> {
    let path = download("客户名单.xlsx")?;
    crm.export_customers(&query, &columns, mask, &path).await?;
    Ok(path.to_string_lossy().into_owned())
}
