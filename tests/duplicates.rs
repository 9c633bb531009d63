//! Duplicate detection on create and edit, and merging.

mod common;

use std::collections::BTreeMap;

use common::{add, add_anyway, contact, input, ledger, total};
use yiben::customers::duplicates::MatchKind;
use yiben::customers::merge::MergeSide;
use yiben::customers::{CustomerInput, ListQuery, Scope};
use yiben::SaveOutcome;

fn kinds(outcome: &SaveOutcome) -> Vec<(String, Vec<MatchKind>)> {
    match outcome {
        SaveOutcome::Duplicates { matches } => {
            matches.iter().map(|m| (m.customer.name.clone(), m.reasons.iter().map(|r| r.kind).collect())).collect()
        }
        SaveOutcome::Saved { customer } => panic!("saved {customer:?}, expected duplicates"),
    }
}

#[tokio::test]
async fn phone_email_name_and_number_are_duplicates_in_any_typing() {
    let l = ledger().await;
    let existing = CustomerInput {
        email: Some("Sales@HuaXin.com".into()),
        contacts: vec![contact("李总", &["13912345678"])],
        ..input("华信科技有限公司", None, None)
    };
    add(&l.crm, &existing).await;

    let by_phone = input("别的名字", Some("+86 139 1234 5678"), None);
    assert_eq!(kinds(&l.crm.add_customer(&by_phone, false).await.unwrap()), [("华信科技有限公司".into(), vec![MatchKind::Phone])]);

    let by_contact_email = CustomerInput {
        contacts: vec![yiben::customers::ContactInput { email: Some("sales@huaxin.COM".into()), ..contact("某人", &[]) }],
        ..input("另一家", None, None)
    };
    assert_eq!(kinds(&l.crm.add_customer(&by_contact_email, false).await.unwrap())[0].1, [MatchKind::Email]);

    let by_name = input("  华信科技有限公司\u{3000}", None, None);
    assert_eq!(kinds(&l.crm.add_customer(&by_name, false).await.unwrap())[0].1, [MatchKind::Name]);

    let full_width = input("ＡＢＣ Trading", None, None);
    add(&l.crm, &input("abc trading", None, None)).await;
    assert_eq!(kinds(&l.crm.add_customer(&full_width, false).await.unwrap())[0].1, [MatchKind::Name]);

    // Nothing was written by the refused attempts.
    assert_eq!(total(&l.crm).await, 2);
}

#[tokio::test]
async fn a_name_without_its_company_suffix_is_only_a_possible_duplicate() {
    let l = ledger().await;
    add(&l.crm, &input("华信科技有限公司", None, None)).await;
    match l.crm.add_customer(&input("华信科技（集团）股份有限公司", None, None), false).await.unwrap() {
        SaveOutcome::Duplicates { matches } => {
            assert_eq!(matches.len(), 1);
            assert!(!matches[0].certain);
            assert_eq!(matches[0].reasons[0].kind, MatchKind::SimilarName);
            assert_eq!(matches[0].reasons[0].value, "华信科技");
        }
        other => panic!("{other:?}"),
    }
    // Keep both.
    let kept = add_anyway(&l.crm, &input("华信科技（集团）股份有限公司", None, None)).await;
    assert_eq!(kept.name, "华信科技（集团）股份有限公司");
    assert_eq!(total(&l.crm).await, 2);
}

#[tokio::test]
async fn deleted_customers_are_not_duplicates() {
    let l = ledger().await;
    let gone = add(&l.crm, &input("旧客户", Some("13912345678"), None)).await;
    l.crm.delete_customer(gone.id).await.unwrap();
    add(&l.crm, &input("旧客户", Some("13912345678"), None)).await;
}

#[tokio::test]
async fn editing_checks_only_what_is_new_to_the_record() {
    let l = ledger().await;
    let a = add(&l.crm, &input("甲公司", Some("13912345678"), None)).await;
    let b = add_anyway(&l.crm, &input("甲公司", Some("13800138000"), None)).await;
    // b already shares a's name: editing b's notes is not blocked by that.
    let mut edit = b.to_input();
    edit.notes = Some("只改备注".into());
    assert!(matches!(l.crm.update_customer(b.id, &edit, false).await.unwrap(), SaveOutcome::Saved { .. }));
    // Taking a's phone is new, and is.
    edit.phone = Some("139-1234-5678".into());
    let outcome = l.crm.update_customer(b.id, &edit, false).await.unwrap();
    assert_eq!(kinds(&outcome), [("甲公司".into(), vec![MatchKind::Phone, MatchKind::Name])]);
    assert_eq!(l.crm.customer(b.id).await.unwrap().phone.as_deref(), Some("13800138000"), "nothing saved");
    let _ = a;
}

#[tokio::test]
async fn merge_fills_empty_fields_asks_for_conflicts_moves_contacts_and_keeps_the_absorbed_in_history() {
    let l = ledger().await;
    let survivor = add(
        &l.crm,
        &CustomerInput {
            owner: Some("王经理".into()),
            contacts: vec![contact("李总", &["13912345678"])],
            ..input("华信科技有限公司", Some("0755-86001234"), Some("MFG"))
        },
    )
    .await;
    let absorbed = add_anyway(
        &l.crm,
        &CustomerInput {
            owner: Some("陈经理".into()),
            region: Some("深圳".into()),
            email: Some("info@huaxin.com".into()),
            contacts: vec![contact("赵工", &["13700001111"])],
            ..input("华信科技", Some("0755-86009999"), Some("MFG"))
        },
    )
    .await;

    let preview = l.crm.merge_preview(survivor.id, absorbed.id).await.unwrap();
    let conflicts: Vec<&str> = preview.conflicts.iter().map(|c| c.field.as_str()).collect();
    assert_eq!(conflicts, ["number", "name", "owner", "phone"]);
    assert_eq!(preview.filled, ["region", "email"]);

    let choices = BTreeMap::from([("owner".to_owned(), MergeSide::Absorbed)]);
    let merged = l.crm.merge_customers(survivor.id, absorbed.id, &choices).await.unwrap();
    assert_eq!(merged.name, "华信科技有限公司");
    assert_eq!(merged.number, survivor.number);
    assert_eq!(merged.owner.as_deref(), Some("陈经理"), "chosen from the absorbed record");
    assert_eq!(merged.phone.as_deref(), Some("0755-86001234"), "conflict kept the survivor's value");
    assert_eq!(merged.region.as_deref(), Some("深圳"), "empty field filled");
    assert_eq!(merged.email.as_deref(), Some("info@huaxin.com"));
    let names: Vec<&str> = merged.contacts.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["李总", "赵工"]);

    let gone = l.crm.customer(absorbed.id).await.unwrap();
    assert_eq!(gone.merged_into, Some(survivor.id));
    assert!(gone.deleted_at.is_some());
    assert_eq!(total(&l.crm).await, 1);
    let bin = l.crm.list_customers(&ListQuery { scope: Scope::Deleted, ..ListQuery::first(10) }).await.unwrap();
    assert_eq!(bin.total, Some(0), "a merged-away record is history, not rubbish");

    // The moved contact's phone now finds the survivor.
    let dup = l.crm.add_customer(&input("新客户", Some("13700001111"), None), false).await.unwrap();
    assert_eq!(kinds(&dup), [("华信科技有限公司".into(), vec![MatchKind::Phone])]);
    let search = l.crm.list_customers(&ListQuery { search: Some("赵工".into()), ..ListQuery::first(10) }).await.unwrap();
    assert_eq!(search.items.iter().map(|c| c.id).collect::<Vec<_>>(), [survivor.id]);

    let history = l.crm.customer_history(survivor.id).await.unwrap();
    assert!(history.iter().any(|h| h.field.as_deref() == Some("merged") && h.new_value.as_deref() == Some(&*format!("#{} 华信科技", absorbed.id))));
    let away = l.crm.customer_history(absorbed.id).await.unwrap();
    assert_eq!(away[0].field.as_deref(), Some("mergedInto"));
}

#[tokio::test]
async fn choosing_the_absorbed_number_moves_it() {
    let l = ledger().await;
    let a = add(&l.crm, &input("甲", None, Some("MFG"))).await;
    let b = add(&l.crm, &input("乙", None, Some("MFG"))).await;
    let choices = BTreeMap::from([("number".to_owned(), MergeSide::Absorbed)]);
    let merged = l.crm.merge_customers(a.id, b.id, &choices).await.unwrap();
    assert_eq!(merged.number, b.number);
    assert_eq!(l.crm.customer(b.id).await.unwrap().number, None);
}

#[tokio::test]
async fn merging_with_itself_or_a_deleted_record_is_refused() {
    let l = ledger().await;
    let a = add(&l.crm, &input("甲", None, None)).await;
    let b = add(&l.crm, &input("乙", None, None)).await;
    let err = l.crm.merge_customers(a.id, a.id, &BTreeMap::new()).await.unwrap_err();
    assert_eq!(err.fields().get("absorbed").map(String::as_str), Some("same_customer"));
    l.crm.delete_customer(b.id).await.unwrap();
    assert!(matches!(l.crm.merge_preview(a.id, b.id).await.unwrap_err(), yiben::Error::NotFound { .. }));
}
