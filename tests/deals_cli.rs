//! `yiben deals` and `yiben report funnel` as a script would use them.

mod common;

use common::cli::{failed, json, yiben};
use serde_json::Value;

#[test]
fn add_move_list_and_report() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db");
    let now = ["--now", "2026-10-14T09:00:00+08:00"];
    let customer = json(&yiben(&db, &[&now[..], &["customers", "add", "--name", "科技有限公司", "--owner", "王经理", "--json"]].concat()));
    let id = customer["id"].to_string();

    let args = ["deals", "add", "--customer", &id, "--name", "CRM采购", "--amount", "30万", "--stage", "方案提交", "--close-date", "2026-11-30", "--json"];
    let deal = json(&yiben(&db, &[&now[..], &args].concat()));
    assert_eq!(deal["amountFen"], 30_000_000);
    assert_eq!(deal["daysLeft"], 47);
    assert_eq!(deal["probability"], 50);
    assert_eq!(deal["owner"], "王经理");
    let deal_id = deal["id"].to_string();

    let other = ["deals", "add", "--customer", &id, "--name", "二期", "--amount", "300,000.00", "--stage", "lead", "--probability", "20%", "--json"];
    let second = json(&yiben(&db, &[&now[..], &other].concat()));
    assert_eq!((second["amountFen"].as_i64(), second["probability"].as_i64()), (Some(30_000_000), Some(20)));

    let err = failed(&yiben(&db, &["deals", "move", &deal_id, "--stage", "流失", "--json"]), 4);
    assert_eq!(err["fields"]["lostReason"], "required");
    let moved = json(&yiben(
        &db,
        &["deals", "move", &deal_id, "--stage", "流失", "--reason", "价格过高", "--at", "2026-10-20T10:00:00+08:00", "--json"],
    ));
    assert_eq!(moved["lostReason"], "价格过高");
    assert_eq!(moved["stageAt"], "2026-10-20T02:00:00Z");

    let page = json(&yiben(&db, &["deals", "list", "--json"]));
    assert_eq!(page["items"].as_array().unwrap().len(), 2);
    assert_eq!(page["nextCursor"], Value::Null);

    let report = json(&yiben(&db, &["report", "funnel", "--json"]));
    let stages = report["stages"].as_array().unwrap();
    let by_code = |code: &str| stages.iter().find(|s| s["code"] == code).unwrap().clone();
    assert_eq!(by_code("lead")["count"], 1);
    assert_eq!(by_code("lead")["weightedFen"], 6_000_000);
    assert_eq!(by_code("lead")["reached"], 2);
    assert_eq!(by_code("lead")["conversion"], 0.5);
    assert_eq!(by_code("proposal")["reached"], 1);
    assert_eq!(by_code("proposal")["conversion"], 0.0);
    assert_eq!(report["weakestStageId"], by_code("proposal")["stageId"]);
    assert_eq!(report["lostReasons"][0]["reason"], "价格过高");
    assert_eq!(report["lostReasons"][0]["amountFen"], 30_000_000);

    let owned = json(&yiben(&db, &["report", "funnel", "--owner", "李经理", "--json"]));
    assert_eq!(owned["totalCount"], 0);
    let cohort = json(&yiben(&db, &["report", "funnel", "--from", "2026-10-01", "--to", "2026-10-31", "--json"]));
    assert_eq!(cohort["totalCount"], 2);
}

#[test]
fn errors_have_their_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db");
    let id = json(&yiben(&db, &["customers", "add", "--name", "华信", "--json"]))["id"].to_string();
    let bad_amount = failed(&yiben(&db, &["deals", "add", "--customer", &id, "--name", "x", "--amount", "面议", "--json"]), 4);
    assert_eq!(bad_amount["fields"]["amount"], "amount_invalid");
    let bad_stage =
        failed(&yiben(&db, &["deals", "add", "--customer", &id, "--name", "x", "--amount", "1万", "--stage", "谈恋爱", "--json"]), 4);
    assert_eq!(bad_stage["fields"]["stage"], "unknown_stage");
    let missing = failed(&yiben(&db, &["deals", "add", "--customer", "999", "--name", "x", "--amount", "1万", "--json"]), 5);
    assert_eq!(missing["code"], "NOT_FOUND");
    failed(&yiben(&db, &["deals", "move", "999", "--stage", "lead", "--json"]), 5);
    let text = yiben(&db, &["deals", "add", "--customer", &id, "--name", "x", "--amount", "abc"]);
    assert_eq!(text.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&text.stderr).contains("预计金额"));
}

#[test]
fn deals_and_the_funnel_narrow_to_customers_matching_a_filter() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db");
    let add = |name: &str| json(&yiben(&db, &["customers", "add", "--name", name, "--json"]))["id"].to_string();
    let (key, other) = (add("远航物流"), add("华信科技"));
    json(&yiben(&db, &["customers", "tag", &key, "--add", "高价值客户", "--json"]));
    for (customer, amount) in [(&key, "50万"), (&key, "12万"), (&other, "8万")] {
        json(&yiben(&db, &["deals", "add", "--customer", customer, "--name", "一期", "--amount", amount, "--json"]));
    }
    let page = json(&yiben(&db, &["deals", "list", "--filter", "tag:高价值客户", "--json"]));
    let names: Vec<&str> = page["items"].as_array().unwrap().iter().map(|d| d["customerName"].as_str().unwrap()).collect();
    assert_eq!(names, ["远航物流", "远航物流"]);
    let report = json(&yiben(&db, &["report", "funnel", "--filter", "NOT tag:高价值客户", "--json"]));
    assert_eq!(report["totalCount"], 1);
    let all = json(&yiben(&db, &["report", "funnel", "--json"]));
    assert_eq!(all["totalCount"], 3);
    let err = failed(&yiben(&db, &["report", "funnel", "--filter", "tag:", "--json"]), 4);
    assert_eq!((err["fields"]["filter"].as_str(), err["fields"]["filter.at"].as_str()), (Some("empty_value"), Some("3")));
}
