//! Tags, filters, segments and the value score: thin commands over the core.

use yiben::segments::Segment;
use yiben::tags::score::ScoreDetail;
use yiben::tags::{Tag, TagGroup};
use yiben::{Error, FilterSummary, TagTarget};

use crate::session::Ledger;

type Result<T> = std::result::Result<T, Error>;

#[tauri::command]
pub async fn tag_groups_list(crm: Ledger) -> Result<Vec<TagGroup>> {
    crm.tag_groups().await
}

#[tauri::command]
pub async fn tag_group_add(crm: Ledger, name: String) -> Result<TagGroup> {
    crm.add_tag_group(&name).await
}

#[tauri::command]
pub async fn tags_list(crm: Ledger) -> Result<Vec<Tag>> {
    crm.tags().await
}

#[tauri::command]
pub async fn tag_add(crm: Ledger, name: String, group: String, color: String) -> Result<Tag> {
    crm.add_tag(&name, &group, &color).await
}

#[tauri::command]
pub async fn tag_update(crm: Ledger, id: i64, name: String, group_id: i64, color: String) -> Result<Tag> {
    crm.update_tag(id, &name, group_id, &color).await
}

#[tauri::command]
pub async fn tag_merge(crm: Ledger, from: i64, into: i64) -> Result<Tag> {
    crm.merge_tags(from, into).await
}

#[tauri::command]
pub async fn tag_delete(crm: Ledger, id: i64) -> Result<()> {
    crm.delete_tag(id).await
}

#[tauri::command]
pub async fn customers_tag(crm: Ledger, target: TagTarget, add: Vec<i64>, remove: Vec<i64>) -> Result<u64> {
    crm.tag_customers(&target, &add, &remove).await
}

/// A customer's tags as `[tagId, setByARule]` pairs.
#[tauri::command]
pub async fn customer_tags(crm: Ledger, customer_id: i64) -> Result<Vec<(i64, bool)>> {
    crm.customer_tags(customer_id).await
}

#[tauri::command]
pub async fn filter_describe(crm: Ledger, filter: String) -> Result<FilterSummary> {
    let language = crm.language().await?;
    crm.describe_filter(&filter, language).await
}

#[tauri::command]
pub async fn segments_list(crm: Ledger, with_counts: bool) -> Result<Vec<Segment>> {
    crm.segments(with_counts).await
}

#[tauri::command]
pub async fn segment_save(crm: Ledger, name: String, filter: String) -> Result<Segment> {
    crm.save_segment(&name, &filter).await
}

#[tauri::command]
pub async fn segment_rename(crm: Ledger, id: i64, name: String) -> Result<Segment> {
    crm.rename_segment(id, &name).await
}

#[tauri::command]
pub async fn segment_delete(crm: Ledger, id: i64) -> Result<()> {
    crm.delete_segment(id).await
}

#[tauri::command]
pub async fn customer_score(crm: Ledger, customer_id: i64) -> Result<ScoreDetail> {
    crm.customer_score(customer_id).await
}

#[tauri::command]
pub async fn grading_get(crm: Ledger) -> Result<yiben::tags::grading::Grading> {
    crm.grading().await
}

#[tauri::command]
pub async fn grading_set(crm: Ledger, grading: yiben::tags::grading::Grading) -> Result<yiben::tags::grading::Grading> {
    crm.set_grading(grading).await
}
