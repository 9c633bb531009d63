//! The 360° profile: every field, contacts, custom fields, numbers, industries, history.

mod common;

use std::collections::BTreeMap;

use chrono::{TimeZone, Utc};
use common::{add, contact, input, ledger};
use serde_json::{json, Value};
use yiben::custom_fields::{CustomFieldInput, CustomFieldKind};
use yiben::customers::history::HistoryAction;
use yiben::customers::{CustomerInput, CustomerKind};
use yiben::industries::Industry;
use yiben::{ErrorCode, SaveOutcome};

fn field(label: &str, kind: CustomFieldKind, options: &[&str]) -> CustomFieldInput {
    CustomFieldInput { label: label.into(), kind, options: options.iter().map(|o| o.to_string()).collect(), in_list: true }
}

fn full_profile() -> CustomerInput {
    CustomerInput {
        kind: Some(CustomerKind::Org),
        name: "华信科技有限公司".into(),
        industry: Some("制造业".into()),
        employees: Some("200人".into()),
        revenue: Some("5000万".into()),
        region: Some("广东 深圳".into()),
        address: Some("深圳市南山区科技园".into()),
        source: Some("行业展会".into()),
        first_contact: Some("2024年3月1日".into()),
        owner: Some("王经理".into()),
        grade: Some("潜力客户".into()),
        stage: Some("意向客户".into()),
        needs: Some("需支持移动端操作，价格控制在30万内".into()),
        notes: Some("竞争对手为A公司，预算30万，决策周期约1个月".into()),
        phone: Some("0755-86001234".into()),
        email: Some("Info@HuaXin.com".into()),
        contacts: vec![
            yiben::customers::ContactInput {
                title: Some("总经理".into()),
                email: Some("li@huaxin.com".into()),
                wechat: Some("lixxx".into()),
                decision_maker: true,
                role: Some("拍板".into()),
                ..contact("李总", &["+86 139-1234-5678", "0755-86001235转8"])
            },
            yiben::customers::ContactInput { title: Some("采购".into()), ..contact("王五", &["13800138000"]) },
        ],
        ..Default::default()
    }
}

#[tokio::test]
async fn a_full_profile_round_trips_with_contacts_and_generated_number() {
    let l = ledger().await;
    let c = add(&l.crm, &full_profile()).await;
    assert_eq!(c.number.as_deref(), Some("2026-MFG-001"));
    assert_eq!(c.industry_code.as_deref(), Some("MFG"));
    assert_eq!(c.industry.as_deref(), Some("制造业"));
    assert_eq!(c.employees, Some(200));
    assert_eq!(c.revenue_fen, Some(5_000_000_000));
    assert_eq!(c.first_contact.as_deref(), Some("2024-03-01"));
    assert_eq!(c.phone.as_deref(), Some("0755-86001234"));
    assert_eq!(c.email.as_deref(), Some("info@huaxin.com"));
    assert_eq!(c.contacts.len(), 2);
    assert_eq!(c.contacts[0].name, "李总");
    assert_eq!(c.contacts[0].phones, ["13912345678", "0755-86001235-8"]);
    assert!(c.contacts[0].decision_maker);
    assert_eq!(c.contacts[0].role.as_deref(), Some("拍板"));
    assert_eq!(c.contacts[1].phones, ["13800138000"]);
    // Saving the profile unchanged is a no-op: to_input is the exact inverse.
    let again = l.crm.update_customer(c.id, &c.to_input(), false).await.unwrap().saved().unwrap();
    assert_eq!(again.contacts, c.contacts);
    assert_eq!(again.revenue_fen, c.revenue_fen);
    let history = l.crm.customer_history(c.id).await.unwrap();
    assert_eq!(history.len(), 1, "only the creation: {history:?}");
    assert_eq!(history[0].action, HistoryAction::Create);
}

#[tokio::test]
async fn numbers_count_up_per_year_and_industry() {
    let l = ledger().await;
    let n = |c: yiben::customers::Customer| c.number.unwrap();
    assert_eq!(n(add(&l.crm, &input("甲", None, Some("MFG"))).await), "2026-MFG-001");
    assert_eq!(n(add(&l.crm, &input("乙", None, Some("mfg"))).await), "2026-MFG-002");
    assert_eq!(n(add(&l.crm, &input("丙", None, Some("互联网"))).await), "2026-ITC-001");
    assert_eq!(n(add(&l.crm, &input("丁", None, None)).await), "2026-GEN-001");
    let explicit = CustomerInput { number: Some(" 2026-mfg-010 ".into()), ..input("戊", None, Some("MFG")) };
    assert_eq!(n(add(&l.crm, &explicit).await), "2026-MFG-010");
    assert_eq!(n(add(&l.crm, &input("己", None, Some("MFG"))).await), "2026-MFG-011");
    // Bulk adds continue the same sequences.
    let ids = l.crm.add_customers(&[input("庚", None, Some("MFG")), input("辛", None, Some("MFG"))]).await.unwrap();
    assert_eq!(l.crm.customer(ids[1]).await.unwrap().number.as_deref(), Some("2026-MFG-013"));
}

#[tokio::test]
async fn the_number_year_is_the_users_local_year() {
    let l = ledger().await;
    // 2025-12-31 16:30 UTC is already 2026-01-01 00:30 in Beijing.
    l.clock.set(Utc.with_ymd_and_hms(2025, 12, 31, 16, 30, 0).unwrap());
    assert_eq!(add(&l.crm, &input("元旦客户", None, None)).await.number.as_deref(), Some("2026-GEN-001"));
}

#[tokio::test]
async fn an_explicit_number_already_used_is_a_duplicate_then_a_conflict() {
    let l = ledger().await;
    add(&l.crm, &CustomerInput { number: Some("A-1".into()), ..input("甲", None, None) }).await;
    let second = CustomerInput { number: Some("a-1".into()), ..input("乙", None, None) };
    match l.crm.add_customer(&second, false).await.unwrap() {
        SaveOutcome::Duplicates { matches } => assert_eq!(matches[0].customer.name, "甲"),
        other => panic!("expected duplicates, got {other:?}"),
    }
    let err = l.crm.add_customer(&second, true).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Conflict);
    assert_eq!(err.fields().get("number").map(String::as_str), Some("taken"));
}

#[tokio::test]
async fn field_errors_name_the_exact_field_including_contacts() {
    let l = ledger().await;
    let bad = CustomerInput {
        email: Some("not-an-email".into()),
        phone: Some("010-123".into()),
        employees: Some("很多".into()),
        revenue: Some("一些钱".into()),
        first_contact: Some("2024-13-45".into()),
        industry: Some("航天".into()),
        contacts: vec![
            contact("张三", &["13912345678", "12345"]),
            yiben::customers::ContactInput { title: Some("采购".into()), ..Default::default() },
            yiben::customers::ContactInput::default(),
        ],
        ..input("华信", None, None)
    };
    let err = l.crm.add_customer(&bad, false).await.unwrap_err();
    let fields = err.fields();
    let expected: BTreeMap<String, String> = [
        ("email", "email_invalid"),
        ("phone", "phone_invalid"),
        ("employees", "number_invalid"),
        ("revenue", "amount_invalid"),
        ("firstContact", "date_invalid"),
        ("industry", "unknown_industry"),
        ("contacts.0.phones.1", "phone_invalid"),
        ("contacts.1.name", "required"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    assert_eq!(fields, expected);
    assert_eq!(common::total(&l.crm).await, 0);
}

#[tokio::test]
async fn custom_fields_of_every_kind_parse_store_and_reject() {
    let l = ledger().await;
    let channel = l.crm.create_custom_field(&field("客户所属渠道", CustomFieldKind::Single, &["线上", "线下"])).await.unwrap();
    let amount = l.crm.create_custom_field(&field("预计成交金额", CustomFieldKind::Money, &[])).await.unwrap();
    let date = l.crm.create_custom_field(&field("合同到期日", CustomFieldKind::Date, &[])).await.unwrap();
    let seats = l.crm.create_custom_field(&field("席位数", CustomFieldKind::Number, &[])).await.unwrap();
    let focus = l.crm.create_custom_field(&field("关注功能", CustomFieldKind::Multi, &["报表", "移动端", "审批"])).await.unwrap();
    let maker = l.crm.create_custom_field(&field("决策人姓名", CustomFieldKind::Text, &[])).await.unwrap();
    assert_eq!(channel.key, "cf_1");
    assert_eq!(maker.key, "cf_6");

    let mut custom = BTreeMap::new();
    custom.insert(channel.key.clone(), json!("线上"));
    custom.insert(amount.key.clone(), json!("30万"));
    custom.insert(date.key.clone(), json!("2025/6/30"));
    custom.insert(seats.key.clone(), json!("1,200"));
    custom.insert(focus.key.clone(), json!(["报表", "移动端"]));
    custom.insert(maker.key.clone(), json!("李总"));
    let c = add(&l.crm, &CustomerInput { custom, ..input("华信", None, None) }).await;
    assert_eq!(c.custom[&channel.key], json!("线上"));
    assert_eq!(c.custom[&amount.key], json!(30_000_000));
    assert_eq!(c.custom[&date.key], json!("2025-06-30"));
    assert_eq!(c.custom[&seats.key], json!(1200.0));
    assert_eq!(c.custom[&focus.key], json!(["报表", "移动端"]));
    assert_eq!(c.custom[&maker.key], json!("李总"));

    let mut bad = BTreeMap::new();
    bad.insert(channel.key.clone(), json!("电话"));
    bad.insert(focus.key.clone(), json!("报表、无此项"));
    bad.insert(seats.key.clone(), json!("很多"));
    bad.insert("cf_99".to_owned(), json!("x"));
    let err = l.crm.add_customer(&CustomerInput { custom: bad, ..input("乙", None, None) }, false).await.unwrap_err();
    let fields = err.fields();
    assert_eq!(fields["custom.cf_1"], "option_invalid");
    assert_eq!(fields["custom.cf_5"], "option_invalid");
    assert_eq!(fields["custom.cf_4"], "number_invalid");
    assert_eq!(fields["custom.cf_99"], "unknown_field");

    // A list filter on a custom field, single and multiple choice.
    let mut q = yiben::customers::ListQuery::first(10);
    q.filters.custom.insert(channel.key.clone(), "线上".into());
    assert_eq!(l.crm.list_customers(&q).await.unwrap().total, Some(1));
    q.filters.custom.insert(focus.key.clone(), "移动端".into());
    assert_eq!(l.crm.list_customers(&q).await.unwrap().total, Some(1));
    q.filters.custom.insert(focus.key.clone(), "审批".into());
    assert_eq!(l.crm.list_customers(&q).await.unwrap().total, Some(0));
}

#[tokio::test]
async fn custom_field_definitions_are_validated() {
    let l = ledger().await;
    let err = l.crm.create_custom_field(&field("", CustomFieldKind::Single, &[])).await.unwrap_err();
    assert_eq!(err.fields().get("label").map(String::as_str), Some("required"));
    assert_eq!(err.fields().get("options").map(String::as_str), Some("required"));
    let f = l.crm.create_custom_field(&field("渠道", CustomFieldKind::Single, &["A", " A ", "B"])).await.unwrap();
    assert_eq!(f.options, ["A", "B"]);
    let dup = l.crm.create_custom_field(&field("渠道", CustomFieldKind::Text, &[])).await.unwrap_err();
    assert_eq!(dup.fields().get("label").map(String::as_str), Some("taken"));
    let kind_change = l.crm.update_custom_field(f.id, &field("渠道", CustomFieldKind::Text, &[])).await.unwrap_err();
    assert_eq!(kind_change.fields().get("kind").map(String::as_str), Some("immutable"));
    let renamed = l.crm.update_custom_field(f.id, &field("客户渠道", CustomFieldKind::Single, &["A", "B", "C"])).await.unwrap();
    assert_eq!((renamed.label.as_str(), renamed.key.as_str(), renamed.options.len()), ("客户渠道", "cf_1", 3));
}

#[tokio::test]
async fn industries_are_managed_and_protected_while_used() {
    let l = ledger().await;
    let list = l.crm.industries().await.unwrap();
    assert!(list.iter().any(|i| i.code == "MFG" && i.name == "制造业"));
    let saved = l.crm.save_industry(&Industry { code: "aer".into(), name: "航空航天".into(), position: 20 }).await.unwrap();
    assert_eq!(saved.code, "AER");
    let c = add(&l.crm, &input("航天客户", None, Some("航空航天"))).await;
    assert_eq!(c.number.as_deref(), Some("2026-AER-001"));
    let err = l.crm.delete_industry("AER").await.unwrap_err();
    assert_eq!(err.fields().get("code").map(String::as_str), Some("in_use"));
    let bad = l.crm.save_industry(&Industry { code: "X".into(), name: "".into(), position: 1 }).await.unwrap_err();
    assert_eq!(bad.fields().get("code").map(String::as_str), Some("code_invalid"));
    assert_eq!(bad.fields().get("name").map(String::as_str), Some("required"));
    l.crm.save_industry(&Industry { code: "TMP".into(), name: "临时".into(), position: 30 }).await.unwrap();
    l.crm.delete_industry("TMP").await.unwrap();
    assert!(l.crm.industries().await.unwrap().iter().all(|i| i.code != "TMP"));
}

#[tokio::test]
async fn editing_records_each_changed_field_and_keeps_contact_ids() {
    let l = ledger().await;
    let c = add(&l.crm, &full_profile()).await;
    l.clock.advance(chrono::Duration::minutes(5));
    let mut edit = c.to_input();
    edit.owner = Some("李经理".into());
    edit.region = None;
    edit.contacts[1].phones.push("13800138001".into());
    edit.contacts.remove(0);
    let after = l.crm.update_customer(c.id, &edit, false).await.unwrap().saved().unwrap();
    assert_eq!(after.contacts.len(), 1);
    assert_eq!(after.contacts[0].id, c.contacts[1].id, "the edited contact keeps its id");
    assert_eq!(after.updated_at, c.updated_at + chrono::Duration::minutes(5));
    let history = l.crm.customer_history(c.id).await.unwrap();
    let changes: Vec<(String, Option<String>, Option<String>)> = history
        .iter()
        .filter(|h| h.action == HistoryAction::Update)
        .map(|h| (h.field.clone().unwrap(), h.old_value.clone(), h.new_value.clone()))
        .collect();
    assert!(changes.contains(&("owner".into(), Some("王经理".into()), Some("李经理".into()))), "{changes:?}");
    assert!(changes.contains(&("region".into(), Some("广东 深圳".into()), None)), "{changes:?}");
    assert!(changes.iter().any(|(f, _, new)| f == "contacts" && new.as_deref() == Some("王五 采购 13800138000 13800138001")));
    assert_eq!(changes.len(), 3, "{changes:?}");
    let _: Value = serde_json::to_value(&history).unwrap();
}
