use tauri::menu::{Menu, MenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager};
use yiben::settings::Language;

/// The tray menu's items, kept so their labels follow the UI language.
pub struct TrayMenu {
    show: MenuItem<tauri::Wry>,
    quit: MenuItem<tauri::Wry>,
    /// Open reminders due today or overdue, shown on the tray.
    due: std::sync::atomic::AtomicUsize,
}

fn labels(language: Language) -> (&'static str, &'static str) {
    match language {
        Language::ZhCn => ("显示", "退出"),
        Language::En => ("Show", "Quit"),
    }
}

impl TrayMenu {
    pub fn relabel(&self, language: Language) {
        let (show, quit) = labels(language);
        let due = self.due.load(std::sync::atomic::Ordering::Relaxed);
        let show = match (due, language) {
            (0, _) => show.to_owned(),
            (n, Language::ZhCn) => format!("{show}（{n} 条待跟进）"),
            (n, Language::En) => format!("{show} ({n} due)"),
        };
        let _ = self.show.set_text(show);
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

pub fn build(app: &AppHandle, language: Language) -> tauri::Result<()> {
    let (show_label, quit_label) = labels(language);
    let show = MenuItem::with_id(app, "show", show_label, true, None::<&str>)?;
    let quit = MenuItem::with_id(app, "quit", quit_label, true, None::<&str>)?;
    let menu = Menu::with_items(app, &[&show, &quit])?;
    let mut tray = TrayIconBuilder::with_id("main")
        .tooltip("一本账 CRM")
        .menu(&menu)
        .on_menu_event(|app, event| match event.id.as_ref() {
            "show" => crate::show_main_window(app),
            "quit" => app.exit(0),
            _ => {}
        });
    if let Some(icon) = app.default_window_icon().cloned() {
        tray = tray.icon(icon);
    }
    tray.build(app)?;
    app.manage(TrayMenu { show, quit, due: Default::default() });
    Ok(())
}
