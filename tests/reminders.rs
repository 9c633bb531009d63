mod common;

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, TimeZone, Utc};
use common::{add, input, ledger, t0, Ledger};
use serde_json::json;
use yiben::custom_fields::{CustomFieldInput, CustomFieldKind};
use yiben::customers::CustomerInput;
use yiben::followups::FollowupInput;
use yiben::reminders::{notice, QuietHours, Reminder, ReminderRule, RuleKind, Snooze};
use yiben::settings::Language;
use yiben::{ErrorCode, Zone};

fn call(content: &str) -> FollowupInput {
    FollowupInput { method: "电话".into(), content: content.into(), ..Default::default() }
}

async fn due(l: &Ledger) -> Vec<Reminder> {
    l.crm.due_reminders(1000).await.unwrap()
}

fn rules_of(list: &[Reminder]) -> Vec<ReminderRule> {
    list.iter().map(|r| r.rule).collect()
}

/// Only the rules under test are switched on, so each test sees its own rule alone.
async fn only(l: &Ledger, kinds: &[RuleKind]) {
    let mut settings = l.crm.reminder_settings().await.unwrap();
    for rule in &mut settings.rules {
        rule.enabled = kinds.contains(&rule.kind);
    }
    l.crm.set_reminder_settings(settings).await.unwrap();
}

#[tokio::test]
async fn first_contact_is_due_at_24_hours_not_a_minute_before() {
    let l = ledger().await;
    only(&l, &[RuleKind::FirstContact]).await;
    let c = add(&l.crm, &input("华信科技", None, None)).await;
    l.clock.set(t0() + Duration::hours(24) - Duration::minutes(1));
    assert!(due(&l).await.is_empty(), "23:59 after creation is still within the 24 hours");
    l.clock.set(t0() + Duration::hours(24));
    let list = due(&l).await;
    assert_eq!(rules_of(&list), [ReminderRule::FirstContact]);
    assert_eq!((list[0].customer_id, list[0].due_at), (c.id, t0() + Duration::hours(24)));
}

#[tokio::test]
async fn a_first_contact_in_time_means_no_reminder_and_a_known_first_contact_date_too() {
    let l = ledger().await;
    only(&l, &[RuleKind::FirstContact]).await;
    let a = add(&l.crm, &input("华信科技", None, None)).await;
    add(&l.crm, &CustomerInput { first_contact: Some("2026-02-20".into()), ..input("明达贸易", None, None) }).await;
    l.clock.set(t0() + Duration::hours(3));
    l.crm.add_followup(a.id, &call("首次电话沟通")).await.unwrap();
    l.clock.set(t0() + Duration::days(3));
    assert!(due(&l).await.is_empty());
}

#[tokio::test]
async fn imported_customers_are_not_new_leads() {
    let l = ledger().await;
    only(&l, &[RuleKind::FirstContact]).await;
    let path = l.dir.path().join("客户.csv");
    std::fs::write(&path, "客户名称,手机\n华信科技,13912345678\n").unwrap();
    let req = yiben::import::job::ImportRequest { path: path.to_string_lossy().into(), ..Default::default() };
    let report = l.crm.import(&req, false, &std::sync::atomic::AtomicBool::new(false), &|_| {}).await.unwrap();
    assert_eq!(report.imported, 1);
    l.clock.set(t0() + Duration::days(2));
    assert!(due(&l).await.is_empty());
}

#[tokio::test]
async fn dormant_after_90_days_without_contact_and_a_contact_resets_it() {
    let l = ledger().await;
    only(&l, &[RuleKind::Dormant]).await;
    let c = add(&l.crm, &input("华信科技", None, None)).await;
    l.crm.add_followup(c.id, &call("电话沟通")).await.unwrap();
    l.clock.set(t0() + Duration::days(90) - Duration::minutes(1));
    assert!(due(&l).await.is_empty());
    l.clock.set(t0() + Duration::days(90));
    assert_eq!(rules_of(&due(&l).await), [ReminderRule::Dormant]);
    l.crm.add_followup(c.id, &call("重新联系上了")).await.unwrap();
    assert!(due(&l).await.is_empty(), "the contact settles it");
    l.clock.set(t0() + Duration::days(180) - Duration::minutes(1));
    assert!(due(&l).await.is_empty());
    l.clock.set(t0() + Duration::days(180));
    let list = due(&l).await;
    assert_eq!(rules_of(&list), [ReminderRule::Dormant], "a new 90 days from the new contact");
    assert_eq!(list[0].due_at, t0() + Duration::days(180));
}

#[tokio::test]
async fn cadence_follows_the_grade_and_its_switch() {
    let l = ledger().await;
    only(&l, &[RuleKind::CadenceA, RuleKind::CadenceB, RuleKind::CadenceC]).await;
    let a = add(&l.crm, &CustomerInput { grade: Some("A".into()), ..input("甲公司", None, None) }).await;
    let b = add(&l.crm, &CustomerInput { grade: Some("B类".into()), ..input("乙公司", None, None) }).await;
    add(&l.crm, &CustomerInput { grade: Some("c".into()), ..input("丙公司", None, None) }).await;
    add(&l.crm, &input("无等级公司", None, None)).await;
    l.clock.set(t0() + Duration::days(7));
    let list = due(&l).await;
    assert_eq!(list.iter().map(|r| r.customer_id).collect::<Vec<_>>(), [a.id], "A: weekly");
    l.clock.set(t0() + Duration::days(14));
    assert_eq!(due(&l).await.iter().map(|r| r.customer_id).collect::<Vec<_>>(), [a.id, b.id], "B: every two weeks");
    l.clock.set(t0() + Duration::days(30));
    // C monthly; the customer without a typed grade is graded by its value score (0: C).
    assert_eq!(due(&l).await.len(), 4, "C: monthly");
    // Switching grade B off withdraws B's reminder, which was listed but not yet announced.
    let mut settings = l.crm.reminder_settings().await.unwrap();
    settings.rules.iter_mut().filter(|r| r.kind == RuleKind::CadenceB).for_each(|r| r.enabled = false);
    l.crm.set_reminder_settings(settings).await.unwrap();
    assert!(due(&l).await.iter().all(|r| r.customer_id != b.id));
}

#[tokio::test]
async fn changing_the_grade_moves_the_cadence() {
    let l = ledger().await;
    only(&l, &[RuleKind::CadenceA, RuleKind::CadenceC]).await;
    let c = add(&l.crm, &CustomerInput { grade: Some("C".into()), ..input("甲公司", None, None) }).await;
    l.clock.set(t0() + Duration::days(8));
    assert!(due(&l).await.is_empty());
    l.crm.update_customer(c.id, &CustomerInput { grade: Some("A".into()), ..input("甲公司", None, None) }, false).await.unwrap();
    let list = due(&l).await;
    assert_eq!((rules_of(&list), list[0].due_at), (vec![ReminderRule::Cadence], t0() + Duration::days(7)));
}

#[tokio::test]
async fn a_proposal_without_reply_for_3_days() {
    let l = ledger().await;
    only(&l, &[RuleKind::ProposalNoReply]).await;
    let c = add(&l.crm, &input("华信科技", None, None)).await;
    let sent = l.crm.add_followup(c.id, &FollowupInput { awaiting_reply: true, ..call("邮件发送了设备采购方案和报价") }).await.unwrap();
    l.clock.set(t0() + Duration::days(3) - Duration::minutes(1));
    assert!(due(&l).await.is_empty());
    l.clock.set(t0() + Duration::days(3));
    let list = due(&l).await;
    assert_eq!((rules_of(&list), list[0].followup_id), (vec![ReminderRule::ProposalNoReply], Some(sent.id)));
    // A call that reached nobody is not a reply; the customer's answer is.
    l.crm.add_followup(c.id, &call("电话无人接听")).await.unwrap();
    assert_eq!(rules_of(&due(&l).await), [ReminderRule::ProposalNoReply]);
    l.crm.add_followup(c.id, &FollowupInput { feedback: Some("方案基本认可，价格需再谈".into()), ..call("电话沟通方案") }).await.unwrap();
    assert!(due(&l).await.is_empty());
}

#[tokio::test]
async fn an_answer_before_the_3_days_means_no_reminder() {
    let l = ledger().await;
    only(&l, &[RuleKind::ProposalNoReply]).await;
    let c = add(&l.crm, &input("华信科技", None, None)).await;
    l.crm.add_followup(c.id, &FollowupInput { awaiting_reply: true, ..call("发送方案") }).await.unwrap();
    l.clock.set(t0() + Duration::days(1));
    l.crm.add_followup(c.id, &FollowupInput { feedback: Some("收到，下周答复".into()), ..call("微信确认收到") }).await.unwrap();
    l.clock.set(t0() + Duration::days(5));
    assert!(due(&l).await.is_empty());
}

#[tokio::test]
async fn no_response_for_14_days_during_an_open_deal_is_a_churn_risk() {
    let l = ledger().await;
    only(&l, &[RuleKind::NoResponse]).await;
    let open = add(&l.crm, &CustomerInput { stage: Some("方案提交".into()), ..input("华信科技", None, None) }).await;
    add(&l.crm, &CustomerInput { stage: Some("成交".into()), ..input("明达贸易", None, None) }).await;
    add(&l.crm, &input("无商机公司", None, None)).await;
    l.crm.add_followup(open.id, &FollowupInput { feedback: Some("在内部评估".into()), ..call("电话沟通") }).await.unwrap();
    l.clock.set(t0() + Duration::days(10));
    l.crm.add_followup(open.id, &call("电话未接通")).await.unwrap();
    l.clock.set(t0() + Duration::days(14) - Duration::minutes(1));
    assert!(due(&l).await.is_empty());
    l.clock.set(t0() + Duration::days(14));
    let list = due(&l).await;
    assert_eq!(list.iter().map(|r| (r.rule, r.customer_id)).collect::<Vec<_>>(), [(ReminderRule::NoResponse, open.id)]);
}

#[tokio::test]
async fn renewal_30_days_before_the_contract_end_at_9_in_the_morning() {
    let l = ledger().await;
    only(&l, &[RuleKind::Renewal]).await;
    let field = l
        .crm
        .create_custom_field(&CustomFieldInput { label: "合同到期日".into(), kind: CustomFieldKind::Date, options: vec![], in_list: false })
        .await
        .unwrap();
    let mut with_date = input("华信科技", None, None);
    with_date.custom.insert(field.key.clone(), json!("2026-04-10"));
    let c = add(&l.crm, &with_date).await;
    // 2026-04-10 − 30 days = 2026-03-11, 09:00 Beijing = 01:00 UTC.
    let nine = Utc.with_ymd_and_hms(2026, 3, 11, 1, 0, 0).unwrap();
    l.clock.set(nine - Duration::minutes(1));
    assert!(due(&l).await.is_empty());
    l.clock.set(nine);
    let list = due(&l).await;
    assert_eq!(list.iter().map(|r| (r.rule, r.customer_id, r.due_at)).collect::<Vec<_>>(), [(ReminderRule::Renewal, c.id, nine)]);
}

#[tokio::test]
async fn rules_are_idempotent_and_skip_deleted_customers() {
    let l = ledger().await;
    only(&l, &[RuleKind::FirstContact, RuleKind::Dormant]).await;
    let kept = add(&l.crm, &input("华信科技", None, None)).await;
    let gone = add(&l.crm, &input("明达贸易", None, None)).await;
    l.crm.delete_customer(gone.id).await.unwrap();
    l.clock.set(t0() + Duration::days(1));
    for _ in 0..3 {
        l.crm.run_reminder_rules().await.unwrap();
    }
    let list = due(&l).await;
    assert_eq!(list.iter().map(|r| (r.rule, r.customer_id)).collect::<Vec<_>>(), [(ReminderRule::FirstContact, kept.id)]);
    // Done is done: the same cause never comes back.
    l.crm.complete_reminder(list[0].id).await.unwrap();
    l.crm.run_reminder_rules().await.unwrap();
    assert!(due(&l).await.is_empty());
    assert_eq!(l.crm.complete_reminder(list[0].id).await.unwrap_err().code(), ErrorCode::Conflict);
    // A deleted customer's reminders are hidden, and back on restore.
    l.clock.set(t0() + Duration::days(91));
    let dormant = due(&l).await;
    assert_eq!(rules_of(&dormant), [ReminderRule::Dormant]);
    l.crm.delete_customer(kept.id).await.unwrap();
    assert!(due(&l).await.is_empty());
    assert_eq!(l.crm.take_due_reminders().await.unwrap(), vec![]);
    l.crm.restore_customer(kept.id).await.unwrap();
    assert_eq!(due(&l).await.iter().map(|r| r.id).collect::<Vec<_>>(), [dormant[0].id]);
}

#[tokio::test]
async fn snooze_15_minutes_an_hour_or_tomorrow_at_9() {
    let l = ledger().await;
    let c = add(&l.crm, &input("华信科技", None, None)).await;
    let next_at = t0() + Duration::minutes(90);
    l.crm
        .add_followup(c.id, &FollowupInput { next_step: Some("电话确认".into()), next_at: Some(next_at), ..call("沟通") })
        .await
        .unwrap();
    l.clock.set(t0() + Duration::minutes(30));
    let r = l.crm.take_due_reminders().await.unwrap().remove(0);
    assert_eq!((r.remind_at, r.missed), (t0() + Duration::minutes(30), false));
    let s = l.crm.snooze_reminder(r.id, Snooze::Minutes15).await.unwrap();
    assert_eq!((s.remind_at, s.notified_at), (t0() + Duration::minutes(45), None));
    assert_eq!(l.crm.next_reminder_at().await.unwrap(), Some(t0() + Duration::minutes(45)));
    assert_eq!(l.crm.snooze_reminder(r.id, Snooze::Hour1).await.unwrap().remind_at, t0() + Duration::minutes(90));
    // t0 is 2026-03-01 10:00 Beijing; tomorrow 9:00 Beijing is 01:00 UTC on the 2nd.
    let tomorrow = l.crm.snooze_reminder(r.id, Snooze::Tomorrow).await.unwrap();
    assert_eq!(tomorrow.remind_at, Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).unwrap());
    assert_eq!(tomorrow.due_at, next_at, "snoozing moves the reminder, not the plan");
    l.clock.set(tomorrow.remind_at);
    assert_eq!(l.crm.take_due_reminders().await.unwrap().iter().map(|r| r.id).collect::<Vec<_>>(), [r.id]);
    l.crm.complete_reminder(r.id).await.unwrap();
    assert_eq!(l.crm.snooze_reminder(r.id, Snooze::Hour1).await.unwrap_err().code(), ErrorCode::Conflict);
    assert_eq!(l.crm.snooze_reminder(999, Snooze::Hour1).await.unwrap_err().code(), ErrorCode::NotFound);
}

#[tokio::test]
async fn tomorrow_at_9_across_a_daylight_saving_change() {
    // New York springs forward on 2026-03-08: 9:00 that day is 13:00 UTC, not 14:00.
    let evening = Utc.with_ymd_and_hms(2026, 3, 8, 2, 0, 0).unwrap(); // 3月7日 21:00 EST
    assert_eq!(Snooze::Tomorrow.until(evening, Zone::named("America/New_York").unwrap()), Utc.with_ymd_and_hms(2026, 3, 8, 13, 0, 0).unwrap());
    let beijing = Zone::Fixed(FixedOffset::east_opt(8 * 3600).unwrap());
    assert_eq!(Snooze::Tomorrow.until(evening, beijing), Utc.with_ymd_and_hms(2026, 3, 9, 1, 0, 0).unwrap());
}

#[tokio::test]
async fn renewal_mornings_follow_daylight_saving() {
    let l = ledger().await;
    let crm = l.crm.clone().with_zone(Zone::named("America/New_York").unwrap());
    let field = crm
        .create_custom_field(&CustomFieldInput { label: "续约日期".into(), kind: CustomFieldKind::Date, options: vec![], in_list: false })
        .await
        .unwrap();
    let mut settings = crm.reminder_settings().await.unwrap();
    settings.rules.iter_mut().for_each(|r| r.enabled = r.kind == RuleKind::Renewal);
    settings.rules.iter_mut().filter(|r| r.kind == RuleKind::Renewal).for_each(|r| r.value = 1);
    crm.set_reminder_settings(settings).await.unwrap();
    for (name, date) in [("冬令时客户", "2026-03-07"), ("夏令时客户", "2026-03-10")] {
        let mut c = input(name, None, None);
        c.custom.insert(field.key.clone(), json!(date));
        crm.add_customer(&c, true).await.unwrap();
    }
    l.clock.set(Utc.with_ymd_and_hms(2026, 3, 9, 14, 0, 0).unwrap());
    let mut list = crm.due_reminders(10).await.unwrap();
    list.sort_by_key(|r| r.due_at);
    // 3月6日 09:00 EST = 14:00 UTC; 3月9日 09:00 EDT = 13:00 UTC.
    let dues: Vec<DateTime<Utc>> = list.iter().map(|r| r.due_at).collect();
    assert_eq!(dues, [Utc.with_ymd_and_hms(2026, 3, 6, 14, 0, 0).unwrap(), Utc.with_ymd_and_hms(2026, 3, 9, 13, 0, 0).unwrap()]);
}

#[tokio::test]
async fn what_fell_due_while_the_app_was_closed_is_presented_as_missed() {
    let l = ledger().await;
    only(&l, &[]).await;
    let c = add(&l.crm, &input("华信科技", None, None)).await;
    for (step, hours) in [("电话确认报价", 3), ("上门拜访", 30), ("发送合同", 80)] {
        l.crm
            .add_followup(c.id, &FollowupInput { next_step: Some(step.into()), next_at: Some(t0() + Duration::hours(hours)), ..call(step) })
            .await
            .unwrap();
    }
    // Logging each follow-up closed the earlier step; keep all three open for this test.
    let open = l.crm.customer_reminders(c.id).await.unwrap();
    assert_eq!(open.len(), 1, "each new follow-up settles the earlier next steps");
    // The app is closed from t0 until 4 days later: the last step's reminder fell due meanwhile.
    l.clock.set(t0() + Duration::days(4));
    let taken = l.crm.take_due_reminders().await.unwrap();
    assert_eq!(taken.iter().map(|r| (r.action.as_deref(), r.missed)).collect::<Vec<_>>(), [(Some("发送合同"), true)]);
    // Announced once: a second look finds nothing new, but the 工作台 still lists it.
    assert!(l.crm.take_due_reminders().await.unwrap().is_empty());
    assert_eq!(l.crm.workbench().await.unwrap().due.iter().map(|r| r.id).collect::<Vec<_>>(), [taken[0].id]);
}

#[tokio::test]
async fn a_reminder_taken_on_time_is_not_missed() {
    let l = ledger().await;
    only(&l, &[]).await;
    let c = add(&l.crm, &input("华信科技", None, None)).await;
    l.crm
        .add_followup(c.id, &FollowupInput { next_step: Some("回电".into()), next_at: Some(t0() + Duration::hours(2)), ..call("沟通") })
        .await
        .unwrap();
    assert_eq!(l.crm.next_reminder_at().await.unwrap(), Some(t0() + Duration::hours(1)));
    l.clock.set(t0() + Duration::hours(1) + Duration::seconds(1));
    let taken = l.crm.take_due_reminders().await.unwrap();
    assert_eq!(taken.iter().map(|r| r.missed).collect::<Vec<_>>(), [false]);
    assert_eq!(l.crm.next_reminder_at().await.unwrap(), None);
}

#[tokio::test]
async fn quiet_hours_hold_notifications_until_they_end() {
    let l = ledger().await;
    only(&l, &[]).await;
    let mut settings = l.crm.reminder_settings().await.unwrap();
    settings.quiet_hours = Some(QuietHours { start: "22:00".into(), end: "08:00".into() });
    settings.lead_minutes = 0;
    l.crm.set_reminder_settings(settings).await.unwrap();
    let c = add(&l.crm, &input("华信科技", None, None)).await;
    // 23:30 Beijing on 3月1日 = 15:30 UTC.
    let late = Utc.with_ymd_and_hms(2026, 3, 1, 15, 30, 0).unwrap();
    l.crm.add_followup(c.id, &FollowupInput { next_step: Some("发消息".into()), next_at: Some(late), ..call("沟通") }).await.unwrap();
    let morning = Utc.with_ymd_and_hms(2026, 3, 2, 0, 0, 0).unwrap(); // 08:00 Beijing
    assert_eq!(l.crm.next_reminder_at().await.unwrap(), Some(morning));
    l.clock.set(late + Duration::minutes(5));
    assert!(l.crm.take_due_reminders().await.unwrap().is_empty(), "quiet");
    assert_eq!(l.crm.workbench().await.unwrap().due.len(), 1, "still listed in the app");
    l.clock.set(morning);
    assert_eq!(l.crm.take_due_reminders().await.unwrap().len(), 1);
}

#[test]
fn quiet_hours_within_one_day_and_across_midnight() {
    let beijing = Zone::Fixed(FixedOffset::east_opt(8 * 3600).unwrap());
    let at = |d: u32, h: u32, m: u32| beijing.at(NaiveDate::from_ymd_opt(2026, 3, d).unwrap(), chrono::NaiveTime::from_hms_opt(h, m, 0).unwrap());
    let night = QuietHours { start: "22:00".into(), end: "08:00".into() };
    assert_eq!(night.release(at(1, 21, 59), beijing), at(1, 21, 59));
    assert_eq!(night.release(at(1, 22, 0), beijing), at(2, 8, 0));
    assert_eq!(night.release(at(2, 7, 59), beijing), at(2, 8, 0));
    assert_eq!(night.release(at(2, 8, 0), beijing), at(2, 8, 0));
    let lunch = QuietHours { start: "12:00".into(), end: "13:30".into() };
    assert_eq!(lunch.release(at(1, 12, 30), beijing), at(1, 13, 30));
    assert_eq!(lunch.release(at(1, 11, 0), beijing), at(1, 11, 0));
}

#[tokio::test]
async fn settings_are_checked_and_keep_every_rule() {
    let l = ledger().await;
    let defaults = l.crm.reminder_settings().await.unwrap();
    assert_eq!(
        defaults.rules.iter().map(|r| (r.kind, r.value)).collect::<Vec<_>>(),
        [
            (RuleKind::FirstContact, 24),
            (RuleKind::Renewal, 30),
            (RuleKind::ProposalNoReply, 3),
            (RuleKind::NoResponse, 14),
            (RuleKind::Dormant, 90),
            (RuleKind::CadenceA, 7),
            (RuleKind::CadenceB, 14),
            (RuleKind::CadenceC, 30),
        ]
    );
    let mut bad = defaults.clone();
    bad.lead_minutes = 99_999;
    bad.rules[4].value = 0;
    bad.quiet_hours = Some(QuietHours { start: "25:00".into(), end: "08:00".into() });
    let err = l.crm.set_reminder_settings(bad).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Validation);
    assert_eq!(
        err.fields().into_iter().collect::<Vec<_>>(),
        [("leadMinutes".into(), "out_of_range".into()), ("quietHours".into(), "time_invalid".into()), ("rules.4.value".into(), "out_of_range".into())]
    );
    assert_eq!(l.crm.reminder_settings().await.unwrap(), defaults, "nothing half-saved");
    let mut partial = defaults.clone();
    partial.rules.retain(|r| r.kind != RuleKind::Dormant);
    assert_eq!(l.crm.set_reminder_settings(partial).await.unwrap().rules.len(), 8);
}

#[test]
fn notifications_name_the_customer_the_action_and_the_time() {
    let r = Reminder {
        id: 1,
        customer_id: 7,
        customer_name: "华信科技".into(),
        followup_id: Some(3),
        rule: ReminderRule::NextStep,
        action: Some("电话确认报价".into()),
        owner: None,
        due_at: Utc.with_ymd_and_hms(2026, 3, 1, 2, 0, 0).unwrap(),
        remind_at: Utc.with_ymd_and_hms(2026, 3, 1, 1, 0, 0).unwrap(),
        status: yiben::reminders::ReminderStatus::Open,
        notified_at: None,
        missed: false,
    };
    let beijing = Zone::Fixed(FixedOffset::east_opt(8 * 3600).unwrap());
    assert_eq!(notice::notice(&r, Language::ZhCn, beijing), ("跟进提醒：华信科技".into(), "电话确认报价\n时间：03-01 10:00".into()));
    let dormant = Reminder { rule: ReminderRule::Dormant, action: None, ..r };
    assert_eq!(notice::notice(&dormant, Language::En, beijing).1, "No contact for a long time: dormant\nDue: 03-01 10:00");
}

#[tokio::test]
async fn an_open_deal_makes_silence_a_churn_risk_and_winning_it_ends_that() {
    let l = ledger().await;
    only(&l, &[RuleKind::NoResponse]).await;
    let c = add(&l.crm, &input("华信科技", None, None)).await;
    let stages = l.crm.deal_stages().await.unwrap();
    let proposal = stages.iter().find(|s| s.name == "方案提交").unwrap().id;
    let deal = yiben::deals::DealInput { customer_id: c.id, name: "一期".into(), amount: "30万".into(), stage_id: Some(proposal), ..Default::default() };
    l.crm.add_deal(&deal).await.unwrap();
    l.clock.set(t0() + Duration::days(14));
    assert_eq!(rules_of(&due(&l).await), [ReminderRule::NoResponse]);
    let won = stages.iter().find(|s| s.name == "成交").unwrap().id;
    let other = add(&l.crm, &input("明达贸易", None, None)).await;
    let d2 = l.crm.add_deal(&yiben::deals::DealInput { customer_id: other.id, name: "二期".into(), stage_id: Some(proposal), ..deal }).await.unwrap();
    l.crm.move_deal(d2.id, &yiben::deals::MoveInput { stage_id: won, ..Default::default() }).await.unwrap();
    l.clock.set(t0() + Duration::days(40));
    let list = due(&l).await;
    assert!(list.iter().all(|r| r.customer_id == c.id), "a won deal is no churn risk");
}
