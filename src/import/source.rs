//! Which reader a file needs. The extension says whether we accept the file; its first
//! bytes say what it really is. Files travel renamed (an .xlsx saved as .xls, a CSV called
//! .xls by a web export), and a user cannot tell why "the Excel file" will not open.

use std::io::Read;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use calamine::{Ods, OdsError, Sheets, Xls, XlsError, Xlsb, Xlsx, XlsxError};

use super::cell::Cell;
use super::decode::decode_text;
use super::delimited::read_delimited;
use super::ImportError;

pub(super) type Book = Sheets<std::io::BufReader<std::fs::File>>;

/// What a file holds: rows of delimited text (already parsed), or a workbook to pick a sheet from.
pub(super) enum Source {
    Text(Vec<Vec<Cell>>),
    Book(Box<Book>),
}

/// Rejects extensions we do not import, then opens by content.
pub(super) fn open(path: &Path) -> Result<Source, ImportError> {
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
    if !matches!(extension.as_str(), "xlsx" | "xlsm" | "xlsb" | "xls" | "ods" | "csv" | "tsv" | "txt") {
        return Err(ImportError::UnsupportedFormat(extension));
    }
    let mut magic = Vec::with_capacity(4);
    std::fs::File::open(path)?.take(4).read_to_end(&mut magic)?;
    match magic.as_slice() {
        b"PK\x03\x04" => {
            // A zip is xlsx, xlsb or ods whatever its name; try the one the name suggests first.
            let order: [Opener; 3] = match extension.as_str() {
                "ods" => [open_ods, open_xlsx, open_xlsb],
                "xlsb" => [open_xlsb, open_xlsx, open_ods],
                _ => [open_xlsx, open_xlsb, open_ods],
            };
            first_that_opens(path, &order)
        }
        // An OLE compound file: a real .xls, or an encrypted xlsx (Excel's password protection).
        b"\xD0\xCF\x11\xE0" => first_that_opens(path, &[open_xls, open_xlsx]),
        [] => Err(ImportError::Empty),
        _ => {
            let decoded = decode_text(&std::fs::read(path)?);
            if matches!(extension.as_str(), "csv" | "tsv" | "txt") {
                return Ok(Source::Text(read_delimited(&decoded?.0)));
            }
            // "Excel" exports from web systems are often plain text or HTML with an .xls name.
            match decoded {
                Ok((text, _)) if text.trim_start().starts_with('<') => {
                    Err(ImportError::UnsupportedFormat("html".into()))
                }
                Ok((text, _)) => Ok(Source::Text(read_delimited(&text))),
                Err(ImportError::Empty) => Err(ImportError::Empty),
                Err(_) => Err(ImportError::Unreadable("not a spreadsheet".into())),
            }
        }
    }
}

type Opener = fn(&Path) -> Result<Book, ImportError>;

fn open_xlsx(path: &Path) -> Result<Book, ImportError> {
    calamine::open_workbook::<Xlsx<_>, _>(path).map(Sheets::Xlsx).map_err(|e| match e {
        XlsxError::Password => ImportError::PasswordProtected,
        e => ImportError::Unreadable(e.to_string()),
    })
}

fn open_xlsb(path: &Path) -> Result<Book, ImportError> {
    calamine::open_workbook::<Xlsb<_>, _>(path).map(Sheets::Xlsb).map_err(|e| ImportError::Unreadable(e.to_string()))
}

fn open_xls(path: &Path) -> Result<Book, ImportError> {
    calamine::open_workbook::<Xls<_>, _>(path).map(Sheets::Xls).map_err(|e| match e {
        XlsError::Password => ImportError::PasswordProtected,
        e => ImportError::Unreadable(e.to_string()),
    })
}

fn open_ods(path: &Path) -> Result<Book, ImportError> {
    calamine::open_workbook::<Ods<_>, _>(path).map(Sheets::Ods).map_err(|e| match e {
        OdsError::Password => ImportError::PasswordProtected,
        e => ImportError::Unreadable(e.to_string()),
    })
}

/// The first reader that opens the file; otherwise the most telling error (a password beats
/// "not a zip"), else the first reader's, which matches the extension.
fn first_that_opens(path: &Path, openers: &[Opener]) -> Result<Source, ImportError> {
    let mut first_error = None;
    for opener in openers {
        match guarded(|| opener(path)) {
            Ok(book) => return Ok(Source::Book(Box::new(book))),
            Err(ImportError::PasswordProtected) => return Err(ImportError::PasswordProtected),
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    Err(first_error.unwrap_or_else(|| ImportError::Unreadable("not a spreadsheet".into())))
}

/// calamine has panicked on malformed files before; a bad file must be an error, not a crash.
pub(super) fn guarded<T>(read: impl FnOnce() -> Result<T, ImportError>) -> Result<T, ImportError> {
    catch_unwind(AssertUnwindSafe(read)).unwrap_or_else(|_| Err(ImportError::Unreadable("malformed workbook".into())))
}
