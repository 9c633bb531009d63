//! Quick search: names, numbers, phone fragments, contacts, e-mails, pinyin and initials.

mod common;

use common::{add, contact, input, ledger};
use yiben::customers::{CustomerFilters, CustomerInput, CustomerSort, ListQuery, SortField};
use yiben::Crm;

async fn found(crm: &Crm, text: &str) -> Vec<String> {
    let q = ListQuery { search: Some(text.into()), sort: CustomerSort { field: SortField::Name, desc: false }, ..ListQuery::first(50) };
    let page = crm.list_customers(&q).await.unwrap();
    assert_eq!(page.total, Some(page.items.len() as i64));
    page.items.into_iter().map(|c| c.name).collect()
}

async fn seeded() -> common::Ledger {
    let l = ledger().await;
    add(&l.crm, &CustomerInput { kind: Some(yiben::customers::CustomerKind::Person), ..input("张三", Some("13912345678"), None) }).await;
    add(
        &l.crm,
        &CustomerInput {
            email: Some("info@huaxin.com".into()),
            contacts: vec![yiben::customers::ContactInput { wechat: Some("lixxx".into()), ..contact("李四", &["0755-86001234"]) }],
            ..input("华信科技有限公司", None, Some("MFG"))
        },
    )
    .await;
    add(&l.crm, &input("深圳恒达精密制造有限公司", Some("13800138000"), Some("MFG"))).await;
    add(&l.crm, &input("ABC Trading 50%_off", None, None)).await;
    l
}

#[tokio::test]
async fn pinyin_full_and_initials() {
    let l = seeded().await;
    assert_eq!(found(&l.crm, "zhang").await, ["张三"]);
    assert_eq!(found(&l.crm, "zs").await, ["张三"]);
    assert_eq!(found(&l.crm, "ZhangSan").await, ["张三"]);
    assert_eq!(found(&l.crm, "hxkj").await, ["华信科技有限公司"]);
    assert_eq!(found(&l.crm, "huaxin").await, ["华信科技有限公司"]);
    // A contact's name in pinyin finds the customer.
    assert_eq!(found(&l.crm, "lisi").await, ["华信科技有限公司"]);
}

#[tokio::test]
async fn one_and_two_character_chinese_queries() {
    let l = seeded().await;
    assert_eq!(found(&l.crm, "华信").await, ["华信科技有限公司"]);
    assert_eq!(found(&l.crm, "张").await, ["张三"]);
    assert_eq!(found(&l.crm, "有限").await, ["华信科技有限公司", "深圳恒达精密制造有限公司"]);
    assert!(found(&l.crm, "龘").await.is_empty());
}

#[tokio::test]
async fn phones_by_any_fragment_numbers_emails_contacts_wechat() {
    let l = seeded().await;
    assert_eq!(found(&l.crm, "1234").await, ["华信科技有限公司", "张三"]);
    assert_eq!(found(&l.crm, "5678").await, ["张三"]);
    assert_eq!(found(&l.crm, "139 1234").await, Vec::<String>::new(), "a space is not in a stored number");
    assert_eq!(found(&l.crm, "86001234").await, ["华信科技有限公司"]);
    assert_eq!(found(&l.crm, "075586001234").await, ["华信科技有限公司"], "landline without its dash");
    assert_eq!(found(&l.crm, "2026-MFG-002").await, ["深圳恒达精密制造有限公司"]);
    assert_eq!(found(&l.crm, "INFO@HUAXIN").await, ["华信科技有限公司"]);
    assert_eq!(found(&l.crm, "李四").await, ["华信科技有限公司"]);
    assert_eq!(found(&l.crm, "lixxx").await, ["华信科技有限公司"]);
}

#[tokio::test]
async fn typed_wildcards_and_quotes_are_literal() {
    let l = seeded().await;
    assert_eq!(found(&l.crm, "%_").await, ["ABC Trading 50%_off"]);
    assert!(found(&l.crm, "%").await.len() == 1);
    assert!(found(&l.crm, "\"ab").await.is_empty());
    assert_eq!(found(&l.crm, "50%").await, ["ABC Trading 50%_off"]);
}

#[tokio::test]
async fn the_index_follows_every_write() {
    let l = seeded().await;
    let c = add(&l.crm, &input("启明软件", None, None)).await;
    assert_eq!(found(&l.crm, "启明").await, ["启明软件"]);
    let mut edit = c.to_input();
    edit.name = "远航软件".into();
    l.crm.update_customer(c.id, &edit, false).await.unwrap().saved().unwrap();
    assert!(found(&l.crm, "启明").await.is_empty());
    assert_eq!(found(&l.crm, "yhrj").await, ["远航软件"]);
    l.crm.delete_customer(c.id).await.unwrap();
    assert!(found(&l.crm, "远航").await.is_empty());
    l.crm.restore_customer(c.id).await.unwrap();
    assert_eq!(found(&l.crm, "远航").await, ["远航软件"]);
}

#[tokio::test]
async fn search_combines_with_filters_sorting_and_paging() {
    let l = ledger().await;
    for i in 0..30 {
        let industry = if i % 3 == 0 { "MFG" } else { "ITC" };
        add(&l.crm, &CustomerInput { owner: Some(format!("经理{}", i % 2)), ..input(&format!("测试客户{i:02}"), None, Some(industry)) }).await;
    }
    let mut q = ListQuery {
        search: Some("测试客户".into()),
        filters: CustomerFilters { industry: vec!["MFG".into()], owner: Some("经理0".into()), ..Default::default() },
        sort: CustomerSort { field: SortField::Name, desc: false },
        ..ListQuery::first(2)
    };
    let mut names = Vec::new();
    loop {
        let page = l.crm.list_customers(&q).await.unwrap();
        assert_eq!(page.total, Some(5));
        names.extend(page.items.into_iter().map(|c| c.name));
        match page.next_cursor {
            Some(next) => q.cursor = Some(next),
            None => break,
        }
    }
    assert_eq!(names, ["测试客户00", "测试客户06", "测试客户12", "测试客户18", "测试客户24"]);
    q.cursor = Some("not json".into());
    let err = l.crm.list_customers(&q).await.unwrap_err();
    assert_eq!(err.fields().get("cursor").map(String::as_str), Some("cursor_invalid"));
}

#[tokio::test]
async fn every_sort_field_pages_in_both_directions() {
    let l = ledger().await;
    for name in ["丙", "甲", "乙", "丁"] {
        l.clock.advance(chrono::Duration::seconds(1));
        add(&l.crm, &input(name, None, None)).await;
    }
    for field in [SortField::Updated, SortField::Created, SortField::Name, SortField::Number] {
        for desc in [true, false] {
            let mut q = ListQuery { sort: CustomerSort { field, desc }, ..ListQuery::first(1) };
            let mut paged = Vec::new();
            loop {
                let page = l.crm.list_customers(&q).await.unwrap();
                paged.extend(page.items.into_iter().map(|c| c.name));
                match page.next_cursor {
                    Some(next) => q.cursor = Some(next),
                    None => break,
                }
            }
            let whole: Vec<String> = l
                .crm
                .list_customers(&ListQuery { sort: CustomerSort { field, desc }, ..ListQuery::first(10) })
                .await
                .unwrap()
                .items
                .into_iter()
                .map(|c| c.name)
                .collect();
            assert_eq!(paged, whole, "{field:?} desc={desc}");
            assert_eq!(paged.len(), 4);
        }
    }
}

/// A search with few matches sorts them; one with many walks the sort index (above 2000). Both
/// must give the same rows in the same order, page after page, in either direction.
#[tokio::test]
async fn few_and_many_matches_page_alike() {
    let l = ledger().await;
    let names: Vec<CustomerInput> = (0..2300).map(|i| input(&format!("恒达精密{i:04}"), None, None)).collect();
    l.crm.add_customers(&names).await.unwrap();
    for (text, expected) in [
        // 2300 matches: the walk.
        ("恒达精", (0..2300).collect::<Vec<_>>()),
        // 恒达精密1000 … 恒达精密1099: 100 matches, sorted.
        ("精密10", (1000..1100).collect()),
    ] {
        for desc in [false, true] {
            let mut want: Vec<String> = expected.iter().map(|i| format!("恒达精密{i:04}")).collect();
            if desc {
                want.reverse();
            }
            let mut got = Vec::new();
            let mut q = ListQuery {
                search: Some(text.into()),
                sort: CustomerSort { field: SortField::Name, desc },
                with_total: true,
                ..ListQuery::first(70)
            };
            loop {
                let page = l.crm.list_customers(&q).await.unwrap();
                assert_eq!(page.total, Some(want.len() as i64), "{text}");
                got.extend(page.items.into_iter().map(|c| c.name));
                match page.next_cursor {
                    Some(cursor) => q.cursor = Some(cursor),
                    None => break,
                }
            }
            assert_eq!(got, want, "{text}, desc {desc}");
        }
    }
}
