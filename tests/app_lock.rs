//! The app lock's core side: unlocking under the back-off, and the lock settings kept outside
//! the encrypted ledger.

mod common;

use std::sync::Arc;

use chrono::Duration;
use yiben::customers::CustomerInput;
use yiben::encryption::backoff::{Backoff, FREE_TRIES};
use yiben::encryption::lock::{self, LockSettings, DEFAULT_IDLE_MINUTES};
use yiben::encryption::Password;
use yiben::settings::Language;
use yiben::{Crm, Error, ErrorCode, FixedClock, SequentialIds};

fn password(raw: &str) -> Password {
    Password::new(raw).unwrap()
}

async fn encrypted_ledger(dir: &std::path::Path, clock: Arc<FixedClock>) -> std::path::PathBuf {
    let db = dir.join("yiben.db");
    let crm = Crm::open_with_password(&db, Some(&password("正确的密码")), clock, Arc::new(SequentialIds::default()))
        .await
        .unwrap();
    let input = CustomerInput { name: "华信精密机械有限公司".into(), ..Default::default() };
    crm.add_customer(&input, false).await.unwrap().saved().unwrap();
    crm.close().await;
    db
}

async fn unlock(db: &std::path::Path, raw: &str, backoff: &mut Backoff, clock: &Arc<FixedClock>) -> yiben::Result<Crm> {
    Crm::unlock(db, &password(raw), backoff, clock.clone(), Arc::new(SequentialIds::default())).await.map(|(crm, _)| crm)
}

/// The error of a refused unlock (a `Crm` has no `Debug`, so `unwrap_err` cannot be used).
fn refused(result: yiben::Result<Crm>) -> Error {
    match result {
        Ok(_) => panic!("unlocked"),
        Err(e) => e,
    }
}

#[tokio::test]
async fn the_right_password_unlocks_and_clears_the_count() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::new(common::t0()));
    let db = encrypted_ledger(dir.path(), clock.clone()).await;
    let mut backoff = Backoff::default();
    assert_eq!(refused(unlock(&db, "错的", &mut backoff, &clock).await).code(), ErrorCode::WrongPassword);
    assert_eq!(backoff.failures(), 1);
    let crm = unlock(&db, "正确的密码", &mut backoff, &clock).await.unwrap();
    assert!(crm.is_encrypted());
    assert_eq!(crm.customer(1).await.unwrap().name, "华信精密机械有限公司");
    assert_eq!(backoff.failures(), 0);
}

#[tokio::test]
async fn wrong_passwords_past_the_free_tries_impose_a_wait_that_even_the_right_one_respects() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::new(common::t0()));
    let db = encrypted_ledger(dir.path(), clock.clone()).await;
    let mut backoff = Backoff::default();
    for _ in 0..FREE_TRIES {
        assert_eq!(refused(unlock(&db, "错的", &mut backoff, &clock).await).code(), ErrorCode::WrongPassword);
    }
    let err = refused(unlock(&db, "错的", &mut backoff, &clock).await);
    assert!(matches!(err, Error::TooManyTries { wait_secs: 2 }), "{err:?}");
    assert_eq!(err.body().fields.get("waitSecs").map(String::as_str), Some("2"));
    // During the wait the password is not tried at all, and nothing is counted.
    clock.advance(Duration::milliseconds(500));
    let err = refused(unlock(&db, "正确的密码", &mut backoff, &clock).await);
    assert!(matches!(err, Error::TooManyTries { wait_secs: 2 }), "1.5 s left rounds up: {err:?}");
    assert_eq!(backoff.failures(), FREE_TRIES + 1);
    clock.advance(Duration::milliseconds(1500));
    let crm = unlock(&db, "正确的密码", &mut backoff, &clock).await.unwrap();
    assert!(crm.is_open());
    assert_eq!(backoff, Backoff::default());
}

#[tokio::test]
async fn a_wrong_password_leaves_the_encrypted_file_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::new(common::t0()));
    let db = encrypted_ledger(dir.path(), clock.clone()).await;
    let before = std::fs::read(&db).unwrap();
    let mut backoff = Backoff::default();
    refused(unlock(&db, "错的", &mut backoff, &clock).await);
    assert_eq!(std::fs::read(&db).unwrap(), before);
    let aside: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().map(|e| e.file_name()).collect();
    assert!(aside.iter().all(|n| !n.to_string_lossy().contains("corrupt")), "never set aside as damaged: {aside:?}");
}

#[test]
fn lock_settings_default_to_fifteen_minutes_when_missing_or_damaged() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(lock::FILE_NAME);
    assert_eq!(lock::load(&file), LockSettings::default());
    assert_eq!(LockSettings::default().idle_minutes, DEFAULT_IDLE_MINUTES);
    std::fs::write(&file, "{ not json").unwrap();
    assert_eq!(lock::load(&file), LockSettings::default());
    std::fs::write(&file, r#"{"idleMinutes": -3, "language": "en"}"#).unwrap();
    assert_eq!(lock::load(&file), LockSettings { idle_minutes: DEFAULT_IDLE_MINUTES, language: Language::En });
}

#[test]
fn lock_settings_round_trip_and_refuse_an_idle_time_out_of_range() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("nested").join(lock::FILE_NAME);
    for minutes in [0.0, 0.1, 2.5, 1440.0] {
        let settings = LockSettings { idle_minutes: minutes, language: Language::En };
        lock::save(&file, &settings).unwrap();
        assert_eq!(lock::load(&file), settings);
    }
    for minutes in [-1.0, 0.05, 1440.5, f64::NAN, f64::INFINITY] {
        let err = lock::save(&file, &LockSettings { idle_minutes: minutes, language: Language::ZhCn }).unwrap_err();
        assert_eq!(err.fields().get("idleMinutes").map(String::as_str), Some("out_of_range"), "{minutes}");
    }
    assert_eq!(lock::load(&file).idle_minutes, 1440.0, "a refused value changes nothing");
    assert!(!dir.path().join("nested").join("lock.json.new").exists());
}
