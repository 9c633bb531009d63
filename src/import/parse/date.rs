//! Dates as they arrive: date cells, bare Excel serial numbers (a date column formatted as
//! General), and text typed a dozen ways (`2024/3/1`, `2024年3月1日`, `20240301`).

use chrono::{NaiveDate, NaiveTime};

use crate::domain::half_width;
use crate::import::cell::{trim_spaces, Cell};

const INVALID: &str = "date_invalid";
/// 9999-12-31, the last day Excel can show.
const LAST_SERIAL: f64 = 2_958_465.0;

/// The day a cell names; a time of day, if any, is dropped.
pub fn date(cell: &Cell) -> Result<Option<NaiveDate>, &'static str> {
    match cell {
        Cell::Empty => Ok(None),
        Cell::Date(at) => Ok(Some(at.date())),
        Cell::Number(n) => from_number(*n).map(Some).ok_or(INVALID),
        Cell::Text(s) => {
            let text = half_width(trim_spaces(s));
            if text.is_empty() {
                return Ok(None);
            }
            from_text(&text).map(Some).ok_or(INVALID)
        }
        Cell::Bool(_) | Cell::Error(_) => Err(INVALID),
    }
}

/// `20240301` typed into a number cell, else an Excel serial day (a fraction is the time).
fn from_number(n: f64) -> Option<NaiveDate> {
    if n.fract() == 0.0 && (19_000_101.0..=99_991_231.0).contains(&n) {
        return compact(&format!("{}", n as u32));
    }
    if !(1.0..LAST_SERIAL + 1.0).contains(&n) {
        return None;
    }
    excel_serial(n.floor() as i64)
}

/// Excel's 1900 system counts 1900-01-01 as day 1 and, copying Lotus 1-2-3, invents
/// 1900-02-29 as day 60; every later serial is one day ahead of a plain count.
fn excel_serial(days: i64) -> Option<NaiveDate> {
    let epoch = match days {
        60 => return None,
        ..60 => NaiveDate::from_ymd_opt(1899, 12, 31)?,
        _ => NaiveDate::from_ymd_opt(1899, 12, 30)?,
    };
    epoch.checked_add_signed(chrono::Duration::days(days))
}

fn from_text(text: &str) -> Option<NaiveDate> {
    let (day, time) = match text.split_once([' ', 'T']) {
        Some((day, time)) => (day, Some(time.trim())),
        None => (text, None),
    };
    if let Some(time) = time {
        ["%H:%M", "%H:%M:%S", "%H:%M:%S%.f"].iter().find(|f| NaiveTime::parse_from_str(time, f).is_ok())?;
    }
    if day.len() == 8 && day.bytes().all(|b| b.is_ascii_digit()) {
        return compact(day);
    }
    let day = day.strip_suffix(['日', '号']).unwrap_or(day).replace(['年', '月', '/', '.'], "-");
    let parts: Vec<&str> = day.split('-').collect();
    let digits =
        |s: &str, len: std::ops::RangeInclusive<usize>| len.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    match parts[..] {
        [y, m, d] if digits(y, 4..=4) && digits(m, 1..=2) && digits(d, 1..=2) => {
            NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
        }
        _ => None,
    }
}

/// `yyyymmdd`.
fn compact(digits: &str) -> Option<NaiveDate> {
    let part = |range: std::ops::Range<usize>| digits.get(range)?.parse().ok();
    NaiveDate::from_ymd_opt(part(0..4)? as i32, part(4..6)?, part(6..8)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn text_dates() {
        let cases = [
            "2024/3/1",
            "2024/03/01",
            "2024年3月1日",
            "2024年03月01日",
            "2024年3月1号",
            "2024-03-01",
            "2024-3-1",
            "2024.3.1",
            "2024-03-01 10:30",
            "2024/3/1 10:30:59",
            "2024-03-01T10:30:00",
            "2024-03-01 10:30:00.250",
            "2024年3月1日 9:05",
            "20240301",
            " 2024-03-01\u{3000}",
            "２０２４／３／１",
        ];
        for raw in cases {
            assert_eq!(date(&Cell::Text(raw.into())), Ok(ymd(2024, 3, 1)), "{raw:?}");
        }
    }

    #[test]
    fn invalid_text_dates() {
        let cases = [
            "2024-02-30",
            "2023/2/29",
            "2024-13-01",
            "2024年3月",
            "3/1/2024",
            "24/3/1",
            "2024-03-01 下午",
            "2024-03-01 25:00",
            "20241301",
            "2024030",
            "下周三",
            "45352",
            "2024--03-01",
        ];
        for raw in cases {
            assert_eq!(date(&Cell::Text(raw.into())), Err("date_invalid"), "{raw:?}");
        }
    }

    #[test]
    fn excel_serials_in_the_1900_system() {
        let cases = [
            (1.0, ymd(1900, 1, 1)),
            (59.0, ymd(1900, 2, 28)),
            (61.0, ymd(1900, 3, 1)),
            (45352.0, ymd(2024, 3, 1)),
            (45352.75, ymd(2024, 3, 1)),
            (2_958_465.0, ymd(9999, 12, 31)),
            (20_240_301.0, ymd(2024, 3, 1)),
        ];
        for (serial, want) in cases {
            assert_eq!(date(&Cell::Number(serial)), Ok(want), "{serial}");
        }
    }

    #[test]
    fn implausible_serials_are_invalid() {
        // 60 is 1900-02-29, a day that never was.
        for serial in [60.0, 0.0, 0.5, -1.0, 2_958_466.0, 20_241_301.0, f64::NAN, f64::INFINITY] {
            assert_eq!(date(&Cell::Number(serial)), Err("date_invalid"), "{serial}");
        }
    }

    #[test]
    fn other_cells() {
        let at = ymd(2024, 3, 1).unwrap().and_hms_opt(10, 30, 0).unwrap();
        assert_eq!(date(&Cell::Date(at)), Ok(ymd(2024, 3, 1)));
        assert_eq!(date(&Cell::Empty), Ok(None));
        assert_eq!(date(&Cell::Text(" \u{3000}".into())), Ok(None));
        assert_eq!(date(&Cell::Bool(true)), Err("date_invalid"));
        assert_eq!(date(&Cell::Error("#VALUE!".into())), Err("date_invalid"));
    }
}
