mod common;

use common::ledger;
use yiben::settings::Language;
use yiben::Crm;

#[tokio::test]
async fn language_defaults_to_simplified_chinese_and_is_remembered() {
    let l = ledger().await;
    assert_eq!(l.crm.language().await.unwrap(), Language::ZhCn);
    l.crm.set_language(Language::En).await.unwrap();
    let path = l.crm.path().to_path_buf();
    l.crm.close().await;
    let reopened = Crm::open(&path).await.unwrap();
    assert_eq!(reopened.language().await.unwrap(), Language::En);
    reopened.set_language(Language::ZhCn).await.unwrap();
    assert_eq!(reopened.language().await.unwrap(), Language::ZhCn);
}

#[test]
fn language_parse_and_wire_names() {
    assert_eq!(Language::parse("zh-CN").unwrap(), Language::ZhCn);
    assert_eq!(Language::parse("en").unwrap(), Language::En);
    let err = Language::parse("fr").unwrap_err();
    assert_eq!(err.fields().get("language").map(String::as_str), Some("unsupported"));
    assert_eq!(serde_json::to_string(&Language::ZhCn).unwrap(), "\"zh-CN\"");
    assert_eq!(serde_json::from_str::<Language>("\"en\"").unwrap(), Language::En);
}

#[tokio::test]
async fn ui_preferences_round_trip_under_checked_keys() {
    let l = ledger().await;
    assert_eq!(l.crm.ui_pref("customers.columns").await.unwrap(), None);
    let columns = serde_json::json!(["name", "phone", "cf_1"]);
    l.crm.set_ui_pref("customers.columns", &columns).await.unwrap();
    assert_eq!(l.crm.ui_pref("customers.columns").await.unwrap(), Some(columns));
    let err = l.crm.set_ui_pref("../language", &serde_json::json!(1)).await.unwrap_err();
    assert_eq!(err.fields().get("key").map(String::as_str), Some("key_invalid"));
    let big = serde_json::json!("x".repeat(20_000));
    assert!(l.crm.set_ui_pref("big", &big).await.is_err());
}

#[tokio::test]
async fn masked_lists_hide_phones_and_emails_but_the_record_keeps_them() {
    let l = ledger().await;
    let with_email = yiben::customers::CustomerInput { email: Some("li.ming@huaxin.com".into()), ..common::input("华信科技", Some("13812345678"), None) };
    let id = common::add(&l.crm, &with_email).await.id;
    let landline = yiben::customers::CustomerInput {
        contacts: vec![common::contact("李四", &["0755-86001234"])],
        ..common::input("远航物流", None, None)
    };
    let far = common::add(&l.crm, &landline).await.id;
    let shown = |crm: &Crm| {
        let crm = crm.clone();
        async move {
            let page = crm.list_customers(&yiben::customers::ListQuery::first(10)).await.unwrap();
            let mut rows: Vec<(String, Option<String>, Option<String>)> = page.items.into_iter().map(|r| (r.name, r.phone, r.email)).collect();
            rows.sort();
            rows
        }
    };
    // Off by default.
    assert!(!l.crm.mask_lists().await.unwrap());
    assert_eq!(
        shown(&l.crm).await,
        [
            ("华信科技".to_owned(), Some("13812345678".to_owned()), Some("li.ming@huaxin.com".to_owned())),
            ("远航物流".to_owned(), Some("0755-86001234".to_owned()), None),
        ]
    );
    l.crm.set_mask_lists(true).await.unwrap();
    assert_eq!(
        shown(&l.crm).await,
        [
            ("华信科技".to_owned(), Some("138****5678".to_owned()), Some("l***@huaxin.com".to_owned())),
            ("远航物流".to_owned(), Some("0755-****1234".to_owned()), None),
        ]
    );
    // The detail page's masked view, in the contacts' order.
    let masked = l.crm.customer_masked(id).await.unwrap().unwrap();
    assert_eq!((masked.phone.as_deref(), masked.email.as_deref()), (Some("138****5678"), Some("l***@huaxin.com")));
    let contacts = l.crm.customer_masked(far).await.unwrap().unwrap().contacts;
    assert_eq!(contacts.len(), 1);
    assert_eq!(contacts[0].phones, ["0755-****1234"]);
    // The record itself, the search by the real number and an edit are unaffected.
    let c = l.crm.customer(id).await.unwrap();
    assert_eq!(c.phone.as_deref(), Some("13812345678"));
    assert_eq!(c.email.as_deref(), Some("li.ming@huaxin.com"));
    let q = yiben::customers::ListQuery { search: Some("13812345678".into()), ..yiben::customers::ListQuery::first(10) };
    assert_eq!(l.crm.list_customers(&q).await.unwrap().items.len(), 1);
    // Remembered in the ledger, and turned off again.
    let path = l.crm.path().to_path_buf();
    l.crm.close().await;
    let reopened = Crm::open(&path).await.unwrap();
    assert!(reopened.mask_lists().await.unwrap());
    reopened.set_mask_lists(false).await.unwrap();
    assert_eq!(shown(&reopened).await[0].1.as_deref(), Some("13812345678"));
    assert_eq!(reopened.customer_masked(id).await.unwrap(), None);
}
