//! Customer analysis: the book by industry, size, region, source, grade, tag or owner, with
//! what each group won in the period ("制造业客户占比40%，贡献60%业绩").
//!
//! The groups cover every live customer (the book as it is); the period decides the won
//! amount. Owner = the customer's 负责人.

use std::collections::HashMap;

use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use super::kpis::push_closed_in;
use super::scope::{Scope, StageSets};
use super::{CustomerAnalysis, Dimension, GroupRow};
use crate::tags::grading;
use crate::Result;

/// Employee-count bands, smallest first: (code, lower bound).
pub const SIZE_BANDS: [(&str, i64); 5] = [("lt20", 0), ("20_99", 20), ("100_499", 100), ("500_999", 500), ("ge1000", 1000)];

/// The SQL (over `customers c`) of a customer's group in this dimension; NULL = not filled
/// in. Tags are not a column (a customer has several) and are handled apart.
pub async fn key_sql(conn: &mut SqliteConnection, dimension: Dimension) -> Result<String> {
    Ok(match dimension {
        Dimension::Industry => "nullif(c.industry, '')".to_owned(),
        Dimension::Region => "nullif(c.region, '')".to_owned(),
        Dimension::Source => "nullif(c.source, '')".to_owned(),
        Dimension::Owner => "nullif(c.owner, '')".to_owned(),
        Dimension::Grade => grading::load(conn).await?.effective_sql(),
        Dimension::Size => {
            let mut sql = "CASE WHEN c.employees IS NULL THEN NULL".to_owned();
            for (code, low) in SIZE_BANDS.iter().rev() {
                sql.push_str(&format!(" WHEN c.employees >= {low} THEN '{code}'"));
            }
            sql + " END"
        }
        Dimension::Tag => "t.name".to_owned(),
    })
}

/// The joins a dimension needs after `customers c`: tags pair each customer with each tag.
pub fn joins_sql(dimension: Dimension) -> &'static str {
    match dimension {
        Dimension::Tag => " JOIN customer_tags ct ON ct.customer_id = c.id JOIN tags t ON t.id = ct.tag_id",
        _ => "",
    }
}

/// Folds the empty value into the unfilled group, as `nullif(…, '')` does.
fn fold_blank(rows: Vec<(Option<String>, i64)>) -> Vec<(Option<String>, i64)> {
    let mut out: Vec<(Option<String>, i64)> = Vec::with_capacity(rows.len());
    for (key, value) in rows {
        let key = key.filter(|k| !k.is_empty());
        match out.iter_mut().find(|(k, _)| *k == key) {
            Some((_, sum)) => *sum += value,
            None => out.push((key, value)),
        }
    }
    out
}

/// The dimensions kept per combination in `customer_group_counts` and on each deal (0013),
/// by their column there.
pub fn kept_column(dimension: Dimension) -> Option<&'static str> {
    match dimension {
        Dimension::Industry => Some("industry"),
        Dimension::Region => Some("region"),
        Dimension::Source => Some("source"),
        Dimension::Owner => Some("owner"),
        Dimension::Size | Dimension::Grade | Dimension::Tag => None,
    }
}

/// Live customers per group; `key` is `key_sql`'s, unused by the kept dimensions.
pub fn counts_query(key: &str, dimension: Dimension, scope: &Scope) -> QueryBuilder<Sqlite> {
    if let Some(column) = kept_column(dimension) {
        let mut qb = QueryBuilder::new(format!("SELECT {column} AS k, sum(customers) FROM customer_group_counts WHERE 1 = 1"));
        scope.push_owner(&mut qb, "owner");
        qb.push(format!(" GROUP BY {column} HAVING sum(customers) > 0"));
        return qb;
    }
    let mut qb = QueryBuilder::new(format!("SELECT {key} AS k, count(*) FROM customers c{} WHERE c.deleted_at IS NULL", joins_sql(dimension)));
    scope.push_owner(&mut qb, "c.owner");
    qb.push(format!(" GROUP BY {key}"));
    qb
}

/// What each group won in the period.
pub fn won_query(key: &str, dimension: Dimension, scope: &Scope, sets: &StageSets) -> QueryBuilder<Sqlite> {
    if let Some(column) = kept_column(dimension) {
        let mut qb = QueryBuilder::new(format!("SELECT d.customer_{column} AS k, sum(d.amount_fen) FROM deals d"));
        push_closed_in(&mut qb, &Scope { owner: None, ..scope.clone() }, &sets.won);
        scope.push_owner(&mut qb, "d.customer_owner");
        qb.push(" GROUP BY k");
        return qb;
    }
    let mut qb = QueryBuilder::new(format!(
        "SELECT {key} AS k, sum(d.amount_fen) FROM deals d JOIN customers c ON c.id = d.customer_id{}",
        joins_sql(dimension)
    ));
    push_closed_in(&mut qb, &Scope { owner: None, ..scope.clone() }, &sets.won);
    scope.push_owner(&mut qb, "c.owner");
    qb.push(" AND c.deleted_at IS NULL GROUP BY k");
    qb
}

pub async fn analysis(conn: &mut SqliteConnection, scope: &Scope, sets: &StageSets, dimension: Dimension) -> Result<CustomerAnalysis> {
    let key = match kept_column(dimension) {
        Some(_) => String::new(),
        None => key_sql(conn, dimension).await?,
    };
    let counted = fold_blank(counts_query(&key, dimension, scope).build_query_as::<(Option<String>, i64)>().fetch_all(&mut *conn).await?);
    let won_rows = fold_blank(won_query(&key, dimension, scope, sets).build_query_as::<(Option<String>, i64)>().fetch_all(&mut *conn).await?);

    // Every customer is in exactly one group of a column dimension, so the totals are the
    // groups' sums; a customer has any number of tags, so tags count the totals apart.
    let (total_customers, total_won_fen) = if dimension == Dimension::Tag {
        let mut total = QueryBuilder::new("SELECT count(*) FROM customers c WHERE c.deleted_at IS NULL");
        scope.push_owner(&mut total, "c.owner");
        let customers: i64 = total.build_query_scalar().fetch_one(&mut *conn).await?;
        let mut total_won = QueryBuilder::new("SELECT coalesce(sum(d.amount_fen), 0) FROM deals d JOIN customers c ON c.id = d.customer_id");
        push_closed_in(&mut total_won, &Scope { owner: None, ..scope.clone() }, &sets.won);
        scope.push_owner(&mut total_won, "c.owner");
        total_won.push(" AND c.deleted_at IS NULL");
        (customers, total_won.build_query_scalar().fetch_one(&mut *conn).await?)
    } else {
        (counted.iter().map(|r| r.1).sum(), won_rows.iter().map(|r| r.1).sum())
    };
    let won_by: HashMap<Option<String>, i64> = won_rows.into_iter().collect();

    let mut rows: Vec<(Option<String>, i64)> = counted;
    if dimension == Dimension::Tag {
        let mut untagged = QueryBuilder::new(
            "SELECT count(*) FROM customers c WHERE c.deleted_at IS NULL
               AND NOT EXISTS (SELECT 1 FROM customer_tags ct WHERE ct.customer_id = c.id)",
        );
        scope.push_owner(&mut untagged, "c.owner");
        let n: i64 = untagged.build_query_scalar().fetch_one(&mut *conn).await?;
        if n > 0 {
            rows.push((None, n));
        }
    }
    Ok(CustomerAnalysis {
        period: scope.range.clone(),
        dimension,
        total_customers,
        total_won_fen,
        rows: build_rows(rows, &won_by, total_customers, total_won_fen, dimension),
    })
}

/// Shares, and the order: most customers first (size bands in their own order), unfilled last.
pub fn build_rows(
    counted: Vec<(Option<String>, i64)>,
    won_by: &HashMap<Option<String>, i64>,
    total_customers: i64,
    total_won_fen: i64,
    dimension: Dimension,
) -> Vec<GroupRow> {
    let mut rows: Vec<GroupRow> = counted
        .into_iter()
        .map(|(key, customers)| {
            let won_amount_fen = won_by.get(&key).copied().unwrap_or(0);
            GroupRow {
                key,
                customers,
                share: if total_customers > 0 { customers as f64 / total_customers as f64 } else { 0.0 },
                won_amount_fen,
                won_share: (total_won_fen > 0).then(|| won_amount_fen as f64 / total_won_fen as f64),
            }
        })
        .collect();
    let band = |key: &Option<String>| key.as_deref().and_then(|k| SIZE_BANDS.iter().position(|(code, _)| *code == k));
    rows.sort_by(|a, b| {
        a.key.is_none().cmp(&b.key.is_none()).then_with(|| {
            if dimension == Dimension::Size {
                band(&a.key).cmp(&band(&b.key))
            } else {
                b.customers.cmp(&a.customers).then(b.won_amount_fen.cmp(&a.won_amount_fen)).then_with(|| a.key.cmp(&b.key))
            }
        })
    });
    rows
}
