//! One spreadsheet row → one [`CustomerInput`], cell by cell. The profile rules themselves
//! run afterwards in `NewCustomer::parse`, exactly as for the form; this step only turns
//! cells into the text a person would have typed, and remembers which column fed which
//! field so every error can point at a cell.

use std::collections::BTreeMap;

use serde_json::Value;

use super::cell::Cell;
use super::mapping::Target;
use super::parse::{amount_fen, clean_text, date, phone_text, split_combined};
use crate::custom_fields::CustomField;
use crate::customers::{ContactInput, CustomerInput, CustomerKind};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct RowInput {
    pub input: CustomerInput,
    /// Field path (as `NewCustomer::parse` names it) → the column that fed it.
    pub columns: BTreeMap<String, usize>,
    /// Problems found while reading cells (a date that is no date), by column.
    pub cell_errors: Vec<(usize, &'static str)>,
    /// Every cell of the row is empty: ignored, not rejected.
    pub blank: bool,
}

fn join(existing: &mut Option<String>, label: &str, value: &str, labelled: bool) {
    let piece = if labelled { format!("{label}：{value}") } else { value.to_owned() };
    *existing = Some(match existing.take() {
        Some(before) => format!("{before}；{piece}"),
        None => piece,
    });
}

/// A WeChat id is Latin letters, digits, `_` and `-`; anything else beside a phone is a note.
fn looks_like_wechat(text: &str) -> bool {
    let id = text.trim_start_matches(|c: char| !c.is_ascii_alphanumeric());
    !id.is_empty() && id.len() <= 30 && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

pub fn row_input(cells: &[Cell], headers: &[String], mapping: &[Target], fields: &[CustomField]) -> RowInput {
    let mut row = RowInput { blank: cells.iter().all(Cell::is_empty), ..Default::default() };
    let mut contact = ContactInput::default();
    let mut phones: Vec<(usize, String)> = Vec::new();
    let notes_columns = mapping.iter().filter(|t| **t == Target::Notes).count();
    let input = &mut row.input;
    for (col, target) in mapping.iter().enumerate() {
        let cell = cells.get(col).unwrap_or(&Cell::Empty);
        if cell.is_empty() {
            continue;
        }
        let header = headers.get(col).map(String::as_str).unwrap_or("");
        let text = clean_text(cell);
        let mut record = |field: &str| {
            row.columns.entry(field.to_owned()).or_insert(col);
        };
        match target {
            Target::Ignore => {}
            Target::Name => {
                input.name = text.unwrap_or_default();
                record("name");
            }
            Target::Number => {
                input.number = text;
                record("number");
            }
            Target::Kind => {
                let person = text.as_deref().is_some_and(|t| t.contains('个') || t.eq_ignore_ascii_case("person"));
                input.kind = Some(if person { CustomerKind::Person } else { CustomerKind::Org });
            }
            Target::Industry => {
                input.industry = text;
                record("industry");
            }
            Target::Size => {
                // "员工200人，年营收5000万" → 200: the first whole number is the head count.
                let digits: String = text
                    .unwrap_or_default()
                    .chars()
                    .skip_while(|c| !c.is_ascii_digit())
                    .take_while(|c| c.is_ascii_digit() || *c == ',')
                    .filter(|c| *c != ',')
                    .collect();
                input.employees = Some(digits).filter(|d| !d.is_empty());
                record("employees");
            }
            Target::Revenue => {
                input.revenue = match cell {
                    Cell::Number(_) => amount_fen(cell).ok().flatten().map(crate::money::fen_to_yuan_text),
                    _ => text,
                };
                record("revenue");
            }
            Target::Region => input.region = text,
            Target::Address => input.address = text,
            Target::Source => input.source = text,
            Target::Owner => input.owner = text,
            Target::Grade => input.grade = text,
            Target::Stage => input.stage = text,
            Target::Needs => input.needs = text,
            Target::Notes => {
                if let Some(t) = text {
                    join(&mut input.notes, header, &t, notes_columns > 1);
                }
            }
            Target::FirstContact => match date(cell) {
                Ok(day) => {
                    input.first_contact = day.map(|d| d.format("%Y-%m-%d").to_string());
                    record("firstContact");
                }
                Err(code) => row.cell_errors.push((col, code)),
            },
            Target::ContactName => {
                contact.name = text.unwrap_or_default();
                record("contacts.0.name");
            }
            Target::ContactTitle => contact.title = text,
            Target::Wechat => contact.wechat = text,
            Target::Email => {
                contact.email = text;
                record("email");
                record("contacts.0.email");
            }
            Target::Phone => {
                let raw = phone_text(cell).unwrap_or_default();
                let (phone, rest) = split_combined(&raw);
                match phone {
                    Some(phone) => phones.push((col, phone)),
                    // No mobile inside: keep the cell as typed, a landline or an error to show.
                    None => phones.push((col, raw.clone())),
                }
                if let Some(rest) = rest.filter(|_| !raw.is_empty()) {
                    if looks_like_wechat(&rest) && contact.wechat.is_none() {
                        contact.wechat = Some(rest.trim_start_matches(|c: char| !c.is_ascii_alphanumeric()).to_owned());
                    } else if !looks_like_wechat(&rest) && phones.last().is_some_and(|(_, p)| p != &raw) {
                        join(&mut input.notes, header, &rest, true);
                    }
                }
            }
            Target::Tags | Target::ExpectedAmount => {
                // Tags and deals have no home yet: keep the value where a person finds it.
                if let Some(t) = text {
                    join(&mut input.notes, header, &t, true);
                }
            }
            Target::Custom(name) => {
                let Some(field) = fields.iter().find(|f| &f.label == name || &f.key == name) else { continue };
                let value = match (cell, field.kind) {
                    (Cell::Number(_), crate::custom_fields::CustomFieldKind::Money) => {
                        amount_fen(cell).ok().flatten().map(crate::money::fen_to_yuan_text)
                    }
                    (Cell::Date(_), _) | (Cell::Number(_), crate::custom_fields::CustomFieldKind::Date) => {
                        date(cell).ok().flatten().map(|d| d.format("%Y-%m-%d").to_string())
                    }
                    _ => text,
                };
                if let Some(value) = value {
                    input.custom.insert(field.key.clone(), Value::String(value));
                    record(&format!("custom.{}", field.key));
                }
            }
        }
    }
    // With a contact person the phones are theirs; without one they are the customer's own.
    let has_contact = !contact.name.is_empty();
    if has_contact {
        for (i, (col, phone)) in phones.into_iter().enumerate() {
            row.columns.entry(format!("contacts.0.phones.{i}")).or_insert(col);
            contact.phones.push(phone);
        }
        row.columns.remove("email");
        input.contacts.push(contact);
    } else {
        row.columns.remove("contacts.0.email");
        if let Some((col, phone)) = phones.first().cloned() {
            input.phone = Some(phone);
            row.columns.insert("phone".into(), col);
        }
        input.email = contact.email.take();
        if contact.wechat.is_some() || contact.title.is_some() || phones.len() > 1 {
            // A WeChat id or a second number without a person: keep it readable in notes.
            let extra: Vec<String> = phones.iter().skip(1).map(|(_, p)| p.clone()).chain(contact.wechat.clone()).collect();
            if !extra.is_empty() {
                join(&mut input.notes, "其他联系方式", &extra.join(" "), true);
            }
        }
    }
    row
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn headers(h: &[&str]) -> Vec<String> {
        h.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_seed_style_row_becomes_a_customer_with_a_contact() {
        let h = headers(&["客户名称", "联系人", "联系方式（电话/微信）", "所属行业", "首次接触时间", "年营业额", "备注"]);
        let mapping = super::super::suggest(&h);
        let cells = vec![
            Cell::text(" 华信科技有限公司 "),
            Cell::text("李总"),
            Cell::text("13912345678/lixxx"),
            Cell::text("制造业"),
            Cell::Date(NaiveDate::from_ymd_opt(2024, 3, 1).unwrap().and_hms_opt(0, 0, 0).unwrap()),
            Cell::Number(300000.0),
            Cell::text("竞争对手为A公司"),
        ];
        let row = row_input(&cells, &h, &mapping, &[]);
        assert!(!row.blank);
        let input = &row.input;
        assert_eq!(input.name, "华信科技有限公司");
        assert_eq!(input.industry.as_deref(), Some("制造业"));
        assert_eq!(input.first_contact.as_deref(), Some("2024-03-01"));
        assert_eq!(input.revenue.as_deref(), Some("300000"));
        assert_eq!(input.notes.as_deref(), Some("竞争对手为A公司"));
        assert_eq!(input.contacts.len(), 1);
        assert_eq!(input.contacts[0].name, "李总");
        assert_eq!(input.contacts[0].phones, ["13912345678"]);
        assert_eq!(input.contacts[0].wechat.as_deref(), Some("lixxx"));
        assert_eq!(row.columns["contacts.0.phones.0"], 2);
        assert_eq!(input.phone, None);
    }

    #[test]
    fn without_a_contact_the_phone_is_the_customers_and_numbers_stay_whole() {
        let h = headers(&["客户姓名", "手机", "邮箱"]);
        // 客户姓名 maps to the contact name; use an explicit mapping for a person customer.
        let mapping = vec![Target::Name, Target::Phone, Target::Email];
        let cells = vec![Cell::text("张三"), Cell::Number(13912345678.0), Cell::text("ZS@qq.com")];
        let row = row_input(&cells, &h, &mapping, &[]);
        assert_eq!(row.input.phone.as_deref(), Some("13912345678"));
        assert_eq!(row.input.email.as_deref(), Some("ZS@qq.com"));
        assert_eq!(row.columns["phone"], 1);
        assert_eq!(row.columns["email"], 2);
        assert!(row.input.contacts.is_empty());
    }

    #[test]
    fn a_bad_date_is_a_cell_error_and_blank_rows_are_blank() {
        let h = headers(&["客户名称", "首次接触时间"]);
        let mapping = super::super::suggest(&h);
        let row = row_input(&[Cell::text("甲"), Cell::text("下周")], &h, &mapping, &[]);
        assert_eq!(row.cell_errors, [(1, "date_invalid")]);
        let blank = row_input(&[Cell::Empty, Cell::text("  ")], &h, &mapping, &[]);
        assert!(blank.input.name.is_empty());
        assert!(row_input(&[Cell::Empty, Cell::Empty], &h, &mapping, &[]).blank);
    }

    #[test]
    fn several_notes_columns_keep_their_headings_and_tags_are_not_lost() {
        let h = headers(&["客户名称", "客户背景", "风险提示", "标签"]);
        let mapping = vec![Target::Name, Target::Notes, Target::Notes, Target::Tags];
        let cells = vec![Cell::text("甲"), Cell::text("预算30万"), Cell::text("价格敏感"), Cell::text("战略客户")];
        let row = row_input(&cells, &h, &mapping, &[]);
        assert_eq!(row.input.notes.as_deref(), Some("客户背景：预算30万；风险提示：价格敏感；标签：战略客户"));
    }
}
