//! Follow-up efficiency by method: how often, how often answered, how far apart, and whether
//! the next steps they planned were met in time.

use chrono::{DateTime, Utc};
use sqlx::{QueryBuilder, SqliteConnection};

use super::scope::Scope;
use super::{FollowupEfficiency, MethodRow};
use crate::followups::{self, FollowupMethod};
use crate::Result;

const DAY_MS: f64 = 86_400_000.0;

#[derive(Debug, Clone, Copy, Default, PartialEq, sqlx::FromRow)]
pub struct MethodFacts {
    pub method_id: i64,
    pub followups: i64,
    pub responses: i64,
    /// Follow-ups with a later contact, and the sum of the gaps to it.
    pub gaps: i64,
    pub gap_ms: i64,
    pub next_due: i64,
    pub next_on_time: i64,
}

/// The query, grouped by method (`prefix` lets the benchmark ask for its plan).
pub fn facts_query(prefix: &str, scope: &Scope, now: DateTime<Utc>) -> QueryBuilder<sqlx::Sqlite> {
    let now_ms = now.timestamp_millis();
    let mut qb = QueryBuilder::new(format!(
        "{prefix}SELECT f.method_id AS method_id, count(*) AS followups, coalesce(sum(f.responded), 0) AS responses,
                count(f.next_contact_at) AS gaps, coalesce(sum(f.next_contact_at - f.at), 0) AS gap_ms,
                coalesce(sum(f.next_at <= {now_ms}), 0) AS next_due,
                coalesce(sum(CASE WHEN f.next_at IS NULL OR f.next_at > {now_ms} THEN 0
                                  WHEN f.next_contact_at <= f.next_at THEN 1
                                  WHEN EXISTS (SELECT 1 FROM reminders r WHERE r.cause = 'next_step:' || f.id
                                                  AND r.status = 'done' AND r.closed_at <= f.next_at) THEN 1
                                  ELSE 0 END), 0) AS next_on_time
           FROM followups f WHERE f.hidden = 0"
    ));
    scope.push_between(&mut qb, "f.at");
    scope.push_owner(&mut qb, "f.owner");
    qb.push(" GROUP BY f.method_id");
    qb
}

pub async fn efficiency(conn: &mut SqliteConnection, scope: &Scope, now: DateTime<Utc>) -> Result<FollowupEfficiency> {
    let facts: Vec<MethodFacts> = facts_query("", scope, now).build_query_as().fetch_all(&mut *conn).await?;
    let methods = followups::methods(conn).await?;
    Ok(build(scope, &methods, &facts))
}

/// Every method (those unused with zeros), most follow-ups first, and the total.
pub fn build(scope: &Scope, methods: &[FollowupMethod], facts: &[MethodFacts]) -> FollowupEfficiency {
    let mut rows: Vec<MethodRow> = methods
        .iter()
        .map(|m| {
            let f = facts.iter().find(|f| f.method_id == m.id).copied().unwrap_or_default();
            row(Some(m), &f)
        })
        .collect();
    rows.sort_by_key(|r| std::cmp::Reverse(r.followups));
    let sum = facts.iter().fold(MethodFacts::default(), |t, f| MethodFacts {
        method_id: 0,
        followups: t.followups + f.followups,
        responses: t.responses + f.responses,
        gaps: t.gaps + f.gaps,
        gap_ms: t.gap_ms + f.gap_ms,
        next_due: t.next_due + f.next_due,
        next_on_time: t.next_on_time + f.next_on_time,
    });
    FollowupEfficiency { period: scope.range.clone(), methods: rows, total: row(None, &sum) }
}

fn row(method: Option<&FollowupMethod>, f: &MethodFacts) -> MethodRow {
    let ratio = |part: i64, whole: i64| (whole > 0).then(|| part as f64 / whole as f64);
    MethodRow {
        method_id: method.map(|m| m.id),
        code: method.and_then(|m| m.code.clone()),
        name: method.map(|m| m.name.clone()).unwrap_or_default(),
        followups: f.followups,
        responses: f.responses,
        response_rate: ratio(f.responses, f.followups),
        avg_gap_days: (f.gaps > 0).then(|| f.gap_ms as f64 / f.gaps as f64 / DAY_MS),
        next_steps_due: f.next_due,
        next_steps_on_time: f.next_on_time,
        on_time_rate: ratio(f.next_on_time, f.next_due),
    }
}
