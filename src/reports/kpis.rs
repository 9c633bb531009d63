//! The dashboard's figures: the KPI cards and the monthly trend, each a range count or sum
//! over an index.

use chrono::Months;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use super::period::{months_back, PeriodRange, ResolvedPeriod};
use super::scope::{id_list, Scope, StageSets};
use super::{Kpi, KpiKey, TrendPoint};
use crate::{Result, Zone};

pub fn new_customers_query(scope: &Scope) -> QueryBuilder<Sqlite> {
    let mut qb = QueryBuilder::new("SELECT count(*) FROM customers c WHERE c.deleted_at IS NULL");
    scope.push_between(&mut qb, "c.created_at");
    scope.push_owner(&mut qb, "c.owner");
    qb
}

pub fn followups_query(scope: &Scope) -> QueryBuilder<Sqlite> {
    let mut qb = QueryBuilder::new("SELECT count(*) FROM followups f WHERE f.hidden = 0");
    scope.push_between(&mut qb, "f.at");
    scope.push_owner(&mut qb, "f.owner");
    qb
}

const HOUR_MS: i64 = 3_600_000;

/// The whole hours `[first, last)` of the scope, counted from the kept per-hour totals.
pub fn followup_hours_query(scope: &Scope, first: i64, last: i64) -> QueryBuilder<Sqlite> {
    let mut qb = QueryBuilder::new("SELECT coalesce(sum(h.n), 0) FROM followup_hours h WHERE h.hour >= ");
    qb.push_bind(first).push(" AND h.hour < ").push_bind(last);
    scope.push_owner(&mut qb, "h.owner");
    qb
}

/// Follow-ups dated in the scope. A year holds ~2M of them at 5M in the ledger, and counting
/// index entries costs ≈100 ms per period whatever the index; the whole hours inside the
/// period are summed from `followup_hours` instead, and only the part of an hour at either
/// end (a zone whose midnight is not on a UTC hour) is counted from the index.
pub async fn followups(conn: &mut SqliteConnection, scope: &Scope) -> Result<i64> {
    let (start, end) = (scope.range.start_ms, scope.range.end_ms);
    // Hours are `at / 3600000` in SQL, which truncates; before 1970 that is not the floor.
    let first = (start + HOUR_MS - 1).div_euclid(HOUR_MS);
    let last = end.div_euclid(HOUR_MS);
    if start < 0 || first >= last {
        return scalar(conn, followups_query(scope)).await;
    }
    let mut total = scalar(conn, followup_hours_query(scope, first, last)).await?;
    for (from, to) in [(start, first * HOUR_MS), (last * HOUR_MS, end)] {
        if from < to {
            let edge = Scope { range: PeriodRange { start_ms: from, end_ms: to, ..scope.range.clone() }, owner: scope.owner.clone() };
            total += scalar(conn, followups_query(&edge)).await?;
        }
    }
    Ok(total)
}

/// `WHERE` over `deals d`: live deals now in one of `stages` that entered it in the period.
pub fn push_closed_in(qb: &mut QueryBuilder<Sqlite>, scope: &Scope, stages: &[i64]) {
    qb.push(format!(" WHERE d.deleted_at IS NULL AND d.stage_id IN {}", id_list(stages)));
    scope.push_between(qb, "d.stage_at");
    scope.push_owner(qb, "d.owner");
}

/// `WHERE` over `deals d`: the deals open when the period ended. A deal now won or lost was
/// still open then if it closed later.
pub fn push_pipeline(qb: &mut QueryBuilder<Sqlite>, scope: &Scope, sets: &StageSets) {
    qb.push(" WHERE d.deleted_at IS NULL AND d.created_at < ").push_bind(scope.range.end_ms);
    qb.push(format!(" AND (d.stage_id IN {} OR d.stage_at >= ", id_list(&sets.open))).push_bind(scope.range.end_ms).push(")");
    scope.push_owner(qb, "d.owner");
}

async fn scalar(conn: &mut SqliteConnection, mut qb: QueryBuilder<Sqlite>) -> Result<i64> {
    Ok(qb.build_query_scalar::<i64>().fetch_one(conn).await?)
}

/// Won deals in the period: how many, and their amount.
pub async fn won(conn: &mut SqliteConnection, scope: &Scope, sets: &StageSets) -> Result<(i64, i64)> {
    let mut qb = QueryBuilder::new("SELECT count(*), coalesce(sum(d.amount_fen), 0) FROM deals d");
    push_closed_in(&mut qb, scope, &sets.won);
    Ok(qb.build_query_as::<(i64, i64)>().fetch_one(conn).await?)
}

pub async fn pipeline(conn: &mut SqliteConnection, scope: &Scope, sets: &StageSets) -> Result<i64> {
    let mut qb = QueryBuilder::new("SELECT coalesce(sum(d.amount_fen), 0) FROM deals d");
    push_pipeline(&mut qb, scope, sets);
    scalar(conn, qb).await
}

#[derive(Clone)]
struct Figures {
    new_customers: i64,
    followups: i64,
    won_count: i64,
    won_fen: i64,
    pipeline_fen: i64,
}

async fn figures(conn: &mut SqliteConnection, scope: &Scope, sets: &StageSets) -> Result<Figures> {
    let (won_count, won_fen) = won(conn, scope, sets).await?;
    Ok(Figures {
        new_customers: scalar(conn, new_customers_query(scope)).await?,
        followups: followups(conn, scope).await?,
        won_count,
        won_fen,
        pipeline_fen: pipeline(conn, scope, sets).await?,
    })
}

pub async fn kpis(conn: &mut SqliteConnection, period: &ResolvedPeriod, owner: Option<&str>, sets: &StageSets) -> Result<Vec<Kpi>> {
    let now = figures(conn, &Scope::new(period.current.clone(), owner), sets).await?;
    let before = figures(conn, &Scope::new(period.previous.clone(), owner), sets).await?;
    // A year's previous period is the same year a year ago.
    let year = if period.year_ago == period.previous {
        before.clone()
    } else {
        figures(conn, &Scope::new(period.year_ago.clone(), owner), sets).await?
    };
    type Pick = (KpiKey, fn(&Figures) -> i64);
    let pick: [Pick; 5] = [
        (KpiKey::NewCustomers, |f| f.new_customers),
        (KpiKey::Followups, |f| f.followups),
        (KpiKey::DealsWon, |f| f.won_count),
        (KpiKey::AmountWon, |f| f.won_fen),
        (KpiKey::Pipeline, |f| f.pipeline_fen),
    ];
    Ok(pick.iter().map(|(key, get)| kpi(*key, get(&now), get(&before), get(&year))).collect())
}

pub fn kpi(key: KpiKey, value: i64, previous: i64, year_ago: i64) -> Kpi {
    Kpi { key, value, previous, year_ago, change: change(value, previous), change_year: change(value, year_ago) }
}

/// (value − base) ÷ base; none when there is no base to compare with.
pub fn change(value: i64, base: i64) -> Option<f64> {
    (base != 0).then(|| (value - base) as f64 / base as f64)
}

/// One month as a period (the drill-down of a trend point uses the same bounds).
pub fn month_range(first: chrono::NaiveDate, zone: Zone) -> PeriodRange {
    PeriodRange::new(first, first + Months::new(1) - chrono::Duration::days(1), zone)
}

/// New customers and won deals for each of the 12 months up to the period's last one.
pub async fn trend(
    conn: &mut SqliteConnection,
    period: &PeriodRange,
    owner: Option<&str>,
    sets: &StageSets,
    zone: Zone,
) -> Result<Vec<TrendPoint>> {
    let mut out = Vec::with_capacity(12);
    for first in months_back(period.last_day(), 12) {
        let scope = Scope::new(month_range(first, zone), owner);
        let (won_count, won_amount_fen) = won(conn, &scope, sets).await?;
        out.push(TrendPoint {
            month: first.format("%Y-%m").to_string(),
            new_customers: scalar(conn, new_customers_query(&scope)).await?,
            won_count,
            won_amount_fen,
        });
    }
    Ok(out)
}
