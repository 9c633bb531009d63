//! Turning encryption at rest on and off and changing the password, as the desktop and the
//! CLI call them. Each re-encrypts the whole ledger into a new file and swaps it in (see
//! `encryption::rekey`), so like a restore it closes this ledger and answers the reopened
//! one. When it fails, the ledger file is unchanged but this `Crm` may be closed
//! ([`Crm::is_open`]): open the ledger again, with the password it had.

use super::{settings_changed, Crm};
use crate::backup::restore;
use crate::encryption::{self, rekey, EncryptionStatus, Key, Password};
use crate::{Error, Result};

/// What changed, as the audit log records it (`settings_change`, setting `encryption`).
const ON: &str = "on";
const OFF: &str = "off";
const PASSWORD_CHANGED: &str = "password_changed";

impl Crm {
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
