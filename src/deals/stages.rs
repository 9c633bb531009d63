//! The editable lists of the funnel: stages (ordered, with default probabilities) and lost
//! reasons, plus the stall threshold.

use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;

use super::{DealSettings, LostReason, LostReasonInput, Stage, StageInput, StageKind};
use crate::domain::half_width;
use crate::error::FieldErrors;
use crate::{settings, Error, Result};

const DAY_MS: f64 = 86_400_000.0;
const SETTINGS_KEY: &str = "deals";

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    code: Option<String>,
    name: String,
    position: i64,
    probability: i64,
    kind: String,
    stay_count: i64,
    stay_ms: i64,
}

/// In funnel order: the open stages, then won, then lost.
pub async fn list(conn: &mut SqliteConnection) -> Result<Vec<Stage>> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, code, name, position, probability, kind, stay_count, stay_ms FROM deal_stages
         ORDER BY CASE kind WHEN 'open' THEN 0 WHEN 'won' THEN 1 ELSE 2 END, position, id",
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Stage {
            id: r.id,
            code: r.code,
            name: r.name,
            position: r.position,
            probability: r.probability,
            kind: StageKind::from_db(&r.kind),
            avg_stay_days: (r.stay_count > 0).then(|| r.stay_ms as f64 / r.stay_count as f64 / DAY_MS),
            stay_count: r.stay_count,
            stay_ms: r.stay_ms,
        })
        .collect())
}

fn parse_name(raw: &str, max: usize) -> std::result::Result<String, &'static str> {
    let name = half_width(raw).trim().to_owned();
    if name.is_empty() {
        Err("required")
    } else if name.chars().count() > max {
        Err("too_long")
    } else {
        Ok(name)
    }
}

/// Adds an open stage (just before 成交) or renames / re-weights an existing one.
pub async fn save(conn: &mut SqliteConnection, input: &StageInput) -> Result<Stage> {
    let mut errors = FieldErrors::new();
    let name = parse_name(&input.name, 20).map_err(|code| errors.insert("name".into(), code.into())).ok();
    if !(0..=100).contains(&input.probability) {
        errors.insert("probability".into(), "out_of_range".into());
    }
    let Some(name) = name.filter(|_| errors.is_empty()) else {
        return Err(Error::Validation(errors));
    };
    let id = match input.id {
        Some(id) => {
            let done = sqlx::query("UPDATE deal_stages SET name = ?, probability = ? WHERE id = ?")
                .bind(&name)
                .bind(input.probability)
                .bind(id)
                .execute(&mut *conn)
                .await?;
            if done.rows_affected() == 0 {
                return Err(Error::NotFound { entity: "stage", id: id.to_string() });
            }
            id
        }
        None => {
            let last_open: i64 =
                sqlx::query_scalar("SELECT coalesce(max(position), 0) FROM deal_stages WHERE kind = 'open'")
                    .fetch_one(&mut *conn)
                    .await?;
            sqlx::query("UPDATE deal_stages SET position = position + 1 WHERE kind <> 'open'").execute(&mut *conn).await?;
            sqlx::query_scalar(
                "INSERT INTO deal_stages (name, position, probability, kind) VALUES (?, ?, ?, 'open') RETURNING id",
            )
            .bind(&name)
            .bind(last_open + 1)
            .bind(input.probability)
            .fetch_one(&mut *conn)
            .await?
        }
    };
    list(conn).await?.into_iter().find(|s| s.id == id).ok_or(Error::NotFound { entity: "stage", id: id.to_string() })
}

/// Puts the open stages in the given order (成交 and 流失 stay last) and recomputes how far
/// each deal got, since "further" now means something else.
pub async fn reorder(conn: &mut SqliteConnection, open_ids: &[i64]) -> Result<Vec<Stage>> {
    let stages = list(conn).await?;
    let mut current: Vec<i64> = stages.iter().filter(|s| s.kind == StageKind::Open).map(|s| s.id).collect();
    let mut given = open_ids.to_vec();
    current.sort_unstable();
    given.sort_unstable();
    if current != given {
        return Err(Error::invalid("ids", "stages_mismatch"));
    }
    let open = open_ids.len() as i64;
    for (i, id) in open_ids.iter().enumerate() {
        sqlx::query("UPDATE deal_stages SET position = ? WHERE id = ?").bind(i as i64 + 1).bind(id).execute(&mut *conn).await?;
    }
    sqlx::query("UPDATE deal_stages SET position = ? + CASE kind WHEN 'won' THEN 1 ELSE 2 END WHERE kind <> 'open'")
        .bind(open)
        .execute(&mut *conn)
        .await?;
    super::store::rebuild_furthest(conn).await?;
    list(conn).await
}

/// Removes an open stage no deal is or ever was in; one with history is a conflict.
pub async fn delete(conn: &mut SqliteConnection, id: i64) -> Result<()> {
    let stages = list(conn).await?;
    let stage = stages.iter().find(|s| s.id == id).ok_or(Error::NotFound { entity: "stage", id: id.to_string() })?;
    if stage.kind != StageKind::Open {
        return Err(Error::invalid("id", "stage_required"));
    }
    if stages.iter().filter(|s| s.kind == StageKind::Open).count() == 1 {
        return Err(Error::invalid("id", "stage_required"));
    }
    let used: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM deal_stage_history WHERE to_stage = ?1)
             OR EXISTS (SELECT 1 FROM deals WHERE stage_id = ?1)",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    if used {
        return Err(Error::Conflict(FieldErrors::from([("id".into(), "in_use".into())])));
    }
    sqlx::query("DELETE FROM deal_stages WHERE id = ?").bind(id).execute(conn).await?;
    Ok(())
}

pub async fn lost_reasons(conn: &mut SqliteConnection) -> Result<Vec<LostReason>> {
    Ok(sqlx::query_as("SELECT id, name, position FROM lost_reasons ORDER BY position, id").fetch_all(conn).await?)
}

/// Adds a reason (before 其他, which stays last) or renames one. Deals keep the reason text
/// they were lost with.
pub async fn save_lost_reason(conn: &mut SqliteConnection, input: &LostReasonInput) -> Result<LostReason> {
    let name = parse_name(&input.name, 30).map_err(|code| Error::invalid("name", code))?;
    let id: i64 = match input.id {
        Some(id) => {
            let done =
                sqlx::query("UPDATE lost_reasons SET name = ? WHERE id = ?").bind(&name).bind(id).execute(&mut *conn).await?;
            if done.rows_affected() == 0 {
                return Err(Error::NotFound { entity: "lost reason", id: id.to_string() });
            }
            id
        }
        None => {
            sqlx::query_scalar(
                "INSERT INTO lost_reasons (name, position)
                 VALUES (?, (SELECT coalesce(max(position), 0) + 1 FROM lost_reasons WHERE position < 99))
                 RETURNING id",
            )
            .bind(&name)
            .fetch_one(&mut *conn)
            .await?
        }
    };
    Ok(sqlx::query_as("SELECT id, name, position FROM lost_reasons WHERE id = ?").bind(id).fetch_one(conn).await?)
}

pub async fn delete_lost_reason(conn: &mut SqliteConnection, id: i64) -> Result<()> {
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM lost_reasons").fetch_one(&mut *conn).await?;
    if left <= 1 {
        return Err(Error::invalid("id", "reason_required"));
    }
    let done = sqlx::query("DELETE FROM lost_reasons WHERE id = ?").bind(id).execute(conn).await?;
    if done.rows_affected() == 0 {
        return Err(Error::NotFound { entity: "lost reason", id: id.to_string() });
    }
    Ok(())
}

pub async fn deal_settings(conn: &mut SqliteConnection) -> Result<DealSettings> {
    Ok(settings::get(conn, SETTINGS_KEY).await?.unwrap_or_default())
}

pub async fn set_deal_settings(conn: &mut SqliteConnection, value: &DealSettings, now: DateTime<Utc>) -> Result<()> {
    if !(1..=365).contains(&value.stall_days) {
        return Err(Error::invalid("stallDays", "out_of_range"));
    }
    settings::put(conn, SETTINGS_KEY, value, now).await
}
