//! 客户分析: one table per dimension with its distribution charts beside it.

use rust_xlsxwriter::{Chart, Workbook};

use super::charts;
use super::grid::{Cell, Sheet, Table};
use super::labels::{self, pick};
use crate::reports::{CustomerAnalysis, Dimension};
use crate::settings::Language;
use crate::Result;

/// More groups than this (regions, tags …) are charted as columns, not pie slices.
const MAX_SLICES: usize = 8;

pub(super) fn write(book: &mut Workbook, analyses: &[CustomerAnalysis], lang: Language) -> Result<()> {
    let mut sheet = Sheet::add(book, pick(lang, "客户分析", "Customers"))?;
    // The analyses of one export share the period; the first one names it.
    if let Some(first) = analyses.first() {
        sheet.title(&labels::title(lang, pick(lang, "客户分析", "Customer analysis"), &first.period))?;
    }
    sheet.note(pick(
        lang,
        "客户数按当前全部客户统计，成交金额为本期成交；有多个标签的客户在每个标签下各计一次。",
        "Customers: the whole book as it is now; won amount: won in the period. A customer with several tags counts under each.",
    ))?;
    sheet.skip();
    for analysis in analyses {
        block(&mut sheet, analysis, lang)?;
    }
    sheet.finish()
}

/// One dimension's table, with a customer pie and, when anything was won, a won-amount pie.
pub(super) fn block(sheet: &mut Sheet, analysis: &CustomerAnalysis, lang: Language) -> Result<()> {
    let dimension = analysis.dimension;
    let table = Table {
        header: vec![
            labels::dimension(lang, dimension).to_owned(),
            pick(lang, "客户数", "Customers").to_owned(),
            pick(lang, "客户占比", "Share of customers").to_owned(),
            pick(lang, "成交金额（元）", "Won amount (¥)").to_owned(),
            pick(lang, "成交金额占比", "Share of won amount").to_owned(),
        ],
        rows: analysis
            .rows
            .iter()
            .map(|row| {
                vec![
                    Cell::Text(labels::group(lang, dimension, row.key.as_deref())),
                    Cell::Count(row.customers),
                    Cell::Percent(Some(row.share)),
                    Cell::Money(row.won_amount_fen),
                    Cell::Percent(row.won_share),
                ]
            })
            .collect(),
        total: Some(vec![
            Cell::Text(labels::total(lang).to_owned()),
            Cell::Count(analysis.total_customers),
            Cell::Percent((analysis.total_customers > 0).then_some(1.0)),
            Cell::Money(analysis.total_won_fen),
            Cell::Percent((analysis.total_won_fen > 0).then_some(1.0)),
        ]),
    };
    let placed = sheet.table(&labels::by_dimension(lang, dimension), &table)?;
    // Tags overlap, and past a handful of groups slices are unreadable: columns then.
    let slices = dimension != Dimension::Tag && analysis.rows.len() <= MAX_SLICES;
    let chart = |title: &str, names, values, col| {
        if slices {
            charts::pie(title, names, values, placed.name(col))
        } else {
            charts::columns(title, names, values, placed.name(col), "#,##0")
        }
    };
    let mut made: Vec<Chart> = Vec::new();
    if let (Some(names), Some(customers)) = (placed.column(0), placed.column(1)) {
        made.push(chart(&chart_title(lang, dimension, pick(lang, "客户数", "Customers")), names, customers, 1));
        // A pie of nothing won would be an empty frame.
        if analysis.total_won_fen > 0 {
            let won = placed.column(3).expect("the same rows");
            made.push(chart(&chart_title(lang, dimension, pick(lang, "成交金额", "Won amount")), names, won, 3));
        }
    }
    sheet.charts(&placed, &made)
}

/// "客户数（按行业）" / "Customers by industry"
fn chart_title(lang: Language, dimension: Dimension, what: &str) -> String {
    match lang {
        Language::ZhCn => format!("{what}（按{}）", labels::dimension(lang, dimension)),
        Language::En => format!("{what} by {}", labels::dimension(lang, dimension).to_lowercase()),
    }
}
