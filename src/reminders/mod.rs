//! Reminders: a follow-up's next step, and what the rules (设置 → 提醒规则) find due. Each
//! reminder is stored once per cause, fires once, and stays until it is done, closed by the
//! next follow-up, or snoozed to later.

pub mod notice;
pub mod rules;
mod settings;
mod store;

use chrono::{DateTime, Duration, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::Zone;

pub use settings::{load as load_settings, save as save_settings, QuietHours, ReminderSettings, RuleKind, RuleSetting, ScoreDrop};
pub use store::{
    agenda, agenda_count, close_on_contact, complete, get, next_pending, open_for_customer, shift_lead, snooze, take_due, upsert_next_step,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ReminderRule {
    /// A follow-up's 下一步计划.
    NextStep,
    FirstContact,
    Renewal,
    ProposalNoReply,
    /// An open deal and no customer response for a while: churn risk.
    NoResponse,
    Dormant,
    Cadence,
}

impl ReminderRule {
    pub fn as_str(self) -> &'static str {
        match self {
            ReminderRule::NextStep => "next_step",
            ReminderRule::FirstContact => "first_contact",
            ReminderRule::Renewal => "renewal",
            ReminderRule::ProposalNoReply => "proposal_no_reply",
            ReminderRule::NoResponse => "no_response",
            ReminderRule::Dormant => "dormant",
            ReminderRule::Cadence => "cadence",
        }
    }

    pub fn from_db(s: &str) -> Self {
        match s {
            "first_contact" => ReminderRule::FirstContact,
            "renewal" => ReminderRule::Renewal,
            "proposal_no_reply" => ReminderRule::ProposalNoReply,
            "no_response" => ReminderRule::NoResponse,
            "dormant" => ReminderRule::Dormant,
            "cadence" => ReminderRule::Cadence,
            _ => ReminderRule::NextStep,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ReminderStatus {
    Open,
    Done,
    /// Settled by a later follow-up.
    Closed,
}

impl ReminderStatus {
    pub fn from_db(s: &str) -> Self {
        match s {
            "done" => ReminderStatus::Done,
            "closed" => ReminderStatus::Closed,
            _ => ReminderStatus::Open,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Reminder {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub customer_id: i64,
    pub customer_name: String,
    #[ts(type = "number | null")]
    pub followup_id: Option<i64>,
    /// Why this reminder exists.
    pub rule: ReminderRule,
    /// What to do: the next step's words; absent for rules (the UI words them by `rule`).
    pub action: Option<String>,
    pub owner: Option<String>,
    /// When the action is due.
    pub due_at: DateTime<Utc>,
    /// When it reminds: the due time minus the lead time, or where a snooze moved it.
    pub remind_at: DateTime<Utc>,
    pub status: ReminderStatus,
    pub notified_at: Option<DateTime<Utc>>,
    /// It fell due while the app was closed or the machine slept (错过的提醒).
    pub missed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Snooze {
    #[serde(rename = "15m")]
    Minutes15,
    #[serde(rename = "1h")]
    Hour1,
    /// Tomorrow at 9:00, the user's time.
    Tomorrow,
}

impl Snooze {
    pub fn parse(raw: &str) -> Option<Snooze> {
        match raw {
            "15m" => Some(Snooze::Minutes15),
            "1h" => Some(Snooze::Hour1),
            "tomorrow" => Some(Snooze::Tomorrow),
            _ => None,
        }
    }

    pub fn until(self, now: DateTime<Utc>, zone: Zone) -> DateTime<Utc> {
        match self {
            Snooze::Minutes15 => now + Duration::minutes(15),
            Snooze::Hour1 => now + Duration::hours(1),
            Snooze::Tomorrow => {
                let tomorrow = zone.today(now).succ_opt().expect("far from the end of time");
                zone.at(tomorrow, NaiveTime::from_hms_opt(9, 0, 0).expect("valid time"))
            }
        }
    }
}

/// A reminder announced this late after its moment was not seen when it was due: the app
/// was closed or the machine asleep. It is presented as missed rather than as fresh.
pub const MISSED_AFTER: Duration = Duration::minutes(2);
