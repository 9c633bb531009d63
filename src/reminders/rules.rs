//! The reminder rules as set-based producers. Each one inserts the reminders its condition
//! calls for, keyed by a cause that names the customer and the fact it rests on (the last
//! contact, the renewal date, the proposal): running a rule again finds the key taken and
//! adds nothing, and a new fact (a newer contact) is a new cause.
//!
//! Reminders are produced up to [`HORIZON`] ahead, not for all time: a ledger of a million
//! customers then holds the next two days of rule reminders, and the scheduler runs the rules
//! again well before that runs out.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use sqlx::{Row, SqliteConnection};

use super::{ReminderSettings, RuleKind};
use crate::db::to_ms;
use crate::{custom_fields, Result, Zone};

pub const HORIZON: Duration = Duration::days(2);

/// How often the rules run while the app is open; well inside [`HORIZON`].
pub const EVERY: Duration = Duration::hours(1);

/// A first-contact reminder is for customers added by hand recently; without this, upgrading
/// a ledger of old, never-followed customers would raise one for each of them at once.
/// It still reaches back a month, so a reminder that fell due while the app was closed is shown.
const NEW_CUSTOMER_WINDOW: Duration = Duration::days(30);

const RENEWAL_LOOKBACK: Duration = Duration::days(30);

/// Which customers a run looks at.
#[derive(Debug, Clone, Copy)]
pub enum Scope {
    All,
    Customer(i64),
}

impl Scope {
    fn filter(self, alias: &str) -> String {
        match self {
            Scope::All => "1".to_owned(),
            Scope::Customer(id) => format!("{alias}.id = {id}"),
        }
    }
}

/// Runs every switched-on rule; returns how many reminders were added.
pub async fn run(conn: &mut SqliteConnection, settings: &ReminderSettings, now: DateTime<Utc>, zone: Zone, scope: Scope) -> Result<u64> {
    let horizon = to_ms(now + HORIZON);
    let now_ms = to_ms(now);
    let live = scope.filter("c");
    let mut added = 0;

    if let Some(rule) = settings.active(RuleKind::FirstContact) {
        let span = rule.span().num_milliseconds();
        let sql = format!(
            "INSERT INTO reminders (customer_id, rule, cause, owner, due_at, remind_at, created_at)
             SELECT c.id, 'first_contact', 'first_contact:' || c.id, c.owner, c.created_at + ?1, c.created_at + ?1, ?2
             FROM customers c
             WHERE {live} AND c.deleted_at IS NULL AND c.last_followup_at IS NULL AND c.first_contact IS NULL
               AND c.created_at + ?1 <= ?3 AND c.created_at >= ?4
               AND NOT EXISTS (SELECT 1 FROM imports i WHERE i.undone_at IS NULL AND c.id BETWEEN i.first_id AND i.last_id)
             ON CONFLICT (cause) DO NOTHING"
        );
        let since = to_ms(now - NEW_CUSTOMER_WINDOW - rule.span());
        added += sqlx::query(sqlx::AssertSqlSafe(sql)).bind(span).bind(now_ms).bind(horizon).bind(since).execute(&mut *conn).await?.rows_affected();
    }

    // The basis of "no contact since" is the last follow-up, or the day the customer arrived.
    let effective = crate::tags::grading::load(conn).await?.effective_sql();
    for (kind, rule_name, grade) in [
        (RuleKind::Dormant, "dormant", None),
        (RuleKind::CadenceA, "cadence", Some("A")),
        (RuleKind::CadenceB, "cadence", Some("B")),
        (RuleKind::CadenceC, "cadence", Some("C")),
    ] {
        let Some(rule) = settings.active(kind) else { continue };
        let grade_filter = match grade {
            Some(g) => format!("AND {effective} = '{g}'"),
            None => String::new(),
        };
        let sql = format!(
            "INSERT INTO reminders (customer_id, rule, cause, owner, due_at, remind_at, created_at)
             SELECT c.id, '{rule_name}', '{rule_name}:' || c.id || ':' || coalesce(c.last_followup_at, c.created_at), c.owner,
                    coalesce(c.last_followup_at, c.created_at) + ?1, coalesce(c.last_followup_at, c.created_at) + ?1, ?2
             FROM customers c
             WHERE {live} AND c.deleted_at IS NULL {grade_filter}
               AND coalesce(c.last_followup_at, c.created_at) + ?1 <= ?3
             ON CONFLICT (cause) DO NOTHING"
        );
        let span = rule.span().num_milliseconds();
        added += sqlx::query(sqlx::AssertSqlSafe(sql)).bind(span).bind(now_ms).bind(horizon).execute(&mut *conn).await?.rows_affected();
    }

    if let Some(rule) = settings.active(RuleKind::ProposalNoReply) {
        let customer = match scope {
            Scope::All => "1".to_owned(),
            Scope::Customer(id) => format!("f.customer_id = {id}"),
        };
        let sql = format!(
            "INSERT INTO reminders (customer_id, followup_id, rule, cause, owner, due_at, remind_at, created_at)
             SELECT f.customer_id, f.id, 'proposal_no_reply', 'proposal_no_reply:' || f.id, coalesce(f.owner, c.owner),
                    f.at + ?1, f.at + ?1, ?2
             FROM followups f INDEXED BY followups_awaiting
             JOIN customers c ON c.id = f.customer_id AND c.deleted_at IS NULL
             WHERE {customer} AND f.awaiting_reply = 1 AND f.at + ?1 <= ?3
               AND NOT EXISTS (SELECT 1 FROM followups g WHERE g.customer_id = f.customer_id AND g.at > f.at
                               AND g.feedback IS NOT NULL)
             ON CONFLICT (cause) DO NOTHING"
        );
        let span = rule.span().num_milliseconds();
        added += sqlx::query(sqlx::AssertSqlSafe(sql)).bind(span).bind(now_ms).bind(horizon).execute(&mut *conn).await?.rows_affected();
    }

    // The customer's stage is its most advanced open deal's (or set by hand without deals),
    // so an open stage is an open deal.
    if let Some(rule) = settings.active(RuleKind::NoResponse) {
        let sql = format!(
            "WITH open_deal AS (
                 SELECT c.id, c.owner, coalesce(
                     (SELECT max(at) FROM followups g WHERE g.customer_id = c.id AND g.feedback IS NOT NULL),
                     c.created_at) AS basis
                 FROM customers c
                 WHERE {live} AND c.deleted_at IS NULL
                   AND c.stage IN (SELECT name FROM deal_stages WHERE kind = 'open'))
             INSERT INTO reminders (customer_id, rule, cause, owner, due_at, remind_at, created_at)
             SELECT id, 'no_response', 'no_response:' || id || ':' || basis, owner, basis + ?1, basis + ?1, ?2
             FROM open_deal WHERE basis + ?1 <= ?3
             ON CONFLICT (cause) DO NOTHING"
        );
        let span = rule.span().num_milliseconds();
        added += sqlx::query(sqlx::AssertSqlSafe(sql)).bind(span).bind(now_ms).bind(horizon).execute(&mut *conn).await?.rows_affected();
    }

    if let Some(rule) = settings.active(RuleKind::Renewal) {
        if let Some(field) = renewal_field(conn, settings).await? {
            added += renewals(conn, &field, rule.value, now, zone, &live).await?;
        }
    }
    Ok(added)
}

/// The configured renewal date field, or the first date field named like one.
pub async fn renewal_field(conn: &mut SqliteConnection, settings: &ReminderSettings) -> Result<Option<String>> {
    let dates = custom_fields::list(conn).await?.into_iter().filter(|f| f.kind == custom_fields::CustomFieldKind::Date);
    let mut dates: Vec<_> = dates.collect();
    if let Some(key) = &settings.renewal_field {
        return Ok(dates.iter().find(|f| &f.key == key).map(|f| f.key.clone()));
    }
    dates.retain(|f| ["到期", "续约", "续费", "renewal", "expir"].iter().any(|w| f.label.to_lowercase().contains(w)));
    Ok(dates.first().map(|f| f.key.clone()))
}

/// Renewal dates are calendar days: the reminder is at 9:00 the user's time, `days` before.
async fn renewals(conn: &mut SqliteConnection, field: &str, days: u32, now: DateTime<Utc>, zone: Zone, live: &str) -> Result<u64> {
    // A renewal whose reminder fell due while the app was closed (up to a month back) is
    // still produced, and then announced as missed; older ones are history.
    let first_day = zone.today(now) - RENEWAL_LOOKBACK + Duration::days(days.into());
    let last_day = zone.today(now + HORIZON) + Duration::days(days.into());
    let sql = format!(
        "SELECT c.id, c.owner, json_extract(c.custom, '$.' || ?1) AS renew FROM customers c
         WHERE {live} AND c.deleted_at IS NULL AND renew >= ?2 AND renew <= ?3"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(field)
        .bind(first_day.format("%Y-%m-%d").to_string())
        .bind(last_day.format("%Y-%m-%d").to_string())
        .fetch_all(&mut *conn)
        .await?;
    let nine = NaiveTime::from_hms_opt(9, 0, 0).expect("valid time");
    let mut added = 0;
    for row in rows {
        let id: i64 = row.get("id");
        let renew: String = row.get("renew");
        let Ok(date) = NaiveDate::parse_from_str(&renew, "%Y-%m-%d") else { continue };
        let due = zone.at(date - Duration::days(days.into()), nine);
        added += sqlx::query(
            "INSERT INTO reminders (customer_id, rule, cause, owner, due_at, remind_at, created_at)
             VALUES (?, 'renewal', ?, ?, ?, ?, ?) ON CONFLICT (cause) DO NOTHING",
        )
        .bind(id)
        .bind(format!("renewal:{id}:{renew}"))
        .bind(row.get::<Option<String>, _>("owner"))
        .bind(to_ms(due))
        .bind(to_ms(due))
        .bind(to_ms(now))
        .execute(&mut *conn)
        .await?
        .rows_affected();
    }
    Ok(added)
}

/// Rule reminders not yet announced are withdrawn when the rules change (a rule switched
/// off, a threshold moved, a customer's grade changed), and produced again under the new
/// settings. Announced ones stay: the user has seen them and settles them.
pub async fn withdraw_pending(conn: &mut SqliteConnection, scope: Scope) -> Result<()> {
    let customer = match scope {
        Scope::All => "1".to_owned(),
        Scope::Customer(id) => format!("customer_id = {id}"),
    };
    let sql = format!("DELETE FROM reminders WHERE {customer} AND rule <> 'next_step' AND status = 'open' AND notified_at IS NULL");
    sqlx::query(sqlx::AssertSqlSafe(sql)).execute(conn).await?;
    Ok(())
}
