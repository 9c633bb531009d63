//! `yiben followups …` and `yiben reminders …`.

use chrono::{DateTime, Utc};
use clap::Subcommand;

use yiben::followups::{Followup, FollowupInput};
use yiben::reminders::{notice, Reminder};

use super::{parse_now, Failure, Session};

#[derive(Subcommand)]
pub enum FollowupsCommand {
    /// Log a follow-up; a next step with its time schedules a reminder.
    Add {
        #[arg(long)]
        customer: i64,
        /// 电话, 微信, 拜访, 邮件, 会议 (or phone, wechat, visit, email, meeting), or one you added.
        #[arg(long)]
        method: String,
        #[arg(long)]
        content: String,
        #[arg(long)]
        feedback: Option<String>,
        #[arg(long)]
        owner: Option<String>,
        /// A proposal or quote went out and an answer is awaited.
        #[arg(long)]
        awaiting_reply: bool,
        #[arg(long, requires = "next_at")]
        next_step: Option<String>,
        #[arg(long, value_parser = parse_now, requires = "next_step")]
        next_at: Option<DateTime<Utc>>,
        #[arg(long, requires = "next_step")]
        next_owner: Option<String>,
        /// When it happened (default: now).
        #[arg(long, value_parser = parse_now)]
        at: Option<DateTime<Utc>>,
        #[arg(long)]
        json: bool,
    },
    /// A customer's follow-ups, newest first.
    List {
        #[arg(long)]
        customer: i64,
        #[arg(long, default_value_t = 50)]
        limit: i64,
        #[arg(long)]
        json: bool,
    },
}

impl FollowupsCommand {
    pub fn json(&self) -> bool {
        match self {
            FollowupsCommand::Add { json, .. } | FollowupsCommand::List { json, .. } => *json,
        }
    }
}

#[derive(Subcommand)]
pub enum RemindersCommand {
    /// What is due at this moment (or at --now), with its cause.
    Due {
        #[arg(long, default_value_t = 200)]
        limit: i64,
        #[arg(long)]
        json: bool,
    },
    /// The reminder rules, the lead time and quiet hours; --lead-minutes changes the lead time.
    Rules {
        #[arg(long)]
        lead_minutes: Option<u32>,
        #[arg(long)]
        json: bool,
    },
}

impl RemindersCommand {
    pub fn json(&self) -> bool {
        match self {
            RemindersCommand::Due { json, .. } | RemindersCommand::Rules { json, .. } => *json,
        }
    }
}

fn local(session: &Session, at: DateTime<Utc>) -> String {
    session.crm.zone().to_local(at).format("%Y-%m-%d %H:%M").to_string()
}

fn print_followup(session: &Session, f: &Followup) {
    let next = match (&f.next_step, f.next_at) {
        (Some(step), Some(at)) => format!("\t→ {step} @ {}", local(session, at)),
        _ => String::new(),
    };
    println!("{}\t{}\t{}\t{}{next}", f.id, local(session, f.at), f.method.name, f.content.replace('\n', " "));
}

fn print_reminder(session: &Session, r: &Reminder) {
    let what = r.action.clone().unwrap_or_else(|| notice::rule_words(r.rule, session.lang).to_owned());
    println!("{}\t{}\t{}\t{}\t{}", r.id, local(session, r.due_at), r.customer_name, what, r.rule.as_str());
}

pub async fn followups(session: &Session, command: &FollowupsCommand) -> Result<(), Failure> {
    match command {
        FollowupsCommand::Add {
            customer,
            method,
            content,
            feedback,
            owner,
            awaiting_reply,
            next_step,
            next_at,
            next_owner,
            at,
            ..
        } => {
            let input = FollowupInput {
                at: *at,
                method: method.clone(),
                owner: owner.clone(),
                content: content.clone(),
                feedback: feedback.clone(),
                awaiting_reply: *awaiting_reply,
                next_step: next_step.clone(),
                next_owner: next_owner.clone(),
                next_at: *next_at,
                deal_id: None,
            };
            let saved = session.crm.add_followup(*customer, &input).await.map_err(|e| session.fail(e))?;
            if session.json {
                session.print_json(&saved);
            } else {
                print_followup(session, &saved);
            }
        }
        FollowupsCommand::List { customer, limit, .. } => {
            let page = session.crm.followups(*customer, None, *limit).await.map_err(|e| session.fail(e))?;
            if session.json {
                session.print_json(&page.items);
            } else {
                page.items.iter().for_each(|f| print_followup(session, f));
            }
        }
    }
    Ok(())
}

pub async fn reminders(session: &Session, command: &RemindersCommand) -> Result<(), Failure> {
    match command {
        RemindersCommand::Due { limit, .. } => {
            let due = session.crm.due_reminders(*limit).await.map_err(|e| session.fail(e))?;
            if session.json {
                session.print_json(&due);
            } else {
                due.iter().for_each(|r| print_reminder(session, r));
            }
        }
        RemindersCommand::Rules { lead_minutes, .. } => {
            let mut settings = session.crm.reminder_settings().await.map_err(|e| session.fail(e))?;
            if let Some(lead) = lead_minutes {
                settings.lead_minutes = *lead;
                settings = session.crm.set_reminder_settings(settings).await.map_err(|e| session.fail(e))?;
            }
            if session.json {
                session.print_json(&settings);
            } else {
                println!("lead_minutes\t{}", settings.lead_minutes);
                for rule in &settings.rules {
                    println!("{}\t{}\t{}", rule.kind.as_str(), if rule.enabled { "on" } else { "off" }, rule.value);
                }
                let drop = settings.score_drop;
                println!("score_drop\t{}\t{} points in {} days", if drop.enabled { "on" } else { "off" }, drop.points, drop.days);
            }
        }
    }
    Ok(())
}
