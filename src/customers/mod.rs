//! Customers: the 360° profile, its contacts and custom values, and every SQL statement on
//! them, split by concern (input parsing, storage, list queries, duplicates, merge, history).

pub mod duplicates;
pub mod history;
mod input;
mod list;
pub mod masked;
pub mod merge;
mod number;
mod sheet;
mod store;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

pub use input::{Catalog, NewContact, NewCustomer};
pub use list::{
    count as list_count, page as list_page, CustomerFilters, CustomerPage, CustomerRow, CustomerSort, ListQuery, PageQuery,
    Scope, SortField,
};
pub use number::next_number;
pub use sheet::{for_sheet, SheetBatch, SheetField, SheetParts, SheetRow};
pub(crate) use store::search_text;
pub use store::{
    get, get_many, insert, insert_batch, purge, refresh_derived, restore, set_deleted, stale_ids, update, write_contacts,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CustomerKind {
    /// 企业
    #[default]
    Org,
    /// 个人
    Person,
}

impl CustomerKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CustomerKind::Org => "org",
            CustomerKind::Person => "person",
        }
    }

    pub fn from_db(s: &str) -> Self {
        if s == "person" {
            CustomerKind::Person
        } else {
            CustomerKind::Org
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Contact {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub title: Option<String>,
    /// Normalized: 11-digit mobiles, `010-12345678[-ext]` landlines, `400-123-4567` hotlines.
    pub phones: Vec<String>,
    pub wechat: Option<String>,
    pub email: Option<String>,
    pub decision_maker: bool,
    /// Role in the decision chain, e.g. 总经理 / 采购 / 技术把关.
    pub role: Option<String>,
}

/// A custom field's stored value: text, number, date (`YYYY-MM-DD`), money (fen), choice(s).
pub type CustomValues = BTreeMap<String, Value>;

/// A customer as the detail page, the CLI's `get --json` and the export see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Customer {
    #[ts(type = "number")]
    pub id: i64,
    pub uid: String,
    /// 客户编号, e.g. 2024-MFG-001.
    pub number: Option<String>,
    pub kind: CustomerKind,
    pub name: String,
    pub industry_code: Option<String>,
    /// The industry's name, for display.
    pub industry: Option<String>,
    #[ts(type = "number | null")]
    pub employees: Option<i64>,
    /// Annual revenue in fen.
    #[ts(type = "number | null")]
    pub revenue_fen: Option<i64>,
    pub region: Option<String>,
    pub address: Option<String>,
    pub source: Option<String>,
    /// `YYYY-MM-DD`.
    pub first_contact: Option<String>,
    pub owner: Option<String>,
    pub grade: Option<String>,
    pub stage: Option<String>,
    pub needs: Option<String>,
    pub notes: Option<String>,
    /// The customer's own number (a person's mobile, a company's switchboard), normalized.
    pub phone: Option<String>,
    pub email: Option<String>,
    pub contacts: Vec<Contact>,
    #[ts(type = "Record<string, string | number | string[]>")]
    pub custom: CustomValues,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Set while the customer is in the recycle bin.
    pub deleted_at: Option<DateTime<Utc>>,
    /// Set when this record was merged into another one.
    #[ts(type = "number | null")]
    pub merged_into: Option<i64>,
    /// The latest follow-up's time.
    pub last_followup_at: Option<DateTime<Utc>>,
    /// The earliest open next step (下一步计划) and when it is due.
    pub next_action: Option<String>,
    pub next_action_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ContactInput {
    /// The contact being edited; absent for a new one.
    #[serde(default)]
    #[ts(optional, type = "number")]
    pub id: Option<i64>,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    #[ts(optional)]
    pub title: Option<String>,
    #[serde(default)]
    pub phones: Vec<String>,
    #[serde(default)]
    #[ts(optional)]
    pub wechat: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub email: Option<String>,
    #[serde(default)]
    pub decision_maker: bool,
    #[serde(default)]
    #[ts(optional)]
    pub role: Option<String>,
}

/// What a form, the CLI or an import row submits: raw text, parsed by [`NewCustomer::parse`].
/// On update it replaces the whole editable profile (contacts included).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CustomerInput {
    #[serde(default)]
    #[ts(optional)]
    pub kind: Option<CustomerKind>,
    /// Leave empty to have one generated (YEAR-INDUSTRYCODE-SEQ).
    #[serde(default)]
    #[ts(optional)]
    pub number: Option<String>,
    pub name: String,
    /// An industry code (MFG) or name (制造业) from the managed list.
    #[serde(default)]
    #[ts(optional)]
    pub industry: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub employees: Option<String>,
    /// Annual revenue as typed: 5000万, ¥300,000, 300000.00.
    #[serde(default)]
    #[ts(optional)]
    pub revenue: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub region: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub address: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub source: Option<String>,
    /// 2024-03-01, 2024/3/1, 2024年3月1日 …
    #[serde(default)]
    #[ts(optional)]
    pub first_contact: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub owner: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub grade: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub stage: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub needs: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub notes: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub phone: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub email: Option<String>,
    #[serde(default)]
    pub contacts: Vec<ContactInput>,
    /// Custom field key → value (text, or a list for multiple choice).
    #[serde(default)]
    #[ts(type = "Record<string, string | number | string[] | null>")]
    pub custom: BTreeMap<String, Value>,
}

impl Customer {
    /// The input that would save this customer unchanged: the starting point of an edit.
    pub fn to_input(&self) -> CustomerInput {
        CustomerInput {
            kind: Some(self.kind),
            number: self.number.clone(),
            name: self.name.clone(),
            industry: self.industry_code.clone(),
            employees: self.employees.map(|n| n.to_string()),
            revenue: self.revenue_fen.map(crate::money::fen_to_yuan_text),
            region: self.region.clone(),
            address: self.address.clone(),
            source: self.source.clone(),
            first_contact: self.first_contact.clone(),
            owner: self.owner.clone(),
            grade: self.grade.clone(),
            stage: self.stage.clone(),
            needs: self.needs.clone(),
            notes: self.notes.clone(),
            phone: self.phone.clone(),
            email: self.email.clone(),
            contacts: self
                .contacts
                .iter()
                .map(|c| ContactInput {
                    id: Some(c.id),
                    name: c.name.clone(),
                    title: c.title.clone(),
                    phones: c.phones.clone(),
                    wechat: c.wechat.clone(),
                    email: c.email.clone(),
                    decision_maker: c.decision_maker,
                    role: c.role.clone(),
                })
                .collect(),
            custom: self.custom.clone(),
        }
    }
}
