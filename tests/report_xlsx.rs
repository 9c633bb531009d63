//! The reports workbook, read back three ways: calamine for the cells, the zip's chart parts
//! for the native charts and what they point at, and openpyxl as an independent reader.
//! The reports are built by hand here, so every expected number is written out below.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;
use std::process::Command;

use calamine::{open_workbook, Data, Range, Reader, Xlsx};
use chrono::{FixedOffset, NaiveDate};
use serde_json::Value;
use yiben::deals::funnel::{FunnelReport, FunnelStage, LostReasonShare};
use yiben::deals::StageKind;
use yiben::reports::xlsx::{self, ReportBook};
use yiben::reports::{
    CustomerAnalysis, Dashboard, Dimension, FollowupEfficiency, FunnelAnalysis, GroupRow, Kpi, KpiKey, LostReasonRow, MethodRow,
    Performance, PerformanceRow, PeriodPreset, PeriodRange, ResolvedPeriod, TrendPoint,
};
use yiben::settings::Language;
use yiben::ErrorCode;

// ---------------------------------------------------------------- the reports

fn range(from: &str, to: &str) -> PeriodRange {
    let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    PeriodRange::new(day(from), day(to), yiben::Zone::Fixed(FixedOffset::east_opt(8 * 3600).unwrap()))
}

fn november() -> PeriodRange {
    range("2026-11-01", "2026-11-24")
}

fn kpi(key: KpiKey, value: i64, previous: i64, year_ago: i64) -> Kpi {
    let change = |base: i64| (base != 0).then(|| (value - base) as f64 / base as f64);
    Kpi { key, value, previous, year_ago, change: change(previous), change_year: change(year_ago) }
}

fn group(key: Option<&str>, customers: i64, share: f64, won_amount_fen: i64, won_share: Option<f64>) -> GroupRow {
    GroupRow { key: key.map(Into::into), customers, share, won_amount_fen, won_share }
}

/// 10 customers; 制造业 has 40 % of them and 60 % of the ¥250,000.05 won.
fn industries() -> CustomerAnalysis {
    CustomerAnalysis {
        period: november(),
        dimension: Dimension::Industry,
        total_customers: 10,
        total_won_fen: 25_000_005,
        rows: vec![
            group(Some("制造业"), 4, 0.4, 15_000_003, Some(0.6)),
            group(Some("互联网"), 3, 0.3, 10_000_002, Some(0.4)),
            group(None, 3, 0.3, 0, Some(0.0)),
        ],
    }
}

/// A source someone typed as `=1+1`: it must stay text.
fn sources() -> CustomerAnalysis {
    CustomerAnalysis {
        period: november(),
        dimension: Dimension::Source,
        total_customers: 10,
        total_won_fen: 25_000_005,
        rows: vec![
            group(Some("展会"), 5, 0.5, 20_000_005, Some(0.8)),
            group(Some("=1+1"), 3, 0.3, 5_000_000, Some(0.2)),
            group(None, 2, 0.2, 0, Some(0.0)),
        ],
    }
}

fn sizes() -> CustomerAnalysis {
    CustomerAnalysis {
        period: november(),
        dimension: Dimension::Size,
        total_customers: 10,
        total_won_fen: 25_000_005,
        rows: vec![
            group(Some("20_99"), 4, 0.4, 15_000_003, Some(0.6)),
            group(Some("lt20"), 3, 0.3, 0, Some(0.0)),
            group(Some("ge1000"), 1, 0.1, 10_000_002, Some(0.4)),
            group(None, 2, 0.2, 0, Some(0.0)),
        ],
    }
}

fn tags() -> CustomerAnalysis {
    CustomerAnalysis {
        period: november(),
        dimension: Dimension::Tag,
        total_customers: 10,
        total_won_fen: 25_000_005,
        rows: vec![group(Some("重点客户"), 6, 0.6, 25_000_005, Some(1.0)), group(Some("决策人"), 5, 0.5, 15_000_003, Some(0.6))],
    }
}

#[allow(clippy::too_many_arguments)]
fn stage(
    id: i64,
    code: Option<&str>,
    name: &str,
    kind: StageKind,
    count: i64,
    amount: i64,
    reached: i64,
    conversion: Option<f64>,
) -> FunnelStage {
    FunnelStage {
        stage_id: id,
        code: code.map(Into::into),
        name: name.into(),
        kind,
        count,
        amount_fen: amount,
        weighted_fen: amount / 2,
        reached,
        reached_amount_fen: reached * 1_000_000,
        conversion,
        drop_off: conversion.map(|c| reached - (reached as f64 * c).round() as i64),
        avg_stay_days: Some(3.5),
    }
}

/// 10 deals: 10 → 8 → 4 → 3 → 3 won; 流失 (2 deals) comes before 成交 in the input to check
/// that the funnel path stays together in the sheet. 试用中 is a stage the user added.
fn funnel_report() -> FunnelReport {
    FunnelReport {
        stages: vec![
            stage(1, Some("lead"), "潜在客户", StageKind::Open, 2, 2_000_000, 10, Some(0.8)),
            stage(2, Some("qualified"), "意向客户", StageKind::Open, 2, 4_000_000, 8, Some(0.5)),
            stage(7, None, "试用中", StageKind::Open, 1, 1_000_000, 4, Some(0.75)),
            stage(4, Some("negotiation"), "合同谈判", StageKind::Open, 0, 0, 3, Some(1.0)),
            stage(6, Some("lost"), "流失", StageKind::Lost, 2, 3_500_000, 2, None),
            stage(5, Some("won"), "成交", StageKind::Won, 3, 25_000_005, 3, None),
        ],
        weakest_stage_id: Some(2),
        total_count: 10,
        open_amount_fen: 7_000_000,
        weighted_fen: 3_500_000,
        won_count: 3,
        won_amount_fen: 25_000_005,
        avg_cycle_days: Some(12.25),
        lost_reasons: vec![
            LostReasonShare { reason: "价格过高".into(), count: 2, amount_fen: 3_000_000 },
            LostReasonShare { reason: "选择竞品".into(), count: 1, amount_fen: 500_000 },
        ],
    }
}

fn dashboard() -> Dashboard {
    let trend = (0..12)
        .map(|i| {
            let month = if i == 0 { "2025-12".to_owned() } else { format!("2026-{i:02}") };
            TrendPoint { month, new_customers: i + 1, won_count: i % 3, won_amount_fen: i * 1_000_001 }
        })
        .collect();
    Dashboard {
        period: ResolvedPeriod {
            preset: PeriodPreset::Month,
            current: november(),
            previous: range("2026-10-01", "2026-10-24"),
            year_ago: range("2025-11-01", "2025-11-24"),
        },
        kpis: vec![
            kpi(KpiKey::NewCustomers, 10, 8, 5),
            kpi(KpiKey::Followups, 42, 0, 30),
            kpi(KpiKey::DealsWon, 3, 2, 0),
            kpi(KpiKey::AmountWon, 25_000_005, 20_000_000, 0),
            kpi(KpiKey::Pipeline, 123_456_789_012_345, 64_000_000, 0),
        ],
        trend,
        funnel: funnel_report(),
        industries: industries(),
        sources: sources(),
    }
}

fn owner_row(owner: Option<&str>, won_customers: i64, won_amount_fen: i64) -> PerformanceRow {
    PerformanceRow {
        owner: owner.map(Into::into),
        new_customers: 5,
        intent_customers: 4,
        won_customers,
        won_deals: won_customers,
        won_amount_fen,
        avg_deal_fen: (won_customers > 0).then(|| won_amount_fen / won_customers),
        conversion: Some(won_customers as f64 / 4.0),
        top_share: (won_customers > 0).then_some(0.75),
        top_customers: won_customers.min(1),
        top_amount_fen: won_amount_fen * 3 / 4,
    }
}

fn performance() -> Performance {
    Performance {
        period: november(),
        intent_stage: Some("意向客户".into()),
        total: PerformanceRow {
            owner: None,
            new_customers: 10,
            intent_customers: 8,
            won_customers: 3,
            won_deals: 3,
            won_amount_fen: 25_000_005,
            avg_deal_fen: Some(8_333_335),
            conversion: Some(0.375),
            top_share: Some(0.6),
            top_customers: 1,
            top_amount_fen: 15_000_003,
        },
        owners: vec![owner_row(Some("张三"), 2, 15_000_003), owner_row(Some("李四"), 1, 10_000_002)],
        lost_reasons: vec![
            LostReasonRow { reason: "价格过高".into(), count: 2, amount_fen: 3_000_000, share: 0.5 },
            LostReasonRow { reason: "选择竞品".into(), count: 1, amount_fen: 500_000, share: 0.25 },
            LostReasonRow { reason: String::new(), count: 1, amount_fen: 200_000, share: 0.25 },
        ],
    }
}

fn method(id: i64, code: Option<&str>, name: &str, followups: i64, responses: i64) -> MethodRow {
    MethodRow {
        method_id: Some(id),
        code: code.map(Into::into),
        name: name.into(),
        followups,
        responses,
        response_rate: (followups > 0).then(|| responses as f64 / followups as f64),
        avg_gap_days: (followups > 1).then_some(6.5),
        next_steps_due: 4,
        next_steps_on_time: 3,
        on_time_rate: Some(0.75),
    }
}

fn efficiency() -> FollowupEfficiency {
    FollowupEfficiency {
        period: november(),
        methods: vec![
            method(1, Some("phone"), "电话", 20, 15),
            method(2, Some("wechat"), "微信", 16, 4),
            method(6, None, "展会拜访", 6, 6),
        ],
        total: MethodRow { method_id: None, code: None, name: String::new(), ..method(0, None, "", 42, 25) },
    }
}

fn full_book() -> ReportBook {
    ReportBook {
        dashboard: Some(dashboard()),
        analyses: vec![industries(), sizes(), tags()],
        performance: Some(performance()),
        efficiency: Some(efficiency()),
        funnel: Some(FunnelAnalysis { period: november(), funnel: funnel_report() }),
    }
}

/// Every report present, none with a row: an empty period.
fn empty_book() -> ReportBook {
    let empty_analysis = |dimension| CustomerAnalysis { period: november(), dimension, total_customers: 0, total_won_fen: 0, rows: vec![] };
    let empty_funnel = || FunnelReport {
        stages: vec![],
        weakest_stage_id: None,
        total_count: 0,
        open_amount_fen: 0,
        weighted_fen: 0,
        won_count: 0,
        won_amount_fen: 0,
        avg_cycle_days: None,
        lost_reasons: vec![],
    };
    ReportBook {
        dashboard: Some(Dashboard {
            period: dashboard().period,
            kpis: vec![kpi(KpiKey::NewCustomers, 0, 0, 0), kpi(KpiKey::AmountWon, 0, 0, 0)],
            trend: vec![],
            funnel: empty_funnel(),
            industries: empty_analysis(Dimension::Industry),
            sources: empty_analysis(Dimension::Source),
        }),
        analyses: vec![empty_analysis(Dimension::Region)],
        performance: Some(Performance {
            period: november(),
            intent_stage: None,
            total: PerformanceRow::default(),
            owners: vec![],
            lost_reasons: vec![],
        }),
        efficiency: Some(FollowupEfficiency { period: november(), methods: vec![], total: MethodRow::default() }),
        funnel: Some(FunnelAnalysis { period: november(), funnel: empty_funnel() }),
    }
}

// ---------------------------------------------------------------- reading back

struct Written {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
}

fn write(book: &ReportBook, lang: Language) -> Written {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("报表.xlsx");
    xlsx::write(book, lang, &path).unwrap();
    Written { _dir: dir, path }
}

fn sheets(path: &Path) -> Vec<String> {
    let wb: Xlsx<_> = open_workbook(path).unwrap();
    wb.sheet_names().to_vec()
}

fn sheet(path: &Path, name: &str) -> Range<Data> {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    wb.worksheet_range(name).unwrap()
}

fn text_at(r: &Range<Data>, row: u32, col: u32) -> String {
    match r.get_value((row, col)) {
        Some(Data::String(s)) => s.clone(),
        other => panic!("({row}, {col}) is {other:?}, not text"),
    }
}

fn number_at(r: &Range<Data>, row: u32, col: u32) -> f64 {
    match r.get_value((row, col)) {
        Some(Data::Float(f)) => *f,
        Some(Data::Int(i)) => *i as f64,
        other => panic!("({row}, {col}) is {other:?}, not a number"),
    }
}

fn is_empty_at(r: &Range<Data>, row: u32, col: u32) -> bool {
    matches!(r.get_value((row, col)), None | Some(Data::Empty))
}

/// The row of the first cell in column A equal to `label`, from `from` on.
fn row_of(r: &Range<Data>, label: &str, from: u32) -> u32 {
    (from..=r.end().unwrap().0)
        .find(|&row| matches!(r.get_value((row, 0)), Some(Data::String(s)) if s == label))
        .unwrap_or_else(|| panic!("no row {label:?} from row {from}"))
}

/// The header row of the table captioned `caption`, with its texts.
fn header(r: &Range<Data>, caption: &str) -> (u32, Vec<String>) {
    let row = row_of(r, caption, 0) + 1;
    let width = r.end().unwrap().1;
    let texts = (0..=width).map_while(|c| match r.get_value((row, c)) {
        Some(Data::String(s)) => Some(s.clone()),
        _ => None,
    });
    (row, texts.collect())
}

/// One chart part of the file: its plot types and the ranges its series point at.
#[derive(Debug)]
struct ChartPart {
    xml: String,
}

impl ChartPart {
    fn title(&self) -> String {
        // Chart titles are rich text runs: <a:t>…</a:t>.
        between(&self.xml, "<c:title>", "</c:title>").map(|t| all_between(t, "<a:t>", "</a:t>").concat()).unwrap_or_default()
    }

    /// The `<c:f>` references: series names, categories, values, in order.
    fn refs(&self) -> Vec<String> {
        all_between(&self.xml, "<c:f>", "</c:f>").into_iter().map(|s| s.replace("&apos;", "'")).collect()
    }
}

fn between<'a>(s: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let start = s.find(open)? + open.len();
    let end = s[start..].find(close)? + start;
    Some(&s[start..end])
}

fn all_between<'a>(mut s: &'a str, open: &str, close: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    while let Some(start) = s.find(open) {
        let rest = &s[start + open.len()..];
        let Some(end) = rest.find(close) else { break };
        out.push(&rest[..end]);
        s = &rest[end + close.len()..];
    }
    out
}

/// Every part of the zip by name.
fn parts(path: &Path) -> BTreeMap<String, String> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut out = BTreeMap::new();
    for i in 0..zip.len() {
        let mut file = zip.by_index(i).unwrap();
        let name = file.name().unwrap().into_owned();
        let mut text = String::new();
        if file.read_to_string(&mut text).is_ok() {
            out.insert(name, text);
        }
    }
    out
}

/// The chart parts, `xl/charts/chart1.xml` …, in order.
fn charts(path: &Path) -> Vec<ChartPart> {
    let parts = parts(path);
    let mut charts: Vec<(u32, ChartPart)> = parts
        .iter()
        .filter_map(|(name, xml)| {
            let n = name.strip_prefix("xl/charts/chart")?.strip_suffix(".xml")?.parse().ok()?;
            Some((n, ChartPart { xml: xml.clone() }))
        })
        .collect();
    charts.sort_by_key(|(n, _)| *n);
    charts.into_iter().map(|(_, c)| c).collect()
}

/// `sheet!$C$r1:$C$r2` for 0-based data rows `first..=last` of column `col` (0 = A).
fn reference(sheet: &str, col: u32, first: u32, last: u32) -> String {
    let letter = char::from(b'A' + col as u8);
    format!("{sheet}!${letter}${}:${letter}${}", first + 1, last + 1)
}

fn cell_ref(sheet: &str, col: u32, row: u32) -> String {
    let letter = char::from(b'A' + col as u8);
    format!("{sheet}!${letter}${}", row + 1)
}

/// Runs a Python snippet with `wb` = the workbook opened by openpyxl; it prints one JSON value.
/// A missing python3 or openpyxl fails the test: these checks are not optional.
fn openpyxl(path: &Path, body: &str) -> Value {
    let script = format!(
        "import json, sys\nimport openpyxl\nwb = openpyxl.load_workbook(sys.argv[1])\n{body}\nprint(json.dumps(out, ensure_ascii=False))\n"
    );
    let output = Command::new("python3")
        .arg("-c")
        .arg(&script)
        .arg(path)
        .output()
        .unwrap_or_else(|e| panic!("these checks need python3 with openpyxl (pip install openpyxl); python3 did not start: {e}"));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("No module named 'openpyxl'"), "these checks need python3 with openpyxl (pip install openpyxl): {stderr}");
    assert!(output.status.success(), "openpyxl script failed: {stderr}");
    serde_json::from_slice(&output.stdout).unwrap()
}

/// The chart on `sheet` titled `title`, checked for its plot elements and exact references.
fn expect_chart(charts: &[ChartPart], sheet: &str, title: &str, elements: &[&str], refs: &[String]) {
    let prefix = format!("{sheet}!");
    let chart =
        charts.iter().find(|c| c.title() == title && c.refs().first().is_some_and(|r| r.starts_with(&prefix))).unwrap_or_else(|| {
            let seen: Vec<_> = charts.iter().map(|c| (c.title(), c.refs().first().cloned())).collect();
            panic!("no chart {title:?} on {sheet:?}; charts: {seen:?}")
        });
    for element in elements {
        assert!(chart.xml.contains(element), "{title}: no {element}");
    }
    assert_eq!(chart.refs(), refs, "{title}: series references");
}

// ---------------------------------------------------------------- tests

#[test]
fn one_sheet_per_report_named_in_the_users_language() {
    let zh = write(&full_book(), Language::ZhCn);
    assert_eq!(sheets(&zh.path), ["概览", "客户分析", "销售业绩", "跟进效率", "销售漏斗"]);
    let en = write(&full_book(), Language::En);
    assert_eq!(sheets(&en.path), ["Overview", "Customers", "Performance", "Follow-ups", "Funnel"]);

    let only = write(&ReportBook { performance: Some(performance()), ..Default::default() }, Language::ZhCn);
    assert_eq!(sheets(&only.path), ["销售业绩"]);
    let only = write(
        &ReportBook {
            analyses: vec![tags()],
            funnel: Some(FunnelAnalysis { period: november(), funnel: funnel_report() }),
            ..Default::default()
        },
        Language::En,
    );
    assert_eq!(sheets(&only.path), ["Customers", "Funnel"]);
}

#[test]
fn the_overview_has_the_kpis_the_trend_the_funnel_and_the_distributions() {
    let w = write(&full_book(), Language::ZhCn);
    let r = sheet(&w.path, "概览");
    assert_eq!(text_at(&r, 0, 0), "概览 · 2026-11-01 至 2026-11-24");
    assert_eq!(text_at(&r, 1, 0), "环比：2026-10-01 至 2026-10-24；同比：2025-11-01 至 2025-11-24");

    let (h, texts) = header(&r, "关键指标");
    assert_eq!(texts, ["指标", "本期", "上期", "环比", "去年同期", "同比"]);
    let rows: Vec<String> = (h + 1..h + 6).map(|row| text_at(&r, row, 0)).collect();
    assert_eq!(rows, ["新增客户", "跟进次数", "成交单数", "成交金额（元）", "在途商机金额（元）"]);
    // 新增客户 10 against 8 (+25 %) and 5 (+100 %).
    assert_eq!([1, 2, 3, 4, 5].map(|c| number_at(&r, h + 1, c)), [10.0, 8.0, 0.25, 5.0, 1.0]);
    // Nothing to compare with last period: the change is left empty, not 0 or ∞.
    assert!(is_empty_at(&r, h + 2, 3));
    assert_eq!(number_at(&r, h + 2, 5), 0.4);
    // Money in yuan, exact to the fen.
    assert_eq!(number_at(&r, h + 4, 1), 250_000.05);
    assert_eq!(number_at(&r, h + 4, 2), 200_000.0);
    assert_eq!(number_at(&r, h + 4, 3), 0.25000025);
    assert!(is_empty_at(&r, h + 4, 5));
    assert_eq!(number_at(&r, h + 5, 1), 1_234_567_890_123.45);

    let (h, texts) = header(&r, "近12个月趋势");
    assert_eq!(texts, ["月份", "新增客户", "成交单数", "成交金额（元）"]);
    assert_eq!(text_at(&r, h + 1, 0), "2025-12");
    assert_eq!(text_at(&r, h + 12, 0), "2026-11");
    assert_eq!([1, 2, 3].map(|c| number_at(&r, h + 12, c)), [12.0, 2.0, 110_000.11]);

    let (h, texts) = header(&r, "销售漏斗");
    assert_eq!(
        texts,
        [
            "阶段",
            "当前商机数",
            "当前金额（元）",
            "加权金额（元）",
            "到达数",
            "到达金额（元）",
            "转化率（到下一阶段）",
            "止步数",
            "平均停留天数"
        ]
    );
    let stages: Vec<String> = (h + 1..h + 7).map(|row| text_at(&r, row, 0)).collect();
    // The funnel path together, 流失 after it.
    assert_eq!(stages, ["潜在客户", "意向客户", "试用中", "合同谈判", "成交", "流失"]);
    assert_eq!([1, 2, 3, 4, 5, 6, 7, 8].map(|c| number_at(&r, h + 2, c)), [2.0, 40_000.0, 20_000.0, 8.0, 80_000.0, 0.5, 4.0, 3.5]);
    assert!(is_empty_at(&r, h + 5, 6) && is_empty_at(&r, h + 5, 7), "成交 has no next stage");
    assert_eq!(text_at(&r, h - 2, 0), "最薄弱环节：意向客户（到下一阶段的转化率 50.0%）");

    let (h, texts) = header(&r, "按行业");
    assert_eq!(texts, ["行业", "客户数", "客户占比", "成交金额（元）", "成交金额占比"]);
    // 制造业客户占比40%，贡献60%业绩.
    assert_eq!(text_at(&r, h + 1, 0), "制造业");
    assert_eq!([1, 2, 3, 4].map(|c| number_at(&r, h + 1, c)), [4.0, 0.4, 150_000.03, 0.6]);
    assert_eq!(text_at(&r, h + 3, 0), "未填写");
    assert_eq!(text_at(&r, h + 4, 0), "合计");
    assert_eq!([1, 2, 3, 4].map(|c| number_at(&r, h + 4, c)), [10.0, 1.0, 250_000.05, 1.0]);
    let (h, _) = header(&r, "按来源");
    assert_eq!(text_at(&r, h + 1, 0), "展会");
}

#[test]
fn customer_analysis_has_a_table_per_dimension() {
    let w = write(&full_book(), Language::ZhCn);
    let r = sheet(&w.path, "客户分析");
    assert_eq!(text_at(&r, 0, 0), "客户分析 · 2026-11-01 至 2026-11-24");
    let (h, texts) = header(&r, "按规模");
    assert_eq!(texts[0], "规模");
    let bands: Vec<String> = (h + 1..h + 6).map(|row| text_at(&r, row, 0)).collect();
    assert_eq!(bands, ["20–99人", "20人以下", "1000人及以上", "未填写", "合计"]);
    assert_eq!([1, 2, 3, 4].map(|c| number_at(&r, h + 3, c)), [1.0, 0.1, 100_000.02, 0.4]);
    let (h, texts) = header(&r, "按标签");
    assert_eq!(texts[0], "标签");
    assert_eq!(text_at(&r, h + 1, 0), "重点客户");
    assert_eq!(number_at(&r, h + 2, 2), 0.5);
    let (h, _) = header(&r, "按行业");
    assert_eq!(number_at(&r, h + 2, 3), 100_000.02);
}

#[test]
fn performance_has_template_fours_metrics_per_owner_and_the_lost_reasons() {
    let w = write(&full_book(), Language::ZhCn);
    let r = sheet(&w.path, "销售业绩");
    assert_eq!(text_at(&r, 0, 0), "销售业绩 · 2026-11-01 至 2026-11-24");
    assert!(text_at(&r, 1, 0).contains("「意向客户」"), "{}", text_at(&r, 1, 0));
    let (h, texts) = header(&r, "按负责人");
    assert_eq!(
        texts,
        [
            "负责人",
            "新增客户",
            "意向客户",
            "成交客户",
            "成交单数",
            "成交金额（元）",
            "客单价（元）",
            "转化率（意向→成交）",
            "高价值客户数（前20%）",
            "高价值客户金额（元）",
            "高价值客户占比"
        ]
    );
    assert_eq!(text_at(&r, h + 1, 0), "张三");
    assert_eq!(
        (1..=10).map(|c| number_at(&r, h + 1, c)).collect::<Vec<_>>(),
        [5.0, 4.0, 2.0, 2.0, 150_000.03, 75_000.01, 0.5, 1.0, 112_500.02, 0.75]
    );
    assert_eq!(text_at(&r, h + 2, 0), "李四");
    assert_eq!(text_at(&r, h + 3, 0), "合计");
    assert_eq!(
        (1..=10).map(|c| number_at(&r, h + 3, c)).collect::<Vec<_>>(),
        [10.0, 8.0, 3.0, 3.0, 250_000.05, 83_333.35, 0.375, 1.0, 150_000.03, 0.6]
    );

    let (h, texts) = header(&r, "流失原因");
    assert_eq!(texts, ["流失原因", "商机数", "金额（元）", "占比"]);
    let reasons: Vec<String> = (h + 1..h + 5).map(|row| text_at(&r, row, 0)).collect();
    assert_eq!(reasons, ["价格过高", "选择竞品", "未填写", "合计"]);
    assert_eq!([1, 2, 3].map(|c| number_at(&r, h + 1, c)), [2.0, 30_000.0, 0.5]);
    assert_eq!([1, 2, 3].map(|c| number_at(&r, h + 4, c)), [4.0, 37_000.0, 1.0]);
}

#[test]
fn followup_efficiency_per_method_and_in_total() {
    let w = write(&full_book(), Language::ZhCn);
    let r = sheet(&w.path, "跟进效率");
    let (h, texts) = header(&r, "按跟进方式");
    assert_eq!(texts, ["跟进方式", "跟进次数", "有响应", "响应率", "平均间隔天数", "到期的下一步", "按时完成", "按时率"]);
    let methods: Vec<String> = (h + 1..h + 5).map(|row| text_at(&r, row, 0)).collect();
    assert_eq!(methods, ["电话", "微信", "展会拜访", "合计"]);
    assert_eq!((1..=7).map(|c| number_at(&r, h + 1, c)).collect::<Vec<_>>(), [20.0, 15.0, 0.75, 6.5, 4.0, 3.0, 0.75]);
    assert_eq!(number_at(&r, h + 2, 3), 0.25);
    assert_eq!([1, 2].map(|c| number_at(&r, h + 4, c)), [42.0, 25.0]);
}

#[test]
fn the_funnel_sheet_has_the_cohort_its_stages_and_its_lost_reasons() {
    let w = write(&full_book(), Language::ZhCn);
    let r = sheet(&w.path, "销售漏斗");
    assert_eq!(text_at(&r, 0, 0), "销售漏斗 · 2026-11-01 至 2026-11-24");
    let (h, _) = header(&r, "概况");
    let summary: Vec<(String, f64)> = (h + 1..h + 7).map(|row| (text_at(&r, row, 0), number_at(&r, row, 1))).collect();
    assert_eq!(
        summary,
        [
            ("商机数".to_owned(), 10.0),
            ("在途金额（元）".to_owned(), 70_000.0),
            ("加权金额（元）".to_owned(), 35_000.0),
            ("成交单数".to_owned(), 3.0),
            ("成交金额（元）".to_owned(), 250_000.05),
            ("平均成交周期（天）".to_owned(), 12.25),
        ]
    );
    let (h, _) = header(&r, "各阶段");
    assert_eq!(text_at(&r, h + 6, 0), "流失");
    assert_eq!(number_at(&r, h + 6, 4), 2.0);
    let (h, _) = header(&r, "流失原因");
    // Shares worked out from the counts: 2 of 3, 1 of 3.
    assert_eq!(text_at(&r, h + 1, 0), "价格过高");
    assert_eq!(number_at(&r, h + 1, 3), 2.0 / 3.0);
    assert_eq!(number_at(&r, h + 2, 3), 1.0 / 3.0);
    assert_eq!([1, 2, 3].map(|c| number_at(&r, h + 3, c)), [3.0, 35_000.0, 1.0]);
}

#[test]
fn the_charts_are_native_and_point_at_their_tables() {
    let w = write(&full_book(), Language::ZhCn);
    let charts = charts(&w.path);
    assert_eq!(charts.len(), 18, "{:?}", charts.iter().map(ChartPart::title).collect::<Vec<_>>());
    let bar = "<c:barChart>";
    let pie = "<c:pieChart>";

    let r = sheet(&w.path, "概览");
    let (h, _) = header(&r, "近12个月趋势");
    expect_chart(
        &charts,
        "概览",
        "新增客户与成交金额",
        &[bar, "<c:barDir val=\"col\"/>", "<c:lineChart>"],
        &[
            cell_ref("概览", 1, h),
            reference("概览", 0, h + 1, h + 12),
            reference("概览", 1, h + 1, h + 12),
            cell_ref("概览", 3, h),
            reference("概览", 0, h + 1, h + 12),
            reference("概览", 3, h + 1, h + 12),
        ],
    );
    // The won amount is on a secondary axis: two value axes.
    let trend = charts.iter().find(|c| c.title() == "新增客户与成交金额").unwrap();
    assert_eq!(trend.xml.matches("<c:valAx>").count(), 2);

    // The funnel: the five path stages, not 流失.
    let (h, _) = header(&r, "销售漏斗");
    let funnel_refs = [cell_ref("概览", 4, h), reference("概览", 0, h + 1, h + 5), reference("概览", 4, h + 1, h + 5)];
    expect_chart(&charts, "概览", "销售漏斗（到达数）", &[bar, "<c:barDir val=\"bar\"/>"], &funnel_refs);
    for (caption, what) in [("按行业", "行业"), ("按来源", "来源")] {
        let (h, _) = header(&r, caption);
        let names = reference("概览", 0, h + 1, h + 3);
        expect_chart(
            &charts,
            "概览",
            &format!("客户数（按{what}）"),
            &[pie],
            &[cell_ref("概览", 1, h), names.clone(), reference("概览", 1, h + 1, h + 3)],
        );
        expect_chart(
            &charts,
            "概览",
            &format!("成交金额（按{what}）"),
            &[pie],
            &[cell_ref("概览", 3, h), names, reference("概览", 3, h + 1, h + 3)],
        );
    }

    let r = sheet(&w.path, "客户分析");
    let (h, _) = header(&r, "按规模");
    expect_chart(
        &charts,
        "客户分析",
        "客户数（按规模）",
        &[pie],
        &[cell_ref("客户分析", 1, h), reference("客户分析", 0, h + 1, h + 4), reference("客户分析", 1, h + 1, h + 4)],
    );
    // Tags overlap, so they are columns, not slices.
    let (h, _) = header(&r, "按标签");
    expect_chart(
        &charts,
        "客户分析",
        "客户数（按标签）",
        &[bar, "<c:barDir val=\"col\"/>"],
        &[cell_ref("客户分析", 1, h), reference("客户分析", 0, h + 1, h + 2), reference("客户分析", 1, h + 1, h + 2)],
    );
    expect_chart(
        &charts,
        "客户分析",
        "成交金额（按标签）",
        &[bar],
        &[cell_ref("客户分析", 3, h), reference("客户分析", 0, h + 1, h + 2), reference("客户分析", 3, h + 1, h + 2)],
    );

    let r = sheet(&w.path, "销售业绩");
    let (h, _) = header(&r, "按负责人");
    // The owners only, not the total row.
    expect_chart(
        &charts,
        "销售业绩",
        "各负责人成交金额（元）",
        &[bar],
        &[cell_ref("销售业绩", 5, h), reference("销售业绩", 0, h + 1, h + 2), reference("销售业绩", 5, h + 1, h + 2)],
    );
    let (h, _) = header(&r, "流失原因");
    expect_chart(
        &charts,
        "销售业绩",
        "流失原因分布",
        &[pie],
        &[cell_ref("销售业绩", 1, h), reference("销售业绩", 0, h + 1, h + 3), reference("销售业绩", 1, h + 1, h + 3)],
    );

    let r = sheet(&w.path, "跟进效率");
    let (h, _) = header(&r, "按跟进方式");
    let names = reference("跟进效率", 0, h + 1, h + 3);
    expect_chart(
        &charts,
        "跟进效率",
        "各方式跟进次数",
        &[bar],
        &[cell_ref("跟进效率", 1, h), names.clone(), reference("跟进效率", 1, h + 1, h + 3)],
    );
    expect_chart(
        &charts,
        "跟进效率",
        "各方式响应率",
        &[bar, "<c:max val=\"1\"/>"],
        &[cell_ref("跟进效率", 3, h), names, reference("跟进效率", 3, h + 1, h + 3)],
    );

    let r = sheet(&w.path, "销售漏斗");
    let (h, _) = header(&r, "各阶段");
    expect_chart(
        &charts,
        "销售漏斗",
        "销售漏斗（到达数）",
        &[bar, "<c:barDir val=\"bar\"/>"],
        &[cell_ref("销售漏斗", 4, h), reference("销售漏斗", 0, h + 1, h + 5), reference("销售漏斗", 4, h + 1, h + 5)],
    );
    let (h, _) = header(&r, "流失原因");
    expect_chart(
        &charts,
        "销售漏斗",
        "流失原因分布",
        &[pie],
        &[cell_ref("销售漏斗", 1, h), reference("销售漏斗", 0, h + 1, h + 2), reference("销售漏斗", 1, h + 1, h + 2)],
    );
}

#[test]
fn openpyxl_reads_the_charts_and_the_values() {
    let w = write(&full_book(), Language::ZhCn);
    let out = openpyxl(
        &w.path,
        r#"
def find(ws, text):
    for row in ws.iter_rows():
        for c in row:
            if c.value == text:
                return c
charts = {ws.title: sorted(type(t).__name__ for c in ws._charts for t in c._charts) for ws in wb.worksheets}
made = find(wb["客户分析"], "制造业")
row = [wb["客户分析"].cell(made.row, made.column + i) for i in range(1, 5)]
amount = find(wb["概览"], "成交金额（元）")
won = wb["概览"].cell(amount.row, amount.column + 1)
change = wb["概览"].cell(amount.row, amount.column + 3)
header = find(wb["销售业绩"], "负责人")
out = {
    "charts": charts,
    "counts": {ws.title: len(ws._charts) for ws in wb.worksheets},
    "manufacturing": [[c.value, c.number_format] for c in row],
    "won": [won.value, won.number_format, change.value, change.number_format],
    "header": [header.font.b, header.fill.fgColor.rgb, header.border.bottom.style],
    "widths": wb["销售业绩"].column_dimensions["F"].width > 10,
    # The cells under each chart's anchor: a chart must not cover a table.
    "covered": [
        [ws.title, cell.coordinate]
        for ws in wb.worksheets
        for c in ws._charts
        for row in ws.iter_rows(min_row=c.anchor._from.row + 1, max_row=c.anchor.to.row + 1,
                                min_col=c.anchor._from.col + 1, max_col=c.anchor.to.col + 1)
        for cell in row
        if cell.value is not None
    ],
}
"#,
    );
    assert_eq!(out["counts"], serde_json::json!({"概览": 6, "客户分析": 6, "销售业绩": 2, "跟进效率": 2, "销售漏斗": 2}));
    assert_eq!(
        out["charts"]["概览"],
        serde_json::json!(["BarChart", "BarChart", "LineChart", "PieChart", "PieChart", "PieChart", "PieChart"])
    );
    assert_eq!(out["charts"]["客户分析"], serde_json::json!(["BarChart", "BarChart", "PieChart", "PieChart", "PieChart", "PieChart"]));
    assert_eq!(out["charts"]["销售业绩"], serde_json::json!(["BarChart", "PieChart"]));
    assert_eq!(out["charts"]["跟进效率"], serde_json::json!(["BarChart", "BarChart"]));
    assert_eq!(out["charts"]["销售漏斗"], serde_json::json!(["BarChart", "PieChart"]));
    assert_eq!(out["manufacturing"], serde_json::json!([[4, "#,##0"], [0.4, "0.0%"], [150000.03, "#,##0.00"], [0.6, "0.0%"]]));
    assert_eq!(out["won"], serde_json::json!([250000.05, "#,##0.00", 0.25000025, "0.0%"]));
    assert_eq!(out["header"], serde_json::json!([true, "FFDDEBF7", "thin"]));
    assert_eq!(out["widths"], true);
    assert_eq!(out["covered"], serde_json::json!([]));
}

#[test]
fn user_text_that_looks_like_a_formula_stays_a_string() {
    let w = write(&full_book(), Language::ZhCn);
    let r = sheet(&w.path, "概览");
    let (h, _) = header(&r, "按来源");
    assert_eq!(r.get_value((h + 2, 0)), Some(&Data::String("=1+1".into())));
    let mut wb: Xlsx<_> = open_workbook(&w.path).unwrap();
    let formulas = wb.worksheet_formula("概览").unwrap();
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()), "a formula was written");
    // No sheet of the file holds a single formula.
    for (name, xml) in parts(&w.path) {
        if name.starts_with("xl/worksheets/sheet") {
            assert!(!xml.contains("<f>") && !xml.contains("<f "), "{name} has a formula");
        }
    }
    let out = openpyxl(
        &w.path,
        r#"
ws = wb["概览"]
cell = next(c for row in ws.iter_rows() for c in row if c.value == "=1+1")
out = [cell.data_type, cell.quotePrefix]
"#,
    );
    assert_eq!(out, serde_json::json!(["s", true]));
}

#[test]
fn english_names_built_in_stages_methods_and_bands_and_keeps_the_users_own() {
    let w = write(&full_book(), Language::En);
    let r = sheet(&w.path, "Overview");
    assert_eq!(text_at(&r, 0, 0), "Overview · 2026-11-01 to 2026-11-24");
    let (h, texts) = header(&r, "Key figures");
    assert_eq!(texts, ["KPI", "This period", "Previous period", "Change", "Last year", "Change on last year"]);
    assert_eq!(text_at(&r, h + 4, 0), "Amount won (¥)");
    let (h, _) = header(&r, "Funnel");
    let stages: Vec<String> = (h + 1..h + 7).map(|row| text_at(&r, row, 0)).collect();
    assert_eq!(stages, ["Lead", "Qualified", "试用中", "Negotiation", "Won", "Lost"]);
    assert_eq!(text_at(&r, h - 2, 0), "Weakest stage: Qualified (50.0% move on to the next stage)");
    let (h, _) = header(&r, "By industry");
    assert_eq!(text_at(&r, h + 3, 0), "Not set");
    assert_eq!(text_at(&r, h + 4, 0), "Total");

    let r = sheet(&w.path, "Customers");
    let (h, texts) = header(&r, "By size (employees)");
    assert_eq!(texts[0], "Size (employees)");
    let bands: Vec<String> = (h + 1..h + 5).map(|row| text_at(&r, row, 0)).collect();
    assert_eq!(bands, ["20–99", "< 20", "≥ 1000", "Not set"]);

    let r = sheet(&w.path, "Performance");
    assert!(text_at(&r, 1, 0).contains("“Qualified”"), "{}", text_at(&r, 1, 0));
    let (h, _) = header(&r, "Lost reasons");
    assert_eq!(text_at(&r, h + 1, 0), "价格过高");
    assert_eq!(text_at(&r, h + 3, 0), "Not set");

    let r = sheet(&w.path, "Follow-ups");
    let (h, texts) = header(&r, "By method");
    assert_eq!(texts[..4], ["Method", "Follow-ups", "Responses", "Response rate"]);
    let methods: Vec<String> = (h + 1..h + 5).map(|row| text_at(&r, row, 0)).collect();
    assert_eq!(methods, ["Phone", "WeChat", "展会拜访", "Total"]);

    let charts = charts(&w.path);
    let titles: Vec<String> = charts.iter().map(ChartPart::title).collect();
    for title in [
        "New customers and won amount",
        "Funnel (deals reached)",
        "Customers by industry",
        "Won amount by owner (¥)",
        "Lost reasons",
        "Response rate by method",
    ] {
        assert!(titles.iter().any(|t| t == title), "no chart {title:?} in {titles:?}");
    }
    // A sheet name with a hyphen is quoted in the references.
    let (h, _) = header(&r, "By method");
    expect_chart(
        &charts,
        "'Follow-ups'",
        "Follow-ups by method",
        &["<c:barChart>"],
        &[cell_ref("'Follow-ups'", 1, h), reference("'Follow-ups'", 0, h + 1, h + 3), reference("'Follow-ups'", 1, h + 1, h + 3)],
    );
}

#[test]
fn an_empty_period_keeps_the_tables_headers_and_writes_no_chart_without_data() {
    let w = write(&empty_book(), Language::ZhCn);
    assert_eq!(sheets(&w.path), ["概览", "客户分析", "销售业绩", "跟进效率", "销售漏斗"]);
    assert!(charts(&w.path).is_empty(), "a chart over no rows");
    assert!(!parts(&w.path).keys().any(|name| name.starts_with("xl/drawings/")), "a drawing without charts");

    let r = sheet(&w.path, "概览");
    let (h, texts) = header(&r, "近12个月趋势");
    assert_eq!(texts, ["月份", "新增客户", "成交单数", "成交金额（元）"]);
    assert!(is_empty_at(&r, h + 1, 0));
    let (h, texts) = header(&r, "按行业");
    assert_eq!(texts.len(), 5);
    assert_eq!(text_at(&r, h + 1, 0), "合计");
    assert_eq!(number_at(&r, h + 1, 1), 0.0);
    assert!(is_empty_at(&r, h + 1, 2), "no share of no customers");

    let r = sheet(&w.path, "销售业绩");
    let (h, texts) = header(&r, "按负责人");
    assert_eq!(texts.len(), 11);
    assert_eq!(text_at(&r, h + 1, 0), "合计");
    assert_eq!(number_at(&r, h + 1, 5), 0.0);
    assert!(is_empty_at(&r, h + 1, 6), "no average of no deals");
    let (h, texts) = header(&r, "流失原因");
    assert_eq!(texts, ["流失原因", "商机数", "金额（元）", "占比"]);
    assert_eq!(text_at(&r, h + 1, 0), "合计");

    let r = sheet(&w.path, "跟进效率");
    let (_, texts) = header(&r, "按跟进方式");
    assert_eq!(texts.len(), 8);
    let r = sheet(&w.path, "销售漏斗");
    let (_, texts) = header(&r, "各阶段");
    assert_eq!(texts.len(), 9);

    let out = openpyxl(&w.path, "out = {ws.title: len(ws._charts) for ws in wb.worksheets}");
    assert_eq!(out, serde_json::json!({"概览": 0, "客户分析": 0, "销售业绩": 0, "跟进效率": 0, "销售漏斗": 0}));
}

#[test]
fn stages_and_methods_with_nothing_in_them_chart_zeros_but_not_unknown_rates() {
    let mut funnel = funnel_report();
    for s in &mut funnel.stages {
        (s.count, s.amount_fen, s.weighted_fen, s.reached, s.reached_amount_fen, s.conversion, s.drop_off) = (0, 0, 0, 0, 0, None, None);
    }
    funnel.lost_reasons.clear();
    let mut efficiency = efficiency();
    for m in &mut efficiency.methods {
        *m = MethodRow { method_id: m.method_id, code: m.code.clone(), name: m.name.clone(), ..Default::default() };
    }
    let book =
        ReportBook { efficiency: Some(efficiency), funnel: Some(FunnelAnalysis { period: november(), funnel }), ..Default::default() };
    let w = write(&book, Language::ZhCn);
    let titles: Vec<String> = charts(&w.path).iter().map(ChartPart::title).collect();
    // Zero bars are still a true picture; a rate chart with no rate at all, or a pie of
    // nothing, would be an empty frame.
    assert_eq!(titles, ["各方式跟进次数", "销售漏斗（到达数）"]);
    let r = sheet(&w.path, "跟进效率");
    let (h, _) = header(&r, "按跟进方式");
    assert_eq!(number_at(&r, h + 1, 1), 0.0);
    assert!(is_empty_at(&r, h + 1, 3));
}

#[test]
fn a_book_without_reports_says_so() {
    let w = write(&ReportBook::default(), Language::ZhCn);
    assert_eq!(sheets(&w.path), ["报表"]);
    let r = sheet(&w.path, "报表");
    assert_eq!(text_at(&r, 1, 0), "没有选择要导出的报表。");
    let w = write(&ReportBook::default(), Language::En);
    assert_eq!(sheets(&w.path), ["Reports"]);
}

#[test]
fn a_file_that_cannot_be_written_is_an_io_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("no-such-folder").join("报表.xlsx");
    let err = xlsx::write(&full_book(), Language::ZhCn, &path).unwrap_err();
    assert_eq!(err.code(), ErrorCode::Io);
    assert!(!path.exists());
}

#[test]
fn more_groups_than_a_pie_can_show_are_columns() {
    let regions = ["上海", "北京", "广州", "深圳", "杭州", "成都", "武汉", "南京", "苏州"];
    let eight = CustomerAnalysis {
        period: november(),
        dimension: Dimension::Region,
        total_customers: 8,
        total_won_fen: 800,
        rows: regions[..8].iter().map(|r| group(Some(r), 1, 0.125, 100, Some(0.125))).collect(),
    };
    let nine = CustomerAnalysis {
        total_customers: 9,
        total_won_fen: 900,
        rows: regions.iter().map(|r| group(Some(r), 1, 1.0 / 9.0, 100, Some(1.0 / 9.0))).collect(),
        ..eight.clone()
    };
    for (analysis, element) in [(eight, "<c:pieChart>"), (nine, "<c:barDir val=\"col\"/>")] {
        let rows = analysis.rows.len() as u32;
        let w = write(&ReportBook { analyses: vec![analysis], ..Default::default() }, Language::ZhCn);
        let r = sheet(&w.path, "客户分析");
        let (h, _) = header(&r, "按地区");
        let charts = charts(&w.path);
        assert_eq!(charts.len(), 2);
        let names = reference("客户分析", 0, h + 1, h + rows);
        expect_chart(
            &charts,
            "客户分析",
            "客户数（按地区）",
            &[element],
            &[cell_ref("客户分析", 1, h), names.clone(), reference("客户分析", 1, h + 1, h + rows)],
        );
        expect_chart(
            &charts,
            "客户分析",
            "成交金额（按地区）",
            &[element],
            &[cell_ref("客户分析", 3, h), names, reference("客户分析", 3, h + 1, h + rows)],
        );
    }
}
