//! Logging follow-ups, and what each one settles and schedules.

use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;

use super::Crm;
use crate::followups::{self, Followup, FollowupInput, FollowupMethod, NewFollowup};
use crate::reminders::{self, rules};
use crate::{customers, tags, Error, Result};

/// A page of a customer's follow-ups, newest first.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FollowupPage {
    pub items: Vec<Followup>,
    /// Pass back as `before` for the next page; absent on the last one.
    pub next: Option<FollowupCursor>,
}

#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct FollowupCursor {
    #[ts(type = "number")]
    pub at: i64,
    #[ts(type = "number")]
    pub id: i64,
}

async fn live_customer(conn: &mut SqliteConnection, id: i64) -> Result<()> {
    let customer = customers::get(conn, id).await?;
    if customer.deleted_at.is_some() {
        return Err(Error::NotFound { entity: "customer", id: id.to_string() });
    }
    Ok(())
}

/// A follow-up about a deal must be about one of this customer's deals.
async fn deal_of(conn: &mut SqliteConnection, customer_id: i64, deal_id: Option<i64>) -> Result<()> {
    let Some(deal_id) = deal_id else { return Ok(()) };
    let owner = crate::deals::customer_of(conn, deal_id).await?;
    if owner != Some(customer_id) {
        return Err(Error::invalid("dealId", "unknown_deal"));
    }
    Ok(())
}

impl Crm {
    pub async fn followup_methods(&self) -> Result<Vec<FollowupMethod>> {
        followups::methods(&mut *self.pool.acquire().await?).await
    }

    pub async fn add_followup_method(&self, name: &str, template: Option<&str>) -> Result<FollowupMethod> {
        followups::add_method(&mut *self.pool.acquire().await?, name, template).await
    }

    pub async fn update_followup_method(&self, id: i64, name: &str, template: Option<&str>) -> Result<FollowupMethod> {
        followups::update_method(&mut *self.pool.acquire().await?, id, name, template).await
    }

    pub async fn followups(&self, customer_id: i64, before: Option<FollowupCursor>, limit: i64) -> Result<FollowupPage> {
        if !(1..=200).contains(&limit) {
            return Err(Error::invalid("limit", "out_of_range"));
        }
        let mut conn = self.pool.acquire().await?;
        customers::get(&mut conn, customer_id).await?;
        let mut items = followups::list_for_customer(&mut conn, customer_id, before.map(|c| (c.at, c.id)), limit + 1).await?;
        let next = if items.len() as i64 > limit {
            items.truncate(limit as usize);
            items.last().map(|f| FollowupCursor { at: crate::db::to_ms(f.at), id: f.id })
        } else {
            None
        };
        Ok(FollowupPage { items, next })
    }

    pub async fn followup(&self, id: i64) -> Result<Followup> {
        followups::get(&mut *self.pool.acquire().await?, id).await
    }

    /// Logs a follow-up: schedules its next step, settles what it answers, and moves the
    /// customer's last-contact time and next planned action.
    pub async fn add_followup(&self, customer_id: i64, input: &FollowupInput) -> Result<Followup> {
        let now = self.now();
        let mut tx = self.write().await?;
        live_customer(&mut tx, customer_id).await?;
        let parsed = NewFollowup::parse(input, &followups::methods(&mut tx).await?, now)?;
        deal_of(&mut tx, customer_id, parsed.deal_id).await?;
        let id = followups::insert(&mut tx, customer_id, &parsed, &self.ids.next_uid(now), now).await?;
        self.after_followup_write(&mut tx, customer_id, id, &parsed, now).await?;
        let followup = followups::get(&mut tx, id).await?;
        tx.commit().await?;
        Ok(followup)
    }

    pub async fn update_followup(&self, id: i64, input: &FollowupInput) -> Result<Followup> {
        let now = self.now();
        let mut tx = self.write().await?;
        let before = followups::get(&mut tx, id).await?;
        let parsed = NewFollowup::parse(input, &followups::methods(&mut tx).await?, now)?;
        deal_of(&mut tx, before.customer_id, parsed.deal_id).await?;
        followups::update(&mut tx, id, &parsed, now).await?;
        if parsed.next.is_none() {
            sqlx::query("DELETE FROM reminders WHERE followup_id = ? AND rule = 'next_step'").bind(id).execute(&mut *tx).await?;
        }
        self.after_followup_write(&mut tx, before.customer_id, id, &parsed, now).await?;
        let followup = followups::get(&mut tx, id).await?;
        tx.commit().await?;
        Ok(followup)
    }

    pub async fn delete_followup(&self, id: i64) -> Result<()> {
        let now = self.now();
        let mut tx = self.write().await?;
        let followup = followups::get(&mut tx, id).await?;
        followups::delete(&mut tx, id).await?;
        followups::refresh_customer(&mut tx, followup.customer_id).await?;
        self.rerun_rules(&mut tx, followup.customer_id, now).await?;
        let details = serde_json::json!({ "customerId": followup.customer_id });
        crate::audit::record(&mut tx, now, crate::audit::AuditAction::FollowupDelete, Some(("followup", id.to_string())), details).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn after_followup_write(
        &self,
        conn: &mut SqliteConnection,
        customer_id: i64,
        id: i64,
        f: &NewFollowup,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let settings = reminders::load_settings(conn).await?;
        if let Some(next) = &f.next {
            reminders::upsert_next_step(conn, customer_id, id, next, settings.lead(), now).await?;
        }
        reminders::close_on_contact(conn, customer_id, id, f.at, f.feedback.is_some(), now).await?;
        followups::refresh_customer(conn, customer_id).await?;
        self.rerun_rules(conn, customer_id, now).await
    }

    /// The customer's facts changed: its pending rule reminders are produced afresh, and its
    /// automatic tags and value score follow.
    pub(crate) async fn rerun_rules(&self, conn: &mut SqliteConnection, customer_id: i64, now: DateTime<Utc>) -> Result<()> {
        let settings = reminders::load_settings(conn).await?;
        // The score first: an earned grade sets the contact cadence.
        tags::score::refresh(conn, now, &settings.score_drop, tags::auto::Scope::Customer(customer_id)).await?;
        tags::auto::refresh(conn, &settings, now, tags::auto::Scope::Customer(customer_id)).await?;
        let scope = rules::Scope::Customer(customer_id);
        rules::withdraw_pending(conn, scope).await?;
        rules::run(conn, &settings, now, self.zone, scope).await?;
        Ok(())
    }
}
