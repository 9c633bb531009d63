//! `yiben encryption status|on|off|change` and the password sources as a script uses them, and
//! SIGKILL at random moments of real re-encryptions: afterwards the ledger opens with the
//! password before or the one after, passes its checks and has every customer.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::Instant;

use common::cli::{failed, json};
use serde_json::Value;

fn command(db: &Path, args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_yiben"));
    cmd.arg("--db").arg(db).args(args);
    for var in ["YIBEN_DB", "YIBEN_PASSWORD", "YIBEN_NEW_PASSWORD", "YIBEN_BACKUP_PASSWORD"] {
        cmd.env_remove(var);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd
}

fn spawn(db: &Path, args: &[&str], env: &[(&str, &str)], stdin: &str) -> Child {
    let mut child = command(db, args, env)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the yiben binary runs");
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child
}

fn run(db: &Path, args: &[&str], env: &[(&str, &str)], stdin: &str) -> Output {
    spawn(db, args, env, stdin).wait_with_output().unwrap()
}

fn customers(db: &Path, env: &[(&str, &str)]) -> Vec<String> {
    let page = json(&run(db, &["customers", "list", "--limit", "100", "--json"], env, ""));
    page["items"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap().to_owned()).collect()
}

#[test]
fn status_on_change_off_with_stdin_and_environment_passwords() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db");
    json(&run(&db, &["customers", "add", "--name", "华信科技", "--phone", "13912345678", "--json"], &[], ""));

    let status = json(&run(&db, &["encryption", "status", "--json"], &[], ""));
    assert_eq!(status["encrypted"], false);
    assert_eq!(status["kdf"], Value::Null);

    let refused = failed(&run(&db, &["encryption", "on", "--json"], &[], ""), 4);
    assert_eq!(refused["code"], "VALIDATION");
    assert_eq!(refused["fields"]["password"], "required");

    let on = json(&run(&db, &["encryption", "on", "--password-stdin", "--json"], &[], "pass one \n"));
    assert_eq!(on["encrypted"], true);
    assert_eq!(on["kdf"], yiben::encryption::KDF);
    assert!(yiben::encryption::is_encrypted(&db).unwrap());
    // Status needs no password.
    assert_eq!(json(&run(&db, &["encryption", "status", "--json"], &[], ""))["encrypted"], true);

    let locked = failed(&run(&db, &["customers", "list", "--json"], &[], ""), 1);
    assert_eq!(locked["code"], "PASSWORD_REQUIRED");
    let told = run(&db, &["customers", "list"], &[], "");
    assert_eq!(told.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&told.stderr).contains("YIBEN_PASSWORD"), "{told:?}");
    // The trailing space is part of the password.
    let wrong = failed(&run(&db, &["customers", "list", "--json"], &[("YIBEN_PASSWORD", "pass one")], ""), 1);
    assert_eq!(wrong["code"], "WRONG_PASSWORD");
    assert_eq!(customers(&db, &[("YIBEN_PASSWORD", "pass one ")]), ["华信科技"]);

    json(&run(&db, &["encryption", "change", "--password-stdin", "--json"], &[], "pass one \r\npass two\n"));
    let wrong = failed(&run(&db, &["customers", "list", "--json"], &[("YIBEN_PASSWORD", "pass one ")], ""), 1);
    assert_eq!(wrong["code"], "WRONG_PASSWORD");
    let listed = json(&run(&db, &["--password-stdin", "customers", "list", "--json"], &[], "pass two\n"));
    assert_eq!(listed["items"][0]["name"], "华信科技");

    let two = [("YIBEN_PASSWORD", "pass two")];
    let backup = json(&run(&db, &["backup", "create", "--json"], &two, ""));
    let backup_path = backup["path"].as_str().unwrap().to_owned();
    assert!(yiben::encryption::is_encrypted(Path::new(&backup_path)).unwrap());
    json(&run(&db, &["customers", "add", "--name", "万家超市", "--json"], &two, ""));

    // Changing with environment variables: the current and the new password.
    json(&run(&db, &["encryption", "change", "--json"], &[("YIBEN_PASSWORD", "pass two"), ("YIBEN_NEW_PASSWORD", "pass 3")], ""));
    let three = [("YIBEN_PASSWORD", "pass 3")];
    assert_eq!(customers(&db, &three).len(), 2);

    // The backup was made under the second password: it needs it, the ledger keeps the third.
    let refused = failed(&run(&db, &["backup", "restore", &backup_path, "--json"], &three, ""), 1);
    assert_eq!(refused["code"], "WRONG_PASSWORD");
    json(&run(
        &db,
        &["backup", "restore", &backup_path, "--json"],
        &[("YIBEN_PASSWORD", "pass 3"), ("YIBEN_BACKUP_PASSWORD", "pass two")],
        "",
    ));
    assert_eq!(customers(&db, &three), ["华信科技"]);

    let refused = failed(&run(&db, &["encryption", "off", "--json"], &[("YIBEN_PASSWORD", "nope")], ""), 1);
    assert_eq!(refused["code"], "WRONG_PASSWORD");
    let off = json(&run(&db, &["encryption", "off", "--json"], &three, ""));
    assert_eq!(off["encrypted"], false);
    assert_eq!(customers(&db, &[]), ["华信科技"]);
    let refused = failed(&run(&db, &["encryption", "off", "--json"], &[], ""), 4);
    assert_eq!(refused["fields"]["encryption"], "off");

    let audit = json(&run(&db, &["audit", "--action", "settings_change", "--json"], &[], ""));
    let changes: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["entityId"] == "encryption")
        .map(|e| e["details"]["value"].as_str().unwrap())
        .collect();
    // The second change was logged in the ledger the restore replaced.
    assert_eq!(changes, ["off", "password_changed", "on"]);
}

/// splitmix64, as in the import kill test.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

const CUSTOMERS: i64 = 6000;
const KILLS: usize = 10;

/// The password the ledger opens with now, among those it could have (`None`: plain).
fn current_password<'a>(db: &Path, candidates: &[&'a str]) -> Option<&'a str> {
    if !yiben::encryption::is_encrypted(db).unwrap() {
        return None;
    }
    let answers: Vec<(&str, Output)> = candidates.iter().map(|&pw| (pw, check_output(db, Some(pw)))).collect();
    let opens: Vec<&str> = answers.iter().filter(|(_, out)| out.status.success()).map(|(pw, _)| *pw).collect();
    let why: Vec<String> = answers.iter().map(|(pw, out)| format!("{pw}: {}", String::from_utf8_lossy(&out.stderr))).collect();
    assert_eq!(opens.len(), 1, "exactly one of the passwords opens the ledger: {opens:?} {why:?}");
    Some(opens[0])
}

fn check_output(db: &Path, pw: Option<&str>) -> Output {
    let env: Vec<(&str, &str)> = pw.map(|p| ("YIBEN_PASSWORD", p)).into_iter().collect();
    run(db, &["check", "--json"], &env, "")
}

/// `yiben check`'s report when the ledger opens with `pw`.
fn check(db: &Path, pw: Option<&str>) -> Option<Value> {
    let out = check_output(db, pw);
    out.status.success().then(|| serde_json::from_slice(&out.stdout).unwrap())
}

#[test]
fn killing_re_encryptions_at_random_moments_never_loses_the_ledger() {
    let seed = std::env::var("YIBEN_KILL_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0x5EED_C1FE_2026u64);
    let mut rng = Rng(seed);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kill.db");
    let seeded = run(&db, &["bench", "seed", "--customers", &CUSTOMERS.to_string()], &[], "");
    assert!(seeded.status.success(), "{}", String::from_utf8_lossy(&seeded.stderr));

    // How long a whole run takes, to spread the kills over it.
    let started = Instant::now();
    json(&run(&db, &["encryption", "on", "--json"], &[("YIBEN_NEW_PASSWORD", "甲")], ""));
    let full = started.elapsed();
    json(&run(&db, &["encryption", "off", "--json"], &[("YIBEN_PASSWORD", "甲")], ""));

    let passwords = ["甲", "乙"];
    let (mut killed_mid_way, mut finished) = (0, 0);
    for round in 0..KILLS {
        let current = current_password(&db, &passwords);
        let (args, env): (Vec<&str>, Vec<(&str, &str)>) = match current {
            None => (vec!["encryption", "on", "--json"], vec![("YIBEN_NEW_PASSWORD", passwords[round % 2])]),
            Some(pw) if round % 3 == 0 => (vec!["encryption", "off", "--json"], vec![("YIBEN_PASSWORD", pw)]),
            Some(pw) => {
                let other = if pw == passwords[0] { passwords[1] } else { passwords[0] };
                (vec!["encryption", "change", "--json"], vec![("YIBEN_PASSWORD", pw), ("YIBEN_NEW_PASSWORD", other)])
            }
        };
        let mut child = spawn(&db, &args, &env, "");
        let wait = full.mul_f64(rng.unit() * 1.1);
        std::thread::sleep(wait);
        match child.try_wait().unwrap() {
            Some(_) => finished += 1,
            None => {
                child.kill().unwrap();
                killed_mid_way += 1;
            }
        }
        child.wait().unwrap();
        let files: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        eprintln!("round {round}: {args:?} killed at {wait:?}; files {files:?}");

        let now = current_password(&db, &passwords);
        let report = check(&db, now).unwrap_or_else(|| panic!("round {round}: the ledger does not open after the kill at {wait:?}"));
        assert_eq!(report["ok"], true, "round {round}: {report}");
        assert_eq!(report["integrity"], serde_json::json!(["ok"]));
        assert_eq!(report["searchIndex"]["liveCustomers"], CUSTOMERS, "round {round}: rows lost");
    }
    eprintln!("re-encryption kills: {killed_mid_way} mid-way, {finished} after finishing, of {KILLS}; a full run takes {full:?}");
    assert!(killed_mid_way >= KILLS / 2, "most kills land mid-way ({killed_mid_way} of {KILLS})");
    // Nothing of an interrupted run is left once a run completes.
    let last = current_password(&db, &passwords);
    let env: Vec<(&str, &str)> = match last {
        None => vec![("YIBEN_NEW_PASSWORD", "甲")],
        Some(pw) => vec![("YIBEN_PASSWORD", pw), ("YIBEN_NEW_PASSWORD", if pw == "甲" { "乙" } else { "甲" })],
    };
    let finish = if last.is_none() { "on" } else { "change" };
    json(&run(&db, &["encryption", finish, "--json"], &env, ""));
    let leftovers: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".partial"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
