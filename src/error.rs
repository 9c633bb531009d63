//! One error type for the whole core. It crosses IPC and the CLI as `{code, message, fields}`:
//! the UI translates by `code` (and by each field's code), never by matching `message`.

use std::collections::BTreeMap;

use serde::Serialize;
use ts_rs::TS;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Field name → machine code of what is wrong with it, e.g. `{"phone": "phone_invalid"}`.
pub type FieldErrors = BTreeMap<String, String>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("invalid input: {}", describe(.0))]
    Validation(FieldErrors),
    #[error("{entity} {id} does not exist")]
    NotFound { entity: &'static str, id: String },
    #[error("already exists: {}", describe(.0))]
    Conflict(FieldErrors),
    #[error("the database is busy or locked by another program; try again")]
    Busy,
    #[error("database error: {0}")]
    Database(#[source] sqlx::Error),
    #[error("cannot upgrade the database: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("file error: {0}")]
    Io(#[from] std::io::Error),
    /// A file that cannot be imported at all; `fields.file` carries the precise code.
    #[error("{0}")]
    Import(#[from] crate::import::ImportError),
    #[error("cancelled; nothing was changed")]
    Cancelled,
    /// The file chosen for a restore is not a SQLite database, or not a Yiben ledger.
    #[error("{0} is not a Yiben database")]
    NotADatabase(String),
    /// The file chosen for a restore fails SQLite's integrity or foreign-key check.
    #[error("the backup is damaged: {0}")]
    BackupCorrupt(String),
    #[error("the backup was made by a newer version of Yiben; update the app first")]
    BackupTooNew,
    /// The ledger (or a backup) is encrypted and the password given does not open it.
    #[error("wrong password")]
    WrongPassword,
    /// The ledger (or a backup) is encrypted and no password was given.
    #[error("the ledger is encrypted; a password is needed to open it")]
    PasswordRequired,
}

fn describe(fields: &FieldErrors) -> String {
    fields.iter().map(|(field, code)| format!("{field}: {code}")).collect::<Vec<_>>().join(", ")
}

/// The stable machine codes. Renaming one is a breaking change for the UI and CLI users.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[ts(export)]
pub enum ErrorCode {
    Validation,
    NotFound,
    Conflict,
    Busy,
    Database,
    Migration,
    Io,
    Import,
    Cancelled,
    NotADatabase,
    BackupCorrupt,
    BackupTooNew,
    WrongPassword,
    PasswordRequired,
}

/// What an error looks like on the wire.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ErrorBody {
    pub code: ErrorCode,
    pub message: String,
    pub fields: BTreeMap<String, String>,
}

impl Error {
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Validation(_) => ErrorCode::Validation,
            Error::NotFound { .. } => ErrorCode::NotFound,
            Error::Conflict(_) => ErrorCode::Conflict,
            Error::Busy => ErrorCode::Busy,
            Error::Database(_) => ErrorCode::Database,
            Error::Migration(_) => ErrorCode::Migration,
            Error::Io(_) => ErrorCode::Io,
            Error::Import(_) => ErrorCode::Import,
            Error::Cancelled => ErrorCode::Cancelled,
            Error::NotADatabase(_) => ErrorCode::NotADatabase,
            Error::BackupCorrupt(_) => ErrorCode::BackupCorrupt,
            Error::BackupTooNew => ErrorCode::BackupTooNew,
            Error::WrongPassword => ErrorCode::WrongPassword,
            Error::PasswordRequired => ErrorCode::PasswordRequired,
        }
    }

    pub fn fields(&self) -> FieldErrors {
        match self {
            Error::Validation(f) | Error::Conflict(f) => f.clone(),
            Error::Import(e) => FieldErrors::from([("file".to_owned(), e.code().to_owned())]),
            _ => FieldErrors::new(),
        }
    }

    pub fn body(&self) -> ErrorBody {
        ErrorBody { code: self.code(), message: self.to_string(), fields: self.fields() }
    }

    pub fn invalid(field: &str, code: &str) -> Self {
        Error::Validation(FieldErrors::from([(field.to_owned(), code.to_owned())]))
    }
}

impl Serialize for Error {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        self.body().serialize(serializer)
    }
}

impl From<sqlx::Error> for Error {
    fn from(err: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &err {
            // A unique constraint is a user-facing conflict on a field, not a crash:
            // SQLite words it "UNIQUE constraint failed: customers.uid".
            if db.is_unique_violation() {
                let fields = db
                    .message()
                    .rsplit(": ")
                    .next()
                    .unwrap_or_default()
                    .split(", ")
                    .filter_map(|col| col.split('.').nth(1))
                    .map(|field| (field.to_owned(), "taken".to_owned()))
                    .collect::<FieldErrors>();
                return Error::Conflict(fields);
            }
            // SQLITE_BUSY (5) and SQLITE_LOCKED (6), with extended codes in the low byte.
            if let Some(code) = db.code().and_then(|c| c.parse::<i32>().ok()) {
                if matches!(code & 0xff, 5 | 6) {
                    return Error::Busy;
                }
            }
        }
        Error::Database(err)
    }
}
