//! Money in integer fen (分) from what people write in a sales sheet: `30万`, `1.5亿`,
//! `￥300,000.00`: cells, read with the one text parser in [`crate::money`].

use crate::import::cell::{trim_spaces, Cell};
use crate::money;

const INVALID: &str = "amount_invalid";

pub fn amount_fen(cell: &Cell) -> Result<Option<i64>, &'static str> {
    match cell {
        Cell::Empty => Ok(None),
        // Display of an f64 is the shortest decimal that reads back as the same number, so
        // 0.1 + 0.2 stays "0.30000000000000004" and rounds to 30 fen, never to 29.
        Cell::Number(n) if n.is_finite() && *n >= 0.0 => money::decimal_fen(&format!("{n}"), 0).map(Some).ok_or(INVALID),
        Cell::Text(s) => {
            let s = trim_spaces(s);
            if s.is_empty() {
                return Ok(None);
            }
            money::parse_amount(s).map(Some)
        }
        _ => Err(INVALID),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Cell {
        Cell::Text(s.into())
    }

    #[test]
    fn amounts_as_people_write_them() {
        let cases = [
            ("30万", 30_000_000),
            ("30万元", 30_000_000),
            ("30 万元", 30_000_000),
            ("30W", 30_000_000),
            ("1.5亿", 15_000_000_000),
            ("1.5亿元", 15_000_000_000),
            ("2千万", 2_000_000_000),
            ("3百万", 300_000_000),
            ("5k", 500_000),
            ("8千元", 800_000),
            ("¥300,000", 30_000_000),
            ("￥300,000.00", 30_000_000),
            ("RMB 300000", 30_000_000),
            ("人民币30万元", 30_000_000),
            ("约50万", 50_000_000),
            ("30万左右", 30_000_000),
            ("300000.00", 30_000_000),
            ("300000", 30_000_000),
            ("3,000", 300_000),
            ("1,234,567.89", 123_456_789),
            ("0.01", 1),
            ("0.005", 1),
            ("0.004", 0),
            ("12.345万", 12_345_000),
            ("0.123456万", 123_456),
            ("２８.３万", 28_300_000),
            ("0", 0),
            ("500元", 50_000),
        ];
        for (raw, fen) in cases {
            assert_eq!(amount_fen(&text(raw)), Ok(Some(fen)), "{raw:?}");
        }
    }

    #[test]
    fn numbers_become_exact_fen() {
        let cases = [
            (300000.0, 30_000_000),
            (300000.5, 30_000_050),
            (0.1 + 0.2, 30),
            (1234.565, 123_457),
            (28.333333333, 2_833),
            (19.99, 1_999),
            (0.0, 0),
        ];
        for (n, fen) in cases {
            assert_eq!(amount_fen(&Cell::Number(n)), Ok(Some(fen)), "{n}");
        }
    }

    #[test]
    fn invalid_amounts() {
        let cells = [
            text("-300"),
            text("(300)"),
            text("30-50万"),
            text("面议"),
            text("1,5"),
            text("12,34,567"),
            text(",300"),
            text("300."),
            text(".5"),
            text("1.2.3"),
            text("万"),
            text("¥"),
            text("1e5"),
            text("99999999999999999999999"),
            Cell::Number(-1.0),
            Cell::Number(f64::NAN),
            Cell::Number(f64::INFINITY),
            Cell::Number(1e300),
            Cell::Bool(true),
            Cell::Error("#DIV/0!".into()),
        ];
        for cell in cells {
            assert_eq!(amount_fen(&cell), Err("amount_invalid"), "{cell:?}");
        }
    }

    #[test]
    fn blank_is_no_amount() {
        assert_eq!(amount_fen(&Cell::Empty), Ok(None));
        assert_eq!(amount_fen(&text(" \u{3000} ")), Ok(None));
    }
}
