//! Turning encryption at rest on and off and changing the password, as the desktop and the
//! CLI call them. Each re-encrypts the whole ledger into a new file and swaps it in (see
//! `encryption::rekey`), so like a restore it closes this ledger and answers the reopened
//! one. When it fails, the ledger file is unchanged but this `Crm` may be closed
//! ([`Crm::is_open`]): open the ledger again, with the password it had.

use std::path::Path;
use std::sync::Arc;

use super::{settings_changed, Crm};
use crate::backup::recovery::Recovery;
use crate::backup::restore;
use crate::encryption::backoff::Backoff;
use crate::encryption::{self, rekey, EncryptionStatus, Key, Password};
use crate::{Clock, Error, IdGen, Result};

/// What changed, as the audit log records it (`settings_change`, setting `encryption`).
const ON: &str = "on";
const OFF: &str = "off";
const PASSWORD_CHANGED: &str = "password_changed";

impl Crm {
    /// The lock screen's unlock: opens the encrypted ledger at `path` like
    /// [`Crm::open_recovering_with_password`], under `backoff`. While a wait is imposed the
    /// password is not even tried (`TOO_MANY_TRIES`, with the seconds left); a wrong one is
    /// `WRONG_PASSWORD`, or `TOO_MANY_TRIES` when it starts a wait. The clock is read once.
    pub async fn unlock(
        path: &Path,
        password: &Password,
        backoff: &mut Backoff,
        clock: Arc<dyn Clock>,
        ids: Arc<dyn IdGen>,
    ) -> Result<(Crm, Option<Recovery>)> {
        let now = clock.now();
        if let Some(wait) = backoff.wait(now) {
            return Err(too_many_tries(wait));
        }
        match Crm::open_recovering_with_password(path, Some(password), clock, ids).await {
            Err(Error::WrongPassword) => Err(match backoff.failed(now) {
                Some(wait) => too_many_tries(wait),
                None => Error::WrongPassword,
            }),
            Err(e) => Err(e),
            Ok(opened) => {
                backoff.succeeded();
                Ok(opened)
            }
        }
    }

    pub fn is_encrypted(&self) -> bool {
        self.key.is_some()
    }

    /// Whether the ledger is encrypted, how, and how many backups in the backups folder are
    /// not (those taken before encryption was turned on).
    pub fn encryption_status(&self) -> Result<EncryptionStatus> {
        encryption::status(&self.path)
    }

    /// Encrypts the ledger with `password`, then the plain backups in its backups folder with
    /// the same key (see [`rekey::encrypt_backups`]). `VALIDATION` (`encryption`:
    /// `already_on`) when it is encrypted already; change the password instead.
    pub async fn encrypt(&self, password: &Password) -> Result<Crm> {
        if self.key.is_some() {
            return Err(Error::invalid("encryption", "already_on"));
        }
        let key = Key::fresh(password).await?;
        let crm = self.rekey(Some(key.clone()), ON).await?;
        rekey::encrypt_backups(&crm.backups_dir(), &key).await?;
        Ok(crm)
    }

    /// Re-encrypts the ledger with `new` (and a new salt). `current` must open it:
    /// `WRONG_PASSWORD` otherwise, nothing changed.
    pub async fn change_password(&self, current: &Password, new: &Password) -> Result<Crm> {
        self.confirm(current).await?;
        let key = Key::fresh(new).await?;
        self.rekey(Some(key), PASSWORD_CHANGED).await
    }

    /// Writes the ledger back as a plain SQLite file. `current` must open it.
    pub async fn decrypt(&self, current: &Password) -> Result<Crm> {
        self.confirm(current).await?;
        self.rekey(None, OFF).await
    }

    /// Whether `password` is this ledger's; `VALIDATION` (`encryption`: `off`) when the
    /// ledger is not encrypted. The desktop's lock screen asks this of an open ledger.
    pub async fn confirm(&self, password: &Password) -> Result<()> {
        let Some(key) = &self.key else {
            return Err(Error::invalid("encryption", "off"));
        };
        if Key::for_file(&self.path, password).await? != *key {
            return Err(Error::WrongPassword);
        }
        Ok(())
    }

    async fn rekey(&self, to: Option<Key>, change: &str) -> Result<Crm> {
        let now = self.now();
        self.pool.close().await;
        restore::ensure_alone(&self.path, self.key.as_ref()).await?;
        let staged = rekey::stage(&self.path, self.key.as_ref(), to.as_ref()).await?;
        if let Err(e) = rekey::swap(&staged, &self.path) {
            let _ = std::fs::remove_file(&staged);
            return Err(e);
        }
        let crm = Crm::open_keyed(&self.path, to, self.clock.clone(), self.ids.clone()).await?.with_zone(self.zone);
        {
            let mut conn = crm.pool.acquire().await?;
            settings_changed(&mut *conn, now, "encryption", &change).await?;
        }
        Ok(crm)
    }
}

/// Whole seconds, rounded up: "try again in 0 s" would be a lie.
fn too_many_tries(wait: chrono::Duration) -> Error {
    let ms = wait.num_milliseconds().max(0) as u64;
    Error::TooManyTries { wait_secs: ms.div_ceil(1000) }
}
