//! Files the ledger writes for people: customer lists, the import template, rejected rows.

use std::collections::HashMap;
use std::path::Path;

use super::Crm;
use crate::customers::{self, ListQuery};
use crate::export::{write_rejected, write_template, Column, CustomerSheet, CustomerWriter, TagsAndScore};
use crate::import::job::ImportRequest;
use crate::{custom_fields, industries, tags, Result};

/// The stages offered in the template's drop-down, in funnel order.
pub const STAGES: &[&str] = &["潜在客户", "意向客户", "方案提交", "合同谈判", "成交", "流失"];

impl Crm {
    /// Streams every customer matching `query` (its own limit is the page size) into an .xlsx,
    /// a page at a time, so memory stays flat however long the list is.
    pub async fn export_customers(&self, query: &ListQuery, columns: &[Column], mask: bool, path: &Path) -> Result<u64> {
        let now = self.now();
        let mut conn = self.pool.acquire().await?;
        let fields = custom_fields::list(&mut conn).await?;
        let sheet = CustomerSheet { columns, fields: &fields, zone: self.zone, mask };
        let mut writer = CustomerWriter::create(path, sheet)?;
        let filter = crate::segments::prepare(&mut conn, query.filter.as_deref(), now, self.zone).await?;
        let tags = tags::names(&mut conn).await?;
        let mut page_query = ListQuery { limit: 500, with_total: false, cursor: None, ..query.clone() };
        loop {
            let page = customers::list_page(&mut conn, &page_query, filter.as_ref()).await?;
            let ids: Vec<i64> = page.items.iter().map(|c| c.id).collect();
            // The page's rows carry tag ids and scores already; names go in the tags' own order.
            let extra: HashMap<i64, TagsAndScore> = page
                .items
                .iter()
                .map(|row| {
                    let names = tags.iter().filter(|(id, _)| row.tag_ids.contains(id)).map(|(_, name)| name.clone()).collect();
                    (row.id, TagsAndScore { tags: names, score: row.value_score })
                })
                .collect();
            writer.write(&customers::get_many(&mut conn, &ids).await?, &extra)?;
            match page.next_cursor {
                Some(next) => page_query.cursor = Some(next),
                None => break,
            }
        }
        let rows = writer.finish()?;
        let details = serde_json::json!({ "file": path.to_string_lossy(), "rows": rows, "masked": mask, "search": query.search, "filter": query.filter });
        crate::audit::record(&mut conn, now, crate::audit::AuditAction::CustomerExport, None, details).await?;
        Ok(rows)
    }

    pub async fn write_import_template(&self, path: &Path) -> Result<()> {
        let mut conn = self.pool.acquire().await?;
        let industries = industries::list(&mut conn).await?;
        let fields = custom_fields::list(&mut conn).await?;
        write_template(path, &industries, STAGES, &fields)
    }

    /// Writes the rows `req` would reject to an .xlsx; answers how many.
    pub async fn write_import_rejected(&self, req: &ImportRequest, path: &Path) -> Result<u32> {
        let (headers, rows) = self.import_rejected_rows(req).await?;
        write_rejected(path, &headers, &rows)?;
        Ok(rows.len() as u32)
    }
}
