//! The open ledger, or none while the app is locked. Every command takes the ledger as a
//! [`Ledger`] argument, drawn from here when the command is called: while locked, none can be
//! drawn and the command is refused with `PASSWORD_REQUIRED` before it runs.
//!
//! Locking takes the `Crm` out and closes its pool; the key goes with the last clone (the
//! scheduler and the daily backup draw theirs afresh on each round and never keep one while
//! they sleep). A command already running keeps its clone until it ends, on a closed pool.

use std::path::{Path, PathBuf};
use std::sync::RwLock;

use tauri::ipc::{CommandArg, CommandItem, InvokeError};
use tauri::{Manager, Runtime};
use yiben::encryption::backoff::Backoff;
use yiben::{Crm, Error, ErrorBody};

pub struct Session {
    path: PathBuf,
    /// The lock settings' file, in the app's data folder (see `yiben::encryption::lock`).
    lock_file: PathBuf,
    crm: RwLock<Option<Crm>>,
    /// Why the ledger could not be opened at start-up; none once it is open.
    open_error: RwLock<Option<ErrorBody>>,
    /// Held across a whole unlock, so tries are taken one at a time.
    pub backoff: tokio::sync::Mutex<Backoff>,
    /// Told when a ledger is unlocked, so work that waits for one need not wait long.
    pub unlocked: tokio::sync::Notify,
}

impl Session {
    pub fn new(path: PathBuf, lock_file: PathBuf) -> Self {
        Session {
            path,
            lock_file,
            crm: RwLock::new(None),
            open_error: RwLock::new(None),
            backoff: Default::default(),
            unlocked: Default::default(),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn lock_file(&self) -> &Path {
        &self.lock_file
    }

    /// The open ledger; none while locked.
    pub fn current(&self) -> Option<Crm> {
        self.crm.read().expect("not poisoned").clone()
    }

    pub fn put(&self, crm: Crm) {
        *self.crm.write().expect("not poisoned") = Some(crm);
        *self.open_error.write().expect("not poisoned") = None;
    }

    pub fn open_error(&self) -> Option<ErrorBody> {
        self.open_error.read().expect("not poisoned").clone()
    }

    pub fn set_open_error(&self, err: &Error) {
        *self.open_error.write().expect("not poisoned") = Some(err.body());
    }

    pub fn take(&self) -> Option<Crm> {
        self.crm.write().expect("not poisoned").take()
    }

    /// Locked: the ledger on disk is encrypted and none is open.
    pub fn locked(&self) -> bool {
        self.crm.read().expect("not poisoned").is_none() && self.open_error.read().expect("not poisoned").is_none()
    }
}

/// The open ledger, as a command's argument.
pub struct Ledger(Crm);

impl Ledger {
    pub fn inner(&self) -> &Crm {
        &self.0
    }
}

impl std::ops::Deref for Ledger {
    type Target = Crm;

    fn deref(&self) -> &Crm {
        &self.0
    }
}

impl<'de, R: Runtime> CommandArg<'de, R> for Ledger {
    fn from_command(command: CommandItem<'de, R>) -> Result<Self, InvokeError> {
        let open = command.message.webview().state::<Session>().current();
        open.map(Ledger)
            .ok_or_else(|| InvokeError::from(Error::PasswordRequired))
    }
}
