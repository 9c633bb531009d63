//! The wait imposed after wrong passwords at the lock screen. It only slows someone guessing
//! at the keyboard: an attacker with the file runs Argon2id himself, and that cost is what
//! protects the ledger. Kept by the caller (the desktop's lock state), with its clock passed in.

use chrono::{DateTime, Duration, Utc};

/// Wrong passwords in a row that cost nothing (typos happen).
pub const FREE_TRIES: u32 = 3;
const FIRST_WAIT_SECS: i64 = 2;
const MAX_WAIT_SECS: i64 = 300;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Backoff {
    failures: u32,
    next_try: Option<DateTime<Utc>>,
}

impl Backoff {
    /// How long until the next try is allowed; `None` when it is allowed now.
    pub fn wait(&self, now: DateTime<Utc>) -> Option<Duration> {
        self.next_try.filter(|&at| at > now).map(|at| at - now)
    }

    /// Records a wrong password; answers the wait it imposes before the next try: none for
    /// the first [`FREE_TRIES`], then 2 s doubling with each failure, at most 5 minutes.
    pub fn failed(&mut self, now: DateTime<Utc>) -> Option<Duration> {
        self.failures = self.failures.saturating_add(1);
        let over = self.failures.saturating_sub(FREE_TRIES);
        if over == 0 {
            return None;
        }
        let secs = FIRST_WAIT_SECS.saturating_mul(1i64 << (over - 1).min(16)).min(MAX_WAIT_SECS);
        let wait = Duration::seconds(secs);
        self.next_try = Some(now + wait);
        Some(wait)
    }

    /// The right password: the count starts again.
    pub fn succeeded(&mut self) {
        *self = Backoff::default();
    }

    pub fn failures(&self) -> u32 {
        self.failures
    }
}
