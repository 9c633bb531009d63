//! The customer value score (0–100) from RFM, engagement and funnel position, kept on the
//! customer row with what drove it. One set-based statement serves one customer after a
//! write and the whole ledger once a day (recency decays without any write).
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
}

pub async fn refresh(conn: &mut SqliteConnection, now: DateTime<Utc>, scope: Scope) -> Result<u64> {
    let filter = match scope {
        Scope::All => "1".to_owned(),
        Scope::Customer(id) => format!("c.id = {id}"),
    };
    let sql = format!(
        "WITH base AS (
             SELECT c.id,
                 max(coalesce(c.last_followup_at, 0),
                     coalesce((SELECT max(d.updated_at) FROM deals d WHERE d.customer_id = c.id AND d.deleted_at IS NULL), 0)) AS touch,
                 (SELECT count(*) FROM followups f WHERE f.customer_id = c.id AND f.at >= ?1 - 180 * {DAY})
                   + (SELECT count(*) FROM deals d WHERE d.customer_id = c.id AND d.deleted_at IS NULL AND d.created_at >= ?1 - 180 * {DAY}) AS touches,
                 (SELECT count(*) FROM followups f WHERE f.customer_id = c.id AND f.at >= ?1 - 180 * {DAY}) AS calls,
                 (SELECT count(*) FROM followups f WHERE f.customer_id = c.id AND f.at >= ?1 - 180 * {DAY} AND f.feedback IS NOT NULL) AS answered,
                 (SELECT coalesce(sum(d.amount_fen), 0) FROM deals d JOIN deal_stages s ON s.id = d.stage_id AND s.kind = 'won'
                   WHERE d.customer_id = c.id AND d.deleted_at IS NULL) AS won,
                 coalesce((SELECT max(CASE s.kind WHEN 'won' THEN 100 ELSE coalesce(d.probability, s.probability) END)
                   FROM deals d JOIN deal_stages s ON s.id = d.stage_id AND s.kind <> 'lost'
                   WHERE d.customer_id = c.id AND d.deleted_at IS NULL), 0) AS funnel
             FROM customers c WHERE c.deleted_at IS NULL AND {filter}),
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
             FROM graded)
         UPDATE customers SET
             value_score = CAST(round(p.pr + p.pf + p.pm + p.pe + p.pn) AS INTEGER),
             score_detail = json_object(
                 'score', CAST(round(p.pr + p.pf + p.pm + p.pe + p.pn) AS INTEGER),
                 'recencyDays', CASE WHEN p.touch = 0 THEN NULL ELSE (?1 - p.touch) / {DAY} END,
                 'r', p.r, 'f', p.f, 'm', p.m, 'touches', p.touches, 'wonFen', p.won,
                 'engagement', p.engagement, 'funnel', p.funnel,
                 'points', json_array(CAST(round(p.pr) AS INTEGER), CAST(round(p.pf) AS INTEGER), CAST(round(p.pm) AS INTEGER),
                                      CAST(round(p.pe) AS INTEGER), CAST(round(p.pn) AS INTEGER)))
         FROM points p WHERE customers.id = p.id"
    );
    Ok(sqlx::query(sqlx::AssertSqlSafe(sql)).bind(now.timestamp_millis()).execute(conn).await?.rows_affected())
}

pub async fn detail(conn: &mut SqliteConnection, customer_id: i64) -> Result<Option<ScoreDetail>> {
    let raw: Option<Option<String>> =
        sqlx::query_scalar("SELECT score_detail FROM customers WHERE id = ?").bind(customer_id).fetch_optional(conn).await?;
    let raw = raw.ok_or(crate::Error::NotFound { entity: "customer", id: customer_id.to_string() })?;
    Ok(raw.and_then(|json| serde_json::from_str(&json).ok()))
}
