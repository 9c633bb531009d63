//! The change history of a customer: when, which field, old → new.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::SqliteConnection;
use ts_rs::TS;

use super::Customer;
use crate::db::{from_ms, to_ms};
use crate::money::fen_to_yuan_text;
use crate::Result;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum HistoryAction {
    Create,
    Update,
    Delete,
    Restore,
    /// Another customer was merged into this one.
    Merge,
    /// This customer was merged into another one.
    MergedAway,
}

impl HistoryAction {
    fn as_str(self) -> &'static str {
        match self {
            HistoryAction::Create => "create",
            HistoryAction::Update => "update",
            HistoryAction::Delete => "delete",
            HistoryAction::Restore => "restore",
            HistoryAction::Merge => "merge",
            HistoryAction::MergedAway => "merged_away",
        }
    }

    fn from_db(s: &str) -> Self {
        match s {
            "create" => HistoryAction::Create,
            "delete" => HistoryAction::Delete,
            "restore" => HistoryAction::Restore,
            "merge" => HistoryAction::Merge,
            "merged_away" => HistoryAction::MergedAway,
            _ => HistoryAction::Update,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct HistoryEntry {
    #[ts(type = "number")]
    pub id: i64,
    pub at: DateTime<Utc>,
    pub action: HistoryAction,
    /// The field's key (`name`, `phone`, `contacts`, `custom.cf_1` …); absent for lifecycle events.
    pub field: Option<String>,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
}

/// One field change, in display form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// Every comparable field of a customer as display text: what history diffs and what the
/// merge dialog shows side by side.
pub fn field_values(c: &Customer) -> Vec<(String, Option<String>)> {
    let mut fields: Vec<(String, Option<String>)> = vec![
        ("number".into(), c.number.clone()),
        ("kind".into(), Some(c.kind.as_str().into())),
        ("name".into(), Some(c.name.clone())),
        ("industry".into(), c.industry.clone()),
        ("employees".into(), c.employees.map(|n| n.to_string())),
        ("revenue".into(), c.revenue_fen.map(fen_to_yuan_text)),
        ("region".into(), c.region.clone()),
        ("address".into(), c.address.clone()),
        ("source".into(), c.source.clone()),
        ("firstContact".into(), c.first_contact.clone()),
        ("owner".into(), c.owner.clone()),
        ("grade".into(), c.grade.clone()),
        ("stage".into(), c.stage.clone()),
        ("needs".into(), c.needs.clone()),
        ("notes".into(), c.notes.clone()),
        ("phone".into(), c.phone.clone()),
        ("email".into(), c.email.clone()),
    ];
    let contacts = c
        .contacts
        .iter()
        .map(|k| {
            let mut parts = vec![k.name.clone()];
            parts.extend(k.title.clone());
            parts.extend(k.phones.iter().cloned());
            parts.extend(k.email.clone());
            parts.extend(k.wechat.clone().map(|w| format!("微信 {w}")));
            parts.join(" ")
        })
        .collect::<Vec<_>>()
        .join("；");
    fields.push(("contacts".into(), Some(contacts).filter(|s| !s.is_empty())));
    for (key, value) in &c.custom {
        let text = match value {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Array(items) => {
                items.iter().filter_map(|v| v.as_str()).collect::<Vec<_>>().join("、")
            }
            other => other.to_string(),
        };
        fields.push((format!("custom.{key}"), Some(text)));
    }
    fields
}

pub fn diff(old: &Customer, new: &Customer) -> Vec<Change> {
    let before = field_values(old);
    let after = field_values(new);
    let mut keys: Vec<&String> = before.iter().chain(after.iter()).map(|(k, _)| k).collect();
    keys.dedup();
    let lookup = |list: &[(String, Option<String>)], key: &str| {
        list.iter().find(|(k, _)| k == key).and_then(|(_, v)| v.clone())
    };
    let mut seen = Vec::new();
    let mut changes = Vec::new();
    for key in keys {
        if seen.contains(key) {
            continue;
        }
        seen.push(key.clone());
        let (old, new) = (lookup(&before, key), lookup(&after, key));
        if old != new {
            changes.push(Change { field: key.clone(), old, new });
        }
    }
    changes
}

pub async fn record(
    conn: &mut SqliteConnection,
    customer_id: i64,
    at: DateTime<Utc>,
    action: HistoryAction,
    change: Option<&Change>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO customer_history (customer_id, at, action, field, old_value, new_value) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(customer_id)
    .bind(to_ms(at))
    .bind(action.as_str())
    .bind(change.map(|c| &c.field))
    .bind(change.and_then(|c| c.old.as_ref()))
    .bind(change.and_then(|c| c.new.as_ref()))
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    at: i64,
    action: String,
    field: Option<String>,
    old_value: Option<String>,
    new_value: Option<String>,
}

/// Newest first.
pub async fn list(conn: &mut SqliteConnection, customer_id: i64) -> Result<Vec<HistoryEntry>> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, at, action, field, old_value, new_value FROM customer_history
         WHERE customer_id = ? ORDER BY at DESC, id DESC LIMIT 500",
    )
    .bind(customer_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| HistoryEntry {
            id: r.id,
            at: from_ms(r.at),
            action: HistoryAction::from_db(&r.action),
            field: r.field,
            old_value: r.old_value,
            new_value: r.new_value,
        })
        .collect())
}
