//! Merging two records of one customer: field by field, with the user's choice wherever
//! both hold different values; contacts (and later tags, follow-ups, deals) move over; the
//! merged-away record stays in history, out of the lists.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::history::field_values;
use super::{Customer, CustomerInput};

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FieldConflict {
    pub field: String,
    pub survivor: String,
    pub absorbed: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MergePreview {
    pub survivor: Customer,
    pub absorbed: Customer,
    /// Fields both records fill differently: the user picks a side for each.
    pub conflicts: Vec<FieldConflict>,
    /// Fields only the absorbed record fills: they are taken over as they are.
    pub filled: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum MergeSide {
    Survivor,
    Absorbed,
}

/// Contacts are united, never chosen between.
const UNITED: &[&str] = &["contacts"];

pub fn preview(survivor: Customer, absorbed: Customer) -> MergePreview {
    let ours: BTreeMap<String, Option<String>> = field_values(&survivor).into_iter().collect();
    let mut conflicts = Vec::new();
    let mut filled = Vec::new();
    for (field, theirs) in field_values(&absorbed) {
        let Some(theirs) = theirs else { continue };
        if UNITED.contains(&field.as_str()) {
            continue;
        }
        match ours.get(&field).cloned().flatten() {
            None => filled.push(field),
            Some(mine) if mine != theirs => conflicts.push(FieldConflict { field, survivor: mine, absorbed: theirs }),
            Some(_) => {}
        }
    }
    MergePreview { survivor, absorbed, conflicts, filled }
}

/// The survivor's new profile: its own values, empty ones filled from the absorbed record,
/// and the absorbed value wherever the user chose it. Contacts are handled by the caller.
pub fn merged_input(survivor: &Customer, absorbed: &Customer, choices: &BTreeMap<String, MergeSide>) -> CustomerInput {
    let mut merged = survivor.to_input();
    let theirs = absorbed.to_input();
    let p = preview(survivor.clone(), absorbed.clone());
    let take: Vec<&String> = p
        .filled
        .iter()
        .chain(p.conflicts.iter().filter(|c| choices.get(&c.field) == Some(&MergeSide::Absorbed)).map(|c| &c.field))
        .collect();
    for field in take {
        copy_field(field, &theirs, &mut merged);
    }
    merged.contacts.clear();
    merged
}

fn copy_field(field: &str, from: &CustomerInput, into: &mut CustomerInput) {
    match field {
        "number" => into.number = from.number.clone(),
        "kind" => into.kind = from.kind,
        "name" => into.name = from.name.clone(),
        "industry" => into.industry = from.industry.clone(),
        "employees" => into.employees = from.employees.clone(),
        "revenue" => into.revenue = from.revenue.clone(),
        "region" => into.region = from.region.clone(),
        "address" => into.address = from.address.clone(),
        "source" => into.source = from.source.clone(),
        "firstContact" => into.first_contact = from.first_contact.clone(),
        "owner" => into.owner = from.owner.clone(),
        "grade" => into.grade = from.grade.clone(),
        "stage" => into.stage = from.stage.clone(),
        "needs" => into.needs = from.needs.clone(),
        "notes" => into.notes = from.notes.clone(),
        "phone" => into.phone = from.phone.clone(),
        "email" => into.email = from.email.clone(),
        other => {
            if let Some(key) = other.strip_prefix("custom.") {
                if let Some(value) = from.custom.get(key) {
                    into.custom.insert(key.to_owned(), value.clone());
                }
            }
        }
    }
}
