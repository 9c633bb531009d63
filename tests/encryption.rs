//! Encryption at rest: nothing readable on disk, a wrong or missing password refused without
//! touching the file, on/change/off keeping every row, encrypted backups restored with their
//! password, and a re-encryption interrupted between its steps leaving a whole ledger.

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::ConnectOptions;
use yiben::audit::{AuditAction, AuditQuery};
use yiben::backup::recovery;
use yiben::customers::{CustomerInput, ListQuery};
use yiben::encryption::{self, rekey, Key, Password, Probe};
use yiben::{Crm, ErrorCode, FixedClock, SequentialIds};

const NAME: &str = "华信精密机械有限公司";
const PHONE: &str = "13912345678";

fn password(raw: &str) -> Password {
    Password::new(raw).unwrap()
}

struct Setup {
    dir: tempfile::TempDir,
    clock: Arc<FixedClock>,
}

impl Setup {
    fn new() -> Setup {
        Setup { dir: tempfile::tempdir().unwrap(), clock: Arc::new(FixedClock::new(common::t0())) }
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("yiben.db")
    }

    async fn open(&self, pw: Option<&str>) -> yiben::Result<Crm> {
        let pw = pw.map(password);
        Crm::open_with_password(self.db(), pw.as_ref(), self.clock.clone(), Arc::new(SequentialIds::default())).await
    }
}

async fn add_customers(crm: &Crm, n: usize) {
    let first = CustomerInput { name: NAME.into(), phone: Some(PHONE.into()), ..Default::default() };
    crm.add_customer(&first, false).await.unwrap().saved().unwrap();
    let rest: Vec<CustomerInput> =
        (1..n).map(|i| CustomerInput { name: format!("第{i}号客户贸易公司"), ..Default::default() }).collect();
    crm.add_customers(&rest).await.unwrap();
}

async fn names(crm: &Crm) -> Vec<String> {
    let mut names = Vec::new();
    let mut query = ListQuery::first(500);
    loop {
        let page = crm.list_customers(&query).await.unwrap();
        names.extend(page.items.into_iter().map(|r| r.name));
        match page.next_cursor {
            Some(cursor) => query = ListQuery { cursor: Some(cursor), with_total: false, ..ListQuery::first(500) },
            None => break,
        }
    }
    names.sort();
    names
}

/// The ledger file and its WAL, as bytes on disk.
fn on_disk(db: &Path) -> Vec<u8> {
    let mut bytes = std::fs::read(db).unwrap();
    if let Ok(wal) = std::fs::read(format!("{}-wal", db.display())) {
        bytes.extend(wal);
    }
    bytes
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn assert_unreadable(db: &Path) {
    let bytes = on_disk(db);
    assert!(!contains(&bytes, NAME.as_bytes()), "a customer's name is on disk in plain text");
    assert!(!contains(&bytes, PHONE.as_bytes()), "a phone number is on disk in plain text");
    assert!(!contains(&bytes, b"SQLite format 3"), "the SQLite header is on disk in plain text");
    assert!(!contains(&bytes, b"CREATE TABLE"), "the schema is on disk in plain text");
    assert!(encryption::is_encrypted(db).unwrap());
}

fn code<T>(result: yiben::Result<T>) -> ErrorCode {
    match result {
        Ok(_) => panic!("expected an error"),
        Err(e) => e.code(),
    }
}

#[tokio::test]
async fn an_encrypted_ledger_has_nothing_readable_on_disk() {
    let s = Setup::new();
    let crm = s.open(Some("正确 horse battery")).await.unwrap();
    assert!(crm.is_encrypted());
    add_customers(&crm, 50).await;
    // Checked while open too: the WAL holds the newest pages, encrypted as well.
    assert_unreadable(&s.db());
    crm.close().await;
    assert_unreadable(&s.db());

    // A plain SQLite (the same library without a key) sees no database.
    let plain = SqliteConnectOptions::new().filename(s.db()).read_only(true).connect().await;
    let unreadable = match plain {
        Err(_) => true,
        Ok(mut conn) => sqlx::query("SELECT count(*) FROM sqlite_schema").fetch_one(&mut conn).await.is_err(),
    };
    assert!(unreadable);

    let status = encryption::status(&s.db()).unwrap();
    assert!(status.encrypted);
    assert_eq!(status.kdf.as_deref(), Some(encryption::KDF));
    let crm = s.open(Some("正确 horse battery")).await.unwrap();
    assert_eq!(names(&crm).await.len(), 50);
    assert!(crm.check().await.unwrap().ok, "integrity, foreign keys and the search index hold");
    let found = crm.list_customers(&ListQuery { search: Some("精密机".into()), ..ListQuery::first(10) }).await.unwrap();
    assert_eq!(found.items.len(), 1, "the trigram search works on SQLCipher");
    let found = crm.list_customers(&ListQuery { search: Some("5678".into()), ..ListQuery::first(10) }).await.unwrap();
    assert_eq!(found.items.len(), 1, "so does the phone fragment");
}

/// The sqlite3 shell ships with macOS and comes with scripts/setup.sh on Linux.
#[cfg(unix)]
#[tokio::test]
async fn the_sqlite3_shell_cannot_read_an_encrypted_ledger() {
    let s = Setup::new();
    let crm = s.open(Some("pw")).await.unwrap();
    add_customers(&crm, 5).await;
    crm.close().await;
    let shell = |sql: &str| {
        std::process::Command::new("sqlite3")
            .arg(s.db())
            .arg(sql)
            .output()
            .expect("the sqlite3 shell is installed (scripts/setup.sh)")
    };
    let out = shell("SELECT name FROM customers");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a database"), "{out:?}");
    // The same shell reads the ledger once encryption is off.
    let crm = s.open(Some("pw")).await.unwrap().decrypt(&password("pw")).await.unwrap();
    crm.close().await;
    let out = shell("SELECT name FROM customers WHERE phone IS NOT NULL");
    assert!(out.status.success(), "{out:?}");
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), NAME);
}

#[tokio::test]
async fn a_wrong_or_missing_password_is_refused_and_the_file_left_alone() {
    let s = Setup::new();
    let crm = s.open(Some("secret-1")).await.unwrap();
    add_customers(&crm, 3).await;
    crm.close().await;
    let before = std::fs::read(s.db()).unwrap();

    assert_eq!(code(s.open(Some("secret-2")).await), ErrorCode::WrongPassword);
    assert_eq!(code(s.open(Some("Secret-1")).await), ErrorCode::WrongPassword);
    assert_eq!(code(s.open(None).await), ErrorCode::PasswordRequired);
    assert_eq!(code(Crm::open(s.db()).await), ErrorCode::PasswordRequired);
    // The start-up path that sets damaged files aside must not take a locked ledger for one.
    let wrong = password("secret-2");
    for pw in [None, Some(&wrong)] {
        let opened =
            Crm::open_recovering_with_password(s.db(), pw, s.clock.clone(), Arc::new(SequentialIds::default())).await;
        let err = opened.err().expect("refused");
        assert!(!recovery::is_corrupt(&err), "{err:?}");
    }
    assert_eq!(std::fs::read(s.db()).unwrap(), before, "the file is untouched");
    let entries: Vec<String> =
        std::fs::read_dir(s.dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert!(!entries.iter().any(|n| n.contains("corrupt")), "{entries:?}");

    let crm = s.open(Some("secret-1")).await.unwrap();
    assert_eq!(names(&crm).await.len(), 3);
    assert_eq!(code(crm.confirm(&password("secret-2")).await), ErrorCode::WrongPassword);
    crm.confirm(&password("secret-1")).await.unwrap();
}

#[tokio::test]
async fn passwords_are_checked_before_anything_is_derived() {
    assert_eq!(code(Password::new("")), ErrorCode::Validation);
    let long = "密".repeat(1025);
    let err = Password::new(long).err().unwrap();
    assert_eq!(err.fields().get("password").map(String::as_str), Some("too_long"));
    Password::new("密".repeat(1024)).unwrap();
    // Never printed.
    assert_eq!(format!("{:?}", password("hunter2")), "Password(…)");
}

#[tokio::test]
async fn on_change_and_off_keep_every_row_and_are_logged() {
    let s = Setup::new();
    let crm = s.open(None).await.unwrap();
    add_customers(&crm, 400).await;
    let all = names(&crm).await;
    assert!(!crm.is_encrypted());
    assert_eq!(code(crm.confirm(&password("x")).await), ErrorCode::Validation);

    let crm = crm.encrypt(&password("first")).await.unwrap();
    assert!(crm.is_encrypted());
    assert_eq!(names(&crm).await, all);
    assert!(crm.check().await.unwrap().ok);
    assert_eq!(code(crm.encrypt(&password("again")).await), ErrorCode::Validation);
    crm.close().await;
    assert_unreadable(&s.db());
    assert_eq!(code(s.open(None).await), ErrorCode::PasswordRequired);

    let crm = s.open(Some("first")).await.unwrap();
    let salt_before = encryption::probe(&s.db()).unwrap();
    assert_eq!(code(crm.change_password(&password("wrong"), &password("second")).await), ErrorCode::WrongPassword);
    assert!(crm.is_open(), "a refused change leaves the ledger open");
    let crm = crm.change_password(&password("first"), &password("second")).await.unwrap();
    assert_ne!(encryption::probe(&s.db()).unwrap(), salt_before, "a new password comes with a new salt");
    assert_eq!(names(&crm).await, all);
    crm.close().await;
    assert_eq!(code(s.open(Some("first")).await), ErrorCode::WrongPassword);

    let crm = s.open(Some("second")).await.unwrap();
    assert_eq!(code(crm.decrypt(&password("first")).await), ErrorCode::WrongPassword);
    let crm = crm.decrypt(&password("second")).await.unwrap();
    assert!(!crm.is_encrypted());
    assert_eq!(encryption::probe(&s.db()).unwrap(), Probe::Plain);
    assert_eq!(names(&crm).await, all);
    assert!(crm.check().await.unwrap().ok);

    let log = crm
        .audit_log(&AuditQuery { action: Some(AuditAction::SettingsChange), limit: 10, ..Default::default() })
        .await
        .unwrap();
    let changes: Vec<String> = log
        .items
        .iter()
        .filter(|e| e.entity_id.as_deref() == Some("encryption"))
        .map(|e| e.details["value"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(changes, ["off", "password_changed", "on"], "newest first");
    crm.close().await;
    // Plain again: opens without a password, and a password given anyway is not needed.
    let crm = s.open(Some("second")).await.unwrap();
    assert!(!crm.is_encrypted());
    assert_eq!(names(&crm).await, all);
}

#[tokio::test]
async fn backups_of_an_encrypted_ledger_are_encrypted_and_restore_with_the_password() {
    let s = Setup::new();
    let plain = s.open(None).await.unwrap();
    add_customers(&plain, 20).await;
    let plain_backup = plain.create_backup(None).await.unwrap();
    let plain_copy = s.dir.path().join("plain-copy.db");
    plain.create_backup(Some(&plain_copy)).await.unwrap();
    let crm = plain.encrypt(&password("old")).await.unwrap();
    // The backup in the folder taken before was encrypted too; a copy elsewhere is the user's.
    assert_unreadable(Path::new(&plain_backup.path));
    assert_eq!(crm.encryption_status().unwrap().plain_backups, 0);
    assert_eq!(encryption::probe(&plain_copy).unwrap(), Probe::Plain);

    let folder = crm.create_backup(None).await.unwrap();
    let chosen = s.dir.path().join("elsewhere").join("copy.db");
    crm.create_backup(Some(&chosen)).await.unwrap();
    for backup in [Path::new(&folder.path), chosen.as_path()] {
        assert_unreadable(backup);
    }
    assert_eq!(crm.encryption_status().unwrap().plain_backups, 0);
    // Made (or encrypted) under the current password: the ledger's own key opens them.
    let crm = crm.restore(Path::new(&plain_backup.path)).await.unwrap();
    assert_eq!(names(&crm).await.len(), 20);
    let crm = crm.restore(Path::new(&folder.path)).await.unwrap();
    assert_eq!(names(&crm).await.len(), 20);

    let crm = crm.change_password(&password("old"), &password("new")).await.unwrap();
    add_customers_named(&crm, "后来的客户").await;
    assert_eq!(names(&crm).await.len(), 21);

    // The backup needs the password it was made under.
    assert_eq!(code(crm.restore(Path::new(&folder.path)).await), ErrorCode::PasswordRequired);
    assert_eq!(
        code(crm.restore_with_password(Path::new(&folder.path), Some(&password("new"))).await),
        ErrorCode::WrongPassword
    );
    assert!(crm.is_open(), "a refused backup leaves the ledger open");
    let restored = crm.restore_with_password(Path::new(&folder.path), Some(&password("old"))).await.unwrap();
    assert_eq!(names(&restored).await.len(), 20);
    assert!(restored.check().await.unwrap().ok);
    // The ledger keeps its own password, whatever the backup had.
    restored.close().await;
    assert_eq!(code(s.open(Some("old")).await), ErrorCode::WrongPassword);
    let crm = s.open(Some("new")).await.unwrap();
    assert_eq!(names(&crm).await.len(), 20);

    // A plain backup restored into an encrypted ledger comes out encrypted.
    let crm = crm.restore(&plain_copy).await.unwrap();
    assert!(crm.is_encrypted());
    assert_eq!(names(&crm).await.len(), 20);
    crm.close().await;
    assert_unreadable(&s.db());

    // And an encrypted backup restored into a plain ledger comes out plain.
    let other = Setup::new();
    let crm = other.open(None).await.unwrap();
    let crm = crm.restore_with_password(&chosen, Some(&password("old"))).await.unwrap();
    assert!(!crm.is_encrypted());
    assert_eq!(names(&crm).await.len(), 20);
    assert_eq!(encryption::probe(&other.db()).unwrap(), Probe::Plain);
}

async fn add_customers_named(crm: &Crm, name: &str) {
    let input = CustomerInput { name: name.into(), ..Default::default() };
    crm.add_customer(&input, false).await.unwrap().saved().unwrap();
}

#[tokio::test]
async fn a_damaged_encrypted_ledger_is_recovered_from_its_encrypted_backup() {
    let s = Setup::new();
    let crm = s.open(Some("pw")).await.unwrap();
    add_customers(&crm, 300).await;
    let good = crm.create_backup(None).await.unwrap();
    crm.close().await;
    // Pages after the first overwritten: the password still opens the first page.
    let mut file = std::fs::read(s.db()).unwrap();
    let len = file.len();
    assert!(len > 4 * 4096);
    for (i, b) in file[2 * 4096..len].iter_mut().enumerate() {
        *b = (i * 7919 % 251) as u8;
    }
    std::fs::write(s.db(), &file).unwrap();

    let pw = password("pw");
    let (fresh, found) =
        Crm::open_recovering_with_password(s.db(), Some(&pw), s.clock.clone(), Arc::new(SequentialIds::default()))
            .await
            .unwrap();
    let found = found.expect("the damage is reported");
    assert_eq!(std::fs::read(&found.corrupt_file).unwrap(), file, "kept aside byte for byte");
    assert_eq!(found.newest_good.as_ref().map(|b| &b.path), Some(&good.path));
    assert!(fresh.is_encrypted(), "the new ledger is locked with the same password");
    let restored = fresh.restore_with_password(Path::new(&good.path), Some(&pw)).await.unwrap();
    assert_eq!(names(&restored).await.len(), 300);
}

#[tokio::test]
async fn a_re_encryption_stopped_between_its_steps_leaves_a_whole_ledger() {
    let s = Setup::new();
    let crm = s.open(None).await.unwrap();
    add_customers(&crm, 200).await;
    let all = names(&crm).await;
    crm.close().await;

    // Killed after the encrypted copy was written, before the rename: the old ledger is as it was.
    let key = Key::fresh(&password("pw")).await.unwrap();
    let staged = rekey::stage(&s.db(), None, Some(&key)).await.unwrap();
    assert!(encryption::is_encrypted(&staged).unwrap());
    assert_eq!(encryption::probe(&s.db()).unwrap(), Probe::Plain);
    let crm = s.open(None).await.unwrap();
    assert_eq!(names(&crm).await, all);
    assert!(crm.check().await.unwrap().ok);

    // The next re-encryption clears the leftover and completes.
    let crm = crm.encrypt(&password("pw2")).await.unwrap();
    assert!(!staged.exists(), "the unfinished copy was removed");
    assert_eq!(names(&crm).await, all);
    crm.close().await;

    // A copy that cannot be written (something else sits under its name) is refused before
    // anything is renamed, and the ledger still opens with its password.
    let key = Key::for_file(&s.db(), &password("pw2")).await.unwrap();
    let blocker = s.dir.path().join(format!("yiben.db.rekey.{}.partial", std::process::id()));
    std::fs::create_dir(&blocker).unwrap();
    assert!(rekey::stage(&s.db(), Some(&key), None).await.is_err());
    std::fs::remove_dir(&blocker).unwrap();
    assert!(encryption::is_encrypted(&s.db()).unwrap());
    let crm = s.open(Some("pw2")).await.unwrap();
    assert_eq!(names(&crm).await, all);
    crm.close().await;

    // After the rename (the copy flushed first): the new ledger is whole.
    let staged = rekey::stage(&s.db(), Some(&key), None).await.unwrap();
    rekey::swap(&staged, &s.db()).unwrap();
    let crm = s.open(None).await.unwrap();
    assert!(!crm.is_encrypted());
    assert_eq!(names(&crm).await, all);
    assert!(crm.check().await.unwrap().ok);
}

#[tokio::test]
async fn an_encrypted_ledger_written_back_after_its_folder_was_deleted_stays_encrypted() {
    let s = Setup::new();
    let folder = s.dir.path().join("data");
    let db = folder.join("yiben.db");
    let pw = password("pw");
    let crm = Crm::open_with_password(&db, Some(&pw), s.clock.clone(), Arc::new(SequentialIds::default())).await.unwrap();
    add_customers(&crm, 30).await;
    std::fs::remove_dir_all(&folder).unwrap();
    assert!(crm.add_customer(&CustomerInput { name: "新客户".into(), ..Default::default() }, false).await.is_err());

    let crm = crm.rescue_in_place().await.unwrap();
    assert!(crm.is_encrypted());
    assert_eq!(names(&crm).await.len(), 30);
    crm.close().await;
    assert_unreadable(&db);
    let reopened = Crm::open_with_password(&db, Some(&pw), s.clock.clone(), Arc::new(SequentialIds::default())).await.unwrap();
    assert_eq!(names(&reopened).await.len(), 30);
}

#[test]
fn what_the_first_page_says() {
    let mut page = vec![0u8; 4096];
    page[..16].copy_from_slice(b"SQLite format 3\0");
    assert_eq!(encryption::probe_bytes(&page), Probe::Plain);
    assert_eq!(encryption::probe_bytes(&[]), Probe::New);
    // Random bytes (what SQLCipher's first page is) versus text, zeros and patterns.
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let random: Vec<u8> = (0..4096)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect();
    assert_eq!(encryption::probe_bytes(&random), Probe::Encrypted(random[..16].try_into().unwrap()));
    assert_eq!(encryption::probe_bytes(&random[..4000]), Probe::Unknown, "shorter than a page");
    assert_eq!(encryption::probe_bytes(&[0u8; 4096]), Probe::Unknown);
    assert_eq!(encryption::probe_bytes("这不是数据库".repeat(300).as_bytes()), Probe::Unknown);
    let pattern: Vec<u8> = (0..8192).map(|i| (i * 7919 % 251) as u8).collect();
    assert_eq!(encryption::probe_bytes(&pattern), Probe::Unknown);
}

#[test]
fn wrong_passwords_in_a_row_cost_a_growing_wait() {
    use chrono::Duration;
    use yiben::encryption::backoff::{Backoff, FREE_TRIES};
    let t = common::t0();
    let mut b = Backoff::default();
    for _ in 0..FREE_TRIES {
        assert_eq!(b.failed(t), None, "typos cost nothing");
        assert_eq!(b.wait(t), None);
    }
    assert_eq!(b.failed(t), Some(Duration::seconds(2)));
    assert_eq!(b.wait(t), Some(Duration::seconds(2)));
    assert_eq!(b.wait(t + Duration::seconds(1)), Some(Duration::seconds(1)));
    assert_eq!(b.wait(t + Duration::seconds(2)), None, "allowed again once the wait is over");
    assert_eq!(b.failed(t), Some(Duration::seconds(4)));
    assert_eq!(b.failed(t), Some(Duration::seconds(8)));
    for _ in 0..40 {
        b.failed(t);
    }
    assert_eq!(b.failed(t), Some(Duration::minutes(5)), "at most five minutes");
    assert_eq!(b.failures(), FREE_TRIES + 44);
    b.succeeded();
    assert_eq!(b.failures(), 0);
    assert_eq!(b.wait(t), None);
    assert_eq!(b.failed(t), None);
}
