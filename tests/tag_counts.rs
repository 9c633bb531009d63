//! Each tag's live customers are kept on the tag (0014) for the tag list, its chips and the
//! count of a one-tag filter. The kept figure must follow every write that links, unlinks,
//! bins, restores, merges or deletes for good, and equal counting the links themselves.

mod common;

use std::collections::BTreeMap;

use chrono::Duration;
use common::{add_anyway, input, ledger, Ledger};
use sqlx::{Connection, SqliteConnection};
use yiben::customers::ListQuery;
use yiben::TagTarget;

async fn raw(l: &Ledger) -> SqliteConnection {
    let url = format!("sqlite:{}", l.dir.path().join("ledger.db").display());
    SqliteConnection::connect(&url).await.unwrap()
}

/// Every tag's kept count beside the count of its links to live customers.
async fn kept_and_counted(l: &Ledger) -> (Vec<(i64, i64)>, Vec<(i64, i64)>) {
    let mut conn = raw(l).await;
    let kept = sqlx::query_as("SELECT id, live_count FROM tags ORDER BY id").fetch_all(&mut conn).await.unwrap();
    let counted = sqlx::query_as(
        "SELECT t.id, (SELECT count(*) FROM customer_tags ct JOIN customers c ON c.id = ct.customer_id
                        WHERE ct.tag_id = t.id AND c.deleted_at IS NULL)
           FROM tags t ORDER BY t.id",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    (kept, counted)
}

async fn assert_consistent(l: &Ledger, after: &str) {
    let (kept, counted) = kept_and_counted(l).await;
    assert_eq!(kept, counted, "kept tag counts after {after}");
}

async fn tag_id(l: &Ledger, name: &str) -> i64 {
    l.crm.tags().await.unwrap().into_iter().find(|t| t.name == name).unwrap().id
}

async fn listed_count(l: &Ledger, name: &str) -> i64 {
    l.crm.tags().await.unwrap().into_iter().find(|t| t.name == name).unwrap().count
}

fn filtered(filter: &str) -> ListQuery {
    ListQuery { filter: Some(filter.into()), ..ListQuery::first(10) }
}

async fn link(l: &Ledger, customers: &[i64], add: &[i64], remove: &[i64]) {
    l.crm.tag_customers(&TagTarget::Selection { ids: customers.to_vec() }, add, remove).await.unwrap();
}

#[tokio::test]
async fn kept_counts_follow_links_the_recycle_bin_merges_and_deletes() {
    let l = ledger().await;
    let vip = tag_id(&l, "高价值客户").await;
    let strategic = tag_id(&l, "战略客户").await;
    let mut ids = Vec::new();
    for i in 0..6 {
        ids.push(add_anyway(&l.crm, &input(&format!("客户{i}"), None, None)).await.id);
    }
    assert_consistent(&l, "adding untagged customers").await;

    link(&l, &ids[..4], &[vip], &[]).await;
    link(&l, &ids[2..], &[strategic], &[]).await;
    assert_eq!(listed_count(&l, "高价值客户").await, 4);
    assert_eq!(listed_count(&l, "战略客户").await, 4);
    // Linking again changes nothing; an unknown pair is not counted twice.
    link(&l, &ids[..4], &[vip], &[]).await;
    assert_consistent(&l, "linking twice").await;

    link(&l, &[ids[0]], &[], &[vip]).await;
    assert_eq!(listed_count(&l, "高价值客户").await, 3);

    // The recycle bin takes a customer's tags out of every count, restoring brings them back.
    l.crm.delete_customer(ids[2]).await.unwrap();
    assert_eq!(listed_count(&l, "高价值客户").await, 2);
    assert_eq!(listed_count(&l, "战略客户").await, 3);
    assert_consistent(&l, "binning").await;
    // Unlinking a binned customer's tag does not count it off a second time.
    link(&l, &[ids[2]], &[], &[strategic]).await;
    assert_consistent(&l, "unlinking a binned customer").await;
    l.crm.restore_customer(ids[2]).await.unwrap();
    assert_eq!(listed_count(&l, "高价值客户").await, 3);
    assert_eq!(listed_count(&l, "战略客户").await, 3);
    assert_consistent(&l, "restoring").await;

    // A merge moves the absorbed customer's tags onto the survivor and bins the absorbed one.
    l.clock.advance(Duration::minutes(1));
    l.crm.merge_customers(ids[1], ids[5], &BTreeMap::new()).await.unwrap();
    assert_consistent(&l, "merging customers").await;
    assert_eq!(listed_count(&l, "战略客户").await, 3, "客户1 gains the tag 客户5 loses");
    assert_eq!(l.crm.customer_tags(ids[1]).await.unwrap(), [(vip, false), (strategic, false)], "its own 高价值客户, and 战略客户 set by hand from 客户5");

    // Deleted for good: from the recycle bin, and a live customer (as an import's undo does).
    l.crm.delete_customer(ids[3]).await.unwrap();
    l.crm.purge_customer(ids[3]).await.unwrap();
    assert_consistent(&l, "purging a binned customer").await;
    let mut conn = raw(&l).await;
    sqlx::query("DELETE FROM customers WHERE id = ?").bind(ids[4]).execute(&mut conn).await.unwrap();
    drop(conn);
    assert_consistent(&l, "deleting a live customer for good").await;

    // Merging tags and deleting a tag.
    l.crm.merge_tags(strategic, vip).await.unwrap();
    assert_consistent(&l, "merging tags").await;
    let made = l.crm.add_tag("临时标签", "个性化标签", "#336699").await.unwrap();
    link(&l, &ids[..2], &[made.id], &[]).await;
    assert_eq!(listed_count(&l, "临时标签").await, 2);
    l.crm.delete_tag(made.id).await.unwrap();
    assert_consistent(&l, "deleting a tag").await;
}

#[tokio::test]
async fn automatic_tags_are_counted_as_they_come_and_go() {
    let l = ledger().await;
    let ids: Vec<i64> = {
        let mut v = Vec::new();
        for i in 0..3 {
            v.push(add_anyway(&l.crm, &input(&format!("新客户{i}"), None, None)).await.id);
        }
        v
    };
    l.crm.refresh_values().await.unwrap();
    assert_eq!(listed_count(&l, "新客户未跟进").await, 0, "not before a day has passed");
    l.clock.advance(Duration::hours(24));
    l.crm.refresh_values().await.unwrap();
    assert_consistent(&l, "the rules tagging new customers").await;
    assert_eq!(listed_count(&l, "新客户未跟进").await, 3);
    // A hand-set link on a rule's tag, then the customer binned: both kinds count alike.
    l.crm.delete_customer(ids[0]).await.unwrap();
    assert_eq!(listed_count(&l, "新客户未跟进").await, 2);
    l.clock.advance(Duration::days(120));
    l.crm.refresh_values().await.unwrap();
    assert_consistent(&l, "the rules after 120 quiet days").await;
}

#[tokio::test]
async fn a_one_tag_filter_counts_from_the_tag_and_agrees_with_the_general_count() {
    let l = ledger().await;
    let vip = tag_id(&l, "高价值客户").await;
    let decider = tag_id(&l, "决策人").await;
    let mut ids = Vec::new();
    for i in 0..7 {
        let industry = if i % 2 == 0 { Some("制造业") } else { None };
        ids.push(add_anyway(&l.crm, &input(&format!("华信{i}"), None, industry)).await.id);
    }
    link(&l, &ids[..5], &[vip], &[]).await;
    link(&l, &ids[3..], &[decider], &[]).await;
    l.crm.delete_customer(ids[0]).await.unwrap();

    // The kept count and the general plan (the same tag twice, which the fast path leaves
    // alone) must agree with the rows themselves.
    let one = l.crm.list_customers(&filtered("tag:高价值客户")).await.unwrap();
    assert_eq!(one.total, Some(4));
    assert_eq!(l.crm.count_customers(&filtered("tag:高价值客户 AND tag:高价值客户")).await.unwrap(), 4);
    assert_eq!(one.items.len(), 4);

    // Anything besides the one tag goes the general way and still counts right.
    assert_eq!(l.crm.count_customers(&filtered("NOT tag:高价值客户")).await.unwrap(), 2);
    assert_eq!(l.crm.count_customers(&filtered("tag:高价值客户 AND tag:决策人")).await.unwrap(), 2);
    let searched = ListQuery { search: Some("华信4".into()), ..filtered("tag:高价值客户") };
    assert_eq!(l.crm.count_customers(&searched).await.unwrap(), 1);
    let mut by_industry = filtered("tag:高价值客户");
    by_industry.filters.industry = vec![l.crm.industries().await.unwrap().into_iter().find(|i| i.name == "制造业").unwrap().code];
    assert_eq!(l.crm.count_customers(&by_industry).await.unwrap(), 2, "华信2 and 华信4; 华信0 is binned");
    let binned = ListQuery { scope: yiben::customers::Scope::Deleted, ..filtered("tag:高价值客户") };
    assert_eq!(l.crm.count_customers(&binned).await.unwrap(), 1);
}
