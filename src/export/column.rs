//! The columns a customer export can have, and what each is called in the sheet.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::custom_fields::{CustomField, CustomFieldKind};
use crate::domain::half_width;
use crate::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Column {
    Number,
    Kind,
    Name,
    Industry,
    Employees,
    Revenue,
    Region,
    Address,
    Source,
    FirstContact,
    Owner,
    Grade,
    Stage,
    /// The customer's tags, by name.
    Tags,
    /// 价值分, 0–100.
    ValueScore,
    Needs,
    Notes,
    /// The customer's own number.
    Phone,
    Email,
    ContactName,
    ContactTitle,
    ContactPhones,
    ContactWechat,
    ContactEmail,
    CreatedAt,
    UpdatedAt,
    /// A user-defined field, by its key (`cf_1`).
    Custom(String),
}

/// Every built-in column with its CLI name and its header. The headers are import aliases,
/// so an exported sheet re-imports without remapping.
const BUILT_IN: [(Column, &str, &str); 26] = [
    (Column::Number, "number", "客户编号"),
    (Column::Name, "name", "客户名称"),
    (Column::Kind, "kind", "客户类型"),
    (Column::Industry, "industry", "所属行业"),
    (Column::Employees, "employees", "员工人数"),
    (Column::Revenue, "revenue", "年营业额"),
    (Column::Region, "region", "地区"),
    (Column::Address, "address", "地址"),
    (Column::Source, "source", "客户来源"),
    (Column::FirstContact, "first_contact", "首次接触时间"),
    (Column::Owner, "owner", "负责人"),
    (Column::Grade, "grade", "客户等级"),
    (Column::Stage, "stage", "客户阶段"),
    (Column::Tags, "tags", "标签"),
    (Column::ValueScore, "value_score", "价值分"),
    (Column::Phone, "phone", "电话"),
    (Column::Email, "email", "邮箱"),
    (Column::ContactName, "contact_name", "联系人"),
    (Column::ContactTitle, "contact_title", "职位"),
    (Column::ContactPhones, "contact_phones", "联系人电话"),
    (Column::ContactWechat, "contact_wechat", "微信"),
    (Column::ContactEmail, "contact_email", "联系人邮箱"),
    (Column::Needs, "needs", "需求描述"),
    (Column::Notes, "notes", "备注"),
    (Column::CreatedAt, "created_at", "创建时间"),
    (Column::UpdatedAt, "updated_at", "更新时间"),
];

impl Column {
    /// Every built-in column, in the order a sales sheet usually has them.
    pub fn default_set() -> Vec<Column> {
        BUILT_IN.iter().map(|(column, _, _)| column.clone()).collect()
    }

    /// The default set followed by every custom field, in the fields' order.
    pub fn all(fields: &[CustomField]) -> Vec<Column> {
        let mut columns = Column::default_set();
        columns.extend(fields.iter().map(|f| Column::Custom(f.key.clone())));
        columns
    }

    /// Reads the CLI's `--columns number,name,phone,cf_1`: the snake_case names, a bare
    /// `cf_N` for a custom field, or a header as the sheet shows it (`客户名称`).
    /// An unknown name is the field error `columns.<name>: unknown_field`.
    pub fn parse_list(list: &str) -> Result<Vec<Column>> {
        let list = half_width(list);
        let mut columns = Vec::new();
        for name in list.split([',', ';', '、']).map(str::trim).filter(|s| !s.is_empty()) {
            let column =
                Column::parse(name).ok_or_else(|| Error::invalid(&format!("columns.{name}"), "unknown_field"))?;
            if !columns.contains(&column) {
                columns.push(column);
            }
        }
        if columns.is_empty() {
            return Err(Error::invalid("columns", "required"));
        }
        Ok(columns)
    }

    fn parse(name: &str) -> Option<Column> {
        let lower = name.to_lowercase().replace('-', "_");
        if let Some((column, _, _)) = BUILT_IN.iter().find(|(_, snake, header)| *snake == lower || *header == name) {
            return Some(column.clone());
        }
        let key = lower.strip_prefix("custom:").unwrap_or(&lower);
        let digits = key.strip_prefix("cf_")?;
        (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())).then(|| Column::Custom(key.to_owned()))
    }

    /// The header cell: a fixed Chinese name, or the custom field's label (its key if the
    /// field no longer exists, so the column is still recognisable).
    pub fn header(&self, fields: &[CustomField]) -> String {
        match self {
            Column::Custom(key) => field(fields, key).map_or_else(|| key.clone(), |f| f.label.clone()),
            built_in => {
                BUILT_IN.iter().find(|(c, _, _)| c == built_in).map(|(_, _, h)| (*h).to_owned()).unwrap_or_default()
            }
        }
    }

    /// Width in Excel character units. Constant-memory sheets cannot autofit, so this is a
    /// guess from what the column typically holds, never narrower than its header.
    pub(super) fn width(&self, fields: &[CustomField]) -> f64 {
        let typical = match self {
            Column::Number => 16.0,
            Column::Kind | Column::Grade | Column::ValueScore => 10.0,
            Column::Tags => 30.0,
            Column::Name => 30.0,
            Column::Industry | Column::Region | Column::Source | Column::Stage | Column::Owner => 14.0,
            Column::Employees => 10.0,
            Column::Revenue => 16.0,
            Column::Address => 36.0,
            Column::FirstContact => 13.0,
            Column::Needs | Column::Notes => 40.0,
            Column::Phone => 16.0,
            Column::Email | Column::ContactEmail => 26.0,
            Column::ContactName | Column::ContactTitle => 16.0,
            Column::ContactPhones => 28.0,
            Column::ContactWechat => 20.0,
            Column::CreatedAt | Column::UpdatedAt => 17.0,
            Column::Custom(key) => match field(fields, key).map(|f| f.kind) {
                Some(CustomFieldKind::Date) => 13.0,
                Some(CustomFieldKind::Money) => 16.0,
                Some(CustomFieldKind::Number) => 12.0,
                Some(CustomFieldKind::Multi) => 24.0,
                _ => 18.0,
            },
        };
        f64::max(typical, super::cells::display_width(&self.header(fields)) + 2.0)
    }
}

pub(super) fn field<'f>(fields: &'f [CustomField], key: &str) -> Option<&'f CustomField> {
    fields.iter().find(|f| f.key == key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_as_snake_case_with_custom_as_object() {
        let columns = vec![Column::FirstContact, Column::ContactPhones, Column::Custom("cf_1".into())];
        let json = serde_json::to_string(&columns).unwrap();
        assert_eq!(json, r#"["first_contact","contact_phones",{"custom":"cf_1"}]"#);
        assert_eq!(serde_json::from_str::<Vec<Column>>(&json).unwrap(), columns);
    }

    #[test]
    fn the_cli_names_are_the_serde_names() {
        for (column, snake, _) in BUILT_IN {
            assert_eq!(serde_json::to_value(&column).unwrap(), snake, "{column:?}");
        }
    }

    #[test]
    fn parse_list_reads_names_custom_keys_and_headers() {
        let columns = Column::parse_list("number, name,phone，cf_1,客户阶段, Created-At, number").unwrap();
        assert_eq!(
            columns,
            vec![
                Column::Number,
                Column::Name,
                Column::Phone,
                Column::Custom("cf_1".into()),
                Column::Stage,
                Column::CreatedAt
            ]
        );
    }

    #[test]
    fn parse_list_names_the_unknown_column() {
        let err = Column::parse_list("name,phone_number").unwrap_err();
        assert_eq!(err.fields().get("columns.phone_number").map(String::as_str), Some("unknown_field"));
        assert!(Column::parse_list("cf_").is_err());
        assert!(Column::parse_list("cf_x").is_err());
        assert_eq!(
            Column::parse_list(" , ").unwrap_err().fields().get("columns").map(String::as_str),
            Some("required")
        );
    }

    #[test]
    fn every_built_in_column_is_listed_once() {
        let set = Column::default_set();
        assert_eq!(set.len(), 26);
        let unique: std::collections::HashSet<_> = set.iter().collect();
        assert_eq!(unique.len(), set.len());
        assert!(set.iter().all(|c| !c.header(&[]).is_empty()));
    }

    #[test]
    fn a_custom_header_is_the_label_or_the_key_of_a_deleted_field() {
        let fields = vec![CustomField {
            id: 1,
            key: "cf_1".into(),
            label: "预计成交金额".into(),
            kind: CustomFieldKind::Money,
            options: vec![],
            position: 1,
            in_list: true,
        }];
        assert_eq!(Column::Custom("cf_1".into()).header(&fields), "预计成交金额");
        assert_eq!(Column::Custom("cf_9".into()).header(&fields), "cf_9");
        assert!(Column::Custom("cf_1".into()).width(&fields) >= 16.0);
    }
}
