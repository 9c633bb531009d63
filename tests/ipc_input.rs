//! What the window can send, at its most hostile: every argument a desktop command passes to
//! the core, too long, too large, out of range, out of the calendar or of the wrong kind. Each
//! must come back as a VALIDATION error naming the field and a reason the UI translates, with
//! the ledger unchanged: never a panic, a database error, or work without bound.
//!
//! Arguments are built from JSON, as the window's IPC call delivers them.

mod common;

use std::path::Path;

use common::{add, contact, input, ledger, Ledger};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{AssertSqlSafe, ConnectOptions, Connection, Row};
use yiben::settings::Language;
use yiben::{Crm, Error};

/// An argument as the window sends it.
fn arg<T: DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).expect("the window's JSON fits the argument's type")
}

#[track_caller]
fn refused<T: std::fmt::Debug>(result: yiben::Result<T>, field: &str, reason: &str) {
    match result {
        Err(Error::Validation(fields)) => {
            assert_eq!(fields.get(field).map(String::as_str), Some(reason), "{field}: {fields:?}")
        }
        other => panic!("expected VALIDATION {field}:{reason}, got {other:?}"),
    }
}

/// Every row of every table as text: equal snapshots mean nothing was written.
async fn snapshot(db: &Path) -> Vec<String> {
    let mut conn = SqliteConnectOptions::new().filename(db).read_only(true).connect().await.unwrap();
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    let mut out = Vec::new();
    for table in tables {
        let columns: Vec<String> = sqlx::query("SELECT name FROM pragma_table_info(?)")
            .bind(&table)
            .fetch_all(&mut conn)
            .await
            .unwrap()
            .iter()
            .map(|r| r.get::<String, _>(0))
            .collect();
        let row = columns.iter().map(|c| format!("quote(\"{c}\")")).collect::<Vec<_>>().join(" || ',' || ");
        // Names read from sqlite_master, not from input.
        let rows: Vec<String> = sqlx::query_scalar(AssertSqlSafe(format!("SELECT {row} FROM \"{table}\" ORDER BY 1")))
            .fetch_all(&mut conn)
            .await
            .unwrap();
        out.push(format!("{table}: {}", rows.join("\n")));
    }
    conn.close().await.unwrap();
    out
}

/// A ledger with one of everything the commands below touch.
struct Seeded {
    l: Ledger,
    customer: i64,
    deal: i64,
    segment: i64,
    group: i64,
}

async fn seeded() -> Seeded {
    let l = ledger().await;
    let customer = add(&l.crm, &input("华信科技有限公司", Some("13912345678"), Some("制造业"))).await.id;
    let deal = l.crm.add_deal(&arg(json!({ "customerId": customer, "name": "年度框架", "amount": "30万" }))).await.unwrap().id;
    let group = l.crm.tag_groups().await.unwrap()[0].id;
    l.crm.add_tag("重点", &group.to_string(), "#2080f0").await.unwrap();
    let segment = l.crm.save_segment("重点客户", "tag:重点").await.unwrap().id;
    Seeded { l, customer, deal, segment, group }
}

impl Seeded {
    fn crm(&self) -> &Crm {
        &self.l.crm
    }

    async fn snapshot(&self) -> Vec<String> {
        snapshot(&self.l.dir.path().join("ledger.db")).await
    }
}

fn long(n: usize) -> String {
    "客".repeat(n)
}

// ---------------------------------------------------------------- customers

#[tokio::test]
async fn customer_forms_refuse_oversized_text_and_counts() {
    let s = seeded().await;
    let before = s.snapshot().await;
    let crm = s.crm();
    refused(crm.add_customer(&input(&long(1_000_000), None, None), false).await, "name", "too_long");
    let mut notes = input("甲公司", None, None);
    notes.notes = Some(long(5001));
    refused(crm.add_customer(&notes, false).await, "notes", "too_long");
    let mut revenue = input("甲公司", None, None);
    revenue.revenue = Some("-5000".into());
    refused(crm.add_customer(&revenue, false).await, "revenue", "amount_invalid");
    let mut employees = input("甲公司", None, None);
    employees.employees = Some("1000000000000".into());
    refused(crm.add_customer(&employees, false).await, "employees", "number_invalid");
    let mut crowd = input("甲公司", None, None);
    crowd.contacts = (0..201).map(|i| contact(&format!("联系人{i}"), &[])).collect();
    refused(crm.add_customer(&crowd, false).await, "contacts", "too_long");
    let mut phones = input("甲公司", None, None);
    let many: Vec<String> = (0..21).map(|i| format!("139123456{i:02}")).collect();
    phones.contacts = vec![contact("张三", &many.iter().map(String::as_str).collect::<Vec<_>>())];
    refused(crm.add_customer(&phones, false).await, "contacts.0.phones", "too_long");
    refused(crm.update_customer(s.customer, &input(&long(201), None, None), false).await, "name", "too_long");
    refused(crm.find_duplicates(&input(&long(201), None, None), None).await, "name", "too_long");
    refused(crm.merge_preview(s.customer, s.customer).await, "absorbed", "same_customer");
    refused(crm.merge_customers(s.customer, s.customer, &Default::default()).await, "absorbed", "same_customer");
    assert_eq!(s.snapshot().await, before);
}

#[tokio::test]
async fn a_contact_list_at_the_limit_still_saves() {
    let l = ledger().await;
    let mut c = input("乙公司", None, None);
    c.contacts = (0..200).map(|i| contact(&format!("联系人{i}"), &["13912345678"])).collect();
    assert_eq!(add(&l.crm, &c).await.contacts.len(), 200);
}

#[tokio::test]
async fn list_queries_are_bounded_in_size_and_text() {
    let s = seeded().await;
    let before = s.snapshot().await;
    let crm = s.crm();
    for limit in [0, 501, 1_000_000_000u32] {
        refused(crm.list_customers(&arg(json!({ "limit": limit }))).await, "limit", "out_of_range");
    }
    refused(crm.list_customers(&arg(json!({ "limit": 50, "search": long(101) }))).await, "search", "too_long");
    refused(crm.list_customers(&arg(json!({ "limit": 50, "cursor": "x".repeat(1001) }))).await, "cursor", "cursor_invalid");
    refused(crm.list_customers(&arg(json!({ "limit": 50, "cursor": "[1, " }))).await, "cursor", "cursor_invalid");
    let codes: Vec<String> = (0..101).map(|i| format!("C{i}")).collect();
    // 40,000 codes would be more variables than SQLite binds in one statement.
    let flood: Vec<String> = (0..40_000).map(|i| format!("C{i}")).collect();
    refused(crm.list_customers(&arg(json!({ "limit": 50, "filters": { "industry": codes } }))).await, "filters.industry", "too_long");
    refused(crm.list_customers(&arg(json!({ "limit": 50, "filters": { "industry": flood } }))).await, "filters.industry", "too_long");
    let custom: serde_json::Map<String, Value> = (0..101).map(|i| (format!("cf_{i}"), json!("x"))).collect();
    refused(crm.list_customers(&arg(json!({ "limit": 50, "filters": { "custom": custom } }))).await, "filters.custom", "too_long");
    refused(crm.list_customers(&arg(json!({ "limit": 50, "filters": { "owner": long(201) } }))).await, "filters", "too_long");
    refused(crm.count_customers(&arg(json!({ "limit": 1, "search": long(101) }))).await, "search", "too_long");
    // The bulk tag change over a query and the export walk the same query.
    let query: Value = json!({ "kind": "query", "query": { "limit": 50, "search": long(101) } });
    refused(crm.tag_customers(&arg(query), &[], &[]).await, "search", "too_long");
    // At the limits, everything answers.
    let page = crm.list_customers(&arg(json!({ "limit": 500, "search": long(100), "filters": { "owner": long(200) } }))).await.unwrap();
    assert!(page.items.is_empty());
    assert_eq!(s.snapshot().await, before);
}

#[tokio::test]
async fn settings_from_the_window_are_checked() {
    let s = seeded().await;
    let before = s.snapshot().await;
    let crm = s.crm();
    for key in ["", "../../etc", "a b", &"k".repeat(41)] {
        refused(crm.set_ui_pref(key, &json!(1)).await, "key", "key_invalid");
        refused(crm.ui_pref(key).await, "key", "key_invalid");
    }
    refused(crm.set_ui_pref("columns", &json!("x".repeat(17 * 1024))).await, "value", "too_long");
    refused(crm.save_industry(&arg(json!({ "code": "x", "name": "某行业", "position": 1 }))).await, "code", "code_invalid");
    refused(crm.save_industry(&arg(json!({ "code": "ZZ", "name": long(31), "position": 1 }))).await, "name", "too_long");
    let field = |label: &str, options: Vec<String>| arg(json!({ "label": label, "kind": "single", "options": options, "inList": true }));
    refused(crm.create_custom_field(&field(&long(31), vec!["甲".into()])).await, "label", "too_long");
    refused(crm.create_custom_field(&field("渠道", vec![])).await, "options", "required");
    refused(crm.create_custom_field(&field("渠道", (0..201).map(|i| format!("选项{i}")).collect())).await, "options", "too_long");
    refused(crm.create_custom_field(&field("渠道", vec![long(51)])).await, "options", "too_long");
    assert_eq!(s.snapshot().await, before);
}

// ---------------------------------------------------------------- the filter language

#[tokio::test]
async fn filters_nested_past_the_limit_are_refused_not_a_stack_overflow() {
    let s = seeded().await;
    let before = s.snapshot().await;
    let crm = s.crm();
    let brackets = format!("{}tag:重点{}", "(".repeat(100_000), ")".repeat(100_000));
    let nots = format!("{}tag:重点", "NOT ".repeat(100_000));
    for filter in [&brackets, &nots] {
        refused(crm.describe_filter(filter, Language::ZhCn).await, "filter", "too_deep");
        refused(crm.list_customers(&arg(json!({ "limit": 50, "filter": filter }))).await, "filter", "too_deep");
        refused(crm.save_segment("深", filter).await, "filter", "too_deep");
        refused(crm.list_deals(&arg(json!({ "filter": { "customerFilter": filter }, "limit": 50 }))).await, "filter", "too_deep");
    }
    let many = vec!["tag:重点"; 101].join(" OR ");
    refused(crm.describe_filter(&many, Language::En).await, "filter", "too_long");
    refused(crm.describe_filter(&format!("region:{}", long(201)), Language::En).await, "filter", "too_long");
    assert_eq!(s.snapshot().await, before);
}

#[tokio::test]
async fn a_filter_at_the_limits_answers_and_its_canonical_text_parses_back() {
    let s = seeded().await;
    let crm = s.crm();
    let deep = format!("{}tag:重点{}", "(".repeat(16), ")".repeat(16));
    let deep = format!("{}{deep}", "NOT ".repeat(16));
    let many = vec![format!("region:{}", long(200)); 100].join(" OR ");
    for filter in [deep, many] {
        let summary = crm.describe_filter(&filter, Language::ZhCn).await.unwrap();
        let again = crm.describe_filter(&summary.filter, Language::ZhCn).await.unwrap();
        assert_eq!(again.filter, summary.filter);
        crm.list_customers(&arg(json!({ "limit": 50, "filter": summary.filter }))).await.unwrap();
        let saved = crm.save_segment("边界", &summary.filter).await.unwrap();
        assert_eq!(saved.filter, summary.filter);
    }
    assert!(crm.segments(true).await.unwrap().iter().all(|s| s.count.is_some()), "every saved filter still counts");
}

// ---------------------------------------------------------------- tags and segments

#[tokio::test]
async fn tags_segments_and_bulk_changes_are_checked() {
    let s = seeded().await;
    let before = s.snapshot().await;
    let crm = s.crm();
    let group = s.group.to_string();
    refused(crm.add_tag("新标签", &group, "red").await, "color", "color_invalid");
    refused(crm.add_tag("新标签", &group, "#12345z").await, "color", "color_invalid");
    refused(crm.add_tag(&long(31), &group, "#123456").await, "name", "too_long");
    refused(crm.add_tag("a(b", &group, "#123456").await, "name", "name_invalid");
    refused(crm.add_tag("新标签", "没有这个组", "#123456").await, "group", "unknown_group");
    refused(crm.add_tag_group(&long(31)).await, "name", "too_long");
    refused(crm.add_tag_group("  ").await, "name", "required");
    let tag = crm.tags().await.unwrap()[0].id;
    refused(crm.update_tag(tag, "重点", s.group, "blue").await, "color", "color_invalid");
    let selection: Value = json!({ "kind": "selection", "ids": (0..10_001).collect::<Vec<i64>>() });
    refused(crm.tag_customers(&arg(selection), &[tag], &[]).await, "target.ids", "too_long");
    let one: Value = json!({ "kind": "selection", "ids": [s.customer] });
    refused(crm.tag_customers(&arg(one), &vec![tag; 201], &[]).await, "add", "too_long");
    refused(crm.save_segment(&long(41), "tag:重点").await, "name", "too_long");
    refused(crm.save_segment("空", "  ").await, "filter", "required");
    refused(crm.rename_segment(s.segment, &long(41)).await, "name", "too_long");
    refused(crm.rename_segment(s.segment, " ").await, "name", "required");
    refused(crm.set_grading(arg(json!({ "aMin": 101, "bMin": 50 }))).await, "aMin", "out_of_range");
    assert_eq!(s.snapshot().await, before);
}

// ---------------------------------------------------------------- deals

#[tokio::test]
async fn deal_inputs_are_checked_before_anything_is_written() {
    let s = seeded().await;
    let before = s.snapshot().await;
    let crm = s.crm();
    let deal = |amount: &str| arg(json!({ "customerId": s.customer, "name": "新商机", "amount": amount }));
    refused(crm.add_deal(&deal("-1")).await, "amount", "amount_invalid");
    refused(crm.add_deal(&deal("9223372036854775807")).await, "amount", "amount_invalid");
    // Two deals near i64::MAX fen would overflow every sum in the reports.
    refused(crm.add_deal(&deal("90000000000000000")).await, "amount", "out_of_range");
    refused(crm.add_deal(&deal("10000000001")).await, "amount", "out_of_range");
    refused(crm.update_deal(s.deal, &deal("1000000亿")).await, "amount", "out_of_range");
    let named = arg(json!({ "customerId": s.customer, "name": long(101), "amount": "1" }));
    refused(crm.add_deal(&named).await, "name", "too_long");
    let likely = arg(json!({ "customerId": s.customer, "name": "新商机", "amount": "1", "probability": 101 }));
    refused(crm.add_deal(&likely).await, "probability", "out_of_range");
    let stage = arg(json!({ "customerId": s.customer, "name": "新商机", "amount": "1", "stageId": 999_999 }));
    refused(crm.add_deal(&stage).await, "stageId", "unknown_stage");
    for limit in [0, 501, u32::MAX] {
        refused(crm.list_deals(&arg(json!({ "filter": {}, "limit": limit }))).await, "limit", "out_of_range");
        refused(crm.stalled_deals(&arg(json!({})), limit).await, "limit", "out_of_range");
    }
    // Days at chrono's ends panicked in the day arithmetic before they were bounded.
    for (field, filter) in [
        ("to", json!({ "to": "+262142-12-31" })),
        ("from", json!({ "from": "-262143-01-01" })),
        ("to", json!({ "to": "2201-01-01" })),
        ("from", json!({ "from": "1899-12-31" })),
    ] {
        refused(crm.deal_board(&arg(filter.clone())).await, field, "out_of_range");
        refused(crm.funnel_report(&arg(filter.clone())).await, field, "out_of_range");
        refused(crm.deal_forecast(&arg(filter.clone())).await, field, "out_of_range");
        refused(crm.list_deals(&arg(json!({ "filter": filter, "limit": 50 }))).await, field, "out_of_range");
    }
    refused(crm.deal_board(&arg(json!({ "from": "2026-03-01", "to": "2026-02-01" }))).await, "to", "before_from");
    refused(crm.save_deal_stage(&arg(json!({ "name": long(21), "probability": 50 }))).await, "name", "too_long");
    refused(crm.save_deal_stage(&arg(json!({ "name": "复核", "probability": 101 }))).await, "probability", "out_of_range");
    refused(crm.reorder_deal_stages(&[]).await, "ids", "stages_mismatch");
    refused(crm.reorder_deal_stages(&vec![1; 100_000]).await, "ids", "stages_mismatch");
    refused(crm.save_lost_reason(&arg(json!({ "name": long(31) }))).await, "name", "too_long");
    refused(crm.set_deal_settings(&arg(json!({ "stallDays": -1 }))).await, "stallDays", "out_of_range");
    assert_eq!(s.snapshot().await, before);
}

#[tokio::test]
async fn a_deal_at_the_amount_limit_saves_and_the_reports_sum_it() {
    let s = seeded().await;
    let crm = s.crm();
    for _ in 0..3 {
        crm.add_deal(&arg(json!({ "customerId": s.customer, "name": "大单", "amount": "100亿" }))).await.unwrap();
    }
    let board = crm.deal_board(&arg(json!({}))).await.unwrap();
    let total: i64 = board.columns.iter().map(|c| c.amount_fen).sum();
    assert_eq!(total, 3 * 1_000_000_000_000 + 30_000_000);
    crm.dashboard(&arg(json!({ "preset": "year" }))).await.unwrap();
}

// ---------------------------------------------------------------- follow-ups and reminders

#[tokio::test]
async fn follow_ups_and_reminders_are_checked() {
    let s = seeded().await;
    let before = s.snapshot().await;
    let crm = s.crm();
    for limit in [0, 201, i64::MAX, -1] {
        refused(crm.followups(s.customer, None, limit).await, "limit", "out_of_range");
    }
    let followup = |extra: Value| {
        let mut body = json!({ "method": "电话", "content": "聊了续约", "awaitingReply": false });
        body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        arg(body)
    };
    refused(crm.add_followup(s.customer, &followup(json!({ "content": long(5001) }))).await, "content", "too_long");
    refused(crm.add_followup(s.customer, &followup(json!({ "content": " " }))).await, "content", "required");
    refused(crm.add_followup(s.customer, &followup(json!({ "method": "飞鸽传书" }))).await, "method", "unknown_method");
    refused(crm.add_followup(s.customer, &followup(json!({ "at": "1800-01-01T00:00:00Z" }))).await, "at", "out_of_range");
    refused(crm.add_followup(s.customer, &followup(json!({ "at": "2030-01-01T00:00:00Z" }))).await, "at", "in_future");
    let far = json!({ "nextStep": "回访", "nextAt": "3000-01-01T00:00:00Z" });
    refused(crm.add_followup(s.customer, &followup(far)).await, "nextAt", "out_of_range");
    refused(crm.add_followup(s.customer, &followup(json!({ "feedback": long(5001) }))).await, "feedback", "too_long");
    refused(crm.add_followup_method(&long(21), None).await, "name", "too_long");
    refused(crm.add_followup_method("飞鸽", Some(&long(2001))).await, "template", "too_long");
    refused(crm.upcoming_reminders(1_000_000, 10).await, "days", "out_of_range");
    refused(crm.upcoming_reminders(7, 0).await, "days", "out_of_range");
    refused(crm.upcoming_reminders(7, 1_000_000_000).await, "days", "out_of_range");
    let settings = serde_json::to_value(crm.reminder_settings().await.unwrap()).unwrap();
    let with = |key: &str, value: Value| {
        let mut s = settings.clone();
        s[key] = value;
        arg(s)
    };
    refused(crm.set_reminder_settings(with("leadMinutes", json!(u32::MAX))).await, "leadMinutes", "out_of_range");
    refused(crm.set_reminder_settings(with("quietHours", json!({ "start": "25:00", "end": "07:00" }))).await, "quietHours", "time_invalid");
    let rule = settings["rules"][0].clone();
    refused(crm.set_reminder_settings(with("rules", json!([rule.clone(), rule.clone()]))).await, "rules", "value_invalid");
    refused(crm.set_reminder_settings(with("rules", json!(vec![rule; 100_000]))).await, "rules", "value_invalid");
    assert_eq!(s.snapshot().await, before);
}

// ---------------------------------------------------------------- reports and the audit log

#[tokio::test]
async fn report_periods_stay_within_the_calendar_a_ledger_holds() {
    let s = seeded().await;
    let before = s.snapshot().await;
    let crm = s.crm();
    let custom = |from: &str, to: &str| arg(json!({ "preset": "custom", "from": from, "to": to }));
    // Both panicked in the month arithmetic before the years were bounded.
    refused(crm.dashboard(&custom("-262143-01-01", "-262143-01-02")).await, "from", "out_of_range");
    refused(crm.report_kpis(&custom("2024-01-01", "+262142-12-31")).await, "to", "out_of_range");
    refused(crm.performance(&custom("2024-03-01", "2024-02-01")).await, "to", "before_from");
    refused(crm.funnel_analysis(&custom("1950-01-01", "2026-01-01")).await, "to", "out_of_range");
    refused(crm.followup_efficiency(&custom("2024-02-30", "2024-03-01")).await, "from", "date_invalid");
    refused(crm.customer_analysis(&custom("", "2024-03-01"), arg(json!("industry"))).await, "from", "required");
    let drill = |target: Value, limit: u32, cursor: Option<&str>| {
        arg(json!({ "query": { "preset": "month" }, "target": target, "limit": limit, "cursor": cursor }))
    };
    let won = json!({ "kind": "won_deals" });
    refused(crm.report_drill(&drill(won.clone(), 0, None)).await, "limit", "out_of_range");
    refused(crm.report_drill(&drill(won.clone(), 100_000, None)).await, "limit", "out_of_range");
    refused(crm.report_drill(&drill(won.clone(), 50, Some("-5"))).await, "cursor", "cursor_invalid");
    refused(crm.report_drill(&drill(won, 50, Some("abc"))).await, "cursor", "cursor_invalid");
    let month = |m: &str| json!({ "kind": "month", "month": m, "series": "won" });
    refused(crm.report_drill(&drill(month("+262142-12"), 50, None)).await, "target.month", "out_of_range");
    refused(crm.report_drill(&drill(month("2024-13"), 50, None)).await, "target.month", "date_invalid");
    refused(crm.audit_log(&arg(json!({ "limit": 501 }))).await, "limit", "out_of_range");
    refused(crm.audit_log(&arg(json!({ "limit": 50, "text": long(201) }))).await, "text", "too_long");
    let backwards = json!({ "limit": 50, "from": "2026-03-02T00:00:00Z", "to": "2026-03-01T00:00:00Z" });
    refused(crm.audit_log(&arg(backwards)).await, "to", "out_of_range");
    assert_eq!(s.snapshot().await, before);
}

// ---------------------------------------------------------------- import

#[tokio::test]
async fn import_requests_and_templates_are_checked() {
    let s = seeded().await;
    let crm = s.crm();
    let csv = s.l.dir.path().join("客户.csv");
    std::fs::write(&csv, "客户名称,电话\n乙公司,13800000000\n").unwrap();
    let before = s.snapshot().await;
    let path = csv.to_string_lossy();
    refused(crm.import_preview(&arg(json!({ "path": path, "headerRow": 1_000_000_000 })), 200).await, "headerRow", "out_of_range");
    refused(crm.import_preview(&arg(json!({ "path": path, "headerRow": 0 })), 200).await, "headerRow", "out_of_range");
    let wide = vec!["ignore"; 50];
    refused(crm.import_preview(&arg(json!({ "path": path, "mapping": wide })), 200).await, "mapping", "out_of_range");
    refused(crm.save_mapping_template(&long(51), &[], &[]).await, "name", "too_long");
    refused(crm.save_mapping_template(" ", &[], &[]).await, "name", "required");
    let headers: Vec<String> = (0..1001).map(|i| format!("列{i}")).collect();
    refused(crm.save_mapping_template("宽表", &headers, &[]).await, "headers", "too_long");
    refused(crm.save_mapping_template("长表头", &[long(1001)], &arg::<Vec<_>>(json!(["name"]))).await, "headers", "too_long");
    assert_eq!(s.snapshot().await, before);
}

// ---------------------------------------------------------------- types the IPC layer enforces

#[test]
fn arguments_outside_their_types_never_reach_the_core() {
    // Tauri deserializes each argument before the command runs; these fail there, as an
    // error the window receives, without the core seeing them.
    let refuse = |value: Value| serde_json::from_value::<yiben::customers::ListQuery>(value).is_err();
    assert!(refuse(json!({ "limit": -1 })));
    assert!(refuse(json!({ "limit": 1e12 })));
    assert!(refuse(json!({ "limit": 50, "sort": { "field": "password" } })));
    assert!(refuse(json!({ "limit": 50, "scope": "everything" })));
    assert!(serde_json::from_value::<yiben::reminders::Snooze>(json!("forever")).is_err());
    assert!(serde_json::from_value::<yiben::settings::Language>(json!("fr")).is_err());
}

// ---------------------------------------------------------------- exports

#[test]
fn a_header_from_the_users_file_that_looks_like_a_formula_is_quoted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rejected.xlsx");
    let headers: Vec<String> = ["=HYPERLINK(\"http://evil.example\",\"点我\")", "+1", "客户名称"].map(String::from).to_vec();
    let rows = vec![(2, vec!["x".to_string(), "y".into(), "z".into()], "-原因".to_string())];
    yiben::export::write_rejected(&path, &headers, &rows).unwrap();
    let script = "import json, sys\nimport openpyxl\nws = openpyxl.load_workbook(sys.argv[1]).worksheets[0]\n\
                  print(json.dumps([[c.data_type, c.value, bool(c.quotePrefix)] for c in ws[1]] + [[c.data_type, c.value, bool(c.quotePrefix)] for c in ws[2]], ensure_ascii=False))";
    let out = std::process::Command::new("python3").arg("-c").arg(script).arg(&path).output().unwrap();
    assert!(out.status.success(), "these checks need python3 with openpyxl: {}", String::from_utf8_lossy(&out.stderr));
    let cells: Vec<(String, Value, bool)> = serde_json::from_slice(&out.stdout).unwrap();
    // The original row number is the one number; every other cell is a string, never a formula.
    assert_eq!(cells.iter().filter(|(kind, _, _)| kind != "s").count(), 1, "{cells:?}");
    for (_, value, quoted) in cells.iter().filter(|(kind, _, _)| kind == "s") {
        let risky = value.as_str().unwrap().starts_with(['=', '+', '-', '@']);
        assert_eq!(*quoted, risky, "{value}");
    }
    assert!(cells.iter().any(|(_, v, q)| v.as_str().is_some_and(|v| v.starts_with("=HYPERLINK")) && *q));
}

#[tokio::test]
async fn a_custom_field_label_that_looks_like_a_formula_is_a_quoted_header_in_the_export() {
    let l = ledger().await;
    let field = l.crm.create_custom_field(&arg(json!({ "label": "=1+1", "kind": "text", "options": [], "inList": true }))).await.unwrap();
    let mut c = input("丙公司", None, None);
    c.custom.insert(field.key.clone(), json!("@SUM(A1)"));
    add(&l.crm, &c).await;
    let path = l.dir.path().join("客户.xlsx");
    let columns = yiben::export::Column::parse_list(&format!("name,{}", field.key)).unwrap();
    l.crm.export_customers(&arg(json!({ "limit": 500 })), &columns, false, &path).await.unwrap();
    let script = "import json, sys\nimport openpyxl\nws = openpyxl.load_workbook(sys.argv[1]).worksheets[0]\n\
                  print(json.dumps([[c.data_type, c.value, bool(c.quotePrefix)] for r in ws.iter_rows(max_row=2) for c in r], ensure_ascii=False))";
    let out = std::process::Command::new("python3").arg("-c").arg(script).arg(&path).output().unwrap();
    assert!(out.status.success(), "these checks need python3 with openpyxl: {}", String::from_utf8_lossy(&out.stderr));
    let cells: Vec<(String, Option<String>, bool)> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(cells.iter().all(|(kind, _, _)| kind == "s"), "{cells:?}");
    assert!(cells.contains(&("s".into(), Some("=1+1".into()), true)), "{cells:?}");
    assert!(cells.contains(&("s".into(), Some("@SUM(A1)".into()), true)), "{cells:?}");
}
