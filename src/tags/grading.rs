//! ABC grading from the value score (seed 001: A = 高价值/高潜力, B = 中等, C = 低), with
//! thresholds the user edits in 设置. A grade typed on the customer wins over the computed one.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;
use ts_rs::TS;

use crate::{settings, Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Grading {
    /// A from this score up.
    pub a_min: i64,
    /// B from this score up (below A); C under it.
    pub b_min: i64,
}

impl Default for Grading {
    fn default() -> Self {
        Grading { a_min: 70, b_min: 40 }
    }
}

impl Grading {
    pub fn grade(&self, score: i64) -> &'static str {
        if score >= self.a_min {
            "A"
        } else if score >= self.b_min {
            "B"
        } else {
            "C"
        }
    }

    /// The SQL (over `customers c`) for the customer's effective grade letter: the one typed
    /// (A, B类, c …), else the one its score earns. The thresholds are integers from a
    /// checked setting, so they are written into the text.
    pub fn effective_sql(&self) -> String {
        format!(
            "coalesce(CASE WHEN upper(substr(trim(c.grade), 1, 1)) IN ('A', 'B', 'C') THEN upper(substr(trim(c.grade), 1, 1)) END,
                      CASE WHEN c.value_score >= {a} THEN 'A' WHEN c.value_score >= {b} THEN 'B'
                           WHEN c.value_score IS NOT NULL THEN 'C' END)",
            a = self.a_min,
            b = self.b_min
        )
    }
}

const KEY: &str = "grading";

pub async fn load(conn: &mut SqliteConnection) -> Result<Grading> {
    Ok(settings::get(conn, KEY).await?.unwrap_or_default())
}

pub async fn save(conn: &mut SqliteConnection, value: Grading, now: DateTime<Utc>) -> Result<Grading> {
    if !(0..=100).contains(&value.a_min) {
        return Err(Error::invalid("aMin", "out_of_range"));
    }
    if !(0..value.a_min).contains(&value.b_min) {
        return Err(Error::invalid("bMin", "out_of_range"));
    }
    settings::put(conn, KEY, &value, now).await?;
    Ok(value)
}
