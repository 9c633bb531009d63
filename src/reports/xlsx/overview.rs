//! 概览 (the dashboard): the five KPIs against the previous period and a year earlier, the
//! 12-month trend, the funnel, and customers by industry and by source.

use rust_xlsxwriter::Workbook;

use super::grid::{Cell, Sheet, Table};
use super::labels::{self, pick};
use super::{analysis, charts, funnel};
use crate::reports::{Dashboard, Kpi, KpiKey};
use crate::settings::Language;
use crate::Result;

pub(super) fn write(book: &mut Workbook, dashboard: &Dashboard, lang: Language) -> Result<()> {
    let period = &dashboard.period;
    let mut sheet = Sheet::add(book, pick(lang, "概览", "Overview"))?;
    sheet.title(&labels::title(lang, pick(lang, "概览", "Overview"), &period.current))?;
    sheet.note(&match lang {
        Language::ZhCn => format!("环比：{}；同比：{}", labels::range(lang, &period.previous), labels::range(lang, &period.year_ago)),
        Language::En => format!(
            "Previous period: {}; same period last year: {}",
            labels::range(lang, &period.previous),
            labels::range(lang, &period.year_ago)
        ),
    })?;
    sheet.skip();

    let kpis = Table {
        header: vec![
            pick(lang, "指标", "KPI").to_owned(),
            pick(lang, "本期", "This period").to_owned(),
            pick(lang, "上期", "Previous period").to_owned(),
            pick(lang, "环比", "Change").to_owned(),
            pick(lang, "去年同期", "Last year").to_owned(),
            pick(lang, "同比", "Change on last year").to_owned(),
        ],
        rows: dashboard.kpis.iter().map(|k| kpi_row(k, lang)).collect(),
        total: None,
    };
    sheet.table(pick(lang, "关键指标", "Key figures"), &kpis)?;

    let trend = Table {
        header: vec![
            pick(lang, "月份", "Month").to_owned(),
            pick(lang, "新增客户", "New customers").to_owned(),
            pick(lang, "成交单数", "Deals won").to_owned(),
            pick(lang, "成交金额（元）", "Won amount (¥)").to_owned(),
        ],
        rows: dashboard
            .trend
            .iter()
            .map(|p| {
                vec![Cell::Text(p.month.clone()), Cell::Count(p.new_customers), Cell::Count(p.won_count), Cell::Money(p.won_amount_fen)]
            })
            .collect(),
        total: None,
    };
    let placed = sheet.table(pick(lang, "近12个月趋势", "Last 12 months"), &trend)?;
    let mut made = Vec::new();
    if let (Some(months), Some(customers), Some(amounts)) = (placed.column(0), placed.column(1), placed.column(3)) {
        made.push(charts::columns_and_line(
            pick(lang, "新增客户与成交金额", "New customers and won amount"),
            months,
            (customers, placed.name(1)),
            (amounts, placed.name(3)),
        ));
    }
    sheet.charts(&placed, &made)?;

    funnel::stages_block(&mut sheet, pick(lang, "销售漏斗", "Funnel"), &dashboard.funnel, lang)?;
    analysis::block(&mut sheet, &dashboard.industries, lang)?;
    analysis::block(&mut sheet, &dashboard.sources, lang)?;
    sheet.finish()
}

fn kpi_row(k: &Kpi, lang: Language) -> Vec<Cell> {
    let figure = |v: i64| if matches!(k.key, KpiKey::AmountWon | KpiKey::Pipeline) { Cell::Money(v) } else { Cell::Count(v) };
    vec![
        Cell::Text(labels::kpi(lang, k.key).to_owned()),
        figure(k.value),
        figure(k.previous),
        Cell::Percent(k.change),
        figure(k.year_ago),
        Cell::Percent(k.change_year),
    ]
}
