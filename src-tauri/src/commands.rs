//! Each command is a few lines over the core; errors cross as `{code, message, fields}`.

use std::collections::BTreeMap;

use tauri::State;
use yiben::custom_fields::{CustomField, CustomFieldInput};
use yiben::customers::duplicates::DuplicateMatch;
use yiben::customers::history::HistoryEntry;
use yiben::customers::merge::{MergePreview, MergeSide};
use yiben::customers::{Customer, CustomerInput, CustomerPage, ListQuery};
use yiben::industries::Industry;
use yiben::settings::Language;
use yiben::{Error, SaveOutcome};

use crate::session::Ledger;
use crate::StartedAt;
use crate::tray::TrayMenu;

type Result<T> = std::result::Result<T, Error>;

#[tauri::command]
pub async fn customers_add(crm: Ledger, input: CustomerInput, allow_duplicate: bool) -> Result<SaveOutcome> {
    crm.add_customer(&input, allow_duplicate).await
}

#[tauri::command]
pub async fn customers_update(
    crm: Ledger,
    id: i64,
    input: CustomerInput,
    allow_duplicate: bool,
) -> Result<SaveOutcome> {
    crm.update_customer(id, &input, allow_duplicate).await
}

#[tauri::command]
pub async fn customers_get(crm: Ledger, id: i64) -> Result<Customer> {
    crm.customer(id).await
}

#[tauri::command]
pub async fn customers_list(crm: Ledger, query: ListQuery) -> Result<CustomerPage> {
    crm.list_customers(&query).await
}

/// The list's count, asked apart from its rows: counting walks every match, and the rows
/// should not wait for it.
#[tauri::command]
pub async fn customers_count(crm: Ledger, query: ListQuery) -> Result<i64> {
    crm.count_customers(&query).await
}

#[tauri::command]
pub async fn customers_history(crm: Ledger, id: i64) -> Result<Vec<HistoryEntry>> {
    crm.customer_history(id).await
}

#[tauri::command]
pub async fn customers_duplicates(crm: Ledger, input: CustomerInput, exclude: Option<i64>) -> Result<Vec<DuplicateMatch>> {
    crm.find_duplicates(&input, exclude).await
}

#[tauri::command]
pub async fn customers_delete(crm: Ledger, id: i64) -> Result<()> {
    crm.delete_customer(id).await
}

#[tauri::command]
pub async fn customers_restore(crm: Ledger, id: i64) -> Result<Customer> {
    crm.restore_customer(id).await
}

#[tauri::command]
pub async fn customers_purge(crm: Ledger, id: i64) -> Result<()> {
    crm.purge_customer(id).await
}

#[tauri::command]
pub async fn customers_merge_preview(crm: Ledger, survivor: i64, absorbed: i64) -> Result<MergePreview> {
    crm.merge_preview(survivor, absorbed).await
}

#[tauri::command]
pub async fn customers_merge(
    crm: Ledger,
    survivor: i64,
    absorbed: i64,
    choices: BTreeMap<String, MergeSide>,
) -> Result<Customer> {
    crm.merge_customers(survivor, absorbed, &choices).await
}

#[tauri::command]
pub async fn industries_list(crm: Ledger) -> Result<Vec<Industry>> {
    crm.industries().await
}

#[tauri::command]
pub async fn industries_save(crm: Ledger, industry: Industry) -> Result<Industry> {
    crm.save_industry(&industry).await
}

#[tauri::command]
pub async fn industries_delete(crm: Ledger, code: String) -> Result<()> {
    crm.delete_industry(&code).await
}

#[tauri::command]
pub async fn custom_fields_list(crm: Ledger) -> Result<Vec<CustomField>> {
    crm.custom_fields().await
}

#[tauri::command]
pub async fn custom_fields_create(crm: Ledger, input: CustomFieldInput) -> Result<CustomField> {
    crm.create_custom_field(&input).await
}

#[tauri::command]
pub async fn custom_fields_update(crm: Ledger, id: i64, input: CustomFieldInput) -> Result<CustomField> {
    crm.update_custom_field(id, &input).await
}

#[tauri::command]
pub async fn language_get(crm: Ledger) -> Result<Language> {
    crm.language().await
}

#[tauri::command]
pub async fn language_set(
    crm: Ledger,
    session: State<'_, crate::session::Session>,
    tray: State<'_, TrayMenu>,
    language: Language,
) -> Result<()> {
    crm.set_language(language).await?;
    tray.relabel(language);
    // The lock screen, which cannot read the ledger, speaks the language last chosen.
    crate::lock_commands::remember_language(&session, language)
}

#[tauri::command]
pub async fn mask_lists_get(crm: Ledger) -> Result<bool> {
    crm.mask_lists().await
}

#[tauri::command]
pub async fn customer_masked(crm: Ledger, id: i64) -> Result<Option<yiben::customers::masked::MaskedDetails>> {
    crm.customer_masked(id).await
}

#[tauri::command]
pub async fn mask_lists_set(crm: Ledger, on: bool) -> Result<()> {
    crm.set_mask_lists(on).await
}

/// Remembered UI choices (list columns, sort): opaque JSON the UI owns, stored in the ledger.
#[tauri::command]
pub async fn ui_pref_get(crm: Ledger, key: String) -> Result<Option<serde_json::Value>> {
    crm.ui_pref(&key).await
}

#[tauri::command]
pub async fn ui_pref_set(crm: Ledger, key: String, value: serde_json::Value) -> Result<()> {
    crm.set_ui_pref(&key, &value).await
}

/// The UI calls this once its start page (the 工作台) shows its data. With YIBEN_STARTUP_PROBE
/// set, the benchmark suite reads the wall-clock moment from stderr.
#[tauri::command]
pub fn ui_ready(started: State<'_, StartedAt>, shown: State<'_, crate::backup_commands::Shown>) {
    shown.0.notify_one();
    if std::env::var_os("YIBEN_STARTUP_PROBE").is_some() {
        let epoch_ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or_default();
        eprintln!("yiben: interactive at {epoch_ms} ({} ms after main)", started.0.elapsed().as_millis());
    }
}
