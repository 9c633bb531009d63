//! Reports and the dashboard: what the account manager did in a period and what it earned.
//!
//! Every figure is defined once, as SQL over the entity tables, and the drill-down lists the
//! rows behind a figure with the very same conditions, so a number and its list never disagree.
//!
//! Definitions (the UI's help texts say the same):
//! - new customers: live customers created in the period (owner = the customer's 负责人);
//! - follow-ups: follow-ups dated in the period (owner = who followed up);
//! - won deals / amount: deals now in a won stage that entered it in the period;
//! - pipeline: the open amount at the period's end: deals created before it and not yet
//!   won or lost by then (owner = the deal's);
//! - intent customers (意向客户): customers with a deal that entered the intent stage or a
//!   later non-lost stage in the period, so every won customer is also an intent customer;
//! - average deal size (客单价): won amount ÷ won customers, as template 4 computes it.

pub mod analysis;
pub mod drill;
pub mod efficiency;
pub mod kpis;
pub mod performance;
pub mod period;
pub mod scope;
pub mod xlsx;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::deals::funnel::FunnelReport;

pub use period::{PeriodRange, ResolvedPeriod};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum PeriodPreset {
    Week,
    #[default]
    Month,
    Quarter,
    Year,
    /// `from` and `to` given.
    Custom,
}

/// Which period, and whose figures.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReportQuery {
    #[serde(default)]
    pub preset: PeriodPreset,
    /// First day, `YYYY-MM-DD` in the user's zone (custom periods).
    #[ts(optional)]
    pub from: Option<String>,
    /// Last day, inclusive.
    #[ts(optional)]
    pub to: Option<String>,
    /// One 负责人's figures; all when absent.
    #[ts(optional)]
    pub owner: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum KpiKey {
    NewCustomers,
    Followups,
    DealsWon,
    AmountWon,
    Pipeline,
}

/// One KPI card: the period's value, the previous period's (环比) and the same period a year
/// earlier (同比). Amounts are fen.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Kpi {
    pub key: KpiKey,
    #[ts(type = "number")]
    pub value: i64,
    #[ts(type = "number")]
    pub previous: i64,
    #[ts(type = "number")]
    pub year_ago: i64,
    /// (value − previous) ÷ previous; none when the previous value is 0.
    pub change: Option<f64>,
    pub change_year: Option<f64>,
}

/// One month of the trend, `YYYY-MM`.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TrendPoint {
    pub month: String,
    #[ts(type = "number")]
    pub new_customers: i64,
    #[ts(type = "number")]
    pub won_count: i64,
    #[ts(type = "number")]
    pub won_amount_fen: i64,
}

/// What customers are grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Dimension {
    Industry,
    /// Employee-count bands; the key is the band's code.
    Size,
    Region,
    Source,
    /// The effective ABC grade (typed, else earned by the value score).
    Grade,
    Tag,
    Owner,
}

impl Dimension {
    pub fn parse(raw: &str) -> Option<Dimension> {
        Some(match raw.trim().to_lowercase().as_str() {
            "industry" | "行业" => Dimension::Industry,
            "size" | "规模" => Dimension::Size,
            "region" | "地区" => Dimension::Region,
            "source" | "来源" => Dimension::Source,
            "grade" | "等级" => Dimension::Grade,
            "tag" | "标签" => Dimension::Tag,
            "owner" | "负责人" => Dimension::Owner,
            _ => return None,
        })
    }

    pub const ALL: [Dimension; 7] =
        [Dimension::Industry, Dimension::Size, Dimension::Region, Dimension::Source, Dimension::Grade, Dimension::Tag, Dimension::Owner];
}

/// One group of customers: how many, their share, and what they won in the period.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct GroupRow {
    /// The group's value (an industry, a size band's code, a tag's name …); none = not filled in.
    pub key: Option<String>,
    #[ts(type = "number")]
    pub customers: i64,
    /// customers ÷ all customers, 0–1 (a customer with two tags counts in both groups).
    pub share: f64,
    #[ts(type = "number")]
    pub won_amount_fen: i64,
    /// won amount ÷ the period's whole won amount, 0–1; none when nothing was won.
    pub won_share: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CustomerAnalysis {
    pub period: PeriodRange,
    pub dimension: Dimension,
    #[ts(type = "number")]
    pub total_customers: i64,
    #[ts(type = "number")]
    pub total_won_fen: i64,
    /// Most customers first; the unfilled group last.
    pub rows: Vec<GroupRow>,
}

/// Template 4's metrics for one owner (or everyone).
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PerformanceRow {
    /// None on the total row and for work with no owner set.
    pub owner: Option<String>,
    #[ts(type = "number")]
    pub new_customers: i64,
    #[ts(type = "number")]
    pub intent_customers: i64,
    #[ts(type = "number")]
    pub won_customers: i64,
    #[ts(type = "number")]
    pub won_deals: i64,
    #[ts(type = "number")]
    pub won_amount_fen: i64,
    /// 客单价: won amount ÷ won customers, rounded to the fen.
    #[ts(type = "number | null")]
    pub avg_deal_fen: Option<i64>,
    /// 转化率 (意向 → 成交): won customers ÷ intent customers.
    pub conversion: Option<f64>,
    /// 高价值客户占比: the top 20 % of won customers (rounded up) by amount, their share of it.
    pub top_share: Option<f64>,
    #[ts(type = "number")]
    pub top_customers: i64,
    #[ts(type = "number")]
    pub top_amount_fen: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LostReasonRow {
    /// Empty when none was given.
    pub reason: String,
    #[ts(type = "number")]
    pub count: i64,
    #[ts(type = "number")]
    pub amount_fen: i64,
    pub share: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Performance {
    pub period: PeriodRange,
    /// The stage that counts as 意向 (code `qualified`, else the second stage of the funnel).
    pub intent_stage: Option<String>,
    pub total: PerformanceRow,
    /// Per owner, largest won amount first; work with no owner last.
    pub owners: Vec<PerformanceRow>,
    /// Deals lost in the period by reason, largest count first.
    pub lost_reasons: Vec<LostReasonRow>,
}

/// Follow-up efficiency of one method, or of all (`method_id` none).
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MethodRow {
    #[ts(type = "number | null")]
    pub method_id: Option<i64>,
    pub code: Option<String>,
    pub name: String,
    #[ts(type = "number")]
    pub followups: i64,
    /// Follow-ups with the customer's feedback recorded.
    #[ts(type = "number")]
    pub responses: i64,
    pub response_rate: Option<f64>,
    /// Average days from a follow-up to the customer's next one (those followed by another).
    pub avg_gap_days: Option<f64>,
    /// Next steps whose due time has passed, and those met: the customer was contacted
    /// again, or the reminder marked done, by the due time.
    #[ts(type = "number")]
    pub next_steps_due: i64,
    #[ts(type = "number")]
    pub next_steps_on_time: i64,
    pub on_time_rate: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FollowupEfficiency {
    pub period: PeriodRange,
    /// Every method, most follow-ups first.
    pub methods: Vec<MethodRow>,
    pub total: MethodRow,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FunnelAnalysis {
    pub period: PeriodRange,
    /// Deals created in the period (the cohort), stage by stage.
    pub funnel: FunnelReport,
}

/// The KPI cards alone (the 工作台 shows them without the charts).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct KpiCards {
    pub period: ResolvedPeriod,
    pub kpis: Vec<Kpi>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Dashboard {
    pub period: ResolvedPeriod,
    pub kpis: Vec<Kpi>,
    /// The 12 months up to the period's last one.
    pub trend: Vec<TrendPoint>,
    pub funnel: FunnelReport,
    pub industries: CustomerAnalysis,
    pub sources: CustomerAnalysis,
}
