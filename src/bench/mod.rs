//! The benchmark suite's core half: a deterministic data generator and timings of the
//! ledger's own operations beside the bare library doing the same work in the same run.
//! `yiben bench` prints the report; `bench/run` adds the desktop figures and writes
//! `docs/benchmarks.md`.

pub mod deals;
pub mod export;
pub mod import;
pub mod reminders;
pub mod reports;
pub mod tags;

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use sqlx::{Connection, SqliteConnection};

use crate::customers::{CustomerFilters, CustomerInput, ListQuery, PageQuery};
use crate::{Crm, Result};

/// xorshift64*: reproducible data without pulling in a random-number crate.
pub struct Generator(u64);

impl Generator {
    pub fn new(seed: u64) -> Self {
        Generator(seed.max(1))
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }

    /// A plausible customer: "深圳恒达精密制造有限公司", a mobile, an industry.
    pub fn customer(&mut self) -> CustomerInput {
        const CITIES: &[&str] = &["北京", "上海", "深圳", "广州", "杭州", "苏州", "成都", "武汉", "南京", "宁波"];
        const WORDS: &[&str] = &["华信", "恒达", "远航", "中科", "鼎盛", "宏图", "启明", "瑞丰", "天成", "博远", "金桥", "新元"];
        const TRADES: &[&str] = &["科技", "精密制造", "贸易", "电子", "物流", "软件", "化工", "医疗器械", "餐饮管理", "建材"];
        const SUFFIXES: &[&str] = &["有限公司", "股份有限公司", "有限责任公司", "集团"];
        const INDUSTRIES: &[&str] = &["MFG", "ITC", "RTL", "FIN", "MED", "LOG", "EDU"];
        let name = format!(
            "{}{}{}{}",
            self.pick(CITIES),
            self.pick(WORDS),
            self.pick(TRADES),
            self.pick(SUFFIXES)
        );
        let phone = format!("1{}{:09}", 3 + self.next() % 7, self.next() % 1_000_000_000);
        const REGIONS: &[&str] = &["广东", "浙江", "江苏", "北京", "上海", "四川", "湖北", "山东"];
        const SOURCES: &[&str] = &["行业展会", "老客户转介绍", "线上广告", "官网表单", "电话咨询"];
        const OWNERS: &[&str] = &["王经理", "李经理", "张经理", "陈经理"];
        CustomerInput {
            name,
            phone: Some(phone),
            industry: Some(self.pick(INDUSTRIES).to_owned()),
            region: Some(self.pick(REGIONS).to_owned()),
            source: Some(self.pick(SOURCES).to_owned()),
            owner: Some(self.pick(OWNERS).to_owned()),
            ..Default::default()
        }
    }
}

pub struct Timings(Vec<Duration>);

impl Timings {
    fn percentile(&self, p: f64) -> Duration {
        let mut sorted = self.0.clone();
        sorted.sort();
        sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
    }
}

async fn time_runs<F, Fut>(runs: usize, mut f: F) -> Result<Timings>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<()>>,
{
    let mut out = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        f().await?;
        out.push(start.elapsed());
    }
    Ok(Timings(out))
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// The bare-library baseline: the same rows into the same table and indexes with plain sqlx,
/// once one row per statement and once in multi-row statements.
async fn bare_sqlx_insert(path: &std::path::Path, rows: &[CustomerInput], batched: bool) -> Result<Duration> {
    let url = format!("sqlite:{}?mode=rwc", path.display());
    let mut conn = SqliteConnection::connect(&url).await?;
    sqlx::query("PRAGMA journal_mode=WAL").execute(&mut conn).await?;
    sqlx::query("PRAGMA synchronous=NORMAL").execute(&mut conn).await?;
    sqlx::raw_sql(
        "CREATE TABLE t (id INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
         name_key TEXT NOT NULL, phone TEXT, industry TEXT, created_at INTEGER NOT NULL,
         updated_at INTEGER NOT NULL, deleted_at INTEGER);
         CREATE INDEX t_live_id ON t (deleted_at, id DESC);
         CREATE INDEX t_name_key ON t (name_key);
         CREATE INDEX t_phone ON t (phone) WHERE phone IS NOT NULL;",
    )
    .execute(&mut conn)
    .await?;
    let start = Instant::now();
    let mut tx = conn.begin().await?;
    if batched {
        for (n, chunk) in rows.chunks(4000).enumerate() {
            let mut qb = sqlx::QueryBuilder::new(
                "INSERT INTO t (uid, name, name_key, phone, industry, created_at, updated_at) ",
            );
            qb.push_values(chunk.iter().enumerate(), |mut b, (i, r)| {
                b.push_bind(format!("{n}-{i}"))
                    .push_bind(&r.name)
                    .push_bind(&r.name)
                    .push_bind(&r.phone)
                    .push_bind(&r.industry)
                    .push_bind(0i64)
                    .push_bind(0i64);
            });
            qb.build().execute(&mut *tx).await?;
        }
    } else {
        for (i, r) in rows.iter().enumerate() {
            sqlx::query("INSERT INTO t (uid, name, name_key, phone, industry, created_at, updated_at) VALUES (?,?,?,?,?,0,0)")
                .bind(i.to_string())
                .bind(&r.name)
                .bind(&r.name)
                .bind(&r.phone)
                .bind(&r.industry)
                .execute(&mut *tx)
                .await?;
        }
    }
    tx.commit().await?;
    Ok(start.elapsed())
}

/// Adds `customers` generated rows to a ledger, in bounded batches.
pub async fn seed(crm: &Crm, customers: usize) -> Result<()> {
    let mut gen = Generator::new(20261124);
    let mut left = customers;
    while left > 0 {
        let n = left.min(50_000);
        let rows: Vec<CustomerInput> = (0..n).map(|_| gen.customer()).collect();
        crm.add_customers(&rows).await?;
        left -= n;
    }
    Ok(())
}

/// Generates `customers` rows into a temporary ledger and times the list operations.
pub async fn run(customers: usize, runs: usize) -> Result<String> {
    let dir = std::env::temp_dir().join(format!("yiben-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let result = run_in(&dir, customers, runs.max(1)).await;
    let _ = std::fs::remove_dir_all(&dir);
    result
}

async fn run_in(dir: &std::path::Path, customers: usize, runs: usize) -> Result<String> {
    let mut gen = Generator::new(20261124);
    let rows: Vec<CustomerInput> = (0..customers).map(|_| gen.customer()).collect();

    let crm = Crm::open(dir.join("ledger.db")).await?;
    let start = Instant::now();
    crm.add_customers(&rows).await?;
    let ours = start.elapsed();
    let bare_batched = bare_sqlx_insert(&dir.join("bare-batched.db"), &rows, true).await?;
    let bare_single = bare_sqlx_insert(&dir.join("bare-single.db"), &rows, false).await?;

    let shared = &crm;
    let page = move |q: ListQuery| async move { shared.list_customers(&q).await.map(drop) };
    // Pages as the UI asks for them: rows only; the count is its own request (below).
    let rows_only = |q: ListQuery| ListQuery { with_total: false, ..q };
    let first = time_runs(runs, || page(rows_only(PageQuery::first(100)))).await?;
    let total = time_runs(runs, || async { crm.count_customers(&ListQuery::first(1)).await.map(drop) }).await?;
    // Every generated row shares one updated_at, so the middle of the list is that moment and
    // the middle id.
    let updated = crm.list_customers(&PageQuery::first(1)).await?.items[0].updated_at.timestamp_millis();
    let deep_cursor = format!("[{updated},{}]", (customers / 2).max(1));
    let deep = time_runs(runs, || page(rows_only(ListQuery { cursor: Some(deep_cursor.clone()), ..ListQuery::first(100) }))).await?;
    let filters = CustomerFilters { industry: vec!["MFG".into()], owner: Some("王经理".into()), ..Default::default() };
    let filtered = rows_only(ListQuery { filters, ..ListQuery::first(100) });
    let count = time_runs(runs, || async { crm.count_customers(&filtered).await.map(drop) }).await?;
    let filtered_page = time_runs(runs, || page(filtered.clone())).await?;
    let search = |text: &str| rows_only(ListQuery { search: Some(text.to_owned()), ..ListQuery::first(100) });
    let mut searches = Vec::new();
    for (label, text) in [
        ("Search, 4 Chinese characters (恒达精密)", "恒达精密"),
        ("Search, phone fragment (13812)", "13812"),
        ("Search, pinyin initials (hdjm)", "hdjm"),
        ("Search, 2 Chinese characters (恒达)", "恒达"),
        ("Search, 1 Chinese character (鼎)", "鼎"),
    ] {
        let q = search(text);
        let matches = crm.count_customers(&q).await?;
        searches.push((label, matches, time_runs(runs.min(50), || page(q.clone())).await?));
    }
    crm.close().await;

    let rate = |d: Duration| format!("{:.0} rows/s", customers as f64 / d.as_secs_f64());
    let mut out = String::new();
    let _ = writeln!(out, "### Core: customers ({customers} generated rows, {runs} runs per query)\n");
    let _ = writeln!(out, "| Operation | Yiben | Bare sqlx, same run | Ratio |");
    let _ = writeln!(out, "|---|---|---|---|");
    let _ = writeln!(
        out,
        "| Insert all rows in one transaction (parse, validate, number, search index, duplicate keys) | {} ({}) | same table and indexes, multi-row batches, no search index: {} ({}) | {:.2}× |",
        ms(ours),
        rate(ours),
        ms(bare_batched),
        rate(bare_batched),
        ours.as_secs_f64() / bare_batched.as_secs_f64()
    );
    let _ = writeln!(
        out,
        "| — for scale: bare sqlx one row per statement | | {} ({}) | {:.2}× slower than batches |",
        ms(bare_single),
        rate(bare_single),
        bare_single.as_secs_f64() / bare_batched.as_secs_f64()
    );
    let _ = writeln!(out, "\n| Query (a page of 100 rows unless noted) | Matches | p50 | p95 |");
    let _ = writeln!(out, "|---|---|---|---|");
    let row = |out: &mut String, label: &str, matches: String, t: &Timings| {
        let _ = writeln!(out, "| {label} | {matches} | {} | {} |", ms(t.percentile(0.5)), ms(t.percentile(0.95)));
    };
    row(&mut out, "First page", customers.to_string(), &first);
    row(&mut out, "Count of all customers", customers.to_string(), &total);
    row(&mut out, "Keyset page in the middle", customers.to_string(), &deep);
    row(&mut out, "Filtered count only (industry + owner)", "—".into(), &count);
    row(&mut out, "Filtered first page (industry + owner)", "—".into(), &filtered_page);
    for (label, matches, t) in &searches {
        row(&mut out, label, matches.to_string(), t);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn generated_customers_pass_every_rule_and_repeat_per_seed() {
        let mut a = Generator::new(7);
        let mut b = Generator::new(7);
        let rows: Vec<CustomerInput> = (0..1000).map(|_| a.customer()).collect();
        assert!(rows.iter().zip((0..1000).map(|_| b.customer())).all(|(x, y)| *x == y));
        let dir = tempfile::tempdir().unwrap();
        let crm = Crm::open(dir.path().join("bench.db")).await.unwrap();
        assert_eq!(crm.add_customers(&rows).await.expect("generated customers are valid").len(), 1000);
    }
}
