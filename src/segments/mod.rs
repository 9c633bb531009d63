//! Filters over customers (tags and fields with AND / OR / NOT) and saved segments: a
//! segment is a named filter, so its members follow the data.

pub mod compile;
pub mod parse;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{Row, SqliteConnection};
use ts_rs::TS;

use crate::db::{from_ms, to_ms};
use crate::settings::Language;
use crate::{Error, Result};

pub use parse::{Expr, FilterError, Op};

/// The keys a filter term can use; anything else names a custom field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Tag,
    Industry,
    Region,
    Source,
    Owner,
    Grade,
    Stage,
    Name,
    Kind,
    Created,
    LastFollowup,
    Employees,
    Revenue,
    /// The expected amount of the customer's open deals.
    Amount,
    Score,
}

impl Key {
    pub fn parse(raw: &str) -> Option<Key> {
        Some(match raw.to_lowercase().as_str() {
            "tag" | "标签" => Key::Tag,
            "industry" | "行业" => Key::Industry,
            "region" | "地区" => Key::Region,
            "source" | "来源" => Key::Source,
            "owner" | "负责人" => Key::Owner,
            "grade" | "等级" => Key::Grade,
            "stage" | "阶段" => Key::Stage,
            "name" | "名称" => Key::Name,
            "kind" | "类型" => Key::Kind,
            "created" | "创建" => Key::Created,
            "last_followup" | "followup" | "跟进" => Key::LastFollowup,
            "employees" | "size" | "规模" | "员工" => Key::Employees,
            "revenue" | "营业额" => Key::Revenue,
            "amount" | "金额" => Key::Amount,
            "score" | "价值分" => Key::Score,
            _ => return None,
        })
    }

    fn words(self, lang: Language) -> &'static str {
        let zh = lang == Language::ZhCn;
        match self {
            Key::Tag => if zh { "标签" } else { "tag" },
            Key::Industry => if zh { "行业" } else { "industry" },
            Key::Region => if zh { "地区" } else { "region" },
            Key::Source => if zh { "来源" } else { "source" },
            Key::Owner => if zh { "负责人" } else { "owner" },
            Key::Grade => if zh { "等级" } else { "grade" },
            Key::Stage => if zh { "阶段" } else { "stage" },
            Key::Name => if zh { "名称" } else { "name" },
            Key::Kind => if zh { "类型" } else { "kind" },
            Key::Created => if zh { "创建时间" } else { "created" },
            Key::LastFollowup => if zh { "最近跟进" } else { "last follow-up" },
            Key::Employees => if zh { "员工人数" } else { "employees" },
            Key::Revenue => if zh { "年营业额" } else { "revenue" },
            Key::Amount => if zh { "进行中商机金额" } else { "open deal amount" },
            Key::Score => if zh { "价值分" } else { "value score" },
        }
    }
}

/// The filter as one line a person reads: 标签是「制造业」 且 不是（标签是「流失预警」）.
pub fn describe(expr: &Expr, lang: Language) -> String {
    let zh = lang == Language::ZhCn;
    match expr {
        Expr::And { items } | Expr::Or { items } => {
            let joiner = match (matches!(expr, Expr::And { .. }), zh) {
                (true, true) => " 且 ",
                (false, true) => " 或 ",
                (true, false) => " and ",
                (false, false) => " or ",
            };
            items
                .iter()
                .map(|e| match e {
                    Expr::And { .. } | Expr::Or { .. } => format!("（{}）", describe(e, lang)),
                    _ => describe(e, lang),
                })
                .collect::<Vec<_>>()
                .join(joiner)
        }
        Expr::Not { item } => {
            if zh {
                format!("不满足（{}）", describe(item, lang))
            } else {
                format!("not ({})", describe(item, lang))
            }
        }
        Expr::Term { key, op, value, .. } => {
            let name = Key::parse(key).map(|k| k.words(lang).to_owned()).unwrap_or_else(|| key.clone());
            let verb = match (op, zh) {
                (Op::Is, true) => "是",
                (Op::Not, true) => "不是",
                (Op::Gt, true) => "大于",
                (Op::Ge, true) => "不少于",
                (Op::Lt, true) => "小于",
                (Op::Le, true) => "不超过",
                (Op::Is, false) => "is",
                (Op::Not, false) => "is not",
                (Op::Gt, false) => "over",
                (Op::Ge, false) => "at least",
                (Op::Lt, false) => "under",
                (Op::Le, false) => "at most",
            };
            let age = matches!(Key::parse(key), Some(Key::Created | Key::LastFollowup)) && value.chars().any(|c| !c.is_ascii_digit() && c != '-');
            match (age, op, zh) {
                (true, Op::Gt | Op::Ge, true) => format!("{name}在{value}以前"),
                (true, Op::Lt | Op::Le, true) => format!("{name}在近{value}内"),
                (true, Op::Gt | Op::Ge, false) => format!("{name} more than {value} ago"),
                (true, Op::Lt | Op::Le, false) => format!("{name} within {value}"),
                (_, _, true) => format!("{name}{verb}「{value}」"),
                (_, _, false) => format!("{name} {verb} \"{value}\""),
            }
        }
    }
}

/// Parses a filter, or says where it is wrong as a field error (`filter`, `filter.at`).
pub fn parse_filter(text: &str) -> Result<Option<Expr>> {
    parse::parse(text).map_err(invalid)
}

pub fn invalid(e: FilterError) -> Error {
    Error::Validation([("filter".to_owned(), e.code), ("filter.at".to_owned(), e.at.to_string())].into())
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Segment {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    /// The filter in its canonical form.
    pub filter: String,
    /// Live count, when asked for.
    #[ts(type = "number | null")]
    pub count: Option<i64>,
    pub updated_at: DateTime<Utc>,
}

fn segment_of(r: &sqlx::sqlite::SqliteRow) -> Segment {
    Segment { id: r.get("id"), name: r.get("name"), filter: r.get("filter"), count: None, updated_at: from_ms(r.get("updated_at")) }
}

pub async fn list(conn: &mut SqliteConnection) -> Result<Vec<Segment>> {
    let rows = sqlx::query("SELECT id, name, filter, updated_at FROM segments ORDER BY name").fetch_all(conn).await?;
    Ok(rows.iter().map(segment_of).collect())
}

pub async fn get(conn: &mut SqliteConnection, id: i64) -> Result<Segment> {
    let row = sqlx::query("SELECT id, name, filter, updated_at FROM segments WHERE id = ?").bind(id).fetch_optional(conn).await?;
    row.as_ref().map(segment_of).ok_or(Error::NotFound { entity: "segment", id: id.to_string() })
}

pub async fn by_name(conn: &mut SqliteConnection, name: &str) -> Result<Option<Segment>> {
    let row = sqlx::query("SELECT id, name, filter, updated_at FROM segments WHERE name = ?").bind(name).fetch_optional(conn).await?;
    Ok(row.as_ref().map(segment_of))
}

/// Saves under `name`, replacing the filter of a segment already called that.
pub async fn save(conn: &mut SqliteConnection, name: &str, filter: &str, now: DateTime<Utc>) -> Result<i64> {
    let id = sqlx::query_scalar(
        "INSERT INTO segments (name, filter, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)
         ON CONFLICT (name) DO UPDATE SET filter = excluded.filter, updated_at = excluded.updated_at RETURNING id",
    )
    .bind(name)
    .bind(filter)
    .bind(to_ms(now))
    .fetch_one(conn)
    .await?;
    Ok(id)
}

pub async fn rename(conn: &mut SqliteConnection, id: i64, name: &str, now: DateTime<Utc>) -> Result<()> {
    let done = sqlx::query("UPDATE segments SET name = ?, updated_at = ? WHERE id = ?").bind(name).bind(to_ms(now)).bind(id).execute(conn).await?;
    if done.rows_affected() == 0 {
        return Err(Error::NotFound { entity: "segment", id: id.to_string() });
    }
    Ok(())
}

pub async fn delete(conn: &mut SqliteConnection, id: i64) -> Result<()> {
    let done = sqlx::query("DELETE FROM segments WHERE id = ?").bind(id).execute(conn).await?;
    if done.rows_affected() == 0 {
        return Err(Error::NotFound { entity: "segment", id: id.to_string() });
    }
    Ok(())
}

/// A tag renamed (or merged into another) is renamed inside every segment's filter too.
pub async fn rename_tag(conn: &mut SqliteConnection, old: &str, new: &str, now: DateTime<Utc>) -> Result<()> {
    for segment in list(conn).await? {
        let Ok(Some(mut expr)) = parse::parse(&segment.filter) else { continue };
        if expr.rename_tag(old, new) {
            sqlx::query("UPDATE segments SET filter = ?, updated_at = ? WHERE id = ?")
                .bind(expr.to_text())
                .bind(to_ms(now))
                .bind(segment.id)
                .execute(&mut *conn)
                .await?;
        }
    }
    Ok(())
}

/// A filter checked against the ledger's names, ready to become SQL.
pub struct Compiled {
    pub expr: Expr,
    pub names: compile::Names,
}

/// Parses and checks `text` for this ledger at this moment; `None` for an empty filter.
pub async fn prepare(conn: &mut SqliteConnection, text: Option<&str>, now: DateTime<Utc>, zone: crate::Zone) -> Result<Option<Compiled>> {
    let Some(expr) = parse_filter(text.unwrap_or_default())? else { return Ok(None) };
    let tags = sqlx::query_as::<_, (String, i64)>("SELECT name, id FROM tags").fetch_all(&mut *conn).await?;
    let fields = crate::custom_fields::list(conn).await?;
    let grading = crate::tags::grading::load(conn).await?;
    let names = compile::Names { tags, fields, now, zone, grading };
    compile::check(&expr, &names).map_err(invalid)?;
    Ok(Some(Compiled { expr, names }))
}
