mod common;

use chrono::Duration;
use common::{add, input, ledger, t0, Ledger};
use yiben::customers::{CustomerInput, ListQuery};
use yiben::followups::FollowupInput;
use yiben::segments::parse::{parse, Expr, FilterError};
use yiben::settings::Language;
use yiben::{ErrorCode, TagTarget};

fn text(filter: &str) -> String {
    parse(filter).unwrap().unwrap().to_text()
}

fn error(filter: &str) -> FilterError {
    parse(filter).unwrap_err()
}

#[test]
fn not_binds_tighter_than_and_and_and_tighter_than_or() {
    assert_eq!(text("tag:a OR tag:b AND NOT tag:c"), "tag:a OR tag:b AND NOT tag:c");
    let tree = parse("tag:a OR tag:b AND NOT tag:c").unwrap().unwrap();
    assert!(matches!(&tree, Expr::Or { items } if items.len() == 2 && matches!(&items[1], Expr::And { items } if matches!(items[1], Expr::Not { .. }))));
    assert_eq!(text("(tag:a OR tag:b) AND NOT (tag:c OR tag:d)"), "(tag:a OR tag:b) AND NOT (tag:c OR tag:d)");
    // Side by side means AND; the Chinese words and symbols work too.
    assert_eq!(text("tag:a tag:b"), "tag:a AND tag:b");
    assert_eq!(text("标签:决策人 且 非 行业:制造业 或 等级:A"), "标签:决策人 AND NOT 行业:制造业 OR 等级:A");
    assert_eq!(text("tag:a && !tag:b || tag:c"), "tag:a AND NOT tag:b OR tag:c");
    assert_eq!(text("name:\"华信 科技\" last_followup>90d employees>=100"), "name:\"华信 科技\" AND last_followup>90d AND employees>=100");
    assert_eq!(parse("   ").unwrap(), None);
}

#[test]
fn a_syntax_error_points_at_its_place() {
    assert_eq!(error("tag:"), FilterError::new(3, "empty_value"));
    assert_eq!(error("(tag:a OR tag:b"), FilterError::new(0, "unclosed_paren"));
    assert_eq!(error("tag:a AND"), FilterError::new(9, "unexpected_end"));
    assert_eq!(error("tag:a )"), FilterError::new(6, "unexpected_token"));
    assert_eq!(error("tag:a OR 决策人"), FilterError::new(9, "operator_missing"));
    assert_eq!(error("name:\"华信"), FilterError::new(5, "unclosed_quote"));
    assert_eq!(error("NOT"), FilterError::new(3, "unexpected_end"));
}

async fn tag_id(l: &Ledger, name: &str) -> i64 {
    l.crm.tags().await.unwrap().into_iter().find(|t| t.name == name).unwrap().id
}

async fn names(l: &Ledger, filter: &str) -> Vec<String> {
    let q = ListQuery { limit: 100, filter: Some(filter.into()), with_total: true, ..Default::default() };
    let page = l.crm.list_customers(&q).await.unwrap();
    assert_eq!(page.total, Some(page.items.len() as i64), "the count agrees with the page");
    let mut out: Vec<String> = page.items.into_iter().map(|c| c.name).collect();
    out.sort();
    out
}

/// 甲 制造业 决策人, 乙 制造业, 丙 零售 决策人 流失预警(by hand), 丁 no industry.
async fn four(l: &Ledger) -> [i64; 4] {
    let a = add(&l.crm, &CustomerInput { employees: Some("500".into()), ..input("甲公司", None, Some("制造业")) }).await.id;
    let b = add(&l.crm, &CustomerInput { region: Some("广东 深圳".into()), ..input("乙公司", None, Some("制造业")) }).await.id;
    let c = add(&l.crm, &input("丙公司", None, Some("零售业"))).await.id;
    let d = add(&l.crm, &CustomerInput { grade: Some("A".into()), ..input("丁公司", None, None) }).await.id;
    let boss = tag_id(l, "决策人").await;
    let churn = tag_id(l, "流失预警").await;
    l.crm.tag_customers(&TagTarget::Selection { ids: vec![a, c] }, &[boss], &[]).await.unwrap();
    l.crm.tag_customers(&TagTarget::Selection { ids: vec![c] }, &[churn], &[]).await.unwrap();
    [a, b, c, d]
}

#[tokio::test]
async fn tags_and_fields_combine_with_and_or_not() {
    let l = ledger().await;
    four(&l).await;
    assert_eq!(names(&l, "tag:决策人").await, ["丙公司", "甲公司"]);
    assert_eq!(names(&l, "tag:决策人 AND NOT tag:流失预警").await, ["甲公司"]);
    assert_eq!(names(&l, "industry:制造业 AND NOT tag:决策人").await, ["乙公司"]);
    assert_eq!(names(&l, "industry:MFG OR grade:A").await, ["丁公司", "乙公司", "甲公司"]);
    // NOT over a missing value keeps the customer: 丁 has no industry, so it is "not 制造业".
    assert_eq!(names(&l, "NOT industry:制造业").await, ["丁公司", "丙公司"]);
    assert_eq!(names(&l, "industry!=制造业").await, ["丁公司", "丙公司"]);
    assert_eq!(names(&l, "(tag:决策人 OR region:深圳) AND employees<100").await, ["丙公司", "乙公司"]);
    assert_eq!(names(&l, "employees>=500").await, ["甲公司"]);
    assert!(names(&l, "tag:决策人 AND tag:高价值客户").await.is_empty(), "a valid filter may match nobody");
}

#[tokio::test]
async fn unknown_tags_keys_and_bad_values_are_errors_at_their_place() {
    let l = ledger().await;
    let q = |f: &str| ListQuery { limit: 10, filter: Some(f.into()), ..Default::default() };
    let err = l.crm.list_customers(&q("industry:制造业 AND tag:不存在")).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Validation);
    assert_eq!(err.fields(), [("filter".into(), "unknown_tag".into()), ("filter.at".into(), "17".into())].into());
    let err = l.crm.list_customers(&q("colour:red")).await.unwrap_err();
    assert_eq!(err.fields()["filter"], "unknown_key");
    let err = l.crm.list_customers(&q("last_followup>soon")).await.unwrap_err();
    assert_eq!(err.fields()["filter"], "value_invalid");
    // Ages no calendar holds (found by the fuzzer: they panicked) are typos too.
    for age in ["created>=000000000000002000140067Y", "created<9223372036854775807d", "last_followup>99999999999999y", "created>300000000w"] {
        let err = l.crm.list_customers(&q(age)).await.unwrap_err();
        assert_eq!(err.fields()["filter"], "value_invalid", "{age}");
    }
    let err = l.crm.list_customers(&q("tag>决策人")).await.unwrap_err();
    assert_eq!(err.fields()["filter"], "operator_invalid");
    let err = l.crm.list_customers(&q("tag:决策人 AND (")).await.unwrap_err();
    assert_eq!((err.fields()["filter"].as_str(), err.fields()["filter.at"].as_str()), ("unexpected_end", "13"));
}

#[tokio::test]
async fn dates_relative_to_today_and_amounts_of_open_deals() {
    let l = ledger().await;
    let [a, b, c, _] = four(&l).await;
    let call = FollowupInput { method: "电话".into(), content: "沟通".into(), ..Default::default() };
    l.clock.set(t0() + Duration::days(100));
    l.crm.add_followup(b, &call).await.unwrap();
    l.clock.set(t0() + Duration::days(120));
    l.crm.add_followup(c, &FollowupInput { at: Some(t0() + Duration::days(20)), ..call.clone() }).await.unwrap();
    // 近3个月有跟进: within 90 days. 90天未跟进: longer ago, or never.
    assert_eq!(names(&l, "last_followup<90d").await, ["乙公司"]);
    assert_eq!(names(&l, "last_followup>90d").await, ["丁公司", "丙公司", "甲公司"]);
    assert_eq!(names(&l, "last_followup:never").await, ["丁公司", "甲公司"]);
    assert_eq!(names(&l, "跟进<3个月 OR 跟进>=100天").await, ["丁公司", "丙公司", "乙公司", "甲公司"]);
    assert_eq!(names(&l, "跟进>100天").await, ["丁公司", "甲公司"], "丙 was followed up exactly 100 days ago: not more");
    let late = add(&l.crm, &input("戊公司", None, None)).await.id;
    assert_eq!(names(&l, "created:this_month").await, ["戊公司"], "t0 + 120 days is in late June; the others were made in March");
    assert_eq!(names(&l, "created>=2026-06-01").await, ["戊公司"]);
    let stage = l.crm.deal_stages().await.unwrap()[2].id;
    let deal = |customer_id, amount: &str| yiben::deals::DealInput { customer_id, name: "项目".into(), amount: amount.into(), stage_id: Some(stage), ..Default::default() };
    l.crm.add_deal(&deal(a, "8万")).await.unwrap();
    l.crm.add_deal(&deal(a, "5万")).await.unwrap();
    l.crm.add_deal(&deal(late, "9万")).await.unwrap();
    // 预计成交金额 > 10万: the open deals together.
    assert_eq!(names(&l, "amount>10万").await, ["甲公司"]);
    assert_eq!(names(&l, "金额>=9万").await, ["戊公司", "甲公司"]);
}

#[tokio::test]
async fn custom_fields_are_keys_by_their_name() {
    let l = ledger().await;
    let field = l
        .crm
        .create_custom_field(&yiben::custom_fields::CustomFieldInput {
            label: "客户所属渠道".into(),
            kind: yiben::custom_fields::CustomFieldKind::Single,
            options: vec!["线上".into(), "线下".into()],
            in_list: false,
        })
        .await
        .unwrap();
    let mut online = input("甲公司", None, None);
    online.custom.insert(field.key.clone(), serde_json::json!("线上"));
    add(&l.crm, &online).await;
    add(&l.crm, &input("乙公司", None, None)).await;
    assert_eq!(names(&l, "客户所属渠道:线上").await, ["甲公司"]);
    assert_eq!(names(&l, &format!("{}:线上", field.key)).await, ["甲公司"]);
    assert_eq!(names(&l, "NOT 客户所属渠道:线上").await, ["乙公司"]);
}

#[tokio::test]
async fn a_segment_is_a_stored_filter_whose_count_follows_the_data() {
    let l = ledger().await;
    let [_, b, ..] = four(&l).await;
    let saved = l.crm.save_segment("制造业决策人", "industry:制造业   tag:决策人").await.unwrap();
    assert_eq!(saved.filter, "industry:制造业 AND tag:决策人");
    let counts = |list: Vec<yiben::segments::Segment>| list.into_iter().map(|s| (s.name, s.count)).collect::<Vec<_>>();
    assert_eq!(counts(l.crm.segments(true).await.unwrap()), [("制造业决策人".into(), Some(1))]);
    l.crm.tag_customers(&TagTarget::Selection { ids: vec![b] }, &[tag_id(&l, "决策人").await], &[]).await.unwrap();
    assert_eq!(counts(l.crm.segments(true).await.unwrap()), [("制造业决策人".into(), Some(2))], "an edit moves the count");
    // Renaming the tag keeps the segment working.
    let boss = tag_id(&l, "决策人").await;
    let group = l.crm.tags().await.unwrap().into_iter().find(|t| t.id == boss).unwrap().group_id;
    l.crm.update_tag(boss, "关键决策人", group, "#18a058").await.unwrap();
    assert_eq!(l.crm.segment_by_name("制造业决策人").await.unwrap().filter, "industry:制造业 AND tag:关键决策人");
    assert_eq!(counts(l.crm.segments(true).await.unwrap()), [("制造业决策人".into(), Some(2))]);
    // A broken filter is refused, with its place.
    let err = l.crm.save_segment("坏的", "tag:关键决策人 AND").await.unwrap_err();
    assert_eq!(err.fields()["filter"], "unexpected_end");
    assert_eq!(l.crm.save_segment(" ", "tag:关键决策人").await.unwrap_err().fields()["name"], "required");
    let summary = l.crm.describe_filter("industry:制造业 AND NOT tag:关键决策人 AND last_followup>90d", Language::ZhCn).await.unwrap();
    assert_eq!(summary.summary, "行业是「制造业」 且 不满足（标签是「关键决策人」） 且 最近跟进在90d以前");
}

#[tokio::test]
async fn tags_are_renamed_merged_and_deleted_with_their_links() {
    let l = ledger().await;
    let [a, b, c, _] = four(&l).await;
    let added = l.crm.add_tag("需求:CRM", "needs", "#2080F0").await.unwrap();
    assert_eq!((added.color.as_str(), added.count), ("#2080f0", 0));
    assert_eq!(l.crm.add_tag("需求:CRM", "needs", "#2080f0").await.unwrap_err().code(), ErrorCode::Conflict);
    assert_eq!(l.crm.add_tag("坏(名)", "needs", "#2080f0").await.unwrap_err().fields()["name"], "name_invalid");
    assert_eq!(l.crm.add_tag("新标签", "needs", "red").await.unwrap_err().fields()["color"], "color_invalid");
    assert_eq!(l.crm.add_tag("新标签", "没有这个组", "#000000").await.unwrap_err().fields()["group"], "unknown_group");
    let mine = l.crm.add_tag_group("我的标签").await.unwrap();
    l.crm.add_tag("老朋友", &mine.id.to_string(), "#123456").await.unwrap();

    l.crm.tag_customers(&TagTarget::Selection { ids: vec![a, b] }, &[added.id], &[]).await.unwrap();
    let boss = tag_id(&l, "决策人").await;
    let merged = l.crm.merge_tags(added.id, boss).await.unwrap();
    assert_eq!(merged.count, 3, "甲 and 丙 were 决策人, 乙 comes from the merged tag");
    assert!(l.crm.tags().await.unwrap().iter().all(|t| t.name != "需求:CRM"));
    l.crm.delete_tag(boss).await.unwrap();
    assert!(l.crm.customer_tags(a).await.unwrap().is_empty());
    assert_eq!(l.crm.customer_tags(c).await.unwrap().len(), 1, "丙 keeps 流失预警");
    let auto = l.crm.tags().await.unwrap().into_iter().find(|t| t.auto.as_deref() == Some("dormant")).unwrap();
    assert_eq!(l.crm.delete_tag(auto.id).await.unwrap_err().fields()["id"], "tag_automatic");
}

#[tokio::test]
async fn a_whole_filtered_list_is_tagged_at_once() {
    let l = ledger().await;
    four(&l).await;
    let value = tag_id(&l, "高价值客户").await;
    let query = ListQuery { limit: 1, filter: Some("industry:制造业".into()), ..Default::default() };
    assert_eq!(l.crm.tag_customers(&TagTarget::Query { query }, &[value], &[]).await.unwrap(), 2);
    assert_eq!(names(&l, "tag:高价值客户").await, ["乙公司", "甲公司"]);
    let all = ListQuery { limit: 1, ..Default::default() };
    l.crm.tag_customers(&TagTarget::Query { query: all }, &[], &[value]).await.unwrap();
    assert!(names(&l, "tag:高价值客户").await.is_empty());
    assert_eq!(l.crm.tag_customers(&TagTarget::Selection { ids: vec![1] }, &[999], &[]).await.unwrap_err().code(), ErrorCode::NotFound);
}

#[tokio::test]
async fn automatic_tags_come_and_go_at_their_thresholds_and_leave_hand_set_ones() {
    let l = ledger().await;
    let a = add(&l.crm, &input("甲公司", None, None)).await.id;
    let b = add(&l.crm, &input("乙公司", None, None)).await.id;
    let dormant = tag_id(&l, "沉睡客户").await;
    let fresh = tag_id(&l, "新客户未跟进").await;
    let churn = tag_id(&l, "流失预警").await;
    l.clock.set(t0() + Duration::hours(24) - Duration::minutes(1));
    l.crm.refresh_values().await.unwrap();
    assert!(names(&l, "tag:新客户未跟进").await.is_empty());
    l.clock.set(t0() + Duration::hours(24));
    l.crm.refresh_values().await.unwrap();
    assert_eq!(names(&l, "tag:新客户未跟进").await, ["乙公司", "甲公司"]);
    let call = FollowupInput { method: "电话".into(), content: "首次沟通".into(), feedback: Some("有兴趣".into()), ..Default::default() };
    l.crm.add_followup(a, &call).await.unwrap();
    assert_eq!(names(&l, "tag:新客户未跟进").await, ["乙公司"], "a follow-up takes it off at once");
    // 乙 is tagged 沉睡客户 by hand; the rule must not take that away.
    l.crm.tag_customers(&TagTarget::Selection { ids: vec![b] }, &[dormant], &[]).await.unwrap();
    l.clock.set(t0() + Duration::days(90) + Duration::hours(24) - Duration::minutes(1));
    l.crm.refresh_values().await.unwrap();
    assert_eq!(names(&l, "tag:沉睡客户").await, ["乙公司"], "甲 was contacted a minute less than 90 days ago");
    l.clock.set(t0() + Duration::days(91));
    l.crm.refresh_values().await.unwrap();
    assert_eq!(names(&l, "tag:沉睡客户").await, ["乙公司", "甲公司"]);
    assert_eq!(l.crm.customer_tags(a).await.unwrap(), [(dormant, true)]);
    l.crm.add_followup(a, &call).await.unwrap();
    l.crm.add_followup(b, &call).await.unwrap();
    assert_eq!(names(&l, "tag:沉睡客户").await, ["乙公司"], "the hand-set one stays");
    assert_eq!(l.crm.customer_tags(b).await.unwrap(), [(dormant, false)]);
    // 流失预警: an open deal and no answer for 14 days.
    let stage = l.crm.deal_stages().await.unwrap()[2].id;
    l.crm.add_deal(&yiben::deals::DealInput { customer_id: a, name: "一期".into(), amount: "10万".into(), stage_id: Some(stage), ..Default::default() }).await.unwrap();
    l.clock.set(t0() + Duration::days(105));
    l.crm.refresh_values().await.unwrap();
    assert_eq!(names(&l, "tag:流失预警").await, ["甲公司"]);
    assert_eq!(l.crm.customer_tags(a).await.unwrap(), [(churn, true)]);
    assert!(l.crm.customer_tags(b).await.unwrap().iter().all(|(t, _)| *t != fresh));
}

#[tokio::test]
async fn the_value_score_on_a_hand_computed_example() {
    let l = ledger().await;
    let a = add(&l.crm, &input("甲公司", None, None)).await.id;
    let stages = l.crm.deal_stages().await.unwrap();
    // Two follow-ups in the window, one answered; one deal won at 35万; another open in 合同谈判 (70%).
    let call = FollowupInput { method: "电话".into(), content: "沟通".into(), ..Default::default() };
    l.crm.add_followup(a, &FollowupInput { feedback: Some("满意".into()), ..call.clone() }).await.unwrap();
    l.clock.set(t0() + Duration::days(1));
    l.crm.add_followup(a, &call).await.unwrap();
    let won = stages.iter().find(|s| s.name == "成交").unwrap().id;
    let negotiation = stages.iter().find(|s| s.name == "合同谈判").unwrap().id;
    let deal = |name: &str, amount: &str, stage| yiben::deals::DealInput { customer_id: a, name: name.into(), amount: amount.into(), stage_id: Some(stage), ..Default::default() };
    l.crm.add_deal(&deal("一期", "35万", won)).await.unwrap();
    l.crm.add_deal(&deal("二期", "20万", negotiation)).await.unwrap();
    l.clock.set(t0() + Duration::days(11));
    let s = l.crm.customer_score(a).await.unwrap();
    // R: 10 days since the last touch → 4 (22.5). F: 2 follow-ups + 2 deals = 4 → 3 (10).
    // M: 35万 won → 4 (18.75 → 19). Engagement 50% → 5. Funnel: a won deal → 100 → 15.
    assert_eq!((s.recency_days, s.r, s.f, s.m, s.touches, s.engagement, s.funnel), (Some(10), 4, 3, 4, 4, 50, 100));
    assert_eq!(s.points, [23, 10, 19, 5, 15]);
    assert_eq!(s.score, 71, "22.5 + 10 + 18.75 + 5 + 15 = 71.25");
    let row = l.crm.list_customers(&ListQuery::first(10)).await.unwrap().items.remove(0);
    assert_eq!(row.value_score, Some(71));
    assert_eq!(names(&l, "score>=70").await, ["甲公司"]);
    let nobody = add(&l.crm, &input("乙公司", None, None)).await.id;
    let s = l.crm.customer_score(nobody).await.unwrap();
    assert_eq!((s.score, s.recency_days, s.r, s.f, s.m), (0, None, 1, 1, 1));
}

#[tokio::test]
async fn abc_grades_follow_the_score_thresholds_unless_typed() {
    let l = ledger().await;
    let typed = add(&l.crm, &CustomerInput { grade: Some("B类".into()), ..input("甲公司", None, None) }).await.id;
    let scored = add(&l.crm, &input("乙公司", None, None)).await.id;
    assert_eq!(l.crm.customer_score(typed).await.unwrap().grade.as_deref(), Some("B"));
    assert_eq!(l.crm.customer_score(scored).await.unwrap().grade.as_deref(), Some("C"), "score 0");
    assert_eq!(names(&l, "grade:C").await, ["乙公司"]);
    l.crm.set_grading(yiben::tags::grading::Grading { a_min: 50, b_min: 0 }).await.unwrap();
    assert_eq!(l.crm.customer_score(scored).await.unwrap().grade.as_deref(), Some("B"));
    assert_eq!(names(&l, "grade:B").await, ["乙公司", "甲公司"]);
    let err = l.crm.set_grading(yiben::tags::grading::Grading { a_min: 40, b_min: 60 }).await.unwrap_err();
    assert_eq!(err.fields()["bMin"], "out_of_range");
    assert_eq!(l.crm.grading().await.unwrap().a_min, 50, "nothing half-saved");
}

#[tokio::test]
async fn a_list_filtered_by_a_tag_is_tagged_with_another() {
    let l = ledger().await;
    four(&l).await;
    let fair = tag_id(&l, "展会").await;
    let query = ListQuery { limit: 50, filter: Some("tag:决策人".into()), with_total: true, ..Default::default() };
    let changed = tokio::time::timeout(std::time::Duration::from_secs(10), l.crm.tag_customers(&TagTarget::Query { query }, &[fair], &[]))
        .await
        .expect("finishes")
        .unwrap();
    assert_eq!(changed, 2);
    assert_eq!(names(&l, "tag:展会").await, ["丙公司", "甲公司"]);
}

/// A won deal of 100万 today: R 5 (30) + F 2 (5) + M 5 (25) + funnel 100 (15) = 75.
/// Moving it to 流失 leaves R 5 (30) + F 2 (5) = 35: a fall of 40 from the high.
async fn won_then_lost(l: &Ledger, name: &str) -> (i64, i64) {
    let id = add(&l.crm, &input(name, None, None)).await.id;
    let stages = l.crm.deal_stages().await.unwrap();
    let won = stages.iter().find(|s| s.name == "成交").unwrap().id;
    let deal = yiben::deals::DealInput { customer_id: id, name: "一期".into(), amount: "100万".into(), stage_id: Some(won), ..Default::default() };
    let deal = l.crm.add_deal(&deal).await.unwrap().id;
    assert_eq!(l.crm.customer_score(id).await.unwrap().score, 75);
    (id, deal)
}

async fn lose(l: &Ledger, deal: i64) {
    let lost = l.crm.deal_stages().await.unwrap().into_iter().find(|s| s.name == "流失").unwrap().id;
    let to = yiben::deals::MoveInput { stage_id: lost, lost_reason: Some("价格过高".into()), ..Default::default() };
    l.crm.move_deal(deal, &to).await.unwrap();
}

/// The customer's 流失预警 link: `Some(true)` set by a rule, `Some(false)` by hand.
async fn churn_link(l: &Ledger, customer: i64) -> Option<bool> {
    let churn = tag_id(l, "流失预警").await;
    l.crm.customer_tags(customer).await.unwrap().into_iter().find(|(t, _)| *t == churn).map(|(_, auto)| auto)
}

async fn score_drop(l: &Ledger, points: u32, enabled: bool) {
    let mut settings = l.crm.reminder_settings().await.unwrap();
    settings.score_drop = yiben::reminders::ScoreDrop { points, enabled, ..settings.score_drop };
    l.crm.set_reminder_settings(settings).await.unwrap();
    l.crm.refresh_values().await.unwrap();
}

#[tokio::test]
async fn a_sharp_fall_of_the_score_is_churn_risk_at_the_threshold_and_within_the_window() {
    let l = ledger().await;
    let (a, deal) = won_then_lost(&l, "甲公司").await;
    l.clock.set(t0() + Duration::days(10));
    lose(&l, deal).await;
    let s = l.crm.customer_score(a).await.unwrap();
    assert_eq!((s.score, s.fell_from), (35, Some(75)), "75 → 35 within the 30 days: a fall of 40");
    assert_eq!(churn_link(&l, a).await, Some(true), "tagged by the write itself, not only by the daily refresh");

    score_drop(&l, 40, true).await;
    assert_eq!(names(&l, "tag:流失预警").await, ["甲公司"], "a fall of exactly the threshold");
    score_drop(&l, 41, true).await;
    assert!(names(&l, "tag:流失预警").await.is_empty(), "one point short");
    assert_eq!(l.crm.customer_score(a).await.unwrap().fell_from, None);
    score_drop(&l, 20, false).await;
    assert!(names(&l, "tag:流失预警").await.is_empty(), "the rule switched off");
    score_drop(&l, 20, true).await;
    assert_eq!(names(&l, "tag:流失预警").await, ["甲公司"]);

    // The high of t0 counts for 30 days: 20 days after the last touch R is 4, 22.5 + 5 → 28.
    l.clock.set(t0() + Duration::days(30));
    l.crm.refresh_values().await.unwrap();
    assert_eq!(l.crm.customer_score(a).await.unwrap().score, 28);
    assert_eq!(names(&l, "tag:流失预警").await, ["甲公司"], "the high is 30 days old, not older");
    l.clock.set(t0() + Duration::days(30) + Duration::minutes(1));
    l.crm.refresh_values().await.unwrap();
    assert!(names(&l, "tag:流失预警").await.is_empty(), "the old high aged out: 28 is the new high");
    assert_eq!(l.crm.customer_score(a).await.unwrap().fell_from, None);

    let err = l.crm.set_reminder_settings(yiben::reminders::ReminderSettings {
        score_drop: yiben::reminders::ScoreDrop { points: 0, enabled: true, days: 0 },
        ..Default::default()
    });
    let err = err.await.unwrap_err();
    assert_eq!((err.fields()["scoreDrop.points"].as_str(), err.fields()["scoreDrop.days"].as_str()), ("out_of_range", "out_of_range"));
}

#[tokio::test]
async fn the_fall_tag_leaves_when_the_score_recovers_and_a_hand_set_one_stays() {
    let l = ledger().await;
    let churn = tag_id(&l, "流失预警").await;
    let (b, deal_b) = won_then_lost(&l, "乙公司").await;
    let (c, deal_c) = won_then_lost(&l, "丙公司").await;
    l.crm.tag_customers(&TagTarget::Selection { ids: vec![c] }, &[churn], &[]).await.unwrap();
    l.clock.set(t0() + Duration::days(1));
    lose(&l, deal_b).await;
    lose(&l, deal_c).await;
    assert_eq!(churn_link(&l, b).await, Some(true));
    assert_eq!(churn_link(&l, c).await, Some(false), "the hand-set link stays hand-set");
    l.clock.set(t0() + Duration::days(2));
    let won = l.crm.deal_stages().await.unwrap().into_iter().find(|s| s.name == "成交").unwrap().id;
    for deal in [deal_b, deal_c] {
        l.crm.move_deal(deal, &yiben::deals::MoveInput { stage_id: won, ..Default::default() }).await.unwrap();
    }
    assert_eq!(l.crm.customer_score(b).await.unwrap().score, 75);
    assert_eq!(churn_link(&l, b).await, None, "back at its high: the rule takes its tag away");
    l.crm.refresh_values().await.unwrap();
    assert_eq!(churn_link(&l, c).await, Some(false), "a hand-set 流失预警 is never taken away");
    assert_eq!(names(&l, "tag:流失预警").await, ["丙公司"]);
}

/// Ten customers with follow-ups (some answered), deals won, open and lost, met over 40 days;
/// one of them deleted.
async fn varied(l: &Ledger) -> Vec<i64> {
    let stages = l.crm.deal_stages().await.unwrap();
    let stage = |name: &str| stages.iter().find(|s| s.name == name).unwrap().id;
    let mut ids = Vec::new();
    for i in 0..10i64 {
        l.clock.set(t0() + Duration::days(4 * i));
        let id = add(&l.crm, &input(&format!("客户{i}"), None, None)).await.id;
        for k in 0..i % 4 {
            let feedback = (k % 2 == 0).then(|| "有兴趣".to_owned());
            l.crm.add_followup(id, &FollowupInput { method: "电话".into(), content: "沟通".into(), feedback, ..Default::default() }).await.unwrap();
        }
        let (name, amount) = match i % 3 {
            0 => ("成交", format!("{}万", 10 * (i + 1))),
            1 => ("合同谈判", "20万".to_owned()),
            _ => ("流失", "5万".to_owned()),
        };
        let deal = yiben::deals::DealInput {
            customer_id: id,
            name: "一期".into(),
            amount,
            stage_id: Some(stage(name)),
            lost_reason: (name == "流失").then(|| "价格过高".to_owned()),
            ..Default::default()
        };
        l.crm.add_deal(&deal).await.unwrap();
        ids.push(id);
    }
    // One in the recycle bin: a gap the batches step over.
    l.crm.delete_customer(ids[5]).await.unwrap();
    ids
}

/// Each customer's score and tags (with whether a rule set them).
async fn values(l: &Ledger, ids: &[i64]) -> Vec<(Option<i64>, Vec<(i64, bool)>)> {
    let rows = l.crm.list_customers(&ListQuery::first(100)).await.unwrap().items;
    let mut out = Vec::new();
    for id in ids {
        let score = rows.iter().find(|r| r.id == *id).and_then(|r| r.value_score);
        out.push((score, l.crm.customer_tags(*id).await.unwrap()));
    }
    out
}

#[tokio::test]
async fn the_refresh_in_batches_gives_what_one_customer_at_a_time_gives() {
    let (one, batched) = (ledger().await, ledger().await);
    let ids = varied(&one).await;
    assert_eq!(varied(&batched).await, ids);
    for l in [&one, &batched] {
        l.clock.set(t0() + Duration::days(100));
    }
    one.crm.refresh_values_in_batches(1).await.unwrap();
    batched.crm.refresh_values_in_batches(3).await.unwrap();
    let got = values(&batched, &ids).await;
    assert_eq!(got, values(&one, &ids).await);
    assert!(got.iter().any(|(_, tags)| !tags.is_empty()), "some automatic tags were set");
    assert!(got.iter().map(|(score, _)| score).collect::<std::collections::HashSet<_>>().len() > 3, "scores differ");
    // Each customer's own recomputation (the one after a write) agrees too.
    for (id, (score, _)) in ids.iter().zip(&got).filter(|(id, _)| **id != ids[5]) {
        assert_eq!(Some(batched.crm.customer_score(*id).await.unwrap().score), *score);
    }
}

#[tokio::test]
async fn an_export_has_tag_and_score_columns() {
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let l = ledger().await;
    let [a, ..] = four(&l).await;
    // An answered call today: R 5 (30) + F 2 (5) + engagement 100% (10) = 45.
    let call = FollowupInput { method: "电话".into(), content: "沟通".into(), feedback: Some("有兴趣".into()), ..Default::default() };
    l.crm.add_followup(a, &call).await.unwrap();
    let file = l.dir.path().join("决策人.xlsx");
    let query = ListQuery { limit: 100, filter: Some("tag:决策人".into()), ..Default::default() };
    let columns = yiben::export::Column::parse_list("name,标签,value_score").unwrap();
    assert_eq!(l.crm.export_customers(&query, &columns, false, &file).await.unwrap(), 2);
    let mut book: Xlsx<_> = open_workbook(&file).unwrap();
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    let rows: Vec<Vec<Data>> = sheet.rows().map(|r| r.to_vec()).collect();
    assert_eq!(rows[0], [Data::String("客户名称".into()), Data::String("标签".into()), Data::String("价值分".into())]);
    let row = |name: &str| rows.iter().find(|r| r[0] == Data::String(name.into())).unwrap().clone();
    // Tags in the tags' own order (决策角色 before 行为标签), whatever order they were added in.
    assert_eq!(row("丙公司")[1], Data::String("决策人、流失预警".into()));
    assert_eq!(row("甲公司")[1], Data::String("决策人".into()));
    assert_eq!((&row("甲公司")[2], &row("丙公司")[2]), (&Data::Float(45.0), &Data::Float(0.0)), "number cells");
}
