//! Follow-ups, reminders and the 工作台: thin commands over the core. A write that can move
//! the next reminder wakes the scheduler.

use tauri::State;
use yiben::followups::{Followup, FollowupInput, FollowupMethod};
use yiben::reminders::{Reminder, ReminderSettings, Snooze};
use yiben::{Error, FollowupCursor, FollowupPage, Workbench};

use crate::scheduler::Wake;
use crate::session::Ledger;

type Result<T> = std::result::Result<T, Error>;

#[tauri::command]
pub async fn followup_methods(crm: Ledger) -> Result<Vec<FollowupMethod>> {
    crm.followup_methods().await
}

#[tauri::command]
pub async fn followup_method_add(crm: Ledger, name: String, template: Option<String>) -> Result<FollowupMethod> {
    crm.add_followup_method(&name, template.as_deref()).await
}

#[tauri::command]
pub async fn followup_method_update(crm: Ledger, id: i64, name: String, template: Option<String>) -> Result<FollowupMethod> {
    crm.update_followup_method(id, &name, template.as_deref()).await
}

#[tauri::command]
pub async fn followups_list(crm: Ledger, customer_id: i64, before: Option<FollowupCursor>, limit: i64) -> Result<FollowupPage> {
    crm.followups(customer_id, before, limit).await
}

#[tauri::command]
pub async fn followups_add(crm: Ledger, wake: State<'_, Wake>, customer_id: i64, input: FollowupInput) -> Result<Followup> {
    let saved = crm.add_followup(customer_id, &input).await?;
    wake.now();
    Ok(saved)
}

#[tauri::command]
pub async fn followups_update(crm: Ledger, wake: State<'_, Wake>, id: i64, input: FollowupInput) -> Result<Followup> {
    let saved = crm.update_followup(id, &input).await?;
    wake.now();
    Ok(saved)
}

#[tauri::command]
pub async fn followups_delete(crm: Ledger, wake: State<'_, Wake>, id: i64) -> Result<()> {
    crm.delete_followup(id).await?;
    wake.now();
    Ok(())
}

#[tauri::command]
pub async fn workbench(crm: Ledger) -> Result<Workbench> {
    crm.workbench().await
}

#[tauri::command]
pub async fn reminders_upcoming(crm: Ledger, days: u32, limit: i64) -> Result<Vec<Reminder>> {
    crm.upcoming_reminders(days, limit).await
}

#[tauri::command]
pub async fn customer_reminders(crm: Ledger, customer_id: i64) -> Result<Vec<Reminder>> {
    crm.customer_reminders(customer_id).await
}

#[tauri::command]
pub async fn reminder_snooze(crm: Ledger, wake: State<'_, Wake>, id: i64, snooze: Snooze) -> Result<Reminder> {
    let snoozed = crm.snooze_reminder(id, snooze).await?;
    wake.now();
    Ok(snoozed)
}

#[tauri::command]
pub async fn reminder_done(crm: Ledger, wake: State<'_, Wake>, id: i64) -> Result<Reminder> {
    let done = crm.complete_reminder(id).await?;
    wake.now();
    Ok(done)
}

#[tauri::command]
pub async fn reminder_settings_get(crm: Ledger) -> Result<ReminderSettings> {
    crm.reminder_settings().await
}

#[tauri::command]
pub async fn reminder_settings_set(crm: Ledger, wake: State<'_, Wake>, settings: ReminderSettings) -> Result<ReminderSettings> {
    let saved = crm.set_reminder_settings(settings).await?;
    wake.now();
    Ok(saved)
}

/// Reminders that fell due while the app was closed, announced once at start-up; the UI
/// asks for them when it is ready to show the 错过的提醒 dialog.
#[tauri::command]
pub fn reminders_missed(missed: State<'_, crate::scheduler::Missed>) -> Vec<Reminder> {
    missed.take()
}

/// Start at login (开机自启动).
#[tauri::command]
pub fn autostart_get(app: tauri::AppHandle) -> bool {
    use tauri_plugin_autostart::ManagerExt;
    app.autolaunch().is_enabled().unwrap_or(false)
}

#[tauri::command]
pub fn autostart_set(app: tauri::AppHandle, enabled: bool) -> Result<bool> {
    use tauri_plugin_autostart::ManagerExt;
    let launcher = app.autolaunch();
    let outcome = if enabled { launcher.enable() } else { launcher.disable() };
    outcome.map_err(|err| Error::Io(std::io::Error::other(err.to_string())))?;
    Ok(launcher.is_enabled().unwrap_or(enabled))
}
