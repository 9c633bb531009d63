//! The reports' commands: the dashboard, each report, the drill-down lists, and saving an
//! export or a chart picture where the user chose.

use std::path::{Path, PathBuf};

use tauri::AppHandle;
use tauri_plugin_dialog::DialogExt;
use yiben::reports::drill::{DrillPage, DrillQuery};
use yiben::reports::{CustomerAnalysis, Dashboard, Dimension, FollowupEfficiency, FunnelAnalysis, KpiCards, Performance, ReportQuery};
use yiben::{Error, ReportKind};

use crate::session::Ledger;

type Result<T> = std::result::Result<T, Error>;

/// Answers every save dialog with `<dir>/<suggested name>` when set, so the end-to-end tests
/// can export without a native dialog they cannot drive.
const SAVE_DIR_ENV_VAR: &str = "YIBEN_SAVE_DIR";

const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'];

#[tauri::command]
pub async fn reports_dashboard(crm: Ledger, query: ReportQuery) -> Result<Dashboard> {
    crm.dashboard(&query).await
}

#[tauri::command]
pub async fn reports_kpis(crm: Ledger, query: ReportQuery) -> Result<KpiCards> {
    crm.report_kpis(&query).await
}

#[tauri::command]
pub async fn reports_customers(crm: Ledger, query: ReportQuery, dimension: Dimension) -> Result<CustomerAnalysis> {
    crm.customer_analysis(&query, dimension).await
}

#[tauri::command]
pub async fn reports_performance(crm: Ledger, query: ReportQuery) -> Result<Performance> {
    crm.performance(&query).await
}

#[tauri::command]
pub async fn reports_followups(crm: Ledger, query: ReportQuery) -> Result<FollowupEfficiency> {
    crm.followup_efficiency(&query).await
}

#[tauri::command]
pub async fn reports_funnel(crm: Ledger, query: ReportQuery) -> Result<FunnelAnalysis> {
    crm.funnel_analysis(&query).await
}

#[tauri::command]
pub async fn reports_drill(crm: Ledger, query: DrillQuery) -> Result<DrillPage> {
    crm.report_drill(&query).await
}

#[tauri::command]
pub async fn reports_owners(crm: Ledger) -> Result<Vec<String>> {
    crm.report_owners().await
}

#[tauri::command]
pub async fn reports_export(crm: Ledger, query: ReportQuery, kind: ReportKind, path: String) -> Result<String> {
    crate::picked::checked(&path)?;
    let path = with_extension(&path, "xlsx")?;
    crm.export_report(&query, kind, &path).await?;
    Ok(path.to_string_lossy().into_owned())
}

/// The native save dialog, opened in the downloads folder with a suggested name; none when
/// the user cancels. The answer is remembered (see `picked`): the writing commands take no other path.
#[tauri::command]
pub async fn reports_save_path(app: AppHandle, suggested: String, filter: String, extension: String) -> Option<String> {
    let chosen = save_dialog(&app, &suggested, &filter, &extension)?;
    crate::picked::grant(&chosen);
    Some(chosen)
}

fn save_dialog(app: &AppHandle, suggested: &str, filter: &str, extension: &str) -> Option<String> {
    if let Some(dir) = std::env::var_os(SAVE_DIR_ENV_VAR).filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir).join(suggested).to_string_lossy().into_owned());
    }
    let mut dialog = app.dialog().file().set_file_name(suggested).add_filter(filter, &[extension]);
    if let Some(dir) = yiben::paths::download_path(suggested).and_then(|p| p.parent().map(Path::to_path_buf)) {
        dialog = dialog.set_directory(dir);
    }
    dialog.blocking_save_file()?.into_path().ok().map(|p| p.to_string_lossy().into_owned())
}

/// Writes a chart picture the UI rendered; only a PNG, and only to a `.png` path.
#[tauri::command]
pub async fn reports_save_png(path: String, bytes: Vec<u8>) -> Result<String> {
    crate::picked::checked(&path)?;
    let path = png_target(&path, &bytes)?;
    // A chart picture is a few hundred kilobytes: written in place, like the other exports.
    std::fs::write(&path, &bytes)?;
    Ok(path.to_string_lossy().into_owned())
}

fn png_target(path: &str, bytes: &[u8]) -> Result<PathBuf> {
    let path = with_extension(path, "png")?;
    if !bytes.starts_with(&PNG_SIGNATURE) {
        return Err(Error::invalid("bytes", "not_png"));
    }
    Ok(path)
}

/// The path as given when it ends in `.{extension}` (any case).
fn with_extension(raw: &str, extension: &str) -> Result<PathBuf> {
    let path = PathBuf::from(raw.trim());
    if !path.extension().is_some_and(|e| e.to_string_lossy().eq_ignore_ascii_case(extension)) {
        return Err(Error::invalid("path", "extension_invalid"));
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(err: Error) -> String {
        match err {
            Error::Validation(fields) => fields.into_iter().map(|(f, r)| format!("{f}:{r}")).collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn paths_must_end_in_the_extension() {
        assert_eq!(with_extension("a/报表.XLSX", "xlsx").unwrap(), PathBuf::from("a/报表.XLSX"));
        assert_eq!(reason(with_extension("a/报表.xls", "xlsx").unwrap_err()), "path:extension_invalid");
        assert_eq!(reason(with_extension("a/png", "png").unwrap_err()), "path:extension_invalid");
        assert_eq!(reason(with_extension("  ", "png").unwrap_err()), "path:extension_invalid");
    }

    #[test]
    fn only_a_png_goes_to_a_png_path() {
        let mut png = PNG_SIGNATURE.to_vec();
        png.extend_from_slice(b"IHDR");
        assert_eq!(png_target("图表.png", &png).unwrap(), PathBuf::from("图表.png"));
        assert_eq!(reason(png_target("图表.png", b"GIF89a").unwrap_err()), "bytes:not_png");
        assert_eq!(reason(png_target("图表.png", &PNG_SIGNATURE[..4]).unwrap_err()), "bytes:not_png");
        assert_eq!(reason(png_target("图表.jpg", &png).unwrap_err()), "path:extension_invalid");
    }
}
