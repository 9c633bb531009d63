//! The funnel, the forecast and the stall rules on hand-computed examples.

mod common;

use chrono::Duration;
use common::{add, input, ledger, t0, Ledger};
use yiben::deals::funnel::FunnelStage;
use yiben::deals::{DealFilter, DealInput, DealQuery, DealSettings, MoveInput, StallReason};
use yiben::Crm;

async fn ids(crm: &Crm) -> [i64; 6] {
    let s = crm.deal_stages().await.unwrap();
    [s[0].id, s[1].id, s[2].id, s[3].id, s[4].id, s[5].id]
}

fn new(customer_id: i64, name: &str, amount: &str, stage_id: i64) -> DealInput {
    DealInput { customer_id, name: name.into(), amount: amount.into(), stage_id: Some(stage_id), ..Default::default() }
}

async fn walk(l: &Ledger, deal: i64, stages: &[i64], lost_reason: Option<&str>) {
    for &stage_id in stages {
        l.clock.advance(Duration::days(1));
        let input = MoveInput { stage_id, lost_reason: lost_reason.map(Into::into), ..Default::default() };
        l.crm.move_deal(deal, &input).await.unwrap();
    }
}

fn row(stages: &[FunnelStage], id: i64) -> &FunnelStage {
    stages.iter().find(|s| s.stage_id == id).unwrap()
}

/// A: lead → qualified → proposal → negotiation → won (30万)
/// B: lead → proposal (skips qualified) → lost, 价格过高 (10万)
/// C: lead → qualified → proposal → back to qualified (20万)
/// D: lead, with a 25% override (5万)
/// E: created in qualified → lost, 选择竞品 (8万)
async fn five_deals(l: &Ledger) -> [i64; 6] {
    let [lead, qualified, proposal, negotiation, won, lost] = ids(&l.crm).await;
    let c = add(&l.crm, &input("华信科技", None, None)).await.id;
    let a = l.crm.add_deal(&new(c, "A", "30万", lead)).await.unwrap().id;
    let b = l.crm.add_deal(&new(c, "B", "10万", lead)).await.unwrap().id;
    let cc = l.crm.add_deal(&new(c, "C", "20万", lead)).await.unwrap().id;
    l.crm.add_deal(&DealInput { probability: Some(25), ..new(c, "D", "5万", lead) }).await.unwrap();
    let e = l.crm.add_deal(&new(c, "E", "8万", qualified)).await.unwrap().id;
    walk(l, a, &[qualified, proposal, negotiation, won], None).await;
    walk(l, b, &[proposal], None).await;
    walk(l, b, &[lost], Some("价格过高")).await;
    walk(l, cc, &[qualified, proposal, qualified], None).await;
    walk(l, e, &[lost], Some("选择竞品")).await;
    [lead, qualified, proposal, negotiation, won, lost]
}

#[tokio::test]
async fn reached_conversion_and_drop_off_come_from_the_history() {
    let l = ledger().await;
    let [lead, qualified, proposal, negotiation, won, lost] = five_deals(&l).await;
    let r = l.crm.funnel_report(&DealFilter::default()).await.unwrap();
    let s = &r.stages;
    // Reached: lead all 5; qualified A B C E (B skipped through it); proposal A B C; negotiation A; won A.
    let reached: Vec<i64> = [lead, qualified, proposal, negotiation, won].iter().map(|&id| row(s, id).reached).collect();
    assert_eq!(reached, [5, 4, 3, 1, 1]);
    assert_eq!(row(s, lead).conversion, Some(0.8));
    assert_eq!(row(s, qualified).conversion, Some(0.75));
    assert_eq!(row(s, proposal).conversion, Some(1.0 / 3.0));
    assert_eq!(row(s, negotiation).conversion, Some(1.0));
    assert_eq!(row(s, won).conversion, None);
    let drops: Vec<Option<i64>> = [lead, qualified, proposal, negotiation, won].iter().map(|&id| row(s, id).drop_off).collect();
    assert_eq!(drops, [Some(1), Some(1), Some(2), Some(0), None]);
    assert_eq!(r.weakest_stage_id, Some(proposal), "方案阶段转化率仅33%");
    assert_eq!(row(s, qualified).reached_amount_fen, 68_000_000, "A B C E: 30+10+20+8 万");

    // Where the deals are now.
    let now: Vec<(i64, i64)> = s.iter().map(|x| (x.count, x.amount_fen)).collect();
    assert_eq!(now, [(1, 5_000_000), (1, 20_000_000), (0, 0), (0, 0), (1, 30_000_000), (2, 18_000_000)]);
    assert_eq!(row(s, lost).reached, 2);
    assert_eq!(row(s, lead).weighted_fen, 1_250_000, "5万 × the 25% override");
    assert_eq!(row(s, qualified).weighted_fen, 6_000_000, "20万 × 30%");
    assert_eq!((r.total_count, r.open_amount_fen, r.weighted_fen), (5, 25_000_000, 7_250_000));
    assert_eq!((r.won_count, r.won_amount_fen), (1, 30_000_000));
    assert_eq!(r.avg_cycle_days, Some(4.0), "A was created at t0 and won 4 days later");

    let lost_reasons: Vec<(&str, i64, i64)> = r.lost_reasons.iter().map(|x| (x.reason.as_str(), x.count, x.amount_fen)).collect();
    assert_eq!(lost_reasons, [("价格过高", 1, 10_000_000), ("选择竞品", 1, 8_000_000)]);
}

#[tokio::test]
async fn the_report_filters_by_owner_and_creation_period() {
    let l = ledger().await;
    let [lead, qualified, ..] = ids(&l.crm).await;
    let c = add(&l.crm, &input("华信科技", None, None)).await.id;
    let mine = l.crm.add_deal(&DealInput { owner: Some("王经理".into()), ..new(c, "1", "10万", lead) }).await.unwrap();
    l.clock.advance(Duration::days(40));
    l.crm.add_deal(&DealInput { owner: Some("李经理".into()), ..new(c, "2", "20万", lead) }).await.unwrap();
    l.crm.move_deal(mine.id, &MoveInput { stage_id: qualified, ..Default::default() }).await.unwrap();

    let crm = &l.crm;
    let only = |filter: DealFilter| async move { crm.funnel_report(&filter).await.unwrap() };
    let r = only(DealFilter { owner: Some("王经理".into()), ..Default::default() }).await;
    assert_eq!((r.total_count, row(&r.stages, lead).reached, row(&r.stages, lead).conversion), (1, 1, Some(1.0)));
    // Cohort: the deals created in March (only "1"), however far they got since.
    let march = DealFilter { from: Some("2026-03-01".into()), to: Some("2026-03-31".into()), ..Default::default() };
    let r = only(march).await;
    assert_eq!((r.total_count, row(&r.stages, qualified).count), (1, 1));
    let r = only(DealFilter::default()).await;
    assert_eq!((row(&r.stages, lead).reached, row(&r.stages, lead).conversion), (2, Some(0.5)));
}

#[tokio::test]
async fn reordering_stages_recomputes_how_far_each_deal_got() {
    let l = ledger().await;
    let [lead, qualified, proposal, negotiation, ..] = five_deals(&l).await;
    // With proposal before qualified, C (… proposal → qualified) has now reached qualified.
    l.crm.reorder_deal_stages(&[lead, proposal, qualified, negotiation]).await.unwrap();
    let r = l.crm.funnel_report(&DealFilter::default()).await.unwrap();
    let reached: Vec<i64> = r.stages.iter().take(4).map(|s| s.reached).collect();
    // lead 5; proposal: A B C E(created in qualified, now later than proposal); qualified: A C E; negotiation A.
    assert_eq!(reached, [5, 4, 3, 1]);
}

#[tokio::test]
async fn an_empty_ledger_has_a_funnel_of_zeros_and_no_weakest_stage() {
    let l = ledger().await;
    let r = l.crm.funnel_report(&DealFilter::default()).await.unwrap();
    assert!(r.stages.iter().all(|s| s.count == 0 && s.reached == 0 && s.conversion.is_none()));
    assert_eq!((r.weakest_stage_id, r.avg_cycle_days), (None, None));
    assert!(r.lost_reasons.is_empty());
    assert!(l.crm.deal_forecast(&DealFilter::default()).await.unwrap().months.is_empty());
}

#[tokio::test]
async fn the_forecast_weighs_open_deals_by_close_month_beside_what_was_won() {
    let l = ledger().await;
    let [lead, _, proposal, negotiation, won, _] = ids(&l.crm).await;
    let c = add(&l.crm, &input("华信科技", None, None)).await.id;
    let dated = |name: &str, amount: &str, stage: i64, close: &str| DealInput { close_date: Some(close.into()), ..new(c, name, amount, stage) };
    l.crm.add_deal(&dated("X", "10万", lead, "2026-03-20")).await.unwrap();
    l.crm.add_deal(&dated("Y", "20万", proposal, "2026-03-31")).await.unwrap();
    l.crm.add_deal(&DealInput { probability: Some(90), ..dated("Z", "40万", negotiation, "2026-04-02") }).await.unwrap();
    l.crm.add_deal(&new(c, "W", "1万", lead)).await.unwrap();
    // Won on 03-05, expected for May: it counts as won in March, not as May's pipeline.
    let v = l.crm.add_deal(&dated("V", "30万", negotiation, "2026-05-01")).await.unwrap();
    l.clock.advance(Duration::days(4));
    l.crm.move_deal(v.id, &MoveInput { stage_id: won, ..Default::default() }).await.unwrap();

    let f = l.crm.deal_forecast(&DealFilter::default()).await.unwrap();
    let months: Vec<(Option<&str>, i64, i64, i64)> =
        f.months.iter().map(|m| (m.month.as_deref(), m.amount_fen, m.weighted_fen, m.won_amount_fen)).collect();
    assert_eq!(
        months,
        [
            (Some("2026-03"), 30_000_000, 11_000_000, 30_000_000), // 10万×10% + 20万×50%
            (Some("2026-04"), 40_000_000, 36_000_000, 0),          // 40万 × the 90% override
            (None, 1_000_000, 100_000, 0),                         // no close date
        ]
    );
    assert_eq!((f.amount_fen, f.weighted_fen, f.won_amount_fen), (71_000_000, 47_100_000, 30_000_000));
}

#[tokio::test]
async fn no_contact_for_n_days_stalls_a_deal_from_the_nth_day_on() {
    let l = ledger().await;
    let [lead, .., won, _] = ids(&l.crm).await;
    let c = add(&l.crm, &input("华信科技", None, None)).await.id;
    let d = l.crm.add_deal(&new(c, "一期", "10万", lead)).await.unwrap();
    let closed = l.crm.add_deal(&new(c, "已成交", "10万", won)).await.unwrap();

    l.clock.set(t0() + Duration::days(14) - Duration::milliseconds(1));
    assert!(l.crm.deal(d.id).await.unwrap().stalled.is_empty(), "one millisecond short of 14 days");
    assert!(l.crm.stalled_deals(&DealFilter::default(), 50).await.unwrap().is_empty());

    l.clock.set(t0() + Duration::days(14));
    assert_eq!(l.crm.deal(d.id).await.unwrap().stalled, [StallReason::NoContact]);
    assert!(l.crm.deal(closed.id).await.unwrap().stalled.is_empty(), "won deals never stall");
    let listed: Vec<i64> = l.crm.stalled_deals(&DealFilter::default(), 50).await.unwrap().iter().map(|d| d.id).collect();
    assert_eq!(listed, [d.id]);

    l.crm.set_deal_settings(&DealSettings { stall_days: 30 }).await.unwrap();
    assert!(l.crm.deal(d.id).await.unwrap().stalled.is_empty(), "the threshold is editable");
    assert_eq!(l.crm.set_deal_settings(&DealSettings { stall_days: 0 }).await.unwrap_err().fields()["stallDays"], "out_of_range");
    assert_eq!(l.crm.deal_settings().await.unwrap().stall_days, 30);
}

#[tokio::test]
async fn a_follow_up_with_the_customer_is_contact_for_its_deals() {
    let l = ledger().await;
    let [lead, ..] = ids(&l.crm).await;
    let c = add(&l.crm, &input("华信科技", None, None)).await.id;
    let d = l.crm.add_deal(&new(c, "一期", "10万", lead)).await.unwrap();
    l.clock.set(t0() + Duration::days(10));
    let call = yiben::followups::FollowupInput { method: "电话".into(), content: "电话沟通一期需求".into(), ..Default::default() };
    l.crm.add_followup(c, &call).await.unwrap();
    l.clock.set(t0() + Duration::days(14));
    assert!(l.crm.deal(d.id).await.unwrap().stalled.is_empty(), "contacted 4 days ago");
    l.clock.set(t0() + Duration::days(24) - Duration::milliseconds(1));
    assert!(l.crm.stalled_deals(&DealFilter::default(), 50).await.unwrap().is_empty());
    l.clock.set(t0() + Duration::days(24));
    assert_eq!(l.crm.deal(d.id).await.unwrap().stalled, [StallReason::NoContact]);
}

#[tokio::test]
async fn a_deal_is_overdue_the_day_after_its_close_date() {
    let l = ledger().await;
    let [lead, ..] = ids(&l.crm).await;
    let c = add(&l.crm, &input("华信科技", None, None)).await.id;
    // t0 is 2026-03-01 09:30 in Beijing.
    let today = l.crm.add_deal(&DealInput { close_date: Some("2026-03-01".into()), ..new(c, "今天", "1万", lead) }).await.unwrap();
    let yesterday =
        l.crm.add_deal(&DealInput { close_date: Some("2026-02-28".into()), ..new(c, "昨天", "1万", lead) }).await.unwrap();
    assert_eq!((today.days_left, today.stalled.clone()), (Some(0), vec![]));
    assert_eq!((yesterday.days_left, yesterday.stalled.clone()), (Some(-1), vec![StallReason::Overdue]));
    let listed: Vec<i64> = l.crm.stalled_deals(&DealFilter::default(), 50).await.unwrap().iter().map(|d| d.id).collect();
    assert_eq!(listed, [yesterday.id]);
    // 2026-03-01 16:00 UTC is already 03-02 in Beijing.
    l.clock.set(t0() + Duration::hours(15));
    assert_eq!(l.crm.deal(today.id).await.unwrap().stalled, [StallReason::Overdue]);
}

#[tokio::test]
async fn more_than_twice_the_average_stay_is_slow_once_three_stays_are_known() {
    let l = ledger().await;
    let [lead, qualified, ..] = ids(&l.crm).await;
    let c = add(&l.crm, &input("华信科技", None, None)).await.id;
    // Three deals stay 1, 2 and 3 days in lead: the average is 2 days, slow is more than 4.
    let mut done = Vec::new();
    for _ in 0..3 {
        done.push(l.crm.add_deal(&new(c, "样本", "1万", lead)).await.unwrap().id);
    }
    let watched = l.crm.add_deal(&new(c, "观察", "1万", lead)).await.unwrap();
    for (i, id) in done.iter().enumerate() {
        let at = t0() + Duration::days(i as i64 + 1);
        l.clock.set(at);
        let slow_before_three = l.crm.deal(watched.id).await.unwrap().stalled;
        assert!(slow_before_three.is_empty(), "fewer than three stays say nothing");
        l.crm.move_deal(*id, &MoveInput { stage_id: qualified, ..Default::default() }).await.unwrap();
    }
    let stage = l.crm.deal_stages().await.unwrap().into_iter().find(|s| s.id == lead).unwrap();
    assert_eq!((stage.stay_count, stage.avg_stay_days), (3, Some(2.0)));

    l.clock.set(t0() + Duration::days(4));
    assert!(l.crm.deal(watched.id).await.unwrap().stalled.is_empty(), "exactly twice the average");
    l.clock.set(t0() + Duration::days(4) + Duration::milliseconds(1));
    assert_eq!(l.crm.deal(watched.id).await.unwrap().stalled, [StallReason::SlowStage]);
    let listed: Vec<i64> = l.crm.stalled_deals(&DealFilter::default(), 50).await.unwrap().iter().map(|d| d.id).collect();
    assert_eq!(listed, [watched.id]);
}

#[tokio::test]
async fn the_report_and_the_kanban_use_indexes_and_never_read_the_history() {
    let l = ledger().await;
    let filters = [
        DealFilter::default(),
        DealFilter { owner: Some("王经理".into()), ..Default::default() },
        DealFilter { from: Some("2026-01-01".into()), to: Some("2026-03-31".into()), ..Default::default() },
    ];
    for filter in filters {
        let plans = l.crm.funnel_plans(&filter).await.unwrap();
        assert_eq!(plans.len(), 3);
        for (query, steps) in &plans {
            let plan = steps.join("; ");
            assert!(!plan.contains("deal_stage_history"), "{query}: {plan}");
            assert!(!plan.contains("SCAN"), "{query} scans a table: {plan}");
            if query.contains("totals") || query.contains("lost") {
                assert!(plan.contains("COVERING INDEX"), "{query}: {plan}");
            }
        }
    }
}

#[tokio::test]
async fn a_tag_or_segment_filter_narrows_the_kanban_funnel_forecast_and_list() {
    let l = ledger().await;
    let [lead, qualified, proposal, negotiation, won, lost] = five_deals(&l).await;
    // 远航物流 is a 高价值客户 with two open deals: F 50万 in proposal, G 12万 in negotiation.
    let key = add(&l.crm, &input("远航物流", None, None)).await.id;
    let value = l.crm.tags().await.unwrap().into_iter().find(|t| t.name == "高价值客户").unwrap().id;
    l.crm.tag_customers(&yiben::TagTarget::Selection { ids: vec![key] }, &[value], &[]).await.unwrap();
    l.crm.add_deal(&new(key, "F", "50万", proposal)).await.unwrap();
    l.crm.add_deal(&DealInput { close_date: Some("2026-04-30".into()), ..new(key, "G", "12万", negotiation) }).await.unwrap();

    let tagged = |text: &str| DealFilter { customer_filter: Some(yiben::deals::CustomerFilter::new(text)), ..Default::default() };
    let counts = |board: &yiben::deals::Board| -> Vec<i64> {
        [lead, qualified, proposal, negotiation, won, lost].iter().map(|id| board.columns.iter().find(|c| c.stage.id == *id).unwrap().count).collect()
    };
    assert_eq!(counts(&l.crm.deal_board(&DealFilter::default()).await.unwrap()), [1, 1, 1, 1, 1, 2]);
    let board = l.crm.deal_board(&tagged("tag:高价值客户")).await.unwrap();
    assert_eq!(counts(&board), [0, 0, 1, 1, 0, 0]);
    let proposal_column = board.columns.iter().find(|c| c.stage.id == proposal).unwrap();
    assert_eq!((proposal_column.amount_fen, proposal_column.deals[0].name.as_str()), (50_000_000, "F"));
    assert_eq!(counts(&l.crm.deal_board(&tagged("NOT tag:高价值客户")).await.unwrap()), [1, 1, 0, 0, 1, 2]);

    let r = l.crm.funnel_report(&tagged("tag:高价值客户")).await.unwrap();
    assert_eq!((r.total_count, r.won_count, r.open_amount_fen), (2, 0, 62_000_000));
    assert_eq!((row(&r.stages, proposal).reached, row(&r.stages, negotiation).reached), (2, 1), "G was created in negotiation");
    let f = l.crm.deal_forecast(&tagged("tag:高价值客户")).await.unwrap();
    assert_eq!((f.amount_fen, f.won_amount_fen), (62_000_000, 0));
    assert_eq!(l.crm.deal_forecast(&DealFilter::default()).await.unwrap().won_amount_fen, 30_000_000);

    // A saved segment's filter is the same language; it combines with the other filters.
    let segment = l.crm.save_segment("重点客户", "tag:高价值客户 OR name:华信科技").await.unwrap();
    let all = DealQuery { filter: tagged(&segment.filter), limit: 50, cursor: None };
    assert_eq!(l.crm.list_deals(&all).await.unwrap().items.len(), 7);
    let one_stage = DealQuery { filter: DealFilter { stage_id: Some(proposal), ..tagged(&segment.filter) }, limit: 50, cursor: None };
    assert_eq!(l.crm.list_deals(&one_stage).await.unwrap().items.len(), 1, "C went back to qualified; F is in proposal");
    let nobody = l.crm.funnel_report(&tagged("tag:战略客户")).await.unwrap();
    assert_eq!(nobody.total_count, 0);
    assert_eq!(counts(&l.crm.deal_board(&tagged("   ")).await.unwrap()), [1, 1, 1, 1, 1, 2], "blank: no condition");

    let err = l.crm.deal_board(&tagged("tag:高价值客户 AND tag:不存在")).await.unwrap_err();
    assert_eq!((err.fields()["filter"].as_str(), err.fields()["filter.at"].as_str()), ("unknown_tag", "14"));
}
