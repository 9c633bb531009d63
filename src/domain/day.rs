//! A calendar day as typed in a filter or a period (`YYYY-MM-DD`), parsed once and kept to
//! the years a ledger can hold. chrono accepts years ±262,143, and the day arithmetic that
//! follows (the next day, a month or a year back, a zone's midnight) panics near those ends;
//! a field error here keeps a hostile or mistyped date from ever getting that far.

use chrono::{Datelike, NaiveDate};

pub const FIRST_YEAR: i32 = 1900;
pub const LAST_YEAR: i32 = 2200;

/// `date_invalid` when it is not a `YYYY-MM-DD` date, `out_of_range` outside
/// [`FIRST_YEAR`]–[`LAST_YEAR`].
pub fn parse_day(raw: &str) -> Result<NaiveDate, &'static str> {
    let day = NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").map_err(|_| "date_invalid")?;
    within_years(day)
}

pub fn within_years(day: NaiveDate) -> Result<NaiveDate, &'static str> {
    if (FIRST_YEAR..=LAST_YEAR).contains(&day.year()) {
        Ok(day)
    } else {
        Err("out_of_range")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_outside_the_years_a_ledger_holds_are_out_of_range() {
        assert_eq!(parse_day(" 2024-03-01 "), Ok(NaiveDate::from_ymd_opt(2024, 3, 1).unwrap()));
        assert_eq!(parse_day("1900-01-01").map(|d| d.year()), Ok(1900));
        assert_eq!(parse_day("2200-12-31").map(|d| d.year()), Ok(2200));
        assert_eq!(parse_day("1899-12-31"), Err("out_of_range"));
        assert_eq!(parse_day("2201-01-01"), Err("out_of_range"));
        assert_eq!(parse_day("+262142-12-31"), Err("out_of_range"));
        assert_eq!(parse_day("-262143-01-01"), Err("out_of_range"));
        assert_eq!(parse_day("2024-02-30"), Err("date_invalid"));
        assert_eq!(parse_day("三月"), Err("date_invalid"));
    }
}
