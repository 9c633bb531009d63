//! The audit log: what was done to the ledger as a whole (imports, exports, merges, deletes,
//! backups, restores, settings changes), written inside the action's own transaction so the
//! log never claims something that was rolled back.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};
use ts_rs::TS;

use crate::db::{from_ms, to_ms};
use crate::{Error, Result};

/// The stable codes of logged actions, stored as text and printed by `yiben audit --json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum AuditAction {
    Import,
    ImportUndo,
    CustomerExport,
    ReportExport,
    CustomerMerge,
    /// Moved to the recycle bin.
    CustomerDelete,
    /// Brought back from the recycle bin.
    CustomerRestore,
    /// Deleted for good from the recycle bin.
    CustomerPurge,
    DealDelete,
    FollowupDelete,
    TagMerge,
    TagDelete,
    BackupCreate,
    BackupRestore,
    SettingsChange,
}

impl AuditAction {
    pub const ALL: [AuditAction; 15] = [
        AuditAction::Import,
        AuditAction::ImportUndo,
        AuditAction::CustomerExport,
        AuditAction::ReportExport,
        AuditAction::CustomerMerge,
        AuditAction::CustomerDelete,
        AuditAction::CustomerRestore,
        AuditAction::CustomerPurge,
        AuditAction::DealDelete,
        AuditAction::FollowupDelete,
        AuditAction::TagMerge,
        AuditAction::TagDelete,
        AuditAction::BackupCreate,
        AuditAction::BackupRestore,
        AuditAction::SettingsChange,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::Import => "import",
            AuditAction::ImportUndo => "import_undo",
            AuditAction::CustomerExport => "customer_export",
            AuditAction::ReportExport => "report_export",
            AuditAction::CustomerMerge => "customer_merge",
            AuditAction::CustomerDelete => "customer_delete",
            AuditAction::CustomerRestore => "customer_restore",
            AuditAction::CustomerPurge => "customer_purge",
            AuditAction::DealDelete => "deal_delete",
            AuditAction::FollowupDelete => "followup_delete",
            AuditAction::TagMerge => "tag_merge",
            AuditAction::TagDelete => "tag_delete",
            AuditAction::BackupCreate => "backup_create",
            AuditAction::BackupRestore => "backup_restore",
            AuditAction::SettingsChange => "settings_change",
        }
    }

    pub fn parse(raw: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|a| a.as_str() == raw)
            .ok_or_else(|| Error::invalid("action", "unsupported"))
    }
}

/// One line of the log.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AuditEntry {
    #[ts(type = "number")]
    pub id: i64,
    pub at: DateTime<Utc>,
    pub action: AuditAction,
    /// What kind of thing it touched (`customer`, `import`, `backup`, `setting` …), if one.
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    /// Action-specific facts, e.g. `{"file": "客户.xlsx", "imported": 8}`.
    #[ts(type = "Record<string, unknown>")]
    pub details: Value,
}

/// A page of the log, newest first. Every filter is optional.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct AuditQuery {
    pub action: Option<AuditAction>,
    /// Inclusive.
    pub from: Option<DateTime<Utc>>,
    /// Exclusive.
    pub to: Option<DateTime<Utc>>,
    /// Matched (case-insensitively) inside the entity id and the details.
    pub text: Option<String>,
    /// The `nextCursor` of the previous page.
    #[ts(type = "number | null")]
    pub cursor: Option<i64>,
    /// 1–500; 0 means 50.
    pub limit: u32,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AuditPage {
    pub items: Vec<AuditEntry>,
    #[ts(type = "number | null")]
    pub next_cursor: Option<i64>,
}

/// Writes one entry. Call it on the transaction of the action it records.
pub async fn record(
    conn: &mut SqliteConnection,
    now: DateTime<Utc>,
    action: AuditAction,
    entity: Option<(&str, String)>,
    details: Value,
) -> Result<()> {
    let (entity, entity_id) = entity.map_or((None, None), |(e, id)| (Some(e), Some(id)));
    sqlx::query(
        "INSERT INTO audit_log (at, action, entity, entity_id, details) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(to_ms(now))
    .bind(action.as_str())
    .bind(entity)
    .bind(entity_id)
    .bind(details.to_string())
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn list(conn: &mut SqliteConnection, q: &AuditQuery) -> Result<AuditPage> {
    let limit = match q.limit {
        0 => 50,
        n if n > 500 => return Err(Error::invalid("limit", "out_of_range")),
        n => n,
    };
    if let Some(text) = &q.text {
        if text.chars().count() > 200 {
            return Err(Error::invalid("text", "too_long"));
        }
    }
    if let (Some(from), Some(to)) = (q.from, q.to) {
        if to < from {
            return Err(Error::invalid("to", "out_of_range"));
        }
    }
    let mut qb = QueryBuilder::<Sqlite>::new(
        "SELECT id, at, action, entity, entity_id, details FROM audit_log WHERE 1 = 1",
    );
    if let Some(action) = q.action {
        qb.push(" AND action = ").push_bind(action.as_str());
    }
    if let Some(from) = q.from {
        qb.push(" AND at >= ").push_bind(to_ms(from));
    }
    if let Some(to) = q.to {
        qb.push(" AND at < ").push_bind(to_ms(to));
    }
    if let Some(text) = q.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        // instr, not LIKE: the user's % and _ are plain characters here.
        let needle = text.to_lowercase();
        qb.push(" AND (instr(lower(coalesce(entity_id, '')), ")
            .push_bind(needle.clone());
        qb.push(") > 0 OR instr(lower(details), ")
            .push_bind(needle)
            .push(") > 0)");
    }
    if let Some(cursor) = q.cursor {
        qb.push(" AND id < ").push_bind(cursor);
    }
    // Newest first by insertion: ids only grow, while `at` follows a clock that may step back.
    qb.push(" ORDER BY id DESC LIMIT ")
        .push_bind(limit as i64 + 1);
    let rows: Vec<(i64, i64, String, Option<String>, Option<String>, String)> =
        qb.build_query_as().fetch_all(conn).await?;
    let more = rows.len() > limit as usize;
    let items: Vec<AuditEntry> = rows
        .into_iter()
        .take(limit as usize)
        .filter_map(|(id, at, action, entity, entity_id, details)| {
            // A code written by a newer version is left out rather than failing the page.
            let action = AuditAction::parse(&action).ok()?;
            let details = serde_json::from_str(&details).unwrap_or(Value::Null);
            Some(AuditEntry {
                id,
                at: from_ms(at),
                action,
                entity,
                entity_id,
                details,
            })
        })
        .collect();
    let next_cursor = if more {
        items.last().map(|e| e.id)
    } else {
        None
    };
    Ok(AuditPage { items, next_cursor })
}
