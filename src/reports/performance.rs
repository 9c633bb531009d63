//! Sales performance, template 4 of the seed (销售业绩分析表), per owner and in total.

use std::collections::{BTreeSet, HashMap};

use sqlx::{QueryBuilder, SqliteConnection};

use super::kpis::push_closed_in;
use super::scope::{id_list, Scope, StageSets};
use super::{LostReasonRow, Performance, PerformanceRow};
use crate::Result;

/// `WHERE` over `deal_stage_history h JOIN deals d`: deals that entered the intent stage or a
/// later non-lost one in the period.
pub fn push_intent(qb: &mut QueryBuilder<sqlx::Sqlite>, scope: &Scope, sets: &StageSets) {
    qb.push(format!(" WHERE h.to_stage IN {}", id_list(&sets.intent_or_further)));
    scope.push_between(qb, "h.at");
    qb.push(" AND d.deleted_at IS NULL");
    scope.push_owner(qb, "d.owner");
}

pub async fn performance(conn: &mut SqliteConnection, scope: &Scope, sets: &StageSets) -> Result<Performance> {
    let mut q = QueryBuilder::new("SELECT c.owner, count(*) FROM customers c WHERE c.deleted_at IS NULL");
    scope.push_between(&mut q, "c.created_at");
    scope.push_owner(&mut q, "c.owner");
    q.push(" GROUP BY c.owner");
    let new_customers: Vec<(Option<String>, i64)> = q.build_query_as().fetch_all(&mut *conn).await?;

    let mut q = QueryBuilder::new("SELECT DISTINCT d.owner, d.customer_id FROM deal_stage_history h JOIN deals d ON d.id = h.deal_id");
    push_intent(&mut q, scope, sets);
    let intent: Vec<(Option<String>, i64)> = q.build_query_as().fetch_all(&mut *conn).await?;

    let mut q = QueryBuilder::new("SELECT d.owner, d.customer_id, count(*), sum(d.amount_fen) FROM deals d");
    push_closed_in(&mut q, scope, &sets.won);
    q.push(" GROUP BY d.owner, d.customer_id");
    let won: Vec<(Option<String>, i64, i64, i64)> = q.build_query_as().fetch_all(&mut *conn).await?;

    let mut q = QueryBuilder::new("SELECT coalesce(d.lost_reason, ''), count(*), coalesce(sum(d.amount_fen), 0) FROM deals d");
    push_closed_in(&mut q, scope, &sets.lost);
    q.push(" GROUP BY 1");
    let lost: Vec<(String, i64, i64)> = q.build_query_as().fetch_all(&mut *conn).await?;

    let (total, owners) = build(&new_customers, &intent, &won);
    Ok(Performance {
        period: scope.range.clone(),
        intent_stage: sets.intent_name.clone(),
        total,
        owners,
        lost_reasons: lost_rows(lost),
    })
}

/// The rows from the raw facts (pure, so the arithmetic is tested on its own too):
/// new customers per owner, (owner, customer) pairs that showed intent, and won deals per
/// (owner, customer) as (count, amount).
pub fn build(
    new_customers: &[(Option<String>, i64)],
    intent: &[(Option<String>, i64)],
    won: &[(Option<String>, i64, i64, i64)],
) -> (PerformanceRow, Vec<PerformanceRow>) {
    let mut owners: BTreeSet<Option<String>> = BTreeSet::new();
    owners.extend(new_customers.iter().map(|r| r.0.clone()));
    owners.extend(intent.iter().map(|r| r.0.clone()));
    owners.extend(won.iter().map(|r| r.0.clone()));

    let row_for = |owner: Option<&Option<String>>| {
        let mine = |o: &Option<String>| owner.is_none_or(|want| want == o);
        let new: i64 = new_customers.iter().filter(|r| mine(&r.0)).map(|r| r.1).sum();
        let intent: BTreeSet<i64> = intent.iter().filter(|r| mine(&r.0)).map(|r| r.1).collect();
        // A customer's amount across the owner's (or everyone's) won deals.
        let mut by_customer: HashMap<i64, i64> = HashMap::new();
        let mut won_deals = 0;
        for (_, customer, count, amount) in won.iter().filter(|r| mine(&r.0)) {
            *by_customer.entry(*customer).or_default() += amount;
            won_deals += count;
        }
        row(owner.cloned().flatten(), new, intent.len() as i64, won_deals, by_customer.into_values().collect())
    };
    let total = PerformanceRow { owner: None, ..row_for(None) };
    let mut rows: Vec<PerformanceRow> = owners.iter().map(|o| row_for(Some(o))).collect();
    rows.sort_by(|a, b| {
        a.owner.is_none().cmp(&b.owner.is_none()).then(b.won_amount_fen.cmp(&a.won_amount_fen)).then(b.new_customers.cmp(&a.new_customers)).then_with(|| a.owner.cmp(&b.owner))
    });
    (total, rows)
}

/// One row from its counts and the won amount of each won customer.
pub fn row(owner: Option<String>, new_customers: i64, intent_customers: i64, won_deals: i64, mut amounts: Vec<i64>) -> PerformanceRow {
    let won_customers = amounts.len() as i64;
    let won_amount_fen: i64 = amounts.iter().sum();
    amounts.sort_unstable_by(|a, b| b.cmp(a));
    // The top fifth, rounded up: of 3 customers the best 1. Ties at the cut have equal
    // amounts, so which of them is taken never changes the share.
    let top = top_count(won_customers) as usize;
    let top_amount_fen: i64 = amounts.iter().take(top).sum();
    PerformanceRow {
        owner,
        new_customers,
        intent_customers,
        won_customers,
        won_deals,
        won_amount_fen,
        avg_deal_fen: (won_customers > 0).then(|| div_round(won_amount_fen, won_customers)),
        conversion: (intent_customers > 0).then(|| won_customers as f64 / intent_customers as f64),
        top_share: (won_amount_fen > 0).then(|| top_amount_fen as f64 / won_amount_fen as f64),
        top_customers: top as i64,
        top_amount_fen,
    }
}

/// a ÷ b rounded half away from zero, in integers (money never passes through a float).
fn div_round(a: i64, b: i64) -> i64 {
    (2 * a + b) / (2 * b)
}

fn lost_rows(lost: Vec<(String, i64, i64)>) -> Vec<LostReasonRow> {
    let total: i64 = lost.iter().map(|r| r.1).sum();
    let mut rows: Vec<LostReasonRow> = lost
        .into_iter()
        .map(|(reason, count, amount_fen)| LostReasonRow { reason, count, amount_fen, share: count as f64 / total as f64 })
        .collect();
    rows.sort_by(|a, b| b.count.cmp(&a.count).then(b.amount_fen.cmp(&a.amount_fen)).then_with(|| a.reason.cmp(&b.reason)));
    rows
}

/// How many customers the top 20 % are: a fifth of the won customers, rounded up.
pub fn top_count(won_customers: i64) -> i64 {
    (won_customers.max(0) * 2 + 9) / 10
}
