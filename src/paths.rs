//! Where the ledger lives. The desktop app and the CLI must agree on it, so both resolve it
//! here: Tauri's app-data dir is `<OS data dir>/<bundle identifier>`, the same as below.

use std::path::PathBuf;

/// Must equal `identifier` in `src-tauri/tauri.conf.json` (a test checks this).
pub const APP_IDENTIFIER: &str = "cn.yiben.crm";
pub const DB_FILE_NAME: &str = "yiben.db";
/// Overrides the database location for the CLI and the desktop app.
pub const DB_ENV_VAR: &str = "YIBEN_DB";

/// `~/.local/share/cn.yiben.crm` on Linux, `~/Library/Application Support/cn.yiben.crm` on
/// macOS, `%APPDATA%\cn.yiben.crm` on Windows.
pub fn app_data_dir() -> Option<PathBuf> {
    dirs::data_dir().map(|dir| dir.join(APP_IDENTIFIER))
}

/// An explicit path wins, then `YIBEN_DB`, then the app-data default.
pub fn resolve_db_path(explicit: Option<PathBuf>) -> Option<PathBuf> {
    explicit
        .or_else(|| std::env::var_os(DB_ENV_VAR).filter(|v| !v.is_empty()).map(PathBuf::from))
        .or_else(|| app_data_dir().map(|dir| dir.join(DB_FILE_NAME)))
}

/// Where files the app writes for the user go (error reports, templates, exports): the OS
/// downloads folder, like a browser, so no save dialog interrupts the flow. An existing file
/// is never overwritten: `名单 (1).xlsx`, `名单 (2).xlsx` …
pub fn download_path(file_name: &str) -> Option<PathBuf> {
    let dir = dirs::download_dir().or_else(dirs::home_dir)?;
    let path = std::path::Path::new(file_name);
    let stem = path.file_stem()?.to_string_lossy().into_owned();
    let ext = path.extension().map(|e| format!(".{}", e.to_string_lossy())).unwrap_or_default();
    let mut candidate = dir.join(file_name);
    let mut n = 1;
    while candidate.exists() {
        candidate = dir.join(format!("{stem} ({n}){ext}"));
        n += 1;
    }
    Some(candidate)
}
