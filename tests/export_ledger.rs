//! The export of a real ledger: it reads each list in one pass with only the chosen columns,
//! so here it is held against the whole profiles (`Crm::customer`) of the same list, in the
//! list's own order, written by the same sheet writer.

mod common;

use std::collections::HashMap;
use std::path::Path;

use calamine::{open_workbook, Data, Reader, Xlsx};
use serde_json::json;
use yiben::TagTarget;
use yiben::custom_fields::{CustomFieldInput, CustomFieldKind};
use yiben::customers::{ContactInput, CustomerInput, CustomerSort, ListQuery, Scope, SortField};
use yiben::export::{Column, CustomerSheet, CustomerWriter, TagsAndScore};
use yiben::Crm;

use common::{add, ledger, Ledger};

fn contact(name: &str, title: &str, phones: &[&str], wechat: Option<&str>, email: Option<&str>, decides: bool) -> ContactInput {
    ContactInput {
        name: name.into(),
        title: Some(title.into()),
        phones: phones.iter().map(|p| p.to_string()).collect(),
        wechat: wechat.map(Into::into),
        email: email.map(Into::into),
        decision_maker: decides,
        ..Default::default()
    }
}

/// Three live customers with every kind of value, one in the recycle bin, two tags.
async fn book(l: &Ledger) -> Vec<i64> {
    let crm = &l.crm;
    let amount = crm
        .create_custom_field(&CustomFieldInput { label: "预计成交金额".into(), kind: CustomFieldKind::Money, options: vec![], in_list: true })
        .await
        .unwrap();
    let due = crm
        .create_custom_field(&CustomFieldInput { label: "合同到期日".into(), kind: CustomFieldKind::Date, options: vec![], in_list: false })
        .await
        .unwrap();
    let needs = crm
        .create_custom_field(&CustomFieldInput {
            label: "关注点".into(),
            kind: CustomFieldKind::Multi,
            options: vec!["价格".into(), "服务".into(), "交期".into()],
            in_list: false,
        })
        .await
        .unwrap();
    let huaxin = add(
        crm,
        &CustomerInput {
            number: Some("2024-MFG-001".into()),
            name: "华信科技有限公司".into(),
            industry: Some("制造业".into()),
            employees: Some("120".into()),
            revenue: Some("5000万".into()),
            region: Some("江苏苏州".into()),
            address: Some("苏州工业园区星湖街328号".into()),
            source: Some("展会".into()),
            first_contact: Some("2024年3月1日".into()),
            owner: Some("王芳".into()),
            grade: Some("A".into()),
            stage: Some("方案提交".into()),
            needs: Some("设备采购，预算50万".into()),
            notes: Some("=竞品报价更低".into()),
            phone: Some("0512-66881234".into()),
            email: Some("Info@HuaXin.cn".into()),
            // The second contact is listed first on purpose: the sheet keeps the saved order.
            contacts: vec![
                contact("张伟", "总经理", &["139 1234 5678", "010-12345678"], Some("zhangwei88"), Some("zw@huaxin.cn"), true),
                contact("李娜", "采购", &["13800001111"], None, None, false),
                contact("赵强", "", &[], Some("zq_2024"), None, false),
            ],
            custom: [
                (amount.key.clone(), json!("30万")),
                (due.key.clone(), json!("2025-06-30")),
                (needs.key.clone(), json!(["价格", "交期"])),
            ]
            .into_iter()
            .collect(),
            ..Default::default()
        },
    )
    .await;
    let person = add(
        crm,
        &CustomerInput {
            kind: Some(yiben::customers::CustomerKind::Person),
            name: "陈先生".into(),
            phone: Some("+86 137-0000-2222".into()),
            ..Default::default()
        },
    )
    .await;
    l.clock.advance(chrono::Duration::minutes(5));
    let shop = add(crm, &CustomerInput { name: "万家超市".into(), industry: Some("零售业".into()), owner: Some("王芳".into()), ..Default::default() }).await;
    let gone = add(crm, &CustomerInput { name: "已删除公司".into(), ..Default::default() }).await;
    crm.delete_customer(gone.id).await.unwrap();

    let tag = |name: &str| {
        let name = name.to_owned();
        async move { crm.tags().await.unwrap().into_iter().find(|t| t.name == name).unwrap().id }
    };
    let (decides, valuable) = (tag("决策人").await, tag("高价值客户").await);
    // Added in the reverse of the tags' own order.
    crm.tag_customers(&TagTarget::Selection { ids: vec![huaxin.id] }, &[decides], &[]).await.unwrap();
    crm.tag_customers(&TagTarget::Selection { ids: vec![huaxin.id, shop.id] }, &[valuable], &[]).await.unwrap();
    vec![huaxin.id, person.id, shop.id, gone.id]
}

fn grid(path: &Path) -> Vec<Vec<Data>> {
    let mut book: Xlsx<_> = open_workbook(path).unwrap();
    book.worksheet_range_at(0).unwrap().unwrap().rows().map(|r| r.to_vec()).collect()
}

/// The same list written from whole profiles, page by page, as the export did before.
async fn from_profiles(crm: &Crm, query: &ListQuery, columns: &[Column], mask: bool, path: &Path) {
    let fields = crm.custom_fields().await.unwrap();
    let tags = crm.tags().await.unwrap();
    let sheet = CustomerSheet { columns, fields: &fields, zone: crm.zone(), mask };
    let mut writer = CustomerWriter::create(path, sheet).unwrap();
    let mut page_query = ListQuery { limit: 2, cursor: None, ..query.clone() };
    loop {
        let page = crm.list_customers(&page_query).await.unwrap();
        let mut customers = Vec::new();
        let mut extra = HashMap::new();
        for row in &page.items {
            customers.push(crm.customer(row.id).await.unwrap());
            let names = tags.iter().filter(|t| row.tag_ids.contains(&t.id)).map(|t| t.name.clone()).collect();
            extra.insert(row.id, TagsAndScore { tags: names, score: row.value_score });
        }
        writer.write(&customers, &extra).unwrap();
        match page.next_cursor {
            Some(next) => page_query.cursor = Some(next),
            None => break,
        }
    }
    writer.finish().unwrap();
}

#[tokio::test]
async fn every_column_of_every_listed_customer_as_the_whole_profile_has_it() {
    let l = ledger().await;
    book(&l).await;
    let dir = tempfile::tempdir().unwrap();
    let columns = Column::all(&l.crm.custom_fields().await.unwrap());
    for (query, mask) in [
        (ListQuery { limit: 100, ..Default::default() }, false),
        (ListQuery { limit: 100, ..Default::default() }, true),
        (ListQuery { limit: 100, sort: CustomerSort { field: SortField::Name, desc: false }, ..Default::default() }, false),
        (ListQuery { limit: 100, search: Some("王芳".into()), ..Default::default() }, false),
        (ListQuery { limit: 100, filter: Some("tag:高价值客户".into()), ..Default::default() }, false),
        (ListQuery { limit: 100, scope: Scope::Deleted, ..Default::default() }, false),
    ] {
        let ours = dir.path().join("ours.xlsx");
        let theirs = dir.path().join("profiles.xlsx");
        let rows = l.crm.export_customers(&query, &columns, mask, &ours).await.unwrap();
        from_profiles(&l.crm, &query, &columns, mask, &theirs).await;
        let (ours, theirs) = (grid(&ours), grid(&theirs));
        assert_eq!(rows as usize, ours.len() - 1, "{query:?}");
        assert_eq!(ours, theirs, "{query:?} masked: {mask}");
    }
}

#[tokio::test]
async fn the_cells_read_from_the_ledger() {
    let l = ledger().await;
    book(&l).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("导出.xlsx");
    let columns = Column::parse_list("name,contact_name,contact_title,contact_phones,contact_wechat,tags,cf_1,cf_3,所属行业")
        .unwrap();
    let query = ListQuery { limit: 1, sort: CustomerSort { field: SortField::Name, desc: false }, ..Default::default() };
    assert_eq!(l.crm.export_customers(&query, &columns, false, &file).await.unwrap(), 3, "live customers only, past the limit");
    let rows = grid(&file);
    let names: Vec<&Data> = rows.iter().skip(1).map(|r| &r[0]).collect();
    // The list's order by name (its normalized key).
    assert_eq!(names, [&Data::String("万家超市".into()), &Data::String("华信科技有限公司".into()), &Data::String("陈先生".into())]);
    let text = |s: &str| Data::String(s.into());
    assert_eq!(
        rows[2],
        [
            text("华信科技有限公司"),
            text("张伟；李娜；赵强"),
            text("总经理；采购；"),
            text("13912345678、010-12345678；13800001111；"),
            text("zhangwei88；；zq_2024"),
            text("高价值客户、决策人"),
            Data::Float(300000.0),
            text("价格、交期"),
            text("制造业"),
        ]
    );
    // A customer without contacts, tags or custom values has those cells empty.
    assert!(rows[3][1..9].iter().all(|c| *c == Data::Empty), "{:?}", rows[3]);
}

#[tokio::test]
async fn a_failed_write_leaves_no_file_and_the_ledger_usable() {
    let l = ledger().await;
    book(&l).await;
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no such folder").join("导出.xlsx");
    let err = l.crm.export_customers(&ListQuery::first(100), &Column::default_set(), false, &missing).await.unwrap_err();
    assert!(matches!(err, yiben::Error::Io(_)), "{err:?}");
    assert!(!missing.exists());
    // A filter the parser refuses is a field error, and nothing is written either.
    let file = dir.path().join("导出.xlsx");
    let bad = ListQuery { limit: 100, filter: Some("tag:".into()), ..Default::default() };
    assert!(l.crm.export_customers(&bad, &Column::default_set(), false, &file).await.is_err());
    assert!(!file.exists());
    let ok = l.crm.export_customers(&ListQuery::first(100), &Column::default_set(), false, &file).await.unwrap();
    assert_eq!(ok, 3);
}
