//! The forecast: the open pipeline by expected close month, unweighted and weighted
//! (Σ amount × probability), beside the amount won in each month.

use std::collections::BTreeMap;

use chrono::FixedOffset;
use serde::Serialize;
use sqlx::{QueryBuilder, SqliteConnection};
use ts_rs::TS;

use super::store::{push_filter, weighted_fen, Summary};
use super::{DealFilter, Stage, StageKind};
use crate::{Result, Zone};

#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ForecastMonth {
    /// `YYYY-MM`; none for open deals without an expected close date.
    pub month: Option<String>,
    #[ts(type = "number")]
    pub open_count: i64,
    #[ts(type = "number")]
    pub amount_fen: i64,
    #[ts(type = "number")]
    pub weighted_fen: i64,
    #[ts(type = "number")]
    pub won_count: i64,
    /// Won in this month (the day the deal entered 成交, in the user's zone).
    #[ts(type = "number")]
    pub won_amount_fen: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Forecast {
    /// Oldest month first; the undated pipeline last.
    pub months: Vec<ForecastMonth>,
    #[ts(type = "number")]
    pub amount_fen: i64,
    #[ts(type = "number")]
    pub weighted_fen: i64,
    #[ts(type = "number")]
    pub won_amount_fen: i64,
}

#[derive(sqlx::FromRow)]
struct OpenRow {
    month: Option<String>,
    #[sqlx(flatten)]
    summary: Summary,
}

#[derive(sqlx::FromRow)]
struct WonRow {
    month: String,
    count: i64,
    amount_fen: i64,
}

fn push_ids(qb: &mut QueryBuilder<sqlx::Sqlite>, ids: &[i64]) {
    qb.push(" AND d.stage_id IN (");
    let mut list = qb.separated(", ");
    for id in ids {
        list.push_bind(*id);
    }
    qb.push(")");
}

/// `offset` is the user's UTC offset now: months are bucketed by it (a deal won in the hour a
/// daylight-saving change moves can land in the neighbouring month; a forecast can bear that).
pub async fn forecast(
    conn: &mut SqliteConnection,
    stages: &[Stage],
    filter: &DealFilter,
    zone: Zone,
    offset: FixedOffset,
) -> Result<Forecast> {
    let ids = |kind: StageKind| stages.iter().filter(|s| s.kind == kind).map(|s| s.id).collect::<Vec<_>>();
    let mut months: BTreeMap<(bool, String), ForecastMonth> = BTreeMap::new();

    let open = ids(StageKind::Open);
    if !open.is_empty() {
        let mut qb = QueryBuilder::new(
            "SELECT substr(d.close_date, 1, 7) AS month, d.stage_id, NULL AS furthest_stage_id, count(*) AS count,
                    sum(d.amount_fen) AS amount_fen,
                    coalesce(sum(CASE WHEN d.probability IS NULL THEN d.amount_fen ELSE 0 END), 0) AS default_amount_fen,
                    coalesce(sum(d.amount_fen * d.probability), 0) AS override_weight, 0 AS age_ms
             FROM deals d",
        );
        push_filter(&mut qb, filter, zone)?;
        push_ids(&mut qb, &open);
        qb.push(" GROUP BY month, d.stage_id");
        let rows: Vec<OpenRow> = qb.build_query_as().fetch_all(&mut *conn).await?;
        for row in rows {
            let probability = stages.iter().find(|s| s.id == row.summary.stage_id).map_or(0, |s| s.probability);
            let key = (row.month.is_none(), row.month.clone().unwrap_or_default());
            let m = months.entry(key).or_insert_with(|| ForecastMonth { month: row.month.clone(), ..Default::default() });
            m.open_count += row.summary.count;
            m.amount_fen += row.summary.amount_fen;
            m.weighted_fen += weighted_fen(&[&row.summary], probability);
        }
    }

    let won = ids(StageKind::Won);
    if !won.is_empty() {
        let mut qb = QueryBuilder::new("SELECT strftime('%Y-%m', (d.stage_at + ");
        qb.push_bind(offset.local_minus_utc() as i64 * 1000);
        qb.push(") / 1000, 'unixepoch') AS month, count(*) AS count, sum(d.amount_fen) AS amount_fen FROM deals d");
        push_filter(&mut qb, filter, zone)?;
        push_ids(&mut qb, &won);
        qb.push(" GROUP BY month");
        let rows: Vec<WonRow> = qb.build_query_as().fetch_all(&mut *conn).await?;
        for row in rows {
            let m = months
                .entry((false, row.month.clone()))
                .or_insert_with(|| ForecastMonth { month: Some(row.month.clone()), ..Default::default() });
            m.won_count += row.count;
            m.won_amount_fen += row.amount_fen;
        }
    }

    let months: Vec<ForecastMonth> = months.into_values().collect();
    Ok(Forecast {
        amount_fen: months.iter().map(|m| m.amount_fen).sum(),
        weighted_fen: months.iter().map(|m| m.weighted_fen).sum(),
        won_amount_fen: months.iter().map(|m| m.won_amount_fen).sum(),
        months,
    })
}
