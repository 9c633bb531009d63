#![allow(dead_code)]

use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use tempfile::TempDir;
use yiben::{Crm, FixedClock, SequentialIds};

/// 2026-03-01 09:30 Beijing time.
pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 1, 30, 0).unwrap()
}

pub struct Ledger {
    pub crm: Crm,
    pub clock: Arc<FixedClock>,
    pub dir: TempDir,
}

pub async fn ledger() -> Ledger {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::new(t0()));
    let crm = Crm::open_with(dir.path().join("ledger.db"), clock.clone(), Arc::new(SequentialIds::default()))
        .await
        .unwrap();
    Ledger { crm, clock, dir }
}

pub fn input(name: &str, phone: Option<&str>, industry: Option<&str>) -> yiben::customers::CustomerInput {
    yiben::customers::CustomerInput {
        name: name.into(),
        phone: phone.map(Into::into),
        industry: industry.map(Into::into),
    }
}
