//! Follow-ups (跟进记录): what happened with a customer, how, what they said, and what comes
//! next. A next step with a due time is what the reminders are made of.

mod store;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::FieldErrors;
use crate::{Error, Result};

pub use store::{
    add_method, delete, get, insert, list_for_customer, method_by_name_or_code, methods, move_to, refresh_customer, update,
    update_method,
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FollowupMethod {
    #[ts(type = "number")]
    pub id: i64,
    /// `phone`, `wechat`, `visit`, `email`, `meeting` for the built-in methods (the UI
    /// translates them); absent for the ones the user added.
    pub code: Option<String>,
    pub name: String,
    /// The quick template offered when this method is picked; absent: the UI's default.
    pub template: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Followup {
    #[ts(type = "number")]
    pub id: i64,
    pub uid: String,
    #[ts(type = "number")]
    pub customer_id: i64,
    #[ts(type = "number | null")]
    pub deal_id: Option<i64>,
    pub at: DateTime<Utc>,
    pub method: FollowupMethod,
    pub owner: Option<String>,
    pub content: String,
    pub feedback: Option<String>,
    pub awaiting_reply: bool,
    pub next_step: Option<String>,
    pub next_owner: Option<String>,
    pub next_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A follow-up as the form, the CLI and the 工作台's quick log send it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FollowupInput {
    /// When it happened; absent: now.
    #[serde(default)]
    #[ts(optional)]
    pub at: Option<DateTime<Utc>>,
    /// A method's code or name (电话, phone, or one the user added).
    pub method: String,
    #[serde(default)]
    #[ts(optional)]
    pub owner: Option<String>,
    #[serde(default)]
    pub content: String,
    #[serde(default)]
    #[ts(optional)]
    pub feedback: Option<String>,
    #[serde(default)]
    pub awaiting_reply: bool,
    #[serde(default)]
    #[ts(optional)]
    pub next_step: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub next_owner: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub next_at: Option<DateTime<Utc>>,
    #[serde(default)]
    #[ts(optional, type = "number")]
    pub deal_id: Option<i64>,
}

/// Under this many characters the form suggests writing more; the seeds ask for substance
/// (what was discussed, what the customer said), but a short note is never refused.
pub const SUBSTANTIAL_CONTENT_CHARS: usize = 50;

/// How far ahead of the clock a follow-up may be dated: a few minutes of clock skew between
/// a phone and the desktop is normal, a follow-up next week has not happened yet.
const FUTURE_TOLERANCE: Duration = Duration::minutes(5);

/// A follow-up that passed every rule, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct NewFollowup {
    pub at: DateTime<Utc>,
    pub method_id: i64,
    pub owner: Option<String>,
    pub content: String,
    pub feedback: Option<String>,
    pub awaiting_reply: bool,
    pub next: Option<NextStep>,
    pub deal_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NextStep {
    pub action: String,
    pub owner: Option<String>,
    pub at: DateTime<Utc>,
}

impl NewFollowup {
    /// Checks everything at once, so the form can mark every problem in one go.
    pub fn parse(input: &FollowupInput, methods: &[FollowupMethod], now: DateTime<Utc>) -> Result<NewFollowup> {
        let mut errors = FieldErrors::new();
        let text = |raw: &Option<String>, field: &str, max: usize, errors: &mut FieldErrors| {
            let value = raw.as_deref().map(str::trim).filter(|v| !v.is_empty())?;
            if value.chars().count() > max {
                errors.insert(field.to_owned(), "too_long".to_owned());
            }
            Some(value.to_owned())
        };
        let at = input.at.unwrap_or(now);
        if at > now + FUTURE_TOLERANCE {
            errors.insert("at".into(), "in_future".into());
        } else if let Err(code) = crate::domain::day::within_years(at.date_naive()) {
            errors.insert("at".into(), code.into());
        }
        let wanted = input.method.trim();
        let method = methods.iter().find(|m| m.code.as_deref() == Some(wanted) || m.name == wanted);
        if method.is_none() {
            errors.insert("method".into(), if wanted.is_empty() { "required" } else { "unknown_method" }.into());
        }
        let content = input.content.trim().to_owned();
        if content.is_empty() {
            errors.insert("content".into(), "required".into());
        } else if content.chars().count() > 5000 {
            errors.insert("content".into(), "too_long".into());
        }
        let owner = text(&input.owner, "owner", 50, &mut errors);
        let feedback = text(&input.feedback, "feedback", 5000, &mut errors);
        let action = text(&input.next_step, "nextStep", 500, &mut errors);
        let next_owner = text(&input.next_owner, "nextOwner", 50, &mut errors);
        let next = match (action, input.next_at) {
            (Some(action), Some(next_at)) => {
                if next_at <= at {
                    errors.insert("nextAt".into(), "not_after_followup".into());
                } else if let Err(code) = crate::domain::day::within_years(next_at.date_naive()) {
                    errors.insert("nextAt".into(), code.into());
                }
                Some(NextStep { action, owner: next_owner.or_else(|| owner.clone()), at: next_at })
            }
            (Some(_), None) => {
                errors.insert("nextAt".into(), "required".into());
                None
            }
            (None, Some(_)) => {
                errors.insert("nextStep".into(), "required".into());
                None
            }
            (None, None) => None,
        };
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        Ok(NewFollowup {
            at,
            method_id: method.expect("checked above").id,
            owner,
            content,
            feedback,
            awaiting_reply: input.awaiting_reply,
            next,
            deal_id: input.deal_id,
        })
    }
}
