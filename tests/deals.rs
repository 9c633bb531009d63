//! Deals: the form's rules, stage moves and their history, the customer's derived stage, and
//! what happens to deals when their customer goes to the recycle bin or is merged.

mod common;

use chrono::Duration;
use common::{add, input, ledger, t0};
use yiben::customers::CustomerInput;
use yiben::deals::{DealFilter, DealInput, DealQuery, LostReasonInput, MoveInput, StageInput, StageKind};
use yiben::{Crm, Error, ErrorCode};

fn deal(customer_id: i64, name: &str, amount: &str, stage_id: i64) -> DealInput {
    DealInput { customer_id, name: name.into(), amount: amount.into(), stage_id: Some(stage_id), ..Default::default() }
}

fn to(stage_id: i64) -> MoveInput {
    MoveInput { stage_id, ..Default::default() }
}

fn field(err: &Error, name: &str) -> Option<String> {
    err.fields().get(name).cloned()
}

async fn stage_id(crm: &Crm, code: &str) -> i64 {
    crm.deal_stages().await.unwrap().into_iter().find(|s| s.code.as_deref() == Some(code)).unwrap().id
}

async fn customer(crm: &Crm, name: &str) -> i64 {
    add(crm, &CustomerInput { owner: Some("王经理".into()), ..input(name, None, None) }).await.id
}

#[tokio::test]
async fn default_stages_are_ordered_with_probabilities_and_kinds() {
    let l = ledger().await;
    let stages = l.crm.deal_stages().await.unwrap();
    let rows: Vec<(&str, i64, StageKind)> = stages.iter().map(|s| (s.name.as_str(), s.probability, s.kind)).collect();
    assert_eq!(
        rows,
        [
            ("潜在客户", 10, StageKind::Open),
            ("意向客户", 30, StageKind::Open),
            ("方案提交", 50, StageKind::Open),
            ("合同谈判", 70, StageKind::Open),
            ("成交", 100, StageKind::Won),
            ("流失", 0, StageKind::Lost),
        ]
    );
    let reasons: Vec<String> = l.crm.lost_reasons().await.unwrap().into_iter().map(|r| r.name).collect();
    assert_eq!(reasons, ["价格过高", "选择竞品", "需求变化", "预算取消", "其他"]);
}

#[tokio::test]
async fn the_seed_example_30_wan_in_proposal_47_days_left() {
    let l = ledger().await;
    let c = customer(&l.crm, "科技有限公司").await;
    let proposal = stage_id(&l.crm, "proposal").await;
    // t0 is 2026-03-01 in Beijing; 47 days later is 04-17.
    let d = l
        .crm
        .add_deal(&DealInput { close_date: Some("2026-04-17".into()), ..deal(c, "CRM采购", "30万", proposal) })
        .await
        .unwrap();
    assert_eq!(d.amount_fen, 30_000_000);
    assert_eq!(d.days_left, Some(47));
    assert_eq!(d.probability, 50, "the stage's default");
    assert_eq!(d.probability_override, None);
    assert_eq!(d.owner.as_deref(), Some("王经理"), "the customer's owner by default");
    assert_eq!(d.customer_name, "科技有限公司");
    assert_eq!(d.created_at, t0());
    assert_eq!(d.stage_at, t0());
    assert!(d.stalled.is_empty());
    let history = l.crm.deal_history(d.id).await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!((history[0].from_stage_id, history[0].to_stage_id, history[0].at), (None, proposal, t0()));
    assert_eq!(l.crm.customer(c).await.unwrap().stage.as_deref(), Some("方案提交"));
}

#[tokio::test]
async fn every_written_form_of_an_amount_is_accepted() {
    let l = ledger().await;
    let c = customer(&l.crm, "华信").await;
    let lead = stage_id(&l.crm, "lead").await;
    for (raw, fen) in [
        ("30万", 30_000_000),
        ("30万元", 30_000_000),
        ("300000", 30_000_000),
        ("300,000.00", 30_000_000),
        ("¥3,000", 300_000),
        ("1.5亿", 15_000_000_000),
    ] {
        let d = l.crm.add_deal(&deal(c, raw, raw, lead)).await.unwrap();
        assert_eq!(d.amount_fen, fen, "{raw}");
    }
}

#[tokio::test]
async fn the_form_reports_every_problem_and_writes_nothing() {
    let l = ledger().await;
    let c = customer(&l.crm, "华信").await;
    let lost = stage_id(&l.crm, "lost").await;
    let bad = DealInput {
        customer_id: c,
        name: " ".into(),
        amount: "三十万".into(),
        close_date: Some("2026-02-30".into()),
        probability: Some(101),
        stage_id: Some(lost),
        ..Default::default()
    };
    let err = l.crm.add_deal(&bad).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Validation);
    assert_eq!(field(&err, "name").as_deref(), Some("required"));
    assert_eq!(field(&err, "amount").as_deref(), Some("amount_invalid"));
    assert_eq!(field(&err, "closeDate").as_deref(), Some("date_invalid"));
    assert_eq!(field(&err, "probability").as_deref(), Some("out_of_range"));
    assert_eq!(field(&err, "lostReason").as_deref(), Some("required"));

    let err = l.crm.add_deal(&deal(c, "x", "", 9999)).await.unwrap_err();
    assert_eq!(field(&err, "amount").as_deref(), Some("required"));
    assert_eq!(field(&err, "stageId").as_deref(), Some("unknown_stage"));

    let err = l
        .crm
        .add_deal(&DealInput { lost_reason: Some("天气不好".into()), ..deal(c, "x", "1万", lost) })
        .await
        .unwrap_err();
    assert_eq!(field(&err, "lostReason").as_deref(), Some("unknown_reason"));

    let page = l.crm.list_deals(&DealQuery { limit: 10, ..Default::default() }).await.unwrap();
    assert!(page.items.is_empty());
}

#[tokio::test]
async fn a_deal_needs_a_live_customer() {
    let l = ledger().await;
    let lead = stage_id(&l.crm, "lead").await;
    let err = l.crm.add_deal(&deal(404, "x", "1万", lead)).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound);
    let c = customer(&l.crm, "华信").await;
    l.crm.delete_customer(c).await.unwrap();
    let err = l.crm.add_deal(&deal(c, "x", "1万", lead)).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound);
}

#[tokio::test]
async fn moves_are_recorded_and_lost_needs_a_reason() {
    let l = ledger().await;
    let c = customer(&l.crm, "华信").await;
    let (lead, proposal, lost) =
        (stage_id(&l.crm, "lead").await, stage_id(&l.crm, "proposal").await, stage_id(&l.crm, "lost").await);
    let d = l.crm.add_deal(&DealInput { probability: Some(35), ..deal(c, "一期", "10万", lead) }).await.unwrap();
    assert_eq!(d.probability, 35);

    l.clock.advance(Duration::days(3));
    let moved = l.crm.move_deal(d.id, &to(proposal)).await.unwrap();
    assert_eq!(moved.stage_id, proposal);
    assert_eq!(moved.probability, 50, "a stage change resets the override to the new stage's default");
    assert_eq!(moved.stage_at, t0() + Duration::days(3));

    let err = l.crm.move_deal(d.id, &to(proposal)).await.unwrap_err();
    assert_eq!(field(&err, "stageId").as_deref(), Some("same_stage"));
    let err = l.crm.move_deal(d.id, &to(lost)).await.unwrap_err();
    assert_eq!(field(&err, "lostReason").as_deref(), Some("required"));
    let err = l.crm.move_deal(d.id, &to(12345)).await.unwrap_err();
    assert_eq!(field(&err, "stageId").as_deref(), Some("unknown_stage"));
    let err = l.crm.move_deal(404, &to(lost)).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound);
    let future = MoveInput { at: Some(t0() + Duration::days(4)), ..to(lead) };
    assert_eq!(field(&l.crm.move_deal(d.id, &future).await.unwrap_err(), "at").as_deref(), Some("in_future"));
    let early = MoveInput { at: Some(t0() + Duration::days(2)), ..to(lead) };
    assert_eq!(field(&l.crm.move_deal(d.id, &early).await.unwrap_err(), "at").as_deref(), Some("before_last_change"));

    l.clock.advance(Duration::days(1));
    let at = t0() + Duration::days(3) + Duration::hours(12);
    let lost_move = MoveInput {
        stage_id: lost,
        lost_reason: Some("选择竞品".into()),
        lost_note: Some("竞品B报价更低".into()),
        at: Some(at),
    };
    let gone = l.crm.move_deal(d.id, &lost_move).await.unwrap();
    assert_eq!(gone.lost_reason.as_deref(), Some("选择竞品"));
    assert_eq!(gone.lost_note.as_deref(), Some("竞品B报价更低"));
    assert_eq!(gone.stage_at, at, "recorded when it happened");
    assert_eq!(gone.updated_at, t0() + Duration::days(4), "the activity is now");

    let back = l.crm.move_deal(d.id, &to(proposal)).await.unwrap();
    assert_eq!(back.lost_reason, None, "leaving 流失 clears the reason");

    let history: Vec<(Option<i64>, i64)> =
        l.crm.deal_history(d.id).await.unwrap().into_iter().map(|h| (h.from_stage_id, h.to_stage_id)).collect();
    assert_eq!(history, [(None, lead), (Some(lead), proposal), (Some(proposal), lost), (Some(lost), proposal)]);
    // Completed stays: lead 3 days, proposal 12 hours, lost 12 hours.
    let stages = l.crm.deal_stages().await.unwrap();
    let stay = |id: i64| stages.iter().find(|s| s.id == id).map(|s| (s.stay_count, s.avg_stay_days)).unwrap();
    assert_eq!(stay(lead), (1, Some(3.0)));
    assert_eq!(stay(proposal), (1, Some(0.5)));
    assert_eq!(stay(lost), (1, Some(0.5)));
}

#[tokio::test]
async fn editing_a_deal_keeps_its_stage_unless_changed_and_stores_feedback_per_stage() {
    let l = ledger().await;
    let c = customer(&l.crm, "华信").await;
    let (lead, lost) = (stage_id(&l.crm, "lead").await, stage_id(&l.crm, "lost").await);
    let d = l.crm.add_deal(&deal(c, "一期", "10万", lead)).await.unwrap();
    let mut edit = DealInput { stage_id: None, amount: "12.5万".into(), owner: Some("李经理".into()), ..deal(c, "一期扩容", "", 0) };
    edit.feedback.insert(lead.to_string(), "方案需增加移动端功能".into());
    let saved = l.crm.update_deal(d.id, &edit).await.unwrap();
    assert_eq!((saved.name.as_str(), saved.amount_fen, saved.stage_id), ("一期扩容", 12_500_000, lead));
    assert_eq!(saved.owner.as_deref(), Some("李经理"));
    assert_eq!(saved.feedback.get(&lead.to_string()).map(String::as_str), Some("方案需增加移动端功能"));
    assert_eq!(l.crm.deal_history(d.id).await.unwrap().len(), 1, "no stage change, no history row");

    let err = l.crm.update_deal(d.id, &DealInput { stage_id: Some(lost), ..edit.clone() }).await.unwrap_err();
    assert_eq!(field(&err, "lostReason").as_deref(), Some("required"));
    let lost_edit = DealInput { stage_id: Some(lost), lost_reason: Some("预算取消".into()), ..edit.clone() };
    let saved = l.crm.update_deal(d.id, &lost_edit).await.unwrap();
    assert_eq!((saved.stage_id, saved.lost_reason.as_deref()), (lost, Some("预算取消")));
    assert_eq!(l.crm.deal_history(d.id).await.unwrap().len(), 2);

    let mut bad = edit.clone();
    bad.feedback.insert("999".into(), "x".into());
    assert_eq!(field(&l.crm.update_deal(d.id, &bad).await.unwrap_err(), "feedback.999").as_deref(), Some("unknown_stage"));
}

#[tokio::test]
async fn the_customer_stage_follows_its_most_advanced_open_deal() {
    let l = ledger().await;
    let c = add(&l.crm, &CustomerInput { stage: Some("意向客户".into()), ..input("华信", None, None) }).await.id;
    assert_eq!(l.crm.customer(c).await.unwrap().stage.as_deref(), Some("意向客户"), "set by hand without deals");
    let ids = |code: &'static str| stage_id(&l.crm, code);
    let (lead, negotiation, won, lost) = (ids("lead").await, ids("negotiation").await, ids("won").await, ids("lost").await);
    let stage = || async { l.crm.customer(c).await.unwrap().stage };

    let small = l.crm.add_deal(&deal(c, "小单", "1万", lead)).await.unwrap();
    assert_eq!(stage().await.as_deref(), Some("潜在客户"));
    let big = l.crm.add_deal(&deal(c, "大单", "50万", negotiation)).await.unwrap();
    assert_eq!(stage().await.as_deref(), Some("合同谈判"));
    l.crm.move_deal(big.id, &to(won)).await.unwrap();
    assert_eq!(stage().await.as_deref(), Some("潜在客户"), "the open deal leads while one is open");
    l.crm
        .move_deal(small.id, &MoveInput { lost_reason: Some("价格过高".into()), ..to(lost) })
        .await
        .unwrap();
    assert_eq!(stage().await.as_deref(), Some("成交"), "none open: won beats lost");
    l.crm.delete_deal(big.id).await.unwrap();
    assert_eq!(stage().await.as_deref(), Some("流失"));

    let changes: Vec<(Option<String>, Option<String>)> = l
        .crm
        .customer_history(c)
        .await
        .unwrap()
        .into_iter()
        .filter(|h| h.field.as_deref() == Some("stage"))
        .map(|h| (h.old_value, h.new_value))
        .collect();
    assert_eq!(changes.len(), 5, "each derived change is in the customer's history: {changes:?}");
    assert_eq!(changes[0], (Some("成交".into()), Some("流失".into())), "newest first");
}

#[tokio::test]
async fn deals_follow_their_customer_into_the_bin_back_and_into_a_merge() {
    let l = ledger().await;
    let a = customer(&l.crm, "华信科技").await;
    let b = customer(&l.crm, "恒达贸易").await;
    let lead = stage_id(&l.crm, "lead").await;
    let kept = l.crm.add_deal(&deal(a, "一期", "10万", lead)).await.unwrap();
    let removed = l.crm.add_deal(&deal(a, "二期", "20万", lead)).await.unwrap();
    l.crm.delete_deal(removed.id).await.unwrap();
    let crm = &l.crm;
    let live = |filter: DealFilter| async move {
        crm.list_deals(&DealQuery { filter, limit: 50, cursor: None }).await.unwrap().items.into_iter().map(|d| d.id).collect::<Vec<_>>()
    };
    assert_eq!(live(DealFilter::default()).await, [kept.id]);

    l.crm.delete_customer(a).await.unwrap();
    assert!(live(DealFilter::default()).await.is_empty(), "binned with the customer");
    assert_eq!(l.crm.move_deal(kept.id, &to(lead + 1)).await.unwrap_err().code(), ErrorCode::NotFound);
    l.crm.restore_customer(a).await.unwrap();
    assert_eq!(live(DealFilter::default()).await, [kept.id], "back with it; the deal deleted on its own stays deleted");

    l.crm.merge_customers(b, a, &Default::default()).await.unwrap();
    let moved = l.crm.deal(kept.id).await.unwrap();
    assert_eq!((moved.customer_id, moved.deleted_at), (b, None));
    assert_eq!(live(DealFilter { customer_id: Some(b), ..Default::default() }).await, [kept.id]);
}

#[tokio::test]
async fn stages_and_lost_reasons_are_editable() {
    let l = ledger().await;
    let c = customer(&l.crm, "华信").await;
    let stages = l.crm.deal_stages().await.unwrap();
    let demo = l.crm.save_deal_stage(&StageInput { id: None, name: "产品演示".into(), probability: 40 }).await.unwrap();
    let names: Vec<String> = l.crm.deal_stages().await.unwrap().into_iter().map(|s| s.name).collect();
    assert_eq!(names, ["潜在客户", "意向客户", "方案提交", "合同谈判", "产品演示", "成交", "流失"], "added before 成交");

    let renamed = l.crm.save_deal_stage(&StageInput { id: Some(stages[0].id), name: "线索".into(), probability: 5 }).await.unwrap();
    assert_eq!((renamed.name.as_str(), renamed.probability, renamed.code.as_deref()), ("线索", 5, Some("lead")));
    let err = l.crm.save_deal_stage(&StageInput { id: Some(stages[1].id), name: "线索".into(), probability: 5 }).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Conflict);
    let err = l.crm.save_deal_stage(&StageInput { id: None, name: "".into(), probability: 120 }).await.unwrap_err();
    assert_eq!((field(&err, "name").as_deref(), field(&err, "probability").as_deref()), (Some("required"), Some("out_of_range")));

    let open: Vec<i64> = vec![demo.id, stages[3].id, stages[2].id, stages[1].id, stages[0].id];
    let order: Vec<String> = l.crm.reorder_deal_stages(&open).await.unwrap().into_iter().map(|s| s.name).collect();
    assert_eq!(order, ["产品演示", "合同谈判", "方案提交", "意向客户", "线索", "成交", "流失"]);
    let err = l.crm.reorder_deal_stages(&open[..4]).await.unwrap_err();
    assert_eq!(field(&err, "ids").as_deref(), Some("stages_mismatch"));

    l.crm.add_deal(&deal(c, "x", "1万", stages[2].id)).await.unwrap();
    assert_eq!(l.crm.delete_deal_stage(stages[2].id).await.unwrap_err().code(), ErrorCode::Conflict, "in use");
    assert_eq!(field(&l.crm.delete_deal_stage(stages[4].id).await.unwrap_err(), "id").as_deref(), Some("stage_required"));
    l.crm.delete_deal_stage(demo.id).await.unwrap();
    assert_eq!(l.crm.delete_deal_stage(demo.id).await.unwrap_err().code(), ErrorCode::NotFound);

    let r = l.crm.save_lost_reason(&LostReasonInput { id: None, name: "交付周期太长".into() }).await.unwrap();
    let names: Vec<String> = l.crm.lost_reasons().await.unwrap().into_iter().map(|r| r.name).collect();
    assert_eq!(names.last().map(String::as_str), Some("其他"), "其他 stays last");
    assert!(names.contains(&"交付周期太长".to_owned()));
    l.crm.delete_lost_reason(r.id).await.unwrap();
    assert_eq!(l.crm.delete_lost_reason(r.id).await.unwrap_err().code(), ErrorCode::NotFound);
}

#[tokio::test]
async fn lists_page_by_latest_activity_and_filter_by_owner_customer_and_creation_day() {
    let l = ledger().await;
    let c = customer(&l.crm, "华信").await;
    let lead = stage_id(&l.crm, "lead").await;
    let mut ids = Vec::new();
    for (i, owner) in ["王经理", "李经理", "王经理"].iter().enumerate() {
        let d = l.crm.add_deal(&DealInput { owner: Some((*owner).into()), ..deal(c, &format!("商机{i}"), "1万", lead) }).await.unwrap();
        ids.push(d.id);
        l.clock.advance(Duration::days(1));
    }
    let page = l.crm.list_deals(&DealQuery { limit: 2, ..Default::default() }).await.unwrap();
    assert_eq!(page.items.iter().map(|d| d.id).collect::<Vec<_>>(), [ids[2], ids[1]]);
    let next = l.crm.list_deals(&DealQuery { limit: 2, cursor: page.next_cursor, ..Default::default() }).await.unwrap();
    assert_eq!(next.items.iter().map(|d| d.id).collect::<Vec<_>>(), [ids[0]]);
    assert_eq!(next.next_cursor, None);

    let crm = &l.crm;
    let by = |filter: DealFilter| async move {
        crm.list_deals(&DealQuery { filter, limit: 50, cursor: None }).await.unwrap().items.len()
    };
    assert_eq!(by(DealFilter { owner: Some("王经理".into()), ..Default::default() }).await, 2);
    // Created on 03-01, 03-02 and 03-03 (Beijing).
    assert_eq!(by(DealFilter { from: Some("2026-03-02".into()), ..Default::default() }).await, 2);
    assert_eq!(by(DealFilter { to: Some("2026-03-02".into()), ..Default::default() }).await, 2);
    assert_eq!(by(DealFilter { from: Some("2026-03-02".into()), to: Some("2026-03-02".into()), ..Default::default() }).await, 1);
    let err = l.crm.list_deals(&DealQuery { filter: DealFilter { from: Some("3月".into()), ..Default::default() }, limit: 5, cursor: None }).await.unwrap_err();
    assert_eq!(field(&err, "from").as_deref(), Some("date_invalid"));
    let err = l.crm.list_deals(&DealQuery { limit: 0, ..Default::default() }).await.unwrap_err();
    assert_eq!(field(&err, "limit").as_deref(), Some("out_of_range"));
    let err = l.crm.list_deals(&DealQuery { limit: 5, cursor: Some("x".into()), ..Default::default() }).await.unwrap_err();
    assert_eq!(field(&err, "cursor").as_deref(), Some("cursor_invalid"));
}
