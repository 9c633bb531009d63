//! The dashboard's follow-up count reads kept per-hour totals (`followup_hours`): they must
//! follow every write that adds, moves, hides or removes a follow-up, and a period whose
//! midnight is not on a UTC hour must count only its own part of the hours at its ends.

mod common;

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset, TimeZone, Utc};
use common::{add_anyway, Ledger};
use sqlx::{Connection, SqliteConnection};
use yiben::customers::CustomerInput;
use yiben::followups::FollowupInput;
use yiben::reports::{KpiKey, PeriodPreset, ReportQuery};
use yiben::{Crm, FixedClock, SequentialIds};

fn utc(y: i32, m: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, mi, 0).unwrap()
}

async fn ledger_in(offset_secs: i32, now: DateTime<Utc>) -> Ledger {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::new(now));
    let crm = Crm::open_with(dir.path().join("ledger.db"), clock.clone(), Arc::new(SequentialIds::default()))
        .await
        .unwrap()
        .with_zone(FixedOffset::east_opt(offset_secs).unwrap());
    Ledger { crm, clock, dir }
}

async fn customer(l: &Ledger, name: &str, owner: &str) -> i64 {
    add_anyway(&l.crm, &CustomerInput { name: name.into(), owner: Some(owner.into()), ..Default::default() }).await.id
}

fn followup(at: DateTime<Utc>, owner: &str) -> FollowupInput {
    FollowupInput { at: Some(at), method: "phone".into(), owner: Some(owner.into()), content: "电话沟通".into(), ..Default::default() }
}

/// The kept totals, and the same totals counted from the follow-ups themselves.
async fn both(l: &Ledger) -> (Vec<(i64, String, i64)>, Vec<(i64, String, i64)>) {
    let url = format!("sqlite:{}", l.dir.path().join("ledger.db").display());
    let mut conn = SqliteConnection::connect(&url).await.unwrap();
    let kept = sqlx::query_as("SELECT hour, owner, n FROM followup_hours WHERE n <> 0 ORDER BY 1, 2").fetch_all(&mut conn).await.unwrap();
    let counted = sqlx::query_as(
        "SELECT at / 3600000, coalesce(owner, ''), count(*) FROM followups WHERE hidden = 0 GROUP BY 1, 2 ORDER BY 1, 2",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    conn.close().await.unwrap();
    (kept, counted)
}

async fn assert_kept(l: &Ledger, live: i64) {
    let (kept, counted) = both(l).await;
    assert_eq!(kept, counted);
    assert_eq!(kept.iter().map(|r| r.2).sum::<i64>(), live);
}

async fn kpi(crm: &Crm, q: &ReportQuery) -> (i64, i64, i64) {
    let d = crm.dashboard(q).await.unwrap();
    let k = d.kpis.iter().find(|k| k.key == KpiKey::Followups).unwrap();
    (k.value, k.previous, k.year_ago)
}

fn custom(from: &str, to: &str, owner: Option<&str>) -> ReportQuery {
    ReportQuery { preset: PeriodPreset::Custom, from: Some(from.into()), to: Some(to.into()), owner: owner.map(Into::into) }
}

#[tokio::test]
async fn hourly_totals_follow_adds_edits_deletes_the_recycle_bin_and_merges() {
    let l = ledger_in(8 * 3600, utc(2026, 11, 24, 2, 0)).await;
    let wang = customer(&l, "恒达精密", "王经理").await;
    let li = customer(&l, "远航物流", "李经理").await;
    let mut ids = Vec::new();
    for (customer, at, owner) in [
        (wang, utc(2026, 10, 3, 1, 5), "王经理"),
        (wang, utc(2026, 10, 3, 1, 55), "王经理"),
        (wang, utc(2026, 10, 9, 6, 0), "李经理"),
        (li, utc(2026, 10, 3, 1, 20), "李经理"),
        (li, utc(2026, 9, 30, 15, 59), "李经理"),
        (li, utc(2026, 10, 31, 16, 0), "李经理"),
    ] {
        ids.push(l.crm.add_followup(customer, &followup(at, owner)).await.unwrap().id);
    }
    assert_kept(&l, 6).await;
    // October in Beijing is 30 September 16:00 to 31 October 16:00 UTC: the 15:59 and the
    // 16:00 ones are just outside.
    let october = custom("2026-10-01", "2026-10-31", None);
    assert_eq!(kpi(&l.crm, &october).await.0, 4);
    assert_eq!(kpi(&l.crm, &custom("2026-10-01", "2026-10-31", Some("王经理"))).await.0, 2);
    assert_eq!(kpi(&l.crm, &custom("2026-10-01", "2026-10-31", Some("李经理"))).await.0, 2);

    // Moved to another hour and owner, then to November.
    let moved = followup(utc(2026, 10, 20, 3, 0), "李经理");
    l.crm.update_followup(ids[0], &moved).await.unwrap();
    assert_kept(&l, 6).await;
    assert_eq!(kpi(&l.crm, &custom("2026-10-01", "2026-10-31", Some("王经理"))).await.0, 1);
    l.crm.update_followup(ids[0], &followup(utc(2026, 11, 2, 3, 0), "李经理")).await.unwrap();
    assert_kept(&l, 6).await;
    assert_eq!(kpi(&l.crm, &october).await.0, 3);

    l.crm.delete_followup(ids[1]).await.unwrap();
    assert_kept(&l, 5).await;
    assert_eq!(kpi(&l.crm, &october).await.0, 2);

    // The recycle bin hides the customer's follow-ups, a restore brings them back.
    l.crm.delete_customer(li).await.unwrap();
    assert_kept(&l, 2).await;
    assert_eq!(kpi(&l.crm, &october).await.0, 1);
    l.crm.restore_customer(li).await.unwrap();
    assert_kept(&l, 5).await;
    assert_eq!(kpi(&l.crm, &october).await.0, 2);

    // A merge moves the absorbed customer's follow-ups; purging a binned customer removes its.
    l.crm.merge_customers(wang, li, &BTreeMap::new()).await.unwrap();
    assert_kept(&l, 5).await;
    assert_eq!(kpi(&l.crm, &october).await.0, 2);
    l.crm.delete_customer(wang).await.unwrap();
    l.crm.purge_customer(wang).await.unwrap();
    assert_kept(&l, 0).await;
    assert_eq!(kpi(&l.crm, &october).await, (0, 0, 0));
}

#[tokio::test]
async fn a_period_whose_midnight_is_inside_an_hour_counts_only_its_part() {
    // India: midnight is 18:30 UTC, in the middle of a kept hour.
    let l = ledger_in(5 * 3600 + 1800, utc(2026, 11, 24, 6, 0)).await;
    let c = customer(&l, "恒达精密", "王经理").await;
    for at in [
        utc(2026, 9, 30, 18, 10), // 30 September 23:40 local
        utc(2026, 9, 30, 18, 30), // 1 October 00:00 local
        utc(2026, 10, 15, 9, 0),
        utc(2026, 10, 31, 18, 20), // 31 October 23:50 local
        utc(2026, 10, 31, 18, 40), // 1 November 00:10 local
        utc(2026, 11, 10, 9, 0),
    ] {
        l.crm.add_followup(c, &followup(at, "王经理")).await.unwrap();
    }
    assert_kept(&l, 6).await;
    assert_eq!(kpi(&l.crm, &custom("2026-10-01", "2026-10-31", None)).await.0, 3);
    assert_eq!(kpi(&l.crm, &custom("2026-10-01", "2026-10-31", Some("王经理"))).await.0, 3);
    assert_eq!(kpi(&l.crm, &custom("2026-10-01", "2026-10-31", Some("李经理"))).await.0, 0);
    // This month so far (1–24 November) against 1–24 October.
    let month = ReportQuery { preset: PeriodPreset::Month, ..Default::default() };
    assert_eq!(kpi(&l.crm, &month).await, (2, 2, 0));
    // A single day whose both ends fall inside hours.
    assert_eq!(kpi(&l.crm, &custom("2026-11-01", "2026-11-01", None)).await.0, 1);
    assert_eq!(kpi(&l.crm, &custom("2026-10-31", "2026-10-31", None)).await.0, 1);
}
