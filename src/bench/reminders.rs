//! Reminders at scale: finding the next of 100k scheduled reminders, a full rules run, the
//! delay between a reminder's moment and its taking by a scheduler loop shaped like the
//! desktop's, and that loop's CPU while idle.

use std::fmt::Write;
use std::time::{Duration, Instant};

use chrono::Utc;
use sqlx::{Connection, SqliteConnection};

use super::{ms, seed, time_runs};
use crate::followups::FollowupInput;
use crate::{Crm, Result};

const NEXT_PENDING: &str =
    "SELECT min(remind_at) FROM reminders WHERE status = 'open' AND notified_at IS NULL";

pub async fn run(dir: &std::path::Path, customers: usize, reminders: usize, runs: usize) -> Result<String> {
    let path = dir.join("ledger.db");
    let crm = Crm::open(&path).await?;
    seed(&crm, customers).await?;
    let url = format!("sqlite:{}", path.display());
    let mut bare = SqliteConnection::connect(&url).await?;
    scatter(&mut bare, customers, reminders).await?;

    let mut out = String::new();
    writeln!(out, "### Core: reminders ({reminders} scheduled over {customers} customers, {runs} runs per query)\n").ok();
    writeln!(out, "| Case | Yiben p50 | Yiben p95 | bare sqlx p95 | ratio | target |").ok();
    writeln!(out, "|---|---|---|---|---|---|").ok();
    let ours = time_runs(runs, || async { crm.next_reminder_at().await.map(|_| ()) }).await?;
    let mut theirs = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        let _: Option<i64> = sqlx::query_scalar(NEXT_PENDING).fetch_one(&mut bare).await?;
        theirs.push(start.elapsed());
    }
    let theirs = super::Timings(theirs);
    let (p50, p95, base) = (ours.percentile(0.5), ours.percentile(0.95), theirs.percentile(0.95));
    writeln!(
        out,
        "| find the next reminder | {} | {} | {} | {:.1}× | ≤ 5 ms |",
        ms(p50),
        ms(p95),
        ms(base),
        p95.as_secs_f64() / base.as_secs_f64().max(1e-9)
    )
    .ok();
    let take = time_runs(runs, || async { crm.take_due_reminders().await.map(|_| ()) }).await?;
    writeln!(out, "| take what is due (nothing) | {} | {} | – | – | – |", ms(take.percentile(0.5)), ms(take.percentile(0.95))).ok();
    let started = Instant::now();
    let added = crm.run_reminder_rules().await?;
    writeln!(out, "| run every rule over the ledger (first run, {added} added) | {} | – | – | – | hourly |", ms(started.elapsed())).ok();
    let started = Instant::now();
    crm.run_reminder_rules().await?;
    writeln!(out, "| run every rule again (idempotent, nothing added) | {} | – | – | – | hourly |", ms(started.elapsed())).ok();

    let plan: Vec<String> = explain(&mut bare).await?;
    writeln!(out, "\nQuery plan of the next-reminder lookup: `{}`\n", plan.join("; ")).ok();

    let delays = firing_delays(&crm, 5).await?;
    let worst = delays.iter().max().copied().unwrap_or_default();
    writeln!(
        out,
        "Firing delay after the scheduled moment (a loop that sleeps until the next reminder, as the desktop scheduler \
         does), 5 reminders: worst {} (target ≤ 1 s).\n",
        ms(worst)
    )
    .ok();
    match idle_cpu(&crm, Duration::from_secs(10)).await? {
        Some(cpu) => writeln!(out, "Idle CPU of that loop over 10 s with nothing due: {} of CPU time (target ≈ 0).\n", ms(cpu)).ok(),
        None => writeln!(out, "Idle CPU: not measurable on this OS.\n").ok(),
    };
    crm.close().await;
    Ok(out)
}

/// `reminders` pending reminders spread over the next 30 days, in multi-row batches.
async fn scatter(conn: &mut SqliteConnection, customers: usize, reminders: usize) -> Result<()> {
    let now = Utc::now().timestamp_millis();
    let month = 30 * 24 * 3600 * 1000_i64;
    let mut tx = conn.begin().await?;
    // 7 values a row: 4,000 rows stay under SQLite's 32,766 bound variables.
    for chunk in (0..reminders).collect::<Vec<_>>().chunks(4000) {
        let mut qb = sqlx::QueryBuilder::new(
            "INSERT INTO reminders (customer_id, rule, cause, action, due_at, remind_at, created_at) ",
        );
        qb.push_values(chunk, |mut b, &i| {
            // A cheap spread that is the same on every run.
            let at = now + 3_600_000 + (i as i64 * 7919 % 1_000_003) * month / 1_000_003;
            b.push_bind((i % customers + 1) as i64)
                .push_bind("next_step")
                .push_bind(format!("bench:{i}"))
                .push_bind("电话回访")
                .push_bind(at + 3_600_000)
                .push_bind(at)
                .push_bind(now);
        });
        qb.build().execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn explain(conn: &mut SqliteConnection) -> Result<Vec<String>> {
    let rows: Vec<(i64, i64, i64, String)> = sqlx::query_as(
        "EXPLAIN QUERY PLAN SELECT r.remind_at FROM reminders r INDEXED BY reminders_pending
         JOIN customers c ON c.id = r.customer_id AND c.deleted_at IS NULL
         WHERE r.status = 'open' AND r.notified_at IS NULL ORDER BY r.remind_at LIMIT 1",
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| r.3).collect())
}

/// Schedules reminders a second or two ahead and takes each the way the scheduler does:
/// sleep until the next moment, then take what is due. Returns how late each was taken.
async fn firing_delays(crm: &Crm, count: usize) -> Result<Vec<Duration>> {
    let settings = crm.reminder_settings().await?;
    let lead = settings.lead();
    let mut delays = Vec::new();
    for i in 0..count {
        // Whole milliseconds, as stored.
        let ms_now = crm.now().timestamp_millis() + 1500 + 200 * i as i64;
        let moment = chrono::DateTime::from_timestamp_millis(ms_now).expect("in range");
        let input = FollowupInput {
            method: "电话".into(),
            content: "基准测试".into(),
            next_step: Some("回电".into()),
            next_at: Some(moment + lead),
            ..Default::default()
        };
        crm.add_followup(1, &input).await?;
        loop {
            let next = crm.next_reminder_at().await?.unwrap_or(moment);
            let wait = (next - crm.now()).to_std().unwrap_or_default().min(Duration::from_secs(60));
            tokio::time::sleep(wait).await;
            let taken = crm.take_due_reminders().await?;
            if let Some(r) = taken.iter().find(|r| r.remind_at == moment) {
                delays.push((Utc::now() - r.remind_at).to_std().unwrap_or_default());
                break;
            }
        }
    }
    Ok(delays)
}

/// CPU time the scheduler-shaped loop uses while nothing is due (Linux: /proc/self/stat).
async fn idle_cpu(crm: &Crm, window: Duration) -> Result<Option<Duration>> {
    let Some(before) = cpu_time() else { return Ok(None) };
    let until = Instant::now() + window;
    while Instant::now() < until {
        crm.take_due_reminders().await?;
        let next = crm.next_reminder_at().await?;
        let wait = next
            .and_then(|at| (at - crm.now()).to_std().ok())
            .unwrap_or(Duration::from_secs(60))
            .min(Duration::from_secs(60))
            .min(until.saturating_duration_since(Instant::now()));
        tokio::time::sleep(wait).await;
    }
    Ok(cpu_time().map(|after| after.saturating_sub(before)))
}

fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat.rsplit(')').next()?.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // USER_HZ is 100 on every Linux this runs on.
    Some(Duration::from_millis(ticks * 10))
}
