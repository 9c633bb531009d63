//! The `yiben` binary as a script would use it.

use std::process::{Command, Output};

use serde_json::Value;

fn yiben(db: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_yiben"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("YIBEN_DB")
        .output()
        .expect("the yiben binary runs")
}

fn json(out: &Output) -> Value {
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

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
    let cursor = first["nextCursor"].as_i64().expect("a next page");
    let second = json(&yiben(&db, &["customers", "list", "--limit", "2", "--after", &cursor.to_string(), "--json"]));
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
    assert!(stderr.contains("手机号"), "{stderr}");
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
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("已添加客户"));
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
