//! The downloadable import template (按模板格式填写): the headers the import knows, one example
//! row, drop-downs for the managed lists and a sheet of rules, so a sheet filled in from it
//! imports without a single rejected row.

use std::path::Path;

use chrono::NaiveDate;
use rust_xlsxwriter::{
    ColNum, DataValidation, DataValidationErrorStyle, Format, Formula, Note, RowNum, Workbook, Worksheet,
};

use super::cells::{self, xlsx, Formats};
use crate::custom_fields::{CustomField, CustomFieldKind};
use crate::industries::Industry;
use crate::Result;

/// Rows below the header that get the drop-downs and column formats.
const FILL_ROWS: RowNum = 5_000;
const SHEET: &str = "客户信息";
const RULES_SHEET: &str = "填写说明";
/// Long lists live here: an inline list may hold at most 255 characters and no commas.
const LISTS_SHEET: &str = "下拉选项";

/// What a template column holds, for its format, example and drop-down.
enum Content<'a> {
    Text(&'a str),
    Phone(&'a str),
    Date(NaiveDate),
    Money(i64),
    /// A fixed list: the user must pick one of them (`strict`) or is only warned.
    Choice {
        options: Vec<String>,
        example: Option<String>,
        strict: bool,
    },
}

struct TemplateColumn<'a> {
    header: String,
    width: f64,
    content: Content<'a>,
    note: Option<&'static str>,
}

pub fn write_template(path: &Path, industries: &[Industry], stages: &[&str], fields: &[CustomField]) -> Result<()> {
    cells::check_writable(path)?;
    let columns = columns(industries, stages, fields);
    let f = Formats::new();
    let mut book = Workbook::new();
    let mut sheet = Worksheet::new();
    sheet.set_name(SHEET).map_err(xlsx)?;
    let mut lists = Worksheet::new();
    lists.set_name(LISTS_SHEET).map_err(xlsx)?;
    lists.set_hidden(true);
    let mut list_count: ColNum = 0;
    let required = f.header.clone().set_font_color(rust_xlsxwriter::Color::RGB(0xC0_00_00));

    for (col, column) in columns.iter().enumerate() {
        let col = col as ColNum;
        let header_format = if col == 0 { &required } else { &f.header };
        cells::styled_text(&mut sheet, 0, col, &column.header, header_format)?;
        if let Some(note) = column.note {
            sheet.insert_note(0, col, &Note::new(note).add_author_prefix(false)).map_err(xlsx)?;
        }
        // Column formats shape what the user types: a phone stays text, a date shows as one.
        let format = match &column.content {
            Content::Phone(_) => Some(&f.text),
            Content::Date(_) => Some(&f.date),
            Content::Money(_) => Some(&f.money),
            _ => None,
        };
        sheet.set_column_width(col, column.width).map_err(xlsx)?;
        if let Some(format) = format {
            sheet.set_column_format(col, format).map_err(xlsx)?;
        }
        match &column.content {
            Content::Text(example) | Content::Phone(example) => cells::text(&mut sheet, 1, col, example, &f)?,
            Content::Date(day) => cells::date(&mut sheet, 1, col, *day, &f)?,
            Content::Money(fen) => cells::money(&mut sheet, 1, col, *fen, &f)?,
            Content::Choice { options, example, strict } => {
                if let Some(example) = example {
                    cells::text(&mut sheet, 1, col, example, &f)?;
                }
                if !options.is_empty() {
                    let validation = drop_down(options, *strict, &column.header, &mut lists, &mut list_count, &f)?;
                    sheet.add_data_validation(1, col, FILL_ROWS, col, &validation).map_err(xlsx)?;
                }
            }
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(xlsx)?;
    book.push_worksheet(sheet);
    book.push_worksheet(rules(&f)?);
    if list_count > 0 {
        book.push_worksheet(lists);
    }
    crate::saved_file::save_xlsx(&mut book, path, xlsx)?;
    Ok(())
}

/// The drop-down for one column: inline when Excel allows, else a range on the hidden sheet.
fn drop_down(
    options: &[String],
    strict: bool,
    header: &str,
    lists: &mut Worksheet,
    list_count: &mut ColNum,
    f: &Formats,
) -> Result<DataValidation> {
    let inline =
        DataValidation::new().allow_list_strings(options).ok().filter(|_| !options.iter().any(|o| o.contains(',')));
    let validation = match inline {
        Some(validation) => validation,
        None => {
            let col = *list_count;
            *list_count += 1;
            cells::styled_text(lists, 0, col, header, &f.header)?;
            for (i, option) in options.iter().enumerate() {
                cells::text(lists, i as RowNum + 1, col, option, f)?;
            }
            let letter = rust_xlsxwriter::utility::column_number_to_name(col);
            let range = format!("='{LISTS_SHEET}'!${letter}$2:${letter}${}", options.len() + 1);
            DataValidation::new().allow_list_formula(Formula::new(range))
        }
    };
    let (style, message) = if strict {
        (DataValidationErrorStyle::Stop, "请从下拉列表中选择。")
    } else {
        (DataValidationErrorStyle::Warning, "不在常用选项中，仍要填写吗？")
    };
    validation
        .set_error_style(style)
        .set_error_title("请从下拉列表中选择")
        .and_then(|v| v.set_error_message(message))
        .map_err(xlsx)
}

fn columns<'a>(industries: &'a [Industry], stages: &[&str], fields: &'a [CustomField]) -> Vec<TemplateColumn<'a>> {
    let text = |header: &str, width: f64, example: &'a str| TemplateColumn {
        header: header.to_owned(),
        width,
        content: Content::Text(example),
        note: None,
    };
    let example_day = NaiveDate::from_ymd_opt(2024, 3, 1).expect("a valid date");
    let industry_names: Vec<String> = industries.iter().map(|i| i.name.clone()).collect();
    let stage_names: Vec<String> = stages.iter().map(|s| (*s).to_owned()).collect();
    let mut columns = vec![
        TemplateColumn {
            note: Some("必填。公司全称或个人姓名。"),
            ..text("客户名称（必填）", 30.0, "华信科技有限公司")
        },
        TemplateColumn {
            header: "客户类型".into(),
            width: 10.0,
            content: Content::Choice {
                options: vec!["企业".into(), "个人".into()],
                example: Some("企业".into()),
                strict: true,
            },
            note: None,
        },
        TemplateColumn {
            header: "所属行业".into(),
            width: 14.0,
            content: Content::Choice {
                example: industry_names.first().cloned(),
                options: industry_names,
                strict: true,
            },
            note: None,
        },
        text("联系人", 12.0, "张伟"),
        text("职位", 12.0, "采购经理"),
        TemplateColumn {
            header: "电话".into(),
            width: 16.0,
            content: Content::Phone("13912345678"),
            note: Some("按文本填写，如 13912345678 或 010-12345678，避免变成 1.39E+10。"),
        },
        text("微信", 16.0, "zhangwei_hx"),
        text("邮箱", 26.0, "zhangwei@huaxin-tech.cn"),
        text("地区", 14.0, "江苏省苏州市"),
        text("地址", 32.0, "苏州工业园区星湖街328号"),
        text("客户来源", 14.0, "行业展会"),
        TemplateColumn {
            header: "首次接触时间".into(),
            width: 14.0,
            content: Content::Date(example_day),
            note: Some("日期，如 2024-03-01。"),
        },
        text("负责人", 10.0, "李明"),
        text("客户等级", 10.0, "A"),
        TemplateColumn {
            header: "客户阶段".into(),
            width: 14.0,
            content: Content::Choice { example: stage_names.first().cloned(), options: stage_names, strict: false },
            note: None,
        },
        text("需求描述", 36.0, "生产管理系统升级，预算约30万"),
        text("备注", 36.0, "竞品：用友；决策周期约2个月"),
    ];
    for field in fields {
        let width = f64::max(14.0, cells::display_width(&field.label) + 2.0);
        let content = match field.kind {
            CustomFieldKind::Single => Content::Choice {
                options: field.options.clone(),
                example: field.options.first().cloned(),
                strict: true,
            },
            // One pick from a list is all a drop-down does; several are typed with 、.
            CustomFieldKind::Multi => Content::Text(field.options.first().map_or("", String::as_str)),
            CustomFieldKind::Date => Content::Date(NaiveDate::from_ymd_opt(2024, 3, 15).expect("a valid date")),
            CustomFieldKind::Money => Content::Money(30_000_000),
            CustomFieldKind::Text | CustomFieldKind::Number => Content::Text(""),
        };
        columns.push(TemplateColumn { header: field.label.clone(), width, content, note: None });
    }
    columns
}

/// The second sheet: the rules a filled-in template must follow to import cleanly.
fn rules(f: &Formats) -> Result<Worksheet> {
    const RULES: [&str; 10] = [
        "1. 每行填写一个客户。第一行是表头，请勿修改表头文字；不需要的列可以删除，列的顺序可以调整。",
        "2. 「客户名称」为必填项，其余各列都可以留空。",
        "3. 电话请按文本填写（模板的电话列已设为文本格式），如 13912345678、010-12345678。从别处粘贴时请选择「只粘贴值」，以免号码变成 1.39E+10。",
        "4. 一位客户有第二个号码时，可在右侧加一列，表头写「手机」或「联系电话」。",
        "5. 日期请写成 2024-03-01 这样的格式（2024/3/1、2024年3月1日 也可以识别）。",
        "6. 「客户类型」填写「企业」或「个人」；「所属行业」「客户阶段」等有下拉箭头的列，请从下拉列表中选择。",
        "7. 金额可以写 300000、30万 或 ¥300,000，单位为元。",
        "8. 多选字段的多个选项用顿号（、）分隔，如「官网、展会」。",
        "9. 第 2 行是示例，导入前请删除或改成真实客户。",
        "10. 与已有客户电话、邮箱或名称相同的行会被识别为重复，导入时可选择合并、跳过或新建。",
    ];
    let mut sheet = Worksheet::new();
    sheet.set_name(RULES_SHEET).map_err(xlsx)?;
    sheet.set_column_width(0, 110.0).map_err(xlsx)?;
    let title: Format = f.header.clone().set_font_size(14);
    cells::styled_text(&mut sheet, 0, 0, "客户导入模板填写说明", &title)?;
    for (i, rule) in RULES.iter().enumerate() {
        cells::text(&mut sheet, i as RowNum + 2, 0, rule, f)?;
    }
    Ok(sheet)
}
