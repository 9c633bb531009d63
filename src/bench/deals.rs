//! The funnel's benchmark: a generated pipeline (deals with their whole stage history) and
//! the timings of the funnel report and the kanban's first load, with SQLite's query plans.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use super::{ms, time_runs, Generator};
use crate::deals::bulk::PastDeal;
use crate::deals::{DealFilter, Stage, StageKind};
use crate::{Crm, Result};

const DAY_MS: i64 = 86_400_000;
const OWNERS: &[&str] = &["王经理", "李经理", "张经理", "陈经理"];
const REASONS: &[&str] = &["价格过高", "选择竞品", "需求变化", "预算取消"];

impl Generator {
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// A deal that went through the funnel like real ones do: mostly forward, sometimes a stage
    /// skipped or a step back, some lost on the way (a few of those reopened), some won.
    pub fn past_deal(&mut self, stages: &[Stage], customer_id: i64, now_ms: i64, n: usize) -> PastDeal {
        let open: Vec<i64> = stages.iter().filter(|s| s.kind == StageKind::Open).map(|s| s.id).collect();
        let won = stages.iter().find(|s| s.kind == StageKind::Won).map(|s| s.id).expect("a won stage");
        let lost = stages.iter().find(|s| s.kind == StageKind::Lost).map(|s| s.id).expect("a lost stage");
        let steps = 6 + self.below(5) as usize; // 6–10 history rows unless the deal ends earlier
        let mut at = now_ms - (self.below(365) as i64 + 1) * DAY_MS;
        let created = at;
        let mut index = match self.below(10) {
            0..=6 => 0,
            7..=8 => 1,
            _ => 2,
        };
        let mut path = vec![(open[index], at)];
        let mut before_lost = None;
        while path.len() < steps {
            let (current, _) = *path.last().unwrap();
            if current == won {
                break;
            }
            let next = if current == lost {
                match before_lost {
                    Some(i) if self.below(3) == 0 => {
                        index = i;
                        open[i]
                    }
                    _ => break,
                }
            } else {
                match self.below(20) {
                    0..=1 => {
                        before_lost = Some(index);
                        lost
                    }
                    2..=4 if index > 0 => {
                        index -= 1;
                        open[index]
                    }
                    5 if index + 2 < open.len() => {
                        index += 2;
                        open[index]
                    }
                    _ if index + 1 < open.len() => {
                        index += 1;
                        open[index]
                    }
                    _ => won,
                }
            };
            at = (at + (self.below(20) as i64 + 1) * DAY_MS).min(now_ms - 60_000);
            path.push((next, at));
        }
        let amount_fen = (1 + self.below(200) as i64) * 1_000_000 + self.below(100) as i64 * 10_000;
        let close = created + (30 + self.below(150) as i64) * DAY_MS;
        let close_date = crate::db::from_ms(close).format("%Y-%m-%d").to_string();
        PastDeal {
            uid: format!("bench-{customer_id}-{created}-{}", self.next()),
            customer_id,
            name: format!("商机 {}", n + 1),
            amount_fen,
            close_date: Some(close_date),
            probability: (self.below(10) == 0).then(|| 5 + self.below(90) as i64),
            owner: Some(OWNERS[self.below(OWNERS.len() as u64) as usize].to_owned()),
            path,
            lost_reason: Some(REASONS[self.below(REASONS.len() as u64) as usize].to_owned()),
        }
    }
}

/// Adds `deals` generated deals (and a customer for every four) to a ledger; answers how many
/// stage-history rows they have.
pub async fn seed(crm: &Crm, deals: usize) -> Result<u64> {
    let mut gen = Generator::new(20261124);
    let customers = (deals / 4).max(1);
    let mut ids = Vec::with_capacity(customers);
    let mut left = customers;
    while left > 0 {
        let n = left.min(50_000);
        let rows: Vec<_> = (0..n).map(|_| gen.customer()).collect();
        ids.extend(crm.add_customers(&rows).await?);
        left -= n;
    }
    let stages = crm.deal_stages().await?;
    let now_ms = crm.now().timestamp_millis();
    let mut history = 0u64;
    let mut made = 0;
    while made < deals {
        let n = (deals - made).min(50_000);
        let batch: Vec<PastDeal> = (made..made + n)
            .map(|i| gen.past_deal(&stages, ids[i % ids.len()], now_ms, i))
            .collect();
        history += batch.iter().map(|d| d.path.len() as u64).sum::<u64>();
        crm.add_past_deals(&batch).await?;
        made += n;
    }
    Ok(history)
}

pub async fn run(deals: usize, runs: usize) -> Result<String> {
    let dir = std::env::temp_dir().join(format!("yiben-bench-deals-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let result = run_in(&dir, deals, runs.max(1)).await;
    let _ = std::fs::remove_dir_all(&dir);
    result
}

async fn run_in(dir: &std::path::Path, deals: usize, runs: usize) -> Result<String> {
    let crm = Crm::open(dir.join("ledger.db")).await?;
    let start = Instant::now();
    let history = seed(&crm, deals).await?;
    let generated = start.elapsed();

    let today = crm.zone().today(crm.now());
    let quarter = DealFilter {
        from: Some((today - chrono::Duration::days(90)).format("%Y-%m-%d").to_string()),
        to: Some(today.format("%Y-%m-%d").to_string()),
        ..Default::default()
    };
    let owner = DealFilter { owner: Some("王经理".into()), ..Default::default() };
    let all = DealFilter::default();
    let cases: Vec<(&str, DealFilter)> = vec![
        ("all deals", all.clone()),
        ("one owner", owner.clone()),
        ("created in the last 90 days (cohort)", quarter.clone()),
    ];
    let mut rows: Vec<(String, Duration, Duration)> = Vec::new();
    for (label, filter) in &cases {
        let t = time_runs(runs, || async { crm.funnel_report(filter).await.map(drop) }).await?;
        rows.push((format!("Funnel report, {label}"), t.percentile(0.5), t.percentile(0.95)));
        let t = time_runs(runs, || async { crm.deal_board(filter).await.map(drop) }).await?;
        rows.push((format!("Kanban first load (6 columns × 30 cards + totals), {label}"), t.percentile(0.5), t.percentile(0.95)));
    }
    let t = time_runs(runs, || async { crm.deal_forecast(&all).await.map(drop) }).await?;
    rows.push(("Forecast by close month, all deals".into(), t.percentile(0.5), t.percentile(0.95)));
    let t = time_runs(runs, || async { crm.stalled_deals(&all, 100).await.map(drop) }).await?;
    rows.push(("Stalled deals, first 100".into(), t.percentile(0.5), t.percentile(0.95)));
    let mut plans = Vec::new();
    for (label, filter) in &cases {
        plans.push((*label, crm.funnel_plans(filter).await?));
    }
    crm.close().await;

    let mut out = String::new();
    let _ = writeln!(out, "### Core: sales funnel ({deals} generated deals, {history} stage-history rows, {runs} runs per query)\n");
    let _ = writeln!(out, "Generated (customers, deals and their history, in batches): {}.\n", ms(generated));
    let _ = writeln!(out, "| Query | p50 | p95 |");
    let _ = writeln!(out, "|---|---|---|");
    for (label, p50, p95) in &rows {
        let _ = writeln!(out, "| {label} | {} | {} |", ms(*p50), ms(*p95));
    }
    let _ = writeln!(out, "\nQuery plans (EXPLAIN QUERY PLAN):\n");
    for (label, queries) in plans {
        for (query, steps) in queries {
            let _ = writeln!(out, "- {label}, {query}: `{}`", steps.join("; "));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn generated_deals_are_consistent_with_their_history() {
        let dir = tempfile::tempdir().unwrap();
        let crm = Crm::open(dir.path().join("bench.db")).await.unwrap();
        let history = seed(&crm, 2000).await.unwrap();
        assert!(history >= 2000 * 4, "about five history rows per deal: {history}");
        let report = crm.funnel_report(&DealFilter::default()).await.unwrap();
        assert_eq!(report.total_count, 2000);
        let reached: Vec<i64> = report.stages.iter().filter(|s| s.kind != StageKind::Lost).map(|s| s.reached).collect();
        assert!(reached.windows(2).all(|w| w[0] >= w[1]), "a funnel narrows: {reached:?}");
        assert!(report.lost_reasons.iter().all(|r| !r.reason.is_empty()));
        let stages = crm.deal_stages().await.unwrap();
        assert!(stages.iter().filter(|s| s.kind == StageKind::Open).all(|s| s.stay_count > 0));
    }
}
