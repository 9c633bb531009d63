//! Each command is a few lines over the core; errors cross as `{code, message, fields}`.

use tauri::State;
use yiben::customers::{Customer, CustomerInput, CustomerPage, PageQuery};
use yiben::settings::Language;
use yiben::{Crm, Error};

use crate::tray::TrayMenu;
use crate::StartedAt;

#[tauri::command]
pub async fn customers_add(crm: State<'_, Crm>, input: CustomerInput) -> Result<Customer, Error> {
    crm.add_customer(&input).await
}

#[tauri::command]
pub async fn customers_list(crm: State<'_, Crm>, query: PageQuery) -> Result<CustomerPage, Error> {
    crm.list_customers(&query).await
}

#[tauri::command]
pub async fn language_get(crm: State<'_, Crm>) -> Result<Language, Error> {
    crm.language().await
}

#[tauri::command]
pub async fn language_set(crm: State<'_, Crm>, tray: State<'_, TrayMenu>, language: Language) -> Result<(), Error> {
    crm.set_language(language).await?;
    tray.relabel(language);
    Ok(())
}

/// The UI calls this once its first customer page is on screen. With YIBEN_STARTUP_PROBE
/// set, the benchmark suite reads the wall-clock moment from stderr.
#[tauri::command]
pub fn ui_ready(started: State<'_, StartedAt>) {
    if std::env::var_os("YIBEN_STARTUP_PROBE").is_some() {
        let epoch_ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or_default();
        eprintln!("yiben: interactive at {epoch_ms} ({} ms after main)", started.0.elapsed().as_millis());
    }
}
