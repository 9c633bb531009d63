//! The managed industry list (所属行业) with the codes customer numbers are built from.

use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;
use ts_rs::TS;

use crate::domain::half_width;
use crate::error::FieldErrors;
use crate::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, sqlx::FromRow)]
#[ts(export)]
pub struct Industry {
    /// 2–8 upper-case letters or digits, e.g. MFG; part of every customer number.
    pub code: String,
    pub name: String,
    #[ts(type = "number")]
    pub position: i64,
}

pub async fn list(conn: &mut SqliteConnection) -> Result<Vec<Industry>> {
    Ok(sqlx::query_as("SELECT code, name, position FROM industries ORDER BY position, code").fetch_all(conn).await?)
}

/// Finds an industry by its code (case-insensitive) or its exact name.
pub async fn resolve(conn: &mut SqliteConnection, code_or_name: &str) -> Result<Option<Industry>> {
    let key = half_width(code_or_name).trim().to_owned();
    Ok(sqlx::query_as("SELECT code, name, position FROM industries WHERE code = upper(?1) OR name = ?1")
        .bind(key)
        .fetch_optional(conn)
        .await?)
}

fn parse(industry: &Industry) -> Result<Industry> {
    let code = half_width(&industry.code).trim().to_uppercase();
    let name = half_width(&industry.name).trim().to_owned();
    let mut errors = FieldErrors::new();
    if !(2..=8).contains(&code.len()) || !code.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()) {
        errors.insert("code".into(), "code_invalid".into());
    }
    if name.is_empty() {
        errors.insert("name".into(), "required".into());
    } else if name.chars().count() > 30 {
        errors.insert("name".into(), "too_long".into());
    }
    if errors.is_empty() {
        Ok(Industry { code, name, position: industry.position })
    } else {
        Err(Error::Validation(errors))
    }
}

/// Adds an industry, or renames / reorders the one with this code.
pub async fn save(conn: &mut SqliteConnection, industry: &Industry) -> Result<Industry> {
    let industry = parse(industry)?;
    sqlx::query(
        "INSERT INTO industries (code, name, position) VALUES (?, ?, ?)
         ON CONFLICT (code) DO UPDATE SET name = excluded.name, position = excluded.position",
    )
    .bind(&industry.code)
    .bind(&industry.name)
    .bind(industry.position)
    .execute(conn)
    .await?;
    Ok(industry)
}

/// Removes an industry that no customer uses; one in use is a conflict, not a silent orphaning.
pub async fn delete(conn: &mut SqliteConnection, code: &str) -> Result<()> {
    let used: i64 = sqlx::query_scalar("SELECT count(*) FROM customers WHERE industry_code = ?")
        .bind(code)
        .fetch_one(&mut *conn)
        .await?;
    if used > 0 {
        return Err(Error::Conflict(FieldErrors::from([("code".into(), "in_use".into())])));
    }
    let done = sqlx::query("DELETE FROM industries WHERE code = ?").bind(code).execute(conn).await?;
    if done.rows_affected() == 0 {
        return Err(Error::NotFound { entity: "industry", id: code.into() });
    }
    Ok(())
}
