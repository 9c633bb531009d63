//! Time and identity come from outside the business logic, so tests and the CLI's `--now`
//! are deterministic. The façade reads them once per operation and passes the values down.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};
use uuid::{ContextV7, Timestamp, Uuid};

pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that stands still until told to move.
pub struct FixedClock(Mutex<DateTime<Utc>>);

impl FixedClock {
    pub fn new(at: DateTime<Utc>) -> Self {
        FixedClock(Mutex::new(at))
    }
    pub fn set(&self, at: DateTime<Utc>) {
        *self.0.lock().unwrap() = at;
    }
    pub fn advance(&self, by: Duration) {
        *self.0.lock().unwrap() += by;
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap()
    }
}

/// Globally unique record ids (`uid`), so records keep their identity when a team later
/// moves to a shared server.
pub trait IdGen: Send + Sync {
    fn next_uid(&self, now: DateTime<Utc>) -> String;
}

/// UUIDv7 with a per-process counter: ids made in the same millisecond (a bulk import) still
/// ascend, so each new row lands at the end of the uid index instead of at a random page.
#[derive(Default)]
pub struct RandomIds(Mutex<ContextV7>);

impl IdGen for RandomIds {
    fn next_uid(&self, now: DateTime<Utc>) -> String {
        let context = self.0.lock().unwrap();
        let ts = Timestamp::from_unix(&*context, now.timestamp() as u64, now.timestamp_subsec_nanos());
        Uuid::new_v7(ts).to_string()
    }
}

/// 00000000-0000-0000-0000-000000000001, …2, …: for tests and reproducible CLI runs.
#[derive(Default)]
pub struct SequentialIds(AtomicU64);

impl IdGen for SequentialIds {
    fn next_uid(&self, _now: DateTime<Utc>) -> String {
        Uuid::from_u128(self.0.fetch_add(1, Ordering::Relaxed) as u128 + 1).to_string()
    }
}
