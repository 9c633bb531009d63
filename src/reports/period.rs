//! A report's period as local days, and the two it is compared with: the previous period of
//! the same kind (环比) and the same period a year earlier (同比).
//!
//! A period in progress runs to today, and its comparisons are cut to the same length
//! ("this month so far" against "last month's first as many days"), or a month that has just
//! begun would always look like a collapse.

use chrono::{Datelike, Duration, Months, NaiveDate, NaiveTime};
use serde::Serialize;
use ts_rs::TS;

use super::{PeriodPreset, ReportQuery};
use crate::{Error, Result, Zone};

/// Local days `from..=to`, and the instants they span.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PeriodRange {
    pub from: String,
    pub to: String,
    #[serde(skip)]
    pub start_ms: i64,
    /// The midnight after `to`.
    #[serde(skip)]
    pub end_ms: i64,
}

impl PeriodRange {
    pub fn new(from: NaiveDate, to: NaiveDate, zone: Zone) -> PeriodRange {
        PeriodRange {
            from: from.format("%Y-%m-%d").to_string(),
            to: to.format("%Y-%m-%d").to_string(),
            start_ms: zone.at(from, NaiveTime::MIN).timestamp_millis(),
            end_ms: zone.at(to + Duration::days(1), NaiveTime::MIN).timestamp_millis(),
        }
    }

    pub fn first_day(&self) -> NaiveDate {
        NaiveDate::parse_from_str(&self.from, "%Y-%m-%d").expect("a period's own date")
    }

    pub fn last_day(&self) -> NaiveDate {
        NaiveDate::parse_from_str(&self.to, "%Y-%m-%d").expect("a period's own date")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ResolvedPeriod {
    pub preset: PeriodPreset,
    pub current: PeriodRange,
    pub previous: PeriodRange,
    pub year_ago: PeriodRange,
}

/// Custom periods are limited so a typo (year 20204) cannot ask for millennia of months.
const MAX_DAYS: i64 = 366 * 20;

pub fn resolve(q: &ReportQuery, today: NaiveDate, zone: Zone) -> Result<ResolvedPeriod> {
    let (from, full_to) = match q.preset {
        PeriodPreset::Week => {
            let monday = today - Duration::days(today.weekday().num_days_from_monday() as i64);
            (monday, monday + Duration::days(6))
        }
        PeriodPreset::Month => {
            let first = today.with_day(1).expect("day 1");
            (first, first + Months::new(1) - Duration::days(1))
        }
        PeriodPreset::Quarter => {
            let first = NaiveDate::from_ymd_opt(today.year(), (today.month0() / 3) * 3 + 1, 1).expect("quarter start");
            (first, first + Months::new(3) - Duration::days(1))
        }
        PeriodPreset::Year => {
            let first = NaiveDate::from_ymd_opt(today.year(), 1, 1).expect("1 January");
            (first, NaiveDate::from_ymd_opt(today.year(), 12, 31).expect("31 December"))
        }
        PeriodPreset::Custom => {
            let from = day("from", q.from.as_deref())?;
            let to = day("to", q.to.as_deref())?;
            if to < from {
                return Err(Error::invalid("to", "before_from"));
            }
            if (to - from).num_days() > MAX_DAYS {
                return Err(Error::invalid("to", "out_of_range"));
            }
            (from, to)
        }
    };
    // A period still running is cut at today (a custom one is taken as given).
    let to = if q.preset != PeriodPreset::Custom && full_to > today { today.max(from) } else { full_to };
    let days = (to - from).num_days();
    let previous_from = match q.preset {
        PeriodPreset::Week => from - Duration::days(7),
        PeriodPreset::Month => from - Months::new(1),
        PeriodPreset::Quarter => from - Months::new(3),
        PeriodPreset::Year => from - Months::new(12),
        PeriodPreset::Custom => from - Duration::days(days + 1),
    };
    let previous_to = cut(previous_from, days, from - Duration::days(1));
    let year_from = from - Months::new(12);
    let year_to = cut(year_from, days, to - Months::new(12));
    Ok(ResolvedPeriod {
        preset: q.preset,
        current: PeriodRange::new(from, to, zone),
        previous: PeriodRange::new(previous_from, previous_to, zone),
        year_ago: PeriodRange::new(year_from, year_to, zone),
    })
}

/// `days` after `from`, but never past `limit` (31 March's "last month" ends on 28 February).
fn cut(from: NaiveDate, days: i64, limit: NaiveDate) -> NaiveDate {
    (from + Duration::days(days)).min(limit)
}

fn day(field: &str, raw: Option<&str>) -> Result<NaiveDate> {
    let raw = raw.map(str::trim).filter(|s| !s.is_empty()).ok_or_else(|| Error::invalid(field, "required"))?;
    crate::domain::day::parse_day(raw).map_err(|code| Error::invalid(field, code))
}

/// The first day of each of the `n` months ending with `last`'s month, oldest first.
pub fn months_back(last: NaiveDate, n: u32) -> Vec<NaiveDate> {
    let last_first = last.with_day(1).expect("day 1");
    (0..n).rev().map(|i| last_first - Months::new(i)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn zone() -> Zone {
        Zone::named("Asia/Shanghai").unwrap()
    }

    fn q(preset: PeriodPreset) -> ReportQuery {
        ReportQuery { preset, ..Default::default() }
    }

    fn days(r: &PeriodRange) -> (String, String) {
        (r.from.clone(), r.to.clone())
    }

    #[test]
    fn a_month_in_progress_is_compared_with_as_many_days_before() {
        let p = resolve(&q(PeriodPreset::Month), d("2026-11-24"), zone()).unwrap();
        assert_eq!(days(&p.current), ("2026-11-01".into(), "2026-11-24".into()));
        assert_eq!(days(&p.previous), ("2026-10-01".into(), "2026-10-24".into()));
        assert_eq!(days(&p.year_ago), ("2025-11-01".into(), "2025-11-24".into()));
    }

    #[test]
    fn the_end_of_march_compares_with_february_as_it_was() {
        let p = resolve(&q(PeriodPreset::Month), d("2026-03-31"), zone()).unwrap();
        assert_eq!(days(&p.previous), ("2026-02-01".into(), "2026-02-28".into()));
        let leap = resolve(&q(PeriodPreset::Month), d("2024-02-29"), zone()).unwrap();
        assert_eq!(days(&leap.year_ago), ("2023-02-01".into(), "2023-02-28".into()));
    }

    #[test]
    fn weeks_start_on_monday_and_quarters_on_their_first_month() {
        let w = resolve(&q(PeriodPreset::Week), d("2026-11-26"), zone()).unwrap();
        assert_eq!(days(&w.current), ("2026-11-23".into(), "2026-11-26".into()));
        assert_eq!(days(&w.previous), ("2026-11-16".into(), "2026-11-19".into()));
        let qr = resolve(&q(PeriodPreset::Quarter), d("2026-11-24"), zone()).unwrap();
        assert_eq!(days(&qr.current), ("2026-10-01".into(), "2026-11-24".into()));
        assert_eq!(days(&qr.previous), ("2026-07-01".into(), "2026-08-24".into()));
        let y = resolve(&q(PeriodPreset::Year), d("2026-11-24"), zone()).unwrap();
        assert_eq!(days(&y.current), ("2026-01-01".into(), "2026-11-24".into()));
        assert_eq!(days(&y.previous), days(&y.year_ago));
    }

    #[test]
    fn a_custom_period_is_compared_with_the_days_just_before_it() {
        let c = ReportQuery { preset: PeriodPreset::Custom, from: Some("2026-10-01".into()), to: Some("2026-10-31".into()), owner: None };
        let p = resolve(&c, d("2026-11-24"), zone()).unwrap();
        assert_eq!(days(&p.current), ("2026-10-01".into(), "2026-10-31".into()));
        assert_eq!(days(&p.previous), ("2026-08-31".into(), "2026-09-30".into()));
        assert_eq!(days(&p.year_ago), ("2025-10-01".into(), "2025-10-31".into()));
    }

    #[test]
    fn bounds_are_local_midnights() {
        let p = resolve(&q(PeriodPreset::Month), d("2026-11-24"), zone()).unwrap();
        // 2026-11-01 00:00 in Shanghai is 2026-10-31 16:00 UTC.
        assert_eq!(p.current.start_ms, 1_793_462_400_000);
        assert_eq!(p.current.end_ms - p.current.start_ms, 24 * 86_400_000);
    }

    #[test]
    fn bad_custom_periods_are_field_errors() {
        let bad = |from: Option<&str>, to: Option<&str>| {
            let c = ReportQuery { preset: PeriodPreset::Custom, from: from.map(Into::into), to: to.map(Into::into), owner: None };
            match resolve(&c, d("2026-11-24"), zone()).unwrap_err() {
                Error::Validation(f) => f.into_iter().next().unwrap(),
                other => panic!("{other:?}"),
            }
        };
        assert_eq!(bad(None, Some("2026-01-01")), ("from".into(), "required".into()));
        assert_eq!(bad(Some("2026-13-01"), Some("2026-12-01")), ("from".into(), "date_invalid".into()));
        assert_eq!(bad(Some("2026-02-01"), Some("2026-01-01")), ("to".into(), "before_from".into()));
        assert_eq!(bad(Some("1900-01-01"), Some("2026-01-01")), ("to".into(), "out_of_range".into()));
    }

    #[test]
    fn twelve_months_end_with_the_last_one() {
        let m = months_back(d("2026-11-24"), 12);
        assert_eq!(m.first(), Some(&d("2025-12-01")));
        assert_eq!(m.last(), Some(&d("2026-11-01")));
        assert_eq!(m.len(), 12);
    }
}
