//! `yiben report dashboard|performance|customers|followups|export` as a script would use them.

mod common;

use common::cli::{failed, json, yiben};

/// Two customers in October 2026 (制造业 won 30万, 零售业 won 10万), two follow-ups, one lost deal.
fn ledger(db: &std::path::Path) {
    let at = |when: &str, args: &[&str]| {
        let out = yiben(db, &[&["--now", when][..], args].concat());
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let a = at("2026-10-08T09:00:00+08:00", &["customers", "add", "--name", "恒达精密", "--industry", "制造业", "--owner", "王经理", "--json"]);
    let b = at("2026-10-09T09:00:00+08:00", &["customers", "add", "--name", "万家超市", "--industry", "零售业", "--owner", "李经理", "--json"]);
    let (a, b) = (a["id"].to_string(), b["id"].to_string());
    at("2026-10-10T09:00:00+08:00", &["deals", "add", "--customer", &a, "--name", "产线", "--amount", "30万", "--stage", "won", "--json"]);
    at("2026-10-11T09:00:00+08:00", &["deals", "add", "--customer", &b, "--name", "收银", "--amount", "10万", "--stage", "won", "--json"]);
    at("2026-10-12T09:00:00+08:00", &["deals", "add", "--customer", &b, "--name", "二期", "--amount", "5万", "--stage", "流失", "--reason", "价格过高", "--json"]);
    at("2026-10-13T09:00:00+08:00", &["followups", "add", "--customer", &a, "--method", "电话", "--content", "确认交期", "--feedback", "下周签", "--owner", "王经理", "--json"]);
    at("2026-10-15T09:00:00+08:00", &["followups", "add", "--customer", &a, "--method", "微信", "--content", "发合同", "--owner", "王经理", "--json"]);
}

const NOW: [&str; 2] = ["--now", "2026-11-24T10:00:00+08:00"];
const OCTOBER: [&str; 4] = ["--from", "2026-10-01", "--to", "2026-10-31"];

#[test]
fn the_reports_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db");
    ledger(&db);

    let p = json(&yiben(&db, &[&NOW[..], &["report", "performance"], &OCTOBER[..], &["--json"]].concat()));
    assert_eq!(p["period"]["from"], "2026-10-01");
    assert_eq!(p["total"]["newCustomers"], 2);
    assert_eq!(p["total"]["wonCustomers"], 2);
    assert_eq!(p["total"]["wonAmountFen"], 40_000_000);
    assert_eq!(p["total"]["avgDealFen"], 20_000_000);
    assert_eq!(p["total"]["topShare"], 0.75);
    assert_eq!(p["lostReasons"][0]["reason"], "价格过高");
    assert_eq!(p["owners"][0]["owner"], "王经理");

    let owned = json(&yiben(&db, &[&NOW[..], &["report", "performance"], &OCTOBER[..], &["--owner", "李经理", "--json"]].concat()));
    assert_eq!(owned["total"]["wonAmountFen"], 10_000_000);

    let c = json(&yiben(&db, &[&NOW[..], &["report", "customers"], &OCTOBER[..], &["--by", "industry", "--json"]].concat()));
    assert_eq!(c["dimension"], "industry");
    assert_eq!(c["rows"][0]["key"], "制造业");
    assert_eq!(c["rows"][0]["share"], 0.5);
    assert_eq!(c["rows"][0]["wonShare"], 0.75);

    let f = json(&yiben(&db, &[&NOW[..], &["report", "followups"], &OCTOBER[..], &["--json"]].concat()));
    assert_eq!(f["total"]["followups"], 2);
    assert_eq!(f["total"]["responses"], 1);
    assert_eq!(f["total"]["avgGapDays"], 2.0);

    // A month in progress: November so far, against October's first 24 days.
    let d = json(&yiben(&db, &["--now", "2026-11-24T10:00:00+08:00", "report", "dashboard", "--period", "month", "--json"]));
    assert_eq!(d["period"]["current"]["from"], "2026-11-01");
    assert_eq!(d["period"]["previous"]["to"], "2026-10-24");
    let new = d["kpis"].as_array().unwrap().iter().find(|k| k["key"] == "new_customers").unwrap();
    assert_eq!((new["value"].as_i64(), new["previous"].as_i64()), (Some(0), Some(2)));
    assert_eq!(new["change"], -1.0);
}

#[test]
fn bad_arguments_are_field_errors() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db");
    let err = failed(&yiben(&db, &["report", "customers", "--by", "colour", "--json"]), 4);
    assert_eq!(err["fields"]["by"], "value_invalid");
    let err = failed(&yiben(&db, &["report", "performance", "--period", "decade", "--json"]), 4);
    assert_eq!(err["fields"]["period"], "value_invalid");
    let err = failed(&yiben(&db, &["report", "performance", "--from", "2026-10-31", "--to", "2026-10-01", "--json"]), 4);
    assert_eq!(err["fields"]["to"], "before_from");
    let out = yiben(&db, &["report", "export", "--out", dir.path().join("r.xlsx").to_str().unwrap(), "--kind", "everything"]);
    assert_eq!(out.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&out.stderr).contains("报表"));
}

#[test]
fn export_writes_a_workbook_with_every_report() {
    use calamine::Reader;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db");
    ledger(&db);
    let out = dir.path().join("报表.xlsx");
    let run = yiben(&db, &[&NOW[..], &["report", "export"], &OCTOBER[..], &["--out", out.to_str().unwrap()]].concat());
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let book: calamine::Xlsx<_> = calamine::open_workbook(&out).unwrap();
    assert!(book.sheet_names().len() >= 5, "{:?}", book.sheet_names());
}
