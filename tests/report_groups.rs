//! The customer analysis by industry, source, region and owner reads kept rows: live customers
//! per combination of the four (`customer_group_counts`) and each deal's copy of its customer's
//! groups. Both must follow every write that adds, edits, bins, restores, merges or purges a
//! customer or moves a deal, and give the same figures as counting the customers themselves.

mod common;

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use common::{add_anyway, Ledger};
use sqlx::{Connection, SqliteConnection};
use yiben::customers::CustomerInput;
use yiben::deals::{DealInput, MoveInput};
use yiben::reports::{Dimension, PeriodPreset, ReportQuery};
use yiben::{Crm, FixedClock, SequentialIds};

fn utc(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 4, 0, 0).unwrap()
}

async fn ledger(now: DateTime<Utc>) -> Ledger {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::new(now));
    let crm = Crm::open_with(dir.path().join("ledger.db"), clock.clone(), Arc::new(SequentialIds::default())).await.unwrap();
    Ledger { crm, clock, dir }
}

fn profile(name: &str, owner: &str, industry: Option<&str>, source: Option<&str>, region: Option<&str>) -> CustomerInput {
    CustomerInput {
        name: name.into(),
        owner: Some(owner.into()),
        industry: industry.map(Into::into),
        source: source.map(Into::into),
        region: region.map(Into::into),
        ..Default::default()
    }
}

async fn stage(crm: &Crm, code: &str) -> i64 {
    crm.deal_stages().await.unwrap().into_iter().find(|s| s.code.as_deref() == Some(code)).unwrap().id
}

async fn won_deal(l: &Ledger, customer: i64, amount: &str) -> i64 {
    let input = DealInput { customer_id: customer, name: format!("商机{customer}-{amount}"), amount: amount.into(), ..Default::default() };
    let id = l.crm.add_deal(&input).await.unwrap().id;
    l.crm.move_deal(id, &MoveInput { stage_id: stage(&l.crm, "won").await, ..Default::default() }).await.unwrap();
    id
}

type Rows = Vec<(String, String, String, String, i64)>;

/// The kept rows, and the same counted from the customers and deals themselves.
async fn read(conn: &mut SqliteConnection, sql: &'static str) -> Rows {
    sqlx::query_as(sql).fetch_all(conn).await.unwrap()
}

async fn kept_and_counted(l: &Ledger) -> ((Rows, Rows), (Rows, Rows)) {
    let url = format!("sqlite:{}", l.dir.path().join("ledger.db").display());
    let mut conn = SqliteConnection::connect(&url).await.unwrap();
    let kept_counts = read(
        &mut conn,
        "SELECT owner, industry, source, region, customers FROM customer_group_counts WHERE customers <> 0 ORDER BY 1, 2, 3, 4",
    )
    .await;
    let counted = read(
        &mut conn,
        "SELECT coalesce(owner, ''), coalesce(industry, ''), coalesce(source, ''), coalesce(region, ''), count(*)
           FROM customers WHERE deleted_at IS NULL GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4",
    )
    .await;
    let kept_deals = read(
        &mut conn,
        "SELECT coalesce(customer_owner, ''), coalesce(customer_industry, ''), coalesce(customer_source, ''),
                coalesce(customer_region, ''), id FROM deals ORDER BY id",
    )
    .await;
    let joined = read(
        &mut conn,
        "SELECT coalesce(c.owner, ''), coalesce(c.industry, ''), coalesce(c.source, ''), coalesce(c.region, ''), d.id
           FROM deals d JOIN customers c ON c.id = d.customer_id ORDER BY d.id",
    )
    .await;
    conn.close().await.unwrap();
    ((kept_counts, counted), (kept_deals, joined))
}

async fn assert_kept(l: &Ledger) {
    let ((kept_counts, counted), (kept_deals, joined)) = kept_and_counted(l).await;
    assert_eq!(kept_counts, counted);
    assert_eq!(kept_deals, joined);
}

fn this_year(owner: Option<&str>) -> ReportQuery {
    ReportQuery { preset: PeriodPreset::Custom, from: Some("2026-01-01".into()), to: Some("2026-12-31".into()), owner: owner.map(Into::into) }
}

/// (group, customers, won amount in fen) for each group, most customers first.
async fn groups(crm: &Crm, dimension: Dimension, owner: Option<&str>) -> Vec<(Option<String>, i64, i64)> {
    let a = crm.customer_analysis(&this_year(owner), dimension).await.unwrap();
    assert_eq!(a.total_customers, a.rows.iter().map(|r| r.customers).sum::<i64>());
    assert_eq!(a.total_won_fen, a.rows.iter().map(|r| r.won_amount_fen).sum::<i64>());
    a.rows.into_iter().map(|r| (r.key, r.customers, r.won_amount_fen)).collect()
}

fn g(key: Option<&str>, customers: i64, won_yuan: i64) -> (Option<String>, i64, i64) {
    (key.map(Into::into), customers, won_yuan * 100)
}

#[tokio::test]
async fn kept_groups_follow_edits_the_recycle_bin_merges_deal_moves_and_purges() {
    let l = ledger(utc(2026, 11, 24)).await;
    let a = add_anyway(&l.crm, &profile("恒达精密", "王经理", Some("制造业"), Some("展会"), Some("江苏"))).await.id;
    let b = add_anyway(&l.crm, &profile("远航物流", "李经理", Some("物流运输"), Some("转介绍"), Some("上海"))).await.id;
    let c = add_anyway(&l.crm, &profile("华联超市", "王经理", Some("制造业"), None, Some("江苏"))).await.id;
    // An empty text is the same group as none.
    let d = add_anyway(&l.crm, &profile("个体客户", "王经理", Some(""), Some(""), None)).await.id;
    assert_kept(&l).await;
    won_deal(&l, a, "30万").await;
    let moved = won_deal(&l, b, "5万").await;
    won_deal(&l, c, "1万").await;
    assert_kept(&l).await;
    assert_eq!(
        groups(&l.crm, Dimension::Industry, None).await,
        vec![g(Some("制造业"), 2, 310_000), g(Some("物流运输"), 1, 50_000), g(None, 1, 0)]
    );
    assert_eq!(groups(&l.crm, Dimension::Source, Some("王经理")).await, vec![g(Some("展会"), 1, 300_000), g(None, 2, 10_000)]);

    // The profile's groups change: the customer and its won deal move group.
    l.crm.update_customer(a, &profile("恒达精密", "李经理", Some("医疗健康"), Some("展会"), Some("浙江")), true).await.unwrap();
    assert_kept(&l).await;
    assert_eq!(
        groups(&l.crm, Dimension::Industry, None).await,
        vec![g(Some("医疗健康"), 1, 300_000), g(Some("物流运输"), 1, 50_000), g(Some("制造业"), 1, 10_000), g(None, 1, 0)]
    );
    assert_eq!(groups(&l.crm, Dimension::Owner, None).await, vec![g(Some("李经理"), 2, 350_000), g(Some("王经理"), 2, 10_000)]);
    assert_eq!(groups(&l.crm, Dimension::Region, Some("李经理")).await, vec![g(Some("浙江"), 1, 300_000), g(Some("上海"), 1, 50_000)]);

    // A deal handed to another customer takes that customer's groups.
    let mut to_c = DealInput { customer_id: c, name: "商机转移".into(), amount: "5万".into(), ..Default::default() };
    to_c.stage_id = Some(stage(&l.crm, "won").await);
    l.crm.update_deal(moved, &to_c).await.unwrap();
    assert_kept(&l).await;
    assert_eq!(groups(&l.crm, Dimension::Industry, Some("王经理")).await, vec![g(Some("制造业"), 1, 60_000), g(None, 1, 0)]);

    // The recycle bin takes the customer out of the book with its deals, a restore brings both back.
    l.crm.delete_customer(c).await.unwrap();
    assert_kept(&l).await;
    assert_eq!(groups(&l.crm, Dimension::Industry, Some("王经理")).await, vec![g(None, 1, 0)]);
    l.crm.restore_customer(c).await.unwrap();
    assert_kept(&l).await;
    assert_eq!(groups(&l.crm, Dimension::Industry, Some("王经理")).await, vec![g(Some("制造业"), 1, 60_000), g(None, 1, 0)]);

    // A merge: the absorbed customer leaves the book, its deals take the survivor's groups.
    l.crm.merge_customers(d, c, &BTreeMap::new()).await.unwrap();
    assert_kept(&l).await;
    let merged = l.crm.customer(d).await.unwrap();
    let industry = merged.industry.clone().filter(|i| !i.is_empty());
    assert_eq!(groups(&l.crm, Dimension::Industry, Some("王经理")).await, vec![(industry, 1, 60_000 * 100)]);

    // Purged from the recycle bin: gone from the counts, and its deals with it.
    l.crm.delete_customer(b).await.unwrap();
    l.crm.purge_customer(b).await.unwrap();
    assert_kept(&l).await;
    assert_eq!(groups(&l.crm, Dimension::Owner, None).await.iter().map(|r| r.1).sum::<i64>(), 2);
}

#[tokio::test]
async fn groups_read_from_the_kept_rows_match_a_count_over_many_customers() {
    let l = ledger(utc(2026, 11, 24)).await;
    let industries = [Some("制造业"), Some("金融业"), None];
    let sources = [Some("展会"), Some("官网"), Some("转介绍"), None];
    let owners = ["王经理", "李经理"];
    let mut inputs = Vec::new();
    for i in 0..60usize {
        inputs.push(profile(&format!("客户{i:03}"), owners[i % 2], industries[i % 3], sources[i % 4], Some(["江苏", "广东"][i % 5 % 2])));
    }
    let ids = l.crm.add_customers(&inputs).await.unwrap();
    for (n, id) in ids.iter().enumerate().filter(|(n, _)| n % 7 == 0) {
        won_deal(&l, *id, &format!("{}", 1000 + n)).await;
    }
    assert_kept(&l).await;
    // Worked out from the inputs: customer i is in industry i % 3 and won 1000 + i yuan when i % 7 == 0.
    for (dimension, key_of) in [
        (Dimension::Industry, Box::new(|i: usize| industries[i % 3]) as Box<dyn Fn(usize) -> Option<&'static str>>),
        (Dimension::Source, Box::new(|i: usize| sources[i % 4])),
    ] {
        for owner in [None, Some("李经理")] {
            let mut expected: BTreeMap<Option<String>, (i64, i64)> = BTreeMap::new();
            for i in (0..60).filter(|i| owner.is_none_or(|o| owners[i % 2] == o)) {
                let e = expected.entry(key_of(i).map(Into::into)).or_default();
                e.0 += 1;
                if i % 7 == 0 {
                    e.1 += (1000 + i as i64) * 100;
                }
            }
            let mut got: Vec<_> = groups(&l.crm, dimension, owner).await;
            got.sort();
            let expected: Vec<_> = expected.into_iter().map(|(k, (n, won))| (k, n, won)).collect();
            assert_eq!(got, expected, "{dimension:?} for {owner:?}");
        }
    }
}
