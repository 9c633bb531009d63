//! The customer export: one row per customer, written page by page into a constant-memory
//! sheet, so exporting 100 000 customers needs no more memory than exporting one page.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::Zone;
use rust_xlsxwriter::{ColNum, RowNum, Workbook, Worksheet};
use serde_json::Value;

use super::cells::{self, xlsx, Formats};
use super::column::{field, Column};
use super::mask;
use crate::custom_fields::{CustomField, CustomFieldKind};
use crate::customers::{Contact, Customer, CustomerKind};
use crate::{Error, Result};

/// Rows Excel has below the header.
const MAX_ROWS: u64 = 1_048_575;

/// Contacts of one customer share a cell, first contact first: `张伟；李娜`.
const CONTACT_SEPARATOR: &str = "；";
/// Several values of one contact or one field (phones, choices): `13912345678、010-12345678`.
/// The import splits multiple choices on it too.
const VALUE_SEPARATOR: &str = "、";

/// What a customer's row shows besides its own fields: its tag names (in the tags' order)
/// and its value score.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TagsAndScore {
    pub tags: Vec<String>,
    pub score: Option<i64>,
}

/// What to export and how.
#[derive(Debug, Clone, Copy)]
pub struct CustomerSheet<'a> {
    pub columns: &'a [Column],
    /// The custom field definitions, for labels and value kinds.
    pub fields: &'a [CustomField],
    /// The user's time zone: created/updated times are shown as the user saw them in the app.
    pub zone: Zone,
    /// 打码: phones as 138****5678, e-mails as l***@qq.com, WeChat ids as z***x.
    pub mask: bool,
}

/// Streams customers into an .xlsx file: [`create`](Self::create), then
/// [`write`](Self::write) once per page, then [`finish`](Self::finish) to save.
/// Dropping it without `finish` writes nothing.
pub struct CustomerWriter {
    book: Workbook,
    path: PathBuf,
    /// Each column with its custom field's definition, and whether its cells are text.
    columns: Vec<(Column, Option<CustomField>, bool)>,
    zone: Zone,
    mask: bool,
    formats: Formats,
    next_row: RowNum,
}

impl CustomerWriter {
    pub fn create(path: &Path, sheet: CustomerSheet) -> Result<Self> {
        if sheet.columns.is_empty() {
            return Err(Error::invalid("columns", "required"));
        }
        cells::check_writable(path)?;
        let columns: Vec<(Column, Option<CustomField>, bool)> = sheet
            .columns
            .iter()
            .map(|c| {
                let definition = match c {
                    Column::Custom(key) => field(sheet.fields, key).cloned(),
                    _ => None,
                };
                let text = holds_text(c, definition.as_ref());
                (c.clone(), definition, text)
            })
            .collect();
        let formats = Formats::new();
        let mut book = Workbook::new();
        let ws = book.add_worksheet_with_constant_memory().map_err(xlsx)?;
        ws.set_name("客户").map_err(xlsx)?;
        for (col, (column, _, text)) in columns.iter().enumerate() {
            let col = col as ColNum;
            ws.set_column_width(col, column.width(sheet.fields)).map_err(xlsx)?;
            // Text cells written later take it, and so does what users type in (a phone added
            // in Excel stays a phone, not 1.39E+10).
            if *text {
                ws.set_column_format(col, &formats.text).map_err(xlsx)?;
            }
            cells::styled_text(ws, 0, col, &column.header(sheet.fields), &formats.header)?;
        }
        ws.set_freeze_panes(1, 0).map_err(xlsx)?;
        Ok(CustomerWriter {
            book,
            path: path.to_owned(),
            columns,
            zone: sheet.zone,
            mask: sheet.mask,
            formats,
            next_row: 1,
        })
    }

    /// Appends one page of customers, in order; their tags and scores by customer id (a
    /// customer missing from `extra` has those cells empty).
    pub fn write(&mut self, customers: &[Customer], extra: &HashMap<i64, TagsAndScore>) -> Result<()> {
        if u64::from(self.next_row - 1) + customers.len() as u64 > MAX_ROWS {
            return Err(Error::Io(std::io::Error::other(format!(
                "an Excel sheet holds at most {MAX_ROWS} customers; export fewer at a time"
            ))));
        }
        let ws = self.book.worksheet_from_index(0).map_err(xlsx)?;
        let row_writer = Row { zone: self.zone, mask: self.mask, f: &self.formats };
        let none = TagsAndScore::default();
        for customer in customers {
            let extra = extra.get(&customer.id).unwrap_or(&none);
            for (col, (column, definition, text)) in self.columns.iter().enumerate() {
                let at = Cell { row: self.next_row, col: col as ColNum, in_text_column: *text };
                row_writer.cell(ws, at, (customer, extra), column, definition.as_ref())?;
            }
            self.next_row += 1;
        }
        Ok(())
    }

    /// Adds the filter buttons over everything written, saves, and answers the number of rows.
    pub fn finish(mut self) -> Result<u64> {
        let last_col = (self.columns.len() - 1) as ColNum;
        let last_row = self.next_row - 1;
        let ws = self.book.worksheet_from_index(0).map_err(xlsx)?;
        ws.autofilter(0, 0, last_row, last_col).map_err(xlsx)?;
        crate::saved_file::save_xlsx(&mut self.book, &self.path, xlsx)?;
        Ok(u64::from(last_row))
    }
}

/// Whether a column's cells are text whatever the customer: its format is then text too.
fn holds_text(column: &Column, definition: Option<&CustomField>) -> bool {
    match column {
        Column::Employees | Column::Revenue | Column::ValueScore | Column::FirstContact => false,
        Column::CreatedAt | Column::UpdatedAt => false,
        Column::Custom(_) => matches!(
            definition.map(|d| d.kind),
            Some(CustomFieldKind::Text | CustomFieldKind::Single | CustomFieldKind::Multi)
        ),
        _ => true,
    }
}

/// Where a cell goes.
#[derive(Clone, Copy)]
struct Cell {
    row: RowNum,
    col: ColNum,
    in_text_column: bool,
}

/// How one customer becomes cells.
struct Row<'f> {
    zone: Zone,
    mask: bool,
    f: &'f Formats,
}

impl Row<'_> {
    fn cell(
        &self,
        ws: &mut Worksheet,
        Cell { row, col, in_text_column }: Cell,
        (c, extra): (&Customer, &TagsAndScore),
        column: &Column,
        definition: Option<&CustomField>,
    ) -> Result<()> {
        let f = self.f;
        let text = |ws: &mut Worksheet, value: Option<&str>| {
            let value = value.unwrap_or_default();
            if in_text_column {
                cells::text_in_text_column(ws, row, col, value, f)
            } else {
                cells::text(ws, row, col, value, f)
            }
        };
        match column {
            Column::Number => text(ws, c.number.as_deref()),
            Column::Kind => text(ws, Some(kind_name(c.kind))),
            Column::Name => text(ws, Some(&c.name)),
            Column::Industry => text(ws, c.industry.as_deref()),
            Column::Employees => c.employees.map_or(Ok(()), |n| cells::number(ws, row, col, n as f64)),
            Column::Revenue => c.revenue_fen.map_or(Ok(()), |fen| cells::money(ws, row, col, fen, f)),
            Column::Region => text(ws, c.region.as_deref()),
            Column::Address => text(ws, c.address.as_deref()),
            Column::Source => text(ws, c.source.as_deref()),
            Column::FirstContact => self.day(ws, row, col, c.first_contact.as_deref()),
            Column::Owner => text(ws, c.owner.as_deref()),
            Column::Grade => text(ws, c.grade.as_deref()),
            Column::Stage => text(ws, c.stage.as_deref()),
            Column::Tags => text(ws, Some(&extra.tags.join(VALUE_SEPARATOR))),
            Column::ValueScore => extra.score.map_or(Ok(()), |n| cells::number(ws, row, col, n as f64)),
            Column::Needs => text(ws, c.needs.as_deref()),
            Column::Notes => text(ws, c.notes.as_deref()),
            Column::Phone => text(ws, c.phone.as_deref().map(|p| self.phone(p)).as_deref()),
            Column::Email => text(ws, c.email.as_deref().map(|e| self.email(e)).as_deref()),
            Column::ContactName => text(ws, Some(&contacts(c, |k| Some(k.name.clone())))),
            Column::ContactTitle => text(ws, Some(&contacts(c, |k| k.title.clone()))),
            Column::ContactPhones => text(
                ws,
                Some(&contacts(c, |k| {
                    let phones: Vec<String> = k.phones.iter().map(|p| self.phone(p)).collect();
                    Some(phones.join(VALUE_SEPARATOR))
                })),
            ),
            Column::ContactWechat => text(ws, Some(&contacts(c, |k| k.wechat.as_deref().map(|w| self.wechat(w))))),
            Column::ContactEmail => text(ws, Some(&contacts(c, |k| k.email.as_deref().map(|e| self.email(e))))),
            Column::CreatedAt => cells::datetime(ws, row, col, self.zone.to_local(c.created_at), f),
            Column::UpdatedAt => cells::datetime(ws, row, col, self.zone.to_local(c.updated_at), f),
            Column::Custom(key) => match c.custom.get(key) {
                Some(value) => self.custom(ws, row, col, value, definition.map(|d| d.kind)),
                None => Ok(()),
            },
        }
    }

    /// A stored `YYYY-MM-DD` as a date cell; anything else (legacy text) as it is.
    fn day(&self, ws: &mut Worksheet, row: RowNum, col: ColNum, value: Option<&str>) -> Result<()> {
        let Some(value) = value else { return Ok(()) };
        match NaiveDate::parse_from_str(value, "%Y-%m-%d") {
            Ok(day) => cells::date(ws, row, col, day, self.f),
            Err(_) => cells::text(ws, row, col, value, self.f),
        }
    }

    fn custom(
        &self,
        ws: &mut Worksheet,
        row: RowNum,
        col: ColNum,
        value: &Value,
        kind: Option<CustomFieldKind>,
    ) -> Result<()> {
        match (kind, value) {
            (Some(CustomFieldKind::Date), Value::String(s)) => self.day(ws, row, col, Some(s)),
            (Some(CustomFieldKind::Money), Value::Number(n)) => match n.as_i64() {
                Some(fen) => cells::money(ws, row, col, fen, self.f),
                None => cells::number(ws, row, col, n.as_f64().unwrap_or_default() / 100.0),
            },
            (_, Value::Number(n)) => cells::number(ws, row, col, n.as_f64().unwrap_or_default()),
            (_, Value::String(s)) => cells::text(ws, row, col, s, self.f),
            (_, Value::Array(items)) => {
                let items: Vec<String> = items.iter().map(plain).collect();
                cells::text(ws, row, col, &items.join(VALUE_SEPARATOR), self.f)
            }
            (_, other) => cells::text(ws, row, col, &plain(other), self.f),
        }
    }

    fn phone(&self, phone: &str) -> String {
        if self.mask {
            mask::phone(phone)
        } else {
            phone.to_owned()
        }
    }

    fn email(&self, email: &str) -> String {
        if self.mask {
            mask::email(email)
        } else {
            email.to_owned()
        }
    }

    fn wechat(&self, id: &str) -> String {
        if self.mask {
            mask::wechat(id)
        } else {
            id.to_owned()
        }
    }
}

/// One value per contact, joined. A contact without the value keeps an empty place, so the
/// n-th title still belongs to the n-th name (`经理；；总监`); no contact with it, no text.
fn contacts(c: &Customer, value: impl Fn(&Contact) -> Option<String>) -> String {
    let values: Vec<String> = c.contacts.iter().map(|k| value(k).unwrap_or_default()).collect();
    if values.iter().all(String::is_empty) {
        String::new()
    } else {
        values.join(CONTACT_SEPARATOR)
    }
}

/// The words the import reads back (企业/个人), not the stored `org`/`person`.
pub(super) fn kind_name(kind: CustomerKind) -> &'static str {
    match kind {
        CustomerKind::Org => "企业",
        CustomerKind::Person => "个人",
    }
}

fn plain(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}
