//! `yiben backup create|list|restore`, `yiben check` and `yiben audit` as a script would use them.

mod common;

use std::path::Path;

use common::cli::{failed, json, yiben};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};

fn add(db: &Path, name: &str) -> i64 {
    json(&yiben(db, &["customers", "add", "--name", name, "--json"]))["id"]
        .as_i64()
        .unwrap()
}

#[test]
fn backup_create_list_and_restore() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db");
    add(&db, "华信科技");
    add(&db, "万家超市");

    let made = json(&yiben(
        &db,
        &[
            "--now",
            "2026-11-24T10:00:00+08:00",
            "backup",
            "create",
            "--json",
        ],
    ));
    assert_eq!(made["kind"], "manual");
    assert_eq!(made["at"], "2026-11-24T02:00:00Z");
    let path = made["path"].as_str().unwrap().to_owned();
    assert!(
        path.ends_with("yiben-20261124T020000.000Z-manual.db"),
        "{path}"
    );
    assert!(Path::new(&path).starts_with(dir.path().join("backups")));
    assert!(made["size"].as_u64().unwrap() > 0);

    let out = dir.path().join("chosen.db");
    let chosen = json(&yiben(
        &db,
        &["backup", "create", "--out", out.to_str().unwrap(), "--json"],
    ));
    assert_eq!(chosen["path"], out.to_str().unwrap());
    assert!(out.exists());

    let list = json(&yiben(&db, &["backup", "list", "--json"]));
    let list = list.as_array().unwrap();
    assert_eq!(
        list.len(),
        1,
        "a backup to a chosen file is not in the folder: {list:?}"
    );
    assert_eq!(list[0]["path"], path.as_str());
    assert_eq!(list[0]["kind"], "manual");

    add(&db, "恒达精密");
    let restored = json(&yiben(&db, &["backup", "restore", &path, "--json"]));
    assert_eq!(restored["restored"], path.as_str());
    assert!(restored["preRestoreBackup"]
        .as_str()
        .unwrap()
        .contains("pre-restore"));
    let page = json(&yiben(&db, &["customers", "list", "--json"]));
    let names: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 2);
    assert!(!names.contains(&"恒达精密"));

    // Human-readable output.
    let text = yiben(&db, &["backup", "list"]);
    assert!(text.status.success());
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.contains("pre-restore") && text.contains("manual"),
        "{text}"
    );
}

#[test]
fn a_bad_backup_is_refused_with_its_code_and_the_ledger_kept() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db");
    add(&db, "华信科技");
    let garbage = dir.path().join("garbage.db");
    std::fs::write(&garbage, "这不是数据库".repeat(1000)).unwrap();
    let err = failed(
        &yiben(
            &db,
            &["backup", "restore", garbage.to_str().unwrap(), "--json"],
        ),
        1,
    );
    assert_eq!(err["code"], "NOT_A_DATABASE");
    assert_eq!(
        yiben(&db, &["backup", "restore", "--json"]).status.code(),
        Some(2),
        "FILE is required"
    );
    let page = json(&yiben(&db, &["customers", "list", "--json"]));
    assert_eq!(page["total"], 1);
    assert!(json(&yiben(&db, &["backup", "list", "--json"]))
        .as_array()
        .unwrap()
        .is_empty());
}

#[test]
fn check_passes_and_fails_with_its_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db");
    let id = add(&db, "华信科技");
    add(&db, "万家超市");
    let report = json(&yiben(&db, &["check", "--json"]));
    assert_eq!(report["ok"], true);
    assert_eq!(report["integrity"], serde_json::json!(["ok"]));
    assert_eq!(report["foreignKeys"], serde_json::json!([]));
    assert_eq!(report["searchIndex"]["liveCustomers"], 2);
    assert_eq!(report["searchIndex"]["fts"], "ok");

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let mut conn = SqliteConnectOptions::new()
            .filename(&db)
            .connect()
            .await
            .unwrap();
        sqlx::query("UPDATE customer_search SET body = '改坏了' WHERE rowid = ?")
            .bind(id)
            .execute(&mut conn)
            .await
            .unwrap();
        conn.close().await.unwrap();
    });
    let out = yiben(&db, &["check", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["ok"], false);
    assert_eq!(report["searchIndex"]["stale"], serde_json::json!([id]));
    let human = yiben(&db, &["check"]);
    assert_eq!(human.status.code(), Some(1));
    assert!(String::from_utf8(human.stdout).unwrap().contains("有问题"));
}

#[test]
fn audit_lists_and_filters_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db");
    let a = add(&db, "华信科技");
    let b = add(&db, "万家超市");
    let at = |when: &str, args: &[&str]| {
        let out = yiben(&db, &[&["--now", when][..], args].concat());
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    at(
        "2026-11-20T09:00:00+08:00",
        &["customers", "delete", &a.to_string()],
    );
    at(
        "2026-11-21T09:00:00+08:00",
        &["customers", "restore", &a.to_string()],
    );
    at(
        "2026-11-22T09:00:00+08:00",
        &["customers", "delete", &b.to_string()],
    );
    at("2026-11-23T09:00:00+08:00", &["backup", "create"]);

    let page = json(&yiben(&db, &["audit", "--json"]));
    let actions: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "backup_create",
            "customer_delete",
            "customer_restore",
            "customer_delete"
        ]
    );
    assert_eq!(page["nextCursor"], serde_json::Value::Null);
    let first = &page["items"][3];
    assert_eq!(first["at"], "2026-11-20T01:00:00Z");
    assert_eq!(first["entity"], "customer");
    assert_eq!(first["entityId"], a.to_string());
    assert_eq!(first["details"]["name"], "华信科技");

    let deletes = json(&yiben(
        &db,
        &["audit", "--action", "customer_delete", "--json"],
    ));
    assert_eq!(deletes["items"].as_array().unwrap().len(), 2);
    let days = json(&yiben(
        &db,
        &[
            "audit",
            "--from",
            "2026-11-21",
            "--to",
            "2026-11-22",
            "--json",
        ],
    ));
    let actions: Vec<&str> = days["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["customer_delete", "customer_restore"]);
    let text = json(&yiben(&db, &["audit", "--text", "万家", "--json"]));
    assert_eq!(text["items"].as_array().unwrap().len(), 1);
    let paged = json(&yiben(&db, &["audit", "--limit", "3", "--json"]));
    assert_eq!(paged["items"].as_array().unwrap().len(), 3);
    let cursor = paged["nextCursor"].as_i64().unwrap().to_string();
    let rest = json(&yiben(
        &db,
        &["audit", "--limit", "3", "--cursor", &cursor, "--json"],
    ));
    assert_eq!(rest["items"].as_array().unwrap().len(), 1);

    let bad = failed(&yiben(&db, &["audit", "--action", "nope", "--json"]), 4);
    assert_eq!(bad["fields"]["action"], "unsupported");
    let bad = failed(&yiben(&db, &["audit", "--from", "昨天", "--json"]), 4);
    assert_eq!(bad["fields"]["from"], "date_invalid");
}
