//! The `yiben` binary as a script would use it.

mod common;

use std::process::Command;

use common::cli::{json, yiben};
use serde_json::Value;

#[test]
fn add_then_list_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db");
    let added = json(&yiben(
        &db,
        &["--now", "2026-03-01T09:30:00+08:00", "customers", "add", "--name", "华信科技", "--phone", "(+86) 139 1234 5678", "--industry", "制造业", "--json"],
    ));
    assert_eq!(added["name"], "华信科技");
    assert_eq!(added["phone"], "13912345678");
    assert_eq!(added["industry"], "制造业");
    assert_eq!(added["createdAt"], "2026-03-01T01:30:00Z");
    assert!(added["id"].is_i64());
    assert_eq!(added["uid"].as_str().unwrap().len(), 36);

    json(&yiben(&db, &["customers", "add", "--name", "李四", "--json"]));
    let page = json(&yiben(&db, &["customers", "list", "--json"]));
    assert_eq!(page["total"], 2);
    assert_eq!(page["nextCursor"], Value::Null);
    let names: Vec<&str> = page["items"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["李四", "华信科技"]);
    assert_eq!(page["items"][0]["phone"], Value::Null);
}

#[test]
fn list_pages_with_limit_and_after() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db");
    for name in ["一", "二", "三"] {
        json(&yiben(&db, &["customers", "add", "--name", name, "--json"]));
    }
    let first = json(&yiben(&db, &["customers", "list", "--limit", "2", "--json"]));
    assert_eq!(first["items"].as_array().unwrap().len(), 2);
    let cursor = first["nextCursor"].as_str().expect("a next page");
    let second = json(&yiben(&db, &["customers", "list", "--limit", "2", "--cursor", cursor, "--json"]));
    assert_eq!(second["items"][0]["name"], "一");
    assert_eq!(second["nextCursor"], Value::Null);
}

#[test]
fn invalid_phone_exits_non_zero_with_the_reason_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db");
    let out = yiben(&db, &["customers", "add", "--name", "张三", "--phone", "12345"]);
    assert_eq!(out.status.code(), Some(4));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("电话"), "{stderr}");
    assert!(stderr.contains("未保存"), "{stderr}");
    assert!(out.stdout.is_empty());

    let out = yiben(&db, &["customers", "add", "--name", "张三", "--phone", "12345", "--json"]);
    assert_eq!(out.status.code(), Some(4));
    let body: Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(body["code"], "VALIDATION");
    assert_eq!(body["fields"]["phone"], "phone_invalid");

    let page = json(&yiben(&db, &["customers", "list", "--json"]));
    assert_eq!(page["total"], 0);
}

#[test]
fn human_output_follows_the_language_chosen_in_the_app() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db");
    let out = yiben(&db, &["customers", "add", "--name", "王五"]);
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("已保存客户"));
    let listed = String::from_utf8_lossy(&yiben(&db, &["customers", "list"]).stdout).to_string();
    assert!(listed.contains("客户名称") && listed.contains("王五") && listed.contains("共 1 位客户"), "{listed}");
}

#[test]
fn version_and_db_from_the_environment() {
    let out = Command::new(env!("CARGO_BIN_EXE_yiben")).arg("--version").output().unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), format!("yiben {}", env!("CARGO_PKG_VERSION")));

    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("from-env.db");
    let out = Command::new(env!("CARGO_BIN_EXE_yiben"))
        .args(["customers", "add", "--name", "环境变量客户", "--json"])
        .env("YIBEN_DB", &db)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(db.exists(), "YIBEN_DB chose the file");
}

#[test]
fn a_bad_now_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = yiben(&dir.path().join("x.db"), &["--now", "tomorrow", "customers", "list"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a date and time"));
}

#[test]
fn the_full_profile_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db");
    let field = json(&yiben(&db, &["fields", "add", "--label", "客户所属渠道", "--kind", "single", "--options", "线上,线下", "--json"]));
    assert_eq!(field["key"], "cf_1");
    let c = json(&yiben(
        &db,
        &[
            "--now", "2026-03-01T09:30:00+08:00",
            "customers", "add", "--name", "华信科技有限公司", "--industry", "制造业", "--owner", "王经理",
            "--revenue", "5000万", "--first-contact", "2024/3/1",
            "--contact", "name=李总,title=总经理,phone=13912345678,phone=0755-86001234,email=li@huaxin.com,decision",
            "--contact", "name=王五,phone=+86 138 0013 8000",
            "--field", "客户所属渠道=线上", "--json",
        ],
    ));
    assert_eq!(c["number"], "2026-MFG-001");
    assert_eq!(c["revenueFen"], 5_000_000_000i64);
    assert_eq!(c["firstContact"], "2024-03-01");
    assert_eq!(c["contacts"][0]["phones"], serde_json::json!(["13912345678", "0755-86001234"]));
    assert_eq!(c["contacts"][0]["decisionMaker"], true);
    assert_eq!(c["contacts"][1]["phones"][0], "13800138000");
    assert_eq!(c["custom"]["cf_1"], "线上");
    let id = c["id"].as_i64().unwrap().to_string();

    let got = json(&yiben(&db, &["customers", "get", &id, "--json"]));
    assert_eq!(got, c);
    let updated = json(&yiben(&db, &["customers", "update", &id, "--owner", "李经理", "--json"]));
    assert_eq!(updated["owner"], "李经理");
    assert_eq!(updated["contacts"], c["contacts"], "update keeps what it was not told to change");
    let history = json(&yiben(&db, &["customers", "history", &id, "--json"]));
    assert_eq!(history[0]["field"], "owner");
    assert_eq!(history[0]["oldValue"], "王经理");
    assert_eq!(history[0]["newValue"], "李经理");

    let found = json(&yiben(&db, &["customers", "search", "hxkj", "--json"]));
    assert_eq!(found["items"][0]["name"], "华信科技有限公司");
    let human = String::from_utf8_lossy(&yiben(&db, &["customers", "get", &id]).stdout).to_string();
    assert!(human.contains("联系人1: 李总 · 总经理 · 13912345678"), "{human}");
    assert!(human.contains("客户所属渠道: 线上"), "{human}");
}

#[test]
fn a_duplicate_exits_3_with_the_matches_unless_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db");
    let first = json(&yiben(&db, &["customers", "add", "--name", "华信科技有限公司", "--phone", "13912345678", "--json"]));
    let out = yiben(&db, &["customers", "add", "--name", "华信", "--phone", "139 1234 5678", "--json"]);
    assert_eq!(out.status.code(), Some(3));
    let body: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(body["status"], "duplicates");
    assert_eq!(body["matches"][0]["customer"]["id"], first["id"]);
    assert_eq!(body["matches"][0]["reasons"][0]["kind"], "phone");
    let human = yiben(&db, &["customers", "add", "--name", "华信", "--phone", "13912345678"]);
    assert_eq!(human.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&human.stderr);
    assert!(stderr.contains("电话相同 13912345678") && stderr.contains("--allow-duplicate"), "{stderr}");
    assert_eq!(json(&yiben(&db, &["customers", "list", "--json"]))["total"], 1);

    let second = json(&yiben(&db, &["customers", "add", "--name", "华信", "--phone", "13912345678", "--allow-duplicate", "--json"]));
    let (a, b) = (first["id"].to_string(), second["id"].to_string());
    let merged = json(&yiben(&db, &["customers", "merge", &a, &b, "--take", "name", "--json"]));
    assert_eq!(merged["name"], "华信");
    assert_eq!(json(&yiben(&db, &["customers", "list", "--json"]))["total"], 1);
}

#[test]
fn delete_and_restore() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db");
    let c = json(&yiben(&db, &["customers", "add", "--name", "回收客户", "--json"]));
    let id = c["id"].to_string();
    let deleted = json(&yiben(&db, &["customers", "delete", &id, "--json"]));
    assert!(deleted["deletedAt"].is_string());
    assert_eq!(json(&yiben(&db, &["customers", "list", "--json"]))["total"], 0);
    assert_eq!(json(&yiben(&db, &["customers", "list", "--deleted", "--json"]))["total"], 1);
    let restored = json(&yiben(&db, &["customers", "restore", &id, "--json"]));
    assert_eq!(restored["deletedAt"], Value::Null);
    let missing = yiben(&db, &["customers", "get", "999"]);
    assert_eq!(missing.status.code(), Some(5));
}

fn fixture(name: &str) -> String {
    common::package_dir().join("tests/fixtures/import").join(name).to_string_lossy().into_owned()
}

#[test]
fn import_prints_the_counts_and_undo_takes_it_back() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db");
    let dry = json(&yiben(&db, &["import", &fixture("customers_title_merged.xlsx"), "--dry-run", "--json"]));
    assert_eq!((dry["imported"].as_i64(), dry["importId"].as_i64()), (Some(8), None));
    assert_eq!(json(&yiben(&db, &["customers", "list", "--json"]))["total"], 0);

    let report = json(&yiben(&db, &["import", &fixture("customers_title_merged.xlsx"), "--json"]));
    assert_eq!(report["imported"], 8);
    assert_eq!(report["merged"], 0);
    assert_eq!(report["skipped"], 0);
    assert_eq!(report["rejected"], 2);
    assert_eq!(report["errors"][0], serde_json::json!({"row": 8, "column": "首次接触时间", "reason": "date_invalid"}));

    let again = yiben(&db, &["import", &fixture("customers_gbk.csv"), "--on-duplicate", "skip"]);
    assert!(again.status.success());
    let text = String::from_utf8_lossy(&again.stdout);
    assert!(text.starts_with("导入成功 0 条，重复 3 条（已跳过），失败 1 条"), "{text}");
    assert!(text.contains("第 7 行 联系方式（电话/微信）"), "{text}");

    let undone = json(&yiben(&db, &["import", "--undo", "last", "--json"]));
    assert!(undone["undoneAt"].is_i64());
    let undone = json(&yiben(&db, &["import", "--undo", &report["importId"].to_string(), "--json"]));
    assert_eq!(undone["imported"], 8);
    assert_eq!(json(&yiben(&db, &["customers", "list", "--json"]))["total"], 0);
}

#[test]
fn an_unreadable_file_exits_non_zero_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db");
    json(&yiben(&db, &["customers", "add", "--name", "已有客户", "--json"]));
    for (file, words) in [
        ("password_protected.xlsx", "密码保护"),
        ("truncated.xlsx", "已损坏"),
        ("empty.csv", "文件是空的"),
    ] {
        let out = yiben(&db, &["import", &fixture(file)]);
        assert_eq!(out.status.code(), Some(1), "{file}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(words), "{file}: {stderr}");
    }
    let out = yiben(&db, &["import", &fixture("not_a_spreadsheet.xlsx"), "--json"]);
    let body: Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(body["code"], "IMPORT");
    assert_eq!(body["fields"]["file"], "import_unreadable");
    assert_eq!(json(&yiben(&db, &["customers", "list", "--json"]))["total"], 1);
}

#[test]
fn a_follow_up_with_a_next_step_is_due_an_hour_ahead_with_its_cause() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db");
    let at = |t: &str| format!("2026-03-01T{t}:00+08:00");
    json(&yiben(&db, &["--now", &at("09:00"), "customers", "add", "--name", "华信科技", "--json"]));
    let logged = json(&yiben(
        &db,
        &[
            "--now", &at("09:30"), "followups", "add", "--customer", "1", "--method", "电话", "--content", "沟通设备采购需求",
            "--feedback", "关心交期", "--next-step", "电话确认报价", "--next-at", &at("11:00"), "--next-owner", "王经理", "--json",
        ],
    ));
    assert_eq!(logged["method"]["code"], "phone");
    assert_eq!(logged["nextAt"], "2026-03-01T03:00:00Z");
    let list = json(&yiben(&db, &["followups", "list", "--customer", "1", "--json"]));
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["content"], "沟通设备采购需求");

    let early = json(&yiben(&db, &["--now", &at("09:59"), "reminders", "due", "--json"]));
    assert_eq!(early, serde_json::json!([]));
    let due = json(&yiben(&db, &["--now", &at("10:00"), "reminders", "due", "--json"]));
    assert_eq!(due.as_array().unwrap().len(), 1);
    assert_eq!(due[0]["rule"], "next_step");
    assert_eq!(due[0]["action"], "电话确认报价");
    assert_eq!(due[0]["owner"], "王经理");
    assert_eq!(due[0]["customerName"], "华信科技");
    assert_eq!(due[0]["remindAt"], "2026-03-01T02:00:00Z");
}

#[test]
fn reminder_rules_as_json_and_the_lead_time_set_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db");
    let rules = json(&yiben(&db, &["reminders", "rules", "--json"]));
    assert_eq!(rules["leadMinutes"], 60);
    assert_eq!(rules["rules"][0], serde_json::json!({"kind": "first_contact", "enabled": true, "value": 24}));
    assert_eq!(rules["rules"].as_array().unwrap().len(), 8);
    let changed = json(&yiben(&db, &["reminders", "rules", "--lead-minutes", "15", "--json"]));
    assert_eq!(changed["leadMinutes"], 15);
}

#[test]
fn a_bad_follow_up_exits_4_with_the_fields_and_an_unknown_customer_5() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db");
    json(&yiben(&db, &["customers", "add", "--name", "华信科技", "--json"]));
    let bad = yiben(&db, &["followups", "add", "--customer", "1", "--method", "飞鸽", "--content", " ", "--json"]);
    assert_eq!(bad.status.code(), Some(4));
    let body: Value = serde_json::from_slice(&bad.stderr).unwrap();
    assert_eq!(body["fields"], serde_json::json!({"content": "required", "method": "unknown_method"}));
    let human = yiben(&db, &["followups", "add", "--customer", "1", "--method", "飞鸽", "--content", "内容"]);
    assert!(String::from_utf8_lossy(&human.stderr).contains("不是已有的跟进方式"));
    let missing = yiben(&db, &["followups", "add", "--customer", "9", "--method", "电话", "--content", "内容"]);
    assert_eq!(missing.status.code(), Some(5));
    let usage = yiben(&db, &["followups", "add", "--customer", "1", "--method", "电话", "--content", "内容", "--next-step", "回访"]);
    assert_eq!(usage.status.code(), Some(2), "a next step needs its time");
}

#[test]
fn tags_filters_segments_and_the_score_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db");
    for name in ["华信科技", "明达贸易", "远景贸易"] {
        json(&yiben(&db, &["customers", "add", "--name", name, "--industry", "制造业", "--json"]));
    }
    let tag = json(&yiben(&db, &["tags", "add", "需求:CRM", "--group", "needs", "--color", "#2080f0", "--json"]));
    assert_eq!(tag["name"], "需求:CRM");
    let changed = json(&yiben(&db, &["customers", "tag", "1", "2", "--add", "决策人,需求:CRM", "--json"]));
    assert_eq!(changed["changed"], 4);
    json(&yiben(&db, &["customers", "tag", "2", "--add", "流失预警", "--json"]));
    let page = json(&yiben(&db, &["customers", "list", "--filter", "tag:决策人 AND NOT tag:流失预警", "--json"]));
    let names: Vec<&str> = page["items"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["华信科技"]);
    assert_eq!(page["items"][0]["tagIds"].as_array().unwrap().len(), 2);
    let tags = json(&yiben(&db, &["tags", "list", "--json"]));
    let boss = tags.as_array().unwrap().iter().find(|t| t["name"] == "决策人").unwrap();
    assert_eq!(boss["count"], 2);

    let saved = json(&yiben(&db, &["segments", "save", "制造业决策人", "--filter", "industry:制造业 tag:决策人", "--json"]));
    assert_eq!(saved["filter"], "industry:制造业 AND tag:决策人");
    let list = json(&yiben(&db, &["segments", "list", "--json"]));
    assert_eq!(list[0]["count"], 2);
    json(&yiben(&db, &["customers", "tag", "--filter", "industry:制造业", "--add", "决策人", "--json"]));
    assert_eq!(json(&yiben(&db, &["segments", "list", "--json"]))[0]["count"], 3, "a segment follows the data");

    let bad = yiben(&db, &["customers", "list", "--filter", "tag:决策人 AND (", "--json"]);
    assert_eq!(bad.status.code(), Some(4));
    let body: Value = serde_json::from_slice(&bad.stderr).unwrap();
    assert_eq!(body["fields"], serde_json::json!({"filter": "unexpected_end", "filter.at": "13"}));
    let human = yiben(&db, &["customers", "list", "--filter", "tag:不存在"]);
    assert!(String::from_utf8_lossy(&human.stderr).contains("没有这个标签"));

    let score = json(&yiben(&db, &["customers", "score", "1", "--json"]));
    assert_eq!(score["score"], 0);
    assert_eq!(score["points"].as_array().unwrap().len(), 5);
    assert_eq!(yiben(&db, &["customers", "score", "99"]).status.code(), Some(5));
}

#[tokio::test]
async fn a_ledger_locked_by_another_program_is_said_so_in_words_and_nothing_is_written() {
    use sqlx::{ConnectOptions, Connection};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db");
    json(&yiben(&db, &["customers", "add", "--name", "华信科技", "--json"]));
    let mut other = sqlx::sqlite::SqliteConnectOptions::new().filename(&db).connect().await.unwrap();
    sqlx::query("BEGIN EXCLUSIVE").execute(&mut other).await.unwrap();

    let out = yiben(&db, &["customers", "add", "--name", "李四"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("错误：账本正被其他程序占用，请稍后重试"), "{stderr}");
    let out = yiben(&db, &["customers", "add", "--name", "李四", "--json"]);
    assert_eq!(json_err(&out)["code"], "BUSY");

    sqlx::query("ROLLBACK").execute(&mut other).await.unwrap();
    other.close().await.unwrap();
    let page = json(&yiben(&db, &["customers", "list", "--json"]));
    assert_eq!(page["total"], 1, "nothing was written while it was locked");
}

fn json_err(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stderr).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)))
}
