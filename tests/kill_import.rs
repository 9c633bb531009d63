//! SIGKILL at random moments of real `yiben import` runs. After every kill the ledger must pass
//! SQLite's own checks, its search index must match its customers, and the import must be
//! wholly there or wholly absent. The seed is fixed, so a failing kill can be replayed.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection, SqliteConnection};

/// `YIBEN_KILL_SEED=<n>` replays or varies the kill moments; the default is fixed.
const SEED: u64 = 0x5EED_2026_1124;
/// Rows per import: a couple of seconds in a debug build.
const BATCH: i64 = 5000;
const BASE: i64 = 1200;
const CREATE_KILLS: usize = 15;
const MERGE_KILLS: usize = 5;

/// splitmix64: enough randomness for spreading kills, with no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A sheet of `rows` new customers; `batch` keeps names, phones and e-mails unique across sheets.
fn customers_sheet(dir: &Path, batch: i64, rows: i64) -> PathBuf {
    let path = dir.join(format!("batch{batch}.xlsx"));
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["客户名称", "联系人", "联系电话", "邮箱", "所属行业", "备注"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for i in 0..rows {
        let r = i as u32 + 1;
        sheet.write_string(r, 0, format!("第{batch}批客户{i}号科技有限公司")).unwrap();
        sheet.write_string(r, 1, format!("联系人{i}")).unwrap();
        sheet.write_string(r, 2, format!("13{:02}{:07}", batch % 100, i)).unwrap();
        sheet.write_string(r, 3, format!("b{batch}c{i}@example.com")).unwrap();
        sheet.write_string(r, 4, ["制造业", "互联网", "零售业", "金融业"][i as usize % 4]).unwrap();
        sheet.write_string(r, 5, format!("批次 {batch} 第 {i} 行")).unwrap();
    }
    book.save(&path).unwrap();
    path
}

/// The base batch again by phone, each row bringing a 客户来源 the customers lack: every row merges.
fn merge_sheet(dir: &Path, source: &str) -> PathBuf {
    let path = dir.join("merge.csv");
    let mut text = String::from("客户名称,联系电话,客户来源\n");
    for i in 0..BASE {
        text += &format!("第0批客户{i}号科技有限公司,1300{i:07},{source}\n");
    }
    std::fs::write(&path, text).unwrap();
    path
}

fn import(db: &Path, file: &Path, policy: &str) -> Child {
    Command::new(env!("CARGO_BIN_EXE_yiben"))
        .arg("--db")
        .arg(db)
        .args(["import", "--on-duplicate", policy, "--json"])
        .arg(file)
        .env_remove("YIBEN_DB")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the yiben binary runs")
}

fn finish(child: Child) {
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// Waits `delay`, then SIGKILLs the import unless it already ended. Answers whether it was
/// still running when killed.
fn kill_after(mut child: Child, delay: Duration) -> bool {
    let deadline = Instant::now() + delay;
    while Instant::now() < deadline {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(5).min(deadline.saturating_duration_since(Instant::now())));
    }
    if let Some(status) = child.try_wait().unwrap() {
        assert!(status.success(), "the import failed on its own: {status}");
        return false;
    }
    child.kill().unwrap(); // SIGKILL on Unix: no destructor, no rollback, no flush runs.
    child.wait().unwrap();
    true
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Counts {
    customers: i64,
    contacts: i64,
    imports: i64,
    merges: i64,
    sourced: i64,
}

async fn scalar(conn: &mut SqliteConnection, sql: &'static str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&mut *conn).await.unwrap()
}

/// What a restart finds: SQLite's integrity and foreign-key checks, the two search indexes
/// holding exactly the live customers, and the counts the import changes.
async fn inspect(db: &Path, source: &str) -> Counts {
    let mut conn = SqliteConnectOptions::new().filename(db).foreign_keys(true).connect().await.unwrap();
    let integrity: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check").fetch_all(&mut conn).await.unwrap();
    assert_eq!(integrity, ["ok"]);
    let broken_keys = sqlx::query("PRAGMA foreign_key_check").fetch_all(&mut conn).await.unwrap();
    assert!(broken_keys.is_empty(), "{} rows break a foreign key", broken_keys.len());
    sqlx::query("INSERT INTO customer_search (customer_search) VALUES ('integrity-check')").execute(&mut conn).await.unwrap();
    let unindexed = scalar(
        &mut conn,
        "SELECT count(*) FROM customers c WHERE c.deleted_at IS NULL
           AND (c.id NOT IN (SELECT rowid FROM customer_search) OR c.id NOT IN (SELECT rowid FROM customer_grams))",
    )
    .await;
    assert_eq!(unindexed, 0, "live customers missing from the search index");
    let stray = scalar(
        &mut conn,
        "SELECT (SELECT count(*) FROM customer_search WHERE rowid NOT IN (SELECT id FROM customers WHERE deleted_at IS NULL))
              + (SELECT count(*) FROM customer_grams WHERE rowid NOT IN (SELECT id FROM customers WHERE deleted_at IS NULL))",
    )
    .await;
    assert_eq!(stray, 0, "search entries without a live customer");
    let sourced = sqlx::query_scalar("SELECT count(*) FROM customers WHERE source = ?")
        .bind(source)
        .fetch_one(&mut conn)
        .await
        .unwrap();
    let counts = Counts {
        customers: scalar(&mut conn, "SELECT count(*) FROM customers").await,
        contacts: scalar(&mut conn, "SELECT count(*) FROM contacts").await,
        imports: scalar(&mut conn, "SELECT count(*) FROM imports WHERE undone_at IS NULL").await,
        merges: scalar(&mut conn, "SELECT count(*) FROM import_merges").await,
        sourced,
    };
    conn.close().await.unwrap();
    counts
}

#[tokio::test]
async fn sigkill_at_random_moments_leaves_every_import_whole_or_absent() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.db");
    let seed = std::env::var("YIBEN_KILL_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(SEED);
    let mut rng = Rng(seed);
    const SOURCE: &str = "展会名单";

    let started = Instant::now();
    finish(import(&db, &customers_sheet(dir.path(), 0, BASE), "create"));
    let mut before = inspect(&db, SOURCE).await;
    assert_eq!((before.customers, before.contacts, before.imports), (BASE, BASE, 1));

    // One import left alone says how long an import takes, so kills can spread over all of it.
    let timed = Instant::now();
    finish(import(&db, &customers_sheet(dir.path(), 1, BATCH), "create"));
    let duration = timed.elapsed();
    before = inspect(&db, SOURCE).await;
    assert_eq!(before.customers, BASE + BATCH);

    // `create` imports every row again as new customers, so one sheet serves every kill.
    let sheet = customers_sheet(dir.path(), 2, BATCH);
    let whole = |b: Counts| Counts { customers: b.customers + BATCH, contacts: b.contacts + BATCH, imports: b.imports + 1, ..b };
    let (mut killed, mut completed) = (0, 0);
    for k in 0..CREATE_KILLS {
        // From the first milliseconds (opening, the pre-import backup) to just past the end.
        let delay = duration.mul_f64(0.02 + 1.08 * rng.unit());
        let was_running = kill_after(import(&db, &sheet, "create"), delay);
        let after = inspect(&db, SOURCE).await;
        if after == before {
            assert!(was_running, "kill {k}: an import that ended left nothing");
            killed += 1;
        } else {
            assert_eq!(after, whole(before), "kill {k} after {delay:?}: a partial import");
            completed += 1;
        }
        before = after;
    }

    // Merges rewrite existing customers, their history and the undo log in place.
    let merge = merge_sheet(dir.path(), SOURCE);
    let (mut merge_killed, mut merge_completed) = (0, 0);
    let timed = Instant::now();
    finish(import(&db, &merge, "merge"));
    let merge_duration = timed.elapsed();
    let merged = inspect(&db, SOURCE).await;
    assert_eq!((merged.customers, merged.sourced, merged.merges), (before.customers, BASE, before.merges + BASE));
    undo_last(&db);
    before = inspect(&db, SOURCE).await;
    assert_eq!(before.sourced, 0);
    for k in 0..MERGE_KILLS {
        let delay = merge_duration.mul_f64(0.02 + 1.08 * rng.unit());
        let was_running = kill_after(import(&db, &merge, "merge"), delay);
        let after = inspect(&db, SOURCE).await;
        if after == before {
            assert!(was_running, "merge kill {k}: a merge that ended left nothing");
            merge_killed += 1;
        } else {
            let want = Counts { imports: before.imports + 1, merges: before.merges + BASE, sourced: BASE, ..before };
            assert_eq!(after, want, "merge kill {k} after {delay:?}: a partial merge");
            merge_completed += 1;
            undo_last(&db);
            let undone = inspect(&db, SOURCE).await;
            assert_eq!(undone.sourced, 0);
            before = undone;
            continue;
        }
        before = after;
    }
    // The ledger still works after all of it.
    finish(import(&db, &customers_sheet(dir.path(), 90, 10), "create"));
    assert_eq!(inspect(&db, SOURCE).await.customers, before.customers + 10);

    // The figures docs/reliability.md reports.
    println!(
        "kill_import (seed {seed}): create {BATCH} rows ({duration:?}): {killed} killed mid-run, {completed} finished first, all survived; \
         merge {BASE} rows ({merge_duration:?}): {merge_killed} killed mid-run, {merge_completed} finished first, all survived; \
         {:.1} s in all",
        started.elapsed().as_secs_f64()
    );
    assert!(killed >= CREATE_KILLS / 2, "most kills must land while the import runs: {killed} of {CREATE_KILLS}");
    assert!(merge_killed >= MERGE_KILLS / 2, "most merge kills must land while it runs: {merge_killed} of {MERGE_KILLS}");
}

fn undo_last(db: &Path) {
    let out = Command::new(env!("CARGO_BIN_EXE_yiben"))
        .arg("--db")
        .arg(db)
        .args(["import", "--undo", "last", "--json"])
        .env_remove("YIBEN_DB")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}
