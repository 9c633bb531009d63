//! 销售业绩 (template 4): the metrics per owner and in total, won amount by owner, and why
//! deals were lost.

use rust_xlsxwriter::Workbook;

use super::grid::{Cell, Sheet, Table};
use super::labels::{self, pick};
use super::{charts, ReportBook};
use crate::reports::{LostReasonRow, Performance, PerformanceRow};
use crate::settings::Language;
use crate::Result;

pub(super) fn write(book: &mut Workbook, performance: &Performance, reports: &ReportBook, lang: Language) -> Result<()> {
    let mut sheet = Sheet::add(book, pick(lang, "销售业绩", "Performance"))?;
    sheet.title(&labels::title(lang, pick(lang, "销售业绩", "Sales performance"), &performance.period))?;
    if let Some(name) = &performance.intent_stage {
        let stage = intent_label(reports, name, lang);
        sheet.note(&match lang {
            Language::ZhCn => format!("意向客户：本期有商机进入「{stage}」或之后阶段的客户；转化率 = 成交客户 ÷ 意向客户。"),
            Language::En => format!("Intent customers: customers with a deal that reached “{stage}” or a later stage in the period; conversion = won ÷ intent customers."),
        })?;
    }
    sheet.skip();

    let table = Table {
        header: vec![
            pick(lang, "负责人", "Owner").to_owned(),
            pick(lang, "新增客户", "New customers").to_owned(),
            pick(lang, "意向客户", "Intent customers").to_owned(),
            pick(lang, "成交客户", "Won customers").to_owned(),
            pick(lang, "成交单数", "Deals won").to_owned(),
            pick(lang, "成交金额（元）", "Won amount (¥)").to_owned(),
            pick(lang, "客单价（元）", "Average deal size (¥)").to_owned(),
            pick(lang, "转化率（意向→成交）", "Conversion (intent → won)").to_owned(),
            pick(lang, "高价值客户数（前20%）", "Top-20% customers").to_owned(),
            pick(lang, "高价值客户金额（元）", "Top-20% amount (¥)").to_owned(),
            pick(lang, "高价值客户占比", "Top-20% share of amount").to_owned(),
        ],
        rows: performance.owners.iter().map(|r| row(r, labels::or_not_set(lang, r.owner.as_deref()))).collect(),
        total: Some(row(&performance.total, labels::total(lang).to_owned())),
    };
    let placed = sheet.table(pick(lang, "按负责人", "By owner"), &table)?;
    let mut made = Vec::new();
    if let (Some(names), Some(won)) = (placed.column(0), placed.column(5)) {
        made.push(charts::columns(pick(lang, "各负责人成交金额（元）", "Won amount by owner (¥)"), names, won, placed.name(5), "#,##0"));
    }
    sheet.charts(&placed, &made)?;
    lost_block(&mut sheet, &performance.lost_reasons, lang)?;
    sheet.finish()
}

fn row(r: &PerformanceRow, label: String) -> Vec<Cell> {
    vec![
        Cell::Text(label),
        Cell::Count(r.new_customers),
        Cell::Count(r.intent_customers),
        Cell::Count(r.won_customers),
        Cell::Count(r.won_deals),
        Cell::Money(r.won_amount_fen),
        r.avg_deal_fen.map_or(Cell::Blank, Cell::Money),
        Cell::Percent(r.conversion),
        Cell::Count(r.top_customers),
        Cell::Money(r.top_amount_fen),
        Cell::Percent(r.top_share),
    ]
}

/// The intent stage's name in the user's language: a built-in stage is known by its code
/// in the funnel the book may carry.
fn intent_label(reports: &ReportBook, name: &str, lang: Language) -> String {
    let funnels = reports.funnel.iter().map(|f| &f.funnel).chain(reports.dashboard.iter().map(|d| &d.funnel));
    funnels.flat_map(|f| f.stages.iter()).find(|s| s.name == name).map(|s| labels::stage(lang, s)).unwrap_or_else(|| name.to_owned())
}

/// Lost deals by reason with their total, and a pie of the counts when any were lost.
pub(super) fn lost_block(sheet: &mut Sheet, reasons: &[LostReasonRow], lang: Language) -> Result<()> {
    let count: i64 = reasons.iter().map(|r| r.count).sum();
    let amount: i64 = reasons.iter().map(|r| r.amount_fen).sum();
    let table = Table {
        header: vec![
            pick(lang, "流失原因", "Lost reason").to_owned(),
            pick(lang, "商机数", "Deals").to_owned(),
            pick(lang, "金额（元）", "Amount (¥)").to_owned(),
            pick(lang, "占比", "Share").to_owned(),
        ],
        rows: reasons
            .iter()
            .map(|r| {
                vec![
                    Cell::Text(labels::reason(lang, &r.reason)),
                    Cell::Count(r.count),
                    Cell::Money(r.amount_fen),
                    Cell::Percent(Some(r.share)),
                ]
            })
            .collect(),
        total: Some(vec![
            Cell::Text(labels::total(lang).to_owned()),
            Cell::Count(count),
            Cell::Money(amount),
            Cell::Percent((count > 0).then_some(1.0)),
        ]),
    };
    let placed = sheet.table(pick(lang, "流失原因", "Lost reasons"), &table)?;
    let mut made = Vec::new();
    if let (Some(names), Some(counts)) = (placed.column(0), placed.column(1)) {
        if count > 0 {
            made.push(charts::pie(pick(lang, "流失原因分布", "Lost reasons"), names, counts, placed.name(1)));
        }
    }
    sheet.charts(&placed, &made)
}
