use tauri::menu::{Menu, MenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager};
use yiben::settings::Language;

/// The tray menu's items, kept so their labels follow the UI language.
pub struct TrayMenu {
    show: MenuItem<tauri::Wry>,
    lock: MenuItem<tauri::Wry>,
    quit: MenuItem<tauri::Wry>,
    /// Open reminders due today or overdue, shown on the tray.
    due: std::sync::atomic::AtomicUsize,
}

fn labels(language: Language) -> (&'static str, &'static str, &'static str) {
    match language {
        Language::ZhCn => ("显示", "锁定", "退出"),
        Language::En => ("Show", "Lock", "Quit"),
    }
}

/// 锁定 is offered only while an encrypted ledger is open.
pub fn set_lockable(app: &AppHandle, lockable: bool) {
    if let Some(tray) = app.try_state::<TrayMenu>() {
        let _ = tray.lock.set_enabled(lockable);
    }
}

impl TrayMenu {
    pub fn relabel(&self, language: Language) {
        let (show, lock, quit) = labels(language);
        let due = self.due.load(std::sync::atomic::Ordering::Relaxed);
        let show = match (due, language) {
            (0, _) => show.to_owned(),
            (n, Language::ZhCn) => format!("{show}（{n} 条待跟进）"),
            (n, Language::En) => format!("{show} ({n} due)"),
        };
        let _ = self.show.set_text(show);
        let _ = self.lock.set_text(lock);
        let _ = self.quit.set_text(quit);
    }

    /// The due count as the tray's tooltip and, where the tray shows text, its label.
    pub fn show_due(&self, app: &AppHandle, due: usize, language: Language) {
        if self.due.swap(due, std::sync::atomic::Ordering::Relaxed) == due {
            return;
        }
        self.relabel(language);
        if let Some(tray) = app.tray_by_id("main") {
            let tooltip = match (due, language) {
                (0, _) => "一本账 CRM".to_owned(),
                (n, Language::ZhCn) => format!("一本账 CRM：{n} 条待跟进"),
                (n, Language::En) => format!("Yiben CRM: {n} due"),
            };
            let _ = tray.set_tooltip(Some(&tooltip));
            let _ = tray.set_title((due > 0).then(|| due.to_string()));
        }
    }
}

pub fn build(app: &AppHandle, language: Language, lockable: bool) -> tauri::Result<()> {
    let (show_label, lock_label, quit_label) = labels(language);
    let show = MenuItem::with_id(app, "show", show_label, true, None::<&str>)?;
    let lock = MenuItem::with_id(app, "lock", lock_label, lockable, None::<&str>)?;
    let quit = MenuItem::with_id(app, "quit", quit_label, true, None::<&str>)?;
    let menu = Menu::with_items(app, &[&show, &lock, &quit])?;
    let mut tray = TrayIconBuilder::with_id("main")
        .tooltip("一本账 CRM")
        .menu(&menu)
        .on_menu_event(|app, event| match event.id.as_ref() {
            "show" => crate::show_main_window(app),
            "lock" => {
                let app = app.clone();
                tauri::async_runtime::spawn(async move {
                    let session = app.state::<crate::session::Session>();
                    crate::lock_commands::lock_now(&app, &session).await;
                });
            }
            "quit" => app.exit(0),
            _ => {}
        });
    if let Some(icon) = app.default_window_icon().cloned() {
        tray = tray.icon(icon);
    }
    tray.build(app)?;
    app.manage(TrayMenu { show, lock, quit, due: Default::default() });
    Ok(())
}
