//! Native notifications through notify-rust. A notification service that is missing fails at
//! once; one that holds the bus name but never answers would block a plain `show()` forever,
//! so every call is `show_async` inside a timeout, and a failure only means the window's own
//! pop-up is the one the user sees.

use std::time::Duration;

use tauri::{AppHandle, Emitter};

const ANSWER_WITHIN: Duration = Duration::from_secs(3);

/// Shows a notification; `customer` is opened when the user clicks it (where the OS reports
/// clicks). Returns whether the OS took it.
pub async fn show(app: &AppHandle, title: &str, body: &str, customer: Option<i64>) -> bool {
    platform::show(app, title, body, customer).await
}

fn open_customer(app: &AppHandle, customer: i64) {
    crate::show_main_window(app);
    let _ = app.emit("open-customer", customer);
}

#[cfg(all(unix, not(target_os = "macos")))]
mod platform {
    use super::*;

    pub async fn show(app: &AppHandle, title: &str, body: &str, customer: Option<i64>) -> bool {
        let mut notification = notify_rust::Notification::new();
        notification.appname("一本账 CRM").summary(title).body(body).icon("cn.yiben.crm");
        if customer.is_some() {
            notification.action("default", "打开");
        }
        match tokio::time::timeout(ANSWER_WITHIN, notification.show_async()).await {
            Ok(Ok(handle)) => {
                if let Some(customer) = customer {
                    let app = app.clone();
                    tauri::async_runtime::spawn(async move {
                        handle
                            .wait_for_action_async(|action| {
                                if matches!(action, notify_rust::NotificationResponse::Action(a) if a == "default") {
                                    open_customer(&app, customer);
                                }
                            })
                            .await;
                    });
                }
                true
            }
            Ok(Err(err)) => {
                eprintln!("yiben: notification service refused: {err}");
                false
            }
            Err(_) => {
                eprintln!("yiben: notification service did not answer within {ANSWER_WITHIN:?}");
                false
            }
        }
    }
}

#[cfg(any(target_os = "macos", target_os = "windows"))]
mod platform {
    use super::*;

    pub async fn show(app: &AppHandle, title: &str, body: &str, customer: Option<i64>) -> bool {
        let (title, body) = (title.to_owned(), body.to_owned());
        let shown = tauri::async_runtime::spawn_blocking(move || {
            notify_rust::Notification::new().appname("一本账 CRM").summary(&title).body(&body).show().is_ok()
        });
        let _ = (app, customer, open_customer as fn(&AppHandle, i64));
        matches!(tokio::time::timeout(ANSWER_WITHIN, shown).await, Ok(Ok(true)))
    }
}
