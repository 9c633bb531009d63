//! One spreadsheet cell, the same whichever file format it came from.

use calamine::Data;
use chrono::{NaiveDate, NaiveDateTime};

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    /// Never blank: whitespace-only text is [`Cell::Empty`], so "is this cell filled" has one answer.
    Text(String),
    Number(f64),
    Bool(bool),
    Date(NaiveDateTime),
    /// A formula error as Excel shows it, e.g. `#N/A`.
    Error(String),
}

impl Cell {
    /// Text as found (not trimmed), or [`Cell::Empty`] if there is nothing to see.
    pub fn text(raw: impl Into<String>) -> Cell {
        let raw = raw.into();
        if trim_spaces(&raw).is_empty() {
            Cell::Empty
        } else {
            Cell::Text(raw)
        }
    }

    pub fn is_empty(&self) -> bool {
        matches!(self, Cell::Empty)
    }

    pub fn as_text(&self) -> Option<&str> {
        match self {
            Cell::Text(s) => Some(s),
            _ => None,
        }
    }
}

/// Trims what users cannot see: ASCII and ideographic spaces, no-break spaces, zero-width
/// characters and a stray BOM (pasting from web pages and WeChat brings all of them).
pub fn trim_spaces(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || matches!(c, '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}'))
}

/// A number the way a user typed it: `13912345678`, not `13912345678.0` or `1.39e10`.
pub fn number_text(n: f64) -> String {
    // Below 2^53 every integer is exact in an f64, so the i64 cast loses nothing.
    if n.fract() == 0.0 && n.abs() < 9_007_199_254_740_992.0 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

impl From<&Data> for Cell {
    fn from(data: &Data) -> Cell {
        match data {
            Data::Empty => Cell::Empty,
            Data::String(s) => Cell::text(s.as_str()),
            Data::Int(i) => Cell::Number(*i as f64),
            Data::Float(f) => Cell::Number(*f),
            Data::Bool(b) => Cell::Bool(*b),
            Data::DateTime(dt) if dt.is_datetime() => match dt.as_datetime() {
                Some(date) => Cell::Date(date),
                None => Cell::Number(dt.as_f64()),
            },
            // A duration (time format without a date) is still a number to us.
            Data::DateTime(dt) => Cell::Number(dt.as_f64()),
            Data::DateTimeIso(s) => iso_datetime(s).map_or_else(|| Cell::text(s.as_str()), Cell::Date),
            Data::DurationIso(s) => Cell::text(s.as_str()),
            Data::Error(e) => Cell::Error(e.to_string()),
        }
    }
}

/// ODS stores dates as ISO text, with or without a time part.
fn iso_datetime(s: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
        .ok()
        .or_else(|| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().map(|d| d.and_time(chrono::NaiveTime::MIN)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{CellErrorType, ExcelDateTime, ExcelDateTimeType};

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, min, 0).unwrap()
    }

    #[test]
    fn blank_text_is_empty() {
        for raw in ["", " ", "\u{3000}", "\u{A0}\t", "\u{200B}", "\r\n"] {
            assert_eq!(Cell::text(raw), Cell::Empty, "{raw:?}");
        }
        assert_eq!(Cell::text(" 张三 "), Cell::Text(" 张三 ".into()));
    }

    #[test]
    fn trim_spaces_table() {
        let cases = [
            ("  a b  ", "a b"),
            ("\u{3000}华信\u{3000}", "华信"),
            ("\u{A0}x\u{A0}", "x"),
            ("\u{FEFF}客户名称", "客户名称"),
            ("\u{200B}139\u{200B}", "139"),
            ("", ""),
        ];
        for (raw, want) in cases {
            assert_eq!(trim_spaces(raw), want, "{raw:?}");
        }
    }

    #[test]
    fn number_text_has_no_trailing_zero_or_exponent() {
        let cases = [
            (13912345678.0, "13912345678"),
            (1.3912345678E10, "13912345678"),
            (0.0, "0"),
            (-5.0, "-5"),
            (2.5, "2.5"),
            (300000.75, "300000.75"),
            (1e20, "100000000000000000000"),
        ];
        for (n, want) in cases {
            assert_eq!(number_text(n), want, "{n}");
        }
    }

    #[test]
    fn calamine_data_becomes_cells() {
        let date = ExcelDateTime::new(45352.4375, ExcelDateTimeType::DateTime, false);
        let duration = ExcelDateTime::new(0.5, ExcelDateTimeType::TimeDelta, false);
        let cases = [
            (Data::Empty, Cell::Empty),
            (Data::String("  ".into()), Cell::Empty),
            (Data::String("华信科技".into()), Cell::Text("华信科技".into())),
            (Data::Int(42), Cell::Number(42.0)),
            (Data::Float(13912345678.0), Cell::Number(13912345678.0)),
            (Data::Bool(true), Cell::Bool(true)),
            (Data::DateTime(date), Cell::Date(at(2024, 3, 1, 10, 30))),
            (Data::DateTime(duration), Cell::Number(0.5)),
            (Data::DateTimeIso("2024-03-01".into()), Cell::Date(at(2024, 3, 1, 0, 0))),
            (Data::DateTimeIso("2024-03-01T10:30:00".into()), Cell::Date(at(2024, 3, 1, 10, 30))),
            (Data::DateTimeIso("10:30:00".into()), Cell::Text("10:30:00".into())),
            (Data::DurationIso("PT10H30M".into()), Cell::Text("PT10H30M".into())),
            (Data::Error(CellErrorType::NA), Cell::Error("#N/A".into())),
        ];
        for (data, want) in cases {
            assert_eq!(Cell::from(&data), want, "{data:?}");
        }
    }

    #[test]
    fn accessors() {
        assert!(Cell::Empty.is_empty());
        assert!(!Cell::Number(0.0).is_empty());
        assert_eq!(Cell::Text("x".into()).as_text(), Some("x"));
        assert_eq!(Cell::Number(1.0).as_text(), None);
    }
}
