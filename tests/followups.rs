mod common;

use chrono::{DateTime, Duration, TimeZone, Utc};
use common::{add, input, ledger, t0};
use yiben::followups::FollowupInput;
use yiben::reminders::{ReminderRule, ReminderStatus};
use yiben::{Error, ErrorCode};

/// Beijing wall-clock time on the test day.
fn beijing(h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, h, m, 0).unwrap() - Duration::hours(8)
}

fn call(content: &str) -> FollowupInput {
    FollowupInput { method: "电话".into(), content: content.into(), ..Default::default() }
}

fn with_next(content: &str, step: &str, at: DateTime<Utc>) -> FollowupInput {
    FollowupInput { next_step: Some(step.into()), next_at: Some(at), ..call(content) }
}

fn field_errors(err: Error) -> Vec<(String, String)> {
    assert_eq!(err.code(), ErrorCode::Validation, "{err}");
    err.fields().into_iter().collect()
}

#[tokio::test]
async fn a_next_step_reminds_an_hour_before_it_is_due_as_in_the_seed() {
    let l = ledger().await;
    let c = add(&l.crm, &input("华信科技", None, None)).await;
    // Seed 000 步骤4: a call planned for 10:00 is reminded at 9:00. t0 is 09:30; plan for 11:00.
    let f = l.crm.add_followup(c.id, &with_next("电话沟通了设备采购需求，客户关心交期和售后。", "电话确认报价", beijing(11, 0))).await.unwrap();
    assert_eq!(f.method.code.as_deref(), Some("phone"));
    assert_eq!(f.at, t0());
    let reminders = l.crm.customer_reminders(c.id).await.unwrap();
    assert_eq!(reminders.len(), 1);
    let r = &reminders[0];
    assert_eq!(r.rule, ReminderRule::NextStep);
    assert_eq!(r.action.as_deref(), Some("电话确认报价"));
    assert_eq!(r.due_at, beijing(11, 0));
    assert_eq!(r.remind_at, beijing(10, 0));
    assert_eq!(r.followup_id, Some(f.id));
    // The customer shows its last contact and next planned action.
    let c = l.crm.customer(c.id).await.unwrap();
    assert_eq!(c.last_followup_at, Some(t0()));
    assert_eq!(c.next_action.as_deref(), Some("电话确认报价"));
    assert_eq!(c.next_action_at, Some(beijing(11, 0)));
}

#[tokio::test]
async fn the_lead_time_is_configurable_and_moves_pending_next_steps() {
    let l = ledger().await;
    let c = add(&l.crm, &input("华信科技", None, None)).await;
    l.crm.add_followup(c.id, &with_next("初次电话沟通", "发送方案", beijing(15, 0))).await.unwrap();
    let mut settings = l.crm.reminder_settings().await.unwrap();
    assert_eq!(settings.lead_minutes, 60);
    settings.lead_minutes = 15;
    l.crm.set_reminder_settings(settings).await.unwrap();
    assert_eq!(l.crm.customer_reminders(c.id).await.unwrap()[0].remind_at, beijing(14, 45));
    l.crm.add_followup(c.id, &with_next("再次沟通", "上门拜访", beijing(16, 0))).await.unwrap();
    let open = l.crm.customer_reminders(c.id).await.unwrap();
    assert_eq!(open.iter().map(|r| r.remind_at).collect::<Vec<_>>(), vec![beijing(15, 45)], "the earlier step was settled by the new follow-up");
}

#[tokio::test]
async fn logging_the_next_follow_up_closes_the_reminder() {
    let l = ledger().await;
    let c = add(&l.crm, &input("华信科技", None, None)).await;
    l.crm.add_followup(c.id, &with_next("电话沟通", "电话确认报价", beijing(11, 0))).await.unwrap();
    let first = l.crm.customer_reminders(c.id).await.unwrap()[0].clone();
    l.clock.set(beijing(11, 5));
    l.crm.add_followup(c.id, &FollowupInput { feedback: Some("客户认可报价".into()), ..call("按计划电话确认了报价") }).await.unwrap();
    assert!(l.crm.customer_reminders(c.id).await.unwrap().iter().all(|r| r.rule != ReminderRule::NextStep));
    let c = l.crm.customer(c.id).await.unwrap();
    assert_eq!(c.next_action, None);
    assert_eq!(c.last_followup_at, Some(beijing(11, 5)));
    // Closed, not deleted: it never comes back.
    l.crm.run_reminder_rules().await.unwrap();
    assert!(l.crm.due_reminders(100).await.unwrap().iter().all(|r| r.id != first.id));
}

#[tokio::test]
async fn every_problem_is_reported_at_once_and_nothing_is_written() {
    let l = ledger().await;
    let c = add(&l.crm, &input("华信科技", None, None)).await;
    let bad = FollowupInput {
        method: "飞鸽传书".into(),
        content: "  ".into(),
        at: Some(t0() + Duration::hours(2)),
        next_step: Some("回访".into()),
        ..Default::default()
    };
    let errors = field_errors(l.crm.add_followup(c.id, &bad).await.unwrap_err());
    assert_eq!(
        errors,
        vec![
            ("at".into(), "in_future".into()),
            ("content".into(), "required".into()),
            ("method".into(), "unknown_method".into()),
            ("nextAt".into(), "required".into()),
        ]
    );
    let no_step = FollowupInput { next_at: Some(beijing(12, 0)), ..call("内容") };
    assert_eq!(field_errors(l.crm.add_followup(c.id, &no_step).await.unwrap_err()), vec![("nextStep".into(), "required".into())]);
    let backwards = with_next("内容", "回访", t0() - Duration::hours(1));
    assert_eq!(field_errors(l.crm.add_followup(c.id, &backwards).await.unwrap_err()), vec![("nextAt".into(), "not_after_followup".into())]);
    assert!(l.crm.followups(c.id, None, 20).await.unwrap().items.is_empty());
    assert!(l.crm.customer_reminders(c.id).await.unwrap().iter().all(|r| r.rule != ReminderRule::NextStep));
    assert_eq!(l.crm.customer(c.id).await.unwrap().last_followup_at, None);
}

#[tokio::test]
async fn a_deleted_or_unknown_customer_cannot_get_a_follow_up() {
    let l = ledger().await;
    let c = add(&l.crm, &input("华信科技", None, None)).await;
    l.crm.delete_customer(c.id).await.unwrap();
    assert_eq!(l.crm.add_followup(c.id, &call("内容")).await.unwrap_err().code(), ErrorCode::NotFound);
    assert_eq!(l.crm.add_followup(999, &call("内容")).await.unwrap_err().code(), ErrorCode::NotFound);
}

#[tokio::test]
async fn methods_are_seeded_added_by_name_and_carry_templates() {
    let l = ledger().await;
    let methods = l.crm.followup_methods().await.unwrap();
    assert_eq!(methods.iter().map(|m| m.name.as_str()).collect::<Vec<_>>(), ["电话", "微信", "拜访", "邮件", "会议"]);
    let added = l.crm.add_followup_method("展会", Some("展位交流：\n客户兴趣：")).await.unwrap();
    assert_eq!(added.code, None);
    assert_eq!(l.crm.add_followup_method("展会", None).await.unwrap_err().code(), ErrorCode::Conflict);
    assert_eq!(l.crm.add_followup_method(" ", None).await.unwrap_err().code(), ErrorCode::Validation);
    // A built-in method keeps its name (the UI translates it) but takes a template.
    let phone = l.crm.update_followup_method(methods[0].id, "Phone", Some("沟通内容：")).await.unwrap();
    assert_eq!((phone.name.as_str(), phone.template.as_deref()), ("电话", Some("沟通内容：")));
    let c = add(&l.crm, &input("华信科技", None, None)).await;
    let f = l.crm.add_followup(c.id, &FollowupInput { method: "展会".into(), ..call("在展会上交流") }).await.unwrap();
    assert_eq!(f.method.name, "展会");
    // By code too, as the CLI accepts.
    let f = l.crm.add_followup(c.id, &FollowupInput { method: "wechat".into(), ..call("微信发了资料") }).await.unwrap();
    assert_eq!(f.method.name, "微信");
}

#[tokio::test]
async fn editing_moves_the_reminder_and_reopens_it_deleting_removes_it() {
    let l = ledger().await;
    let c = add(&l.crm, &input("华信科技", None, None)).await;
    let f = l.crm.add_followup(c.id, &with_next("电话沟通", "电话确认报价", beijing(11, 0))).await.unwrap();
    let r = l.crm.customer_reminders(c.id).await.unwrap()[0].clone();
    l.crm.complete_reminder(r.id).await.unwrap();
    assert!(l.crm.customer_reminders(c.id).await.unwrap().is_empty());
    // Same plan edited elsewhere (content only): the reminder stays done.
    l.crm.update_followup(f.id, &with_next("电话沟通，补充：客户要三家比价", "电话确认报价", beijing(11, 0))).await.unwrap();
    assert!(l.crm.customer_reminders(c.id).await.unwrap().is_empty());
    // A new due time is a new plan: announced again.
    l.crm.update_followup(f.id, &with_next("电话沟通", "电话确认报价", beijing(14, 0))).await.unwrap();
    let reopened = l.crm.customer_reminders(c.id).await.unwrap();
    assert_eq!(reopened.len(), 1);
    assert_eq!((reopened[0].id, reopened[0].remind_at, reopened[0].status), (r.id, beijing(13, 0), ReminderStatus::Open));
    // Dropping the next step drops its reminder.
    l.crm.update_followup(f.id, &call("电话沟通")).await.unwrap();
    assert!(l.crm.customer_reminders(c.id).await.unwrap().is_empty());
    assert_eq!(l.crm.customer(c.id).await.unwrap().next_action, None);
    l.crm.update_followup(f.id, &with_next("电话沟通", "拜访", beijing(15, 0))).await.unwrap();
    l.crm.delete_followup(f.id).await.unwrap();
    assert!(l.crm.followups(c.id, None, 20).await.unwrap().items.is_empty());
    assert!(l.crm.customer_reminders(c.id).await.unwrap().iter().all(|r| r.rule != ReminderRule::NextStep));
    let c = l.crm.customer(c.id).await.unwrap();
    assert_eq!((c.last_followup_at, c.next_action), (None, None));
    assert_eq!(l.crm.delete_followup(f.id).await.unwrap_err().code(), ErrorCode::NotFound);
}

#[tokio::test]
async fn follow_ups_page_newest_first() {
    let l = ledger().await;
    let c = add(&l.crm, &input("华信科技", None, None)).await;
    for i in 0..5 {
        let at = t0() - Duration::days(5 - i);
        l.crm.add_followup(c.id, &FollowupInput { at: Some(at), ..call(&format!("第{}次沟通", i + 1)) }).await.unwrap();
    }
    let first = l.crm.followups(c.id, None, 2).await.unwrap();
    assert_eq!(first.items.iter().map(|f| f.content.as_str()).collect::<Vec<_>>(), ["第5次沟通", "第4次沟通"]);
    let second = l.crm.followups(c.id, first.next, 2).await.unwrap();
    assert_eq!(second.items.iter().map(|f| f.content.as_str()).collect::<Vec<_>>(), ["第3次沟通", "第2次沟通"]);
    let last = l.crm.followups(c.id, second.next, 2).await.unwrap();
    assert_eq!((last.items.len(), last.next.is_none()), (1, true));
    assert_eq!(l.crm.followups(c.id, None, 0).await.unwrap_err().code(), ErrorCode::Validation);
}

#[tokio::test]
async fn a_merge_brings_the_follow_ups_along() {
    let l = ledger().await;
    let a = add(&l.crm, &input("华信科技有限公司", None, None)).await;
    let b = common::add_anyway(&l.crm, &input("华信科技", Some("13912345678"), None)).await;
    l.crm.add_followup(b.id, &with_next("微信沟通", "发送报价", beijing(16, 0))).await.unwrap();
    l.crm.merge_customers(a.id, b.id, &Default::default()).await.unwrap();
    let moved = l.crm.followups(a.id, None, 20).await.unwrap().items;
    assert_eq!(moved.len(), 1);
    let a = l.crm.customer(a.id).await.unwrap();
    assert_eq!(a.next_action.as_deref(), Some("发送报价"));
    assert_eq!(a.last_followup_at, Some(t0()));
}

#[tokio::test]
async fn the_workbench_lists_what_is_due_today_new_customers_and_deals_at_risk() {
    let l = ledger().await;
    let quiet = add(&l.crm, &input("明达贸易", None, None)).await;
    let busy = add(&l.crm, &input("华信科技", None, None)).await;
    l.crm.add_followup(busy.id, &with_next("电话沟通", "电话确认报价", beijing(16, 0))).await.unwrap();
    let lead = l.crm.deal_stages().await.unwrap()[0].id;
    let deal = yiben::deals::DealInput { customer_id: quiet.id, name: "一期".into(), amount: "30万".into(), stage_id: Some(lead), ..Default::default() };
    let d = l.crm.add_deal(&deal).await.unwrap();
    let w = l.crm.workbench().await.unwrap();
    assert_eq!(w.due.iter().map(|r| r.action.as_deref()).collect::<Vec<_>>(), [Some("电话确认报价")], "due later today");
    assert_eq!(w.new_customers.iter().map(|c| c.id).collect::<Vec<_>>(), [quiet.id]);
    assert!(w.deals_at_risk.is_empty());
    l.clock.set(t0() + Duration::days(14));
    let w = l.crm.workbench().await.unwrap();
    assert_eq!(w.deals_at_risk.iter().map(|d| d.id).collect::<Vec<_>>(), [d.id]);
}

#[tokio::test]
async fn a_follow_up_about_a_deal_must_be_about_this_customers_deal() {
    let l = ledger().await;
    let a = add(&l.crm, &input("华信科技", None, None)).await;
    let b = add(&l.crm, &input("明达贸易", None, None)).await;
    let stage = l.crm.deal_stages().await.unwrap()[0].id;
    let deal = |customer_id| yiben::deals::DealInput { customer_id, name: "一期".into(), amount: "10万".into(), stage_id: Some(stage), ..Default::default() };
    let mine = l.crm.add_deal(&deal(a.id)).await.unwrap();
    let theirs = l.crm.add_deal(&deal(b.id)).await.unwrap();
    let about = |deal_id| FollowupInput { deal_id: Some(deal_id), ..call("沟通一期") };
    assert_eq!(l.crm.add_followup(a.id, &about(mine.id)).await.unwrap().deal_id, Some(mine.id));
    for wrong in [theirs.id, 999] {
        let err = l.crm.add_followup(a.id, &about(wrong)).await.unwrap_err();
        assert_eq!(field_errors(err), vec![("dealId".into(), "unknown_deal".into())]);
    }
    l.crm.delete_deal(mine.id).await.unwrap();
    assert_eq!(field_errors(l.crm.add_followup(a.id, &about(mine.id)).await.unwrap_err()), vec![("dealId".into(), "unknown_deal".into())]);
}

#[tokio::test]
async fn the_trays_count_is_what_the_workbench_lists_as_due_today() {
    let l = ledger().await;
    let c = add(&l.crm, &input("华信科技", None, None)).await;
    assert_eq!(l.crm.due_today_count().await.unwrap(), 0);
    l.crm.add_followup(c.id, &with_next("电话沟通", "电话确认报价", beijing(16, 0))).await.unwrap();
    // 16:00 today Beijing: due today although it reminds only at 15:00.
    assert_eq!(l.crm.due_today_count().await.unwrap(), 1);
    assert_eq!(l.crm.workbench().await.unwrap().due.len(), 1);
    l.crm.delete_customer(c.id).await.unwrap();
    assert_eq!(l.crm.due_today_count().await.unwrap(), 0, "not for a deleted customer");
}
