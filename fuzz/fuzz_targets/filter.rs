//! The customer filter language: parse, canonical text, checking against the names a ledger
//! has, SQL with bound values, and the description in both languages.
#![no_main]

use libfuzzer_sys::fuzz_target;
use yiben::custom_fields::{CustomField, CustomFieldKind};
use yiben::segments::compile::{check, push, Names};
use yiben::segments::{describe, parse::parse};
use yiben::settings::Language;
use yiben::Zone;

fn names() -> Names {
    let field = |id: i64, label: &str, kind| CustomField {
        id,
        key: format!("cf_{id}"),
        label: label.into(),
        kind,
        options: vec!["甲".into(), "乙".into()],
        position: id,
        in_list: true,
    };
    Names {
        tags: vec![("决策人".into(), 1), ("a".into(), 2), ("流失预警".into(), 3)],
        fields: vec![
            field(1, "规模备注", CustomFieldKind::Text),
            field(2, "员工数", CustomFieldKind::Number),
            field(3, "签约日", CustomFieldKind::Date),
            field(4, "预算", CustomFieldKind::Money),
            field(5, "级别", CustomFieldKind::Single),
            field(6, "渠道", CustomFieldKind::Multi),
        ],
        now: chrono::DateTime::from_timestamp(1_780_000_000, 0).unwrap(),
        zone: Zone::named("Asia/Shanghai").unwrap(),
        grading: Default::default(),
    }
}

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else { return };
    let Ok(Some(expr)) = parse(text) else { return };
    // The canonical form is what a segment stores: it must parse back to itself.
    let canonical = expr.to_text();
    let again = parse(&canonical).unwrap_or_else(|e| panic!("{canonical:?} does not parse back: {e:?}"));
    let again = again.unwrap_or_else(|| panic!("{canonical:?} parses back to nothing"));
    assert_eq!(again.to_text(), canonical);
    let _ = describe(&expr, Language::ZhCn);
    let _ = describe(&expr, Language::En);
    let names = names();
    if check(&expr, &names).is_ok() {
        let mut qb = sqlx::QueryBuilder::new("SELECT c.id FROM customers c WHERE ");
        push(&mut qb, &expr, &names);
        assert!(!qb.sql().as_str().is_empty());
    }
});
