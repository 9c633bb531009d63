//! Customers: the input DTO, its parsed form, and every SQL statement on the table.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;
use ts_rs::TS;

use crate::db::{from_ms, to_ms};
use crate::domain::{half_width, CustomerName, Mobile};
use crate::error::FieldErrors;
use crate::{Error, Result};

/// A customer as the UI and `--json` see it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Customer {
    #[ts(type = "number")]
    pub id: i64,
    pub uid: String,
    pub name: String,
    /// Normalized 11-digit mobile.
    pub phone: Option<String>,
    pub industry: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What a form or the CLI submits; raw text, parsed by [`NewCustomer::parse`].
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CustomerInput {
    pub name: String,
    #[serde(default)]
    #[ts(optional)]
    pub phone: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub industry: Option<String>,
}

/// A customer that passed every rule; only this can reach the database.
#[derive(Debug, Clone, PartialEq)]
pub struct NewCustomer {
    pub name: CustomerName,
    pub phone: Option<Mobile>,
    pub industry: Option<String>,
}

pub const INDUSTRY_MAX_CHARS: usize = 50;

impl NewCustomer {
    /// Collects every field's problem at once, so a form can mark them all.
    pub fn parse(input: &CustomerInput) -> Result<Self> {
        let mut errors = FieldErrors::new();
        let name = CustomerName::parse(&input.name).map_err(|code| errors.insert("name".into(), code.into())).ok();
        let phone = match non_blank(input.phone.as_deref()) {
            None => None,
            Some(raw) => Mobile::parse(raw).map_err(|code| errors.insert("phone".into(), code.into())).ok(),
        };
        let industry = non_blank(input.industry.as_deref()).map(|s| half_width(s).trim().to_owned());
        if industry.as_ref().is_some_and(|s| s.chars().count() > INDUSTRY_MAX_CHARS) {
            errors.insert("industry".into(), "too_long".into());
        }
        match name {
            Some(name) if errors.is_empty() => Ok(NewCustomer { name, phone, industry }),
            _ => Err(Error::Validation(errors)),
        }
    }
}

fn non_blank(s: Option<&str>) -> Option<&str> {
    s.map(|s| s.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}')).filter(|s| !s.is_empty())
}

#[derive(sqlx::FromRow)]
struct CustomerRow {
    id: i64,
    uid: String,
    name: String,
    phone: Option<String>,
    industry: Option<String>,
    created_at: i64,
    updated_at: i64,
}

impl From<CustomerRow> for Customer {
    fn from(r: CustomerRow) -> Self {
        Customer {
            id: r.id,
            uid: r.uid,
            name: r.name,
            phone: r.phone,
            industry: r.industry,
            created_at: from_ms(r.created_at),
            updated_at: from_ms(r.updated_at),
        }
    }
}

// A macro, not a const, so queries stay `&'static str` literals that sqlx accepts as audited.
macro_rules! columns {
    () => {
        "id, uid, name, phone, industry, created_at, updated_at"
    };
}

pub async fn insert(conn: &mut SqliteConnection, c: &NewCustomer, uid: &str, now: DateTime<Utc>) -> Result<i64> {
    let id = sqlx::query_scalar(
        "INSERT INTO customers (uid, name, name_key, phone, industry, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(uid)
    .bind(c.name.as_str())
    .bind(c.name.key())
    .bind(c.phone.as_ref().map(Mobile::as_str))
    .bind(&c.industry)
    .bind(to_ms(now))
    .bind(to_ms(now))
    .fetch_one(conn)
    .await?;
    Ok(id)
}

/// SQLite allows 32766 bound parameters per statement; 7 per row.
const INSERT_BATCH_ROWS: usize = 4000;

/// Inserts many parsed customers with multi-row statements: one statement per row costs
/// sqlx ≈ 15–50× more. The caller owns the transaction.
pub async fn insert_batch(
    conn: &mut SqliteConnection,
    rows: &[(NewCustomer, String)],
    now: DateTime<Utc>,
) -> Result<()> {
    for chunk in rows.chunks(INSERT_BATCH_ROWS) {
        let mut qb = sqlx::QueryBuilder::new(
            "INSERT INTO customers (uid, name, name_key, phone, industry, created_at, updated_at) ",
        );
        qb.push_values(chunk, |mut b, (c, uid)| {
            b.push_bind(uid)
                .push_bind(c.name.as_str())
                .push_bind(c.name.key())
                .push_bind(c.phone.as_ref().map(Mobile::as_str))
                .push_bind(&c.industry)
                .push_bind(to_ms(now))
                .push_bind(to_ms(now));
        });
        qb.build().execute(&mut *conn).await?;
    }
    Ok(())
}

pub async fn get(conn: &mut SqliteConnection, id: i64) -> Result<Customer> {
    let row: Option<CustomerRow> =
        sqlx::query_as(concat!("SELECT ", columns!(), " FROM customers WHERE id = ? AND deleted_at IS NULL"))
            .bind(id)
            .fetch_optional(conn)
            .await?;
    row.map(Customer::from).ok_or(Error::NotFound { entity: "customer", id: id.to_string() })
}

/// A request for one page of the list, newest first. `after` is the `nextCursor` of the
/// previous page (keyset paging: page 10 000 costs what page 1 costs).
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PageQuery {
    pub limit: u32,
    #[serde(default)]
    #[ts(optional, type = "number")]
    pub after: Option<i64>,
}

impl PageQuery {
    pub const MAX_LIMIT: u32 = 500;

    pub fn first(limit: u32) -> Self {
        PageQuery { limit, after: None }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CustomerPage {
    pub items: Vec<Customer>,
    /// Live customers in the whole ledger, not just this page.
    #[ts(type = "number")]
    pub total: i64,
    /// Pass as `after` to get the next page; absent on the last page.
    #[ts(type = "number | null")]
    pub next_cursor: Option<i64>,
}

pub async fn page(conn: &mut SqliteConnection, q: &PageQuery) -> Result<CustomerPage> {
    if q.limit == 0 || q.limit > PageQuery::MAX_LIMIT {
        return Err(Error::invalid("limit", "out_of_range"));
    }
    // One extra row tells whether another page exists without a second query.
    let rows: Vec<CustomerRow> = sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        " FROM customers WHERE deleted_at IS NULL AND id < ? ORDER BY id DESC LIMIT ?"
    ))
    .bind(q.after.unwrap_or(i64::MAX))
    .bind(q.limit as i64 + 1)
    .fetch_all(&mut *conn)
    .await?;
    let total = count_live(conn).await?;
    let has_more = rows.len() > q.limit as usize;
    let items: Vec<Customer> = rows.into_iter().take(q.limit as usize).map(Customer::from).collect();
    let next_cursor = if has_more { items.last().map(|c| c.id) } else { None };
    Ok(CustomerPage { items, total, next_cursor })
}

pub async fn count_live(conn: &mut SqliteConnection) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT count(*) FROM customers WHERE deleted_at IS NULL").fetch_one(conn).await?)
}
