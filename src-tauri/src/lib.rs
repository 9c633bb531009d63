//! The desktop shell: window, tray, single instance, and thin commands over `yiben::Crm`.
//! No SQL and no business rules live here.

mod backup_commands;
mod commands;
mod followup_commands;
mod deal_commands;
mod import_commands;
mod lock_commands;
mod notifications;
mod picked;
mod report_commands;
mod rescue_commands;
mod scheduler;
mod session;
mod tag_commands;
mod tray;

use std::sync::Arc;
use std::time::Instant;

use tauri::{AppHandle, Manager};

/// When the process started, for the cold-start figure in the benchmark suite.
pub(crate) struct StartedAt(pub Instant);

pub fn run() {
    let started = Instant::now();
    tauri::Builder::default()
        // Must be the first plugin: a second launch hands over to the running app and exits.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| show_main_window(app)))
        .plugin(tauri_plugin_dialog::init())
        .manage(StartedAt(started))
        .manage(import_commands::ImportCancel::default())
        .manage(scheduler::Wake::default())
        .manage(scheduler::Missed::default())
        .manage(backup_commands::Shown::default())
        .plugin(tauri_plugin_autostart::init(tauri_plugin_autostart::MacosLauncher::LaunchAgent, None))
        .setup(|app| {
            let path = match yiben::paths::resolve_db_path(None).filter(|_| std::env::var_os(yiben::paths::DB_ENV_VAR).is_some()) {
                Some(path) => path,
                None => app.path().app_data_dir()?.join(yiben::paths::DB_FILE_NAME),
            };
            let lock_file = app.path().app_data_dir()?.join(yiben::encryption::lock::FILE_NAME);
            let session = session::Session::new(path.clone(), lock_file);
            // An encrypted ledger waits, closed, for its password at the lock screen; only
            // then is it opened (or found damaged).
            let encrypted = yiben::encryption::is_encrypted(&path).unwrap_or(false);
            let (recovery, language) = if encrypted {
                (None, yiben::encryption::lock::load(session.lock_file()).language)
            } else {
                // A damaged ledger is set aside and an empty one opened, so the window can offer
                // the newest good backup instead of the app failing to start.
                let opened = yiben::Crm::open_recovering(&path, Arc::new(yiben::SystemClock), Arc::new(yiben::RandomIds::default()));
                match tauri::async_runtime::block_on(opened) {
                    Ok((crm, recovery)) => {
                        if let Some(found) = &recovery {
                            eprintln!("yiben: the ledger was damaged and is kept at {}", found.corrupt_file);
                        }
                        let language = tauri::async_runtime::block_on(crm.language()).unwrap_or_default();
                        session.put(crm);
                        (recovery, language)
                    }
                    // The window says why and offers to try again (see `ledger_open_again`).
                    Err(err) => {
                        eprintln!("yiben: cannot open the ledger at {}: {err}", path.display());
                        session.set_open_error(&err);
                        (None, yiben::encryption::lock::load(session.lock_file()).language)
                    }
                }
            };
            let startup = backup_commands::Startup::new(recovery);
            app.manage(startup.clone());
            app.manage(session);
            tray::build(app.handle(), language, false)?;
            backup_commands::spawn_daily(app.handle().clone(), startup, app.state::<backup_commands::Shown>().inner().clone());
            scheduler::spawn(app.handle().clone(), app.state::<scheduler::Wake>().inner().clone());
            if let Some(window) = app.get_webview_window("main") {
                if let Some(icon) = app.default_window_icon().cloned() {
                    window.set_icon(icon)?;
                }
            }
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::customers_add,
            commands::customers_update,
            commands::customers_get,
            commands::customers_list,
            commands::customers_count,
            commands::customers_history,
            commands::customers_duplicates,
            commands::customers_delete,
            commands::customers_restore,
            commands::customers_purge,
            commands::customers_merge_preview,
            commands::customers_merge,
            commands::industries_list,
            commands::industries_save,
            commands::industries_delete,
            commands::custom_fields_list,
            commands::custom_fields_create,
            commands::custom_fields_update,
            commands::language_get,
            commands::language_set,
            commands::mask_lists_get,
            commands::mask_lists_set,
            commands::customer_masked,
            commands::ui_pref_get,
            commands::ui_pref_set,
            commands::ui_ready,
            import_commands::import_sheets,
            import_commands::import_preview,
            import_commands::import_run,
            import_commands::import_cancel,
            import_commands::import_undo,
            import_commands::import_history,
            import_commands::import_templates,
            import_commands::import_template_save,
            import_commands::import_rejected_download,
            import_commands::import_template_download,
            import_commands::customers_export,
            followup_commands::followup_methods,
            followup_commands::followup_method_add,
            followup_commands::followup_method_update,
            followup_commands::followups_list,
            followup_commands::followups_add,
            followup_commands::followups_update,
            followup_commands::followups_delete,
            followup_commands::workbench,
            followup_commands::customer_reminders,
            followup_commands::reminders_upcoming,
            followup_commands::reminder_snooze,
            followup_commands::reminder_done,
            followup_commands::reminder_settings_get,
            followup_commands::reminder_settings_set,
            followup_commands::reminders_missed,
            followup_commands::autostart_get,
            followup_commands::autostart_set,
            tag_commands::tag_groups_list,
            tag_commands::tag_group_add,
            tag_commands::tags_list,
            tag_commands::tag_add,
            tag_commands::tag_update,
            tag_commands::tag_merge,
            tag_commands::tag_delete,
            tag_commands::customers_tag,
            tag_commands::customer_tags,
            tag_commands::filter_describe,
            tag_commands::segments_list,
            tag_commands::segment_save,
            tag_commands::segment_rename,
            tag_commands::segment_delete,
            tag_commands::customer_score,
            tag_commands::grading_get,
            tag_commands::grading_set,
            deal_commands::deals_add,
            deal_commands::deals_update,
            deal_commands::deals_move,
            deal_commands::deals_delete,
            deal_commands::deals_get,
            deal_commands::deals_history,
            deal_commands::deals_list,
            deal_commands::deals_board,
            deal_commands::deals_stalled,
            deal_commands::report_funnel,
            deal_commands::report_forecast,
            deal_commands::deal_stages_list,
            deal_commands::deal_stages_save,
            deal_commands::deal_stages_reorder,
            deal_commands::deal_stages_delete,
            deal_commands::lost_reasons_list,
            deal_commands::lost_reasons_save,
            deal_commands::lost_reasons_delete,
            deal_commands::deal_settings_get,
            deal_commands::deal_settings_set,
            report_commands::reports_dashboard,
            report_commands::reports_kpis,
            report_commands::reports_customers,
            report_commands::reports_performance,
            report_commands::reports_followups,
            report_commands::reports_funnel,
            report_commands::reports_drill,
            report_commands::reports_owners,
            report_commands::reports_export,
            report_commands::reports_save_path,
            report_commands::reports_save_png,
            backup_commands::startup_state,
            backup_commands::recovery_dismiss,
            backup_commands::backups_list,
            backup_commands::backup_now,
            backup_commands::backup_to_file,
            backup_commands::restore_pick_path,
            backup_commands::backup_restore,
            backup_commands::ledger_is_open,
            backup_commands::app_restart,
            backup_commands::audit_list,
            backup_commands::ledger_check,
            rescue_commands::ledger_status,
            rescue_commands::ledger_rescue_to,
            rescue_commands::ledger_rescue_in_place,
            lock_commands::lock_state,
            lock_commands::lock_settings_set,
            lock_commands::ledger_unlock,
            lock_commands::ledger_lock,
            lock_commands::ledger_open_again,
            lock_commands::app_quit,
            lock_commands::encryption_status,
            lock_commands::encryption_on,
            lock_commands::encryption_change,
            lock_commands::encryption_off,
        ])
        // Closing the window keeps the app in the tray so reminders still fire; 退出 quits.
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::CloseRequested { api, .. } = event {
                if window.label() == "main" {
                    api.prevent_close();
                    let _ = window.hide();
                }
            }
        })
        .run(tauri::generate_context!())
        .unwrap_or_else(|err| {
            eprintln!("yiben: the app could not start: {err}");
            std::process::exit(1);
        });
}

pub(crate) fn show_main_window(app: &AppHandle) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.show();
        let _ = window.unminimize();
        let _ = window.set_focus();
    }
}
