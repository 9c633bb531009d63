//! The app lock's settings. They must be read before the ledger is unlocked (how long the
//! window may stay idle, which language the lock screen speaks), so they live in a small file
//! of their own in the app's data folder, never in the encrypted ledger. They hold nothing
//! secret.

use std::path::Path;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::settings::Language;
use crate::{Error, Result};

/// The file's name in the app's data folder.
pub const FILE_NAME: &str = "lock.json";
pub const DEFAULT_IDLE_MINUTES: f64 = 15.0;
/// Fractions of a minute are allowed; less than six seconds would lock a user who pauses
/// to read.
pub const MIN_IDLE_MINUTES: f64 = 0.1;
/// A day; longer is the same as never, which is 0.
pub const MAX_IDLE_MINUTES: f64 = 24.0 * 60.0;

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LockSettings {
    /// Minutes without a key press or mouse move in the window before an encrypted ledger
    /// locks itself; 0 never.
    pub idle_minutes: f64,
    /// The lock screen's language: the one last chosen, there or in the unlocked app.
    pub language: Language,
}

impl Default for LockSettings {
    fn default() -> Self {
        LockSettings { idle_minutes: DEFAULT_IDLE_MINUTES, language: Language::default() }
    }
}

/// 0 (never) or from [`MIN_IDLE_MINUTES`] to [`MAX_IDLE_MINUTES`]; `VALIDATION`
/// (`idleMinutes`: `out_of_range`) otherwise.
pub fn idle_minutes(raw: f64) -> Result<f64> {
    if raw == 0.0 || (MIN_IDLE_MINUTES..=MAX_IDLE_MINUTES).contains(&raw) {
        Ok(raw)
    } else {
        Err(Error::invalid("idleMinutes", "out_of_range"))
    }
}

/// The settings in `file`; the defaults when it is missing or unreadable (a damaged file
/// must never keep the lock screen from showing).
pub fn load(file: &Path) -> LockSettings {
    let Ok(text) = std::fs::read_to_string(file) else {
        return LockSettings::default();
    };
    match serde_json::from_str::<LockSettings>(&text) {
        Ok(s) if idle_minutes(s.idle_minutes).is_ok() => s,
        Ok(s) => LockSettings { idle_minutes: DEFAULT_IDLE_MINUTES, ..s },
        Err(_) => LockSettings::default(),
    }
}

/// Writes `settings` to `file` whole: beside it first, then renamed over it.
pub fn save(file: &Path, settings: &LockSettings) -> Result<()> {
    idle_minutes(settings.idle_minutes)?;
    if let Some(folder) = file.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder)?;
    }
    let staged = file.with_extension("json.new");
    let text = serde_json::to_string_pretty(settings).map_err(|e| Error::Io(std::io::Error::other(e)))?;
    std::fs::write(&staged, text)?;
    std::fs::rename(&staged, file)?;
    Ok(())
}

/// What the window asks first, before any page: whether the ledger waits for its password, or
/// could not be opened at all.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LockState {
    /// The ledger is encrypted and not open: only the lock screen can be shown.
    pub locked: bool,
    /// The ledger is encrypted (locked or not): 锁定 and the idle lock apply.
    pub encrypted: bool,
    pub settings: LockSettings,
    /// Why the ledger could not be opened at start-up (its folder cannot be written, another
    /// program holds it …): the window says so and offers to try again, instead of the app
    /// not starting at all.
    pub open_error: Option<crate::ErrorBody>,
}
