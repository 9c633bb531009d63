//! The import benchmark: a generated workbook of N customer rows, read by bare calamine and
//! imported end to end by Yiben (parse, validate, dedupe, insert, index) in the same run.

use std::fmt::Write as _;
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use calamine::{open_workbook_auto, DataType, Reader};
use rust_xlsxwriter::Workbook;

use super::Generator;
use crate::import::job::{DuplicatePolicy, ImportRequest};
use crate::{Crm, Error, Result};

fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> Error {
    Error::Io(std::io::Error::other(e.to_string()))
}

/// Writes the workbook a sales team would: a title row, a header, then one customer a row,
/// phones as numbers (as Excel stores typed phones).
pub fn write_workbook(path: &Path, rows: usize) -> Result<()> {
    let mut gen = Generator::new(20261124);
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet_with_constant_memory().map_err(xlsx_error)?;
    ws.write_string(0, 0, "客户信息表").map_err(xlsx_error)?;
    for (c, h) in ["客户名称", "联系人", "电话", "所属行业", "地区", "客户来源", "负责人"].iter().enumerate() {
        ws.write_string(1, c as u16, *h).map_err(xlsx_error)?;
    }
    const PEOPLE: &[&str] = &["张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄强"];
    for i in 0..rows {
        let c = gen.customer();
        let r = i as u32 + 2;
        // Real ledgers hold distinct companies; the generator's name pool alone would repeat.
        ws.write_string(r, 0, format!("{}（{}）", c.name, i + 1)).map_err(xlsx_error)?;
        ws.write_string(r, 1, PEOPLE[i % PEOPLE.len()]).map_err(xlsx_error)?;
        let phone: f64 = c.phone.as_deref().unwrap_or("0").parse().unwrap_or(0.0);
        ws.write_number(r, 2, phone).map_err(xlsx_error)?;
        ws.write_string(r, 3, c.industry.as_deref().unwrap_or("")).map_err(xlsx_error)?;
        ws.write_string(r, 4, c.region.as_deref().unwrap_or("")).map_err(xlsx_error)?;
        ws.write_string(r, 5, c.source.as_deref().unwrap_or("")).map_err(xlsx_error)?;
        ws.write_string(r, 6, c.owner.as_deref().unwrap_or("")).map_err(xlsx_error)?;
    }
    wb.save(path).map_err(xlsx_error)
}

/// Bare calamine: open the workbook and visit every cell, nothing else.
fn calamine_read(path: &Path) -> Result<(Duration, usize)> {
    let start = Instant::now();
    let mut wb = open_workbook_auto(path).map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?;
    let name = wb.sheet_names().first().cloned().unwrap_or_default();
    let range = wb.worksheet_range(&name).map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?;
    let cells = range.rows().map(|r| r.iter().filter(|c| !c.is_empty()).count()).sum();
    Ok((start.elapsed(), cells))
}

fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: f64 = status.lines().find(|l| l.starts_with("VmHWM:"))?.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

pub async fn run(dir: &Path, rows: usize) -> Result<String> {
    let file = dir.join(format!("import-{rows}.xlsx"));
    write_workbook(&file, rows)?;
    let size_mb = std::fs::metadata(&file)?.len() as f64 / 1_048_576.0;
    let (bare, cells) = calamine_read(&file)?;
    let crm = Crm::open(dir.join(format!("import-{rows}.db"))).await?;
    let request = ImportRequest { path: file.to_string_lossy().into_owned(), on_duplicate: DuplicatePolicy::Merge, ..Default::default() };
    let start = Instant::now();
    let report = crm.import(&request, false, &AtomicBool::new(false), &|_| {}).await?;
    let ours = start.elapsed();
    crm.close().await;
    let mut out = String::new();
    let _ = writeln!(out, "### Import: {rows} generated rows ({size_mb:.1} MB .xlsx, {cells} cells)\n");
    let _ = writeln!(out, "| Step | Time | Rows/s | Ratio to bare calamine |");
    let _ = writeln!(out, "|---|---|---|---|");
    let _ = writeln!(out, "| Bare calamine: open and read every cell | {:.0} ms | {:.0} | 1.00× |", bare.as_secs_f64() * 1e3, rows as f64 / bare.as_secs_f64());
    let _ = writeln!(
        out,
        "| Yiben import end to end (read, map, validate, dedupe, insert, index; {} imported, {} merged as duplicates) | {:.0} ms | {:.0} | {:.2}× |",
        report.imported,
        report.merged,
        ours.as_secs_f64() * 1e3,
        rows as f64 / ours.as_secs_f64(),
        ours.as_secs_f64() / bare.as_secs_f64()
    );
    if let Some(mb) = peak_rss_mb() {
        let _ = writeln!(out, "\nPeak memory of the benchmark process (VmHWM): {mb:.0} MB.");
    }
    Ok(out)
}
