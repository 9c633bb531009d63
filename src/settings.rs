//! User preferences, stored in the ledger so the desktop and the CLI see the same ones.

use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;
use ts_rs::TS;

use crate::db::to_ms;
use crate::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum Language {
    #[default]
    #[serde(rename = "zh-CN")]
    ZhCn,
    #[serde(rename = "en")]
    En,
}

impl Language {
    pub fn parse(raw: &str) -> Result<Self> {
        match raw {
            "zh-CN" => Ok(Language::ZhCn),
            "en" => Ok(Language::En),
            _ => Err(Error::invalid("language", "unsupported")),
        }
    }
}

const LANGUAGE: &str = "language";

pub async fn get<T: serde::de::DeserializeOwned>(conn: &mut SqliteConnection, key: &str) -> Result<Option<T>> {
    let raw: Option<String> =
        sqlx::query_scalar("SELECT value FROM settings WHERE key = ?").bind(key).fetch_optional(conn).await?;
    // A value written by a newer or broken version is ignored rather than blocking start-up.
    Ok(raw.and_then(|v| serde_json::from_str(&v).ok()))
}

pub async fn put<T: Serialize>(
    conn: &mut SqliteConnection,
    key: &str,
    value: &T,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    let json = serde_json::to_string(value).expect("settings values serialize");
    sqlx::query(
        "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
    )
    .bind(key)
    .bind(json)
    .bind(to_ms(now))
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn language(conn: &mut SqliteConnection) -> Result<Language> {
    Ok(get(conn, LANGUAGE).await?.unwrap_or_default())
}

const MASK_LISTS: &str = "mask_lists";

/// Whether customer lists show phones and e-mails masked (动态脱敏): off until turned on.
pub async fn mask_lists(conn: &mut SqliteConnection) -> Result<bool> {
    Ok(get(conn, MASK_LISTS).await?.unwrap_or(false))
}

pub async fn set_mask_lists(conn: &mut SqliteConnection, on: bool, now: chrono::DateTime<chrono::Utc>) -> Result<()> {
    put(conn, MASK_LISTS, &on, now).await
}

pub async fn set_language(
    conn: &mut SqliteConnection,
    language: Language,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    put(conn, LANGUAGE, &language, now).await
}

/// The UI's own remembered choices (list columns, sort order) live under this prefix; the
/// key after it is limited so a buggy caller cannot fill the table with junk keys.
pub fn ui_pref_key(key: &str) -> Result<String> {
    let valid = !key.is_empty() && key.len() <= 40 && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'_');
    if valid {
        Ok(format!("ui.{key}"))
    } else {
        Err(Error::invalid("key", "key_invalid"))
    }
}
