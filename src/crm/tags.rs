//! Tags, segments and the value score as the desktop and the CLI use them.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Crm;
use crate::customers::ListQuery;
use crate::segments::{self, Segment};
use crate::settings::{self, Language};
use crate::tags::{self, auto, score::ScoreDetail, Tag, TagGroup};
use crate::{reminders, Error, Result};

/// Which customers a bulk tag change applies to: a selection, or everything a list query
/// (search, filter) matches.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", tag = "kind")]
#[ts(export)]
pub enum TagTarget {
    Selection {
        #[ts(type = "number[]")]
        ids: Vec<i64>,
    },
    Query {
        query: ListQuery,
    },
}

/// A filter as the builder shows it: its canonical text and a sentence.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FilterSummary {
    pub filter: String,
    pub summary: String,
}

/// A selection is ticked by hand, page by page; everything a search or filter matches goes
/// as a query instead. The tags changed at once are a handful from the bulk bar.
const MAX_SELECTION: usize = 10_000;
const MAX_TAGS_AT_ONCE: usize = 200;

/// The day the last full refresh of automatic tags and scores ran.
const REFRESHED_ON: &str = "values_refreshed_on";

/// Customer ids per transaction of the full refresh (about a second of work at most).
pub const REFRESH_BATCH: i64 = 50_000;

impl Crm {
    pub async fn tag_groups(&self) -> Result<Vec<TagGroup>> {
        tags::groups(&mut *self.pool.acquire().await?).await
    }

    pub async fn add_tag_group(&self, name: &str) -> Result<TagGroup> {
        tags::add_group(&mut *self.pool.acquire().await?, name).await
    }

    pub async fn tags(&self) -> Result<Vec<Tag>> {
        tags::list(&mut *self.pool.acquire().await?).await
    }

    /// Adds a tag to a group named by id, code or name.
    pub async fn add_tag(&self, name: &str, group: &str, color: &str) -> Result<Tag> {
        let mut tx = self.write().await?;
        let groups = tags::groups(&mut tx).await?;
        let group = groups
            .iter()
            .find(|g| g.id.to_string() == group || g.code.as_deref() == Some(group) || g.name == group)
            .ok_or_else(|| Error::invalid("group", "unknown_group"))?;
        let id = tags::add(&mut tx, name, group.id, color).await?;
        let tag = tags::get(&mut tx, id).await?;
        tx.commit().await?;
        Ok(tag)
    }

    /// Renames, recolours or regroups a tag; segments that name it follow a rename.
    pub async fn update_tag(&self, id: i64, name: &str, group_id: i64, color: &str) -> Result<Tag> {
        let now = self.now();
        let mut tx = self.write().await?;
        let old = tags::update(&mut tx, id, name, group_id, color).await?;
        let tag = tags::get(&mut tx, id).await?;
        segments::rename_tag(&mut tx, &old, &tag.name, now).await?;
        tx.commit().await?;
        Ok(tag)
    }

    pub async fn merge_tags(&self, from: i64, into: i64) -> Result<Tag> {
        let now = self.now();
        let mut tx = self.write().await?;
        let gone = tags::get(&mut tx, from).await?;
        let kept = tags::get(&mut tx, into).await?;
        tags::merge(&mut tx, from, into).await?;
        segments::rename_tag(&mut tx, &gone.name, &kept.name, now).await?;
        let tag = tags::get(&mut tx, into).await?;
        let details = serde_json::json!({ "from": gone.name, "into": kept.name });
        crate::audit::record(&mut tx, now, crate::audit::AuditAction::TagMerge, Some(("tag", into.to_string())), details).await?;
        tx.commit().await?;
        Ok(tag)
    }

    /// Deletes a tag and its links. Segments naming it then report it as unknown.
    pub async fn delete_tag(&self, id: i64) -> Result<()> {
        let now = self.now();
        let mut tx = self.write().await?;
        let tag = tags::get(&mut tx, id).await?;
        tags::delete(&mut tx, id).await?;
        let details = serde_json::json!({ "name": tag.name });
        crate::audit::record(&mut tx, now, crate::audit::AuditAction::TagDelete, Some(("tag", id.to_string())), details).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Adds and removes tags on many customers in one transaction; returns the links changed.
    pub async fn tag_customers(&self, target: &TagTarget, add: &[i64], remove: &[i64]) -> Result<u64> {
        if add.len() + remove.len() > MAX_TAGS_AT_ONCE {
            return Err(Error::invalid("add", "too_long"));
        }
        if matches!(target, TagTarget::Selection { ids } if ids.len() > MAX_SELECTION) {
            return Err(Error::invalid("target.ids", "too_long"));
        }
        let ids = match target {
            TagTarget::Selection { ids } => ids.clone(),
            TagTarget::Query { query } => self.matching_ids(query).await?,
        };
        let mut tx = self.write().await?;
        let known: Vec<i64> = tags::list(&mut tx).await?.iter().map(|t| t.id).collect();
        if let Some(bad) = add.iter().chain(remove).find(|t| !known.contains(t)) {
            return Err(Error::NotFound { entity: "tag", id: bad.to_string() });
        }
        let changed = tags::apply(&mut tx, &ids, add, remove).await?;
        tx.commit().await?;
        Ok(changed)
    }

    async fn matching_ids(&self, query: &ListQuery) -> Result<Vec<i64>> {
        let mut q = ListQuery { limit: ListQuery::MAX_LIMIT, cursor: None, with_total: false, ..query.clone() };
        let mut ids = Vec::new();
        loop {
            let page = self.list_customers(&q).await?;
            ids.extend(page.items.iter().map(|c| c.id));
            match page.next_cursor {
                Some(next) => q.cursor = Some(next),
                None => return Ok(ids),
            }
        }
    }

    /// A customer's tags: (tag id, set by a rule).
    pub async fn customer_tags(&self, customer_id: i64) -> Result<Vec<(i64, bool)>> {
        tags::of_customer(&mut *self.pool.acquire().await?, customer_id).await
    }

    /// Checks a filter and words it; the error points at the place that is wrong.
    pub async fn describe_filter(&self, filter: &str, lang: Language) -> Result<FilterSummary> {
        let mut conn = self.pool.acquire().await?;
        let compiled = segments::prepare(&mut conn, Some(filter), self.now(), self.zone).await?;
        Ok(match compiled {
            Some(c) => FilterSummary { filter: c.expr.to_text(), summary: segments::describe(&c.expr, lang) },
            None => FilterSummary { filter: String::new(), summary: String::new() },
        })
    }

    /// The segments, with their live counts when asked.
    pub async fn segments(&self, with_counts: bool) -> Result<Vec<Segment>> {
        let mut list = segments::list(&mut *self.pool.acquire().await?).await?;
        if with_counts {
            for s in &mut list {
                let q = ListQuery { limit: 1, filter: Some(s.filter.clone()), ..Default::default() };
                // A segment naming a since-deleted tag has no count rather than failing the list.
                s.count = self.count_customers(&q).await.ok();
            }
        }
        Ok(list)
    }

    /// Saves a filter under a name (replacing that segment's filter if the name exists).
    pub async fn save_segment(&self, name: &str, filter: &str) -> Result<Segment> {
        let name = segment_name(name)?;
        let now = self.now();
        let mut tx = self.write().await?;
        let compiled = segments::prepare(&mut tx, Some(filter), now, self.zone).await?.ok_or_else(|| Error::invalid("filter", "required"))?;
        let id = segments::save(&mut tx, name, &compiled.expr.to_text(), now).await?;
        let segment = segments::get(&mut tx, id).await?;
        tx.commit().await?;
        Ok(segment)
    }

    pub async fn rename_segment(&self, id: i64, name: &str) -> Result<Segment> {
        let name = segment_name(name)?;
        let mut conn = self.pool.acquire().await?;
        segments::rename(&mut conn, id, name, self.now()).await?;
        segments::get(&mut conn, id).await
    }

    pub async fn delete_segment(&self, id: i64) -> Result<()> {
        segments::delete(&mut *self.pool.acquire().await?, id).await
    }

    pub async fn segment_by_name(&self, name: &str) -> Result<Segment> {
        segments::by_name(&mut *self.pool.acquire().await?, name).await?.ok_or(Error::NotFound { entity: "segment", id: name.to_owned() })
    }

    /// The customer's value score with what drives it, computed now.
    pub async fn customer_score(&self, customer_id: i64) -> Result<ScoreDetail> {
        let now = self.now();
        let mut tx = self.write().await?;
        crate::customers::get(&mut tx, customer_id).await?;
        let fall = reminders::load_settings(&mut tx).await?.score_drop;
        tags::score::refresh(&mut tx, now, &fall, auto::Scope::Customer(customer_id)).await?;
        let mut detail =
            tags::score::detail(&mut tx, customer_id, &fall, now).await?.ok_or(Error::NotFound { entity: "customer", id: customer_id.to_string() })?;
        let grading = tags::grading::load(&mut tx).await?;
        let typed = crate::customers::get(&mut tx, customer_id).await?.grade;
        let letter = typed.and_then(|g| g.trim().chars().next()).map(|c| c.to_ascii_uppercase()).filter(|c| "ABC".contains(*c));
        detail.grade = Some(letter.map(String::from).unwrap_or_else(|| grading.grade(detail.score).to_owned()));
        tx.commit().await?;
        Ok(detail)
    }

    pub async fn grading(&self) -> Result<tags::grading::Grading> {
        tags::grading::load(&mut *self.pool.acquire().await?).await
    }

    /// New ABC thresholds; cadence reminders not yet announced follow them.
    pub async fn set_grading(&self, value: tags::grading::Grading) -> Result<tags::grading::Grading> {
        let now = self.now();
        let mut tx = self.write().await?;
        let saved = tags::grading::save(&mut tx, value, now).await?;
        super::settings_changed(&mut tx, now, "grading", &saved).await?;
        let settings = reminders::load_settings(&mut tx).await?;
        reminders::rules::withdraw_pending(&mut tx, reminders::rules::Scope::All).await?;
        reminders::rules::run(&mut tx, &settings, now, self.zone, reminders::rules::Scope::All).await?;
        tx.commit().await?;
        Ok(saved)
    }

    /// Recomputes every automatic tag and score over the whole ledger, a batch of customer ids
    /// per transaction so the app's other writes wait for one batch, not for the whole ledger.
    pub async fn refresh_values(&self) -> Result<()> {
        self.refresh_values_in_batches(REFRESH_BATCH).await
    }

    /// [`Self::refresh_values`] with `batch` customer ids per transaction.
    pub async fn refresh_values_in_batches(&self, batch: i64) -> Result<()> {
        let batch = batch.max(1);
        let now = self.now();
        let (settings, ids) = {
            let mut conn = self.pool.acquire().await?;
            let ids: (Option<i64>, Option<i64>) = sqlx::query_as("SELECT min(id), max(id) FROM customers").fetch_one(&mut *conn).await?;
            (reminders::load_settings(&mut conn).await?, ids)
        };
        if let (Some(first), Some(last)) = ids {
            let mut from = first;
            while from <= last {
                let to = from.saturating_add(batch);
                let scope = auto::Scope::Range(from, to);
                let mut tx = self.write().await?;
                // The score first: 流失预警 compares it with its recent high.
                tags::score::refresh(&mut tx, now, &settings.score_drop, scope).await?;
                auto::refresh(&mut tx, &settings, now, scope).await?;
                tx.commit().await?;
                from = to;
            }
        }
        let mut conn = self.pool.acquire().await?;
        settings::put(&mut conn, REFRESHED_ON, &self.zone.today(now), now).await?;
        Ok(())
    }

    /// New thresholds for the automatic tags: the scheduler's next pass recomputes them rather
    /// than waiting for tomorrow.
    pub(crate) async fn values_outdated(conn: &mut sqlx::SqliteConnection, now: chrono::DateTime<chrono::Utc>) -> Result<()> {
        settings::put(conn, REFRESHED_ON, &None::<NaiveDate>, now).await
    }

    /// The daily full refresh, when today's has not run yet (recency and "days without
    /// contact" move with the calendar, not with writes).
    pub async fn refresh_values_daily(&self) -> Result<bool> {
        let today = self.zone.today(self.now());
        let last: Option<NaiveDate> = settings::get(&mut *self.pool.acquire().await?, REFRESHED_ON).await?;
        if last == Some(today) {
            return Ok(false);
        }
        self.refresh_values().await?;
        Ok(true)
    }
}

fn segment_name(name: &str) -> Result<&str> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::invalid("name", "required"));
    }
    if name.chars().count() > 40 {
        return Err(Error::invalid("name", "too_long"));
    }
    Ok(name)
}
