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
