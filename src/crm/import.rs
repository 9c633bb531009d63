//! The import engine: read → map → parse with the form's rules → find duplicates in the file
//! and the ledger → write everything in one transaction, or nothing.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use chrono::Datelike;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use super::customers::catalog;
use super::Crm;
use crate::customers::history::{self, HistoryAction};
use crate::customers::{self, Catalog, Customer, CustomerInput, NewCustomer};
use crate::domain::half_width;
use crate::import::job::{
    fill_empty, CellIssue, DuplicatePolicy, ImportPreview, ImportProgress, ImportRecord, ImportReport, ImportRequest,
    MappingTemplate, PreviewRow, RowProblem,
};
use crate::import::mapping::header_key;
use crate::import::rows::{row_input, RowInput};
use crate::import::{detect_header, header_names, read_sheet, sheet_names, suggest, Cell, ImportError, Target};
use crate::{Error, Result};

/// The sheet as read, with its header and mapping settled.
struct Loaded {
    file_name: String,
    sheets: Vec<String>,
    sheet: String,
    first_row: u32,
    header: usize,
    headers: Vec<String>,
    mapping: Vec<Target>,
    rows: Vec<Vec<Cell>>,
}

impl Loaded {
    fn excel_row(&self, index: usize) -> u32 {
        self.first_row + index as u32 + 1
    }

    fn data(&self) -> impl Iterator<Item = (u32, &Vec<Cell>)> {
        self.rows.iter().enumerate().skip(self.header + 1).map(|(i, r)| (self.excel_row(i), r))
    }
}

fn read(req: &ImportRequest, templates: &[MappingTemplate], custom_labels: &[String]) -> Result<Loaded> {
    let path = PathBuf::from(&req.path);
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let sheets = sheet_names(&path)?;
    let sheet = req.sheet.clone().or_else(|| sheets.first().cloned()).unwrap_or_default();
    let grid = read_sheet(&path, req.sheet.as_deref())?;
    let header = match req.header_row {
        Some(row) => (row as usize).checked_sub(grid.first_row as usize + 1).filter(|i| *i < grid.rows.len()).ok_or_else(|| Error::invalid("headerRow", "out_of_range"))?,
        None => detect_header(&grid.rows).ok_or(Error::Import(ImportError::NoHeader))?,
    };
    let headers = header_names(&grid.rows[header]);
    let width = grid.rows.iter().map(Vec::len).max().unwrap_or(0).max(headers.len());
    let mapping = match (&req.mapping, &req.template) {
        (Some(m), _) => {
            if m.len() > width {
                return Err(Error::invalid("mapping", "out_of_range"));
            }
            m.clone()
        }
        (None, Some(name)) => {
            let t = templates.iter().find(|t| &t.name == name).ok_or(Error::NotFound { entity: "mapping template", id: name.clone() })?;
            headers.iter().map(|h| t.mapping.get(&header_key(h)).cloned().unwrap_or(Target::Ignore)).collect()
        }
        (None, None) => {
            // A header that names a custom field means that field, even where it is also a
            // built-in alias (预计成交金额).
            let mut mapping = suggest(&headers);
            for (target, header) in mapping.iter_mut().zip(&headers) {
                if let Some(label) = custom_labels.iter().find(|l| header_key(l) == header_key(header)) {
                    *target = Target::Custom(label.clone());
                }
            }
            mapping
        }
    };
    if !mapping.contains(&Target::Name) && !mapping.contains(&Target::ContactName) {
        return Err(Error::invalid("mapping", "name_unmapped"));
    }
    Ok(Loaded { file_name, sheets, sheet, first_row: grid.first_row, header, headers, mapping, rows: grid.rows })
}

/// A row the rules accepted, or why not.
enum Parsed {
    Blank,
    Rejected(Vec<(usize, String)>),
    Valid { input: CustomerInput, customer: NewCustomer, warnings: Vec<(usize, String)> },
}

/// An industry the list does not know exactly: "制造业-专用设备制造" is 制造业. Anything else is
/// set aside with a warning rather than losing the row.
fn settle_industry(row: &mut RowInput, catalog: &Catalog) -> Option<(usize, String)> {
    let raw = row.input.industry.clone()?;
    let col = row.columns.get("industry").copied().unwrap_or(0);
    if catalog.industry(&raw).is_some() {
        return None;
    }
    let text = half_width(&raw).trim().to_owned();
    // Both ways round: 制造业-专用设备制造 is 制造业, and 金融 is 金融业.
    let found = catalog.industries.iter().find(|i| text.starts_with(&i.name)).or_else(|| {
        let mut candidates = catalog.industries.iter().filter(|i| text.chars().count() >= 2 && i.name.starts_with(&text));
        match (candidates.next(), candidates.next()) {
            (Some(only), None) => Some(only),
            _ => None,
        }
    });
    match found {
        Some(found) => {
            row.input.industry = Some(found.code.clone());
            None
        }
        None => {
            row.input.industry = None;
            row.input.notes = Some(match row.input.notes.take() {
                Some(n) => format!("{n}；所属行业：{raw}"),
                None => format!("所属行业：{raw}"),
            });
            Some((col, "unknown_industry".to_owned()))
        }
    }
}

fn parse_row(cells: &[Cell], loaded: &Loaded, catalog: &Catalog) -> Parsed {
    let mut row = row_input(cells, &loaded.headers, &loaded.mapping, &catalog.fields);
    if row.blank {
        return Parsed::Blank;
    }
    // A sheet of people has only 客户姓名: the person is the customer.
    if row.input.name.trim().is_empty() && row.input.contacts.len() == 1 && !loaded.mapping.contains(&Target::Name) {
        let person = row.input.contacts.remove(0);
        row.input.name = person.name;
        row.input.kind = Some(crate::customers::CustomerKind::Person);
        row.input.phone = person.phones.first().cloned();
        row.input.email = person.email;
        if let Some(col) = row.columns.remove("contacts.0.name") {
            row.columns.insert("name".into(), col);
        }
        if let Some(col) = row.columns.remove("contacts.0.phones.0") {
            row.columns.insert("phone".into(), col);
        }
    }
    let warnings: Vec<(usize, String)> = settle_industry(&mut row, catalog).into_iter().collect();
    let mut problems: Vec<(usize, String)> = row.cell_errors.iter().map(|(c, code)| (*c, code.to_string())).collect();
    match NewCustomer::parse(&row.input, catalog) {
        Ok(customer) if problems.is_empty() => Parsed::Valid { input: row.input, customer, warnings },
        Ok(_) => Parsed::Rejected(problems),
        Err(err) => {
            for (field, code) in err.fields() {
                let col = row
                    .columns
                    .get(&field)
                    .or_else(|| field.rsplit_once('.').and_then(|(prefix, _)| row.columns.get(prefix)))
                    .copied()
                    .or_else(|| loaded.mapping.iter().position(|t| *t == Target::Name))
                    .unwrap_or(0);
                problems.push((col, code));
            }
            Parsed::Rejected(problems)
        }
    }
}

/// The identities a row can collide on, strongest first.
fn keys(c: &NewCustomer) -> Vec<String> {
    let mut k: Vec<String> = c.number.iter().map(|n| format!("n:{n}")).collect();
    k.extend(c.phones().map(|p| format!("p:{p}")));
    k.extend(c.emails().map(|e| format!("e:{e}")));
    k.push(format!("k:{}", c.name.key()));
    k
}

/// Looks the keys of many rows up in the ledger with a few IN queries instead of one query
/// per row. Answers key → (customer id, name).
async fn existing(conn: &mut SqliteConnection, rows: &[&NewCustomer]) -> Result<HashMap<String, (i64, String)>> {
    let mut found = HashMap::new();
    for chunk in rows.chunks(300) {
        let phones: Vec<String> = chunk.iter().flat_map(|c| c.phones().map(|p| p.to_string())).collect();
        let emails: Vec<String> = chunk.iter().flat_map(|c| c.emails().map(|e| e.to_string())).collect();
        let names: Vec<String> = chunk.iter().map(|c| c.name.key()).collect();
        let numbers: Vec<String> = chunk.iter().filter_map(|c| c.number.clone()).collect();
        for (prefix, kind, values) in [("p", "phone", &phones), ("e", "email", &emails)] {
            if values.is_empty() {
                continue;
            }
            let mut qb = QueryBuilder::<Sqlite>::new(
                "SELECT k.value, c.id, c.name FROM customer_keys k JOIN customers c ON c.id = k.customer_id
                 WHERE c.deleted_at IS NULL AND k.kind = ",
            );
            qb.push_bind(kind).push(" AND k.value IN (");
            let mut sep = qb.separated(", ");
            values.iter().for_each(|v| {
                sep.push_bind(v.clone());
            });
            qb.push(")");
            let hits: Vec<(String, i64, String)> = qb.build_query_as().fetch_all(&mut *conn).await?;
            for (value, id, name) in hits {
                found.entry(format!("{prefix}:{value}")).or_insert((id, name));
            }
        }
        for (prefix, column, values) in [("k", "name_key", &names), ("n", "number", &numbers)] {
            if values.is_empty() {
                continue;
            }
            let mut qb = QueryBuilder::<Sqlite>::new("SELECT ");
            qb.push(column).push(", id, name FROM customers WHERE deleted_at IS NULL AND ").push(column).push(" IN (");
            let mut sep = qb.separated(", ");
            values.iter().for_each(|v| {
                sep.push_bind(v.clone());
            });
            qb.push(")");
            let hits: Vec<(String, i64, String)> = qb.build_query_as().fetch_all(&mut *conn).await?;
            for (value, id, name) in hits {
                found.entry(format!("{prefix}:{value}")).or_insert((id, name));
            }
        }
    }
    Ok(found)
}

/// What happens to each valid row.
enum Fate {
    Create,
    /// Folded into an earlier row of this file (its index among the creates).
    IntoEarlier(usize),
    IntoExisting(i64),
    Skip,
}

struct Plan {
    creates: Vec<(u32, CustomerInput)>,
    merges: BTreeMap<i64, Vec<CustomerInput>>,
    merged: u32,
    skipped: u32,
    rejected: Vec<(u32, Vec<(usize, String)>)>,
    warnings: Vec<(u32, Vec<(usize, String)>)>,
    blank: u32,
    duplicate_of: HashMap<u32, String>,
}

async fn plan(conn: &mut SqliteConnection, loaded: &Loaded, catalog: &Catalog, policy: DuplicatePolicy) -> Result<Plan> {
    let mut p = Plan {
        creates: Vec::new(),
        merges: BTreeMap::new(),
        merged: 0,
        skipped: 0,
        rejected: Vec::new(),
        warnings: Vec::new(),
        blank: 0,
        duplicate_of: HashMap::new(),
    };
    let mut valid: Vec<(u32, CustomerInput, NewCustomer)> = Vec::new();
    for (row, cells) in loaded.data() {
        match parse_row(cells, loaded, catalog) {
            Parsed::Blank => p.blank += 1,
            Parsed::Rejected(problems) => p.rejected.push((row, problems)),
            Parsed::Valid { input, customer, warnings } => {
                if !warnings.is_empty() {
                    p.warnings.push((row, warnings));
                }
                valid.push((row, input, customer));
            }
        }
    }
    let refs: Vec<&NewCustomer> = valid.iter().map(|(_, _, c)| c).collect();
    let in_ledger = existing(conn, &refs).await?;
    let mut in_file: HashMap<String, (usize, u32)> = HashMap::new();
    for (row, input, customer) in valid {
        let keys = keys(&customer);
        let fate = if let Some((id, name)) = keys.iter().find_map(|k| in_ledger.get(k)) {
            p.duplicate_of.insert(row, name.clone());
            match policy {
                DuplicatePolicy::Merge => Fate::IntoExisting(*id),
                DuplicatePolicy::Skip => Fate::Skip,
                DuplicatePolicy::Create => Fate::Create,
            }
        } else if let Some((index, earlier)) = keys.iter().find_map(|k| in_file.get(k)) {
            p.duplicate_of.insert(row, format!("#{earlier}"));
            match policy {
                DuplicatePolicy::Merge => Fate::IntoEarlier(*index),
                DuplicatePolicy::Skip => Fate::Skip,
                DuplicatePolicy::Create => Fate::Create,
            }
        } else {
            Fate::Create
        };
        match fate {
            Fate::Create => {
                for k in keys {
                    in_file.entry(k).or_insert((p.creates.len(), row));
                }
                p.creates.push((row, input));
            }
            Fate::IntoEarlier(index) => {
                fill_empty(&mut p.creates[index].1, &input);
                p.merged += 1;
            }
            Fate::IntoExisting(id) => {
                p.merges.entry(id).or_default().push(input);
                p.merged += 1;
            }
            Fate::Skip => p.skipped += 1,
        }
    }
    Ok(p)
}

fn problems(loaded: &Loaded, list: &[(u32, Vec<(usize, String)>)]) -> Vec<RowProblem> {
    list.iter()
        .flat_map(|(row, issues)| {
            issues.iter().map(move |(col, code)| RowProblem {
                row: *row,
                column: loaded.headers.get(*col).cloned().unwrap_or_default(),
                reason: code.clone(),
            })
        })
        .collect()
}

fn display(cell: &Cell) -> String {
    match cell {
        Cell::Number(_) => crate::import::parse::phone_text(cell).unwrap_or_default(),
        other => crate::import::parse::clean_text(other).unwrap_or_default(),
    }
}

/// A template's size: a header row's columns and the header cells' text.
const MAX_TEMPLATE_COLUMNS: usize = 1000;
const MAX_HEADER_CHARS: usize = 1000;

impl Crm {
    async fn load(&self, req: &ImportRequest) -> Result<Loaded> {
        let templates = self.mapping_templates().await?;
        let labels: Vec<String> = self.custom_fields().await?.into_iter().map(|f| f.label).collect();
        let req = req.clone();
        tokio::task::spawn_blocking(move || read(&req, &templates, &labels))
            .await
            .map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?
    }

    pub async fn import_sheets(&self, path: &Path) -> Result<Vec<String>> {
        let path = path.to_path_buf();
        tokio::task::spawn_blocking(move || sheet_names(&path))
            .await
            .map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?
            .map_err(Error::from)
    }

    /// Everything the wizard shows before anything is written.
    pub async fn import_preview(&self, req: &ImportRequest, sample: usize) -> Result<ImportPreview> {
        let loaded = self.load(req).await?;
        let mut conn = self.pool.acquire().await?;
        let catalog = catalog(&mut conn).await?;
        let p = plan(&mut conn, &loaded, &catalog, req.on_duplicate).await?;
        let issues: HashMap<u32, &Vec<(usize, String)>> = p.rejected.iter().map(|(r, i)| (*r, i)).collect();
        let rows = loaded
            .data()
            .filter(|(_, cells)| !cells.iter().all(Cell::is_empty))
            .take(sample)
            .map(|(row, cells)| PreviewRow {
                row,
                cells: (0..loaded.headers.len()).map(|i| cells.get(i).map(display).unwrap_or_default()).collect(),
                issues: issues
                    .get(&row)
                    .map(|list| list.iter().map(|(c, code)| CellIssue { column: *c as u32, code: code.clone() }).collect())
                    .unwrap_or_default(),
                duplicate_of: p.duplicate_of.get(&row).cloned(),
            })
            .collect();
        let total = loaded.data().filter(|(_, c)| !c.iter().all(Cell::is_empty)).count() as u32;
        Ok(ImportPreview {
            file_name: loaded.file_name.clone(),
            sheets: loaded.sheets.clone(),
            sheet: loaded.sheet.clone(),
            header_row: loaded.excel_row(loaded.header),
            headers: loaded.headers.clone(),
            mapping: loaded.mapping.clone(),
            rows,
            total_rows: total,
            invalid_rows: p.rejected.len() as u32,
            duplicate_rows: p.duplicate_of.len() as u32,
        })
    }

    /// Runs an import: all of it lands in one transaction, or nothing does (`dry_run`,
    /// cancellation, any error). `progress` hears after every batch.
    pub async fn import(
        &self,
        req: &ImportRequest,
        dry_run: bool,
        cancel: &AtomicBool,
        progress: &(dyn Fn(ImportProgress) + Send + Sync),
    ) -> Result<ImportReport> {
        let started = Instant::now();
        let loaded = self.load(req).await?;
        let now = self.now();
        let year = self.zone.to_local(now).year();
        if !dry_run {
            self.backup_into_folder(crate::backup::BackupKind::PreImport, now).await?;
        }
        let mut tx = self.write().await?;
        let catalog = catalog(&mut tx).await?;
        let p = plan(&mut tx, &loaded, &catalog, req.on_duplicate).await?;
        let total = (p.creates.len() + p.merges.len()) as u32;
        let report = |id: Option<i64>, imported: u32| ImportReport {
            import_id: id,
            file_name: loaded.file_name.clone(),
            imported,
            merged: p.merged,
            skipped: p.skipped,
            rejected: p.rejected.len() as u32,
            blank: p.blank,
            errors: problems(&loaded, &p.rejected),
            warnings: problems(&loaded, &p.warnings),
            elapsed_ms: started.elapsed().as_millis() as u64,
        };
        if dry_run {
            return Ok(report(None, p.creates.len() as u32));
        }
        let import_id: i64 = sqlx::query_scalar(
            "INSERT INTO imports (file_name, sheet, at, policy, imported, merged, skipped, rejected)
             VALUES (?, ?, ?, ?, 0, 0, 0, 0) RETURNING id",
        )
        .bind(&loaded.file_name)
        .bind(&loaded.sheet)
        .bind(crate::db::to_ms(now))
        .bind(req.on_duplicate.as_str())
        .fetch_one(&mut *tx)
        .await?;

        // Numbers continue each industry's sequence; one lookup per industry.
        let mut next: HashMap<Option<String>, u64> = HashMap::new();
        let mut done = 0u32;
        let mut first_id = None;
        let mut last_id = None;
        for chunk in p.creates.chunks(5000) {
            if cancel.load(Ordering::Relaxed) {
                return Err(Error::Cancelled);
            }
            let mut rows = Vec::with_capacity(chunk.len());
            for (_, input) in chunk {
                let customer = NewCustomer::parse(input, &catalog)?;
                let number = match &customer.number {
                    Some(n) => n.clone(),
                    None => {
                        let code = customer.industry.as_ref().map(|i| i.code.clone());
                        let seq = match next.get(&code) {
                            Some(seq) => *seq,
                            None => customers::next_number(&mut tx, year, code.as_deref())
                                .await?
                                .rsplit('-')
                                .next()
                                .and_then(|n| n.parse().ok())
                                .unwrap_or(1),
                        };
                        next.insert(code.clone(), seq + 1);
                        format!("{year}-{}-{seq:03}", code.as_deref().unwrap_or("GEN"))
                    }
                };
                rows.push((customer, self.ids.next_uid(now), number));
            }
            let ids = customers::insert_batch(&mut tx, &rows, now).await?;
            first_id = first_id.or(ids.first().copied());
            last_id = ids.last().copied().or(last_id);
            done += chunk.len() as u32;
            let secs = started.elapsed().as_secs_f64().max(0.001);
            progress(ImportProgress { done, total, rows_per_sec: done as f64 / secs });
        }
        for (id, inputs) in &p.merges {
            if cancel.load(Ordering::Relaxed) {
                return Err(Error::Cancelled);
            }
            let before = customers::get(&mut tx, *id).await?;
            let mut merged = before.to_input();
            for input in inputs {
                fill_empty(&mut merged, input);
            }
            let customer = NewCustomer::parse(&merged, &catalog)?;
            customers::update(&mut tx, *id, &customer, now).await?;
            let after = customers::get(&mut tx, *id).await?;
            for change in history::diff(&before, &after) {
                history::record(&mut tx, *id, now, HistoryAction::Update, Some(&change)).await?;
            }
            sqlx::query("INSERT INTO import_merges (import_id, customer_id, before) VALUES (?, ?, ?)")
                .bind(import_id)
                .bind(id)
                .bind(serde_json::to_string(&before).expect("customer serializes"))
                .execute(&mut *tx)
                .await?;
            done += 1;
        }
        let imported = p.creates.len() as u32;
        sqlx::query(
            "UPDATE imports SET imported = ?, merged = ?, skipped = ?, rejected = ?, first_id = ?, last_id = ? WHERE id = ?",
        )
        .bind(imported)
        .bind(p.merged)
        .bind(p.skipped)
        .bind(p.rejected.len() as u32)
        .bind(first_id)
        .bind(last_id)
        .bind(import_id)
        .execute(&mut *tx)
        .await?;
        let details = serde_json::json!({ "file": loaded.file_name, "sheet": loaded.sheet, "imported": imported, "merged": p.merged, "skipped": p.skipped, "rejected": p.rejected.len() });
        crate::audit::record(&mut tx, now, crate::audit::AuditAction::Import, Some(("import", import_id.to_string())), details).await?;
        if cancel.load(Ordering::Relaxed) {
            return Err(Error::Cancelled);
        }
        tx.commit().await?;
        let secs = started.elapsed().as_secs_f64().max(0.001);
        progress(ImportProgress { done, total, rows_per_sec: done as f64 / secs });
        Ok(report(Some(import_id), imported))
    }

    pub async fn imports(&self) -> Result<Vec<ImportRecord>> {
        Ok(sqlx::query_as(
            "SELECT id, file_name, sheet, at, policy, imported, merged, skipped, rejected, undone_at
             FROM imports ORDER BY id DESC LIMIT 200",
        )
        .fetch_all(&mut *self.pool.acquire().await?)
        .await?)
    }

    /// Undoes an import (the last one not yet undone, without `id`): the customers it
    /// created are removed, the ones it merged into get back their exact former profile.
    pub async fn undo_import(&self, id: Option<i64>) -> Result<ImportRecord> {
        let now = self.now();
        let mut tx = self.write().await?;
        let record: Option<(i64, Option<i64>, Option<i64>, Option<i64>)> = match id {
            Some(id) => sqlx::query_as("SELECT id, first_id, last_id, undone_at FROM imports WHERE id = ?").bind(id).fetch_optional(&mut *tx).await?,
            None => sqlx::query_as("SELECT id, first_id, last_id, undone_at FROM imports WHERE undone_at IS NULL ORDER BY id DESC LIMIT 1")
                .fetch_optional(&mut *tx)
                .await?,
        };
        let (import_id, first, last, undone) =
            record.ok_or(Error::NotFound { entity: "import", id: id.map(|i| i.to_string()).unwrap_or_else(|| "last".into()) })?;
        if undone.is_some() {
            return Err(Error::invalid("id", "already_undone"));
        }
        let catalog = catalog(&mut tx).await?;
        let merges: Vec<(i64, String)> = sqlx::query_as("SELECT customer_id, before FROM import_merges WHERE import_id = ?")
            .bind(import_id)
            .fetch_all(&mut *tx)
            .await?;
        for (customer_id, before) in merges {
            let before: Customer = serde_json::from_str(&before).map_err(|e| Error::Io(std::io::Error::other(e)))?;
            let current = customers::get(&mut tx, customer_id).await?;
            let restored = NewCustomer::parse(&before.to_input(), &catalog)?;
            customers::update(&mut tx, customer_id, &restored, before.updated_at).await?;
            let after = customers::get(&mut tx, customer_id).await?;
            for change in history::diff(&current, &after) {
                history::record(&mut tx, customer_id, now, HistoryAction::Update, Some(&change)).await?;
            }
        }
        if let (Some(first), Some(last)) = (first, last) {
            sqlx::query("UPDATE customers SET merged_into = NULL WHERE merged_into BETWEEN ? AND ?")
                .bind(first)
                .bind(last)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM customer_search WHERE rowid BETWEEN ? AND ?").bind(first).bind(last).execute(&mut *tx).await?;
            sqlx::query("DELETE FROM customer_grams WHERE rowid BETWEEN ? AND ?").bind(first).bind(last).execute(&mut *tx).await?;
            sqlx::query("DELETE FROM customers WHERE id BETWEEN ? AND ?").bind(first).bind(last).execute(&mut *tx).await?;
        }
        sqlx::query("UPDATE imports SET undone_at = ? WHERE id = ?").bind(crate::db::to_ms(now)).bind(import_id).execute(&mut *tx).await?;
        let record: ImportRecord = sqlx::query_as(
            "SELECT id, file_name, sheet, at, policy, imported, merged, skipped, rejected, undone_at FROM imports WHERE id = ?",
        )
        .bind(import_id)
        .fetch_one(&mut *tx)
        .await?;
        let details = serde_json::json!({ "file": record.file_name, "removed": record.imported });
        crate::audit::record(&mut tx, now, crate::audit::AuditAction::ImportUndo, Some(("import", import_id.to_string())), details).await?;
        tx.commit().await?;
        Ok(record)
    }

    pub async fn mapping_templates(&self) -> Result<Vec<MappingTemplate>> {
        let rows: Vec<(String, String)> =
            sqlx::query_as("SELECT name, mapping FROM import_mappings ORDER BY name").fetch_all(&mut *self.pool.acquire().await?).await?;
        Ok(rows
            .into_iter()
            .map(|(name, mapping)| MappingTemplate { name, mapping: serde_json::from_str(&mapping).unwrap_or_default() })
            .collect())
    }

    /// Saves the mapping of these headers under a name, for the next sheet of the same shape.
    pub async fn save_mapping_template(&self, name: &str, headers: &[String], mapping: &[Target]) -> Result<MappingTemplate> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 50 {
            return Err(Error::invalid("name", if name.is_empty() { "required" } else { "too_long" }));
        }
        // A sheet's columns, each header as a cell holds it; the template is read back on every
        // import, so it stays the size of a header row.
        if headers.len() > MAX_TEMPLATE_COLUMNS || mapping.len() > MAX_TEMPLATE_COLUMNS {
            return Err(Error::invalid("headers", "too_long"));
        }
        if headers.iter().any(|h| h.chars().count() > MAX_HEADER_CHARS) {
            return Err(Error::invalid("headers", "too_long"));
        }
        let map: BTreeMap<String, Target> = headers
            .iter()
            .zip(mapping)
            .filter(|(h, t)| !h.trim().is_empty() && **t != Target::Ignore)
            .map(|(h, t)| (header_key(h), t.clone()))
            .collect();
        sqlx::query(
            "INSERT INTO import_mappings (name, mapping, updated_at) VALUES (?, ?, ?)
             ON CONFLICT (name) DO UPDATE SET mapping = excluded.mapping, updated_at = excluded.updated_at",
        )
        .bind(name)
        .bind(serde_json::to_string(&map).expect("mapping serializes"))
        .bind(crate::db::to_ms(self.now()))
        .execute(&mut *self.pool.acquire().await?)
        .await?;
        Ok(MappingTemplate { name: name.to_owned(), mapping: map })
    }
}

impl Crm {
    /// The rows an import would reject, with their original cells and the reasons in the
    /// user's language: the sheet to fix and re-import.
    pub async fn import_rejected_rows(&self, req: &ImportRequest) -> Result<(Vec<String>, Vec<(u32, Vec<String>, String)>)> {
        let loaded = self.load(req).await?;
        let lang = self.language().await?;
        let mut conn = self.pool.acquire().await?;
        let catalog = catalog(&mut conn).await?;
        let p = plan(&mut conn, &loaded, &catalog, req.on_duplicate).await?;
        let rows = p
            .rejected
            .iter()
            .map(|(row, issues)| {
                let index = (*row - loaded.first_row - 1) as usize;
                let cells = loaded.rows.get(index).map(|r| r.iter().map(display).collect()).unwrap_or_default();
                let reason = issues
                    .iter()
                    .map(|(col, code)| {
                        let header = loaded.headers.get(*col).cloned().unwrap_or_default();
                        format!("{header}：{}", crate::texts::reason(code, lang))
                    })
                    .collect::<Vec<_>>()
                    .join("；");
                (*row, cells, reason)
            })
            .collect();
        Ok((loaded.headers.clone(), rows))
    }
}
