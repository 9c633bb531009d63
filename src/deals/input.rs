use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::{DealInput, LostReason, Stage, StageKind};
use crate::error::FieldErrors;
use crate::import::{parse as cells, Cell};
use crate::{money, Error, Result};

/// A deal that passed every rule; only this reaches the database.
#[derive(Debug, Clone, PartialEq)]
pub struct NewDeal {
    pub customer_id: i64,
    pub name: String,
    pub amount_fen: i64,
    pub close_date: Option<NaiveDate>,
    pub probability: Option<i64>,
    pub owner: Option<String>,
    pub stage: Stage,
    pub lost: Option<Lost>,
    pub notes: Option<String>,
    pub feedback: BTreeMap<String, String>,
}

/// Why a deal was lost: a reason from the managed list and an optional note.
#[derive(Debug, Clone, PartialEq)]
pub struct Lost {
    pub reason: String,
    pub note: Option<String>,
}

/// 100亿元 a deal at most. The reports sum amounts in i64 fen, which a few deals near
/// `i64::MAX` would overflow (an SQLite error, a panic in a debug build); under this cap a
/// ledger needs over nine million such deals to get there.
pub const MAX_AMOUNT_FEN: i64 = 10_000_000_000 * 100;

/// Trimmed of ASCII and ideographic spaces; `None` when nothing is left.
fn non_blank(s: Option<&str>) -> Option<&str> {
    s.map(|s| s.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}')).filter(|s| !s.is_empty())
}

fn text(errors: &mut FieldErrors, field: &str, raw: Option<&str>, max: usize) -> Option<String> {
    let text = non_blank(raw)?;
    if text.chars().count() > max {
        errors.insert(field.into(), "too_long".into());
        return None;
    }
    Some(text.to_owned())
}

/// The stage a deal goes to, checked against the list.
pub fn stage(stages: &[Stage], id: i64) -> Result<Stage> {
    stages.iter().find(|s| s.id == id).cloned().ok_or_else(|| Error::invalid("stageId", "unknown_stage"))
}

/// A lost reason is required for the lost stage and must be one of the list; the note is free.
pub fn lost(
    errors: &mut FieldErrors,
    stage: &Stage,
    reasons: &[LostReason],
    reason: Option<&str>,
    note: Option<&str>,
) -> Option<Lost> {
    if stage.kind != StageKind::Lost {
        return None;
    }
    let note = text(errors, "lostNote", note, 500);
    match non_blank(reason) {
        None => {
            errors.insert("lostReason".into(), "required".into());
            None
        }
        Some(reason) if !reasons.iter().any(|r| r.name == reason) => {
            errors.insert("lostReason".into(), "unknown_reason".into());
            None
        }
        Some(reason) => Some(Lost { reason: reason.to_owned(), note }),
    }
}

impl NewDeal {
    pub fn parse(input: &DealInput, stages: &[Stage], reasons: &[LostReason]) -> Result<Self> {
        let mut errors = FieldErrors::new();
        let name = text(&mut errors, "name", Some(&input.name), 100);
        if name.is_none() && !errors.contains_key("name") {
            errors.insert("name".into(), "required".into());
        }
        let amount_fen = match non_blank(Some(&input.amount)) {
            None => {
                errors.insert("amount".into(), "required".into());
                None
            }
            Some(raw) => money::parse_amount(raw)
                .and_then(|fen| if fen > MAX_AMOUNT_FEN { Err("out_of_range") } else { Ok(fen) })
                .map_err(|code| errors.insert("amount".into(), code.into()))
                .ok(),
        };
        let close_date = non_blank(input.close_date.as_deref()).and_then(|raw| {
            cells::date(&Cell::Text(raw.into())).map_err(|code| errors.insert("closeDate".into(), code.into())).ok().flatten()
        });
        if let Some(p) = input.probability {
            if !(0..=100).contains(&p) {
                errors.insert("probability".into(), "out_of_range".into());
            }
        }
        let owner = text(&mut errors, "owner", input.owner.as_deref(), 50);
        let notes = text(&mut errors, "notes", input.notes.as_deref(), 2000);
        let mut feedback = BTreeMap::new();
        for (key, value) in &input.feedback {
            if !stages.iter().any(|s| s.id.to_string() == *key) {
                errors.insert(format!("feedback.{key}"), "unknown_stage".into());
            } else if let Some(value) = text(&mut errors, &format!("feedback.{key}"), Some(value), 2000) {
                feedback.insert(key.clone(), value);
            }
        }
        let stage = match input.stage_id {
            Some(id) => stage(stages, id).map_err(|_| errors.insert("stageId".into(), "unknown_stage".into())).ok(),
            None => stages.first().cloned(),
        };
        let lost = stage.as_ref().and_then(|s| {
            lost(&mut errors, s, reasons, input.lost_reason.as_deref(), input.lost_note.as_deref())
        });
        match (name, amount_fen, stage) {
            (Some(name), Some(amount_fen), Some(stage)) if errors.is_empty() => Ok(NewDeal {
                customer_id: input.customer_id,
                name,
                amount_fen,
                close_date,
                probability: input.probability,
                owner,
                stage,
                lost,
                notes,
                feedback,
            }),
            _ => Err(Error::Validation(errors)),
        }
    }
}
