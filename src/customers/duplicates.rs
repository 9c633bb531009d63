//! Who already is this customer? Same normalized phone, same e-mail, same normalized name or
//! same number is a duplicate; the same name without its company suffix is a possible one.

use std::collections::BTreeMap;

use serde::Serialize;
use sqlx::SqliteConnection;
use ts_rs::TS;

use super::{list, CustomerRow, NewCustomer};
use crate::domain::company_core;
use crate::Result;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum MatchKind {
    Number,
    Phone,
    Email,
    Name,
    /// The same company name once 有限公司 / 集团 … are taken off: only a hint.
    SimilarName,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct MatchReason {
    pub kind: MatchKind,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DuplicateMatch {
    pub customer: CustomerRow,
    pub reasons: Vec<MatchReason>,
    /// False when the only reason is a similar name.
    pub certain: bool,
}

/// Live customers that match `c`, most certain first. `exclude` is the customer being edited.
pub async fn find(conn: &mut SqliteConnection, c: &NewCustomer, exclude: Option<i64>) -> Result<Vec<DuplicateMatch>> {
    let mut reasons: BTreeMap<i64, Vec<MatchReason>> = BTreeMap::new();
    let mut add = |id: i64, kind: MatchKind, value: &str| {
        if Some(id) != exclude {
            let list = reasons.entry(id).or_default();
            if !list.iter().any(|r| r.kind == kind && r.value == value) {
                list.push(MatchReason { kind, value: value.to_owned() });
            }
        }
    };
    let live = "SELECT k.customer_id FROM customer_keys k JOIN customers c ON c.id = k.customer_id
                WHERE k.kind = ? AND k.value = ? AND c.deleted_at IS NULL";
    for phone in c.phones() {
        let ids: Vec<i64> = sqlx::query_scalar(live).bind("phone").bind(phone.as_str()).fetch_all(&mut *conn).await?;
        ids.into_iter().for_each(|id| add(id, MatchKind::Phone, phone.as_str()));
    }
    for email in c.emails() {
        let ids: Vec<i64> = sqlx::query_scalar(live).bind("email").bind(email.as_str()).fetch_all(&mut *conn).await?;
        ids.into_iter().for_each(|id| add(id, MatchKind::Email, email.as_str()));
    }
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM customers WHERE name_key = ? AND deleted_at IS NULL")
        .bind(c.name.key())
        .fetch_all(&mut *conn)
        .await?;
    ids.into_iter().for_each(|id| add(id, MatchKind::Name, c.name.as_str()));
    if let Some(number) = &c.number {
        let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM customers WHERE number = ? AND deleted_at IS NULL")
            .bind(number)
            .fetch_all(&mut *conn)
            .await?;
        ids.into_iter().for_each(|id| add(id, MatchKind::Number, number));
    }
    let core = company_core(c.name.as_str());
    if core.chars().count() >= 2 {
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM customers WHERE name_core = ? AND name_key <> ? AND deleted_at IS NULL LIMIT 20",
        )
        .bind(&core)
        .bind(c.name.key())
        .fetch_all(&mut *conn)
        .await?;
        ids.into_iter().for_each(|id| add(id, MatchKind::SimilarName, &core));
    }
    let mut matches = Vec::new();
    for (id, mut reasons) in reasons {
        reasons.sort_by_key(|r| r.kind);
        let certain = reasons.iter().any(|r| r.kind != MatchKind::SimilarName);
        matches.push(DuplicateMatch { customer: list::row(conn, id).await?, reasons, certain });
    }
    matches.sort_by_key(|m| (!m.certain, std::cmp::Reverse(m.reasons.len()), m.customer.id));
    Ok(matches)
}
