//! Files the ledger writes for people: customer lists, the import template, rejected rows.

use std::collections::HashMap;
use std::path::Path;

use super::Crm;
use crate::customers::{self, Customer, ListQuery, SheetBatch, SheetField, SheetParts, SheetRow};
use crate::export::{write_rejected, write_template, Column, CustomerSheet, CustomerWriter, TagsAndScore};
use crate::import::job::ImportRequest;
use crate::{custom_fields, industries, tags, Error, Result};

/// The stages offered in the template's drop-down, in funnel order.
pub const STAGES: &[&str] = &["潜在客户", "意向客户", "方案提交", "合同谈判", "成交", "流失"];

impl Crm {
    /// Writes every customer matching `query` (its limit and cursor aside) into an .xlsx. The
    /// ledger is read in batches of exactly the chosen columns while other threads take the
    /// batches apart and write them into a constant-memory sheet: memory stays flat however
    /// long the list, and the export takes about as long as writing the file alone.
    pub async fn export_customers(&self, query: &ListQuery, columns: &[Column], mask: bool, path: &Path) -> Result<u64> {
        let now = self.now();
        let mut conn = self.pool.acquire().await?;
        let fields = custom_fields::list(&mut conn).await?;
        let sheet = CustomerSheet { columns, fields: &fields, zone: self.zone, mask };
        let mut writer = CustomerWriter::create(path, sheet)?;
        let filter = crate::segments::prepare(&mut conn, query.filter.as_deref(), now, self.zone).await?;
        let parts = sheet_parts(columns);
        // Tag names in the tags' own order, by id.
        let tag_names: HashMap<i64, (usize, String)> = if parts.tags {
            tags::names(&mut conn).await?.into_iter().enumerate().map(|(at, (id, name))| (id, (at, name))).collect()
        } else {
            HashMap::new()
        };
        // Three stages, each on its own thread: SQLite reads a batch (sqlx's thread), one
        // thread takes the last batch apart, another writes the one before into the sheet.
        let (batches, mut read_batches) = tokio::sync::mpsc::channel::<SheetBatch>(4);
        let (rows, mut incoming) = tokio::sync::mpsc::channel::<Vec<SheetRow>>(4);
        let parsing = tokio::task::spawn_blocking(move || -> Result<()> {
            while let Some(batch) = read_batches.blocking_recv() {
                if rows.blocking_send(batch.rows()?).is_err() {
                    break;
                }
            }
            Ok(())
        });
        let writing = tokio::task::spawn_blocking(move || -> Result<CustomerWriter> {
            while let Some(batch) = incoming.blocking_recv() {
                let (customers, extra) = with_tag_names(batch, &tag_names);
                writer.write(&customers, &extra)?;
            }
            Ok(writer)
        });
        let read = customers::for_sheet(&mut conn, query, filter.as_ref(), &parts, 1000, &batches).await;
        drop(batches);
        let parsed = parsing.await.map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?;
        let writer = writing.await.map_err(|e| Error::Io(std::io::Error::other(e.to_string())))??;
        read?;
        parsed?;
        let rows = tokio::task::spawn_blocking(move || writer.finish())
            .await
            .map_err(|e| Error::Io(std::io::Error::other(e.to_string())))??;
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

/// What the chosen columns need read of each customer.
fn sheet_parts(columns: &[Column]) -> SheetParts {
    let mut parts = SheetParts::default();
    for column in columns {
        let field = match column {
            Column::Number => SheetField::Number,
            Column::Kind => SheetField::Kind,
            Column::Name => SheetField::Name,
            Column::Industry => SheetField::Industry,
            Column::Employees => SheetField::Employees,
            Column::Revenue => SheetField::Revenue,
            Column::Region => SheetField::Region,
            Column::Address => SheetField::Address,
            Column::Source => SheetField::Source,
            Column::FirstContact => SheetField::FirstContact,
            Column::Owner => SheetField::Owner,
            Column::Grade => SheetField::Grade,
            Column::Stage => SheetField::Stage,
            Column::Needs => SheetField::Needs,
            Column::Notes => SheetField::Notes,
            Column::Phone => SheetField::Phone,
            Column::Email => SheetField::Email,
            Column::Custom(_) => SheetField::Custom,
            Column::ContactName | Column::ContactTitle | Column::ContactPhones | Column::ContactWechat | Column::ContactEmail => {
                parts.contacts = true;
                continue;
            }
            Column::Tags => {
                parts.tags = true;
                continue;
            }
            Column::ValueScore => {
                parts.value_score = true;
                continue;
            }
            Column::CreatedAt | Column::UpdatedAt => continue,
        };
        parts.fields.insert(field);
    }
    parts
}

/// A batch as the writer takes it: the customers, and their tag names (in the tags' order)
/// and scores by id.
fn with_tag_names(batch: Vec<SheetRow>, names: &HashMap<i64, (usize, String)>) -> (Vec<Customer>, HashMap<i64, TagsAndScore>) {
    let mut extra = HashMap::with_capacity(batch.len());
    let customers = batch
        .into_iter()
        .map(|row| {
            // Nothing to say is left out: the writer's default is no tags and no score.
            if !row.tag_ids.is_empty() || row.value_score.is_some() {
                let mut tags: Vec<&(usize, String)> = row.tag_ids.iter().filter_map(|id| names.get(id)).collect();
                tags.sort_unstable_by_key(|(at, _)| *at);
                let tags = tags.into_iter().map(|(_, name)| name.clone()).collect();
                extra.insert(row.customer.id, TagsAndScore { tags, score: row.value_score });
            }
            row.customer
        })
        .collect();
    (customers, extra)
}
