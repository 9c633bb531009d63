//! Deals (商机) and the sales funnel: editable stages and lost reasons, the deals themselves
//! with their stage history, and the reports read from them (funnel, forecast, stalled).
//! Every SQL statement on these tables lives in this module.

pub mod bulk;
pub mod customer_filter;
pub mod forecast;
pub mod funnel;
pub(crate) mod input;
pub mod stages;
pub mod stalled;
pub mod store;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use customer_filter::CustomerFilter;
pub use input::NewDeal;
pub use store::customer_of;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum StageKind {
    /// Still being worked on.
    Open,
    /// 成交
    Won,
    /// 流失: needs a reason.
    Lost,
}

impl StageKind {
    pub fn from_db(s: &str) -> Self {
        match s {
            "won" => StageKind::Won,
            "lost" => StageKind::Lost,
            _ => StageKind::Open,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Stage {
    #[ts(type = "number")]
    pub id: i64,
    /// lead, qualified, proposal, negotiation, won, lost for the built-in stages.
    pub code: Option<String>,
    pub name: String,
    #[ts(type = "number")]
    pub position: i64,
    /// The default win probability of a deal in this stage, 0–100.
    #[ts(type = "number")]
    pub probability: i64,
    pub kind: StageKind,
    /// How long deals stayed in this stage on average (completed stays only).
    pub avg_stay_days: Option<f64>,
    #[ts(type = "number")]
    pub stay_count: i64,
    /// The completed stays' total length.
    #[ts(type = "number")]
    pub stay_ms: i64,
}

/// A new open stage (no id) or a renamed / re-weighted one.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StageInput {
    #[ts(type = "number | null")]
    pub id: Option<i64>,
    pub name: String,
    #[ts(type = "number")]
    pub probability: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, sqlx::FromRow)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LostReason {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    #[ts(type = "number")]
    pub position: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LostReasonInput {
    #[ts(type = "number | null")]
    pub id: Option<i64>,
    pub name: String,
}

/// Why a deal is flagged as stalled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum StallReason {
    /// No contact for the configured number of days (连续2周未回应 → 流失风险).
    NoContact,
    /// The expected close date has passed.
    Overdue,
    /// In its current stage more than twice as long as deals usually stay there.
    SlowStage,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Deal {
    #[ts(type = "number")]
    pub id: i64,
    pub uid: String,
    #[ts(type = "number")]
    pub customer_id: i64,
    pub customer_name: String,
    pub name: String,
    #[ts(type = "number")]
    pub amount_fen: i64,
    /// Expected close date, `YYYY-MM-DD`.
    pub close_date: Option<String>,
    /// Days from today (in the user's zone) to the close date; negative once overdue.
    #[ts(type = "number | null")]
    pub days_left: Option<i64>,
    /// The probability in force: the override, else the stage's default.
    #[ts(type = "number")]
    pub probability: i64,
    #[ts(type = "number | null")]
    pub probability_override: Option<i64>,
    pub owner: Option<String>,
    #[ts(type = "number")]
    pub stage_id: i64,
    /// When the deal entered its current stage.
    pub stage_at: DateTime<Utc>,
    pub lost_reason: Option<String>,
    pub lost_note: Option<String>,
    pub notes: Option<String>,
    /// Feedback per stage: stage id → text.
    pub feedback: BTreeMap<String, String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub deleted_at: Option<DateTime<Utc>>,
    /// The last contact with the customer about this deal (see [`stalled::LAST_CONTACT`]).
    pub last_contact_at: DateTime<Utc>,
    /// Empty unless the deal is open and stalled.
    pub stalled: Vec<StallReason>,
}

/// What the deal form and `yiben deals add` send. Text fields arrive as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DealInput {
    #[ts(type = "number")]
    pub customer_id: i64,
    pub name: String,
    /// `30万`, `300000`, `¥3,000`, `1.5亿` …; a bare number is yuan.
    pub amount: String,
    /// `2026-11-30`, `2026/11/30`, `2026年11月30日`.
    #[ts(optional)]
    pub close_date: Option<String>,
    /// Overrides the stage's default probability (0–100); absent to use the default.
    #[ts(optional, type = "number | null")]
    pub probability: Option<i64>,
    /// Defaults to the customer's owner.
    #[ts(optional)]
    pub owner: Option<String>,
    /// Defaults to the first stage.
    #[ts(optional, type = "number | null")]
    pub stage_id: Option<i64>,
    #[ts(optional)]
    pub lost_reason: Option<String>,
    #[ts(optional)]
    pub lost_note: Option<String>,
    #[ts(optional)]
    pub notes: Option<String>,
    #[serde(default)]
    pub feedback: BTreeMap<String, String>,
}

/// A stage change: drag and drop, the "move to" menu, `yiben deals move`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MoveInput {
    #[ts(type = "number")]
    pub stage_id: i64,
    #[ts(optional)]
    pub lost_reason: Option<String>,
    #[ts(optional)]
    pub lost_note: Option<String>,
    /// When it happened, if not now (recording a change made earlier).
    #[ts(optional)]
    pub at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, sqlx::FromRow)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StageChange {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number | null")]
    pub from_stage_id: Option<i64>,
    #[ts(type = "number")]
    pub to_stage_id: i64,
    pub at: DateTime<Utc>,
}

/// Which deals a board, list or report covers (see `store::push_filter`, the one place that
/// turns a filter into SQL).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DealFilter {
    #[ts(optional)]
    pub owner: Option<String>,
    /// Deals created on or after this day (`YYYY-MM-DD`, the user's zone).
    #[ts(optional)]
    pub from: Option<String>,
    /// Deals created on or before this day.
    #[ts(optional)]
    pub to: Option<String>,
    #[ts(optional, type = "number | null")]
    pub customer_id: Option<i64>,
    #[ts(optional, type = "number | null")]
    pub stage_id: Option<i64>,
    /// Only the deals of customers matching this customer-list filter (`tag:高价值客户`, a
    /// segment's filter). The façade checks it against the ledger before it is used.
    #[ts(optional, type = "string")]
    pub customer_filter: Option<CustomerFilter>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DealQuery {
    #[serde(default)]
    pub filter: DealFilter,
    pub limit: u32,
    /// The previous page's `nextCursor`.
    #[ts(optional)]
    pub cursor: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DealPage {
    pub items: Vec<Deal>,
    pub next_cursor: Option<String>,
}

/// One kanban column: the header's figures cover every matching deal, the cards a first page.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BoardColumn {
    pub stage: Stage,
    #[ts(type = "number")]
    pub count: i64,
    #[ts(type = "number")]
    pub amount_fen: i64,
    #[ts(type = "number")]
    pub weighted_fen: i64,
    pub deals: Vec<Deal>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Board {
    pub columns: Vec<BoardColumn>,
    pub lost_reasons: Vec<LostReason>,
}

/// Settings of the funnel that are not lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DealSettings {
    /// A deal without contact for this many days is stalled (default 14).
    #[ts(type = "number")]
    pub stall_days: i64,
}

impl Default for DealSettings {
    fn default() -> Self {
        DealSettings { stall_days: 14 }
    }
}
