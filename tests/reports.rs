//! Reports on a hand-built ledger: template 4's own example (王经理, October: 15 new, 8 intent,
//! 3 won for 85万, 客单价 28.3万, 37.5 %, top 20 % = 60 %, lost 40/30/30), another owner, the
//! period's edges, the recycle bin, and follow-up efficiency. Every expected number below is
//! worked out by hand from the data, not by the code under test.

mod common;

use chrono::{DateTime, TimeZone, Utc};
use common::{add, add_anyway, ledger, Ledger};
use yiben::customers::CustomerInput;
use yiben::deals::{DealInput, MoveInput};
use yiben::followups::FollowupInput;
use yiben::reports::drill::{DrillKind, DrillQuery, DrillTarget, MonthSeries};
use yiben::reports::{Dimension, KpiKey, PeriodPreset, ReportQuery};
use yiben::Crm;

/// Beijing wall-clock time as UTC.
fn bj(y: i32, m: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    chrono::FixedOffset::east_opt(8 * 3600).unwrap().with_ymd_and_hms(y, m, d, h, mi, 0).unwrap().with_timezone(&Utc)
}

fn october(owner: Option<&str>) -> ReportQuery {
    ReportQuery { preset: PeriodPreset::Custom, from: Some("2026-10-01".into()), to: Some("2026-10-31".into()), owner: owner.map(Into::into) }
}

async fn stage(crm: &Crm, code: &str) -> i64 {
    crm.deal_stages().await.unwrap().into_iter().find(|s| s.code.as_deref() == Some(code)).unwrap().id
}

async fn customer_at(l: &Ledger, when: DateTime<Utc>, name: &str, owner: &str, industry: Option<&str>) -> i64 {
    l.clock.set(when);
    let input = CustomerInput { owner: Some(owner.into()), industry: industry.map(Into::into), ..common::input(name, None, None) };
    add_anyway(&l.crm, &input).await.id
}

/// A deal created in 潜在客户 at `created`, then moved through `moves` (stage code, time).
async fn deal(l: &Ledger, customer: i64, owner: &str, amount: &str, created: DateTime<Utc>, moves: &[(&str, DateTime<Utc>, Option<&str>)]) -> i64 {
    l.clock.set(created);
    let lead = stage(&l.crm, "lead").await;
    let input = DealInput { customer_id: customer, name: format!("商机{customer}"), amount: amount.into(), stage_id: Some(lead), owner: Some(owner.into()), ..Default::default() };
    let id = l.crm.add_deal(&input).await.unwrap().id;
    for (code, at, reason) in moves {
        l.clock.set(*at);
        let to = MoveInput { stage_id: stage(&l.crm, code).await, lost_reason: reason.map(Into::into), ..Default::default() };
        l.crm.move_deal(id, &to).await.unwrap();
    }
    id
}

struct Book {
    l: Ledger,
    wang: Vec<i64>,
    li: Vec<i64>,
}

/// The October ledger. 王经理's 15 new customers c1..c15:
/// - c1, c2, c3 won 51万, 20万, 14万 (lead → qualified → won, all in October);
/// - c4..c8 reached 意向客户 in October and are still there (1万 each);
/// - c10..c15 lost 10 deals in October: 价格过高 4, 选择竞品 3, 需求变化 3 (5000 each).
///
/// Around them: c9 (created in September, reached 意向 on 30 September, 2万), c1's second deal
/// (created in October, won 5万 on 5 November), 李经理's l1 (won 100万 in October) and l2,
/// and a deleted customer whose October win must not count.
async fn book() -> Book {
    let l = ledger().await;
    let mfg = Some("制造业");
    let it = Some("互联网");
    let mut wang = Vec::new();
    // The period's first and last minutes are in; the minute after is out.
    wang.push(customer_at(&l, bj(2026, 10, 1, 0, 0), "c1", "王经理", mfg).await);
    for i in 2..=14 {
        let industry = if i <= 6 { mfg } else if i <= 10 { it } else { None };
        wang.push(customer_at(&l, bj(2026, 10, i, 10, 0), &format!("c{i}"), "王经理", industry).await);
    }
    wang.push(customer_at(&l, bj(2026, 10, 31, 23, 59), "c15", "王经理", it).await);
    let c9 = customer_at(&l, bj(2026, 9, 10, 10, 0), "c9", "王经理", mfg).await;
    customer_at(&l, bj(2026, 9, 11, 10, 0), "九月甲", "王经理", None).await;
    customer_at(&l, bj(2026, 9, 12, 10, 0), "九月乙", "王经理", None).await;
    customer_at(&l, bj(2026, 11, 1, 0, 0), "十一月", "王经理", mfg).await;
    let li = vec![
        customer_at(&l, bj(2026, 10, 3, 9, 0), "l1", "李经理", mfg).await,
        customer_at(&l, bj(2026, 10, 4, 9, 0), "l2", "李经理", it).await,
    ];
    let gone = customer_at(&l, bj(2026, 10, 5, 9, 0), "已删除", "王经理", mfg).await;

    let c = |i: usize| wang[i - 1];
    for (i, amount) in [(1, "51万"), (2, "20万"), (3, "14万")] {
        deal(&l, c(i), "王经理", amount, bj(2026, 10, 15, 9, 0), &[("qualified", bj(2026, 10, 16, 9, 0), None), ("won", bj(2026, 10, 20 + i as u32, 9, 0), None)]).await;
    }
    for i in 4..=8 {
        deal(&l, c(i), "王经理", "1万", bj(2026, 10, 10, 9, 0), &[("qualified", bj(2026, 10, 12, 9, 0), None)]).await;
    }
    deal(&l, c9, "王经理", "2万", bj(2026, 9, 20, 9, 0), &[("qualified", bj(2026, 9, 30, 23, 59), None)]).await;
    deal(&l, c(1), "王经理", "5万", bj(2026, 10, 20, 9, 0), &[("won", bj(2026, 11, 5, 9, 0), None)]).await;
    let reasons = ["价格过高", "价格过高", "价格过高", "价格过高", "选择竞品", "选择竞品", "选择竞品", "需求变化", "需求变化", "需求变化"];
    let owners_of_lost = [10, 10, 11, 11, 12, 12, 13, 13, 14, 15];
    for (n, (reason, i)) in reasons.iter().zip(owners_of_lost).enumerate() {
        deal(&l, c(i), "王经理", "5000", bj(2026, 10, 16, 9, 0), &[("lost", bj(2026, 10, 18, 9, n as u32), Some(reason))]).await;
    }
    deal(&l, li[0], "李经理", "100万", bj(2026, 10, 6, 9, 0), &[("won", bj(2026, 10, 28, 9, 0), None)]).await;
    deal(&l, gone, "王经理", "9万", bj(2026, 10, 6, 9, 0), &[("won", bj(2026, 10, 7, 9, 0), None)]).await;
    l.clock.set(bj(2026, 11, 24, 10, 0));
    l.crm.delete_customer(gone).await.unwrap();
    Book { l, wang, li }
}

#[tokio::test]
async fn template_4_for_one_owner_and_in_total() {
    let b = book().await;
    let p = b.l.crm.performance(&october(Some("王经理"))).await.unwrap();
    assert_eq!((p.period.from.as_str(), p.period.to.as_str()), ("2026-10-01", "2026-10-31"));
    assert_eq!(p.intent_stage.as_deref(), Some("意向客户"));
    let t = &p.total;
    assert_eq!((t.new_customers, t.intent_customers, t.won_customers, t.won_deals), (15, 8, 3, 3));
    assert_eq!(t.won_amount_fen, 85_000_000);
    // 85万 ÷ 3 = 283,333.33… 元, kept in whole fen.
    assert_eq!(t.avg_deal_fen, Some(28_333_333));
    assert_eq!(t.conversion, Some(0.375));
    assert_eq!((t.top_customers, t.top_amount_fen), (1, 51_000_000));
    assert!((t.top_share.unwrap() - 0.6).abs() < 1e-12);
    let lost: Vec<(&str, i64, f64)> = p.lost_reasons.iter().map(|r| (r.reason.as_str(), r.count, r.share)).collect();
    assert_eq!(lost, [("价格过高", 4, 0.4), ("选择竞品", 3, 0.3), ("需求变化", 3, 0.3)]);
    assert_eq!(p.owners.len(), 1);
    assert_eq!(p.owners[0].owner.as_deref(), Some("王经理"));

    let all = b.l.crm.performance(&october(None)).await.unwrap();
    let t = &all.total;
    assert_eq!((t.new_customers, t.intent_customers, t.won_customers, t.won_amount_fen), (17, 9, 4, 185_000_000));
    assert_eq!(t.avg_deal_fen, Some(46_250_000));
    assert_eq!((t.top_customers, t.top_amount_fen), (1, 100_000_000));
    let owners: Vec<(Option<&str>, i64, i64)> = all.owners.iter().map(|r| (r.owner.as_deref(), r.new_customers, r.won_amount_fen)).collect();
    assert_eq!(owners, [(Some("李经理"), 2, 100_000_000), (Some("王经理"), 15, 85_000_000)]);
}

#[tokio::test]
async fn an_empty_period_has_zeros_and_no_ratios() {
    let b = book().await;
    let q = ReportQuery { preset: PeriodPreset::Custom, from: Some("2020-01-01".into()), to: Some("2020-01-31".into()), owner: None };
    let p = b.l.crm.performance(&q).await.unwrap();
    assert_eq!((p.total.new_customers, p.total.won_amount_fen, p.total.won_customers), (0, 0, 0));
    assert_eq!((p.total.avg_deal_fen, p.total.conversion, p.total.top_share), (None, None, None));
    assert!(p.owners.is_empty() && p.lost_reasons.is_empty());
    let e = b.l.crm.followup_efficiency(&q).await.unwrap();
    assert_eq!(e.total.followups, 0);
    assert!(e.methods.iter().all(|m| m.followups == 0 && m.response_rate.is_none() && m.avg_gap_days.is_none()));
    let d = b.l.crm.dashboard(&q).await.unwrap();
    assert!(d.kpis.iter().filter(|k| k.key != KpiKey::Pipeline).all(|k| k.value == 0 && k.change.is_none()));
    assert_eq!(d.industries.total_won_fen, 0);
    assert!(d.industries.rows.iter().all(|r| r.won_share.is_none()));
}

#[tokio::test]
async fn kpis_compare_with_the_previous_period_and_a_year_ago() {
    let b = book().await;
    let d = b.l.crm.dashboard(&october(None)).await.unwrap();
    assert_eq!((d.period.previous.from.as_str(), d.period.previous.to.as_str()), ("2026-08-31", "2026-09-30"));
    let k = |key: KpiKey| d.kpis.iter().find(|k| k.key == key).unwrap().clone();
    let new = k(KpiKey::NewCustomers);
    // 17 in October; c9 and the two September customers before; nobody a year earlier.
    assert_eq!((new.value, new.previous, new.year_ago), (17, 3, 0));
    assert_eq!(new.change, Some(14.0 / 3.0));
    assert_eq!(new.change_year, None);
    assert_eq!((k(KpiKey::DealsWon).value, k(KpiKey::AmountWon).value), (4, 185_000_000));
    // Open on 31 October: c4..c8 (5 × 1万), c9 (2万) and c1's deal won only in November (5万).
    assert_eq!(k(KpiKey::Pipeline).value, 12_000_000);
    // In September only c9's deal was open by its end (created 20 Sep).
    assert_eq!(k(KpiKey::Pipeline).previous, 2_000_000);
    let oct = d.trend.iter().find(|p| p.month == "2026-10").unwrap();
    assert_eq!((oct.new_customers, oct.won_count, oct.won_amount_fen), (17, 4, 185_000_000));
    let sep = d.trend.iter().find(|p| p.month == "2026-09").unwrap();
    assert_eq!((sep.new_customers, sep.won_amount_fen), (3, 0));
    assert_eq!(d.trend.len(), 12);
    // The 工作台's cards alone are the dashboard's.
    let cards = b.l.crm.report_kpis(&october(None)).await.unwrap();
    assert_eq!((cards.kpis, cards.period), (d.kpis.clone(), d.period.clone()));
    assert_eq!(d.trend.last().unwrap().month, "2026-10");
}

#[tokio::test]
async fn customers_by_industry_with_what_each_group_won() {
    let b = book().await;
    let a = b.l.crm.customer_analysis(&october(None), Dimension::Industry).await.unwrap();
    // Live customers: c1..c15, c9, 九月甲, 九月乙, 十一月, l1, l2 = 21.
    assert_eq!(a.total_customers, 21);
    assert_eq!(a.total_won_fen, 185_000_000);
    let rows: Vec<(Option<&str>, i64, i64)> = a.rows.iter().map(|r| (r.key.as_deref(), r.customers, r.won_amount_fen)).collect();
    // 制造业: c1..c6, c9, 十一月, l1 = 9, and every October win (c1, c2, c3, l1);
    // 互联网: c7..c10, c15, l2 = 6; none: c11..c14, 九月甲, 九月乙 = 6.
    assert_eq!(rows, [(Some("制造业"), 9, 185_000_000), (Some("互联网"), 6, 0), (None, 6, 0)]);
    assert!((a.rows[0].share - 9.0 / 21.0).abs() < 1e-12);
    assert_eq!((a.rows[0].won_share, a.rows[1].won_share), (Some(1.0), Some(0.0)));
    // Moving c3 out of 制造业 moves its 14万 with it.
    b.l.crm.update_customer(b.wang[2], &CustomerInput { owner: Some("王经理".into()), ..common::input("c3", None, None) }, true).await.unwrap();
    let a = b.l.crm.customer_analysis(&october(None), Dimension::Industry).await.unwrap();
    let rows: Vec<(Option<&str>, i64, i64)> = a.rows.iter().map(|r| (r.key.as_deref(), r.customers, r.won_amount_fen)).collect();
    assert_eq!(rows, [(Some("制造业"), 8, 171_000_000), (Some("互联网"), 6, 0), (None, 7, 14_000_000)]);
    // One owner's book.
    let wang = b.l.crm.customer_analysis(&october(Some("王经理")), Dimension::Industry).await.unwrap();
    assert_eq!(wang.total_customers, 19);
    assert_eq!(wang.total_won_fen, 85_000_000);
}

#[tokio::test]
async fn sizes_come_in_bands_and_grades_are_effective() {
    let l = ledger().await;
    let rows = [("甲", Some(5), "A"), ("乙", Some(20), "b类"), ("丙", Some(99), "B"), ("丁", Some(1000), "C"), ("戊", None, " c ")];
    for (name, employees, grade) in rows {
        let input = CustomerInput { employees: employees.map(|e: i64| e.to_string()), grade: Some(grade.into()), ..common::input(name, None, None) };
        add(&l.crm, &input).await;
    }
    let q = ReportQuery::default();
    let size = l.crm.customer_analysis(&q, Dimension::Size).await.unwrap();
    let rows: Vec<(Option<&str>, i64)> = size.rows.iter().map(|r| (r.key.as_deref(), r.customers)).collect();
    // Bands in their own order (5 → <20; 20 and 99 → 20–99; 1000 → ≥1000), the unknown last.
    assert_eq!(rows, [(Some("lt20"), 1), (Some("20_99"), 2), (Some("ge1000"), 1), (None, 1)]);
    let grade = l.crm.customer_analysis(&q, Dimension::Grade).await.unwrap();
    let rows: Vec<(Option<&str>, i64)> = grade.rows.iter().map(|r| (r.key.as_deref(), r.customers)).collect();
    // "b类" reads as B and " c " as C; ties in count keep the letters' order.
    assert_eq!(rows, [(Some("B"), 2), (Some("C"), 2), (Some("A"), 1)]);
    let drill = l.crm.report_drill(&DrillQuery { query: q, target: DrillTarget::Group { dimension: Dimension::Size, key: Some("20_99".into()) }, limit: 10, cursor: None }).await.unwrap();
    let mut names: Vec<&str> = drill.items.iter().map(|r| r.customer_name.as_str()).collect();
    names.sort();
    assert_eq!(names, ["丙", "乙"]);
}

#[tokio::test]
async fn ties_in_the_top_fifth_do_not_change_the_share_and_fen_add_up_exactly() {
    let l = ledger().await;
    let won = stage(&l.crm, "won").await;
    // Ten customers; the two largest amounts tie with a third: 0.10 + 0.20 + … in fen.
    let amounts = ["300.10", "300.10", "300.10", "0.20", "0.10", "0.10", "0.10", "0.10", "0.10", "0.10"];
    l.clock.set(bj(2026, 10, 10, 9, 0));
    for (i, amount) in amounts.iter().enumerate() {
        let c = add(&l.crm, &common::input(&format!("客户{i}"), None, None)).await.id;
        let input = DealInput { customer_id: c, name: "单".into(), amount: (*amount).into(), stage_id: Some(won), ..Default::default() };
        l.crm.add_deal(&input).await.unwrap();
    }
    let p = l.crm.performance(&october(None)).await.unwrap();
    // 3 × 30010 + 20 + 6 × 10 fen.
    assert_eq!(p.total.won_amount_fen, 90_110);
    assert_eq!((p.total.top_customers, p.total.top_amount_fen), (2, 60_020));
    assert_eq!(p.total.top_share, Some(60_020.0 / 90_110.0));
    // Which two of the three tied customers are listed does not matter; that they tie does.
    let top = l.crm.report_drill(&DrillQuery { query: october(None), target: DrillTarget::TopCustomers, limit: 10, cursor: None }).await.unwrap();
    assert_eq!(top.total, 2);
    assert!(top.items.iter().all(|r| r.amount_fen == Some(30_010)));

    // An owner who won nothing has no top fifth at all.
    let none = l.crm.performance(&ReportQuery { owner: Some("nobody".into()), ..october(None) }).await.unwrap();
    assert_eq!((none.total.won_customers, none.total.top_customers, none.total.top_share), (0, 0, None));
}

#[tokio::test]
async fn a_single_customer_is_the_whole_book() {
    let l = ledger().await;
    l.clock.set(bj(2026, 10, 10, 9, 0));
    let c = add(&l.crm, &CustomerInput { industry: Some("制造业".into()), ..common::input("独苗", None, None) }).await.id;
    let won = stage(&l.crm, "won").await;
    l.crm.add_deal(&DealInput { customer_id: c, name: "单".into(), amount: "1.01".into(), stage_id: Some(won), ..Default::default() }).await.unwrap();
    let p = l.crm.performance(&october(None)).await.unwrap();
    assert_eq!((p.total.won_customers, p.total.avg_deal_fen, p.total.top_share), (1, Some(101), Some(1.0)));
    assert_eq!((p.total.intent_customers, p.total.conversion), (1, Some(1.0)));
    let a = l.crm.customer_analysis(&october(None), Dimension::Industry).await.unwrap();
    assert_eq!((a.rows[0].share, a.rows[0].won_share), (1.0, Some(1.0)));
}

async fn drill_ids(crm: &Crm, q: ReportQuery, target: DrillTarget) -> (DrillKind, i64, Vec<String>) {
    let page = crm.report_drill(&DrillQuery { query: q, target, limit: 500, cursor: None }).await.unwrap();
    let mut names: Vec<String> = page.items.iter().map(|r| r.customer_name.clone()).collect();
    names.sort();
    (page.kind, page.total, names)
}

#[tokio::test]
async fn every_figure_drills_down_to_the_rows_it_counted() {
    let b = book().await;
    let crm = &b.l.crm;
    let (kind, total, _) = drill_ids(crm, october(None), DrillTarget::NewCustomers).await;
    assert_eq!((kind, total), (DrillKind::Customer, 17));
    let (kind, total, names) = drill_ids(crm, october(Some("王经理")), DrillTarget::WonDeals).await;
    assert_eq!((kind, total, names), (DrillKind::Deal, 3, vec!["c1".to_owned(), "c2".into(), "c3".into()]));
    let (_, _, names) = drill_ids(crm, october(None), DrillTarget::TopCustomers).await;
    assert_eq!(names, ["l1"]);
    let (_, total, _) = drill_ids(crm, october(Some("王经理")), DrillTarget::IntentCustomers).await;
    assert_eq!(total, 8);
    let (_, total, _) = drill_ids(crm, october(None), DrillTarget::WonCustomers).await;
    assert_eq!(total, 4);
    let (_, total, _) = drill_ids(crm, october(None), DrillTarget::LostDeals { reason: Some("价格过高".into()) }).await;
    assert_eq!(total, 4);
    let (_, total, _) = drill_ids(crm, october(None), DrillTarget::Pipeline).await;
    assert_eq!(total, 7);
    let (_, total, names) = drill_ids(crm, october(None), DrillTarget::Group { dimension: Dimension::Industry, key: Some("互联网".into()) }).await;
    assert_eq!(total, 6);
    assert!(names.contains(&"l2".to_owned()));
    let (_, total, _) = drill_ids(crm, october(None), DrillTarget::Group { dimension: Dimension::Industry, key: None }).await;
    assert_eq!(total, 6);
    let (_, total, _) = drill_ids(crm, october(None), DrillTarget::Month { month: "2026-09".into(), series: MonthSeries::NewCustomers }).await;
    assert_eq!(total, 3);
    let (_, total, names) = drill_ids(crm, october(None), DrillTarget::Month { month: "2026-11".into(), series: MonthSeries::Won }).await;
    assert_eq!((total, names), (1, vec!["c1".to_owned()]));
    // The October cohort now in 意向客户: c4..c8.
    let qualified = stage(crm, "qualified").await;
    let (_, total, _) = drill_ids(crm, october(None), DrillTarget::Stage { stage_id: qualified }).await;
    assert_eq!(total, 5);

    // Paging: 17 new customers, 5 at a time.
    let mut seen = Vec::new();
    let mut cursor = None;
    loop {
        let page = crm.report_drill(&DrillQuery { query: october(None), target: DrillTarget::NewCustomers, limit: 5, cursor }).await.unwrap();
        seen.extend(page.items.iter().map(|r| r.id));
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 17);
    assert!(seen.contains(&b.li[1]) && seen.contains(&b.wang[14]));
}

async fn bad(crm: &Crm, q: DrillQuery) -> std::collections::BTreeMap<String, String> {
    crm.report_drill(&q).await.unwrap_err().fields()
}

#[tokio::test]
async fn bad_report_input_is_a_field_error() {
    let b = book().await;
    let f = bad(&b.l.crm, DrillQuery { query: october(None), target: DrillTarget::NewCustomers, limit: 0, cursor: None }).await;
    assert_eq!(f.get("limit").map(String::as_str), Some("out_of_range"));
    let f = bad(&b.l.crm, DrillQuery { query: october(None), target: DrillTarget::NewCustomers, limit: 5, cursor: Some("x".into()) }).await;
    assert_eq!(f.get("cursor").map(String::as_str), Some("cursor_invalid"));
    let f = bad(&b.l.crm, DrillQuery { query: october(None), target: DrillTarget::Month { month: "2026-13".into(), series: MonthSeries::Won }, limit: 5, cursor: None }).await;
    assert_eq!(f.get("target.month").map(String::as_str), Some("date_invalid"));
    let q = ReportQuery { preset: PeriodPreset::Custom, from: Some("2026-10-31".into()), to: Some("2026-10-01".into()), owner: None };
    assert_eq!(b.l.crm.dashboard(&q).await.unwrap_err().fields().get("to").map(String::as_str), Some("before_from"));
}

fn followup(method: &str, at: DateTime<Utc>, feedback: Option<&str>, next_at: Option<DateTime<Utc>>) -> FollowupInput {
    FollowupInput {
        at: Some(at),
        method: method.into(),
        owner: Some("王经理".into()),
        content: format!("{method}沟通"),
        feedback: feedback.map(Into::into),
        next_step: next_at.map(|_| "再联系".into()),
        next_at,
        ..Default::default()
    }
}

#[tokio::test]
async fn follow_up_efficiency_by_method() {
    let l = ledger().await;
    l.clock.set(bj(2026, 9, 1, 9, 0));
    let a = add(&l.crm, &common::input("甲", None, None)).await.id;
    let b = add(&l.crm, &common::input("乙", None, None)).await.id;
    let c = add(&l.crm, &common::input("丙", None, None)).await.id;
    let d = add(&l.crm, &common::input("丁", None, None)).await.id;
    let log = |customer: i64, f: FollowupInput, now: DateTime<Utc>| {
        l.clock.set(now);
        let crm = l.crm.clone();
        async move { crm.add_followup(customer, &f).await.unwrap() }
    };
    // 甲: a call with feedback and a next step due 5 Oct, met by a WeChat on 4 Oct (2 days later).
    log(a, followup("phone", bj(2026, 10, 2, 10, 0), Some("好"), Some(bj(2026, 10, 5, 10, 0))), bj(2026, 10, 2, 11, 0)).await;
    log(a, followup("wechat", bj(2026, 10, 4, 10, 0), None, None), bj(2026, 10, 4, 11, 0)).await;
    // 乙: a visit with feedback, next step due 12 Oct, met late by a call on 15 Oct (5 days).
    log(b, followup("visit", bj(2026, 10, 10, 10, 0), Some("考虑中"), Some(bj(2026, 10, 12, 10, 0))), bj(2026, 10, 10, 11, 0)).await;
    log(b, followup("phone", bj(2026, 10, 15, 10, 0), None, None), bj(2026, 10, 15, 11, 0)).await;
    // 丙: an e-mail whose next step (due 22 Oct) was marked done on 21 Oct; a meeting on 1 Nov
    // (outside the period, still 12 days after the e-mail).
    let email = log(c, followup("email", bj(2026, 10, 20, 10, 0), None, Some(bj(2026, 10, 22, 10, 0))), bj(2026, 10, 20, 11, 0)).await;
    l.clock.set(bj(2026, 10, 21, 9, 0));
    let reminder = l.crm.customer_reminders(c).await.unwrap().into_iter().find(|r| r.followup_id == Some(email.id)).unwrap();
    l.crm.complete_reminder(reminder.id).await.unwrap();
    log(c, followup("meeting", bj(2026, 11, 1, 10, 0), None, None), bj(2026, 11, 1, 11, 0)).await;
    // 丁: a call with a next step not yet due on the day the report is read.
    log(d, followup("phone", bj(2026, 10, 30, 10, 0), Some("ok"), Some(bj(2026, 12, 30, 10, 0))), bj(2026, 10, 30, 11, 0)).await;
    l.clock.set(bj(2026, 11, 24, 10, 0));

    let e = l.crm.followup_efficiency(&october(None)).await.unwrap();
    let m = |code: &str| e.methods.iter().find(|m| m.code.as_deref() == Some(code)).unwrap().clone();
    let phone = m("phone");
    assert_eq!((phone.followups, phone.responses, phone.next_steps_due, phone.next_steps_on_time), (3, 2, 1, 1));
    assert_eq!(phone.response_rate, Some(2.0 / 3.0));
    assert_eq!(phone.avg_gap_days, Some(2.0));
    let visit = m("visit");
    assert_eq!((visit.followups, visit.responses, visit.next_steps_due, visit.next_steps_on_time), (1, 1, 1, 0));
    assert_eq!((visit.avg_gap_days, visit.on_time_rate), (Some(5.0), Some(0.0)));
    let email = m("email");
    assert_eq!((email.next_steps_due, email.next_steps_on_time, email.avg_gap_days), (1, 1, Some(12.0)));
    assert_eq!(m("meeting").followups, 0);
    assert_eq!(e.methods[0].code.as_deref(), Some("phone"));
    assert_eq!((e.total.followups, e.total.responses, e.total.next_steps_due, e.total.next_steps_on_time), (6, 3, 3, 2));
    assert_eq!(e.total.avg_gap_days, Some((2.0 + 5.0 + 12.0) / 3.0));

    // Editing a follow-up re-links the gaps: 乙's call moved to 11 Oct makes the visit's gap 1 day.
    let calls = l.crm.report_drill(&DrillQuery {
        query: october(None),
        target: DrillTarget::Followups { method_id: Some(phone.method_id.unwrap()), responded: None },
        limit: 50,
        cursor: None,
    }).await.unwrap();
    assert_eq!(calls.total, 3);
    let late = calls.items.iter().find(|r| r.customer_id == b).unwrap();
    l.crm.update_followup(late.id, &followup("phone", bj(2026, 10, 11, 10, 0), None, None)).await.unwrap();
    let e = l.crm.followup_efficiency(&october(None)).await.unwrap();
    let visit = e.methods.iter().find(|m| m.code.as_deref() == Some("visit")).unwrap();
    assert_eq!((visit.avg_gap_days, visit.next_steps_on_time), (Some(1.0), 1));

    // A customer in the recycle bin takes its follow-ups out of the report, and back.
    l.crm.delete_customer(a).await.unwrap();
    assert_eq!(l.crm.followup_efficiency(&october(None)).await.unwrap().total.followups, 4);
    l.crm.restore_customer(a).await.unwrap();
    assert_eq!(l.crm.followup_efficiency(&october(None)).await.unwrap().total.followups, 6);
    // One owner's follow-ups only.
    let none = l.crm.followup_efficiency(&october(Some("李经理"))).await.unwrap();
    assert_eq!(none.total.followups, 0);
    let responded = l.crm.report_drill(&DrillQuery {
        query: october(None),
        target: DrillTarget::Followups { method_id: None, responded: Some(true) },
        limit: 50,
        cursor: None,
    }).await.unwrap();
    assert_eq!(responded.total, 3);
}

#[tokio::test]
async fn the_funnel_of_a_period_is_its_cohort() {
    let b = book().await;
    let f = b.l.crm.funnel_analysis(&october(Some("王经理"))).await.unwrap();
    // October's 王经理 deals: 3 won, 5 in 意向客户, 10 lost, and c1's November win (created in October).
    let count = |code: &str| f.funnel.stages.iter().find(|s| s.code.as_deref() == Some(code)).unwrap().count;
    assert_eq!((count("qualified"), count("won"), count("lost")), (5, 4, 10));
    let reached = |code: &str| f.funnel.stages.iter().find(|s| s.code.as_deref() == Some(code)).unwrap().reached;
    // Every one of the 19 entered 潜在客户 (the lost ones too); 9 got to 意向 or further.
    assert_eq!((reached("lead"), reached("qualified"), reached("won")), (19, 9, 4));
    assert!(f.funnel.weakest_stage_id.is_some());
}
