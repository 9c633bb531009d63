//! Files the user asked for (exports, reports, templates) appear whole or not at all.
//!
//! A workbook is written beside its target under a temporary name and renamed over it only
//! once complete: a full disk or a crash half-way leaves neither a truncated workbook that
//! Excel refuses to open nor a damaged copy of the previous export.

use std::path::{Path, PathBuf};

use rust_xlsxwriter::Workbook;

use crate::{Error, Result};

/// Saves `book` to `path`, replacing an existing file only when the new one is complete.
pub(crate) fn save_xlsx(book: &mut Workbook, path: &Path, to_error: fn(rust_xlsxwriter::XlsxError) -> Error) -> Result<()> {
    if !is_plain_target(path) {
        // A device or pipe (a user piping an export somewhere) cannot be renamed over.
        return book.save(path).map_err(to_error);
    }
    let part = part_path(path);
    let written = book.save(&part).map_err(to_error).and_then(|()| {
        std::fs::File::open(&part)?.sync_all()?;
        std::fs::rename(&part, path)?;
        Ok(())
    });
    if written.is_err() {
        // Best effort: the error that matters is the one that stopped the save.
        let _ = std::fs::remove_file(&part);
    }
    written
}

/// Not a device or pipe: a regular file, a folder (which the rename then refuses), or nothing yet.
fn is_plain_target(path: &Path) -> bool {
    match std::fs::metadata(path) {
        Ok(meta) => meta.is_file() || meta.is_dir(),
        Err(_) => true,
    }
}

fn part_path(path: &Path) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    path.with_file_name(format!(".{name}.{}.part", std::process::id()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book(text: &str) -> Workbook {
        let mut book = Workbook::new();
        book.add_worksheet().write_string(0, 0, text).unwrap();
        book
    }

    fn xlsx(err: rust_xlsxwriter::XlsxError) -> Error {
        Error::from_file_writer(&err)
    }

    #[test]
    fn a_saved_workbook_replaces_the_old_one_and_leaves_no_part_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("客户.xlsx");
        std::fs::write(&path, b"old").unwrap();
        save_xlsx(&mut book("新"), &path, xlsx).unwrap();
        assert!(std::fs::read(&path).unwrap().starts_with(b"PK"), "a zip, not the old bytes");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("客户.xlsx")]);
    }

    #[test]
    fn a_failed_save_keeps_the_previous_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("报表.xlsx");
        std::fs::write(&path, b"previous export").unwrap();
        // A folder squatting on the temporary name makes the write fail half-way.
        std::fs::create_dir(part_path(&path)).unwrap();
        assert!(save_xlsx(&mut book("新"), &path, xlsx).is_err());
        assert_eq!(std::fs::read(&path).unwrap(), b"previous export");
    }

    #[test]
    fn a_workbook_that_cannot_be_put_in_place_leaves_no_part_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("导出");
        std::fs::create_dir(&path).unwrap();
        std::fs::write(path.join("其他.txt"), b"x").unwrap();
        assert!(save_xlsx(&mut book("新"), &path, xlsx).is_err());
        let mut names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        names.sort();
        assert_eq!(names, vec![std::ffi::OsString::from("导出")], "the part file is removed");
        assert_eq!(std::fs::read(path.join("其他.txt")).unwrap(), b"x");
    }
}
