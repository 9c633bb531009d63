//! The funnel's commands: deals, the kanban, the reports and the funnel settings.

use yiben::deals::forecast::Forecast;
use yiben::deals::funnel::FunnelReport;
use yiben::deals::{
    Board, Deal, DealFilter, DealInput, DealPage, DealQuery, DealSettings, LostReason, LostReasonInput, MoveInput, Stage,
    StageChange, StageInput,
};
use yiben::Error;

use crate::session::Ledger;

type Result<T> = std::result::Result<T, Error>;

#[tauri::command]
pub async fn deals_add(crm: Ledger, input: DealInput) -> Result<Deal> {
    crm.add_deal(&input).await
}

#[tauri::command]
pub async fn deals_update(crm: Ledger, id: i64, input: DealInput) -> Result<Deal> {
    crm.update_deal(id, &input).await
}

#[tauri::command]
pub async fn deals_move(crm: Ledger, id: i64, input: MoveInput) -> Result<Deal> {
    crm.move_deal(id, &input).await
}

#[tauri::command]
pub async fn deals_delete(crm: Ledger, id: i64) -> Result<()> {
    crm.delete_deal(id).await
}

#[tauri::command]
pub async fn deals_get(crm: Ledger, id: i64) -> Result<Deal> {
    crm.deal(id).await
}

#[tauri::command]
pub async fn deals_history(crm: Ledger, id: i64) -> Result<Vec<StageChange>> {
    crm.deal_history(id).await
}

#[tauri::command]
pub async fn deals_list(crm: Ledger, query: DealQuery) -> Result<DealPage> {
    crm.list_deals(&query).await
}

#[tauri::command]
pub async fn deals_board(crm: Ledger, filter: DealFilter) -> Result<Board> {
    crm.deal_board(&filter).await
}

#[tauri::command]
pub async fn deals_stalled(crm: Ledger, filter: DealFilter, limit: u32) -> Result<Vec<Deal>> {
    crm.stalled_deals(&filter, limit).await
}

#[tauri::command]
pub async fn report_funnel(crm: Ledger, filter: DealFilter) -> Result<FunnelReport> {
    crm.funnel_report(&filter).await
}

#[tauri::command]
pub async fn report_forecast(crm: Ledger, filter: DealFilter) -> Result<Forecast> {
    crm.deal_forecast(&filter).await
}

#[tauri::command]
pub async fn deal_stages_list(crm: Ledger) -> Result<Vec<Stage>> {
    crm.deal_stages().await
}

#[tauri::command]
pub async fn deal_stages_save(crm: Ledger, input: StageInput) -> Result<Stage> {
    crm.save_deal_stage(&input).await
}

#[tauri::command]
pub async fn deal_stages_reorder(crm: Ledger, ids: Vec<i64>) -> Result<Vec<Stage>> {
    crm.reorder_deal_stages(&ids).await
}

#[tauri::command]
pub async fn deal_stages_delete(crm: Ledger, id: i64) -> Result<()> {
    crm.delete_deal_stage(id).await
}

#[tauri::command]
pub async fn lost_reasons_list(crm: Ledger) -> Result<Vec<LostReason>> {
    crm.lost_reasons().await
}

#[tauri::command]
pub async fn lost_reasons_save(crm: Ledger, input: LostReasonInput) -> Result<LostReason> {
    crm.save_lost_reason(&input).await
}

#[tauri::command]
pub async fn lost_reasons_delete(crm: Ledger, id: i64) -> Result<()> {
    crm.delete_lost_reason(id).await
}

#[tauri::command]
pub async fn deal_settings_get(crm: Ledger) -> Result<DealSettings> {
    crm.deal_settings().await
}

#[tauri::command]
pub async fn deal_settings_set(crm: Ledger, settings: DealSettings) -> Result<()> {
    crm.set_deal_settings(&settings).await
}
