//! Every SQL statement on reminders, apart from the rules' producers (rules.rs).

use chrono::{DateTime, Duration, Utc};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection};

use super::{Reminder, ReminderRule, ReminderStatus, MISSED_AFTER};
use crate::db::{from_ms, to_ms};
use crate::followups::NextStep;
use crate::{Error, Result};

const COLUMNS: &str = "r.id, r.customer_id, c.name AS customer_name, r.followup_id, r.rule, r.action, r.owner,
    r.due_at, r.remind_at, r.status, r.notified_at, r.missed";

fn row_to_reminder(row: &SqliteRow) -> Reminder {
    Reminder {
        id: row.get("id"),
        customer_id: row.get("customer_id"),
        customer_name: row.get("customer_name"),
        followup_id: row.get("followup_id"),
        rule: ReminderRule::from_db(row.get("rule")),
        action: row.get("action"),
        owner: row.get("owner"),
        due_at: from_ms(row.get("due_at")),
        remind_at: from_ms(row.get("remind_at")),
        status: ReminderStatus::from_db(row.get("status")),
        notified_at: row.get::<Option<i64>, _>("notified_at").map(from_ms),
        missed: row.get::<i64, _>("missed") != 0,
    }
}

pub async fn get(conn: &mut SqliteConnection, id: i64) -> Result<Reminder> {
    let sql = format!("SELECT {COLUMNS} FROM reminders r JOIN customers c ON c.id = r.customer_id WHERE r.id = ?");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(conn).await?;
    row.as_ref().map(row_to_reminder).ok_or(Error::NotFound { entity: "reminder", id: id.to_string() })
}

/// Schedules (or reschedules) the reminder of a follow-up's next step. An edit that moves
/// the due time or changes the action reopens it, so the new plan is announced again.
pub async fn upsert_next_step(
    conn: &mut SqliteConnection,
    customer_id: i64,
    followup_id: i64,
    next: &NextStep,
    lead: Duration,
    now: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO reminders (customer_id, followup_id, rule, cause, action, owner, due_at, remind_at, created_at)
         VALUES (?1, ?2, 'next_step', 'next_step:' || ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (cause) DO UPDATE SET
             owner = excluded.owner,
             status = CASE WHEN reminders.due_at = excluded.due_at AND reminders.action IS excluded.action
                           THEN reminders.status ELSE 'open' END,
             notified_at = CASE WHEN reminders.due_at = excluded.due_at AND reminders.action IS excluded.action
                                THEN reminders.notified_at END,
             remind_at = CASE WHEN reminders.due_at = excluded.due_at THEN reminders.remind_at ELSE excluded.remind_at END,
             closed_at = CASE WHEN reminders.due_at = excluded.due_at AND reminders.action IS excluded.action
                              THEN reminders.closed_at END,
             missed = CASE WHEN reminders.due_at = excluded.due_at THEN reminders.missed ELSE 0 END,
             action = excluded.action,
             due_at = excluded.due_at",
    )
    .bind(customer_id)
    .bind(followup_id)
    .bind(&next.action)
    .bind(&next.owner)
    .bind(to_ms(next.at))
    .bind(to_ms(next.at - lead))
    .bind(to_ms(now))
    .execute(conn)
    .await?;
    Ok(())
}

/// A follow-up with the customer settles what was waiting for contact: earlier next steps,
/// the first contact, the dormant and cadence reminders; and, when the customer answered
/// (feedback), the "no reply" and "no response" ones.
pub async fn close_on_contact(
    conn: &mut SqliteConnection,
    customer_id: i64,
    followup_id: i64,
    at: DateTime<Utc>,
    answered: bool,
    now: DateTime<Utc>,
) -> Result<u64> {
    let done = sqlx::query(
        "UPDATE reminders SET status = 'closed', closed_at = ?1
         WHERE customer_id = ?2 AND status = 'open' AND (
             (rule = 'next_step' AND followup_id <> ?3
                  AND (SELECT at FROM followups WHERE id = reminders.followup_id) <= ?4)
             OR rule IN ('first_contact', 'dormant', 'cadence')
             OR (?5 AND rule = 'no_response')
             OR (?5 AND rule = 'proposal_no_reply'
                  AND (SELECT at FROM followups WHERE id = reminders.followup_id) < ?4))",
    )
    .bind(to_ms(now))
    .bind(customer_id)
    .bind(followup_id)
    .bind(to_ms(at))
    .bind(answered)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// Open reminders that are due by `until` (reminding or due), for live customers, oldest
/// first: the 工作台's "today and overdue".
pub async fn agenda(conn: &mut SqliteConnection, until: DateTime<Utc>, limit: i64) -> Result<Vec<Reminder>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM reminders r JOIN customers c ON c.id = r.customer_id AND c.deleted_at IS NULL
         WHERE r.status = 'open' AND r.remind_at <= ?1
         ORDER BY r.remind_at, r.id LIMIT ?2"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(to_ms(until)).bind(limit).fetch_all(conn).await?;
    Ok(rows.iter().map(row_to_reminder).collect())
}

/// How many open reminders are due by `until`, for live customers (the tray's count).
pub async fn agenda_count(conn: &mut SqliteConnection, until: DateTime<Utc>) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT count(*) FROM reminders r INDEXED BY reminders_open
         JOIN customers c ON c.id = r.customer_id AND c.deleted_at IS NULL
         WHERE r.status = 'open' AND r.remind_at <= ?",
    )
    .bind(to_ms(until))
    .fetch_one(conn)
    .await?)
}

pub async fn open_for_customer(conn: &mut SqliteConnection, customer_id: i64) -> Result<Vec<Reminder>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM reminders r JOIN customers c ON c.id = r.customer_id
         WHERE r.customer_id = ? AND r.status = 'open' ORDER BY r.remind_at, r.id"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(customer_id).fetch_all(conn).await?;
    Ok(rows.iter().map(row_to_reminder).collect())
}

/// When the next reminder not yet announced is to fire, for a live customer. Walks the
/// partial index in order, so a million done reminders cost nothing.
pub async fn next_pending(conn: &mut SqliteConnection) -> Result<Option<DateTime<Utc>>> {
    let at: Option<i64> = sqlx::query_scalar(
        "SELECT r.remind_at FROM reminders r INDEXED BY reminders_pending
         JOIN customers c ON c.id = r.customer_id AND c.deleted_at IS NULL
         WHERE r.status = 'open' AND r.notified_at IS NULL
         ORDER BY r.remind_at LIMIT 1",
    )
    .fetch_optional(conn)
    .await?;
    Ok(at.map(from_ms))
}

/// Marks every reminder that has come due as announced and returns them; those that came
/// due well before `now` (the app was closed, the machine slept) are flagged as missed.
pub async fn take_due(conn: &mut SqliteConnection, now: DateTime<Utc>) -> Result<Vec<Reminder>> {
    let now_ms = to_ms(now);
    let ids: Vec<i64> = sqlx::query_scalar(
        "UPDATE reminders SET notified_at = ?1, missed = (remind_at < ?2)
         WHERE id IN (SELECT r.id FROM reminders r INDEXED BY reminders_pending
                      JOIN customers c ON c.id = r.customer_id AND c.deleted_at IS NULL
                      WHERE r.status = 'open' AND r.notified_at IS NULL AND r.remind_at <= ?1)
         RETURNING id",
    )
    .bind(now_ms)
    .bind(to_ms(now - MISSED_AFTER))
    .fetch_all(&mut *conn)
    .await?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    let sql = format!(
        "SELECT {COLUMNS} FROM reminders r JOIN customers c ON c.id = r.customer_id WHERE r.id IN ({list})
         ORDER BY r.remind_at, r.id"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(conn).await?;
    Ok(rows.iter().map(row_to_reminder).collect())
}

async fn open_one(conn: &mut SqliteConnection, id: i64) -> Result<Reminder> {
    let reminder = get(conn, id).await?;
    if reminder.status != ReminderStatus::Open {
        return Err(Error::Conflict([("status".to_owned(), "reminder_not_open".to_owned())].into()));
    }
    Ok(reminder)
}

/// Moves an open reminder to `until`; it will be announced again then.
pub async fn snooze(conn: &mut SqliteConnection, id: i64, until: DateTime<Utc>) -> Result<Reminder> {
    open_one(conn, id).await?;
    sqlx::query("UPDATE reminders SET remind_at = ?, notified_at = NULL, missed = 0 WHERE id = ?")
        .bind(to_ms(until))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    get(conn, id).await
}

pub async fn complete(conn: &mut SqliteConnection, id: i64, now: DateTime<Utc>) -> Result<Reminder> {
    open_one(conn, id).await?;
    sqlx::query("UPDATE reminders SET status = 'done', closed_at = ? WHERE id = ?").bind(to_ms(now)).bind(id).execute(&mut *conn).await?;
    get(conn, id).await
}

/// A new lead time moves the next steps not yet announced (and not snoozed elsewhere).
pub async fn shift_lead(conn: &mut SqliteConnection, old: Duration, new: Duration) -> Result<()> {
    sqlx::query(
        "UPDATE reminders SET remind_at = due_at - ?1
         WHERE rule = 'next_step' AND status = 'open' AND notified_at IS NULL AND remind_at = due_at - ?2",
    )
    .bind(new.num_milliseconds())
    .bind(old.num_milliseconds())
    .execute(conn)
    .await?;
    Ok(())
}
