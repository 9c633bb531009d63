//! Tags in groups, their links to customers, and the automatic tags the app keeps by itself
//! (沉睡客户, 流失预警, 新客户未跟进). A rule only ever adds or removes its own links, so a tag
//! set by hand is never taken away.

pub mod auto;
pub mod grading;
pub mod score;

use serde::{Deserialize, Serialize};
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection};
use ts_rs::TS;

use crate::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TagGroup {
    #[ts(type = "number")]
    pub id: i64,
    /// `grade`, `needs`, `role`, `channel`, `behavior`, `personal` for the built-in groups
    /// (the UI translates them); absent for the user's own.
    pub code: Option<String>,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Tag {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub group_id: i64,
    pub name: String,
    /// `#RRGGBB`.
    pub color: String,
    /// Which rule applies it, for the automatic tags: `dormant`, `churn_risk`, `new_uncontacted`.
    pub auto: Option<String>,
    /// How many live customers carry it.
    #[ts(type = "number")]
    pub count: i64,
}

pub async fn groups(conn: &mut SqliteConnection) -> Result<Vec<TagGroup>> {
    let rows = sqlx::query("SELECT id, code, name FROM tag_groups ORDER BY position, id").fetch_all(conn).await?;
    Ok(rows.iter().map(|r| TagGroup { id: r.get("id"), code: r.get("code"), name: r.get("name") }).collect())
}

pub async fn add_group(conn: &mut SqliteConnection, name: &str) -> Result<TagGroup> {
    let name = checked_name(name)?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO tag_groups (name, position) VALUES (?, (SELECT coalesce(max(position), 0) + 1 FROM tag_groups)) RETURNING id",
    )
    .bind(&name)
    .fetch_one(conn)
    .await?;
    Ok(TagGroup { id, code: None, name })
}

/// Every tag with its live usage, by group and position.
pub async fn list(conn: &mut SqliteConnection) -> Result<Vec<Tag>> {
    let rows = sqlx::query(
        "SELECT t.id, t.group_id, t.name, t.color, t.auto, t.live_count AS count
         FROM tags t JOIN tag_groups g ON g.id = t.group_id ORDER BY g.position, t.position, t.id",
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.iter().map(tag_of).collect())
}

/// Every tag's id and name in the order [`list`] gives, without the usage counts.
pub async fn names(conn: &mut SqliteConnection) -> Result<Vec<(i64, String)>> {
    Ok(sqlx::query_as("SELECT t.id, t.name FROM tags t JOIN tag_groups g ON g.id = t.group_id ORDER BY g.position, t.position, t.id")
        .fetch_all(conn)
        .await?)
}

fn tag_of(r: &sqlx::sqlite::SqliteRow) -> Tag {
    Tag { id: r.get("id"), group_id: r.get("group_id"), name: r.get("name"), color: r.get("color"), auto: r.get("auto"), count: r.get("count") }
}

pub async fn get(conn: &mut SqliteConnection, id: i64) -> Result<Tag> {
    list(conn).await?.into_iter().find(|t| t.id == id).ok_or(Error::NotFound { entity: "tag", id: id.to_string() })
}

pub async fn by_name(conn: &mut SqliteConnection, name: &str) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar("SELECT id FROM tags WHERE name = ?").bind(name.trim()).fetch_optional(conn).await?)
}

fn checked_name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::invalid("name", "required"));
    }
    if name.chars().count() > 30 {
        return Err(Error::invalid("name", "too_long"));
    }
    // The filter language reads these as structure.
    if name.chars().any(|c| "()（）\"“”".contains(c)) {
        return Err(Error::invalid("name", "name_invalid"));
    }
    Ok(name.to_owned())
}

fn checked_color(color: &str) -> Result<String> {
    let c = color.trim();
    let ok = c.len() == 7 && c.starts_with('#') && c[1..].chars().all(|ch| ch.is_ascii_hexdigit());
    if !ok {
        return Err(Error::invalid("color", "color_invalid"));
    }
    Ok(c.to_lowercase())
}

pub async fn add(conn: &mut SqliteConnection, name: &str, group_id: i64, color: &str) -> Result<i64> {
    let name = checked_name(name)?;
    let color = checked_color(color)?;
    let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM tag_groups WHERE id = ?").bind(group_id).fetch_optional(&mut *conn).await?;
    if exists.is_none() {
        return Err(Error::invalid("group", "unknown_group"));
    }
    Ok(sqlx::query_scalar(
        "INSERT INTO tags (group_id, name, color, position)
         VALUES (?1, ?2, ?3, (SELECT coalesce(max(position), 0) + 1 FROM tags WHERE group_id = ?1)) RETURNING id",
    )
    .bind(group_id)
    .bind(&name)
    .bind(&color)
    .fetch_one(conn)
    .await?)
}

/// Renames, recolours or moves a tag; returns the old name (segments follow a rename).
pub async fn update(conn: &mut SqliteConnection, id: i64, name: &str, group_id: i64, color: &str) -> Result<String> {
    let name = checked_name(name)?;
    let color = checked_color(color)?;
    let old: String = sqlx::query_scalar("SELECT name FROM tags WHERE id = ?")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(Error::NotFound { entity: "tag", id: id.to_string() })?;
    sqlx::query("UPDATE tags SET name = ?, group_id = ?, color = ? WHERE id = ?").bind(&name).bind(group_id).bind(&color).bind(id).execute(conn).await?;
    Ok(old)
}

/// Moves every link of `from` onto `into` and deletes `from`.
pub async fn merge(conn: &mut SqliteConnection, from: i64, into: i64) -> Result<()> {
    if from == into {
        return Err(Error::invalid("into", "same_tag"));
    }
    sqlx::query(
        "INSERT INTO customer_tags (tag_id, customer_id, auto) SELECT ?, customer_id, auto FROM customer_tags WHERE tag_id = ?
         ON CONFLICT (tag_id, customer_id) DO UPDATE SET auto = min(customer_tags.auto, excluded.auto)",
    )
    .bind(into)
    .bind(from)
    .execute(&mut *conn)
    .await?;
    delete(conn, from).await
}

pub async fn delete(conn: &mut SqliteConnection, id: i64) -> Result<()> {
    let auto: Option<Option<String>> = sqlx::query_scalar("SELECT auto FROM tags WHERE id = ?").bind(id).fetch_optional(&mut *conn).await?;
    match auto {
        None => Err(Error::NotFound { entity: "tag", id: id.to_string() }),
        Some(Some(_)) => Err(Error::invalid("id", "tag_automatic")),
        Some(None) => {
            sqlx::query("DELETE FROM tags WHERE id = ?").bind(id).execute(conn).await?;
            Ok(())
        }
    }
}

/// The customers' tags by hand: `add` links (a link a rule made becomes a hand-set one),
/// `remove` unlinks. Returns how many links changed.
pub async fn apply(conn: &mut SqliteConnection, customers: &[i64], add: &[i64], remove: &[i64]) -> Result<u64> {
    let mut changed = 0;
    for chunk in customers.chunks(10_000) {
        for &tag in add {
            let mut qb = QueryBuilder::<Sqlite>::new("INSERT INTO customer_tags (tag_id, customer_id, auto) ");
            qb.push_values(chunk, |mut b, id| {
                b.push_bind(tag).push_bind(*id).push("0");
            });
            qb.push(" ON CONFLICT (tag_id, customer_id) DO UPDATE SET auto = 0 WHERE customer_tags.auto = 1");
            changed += qb.build().execute(&mut *conn).await?.rows_affected();
        }
        for &tag in remove {
            let mut qb = QueryBuilder::<Sqlite>::new("DELETE FROM customer_tags WHERE tag_id = ");
            qb.push_bind(tag).push(" AND customer_id IN (");
            let mut sep = qb.separated(", ");
            chunk.iter().for_each(|id| {
                sep.push_bind(*id);
            });
            qb.push(")");
            changed += qb.build().execute(&mut *conn).await?.rows_affected();
        }
    }
    Ok(changed)
}

/// A merge unites the customers' tags: the absorbed record's hand-set tags are set by hand on
/// the survivor too (the rules then decide the survivor's automatic ones afresh).
pub async fn copy_to(conn: &mut SqliteConnection, from: i64, to: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO customer_tags (tag_id, customer_id, auto) SELECT tag_id, ?, 0 FROM customer_tags WHERE customer_id = ? AND auto = 0
         ON CONFLICT (tag_id, customer_id) DO UPDATE SET auto = 0",
    )
    .bind(to)
    .bind(from)
    .execute(conn)
    .await?;
    Ok(())
}

/// One customer's tags.
pub async fn of_customer(conn: &mut SqliteConnection, customer_id: i64) -> Result<Vec<(i64, bool)>> {
    let rows: Vec<(i64, i64)> = sqlx::query_as("SELECT tag_id, auto FROM customer_tags WHERE customer_id = ? ORDER BY tag_id")
        .bind(customer_id)
        .fetch_all(conn)
        .await?;
    Ok(rows.into_iter().map(|(id, auto)| (id, auto != 0)).collect())
}
