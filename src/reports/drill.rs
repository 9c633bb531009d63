//! The rows behind a figure: every number and chart element of the reports opens its list.
//! Each target reuses the WHERE clause its figure was counted with.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{Dimension, ReportQuery};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum MonthSeries {
    NewCustomers,
    Won,
}

/// Which figure's rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum DrillTarget {
    /// Customers created in the period.
    NewCustomers,
    /// Follow-ups in the period, of one method or all; `responded` keeps only those with feedback.
    Followups {
        #[serde(default, rename = "methodId")]
        #[ts(optional, type = "number | null", rename = "methodId")]
        method_id: Option<i64>,
        #[serde(default)]
        #[ts(optional)]
        responded: Option<bool>,
    },
    /// Deals won in the period.
    WonDeals,
    /// Deals open at the period's end.
    Pipeline,
    /// Deals lost in the period, of one reason or all ("" = no reason given).
    LostDeals {
        #[serde(default)]
        #[ts(optional)]
        reason: Option<String>,
    },
    /// Customers with a deal that reached the intent stage or further in the period.
    IntentCustomers,
    /// Customers with a deal won in the period.
    WonCustomers,
    /// The top 20 % of the won customers by amount.
    TopCustomers,
    /// Customers of one group; `key` none = not filled in.
    Group {
        dimension: Dimension,
        #[serde(default)]
        #[ts(optional)]
        key: Option<String>,
    },
    /// Deals of the period's cohort (created in it) now in a stage.
    Stage {
        #[serde(rename = "stageId")]
        #[ts(type = "number", rename = "stageId")]
        stage_id: i64,
    },
    /// One month of the trend.
    Month { month: String, series: MonthSeries },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DrillQuery {
    #[serde(default)]
    pub query: ReportQuery,
    pub target: DrillTarget,
    pub limit: u32,
    /// The previous page's `nextCursor`.
    #[ts(optional)]
    pub cursor: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DrillKind {
    Customer,
    Deal,
    Followup,
}

/// One row of a drill-down list; what `title` holds depends on the kind (a customer's number,
/// a deal's name, a follow-up's content).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DrillRow {
    pub kind: DrillKind,
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub customer_id: i64,
    pub customer_name: String,
    pub title: Option<String>,
    pub owner: Option<String>,
    #[ts(type = "number | null")]
    pub amount_fen: Option<i64>,
    /// Milliseconds since the epoch, UTC: created, won, lost or followed up.
    #[ts(type = "number | null")]
    pub at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DrillPage {
    pub kind: DrillKind,
    #[ts(type = "number")]
    pub total: i64,
    pub items: Vec<DrillRow>,
    pub next_cursor: Option<String>,
}

use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use super::analysis::{joins_sql, key_sql};
use super::kpis::{month_range, push_closed_in, push_pipeline};
use super::performance::{push_intent, top_count};
use super::scope::{Scope, StageSets};

use crate::deals::store::push_filter;
use crate::deals::DealFilter;
use crate::{Error, Result, Zone};

const CUSTOMER_COLUMNS: &str = "SELECT c.id AS id, c.id AS customer_id, c.name AS customer_name, c.number AS title,
        c.owner AS owner, NULL AS amount_fen, c.created_at AS at FROM customers c";
const DEAL_COLUMNS: &str = "SELECT d.id AS id, d.customer_id AS customer_id, c.name AS customer_name, d.name AS title,
        d.owner AS owner, d.amount_fen AS amount_fen, d.stage_at AS at
   FROM deals d JOIN customers c ON c.id = d.customer_id";
const NEWEST: &str = " ORDER BY at DESC, id DESC";
const LARGEST: &str = " ORDER BY amount_fen DESC, id";

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    customer_id: i64,
    customer_name: String,
    title: Option<String>,
    owner: Option<String>,
    amount_fen: Option<i64>,
    at: Option<i64>,
}

/// Pushes the listing's SELECT (unpaged, unordered) onto `qb`; returns its kind and order.
async fn listing(
    conn: &mut SqliteConnection,
    qb: &mut QueryBuilder<Sqlite>,
    target: &DrillTarget,
    scope: &Scope,
    sets: &StageSets,
    zone: Zone,
) -> Result<(DrillKind, &'static str)> {
    Ok(match target {
        DrillTarget::NewCustomers => {
            new_customers(qb, scope);
            (DrillKind::Customer, NEWEST)
        }
        DrillTarget::Month { month, series } => {
            let first = crate::domain::day::parse_day(&format!("{month}-01")).map_err(|code| Error::invalid("target.month", code))?;
            let scope = Scope { range: month_range(first, zone), ..scope.clone() };
            match series {
                MonthSeries::NewCustomers => {
                    new_customers(qb, &scope);
                    (DrillKind::Customer, NEWEST)
                }
                MonthSeries::Won => {
                    closed(qb, &scope, &sets.won);
                    (DrillKind::Deal, LARGEST)
                }
            }
        }
        DrillTarget::Followups { method_id, responded } => {
            qb.push(
                "SELECT f.id AS id, f.customer_id AS customer_id, c.name AS customer_name, f.content AS title,
                        f.owner AS owner, NULL AS amount_fen, f.at AS at
                   FROM followups f JOIN customers c ON c.id = f.customer_id WHERE f.hidden = 0",
            );
            scope.push_between(qb, "f.at");
            scope.push_owner(qb, "f.owner");
            if let Some(method) = method_id {
                qb.push(" AND f.method_id = ").push_bind(*method);
            }
            if *responded == Some(true) {
                qb.push(" AND f.responded = 1");
            }
            (DrillKind::Followup, NEWEST)
        }
        DrillTarget::WonDeals => {
            closed(qb, scope, &sets.won);
            (DrillKind::Deal, LARGEST)
        }
        DrillTarget::LostDeals { reason } => {
            closed(qb, scope, &sets.lost);
            if let Some(reason) = reason {
                qb.push(" AND coalesce(d.lost_reason, '') = ").push_bind(reason.clone());
            }
            (DrillKind::Deal, LARGEST)
        }
        DrillTarget::Pipeline => {
            qb.push(DEAL_COLUMNS);
            push_pipeline(qb, scope, sets);
            (DrillKind::Deal, LARGEST)
        }
        DrillTarget::Stage { stage_id } => {
            qb.push(DEAL_COLUMNS);
            let filter = DealFilter {
                owner: scope.owner.clone(),
                from: Some(scope.range.from.clone()),
                to: Some(scope.range.to.clone()),
                customer_id: None,
                stage_id: Some(*stage_id),
                customer_filter: None,
            };
            push_filter(qb, &filter, zone)?;
            (DrillKind::Deal, LARGEST)
        }
        DrillTarget::IntentCustomers => {
            qb.push(CUSTOMER_COLUMNS);
            qb.push(" WHERE c.id IN (SELECT d.customer_id FROM deal_stage_history h JOIN deals d ON d.id = h.deal_id");
            push_intent(qb, scope, sets);
            qb.push(")");
            (DrillKind::Customer, NEWEST)
        }
        DrillTarget::WonCustomers | DrillTarget::TopCustomers => {
            let top = match target {
                DrillTarget::TopCustomers => {
                    let mut count = QueryBuilder::new("SELECT count(DISTINCT d.customer_id) FROM deals d");
                    push_closed_in(&mut count, scope, &sets.won);
                    Some(top_count(count.build_query_scalar::<i64>().fetch_one(&mut *conn).await?))
                }
                _ => None,
            };
            qb.push(
                "SELECT c.id AS id, c.id AS customer_id, c.name AS customer_name, c.number AS title, c.owner AS owner,
                        sum(d.amount_fen) AS amount_fen, max(d.stage_at) AS at
                   FROM deals d JOIN customers c ON c.id = d.customer_id",
            );
            push_closed_in(qb, scope, &sets.won);
            qb.push(" GROUP BY c.id");
            if let Some(top) = top {
                qb.push(" ORDER BY amount_fen DESC, id LIMIT ").push_bind(top);
            }
            (DrillKind::Customer, LARGEST)
        }
        DrillTarget::Group { dimension, key } => {
            let key_sql = key_sql(conn, *dimension).await?;
            qb.push(CUSTOMER_COLUMNS).push(" WHERE c.deleted_at IS NULL");
            scope.push_owner(qb, "c.owner");
            match (dimension, key) {
                (Dimension::Tag, Some(tag)) => {
                    qb.push(format!(" AND c.id IN (SELECT c.id FROM customers c{} WHERE t.name = ", joins_sql(*dimension)));
                    qb.push_bind(tag.clone()).push(")");
                }
                (Dimension::Tag, None) => {
                    qb.push(" AND NOT EXISTS (SELECT 1 FROM customer_tags ct WHERE ct.customer_id = c.id)");
                }
                (_, Some(value)) => {
                    qb.push(format!(" AND {key_sql} = ")).push_bind(value.clone());
                }
                (_, None) => {
                    qb.push(format!(" AND {key_sql} IS NULL"));
                }
            }
            (DrillKind::Customer, NEWEST)
        }
    })
}

fn new_customers(qb: &mut QueryBuilder<Sqlite>, scope: &Scope) {
    qb.push(CUSTOMER_COLUMNS).push(" WHERE c.deleted_at IS NULL");
    scope.push_between(qb, "c.created_at");
    scope.push_owner(qb, "c.owner");
}

fn closed(qb: &mut QueryBuilder<Sqlite>, scope: &Scope, stages: &[i64]) {
    qb.push(DEAL_COLUMNS);
    push_closed_in(qb, scope, stages);
}

pub async fn drill(conn: &mut SqliteConnection, q: &DrillQuery, scope: &Scope, sets: &StageSets, zone: Zone) -> Result<DrillPage> {
    if !(1..=500).contains(&q.limit) {
        return Err(Error::invalid("limit", "out_of_range"));
    }
    let offset: i64 = match q.cursor.as_deref() {
        Some(raw) => raw.parse().ok().filter(|o: &i64| *o >= 0).ok_or_else(|| Error::invalid("cursor", "cursor_invalid"))?,
        None => 0,
    };
    let mut count = QueryBuilder::new("SELECT count(*) FROM (");
    let (kind, order) = listing(conn, &mut count, &q.target, scope, sets, zone).await?;
    count.push(")");
    let total: i64 = count.build_query_scalar().fetch_one(&mut *conn).await?;

    let mut page = QueryBuilder::new("SELECT * FROM (");
    listing(conn, &mut page, &q.target, scope, sets, zone).await?;
    page.push(")").push(order).push(" LIMIT ").push_bind(q.limit as i64).push(" OFFSET ").push_bind(offset);
    let rows: Vec<Row> = page.build_query_as().fetch_all(&mut *conn).await?;
    let next = offset + rows.len() as i64;
    Ok(DrillPage {
        kind,
        total,
        next_cursor: (next < total && rows.len() as i64 == q.limit as i64).then(|| next.to_string()),
        items: rows
            .into_iter()
            .map(|r| DrillRow {
                kind,
                id: r.id,
                customer_id: r.customer_id,
                customer_name: r.customer_name,
                title: r.title,
                owner: r.owner,
                amount_fen: r.amount_fen,
                at: r.at,
            })
            .collect(),
    })
}
