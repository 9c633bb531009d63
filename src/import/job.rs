//! What the import wizard, the CLI and the engine exchange, and the pure rules of folding
//! a duplicate row into a record.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::mapping::Target;
use crate::customers::CustomerInput;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DuplicatePolicy {
    /// Fill the record's empty fields, unite contacts, keep its non-empty values.
    #[default]
    Merge,
    Skip,
    Create,
}

impl DuplicatePolicy {
    pub fn as_str(self) -> &'static str {
        match self {
            DuplicatePolicy::Merge => "merge",
            DuplicatePolicy::Skip => "skip",
            DuplicatePolicy::Create => "create",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportRequest {
    pub path: String,
    #[serde(default)]
    #[ts(optional)]
    pub sheet: Option<String>,
    /// The header's row number as Excel shows it (1-based); absent: detected.
    #[serde(default)]
    #[ts(optional)]
    pub header_row: Option<u32>,
    /// One target per column; absent: the named template's, else suggested from the headers.
    #[serde(default)]
    #[ts(optional)]
    pub mapping: Option<Vec<Target>>,
    #[serde(default)]
    #[ts(optional)]
    pub template: Option<String>,
    #[serde(default)]
    pub on_duplicate: DuplicatePolicy,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CellIssue {
    /// 0-based column index.
    pub column: u32,
    /// A field error code (`phone_invalid`, `required`, `date_invalid` …).
    pub code: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PreviewRow {
    /// The row number as Excel shows it.
    pub row: u32,
    pub cells: Vec<String>,
    pub issues: Vec<CellIssue>,
    /// Whom this row duplicates: an existing customer's name, or `#N` for an earlier row.
    pub duplicate_of: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportPreview {
    pub file_name: String,
    pub sheets: Vec<String>,
    pub sheet: String,
    pub header_row: u32,
    pub headers: Vec<String>,
    pub mapping: Vec<Target>,
    /// The first rows, for the preview table.
    pub rows: Vec<PreviewRow>,
    /// Counts over the whole sheet.
    pub total_rows: u32,
    pub invalid_rows: u32,
    pub duplicate_rows: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RowProblem {
    pub row: u32,
    /// The column's header text.
    pub column: String,
    /// A field error code.
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportReport {
    /// Absent for a dry run.
    #[ts(type = "number | null")]
    pub import_id: Option<i64>,
    pub file_name: String,
    pub imported: u32,
    pub merged: u32,
    pub skipped: u32,
    pub rejected: u32,
    pub blank: u32,
    pub errors: Vec<RowProblem>,
    /// Imported, but with a value set aside (an industry not in the list …).
    pub warnings: Vec<RowProblem>,
    #[ts(type = "number")]
    pub elapsed_ms: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportProgress {
    pub done: u32,
    pub total: u32,
    pub rows_per_sec: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS, sqlx::FromRow)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportRecord {
    #[ts(type = "number")]
    pub id: i64,
    pub file_name: String,
    pub sheet: Option<String>,
    #[ts(type = "number")]
    pub at: i64,
    pub policy: String,
    #[ts(type = "number")]
    pub imported: i64,
    #[ts(type = "number")]
    pub merged: i64,
    #[ts(type = "number")]
    pub skipped: i64,
    #[ts(type = "number")]
    pub rejected: i64,
    #[ts(type = "number | null")]
    pub undone_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MappingTemplate {
    pub name: String,
    /// Normalized header text → target.
    pub mapping: std::collections::BTreeMap<String, Target>,
}

fn fill_text(into: &mut Option<String>, from: &Option<String>) {
    if into.as_deref().is_none_or(|s| s.trim().is_empty()) {
        into.clone_from(from);
    }
}

/// Folds a duplicate row into a record: empty fields are filled, non-empty ones are kept,
/// contacts are united (a contact sharing a name or a phone is the same person).
pub fn fill_empty(into: &mut CustomerInput, from: &CustomerInput) {
    if into.name.trim().is_empty() {
        into.name.clone_from(&from.name);
    }
    for (a, b) in [
        (&mut into.number, &from.number),
        (&mut into.industry, &from.industry),
        (&mut into.employees, &from.employees),
        (&mut into.revenue, &from.revenue),
        (&mut into.region, &from.region),
        (&mut into.address, &from.address),
        (&mut into.source, &from.source),
        (&mut into.first_contact, &from.first_contact),
        (&mut into.owner, &from.owner),
        (&mut into.grade, &from.grade),
        (&mut into.stage, &from.stage),
        (&mut into.needs, &from.needs),
        (&mut into.notes, &from.notes),
        (&mut into.phone, &from.phone),
        (&mut into.email, &from.email),
    ] {
        fill_text(a, b);
    }
    if into.kind.is_none() {
        into.kind = from.kind;
    }
    for contact in &from.contacts {
        let known = into.contacts.iter_mut().find(|c| {
            (!contact.name.is_empty() && c.name == contact.name) || c.phones.iter().any(|p| contact.phones.contains(p))
        });
        match known {
            Some(c) => {
                for phone in &contact.phones {
                    if !c.phones.contains(phone) {
                        c.phones.push(phone.clone());
                    }
                }
                fill_text(&mut c.title, &contact.title);
                fill_text(&mut c.wechat, &contact.wechat);
                fill_text(&mut c.email, &contact.email);
                fill_text(&mut c.role, &contact.role);
            }
            None => into.contacts.push(crate::customers::ContactInput { id: None, ..contact.clone() }),
        }
    }
    for (key, value) in &from.custom {
        into.custom.entry(key.clone()).or_insert_with(|| value.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::customers::ContactInput;

    #[test]
    fn fill_empty_keeps_what_is_there_and_unites_contacts() {
        let mut into = CustomerInput {
            name: "华信科技有限公司".into(),
            owner: Some("王经理".into()),
            region: Some("  ".into()),
            contacts: vec![ContactInput { name: "李总".into(), phones: vec!["13912345678".into()], ..Default::default() }],
            ..Default::default()
        };
        let from = CustomerInput {
            name: "华信科技".into(),
            owner: Some("陈经理".into()),
            region: Some("深圳".into()),
            email: Some("info@huaxin.com".into()),
            contacts: vec![
                ContactInput { name: "李总".into(), phones: vec!["0755-86001234".into()], wechat: Some("lixxx".into()), ..Default::default() },
                ContactInput { name: "赵工".into(), phones: vec!["13700001111".into()], ..Default::default() },
            ],
            ..Default::default()
        };
        fill_empty(&mut into, &from);
        assert_eq!(into.name, "华信科技有限公司");
        assert_eq!(into.owner.as_deref(), Some("王经理"));
        assert_eq!(into.region.as_deref(), Some("深圳"));
        assert_eq!(into.email.as_deref(), Some("info@huaxin.com"));
        assert_eq!(into.contacts.len(), 2);
        assert_eq!(into.contacts[0].phones, ["13912345678", "0755-86001234"]);
        assert_eq!(into.contacts[0].wechat.as_deref(), Some("lixxx"));
        assert_eq!(into.contacts[1].name, "赵工");
    }
}
