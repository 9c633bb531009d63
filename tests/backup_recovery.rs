//! A damaged ledger at start-up: recognised, kept aside byte for byte, replaced by an empty
//! ledger, and the newest backup that passes the checks offered (damaged ones passed over).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Duration, TimeZone, Utc};
use yiben::backup::recovery::{self, Recovery};
use yiben::backup;
use yiben::customers::{CustomerInput, ListQuery};
use yiben::{Crm, Error, FixedClock, SequentialIds};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).unwrap()
}

struct Setup {
    dir: tempfile::TempDir,
    clock: Arc<FixedClock>,
}

impl Setup {
    fn new() -> Setup {
        Setup {
            dir: tempfile::tempdir().unwrap(),
            clock: Arc::new(FixedClock::new(t0())),
        }
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("yiben.db")
    }

    async fn open(&self) -> Crm {
        Crm::open_with(self.db(), self.clock.clone(), Arc::new(SequentialIds::default()))
            .await
            .unwrap()
    }

    async fn open_recovering(&self) -> (Crm, Option<Recovery>) {
        Crm::open_recovering(self.db(), self.clock.clone(), Arc::new(SequentialIds::default()))
            .await
            .unwrap()
    }
}

async fn add(crm: &Crm, name: &str) {
    let input = CustomerInput {
        name: name.into(),
        ..Default::default()
    };
    crm.add_customer(&input, false).await.unwrap().saved().unwrap();
}

async fn names(crm: &Crm) -> Vec<String> {
    let mut names: Vec<String> = crm
        .list_customers(&ListQuery::first(100))
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|r| r.name)
        .collect();
    names.sort();
    names
}

fn garbage(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 7919 % 251) as u8).collect()
}

#[tokio::test]
async fn a_garbage_ledger_is_kept_aside_and_the_newest_good_backup_is_offered() {
    let s = Setup::new();
    let crm = s.open().await;
    add(&crm, "华信科技").await;
    let older = crm.create_backup(None).await.unwrap();
    s.clock.advance(Duration::hours(1));
    add(&crm, "万家超市").await;
    let newest = crm.backup_daily_if_due().await.unwrap().expect("none today yet");
    crm.close().await;

    let bytes = garbage(40_000);
    std::fs::write(s.db(), &bytes).unwrap();
    let err = match Crm::open(s.db()).await {
        Err(e) => e,
        Ok(_) => panic!("a garbage file opened"),
    };
    assert!(recovery::is_corrupt(&err), "{err:?}");

    s.clock.advance(Duration::minutes(1));
    let (fresh, found) = s.open_recovering().await;
    let found = found.expect("the damage is reported");
    let aside = PathBuf::from(&found.corrupt_file);
    assert_eq!(
        aside.file_name().unwrap().to_string_lossy(),
        "yiben.db.corrupt-20260302T020100.000Z"
    );
    assert_eq!(std::fs::read(&aside).unwrap(), bytes, "kept byte for byte");
    assert_eq!(found.newest_good.as_ref(), Some(&newest));
    assert!(names(&fresh).await.is_empty(), "the new ledger is empty");
    assert!(fresh.check().await.unwrap().ok);
    // Nothing of the new ledger became a backup: both backups are still the only ones.
    assert_eq!(fresh.backups().await.unwrap(), [newest.clone(), older]);

    let restored = fresh.restore(Path::new(&newest.path)).await.unwrap();
    assert_eq!(names(&restored).await, ["万家超市", "华信科技"]);
    assert!(restored.check().await.unwrap().ok);
}

#[tokio::test]
async fn damaged_and_foreign_backups_are_passed_over() {
    let s = Setup::new();
    let crm = s.open().await;
    add(&crm, "华信科技").await;
    let good = crm.create_backup(None).await.unwrap();
    s.clock.advance(Duration::hours(1));
    let damaged = crm.create_backup(None).await.unwrap();
    s.clock.advance(Duration::hours(1));
    let not_sqlite = crm.create_backup(None).await.unwrap();
    crm.close().await;

    // A backup whose pages were overwritten after the header, and one that is not SQLite.
    let mut pages = std::fs::read(&damaged.path).unwrap();
    let len = pages.len();
    pages[100..len].copy_from_slice(&garbage(len - 100));
    std::fs::write(&damaged.path, pages).unwrap();
    std::fs::write(&not_sqlite.path, b"not a database at all").unwrap();

    let dir = backup::dir_for(&s.db());
    assert_eq!(backup::list(&dir).unwrap().len(), 3);
    assert_eq!(recovery::newest_good(&dir).await.unwrap(), Some(good));
}

#[tokio::test]
async fn no_backups_means_none_to_offer() {
    let s = Setup::new();
    assert_eq!(recovery::newest_good(&s.dir.path().join("backups")).await.unwrap(), None);
    std::fs::write(s.db(), garbage(8192)).unwrap();
    let (crm, found) = s.open_recovering().await;
    let found = found.unwrap();
    assert_eq!(found.newest_good, None);
    assert!(Path::new(&found.corrupt_file).exists());
    add(&crm, "新客户").await;
    assert_eq!(names(&crm).await, ["新客户"], "the empty ledger works");
}

#[tokio::test]
async fn a_ledger_with_damaged_pages_is_recognised_and_its_wal_goes_aside_with_it() {
    let s = Setup::new();
    let crm = s.open().await;
    for n in 0..200 {
        add(&crm, &format!("客户{n:03}")).await;
    }
    crm.close().await;
    let mut file = std::fs::read(s.db()).unwrap();
    let len = file.len();
    assert!(len > 8192);
    file[100..len].copy_from_slice(&garbage(len - 100));
    std::fs::write(s.db(), &file).unwrap();
    // A WAL and shared-memory file left by a crash belong to the damaged ledger.
    let side = |suffix: &str| PathBuf::from(format!("{}{suffix}", s.db().display()));
    std::fs::write(side("-wal"), b"wal of the damaged file").unwrap();
    std::fs::write(side("-shm"), b"shm").unwrap();

    let (crm, found) = s.open_recovering().await;
    let aside = found.expect("damage reported").corrupt_file;
    let kept = std::fs::read(&aside).unwrap();
    let first_change = kept.iter().zip(&file).position(|(a, b)| a != b);
    assert!(kept.len() == file.len() && first_change.is_none(), "set aside unchanged: {} vs {} bytes, first change at {first_change:?}", kept.len(), file.len());
    // The WAL goes aside too, if the failed open left one: SQLite may have reset it to nothing
    // (its header is not valid, so no frame in it could be replayed) or removed it as its last
    // connection closed. Either way none of it stays beside the new ledger.
    match std::fs::read(format!("{aside}-wal")) {
        Ok(wal) => assert!(b"wal of the damaged file".starts_with(&wal), "{wal:?}"),
        Err(e) => assert_eq!(e.kind(), std::io::ErrorKind::NotFound, "{e}"),
    }
    if let Ok(wal) = std::fs::read(side("-wal")) {
        assert!(!wal.starts_with(b"wal of"), "the damaged ledger's WAL stayed beside the new one");
    }
    // The shared-memory file is SQLite's to rebuild; the failed open may already have dropped it.
    assert!(names(&crm).await.is_empty());
}

#[tokio::test]
async fn a_healthy_ledger_opens_as_it_is() {
    let s = Setup::new();
    let crm = s.open().await;
    add(&crm, "华信科技").await;
    crm.close().await;
    let (crm, found) = s.open_recovering().await;
    assert_eq!(found, None);
    assert_eq!(names(&crm).await, ["华信科技"]);
    let entries: Vec<String> = std::fs::read_dir(s.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!entries.iter().any(|n| n.contains("corrupt")), "{entries:?}");
}

#[tokio::test]
async fn the_wal_and_shared_memory_files_go_aside_with_the_ledger() {
    let s = Setup::new();
    let side = |base: &Path, suffix: &str| PathBuf::from(format!("{}{suffix}", base.display()));
    std::fs::write(s.db(), b"damaged ledger").unwrap();
    std::fs::write(side(&s.db(), "-wal"), b"its wal").unwrap();
    std::fs::write(side(&s.db(), "-shm"), b"its shm").unwrap();
    let aside = recovery::set_aside(&s.db(), t0()).unwrap();
    assert_eq!(std::fs::read(&aside).unwrap(), b"damaged ledger");
    assert_eq!(std::fs::read(side(&aside, "-wal")).unwrap(), b"its wal");
    assert_eq!(std::fs::read(side(&aside, "-shm")).unwrap(), b"its shm");
    for suffix in ["", "-wal", "-shm"] {
        assert!(!side(&s.db(), suffix).exists(), "{suffix} left behind");
    }
}

#[tokio::test]
async fn a_second_damage_in_the_same_millisecond_keeps_both_files() {
    let s = Setup::new();
    std::fs::write(s.db(), b"first damaged ledger").unwrap();
    let first = recovery::set_aside(&s.db(), t0()).unwrap();
    std::fs::write(s.db(), b"second damaged ledger").unwrap();
    let second = recovery::set_aside(&s.db(), t0()).unwrap();
    assert_ne!(first, second);
    assert!(second.to_string_lossy().ends_with(".corrupt-20260302T010000.000Z-2"));
    assert_eq!(std::fs::read(first).unwrap(), b"first damaged ledger");
    assert_eq!(std::fs::read(second).unwrap(), b"second damaged ledger");
    assert!(!s.db().exists());
}

#[tokio::test]
async fn other_failures_are_not_taken_for_damage() {
    assert!(!recovery::is_corrupt(&Error::Busy));
    assert!(!recovery::is_corrupt(&Error::Io(std::io::Error::other("disk full"))));
    assert!(!recovery::is_corrupt(&Error::BackupTooNew));
    // A ledger whose folder is a file cannot be opened, but it is not damaged: answered as is.
    let s = Setup::new();
    let blocked = s.dir.path().join("file-not-folder");
    std::fs::write(&blocked, b"x").unwrap();
    let path = blocked.join("yiben.db");
    let err = match Crm::open_recovering(&path, s.clock.clone(), Arc::new(SequentialIds::default())).await {
        Err(e) => e,
        Ok(_) => panic!("opened under a file"),
    };
    assert!(!recovery::is_corrupt(&err), "{err:?}");
    assert_eq!(std::fs::read(&blocked).unwrap(), b"x");
}
