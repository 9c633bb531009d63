//! Which automatic backups to keep. A pure rule over the listed backups and `now`, so it is
//! tested at every boundary without touching a clock or a disk.
//!
//! - daily: the 7 newest, plus a weekly one for each of the 4 ISO weeks (Monday to Sunday,
//!   in the user's zone) before the current week: the newest daily backup of that week.
//!   Together they reach back four to five weeks with at most 11 files.
//! - pre-migration, pre-import, pre-restore: the 5 newest of each kind. They guard one step
//!   each; the daily ones cover the longer past.
//! - manual: never removed; the user decides about those.

use std::collections::HashSet;

use chrono::{DateTime, Datelike, Duration, IsoWeek, Utc};

use super::{BackupInfo, BackupKind};
use crate::Zone;

pub const KEEP_DAILY: usize = 7;
pub const KEEP_WEEKLY: i64 = 4;
pub const KEEP_PER_STEP: usize = 5;

/// The backups the rule lets go, from `backups` (any order).
pub fn expired(backups: &[BackupInfo], now: DateTime<Utc>, zone: Zone) -> Vec<BackupInfo> {
    let mut keep: HashSet<&str> = HashSet::new();
    let newest_first = |kind: BackupKind| {
        let mut of_kind: Vec<&BackupInfo> = backups.iter().filter(|b| b.kind == kind).collect();
        of_kind.sort_by(|a, b| b.at.cmp(&a.at).then_with(|| b.path.cmp(&a.path)));
        of_kind
    };
    let daily = newest_first(BackupKind::Daily);
    keep.extend(daily.iter().take(KEEP_DAILY).map(|b| b.path.as_str()));
    let week_of = |at: DateTime<Utc>| -> IsoWeek { zone.to_local(at).date().iso_week() };
    let today = zone.to_local(now).date();
    for back in 1..=KEEP_WEEKLY {
        let week = (today - Duration::weeks(back)).iso_week();
        if let Some(newest) = daily.iter().find(|b| week_of(b.at) == week) {
            keep.insert(newest.path.as_str());
        }
    }
    for kind in [
        BackupKind::PreMigration,
        BackupKind::PreImport,
        BackupKind::PreRestore,
    ] {
        keep.extend(
            newest_first(kind)
                .iter()
                .take(KEEP_PER_STEP)
                .map(|b| b.path.as_str()),
        );
    }
    backups
        .iter()
        .filter(|b| b.kind != BackupKind::Manual && !keep.contains(b.path.as_str()))
        .cloned()
        .collect()
}

/// Whether today (in the user's zone) still lacks a daily backup.
pub fn daily_due(backups: &[BackupInfo], now: DateTime<Utc>, zone: Zone) -> bool {
    let today = zone.to_local(now).date();
    !backups
        .iter()
        .any(|b| b.kind == BackupKind::Daily && zone.to_local(b.at).date() >= today)
}
