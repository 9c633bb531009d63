//! Every SQL statement on follow-ups and their methods.

use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection};

use super::{Followup, FollowupMethod, NewFollowup};
use crate::db::{from_ms, to_ms};
use crate::{Error, Result};

const COLUMNS: &str = "f.id, f.uid, f.customer_id, f.deal_id, f.at, f.owner, f.content, f.feedback, f.awaiting_reply,
    f.next_step, f.next_owner, f.next_at, f.created_at, f.updated_at,
    m.id AS m_id, m.code AS m_code, m.name AS m_name, m.template AS m_template";

fn row_to_followup(row: &SqliteRow) -> Followup {
    Followup {
        id: row.get("id"),
        uid: row.get("uid"),
        customer_id: row.get("customer_id"),
        deal_id: row.get("deal_id"),
        at: from_ms(row.get("at")),
        method: FollowupMethod {
            id: row.get("m_id"),
            code: row.get("m_code"),
            name: row.get("m_name"),
            template: row.get("m_template"),
        },
        owner: row.get("owner"),
        content: row.get("content"),
        feedback: row.get("feedback"),
        awaiting_reply: row.get::<i64, _>("awaiting_reply") != 0,
        next_step: row.get("next_step"),
        next_owner: row.get("next_owner"),
        next_at: row.get::<Option<i64>, _>("next_at").map(from_ms),
        created_at: from_ms(row.get("created_at")),
        updated_at: from_ms(row.get("updated_at")),
    }
}

pub async fn get(conn: &mut SqliteConnection, id: i64) -> Result<Followup> {
    let sql = format!("SELECT {COLUMNS} FROM followups f JOIN followup_methods m ON m.id = f.method_id WHERE f.id = ?");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(conn).await?;
    row.as_ref().map(row_to_followup).ok_or(Error::NotFound { entity: "followup", id: id.to_string() })
}

/// A customer's follow-ups, newest first, `limit` at a time before the `(at, id)` cursor.
pub async fn list_for_customer(
    conn: &mut SqliteConnection,
    customer_id: i64,
    before: Option<(i64, i64)>,
    limit: i64,
) -> Result<Vec<Followup>> {
    let (at, id) = before.unwrap_or((i64::MAX, i64::MAX));
    let sql = format!(
        "SELECT {COLUMNS} FROM followups f JOIN followup_methods m ON m.id = f.method_id
         WHERE f.customer_id = ? AND (f.at, f.id) < (?, ?)
         ORDER BY f.at DESC, f.id DESC LIMIT ?"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(customer_id).bind(at).bind(id).bind(limit).fetch_all(conn).await?;
    Ok(rows.iter().map(row_to_followup).collect())
}

pub async fn insert(
    conn: &mut SqliteConnection,
    customer_id: i64,
    f: &NewFollowup,
    uid: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<i64> {
    let next = f.next.as_ref();
    let id = sqlx::query_scalar(
        "INSERT INTO followups (uid, customer_id, deal_id, at, method_id, owner, content, feedback, awaiting_reply,
             next_step, next_owner, next_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(uid)
    .bind(customer_id)
    .bind(f.deal_id)
    .bind(to_ms(f.at))
    .bind(f.method_id)
    .bind(&f.owner)
    .bind(&f.content)
    .bind(&f.feedback)
    .bind(f.awaiting_reply as i64)
    .bind(next.map(|n| &n.action))
    .bind(next.and_then(|n| n.owner.as_ref()))
    .bind(next.map(|n| to_ms(n.at)))
    .bind(to_ms(now))
    .bind(to_ms(now))
    .fetch_one(conn)
    .await?;
    Ok(id)
}

pub async fn update(conn: &mut SqliteConnection, id: i64, f: &NewFollowup, now: chrono::DateTime<chrono::Utc>) -> Result<()> {
    let next = f.next.as_ref();
    sqlx::query(
        "UPDATE followups SET deal_id = ?, at = ?, method_id = ?, owner = ?, content = ?, feedback = ?, awaiting_reply = ?,
             next_step = ?, next_owner = ?, next_at = ?, updated_at = ?
         WHERE id = ?",
    )
    .bind(f.deal_id)
    .bind(to_ms(f.at))
    .bind(f.method_id)
    .bind(&f.owner)
    .bind(&f.content)
    .bind(&f.feedback)
    .bind(f.awaiting_reply as i64)
    .bind(next.map(|n| &n.action))
    .bind(next.and_then(|n| n.owner.as_ref()))
    .bind(next.map(|n| to_ms(n.at)))
    .bind(to_ms(now))
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Deletes a follow-up; its next-step reminder goes with it (ON DELETE CASCADE).
pub async fn delete(conn: &mut SqliteConnection, id: i64) -> Result<()> {
    sqlx::query("DELETE FROM followups WHERE id = ?").bind(id).execute(conn).await?;
    Ok(())
}

/// Brings the customer's last follow-up time and next planned action in line with its
/// follow-ups and open next-step reminders, and each follow-up with the contact after it.
pub async fn refresh_customer(conn: &mut SqliteConnection, customer_id: i64) -> Result<()> {
    sqlx::query(
        "UPDATE customers SET
             last_followup_at = (SELECT max(at) FROM followups WHERE customer_id = customers.id),
             next_action = (SELECT action FROM reminders WHERE customer_id = customers.id AND rule = 'next_step'
                            AND status = 'open' ORDER BY due_at, id LIMIT 1),
             next_action_at = (SELECT due_at FROM reminders WHERE customer_id = customers.id AND rule = 'next_step'
                               AND status = 'open' ORDER BY due_at, id LIMIT 1)
         WHERE id = ?",
    )
    .bind(customer_id)
    .execute(&mut *conn)
    .await?;
    // A customer has tens of follow-ups, so each write re-links them all through the index.
    sqlx::query(
        "UPDATE followups SET next_contact_at = (
             SELECT min(n.at) FROM followups n
              WHERE n.customer_id = followups.customer_id
                AND (n.at > followups.at OR (n.at = followups.at AND n.id > followups.id)))
         WHERE customer_id = ?",
    )
    .bind(customer_id)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn methods(conn: &mut SqliteConnection) -> Result<Vec<FollowupMethod>> {
    let rows = sqlx::query("SELECT id, code, name, template FROM followup_methods ORDER BY position, id").fetch_all(conn).await?;
    Ok(rows
        .iter()
        .map(|r| FollowupMethod { id: r.get("id"), code: r.get("code"), name: r.get("name"), template: r.get("template") })
        .collect())
}

pub async fn method_by_name_or_code(conn: &mut SqliteConnection, wanted: &str) -> Result<Option<FollowupMethod>> {
    Ok(methods(conn).await?.into_iter().find(|m| m.code.as_deref() == Some(wanted) || m.name == wanted))
}

fn method_fields(name: &str, template: Option<&str>) -> Result<(String, Option<String>)> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::invalid("name", "required"));
    }
    if name.chars().count() > 20 {
        return Err(Error::invalid("name", "too_long"));
    }
    let template = template.map(str::trim).filter(|t| !t.is_empty());
    if template.is_some_and(|t| t.chars().count() > 2000) {
        return Err(Error::invalid("template", "too_long"));
    }
    Ok((name.to_owned(), template.map(str::to_owned)))
}

pub async fn add_method(conn: &mut SqliteConnection, name: &str, template: Option<&str>) -> Result<FollowupMethod> {
    let (name, template) = method_fields(name, template)?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO followup_methods (name, template, position)
         VALUES (?, ?, (SELECT coalesce(max(position), 0) + 1 FROM followup_methods)) RETURNING id",
    )
    .bind(&name)
    .bind(&template)
    .fetch_one(conn)
    .await?;
    Ok(FollowupMethod { id, code: None, name, template })
}

/// Renames a method the user added, or sets any method's quick template. A built-in
/// method keeps its name: the UI shows it translated by its code.
pub async fn update_method(conn: &mut SqliteConnection, id: i64, name: &str, template: Option<&str>) -> Result<FollowupMethod> {
    let (name, template) = method_fields(name, template)?;
    let row = sqlx::query(
        "UPDATE followup_methods SET name = CASE WHEN code IS NULL THEN ? ELSE name END, template = ?
         WHERE id = ? RETURNING id, code, name, template",
    )
    .bind(&name)
    .bind(&template)
    .bind(id)
    .fetch_optional(conn)
    .await?
    .ok_or(Error::NotFound { entity: "followup_method", id: id.to_string() })?;
    Ok(FollowupMethod { id: row.get("id"), code: row.get("code"), name: row.get("name"), template: row.get("template") })
}

/// A merge brings the absorbed customer's follow-ups, and the reminders they carry, along
/// (to a live survivor, so they count in the reports again).
pub async fn move_to(conn: &mut SqliteConnection, from: i64, to: i64) -> Result<()> {
    sqlx::query("UPDATE followups SET customer_id = ?, hidden = 0 WHERE customer_id = ?").bind(to).bind(from).execute(&mut *conn).await?;
    sqlx::query("UPDATE reminders SET customer_id = ? WHERE customer_id = ? AND rule IN ('next_step', 'proposal_no_reply')")
        .bind(to)
        .bind(from)
        .execute(conn)
        .await?;
    Ok(())
}
