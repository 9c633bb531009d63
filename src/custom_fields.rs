//! User-defined customer fields (自定义客户字段) and the parsing of their values.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::SqliteConnection;
use ts_rs::TS;

use crate::error::FieldErrors;
use crate::import::{parse as cells, Cell};
use crate::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CustomFieldKind {
    Text,
    Number,
    Date,
    /// Stored as integer fen; typed as 30万, ¥300,000 or 300000.00.
    Money,
    Single,
    Multi,
}

impl CustomFieldKind {
    fn as_str(self) -> &'static str {
        match self {
            CustomFieldKind::Text => "text",
            CustomFieldKind::Number => "number",
            CustomFieldKind::Date => "date",
            CustomFieldKind::Money => "money",
            CustomFieldKind::Single => "single",
            CustomFieldKind::Multi => "multi",
        }
    }

    fn from_db(s: &str) -> Self {
        match s {
            "number" => CustomFieldKind::Number,
            "date" => CustomFieldKind::Date,
            "money" => CustomFieldKind::Money,
            "single" => CustomFieldKind::Single,
            "multi" => CustomFieldKind::Multi,
            _ => CustomFieldKind::Text,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CustomField {
    #[ts(type = "number")]
    pub id: i64,
    /// Stable key the values are stored under (`cf_1`, `cf_2` …), independent of the label.
    pub key: String,
    pub label: String,
    pub kind: CustomFieldKind,
    pub options: Vec<String>,
    #[ts(type = "number")]
    pub position: i64,
    pub in_list: bool,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CustomFieldInput {
    pub label: String,
    pub kind: CustomFieldKind,
    #[serde(default)]
    pub options: Vec<String>,
    #[serde(default)]
    pub in_list: bool,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    key: String,
    label: String,
    kind: String,
    options: String,
    position: i64,
    in_list: bool,
}

impl From<Row> for CustomField {
    fn from(r: Row) -> Self {
        CustomField {
            id: r.id,
            key: r.key,
            label: r.label,
            kind: CustomFieldKind::from_db(&r.kind),
            options: serde_json::from_str(&r.options).unwrap_or_default(),
            position: r.position,
            in_list: r.in_list,
        }
    }
}

pub async fn list(conn: &mut SqliteConnection) -> Result<Vec<CustomField>> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, key, label, kind, options, position, in_list FROM custom_fields ORDER BY position, id",
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(CustomField::from).collect())
}

const MAX_OPTIONS: usize = 200;
const MAX_OPTION_CHARS: usize = 50;

fn parse_definition(input: &CustomFieldInput) -> Result<(String, Vec<String>)> {
    let label = input.label.trim().to_owned();
    let mut options: Vec<String> = Vec::new();
    for option in input.options.iter().map(|o| o.trim()).filter(|o| !o.is_empty()) {
        if !options.iter().any(|o| o == option) {
            options.push(option.to_owned());
        }
    }
    let mut errors = FieldErrors::new();
    if label.is_empty() {
        errors.insert("label".into(), "required".into());
    } else if label.chars().count() > 30 {
        errors.insert("label".into(), "too_long".into());
    }
    let needs_options = matches!(input.kind, CustomFieldKind::Single | CustomFieldKind::Multi);
    if needs_options && options.is_empty() {
        errors.insert("options".into(), "required".into());
    } else if options.len() > MAX_OPTIONS || options.iter().any(|o| o.chars().count() > MAX_OPTION_CHARS) {
        // A choice list is shown whole in a select and stored in every matching filter.
        errors.insert("options".into(), "too_long".into());
    }
    if errors.is_empty() {
        Ok((label, if needs_options { options } else { Vec::new() }))
    } else {
        Err(Error::Validation(errors))
    }
}

pub async fn create(conn: &mut SqliteConnection, input: &CustomFieldInput) -> Result<CustomField> {
    let (label, options) = parse_definition(input)?;
    let exists: Option<i64> =
        sqlx::query_scalar("SELECT id FROM custom_fields WHERE label = ?").bind(&label).fetch_optional(&mut *conn).await?;
    if exists.is_some() {
        return Err(Error::Conflict(FieldErrors::from([("label".into(), "taken".into())])));
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO custom_fields (key, label, kind, options, position, in_list)
         VALUES ('pending', ?, ?, ?, (SELECT coalesce(max(position), 0) + 1 FROM custom_fields), ?) RETURNING id",
    )
    .bind(&label)
    .bind(input.kind.as_str())
    .bind(serde_json::to_string(&options).expect("options serialize"))
    .bind(input.in_list)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query("UPDATE custom_fields SET key = 'cf_' || id WHERE id = ?").bind(id).execute(&mut *conn).await?;
    Ok(list(conn).await?.into_iter().find(|f| f.id == id).expect("just inserted"))
}

/// Changes the label, choices or list visibility; the kind of a field cannot change, because
/// values already stored under it would no longer parse.
pub async fn update(conn: &mut SqliteConnection, id: i64, input: &CustomFieldInput) -> Result<CustomField> {
    let current = list(conn).await?.into_iter().find(|f| f.id == id).ok_or(Error::NotFound {
        entity: "custom_field",
        id: id.to_string(),
    })?;
    if current.kind != input.kind {
        return Err(Error::invalid("kind", "immutable"));
    }
    let (label, options) = parse_definition(input)?;
    sqlx::query("UPDATE custom_fields SET label = ?, options = ?, in_list = ? WHERE id = ?")
        .bind(&label)
        .bind(serde_json::to_string(&options).expect("options serialize"))
        .bind(input.in_list)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(CustomField { label, options, in_list: input.in_list, ..current })
}

/// Turns what a form, the CLI or a spreadsheet cell gave into the stored JSON value.
/// `Ok(None)` means empty. Errors are field codes.
pub fn parse_value(field: &CustomField, raw: &Value) -> std::result::Result<Option<Value>, &'static str> {
    let text = match raw {
        Value::Null => return Ok(None),
        Value::String(s) if s.trim().is_empty() => return Ok(None),
        Value::Array(items) if items.is_empty() => return Ok(None),
        Value::String(s) => s.trim().to_owned(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Array(_) | Value::Object(_) if field.kind != CustomFieldKind::Multi => return Err("value_invalid"),
        _ => String::new(),
    };
    match field.kind {
        CustomFieldKind::Text => {
            if text.chars().count() > 2000 {
                Err("too_long")
            } else {
                Ok(Some(Value::String(text)))
            }
        }
        CustomFieldKind::Number => {
            let n: f64 = text.replace(',', "").parse().map_err(|_| "number_invalid")?;
            serde_json::Number::from_f64(n).map(|n| Some(Value::Number(n))).ok_or("number_invalid")
        }
        CustomFieldKind::Date => {
            let date: Option<NaiveDate> = cells::date(&Cell::Text(text))?;
            Ok(date.map(|d| Value::String(d.format("%Y-%m-%d").to_string())))
        }
        CustomFieldKind::Money => Ok(cells::amount_fen(&Cell::Text(text))?.map(Value::from)),
        CustomFieldKind::Single => {
            if field.options.contains(&text) {
                Ok(Some(Value::String(text)))
            } else {
                Err("option_invalid")
            }
        }
        CustomFieldKind::Multi => {
            let chosen: Vec<String> = match raw {
                Value::Array(items) => items.iter().filter_map(|v| v.as_str()).map(|s| s.trim().to_owned()).collect(),
                // A spreadsheet cell lists choices separated the way people type them.
                _ => text.split(['、', ',', '，', ';', '；', '/']).map(|s| s.trim().to_owned()).collect(),
            };
            let chosen: Vec<String> = chosen.into_iter().filter(|s| !s.is_empty()).collect();
            if chosen.iter().any(|c| !field.options.contains(c)) {
                return Err("option_invalid");
            }
            Ok(if chosen.is_empty() { None } else { Some(Value::from(chosen)) })
        }
    }
}
