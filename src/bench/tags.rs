//! Tags and filters at scale: a filtered first page and its count over a generated ledger
//! with 2.5 tag links per customer, and the full refresh of automatic tags and scores.

use std::fmt::Write;
use std::time::Instant;

use sqlx::{Connection, SqliteConnection};

use super::{ms, seed, time_runs};
use crate::customers::ListQuery;
use crate::{Crm, Result};

/// Tag ids 1–17 are the seeded hand-set tags; a few are common, most are rare, as in a
/// real book (every customer has a grade-like tag, a minority a need or a role).
async fn link(conn: &mut SqliteConnection, customers: usize, per_customer: f64) -> Result<u64> {
    let links = (customers as f64 * per_customer) as usize;
    let mut tx = conn.begin().await?;
    let mut made = 0;
    let mut i = 0usize;
    while made < links {
        let mut qb = sqlx::QueryBuilder::new("INSERT OR IGNORE INTO customer_tags (tag_id, customer_id, auto) ");
        let batch: Vec<(i64, i64)> = (0..10_000)
            .map(|k| {
                let n = i + k;
                let customer = (n * 7919 % customers + 1) as i64;
                // Skewed: tags 1–4 take half the links.
                let tag = if n % 2 == 0 { (n / 2 % 4 + 1) as i64 } else { (n / 2 % 13 + 5) as i64 };
                (tag, customer)
            })
            .collect();
        i += batch.len();
        qb.push_values(&batch, |mut b, (tag, customer)| {
            b.push_bind(*tag).push_bind(*customer).push("0");
        });
        made += qb.build().execute(&mut *tx).await?.rows_affected() as usize;
    }
    tx.commit().await?;
    Ok(made as u64)
}

pub async fn run(dir: &std::path::Path, customers: usize, runs: usize) -> Result<String> {
    let path = dir.join("ledger.db");
    let crm = Crm::open(&path).await?;
    seed(&crm, customers).await?;
    let mut bare = SqliteConnection::connect(&format!("sqlite:{}", path.display())).await?;
    let links = link(&mut bare, customers, 2.5).await?;

    let mut out = String::new();
    writeln!(out, "### Core: tags and filters ({customers} generated customers, {links} tag links, {runs} runs per query)\n").ok();
    writeln!(out, "| Filter | matches | first page p50 | first page p95 | count p95 |").ok();
    writeln!(out, "|---|---|---|---|---|").ok();
    let cases = [
        "tag:高价值客户",
        "tag:决策人 AND NOT tag:潜力客户",
        "tag:决策人 OR tag:展会",
        "industry:制造业 AND tag:战略客户",
        "(tag:高价值客户 OR tag:战略客户) AND NOT industry:制造业 AND last_followup>90d",
        "tag:注重性价比 AND tag:决策周期长",
    ];
    for filter in cases {
        let first = ListQuery { limit: 50, filter: Some(filter.into()), ..Default::default() };
        let page = time_runs(runs, || async { crm.list_customers(&first).await.map(drop) }).await?;
        let count = time_runs(runs, || async { crm.count_customers(&first).await.map(drop) }).await?;
        let matches = crm.count_customers(&first).await?;
        writeln!(
            out,
            "| `{filter}` | {matches} | {} | {} | {} |",
            ms(page.percentile(0.5)),
            ms(page.percentile(0.95)),
            ms(count.percentile(0.95))
        )
        .ok();
    }
    let started = Instant::now();
    crm.refresh_values().await?;
    writeln!(out, "\nRecomputing every automatic tag and value score over {customers} customers: {}.\n", ms(started.elapsed())).ok();
    crm.close().await;
    Ok(out)
}
