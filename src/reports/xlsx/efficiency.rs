//! 跟进效率: per follow-up method, how often, how often answered, how regular, how punctual.

use rust_xlsxwriter::Workbook;

use super::charts;
use super::grid::{Cell, Sheet, Table};
use super::labels::{self, pick};
use crate::reports::{FollowupEfficiency, MethodRow};
use crate::settings::Language;
use crate::Result;

pub(super) fn write(book: &mut Workbook, efficiency: &FollowupEfficiency, lang: Language) -> Result<()> {
    let mut sheet = Sheet::add(book, pick(lang, "跟进效率", "Follow-ups"))?;
    sheet.title(&labels::title(lang, pick(lang, "跟进效率", "Follow-up efficiency"), &efficiency.period))?;
    sheet.note(pick(
        lang,
        "记录了客户反馈的跟进算作有响应；按时：下一步到期前再次联系了客户或完成了提醒。",
        "A follow-up with the customer's feedback recorded counts as a response; on time: the customer was contacted again, or the reminder done, by the next step's due time.",
    ))?;
    sheet.skip();
    let table = Table {
        header: vec![
            pick(lang, "跟进方式", "Method").to_owned(),
            pick(lang, "跟进次数", "Follow-ups").to_owned(),
            pick(lang, "有响应", "Responses").to_owned(),
            pick(lang, "响应率", "Response rate").to_owned(),
            pick(lang, "平均间隔天数", "Average days between").to_owned(),
            pick(lang, "到期的下一步", "Next steps due").to_owned(),
            pick(lang, "按时完成", "Done on time").to_owned(),
            pick(lang, "按时率", "On-time rate").to_owned(),
        ],
        rows: efficiency.methods.iter().map(|m| row(m, labels::method(lang, m))).collect(),
        total: Some(row(&efficiency.total, labels::total(lang).to_owned())),
    };
    let placed = sheet.table(pick(lang, "按跟进方式", "By method"), &table)?;
    let mut made = Vec::new();
    if let (Some(names), Some(counts), Some(rates)) = (placed.column(0), placed.column(1), placed.column(3)) {
        made.push(charts::columns(pick(lang, "各方式跟进次数", "Follow-ups by method"), names, counts, placed.name(1), "#,##0"));
        // All rates unknown (nothing followed up) would be an empty chart.
        if efficiency.methods.iter().any(|m| m.response_rate.is_some()) {
            made.push(charts::rates(pick(lang, "各方式响应率", "Response rate by method"), names, rates, placed.name(3)));
        }
    }
    sheet.charts(&placed, &made)?;
    sheet.finish()
}

fn row(m: &MethodRow, label: String) -> Vec<Cell> {
    vec![
        Cell::Text(label),
        Cell::Count(m.followups),
        Cell::Count(m.responses),
        Cell::Percent(m.response_rate),
        Cell::Days(m.avg_gap_days),
        Cell::Count(m.next_steps_due),
        Cell::Count(m.next_steps_on_time),
        Cell::Percent(m.on_time_rate),
    ]
}
