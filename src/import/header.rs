//! Finding the header row. Real sheets start with a merged title (`2024年客户信息表`), a
//! `制表人/日期` line or blank rows, so the header is rarely row 1.

use std::collections::BTreeSet;

use super::cell::{trim_spaces, Cell};
use super::mapping::is_known_header;
use super::parse::clean_text;

/// Headers sit near the top; looking further only invites data rows to win.
const SCAN_ROWS: usize = 30;

/// The index in `rows` of the header row, or `None` when nothing looks like one.
///
/// The row naming the most known fields wins (≥ 2, so one data cell that happens to read
/// `销售` cannot). Failing that, e.g. for headers in a language we do not know, the first row
/// of plain text as wide as the table. Either way a row needs two distinct values: a merged
/// title repeats one value across the table and must never win.
pub fn detect_header(rows: &[Vec<Cell>]) -> Option<usize> {
    let scanned = &rows[..rows.len().min(SCAN_ROWS)];
    let shapes: Vec<Shape> = scanned.iter().map(|row| Shape::of(row)).collect();

    let by_alias = shapes
        .iter()
        .enumerate()
        .filter(|(_, s)| s.distinct >= 2 && s.known >= 2)
        // Earliest wins a tie: max_by_key keeps the last maximum, so compare reversed index.
        .max_by_key(|(i, s)| (s.known, s.text_cells, std::cmp::Reverse(*i)));
    if let Some((index, _)) = by_alias {
        return Some(index);
    }

    let widest = shapes.iter().map(|s| s.filled).max()?;
    shapes.iter().position(|s| s.distinct >= 2 && s.other_cells == 0 && s.filled * 2 >= widest)
}

/// The display names of a header row's cells, `""` where a cell is empty.
pub fn header_names(row: &[Cell]) -> Vec<String> {
    row.iter().map(|cell| clean_text(cell).unwrap_or_default()).collect()
}

struct Shape {
    filled: usize,
    distinct: usize,
    text_cells: usize,
    /// Numbers, dates, booleans, errors: data, not headings.
    other_cells: usize,
    /// Distinct known header names, so a merged header cell counts once.
    known: usize,
}

impl Shape {
    fn of(row: &[Cell]) -> Shape {
        let values: Vec<String> = row.iter().filter_map(clean_text).collect();
        let distinct: BTreeSet<&str> = values.iter().map(String::as_str).collect();
        let text_cells = row.iter().filter(|c| c.as_text().is_some_and(|t| !trim_spaces(t).is_empty())).count();
        let other_cells = row
            .iter()
            .filter(|c| matches!(c, Cell::Number(_) | Cell::Bool(_) | Cell::Date(_) | Cell::Error(_)))
            .count();
        let known = row
            .iter()
            .filter_map(Cell::as_text)
            .filter(|text| is_known_header(text))
            .map(trim_spaces)
            .collect::<BTreeSet<_>>()
            .len();
        Shape { filled: values.len(), distinct: distinct.len(), text_cells, other_cells, known }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Vec<Cell> {
        cells.iter().map(|s| Cell::text(*s)).collect()
    }

    const HEADER: &[&str] = &["客户编号", "客户名称", "联系人", "联系方式（电话/微信）", "邮箱", "负责人"];

    #[test]
    fn header_in_the_first_row() {
        let rows = vec![row(HEADER), row(&["C001", "华信科技", "张三", "13912345678", "a@b.cn", "李四"])];
        assert_eq!(detect_header(&rows), Some(0));
    }

    #[test]
    fn merged_title_blank_row_and_maker_line_above_the_header() {
        let title = "2024年客户信息表";
        let rows = vec![
            row(&[title; 6]), // a merged title, filled into every cell it spans
            row(&[]),
            row(&["制表人：王五", "", "", "", "日期：2024-03-01", ""]),
            row(HEADER),
            row(&["C001", "华信科技", "张三", "13912345678", "a@b.cn", "李四"]),
        ];
        assert_eq!(detect_header(&rows), Some(3));
    }

    #[test]
    fn title_only_in_its_first_cell() {
        let rows = vec![row(&["2024年客户信息表"]), row(&["", ""]), row(HEADER)];
        assert_eq!(detect_header(&rows), Some(2));
    }

    #[test]
    fn two_level_header_picks_the_finer_row() {
        let rows = vec![
            row(&["客户名称", "联系方式", "联系方式", "备注"]),
            row(&["客户名称", "电话", "微信", "备注"]),
            row(&["华信科技", "13912345678", "lixxx", ""]),
        ];
        assert_eq!(detect_header(&rows), Some(1));
    }

    #[test]
    fn unknown_headers_fall_back_to_the_first_wide_text_row() {
        let rows = vec![
            row(&["Kundenliste"]),
            row(&["Firma", "Telefon", "Ort"]),
            vec![Cell::text("Huaxin"), Cell::Number(13912345678.0), Cell::text("Peking")],
        ];
        assert_eq!(detect_header(&rows), Some(1));
    }

    #[test]
    fn a_lone_alias_in_a_data_row_does_not_beat_the_fallback() {
        let rows = vec![row(&["Firma", "Abteilung", "Ort"]), row(&["Huaxin", "销售", "Peking"])];
        assert_eq!(detect_header(&rows), Some(0));
    }

    #[test]
    fn narrow_maker_line_loses_the_fallback() {
        let rows =
            vec![row(&["制表人：王五", "日期：2024-03-01"]), row(&["Firma", "Telefon", "Ort", "Branche", "Notiz"])];
        assert_eq!(detect_header(&rows), Some(1));
    }

    #[test]
    fn no_header_at_all() {
        let cases: Vec<Vec<Vec<Cell>>> = vec![
            vec![],
            vec![row(&[]), row(&["", ""])],
            vec![row(&["2024年客户信息表"; 5])],
            vec![vec![Cell::Number(1.0), Cell::Number(2.0)]],
            // hand-built blank text and formula errors are not headings either
            vec![vec![Cell::Text(" ".into()), Cell::Error("#N/A".into()), Cell::Error("#REF!".into())]],
        ];
        for rows in cases {
            assert_eq!(detect_header(&rows), None, "{rows:?}");
        }
    }

    #[test]
    fn only_the_first_rows_are_scanned() {
        let mut rows = vec![row(&["x"]); SCAN_ROWS];
        rows.push(row(HEADER));
        assert_eq!(detect_header(&rows), None);
    }

    #[test]
    fn header_names_render_every_cell() {
        let cells = vec![Cell::text(" 客户名称 "), Cell::Empty, Cell::Number(2024.0), Cell::text("电话")];
        assert_eq!(header_names(&cells), vec!["客户名称", "", "2024", "电话"]);
    }
}
