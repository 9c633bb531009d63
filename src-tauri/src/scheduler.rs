//! The reminder scheduler: sleeps until the next reminder is due (or a write wakes it),
//! announces what came due through the OS and the window, and keeps the tray's count.
//!
//! It never polls every second. It sleeps until the next moment the core names, but at
//! most a minute: a monotonic timer stands still while the machine sleeps and ignores a
//! changed wall clock, so waking each minute to ask the clock again is what makes it survive
//! both, at no measurable CPU.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tauri::{AppHandle, Emitter, Manager};
use tokio::sync::Notify;
use yiben::reminders::{notice, rules, Reminder};
use yiben::settings::Language;
use yiben::Crm;

use crate::notifications;

const LONGEST_SLEEP: Duration = Duration::from_secs(60);
/// More reminders than this at once become one summary notification, not a flood.
const MOST_SINGLE_NOTICES: usize = 3;

/// Wakes the scheduler after a write that may have moved the next reminder.
#[derive(Clone, Default)]
pub struct Wake(Arc<Notify>);

impl Wake {
    pub fn now(&self) {
        self.0.notify_one();
    }
}

/// Reminders that fell due while the app was closed, kept until the window asks for them.
#[derive(Default)]
pub struct Missed(Mutex<Vec<Reminder>>);

impl Missed {
    pub fn take(&self) -> Vec<Reminder> {
        std::mem::take(&mut *self.0.lock().expect("not poisoned"))
    }

    fn add(&self, more: &[Reminder]) {
        self.0.lock().expect("not poisoned").extend_from_slice(more);
    }
}

/// What the window hears when reminders come due.
#[derive(Clone, serde::Serialize)]
struct DuePayload {
    reminders: Vec<Reminder>,
}

pub fn spawn(app: AppHandle, wake: Wake) {
    tauri::async_runtime::spawn(async move {
        let mut rules_ran: Option<std::time::Instant> = None;
        loop {
            // While locked there is no ledger to touch; unlocking wakes the scheduler. The
            // ledger is drawn afresh each round and let go before sleeping, so locking
            // leaves no key behind here.
            let open = app.state::<crate::session::Session>().current();
            let sleep = match open {
                Some(crm) => round(&app, &crm, &mut rules_ran).await,
                None => LONGEST_SLEEP,
            };
            tokio::select! {
                _ = tokio::time::sleep(sleep) => {}
                _ = wake.0.notified() => {}
            }
        }
    });
}

/// One round: the reminder rules when due, what came due, the tray's count; answers how long
/// to sleep.
async fn round(app: &AppHandle, crm: &Crm, rules_ran: &mut Option<std::time::Instant>) -> Duration {
    if rules_ran.is_none_or(|at| at.elapsed() >= rules::EVERY.to_std().expect("positive")) {
        if let Err(err) = crm.run_reminder_rules().await {
            eprintln!("yiben: reminder rules: {err}");
        }
        // Days without contact grow with the calendar: automatic tags and scores once a day.
        if let Err(err) = crm.refresh_values_daily().await {
            eprintln!("yiben: automatic tags and scores: {err}");
        }
        *rules_ran = Some(std::time::Instant::now());
    }
    match crm.take_due_reminders().await {
        Ok(due) if !due.is_empty() => announce(app, crm, due).await,
        Ok(_) => {}
        Err(err) => eprintln!("yiben: reminders: {err}"),
    }
    refresh_tray(app, crm).await;
    match crm.next_reminder_at().await {
        Ok(Some(at)) => (at - crm.now()).to_std().unwrap_or(Duration::ZERO).min(LONGEST_SLEEP),
        _ => LONGEST_SLEEP,
    }
}

/// The window's own pop-up goes first and always; the OS notifications follow on their own
/// task, so a notification service that stalls (up to its timeout) delays nothing else.
async fn announce(app: &AppHandle, crm: &Crm, due: Vec<Reminder>) {
    let language = crm.language().await.unwrap_or_default();
    let zone = crm.zone();
    let (missed, fresh): (Vec<_>, Vec<_>) = due.into_iter().partition(|r| r.missed);
    let mut notices = Vec::new();
    if !missed.is_empty() {
        app.state::<Missed>().add(&missed);
        notices.push((notice::summary(missed.len(), true, language), None));
        let _ = app.emit("reminders-missed", DuePayload { reminders: missed });
    }
    if fresh.len() > MOST_SINGLE_NOTICES {
        notices.push((notice::summary(fresh.len(), false, language), None));
    } else {
        notices.extend(fresh.iter().map(|r| (notice::notice(r, language, zone), Some(r.customer_id))));
    }
    if !fresh.is_empty() {
        let _ = app.emit("reminders-due", DuePayload { reminders: fresh });
    }
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        for ((title, body), customer) in notices {
            notifications::show(&app, &title, &body, customer).await;
        }
    });
}

async fn refresh_tray(app: &AppHandle, crm: &Crm) {
    let count = crm.due_today_count().await.map(|n| n as usize).unwrap_or(0);
    let language = crm.language().await.unwrap_or(Language::ZhCn);
    if let Some(tray) = app.try_state::<crate::tray::TrayMenu>() {
        tray.show_due(app, count, language);
    }
}
