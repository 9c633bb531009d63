//! The funnel report: per stage what is there now (count, amount, weighted amount), how many
//! deals reached it, the conversion to the next stage and the drop-off, the weakest stage,
//! the cycle time and the lost reasons.
//!
//! "Reached" is counted from the stage history: a deal reached a stage when it ever entered
//! that stage or a later one (skipping a stage passes through it; moving back does not undo
//! it; 流失 counts for none). Each deal keeps the furthest stage of its history, so the report
//! is one index-only pass over the deals and never scans the history.

use serde::Serialize;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};
use ts_rs::TS;

use super::store::{page_query, push_filter, summary, summary_query, weighted_fen, Summary};
use super::{DealFilter, DealQuery, Stage, StageKind};
use crate::{Result, Zone};

const DAY_MS: f64 = 86_400_000.0;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FunnelStage {
    #[ts(type = "number")]
    pub stage_id: i64,
    pub code: Option<String>,
    pub name: String,
    pub kind: StageKind,
    /// Deals in this stage now, their amount and Σ amount × probability.
    #[ts(type = "number")]
    pub count: i64,
    #[ts(type = "number")]
    pub amount_fen: i64,
    #[ts(type = "number")]
    pub weighted_fen: i64,
    /// Deals that reached this stage or a later one (for 流失: the deals lost).
    #[ts(type = "number")]
    pub reached: i64,
    #[ts(type = "number")]
    pub reached_amount_fen: i64,
    /// reached(next) / reached(this), 0–1; none for the last stage or when nothing reached it.
    pub conversion: Option<f64>,
    /// reached(this) − reached(next): deals that got here and no further (yet).
    #[ts(type = "number | null")]
    pub drop_off: Option<i64>,
    pub avg_stay_days: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS, sqlx::FromRow)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LostReasonShare {
    pub reason: String,
    #[ts(type = "number")]
    pub count: i64,
    #[ts(type = "number")]
    pub amount_fen: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FunnelReport {
    pub stages: Vec<FunnelStage>,
    /// The open stage with the lowest conversion to the next stage.
    #[ts(type = "number | null")]
    pub weakest_stage_id: Option<i64>,
    #[ts(type = "number")]
    pub total_count: i64,
    #[ts(type = "number")]
    pub open_amount_fen: i64,
    #[ts(type = "number")]
    pub weighted_fen: i64,
    #[ts(type = "number")]
    pub won_count: i64,
    #[ts(type = "number")]
    pub won_amount_fen: i64,
    /// Average days from creation to 成交 of the won deals.
    pub avg_cycle_days: Option<f64>,
    /// Largest count first.
    pub lost_reasons: Vec<LostReasonShare>,
}

pub async fn report(conn: &mut SqliteConnection, stages: &[Stage], filter: &DealFilter, zone: Zone) -> Result<FunnelReport> {
    let rows = summary(conn, filter, zone).await?;
    let lost_reasons = lost_reasons(conn, stages, filter, zone).await?;
    Ok(build(stages, &rows, lost_reasons))
}

/// The report from the summary rows (pure, so the arithmetic is tested on its own too).
pub fn build(stages: &[Stage], rows: &[Summary], lost_reasons: Vec<LostReasonShare>) -> FunnelReport {
    // Funnel order: the open stages, then 成交; 流失 sits beside the funnel.
    let path: Vec<&Stage> = stages.iter().filter(|s| s.kind != StageKind::Lost).collect();
    let index_of = |id: Option<i64>| id.and_then(|id| path.iter().position(|s| s.id == id));
    let reached_at = |i: usize| -> (i64, i64) {
        rows.iter()
            .filter(|r| index_of(r.furthest_stage_id).is_some_and(|f| f >= i))
            .fold((0, 0), |(n, a), r| (n + r.count, a + r.amount_fen))
    };
    let mut out = Vec::with_capacity(stages.len());
    for stage in stages {
        let here: Vec<&Summary> = rows.iter().filter(|r| r.stage_id == stage.id).collect();
        let count = here.iter().map(|r| r.count).sum();
        let amount_fen = here.iter().map(|r| r.amount_fen).sum();
        let (reached, reached_amount_fen, conversion, drop_off) = match path.iter().position(|s| s.id == stage.id) {
            Some(i) => {
                let (reached, amount) = reached_at(i);
                let next = (i + 1 < path.len()).then(|| reached_at(i + 1).0);
                let conversion = next.filter(|_| reached > 0).map(|n| n as f64 / reached as f64);
                (reached, amount, conversion, next.map(|n| reached - n))
            }
            None => (count, amount_fen, None, None),
        };
        out.push(FunnelStage {
            stage_id: stage.id,
            code: stage.code.clone(),
            name: stage.name.clone(),
            kind: stage.kind,
            count,
            amount_fen,
            weighted_fen: weighted_fen(&here, stage.probability),
            reached,
            reached_amount_fen,
            conversion,
            drop_off,
            avg_stay_days: stage.avg_stay_days,
        });
    }
    let weakest_stage_id = out
        .iter()
        .filter_map(|s| s.conversion.map(|c| (s.stage_id, c)))
        .fold(None, |best: Option<(i64, f64)>, (id, c)| match best {
            Some((_, b)) if b <= c => best,
            _ => Some((id, c)),
        })
        .map(|(id, _)| id);
    let of_kind = |kind: StageKind| out.iter().filter(move |s| s.kind == kind);
    let won_rows: Vec<&Summary> = rows
        .iter()
        .filter(|r| stages.iter().any(|s| s.id == r.stage_id && s.kind == StageKind::Won))
        .collect();
    let won_count: i64 = won_rows.iter().map(|r| r.count).sum();
    let won_age: i64 = won_rows.iter().map(|r| r.age_ms).sum();
    FunnelReport {
        total_count: out.iter().map(|s| s.count).sum(),
        open_amount_fen: of_kind(StageKind::Open).map(|s| s.amount_fen).sum(),
        weighted_fen: of_kind(StageKind::Open).map(|s| s.weighted_fen).sum(),
        won_count,
        won_amount_fen: of_kind(StageKind::Won).map(|s| s.amount_fen).sum(),
        avg_cycle_days: (won_count > 0).then(|| won_age as f64 / won_count as f64 / DAY_MS),
        weakest_stage_id,
        stages: out,
        lost_reasons,
    }
}

/// The SQL of the lost-reason breakdown; none without a lost stage.
pub fn lost_query(prefix: &str, stages: &[Stage], filter: &DealFilter, zone: Zone) -> Result<Option<QueryBuilder<Sqlite>>> {
    let lost: Vec<i64> = stages.iter().filter(|s| s.kind == StageKind::Lost).map(|s| s.id).collect();
    if lost.is_empty() {
        return Ok(None);
    }
    let mut qb = QueryBuilder::new(format!(
        "{prefix}SELECT coalesce(d.lost_reason, '') AS reason, count(*) AS count, coalesce(sum(d.amount_fen), 0) AS amount_fen
         FROM deals d"
    ));
    push_filter(&mut qb, filter, zone)?;
    qb.push(" AND d.stage_id IN (");
    let mut ids = qb.separated(", ");
    for id in lost {
        ids.push_bind(id);
    }
    qb.push(") GROUP BY reason ORDER BY count DESC, amount_fen DESC, reason");
    Ok(Some(qb))
}

/// The lost deals by reason, largest count first.
pub async fn lost_reasons(
    conn: &mut SqliteConnection,
    stages: &[Stage],
    filter: &DealFilter,
    zone: Zone,
) -> Result<Vec<LostReasonShare>> {
    match lost_query("", stages, filter, zone)? {
        Some(mut qb) => Ok(qb.build_query_as().fetch_all(conn).await?),
        None => Ok(Vec::new()),
    }
}

/// SQLite's plan for each query the funnel report and the kanban's first load run, so the
/// benchmark (and a test) can check that they stay index-only and never scan the history.
pub async fn plans(conn: &mut SqliteConnection, stages: &[Stage], filter: &DealFilter, zone: Zone) -> Result<Vec<(String, Vec<String>)>> {
    const EXPLAIN: &str = "EXPLAIN QUERY PLAN ";
    let column = DealQuery {
        filter: DealFilter { stage_id: stages.first().map(|s| s.id), ..filter.clone() },
        limit: 30,
        cursor: None,
    };
    let mut queries = vec![
        ("funnel and kanban totals".to_owned(), summary_query(EXPLAIN, filter, zone)?),
        ("kanban column, first page".to_owned(), page_query(EXPLAIN, &column, zone)?),
    ];
    if let Some(qb) = lost_query(EXPLAIN, stages, filter, zone)? {
        queries.push(("lost reasons".to_owned(), qb));
    }
    let mut out = Vec::new();
    for (label, mut qb) in queries {
        let rows: Vec<(i64, i64, i64, String)> = qb.build_query_as().fetch_all(&mut *conn).await?;
        out.push((label, rows.into_iter().map(|r| r.3).collect()));
    }
    Ok(out)
}
