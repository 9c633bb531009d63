#![allow(dead_code)]

pub mod cli;

use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use tempfile::TempDir;
use yiben::customers::{ContactInput, Customer, CustomerInput, ListQuery};
use yiben::{Crm, FixedClock, SequentialIds};

/// The package's folder, read when the test runs: a build directory shared by clones at other
/// paths keeps the compile-time `env!` value of whichever clone built the binary first.
pub fn package_dir() -> std::path::PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo test").into()
}

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
        .unwrap()
        .with_zone(chrono::FixedOffset::east_opt(8 * 3600).unwrap());
    Ledger { crm, clock, dir }
}

pub fn input(name: &str, phone: Option<&str>, industry: Option<&str>) -> CustomerInput {
    CustomerInput { name: name.into(), phone: phone.map(Into::into), industry: industry.map(Into::into), ..Default::default() }
}

pub fn contact(name: &str, phones: &[&str]) -> ContactInput {
    ContactInput { name: name.into(), phones: phones.iter().map(|p| p.to_string()).collect(), ..Default::default() }
}

/// Adds a customer that must save (no duplicate expected).
pub async fn add(crm: &Crm, input: &CustomerInput) -> Customer {
    crm.add_customer(input, false).await.unwrap().saved().unwrap()
}

/// Adds a customer whatever duplicates exist.
pub async fn add_anyway(crm: &Crm, input: &CustomerInput) -> Customer {
    crm.add_customer(input, true).await.unwrap().saved().unwrap()
}

pub async fn total(crm: &Crm) -> i64 {
    crm.list_customers(&ListQuery::first(1)).await.unwrap().total.expect("first pages carry their total")
}
