//! Deals and their stage history in SQLite.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use super::input::{Lost, NewDeal};
use super::stalled::{last_contact_sql, StallRules};
use super::{Deal, DealFilter, DealPage, DealQuery, Stage, StageChange, StageKind};
use crate::customers::history::{self, Change, HistoryAction};
use crate::db::{from_ms, to_ms};
use crate::{Error, Result, Zone};

/// What every read needs besides the row: the stages (default probabilities) and the stall
/// rules (today, the thresholds). Built once per operation.
pub struct Context {
    pub stages: Vec<Stage>,
    pub rules: StallRules,
    pub zone: Zone,
}

#[derive(sqlx::FromRow)]
pub(crate) struct Row {
    id: i64,
    uid: String,
    customer_id: i64,
    customer_name: String,
    name: String,
    amount_fen: i64,
    close_date: Option<String>,
    probability: Option<i64>,
    owner: Option<String>,
    stage_id: i64,
    stage_at: i64,
    lost_reason: Option<String>,
    lost_note: Option<String>,
    notes: Option<String>,
    feedback: String,
    created_at: i64,
    updated_at: i64,
    deleted_at: Option<i64>,
    last_contact_at: i64,
}

pub(crate) fn select() -> String {
    format!(
        "SELECT d.id, d.uid, d.customer_id, c.name AS customer_name, d.name, d.amount_fen, d.close_date,
                d.probability, d.owner, d.stage_id, d.stage_at, d.lost_reason, d.lost_note, d.notes, d.feedback,
                d.created_at, d.updated_at, d.deleted_at, {} AS last_contact_at
         FROM deals d JOIN customers c ON c.id = d.customer_id",
        last_contact_sql()
    )
}

impl Context {
    pub(crate) fn deal(&self, r: Row) -> Deal {
        let default = self.stages.iter().find(|s| s.id == r.stage_id).map_or(0, |s| s.probability);
        let close = r.close_date.as_deref().and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
        let stalled = if r.deleted_at.is_none() {
            self.rules.reasons(r.stage_id, r.last_contact_at, close, r.stage_at)
        } else {
            Vec::new()
        };
        Deal {
            id: r.id,
            uid: r.uid,
            customer_id: r.customer_id,
            customer_name: r.customer_name,
            name: r.name,
            amount_fen: r.amount_fen,
            days_left: close.map(|d| (d - self.rules.today).num_days()),
            close_date: r.close_date,
            probability: r.probability.unwrap_or(default),
            probability_override: r.probability,
            owner: r.owner,
            stage_id: r.stage_id,
            stage_at: from_ms(r.stage_at),
            lost_reason: r.lost_reason,
            lost_note: r.lost_note,
            notes: r.notes,
            feedback: serde_json::from_str(&r.feedback).unwrap_or_default(),
            created_at: from_ms(r.created_at),
            updated_at: from_ms(r.updated_at),
            deleted_at: r.deleted_at.map(from_ms),
            last_contact_at: from_ms(r.last_contact_at),
            stalled,
        }
    }

    fn stage(&self, id: i64) -> Option<&Stage> {
        self.stages.iter().find(|s| s.id == id)
    }
}

/// Any deal, including one in the recycle bin.
pub async fn get(conn: &mut SqliteConnection, id: i64, ctx: &Context) -> Result<Deal> {
    let mut qb = QueryBuilder::new(select());
    qb.push(" WHERE d.id = ").push_bind(id);
    let row: Option<Row> = qb.build_query_as().fetch_optional(conn).await?;
    row.map(|r| ctx.deal(r)).ok_or(Error::NotFound { entity: "deal", id: id.to_string() })
}

/// A deal that is not in the recycle bin.
pub async fn live(conn: &mut SqliteConnection, id: i64, ctx: &Context) -> Result<Deal> {
    let deal = get(conn, id, ctx).await?;
    if deal.deleted_at.is_some() {
        return Err(Error::NotFound { entity: "deal", id: id.to_string() });
    }
    Ok(deal)
}

/// The customer a deal is for, which must exist and not be in the recycle bin: its name and owner.
pub async fn live_customer(conn: &mut SqliteConnection, id: i64) -> Result<(String, Option<String>)> {
    let row: Option<(String, Option<String>)> =
        sqlx::query_as("SELECT name, owner FROM customers WHERE id = ? AND deleted_at IS NULL")
            .bind(id)
            .fetch_optional(conn)
            .await?;
    row.ok_or(Error::NotFound { entity: "customer", id: id.to_string() })
}

fn furthest(stage: &Stage) -> Option<i64> {
    (stage.kind != StageKind::Lost).then_some(stage.id)
}

pub async fn insert(conn: &mut SqliteConnection, deal: &NewDeal, uid: &str, owner: Option<&str>, now: DateTime<Utc>) -> Result<i64> {
    let now_ms = to_ms(now);
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO deals (uid, customer_id, name, amount_fen, close_date, probability, owner, stage_id, stage_at,
                            furthest_stage_id, lost_reason, lost_note, notes, feedback, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(uid)
    .bind(deal.customer_id)
    .bind(&deal.name)
    .bind(deal.amount_fen)
    .bind(deal.close_date.map(|d| d.format("%Y-%m-%d").to_string()))
    .bind(deal.probability)
    .bind(owner)
    .bind(deal.stage.id)
    .bind(now_ms)
    .bind(furthest(&deal.stage))
    .bind(deal.lost.as_ref().map(|l| &l.reason))
    .bind(deal.lost.as_ref().and_then(|l| l.note.as_ref()))
    .bind(&deal.notes)
    .bind(serde_json::to_string(&deal.feedback).expect("feedback json"))
    .bind(now_ms)
    .bind(now_ms)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query("INSERT INTO deal_stage_history (deal_id, from_stage, to_stage, at) VALUES (?, NULL, ?, ?)")
        .bind(id)
        .bind(deal.stage.id)
        .bind(now_ms)
        .execute(&mut *conn)
        .await?;
    Ok(id)
}

/// Writes every field but the stage (a stage change goes through [`move_stage`]).
pub async fn update_fields(conn: &mut SqliteConnection, id: i64, deal: &NewDeal, now: DateTime<Utc>) -> Result<()> {
    sqlx::query(
        "UPDATE deals SET customer_id = ?, name = ?, amount_fen = ?, close_date = ?, probability = ?, owner = ?,
                          notes = ?, feedback = ?, updated_at = ? WHERE id = ?",
    )
    .bind(deal.customer_id)
    .bind(&deal.name)
    .bind(deal.amount_fen)
    .bind(deal.close_date.map(|d| d.format("%Y-%m-%d").to_string()))
    .bind(deal.probability)
    .bind(&deal.owner)
    .bind(&deal.notes)
    .bind(serde_json::to_string(&deal.feedback).expect("feedback json"))
    .bind(to_ms(now))
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Moves a deal to another stage at `at` (now, or earlier when recorded late): one history
/// row, the completed stay added to the stage it leaves, how far it got, and the lost reason
/// set (entering 流失) or cleared (leaving it). A stage change resets a probability override
/// to the new stage's default.
pub async fn move_stage(
    conn: &mut SqliteConnection,
    deal: &Deal,
    to: &Stage,
    lost: Option<&Lost>,
    at: DateTime<Utc>,
    now: DateTime<Utc>,
    ctx: &Context,
) -> Result<()> {
    if to.id == deal.stage_id {
        return Err(Error::invalid("stageId", "same_stage"));
    }
    if at > now {
        return Err(Error::invalid("at", "in_future"));
    }
    if at < deal.stage_at {
        return Err(Error::invalid("at", "before_last_change"));
    }
    let at_ms = to_ms(at);
    sqlx::query("INSERT INTO deal_stage_history (deal_id, from_stage, to_stage, at) VALUES (?, ?, ?, ?)")
        .bind(deal.id)
        .bind(deal.stage_id)
        .bind(to.id)
        .bind(at_ms)
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE deal_stages SET stay_count = stay_count + 1, stay_ms = stay_ms + ? WHERE id = ?")
        .bind(at_ms - to_ms(deal.stage_at))
        .bind(deal.stage_id)
        .execute(&mut *conn)
        .await?;
    let current_furthest: Option<i64> =
        sqlx::query_scalar("SELECT furthest_stage_id FROM deals WHERE id = ?").bind(deal.id).fetch_one(&mut *conn).await?;
    let further = match (current_furthest.and_then(|id| ctx.stage(id)), furthest(to)) {
        (Some(old), Some(_)) if old.position >= to.position => Some(old.id),
        (old, None) => old.map(|s| s.id),
        (_, new) => new,
    };
    sqlx::query(
        "UPDATE deals SET stage_id = ?, stage_at = ?, furthest_stage_id = ?, probability = NULL,
                          lost_reason = ?, lost_note = ?, updated_at = ? WHERE id = ?",
    )
    .bind(to.id)
    .bind(at_ms)
    .bind(further)
    .bind(lost.map(|l| &l.reason))
    .bind(lost.and_then(|l| l.note.as_ref()))
    .bind(to_ms(now))
    .bind(deal.id)
    .execute(conn)
    .await?;
    Ok(())
}

/// A new reason or note for a deal that stays lost.
pub async fn set_lost(conn: &mut SqliteConnection, id: i64, lost: &Lost) -> Result<()> {
    sqlx::query("UPDATE deals SET lost_reason = ?, lost_note = ? WHERE id = ?")
        .bind(&lost.reason)
        .bind(&lost.note)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_deleted(conn: &mut SqliteConnection, id: i64, at: Option<DateTime<Utc>>) -> Result<()> {
    sqlx::query("UPDATE deals SET deleted_at = ?, hidden_with_customer = 0 WHERE id = ?")
        .bind(at.map(to_ms))
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Oldest first.
pub async fn history(conn: &mut SqliteConnection, deal_id: i64) -> Result<Vec<StageChange>> {
    let rows: Vec<(i64, Option<i64>, i64, i64)> = sqlx::query_as(
        "SELECT id, from_stage, to_stage, at FROM deal_stage_history WHERE deal_id = ? ORDER BY at, id",
    )
    .bind(deal_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, from_stage_id, to_stage_id, at)| StageChange { id, from_stage_id, to_stage_id, at: from_ms(at) })
        .collect())
}

/// The customer's stage follows its deals: the most advanced open deal's stage; with none
/// open, 成交 if any was won, else 流失. A customer without deals keeps the stage set by hand.
/// A change is written to the customer's history like any other edit.
pub async fn derive_customer_stage(conn: &mut SqliteConnection, customer_id: i64, now: DateTime<Utc>) -> Result<()> {
    let derived: Option<String> = sqlx::query_scalar(
        "SELECT s.name FROM deals d JOIN deal_stages s ON s.id = d.stage_id
         WHERE d.customer_id = ? AND d.deleted_at IS NULL
         ORDER BY CASE s.kind WHEN 'open' THEN 0 WHEN 'won' THEN 1 ELSE 2 END, s.position DESC LIMIT 1",
    )
    .bind(customer_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(derived) = derived else { return Ok(()) };
    let current: Option<String> =
        sqlx::query_scalar("SELECT stage FROM customers WHERE id = ?").bind(customer_id).fetch_one(&mut *conn).await?;
    if current.as_deref() == Some(derived.as_str()) {
        return Ok(());
    }
    sqlx::query("UPDATE customers SET stage = ?, updated_at = ? WHERE id = ?")
        .bind(&derived)
        .bind(to_ms(now))
        .bind(customer_id)
        .execute(&mut *conn)
        .await?;
    let change = Change { field: "stage".into(), old: current, new: Some(derived) };
    history::record(conn, customer_id, now, HistoryAction::Update, Some(&change)).await
}

/// How far each deal got, from its history, after the stages were reordered.
pub async fn rebuild_furthest(conn: &mut SqliteConnection) -> Result<()> {
    sqlx::query(
        "UPDATE deals SET furthest_stage_id = (
             SELECT h.to_stage FROM deal_stage_history h JOIN deal_stages s ON s.id = h.to_stage
             WHERE h.deal_id = deals.id AND s.kind <> 'lost'
             ORDER BY CASE s.kind WHEN 'won' THEN 1 ELSE 0 END DESC, s.position DESC LIMIT 1)",
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Local day `YYYY-MM-DD` → the UTC instant its midnight is in `zone`.
fn day_start_ms(field: &str, raw: &str, zone: Zone, next: bool) -> Result<i64> {
    let day = crate::domain::day::parse_day(raw).map_err(|code| Error::invalid(field, code))?;
    let day = if next { day + Duration::days(1) } else { day };
    Ok(zone.from_local(day.and_time(chrono::NaiveTime::MIN)).timestamp_millis())
}

/// The created-at bounds of a filter: [from's midnight, the midnight after `to`).
pub fn created_range(filter: &DealFilter, zone: Zone) -> Result<(Option<i64>, Option<i64>)> {
    let from = filter.from.as_deref().filter(|s| !s.trim().is_empty()).map(|d| day_start_ms("from", d, zone, false)).transpose()?;
    let to = filter.to.as_deref().filter(|s| !s.trim().is_empty()).map(|d| day_start_ms("to", d, zone, true)).transpose()?;
    if let (Some(from), Some(to)) = (from, to) {
        if to <= from {
            return Err(Error::invalid("to", "before_from"));
        }
    }
    Ok((from, to))
}

/// The ONE place a [`DealFilter`] becomes SQL (over `deals d`, live deals only), tag and
/// segment conditions on the customer included.
pub fn push_filter(qb: &mut QueryBuilder<Sqlite>, filter: &DealFilter, zone: Zone) -> Result<()> {
    push_filter_for(qb, filter, zone, true)
}

/// `seek_created: false` keeps SQLite from seeking on the creation day (the unary `+`), for
/// queries that must walk an index in activity order and stop after one page: sorting every
/// deal of a period would cost more than skipping the few outside it.
pub fn push_filter_for(qb: &mut QueryBuilder<Sqlite>, filter: &DealFilter, zone: Zone, seek_created: bool) -> Result<()> {
    let created = if seek_created { " AND d.created_at" } else { " AND +d.created_at" };
    qb.push(" WHERE d.deleted_at IS NULL");
    if let Some(owner) = filter.owner.as_deref().map(str::trim).filter(|o| !o.is_empty()) {
        qb.push(" AND d.owner = ").push_bind(owner.to_owned());
    }
    let (from, to) = created_range(filter, zone)?;
    if let Some(from) = from {
        qb.push(created).push(" >= ").push_bind(from);
    }
    if let Some(to) = to {
        qb.push(created).push(" < ").push_bind(to);
    }
    if let Some(customer) = filter.customer_id {
        qb.push(" AND d.customer_id = ").push_bind(customer);
    }
    if let Some(stage) = filter.stage_id {
        qb.push(" AND d.stage_id = ").push_bind(stage);
    }
    if let Some(customers) = &filter.customer_filter {
        customers.push(qb)?;
    }
    Ok(())
}

/// The SQL of a page (`prefix` lets the benchmark ask SQLite for its plan).
pub fn page_query(prefix: &str, q: &DealQuery, zone: Zone) -> Result<QueryBuilder<Sqlite>> {
    if !(1..=500).contains(&q.limit) {
        return Err(Error::invalid("limit", "out_of_range"));
    }
    let mut qb = QueryBuilder::new(format!("{prefix}{}", select()));
    push_filter_for(&mut qb, &q.filter, zone, false)?;
    if let Some(raw) = &q.cursor {
        let (updated, id): (i64, i64) = serde_json::from_str(raw).map_err(|_| Error::invalid("cursor", "cursor_invalid"))?;
        qb.push(" AND (d.updated_at < ").push_bind(updated);
        qb.push(" OR (d.updated_at = ").push_bind(updated).push(" AND d.id < ").push_bind(id).push("))");
    }
    qb.push(" ORDER BY d.updated_at DESC, d.id DESC LIMIT ").push_bind(q.limit as i64 + 1);
    Ok(qb)
}

/// A page of deals, newest activity first (keyset on `updated_at, id`).
pub async fn page(conn: &mut SqliteConnection, q: &DealQuery, ctx: &Context) -> Result<DealPage> {
    let mut qb = page_query("", q, ctx.zone)?;
    let mut rows: Vec<Row> = qb.build_query_as().fetch_all(conn).await?;
    let has_more = rows.len() > q.limit as usize;
    rows.truncate(q.limit as usize);
    let next_cursor = match rows.last() {
        Some(last) if has_more => Some(serde_json::to_string(&(last.updated_at, last.id)).expect("cursor")),
        _ => None,
    };
    Ok(DealPage { items: rows.into_iter().map(|r| ctx.deal(r)).collect(), next_cursor })
}

/// Totals of the deals matching a filter, per (current stage, furthest stage reached): the
/// kanban headers, the funnel and the cycle time all come from this one index-only pass.
#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct Summary {
    pub stage_id: i64,
    pub furthest_stage_id: Option<i64>,
    pub count: i64,
    pub amount_fen: i64,
    /// Amount of the deals without an override (they weigh with the stage's probability).
    pub default_amount_fen: i64,
    /// Σ amount × probability over the deals with an override.
    pub override_weight: i64,
    /// Σ (entered current stage − created), for the cycle time of won deals.
    pub age_ms: i64,
}

pub fn summary_query(prefix: &str, filter: &DealFilter, zone: Zone) -> Result<QueryBuilder<Sqlite>> {
    let mut qb = QueryBuilder::new(format!(
        "{prefix}SELECT d.stage_id, d.furthest_stage_id, count(*) AS count, coalesce(sum(d.amount_fen), 0) AS amount_fen,
                coalesce(sum(CASE WHEN d.probability IS NULL THEN d.amount_fen ELSE 0 END), 0) AS default_amount_fen,
                coalesce(sum(d.amount_fen * d.probability), 0) AS override_weight,
                coalesce(sum(d.stage_at - d.created_at), 0) AS age_ms
         FROM deals d"
    ));
    push_filter(&mut qb, filter, zone)?;
    qb.push(" GROUP BY d.stage_id, d.furthest_stage_id");
    Ok(qb)
}

pub async fn summary(conn: &mut SqliteConnection, filter: &DealFilter, zone: Zone) -> Result<Vec<Summary>> {
    Ok(summary_query("", filter, zone)?.build_query_as().fetch_all(conn).await?)
}

/// Σ amount × probability / 100, rounded half up, for rows of one stage.
pub fn weighted_fen(rows: &[&Summary], stage_probability: i64) -> i64 {
    let weight: i128 = rows
        .iter()
        .map(|r| r.default_amount_fen as i128 * stage_probability as i128 + r.override_weight as i128)
        .sum();
    ((weight + 50) / 100) as i64
}

/// The customer a live deal belongs to; `None` for a deal that is gone or never was.
pub async fn customer_of(conn: &mut SqliteConnection, deal_id: i64) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar("SELECT customer_id FROM deals WHERE id = ? AND deleted_at IS NULL").bind(deal_id).fetch_optional(conn).await?)
}
