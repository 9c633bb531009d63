//! Faults of the machine rather than of the input: a full disk, a read-only ledger, a ledger
//! locked by another program, and the data folder deleted while the ledger is open. Each
//! answers its own code, writes nothing half-way, and leaves the ledger whole.
//!
//! A full disk and a read-only mount cannot be made here without privileges, so they are put
//! on the ledger's connections with `PRAGMA max_page_count` and `PRAGMA query_only`
//! (`Crm::simulate_fault`): SQLite then answers SQLITE_FULL and SQLITE_READONLY exactly as for
//! the real thing. The lock, the deleted folder and the full target file are real.

mod common;

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{add, input, t0};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};
use yiben::audit::{AuditAction, AuditQuery};
use yiben::customers::{Customer, ListQuery, Scope};
use yiben::export::Column;
use yiben::import::job::ImportRequest;
use yiben::ledger_file::{LedgerState, SimulatedFault};
use yiben::{Crm, Error, ErrorCode, FixedClock, SequentialIds};

async fn open(path: &Path) -> Crm {
    Crm::open_with(path, Arc::new(FixedClock::new(t0())), Arc::new(SequentialIds::default()))
        .await
        .unwrap()
        .with_zone(chrono::FixedOffset::east_opt(8 * 3600).unwrap())
}

/// A ledger in `<tmp>/data/yiben.db`, so the data folder can be deleted on its own.
async fn ledger_in_folder() -> (tempfile::TempDir, PathBuf, Crm) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data").join("yiben.db");
    let crm = open(&path).await;
    (dir, path, crm)
}

/// Every customer, in id order, including the recycle bin.
async fn snapshot(crm: &Crm) -> Vec<Customer> {
    let mut all = Vec::new();
    for scope in [Scope::Live, Scope::Deleted] {
        let mut q = ListQuery::first(500);
        q.scope = scope;
        let mut page = crm.list_customers(&q).await.unwrap();
        loop {
            for row in &page.items {
                all.push(crm.customer(row.id).await.unwrap());
            }
            let Some(next) = page.next_cursor.clone() else { break };
            q.cursor = Some(next);
            page = crm.list_customers(&q).await.unwrap();
        }
    }
    all.sort_by_key(|c| c.id);
    all
}

async fn seed(crm: &Crm) -> Vec<Customer> {
    add(crm, &input("华信科技有限公司", Some("13912345678"), Some("制造业"))).await;
    add(crm, &input("万家超市", Some("13700002222"), Some("零售业"))).await;
    let gone = add(crm, &input("旧客户", None, None)).await;
    crm.delete_customer(gone.id).await.unwrap();
    snapshot(crm).await
}

fn csv(dir: &Path, rows: usize) -> PathBuf {
    let path = dir.join("客户.csv");
    let mut text = String::from("客户名称,联系电话,备注\n");
    for i in 0..rows {
        text.push_str(&format!("导入客户{i:05}有限公司,135{i:08},{}\n", "需求说明".repeat(20)));
    }
    std::fs::write(&path, text).unwrap();
    path
}

fn request(file: &Path) -> ImportRequest {
    ImportRequest { path: file.to_string_lossy().into_owned(), ..Default::default() }
}

async fn import(crm: &Crm, file: &Path) -> yiben::Result<yiben::import::job::ImportReport> {
    crm.import(&request(file), false, &AtomicBool::new(false), &|_| {}).await
}

async fn assert_whole(crm: &Crm) {
    let report = crm.check().await.unwrap();
    assert!(report.ok, "{report:?}");
}

/// How many customers the file itself holds, through a connection of its own: what a
/// transaction left open on one of the ledger's connections would not show.
async fn rows_on_disk(path: &Path) -> i64 {
    let mut conn = SqliteConnectOptions::new().filename(path).read_only(true).connect().await.unwrap();
    let n = sqlx::query_scalar("SELECT count(*) FROM customers").fetch_one(&mut conn).await.unwrap();
    conn.close().await.unwrap();
    n
}

fn long_note(i: usize) -> yiben::customers::CustomerInput {
    let mut c = input(&format!("长备注客户{i}"), None, None);
    c.notes = Some("这是一段很长的客户需求备注。".repeat(350));
    c
}

#[test]
fn machine_faults_in_files_get_their_own_codes() {
    use std::io::{Error as IoError, ErrorKind};
    let code = |e: IoError| Error::from(e).code();
    assert_eq!(code(IoError::from(ErrorKind::StorageFull)), ErrorCode::DiskFull);
    assert_eq!(code(IoError::from(ErrorKind::QuotaExceeded)), ErrorCode::DiskFull);
    assert_eq!(code(IoError::from(ErrorKind::ReadOnlyFilesystem)), ErrorCode::ReadOnly);
    assert_eq!(code(IoError::from(ErrorKind::NotFound)), ErrorCode::Io);
    #[cfg(target_os = "linux")]
    {
        assert_eq!(code(IoError::from_raw_os_error(28)), ErrorCode::DiskFull, "ENOSPC");
        assert_eq!(code(IoError::from_raw_os_error(122)), ErrorCode::DiskFull, "EDQUOT");
        assert_eq!(code(IoError::from_raw_os_error(30)), ErrorCode::ReadOnly, "EROFS");
        assert_eq!(code(IoError::from_raw_os_error(13)), ErrorCode::Io, "EACCES stays a file error");
    }
    // Writers that build the error themselves are classified by the kind all the same.
    assert_eq!(Error::Io(IoError::from(ErrorKind::StorageFull)).code(), ErrorCode::DiskFull);
    let body = serde_json::to_value(Error::DataFolderGone.body()).unwrap();
    assert_eq!(body["code"], "DATA_FOLDER_GONE");
    assert_eq!(serde_json::to_value(Error::DiskFull("x".into()).body()).unwrap()["code"], "DISK_FULL");
    assert_eq!(serde_json::to_value(Error::ReadOnly("x".into()).body()).unwrap()["code"], "READ_ONLY");
}

/// Room for the import's first batch of 5000 rows but not for all 12000 (a batch of these rows
/// takes about 1,660 pages of 4 KB).
const PAGES_PER_BATCH: u32 = 1700;

#[tokio::test]
async fn an_import_that_fills_the_disk_half_way_leaves_the_ledger_exactly_as_it_was() {
    let (dir, path, crm) = ledger_in_folder().await;
    let before = seed(&crm).await;
    let file = csv(dir.path(), 12_000);
    crm.simulate_fault(Some(SimulatedFault::DiskFull { room_pages: PAGES_PER_BATCH * 3 / 2 })).await.unwrap();

    let batches = std::sync::atomic::AtomicU32::new(0);
    let err = crm
        .import(&request(&file), false, &AtomicBool::new(false), &|p| {
            batches.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            assert!(p.done < 12_000);
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::DiskFull, "{err}");
    assert_eq!(batches.into_inner(), 1, "the disk filled up after the first 5000 rows were written");
    assert_eq!(crm.backups().await.unwrap().len(), 1, "the pre-import backup was taken before");
    assert_eq!(snapshot(&crm).await, before, "not one imported row is left");
    assert!(crm.imports().await.unwrap().is_empty(), "no import is recorded");
    assert_eq!(rows_on_disk(&path).await, 3);
    assert_whole(&crm).await;

    // With room again the same file goes in whole.
    crm.simulate_fault(None).await.unwrap();
    let report = import(&crm, &file).await.unwrap();
    assert_eq!(report.imported, 12_000);
    assert_eq!(rows_on_disk(&path).await, 12_003);
    assert_whole(&crm).await;
}

#[tokio::test]
async fn a_customer_that_does_not_fit_on_the_disk_is_refused_and_nothing_is_half_saved() {
    let (_dir, path, crm) = ledger_in_folder().await;
    seed(&crm).await;
    crm.simulate_fault(Some(SimulatedFault::DiskFull { room_pages: 0 })).await.unwrap();
    // Free pages inside the file take a few; the disk is full once they are used.
    let mut saved = 0;
    let err = loop {
        match crm.add_customer(&long_note(saved), false).await {
            Ok(_) => saved += 1,
            Err(e) => break e,
        }
        assert!(saved < 200, "the file never filled up");
    };
    assert_eq!(err.code(), ErrorCode::DiskFull, "{err}");
    let before = snapshot(&crm).await;
    assert_eq!(before.len(), 3 + saved);
    // Every further write is refused alike, and each leaves the ledger as it was.
    for i in 0..6 {
        let err = crm.add_customer(&long_note(1000 + i), false).await.unwrap_err();
        assert_eq!(err.code(), ErrorCode::DiskFull);
    }
    assert_eq!(snapshot(&crm).await, before);
    assert_whole(&crm).await;

    // Freed again, every connection commits for real: each customer is on disk at once.
    crm.simulate_fault(None).await.unwrap();
    for i in 0..6 {
        add(&crm, &long_note(2000 + i)).await;
        assert_eq!(rows_on_disk(&path).await, (3 + saved + i + 1) as i64);
    }
    assert_whole(&crm).await;
}

#[cfg(target_os = "linux")]
#[tokio::test]
async fn an_export_to_a_full_disk_answers_disk_full_and_is_not_logged() {
    let (_dir, _path, crm) = ledger_in_folder().await;
    seed(&crm).await;
    let err = crm
        .export_customers(&ListQuery::first(100), &Column::parse_list("number,name,phone").unwrap(), false, Path::new("/dev/full"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::DiskFull, "{err}");
    let exports = crm
        .audit_log(&AuditQuery { action: Some(AuditAction::CustomerExport), ..Default::default() })
        .await
        .unwrap();
    assert!(exports.items.is_empty());
}

#[tokio::test]
async fn a_read_only_ledger_refuses_every_write_with_read_only_and_still_reads() {
    let (dir, path, crm) = ledger_in_folder().await;
    let before = seed(&crm).await;
    crm.simulate_fault(Some(SimulatedFault::ReadOnly)).await.unwrap();

    let err = crm.add_customer(&input("新客户", None, None), false).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::ReadOnly, "{err}");
    let err = crm.set_language(yiben::settings::Language::En).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::ReadOnly);
    let err = crm.set_ui_pref("customers.columns", &serde_json::json!(["name"])).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::ReadOnly);
    let err = import(&crm, &csv(dir.path(), 20)).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::ReadOnly);
    assert_eq!(snapshot(&crm).await, before, "reads go on");
    assert_eq!(rows_on_disk(&path).await, 3);

    crm.simulate_fault(None).await.unwrap();
    // (The check itself needs a writable ledger: FTS5's integrity-check is an INSERT.)
    assert_whole(&crm).await;
    add(&crm, &input("新客户", None, None)).await;
    assert_eq!(rows_on_disk(&path).await, 4);
}

/// A file or folder no one may write to while this lives. Permissions do not stop root (the
/// tests' user here), the immutable attribute does; another user gets the permissions.
#[cfg(target_os = "linux")]
struct Unwritable(PathBuf);

#[cfg(target_os = "linux")]
impl Unwritable {
    fn root() -> bool {
        let out = std::process::Command::new("id").arg("-u").output().expect("id");
        String::from_utf8_lossy(&out.stdout).trim() == "0"
    }

    fn set(path: &Path) -> Unwritable {
        if Self::root() {
            let status = std::process::Command::new("chattr").arg("+i").arg(path).status().expect("chattr");
            assert!(status.success(), "chattr +i needs a file system with file attributes (ext4, xfs, btrfs)");
        } else {
            use std::os::unix::fs::PermissionsExt;
            let mode = if path.is_dir() { 0o555 } else { 0o444 };
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
        }
        Unwritable(path.to_path_buf())
    }
}

#[cfg(target_os = "linux")]
impl Drop for Unwritable {
    fn drop(&mut self) {
        if Self::root() {
            let _ = std::process::Command::new("chattr").arg("-i").arg(&self.0).status();
        } else {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(&self.0, std::fs::Permissions::from_mode(0o755));
        }
    }
}

#[cfg(target_os = "linux")]
#[tokio::test]
async fn a_ledger_file_or_folder_that_cannot_be_written_answers_read_only() {
    let (_dir, path, crm) = ledger_in_folder().await;
    let before = seed(&crm).await;
    // Closed, so the WAL is folded into the file and removed, as after quitting the app.
    crm.close().await;
    let folder = path.parent().unwrap().to_path_buf();

    {
        let _folder = Unwritable::set(&folder);
        let err = Crm::open(&path).await.err().expect("SQLite cannot keep its WAL beside the ledger");
        assert_eq!(err.code(), ErrorCode::ReadOnly, "{err}");
        let err = Crm::open(folder.join("新账本.db")).await.err().expect("nor start a ledger there");
        assert_eq!(err.code(), ErrorCode::ReadOnly, "{err}");
    }
    {
        let _file = Unwritable::set(&path);
        let crm = open(&path).await;
        assert_eq!(snapshot(&crm).await, before, "a read-only file still reads");
        let err = crm.add_customer(&input("新客户", None, None), false).await.unwrap_err();
        assert_eq!(err.code(), ErrorCode::ReadOnly, "{err}");
        crm.close().await;
    }
    let crm = open(&path).await;
    assert_eq!(snapshot(&crm).await, before);
    assert_whole(&crm).await;
}

#[tokio::test]
async fn a_ledger_locked_by_another_program_answers_busy_after_the_wait_and_writes_nothing() {
    let (dir, path, crm) = ledger_in_folder().await;
    let before = seed(&crm).await;
    let file = csv(dir.path(), 50);
    let mut other = SqliteConnectOptions::new().filename(&path).connect().await.unwrap();
    sqlx::query("BEGIN EXCLUSIVE").execute(&mut other).await.unwrap();
    sqlx::query("INSERT INTO settings (key, value, updated_at) VALUES ('other.program', '1', 0)")
        .execute(&mut other)
        .await
        .unwrap();

    // A save takes the write lock when it begins, so it waits out the busy timeout like a
    // single statement does, rather than failing at once when it first writes.
    let started = Instant::now();
    let err = crm.add_customer(&input("新客户", None, None), false).await.unwrap_err();
    let waited = started.elapsed();
    assert_eq!(err.code(), ErrorCode::Busy, "{err}");
    assert!(waited >= Duration::from_millis(4500), "a save waits for the lock first: {waited:?}");
    assert!(waited < Duration::from_secs(15), "then the answer comes: {waited:?}");
    let started = Instant::now();
    let err = crm.set_ui_pref("customers.columns", &serde_json::json!(["name"])).await.unwrap_err();
    let waited = started.elapsed();
    assert_eq!(err.code(), ErrorCode::Busy, "{err}");
    assert!(waited >= Duration::from_millis(4500), "the busy timeout is waited out first: {waited:?}");
    assert!(waited < Duration::from_secs(15), "then the answer comes: {waited:?}");
    let err = import(&crm, &file).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Busy, "{err}");
    assert_eq!(snapshot(&crm).await, before, "reads go on while it is locked");

    sqlx::query("ROLLBACK").execute(&mut other).await.unwrap();
    other.close().await.unwrap();
    assert_eq!(snapshot(&crm).await, before);
    assert!(crm.imports().await.unwrap().is_empty());
    assert_whole(&crm).await;
    add(&crm, &input("新客户", None, None)).await;
    assert_eq!(import(&crm, &file).await.unwrap().imported, 50);
    assert_eq!(rows_on_disk(&path).await, 54);
}

#[tokio::test]
async fn a_ledger_another_program_is_writing_opens_at_once_and_reads() {
    let (_dir, path, crm) = ledger_in_folder().await;
    let before = seed(&crm).await;
    crm.close().await;
    let mut other = SqliteConnectOptions::new().filename(&path).connect().await.unwrap();
    sqlx::query("BEGIN EXCLUSIVE").execute(&mut other).await.unwrap();
    sqlx::query("INSERT INTO settings (key, value, updated_at) VALUES ('other.program', '1', 0)")
        .execute(&mut other)
        .await
        .unwrap();

    let started = Instant::now();
    let crm = open(&path).await;
    assert!(started.elapsed() < Duration::from_secs(2), "no wait for the lock: {:?}", started.elapsed());
    assert_eq!(snapshot(&crm).await, before);
    sqlx::query("ROLLBACK").execute(&mut other).await.unwrap();
    other.close().await.unwrap();
    crm.set_language(yiben::settings::Language::En).await.expect("and writes once it is let go");
    assert_whole(&crm).await;
}

#[tokio::test]
async fn saves_racing_each_other_in_one_app_all_land() {
    // The desktop saves from the window while the reminder rules write in the background; each
    // save reads before it writes, and none may be refused because another is mid-write.
    let (_dir, path, crm) = ledger_in_folder().await;
    let crm = Arc::new(crm);
    let mut tasks = Vec::new();
    for i in 0..24 {
        let crm = crm.clone();
        tasks.push(tokio::spawn(async move {
            match i % 3 {
                0 => crm.run_reminder_rules().await.map(|_| ()),
                _ => crm.add_customer(&input(&format!("并发客户{i}"), None, None), false).await.map(|_| ()),
            }
        }));
    }
    for task in tasks {
        task.await.unwrap().expect("no save is refused while another writes");
    }
    assert_eq!(rows_on_disk(&path).await, 16);
    assert_whole(&crm).await;
}

#[tokio::test]
async fn after_the_data_folder_is_deleted_writes_are_refused_and_reads_go_on() {
    let (dir, path, crm) = ledger_in_folder().await;
    let before = seed(&crm).await;
    let folder = path.parent().unwrap().to_path_buf();
    assert_eq!(crm.ledger_status().state, LedgerState::Present);
    std::fs::remove_dir_all(&folder).unwrap();

    let status = crm.ledger_status();
    assert_eq!(status.state, LedgerState::Missing);
    assert_eq!(status.path, path.to_string_lossy());
    assert_eq!(status.folder, folder.to_string_lossy());
    // More refused writes than the pool has connections: none of them may be lost for reads.
    for i in 0..10 {
        let err = crm.add_customer(&input(&format!("新客户{i}"), None, None), false).await.unwrap_err();
        assert_eq!(err.code(), ErrorCode::DataFolderGone, "{err}");
    }
    let err = crm.set_ui_pref("customers.columns", &serde_json::json!(["name"])).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::DataFolderGone, "a write outside a transaction too");
    let err = import(&crm, &csv(dir.path(), 20)).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::DataFolderGone);
    let err = crm.create_backup(None).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::DataFolderGone);
    assert!(!folder.exists(), "nothing quietly recreates the deleted folder");
    assert_eq!(snapshot(&crm).await, before);
    assert!(crm.check().await.unwrap().ok);
}

#[tokio::test]
async fn the_rescue_writes_every_row_of_the_open_ledger_to_a_chosen_file() {
    let (dir, path, crm) = ledger_in_folder().await;
    seed(&crm).await;
    // Enough for the WAL to hold rows the main file does not have yet.
    import(&crm, &csv(dir.path(), 400)).await.unwrap();
    let before = snapshot(&crm).await;
    std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
    assert!(crm.add_customer(&input("新客户", None, None), false).await.is_err());

    let err = crm.rescue_to(&path).await.unwrap_err();
    assert_eq!(err.fields().get("out").map(String::as_str), Some("same_as_ledger"), "that is the in-place rescue");
    let out = dir.path().join("救出的账本.db");
    let saved = crm.rescue_to(&out).await.unwrap();
    assert_eq!(saved.path, out.to_string_lossy());
    assert_eq!(saved.size, std::fs::metadata(&out).unwrap().len());
    // A manual backup to a file does the same while the folder is gone (it cannot be logged).
    let also = dir.path().join("另一份.db");
    crm.create_backup(Some(&also)).await.unwrap();

    for copy in [out, also] {
        let rescued = open(&copy).await;
        assert_eq!(snapshot(&rescued).await, before, "{}", copy.display());
        assert_whole(&rescued).await;
        rescued.close().await;
    }
}

#[tokio::test]
async fn the_rescue_in_place_recreates_the_folder_and_the_ledger_goes_on_there() {
    let (dir, path, crm) = ledger_in_folder().await;
    seed(&crm).await;
    import(&crm, &csv(dir.path(), 400)).await.unwrap();
    let before = snapshot(&crm).await;
    let err = crm.rescue_in_place().await.err().expect("refused while the ledger is in place");
    assert_eq!(err.fields().get("ledger").map(String::as_str), Some("not_gone"));
    std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
    assert!(crm.add_customer(&input("新客户", None, None), false).await.is_err());

    let crm = crm.rescue_in_place().await.unwrap();
    assert_eq!(crm.ledger_status().state, LedgerState::Present);
    assert_eq!(snapshot(&crm).await, before);
    assert_whole(&crm).await;
    let rescue = crm
        .audit_log(&AuditQuery { action: Some(AuditAction::BackupRestore), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(rescue.items.len(), 1);
    assert_eq!(rescue.items[0].details["rescue"], true);
    assert_eq!(rescue.items[0].details["file"], path.to_string_lossy().as_ref());
    let added = add(&crm, &input("新客户", None, None)).await;
    crm.close().await;

    let reopened = open(&path).await;
    let after = snapshot(&reopened).await;
    assert_eq!(after.len(), before.len() + 1);
    assert_eq!(after.last().unwrap().name, added.name);
    assert_whole(&reopened).await;
}

#[tokio::test]
async fn a_folder_moved_away_and_back_takes_writes_again() {
    let (dir, path, crm) = ledger_in_folder().await;
    seed(&crm).await;
    let folder = path.parent().unwrap().to_path_buf();
    let trash = dir.path().join("Trash-data");
    std::fs::rename(&folder, &trash).unwrap();
    for i in 0..6 {
        let err = crm.add_customer(&input(&format!("新客户{i}"), None, None), false).await.unwrap_err();
        assert_eq!(err.code(), ErrorCode::DataFolderGone);
    }
    assert_eq!(rows_on_disk(&trash.join("yiben.db")).await, 3, "nothing reached the moved file either");

    std::fs::rename(&trash, &folder).unwrap();
    assert_eq!(crm.ledger_status().state, LedgerState::Present);
    // Each save is committed for real, whichever connection made it.
    for i in 0..6 {
        add(&crm, &input(&format!("回来的客户{i}"), None, None)).await;
        assert_eq!(rows_on_disk(&path).await, 4 + i as i64);
    }
    assert_whole(&crm).await;
}

#[tokio::test]
async fn a_file_that_took_the_ledgers_place_is_never_written_and_is_kept_aside_by_the_rescue() {
    let (_dir, path, crm) = ledger_in_folder().await;
    let before = seed(&crm).await;
    std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
    // Another program starts a new ledger where the old one was.
    let stranger = open(&path).await;
    add(&stranger, &input("另一本账的客户", None, None)).await;
    stranger.close().await;

    assert_eq!(crm.ledger_status().state, LedgerState::Replaced);
    let err = crm.add_customer(&input("新客户", None, None), false).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::DataFolderGone);
    assert_eq!(rows_on_disk(&path).await, 1, "the other ledger is untouched");

    let crm = crm.rescue_in_place().await.unwrap();
    assert_eq!(snapshot(&crm).await, before);
    let displaced: Vec<PathBuf> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("yiben.db.displaced-"))
        .filter(|p| p.extension().is_none_or(|e| !e.to_string_lossy().ends_with("wal") && !e.to_string_lossy().ends_with("shm")))
        .collect();
    assert_eq!(displaced.len(), 1, "{displaced:?}");
    assert_eq!(rows_on_disk(&displaced[0]).await, 1, "the other ledger is kept whole beside");
}

#[tokio::test]
async fn a_ledger_a_newer_version_has_used_is_refused_by_its_own_code_and_left_as_it_was() {
    let (_dir, path, crm) = ledger_in_folder().await;
    let before = seed(&crm).await;
    crm.close().await;
    let mut other = SqliteConnectOptions::new().filename(&path).connect().await.unwrap();
    sqlx::query("INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (9999, 'newer', 1, x'00', 0)")
        .execute(&mut other)
        .await
        .unwrap();
    other.close().await.unwrap();
    let bytes = std::fs::read(&path).unwrap();

    let err = Crm::open_with(&path, Arc::new(FixedClock::new(t0())), Arc::new(SequentialIds::default())).await.err().expect("refused");
    assert_eq!(err.code(), ErrorCode::LedgerTooNew, "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), bytes, "not a byte changed");
    let err = Crm::open_recovering(&path, Arc::new(FixedClock::new(t0())), Arc::new(SequentialIds::default())).await.err().expect("not taken for damage");
    assert_eq!(err.code(), ErrorCode::LedgerTooNew);
    assert_eq!(std::fs::read(&path).unwrap(), bytes, "nor set aside");

    let mut other = SqliteConnectOptions::new().filename(&path).connect().await.unwrap();
    sqlx::query("DELETE FROM _sqlx_migrations WHERE version = 9999").execute(&mut other).await.unwrap();
    other.close().await.unwrap();
    assert_eq!(snapshot(&open(&path).await).await, before);
}
