//! The rejected rows of an import (导入失败的行), as a sheet the user fixes and imports again:
//! the original columns untouched, with where each row came from and why it failed.

use std::path::Path;

use rust_xlsxwriter::{ColNum, RowNum, Workbook};

use super::cells::{self, display_width, xlsx, Formats};
use crate::Result;

const SHEET: &str = "导入失败的行";
const ROW_HEADER: &str = "原行号";
const REASON_HEADER: &str = "失败原因";

/// `rows` are (the row number the user sees in Excel, the row's original cells as text, the
/// reason in words). Cells are written as text whatever they look like, so a phone the
/// import read from a number cell comes back as `13912345678`, never `1.39E+10`.
pub fn write_rejected(path: &Path, headers: &[String], rows: &[(u32, Vec<String>, String)]) -> Result<()> {
    cells::check_writable(path)?;
    let width = rows.iter().map(|(_, cells, _)| cells.len()).fold(headers.len(), usize::max);
    let reason_col = (width + 1) as ColNum;
    let f = Formats::new();
    let mut book = Workbook::new();
    let ws = book.add_worksheet_with_constant_memory().map_err(xlsx)?;
    ws.set_name(SHEET).map_err(xlsx)?;

    // A constant-memory sheet takes widths before the first row; the rows are all here.
    let mut widths = vec![display_width(ROW_HEADER); width + 2];
    for (i, header) in headers.iter().enumerate() {
        widths[i + 1] = display_width(header);
    }
    widths[width + 1] = display_width(REASON_HEADER);
    for (_, cells, reason) in rows {
        for (i, cell) in cells.iter().enumerate() {
            widths[i + 1] = widths[i + 1].max(display_width(cell));
        }
        widths[width + 1] = widths[width + 1].max(display_width(reason));
    }
    for (col, w) in widths.iter().enumerate() {
        ws.set_column_width(col as ColNum, (w + 2.0).clamp(8.0, 60.0)).map_err(xlsx)?;
    }

    cells::styled_text(ws, 0, 0, ROW_HEADER, &f.header)?;
    for i in 0..width {
        match headers.get(i).filter(|h| !h.is_empty()) {
            Some(header) => cells::styled_text(ws, 0, i as ColNum + 1, header, &f.header)?,
            // Cells beyond the file's header still get the header style, so the row reads as one.
            None => drop(ws.write_blank(0, i as ColNum + 1, &f.header).map_err(xlsx)?),
        }
    }
    cells::styled_text(ws, 0, reason_col, REASON_HEADER, &f.header)?;
    ws.set_freeze_panes(1, 0).map_err(xlsx)?;

    for (i, (line, values, reason)) in rows.iter().enumerate() {
        let row = i as RowNum + 1;
        cells::number(ws, row, 0, f64::from(*line))?;
        for (j, value) in values.iter().enumerate() {
            cells::text(ws, row, j as ColNum + 1, value, &f)?;
        }
        let format = if cells::is_formula_like(reason) { &f.reason_quoted } else { &f.reason };
        cells::styled_text(ws, row, reason_col, reason, format)?;
    }
    ws.autofilter(0, 0, rows.len() as RowNum, reason_col).map_err(xlsx)?;
    crate::saved_file::save_xlsx(&mut book, path, xlsx)?;
    Ok(())
}
