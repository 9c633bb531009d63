//! `yiben check`: is the ledger whole? SQLite's own integrity check, the foreign keys, and
//! whether the quick-search index says exactly what the code would write for each customer.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use sqlx::SqliteConnection;
use ts_rs::TS;

use crate::customers;
use crate::Result;

/// How many ids each list of faults names at most; the counts are always complete.
const SAMPLE: usize = 100;
const PAGE: i64 = 500;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ForeignKeyViolation {
    pub table: String,
    #[ts(type = "number | null")]
    pub rowid: Option<i64>,
    /// The table the missing row should be in.
    pub parent: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SearchIndexCheck {
    pub ok: bool,
    /// Customers not in the recycle bin: each must have exactly one entry in each index.
    #[ts(type = "number")]
    pub live_customers: i64,
    #[ts(type = "number")]
    pub search_rows: i64,
    #[ts(type = "number")]
    pub gram_rows: i64,
    /// Live customers without a search entry (or without a names entry).
    #[ts(type = "number[]")]
    pub missing: Vec<i64>,
    /// Entries for a customer that is deleted, merged away or gone.
    #[ts(type = "number[]")]
    pub extra: Vec<i64>,
    /// Entries whose text differs from what the customer's current profile gives.
    #[ts(type = "number[]")]
    pub stale: Vec<i64>,
    /// SQLite's FTS5 `integrity-check` of both index tables: `ok` or its error.
    pub fts: String,
}

/// The report of `Crm::check`; `ok` is the verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CheckReport {
    pub ok: bool,
    /// `PRAGMA integrity_check`: `["ok"]` or the problems it found.
    pub integrity: Vec<String>,
    pub foreign_keys: Vec<ForeignKeyViolation>,
    pub search_index: SearchIndexCheck,
}

pub async fn integrity(conn: &mut SqliteConnection) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_all(conn)
        .await?)
}

pub async fn foreign_keys(conn: &mut SqliteConnection) -> Result<Vec<ForeignKeyViolation>> {
    let rows: Vec<(String, Option<i64>, String, i64)> = sqlx::query_as("PRAGMA foreign_key_check")
        .fetch_all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(table, rowid, parent, _)| ForeignKeyViolation {
            table,
            rowid,
            parent,
        })
        .collect())
}

fn push(list: &mut Vec<i64>, count: &mut usize, id: i64) {
    *count += 1;
    if list.len() < SAMPLE {
        list.push(id);
    }
}

/// Compares both search tables with the live customers, a page of ids at a time so memory
/// stays flat: the trigram table's stored text against `search_text` of the profile, and the
/// contentless names table by its row ids.
pub async fn search_index(conn: &mut SqliteConnection) -> Result<SearchIndexCheck> {
    let mut report = SearchIndexCheck::default();
    report.live_customers =
        sqlx::query_scalar("SELECT count(*) FROM customers WHERE deleted_at IS NULL")
            .fetch_one(&mut *conn)
            .await?;
    report.search_rows = sqlx::query_scalar("SELECT count(*) FROM customer_search")
        .fetch_one(&mut *conn)
        .await?;
    report.gram_rows = sqlx::query_scalar("SELECT count(*) FROM customer_grams")
        .fetch_one(&mut *conn)
        .await?;
    let (mut missing, mut extra, mut stale) = (0usize, 0usize, 0usize);

    let mut after = 0i64;
    loop {
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM customers WHERE deleted_at IS NULL AND id > ? ORDER BY id LIMIT ?",
        )
        .bind(after)
        .bind(PAGE)
        .fetch_all(&mut *conn)
        .await?;
        let (Some(&first), Some(&last)) = (ids.first(), ids.last()) else {
            break;
        };
        let stored: BTreeMap<i64, (String, String)> = sqlx::query_as::<_, (i64, String, String)>(
            "SELECT rowid, body, pinyin FROM customer_search WHERE rowid BETWEEN ? AND ?",
        )
        .bind(first)
        .bind(last)
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|(id, body, pinyin)| (id, (body, pinyin)))
        .collect();
        let grams: BTreeSet<i64> =
            sqlx::query_scalar("SELECT rowid FROM customer_grams WHERE rowid BETWEEN ? AND ?")
                .bind(first)
                .bind(last)
                .fetch_all(&mut *conn)
                .await?
                .into_iter()
                .collect();
        for customer in customers::get_many(&mut *conn, &ids).await? {
            let id = customer.id;
            match stored.get(&id) {
                None => push(&mut report.missing, &mut missing, id),
                Some(text) if *text != customers::search_text(&customer) => {
                    push(&mut report.stale, &mut stale, id)
                }
                Some(_) if !grams.contains(&id) => push(&mut report.missing, &mut missing, id),
                Some(_) => {}
            }
        }
        after = last;
    }

    let orphans: Vec<i64> = sqlx::query_scalar(
        "SELECT rowid FROM customer_search WHERE rowid NOT IN (SELECT id FROM customers WHERE deleted_at IS NULL)
         UNION SELECT rowid FROM customer_grams WHERE rowid NOT IN (SELECT id FROM customers WHERE deleted_at IS NULL)
         ORDER BY 1",
    )
    .fetch_all(&mut *conn)
    .await?;
    for id in orphans {
        push(&mut report.extra, &mut extra, id);
    }

    report.fts = match fts_integrity(conn).await {
        Ok(()) => "ok".to_owned(),
        Err(e) => e.to_string(),
    };
    report.ok = missing == 0 && extra == 0 && stale == 0 && report.fts == "ok";
    Ok(report)
}

async fn fts_integrity(conn: &mut SqliteConnection) -> Result<()> {
    sqlx::query("INSERT INTO customer_search (customer_search) VALUES ('integrity-check')")
        .execute(&mut *conn)
        .await?;
    sqlx::query("INSERT INTO customer_grams (customer_grams) VALUES ('integrity-check')")
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn run(conn: &mut SqliteConnection) -> Result<CheckReport> {
    let integrity = integrity(conn).await?;
    let foreign_keys = foreign_keys(conn).await?;
    let search_index = search_index(conn).await?;
    let ok = integrity == ["ok"] && foreign_keys.is_empty() && search_index.ok;
    Ok(CheckReport {
        ok,
        integrity,
        foreign_keys,
        search_index,
    })
}
