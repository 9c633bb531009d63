//! Reading the spreadsheets users bring: .xlsx/.xlsm/.xlsb/.xls/.ods through calamine,
//! .csv/.tsv/.txt in whatever encoding Excel wrote them. Pure: files in, [`Cell`] grids out, no database.
//!
//! The pipeline is [`workbook::read_sheet`] → [`header::detect_header`] → [`mapping::suggest`]
//! → the [`parse`] functions per cell. Each step is usable and testable on its own.

mod aliases;
pub mod cell;
pub mod decode;
pub mod delimited;
pub mod header;
pub mod job;
pub mod mapping;
pub mod parse;
pub mod rows;
mod source;
pub mod workbook;

#[cfg(test)]
mod fixture_tests;

pub use cell::Cell;
pub use decode::{decode_text, TextEncoding};
pub use delimited::read_delimited;
pub use header::{detect_header, header_names};
pub use mapping::{suggest, Target};
pub use workbook::{read_sheet, sheet_names, Grid};

/// Why a file could not be read at all. Problems with single cells are field codes instead
/// (see [`parse`]), so one bad cell never blocks a whole import.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("the file is empty")]
    Empty,
    #[error("the text encoding is not UTF-8, UTF-16 or GB18030")]
    UnknownEncoding,
    #[error("the workbook is password protected")]
    PasswordProtected,
    #[error("the file cannot be read: {0}")]
    Unreadable(String),
    #[error("unsupported file type: {0}")]
    UnsupportedFormat(String),
    /// For callers: [`detect_header`] answers `None` and the wizard decides whether that is fatal.
    #[error("no header row found")]
    NoHeader,
    #[error("sheet {0} does not exist")]
    SheetNotFound(String),
    #[error("file error: {0}")]
    Io(#[from] std::io::Error),
}

impl ImportError {
    /// Stable machine codes; the UI translates by these, never by the message.
    pub fn code(&self) -> &'static str {
        match self {
            ImportError::Empty => "import_empty",
            ImportError::UnknownEncoding => "import_unknown_encoding",
            ImportError::PasswordProtected => "import_password_protected",
            ImportError::Unreadable(_) => "import_unreadable",
            ImportError::UnsupportedFormat(_) => "import_unsupported_format",
            ImportError::NoHeader => "import_no_header",
            ImportError::SheetNotFound(_) => "import_sheet_not_found",
            ImportError::Io(_) => "import_io",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_has_a_distinct_prefixed_code() {
        let all = [
            ImportError::Empty,
            ImportError::UnknownEncoding,
            ImportError::PasswordProtected,
            ImportError::Unreadable("x".into()),
            ImportError::UnsupportedFormat("pdf".into()),
            ImportError::NoHeader,
            ImportError::SheetNotFound("Sheet9".into()),
            ImportError::Io(std::io::Error::other("disk")),
        ];
        let codes: std::collections::BTreeSet<_> = all.iter().map(ImportError::code).collect();
        assert_eq!(codes.len(), all.len());
        assert!(codes.iter().all(|c| c.starts_with("import_")), "{codes:?}");
        assert_eq!(ImportError::Unreadable("zip".into()).to_string(), "the file cannot be read: zip");
    }
}
