mod common;

use std::sync::Arc;

use chrono::Duration;
use common::{add, input, ledger, t0, total};
use yiben::customers::PageQuery;
use yiben::{Crm, Error, ErrorCode, SequentialIds};

#[tokio::test]
async fn open_creates_the_file_with_wal_foreign_keys_and_busy_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested").join("folder").join("ledger.db");
    assert!(!path.exists());
    let crm = Crm::open(&path).await.unwrap();
    assert!(path.exists(), "the file and its folders are created on first use");
    let settings = crm.connection_settings().await.unwrap();
    assert_eq!(settings.journal_mode, "wal");
    assert!(settings.foreign_keys);
    assert_eq!(settings.busy_timeout_ms, 5000);
}

#[tokio::test]
async fn add_normalizes_the_phone_and_stamps_times_from_the_injected_clock() {
    let l = ledger().await;
    let c = add(&l.crm, &input("  华信科技有限公司 ", Some("+86 139-1234-5678"), Some("制造业"))).await;
    assert_eq!(c.name, "华信科技有限公司");
    assert_eq!(c.phone.as_deref(), Some("13912345678"));
    assert_eq!(c.industry.as_deref(), Some("制造业"));
    assert_eq!(c.created_at, t0());
    assert_eq!(c.updated_at, t0());
    assert_eq!(c.uid, "00000000-0000-0000-0000-000000000001");
    assert_eq!(l.crm.customer(c.id).await.unwrap(), c);
}

#[tokio::test]
async fn blank_optional_fields_are_stored_as_absent() {
    let l = ledger().await;
    let c = add(&l.crm, &input("张三", Some("  "), Some("\u{3000}"))).await;
    assert_eq!(c.phone, None);
    assert_eq!(c.industry, None);
}

#[tokio::test]
async fn invalid_phone_is_a_field_error_and_writes_nothing() {
    let l = ledger().await;
    let err = l.crm.add_customer(&input("张三", Some("1391234567"), None), false).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Validation);
    assert_eq!(err.fields().get("phone").map(String::as_str), Some("phone_invalid"));
    assert_eq!(total(&l.crm).await, 0);
}

#[tokio::test]
async fn every_field_problem_is_reported_at_once() {
    let l = ledger().await;
    let long_industry = "行".repeat(51);
    let err = l.crm.add_customer(&input(" ", Some("abc"), Some(&long_industry)), false).await.unwrap_err();
    let fields = err.fields();
    assert_eq!(fields.get("name").map(String::as_str), Some("required"));
    assert_eq!(fields.get("phone").map(String::as_str), Some("phone_invalid"));
    assert_eq!(fields.get("industry").map(String::as_str), Some("unknown_industry"));
    assert_eq!(fields.len(), 3);
}

#[tokio::test]
async fn error_serializes_as_code_message_fields() {
    let l = ledger().await;
    let err = l.crm.add_customer(&input("", None, None), false).await.unwrap_err();
    let json = serde_json::to_value(&err).unwrap();
    assert_eq!(json["code"], "VALIDATION");
    assert_eq!(json["fields"]["name"], "required");
    assert!(json["message"].as_str().unwrap().contains("name"));
    let missing = l.crm.customer(42).await.unwrap_err();
    let json = serde_json::to_value(&missing).unwrap();
    assert_eq!(json["code"], "NOT_FOUND");
    assert_eq!(json["fields"], serde_json::json!({}));
}

#[tokio::test]
async fn a_unique_constraint_becomes_a_conflict_on_its_field() {
    let l = ledger().await;
    add(&l.crm, &input("甲", None, None)).await;
    // A second handle whose id source starts over collides on uid.
    let again = Crm::open_with(l.crm.path(), l.clock.clone(), Arc::new(SequentialIds::default())).await.unwrap();
    let err = again.add_customer(&input("乙", None, None), false).await.unwrap_err();
    assert!(matches!(&err, Error::Conflict(_)), "{err:?}");
    assert_eq!(err.fields().get("uid").map(String::as_str), Some("taken"));
    assert_eq!(total(&l.crm).await, 1);
}

#[tokio::test]
async fn keyset_pages_cover_every_customer_once_newest_first() {
    let l = ledger().await;
    for i in 0..250 {
        l.clock.advance(Duration::seconds(1));
        add(&l.crm, &input(&format!("客户{i:03}"), None, None)).await;
    }
    let mut seen = Vec::new();
    let mut query = PageQuery::first(100);
    let mut pages = 0;
    loop {
        let page = l.crm.list_customers(&query).await.unwrap();
        assert_eq!(page.total, Some(250));
        pages += 1;
        seen.extend(page.items.iter().map(|c| c.name.clone()));
        match page.next_cursor {
            Some(cursor) => query.cursor = Some(cursor),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    let expected: Vec<String> = (0..250).rev().map(|i| format!("客户{i:03}")).collect();
    assert_eq!(seen, expected);
}

#[tokio::test]
async fn pages_cover_every_order_exactly_when_many_rows_share_the_sort_value() {
    use yiben::customers::{CustomerFilters, CustomerSort, ListQuery, SortField};
    let l = ledger().await;
    // Groups of seven saved in the same millisecond, as an import saves all its rows; the
    // names repeat too, so every order has long runs of equal values.
    for i in 0..40 {
        if i % 7 == 0 {
            l.clock.advance(Duration::seconds(1));
        }
        let industry = if i % 3 == 0 { Some("制造业") } else { None };
        common::add_anyway(&l.crm, &input(&format!("客户{}", i % 5), None, industry)).await;
    }
    for field in [SortField::Updated, SortField::Created, SortField::Name, SortField::Number] {
        for desc in [true, false] {
            for industry in [vec![], vec!["MFG".to_owned()]] {
                let base = ListQuery {
                    sort: CustomerSort { field, desc },
                    filters: CustomerFilters { industry: industry.clone(), ..Default::default() },
                    ..ListQuery::first(500)
                };
                let all: Vec<i64> = l.crm.list_customers(&base).await.unwrap().items.iter().map(|c| c.id).collect();
                let mut paged = Vec::new();
                let mut query = ListQuery { limit: 4, ..base.clone() };
                loop {
                    let page = l.crm.list_customers(&query).await.unwrap();
                    paged.extend(page.items.iter().map(|c| c.id));
                    match page.next_cursor {
                        Some(cursor) => query.cursor = Some(cursor),
                        None => break,
                    }
                }
                assert_eq!(paged, all, "{field:?} desc={desc} industry={industry:?}");
                assert_eq!(all.len(), if industry.is_empty() { 40 } else { 14 });
            }
        }
    }
}

#[tokio::test]
async fn an_exactly_full_last_page_has_no_next_cursor() {
    let l = ledger().await;
    for i in 0..10 {
        add(&l.crm, &input(&format!("客户{i}"), None, None)).await;
    }
    let page = l.crm.list_customers(&PageQuery::first(10)).await.unwrap();
    assert_eq!(page.items.len(), 10);
    assert_eq!(page.next_cursor, None);
}

#[tokio::test]
async fn page_size_must_be_between_1_and_500() {
    let l = ledger().await;
    for limit in [0, 501] {
        let err = l.crm.list_customers(&PageQuery::first(limit)).await.unwrap_err();
        assert_eq!(err.fields().get("limit").map(String::as_str), Some("out_of_range"), "{limit}");
    }
    assert!(l.crm.list_customers(&PageQuery::first(500)).await.is_ok());
}

#[tokio::test]
async fn bulk_add_is_all_or_nothing() {
    let l = ledger().await;
    let rows = vec![input("甲公司", None, None), input("", None, None), input("丙公司", None, None)];
    let err = l.crm.add_customers(&rows).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Validation);
    assert_eq!(total(&l.crm).await, 0);

    let rows: Vec<_> = (0..9000).map(|i| input(&format!("批量客户{i}"), Some("13800138000"), None)).collect();
    assert_eq!(l.crm.add_customers(&rows).await.unwrap().len(), 9000);
    let page = l.crm.list_customers(&PageQuery::first(1)).await.unwrap();
    assert_eq!(page.total, Some(9000));
    assert_eq!(page.items[0].name, "批量客户8999");
}

#[tokio::test]
async fn data_survives_closing_and_reopening() {
    let l = ledger().await;
    let added = add(&l.crm, &input("持久客户", Some("13700001111"), None)).await;
    let path = l.crm.path().to_path_buf();
    l.crm.close().await;
    let reopened = Crm::open(&path).await.unwrap();
    assert_eq!(reopened.customer(added.id).await.unwrap(), added);
}

#[tokio::test]
async fn a_missing_customer_is_not_found() {
    let l = ledger().await;
    let err = l.crm.customer(7).await.unwrap_err();
    assert!(matches!(err, Error::NotFound { entity: "customer", .. }));
}
