//! One sheet of the workbook as a column of blocks: a title, notes, and tables with their
//! charts beside (narrow tables) or under them (wide ones). Cells are written by kind, so
//! money, shares and counts each get one number format and user text only ever a string.

use rust_xlsxwriter::{Chart, ColNum, Color, Format, FormatAlign, FormatBorder, RowNum, Workbook, Worksheet};

use super::xlsx;
use crate::Result;

const MONEY_FORMAT: &str = "#,##0.00";
const COUNT_FORMAT: &str = "#,##0";
const PERCENT_FORMAT: &str = "0.0%";
const DAYS_FORMAT: &str = "0.0";

/// Excel refuses longer cells.
const MAX_CELL_UTF16: usize = 32_767;

/// A chart's default size is 480 × 288 px: 16 rows of 20 px leave it a little air, and it
/// spans about 8 columns of the widths set here.
const CHART_ROWS: RowNum = 16;
const CHART_COLS: ColNum = 8;
/// Tables up to this many columns keep their charts on their right, wider ones below.
const CHARTS_BESIDE_UP_TO: u16 = 6;

pub(super) enum Cell {
    /// Any text, ours or the user's: always a string cell, never a formula.
    Text(String),
    Count(i64),
    /// Fen, shown as yuan.
    Money(i64),
    /// A 0–1 fraction; none leaves the cell empty.
    Percent(Option<f64>),
    Days(Option<f64>),
    /// Nothing to show (a figure that does not apply), bordered like its neighbours.
    Blank,
}

pub(super) struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    /// A bold last row (合计), kept out of the charts' ranges.
    pub total: Option<Vec<Cell>>,
}

/// Where a table landed, for the charts that refer to it.
pub(super) struct Placed {
    sheet: String,
    /// The caption's row: charts beside the table start here.
    top: RowNum,
    header: RowNum,
    rows: u32,
    cols: u16,
}

pub(super) type Range<'a> = (&'a str, RowNum, ColNum, RowNum, ColNum);

impl Placed {
    /// A header cell, as a chart series' name.
    pub fn name(&self, col: ColNum) -> (&str, RowNum, ColNum) {
        (&self.sheet, self.header, col)
    }

    /// One column's data rows (the total row excluded); none when the table has no rows.
    pub fn column(&self, col: ColNum) -> Option<Range<'_>> {
        self.first_rows(col, self.rows)
    }

    /// The first `n` data rows of a column; none when that is no row.
    pub fn first_rows(&self, col: ColNum, n: u32) -> Option<Range<'_>> {
        let n = n.min(self.rows);
        (n > 0).then(|| (self.sheet.as_str(), self.header + 1, col, self.header + n, col))
    }
}

pub(super) struct Sheet<'a> {
    ws: &'a mut Worksheet,
    name: String,
    widths: Vec<f64>,
    row: RowNum,
}

impl<'a> Sheet<'a> {
    pub fn add(book: &'a mut Workbook, name: &str) -> Result<Sheet<'a>> {
        let ws = book.add_worksheet();
        ws.set_name(name).map_err(xlsx)?;
        // Printed, a report is as wide as its widest table and chart: one page across.
        ws.set_landscape().set_print_fit_to_pages(1, 0);
        Ok(Sheet { ws, name: name.to_owned(), widths: Vec::new(), row: 0 })
    }

    pub fn title(&mut self, text: &str) -> Result<()> {
        let format = Format::new().set_bold().set_font_size(14);
        self.ws.set_row_height(self.row, 24).map_err(xlsx)?;
        write_text(self.ws, self.row, 0, text, &format)?;
        self.row += 1;
        Ok(())
    }

    /// A line of text under the title (periods, definitions); it does not widen its column.
    pub fn note(&mut self, text: &str) -> Result<()> {
        write_text(self.ws, self.row, 0, text, &Format::new().set_font_color(Color::RGB(0x59_59_59)))?;
        self.row += 1;
        Ok(())
    }

    pub fn skip(&mut self) {
        self.row += 1;
    }

    /// A caption, the header and the rows (and the total) from the current row, column A.
    pub fn table(&mut self, caption: &str, table: &Table) -> Result<Placed> {
        let top = self.row;
        write_text(self.ws, top, 0, caption, &Format::new().set_bold())?;
        let header = top + 1;
        let header_format = border()
            .set_bold()
            .set_background_color(Color::RGB(0xDD_EB_F7))
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter)
            .set_text_wrap();
        for (col, text) in table.header.iter().enumerate() {
            write_text(self.ws, header, col as ColNum, text, &header_format)?;
            self.widen(col, text_width(text));
        }
        let mut row = header + 1;
        for cells in &table.rows {
            self.cells(row, cells, false)?;
            row += 1;
        }
        if let Some(total) = &table.total {
            self.cells(row, total, true)?;
            row += 1;
        }
        self.row = row + 1;
        Ok(Placed { sheet: self.name.clone(), top, header, rows: table.rows.len() as u32, cols: table.header.len() as u16 })
    }

    /// Puts charts beside a narrow table or under a wide one, side by side.
    pub fn charts(&mut self, placed: &Placed, charts: &[Chart]) -> Result<()> {
        if charts.is_empty() {
            return Ok(());
        }
        let beside = placed.cols <= CHARTS_BESIDE_UP_TO;
        let (row, first_col) = if beside { (placed.top, placed.cols + 1) } else { (self.row, 0) };
        for (i, chart) in charts.iter().enumerate() {
            self.ws.insert_chart(row, first_col + i as ColNum * CHART_COLS, chart).map_err(xlsx)?;
        }
        self.row = self.row.max(row + CHART_ROWS + 1);
        Ok(())
    }

    pub fn finish(self) -> Result<()> {
        for (col, width) in self.widths.iter().enumerate() {
            self.ws.set_column_width(col as ColNum, (width + 2.0).clamp(9.0, 40.0)).map_err(xlsx)?;
        }
        Ok(())
    }

    fn cells(&mut self, row: RowNum, cells: &[Cell], total: bool) -> Result<()> {
        for (col, cell) in cells.iter().enumerate() {
            let c = col as ColNum;
            let base = if total { border().set_bold().set_background_color(Color::RGB(0xF2_F2_F2)) } else { border() };
            let width = match cell {
                Cell::Text(text) => {
                    write_text(self.ws, row, c, text, &base)?;
                    text_width(text)
                }
                Cell::Count(n) => {
                    self.ws.write_number_with_format(row, c, *n as f64, &base.set_num_format(COUNT_FORMAT)).map_err(xlsx)?;
                    grouped_width(*n)
                }
                Cell::Money(fen) => {
                    // f64 holds every fen exactly up to about 90 trillion yuan.
                    self.ws.write_number_with_format(row, c, *fen as f64 / 100.0, &base.set_num_format(MONEY_FORMAT)).map_err(xlsx)?;
                    grouped_width(fen / 100) + 3.0
                }
                Cell::Percent(share) => {
                    optional(self.ws, row, c, *share, &base.set_num_format(PERCENT_FORMAT))?;
                    7.0
                }
                Cell::Days(days) => {
                    optional(self.ws, row, c, *days, &base.set_num_format(DAYS_FORMAT))?;
                    6.0
                }
                Cell::Blank => {
                    self.ws.write_blank(row, c, &base).map_err(xlsx)?;
                    0.0
                }
            };
            self.widen(col, width);
        }
        Ok(())
    }

    fn widen(&mut self, col: usize, width: f64) {
        if self.widths.len() <= col {
            self.widths.resize(col + 1, 0.0);
        }
        self.widths[col] = self.widths[col].max(width);
    }
}

fn border() -> Format {
    Format::new().set_border(FormatBorder::Thin).set_border_color(Color::RGB(0xBF_BF_BF))
}

fn optional(ws: &mut Worksheet, row: RowNum, col: ColNum, value: Option<f64>, format: &Format) -> Result<()> {
    match value.filter(|v| v.is_finite()) {
        Some(v) => ws.write_number_with_format(row, col, v, format).map_err(xlsx)?,
        // The blank keeps the border, so the table reads as one.
        None => ws.write_blank(row, col, format).map_err(xlsx)?,
    };
    Ok(())
}

/// Text that Excel would read as a formula if a user edited the cell (the OWASP list
/// `= + - @`, tab, carriage return). It is a string cell either way — `write_string` cannot
/// make a formula — and gets Excel's invisible quote prefix on top, as the customer export does.
pub(super) fn is_formula_like(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

fn write_text(ws: &mut Worksheet, row: RowNum, col: ColNum, text: &str, format: &Format) -> Result<()> {
    if is_formula_like(text) {
        ws.write_string_with_format(row, col, clip(text), &format.clone().set_quote_prefix()).map_err(xlsx)?;
    } else {
        ws.write_string_with_format(row, col, clip(text), format).map_err(xlsx)?;
    }
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

/// Roughly how many Excel character widths a text takes: CJK and other wide characters two.
fn text_width(text: &str) -> f64 {
    text.chars().map(|c| if c.is_ascii() { 1.0 } else { 2.0 }).sum()
}

/// The width of an integer with thousands separators.
fn grouped_width(n: i64) -> f64 {
    let digits = n.unsigned_abs().to_string().len();
    (digits + (digits - 1) / 3 + usize::from(n < 0)) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_like_text() {
        for risky in ["=1+1", "+86", "-已流失", "@SUM(A1)", "\tx", "\r=1"] {
            assert!(is_formula_like(risky), "{risky:?}");
        }
        for plain in ["制造业", "20–99", " =1", "a=b", ""] {
            assert!(!is_formula_like(plain), "{plain:?}");
        }
    }

    #[test]
    fn widths() {
        assert_eq!(text_width("制造业"), 6.0);
        assert_eq!(grouped_width(0), 1.0);
        assert_eq!(grouped_width(1_234_567), 9.0);
        assert_eq!(grouped_width(-999), 4.0);
        let long = "客".repeat(MAX_CELL_UTF16 + 5);
        assert_eq!(clip(&long).chars().count(), MAX_CELL_UTF16);
    }
}
