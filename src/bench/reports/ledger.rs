//! The reports benchmark's ledger: customers over three years, their follow-ups with next
//! steps and the reminders those scheduled, tag links, and deals with their stage history.
//!
//! Customers, follow-ups, reminders and tag links go in through multi-row INSERTs on a
//! loading connection (going through `add_customers` would cost minutes at 1M rows for the
//! search indexes, which no report reads); deals go through `add_past_deals` like the funnel
//! benchmark's. The columns the app derives are computed here from the generated facts:
//! `next_contact_at` (the customer's next follow-up), `last_followup_at`, `next_action`,
//! the reminders' fates. A sample of customers then goes to the recycle bin through an UPDATE,
//! so the schema's own triggers hide their follow-ups and deals.

use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, Instant};

use chrono::{DateTime, Datelike, Utc};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteLockingMode, SqliteSynchronous};
use sqlx::{Connection, QueryBuilder, Sqlite, SqliteConnection};

use super::super::Generator;
use crate::deals::bulk::PastDeal;
use crate::domain::{company_core, name_key};
use crate::{Crm, Result, Zone};

const DAY_MS: i64 = 86_400_000;
const YEARS: i64 = 3;
const OWNERS: &[&str] = &["王经理", "李经理", "张经理", "陈经理"];
/// Follow-ups per transaction; SQLite's limit of 32766 bound values sets the rows per statement.
const TX_ROWS: usize = 50_000;

pub struct Sizes {
    pub customers: usize,
    pub followups: usize,
    pub deals: usize,
}

/// What was generated and how long each part took.
pub struct Generated {
    pub customers: usize,
    pub followups: usize,
    pub reminders: usize,
    pub deals: usize,
    pub history: u64,
    pub links: u64,
    pub deleted: u64,
    pub steps: Vec<(&'static str, Duration)>,
}

fn below(g: &mut Generator, n: u64) -> u64 {
    g.next() % n.max(1)
}

fn chance(g: &mut Generator, percent: u64) -> bool {
    below(g, 100) < percent
}

/// A follow-up's place in time: sorted by (at, customer), the position is its id.
#[derive(Clone, Copy)]
struct Slot {
    at: i64,
    customer: u32,
    /// The same customer's next follow-up, 0 when none.
    next_contact: i64,
}

/// Per customer: the facts its row keeps about its follow-ups.
#[derive(Clone, Default)]
struct Derived {
    last_followup_at: Option<i64>,
    /// The earliest-due open next step: (due, follow-up id, action).
    next_action: Option<(i64, i64, &'static str)>,
}

/// The loading connection: the only one open on the file, so it can skip the WAL (every page
/// would be written twice) and hold the lock throughout.
async fn loader(path: &Path) -> Result<SqliteConnection> {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .journal_mode(SqliteJournalMode::Off)
        .locking_mode(SqliteLockingMode::Exclusive)
        // Generated data: a crash mid-load just means generating again.
        .synchronous(SqliteSynchronous::Off)
        // Every reference is made consistent by the generator, which inserts follow-ups
        // before the customers they belong to.
        .foreign_keys(false)
        .pragma("cache_size", "-524288")
        .pragma("temp_store", "memory");
    Ok(SqliteConnection::connect_with(&options).await?)
}

/// Generates the ledger at `path` (created and migrated here); answers what it holds.
pub async fn generate(path: &Path, sizes: &Sizes, now: DateTime<Utc>, zone: Zone) -> Result<Generated> {
    let now_ms = now.timestamp_millis();
    let mut steps = Vec::new();
    let crm = Crm::open(path).await?;
    let lead_ms = crm.reminder_settings().await?.lead().num_milliseconds();
    crm.close().await;
    let mut conn = loader(path).await?;
    let mut gen = Generator::new(20261124);

    let started = Instant::now();
    // Customers arrive over three years; ids follow their creation like the app's do.
    let span = YEARS * 365 * DAY_MS;
    let mut created: Vec<i64> = (0..sizes.customers).map(|_| now_ms - span + below(&mut gen, (span - 3_600_000) as u64) as i64).collect();
    created.sort_unstable();
    let owners: Vec<u8> = (0..sizes.customers).map(|_| below(&mut gen, OWNERS.len() as u64) as u8).collect();

    // Follow-ups spread evenly over the three years, each of a customer that existed by then.
    let mut slots: Vec<Slot> = (0..sizes.followups)
        .map(|_| {
            let at = now_ms - span + below(&mut gen, span as u64) as i64;
            let existing = created.partition_point(|&c| c + 600_000 <= at).max(1);
            let customer = below(&mut gen, existing as u64) as u32;
            Slot { at: at.max(created[customer as usize] + 600_000), customer, next_contact: 0 }
        })
        .collect();
    slots.sort_unstable_by_key(|s| (s.at, s.customer));
    // Walking back in time, the last follow-up seen of a customer is the next one after this.
    let mut seen = vec![0i64; sizes.customers];
    for slot in slots.iter_mut().rev() {
        slot.next_contact = seen[slot.customer as usize];
        seen[slot.customer as usize] = slot.at;
    }
    drop(seen);
    steps.push(("follow-up times, sorted, with each customer's next contact", started.elapsed()));

    let started = Instant::now();
    let (derived, reminders) = followups(&mut conn, &mut gen, &slots, &owners, lead_ms, now_ms).await?;
    drop(slots);
    steps.push(("follow-ups and their next-step reminders", started.elapsed()));

    let started = Instant::now();
    customers(&mut conn, &mut gen, &created, &owners, &derived, zone).await?;
    drop(derived);
    steps.push(("customers", started.elapsed()));

    let started = Instant::now();
    let links = link_tags(&mut conn, sizes.customers).await?;
    steps.push(("tag links", started.elapsed()));
    sqlx::query("PRAGMA journal_mode = WAL").execute(&mut conn).await?;
    conn.close().await?;

    let started = Instant::now();
    let crm = Crm::open(path).await?;
    let history = deals(&crm, &mut gen, &created, sizes.deals, now_ms).await?;
    crm.close().await;
    steps.push(("deals and their stage history (through the app)", started.elapsed()));

    // One customer in a hundred is in the recycle bin; the schema's triggers hide what goes
    // with it (follow-ups, their hourly counts, deals).
    let started = Instant::now();
    let mut conn = SqliteConnection::connect_with(&SqliteConnectOptions::new().filename(path)).await?;
    let deleted = sqlx::query("UPDATE customers SET deleted_at = ? - (id % 90) * 86400000 WHERE id % 100 = 37")
        .bind(now_ms)
        .execute(&mut conn)
        .await?
        .rows_affected();
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&mut conn).await?;
    conn.close().await?;
    steps.push(("recycle bin", started.elapsed()));

    Ok(Generated {
        customers: sizes.customers,
        followups: sizes.followups,
        reminders,
        deals: sizes.deals,
        history,
        links,
        deleted,
        steps,
    })
}

const CONTENTS: &[&str] = &[
    "电话沟通采购计划，客户关注交期",
    "微信发送产品资料与报价单",
    "上门拜访，演示设备并参观产线",
    "邮件确认技术参数与验收标准",
    "会议讨论年度框架合作",
    "回访售后使用情况",
    "沟通付款方式与合同条款",
    "介绍新品方案，约下次演示",
];
const FEEDBACK: &[&str] = &["价格偏高，需内部评估", "对方案满意，等待预算审批", "需要更多案例", "下月再联系", "已转交采购部门"];
const NEXT_STEPS: &[&str] = &["发送正式报价", "安排技术交流", "跟进合同审批", "邀请参观工厂", "确认样品测试结果"];

/// Methods by how often they are used: phone, WeChat, visit, email, meeting.
fn method(g: &mut Generator, ids: &[i64; 5]) -> i64 {
    match below(g, 100) {
        0..=39 => ids[0],
        40..=69 => ids[1],
        70..=84 => ids[2],
        85..=94 => ids[3],
        _ => ids[4],
    }
}

async fn method_ids(conn: &mut SqliteConnection) -> Result<[i64; 5]> {
    let mut ids = [0; 5];
    for (slot, code) in ids.iter_mut().zip(["phone", "wechat", "visit", "email", "meeting"]) {
        *slot = sqlx::query_scalar("SELECT id FROM followup_methods WHERE code = ?").bind(code).fetch_one(&mut *conn).await?;
    }
    Ok(ids)
}

struct Reminder {
    customer: i64,
    followup: i64,
    action: &'static str,
    owner: &'static str,
    due: i64,
    status: &'static str,
    closed_at: Option<i64>,
    created_at: i64,
}

/// Inserts the follow-ups in time order (id = position) with ≈60 % feedback and ≈40 % next
/// steps, and each next step's reminder as the app would have left it by now: closed by the
/// customer's next follow-up, marked done by hand (a quarter of them, on time or late), or
/// still open.
async fn followups(
    conn: &mut SqliteConnection,
    gen: &mut Generator,
    slots: &[Slot],
    owners: &[u8],
    lead_ms: i64,
    now_ms: i64,
) -> Result<(Vec<Derived>, usize)> {
    let methods = method_ids(conn).await?;
    let mut derived = vec![Derived::default(); owners.len()];
    let mut reminders = 0;
    for (part, chunk) in slots.chunks(TX_ROWS).enumerate() {
        let first_id = (part * TX_ROWS) as i64 + 1;
        let mut tx = conn.begin().await?;
        let mut due = Vec::new();
        for (rows, offset) in chunk.chunks(2000).zip((0..).step_by(2000)) {
            let mut qb = QueryBuilder::<Sqlite>::new(
                "INSERT INTO followups (id, uid, customer_id, at, method_id, owner, content, feedback, awaiting_reply,
                     next_step, next_owner, next_at, created_at, updated_at, next_contact_at, hidden) ",
            );
            qb.push_values(rows.iter().enumerate(), |mut b, (i, s)| {
                let id = first_id + offset + i as i64;
                let customer = s.customer as i64 + 1;
                let owner = if chance(gen, 85) { OWNERS[owners[s.customer as usize] as usize] } else { OWNERS[below(gen, 4) as usize] };
                let feedback = chance(gen, 60).then(|| FEEDBACK[below(gen, FEEDBACK.len() as u64) as usize]);
                let next = chance(gen, 40).then(|| {
                    let at = s.at + (1 + below(gen, 14) as i64) * DAY_MS;
                    (NEXT_STEPS[below(gen, NEXT_STEPS.len() as u64) as usize], at)
                });
                if let Some((action, at)) = next {
                    let next_contact = (s.next_contact > 0).then_some(s.next_contact);
                    let (status, closed_at) = if chance(gen, 25) && s.at + 3_600_000 < now_ms {
                        // Done by hand, from an hour after the follow-up to two days late.
                        let by = s.at + 3_600_000 + below(gen, (at - s.at + 2 * DAY_MS) as u64) as i64;
                        ("done", Some(by.min(now_ms)))
                    } else if let Some(contact) = next_contact {
                        ("closed", Some(contact))
                    } else {
                        ("open", None)
                    };
                    if status == "open" {
                        let d = &mut derived[s.customer as usize];
                        if d.next_action.is_none_or(|(due, fid, _)| (at, id) < (due, fid)) {
                            d.next_action = Some((at, id, action));
                        }
                    }
                    due.push(Reminder { customer, followup: id, action, owner, due: at, status, closed_at, created_at: s.at });
                }
                derived[s.customer as usize].last_followup_at = Some(s.at);
                b.push_bind(id)
                    .push_bind(format!("bench-f-{id:09}"))
                    .push_bind(customer)
                    .push_bind(s.at)
                    .push_bind(method(gen, &methods))
                    .push_bind(owner)
                    .push_bind(CONTENTS[below(gen, CONTENTS.len() as u64) as usize])
                    .push_bind(feedback)
                    .push_bind(chance(gen, 5) as i64)
                    .push_bind(next.map(|n| n.0))
                    .push_bind(next.map(|_| owner))
                    .push_bind(next.map(|n| n.1))
                    .push_bind(s.at)
                    .push_bind(s.at)
                    .push_bind((s.next_contact > 0).then_some(s.next_contact))
                    .push_bind(0i64);
            });
            qb.build().execute(&mut *tx).await?;
        }
        for rows in due.chunks(2500) {
            let mut qb = QueryBuilder::<Sqlite>::new(
                "INSERT INTO reminders (customer_id, followup_id, rule, cause, action, owner, due_at, remind_at, status,
                     notified_at, created_at, closed_at) ",
            );
            qb.push_values(rows, |mut b, r| {
                let remind_at = r.due - lead_ms;
                b.push_bind(r.customer)
                    .push_bind(r.followup)
                    .push_bind("next_step")
                    .push_bind(format!("next_step:{}", r.followup))
                    .push_bind(r.action)
                    .push_bind(r.owner)
                    .push_bind(r.due)
                    .push_bind(remind_at)
                    .push_bind(r.status)
                    .push_bind((remind_at <= now_ms && r.closed_at.is_none_or(|c| c >= remind_at)).then_some(remind_at))
                    .push_bind(r.created_at)
                    .push_bind(r.closed_at);
            });
            qb.build().execute(&mut *tx).await?;
        }
        reminders += due.len();
        tx.commit().await?;
    }
    Ok((derived, reminders))
}

/// Employee counts over the size bands, a few left blank.
fn employees(g: &mut Generator) -> Option<i64> {
    Some(match below(g, 20) {
        0..=2 => return None,
        3..=8 => 1 + below(g, 19),
        9..=14 => 20 + below(g, 80),
        15..=17 => 100 + below(g, 400),
        18 => 500 + below(g, 500),
        _ => 1000 + below(g, 9000),
    } as i64)
}

async fn customers(
    conn: &mut SqliteConnection,
    gen: &mut Generator,
    created: &[i64],
    owners: &[u8],
    derived: &[Derived],
    zone: Zone,
) -> Result<()> {
    let industries: HashMap<String, String> =
        sqlx::query_as::<_, (String, String)>("SELECT code, name FROM industries").fetch_all(&mut *conn).await?.into_iter().collect();
    let mut numbers: HashMap<(i32, String), u32> = HashMap::new();
    for ids in (0..created.len()).collect::<Vec<_>>().chunks(TX_ROWS) {
        let mut tx = conn.begin().await?;
        for rows in ids.chunks(1500) {
            let mut qb = QueryBuilder::<Sqlite>::new(
                "INSERT INTO customers (id, uid, number, kind, name, name_key, name_core, industry_code, industry, employees,
                     region, source, owner, grade, phone, created_at, updated_at, last_followup_at, next_action, next_action_at) ",
            );
            qb.push_values(rows, |mut b, &i| {
                let c = gen.customer();
                let code = c.industry.clone().unwrap_or_default();
                let year = zone.today(crate::db::from_ms(created[i])).year();
                let seq = numbers.entry((year, code.clone())).or_default();
                *seq += 1;
                let grade = match below(gen, 10) {
                    0 => Some("A"),
                    1 => Some("B"),
                    2 => Some("C"),
                    _ => None,
                };
                let d = &derived[i];
                b.push_bind(i as i64 + 1)
                    .push_bind(format!("bench-c-{:08}", i + 1))
                    .push_bind(format!("{year}-{code}-{seq:05}"))
                    .push_bind("org")
                    .push_bind(c.name.clone())
                    .push_bind(name_key(&c.name))
                    .push_bind(company_core(&c.name))
                    .push_bind(code.clone())
                    .push_bind(industries.get(&code).cloned())
                    .push_bind(employees(gen))
                    .push_bind(c.region)
                    .push_bind(c.source)
                    .push_bind(OWNERS[owners[i] as usize])
                    .push_bind(grade)
                    .push_bind(c.phone)
                    .push_bind(created[i])
                    .push_bind(created[i])
                    .push_bind(d.last_followup_at)
                    .push_bind(d.next_action.map(|n| n.2))
                    .push_bind(d.next_action.map(|n| n.0));
            });
            qb.build().execute(&mut *tx).await?;
        }
        tx.commit().await?;
    }
    Ok(())
}

/// ≈1.5 hand-set tags per customer, skewed: the four grade-like tags take half the links.
async fn link_tags(conn: &mut SqliteConnection, customers: usize) -> Result<u64> {
    let links = customers * 3 / 2;
    let mut made = 0u64;
    let mut n = 0usize;
    while (made as usize) < links {
        let mut tx = conn.begin().await?;
        for _ in 0..5 {
            let batch: Vec<(i64, i64)> = (n..n + 10_000)
                .map(|k| {
                    let customer = (k * 7919 % customers + 1) as i64;
                    let tag = if k % 2 == 0 { (k / 2 % 4 + 1) as i64 } else { (k / 2 % 13 + 5) as i64 };
                    (tag, customer)
                })
                .collect();
            n += batch.len();
            let mut qb = QueryBuilder::<Sqlite>::new("INSERT OR IGNORE INTO customer_tags (tag_id, customer_id, auto) ");
            qb.push_values(&batch, |mut b, (tag, customer)| {
                b.push_bind(*tag).push_bind(*customer).push("0");
            });
            made += qb.build().execute(&mut *tx).await?.rows_affected();
        }
        tx.commit().await?;
    }
    Ok(made)
}

/// Deals created over the three years (a third anchored a year apart each), each for a
/// customer that existed by then.
async fn deals(crm: &Crm, gen: &mut Generator, created: &[i64], deals: usize, now_ms: i64) -> Result<u64> {
    let stages = crm.deal_stages().await?;
    let mut history = 0u64;
    let mut made = 0;
    while made < deals {
        let n = (deals - made).min(TX_ROWS);
        let batch: Vec<PastDeal> = (made..made + n)
            .map(|i| {
                let anchor = now_ms - (i % YEARS as usize) as i64 * 365 * DAY_MS;
                let mut deal = gen.past_deal(&stages, 0, anchor, i);
                let before = created.partition_point(|&c| c < deal.path[0].1).max(1);
                deal.customer_id = below(gen, before as u64) as i64 + 1;
                deal
            })
            .collect();
        history += batch.iter().map(|d| d.path.len() as u64).sum::<u64>();
        crm.add_past_deals(&batch).await?;
        made += n;
    }
    Ok(history)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows of the generated ledger that disagree with what the app itself would derive.
    const DISAGREEING: &[(&str, &str)] = &[
        (
            "next contact (0009's own definition)",
            "SELECT count(*) FROM followups f WHERE f.next_contact_at IS NOT (SELECT min(n.at) FROM followups n
              WHERE n.customer_id = f.customer_id AND (n.at > f.at OR (n.at = f.at AND n.id > f.id)))",
        ),
        (
            "last follow-up and next action (followups::refresh_customer)",
            "SELECT count(*) FROM customers c WHERE c.last_followup_at IS NOT (SELECT max(at) FROM followups WHERE customer_id = c.id)
                OR c.next_action_at IS NOT (SELECT due_at FROM reminders WHERE customer_id = c.id AND rule = 'next_step'
                                            AND status = 'open' ORDER BY due_at, id LIMIT 1)",
        ),
        ("follow-ups before their customer", "SELECT count(*) FROM followups f JOIN customers c ON c.id = f.customer_id WHERE f.at < c.created_at"),
        // The oldest deals predate every customer and go to the first one.
        ("deals before their customer", "SELECT count(*) FROM deals d JOIN customers c ON c.id = d.customer_id WHERE d.created_at < c.created_at AND c.id > 1"),
        (
            "hidden follow-ups (the recycle bin's trigger)",
            "SELECT count(*) FROM followups f JOIN customers c ON c.id = f.customer_id WHERE f.hidden <> (c.deleted_at IS NOT NULL)",
        ),
        (
            "a reminder per next step",
            "SELECT count(*) FROM followups f WHERE (f.next_at IS NOT NULL) <> EXISTS (SELECT 1 FROM reminders r WHERE r.cause = 'next_step:' || f.id)",
        ),
        (
            "kept hourly counts",
            "WITH kept AS (SELECT hour, owner, n FROM followup_hours WHERE n <> 0),
                  counted AS (SELECT at / 3600000, coalesce(owner, ''), count(*) FROM followups WHERE hidden = 0 GROUP BY 1, 2)
             SELECT (SELECT count(*) FROM (SELECT * FROM kept EXCEPT SELECT * FROM counted))
                  + (SELECT count(*) FROM (SELECT * FROM counted EXCEPT SELECT * FROM kept))",
        ),
    ];

    #[tokio::test]
    async fn the_generated_ledger_agrees_with_what_the_app_derives() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bench.db");
        let now = crate::bench::reports::default_now();
        let zone = Zone::named("Asia/Shanghai").unwrap();
        let made = generate(&path, &Sizes { customers: 3000, followups: 15_000, deals: 600 }, now, zone).await.unwrap();
        assert_eq!((made.customers, made.followups, made.deals), (3000, 15_000, 600));
        assert_eq!(made.deleted, 30);
        let mut conn = SqliteConnection::connect(&format!("sqlite:{}", path.display())).await.unwrap();
        for (what, sql) in DISAGREEING {
            let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(*sql)).fetch_one(&mut conn).await.unwrap();
            assert_eq!(n, 0, "{what}");
        }
        let count = |sql: &'static str| sqlx::query_scalar::<_, i64>(sql);
        let reminders = count("SELECT count(*) FROM reminders").fetch_one(&mut conn).await.unwrap();
        assert_eq!(reminders as usize, made.reminders);
        // About 40 % of follow-ups plan a next step and 60 % carry feedback.
        assert!((5_000..7_000).contains(&reminders), "{reminders}");
        let responded = count("SELECT sum(responded) FROM followups").fetch_one(&mut conn).await.unwrap();
        assert!((8_000..10_000).contains(&responded), "{responded}");
        let statuses: Vec<(String, i64)> =
            sqlx::query_as("SELECT status, count(*) FROM reminders GROUP BY 1 ORDER BY 1").fetch_all(&mut conn).await.unwrap();
        assert_eq!(statuses.iter().map(|s| s.0.as_str()).collect::<Vec<_>>(), ["closed", "done", "open"]);
        // Follow-ups spread evenly over the three years: each year holds about a third.
        let last_year = count("SELECT count(*) FROM followups WHERE at >= 1764547200000").fetch_one(&mut conn).await.unwrap();
        assert!((4_500..5_500).contains(&last_year), "{last_year}");
    }
}
