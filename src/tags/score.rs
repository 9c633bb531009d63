//! The customer value score (0–100) from RFM, engagement and funnel position, kept on the
//! customer row with what drove it. One set-based statement serves one customer after a
//! write and the whole ledger once a day, a batch of customer ids at a time (recency decays
//! without any write).
//!
//! Points: recency 30, frequency 20, monetary 25, engagement 10, funnel 15.
//! - Recency (R 1–5): days since the last follow-up or deal activity: ≤7 → 5, ≤30 → 4,
//!   ≤90 → 3, ≤180 → 2, longer or never → 1.
//! - Frequency (F 1–5): follow-ups plus new deals in the last 180 days: ≥10 → 5, ≥6 → 4,
//!   ≥3 → 3, ≥1 → 2, none → 1.
//! - Monetary (M 1–5): amount won: ≥100万 → 5, ≥30万 → 4, ≥10万 → 3, any → 2, none → 1.
//! - Engagement: the share of those follow-ups with the customer's feedback.
//! - Funnel: the win probability of the most advanced open deal (100 once a deal is won).
//!
//! Score = (R−1)·7.5 + (F−1)·5 + (M−1)·6.25 + engagement·10 + funnel·0.15, rounded.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;
use ts_rs::TS;

use super::auto::Scope;
use crate::reminders::ScoreDrop;
use crate::Result;

const DAY: i64 = 86_400_000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ScoreDetail {
    #[ts(type = "number")]
    pub score: i64,
    /// Days since the last contact; absent: never.
    #[ts(type = "number | null")]
    pub recency_days: Option<i64>,
    #[ts(type = "number")]
    pub r: i64,
    #[ts(type = "number")]
    pub f: i64,
    #[ts(type = "number")]
    pub m: i64,
    /// Follow-ups and new deals in the last 180 days.
    #[ts(type = "number")]
    pub touches: i64,
    /// Won amount in fen.
    #[ts(type = "number")]
    pub won_fen: i64,
    /// 0–100: the share of recent follow-ups the customer answered.
    #[ts(type = "number")]
    pub engagement: i64,
    /// 0–100.
    #[ts(type = "number")]
    pub funnel: i64,
    /// Each factor's points, in the order recency, frequency, monetary, engagement, funnel.
    #[ts(type = "number[]")]
    pub points: Vec<i64>,
    /// A, B or C by the grading thresholds (设置); a grade typed on the customer wins.
    #[serde(default)]
    pub grade: Option<String>,
    /// The recent high the score fell from, when the fall is sharp enough for 流失预警
    /// (设置 → 提醒规则); absent otherwise.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub fell_from: Option<i64>,
}

/// Recomputes the scores in `scope`, and each customer's recent high: a score at or above
/// the high, or a high older than the window, becomes the new high (流失预警 compares them).
///
/// The deals and follow-ups of the scope are summed once per customer (grouped, then joined)
/// rather than asked per customer: correlated subqueries were evaluated again for every use
/// of their value, and SQLite picked the `deleted_at`-led deal indexes for them, reading every
/// live deal once per customer.
pub async fn refresh(conn: &mut SqliteConnection, now: DateTime<Utc>, fall: &ScoreDrop, scope: Scope) -> Result<u64> {
    let sql = format!(
        "WITH
         deal_sums AS MATERIALIZED (
             SELECT d.customer_id AS id, max(d.updated_at) AS touched,
                 sum(d.created_at >= ?1 - 180 * {DAY}) AS new_deals,
                 sum(CASE WHEN s.kind = 'won' THEN d.amount_fen ELSE 0 END) AS won,
                 max(CASE s.kind WHEN 'won' THEN 100 WHEN 'lost' THEN NULL ELSE coalesce(d.probability, s.probability) END) AS funnel
             FROM deals d JOIN deal_stages s ON s.id = d.stage_id
             WHERE {deals} AND +d.deleted_at IS NULL
             GROUP BY d.customer_id),
         call_sums AS MATERIALIZED (
             SELECT f.customer_id AS id, count(*) AS calls, count(f.feedback) AS answered
             FROM followups f WHERE {calls} AND f.at >= ?1 - 180 * {DAY}
             GROUP BY f.customer_id),
         base AS (
             SELECT c.id, max(coalesce(c.last_followup_at, 0), coalesce(ds.touched, 0)) AS touch,
                 coalesce(cs.calls, 0) + coalesce(ds.new_deals, 0) AS touches, coalesce(cs.calls, 0) AS calls,
                 coalesce(cs.answered, 0) AS answered, coalesce(ds.won, 0) AS won, coalesce(ds.funnel, 0) AS funnel
             FROM customers c LEFT JOIN deal_sums ds ON ds.id = c.id LEFT JOIN call_sums cs ON cs.id = c.id
             WHERE c.deleted_at IS NULL AND {customers}),
         graded AS (
             SELECT id, touch, touches, won, funnel,
                 CASE WHEN calls = 0 THEN 0 ELSE (answered * 100) / calls END AS engagement,
                 CASE WHEN touch = 0 THEN 1 WHEN ?1 - touch <= 7 * {DAY} THEN 5 WHEN ?1 - touch <= 30 * {DAY} THEN 4
                      WHEN ?1 - touch <= 90 * {DAY} THEN 3 WHEN ?1 - touch <= 180 * {DAY} THEN 2 ELSE 1 END AS r,
                 CASE WHEN touches >= 10 THEN 5 WHEN touches >= 6 THEN 4 WHEN touches >= 3 THEN 3 WHEN touches >= 1 THEN 2 ELSE 1 END AS f,
                 CASE WHEN won >= 100000000 THEN 5 WHEN won >= 30000000 THEN 4 WHEN won >= 10000000 THEN 3 WHEN won > 0 THEN 2 ELSE 1 END AS m
             FROM base),
         points AS (
             SELECT *, (r - 1) * 7.5 AS pr, (f - 1) * 5.0 AS pf, (m - 1) * 6.25 AS pm, engagement / 10.0 AS pe, funnel * 0.15 AS pn
             FROM graded),
         scored AS (SELECT *, CAST(round(pr + pf + pm + pe + pn) AS INTEGER) AS score FROM points)
         UPDATE customers SET
             value_score = p.score,
             score_high = CASE WHEN {new_high} THEN p.score ELSE customers.score_high END,
             score_high_at = CASE WHEN {new_high} THEN ?1 ELSE customers.score_high_at END,
             score_detail = json_object(
                 'score', p.score,
                 'recencyDays', CASE WHEN p.touch = 0 THEN NULL ELSE (?1 - p.touch) / {DAY} END,
                 'r', p.r, 'f', p.f, 'm', p.m, 'touches', p.touches, 'wonFen', p.won,
                 'engagement', p.engagement, 'funnel', p.funnel,
                 'points', json_array(CAST(round(p.pr) AS INTEGER), CAST(round(p.pf) AS INTEGER), CAST(round(p.pm) AS INTEGER),
                                      CAST(round(p.pe) AS INTEGER), CAST(round(p.pn) AS INTEGER)))
         FROM scored p WHERE customers.id = p.id",
        deals = scope.on("d.customer_id"),
        calls = scope.on("f.customer_id"),
        customers = scope.on("c.id"),
        new_high = format!(
            "customers.score_high IS NULL OR p.score >= customers.score_high OR customers.score_high_at < ?1 - {}",
            fall.window().num_milliseconds()
        )
    );
    Ok(sqlx::query(sqlx::AssertSqlSafe(sql)).bind(now.timestamp_millis()).execute(conn).await?.rows_affected())
}

/// The stored score with what drives it; `fell_from` is set when the score sits at least the
/// rule's points below a high of its window.
pub async fn detail(conn: &mut SqliteConnection, customer_id: i64, fall: &ScoreDrop, now: DateTime<Utc>) -> Result<Option<ScoreDetail>> {
    let row: Option<(Option<String>, Option<i64>, Option<i64>)> =
        sqlx::query_as("SELECT score_detail, score_high, score_high_at FROM customers WHERE id = ?").bind(customer_id).fetch_optional(conn).await?;
    let (raw, high, high_at) = row.ok_or(crate::Error::NotFound { entity: "customer", id: customer_id.to_string() })?;
    let Some(mut detail) = raw.and_then(|json| serde_json::from_str::<ScoreDetail>(&json).ok()) else { return Ok(None) };
    let recent = high_at.is_some_and(|at| at >= (now - fall.window()).timestamp_millis());
    detail.fell_from = high.filter(|h| fall.enabled && recent && h - detail.score >= i64::from(fall.points));
    Ok(Some(detail))
}
