//! Reminders as the 工作台, the scheduler, the settings page and the CLI use them.

use chrono::{DateTime, Duration, NaiveTime, Utc};
use serde::Serialize;
use sqlx::Row;
use ts_rs::TS;

use super::Crm;
use crate::db::{from_ms, to_ms};
use crate::reminders::{self, rules, Reminder, ReminderSettings, Snooze};
use crate::Result;

/// The start page: what to do today.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Workbench {
    /// Open reminders due today or overdue, oldest first.
    pub due: Vec<Reminder>,
    /// Customers added in the last week without a first contact yet.
    pub new_customers: Vec<NewCustomer>,
    /// Open deals at risk: no contact for the stall threshold, past their close date, or too
    /// long in their stage.
    pub deals_at_risk: Vec<crate::deals::Deal>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NewCustomer {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub owner: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl Crm {
    pub async fn reminder_settings(&self) -> Result<ReminderSettings> {
        reminders::load_settings(&mut *self.pool.acquire().await?).await
    }

    /// Saves the rules; pending rule reminders are produced again under them, and next
    /// steps not yet announced move with a new lead time.
    pub async fn set_reminder_settings(&self, value: ReminderSettings) -> Result<ReminderSettings> {
        let now = self.now();
        let mut tx = self.write().await?;
        let old = reminders::load_settings(&mut tx).await?;
        let saved = reminders::save_settings(&mut tx, value, now).await?;
        super::settings_changed(&mut tx, now, "reminders", &saved).await?;
        if old.lead() != saved.lead() {
            reminders::shift_lead(&mut tx, old.lead(), saved.lead()).await?;
        }
        if old.rules != saved.rules || old.renewal_field != saved.renewal_field {
            rules::withdraw_pending(&mut tx, rules::Scope::All).await?;
            rules::run(&mut tx, &saved, now, self.zone, rules::Scope::All).await?;
        }
        if old.rules != saved.rules || old.score_drop != saved.score_drop {
            Crm::values_outdated(&mut tx, now).await?;
        }
        tx.commit().await?;
        Ok(saved)
    }

    /// Runs every rule over the whole ledger; returns how many reminders it added.
    pub async fn run_reminder_rules(&self) -> Result<u64> {
        let now = self.now();
        let mut tx = self.write().await?;
        let settings = reminders::load_settings(&mut tx).await?;
        let added = rules::run(&mut tx, &settings, now, self.zone, rules::Scope::All).await?;
        tx.commit().await?;
        Ok(added)
    }

    /// What is due at this moment (reminding now or earlier, still open), with its cause.
    pub async fn due_reminders(&self, limit: i64) -> Result<Vec<Reminder>> {
        self.run_reminder_rules().await?;
        reminders::agenda(&mut *self.pool.acquire().await?, self.now(), limit).await
    }

    /// The last moment of the user's today.
    fn end_of_today(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        let tomorrow = self.zone.today(now).succ_opt().expect("date in range");
        self.zone.at(tomorrow, NaiveTime::MIN) - Duration::milliseconds(1)
    }

    /// How many follow-ups are due today or overdue: the tray's count, without the 工作台's lists.
    pub async fn due_today_count(&self) -> Result<i64> {
        let until = self.end_of_today(self.now());
        reminders::agenda_count(&mut *self.pool.acquire().await?, until).await
    }

    pub async fn workbench(&self) -> Result<Workbench> {
        let now = self.now();
        let mut conn = self.pool.acquire().await?;
        let due = reminders::agenda(&mut conn, self.end_of_today(now), 200).await?;
        let rows = sqlx::query(
            "SELECT id, name, owner, created_at FROM customers
             WHERE deleted_at IS NULL AND last_followup_at IS NULL AND first_contact IS NULL AND created_at >= ?
             ORDER BY created_at DESC LIMIT 50",
        )
        .bind(to_ms(now - Duration::days(7)))
        .fetch_all(&mut *conn)
        .await?;
        let new_customers = rows
            .iter()
            .map(|r| NewCustomer {
                id: r.get("id"),
                name: r.get("name"),
                owner: r.get("owner"),
                created_at: from_ms(r.get("created_at")),
            })
            .collect();
        drop(conn);
        let deals_at_risk = self.stalled_deals(&crate::deals::DealFilter::default(), 20).await?;
        Ok(Workbench { due, new_customers, deals_at_risk })
    }

    /// Open reminders that remind within the next `days` days (overdue ones included), for
    /// the 跟进 page's plan; at most `limit`.
    pub async fn upcoming_reminders(&self, days: u32, limit: i64) -> Result<Vec<Reminder>> {
        if days > 366 || !(1..=1000).contains(&limit) {
            return Err(crate::Error::invalid("days", "out_of_range"));
        }
        let until = self.now() + Duration::days(days.into());
        reminders::agenda(&mut *self.pool.acquire().await?, until, limit).await
    }

    pub async fn customer_reminders(&self, customer_id: i64) -> Result<Vec<Reminder>> {
        reminders::open_for_customer(&mut *self.pool.acquire().await?, customer_id).await
    }

    pub async fn snooze_reminder(&self, id: i64, snooze: Snooze) -> Result<Reminder> {
        let until = snooze.until(self.now(), self.zone);
        reminders::snooze(&mut *self.pool.acquire().await?, id, until).await
    }

    pub async fn complete_reminder(&self, id: i64) -> Result<Reminder> {
        let now = self.now();
        let mut tx = self.write().await?;
        let done = reminders::complete(&mut tx, id, now).await?;
        crate::followups::refresh_customer(&mut tx, done.customer_id).await?;
        tx.commit().await?;
        Ok(done)
    }

    /// When the scheduler should next wake: the next reminder to announce, held back to the
    /// end of quiet hours.
    pub async fn next_reminder_at(&self) -> Result<Option<DateTime<Utc>>> {
        let mut conn = self.pool.acquire().await?;
        let settings = reminders::load_settings(&mut conn).await?;
        let next = reminders::next_pending(&mut conn).await?;
        Ok(next.map(|at| match &settings.quiet_hours {
            Some(quiet) => quiet.release(at, self.zone),
            None => at,
        }))
    }

    /// Takes every reminder due now for announcing, unless it is quiet hours (then nothing:
    /// they wait, and [`Crm::next_reminder_at`] says until when).
    pub async fn take_due_reminders(&self) -> Result<Vec<Reminder>> {
        let now = self.now();
        let mut conn = self.pool.acquire().await?;
        let settings = reminders::load_settings(&mut conn).await?;
        if settings.quiet_hours.as_ref().is_some_and(|q| q.release(now, self.zone) > now) {
            return Ok(Vec::new());
        }
        reminders::take_due(&mut conn, now).await
    }
}
