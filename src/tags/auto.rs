//! The automatic tags. Their thresholds are the matching reminder rules' (设置 → 提醒规则):
//! 沉睡客户 after the dormant days without contact, 流失预警 after the no-response days with
//! an open deal or when the value score fell sharply, 新客户未跟进 after the first-contact hours.

use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;

use crate::reminders::{ReminderSettings, RuleKind, ScoreDrop};
use crate::Result;

/// Which customers a refresh looks at.
#[derive(Debug, Clone, Copy)]
pub enum Scope {
    All,
    Customer(i64),
    /// Customer ids from the first up to, not including, the second: one batch of the daily
    /// refresh, committed on its own so other writes are not kept waiting.
    Range(i64, i64),
}

impl Scope {
    /// The condition on a customer id column (integers only, so written into the text).
    pub(crate) fn on(&self, column: &str) -> String {
        match *self {
            Scope::All => "1".to_owned(),
            Scope::Customer(id) => format!("{column} = {id}"),
            Scope::Range(from, to) => format!("{column} >= {from} AND {column} < {to}"),
        }
    }
}

/// The condition (over `customers c`) for each automatic tag, with its threshold in ms.
fn conditions(settings: &ReminderSettings) -> Vec<(&'static str, String)> {
    let ms = |kind: RuleKind| settings.rules.iter().find(|r| r.kind == kind).map(|r| r.span().num_milliseconds()).unwrap_or(i64::MAX / 4);
    vec![
        ("dormant", format!("coalesce(c.last_followup_at, c.created_at) <= ?1 - {}", ms(RuleKind::Dormant))),
        ("churn_risk", format!("(({}){})", no_response(ms(RuleKind::NoResponse)), sharp_fall(&settings.score_drop))),
        (
            "new_uncontacted",
            format!(
                "c.last_followup_at IS NULL AND c.first_contact IS NULL AND c.created_at <= ?1 - {}
                 AND NOT EXISTS (SELECT 1 FROM imports i WHERE i.undone_at IS NULL AND c.id BETWEEN i.first_id AND i.last_id)",
                ms(RuleKind::FirstContact)
            ),
        ),
    ]
}

fn no_response(ms: i64) -> String {
    format!(
        "c.stage IN (SELECT name FROM deal_stages WHERE kind = 'open')
         AND coalesce((SELECT max(f.at) FROM followups f WHERE f.customer_id = c.id AND f.feedback IS NOT NULL),
                      c.created_at) <= ?1 - {ms}"
    )
}

/// ` OR` the score is at least `points` below its high of the window (the score refresh
/// keeps the high; the window is checked again so a stale high never counts).
fn sharp_fall(fall: &ScoreDrop) -> String {
    if !fall.enabled {
        return String::new();
    }
    format!(
        " OR (c.score_high - c.value_score >= {} AND c.score_high_at >= ?1 - {})",
        fall.points,
        fall.window().num_milliseconds()
    )
}

/// Brings the automatic tags in line with the data: adds them where their condition holds,
/// removes the links a rule made where it no longer does. Hand-set links are left alone.
pub async fn refresh(conn: &mut SqliteConnection, settings: &ReminderSettings, now: DateTime<Utc>, scope: Scope) -> Result<()> {
    let (customers, links) = (scope.on("c.id"), scope.on("customer_id"));
    for (auto, condition) in conditions(settings) {
        let tag: Option<i64> = sqlx::query_scalar("SELECT id FROM tags WHERE auto = ?").bind(auto).fetch_optional(&mut *conn).await?;
        let Some(tag) = tag else { continue };
        let live = format!("SELECT c.id FROM customers c WHERE {customers} AND c.deleted_at IS NULL AND {condition}");
        let remove = format!("DELETE FROM customer_tags WHERE tag_id = ?2 AND auto = 1 AND {links} AND customer_id NOT IN ({live})");
        sqlx::query(sqlx::AssertSqlSafe(remove)).bind(now.timestamp_millis()).bind(tag).execute(&mut *conn).await?;
        let add = format!(
            "INSERT INTO customer_tags (tag_id, customer_id, auto) SELECT ?2, id, 1 FROM ({live}) WHERE 1
             ON CONFLICT (tag_id, customer_id) DO NOTHING"
        );
        sqlx::query(sqlx::AssertSqlSafe(add)).bind(now.timestamp_millis()).bind(tag).execute(&mut *conn).await?;
    }
    Ok(())
}
