//! When a deal is stalled: no contact for N days, past its expected close date, or far longer
//! in its stage than deals usually stay there.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};

use super::{Stage, StageKind, StallReason};
use crate::db::to_ms;

/// The SQL expression (over `deals d`) for the last contact with the customer about a deal.
/// This is the ONE place that knows it: every query and rule reads it from here.
///
/// It is the later of the deal's own last activity (a stage change or edit) and the
/// customer's last follow-up (kept on the customer row, so this is one primary-key lookup).
pub fn last_contact_sql() -> &'static str {
    "max(d.updated_at, coalesce((SELECT lc.last_followup_at FROM customers lc WHERE lc.id = d.customer_id), 0))"
}

/// A stage's average stay is trusted from this many completed stays on.
pub const MIN_STAYS: i64 = 3;
/// "Too long in a stage": more than this many times the stage's average stay.
pub const SLOW_FACTOR: i64 = 2;
const DAY_MS: i64 = 86_400_000;

/// Everything the rules need, read once per operation.
#[derive(Debug, Clone)]
pub struct StallRules {
    pub now_ms: i64,
    /// Today in the user's zone.
    pub today: NaiveDate,
    pub stall_days: i64,
    /// Stage id → (kind, completed stays, their total ms).
    stages: HashMap<i64, (StageKind, i64, i64)>,
}

impl StallRules {
    pub fn new(now: DateTime<Utc>, today: NaiveDate, stall_days: i64, stages: &[Stage]) -> Self {
        let stages = stages
            .iter()
            .map(|s| (s.id, (s.kind, s.stay_count, s.stay_ms)))
            .collect();
        StallRules { now_ms: to_ms(now), today, stall_days, stages }
    }

    /// The no-contact threshold as a timestamp: a last contact at or before it is stalled.
    pub fn contact_cutoff_ms(&self) -> i64 {
        self.now_ms - self.stall_days * DAY_MS
    }

    /// Why an open deal is stalled (empty when it is not, and always for won or lost deals).
    pub fn reasons(&self, stage_id: i64, last_contact_ms: i64, close_date: Option<NaiveDate>, stage_at_ms: i64) -> Vec<StallReason> {
        let Some(&(kind, stays, stay_ms)) = self.stages.get(&stage_id) else { return Vec::new() };
        if kind != StageKind::Open {
            return Vec::new();
        }
        let mut out = Vec::new();
        if last_contact_ms <= self.contact_cutoff_ms() {
            out.push(StallReason::NoContact);
        }
        if close_date.is_some_and(|d| d < self.today) {
            out.push(StallReason::Overdue);
        }
        // time in stage > factor × (total / stays), in integers: × stays on both sides.
        if stays >= MIN_STAYS && (self.now_ms - stage_at_ms) * stays > SLOW_FACTOR * stay_ms {
            out.push(StallReason::SlowStage);
        }
        out
    }
}

/// The stalled open deals matching `filter`, longest without contact first: what the
/// workbench shows as "deals at risk".
pub async fn list(
    conn: &mut sqlx::SqliteConnection,
    ctx: &super::store::Context,
    filter: &super::DealFilter,
    limit: u32,
) -> crate::Result<Vec<super::Deal>> {
    use sqlx::QueryBuilder;
    if !(1..=500).contains(&limit) {
        return Err(crate::Error::invalid("limit", "out_of_range"));
    }
    let open: Vec<&Stage> = ctx.stages.iter().filter(|s| s.kind == StageKind::Open).collect();
    if open.is_empty() {
        return Ok(Vec::new());
    }
    let rules = &ctx.rules;
    let mut qb = QueryBuilder::new(super::store::select());
    super::store::push_filter(&mut qb, filter, ctx.zone)?;
    qb.push(" AND d.stage_id IN (");
    let mut ids = qb.separated(", ");
    for s in &open {
        ids.push_bind(s.id);
    }
    qb.push(") AND (").push(last_contact_sql()).push(" <= ").push_bind(rules.contact_cutoff_ms());
    qb.push(" OR d.close_date < ").push_bind(rules.today.format("%Y-%m-%d").to_string());
    for s in open.iter().filter(|s| s.stay_count >= MIN_STAYS) {
        qb.push(" OR (d.stage_id = ").push_bind(s.id);
        qb.push(" AND (").push_bind(rules.now_ms).push(" - d.stage_at) * ").push_bind(s.stay_count);
        qb.push(" > ").push_bind(SLOW_FACTOR * s.stay_ms).push(")");
    }
    qb.push(") ORDER BY ").push(last_contact_sql()).push(", d.id LIMIT ").push_bind(limit as i64);
    let rows: Vec<super::store::Row> = qb.build_query_as().fetch_all(conn).await?;
    Ok(rows.into_iter().map(|r| ctx.deal(r)).collect())
}
