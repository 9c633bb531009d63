//! A parsed filter as a SQL condition over `customers c`. Every value is bound; the only
//! text put into the SQL is fixed per key.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc};
use sqlx::{QueryBuilder, Sqlite};

use super::parse::{Expr, FilterError, Op};
use super::Key;
use crate::custom_fields::{CustomField, CustomFieldKind};
use crate::money::parse_amount;
use crate::Zone;

/// What compiling needs to know besides the filter.
pub struct Names {
    /// Tag name → id.
    pub tags: Vec<(String, i64)>,
    pub fields: Vec<CustomField>,
    pub now: DateTime<Utc>,
    pub zone: Zone,
    pub grading: crate::tags::grading::Grading,
}

impl Names {
    fn field(&self, key: &str) -> Option<&CustomField> {
        self.fields.iter().find(|f| f.key == key || f.label == key)
    }
}

/// Checks every term against the names before anything is run, so a typo is reported at its
/// place instead of quietly matching nobody.
pub fn check(expr: &Expr, names: &Names) -> Result<(), FilterError> {
    for (key, op, value, at) in expr.terms() {
        match Key::parse(key) {
            Some(Key::Tag) => {
                if !matches!(op, Op::Is | Op::Not) {
                    return Err(FilterError::new(at, "operator_invalid"));
                }
                if !names.tags.iter().any(|(name, _)| name == value) {
                    return Err(FilterError::new(at, "unknown_tag"));
                }
            }
            Some(key @ (Key::Created | Key::LastFollowup)) => {
                moment(key, op, value, names).ok_or(FilterError::new(at, "value_invalid"))?;
            }
            Some(Key::Employees | Key::Score) => {
                value.parse::<i64>().map_err(|_| FilterError::new(at, "value_invalid"))?;
            }
            Some(Key::Revenue | Key::Amount) => {
                parse_amount(value).map_err(|_| FilterError::new(at, "value_invalid"))?;
            }
            Some(_) => {
                if !matches!(op, Op::Is | Op::Not) {
                    return Err(FilterError::new(at, "operator_invalid"));
                }
            }
            None => {
                let field = names.field(key).ok_or(FilterError::new(at, "unknown_key"))?;
                if matches!(field.kind, CustomFieldKind::Number | CustomFieldKind::Money) && value.parse::<f64>().is_err() && parse_amount(value).is_err() {
                    return Err(FilterError::new(at, "value_invalid"));
                }
            }
        }
    }
    Ok(())
}

/// Pushes ` AND (<condition>)`. Call [`check`] first: unknown names here match nothing.
pub fn push(qb: &mut QueryBuilder<Sqlite>, expr: &Expr, names: &Names) {
    qb.push(" AND (");
    let driver = std::cell::Cell::new(false);
    node(qb, expr, &Ctx { names, driver: &driver });
    qb.push(")");
}

/// Only one tag term may offer its customer list to the planner as an index on `c.id`: two
/// such terms on the same column made SQLite 3.51 loop over one list inside the other
/// (a count of two tags took 20 s at 100k customers). The others are probed (`+c.id`).
struct Ctx<'a> {
    names: &'a Names,
    driver: &'a std::cell::Cell<bool>,
}

fn node(qb: &mut QueryBuilder<Sqlite>, expr: &Expr, ctx: &Ctx) {
    match expr {
        Expr::And { items } | Expr::Or { items } => {
            let joiner = if matches!(expr, Expr::And { .. }) { " AND " } else { " OR " };
            qb.push("(");
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    qb.push(joiner);
                }
                node(qb, item, ctx);
            }
            qb.push(")");
        }
        Expr::Not { item } => {
            // A missing value is "not X" too: NOT over a NULL comparison would drop the row.
            qb.push("NOT coalesce((");
            node(qb, item, ctx);
            qb.push("), 0)");
        }
        Expr::Term { key, op, value, .. } => term(qb, key, *op, value, ctx),
    }
}

/// Every caller of this is past the `!=` rewrite in [`term`], so this only keeps the
/// positive form explicit.
fn negate(_qb: &mut QueryBuilder<Sqlite>, op: Op) {
    debug_assert!(op != Op::Not);
}

fn compare(op: Op) -> &'static str {
    match op {
        Op::Gt => " > ",
        Op::Ge => " >= ",
        Op::Lt => " < ",
        Op::Le => " <= ",
        Op::Not => " <> ",
        Op::Is => " = ",
    }
}

fn term(qb: &mut QueryBuilder<Sqlite>, key: &str, op: Op, value: &str, ctx: &Ctx) {
    let names = ctx.names;
    let numeric = matches!(Key::parse(key), Some(Key::Employees | Key::Score | Key::Revenue | Key::Amount | Key::Created | Key::LastFollowup))
        || names.field(key).is_some_and(|f| matches!(f.kind, CustomFieldKind::Number | CustomFieldKind::Money | CustomFieldKind::Date));
    if op == Op::Not && !numeric {
        // "Is not X" holds for a customer without any value too; a bare NOT over NULL would not.
        qb.push("NOT coalesce((");
        term(qb, key, Op::Is, value, ctx);
        qb.push("), 0)");
        return;
    }
    match Key::parse(key) {
        Some(Key::Tag) => {
            let id = names.tags.iter().find(|(name, _)| name == value).map(|(_, id)| *id).unwrap_or(-1);
            negate(qb, op);
            let column = if ctx.driver.replace(true) { "+c.id" } else { "c.id" };
            qb.push(column).push(" IN (SELECT customer_id FROM customer_tags WHERE tag_id = ").push_bind(id).push(")");
        }
        Some(Key::Industry) => {
            negate(qb, op);
            qb.push("c.industry_code IN (SELECT code FROM industries WHERE name = ")
                .push_bind(value.to_owned())
                .push(" OR code = ")
                .push_bind(value.to_uppercase())
                .push(")");
        }
        Some(Key::Region) => text_contains(qb, "c.region", op, value),
        Some(Key::Name) => text_contains(qb, "c.name", op, value),
        Some(Key::Grade) => {
            negate(qb, op);
            if value.chars().count() == 1 {
                // A, B, C: the grade typed, else the one the score earns.
                qb.push(names.grading.effective_sql()).push(" = ").push_bind(value.to_uppercase());
            } else {
                qb.push("c.grade = ").push_bind(value.to_owned());
            }
        }
        Some(Key::Kind) => {
            let kind = if ["person", "个人"].contains(&value) { "person" } else { "org" };
            negate(qb, op);
            qb.push("c.kind = ").push_bind(kind);
        }
        Some(k @ (Key::Owner | Key::Source | Key::Stage)) => {
            let column = match k {
                Key::Owner => "c.owner",
                Key::Source => "c.source",
                _ => "c.stage",
            };
            negate(qb, op);
            qb.push("coalesce(").push(column).push(", '') = ").push_bind(value.to_owned());
        }
        Some(k @ (Key::Created | Key::LastFollowup)) => {
            let column = if k == Key::Created { "c.created_at" } else { "c.last_followup_at" };
            match moment(k, op, value, names) {
                Some(Moment::After(t)) => {
                    qb.push(column).push(" >= ").push_bind(t);
                }
                Some(Moment::Before(t)) => {
                    // "More than 90 days since the last follow-up" includes never followed up.
                    qb.push("coalesce(").push(column).push(", 0) < ").push_bind(t);
                }
                Some(Moment::Between(a, b)) => {
                    qb.push("(").push(column).push(" >= ").push_bind(a).push(" AND ").push(column).push(" < ").push_bind(b).push(")");
                }
                Some(Moment::Never) => {
                    qb.push(column).push(" IS NULL");
                }
                None => {
                    qb.push("0");
                }
            }
        }
        Some(Key::Employees) => number(qb, "c.employees", op, value.parse::<i64>().unwrap_or(0)),
        Some(Key::Score) => number(qb, "c.value_score", op, value.parse::<i64>().unwrap_or(0)),
        Some(Key::Revenue) => number(qb, "c.revenue_fen", op, parse_amount(value).unwrap_or(0)),
        Some(Key::Amount) => {
            let sum = "(SELECT coalesce(sum(d.amount_fen), 0) FROM deals d JOIN deal_stages s ON s.id = d.stage_id
                AND s.kind = 'open' WHERE d.customer_id = c.id AND d.deleted_at IS NULL)";
            number(qb, sum, op, parse_amount(value).unwrap_or(0));
        }
        None => match names.field(key) {
            Some(field) => custom(qb, field, op, value),
            None => {
                qb.push("0");
            }
        },
    }
}

fn text_contains(qb: &mut QueryBuilder<Sqlite>, column: &str, op: Op, value: &str) {
    negate(qb, op);
    qb.push("instr(coalesce(").push(column).push(", ''), ").push_bind(value.to_owned()).push(") > 0");
}

fn number(qb: &mut QueryBuilder<Sqlite>, column: &str, op: Op, value: i64) {
    qb.push("coalesce(").push(column).push(", 0)").push(compare(op)).push_bind(value);
}

fn custom(qb: &mut QueryBuilder<Sqlite>, field: &CustomField, op: Op, value: &str) {
    let path = format!("$.\"{}\"", field.key.replace('"', ""));
    match field.kind {
        CustomFieldKind::Number => {
            qb.push("CAST(json_extract(c.custom, ").push_bind(path).push(") AS REAL)").push(compare(op)).push_bind(value.parse::<f64>().unwrap_or(0.0));
        }
        CustomFieldKind::Money => {
            let fen = parse_amount(value).unwrap_or(0);
            qb.push("CAST(json_extract(c.custom, ").push_bind(path).push(") AS INTEGER)").push(compare(op)).push_bind(fen);
        }
        CustomFieldKind::Date => {
            qb.push("json_extract(c.custom, ").push_bind(path).push(")").push(compare(op)).push_bind(value.to_owned());
        }
        _ => {
            negate(qb, op);
            qb.push("(json_extract(c.custom, ")
                .push_bind(path.clone())
                .push(") = ")
                .push_bind(value.to_owned())
                .push(" OR EXISTS (SELECT 1 FROM json_each(c.custom, ")
                .push_bind(path)
                .push(") WHERE value = ")
                .push_bind(value.to_owned())
                .push("))");
        }
    }
}

enum Moment {
    After(i64),
    Before(i64),
    Between(i64, i64),
    Never,
}

/// A date condition as bounds in ms. Relative values are ages: `last_followup<90d` is "within
/// the last 90 days", `>90d` "longer ago". Absolute dates compare as times.
fn moment(key: Key, op: Op, value: &str, names: &Names) -> Option<Moment> {
    let zone = names.zone;
    let today = zone.today(names.now);
    let midnight = |d: NaiveDate| zone.at(d, NaiveTime::MIN).timestamp_millis();
    let v = value.to_lowercase();
    if op == Op::Is {
        let start = match v.as_str() {
            "never" | "none" | "从未" | "无" if key == Key::LastFollowup => return Some(Moment::Never),
            "today" | "今天" => today,
            "this_week" | "本周" => today - Duration::days(today.weekday().num_days_from_monday().into()),
            "this_month" | "本月" => today.with_day(1)?,
            "this_year" | "今年" => today.with_ordinal(1)?,
            _ => {
                let day = NaiveDate::parse_from_str(&v, "%Y-%m-%d").ok()?;
                return Some(Moment::Between(midnight(day), midnight(day.succ_opt()?)));
            }
        };
        return Some(Moment::After(midnight(start)));
    }
    if let Some(age) = age(&v) {
        // An age past chrono's range (`9999999999y`) is no moment: refused like a typo.
        let edge = names.now.checked_sub_signed(age)?.timestamp_millis();
        return match op {
            Op::Lt => Some(Moment::After(edge + 1)),
            Op::Le => Some(Moment::After(edge)),
            Op::Gt => Some(Moment::Before(edge)),
            Op::Ge => Some(Moment::Before(edge + 1)),
            _ => None,
        };
    }
    let day = NaiveDate::parse_from_str(&v, "%Y-%m-%d").ok()?;
    match op {
        Op::Ge => Some(Moment::After(midnight(day))),
        Op::Gt => Some(Moment::After(midnight(day.succ_opt()?))),
        Op::Lt => Some(Moment::Before(midnight(day))),
        Op::Le => Some(Moment::Before(midnight(day.succ_opt()?))),
        _ => None,
    }
}

/// `90d`, `2w`, `3m` (months of 30 days), `1y`; also `90天`, `3个月`.
fn age(v: &str) -> Option<Duration> {
    let digits: String = v.chars().take_while(|c| c.is_ascii_digit()).collect();
    let n: i64 = digits.parse().ok()?;
    let unit = v[digits.len()..].trim();
    let days = match unit {
        "d" | "天" => Some(n),
        "w" | "周" => n.checked_mul(7),
        "m" | "个月" | "月" => n.checked_mul(30),
        "y" | "年" => n.checked_mul(365),
        _ => return None,
    };
    Duration::try_days(days?)
}
