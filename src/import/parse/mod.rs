//! Cell → field value. Each parser takes any [`Cell`], because the same column holds numbers
//! in one row and text in the next, and answers `Ok(None)` for a blank cell or a field code
//! (`date_invalid`, `amount_invalid`) the preview marks on that cell.

mod amount;
mod date;
mod phone;

pub use amount::amount_fen;
pub use date::date;
pub use phone::{phone_text, split_combined};

use super::cell::{number_text, trim_spaces, Cell};

/// The cell as text for a free-text field: trimmed, `None` when blank. Numbers read as typed
/// (`2024`, not `2024.0`); formula errors are no value at all.
pub fn clean_text(cell: &Cell) -> Option<String> {
    let text = match cell {
        Cell::Empty | Cell::Error(_) => return None,
        Cell::Text(s) => trim_spaces(s).to_owned(),
        Cell::Number(n) => number_text(*n),
        Cell::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
        Cell::Date(dt) if dt.time() == chrono::NaiveTime::MIN => dt.format("%Y-%m-%d").to_string(),
        Cell::Date(dt) => dt.format("%Y-%m-%d %H:%M:%S").to_string(),
    };
    (!text.is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn clean_text_table() {
        let day = NaiveDate::from_ymd_opt(2024, 3, 1).unwrap();
        let cases = [
            (Cell::Empty, None),
            (Cell::Text("  华信科技 ".into()), Some("华信科技")),
            (Cell::Text("\u{3000}张三\u{A0}".into()), Some("张三")),
            (Cell::Text("\u{3000}\u{A0}".into()), None),
            (Cell::Text("第一行\n第二行".into()), Some("第一行\n第二行")),
            (Cell::Number(2024.0), Some("2024")),
            (Cell::Number(13912345678.0), Some("13912345678")),
            (Cell::Number(3.5), Some("3.5")),
            (Cell::Bool(true), Some("TRUE")),
            (Cell::Date(day.and_hms_opt(0, 0, 0).unwrap()), Some("2024-03-01")),
            (Cell::Date(day.and_hms_opt(10, 30, 0).unwrap()), Some("2024-03-01 10:30:00")),
            (Cell::Error("#N/A".into()), None),
        ];
        for (cell, want) in cases {
            assert_eq!(clean_text(&cell).as_deref(), want, "{cell:?}");
        }
    }
}
