//! The dashboard and the reports at scale (1M customers, 5M follow-ups, 200k deals): each
//! dashboard widget and each report timed on its own for several periods and one owner, the
//! query plans of the aggregates, and the same aggregates run by bare sqlx in the same run,
//! with the report indexes and without them.

mod ledger;

use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use sqlx::{Connection, QueryBuilder, Row, Sqlite, SqliteConnection, SqlitePool};

pub use ledger::Sizes;

use super::Timings;
use crate::deals::store::summary_query;
use crate::deals::{funnel, stages, DealFilter, Stage};
use crate::reports::drill::{DrillQuery, DrillTarget};
use crate::reports::efficiency::facts_query;
use crate::reports::kpis::{self, followup_hours_query, followups_query, new_customers_query, push_closed_in, push_pipeline};
use crate::reports::performance::push_intent;
use crate::reports::scope::{Scope, StageSets};
use crate::reports::{analysis, period, Dimension, PeriodPreset, ReportQuery, ResolvedPeriod};
use crate::{Crm, FixedClock, Result, SequentialIds, Zone};

/// The indexes 0009, 0010 and 0013 add for the reports; the baseline drops them.
const REPORT_INDEXES: &[&str] = &[
    "customers_owner_industry",
    "customers_owner_source",
    "customers_owner_region",
    "followups_report",
    "followups_report_owner",
    "deals_closed",
    "deal_stage_history_at",
    "customers_owner_created",
    "customers_live_industry",
    "customers_live_source",
    "customers_live_region",
    "deals_won_groups",
];
const OWNER: &str = "王经理";
const DASHBOARD_TARGET_MS: f64 = 500.0;
const WIDGET_TARGET_MS: f64 = 100.0;

/// Times `$body` (which awaits) `$runs` times after one warm-up run; a body slower than a
/// second is timed five times at most, so the slow baselines do not take an hour.
macro_rules! timed {
    ($runs:expr, $body:block) => {{
        let warm = Instant::now();
        $body;
        let n = if warm.elapsed() > Duration::from_secs(1) { ($runs).min(5) } else { $runs };
        let mut times = Vec::with_capacity(n);
        for _ in 0..n {
            let start = Instant::now();
            $body;
            times.push(start.elapsed());
        }
        Timings(times)
    }};
}

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// "p50 / p95", the p95 in bold when it misses `target`.
fn cell(t: &Timings, target: Option<f64>) -> String {
    let (p50, p95) = (millis(t.percentile(0.5)), millis(t.percentile(0.95)));
    match target {
        Some(limit) if p95 > limit => format!("{p50:.1} / **{p95:.1}**"),
        _ => format!("{p50:.1} / {p95:.1}"),
    }
}

/// The scopes every widget is timed for: three periods, everyone's and one owner's.
fn cases() -> Vec<(String, ReportQuery)> {
    let mut out = Vec::new();
    for owner in [None, Some(OWNER)] {
        for (name, preset) in [("month", PeriodPreset::Month), ("quarter", PeriodPreset::Quarter), ("year", PeriodPreset::Year)] {
            let label = match owner {
                None => name.to_owned(),
                Some(o) => format!("{name}, {o}"),
            };
            out.push((label, ReportQuery { preset, owner: owner.map(Into::into), ..Default::default() }));
        }
    }
    out
}

/// The funnel of a period is the cohort of deals created in it (as `Crm::dashboard` asks).
fn cohort(scope: &Scope) -> DealFilter {
    DealFilter {
        owner: scope.owner.clone(),
        from: Some(scope.range.from.clone()),
        to: Some(scope.range.to.clone()),
        ..Default::default()
    }
}

/// The aggregates the dashboard and the reports run, built by the reports' own builders,
/// for the plans and the bare-sqlx baseline.
fn aggregates(scope: &Scope, sets: &StageSets, now: DateTime<Utc>, zone: Zone) -> Result<Vec<(&'static str, QueryBuilder<Sqlite>)>> {
    const HOUR_MS: i64 = 3_600_000;
    let first_hour = (scope.range.start_ms + HOUR_MS - 1).div_euclid(HOUR_MS);
    let last_hour = scope.range.end_ms.div_euclid(HOUR_MS);
    let mut won = QueryBuilder::new("SELECT count(*), coalesce(sum(d.amount_fen), 0) FROM deals d");
    push_closed_in(&mut won, scope, &sets.won);
    let mut pipeline = QueryBuilder::new("SELECT coalesce(sum(d.amount_fen), 0) FROM deals d");
    push_pipeline(&mut pipeline, scope, sets);
    // What 0013 keeps, as it was read before: the book's index, and each won deal's customer.
    let mut counted_from_index = QueryBuilder::new("SELECT c.industry AS k, count(*) FROM customers c WHERE c.deleted_at IS NULL");
    scope.push_owner(&mut counted_from_index, "c.owner");
    counted_from_index.push(" GROUP BY c.industry");
    let mut won_joined = QueryBuilder::new("SELECT c.industry AS k, sum(d.amount_fen) FROM deals d JOIN customers c ON c.id = d.customer_id");
    push_closed_in(&mut won_joined, &Scope { owner: None, ..scope.clone() }, &sets.won);
    scope.push_owner(&mut won_joined, "c.owner");
    won_joined.push(" AND c.deleted_at IS NULL GROUP BY k");
    let mut intent = QueryBuilder::new("SELECT DISTINCT d.owner, d.customer_id FROM deal_stage_history h JOIN deals d ON d.id = h.deal_id");
    push_intent(&mut intent, scope, sets);
    let mut new_by_owner = QueryBuilder::new("SELECT c.owner, count(*) FROM customers c WHERE c.deleted_at IS NULL");
    scope.push_between(&mut new_by_owner, "c.created_at");
    scope.push_owner(&mut new_by_owner, "c.owner");
    new_by_owner.push(" GROUP BY c.owner");
    Ok(vec![
        ("KPI new customers", new_customers_query(scope)),
        ("KPI follow-ups, kept hourly counts", followup_hours_query(scope, first_hour, last_hour)),
        ("follow-ups counted from the index instead", followups_query(scope)),
        ("KPI won deals and amount", won),
        ("KPI pipeline at the period's end", pipeline),
        ("funnel totals of the period's cohort", summary_query("", &cohort(scope), zone)?),
        ("customers by industry, kept counts", analysis::counts_query("", Dimension::Industry, scope)),
        ("customers by industry counted from the index instead", counted_from_index),
        ("won amount by industry, from the deals' kept groups", analysis::won_query("", Dimension::Industry, scope, sets)),
        ("won amount by industry joined to the customers instead", won_joined),
        ("performance: new customers by owner", new_by_owner),
        ("performance: intent customers", intent),
        ("follow-up efficiency by method", facts_query("", scope, now)),
    ])
}

async fn plan(conn: &mut SqliteConnection, qb: &QueryBuilder<Sqlite>) -> Result<String> {
    // Parameters left unbound plan the same; SQLite keeps no statistics that would differ.
    let sql = format!("EXPLAIN QUERY PLAN {}", qb.sql().as_str());
    let rows = sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).fetch_all(&mut *conn).await?;
    Ok(rows.iter().map(|r| r.get::<String, _>(3)).collect::<Vec<_>>().join("; "))
}

/// Default periods are "now" = 24 November 2026, 10:00 in Beijing: inside the data's three years.
pub fn default_now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-24T10:00:00+08:00").expect("a fixed moment").with_timezone(&Utc)
}

pub async fn run(dir: &Path, sizes: Sizes, runs: usize, now: Option<DateTime<Utc>>) -> Result<String> {
    let now = now.unwrap_or_else(default_now);
    let zone = Zone::named("Asia/Shanghai").expect("a known zone");
    let path = dir.join("ledger.db");
    let started = Instant::now();
    let made = ledger::generate(&path, &sizes, now, zone).await?;
    let generated = started.elapsed();

    let crm = Crm::open_with(&path, Arc::new(FixedClock::new(now)), Arc::new(SequentialIds::default())).await?.with_zone(zone);
    // The same connection settings as the app's pool.
    let pool = crate::db::open_pool(&path).await?;
    let stage_list = stages::list(&mut *pool.acquire().await?).await?;
    let sets = StageSets::new(&stage_list);
    let today = zone.today(now);

    let mut out = String::new();
    writeln!(
        out,
        "### Core: reports and dashboard ({} customers, {} follow-ups, {} next-step reminders, {} deals with {} stage-history rows, {} tag links; {runs} runs per query)\n",
        made.customers, made.followups, made.reminders, made.deals, made.history, made.links
    )
    .ok();
    let parts: Vec<String> = made.steps.iter().map(|(what, took)| format!("{what} {:.1} s", took.as_secs_f64())).collect();
    writeln!(out, "Generated in {:.0} s ({}); {} customers in the recycle bin.\n", generated.as_secs_f64(), parts.join(", "), made.deleted).ok();
    let periods: Vec<String> = cases()
        .iter()
        .take(3)
        .map(|(label, q)| period::resolve(q, today, zone).map(|p| format!("{label} {} – {}", p.current.from, p.current.to)))
        .collect::<Result<_>>()?;
    writeln!(
        out,
        "\"Now\" is fixed at {} (Asia/Shanghai): {}. Each period is compared with the previous one and the same one a year earlier, so a KPI is three aggregates (two for a year, whose previous period is the year before). p50 / p95 in ms after one warm-up run; cases slower than 1 s are timed 5 times.\n",
        now.with_timezone(&zone.offset_at(now)).format("%Y-%m-%d %H:%M"),
        periods.join(", ")
    )
    .ok();

    widgets(&mut out, &crm, &pool, &stage_list, &sets, today, zone, runs).await?;
    reports(&mut out, &crm, runs).await?;
    crm.close().await;
    baseline(&mut out, &pool, &path, &sets, now, zone, runs).await?;
    Ok(out)
}

#[allow(clippy::too_many_arguments)]
async fn widgets(
    out: &mut String,
    crm: &Crm,
    pool: &SqlitePool,
    stage_list: &[Stage],
    sets: &StageSets,
    today: chrono::NaiveDate,
    zone: Zone,
    runs: usize,
) -> Result<()> {
    let cases = cases();
    let mut rows: Vec<(&str, Vec<String>)> = [
        "KPI new customers (3 periods)",
        "KPI follow-ups (3 periods)",
        "KPI won deals and amount (3 periods)",
        "KPI pipeline (3 periods)",
        "Trend, 12 months (new customers, won)",
        "Funnel of the period's cohort",
        "Customers by industry, with won amounts",
        "Customers by source, with won amounts",
        "**Whole dashboard** (`Crm::dashboard`)",
    ]
    .into_iter()
    .map(|label| (label, Vec::new()))
    .collect();
    for (_, q) in &cases {
        let period: ResolvedPeriod = period::resolve(q, today, zone)?;
        let owner = q.owner.as_deref();
        // As `kpis::kpis` does, a year's previous period (the same as a year ago) is read once.
        let mut ranges = vec![&period.current, &period.previous];
        if period.year_ago != period.previous {
            ranges.push(&period.year_ago);
        }
        let three: Vec<Scope> = ranges.into_iter().map(|r| Scope::new(r.clone(), owner)).collect();
        let scope = &three[0];
        let w = Some(WIDGET_TARGET_MS);
        let t = timed!(runs, {
            let mut conn = pool.acquire().await?;
            for s in &three {
                new_customers_query(s).build_query_scalar::<i64>().fetch_one(&mut *conn).await?;
            }
        });
        rows[0].1.push(cell(&t, w));
        let t = timed!(runs, {
            let mut conn = pool.acquire().await?;
            for s in &three {
                kpis::followups(&mut conn, s).await?;
            }
        });
        rows[1].1.push(cell(&t, w));
        let t = timed!(runs, {
            let mut conn = pool.acquire().await?;
            for s in &three {
                kpis::won(&mut conn, s, sets).await?;
            }
        });
        rows[2].1.push(cell(&t, w));
        let t = timed!(runs, {
            let mut conn = pool.acquire().await?;
            for s in &three {
                kpis::pipeline(&mut conn, s, sets).await?;
            }
        });
        rows[3].1.push(cell(&t, w));
        let t = timed!(runs, {
            kpis::trend(&mut *pool.acquire().await?, &period.current, owner, sets, zone).await?;
        });
        rows[4].1.push(cell(&t, w));
        let t = timed!(runs, {
            funnel::report(&mut *pool.acquire().await?, stage_list, &cohort(scope), zone).await?;
        });
        rows[5].1.push(cell(&t, w));
        for (row, dimension) in [(6, Dimension::Industry), (7, Dimension::Source)] {
            let t = timed!(runs, {
                analysis::analysis(&mut *pool.acquire().await?, scope, sets, dimension).await?;
            });
            rows[row].1.push(cell(&t, w));
        }
        let t = timed!(runs, {
            crm.dashboard(q).await?;
        });
        rows[8].1.push(cell(&t, Some(DASHBOARD_TARGET_MS)));
    }
    writeln!(out, "Dashboard widgets, each timed alone (target: a widget ≤ {WIDGET_TARGET_MS} ms p95, the whole dashboard ≤ {DASHBOARD_TARGET_MS} ms; misses in bold):\n").ok();
    table(out, "Widget", &cases, &rows);
    Ok(())
}

fn table(out: &mut String, first: &str, cases: &[(String, ReportQuery)], rows: &[(&str, Vec<String>)]) {
    let heads: Vec<&str> = cases.iter().map(|(label, _)| label.as_str()).collect();
    writeln!(out, "| {first} | {} |", heads.join(" | ")).ok();
    writeln!(out, "|---|{}", "---|".repeat(heads.len())).ok();
    for (label, cells) in rows {
        let mut padded = cells.clone();
        padded.resize(heads.len(), "–".to_owned());
        writeln!(out, "| {label} | {} |", padded.join(" | ")).ok();
    }
    writeln!(out).ok();
}

async fn reports(out: &mut String, crm: &Crm, runs: usize) -> Result<()> {
    let cases = cases();
    let phone = crm.followup_methods().await?.into_iter().find(|m| m.code.as_deref() == Some("phone")).map(|m| m.id);
    let drills: Vec<(&str, DrillTarget)> = vec![
        ("Drill, first 50: new customers", DrillTarget::NewCustomers),
        ("Drill, first 50: follow-ups by phone", DrillTarget::Followups { method_id: phone, responded: None }),
        ("Drill, first 50: won deals", DrillTarget::WonDeals),
        ("Drill, first 50: customers of 制造业", DrillTarget::Group { dimension: Dimension::Industry, key: Some("制造业".into()) }),
    ];
    let mut rows: Vec<(&str, Vec<String>)> = Vec::new();
    let mut performance = Vec::new();
    let mut efficiency = Vec::new();
    for (_, q) in &cases {
        performance.push(cell(&timed!(runs, { crm.performance(q).await?; }), None));
        efficiency.push(cell(&timed!(runs, { crm.followup_efficiency(q).await?; }), None));
    }
    rows.push(("Sales performance (template 4)", performance));
    rows.push(("Follow-up efficiency by method", efficiency));
    for (label, target) in &drills {
        let mut cells = Vec::new();
        for (_, q) in &cases {
            let dq = DrillQuery { query: q.clone(), target: target.clone(), limit: 50, cursor: None };
            cells.push(cell(&timed!(runs, { crm.report_drill(&dq).await?; }), None));
        }
        rows.push((label, cells));
    }
    writeln!(out, "The other reports (no target set; p50 / p95 ms):\n").ok();
    table(out, "Report", &cases, &rows);

    // The groups cover the whole book; only the won amount depends on the period.
    let month_cases: Vec<(String, ReportQuery)> = cases.into_iter().filter(|(_, q)| q.preset == PeriodPreset::Month).collect();
    let mut rows: Vec<(&str, Vec<String>)> = Vec::new();
    for dimension in Dimension::ALL {
        let mut cells = Vec::new();
        for (_, q) in &month_cases {
            cells.push(cell(&timed!(runs, { crm.customer_analysis(q, dimension).await?; }), None));
        }
        rows.push((dimension_label(dimension), cells));
    }
    writeln!(out, "Customer analysis by dimension (the groups are the whole book, the won amounts the month's):\n").ok();
    table(out, "Dimension", &month_cases, &rows);
    Ok(())
}

fn dimension_label(d: Dimension) -> &'static str {
    match d {
        Dimension::Industry => "industry",
        Dimension::Size => "size (employee bands)",
        Dimension::Region => "region",
        Dimension::Source => "source",
        Dimension::Grade => "grade (typed, else from the value score)",
        Dimension::Tag => "tag",
        Dimension::Owner => "owner",
    }
}

/// The aggregates once more through a bare sqlx connection (default options) on the same
/// file: first with the report indexes, then after dropping them, as SQLite plans such
/// queries by default; and a plain range count as the floor of any index-range count.
async fn baseline(
    out: &mut String,
    pool: &SqlitePool,
    path: &Path,
    sets: &StageSets,
    now: DateTime<Utc>,
    zone: Zone,
    runs: usize,
) -> Result<()> {
    let today = zone.today(now);
    let year = period::resolve(&ReportQuery { preset: PeriodPreset::Year, ..Default::default() }, today, zone)?;
    let scopes = [("year", Scope::new(year.current.clone(), None)), ("year, one owner", Scope::new(year.current.clone(), Some(OWNER)))];
    let mut bare = SqliteConnection::connect(&format!("sqlite:{}", path.display())).await?;

    struct Line {
        label: String,
        ours: Timings,
        bare: Timings,
        without: Option<Timings>,
        plan: String,
        plan_without: String,
    }
    let mut lines = Vec::new();
    for (scope_label, scope) in &scopes {
        let count = aggregates(scope, sets, now, zone)?.len();
        for i in 0..count {
            let pick = || aggregates(scope, sets, now, zone).map(|mut all| all.swap_remove(i));
            let label = format!("{} ({scope_label})", pick()?.0);
            let ours = timed!(runs, {
                pick()?.1.build().fetch_all(&mut *pool.acquire().await?).await?;
            });
            let theirs = timed!(runs, {
                pick()?.1.build().fetch_all(&mut bare).await?;
            });
            let plan_with = plan(&mut bare, &pick()?.1).await?;
            lines.push(Line { label, ours, bare: theirs, without: None, plan: plan_with, plan_without: String::new() });
        }
    }
    pool.close().await;

    // The floor: the narrowest index on the follow-up time, counted over the year.
    let floor_sql = "SELECT count(*) FROM followups INDEXED BY followups_at WHERE at >= ? AND at < ?";
    let floor = timed!(runs, {
        sqlx::query_scalar::<_, i64>(floor_sql).bind(year.current.start_ms).bind(year.current.end_ms).fetch_one(&mut bare).await?;
    });
    let all_sql = "SELECT count(*) FROM followups";
    let all = timed!(runs, {
        sqlx::query_scalar::<_, i64>(all_sql).fetch_one(&mut bare).await?;
    });

    for name in REPORT_INDEXES {
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("DROP INDEX IF EXISTS {name}"))).execute(&mut bare).await?;
    }
    let mut k = 0;
    for (_, scope) in &scopes {
        let count = aggregates(scope, sets, now, zone)?.len();
        for i in 0..count {
            let pick = || aggregates(scope, sets, now, zone).map(|mut all| all.swap_remove(i));
            lines[k].plan_without = plan(&mut bare, &pick()?.1).await?;
            lines[k].without = Some(timed!(3usize, {
                pick()?.1.build().fetch_all(&mut bare).await?;
            }));
            k += 1;
        }
    }
    bare.close().await?;

    writeln!(out, "The aggregates behind them, year to date, through the app's pool and through a bare sqlx connection on the same file; then the same SQL after dropping the report indexes ({}), i.e. SQLite's default plans (timed 3 times):\n", REPORT_INDEXES.join(", ")).ok();
    writeln!(out, "| Aggregate | Yiben p50 / p95 | bare sqlx, same SQL, p95 | ratio | bare sqlx without the report indexes, p50 | what the indexes buy |").ok();
    writeln!(out, "|---|---|---|---|---|---|").ok();
    for l in &lines {
        let ours = l.ours.percentile(0.95).as_secs_f64();
        let theirs = l.bare.percentile(0.95).as_secs_f64();
        let without = l.without.as_ref().map(|t| t.percentile(0.5)).unwrap_or_default();
        writeln!(
            out,
            "| {} | {} | {:.1} | {:.2}× | {:.1} | {:.1}× |",
            l.label,
            cell(&l.ours, None),
            theirs * 1000.0,
            ours / theirs.max(1e-9),
            millis(without),
            without.as_secs_f64() / l.ours.percentile(0.5).as_secs_f64().max(1e-9)
        )
        .ok();
    }
    writeln!(
        out,
        "| floor: `{floor_sql}` (year) | | {:.1} | | | |\n| floor: `{all_sql}` (the b-tree's own count) | | {:.1} | | | |\n",
        millis(floor.percentile(0.95)),
        millis(all.percentile(0.95))
    )
    .ok();
    writeln!(out, "Query plans (EXPLAIN QUERY PLAN), with the report indexes → without them:\n").ok();
    for l in &lines {
        writeln!(out, "- {}: `{}` → `{}`", l.label, l.plan, l.plan_without).ok();
    }
    writeln!(out).ok();
    Ok(())
}
