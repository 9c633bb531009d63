//! Writing one cell the safe way: user text only ever through `write_string`, dates as real
//! Excel dates, money in yuan. Shared by the customer export, the template and the rejects.

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use rust_xlsxwriter::{ColNum, Color, ExcelDateTime, Format, FormatBorder, RowNum, Worksheet, XlsxError};

use crate::{Error, Result};

/// Excel refuses longer cells; a 2000-character note is far below, but imported notes are not.
const MAX_CELL_UTF16: usize = 32_767;

pub(super) const DATE_FORMAT: &str = "yyyy-mm-dd";
pub(super) const DATETIME_FORMAT: &str = "yyyy-mm-dd hh:mm";
pub(super) const MONEY_FORMAT: &str = "#,##0.00";

/// The formats a sheet uses, built once so every cell shares the same few styles.
pub(super) struct Formats {
    pub header: Format,
    /// `@`: what a user later types into the cell stays text too (a phone stays a phone).
    pub text: Format,
    /// Text that Excel would read as a formula if the cell were edited; see [`is_formula_like`].
    pub quoted: Format,
    pub date: Format,
    pub datetime: Format,
    pub money: Format,
    pub reason: Format,
    pub reason_quoted: Format,
}

impl Formats {
    pub fn new() -> Formats {
        let text = Format::new().set_num_format("@");
        let reason = text.clone().set_font_color(Color::RGB(0xC0_00_00));
        Formats {
            header: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0xE8_EE_F7))
                .set_border_bottom(FormatBorder::Thin),
            quoted: text.clone().set_quote_prefix(),
            reason_quoted: reason.clone().set_quote_prefix(),
            text,
            reason,
            date: Format::new().set_num_format(DATE_FORMAT),
            datetime: Format::new().set_num_format(DATETIME_FORMAT),
            money: Format::new().set_num_format(MONEY_FORMAT),
        }
    }
}

/// Whether a text would turn into a formula (or a DDE payload) when a user edits the cell or
/// the sheet is saved as CSV: the OWASP list `= + - @`, tab and carriage return. Such text is
/// still written verbatim as a string (never a formula: `write_string` cannot make one), and
/// additionally gets Excel's quote prefix, the invisible `'` a user would type. We do not
/// prepend a visible `'` as OWASP suggests for CSV: it would change the value, and a
/// re-import would store `'-已流失` instead of `-已流失`.
pub(super) fn is_formula_like(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// Writes user text as a string cell; nothing for empty text.
pub(super) fn text(sheet: &mut Worksheet, row: RowNum, col: ColNum, value: &str, f: &Formats) -> Result<()> {
    let format = if is_formula_like(value) { &f.quoted } else { &f.text };
    styled_text(sheet, row, col, value, format)
}

/// Like [`text`] in a column whose own format is already text (`@`): an ordinary cell takes
/// the column's format, which spares rust_xlsxwriter a format lookup per cell (a tenth of a
/// large export's time); formula-like text still gets the quote prefix.
pub(super) fn text_in_text_column(sheet: &mut Worksheet, row: RowNum, col: ColNum, value: &str, f: &Formats) -> Result<()> {
    if value.is_empty() {
        return Ok(());
    }
    if is_formula_like(value) {
        sheet.write_string_with_format(row, col, clip(value), &f.quoted).map_err(xlsx)?;
    } else {
        sheet.write_string(row, col, clip(value)).map_err(xlsx)?;
    }
    Ok(())
}

/// Like [`text`] with a chosen format. Headers come through here too, and some are the
/// user's (a custom field's label, the columns of an imported file), so formula-like text
/// gets the quote prefix whatever the format.
pub(super) fn styled_text(sheet: &mut Worksheet, row: RowNum, col: ColNum, value: &str, format: &Format) -> Result<()> {
    if value.is_empty() {
        return Ok(());
    }
    if is_formula_like(value) {
        sheet.write_string_with_format(row, col, clip(value), &format.clone().set_quote_prefix()).map_err(xlsx)?;
    } else {
        sheet.write_string_with_format(row, col, clip(value), format).map_err(xlsx)?;
    }
    Ok(())
}

/// A calendar day as an Excel date; a year Excel cannot show (before 1900) stays text.
pub(super) fn date(sheet: &mut Worksheet, row: RowNum, col: ColNum, day: NaiveDate, f: &Formats) -> Result<()> {
    match excel_date(day) {
        Some(date) => sheet.write_datetime_with_format(row, col, date, &f.date).map(drop).map_err(xlsx),
        None => text(sheet, row, col, &day.format("%Y-%m-%d").to_string(), f),
    }
}

/// A local time as an Excel date-time to the minute (seconds are kept in the value).
pub(super) fn datetime(sheet: &mut Worksheet, row: RowNum, col: ColNum, at: NaiveDateTime, f: &Formats) -> Result<()> {
    let value = excel_date(at.date()).and_then(|d| d.and_hms(at.hour() as u16, at.minute() as u8, at.second()).ok());
    match value {
        Some(value) => sheet.write_datetime_with_format(row, col, value, &f.datetime).map(drop).map_err(xlsx),
        None => text(sheet, row, col, &at.format("%Y-%m-%d %H:%M").to_string(), f),
    }
}

fn excel_date(day: NaiveDate) -> Option<ExcelDateTime> {
    let year = u16::try_from(day.year()).ok()?;
    ExcelDateTime::from_ymd(year, day.month() as u8, day.day() as u8).ok()
}

/// Fen as yuan. An f64 holds every fen exactly up to about 90 trillion yuan.
pub(super) fn money(sheet: &mut Worksheet, row: RowNum, col: ColNum, fen: i64, f: &Formats) -> Result<()> {
    sheet.write_number_with_format(row, col, fen as f64 / 100.0, &f.money).map_err(xlsx)?;
    Ok(())
}

pub(super) fn number(sheet: &mut Worksheet, row: RowNum, col: ColNum, n: f64) -> Result<()> {
    sheet.write_number(row, col, n).map_err(xlsx)?;
    Ok(())
}

fn clip(value: &str) -> &str {
    let mut units = 0;
    for (i, c) in value.char_indices() {
        units += c.len_utf16();
        if units > MAX_CELL_UTF16 {
            return &value[..i];
        }
    }
    value
}

/// Roughly how many Excel character widths a text takes: CJK and other wide characters
/// take two.
pub(super) fn display_width(text: &str) -> f64 {
    text.chars().map(|c| if c.is_ascii() { 1.0 } else { 2.0 }).sum()
}

/// rust_xlsxwriter's errors as the crate's: all of them are about the file being written.
pub(super) fn xlsx(err: XlsxError) -> Error {
    match err {
        XlsxError::IoError(io) => Error::Io(io),
        XlsxError::TempFileError(_, io) => Error::Io(io),
        other => Error::from_file_writer(&other),
    }
}

/// Fails early when the file cannot be written (missing folder, the old export still open in
/// Excel on Windows) instead of after a long export; leaves an existing file untouched.
pub(super) fn check_writable(path: &std::path::Path) -> Result<()> {
    let existed = path.exists();
    std::fs::OpenOptions::new().write(true).create(true).truncate(false).open(path)?;
    if !existed {
        std::fs::remove_file(path)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_like_text() {
        for risky in ["=1+1", "+86 139", "-已流失", "@SUM(A1)", "\tx", "\r=1"] {
            assert!(is_formula_like(risky), "{risky:?}");
        }
        for plain in ["华信科技", "13912345678", "010-12345678", " =1", "a=b", ""] {
            assert!(!is_formula_like(plain), "{plain:?}");
        }
    }

    #[test]
    fn clip_keeps_whole_characters() {
        let long = "客".repeat(MAX_CELL_UTF16 + 5);
        assert_eq!(clip(&long).chars().count(), MAX_CELL_UTF16);
        let emoji = "😀".repeat(MAX_CELL_UTF16);
        assert_eq!(clip(&emoji).encode_utf16().count(), MAX_CELL_UTF16 - 1);
        assert_eq!(clip("短"), "短");
    }

    #[test]
    fn wide_characters_count_double() {
        assert_eq!(display_width("客户名称"), 8.0);
        assert_eq!(display_width("abc"), 3.0);
    }

    #[test]
    fn io_errors_keep_their_kind() {
        let err = xlsx(XlsxError::IoError(std::io::Error::from(std::io::ErrorKind::PermissionDenied)));
        assert!(matches!(err, Error::Io(e) if e.kind() == std::io::ErrorKind::PermissionDenied));
        assert!(matches!(xlsx(XlsxError::RowColumnLimitError), Error::Io(_)));
    }
}
