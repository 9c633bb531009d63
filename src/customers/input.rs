use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde_json::Value;

use super::{ContactInput, CustomerInput, CustomerKind};
use crate::custom_fields::{self, CustomField};
use crate::domain::{half_width, CustomerName, Email, Phone};
use crate::error::FieldErrors;
use crate::import::{parse as cells, Cell};
use crate::industries::Industry;
use crate::{Error, Result};

/// The user-managed lists a customer is checked against, loaded once per operation.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub industries: Vec<Industry>,
    pub fields: Vec<CustomField>,
}

impl Catalog {
    pub fn industry(&self, code_or_name: &str) -> Option<&Industry> {
        let key = half_width(code_or_name).trim().to_owned();
        self.industries.iter().find(|i| i.code.eq_ignore_ascii_case(&key) || i.name == key)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewContact {
    pub id: Option<i64>,
    pub name: String,
    pub title: Option<String>,
    pub phones: Vec<Phone>,
    pub wechat: Option<String>,
    pub email: Option<Email>,
    pub decision_maker: bool,
    pub role: Option<String>,
}

/// A customer that passed every rule; only this reaches the database.
#[derive(Debug, Clone, PartialEq)]
pub struct NewCustomer {
    pub kind: CustomerKind,
    pub number: Option<String>,
    pub name: CustomerName,
    pub industry: Option<Industry>,
    pub employees: Option<i64>,
    pub revenue_fen: Option<i64>,
    pub region: Option<String>,
    pub address: Option<String>,
    pub source: Option<String>,
    pub first_contact: Option<NaiveDate>,
    pub owner: Option<String>,
    pub grade: Option<String>,
    pub stage: Option<String>,
    pub needs: Option<String>,
    pub notes: Option<String>,
    pub phone: Option<Phone>,
    pub email: Option<Email>,
    pub contacts: Vec<NewContact>,
    pub custom: BTreeMap<String, Value>,
}

pub(crate) fn non_blank(s: Option<&str>) -> Option<&str> {
    s.map(|s| s.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}')).filter(|s| !s.is_empty())
}

/// Collects problems under dotted field paths (`contacts.1.phones.0`) so a form marks each one.
struct Collector(FieldErrors);

impl Collector {
    fn text(&mut self, field: &str, raw: Option<&str>, max_chars: usize) -> Option<String> {
        let text = non_blank(raw)?;
        if text.chars().count() > max_chars {
            self.0.insert(field.into(), "too_long".into());
            return None;
        }
        Some(text.to_owned())
    }

    fn parsed<T>(&mut self, field: &str, raw: Option<&str>, parse: impl Fn(&str) -> Result<T, &'static str>) -> Option<T> {
        let raw = non_blank(raw)?;
        parse(raw).map_err(|code| self.0.insert(field.into(), code.into())).ok()
    }
}

impl NewCustomer {
    pub fn parse(input: &CustomerInput, catalog: &Catalog) -> Result<Self> {
        let mut c = Collector(FieldErrors::new());
        let name = CustomerName::parse(&input.name).map_err(|code| c.0.insert("name".into(), code.into())).ok();
        let number = c.parsed("number", input.number.as_deref(), parse_number);
        let industry = match non_blank(input.industry.as_deref()) {
            None => None,
            Some(raw) => match catalog.industry(raw) {
                Some(industry) => Some(industry.clone()),
                None => {
                    c.0.insert("industry".into(), "unknown_industry".into());
                    None
                }
            },
        };
        let employees = c.parsed("employees", input.employees.as_deref(), |raw| {
            let digits: String = half_width(raw).chars().filter(|ch| !matches!(ch, ',' | ' ' | '人')).collect();
            digits.parse::<i64>().ok().filter(|n| (0..=10_000_000).contains(n)).ok_or("number_invalid")
        });
        let revenue_fen = c
            .parsed("revenue", input.revenue.as_deref(), |raw| cells::amount_fen(&Cell::Text(raw.into())))
            .flatten();
        let first_contact = c
            .parsed("firstContact", input.first_contact.as_deref(), |raw| cells::date(&Cell::Text(raw.into())))
            .flatten();
        let phone = c.parsed("phone", input.phone.as_deref(), Phone::parse);
        let email = c.parsed("email", input.email.as_deref(), Email::parse);
        let contacts = if input.contacts.len() > MAX_CONTACTS {
            c.0.insert("contacts".into(), "too_long".into());
            Vec::new()
        } else {
            input.contacts.iter().enumerate().filter_map(|(i, contact)| parse_contact(&mut c, i, contact)).collect()
        };
        let custom = parse_custom(&mut c, &input.custom, &catalog.fields);
        let customer = NewCustomer {
            kind: input.kind.unwrap_or_default(),
            number,
            name: name.unwrap_or_else(|| CustomerName::parse("?").expect("placeholder")),
            industry,
            employees,
            revenue_fen,
            region: c.text("region", input.region.as_deref(), 50),
            address: c.text("address", input.address.as_deref(), 200),
            source: c.text("source", input.source.as_deref(), 50),
            first_contact,
            owner: c.text("owner", input.owner.as_deref(), 50),
            grade: c.text("grade", input.grade.as_deref(), 50),
            stage: c.text("stage", input.stage.as_deref(), 50),
            needs: c.text("needs", input.needs.as_deref(), 5000),
            notes: c.text("notes", input.notes.as_deref(), 5000),
            phone,
            email,
            contacts,
            custom,
        };
        if c.0.is_empty() {
            Ok(customer)
        } else {
            Err(Error::Validation(c.0))
        }
    }

    /// Every phone of the customer and its contacts, for duplicate detection and search.
    pub fn phones(&self) -> impl Iterator<Item = &Phone> {
        self.phone.iter().chain(self.contacts.iter().flat_map(|c| c.phones.iter()))
    }

    pub fn emails(&self) -> impl Iterator<Item = &Email> {
        self.email.iter().chain(self.contacts.iter().filter_map(|c| c.email.as_ref()))
    }
}

/// Customer numbers are codes people type and print: letters, digits, `-`, `_`, `/`.
fn parse_number(raw: &str) -> Result<String, &'static str> {
    let number = half_width(raw).trim().to_uppercase();
    let valid = number.chars().count() <= 40
        && number.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '/' | '.'));
    if valid {
        Ok(number)
    } else {
        Err("number_invalid")
    }
}

/// Far more than a form shows, yet a bound on the work one save can ask for; merges add the
/// absorbed record's contacts beside these, so the limit leaves room for them.
const MAX_CONTACTS: usize = 200;
const MAX_PHONES_PER_CONTACT: usize = 20;

fn parse_contact(c: &mut Collector, i: usize, input: &ContactInput) -> Option<NewContact> {
    let field = |name: &str| format!("contacts.{i}.{name}");
    if input.phones.len() > MAX_PHONES_PER_CONTACT {
        c.0.insert(field("phones"), "too_long".into());
        return None;
    }
    let phones: Vec<Phone> = input
        .phones
        .iter()
        .enumerate()
        .filter_map(|(j, raw)| c.parsed(&field(&format!("phones.{j}")), Some(raw), Phone::parse))
        .collect();
    let contact = NewContact {
        id: input.id,
        name: c.text(&field("name"), Some(&input.name), 50).unwrap_or_default(),
        title: c.text(&field("title"), input.title.as_deref(), 50),
        phones,
        wechat: c.text(&field("wechat"), input.wechat.as_deref(), 50),
        email: c.parsed(&field("email"), input.email.as_deref(), Email::parse),
        decision_maker: input.decision_maker,
        role: c.text(&field("role"), input.role.as_deref(), 50),
    };
    let blank = contact.name.is_empty()
        && contact.title.is_none()
        && contact.phones.is_empty()
        && input.phones.iter().all(|p| non_blank(Some(p)).is_none())
        && contact.wechat.is_none()
        && non_blank(input.email.as_deref()).is_none()
        && contact.role.is_none();
    if blank {
        // An empty row the form left behind is not a contact.
        return None;
    }
    if contact.name.is_empty() {
        c.0.insert(field("name"), "required".into());
    }
    Some(contact)
}

fn parse_custom(c: &mut Collector, raw: &BTreeMap<String, Value>, fields: &[CustomField]) -> BTreeMap<String, Value> {
    let mut values = BTreeMap::new();
    for (key, value) in raw {
        let path = format!("custom.{key}");
        match fields.iter().find(|f| &f.key == key) {
            None => {
                c.0.insert(path, "unknown_field".into());
            }
            Some(field) => match custom_fields::parse_value(field, value) {
                Ok(Some(parsed)) => {
                    values.insert(key.clone(), parsed);
                }
                Ok(None) => {}
                Err(code) => {
                    c.0.insert(path, code.into());
                }
            },
        }
    }
    values
}
