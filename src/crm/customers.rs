//! The customer operations as the desktop, the CLI and the import call them.

use std::collections::{BTreeMap, HashSet};

use chrono::Datelike;
use serde::Serialize;
use sqlx::SqliteConnection;
use ts_rs::TS;

use super::Crm;
use crate::customers::duplicates::{self, DuplicateMatch, MatchKind};
use crate::customers::history::{self, HistoryAction, HistoryEntry};
use crate::customers::merge::{self, MergePreview, MergeSide};
use crate::customers::{self, Catalog, Customer, CustomerInput, CustomerPage, ListQuery, NewCustomer};
use crate::audit::{self, AuditAction};
use crate::{custom_fields, industries, segments, settings, Error, Result};

/// Saving either worked, or found records that may be the same customer and saved nothing,
/// so the user can open one, merge, or save anyway.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "status", rename_all = "snake_case")]
#[ts(export)]
pub enum SaveOutcome {
    Saved { customer: Customer },
    Duplicates { matches: Vec<DuplicateMatch> },
}

impl SaveOutcome {
    /// The saved customer, or a CONFLICT error listing the matches' ids (for callers that
    /// cannot ask the user).
    pub fn saved(self) -> Result<Customer> {
        match self {
            SaveOutcome::Saved { customer } => Ok(customer),
            SaveOutcome::Duplicates { matches } => Err(Error::Conflict(
                matches.iter().map(|m| (format!("duplicate.{}", m.customer.id), "duplicate".to_owned())).collect(),
            )),
        }
    }
}

pub(crate) async fn catalog(conn: &mut SqliteConnection) -> Result<Catalog> {
    Ok(Catalog { industries: industries::list(conn).await?, fields: custom_fields::list(conn).await? })
}

impl Crm {
    /// Adds a customer. Unless `allow_duplicate`, a record that may be the same customer
    /// stops the save and is returned instead.
    pub async fn add_customer(&self, input: &CustomerInput, allow_duplicate: bool) -> Result<SaveOutcome> {
        let now = self.now();
        let mut tx = self.write().await?;
        let customer = NewCustomer::parse(input, &catalog(&mut tx).await?)?;
        if !allow_duplicate {
            let matches = duplicates::find(&mut tx, &customer, None).await?;
            if !matches.is_empty() {
                return Ok(SaveOutcome::Duplicates { matches });
            }
        }
        let number = match &customer.number {
            Some(number) => number.clone(),
            None => {
                let year = self.zone.to_local(now).year();
                customers::next_number(&mut tx, year, customer.industry.as_ref().map(|i| i.code.as_str())).await?
            }
        };
        let id = customers::insert(&mut tx, &customer, &self.ids.next_uid(now), &number, now).await?;
        history::record(&mut tx, id, now, HistoryAction::Create, None).await?;
        self.rerun_rules(&mut tx, id, now).await?;
        let saved = customers::get(&mut tx, id).await?;
        tx.commit().await?;
        Ok(SaveOutcome::Saved { customer: saved })
    }

    /// Replaces a customer's profile, recording each changed field. Only a phone, e-mail, name
    /// or number that is new to this record is checked for duplicates, so editing a note
    /// never re-raises a known similarity.
    pub async fn update_customer(&self, id: i64, input: &CustomerInput, allow_duplicate: bool) -> Result<SaveOutcome> {
        let now = self.now();
        let mut tx = self.write().await?;
        let before = live(&mut tx, id).await?;
        let customer = NewCustomer::parse(input, &catalog(&mut tx).await?)?;
        if !allow_duplicate {
            let known: HashSet<String> = before_keys(&before);
            let matches: Vec<DuplicateMatch> = duplicates::find(&mut tx, &customer, Some(id))
                .await?
                .into_iter()
                .filter(|m| {
                    m.reasons.iter().any(|r| r.kind != MatchKind::SimilarName && !known.contains(&key_of(r.kind, &r.value)))
                })
                .collect();
            if !matches.is_empty() {
                return Ok(SaveOutcome::Duplicates { matches });
            }
        }
        customers::update(&mut tx, id, &customer, now).await?;
        let after = customers::get(&mut tx, id).await?;
        for change in history::diff(&before, &after) {
            history::record(&mut tx, id, now, HistoryAction::Update, Some(&change)).await?;
        }
        // Grade, stage and dates feed the reminder rules.
        self.rerun_rules(&mut tx, id, now).await?;
        tx.commit().await?;
        Ok(SaveOutcome::Saved { customer: after })
    }

    /// Adds many customers in one transaction: all of them or none. Duplicates are not
    /// checked (the import decides about those itself).
    pub async fn add_customers(&self, inputs: &[CustomerInput]) -> Result<Vec<i64>> {
        let now = self.now();
        let year = self.zone.to_local(now).year();
        let mut tx = self.write().await?;
        let catalog = catalog(&mut tx).await?;
        let parsed = inputs.iter().map(|input| NewCustomer::parse(input, &catalog)).collect::<Result<Vec<_>>>()?;
        // One sequence lookup per industry, then numbers count up in memory.
        let mut next: BTreeMap<Option<String>, u64> = BTreeMap::new();
        let mut rows = Vec::with_capacity(parsed.len());
        for customer in parsed {
            let number = match &customer.number {
                Some(number) => number.clone(),
                None => {
                    let code = customer.industry.as_ref().map(|i| i.code.clone());
                    let seq = match next.get(&code) {
                        Some(seq) => *seq,
                        None => {
                            let first = customers::next_number(&mut tx, year, code.as_deref()).await?;
                            first.rsplit('-').next().and_then(|n| n.parse().ok()).unwrap_or(1)
                        }
                    };
                    next.insert(code.clone(), seq + 1);
                    format!("{year}-{}-{seq:03}", code.as_deref().unwrap_or("GEN"))
                }
            };
            let uid = self.ids.next_uid(now);
            rows.push((customer, uid, number));
        }
        let ids = customers::insert_batch(&mut tx, &rows, now).await?;
        tx.commit().await?;
        Ok(ids)
    }

    /// Any customer, including one in the recycle bin or merged away.
    pub async fn customer(&self, id: i64) -> Result<Customer> {
        customers::get(&mut *self.pool.acquire().await?, id).await
    }

    /// The customer's contact details masked, when lists are masked: what the detail page
    /// shows until an explicit reveal. None when masking is off.
    pub async fn customer_masked(&self, id: i64) -> Result<Option<customers::masked::MaskedDetails>> {
        let mut conn = self.pool.acquire().await?;
        if !settings::mask_lists(&mut conn).await? {
            return Ok(None);
        }
        Ok(Some(customers::masked::MaskedDetails::of(&customers::get(&mut conn, id).await?)))
    }

    pub async fn customer_history(&self, id: i64) -> Result<Vec<HistoryEntry>> {
        let mut conn = self.pool.acquire().await?;
        customers::get(&mut conn, id).await?;
        history::list(&mut conn, id).await
    }

    pub async fn list_customers(&self, query: &ListQuery) -> Result<CustomerPage> {
        // A read transaction keeps the page and its total consistent with each other.
        let mut tx = self.pool.begin().await?;
        let filter = segments::prepare(&mut tx, query.filter.as_deref(), self.now(), self.zone).await?;
        let mut page = customers::list_page(&mut tx, query, filter.as_ref()).await?;
        // Masked here, so the real values never reach a list on screen or over IPC.
        if settings::mask_lists(&mut tx).await? {
            for row in &mut page.items {
                row.phone = row.phone.as_deref().map(crate::export::mask::phone);
                row.email = row.email.as_deref().map(crate::export::mask::email);
            }
        }
        tx.commit().await?;
        Ok(page)
    }

    /// How many customers match a query, without fetching a page.
    pub async fn count_customers(&self, query: &ListQuery) -> Result<i64> {
        let mut conn = self.pool.acquire().await?;
        let filter = segments::prepare(&mut conn, query.filter.as_deref(), self.now(), self.zone).await?;
        customers::list_count(&mut conn, query, filter.as_ref()).await
    }

    pub async fn find_duplicates(&self, input: &CustomerInput, exclude: Option<i64>) -> Result<Vec<DuplicateMatch>> {
        let mut conn = self.pool.acquire().await?;
        let customer = NewCustomer::parse(input, &catalog(&mut conn).await?)?;
        duplicates::find(&mut conn, &customer, exclude).await
    }

    /// Moves a customer to the recycle bin.
    pub async fn delete_customer(&self, id: i64) -> Result<()> {
        let now = self.now();
        let mut tx = self.write().await?;
        let c = live(&mut tx, id).await?;
        customers::set_deleted(&mut tx, id, Some(now)).await?;
        history::record(&mut tx, id, now, HistoryAction::Delete, None).await?;
        audit::record(&mut tx, now, AuditAction::CustomerDelete, Some(("customer", id.to_string())), audit_label(&c)).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn restore_customer(&self, id: i64) -> Result<Customer> {
        let now = self.now();
        let mut tx = self.write().await?;
        let c = customers::get(&mut tx, id).await?;
        if c.deleted_at.is_none() {
            return Err(Error::invalid("id", "not_deleted"));
        }
        customers::restore(&mut tx, id).await?;
        history::record(&mut tx, id, now, HistoryAction::Restore, None).await?;
        audit::record(&mut tx, now, AuditAction::CustomerRestore, Some(("customer", id.to_string())), audit_label(&c)).await?;
        self.rerun_rules(&mut tx, id, now).await?;
        let restored = customers::get(&mut tx, id).await?;
        tx.commit().await?;
        Ok(restored)
    }

    /// Deletes for good; only what is already in the recycle bin.
    pub async fn purge_customer(&self, id: i64) -> Result<()> {
        let now = self.now();
        let mut tx = self.write().await?;
        let c = customers::get(&mut tx, id).await?;
        if c.deleted_at.is_none() {
            return Err(Error::invalid("id", "not_deleted"));
        }
        customers::purge(&mut tx, id).await?;
        audit::record(&mut tx, now, AuditAction::CustomerPurge, Some(("customer", id.to_string())), audit_label(&c)).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn merge_preview(&self, survivor: i64, absorbed: i64) -> Result<MergePreview> {
        let mut conn = self.pool.acquire().await?;
        if survivor == absorbed {
            return Err(Error::invalid("absorbed", "same_customer"));
        }
        Ok(merge::preview(live(&mut conn, survivor).await?, live(&mut conn, absorbed).await?))
    }

    /// Merges `absorbed` into `survivor`. `choices` names the conflicting fields whose value
    /// comes from the absorbed record; every other conflict keeps the survivor's value.
    pub async fn merge_customers(
        &self,
        survivor: i64,
        absorbed: i64,
        choices: &BTreeMap<String, MergeSide>,
    ) -> Result<Customer> {
        if survivor == absorbed {
            return Err(Error::invalid("absorbed", "same_customer"));
        }
        let now = self.now();
        let mut tx = self.write().await?;
        let kept = live(&mut tx, survivor).await?;
        let gone = live(&mut tx, absorbed).await?;
        let mut input = merge::merged_input(&kept, &gone, choices);
        // Keep the survivor's contacts, then move the absorbed record's over.
        input.contacts = kept.to_input().contacts;
        let customer = NewCustomer::parse(&input, &catalog(&mut tx).await?)?;
        if customer.number.is_some() && customer.number == gone.number {
            // The number moves with the choice: free it on the absorbed record first.
            sqlx::query("UPDATE customers SET number = NULL WHERE id = ?").bind(absorbed).execute(&mut *tx).await?;
        }
        customers::update(&mut tx, survivor, &customer, now).await?;
        sqlx::query(
            "UPDATE contacts SET customer_id = ?, position = position + (SELECT count(*) FROM contacts WHERE customer_id = ?)
             WHERE customer_id = ?",
        )
        .bind(survivor)
        .bind(survivor)
        .bind(absorbed)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE customers SET deleted_at = ?, merged_into = ? WHERE id = ?")
            .bind(crate::db::to_ms(now))
            .bind(survivor)
            .bind(absorbed)
            .execute(&mut *tx)
            .await?;
        customers::refresh_derived(&mut tx, absorbed).await?;
        customers::refresh_derived(&mut tx, survivor).await?;
        crate::followups::move_to(&mut tx, absorbed, survivor).await?;
        crate::tags::copy_to(&mut tx, absorbed, survivor).await?;
        crate::followups::refresh_customer(&mut tx, absorbed).await?;
        crate::followups::refresh_customer(&mut tx, survivor).await?;
        self.rerun_rules(&mut tx, survivor, now).await?;
        let after = customers::get(&mut tx, survivor).await?;
        let label = |c: &Customer| format!("#{} {}", c.id, c.name);
        let merged = history::Change { field: "merged".into(), old: None, new: Some(label(&gone)) };
        history::record(&mut tx, survivor, now, HistoryAction::Merge, Some(&merged)).await?;
        for change in history::diff(&kept, &after) {
            history::record(&mut tx, survivor, now, HistoryAction::Update, Some(&change)).await?;
        }
        let into = history::Change { field: "mergedInto".into(), old: None, new: Some(label(&after)) };
        history::record(&mut tx, absorbed, now, HistoryAction::MergedAway, Some(&into)).await?;
        let details = serde_json::json!({ "survivor": after.name, "absorbed": absorbed, "absorbedName": gone.name });
        audit::record(&mut tx, now, AuditAction::CustomerMerge, Some(("customer", survivor.to_string())), details).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Derived rows (search, duplicate keys) written by an older version are rebuilt once.
    pub(super) async fn refresh_stale(&self) -> Result<()> {
        // Nearly every open finds none; the write lock is taken only when there is work, so a
        // ledger another program is writing (a long import from the CLI) still opens.
        if customers::stale_ids(&mut *self.pool.acquire().await?).await?.is_empty() {
            return Ok(());
        }
        let mut tx = self.write().await?;
        for id in customers::stale_ids(&mut tx).await? {
            customers::refresh_derived(&mut tx, id).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

/// A customer that is not in the recycle bin; anything else is not found for editing.
async fn live(conn: &mut SqliteConnection, id: i64) -> Result<Customer> {
    let c = customers::get(conn, id).await?;
    if c.deleted_at.is_some() {
        return Err(Error::NotFound { entity: "customer", id: id.to_string() });
    }
    Ok(c)
}

/// What the audit log keeps of a customer: enough to recognise it after a purge.
fn audit_label(c: &Customer) -> serde_json::Value {
    serde_json::json!({ "name": c.name, "number": c.number })
}

fn key_of(kind: MatchKind, value: &str) -> String {
    match kind {
        MatchKind::Name => format!("name:{}", crate::domain::name_key(value)),
        other => format!("{other:?}:{value}"),
    }
}

fn before_keys(c: &Customer) -> HashSet<String> {
    let mut keys = HashSet::new();
    keys.insert(key_of(MatchKind::Name, &c.name));
    keys.extend(c.number.iter().map(|n| key_of(MatchKind::Number, n)));
    let phones = c.phone.iter().chain(c.contacts.iter().flat_map(|k| k.phones.iter()));
    keys.extend(phones.map(|p| key_of(MatchKind::Phone, p)));
    let emails = c.email.iter().chain(c.contacts.iter().filter_map(|k| k.email.as_ref()));
    keys.extend(emails.map(|e| key_of(MatchKind::Email, e)));
    keys
}
