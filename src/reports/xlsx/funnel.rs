//! 销售漏斗: the cohort's summary, its stages with a bar per stage reached, its lost reasons.

use rust_xlsxwriter::Workbook;

use super::grid::{Cell, Sheet, Table};
use super::labels::{self, pick};
use super::{charts, performance};
use crate::deals::funnel::{FunnelReport, FunnelStage};
use crate::deals::StageKind;
use crate::reports::{FunnelAnalysis, LostReasonRow};
use crate::settings::Language;
use crate::Result;

pub(super) fn write(book: &mut Workbook, analysis: &FunnelAnalysis, lang: Language) -> Result<()> {
    let report = &analysis.funnel;
    let mut sheet = Sheet::add(book, pick(lang, "销售漏斗", "Funnel"))?;
    sheet.title(&labels::title(lang, pick(lang, "销售漏斗", "Sales funnel"), &analysis.period))?;
    sheet.note(pick(lang, "本期新建的商机，逐阶段统计。", "The deals created in the period, stage by stage."))?;
    sheet.skip();

    let summary = Table {
        header: vec![pick(lang, "指标", "Measure").to_owned(), pick(lang, "数值", "Value").to_owned()],
        rows: vec![
            vec![Cell::Text(pick(lang, "商机数", "Deals").to_owned()), Cell::Count(report.total_count)],
            vec![Cell::Text(pick(lang, "在途金额（元）", "Open amount (¥)").to_owned()), Cell::Money(report.open_amount_fen)],
            vec![Cell::Text(pick(lang, "加权金额（元）", "Weighted amount (¥)").to_owned()), Cell::Money(report.weighted_fen)],
            vec![Cell::Text(pick(lang, "成交单数", "Deals won").to_owned()), Cell::Count(report.won_count)],
            vec![Cell::Text(pick(lang, "成交金额（元）", "Won amount (¥)").to_owned()), Cell::Money(report.won_amount_fen)],
            vec![Cell::Text(pick(lang, "平均成交周期（天）", "Average days to win").to_owned()), Cell::Days(report.avg_cycle_days)],
        ],
        total: None,
    };
    sheet.table(pick(lang, "概况", "Summary"), &summary)?;
    stages_block(&mut sheet, pick(lang, "各阶段", "Stages"), report, lang)?;

    let lost: i64 = report.lost_reasons.iter().map(|r| r.count).sum();
    let reasons: Vec<LostReasonRow> = report
        .lost_reasons
        .iter()
        .map(|r| LostReasonRow {
            reason: r.reason.clone(),
            count: r.count,
            amount_fen: r.amount_fen,
            share: if lost > 0 { r.count as f64 / lost as f64 } else { 0.0 },
        })
        .collect();
    performance::lost_block(&mut sheet, &reasons, lang)?;
    sheet.finish()
}

/// The stages table, the funnel path first (流失 sits beside the funnel, after it), the
/// weakest stage named above it, and a bar per stage of the deals that reached it.
pub(super) fn stages_block(sheet: &mut Sheet, caption: &str, report: &FunnelReport, lang: Language) -> Result<()> {
    let (path, lost): (Vec<&FunnelStage>, Vec<&FunnelStage>) = report.stages.iter().partition(|s| s.kind != StageKind::Lost);
    if let Some(weakest) = report.stages.iter().find(|s| Some(s.stage_id) == report.weakest_stage_id) {
        let conversion = weakest.conversion.map(|c| format!("{:.1}%", c * 100.0)).unwrap_or_default();
        sheet.note(&match lang {
            Language::ZhCn => format!("最薄弱环节：{}（到下一阶段的转化率 {conversion}）", labels::stage(lang, weakest)),
            Language::En => format!("Weakest stage: {} ({conversion} move on to the next stage)", labels::stage(lang, weakest)),
        })?;
    }
    let table = Table {
        header: vec![
            pick(lang, "阶段", "Stage").to_owned(),
            pick(lang, "当前商机数", "Deals now").to_owned(),
            pick(lang, "当前金额（元）", "Amount now (¥)").to_owned(),
            pick(lang, "加权金额（元）", "Weighted (¥)").to_owned(),
            pick(lang, "到达数", "Reached").to_owned(),
            pick(lang, "到达金额（元）", "Reached amount (¥)").to_owned(),
            pick(lang, "转化率（到下一阶段）", "Conversion to next").to_owned(),
            pick(lang, "止步数", "Dropped off").to_owned(),
            pick(lang, "平均停留天数", "Average days in stage").to_owned(),
        ],
        rows: path
            .iter()
            .chain(lost.iter())
            .map(|s| {
                vec![
                    Cell::Text(labels::stage(lang, s)),
                    Cell::Count(s.count),
                    Cell::Money(s.amount_fen),
                    Cell::Money(s.weighted_fen),
                    Cell::Count(s.reached),
                    Cell::Money(s.reached_amount_fen),
                    Cell::Percent(s.conversion),
                    s.drop_off.map_or(Cell::Blank, Cell::Count),
                    Cell::Days(s.avg_stay_days),
                ]
            })
            .collect(),
        total: None,
    };
    let placed = sheet.table(caption, &table)?;
    let path_rows = path.len() as u32;
    let mut made = Vec::new();
    if let (Some(names), Some(reached)) = (placed.first_rows(0, path_rows), placed.first_rows(4, path_rows)) {
        made.push(charts::funnel(pick(lang, "销售漏斗（到达数）", "Funnel (deals reached)"), names, reached, placed.name(4)));
    }
    sheet.charts(&placed, &made)
}
