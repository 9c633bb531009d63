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
    /// SQLite's busy timeout ran out while another program (or connection) held the lock.
    #[error("the database is busy or locked by another program; try again")]
    Busy,
    /// No room left on the disk (SQLITE_FULL, ENOSPC, a quota); what was being written was
    /// rolled back or removed.
    #[error("the disk is full; nothing was saved: {0}")]
    DiskFull(String),
    /// The ledger, its folder or the chosen target cannot be written (SQLITE_READONLY,
    /// a read-only file system).
    #[error("cannot write, the database or the place is read-only: {0}")]
    ReadOnly(String),
    /// The ledger's file is no longer at its path (its folder was deleted or moved while the
    /// ledger was open); writes are refused so none vanishes with the unlinked file.
    #[error("the data folder was deleted or moved while the ledger was open; nothing more is saved until the ledger is written back")]
    DataFolderGone,
    #[error("database error: {0}")]
    Database(#[source] sqlx::Error),
    #[error("cannot upgrade the database: {0}")]
    Migration(#[source] sqlx::migrate::MigrateError),
    #[error("file error: {0}")]
    Io(#[source] std::io::Error),
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
    /// The ledger holds a migration this version does not know: a newer Yiben has used it.
    #[error("the ledger has been used by a newer version of Yiben ({0}); install that version to open it")]
    LedgerTooNew(String),
    /// The ledger (or a backup) is encrypted and the password given does not open it.
    #[error("wrong password")]
    WrongPassword,
    /// The ledger (or a backup) is encrypted and no password was given.
    #[error("the ledger is encrypted; a password is needed to open it")]
    PasswordRequired,
    /// Too many wrong passwords in a row: the next try must wait (see
    /// `encryption::backoff`); `fields.waitSecs` says how long.
    #[error("too many wrong passwords; try again in {wait_secs} s")]
    TooManyTries { wait_secs: u64 },
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
    DiskFull,
    ReadOnly,
    DataFolderGone,
    Database,
    Migration,
    Io,
    Import,
    Cancelled,
    NotADatabase,
    BackupCorrupt,
    BackupTooNew,
    LedgerTooNew,
    WrongPassword,
    PasswordRequired,
    TooManyTries,
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
            Error::DiskFull(_) => ErrorCode::DiskFull,
            Error::ReadOnly(_) => ErrorCode::ReadOnly,
            Error::DataFolderGone => ErrorCode::DataFolderGone,
            Error::Database(_) => ErrorCode::Database,
            Error::Migration(_) => ErrorCode::Migration,
            // Some writers build `Error::Io` themselves (the spreadsheet exports), so the
            // kind is looked at here too, not only in `From<io::Error>`.
            Error::Io(e) => match io_fault(e) {
                Some(Fault::DiskFull) => ErrorCode::DiskFull,
                Some(Fault::ReadOnly) => ErrorCode::ReadOnly,
                _ => ErrorCode::Io,
            },
            Error::Import(_) => ErrorCode::Import,
            Error::Cancelled => ErrorCode::Cancelled,
            Error::NotADatabase(_) => ErrorCode::NotADatabase,
            Error::BackupCorrupt(_) => ErrorCode::BackupCorrupt,
            Error::BackupTooNew => ErrorCode::BackupTooNew,
            Error::LedgerTooNew(_) => ErrorCode::LedgerTooNew,
            Error::WrongPassword => ErrorCode::WrongPassword,
            Error::PasswordRequired => ErrorCode::PasswordRequired,
            Error::TooManyTries { .. } => ErrorCode::TooManyTries,
        }
    }

    pub fn fields(&self) -> FieldErrors {
        match self {
            Error::Validation(f) | Error::Conflict(f) => f.clone(),
            Error::Import(e) => FieldErrors::from([("file".to_owned(), e.code().to_owned())]),
            Error::TooManyTries { wait_secs } => FieldErrors::from([("waitSecs".to_owned(), wait_secs.to_string())]),
            _ => FieldErrors::new(),
        }
    }

    pub fn body(&self) -> ErrorBody {
        ErrorBody { code: self.code(), message: self.to_string(), fields: self.fields() }
    }

    /// An error of a library that writes a file (the spreadsheet writer), classified by the
    /// first `io::Error` among its causes: a full disk is `DISK_FULL` there too.
    pub fn from_file_writer(err: &(dyn std::error::Error + 'static)) -> Self {
        let mut cause = Some(err);
        while let Some(e) = cause {
            if let Some(io) = e.downcast_ref::<std::io::Error>() {
                if io_fault(io).is_some() {
                    return Error::from(std::io::Error::new(io.kind(), err.to_string()));
                }
            }
            cause = e.source();
        }
        Error::Io(std::io::Error::other(err.to_string()))
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
            if let Some(fault) = db.code().and_then(|c| c.parse::<i32>().ok()).and_then(sqlite_fault) {
                return match fault {
                    Fault::Busy => Error::Busy,
                    Fault::DiskFull => Error::DiskFull(db.message().to_owned()),
                    Fault::ReadOnly => Error::ReadOnly(db.message().to_owned()),
                    Fault::LedgerGone => Error::DataFolderGone,
                };
            }
        }
        if let sqlx::Error::Io(io) = &err {
            // A new connection refused because another file has taken the ledger's path.
            if io.get_ref().is_some_and(|inner| inner.is::<crate::ledger_file::LedgerGone>()) {
                return Error::DataFolderGone;
            }
        }
        Error::Database(err)
    }
}

impl From<std::io::Error> for Error {
    fn from(err: std::io::Error) -> Self {
        match io_fault(&err) {
            Some(Fault::DiskFull) => Error::DiskFull(err.to_string()),
            Some(Fault::ReadOnly) => Error::ReadOnly(err.to_string()),
            _ => Error::Io(err),
        }
    }
}

impl From<sqlx::migrate::MigrateError> for Error {
    fn from(err: sqlx::migrate::MigrateError) -> Self {
        // A migration that cannot write says why as any other write would; a damaged file
        // stays a migration error (start-up recovery looks for it there).
        match err {
            sqlx::migrate::MigrateError::Execute(inner) if sqlx_fault(&inner).is_some() => Error::from(inner),
            sqlx::migrate::MigrateError::VersionMissing(version) => Error::LedgerTooNew(format!("migration {version}")),
            other => Error::Migration(other),
        }
    }
}

fn sqlx_fault(err: &sqlx::Error) -> Option<Fault> {
    match err {
        sqlx::Error::Database(db) => db.code().and_then(|c| c.parse::<i32>().ok()).and_then(sqlite_fault),
        _ => None,
    }
}

/// The faults of the machine (rather than of the input) that get their own code.
enum Fault {
    Busy,
    DiskFull,
    ReadOnly,
    LedgerGone,
}

// SQLite result codes: the primary code is the low byte of the extended one.
const SQLITE_BUSY: i32 = 5;
const SQLITE_LOCKED: i32 = 6;
const SQLITE_READONLY: i32 = 8;
const SQLITE_FULL: i32 = 13;
/// The ledger's commit hook refused the commit (see `ledger_file`).
const SQLITE_CONSTRAINT_COMMITHOOK: i32 = 531;
/// SQLite noticed itself that the file was unlinked or renamed (rollback-journal mode).
const SQLITE_READONLY_DBMOVED: i32 = 1032;

fn sqlite_fault(extended: i32) -> Option<Fault> {
    match extended {
        SQLITE_CONSTRAINT_COMMITHOOK | SQLITE_READONLY_DBMOVED => Some(Fault::LedgerGone),
        _ => match extended & 0xff {
            SQLITE_BUSY | SQLITE_LOCKED => Some(Fault::Busy),
            SQLITE_FULL => Some(Fault::DiskFull),
            SQLITE_READONLY => Some(Fault::ReadOnly),
            _ => None,
        },
    }
}

fn io_fault(err: &std::io::Error) -> Option<Fault> {
    use std::io::ErrorKind;
    match err.kind() {
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded => Some(Fault::DiskFull),
        ErrorKind::ReadOnlyFilesystem => Some(Fault::ReadOnly),
        _ => None,
    }
}
