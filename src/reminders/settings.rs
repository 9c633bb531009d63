//! 设置 → 提醒规则: the lead time, quiet hours and each rule's switch and threshold.

use chrono::{DateTime, Duration, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;
use ts_rs::TS;

use crate::error::FieldErrors;
use crate::{settings, Error, Result, Zone};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum RuleKind {
    /// `value` hours after creation without a first contact.
    FirstContact,
    /// `value` days before the renewal date (a date custom field).
    Renewal,
    /// `value` days after a proposal went out without an answer.
    ProposalNoReply,
    /// `value` days without a customer response during an open deal.
    NoResponse,
    /// `value` days without any contact.
    Dormant,
    /// Contact every `value` days for grade A, B, C.
    CadenceA,
    CadenceB,
    CadenceC,
}

impl RuleKind {
    pub const ALL: [RuleKind; 8] = [
        RuleKind::FirstContact,
        RuleKind::Renewal,
        RuleKind::ProposalNoReply,
        RuleKind::NoResponse,
        RuleKind::Dormant,
        RuleKind::CadenceA,
        RuleKind::CadenceB,
        RuleKind::CadenceC,
    ];

    /// The defaults of SPEC §3 and seed 001 §(四).
    fn default_value(self) -> u32 {
        match self {
            RuleKind::FirstContact => 24,
            RuleKind::Renewal => 30,
            RuleKind::ProposalNoReply => 3,
            RuleKind::NoResponse => 14,
            RuleKind::Dormant => 90,
            RuleKind::CadenceA => 7,
            RuleKind::CadenceB => 14,
            RuleKind::CadenceC => 30,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            RuleKind::FirstContact => "first_contact",
            RuleKind::Renewal => "renewal",
            RuleKind::ProposalNoReply => "proposal_no_reply",
            RuleKind::NoResponse => "no_response",
            RuleKind::Dormant => "dormant",
            RuleKind::CadenceA => "cadence_a",
            RuleKind::CadenceB => "cadence_b",
            RuleKind::CadenceC => "cadence_c",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RuleSetting {
    pub kind: RuleKind,
    pub enabled: bool,
    /// Hours for `first_contact`, days for every other rule.
    pub value: u32,
}

impl RuleSetting {
    /// The threshold as a duration.
    pub fn span(&self) -> Duration {
        match self.kind {
            RuleKind::FirstContact => Duration::hours(self.value.into()),
            _ => Duration::days(self.value.into()),
        }
    }
}

/// 流失预警 also marks a customer whose value score fell at least `points` below its high
/// of the last `days` days (SPEC: "or the score falling sharply").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ScoreDrop {
    pub enabled: bool,
    pub points: u32,
    pub days: u32,
}

impl Default for ScoreDrop {
    fn default() -> Self {
        ScoreDrop { enabled: true, points: 20, days: 30 }
    }
}

impl ScoreDrop {
    /// How long a high score counts before the current score takes its place.
    pub fn window(&self) -> Duration {
        Duration::days(self.days.into())
    }
}

/// No OS notification in this window of the user's day; reminders wait for its end (the
/// 工作台 still lists them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct QuietHours {
    /// `HH:MM`, local.
    pub start: String,
    pub end: String,
}

impl QuietHours {
    fn times(&self) -> Option<(NaiveTime, NaiveTime)> {
        let parse = |s: &str| NaiveTime::parse_from_str(s, "%H:%M").ok();
        Some((parse(&self.start)?, parse(&self.end)?)).filter(|(s, e)| s != e)
    }

    /// When a notification due at `at` may be shown: `at` itself, or the end of the quiet
    /// window it falls in (22:00–08:00 spans midnight).
    pub fn release(&self, at: DateTime<Utc>, zone: Zone) -> DateTime<Utc> {
        let Some((start, end)) = self.times() else { return at };
        let local = zone.to_local(at);
        let time = local.time();
        let quiet = if start < end { time >= start && time < end } else { time >= start || time < end };
        if !quiet {
            return at;
        }
        let end_date = if start > end && time >= start { local.date().succ_opt().expect("date in range") } else { local.date() };
        zone.at(end_date, end).max(at)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReminderSettings {
    /// A next step reminds this many minutes before its due time (seed: 10:00 call → 9:00).
    pub lead_minutes: u32,
    pub quiet_hours: Option<QuietHours>,
    pub rules: Vec<RuleSetting>,
    /// The date custom field (its key) holding the contract or renewal date; absent: the
    /// first date field whose name mentions 到期, 续约 or 续费.
    pub renewal_field: Option<String>,
    /// Settings stored before the score-fall rule existed read as its defaults.
    #[serde(default)]
    pub score_drop: ScoreDrop,
}

impl Default for ReminderSettings {
    fn default() -> Self {
        ReminderSettings {
            lead_minutes: 60,
            quiet_hours: None,
            rules: RuleKind::ALL.iter().map(|&kind| RuleSetting { kind, enabled: true, value: kind.default_value() }).collect(),
            renewal_field: None,
            score_drop: ScoreDrop::default(),
        }
    }
}

impl ReminderSettings {
    pub fn lead(&self) -> Duration {
        Duration::minutes(self.lead_minutes.into())
    }

    /// The rule's setting if it is switched on.
    pub fn active(&self, kind: RuleKind) -> Option<RuleSetting> {
        self.rules.iter().find(|r| r.kind == kind && r.enabled).copied()
    }

    fn check(mut self) -> Result<Self> {
        let mut errors = FieldErrors::new();
        if self.lead_minutes > 7 * 24 * 60 {
            errors.insert("leadMinutes".into(), "out_of_range".into());
        }
        if let Some(q) = &self.quiet_hours {
            if q.times().is_none() {
                errors.insert("quietHours".into(), "time_invalid".into());
            }
        }
        // One setting per rule: a kind sent twice would be stored twice and only one obeyed.
        let twice = |i: usize, r: &RuleSetting| self.rules[..i].iter().any(|e| e.kind == r.kind);
        if self.rules.len() > RuleKind::ALL.len() || self.rules.iter().enumerate().any(|(i, r)| twice(i, r)) {
            errors.insert("rules".into(), "value_invalid".into());
        }
        for (i, rule) in self.rules.iter().enumerate().take(RuleKind::ALL.len() + 1) {
            if rule.value == 0 || rule.value > 3650 {
                errors.insert(format!("rules.{i}.value"), "out_of_range".into());
            }
        }
        if !(1..=100).contains(&self.score_drop.points) {
            errors.insert("scoreDrop.points".into(), "out_of_range".into());
        }
        if !(1..=3650).contains(&self.score_drop.days) {
            errors.insert("scoreDrop.days".into(), "out_of_range".into());
        }
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        // A rule missing from what was sent keeps its default, so older callers stay valid.
        for kind in RuleKind::ALL {
            if !self.rules.iter().any(|r| r.kind == kind) {
                self.rules.push(RuleSetting { kind, enabled: true, value: kind.default_value() });
            }
        }
        self.rules.sort_by_key(|r| RuleKind::ALL.iter().position(|k| *k == r.kind));
        self.rules.dedup_by_key(|r| r.kind);
        Ok(self)
    }
}

const KEY: &str = "reminders";

pub async fn load(conn: &mut SqliteConnection) -> Result<ReminderSettings> {
    let stored: Option<ReminderSettings> = settings::get(conn, KEY).await?;
    Ok(stored.and_then(|s| s.check().ok()).unwrap_or_default())
}

pub async fn save(conn: &mut SqliteConnection, value: ReminderSettings, now: DateTime<Utc>) -> Result<ReminderSettings> {
    let value = value.check()?;
    settings::put(conn, KEY, &value, now).await?;
    Ok(value)
}
