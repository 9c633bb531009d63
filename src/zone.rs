//! The user's time zone. Times are stored in UTC; "tomorrow 9:00", quiet hours, "today" and
//! a renewal date's morning are local notions, and across a daylight-saving change a fixed
//! offset would put them an hour off. So the zone is a named one whenever the system says which.

use std::str::FromStr;

use chrono::{DateTime, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Utc};

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Zone {
    Fixed(FixedOffset),
    Named(chrono_tz::Tz),
}

impl Zone {
    /// The machine's zone: `TZ`, else the system setting, else the current offset.
    pub fn machine() -> Zone {
        let named = std::env::var("TZ").ok().map(|tz| tz.trim_start_matches(':').to_owned()).or_else(|| iana_time_zone::get_timezone().ok());
        if let Some(tz) = named.and_then(|name| chrono_tz::Tz::from_str(&name).ok()) {
            return Zone::Named(tz);
        }
        Zone::Fixed(*chrono::Local::now().offset())
    }

    pub fn named(name: &str) -> Option<Zone> {
        chrono_tz::Tz::from_str(name).ok().map(Zone::Named)
    }

    pub fn offset_at(&self, at: DateTime<Utc>) -> FixedOffset {
        match self {
            Zone::Fixed(offset) => *offset,
            Zone::Named(tz) => tz.offset_from_utc_datetime(&at.naive_utc()).fix(),
        }
    }

    pub fn to_local(&self, at: DateTime<Utc>) -> NaiveDateTime {
        at.with_timezone(&self.offset_at(at)).naive_local()
    }

    /// The instant a wall-clock time names. A time skipped by a spring-forward change is
    /// read as the same distance past the change (02:30 → 03:30); a repeated one as the first.
    pub fn from_local(&self, local: NaiveDateTime) -> DateTime<Utc> {
        match self {
            Zone::Fixed(offset) => resolve(offset.from_local_datetime(&local), || unreachable!()),
            Zone::Named(tz) => resolve(tz.from_local_datetime(&local), || {
                let before = tz.offset_from_utc_datetime(&(local - chrono::Duration::hours(12))).fix();
                (local - before).and_utc()
            }),
        }
    }

    /// `date` at `time`, local.
    pub fn at(&self, date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
        self.from_local(date.and_time(time))
    }

    pub fn today(&self, now: DateTime<Utc>) -> NaiveDate {
        self.to_local(now).date()
    }
}

fn resolve<Tz: TimeZone>(found: LocalResult<DateTime<Tz>>, gap: impl FnOnce() -> DateTime<Utc>) -> DateTime<Utc> {
    match found {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(first, _) => first.with_timezone(&Utc),
        LocalResult::None => gap(),
    }
}

impl From<FixedOffset> for Zone {
    fn from(offset: FixedOffset) -> Self {
        Zone::Fixed(offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn spring_forward_gap_moves_past_the_change() {
        let ny = Zone::named("America/New_York").unwrap();
        // 2026-03-08 02:00 EST → 03:00 EDT: 02:30 does not exist.
        assert_eq!(ny.from_local(local("2026-03-08 02:30")).to_rfc3339(), "2026-03-08T07:30:00+00:00");
        assert_eq!(ny.from_local(local("2026-03-08 09:00")).to_rfc3339(), "2026-03-08T13:00:00+00:00");
        assert_eq!(ny.from_local(local("2026-03-07 09:00")).to_rfc3339(), "2026-03-07T14:00:00+00:00");
    }

    #[test]
    fn fall_back_takes_the_first_of_the_repeated_hour() {
        let ny = Zone::named("America/New_York").unwrap();
        assert_eq!(ny.from_local(local("2026-11-01 01:30")).to_rfc3339(), "2026-11-01T05:30:00+00:00");
    }

    #[test]
    fn fixed_offsets_round_trip() {
        let cn = Zone::Fixed(FixedOffset::east_opt(8 * 3600).unwrap());
        let t = cn.from_local(local("2026-11-24 09:00"));
        assert_eq!(t.to_rfc3339(), "2026-11-24T01:00:00+00:00");
        assert_eq!(cn.to_local(t), local("2026-11-24 09:00"));
    }
}
