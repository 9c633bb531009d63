//! What a reminder says in an OS notification and on the CLI: the customer, the action and
//! the due time, in the user's language.

use super::{Reminder, ReminderRule};
use crate::settings::Language;
use crate::Zone;

pub fn rule_words(rule: ReminderRule, lang: Language) -> &'static str {
    match (rule, lang) {
        (ReminderRule::NextStep, Language::ZhCn) => "下一步计划",
        (ReminderRule::FirstContact, Language::ZhCn) => "新客户尚未首次联系",
        (ReminderRule::Renewal, Language::ZhCn) => "合同即将到期，准备续约",
        (ReminderRule::ProposalNoReply, Language::ZhCn) => "方案发出后客户未回复",
        (ReminderRule::NoResponse, Language::ZhCn) => "商机进行中客户久未回应：流失风险",
        (ReminderRule::Dormant, Language::ZhCn) => "长期未联系：沉睡客户",
        (ReminderRule::Cadence, Language::ZhCn) => "按客户等级该回访了",
        (ReminderRule::NextStep, Language::En) => "Next step",
        (ReminderRule::FirstContact, Language::En) => "New customer not contacted yet",
        (ReminderRule::Renewal, Language::En) => "Contract ends soon: prepare the renewal",
        (ReminderRule::ProposalNoReply, Language::En) => "No reply to the proposal",
        (ReminderRule::NoResponse, Language::En) => "Open deal, no response: churn risk",
        (ReminderRule::Dormant, Language::En) => "No contact for a long time: dormant",
        (ReminderRule::Cadence, Language::En) => "Due for contact by grade",
    }
}

/// The notification's title and body.
pub fn notice(r: &Reminder, lang: Language, zone: Zone) -> (String, String) {
    let due = zone.to_local(r.due_at).format("%m-%d %H:%M");
    let action = r.action.clone().unwrap_or_else(|| rule_words(r.rule, lang).to_owned());
    match lang {
        Language::ZhCn => (format!("跟进提醒：{}", r.customer_name), format!("{action}\n时间：{due}")),
        Language::En => (format!("Follow-up: {}", r.customer_name), format!("{action}\nDue: {due}")),
    }
}

/// One line for many reminders at once (the catch-up after downtime, or a burst).
pub fn summary(count: usize, missed: bool, lang: Language) -> (String, String) {
    match (lang, missed) {
        (Language::ZhCn, true) => ("错过的提醒".into(), format!("应用关闭期间有 {count} 条提醒到期，请在工作台查看。")),
        (Language::ZhCn, false) => ("跟进提醒".into(), format!("有 {count} 条跟进提醒到期，请在工作台查看。")),
        (Language::En, true) => ("Missed reminders".into(), format!("{count} reminders fell due while the app was closed. See the workbench.")),
        (Language::En, false) => ("Follow-up reminders".into(), format!("{count} reminders are due. See the workbench.")),
    }
}
