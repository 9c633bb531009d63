//! Backups, restore and the integrity check through the core: a real ledger on disk, real
//! `VACUUM INTO` copies, an older schema built by applying only the first migrations.

mod common;

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use chrono::{DateTime, Duration, FixedOffset, TimeZone, Utc};
use common::{add, contact, input, ledger, t0, total};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection, SqliteConnection};
use yiben::backup::rotation::{daily_due, expired};
use yiben::backup::{self, BackupInfo, BackupKind};
use yiben::customers::{Customer, CustomerInput, ListQuery};
use yiben::import::job::ImportRequest;
use yiben::{Crm, ErrorCode, FixedClock, SequentialIds, Zone};

fn beijing() -> Zone {
    Zone::Fixed(FixedOffset::east_opt(8 * 3600).unwrap())
}

async fn raw(path: &Path) -> SqliteConnection {
    SqliteConnectOptions::new()
        .filename(path)
        .connect()
        .await
        .unwrap()
}

/// Every customer, in id order, including the recycle bin.
async fn snapshot(crm: &Crm) -> Vec<Customer> {
    let mut all = Vec::new();
    for scope in [false, true] {
        let mut q = ListQuery::first(500);
        if scope {
            q.scope = yiben::customers::Scope::Deleted;
        }
        let page = crm.list_customers(&q).await.unwrap();
        for row in page.items {
            all.push(crm.customer(row.id).await.unwrap());
        }
    }
    all.sort_by_key(|c| c.id);
    all
}

async fn seeded(crm: &Crm) -> Vec<Customer> {
    let mut a = input("华信科技有限公司", Some("13912345678"), Some("制造业"));
    a.contacts = vec![contact("李总", &["13800001111"])];
    add(crm, &a).await;
    add(crm, &input("万家超市", Some("13700002222"), Some("零售业"))).await;
    let gone = add(crm, &input("旧客户", None, None)).await;
    crm.delete_customer(gone.id).await.unwrap();
    snapshot(crm).await
}

#[tokio::test]
async fn a_backup_restores_the_ledger_exactly() {
    let l = ledger().await;
    let before = seeded(&l.crm).await;
    l.clock.advance(Duration::nanoseconds(1_234_567));
    let made = l.crm.create_backup(None).await.unwrap();
    assert_eq!(made.kind, BackupKind::Manual);
    assert_eq!(
        l.crm.backups().await.unwrap(),
        [made.clone()],
        "listed exactly as answered"
    );
    assert!(Path::new(&made.path).starts_with(l.dir.path().join("backups")));
    assert!(made.size > 0);

    // Changes after the backup: one more customer, one deleted, one edited.
    add(&l.crm, &input("新客户", Some("13600003333"), None)).await;
    l.crm.delete_customer(before[0].id).await.unwrap();
    l.clock.advance(Duration::minutes(5));
    let restored = l.crm.restore(Path::new(&made.path)).await.unwrap();
    assert_eq!(snapshot(&restored).await, before);
    assert!(restored.check().await.unwrap().ok);

    // The ledger as it was just before is kept too.
    let kinds: Vec<BackupKind> = restored
        .backups()
        .await
        .unwrap()
        .iter()
        .map(|b| b.kind)
        .collect();
    assert!(kinds.contains(&BackupKind::PreRestore), "{kinds:?}");
    let pre = restored
        .backups()
        .await
        .unwrap()
        .into_iter()
        .find(|b| b.kind == BackupKind::PreRestore)
        .unwrap();
    let mut conn = raw(Path::new(&pre.path)).await;
    let names: i64 = sqlx::query_scalar("SELECT count(*) FROM customers WHERE name = '新客户'")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(names, 1);
    // The old handle's pool is closed; the new one works and search works on restored data.
    assert!(l.crm.customer(before[0].id).await.is_err());
    let found = restored
        .list_customers(&ListQuery {
            search: Some("华信".into()),
            ..ListQuery::first(10)
        })
        .await
        .unwrap();
    assert_eq!(found.items.len(), 1);
}

#[tokio::test]
async fn a_backup_to_a_chosen_file_is_whole_and_never_the_ledger_itself() {
    let l = ledger().await;
    seeded(&l.crm).await;
    let out = l.dir.path().join("chosen").join("my copy.db");
    let made = l.crm.create_backup(Some(&out)).await.unwrap();
    assert_eq!(PathBuf::from(&made.path), out);
    assert_eq!(std::fs::metadata(&out).unwrap().len(), made.size);
    let mut conn = raw(&out).await;
    let ok: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(ok, "ok");
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM customers")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(n, 3);
    conn.close().await.unwrap();
    // No partial file is left beside it.
    let names: Vec<String> = std::fs::read_dir(out.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["my copy.db"]);
    // A second backup to the same file replaces it.
    add(&l.crm, &input("第四家", None, None)).await;
    l.crm.create_backup(Some(&out)).await.unwrap();
    let mut conn = raw(&out).await;
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM customers")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(n, 4);

    let err = l.crm.create_backup(Some(l.crm.path())).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Validation);
    assert_eq!(err.fields()["out"], "same_as_ledger");
    assert_eq!(total(&l.crm).await, 3);
}

fn info(kind: BackupKind, at: DateTime<Utc>) -> BackupInfo {
    BackupInfo {
        kind,
        at,
        size: 1,
        path: backup::file_name(at, kind),
    }
}

/// 10:00 Beijing time on a day of 2026.
fn day(month: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, month, d, 2, 0, 0).unwrap()
}

fn names(list: &[BackupInfo]) -> Vec<String> {
    let mut v: Vec<String> = list
        .iter()
        .map(|b| b.at.format("%m-%d %H:%M").to_string())
        .collect();
    v.sort();
    v
}

#[test]
fn rotation_keeps_seven_daily_and_the_newest_of_each_of_four_weeks_before() {
    // Daily backups from Mon 2026-09-07 to Tue 2026-11-24 (ISO weeks 37–48).
    let now = day(11, 24) + Duration::hours(1);
    let mut all = Vec::new();
    let mut at = day(9, 7);
    while at <= day(11, 24) {
        all.push(info(BackupKind::Daily, at));
        at += Duration::days(1);
    }
    let gone = expired(&all, now, beijing());
    let kept: Vec<BackupInfo> = all.iter().filter(|b| !gone.contains(b)).cloned().collect();
    // 7 newest: 11-18 … 11-24. Weeks before the current one (week 48 starts Mon 11-23):
    // week 47 ends Sun 11-22 (already among the 7), week 46 → 11-15, 45 → 11-08, 44 → 11-01.
    assert_eq!(
        names(&kept),
        [
            "11-01 02:00",
            "11-08 02:00",
            "11-15 02:00",
            "11-18 02:00",
            "11-19 02:00",
            "11-20 02:00",
            "11-21 02:00",
            "11-22 02:00",
            "11-23 02:00",
            "11-24 02:00"
        ]
    );
}

#[test]
fn rotation_weeks_are_iso_weeks_in_the_users_zone() {
    // Sunday 2026-11-15 23:30 Beijing is Sunday 15:30 UTC; Monday 2026-11-16 00:30 Beijing is
    // still Sunday in UTC but Monday, week 47, for the user.
    let sunday_late = Utc.with_ymd_and_hms(2026, 11, 15, 15, 30, 0).unwrap();
    let monday_early = Utc.with_ymd_and_hms(2026, 11, 15, 16, 30, 0).unwrap();
    let older = day(11, 10);
    let mut all = vec![
        info(BackupKind::Daily, older),
        info(BackupKind::Daily, sunday_late),
        info(BackupKind::Daily, monday_early),
    ];
    // Seven newer dailies from week 49 push them out of the daily seven.
    for d in 1..=7 {
        all.push(info(
            BackupKind::Daily,
            Utc.with_ymd_and_hms(2026, 11, 30, 0, 0, 0).unwrap() + Duration::hours(d),
        ));
    }
    let now = Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap();
    let gone = expired(&all, now, beijing());
    // Week 46 (11-09 … 11-15): its newest is Sunday late; week 47 (11-16 …): Monday early.
    assert_eq!(names(&gone), ["11-10 02:00"]);
    // In UTC both fall on Sunday (week 46): the earlier one goes instead.
    let gone_utc = expired(&all, now, Zone::Fixed(FixedOffset::east_opt(0).unwrap()));
    assert_eq!(names(&gone_utc), ["11-10 02:00", "11-15 15:30"]);
}

#[test]
fn rotation_across_the_new_year_counts_iso_week_53() {
    // 2026-12-28 (Mon) … 2027-01-03 (Sun) is ISO week 2026-W53: one week across two years.
    let at = |y, m, d| Utc.with_ymd_and_hms(y, m, d, 2, 0, 0).unwrap();
    let mut all = vec![
        info(BackupKind::Daily, at(2026, 12, 29)),
        info(BackupKind::Daily, at(2027, 1, 2)),
        info(BackupKind::Daily, at(2026, 12, 27)),
    ];
    for d in 11..=17 {
        all.push(info(BackupKind::Daily, at(2027, 1, d)));
    }
    let now = at(2027, 1, 17);
    let gone = expired(&all, now, beijing());
    // Week 2027-W01 (01-04 … 01-10) has none; W53 keeps 01-02 only; W52 keeps 12-27.
    assert_eq!(names(&gone), ["12-29 02:00"]);
}

#[test]
fn rotation_keeps_five_of_each_step_and_every_manual_backup() {
    let mut all = Vec::new();
    for h in 0..8 {
        all.push(info(BackupKind::PreImport, day(3, 1) + Duration::hours(h)));
        all.push(info(
            BackupKind::PreMigration,
            day(3, 2) + Duration::hours(h),
        ));
        all.push(info(BackupKind::Manual, day(1, 1) + Duration::hours(h)));
    }
    all.push(info(BackupKind::PreRestore, day(3, 3)));
    let gone = expired(&all, day(11, 1), beijing());
    assert_eq!(
        gone.iter()
            .filter(|b| b.kind == BackupKind::PreImport)
            .count(),
        3
    );
    assert_eq!(
        gone.iter()
            .filter(|b| b.kind == BackupKind::PreMigration)
            .count(),
        3
    );
    assert!(gone
        .iter()
        .all(|b| b.kind != BackupKind::Manual && b.kind != BackupKind::PreRestore));
    // The three oldest go.
    let oldest: Vec<String> = gone
        .iter()
        .filter(|b| b.kind == BackupKind::PreImport)
        .map(|b| b.at.format("%H").to_string())
        .collect();
    assert_eq!(oldest.len(), 3);
    assert!(
        oldest
            .iter()
            .all(|h| ["02", "03", "04"].contains(&h.as_str())),
        "{oldest:?}"
    );
    // Exactly at the limit nothing goes.
    assert!(expired(&all[..15], day(11, 1), beijing()).is_empty());
}

#[test]
fn a_daily_backup_is_due_once_per_local_day() {
    // 2026-03-01 23:30 Beijing = 15:30 UTC; 2026-03-02 00:10 Beijing = 16:10 UTC, same UTC day.
    let late = Utc.with_ymd_and_hms(2026, 3, 1, 15, 30, 0).unwrap();
    let next_day = Utc.with_ymd_and_hms(2026, 3, 1, 16, 10, 0).unwrap();
    let taken = vec![info(BackupKind::Daily, late)];
    assert!(!daily_due(&taken, late + Duration::minutes(20), beijing()));
    assert!(daily_due(&taken, next_day, beijing()));
    assert!(daily_due(&[], late, beijing()));
    // Another kind does not count as the daily one.
    assert!(daily_due(
        &[info(BackupKind::PreImport, late)],
        late,
        beijing()
    ));
}

#[test]
fn backup_names_carry_time_and_kind() {
    let at = Utc.with_ymd_and_hms(2026, 11, 24, 13, 14, 0).unwrap() + Duration::milliseconds(123);
    let name = backup::file_name(at, BackupKind::PreMigration);
    assert_eq!(name, "yiben-20261124T131400.123Z-pre-migration.db");
    assert_eq!(
        backup::parse_name(&name),
        Some((at, BackupKind::PreMigration))
    );
    assert_eq!(
        backup::parse_name("yiben-20261124T131400.123Z-pre-import-2.db"),
        Some((at, BackupKind::PreImport))
    );
    assert_eq!(
        backup::parse_name("yiben-20261124T131400.123Z-weekly.db"),
        None
    );
    assert_eq!(backup::parse_name("notes.txt"), None);
    assert_eq!(
        backup::parse_name("yiben-20261124T131400.123Z-daily.db.77.partial"),
        None
    );
}

#[tokio::test]
async fn the_daily_backup_runs_once_a_day_and_rotates() {
    let l = ledger().await;
    seeded(&l.crm).await;
    let first = l
        .crm
        .backup_daily_if_due()
        .await
        .unwrap()
        .expect("the first call backs up");
    assert_eq!(first.kind, BackupKind::Daily);
    l.clock.advance(Duration::hours(3));
    assert!(l.crm.backup_daily_if_due().await.unwrap().is_none());
    for _ in 0..40 {
        l.clock.advance(Duration::days(1));
        assert!(l.crm.backup_daily_if_due().await.unwrap().is_some());
    }
    let kept = l.crm.backups().await.unwrap();
    assert!(kept.iter().all(|b| b.kind == BackupKind::Daily));
    assert!((7..=11).contains(&kept.len()), "{}", kept.len());
    let newest = kept.first().unwrap();
    assert_eq!(newest.at, l.crm.now());
    // Unrelated files in the folder are left alone.
    std::fs::write(l.crm.backups_dir().join("readme.txt"), "mine").unwrap();
    l.clock.advance(Duration::days(1));
    l.crm.backup_daily_if_due().await.unwrap();
    assert!(l.crm.backups_dir().join("readme.txt").exists());
}

/// A ledger file at the level of the first `n` migrations, with one customer in it.
async fn old_ledger(path: &Path, n: usize) {
    let mut migrator =
        sqlx::migrate::Migrator::new(common::package_dir().join("migrations"))
            .await
            .unwrap();
    migrator.migrations = migrator.migrations[..n].to_vec().into();
    let mut conn = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .connect()
        .await
        .unwrap();
    migrator.run(&mut conn).await.unwrap();
    sqlx::query(
        "INSERT INTO customers (uid, name, name_key, phone, number, created_at, updated_at)
         VALUES ('old-1', '老客户贸易公司', '老客户贸易公司', '13912345678', '2024-GEN-001', 1700000000000, 1700000000000)",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    conn.close().await.unwrap();
}

async fn open(path: &Path, at: DateTime<Utc>) -> Crm {
    Crm::open_with(
        path,
        Arc::new(FixedClock::new(at)),
        Arc::new(SequentialIds::default()),
    )
    .await
    .unwrap()
    .with_zone(beijing())
}

#[tokio::test]
async fn an_older_ledger_is_backed_up_before_it_is_migrated() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("yiben.db");
    old_ledger(&path, 11).await;
    let crm = open(&path, t0()).await;
    let backups = crm.backups().await.unwrap();
    assert_eq!(backups.len(), 1, "{backups:?}");
    assert_eq!(backups[0].kind, BackupKind::PreMigration);
    assert_eq!(backups[0].at, t0());
    // The copy is the ledger before the upgrade, data and all.
    let mut copy = raw(Path::new(&backups[0].path)).await;
    let level: i64 = sqlx::query_scalar("SELECT max(version) FROM _sqlx_migrations")
        .fetch_one(&mut copy)
        .await
        .unwrap();
    assert_eq!(level, 11);
    let name: String = sqlx::query_scalar("SELECT name FROM customers")
        .fetch_one(&mut copy)
        .await
        .unwrap();
    assert_eq!(name, "老客户贸易公司");
    copy.close().await.unwrap();
    // The upgraded ledger has it too, searchable, and the check passes.
    let found = crm
        .list_customers(&ListQuery {
            search: Some("老客户".into()),
            ..ListQuery::first(10)
        })
        .await
        .unwrap();
    assert_eq!(found.items.len(), 1);
    assert!(crm.check().await.unwrap().ok);
    crm.close().await;
    // Nothing pending on the next open: no second backup.
    let again = open(&path, t0() + Duration::hours(1)).await;
    assert_eq!(again.backups().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_new_ledger_needs_no_backup() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("yiben.db");
    let crm = open(&path, t0()).await;
    assert!(crm.backups().await.unwrap().is_empty());
    assert!(!crm.backups_dir().exists());
}

fn csv(dir: &Path, rows: &str) -> PathBuf {
    let path = dir.join("客户.csv");
    std::fs::write(&path, format!("客户名称,联系电话\n{rows}")).unwrap();
    path
}

#[tokio::test]
async fn an_import_is_preceded_by_a_backup() {
    let l = ledger().await;
    seeded(&l.crm).await;
    let file = csv(l.dir.path(), "恒达精密,13511112222\n远航物流,13522223333\n");
    let req = ImportRequest {
        path: file.to_string_lossy().into_owned(),
        ..Default::default()
    };
    l.crm
        .import(&req, true, &AtomicBool::new(false), &|_| {})
        .await
        .unwrap();
    assert!(
        l.crm.backups().await.unwrap().is_empty(),
        "a dry run writes nothing, so needs no backup"
    );
    let report = l
        .crm
        .import(&req, false, &AtomicBool::new(false), &|_| {})
        .await
        .unwrap();
    assert_eq!(report.imported, 2);
    let backups = l.crm.backups().await.unwrap();
    assert_eq!(backups.len(), 1);
    assert_eq!(backups[0].kind, BackupKind::PreImport);
    let mut copy = raw(Path::new(&backups[0].path)).await;
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM customers")
        .fetch_one(&mut copy)
        .await
        .unwrap();
    assert_eq!(n, 3, "the backup is the ledger before the import");
    copy.close().await.unwrap();
    // Restoring it takes the import back out.
    let restored = l.crm.restore(Path::new(&backups[0].path)).await.unwrap();
    assert_eq!(total(&restored).await, 2);
}

async fn refused(l: &common::Ledger, file: &Path, code: ErrorCode) {
    let before = snapshot(&l.crm).await;
    let backups = l.crm.backups().await.unwrap().len();
    let err = l.crm.restore(file).await.err().expect("refused");
    assert_eq!(err.code(), code, "{err}");
    // Untouched, still open, nothing new in the folder, no staged file left behind.
    assert_eq!(snapshot(&l.crm).await, before);
    assert_eq!(l.crm.backups().await.unwrap().len(), backups);
    let leftovers: Vec<String> = std::fs::read_dir(l.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("partial") || n.contains("restore"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[tokio::test]
async fn a_restore_refuses_what_is_not_a_whole_ledger() {
    let l = ledger().await;
    seeded(&l.crm).await;
    let dir = l.dir.path();

    let garbage = dir.join("garbage.db");
    std::fs::write(
        &garbage,
        (0..50_000u32)
            .map(|i| (i * 7919 % 251) as u8)
            .collect::<Vec<u8>>(),
    )
    .unwrap();
    refused(&l, &garbage, ErrorCode::NotADatabase).await;
    let empty = dir.join("empty.db");
    std::fs::write(&empty, b"").unwrap();
    refused(&l, &empty, ErrorCode::NotADatabase).await;
    let missing = dir.join("missing.db");
    refused(&l, &missing, ErrorCode::Io).await;

    // A SQLite database of another program.
    let other = dir.join("other.db");
    let mut conn = SqliteConnectOptions::new()
        .filename(&other)
        .create_if_missing(true)
        .connect()
        .await
        .unwrap();
    sqlx::query("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    refused(&l, &other, ErrorCode::NotADatabase).await;

    // A real backup cut in half.
    let inputs: Vec<CustomerInput> = (0..400)
        .map(|i| input(&format!("批量客户{i:04}号贸易有限公司"), None, None))
        .collect();
    l.crm.add_customers(&inputs).await.unwrap();
    let whole = dir.join("whole.db");
    l.crm.create_backup(Some(&whole)).await.unwrap();
    let bytes = std::fs::read(&whole).unwrap();
    let truncated = dir.join("truncated.db");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    refused(&l, &truncated, ErrorCode::BackupCorrupt).await;

    // Pages overwritten in the middle.
    let mut damaged = bytes.clone();
    for b in &mut damaged[bytes.len() / 3..bytes.len() / 3 + 8192] {
        *b = 0x5a;
    }
    let scribbled = dir.join("scribbled.db");
    std::fs::write(&scribbled, &damaged).unwrap();
    refused(&l, &scribbled, ErrorCode::BackupCorrupt).await;

    // Whole, but a contact points at a customer that is not there.
    let orphan = dir.join("orphan.db");
    std::fs::copy(&whole, &orphan).unwrap();
    let mut conn = raw(&orphan).await;
    sqlx::query("PRAGMA foreign_keys = OFF")
        .execute(&mut conn)
        .await
        .unwrap();
    sqlx::query("INSERT INTO contacts (customer_id, name) VALUES (99999, '无主联系人')")
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    refused(&l, &orphan, ErrorCode::BackupCorrupt).await;

    // From a newer version of the app.
    let newer = dir.join("newer.db");
    std::fs::copy(&whole, &newer).unwrap();
    let mut conn = raw(&newer).await;
    sqlx::query("INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (9999, 'future', 1, x'00', 0)")
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    refused(&l, &newer, ErrorCode::BackupTooNew).await;

    // The ledger itself is not a backup of itself.
    let err = l.crm.restore(l.crm.path()).await.err().expect("refused");
    assert_eq!(err.fields()["file"], "same_as_ledger");
    // And after all that, the good one restores.
    let restored = l.crm.restore(&whole).await.unwrap();
    assert_eq!(total(&restored).await, 402);
}

#[tokio::test]
async fn an_older_backup_is_migrated_when_restored() {
    let l = ledger().await;
    seeded(&l.crm).await;
    let old = l.dir.path().join("old.db");
    old_ledger(&old, 11).await;
    let restored = l.crm.restore(&old).await.unwrap();
    assert_eq!(total(&restored).await, 1);
    let c = restored
        .list_customers(&ListQuery {
            search: Some("老客户".into()),
            ..ListQuery::first(5)
        })
        .await
        .unwrap();
    assert_eq!(c.items[0].name, "老客户贸易公司");
    let report = restored.check().await.unwrap();
    assert!(report.ok, "{report:?}");
    // The audit log, which the old schema lacked, is there and records the restore.
    let log = restored.audit_log(&Default::default()).await.unwrap();
    assert_eq!(
        log.items[0].action,
        yiben::audit::AuditAction::BackupRestore
    );
    // The candidate file itself was only read.
    let mut conn = raw(&old).await;
    let level: i64 = sqlx::query_scalar("SELECT max(version) FROM _sqlx_migrations")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(level, 11);
}

#[tokio::test]
async fn the_check_passes_on_a_healthy_ledger() {
    let l = ledger().await;
    let customers = seeded(&l.crm).await;
    let report = l.crm.check().await.unwrap();
    assert!(report.ok, "{report:?}");
    assert_eq!(report.integrity, ["ok"]);
    assert!(report.foreign_keys.is_empty());
    assert_eq!(report.search_index.live_customers, 2);
    assert_eq!(report.search_index.search_rows, 2);
    assert_eq!(report.search_index.gram_rows, 2);
    assert_eq!(report.search_index.fts, "ok");
    assert_eq!(customers.len(), 3);
}

#[tokio::test]
async fn the_check_finds_a_damaged_search_entry() {
    let l = ledger().await;
    let customers = seeded(&l.crm).await;
    let (a, b) = (customers[0].id, customers[1].id);
    let mut conn = raw(l.crm.path()).await;
    sqlx::query("UPDATE customer_search SET body = '别的公司' WHERE rowid = ?")
        .bind(a)
        .execute(&mut conn)
        .await
        .unwrap();
    let report = l.crm.check().await.unwrap();
    assert!(!report.ok);
    assert_eq!(report.search_index.stale, [a]);
    assert!(report.search_index.missing.is_empty());

    sqlx::query("DELETE FROM customer_search WHERE rowid = ?")
        .bind(b)
        .execute(&mut conn)
        .await
        .unwrap();
    // A deleted customer still indexed.
    let gone = customers[2].id;
    sqlx::query("INSERT INTO customer_search (rowid, body, pinyin) VALUES (?, '旧客户', '')")
        .bind(gone)
        .execute(&mut conn)
        .await
        .unwrap();
    let report = l.crm.check().await.unwrap();
    assert_eq!(report.search_index.missing, [b]);
    assert_eq!(report.search_index.extra, [gone]);
    assert_eq!(report.search_index.search_rows, 2);
}

#[tokio::test]
async fn the_check_finds_a_lost_names_entry() {
    let l = ledger().await;
    let customers = seeded(&l.crm).await;
    let mut conn = raw(l.crm.path()).await;
    // The contentless one- and two-character index cannot be read back, only its row ids.
    sqlx::query("DELETE FROM customer_grams WHERE rowid = ?")
        .bind(customers[1].id)
        .execute(&mut conn)
        .await
        .unwrap();
    let report = l.crm.check().await.unwrap();
    assert!(!report.ok);
    assert_eq!(report.search_index.missing, [customers[1].id]);
    assert_eq!(report.search_index.gram_rows, 1);
    assert!(report.search_index.stale.is_empty());
}

#[tokio::test]
async fn the_check_finds_a_foreign_key_violation() {
    let l = ledger().await;
    seeded(&l.crm).await;
    let mut conn = raw(l.crm.path()).await;
    sqlx::query("PRAGMA foreign_keys = OFF")
        .execute(&mut conn)
        .await
        .unwrap();
    sqlx::query("INSERT INTO contacts (customer_id, name) VALUES (4242, '无主联系人')")
        .execute(&mut conn)
        .await
        .unwrap();
    let report = l.crm.check().await.unwrap();
    assert!(!report.ok);
    assert_eq!(report.integrity, ["ok"]);
    assert_eq!(report.foreign_keys.len(), 1);
    assert_eq!(report.foreign_keys[0].table, "contacts");
    assert_eq!(report.foreign_keys[0].parent, "customers");
    // A backup of such a ledger is refused by a restore.
    let copy = l.dir.path().join("copy.db");
    l.crm.create_backup(Some(&copy)).await.unwrap();
    assert_eq!(
        l.crm.restore(&copy).await.err().expect("refused").code(),
        ErrorCode::BackupCorrupt
    );
}

#[tokio::test]
async fn a_backup_left_half_written_by_a_killed_process_is_cleared_a_day_later() {
    let l = ledger().await;
    let dir = l.crm.backups_dir();
    std::fs::create_dir_all(&dir).unwrap();
    let touch = |name: &str, age: Duration| {
        let path = dir.join(name);
        let file = std::fs::File::create(&path).unwrap();
        file.set_modified((t0() - age).into()).unwrap();
        path
    };
    let old = touch(
        "yiben-20260227T010000.000Z-pre-import.db.4242.partial",
        Duration::days(2),
    );
    let young = touch(
        "yiben-20260301T003000.000Z-pre-import.db.4343.partial",
        Duration::hours(1),
    );
    let foreign = touch("notes.partial", Duration::days(30));
    l.crm.backup_daily_if_due().await.unwrap().expect("due");
    assert!(!old.exists());
    assert!(young.exists(), "may still be being written");
    assert!(foreign.exists(), "not ours");
    // Half-written files are never listed as backups.
    assert_eq!(l.crm.backups().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_restore_waits_for_no_one_and_replaces_nothing_while_another_program_has_the_ledger_open()
{
    let l = ledger().await;
    let before = seeded(&l.crm).await;
    let made = l.crm.create_backup(None).await.unwrap();
    add(&l.crm, &input("备份后的客户", None, None)).await;
    // Another process (the CLI beside the app) with the ledger open.
    let mut other = raw(l.crm.path()).await;
    let seen: i64 = sqlx::query_scalar("SELECT count(*) FROM customers")
        .fetch_one(&mut other)
        .await
        .unwrap();
    assert_eq!(seen, 4);
    let err = l
        .crm
        .restore(Path::new(&made.path))
        .await
        .err()
        .expect("refused");
    assert_eq!(err.code(), ErrorCode::Busy);
    // Nothing replaced: the other program still sees everything and can write.
    sqlx::query("UPDATE customers SET notes = '另一个程序' WHERE name = '备份后的客户'")
        .execute(&mut other)
        .await
        .unwrap();
    other.close().await.unwrap();
    let leftovers: Vec<String> = std::fs::read_dir(l.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("partial") || n.contains("restore"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let reopened = open(l.crm.path(), t0()).await;
    assert_eq!(total(&reopened).await, 3);
    let kept = reopened
        .list_customers(&ListQuery {
            search: Some("备份后".into()),
            ..ListQuery::first(5)
        })
        .await
        .unwrap();
    assert_eq!(
        reopened
            .customer(kept.items[0].id)
            .await
            .unwrap()
            .notes
            .as_deref(),
        Some("另一个程序")
    );
    // Alone, it goes through.
    let restored = reopened.restore(Path::new(&made.path)).await.unwrap();
    assert_eq!(snapshot(&restored).await, before);
}
