//! The export benchmark: N generated customers exported by Yiben (read in batches, format,
//! stream) against bare rust_xlsxwriter in constant-memory mode writing the same
//! number of rows and columns, in the same run. Peak memory is taken per step: the kernel's
//! high-water mark is reset before each one.

use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

use super::{seed, Generator};
use crate::customers::ListQuery;
use crate::export::Column;
use crate::{Crm, Error, Result};

/// The list's default columns, as a user exporting the whole book would keep them.
const COLUMNS: [Column; 8] = [
    Column::Number,
    Column::Name,
    Column::Phone,
    Column::Industry,
    Column::Region,
    Column::Source,
    Column::Owner,
    Column::CreatedAt,
];

fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> Error {
    Error::Io(std::io::Error::other(e.to_string()))
}

/// Memory now and at its highest since the last reset, in MB (Linux; `None` elsewhere).
fn rss_mb() -> Option<(f64, f64)> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| -> Option<f64> {
        let kb: f64 = status.lines().find(|l| l.starts_with(name))?.split_whitespace().nth(1)?.parse().ok()?;
        Some(kb / 1024.0)
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

/// Starts a new high-water mark at the current size ("5" to clear_refs, Linux 4.0+).
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

struct Step {
    time: Duration,
    /// Resident size before the step and its peak during it.
    memory: Option<(f64, f64)>,
}

async fn measured<F, Fut>(work: F) -> Result<Step>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<()>>,
{
    reset_peak();
    let before = rss_mb().map(|(now, _)| now);
    let start = Instant::now();
    work().await?;
    let time = start.elapsed();
    let memory = before.zip(rss_mb().map(|(_, peak)| peak));
    Ok(Step { time, memory })
}

/// Bare rust_xlsxwriter: the same generated customers, the same eight columns (seven strings
/// and a date-time), a bold header, constant-memory mode; nothing read from a database.
fn bare_write(path: &Path, rows: usize) -> Result<()> {
    let mut gen = Generator::new(20261124);
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet_with_constant_memory().map_err(xlsx_error)?;
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    for (c, h) in ["客户编号", "客户名称", "电话", "所属行业", "地区", "客户来源", "负责人", "创建时间"].iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold).map_err(xlsx_error)?;
    }
    for i in 0..rows {
        let c = gen.customer();
        let r = i as u32 + 1;
        ws.write_string(r, 0, format!("2026-{}-{:06}", c.industry.as_deref().unwrap_or("OTH"), i + 1)).map_err(xlsx_error)?;
        ws.write_string(r, 1, &c.name).map_err(xlsx_error)?;
        ws.write_string(r, 2, c.phone.as_deref().unwrap_or("")).map_err(xlsx_error)?;
        ws.write_string(r, 3, c.industry.as_deref().unwrap_or("")).map_err(xlsx_error)?;
        ws.write_string(r, 4, c.region.as_deref().unwrap_or("")).map_err(xlsx_error)?;
        ws.write_string(r, 5, c.source.as_deref().unwrap_or("")).map_err(xlsx_error)?;
        ws.write_string(r, 6, c.owner.as_deref().unwrap_or("")).map_err(xlsx_error)?;
        let created = ExcelDateTime::from_ymd(2026, (i % 12 + 1) as u8, (i % 28 + 1) as u8)
            .and_then(|d| d.and_hms((i % 24) as u16, (i % 60) as u8, 0u32))
            .map_err(xlsx_error)?;
        ws.write_datetime_with_format(r, 7, created, &date).map_err(xlsx_error)?;
    }
    ws.autofilter(0, 0, rows as u32, 7).map_err(xlsx_error)?;
    wb.save(path).map_err(xlsx_error)
}

const RUNS: usize = 3;

/// The run of median time, with its own memory figures.
fn median(mut steps: Vec<Step>) -> Step {
    steps.sort_by_key(|s| s.time);
    steps.swap_remove(steps.len() / 2)
}

fn memory_cell(step: &Step) -> String {
    match step.memory {
        Some((before, peak)) => format!("{peak:.0} MB (+{:.0} MB)", (peak - before).max(0.0)),
        None => "—".into(),
    }
}

pub async fn run(dir: &Path, rows: usize) -> Result<String> {
    let crm = Crm::open(dir.join(format!("export-{rows}.db"))).await?;
    let seeding = Instant::now();
    seed(&crm, rows).await?;
    let seeded = seeding.elapsed();

    // Three runs of each, alternating, so a slow moment of the machine falls on both; the
    // median run is reported (one run of each swung the ratio between 1.1× and 1.4×).
    let bare_file = dir.join(format!("bare-{rows}.xlsx"));
    let ours_file = dir.join(format!("yiben-{rows}.xlsx"));
    let query = ListQuery { limit: 500, with_total: false, ..Default::default() };
    let (mut bares, mut ourses) = (Vec::new(), Vec::new());
    for _ in 0..RUNS {
        bares.push(measured(|| async { bare_write(&bare_file, rows) }).await?);
        ourses.push(
            measured(|| async {
                let written = crm.export_customers(&query, &COLUMNS, false, &ours_file).await?;
                if written as usize != rows {
                    return Err(Error::Io(std::io::Error::other(format!("exported {written} of {rows} customers"))));
                }
                Ok(())
            })
            .await?,
        );
    }
    let (bare, ours) = (median(bares), median(ourses));
    crm.close().await;
    let mb = |p: &Path| std::fs::metadata(p).map(|m| m.len() as f64 / 1_048_576.0).unwrap_or(0.0);

    let mut out = String::new();
    let _ = writeln!(out, "### Export: {rows} customers, 8 columns (seeded in {:.0} s; median of {RUNS} runs each)\n", seeded.as_secs_f64());
    let _ = writeln!(out, "| Step | Time | Rows/s | Peak memory (growth during the step) | File | Ratio to bare rust_xlsxwriter |");
    let _ = writeln!(out, "|---|---|---|---|---|---|");
    for (name, step, file) in [
        ("Bare rust_xlsxwriter, constant memory: generated rows, same columns", &bare, &bare_file),
        ("Yiben export: the list read from the ledger in one snapshot, batches of 1000 as one JSON value each, cells formatted (phones as text, dates as dates, formula-safe text) on a second thread, streamed", &ours, &ours_file),
    ] {
        let _ = writeln!(
            out,
            "| {name} | {:.0} ms | {:.0} | {} | {:.1} MB | {:.2}× |",
            step.time.as_secs_f64() * 1e3,
            rows as f64 / step.time.as_secs_f64(),
            memory_cell(step),
            mb(file),
            step.time.as_secs_f64() / bare.time.as_secs_f64()
        );
    }
    let _ = writeln!(
        out,
        "\nMemory is the process's resident size in the median run: its peak during the step, with how much it grew over the size before the step (the seeded ledger's page cache and the pool come before it)."
    );
    Ok(out)
}
