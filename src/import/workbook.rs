//! Reading one sheet of the file the user picked as a grid of [`Cell`]s.

use std::path::Path;

use calamine::{Dimensions, Reader, SheetType, SheetVisible, Sheets};

use super::cell::Cell;
use super::source::{guarded, open, Book, Source};
use super::ImportError;

/// One sheet's cells. `rows[i][j]` is sheet row `first_row + i` (0-based) and column `j`
/// (0 = A), so the row a user sees in Excel is `i + first_row + 1`.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    pub rows: Vec<Vec<Cell>>,
    pub first_row: u32,
}

/// The sheets a user may pick from: visible worksheets, in workbook order (hidden sheets
/// usually hold drop-down lists). A text file is one sheet named after the file.
pub fn sheet_names(path: &Path) -> Result<Vec<String>, ImportError> {
    match open(path)? {
        Source::Text(_) => Ok(vec![text_sheet_name(path)]),
        Source::Book(book) => Ok(visible_sheets(&book)),
    }
}

/// Reads `sheet`, or the first visible one. Merged regions (xlsx, xls) repeat their value in
/// every cell they cover, so a merged header or owner cell reads the same in each row.
pub fn read_sheet(path: &Path, sheet: Option<&str>) -> Result<Grid, ImportError> {
    let mut grid = match open(path)? {
        Source::Text(rows) => match sheet {
            Some(name) if name != text_sheet_name(path) => return Err(ImportError::SheetNotFound(name.into())),
            _ => Grid { rows, first_row: 0 },
        },
        Source::Book(mut book) => {
            let name = match sheet {
                Some(name) if book.sheet_names().iter().any(|n| n == name) => name.to_owned(),
                Some(name) => return Err(ImportError::SheetNotFound(name.into())),
                None => visible_sheets(&book).into_iter().next().ok_or(ImportError::Empty)?,
            };
            guarded(|| read_book_sheet(&mut book, &name))?
        }
    };
    while grid.rows.last().is_some_and(|row| row.iter().all(Cell::is_empty)) {
        grid.rows.pop();
    }
    if grid.rows.is_empty() {
        return Err(ImportError::Empty);
    }
    Ok(grid)
}

fn text_sheet_name(path: &Path) -> String {
    path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

fn visible_sheets(book: &Book) -> Vec<String> {
    let visible: Vec<String> = book
        .sheets_metadata()
        .iter()
        .filter(|s| s.visible == SheetVisible::Visible && s.typ == SheetType::WorkSheet)
        .map(|s| s.name.clone())
        .collect();
    if visible.is_empty() {
        book.sheet_names()
    } else {
        visible
    }
}

fn read_book_sheet(book: &mut Book, name: &str) -> Result<Grid, ImportError> {
    let range = book.worksheet_range(name).map_err(|e| ImportError::Unreadable(e.to_string()))?;
    let Some((first_row, first_col)) = range.start() else {
        return Ok(Grid { rows: Vec::new(), first_row: 0 });
    };
    let rows = range
        .rows()
        .map(|row| std::iter::repeat_n(Cell::Empty, first_col as usize).chain(row.iter().map(Cell::from)).collect())
        .collect();
    let mut grid = Grid { rows, first_row };
    // Merges are a convenience: a sheet whose merge list cannot be read is still read.
    let merges = match book {
        Sheets::Xlsx(xlsx) => xlsx.merge_cells_by_sheet_name(name).unwrap_or_default(),
        Sheets::Xls(xls) => xls.merge_cells_by_sheet_name(name).unwrap_or_default(),
        Sheets::Xlsb(_) | Sheets::Ods(_) => Vec::new(),
    };
    for merge in merges {
        fill_merge(&mut grid, merge);
    }
    Ok(grid)
}

/// Copies a merged region's top-left value into its other cells, within the used range only
/// (a merge may span whole columns).
fn fill_merge(grid: &mut Grid, merge: Dimensions) {
    let width = grid.rows.iter().map(Vec::len).max().unwrap_or(0);
    let (top, left) = (merge.start.0 as i64 - grid.first_row as i64, merge.start.1 as usize);
    let (bottom, right) =
        (merge.end.0 as i64 - grid.first_row as i64, (merge.end.1 as usize).min(width.saturating_sub(1)));
    if right < left {
        return;
    }
    let Some(value) = usize::try_from(top).ok().and_then(|r| grid.rows.get(r)?.get(left)).cloned() else {
        return;
    };
    if value.is_empty() {
        return;
    }
    let last_row = bottom.min(grid.rows.len() as i64 - 1);
    for r in top..=last_row {
        let row = &mut grid.rows[r as usize];
        if row.len() <= right {
            row.resize(right + 1, Cell::Empty);
        }
        for cell in &mut row[left..=right] {
            *cell = value.clone();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Cell {
        Cell::Text(s.into())
    }

    fn write(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> std::path::PathBuf {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    #[test]
    fn used_range_below_and_right_of_a1_keeps_excel_coordinates() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("offset.xlsx");
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(4, 2, "客户名称").unwrap(); // C5
        sheet.write_string(4, 3, "电话").unwrap();
        sheet.write_string(5, 2, "华信科技").unwrap();
        sheet.write_number(5, 3, 13912345678.0).unwrap();
        sheet.merge_range(6, 2, 8, 3, "合并", &rust_xlsxwriter::Format::new()).unwrap();
        sheet.write_string(7, 4, "x").unwrap(); // row 8 has data; row 9 is only merge
        book.save(&path).unwrap();

        let grid = read_sheet(&path, None).unwrap();
        assert_eq!(grid.first_row, 4);
        assert_eq!(grid.rows[0], vec![Cell::Empty, Cell::Empty, t("客户名称"), t("电话"), Cell::Empty]);
        assert_eq!(grid.rows[1][3], Cell::Number(13912345678.0));
        assert_eq!(&grid.rows[2][2..], &[t("合并"), t("合并"), Cell::Empty]);
        assert_eq!(&grid.rows[3][2..], &[t("合并"), t("合并"), t("x")]);
        // Rows the merge covers past the last used row would only hold copies: not added.
        assert_eq!(grid.rows.len(), 4);
    }

    #[test]
    fn fill_merge_stays_inside_the_grid() {
        let grid = || Grid { rows: vec![vec![t("a"), Cell::Empty], vec![Cell::Empty]], first_row: 2 };
        let cases = [
            // (merge start, merge end) in sheet coordinates → rows after filling
            (((2, 0), (3, 1)), vec![vec![t("a"), t("a")], vec![t("a"), t("a")]]),
            // a whole-column merge is clipped to the used rows
            (((2, 0), (1_048_575, 0)), vec![vec![t("a"), Cell::Empty], vec![t("a")]]),
            // anchored above the used range, or on an empty cell: nothing to copy
            (((0, 0), (3, 1)), grid().rows),
            (((3, 0), (3, 1)), grid().rows),
            // a corrupt, reversed region is ignored rather than panicking
            (((2, 1), (2, 0)), grid().rows),
            (((2, 5), (2, 9)), grid().rows),
        ];
        for ((start, end), want) in cases {
            let mut g = grid();
            fill_merge(&mut g, Dimensions::new(start, end));
            assert_eq!(g.rows, want, "{start:?}..{end:?}");
        }
    }

    #[test]
    fn trailing_blank_rows_are_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(&dir, "a.csv", "名称,电话\n华信,139\n,\n\n".as_bytes());
        assert_eq!(read_sheet(&path, None).unwrap().rows.len(), 2);
    }

    #[test]
    fn the_extension_decides_whether_but_the_content_decides_how() {
        let dir = tempfile::tempdir().unwrap();
        let mut xlsx = rust_xlsxwriter::Workbook::new();
        xlsx.add_worksheet().write_string(0, 0, "客户名称").unwrap();
        let xlsx_bytes = xlsx.save_to_buffer().unwrap();

        for name in ["really_xlsx.xls", "really_xlsx.XLSX", "really_xlsx.csv"] {
            let path = write(&dir, name, &xlsx_bytes);
            assert_eq!(read_sheet(&path, None).unwrap().rows, vec![vec![t("客户名称")]], "{name}");
        }
        let text_as_xls = write(&dir, "export.xls", "名称\t电话\n华信\t139\n".as_bytes());
        assert_eq!(read_sheet(&text_as_xls, None).unwrap().rows[1], vec![t("华信"), t("139")]);
        assert_eq!(sheet_names(&text_as_xls).unwrap(), vec!["export"]);

        let html_as_xls = write(&dir, "report.xls", b"<html><table><tr><td>1</td></tr></table></html>");
        assert!(matches!(read_sheet(&html_as_xls, None), Err(ImportError::UnsupportedFormat(f)) if f == "html"));
        let empty_xlsx = write(&dir, "empty.xlsx", b"");
        assert!(matches!(read_sheet(&empty_xlsx, None), Err(ImportError::Empty)));
    }

    #[test]
    fn unknown_extensions_and_missing_files() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["customers.pdf", "customers.docx", "customers"] {
            let path = write(&dir, name, b"a,b\n");
            let err = read_sheet(&path, None).unwrap_err();
            assert_eq!(err.code(), "import_unsupported_format", "{name}");
        }
        let missing = dir.path().join("missing.xlsx");
        assert!(matches!(read_sheet(&missing, None), Err(ImportError::Io(_))));
        assert!(matches!(sheet_names(&missing), Err(ImportError::Io(_))));
    }

    #[test]
    fn a_text_file_is_one_sheet_named_after_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(&dir, "客户.csv", "名称,电话\n".as_bytes());
        assert_eq!(sheet_names(&path).unwrap(), vec!["客户"]);
        assert!(read_sheet(&path, Some("客户")).is_ok());
        assert!(matches!(read_sheet(&path, Some("Sheet1")), Err(ImportError::SheetNotFound(s)) if s == "Sheet1"));
    }
}
