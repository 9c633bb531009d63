//! A deal filter's condition on the deal's customer, in the customer list's filter language
//! (`tag:高价值客户 AND NOT tag:流失预警`, a saved segment's filter), so the kanban, the funnel
//! and the forecast can be narrowed to a tag or a segment.

use std::fmt;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use crate::segments::{self, Compiled};
use crate::{Error, Result, Zone};

/// The filter as typed and, once [`prepare`](Self::prepare)d, checked against the ledger's
/// tags and fields at a moment (relative dates), ready to become SQL. It travels as its text.
#[derive(Clone, Default)]
pub struct CustomerFilter {
    text: String,
    checked: Option<Arc<Compiled>>,
}

impl CustomerFilter {
    pub fn new(text: impl Into<String>) -> Self {
        CustomerFilter { text: text.into(), checked: None }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn is_empty(&self) -> bool {
        self.text.trim().is_empty()
    }

    /// Parses and checks the filter; a mistake is the field error `filter` with `filter.at`,
    /// as in the customer list.
    pub async fn prepare(&mut self, conn: &mut SqliteConnection, now: DateTime<Utc>, zone: Zone) -> Result<()> {
        self.checked = segments::prepare(conn, Some(self.text.as_str()), now, zone).await?.map(Arc::new);
        Ok(())
    }

    /// ` AND d.customer_id IN (the matching live customers)`; nothing for an empty filter.
    /// Every value is bound (see `segments::compile`).
    pub(crate) fn push(&self, qb: &mut QueryBuilder<Sqlite>) -> Result<()> {
        if self.is_empty() {
            return Ok(());
        }
        // The façade prepares every filter it is given; one that was not is a caller's bug,
        // answered as an error rather than as every deal.
        let checked = self.checked.as_ref().ok_or_else(|| Error::invalid("customerFilter", "filter_unchecked"))?;
        qb.push(" AND d.customer_id IN (SELECT c.id FROM customers c WHERE c.deleted_at IS NULL");
        segments::compile::push(qb, &checked.expr, &checked.names);
        qb.push(")");
        Ok(())
    }
}

impl fmt::Debug for CustomerFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CustomerFilter({:?})", self.text)
    }
}

/// Two filters are the same filter when they read the same.
impl PartialEq for CustomerFilter {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Serialize for CustomerFilter {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for CustomerFilter {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        String::deserialize(deserializer).map(CustomerFilter::new)
    }
}
