//! Encryption at rest (opt-in): SQLCipher encrypts every page of the ledger file with a
//! 256-bit key that Argon2id derives from the user's password.
//!
//! Where the salt lives: in the file itself. SQLCipher keeps a 16-byte salt in the first 16
//! bytes of an encrypted file (the only bytes it does not encrypt). Yiben picks that salt,
//! derives the key from the password and the salt, and hands SQLCipher the raw key together
//! with the salt (`PRAGMA key = "x'<key><salt>'"`), so SQLCipher's own PBKDF2 is skipped and
//! the salt SQLCipher writes is ours. Anything copied through SQLite from an encrypted ledger
//! (`VACUUM INTO` backups) carries the same key and salt, so the password alone opens the
//! ledger, any of its backups, or a backup moved to another computer; no side file can be lost.
//! The Argon2id parameters are fixed per version of this scheme ([`KDF`]); should they ever
//! change, a newer Yiben tries the newer set first and then the older ones.
//!
//! Whether a file is encrypted is told without the password: a plain SQLite file starts with
//! its magic header, and an encrypted one is, from its first byte, indistinguishable from
//! random bytes. A file that is neither (text, zeros, a plain ledger whose header was wiped)
//! is damaged, not locked.

pub mod backoff;
pub mod lock;
pub mod rekey;

use std::fmt;
use std::io::Read;
use std::path::Path;

use serde::Serialize;
use ts_rs::TS;
use zeroize::Zeroizing;

use crate::{Error, Result};

const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";
/// SQLCipher's page size: an encrypted file is at least one page long.
const PAGE: usize = 4096;
const SALT_LEN: usize = 16;
const KEY_LEN: usize = 32;
/// Longer passwords gain nothing and cost the KDF memory traffic; 1024 characters is plenty.
const MAX_PASSWORD_CHARS: usize = 1024;

/// The key derivation, RFC 9106's second recommended Argon2id setting (for machines without
/// much memory to spare): 3 passes over 64 MiB in 4 lanes, 128-bit salt, 256-bit key.
pub const KDF: &str = "argon2id-v19 m=65536 t=3 p=4";
const M_COST_KIB: u32 = 64 * 1024;
const T_COST: u32 = 3;
const P_COST: u32 = 4;

/// The password a ledger is encrypted with. Kept in memory that is wiped when dropped, and
/// never printed by `Debug`.
#[derive(Clone)]
pub struct Password(Zeroizing<String>);

impl Password {
    /// Refuses an empty or overlong password (`password`: `required` / `too_long`).
    pub fn new(raw: impl Into<String>) -> Result<Password> {
        let raw = Zeroizing::new(raw.into());
        if raw.is_empty() {
            return Err(Error::invalid("password", "required"));
        }
        if raw.chars().count() > MAX_PASSWORD_CHARS {
            return Err(Error::invalid("password", "too_long"));
        }
        Ok(Password(raw))
    }

    fn bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(…)")
    }
}

/// A derived key with its salt, as SQLCipher takes it: `x'<64 hex key><32 hex salt>'`.
#[derive(Clone, PartialEq, Eq)]
pub struct Key {
    spec: Zeroizing<String>,
    salt: [u8; SALT_LEN],
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Key(…)")
    }
}

impl Key {
    /// Argon2id of `password` with `salt`. Takes a good fraction of a second on purpose; call
    /// it off the async threads (see [`Key::derive_blocking`]).
    pub fn derive(password: &Password, salt: [u8; SALT_LEN]) -> Result<Key> {
        let params = argon2::Params::new(M_COST_KIB, T_COST, P_COST, Some(KEY_LEN))
            .expect("valid Argon2 parameters");
        let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
        let mut key = Zeroizing::new([0u8; KEY_LEN]);
        argon
            .hash_password_into(password.bytes(), &salt, &mut key[..])
            .map_err(|e| Error::Io(std::io::Error::other(format!("key derivation failed: {e}"))))?;
        let mut spec = Zeroizing::new(String::with_capacity(3 + 2 * (KEY_LEN + SALT_LEN)));
        spec.push_str("x'");
        // Digit by digit, so no copy of the key is left in memory that is not wiped.
        const HEX: &[u8; 16] = b"0123456789abcdef";
        for b in key.iter().chain(salt.iter()) {
            spec.push(char::from(HEX[usize::from(b >> 4)]));
            spec.push(char::from(HEX[usize::from(b & 0x0f)]));
        }
        spec.push('\'');
        Ok(Key { spec, salt })
    }

    /// [`Key::derive`] on tokio's blocking pool.
    pub async fn derive_blocking(password: &Password, salt: [u8; SALT_LEN]) -> Result<Key> {
        let password = password.clone();
        tokio::task::spawn_blocking(move || Key::derive(&password, salt))
            .await
            .map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?
    }

    /// A key with a new random salt, for a file about to be written encrypted.
    pub async fn fresh(password: &Password) -> Result<Key> {
        let mut salt = [0u8; SALT_LEN];
        getrandom::fill(&mut salt).map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?;
        Key::derive_blocking(password, salt).await
    }

    /// The key `password` gives for the encrypted file at `path` (its salt read from it).
    /// `NOT_A_DATABASE` when the file is not an encrypted ledger.
    pub async fn for_file(path: &Path, password: &Password) -> Result<Key> {
        match probe(path)? {
            Probe::Encrypted(salt) => Key::derive_blocking(password, salt).await,
            _ => Err(Error::NotADatabase(display(path))),
        }
    }

    /// The salt this key was derived with, which a file encrypted with it starts with.
    pub fn salt(&self) -> [u8; SALT_LEN] {
        self.salt
    }

    /// `x'…'`, the form `ATTACH … KEY ?` takes.
    pub(crate) fn spec(&self) -> &str {
        &self.spec
    }

    /// The value of `PRAGMA key = …`: the spec as a quoted identifier-string.
    pub(crate) fn pragma_value(&self) -> String {
        format!("\"{}\"", self.spec.as_str())
    }
}

/// What the first bytes of a file say about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Probe {
    /// No file, or an empty one: a ledger would be created.
    New,
    /// A plain SQLite database.
    Plain,
    /// Looks like an SQLCipher file; its salt.
    Encrypted([u8; SALT_LEN]),
    /// Neither: damaged, or not a database at all.
    Unknown,
}

pub fn probe(path: &Path) -> Result<Probe> {
    let mut file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Probe::New),
        Err(e) => return Err(e.into()),
    };
    let mut page = Vec::with_capacity(PAGE);
    file.by_ref().take(PAGE as u64).read_to_end(&mut page)?;
    Ok(probe_bytes(&page))
}

/// [`probe`] on the first page of a file.
pub fn probe_bytes(page: &[u8]) -> Probe {
    if page.is_empty() {
        return Probe::New;
    }
    if page.starts_with(SQLITE_HEADER) {
        return Probe::Plain;
    }
    if page.len() >= PAGE && looks_random(&page[..PAGE]) {
        let mut salt = [0u8; SALT_LEN];
        salt.copy_from_slice(&page[..SALT_LEN]);
        return Probe::Encrypted(salt);
    }
    Probe::Unknown
}

/// A chi-square test of the byte counts against a uniform spread. SQLCipher's first page is
/// salt, AES ciphertext, IV and HMAC: uniform. For 4096 bytes in 256 bins χ² has 255 degrees
/// of freedom (mean 255, standard deviation ≈ 22.6); six deviations either side lets through
/// every real encrypted page but a one-in-a-billion and refuses text, zeros and patterns.
fn looks_random(page: &[u8]) -> bool {
    let mut counts = [0u32; 256];
    for &b in page {
        counts[b as usize] += 1;
    }
    let expected = page.len() as f64 / 256.0;
    let chi2: f64 = counts
        .iter()
        .map(|&c| {
            let d = f64::from(c) - expected;
            d * d / expected
        })
        .sum();
    (119.0..=391.0).contains(&chi2)
}

/// Whether the ledger (or backup) at `path` is encrypted; asks for no password.
pub fn is_encrypted(path: &Path) -> Result<bool> {
    Ok(matches!(probe(path)?, Probe::Encrypted(_)))
}

/// What `yiben encryption status` and the desktop's settings show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct EncryptionStatus {
    pub path: String,
    pub encrypted: bool,
    /// How the key is derived from the password, when encrypted.
    pub kdf: Option<String>,
    /// SQLCipher's cipher, when encrypted.
    pub cipher: Option<String>,
    /// Backups in the backups folder that are not encrypted while the ledger is (turning
    /// encryption on encrypts them; one it could not rewrite stays plain): anyone can read them.
    pub plain_backups: u32,
}

/// Tells, without the password, whether the ledger at `path` is encrypted.
pub fn status(path: &Path) -> Result<EncryptionStatus> {
    let encrypted = is_encrypted(path)?;
    let mut plain_backups = 0;
    if encrypted {
        for b in crate::backup::list(&crate::backup::dir_for(path))? {
            if !is_encrypted(Path::new(&b.path))? {
                plain_backups += 1;
            }
        }
    }
    Ok(EncryptionStatus {
        path: path.to_string_lossy().into_owned(),
        encrypted,
        kdf: encrypted.then(|| KDF.to_owned()),
        cipher: encrypted.then(|| "sqlcipher-4 aes-256-cbc hmac-sha512".to_owned()),
        plain_backups,
    })
}

/// The key to open the file at `path` with, if any. An encrypted file without a password is
/// `PASSWORD_REQUIRED` (never mistaken for damage); a new file with a password is created
/// encrypted; a plain file opens plain whatever the password.
pub(crate) async fn key_for_open(path: &Path, password: Option<&Password>) -> Result<Option<Key>> {
    match (probe(path)?, password) {
        (Probe::Encrypted(salt), Some(password)) => Ok(Some(Key::derive_blocking(password, salt).await?)),
        (Probe::Encrypted(_), None) => Err(Error::PasswordRequired),
        (Probe::New, Some(password)) => Ok(Some(Key::fresh(password).await?)),
        (Probe::New | Probe::Plain | Probe::Unknown, _) => Ok(None),
    }
}

/// SQLite's SQLITE_NOTADB, which SQLCipher answers when a page does not decrypt.
const NOT_A_DATABASE: i32 = 26;

pub(crate) fn is_not_a_database(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::Database(db) => db
            .code()
            .and_then(|c| c.parse::<i32>().ok())
            .is_some_and(|code| code & 0xff == NOT_A_DATABASE),
        _ => false,
    }
}

/// Reads the schema with `key` on a fresh connection: a key that does not decrypt the first
/// page is `WRONG_PASSWORD`. The page could also be damaged, but the two cannot be told
/// apart without the key, and a wrong password must never set the ledger aside as damaged.
/// A ledger is checked read-write, since after a crash the first reader must recover its WAL
/// (a read-only connection cannot); a backup being verified only ever read-only.
pub(crate) async fn check_key(path: &Path, key: &Key, read_only: bool) -> Result<()> {
    use sqlx::{ConnectOptions, Connection};
    let wrong = |e: sqlx::Error| {
        if is_not_a_database(&e) {
            Error::WrongPassword
        } else {
            Error::from(e)
        }
    };
    let mut conn = crate::db::options(path, Some(key))
        .read_only(read_only)
        .connect()
        .await
        .map_err(wrong)?;
    let read = sqlx::query_scalar::<_, i64>("SELECT count(*) FROM sqlite_schema")
        .fetch_one(&mut conn)
        .await
        .map_err(wrong);
    let _ = conn.close().await;
    read.map(|_| ())
}

fn display(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}
