//! The app lock and encryption at rest: the lock screen's unlock, 锁定 (from the window, the
//! idle timer in the window, or the tray), and 设置's 加密与锁定 card.
//!
//! Unlocking, turning encryption on or off and changing the password each open a new `Crm`
//! (with its migrations), which is put in the [`Session`] in place of the old one; the window
//! then reloads, so no page keeps data read before.

use std::future::Future;
use std::sync::Arc;

use tauri::{AppHandle, Emitter, Manager, State};
use yiben::encryption::lock::{self, LockSettings, LockState};
use yiben::encryption::{EncryptionStatus, Password};
use yiben::settings::Language;
use yiben::{Crm, Error};

use crate::backup_commands::Startup;
use crate::scheduler::Wake;
use crate::session::{Ledger, Session};

type Result<T> = std::result::Result<T, Error>;

/// Told to the window when the ledger locks by other means than its own request (the tray).
pub const LOCKED_EVENT: &str = "ledger-locked";

#[tauri::command]
pub fn lock_state(session: State<'_, Session>) -> LockState {
    let settings = lock::load(session.lock_file());
    let encrypted = match session.current() {
        Some(crm) => crm.is_encrypted(),
        None => true,
    };
    let open_error = session.open_error();
    LockState {
        locked: session.locked(),
        encrypted: encrypted && open_error.is_none(),
        settings,
        open_error,
    }
}

/// The idle minutes and the lock screen's language; also while locked.
#[tauri::command]
pub fn lock_settings_set(
    app: AppHandle,
    session: State<'_, Session>,
    settings: LockSettings,
) -> Result<()> {
    lock::save(session.lock_file(), &settings)?;
    if session.locked() {
        if let Some(tray) = app.try_state::<crate::tray::TrayMenu>() {
            tray.relabel(settings.language);
        }
    }
    Ok(())
}

pub fn remember_language(session: &Session, language: Language) -> Result<()> {
    let settings = LockSettings {
        language,
        ..lock::load(session.lock_file())
    };
    lock::save(session.lock_file(), &settings)
}

/// Opens the encrypted ledger with `password` (under the back-off, see `Crm::unlock`). A
/// damaged one is set aside as at start-up, and the window then shows the recovery screen.
#[tauri::command]
pub async fn ledger_unlock(
    app: AppHandle,
    session: State<'_, Session>,
    startup: State<'_, Startup>,
    wake: State<'_, Wake>,
    password: String,
) -> Result<()> {
    if !session.locked() {
        return Ok(());
    }
    let password = Password::new(password)?;
    let mut backoff = session.backoff.lock().await;
    let mut tries = backoff.clone();
    let path = session.path().to_path_buf();
    let tried = password.clone();
    let (opened, tries) = off_the_async_threads(move || async move {
        let opened = Crm::unlock(&path, &tried, &mut tries, clock(), ids()).await;
        (opened, tries)
    })
    .await?;
    *backoff = tries;
    let (crm, recovery) = opened?;
    if let Some(found) = &recovery {
        eprintln!(
            "yiben: the ledger was damaged and is kept at {}",
            found.corrupt_file
        );
    }
    // A language chosen at the lock screen is the app's from now on.
    let chosen = lock::load(session.lock_file()).language;
    if crm.language().await.is_ok_and(|language| language != chosen) {
        match crm.set_language(chosen).await {
            Ok(()) => {
                if let Some(tray) = app.try_state::<crate::tray::TrayMenu>() {
                    tray.relabel(chosen);
                }
            }
            Err(err) => eprintln!("yiben: the language chosen at the lock screen: {err}"),
        }
    }
    startup.set(recovery, password);
    crate::tray::set_lockable(&app, true);
    session.put(crm);
    session.unlocked.notify_waiters();
    wake.now();
    Ok(())
}

/// Opens again a ledger that could not be opened at start-up, once the user has dealt with the
/// cause (another program let it go, the folder was made writable). Nothing when it is open.
#[tauri::command]
pub async fn ledger_open_again(
    session: State<'_, Session>,
    startup: State<'_, Startup>,
    wake: State<'_, Wake>,
) -> Result<()> {
    if session.open_error().is_none() {
        return Ok(());
    }
    let path = session.path().to_path_buf();
    let opened = off_the_async_threads(move || async move { Crm::open_recovering(&path, clock(), ids()).await }).await?;
    let (crm, recovery) = opened.inspect_err(|err| session.set_open_error(err))?;
    startup.found(recovery);
    session.put(crm);
    session.unlocked.notify_waiters();
    wake.now();
    Ok(())
}

/// Ends the app from a window that has nothing else to offer (the ledger could not be opened).
#[tauri::command]
pub fn app_quit(app: AppHandle) {
    app.exit(0);
}

/// Closes the ledger and forgets its key; the window shows the lock screen. Nothing happens
/// to a ledger that is not encrypted: it could not be locked.
#[tauri::command]
pub async fn ledger_lock(app: AppHandle, session: State<'_, Session>) -> Result<()> {
    lock_now(&app, &session).await;
    Ok(())
}

pub async fn lock_now(app: &AppHandle, session: &Session) {
    if !session.current().is_some_and(|crm| crm.is_encrypted()) {
        return;
    }
    if let Some(crm) = session.take() {
        crm.close().await;
    }
    let language = lock::load(session.lock_file()).language;
    if let Some(tray) = app.try_state::<crate::tray::TrayMenu>() {
        tray.show_due(app, 0, language);
    }
    crate::tray::set_lockable(app, false);
    let _ = app.emit(LOCKED_EVENT, ());
}

#[tauri::command]
pub fn encryption_status(crm: Ledger) -> Result<EncryptionStatus> {
    crm.encryption_status()
}

#[tauri::command]
pub async fn encryption_on(
    app: AppHandle,
    session: State<'_, Session>,
    crm: Ledger,
    password: String,
) -> Result<()> {
    let new = Password::new(password)?;
    let (old, new_) = (crm.inner().clone(), new.clone());
    let done = off_the_async_threads(move || async move { old.encrypt(&new_).await }).await?;
    settle(&app, &session, crm, done, &[None, Some(new)]).await
}

#[tauri::command]
pub async fn encryption_change(
    app: AppHandle,
    session: State<'_, Session>,
    crm: Ledger,
    current: String,
    new: String,
) -> Result<()> {
    let (current, new) = (Password::new(current)?, Password::new(new)?);
    let (old, current_, new_) = (crm.inner().clone(), current.clone(), new.clone());
    let done =
        off_the_async_threads(move || async move { old.change_password(&current_, &new_).await })
            .await?;
    settle(&app, &session, crm, done, &[Some(current), Some(new)]).await
}

#[tauri::command]
pub async fn encryption_off(
    app: AppHandle,
    session: State<'_, Session>,
    crm: Ledger,
    current: String,
) -> Result<()> {
    let current = Password::new(current)?;
    let (old, current_) = (crm.inner().clone(), current.clone());
    let done = off_the_async_threads(move || async move { old.decrypt(&current_).await }).await?;
    settle(&app, &session, crm, done, &[Some(current), None]).await
}

/// Puts the re-encrypted ledger in the session. After a failure the file is as it was, but
/// the old `Crm` may have been closed on the way: it is opened again with whichever of the
/// passwords opens it, and should none, the app is locked.
async fn settle(
    app: &AppHandle,
    session: &Session,
    old: Ledger,
    done: Result<Crm>,
    passwords: &[Option<Password>],
) -> Result<()> {
    let err = match done {
        Ok(crm) => {
            crate::tray::set_lockable(app, crm.is_encrypted());
            session.put(crm);
            app.state::<Wake>().now();
            return Ok(());
        }
        Err(err) => err,
    };
    eprintln!("yiben: encryption: {err}");
    if old.is_open() {
        return Err(err);
    }
    for password in passwords {
        let (path, password) = (session.path().to_path_buf(), password.clone());
        let reopened = off_the_async_threads(move || async move {
            Crm::open_with_password(&path, password.as_ref(), clock(), ids()).await
        })
        .await?;
        if let Ok(crm) = reopened {
            crate::tray::set_lockable(app, crm.is_encrypted());
            session.put(crm);
            return Err(err);
        }
    }
    session.take();
    crate::tray::set_lockable(app, false);
    let _ = app.emit(LOCKED_EVENT, ());
    Err(err)
}

/// Opening a ledger runs the migrator on a borrowed connection, whose future the compiler
/// cannot prove `Send`; such work runs to completion on a blocking thread.
async fn off_the_async_threads<F, Fut, T>(work: F) -> Result<T>
where
    F: FnOnce() -> Fut + Send + 'static,
    Fut: Future<Output = T>,
    T: Send + 'static,
{
    tauri::async_runtime::spawn_blocking(move || tauri::async_runtime::block_on(work()))
        .await
        .map_err(|e| Error::Io(std::io::Error::other(e.to_string())))
}

fn clock() -> Arc<dyn yiben::Clock> {
    Arc::new(yiben::SystemClock)
}

fn ids() -> Arc<dyn yiben::IdGen> {
    Arc::new(yiben::RandomIds::default())
}
