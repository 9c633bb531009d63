//! The .xlsx files Yiben writes, read back with calamine (the reader the import uses) and
//! with openpyxl for what calamine does not expose: frozen panes, filters, number formats,
//! data validations, fonts.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{open_workbook, Data, Range, Reader, Xlsx};
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde_json::{json, Value};
use yiben::custom_fields::{CustomField, CustomFieldKind};
use yiben::customers::{Contact, Customer, CustomerKind};
use yiben::export::{write_rejected, write_template, Column, CustomerSheet, CustomerWriter, TagsAndScore};
use yiben::import::{read_sheet, suggest, Cell, Target};
use yiben::industries::Industry;
use yiben::ErrorCode;

// ---------------------------------------------------------------- fixtures

fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339).unwrap().with_timezone(&Utc)
}

fn beijing() -> yiben::Zone {
    yiben::Zone::Fixed(FixedOffset::east_opt(8 * 3600).unwrap())
}

fn customer(id: i64, name: &str) -> Customer {
    Customer {
        id,
        uid: format!("uid-{id}"),
        number: None,
        kind: CustomerKind::Org,
        name: name.into(),
        industry_code: None,
        industry: None,
        employees: None,
        revenue_fen: None,
        region: None,
        address: None,
        source: None,
        first_contact: None,
        owner: None,
        grade: None,
        stage: None,
        needs: None,
        notes: None,
        phone: None,
        email: None,
        contacts: Vec::new(),
        custom: Default::default(),
        created_at: at("2024-03-01T02:30:00Z"),
        updated_at: at("2024-03-05T16:45:00Z"),
        deleted_at: None,
        merged_into: None,
        last_followup_at: None,
        next_action: None,
        next_action_at: None,
    }
}

fn contact(name: &str, title: Option<&str>, phones: &[&str], wechat: Option<&str>, email: Option<&str>) -> Contact {
    Contact {
        id: 0,
        name: name.into(),
        title: title.map(Into::into),
        phones: phones.iter().map(|p| p.to_string()).collect(),
        wechat: wechat.map(Into::into),
        email: email.map(Into::into),
        decision_maker: false,
        role: None,
    }
}

fn field(id: i64, label: &str, kind: CustomFieldKind, options: &[&str]) -> CustomField {
    CustomField {
        id,
        key: format!("cf_{id}"),
        label: label.into(),
        kind,
        options: options.iter().map(|o| o.to_string()).collect(),
        position: id,
        in_list: true,
    }
}

fn fields() -> Vec<CustomField> {
    vec![
        field(1, "预计成交金额", CustomFieldKind::Money, &[]),
        field(2, "合同到期日", CustomFieldKind::Date, &[]),
        field(3, "客户所属渠道", CustomFieldKind::Single, &["代理商", "直销"]),
        field(4, "关注点", CustomFieldKind::Multi, &["价格", "服务", "交期"]),
        field(5, "门店数", CustomFieldKind::Number, &[]),
    ]
}

/// 华信科技 with every field filled, two contacts, one of them without a title.
fn huaxin() -> Customer {
    let mut c = customer(1, "华信科技有限公司");
    c.number = Some("2024-MFG-001".into());
    c.industry_code = Some("MFG".into());
    c.industry = Some("制造业".into());
    c.employees = Some(200);
    c.revenue_fen = Some(5_000_000_000); // 5000万
    c.region = Some("江苏省苏州市".into());
    c.address = Some("苏州工业园区星湖街328号".into());
    c.source = Some("行业展会".into());
    c.first_contact = Some("2024-03-01".into());
    c.owner = Some("李明".into());
    c.grade = Some("A".into());
    c.stage = Some("需求确认".into());
    c.needs = Some("生产管理系统升级".into());
    c.notes = Some("竞品：用友；决策周期约2个月".into());
    c.phone = Some("010-12345678".into());
    c.email = Some("info@huaxin.com.cn".into());
    c.contacts = vec![
        contact("张伟", Some("采购经理"), &["13912345678", "13812345678"], Some("zhangwei_hx"), Some("liming@qq.com")),
        contact("王芳", None, &["0512-66881234"], None, None),
    ];
    c.custom.insert("cf_1".into(), json!(30_000_050)); // 300000.50 元
    c.custom.insert("cf_2".into(), json!("2025-06-30"));
    c.custom.insert("cf_3".into(), json!("直销"));
    c.custom.insert("cf_4".into(), json!(["价格", "交期"]));
    c.custom.insert("cf_5".into(), json!(12));
    c
}

/// 华信 (id 1) is tagged and scored; any other customer is neither.
fn huaxin_tags() -> HashMap<i64, TagsAndScore> {
    HashMap::from([(1, TagsAndScore { tags: vec!["高价值客户".into(), "决策人".into(), "需求:设备采购".into()], score: Some(82) })])
}

fn export(
    dir: &Path,
    name: &str,
    columns: &[Column],
    fields: &[CustomField],
    mask: bool,
    pages: &[Vec<Customer>],
) -> PathBuf {
    let path = dir.join(name);
    let sheet = CustomerSheet { columns, fields, zone: beijing(), mask };
    let mut writer = CustomerWriter::create(&path, sheet).unwrap();
    for page in pages {
        writer.write(page, &huaxin_tags()).unwrap();
    }
    let rows = writer.finish().unwrap();
    assert_eq!(rows, pages.iter().map(Vec::len).sum::<usize>() as u64);
    path
}

// ---------------------------------------------------------------- readers

fn book(path: &Path) -> Xlsx<std::io::BufReader<std::fs::File>> {
    open_workbook(path).unwrap_or_else(|e| panic!("calamine cannot open the file: {e}"))
}

fn sheet(path: &Path, name: &str) -> Range<Data> {
    book(path).worksheet_range(name).unwrap()
}

fn first_sheet(path: &Path) -> Range<Data> {
    let mut book = book(path);
    let name = book.sheet_names()[0].clone();
    book.worksheet_range(&name).unwrap()
}

fn header(range: &Range<Data>) -> Vec<String> {
    range.rows().next().unwrap().iter().map(|d| d.to_string()).collect()
}

fn column(range: &Range<Data>, header_text: &str) -> usize {
    header(range).iter().position(|h| h == header_text).unwrap_or_else(|| panic!("no column {header_text}"))
}

fn cell(range: &Range<Data>, row: usize, col: usize) -> Data {
    range.get((row, col)).cloned().unwrap_or(Data::Empty)
}

fn text_at(range: &Range<Data>, row: usize, header_text: &str) -> String {
    match cell(range, row, column(range, header_text)) {
        Data::String(s) => s,
        other => panic!("{header_text} in row {row} is {other:?}, not a string cell"),
    }
}

fn date_at(range: &Range<Data>, row: usize, header_text: &str) -> chrono::NaiveDateTime {
    match cell(range, row, column(range, header_text)) {
        Data::DateTime(dt) if dt.is_datetime() => dt.as_datetime().unwrap(),
        other => panic!("{header_text} in row {row} is {other:?}, not a date cell"),
    }
}

fn number_at(range: &Range<Data>, row: usize, header_text: &str) -> f64 {
    match cell(range, row, column(range, header_text)) {
        Data::Float(f) => f,
        Data::Int(i) => i as f64,
        other => panic!("{header_text} in row {row} is {other:?}, not a number cell"),
    }
}

/// Runs a Python snippet with `wb` = the workbook opened by openpyxl; it prints one JSON value.
/// A missing python3 or openpyxl fails the test: these checks are not optional.
fn openpyxl(path: &Path, body: &str) -> Value {
    let script = format!(
        "import json, sys\nimport openpyxl\nwb = openpyxl.load_workbook(sys.argv[1])\n{body}\nprint(json.dumps(out, ensure_ascii=False))\n"
    );
    let output = Command::new("python3").arg("-c").arg(&script).arg(path).output().unwrap_or_else(|e| {
        panic!("these checks need python3 with openpyxl (pip install openpyxl); python3 did not start: {e}")
    });
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !stderr.contains("No module named 'openpyxl'"),
        "these checks need python3 with openpyxl (pip install openpyxl): {stderr}"
    );
    assert!(output.status.success(), "openpyxl script failed: {stderr}");
    serde_json::from_slice(&output.stdout).unwrap()
}

// ---------------------------------------------------------------- customer export

const DEFAULT_HEADERS: [&str; 26] = [
    "客户编号",
    "客户名称",
    "客户类型",
    "所属行业",
    "员工人数",
    "年营业额",
    "地区",
    "地址",
    "客户来源",
    "首次接触时间",
    "负责人",
    "客户等级",
    "客户阶段",
    "标签",
    "价值分",
    "电话",
    "邮箱",
    "联系人",
    "职位",
    "联系人电话",
    "微信",
    "联系人邮箱",
    "需求描述",
    "备注",
    "创建时间",
    "更新时间",
];

#[test]
fn headers_are_the_chinese_import_aliases() {
    let dir = tempfile::tempdir().unwrap();
    let fields = fields();
    let columns = Column::all(&fields);
    let path = export(dir.path(), "customers.xlsx", &columns, &fields, false, &[vec![huaxin()]]);
    let range = first_sheet(&path);
    let headers = header(&range);
    let mut want: Vec<String> = DEFAULT_HEADERS.iter().map(|h| h.to_string()).collect();
    want.extend(["预计成交金额", "合同到期日", "客户所属渠道", "关注点", "门店数"].map(String::from));
    assert_eq!(headers, want);

    use Target::*;
    let expected = [
        Number,
        Name,
        Kind,
        Industry,
        Size,
        Revenue,
        Region,
        Address,
        Source,
        FirstContact,
        Owner,
        Grade,
        Stage,
        // The import keeps tags in the notes until it can apply them; the score is computed.
        Tags,
        Ignore,
        Phone,
        Email,
        ContactName,
        ContactTitle,
        Phone,
        Wechat,
        // 联系人邮箱: no import alias yet, and Email is taken by 邮箱 anyway (see the report).
        Ignore,
        Needs,
        Notes,
        // Times the system stamps; the import deliberately ignores them.
        Ignore,
        Ignore,
    ];
    let suggested = suggest(&headers);
    for (i, want) in expected.iter().enumerate() {
        assert_eq!(&suggested[i], want, "header {}", headers[i]);
    }
    // Custom labels are matched by the import wizard against the field list, not by aliases;
    // a label that is also an alias (the spec's own example 预计成交金额) gets the alias.
    assert_eq!(suggested[26..], [ExpectedAmount, Ignore, Ignore, Ignore, Ignore]);
}

#[test]
fn cells_have_the_types_excel_needs() {
    let dir = tempfile::tempdir().unwrap();
    let fields = fields();
    let path = export(dir.path(), "types.xlsx", &Column::all(&fields), &fields, false, &[vec![huaxin()]]);
    let r = first_sheet(&path);

    assert_eq!(text_at(&r, 1, "客户编号"), "2024-MFG-001");
    assert_eq!(text_at(&r, 1, "客户名称"), "华信科技有限公司");
    assert_eq!(text_at(&r, 1, "客户类型"), "企业");
    assert_eq!(text_at(&r, 1, "所属行业"), "制造业");
    assert_eq!(text_at(&r, 1, "备注"), "竞品：用友；决策周期约2个月");
    assert_eq!(number_at(&r, 1, "员工人数"), 200.0);
    assert_eq!(number_at(&r, 1, "年营业额"), 50_000_000.0, "revenue in yuan");
    assert_eq!(number_at(&r, 1, "预计成交金额"), 300_000.5);
    assert_eq!(number_at(&r, 1, "门店数"), 12.0);

    // Phones are strings, never numbers, even the all-digit ones.
    assert_eq!(text_at(&r, 1, "电话"), "010-12345678");
    assert_eq!(text_at(&r, 1, "联系人电话"), "13912345678、13812345678；0512-66881234");

    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    assert_eq!(date_at(&r, 1, "首次接触时间"), day(2024, 3, 1).and_hms_opt(0, 0, 0).unwrap());
    assert_eq!(date_at(&r, 1, "合同到期日"), day(2025, 6, 30).and_hms_opt(0, 0, 0).unwrap());
    // 02:30 UTC is 10:30 in Beijing; 16:45 UTC is already the next day there.
    assert_eq!(date_at(&r, 1, "创建时间"), day(2024, 3, 1).and_hms_opt(10, 30, 0).unwrap());
    assert_eq!(date_at(&r, 1, "更新时间"), day(2024, 3, 6).and_hms_opt(0, 45, 0).unwrap());

    assert_eq!(text_at(&r, 1, "客户所属渠道"), "直销");
    assert_eq!(text_at(&r, 1, "关注点"), "价格、交期");
    // Tags by name, joined like other several-value cells; the score a number.
    assert_eq!(text_at(&r, 1, "标签"), "高价值客户、决策人、需求:设备采购");
    assert_eq!(number_at(&r, 1, "价值分"), 82.0);

    // Several contacts: one row, first contact first, empty places kept aligned.
    assert_eq!(text_at(&r, 1, "联系人"), "张伟；王芳");
    assert_eq!(text_at(&r, 1, "职位"), "采购经理；");
    assert_eq!(text_at(&r, 1, "微信"), "zhangwei_hx；");
    assert_eq!(text_at(&r, 1, "联系人邮箱"), "liming@qq.com；");
    assert_eq!(r.height(), 2);
}

#[test]
fn the_import_reader_reads_the_export_back() {
    let dir = tempfile::tempdir().unwrap();
    let columns = Column::parse_list("number,name,phone,contact_phones,first_contact,revenue").unwrap();
    let mut c = huaxin();
    c.phone = Some("13912345678".into());
    let path = export(dir.path(), "roundtrip.xlsx", &columns, &[], false, &[vec![c]]);
    let grid = read_sheet(&path, None).unwrap();
    assert_eq!(grid.rows[1][1], Cell::Text("华信科技有限公司".into()));
    assert_eq!(grid.rows[1][2], Cell::Text("13912345678".into()), "a mobile must come back as text");
    assert_eq!(grid.rows[1][4], Cell::Date(NaiveDate::from_ymd_opt(2024, 3, 1).unwrap().and_hms_opt(0, 0, 0).unwrap()));
    assert_eq!(grid.rows[1][5], Cell::Number(50_000_000.0));
}

#[test]
fn formats_frozen_header_and_filter_are_in_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let fields = fields();
    let columns = Column::all(&fields);
    let pages = [vec![huaxin(), customer(2, "张三")], vec![customer(3, "李四")]];
    let path = export(dir.path(), "formats.xlsx", &columns, &fields, false, &pages);
    let out = openpyxl(
        &path,
        r#"
ws = wb.worksheets[0]
heads = {c.value: c.column_letter for c in ws[1]}
def at(h, row=2):
    c = ws[f"{heads[h]}{row}"]
    return {"type": c.data_type, "format": c.number_format, "is_date": c.is_date}
out = {
    "title": ws.title,
    "freeze": ws.freeze_panes,
    "filter": ws.auto_filter.ref,
    "bold": all(c.font.b for c in ws[1]),
    "phone": at("电话"),
    "contact_phones": at("联系人电话"),
    "first_contact": at("首次接触时间"),
    "created": at("创建时间"),
    "revenue": at("年营业额"),
    "money_field": at("预计成交金额"),
    "date_field": at("合同到期日"),
    "name_width": ws.column_dimensions[heads["客户名称"]].width,
    "max_row": ws.max_row,
}
"#,
    );
    assert_eq!(out["title"], "客户");
    assert_eq!(out["freeze"], "A2");
    assert_eq!(out["filter"], "A1:AE4", "the filter covers the header and every written row");
    assert_eq!(out["bold"], true);
    assert_eq!(out["phone"], json!({"type": "s", "format": "@", "is_date": false}));
    assert_eq!(out["contact_phones"]["type"], "s");
    assert_eq!(out["first_contact"], json!({"type": "d", "format": "yyyy-mm-dd", "is_date": true}));
    assert_eq!(out["date_field"], json!({"type": "d", "format": "yyyy-mm-dd", "is_date": true}));
    assert_eq!(out["created"], json!({"type": "d", "format": "yyyy-mm-dd hh:mm", "is_date": true}));
    assert_eq!(out["revenue"], json!({"type": "n", "format": "#,##0.00", "is_date": false}));
    assert_eq!(out["money_field"], json!({"type": "n", "format": "#,##0.00", "is_date": false}));
    assert!(out["name_width"].as_f64().unwrap() >= 20.0, "{out}");
    assert_eq!(out["max_row"], 4);
}

#[test]
fn formula_looking_text_stays_text() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = customer(1, "=HYPERLINK(\"http://evil.example\",\"点我\")");
    c.notes = Some("+86 转 801".into());
    c.needs = Some("-已流失".into());
    c.owner = Some("@SUM(A1)".into());
    c.address = Some("\t=1+1".into());
    c.region = Some("=cmd|' /C calc'!A0".into());
    let columns = Column::parse_list("name,notes,needs,owner,address,region").unwrap();
    let path = export(dir.path(), "formulas.xlsx", &columns, &[], false, &[vec![c.clone()]]);

    let mut book = book(&path);
    let formulas = book.worksheet_formula("客户").unwrap();
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()), "no formula in the sheet");
    let r = book.worksheet_range("客户").unwrap();
    let want = [&c.name, &c.notes.clone().unwrap(), &c.needs.clone().unwrap(), &c.owner.clone().unwrap()];
    for (col, value) in want.iter().enumerate() {
        assert_eq!(cell(&r, 1, col), Data::String(value.to_string()));
    }
    assert_eq!(text_at(&r, 1, "地址"), "\t=1+1");

    let out = openpyxl(
        &path,
        r#"
ws = wb.worksheets[0]
out = [{"type": c.data_type, "value": c.value, "quoted": bool(c.quotePrefix)} for c in ws[2]]
"#,
    );
    for cell in out.as_array().unwrap() {
        assert_eq!(cell["type"], "s", "{cell}");
        assert_eq!(cell["quoted"], true, "Excel keeps it text when the cell is edited: {cell}");
    }
    assert_eq!(out[0]["value"], c.name.as_str(), "the value itself is not altered");
}

#[test]
fn masking_hides_phones_emails_and_wechat() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = huaxin();
    c.phone = Some("13812345678".into());
    let mut landline = customer(2, "个体户老王");
    landline.kind = CustomerKind::Person;
    landline.phone = Some("010-12345678".into());
    landline.email = Some("laowang@163.com".into());
    let columns = Column::parse_list("name,kind,phone,email,contact_phones,contact_wechat,contact_email").unwrap();
    let path = export(dir.path(), "masked.xlsx", &columns, &[], true, &[vec![c, landline]]);
    let r = first_sheet(&path);
    assert_eq!(text_at(&r, 1, "电话"), "138****5678");
    assert_eq!(text_at(&r, 1, "邮箱"), "i***@huaxin.com.cn");
    assert_eq!(text_at(&r, 1, "联系人电话"), "139****5678、138****5678；0512-****1234");
    assert_eq!(text_at(&r, 1, "微信"), "z***x；");
    assert_eq!(text_at(&r, 1, "联系人邮箱"), "l***@qq.com；");
    assert_eq!(text_at(&r, 2, "客户类型"), "个人");
    assert_eq!(text_at(&r, 2, "电话"), "010-****5678");
    assert_eq!(text_at(&r, 2, "邮箱"), "l***@163.com");
    assert_eq!(text_at(&r, 1, "客户名称"), "华信科技有限公司", "only contact details are masked");
}

#[test]
fn a_deleted_custom_field_is_exported_under_its_key() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = customer(1, "华信");
    c.custom.insert("cf_9".into(), json!(["甲", "乙"]));
    let columns = Column::parse_list("name,cf_9").unwrap();
    let path = export(dir.path(), "orphan.xlsx", &columns, &fields(), false, &[vec![c]]);
    let r = first_sheet(&path);
    assert_eq!(header(&r), vec!["客户名称", "cf_9"]);
    assert_eq!(text_at(&r, 1, "cf_9"), "甲、乙");
}

#[test]
fn an_empty_export_still_has_its_header_and_filter() {
    let dir = tempfile::tempdir().unwrap();
    let columns = Column::default_set();
    let path = export(dir.path(), "empty.xlsx", &columns, &[], false, &[]);
    assert_eq!(header(&first_sheet(&path)), DEFAULT_HEADERS.to_vec());
    let out = openpyxl(&path, "ws = wb.worksheets[0]\nout = [ws.freeze_panes, ws.auto_filter.ref]");
    assert_eq!(out, json!(["A2", "A1:Z1"]));
}

#[test]
fn writing_into_a_missing_folder_fails_before_any_row() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("no-such-folder").join("customers.xlsx");
    let sheet = CustomerSheet { columns: &Column::default_set(), fields: &[], zone: beijing(), mask: false };
    let err = CustomerWriter::create(&path, sheet).err().expect("the folder does not exist");
    assert_eq!(err.code(), ErrorCode::Io);
    let no_columns = CustomerSheet { columns: &[], fields: &[], zone: beijing(), mask: false };
    let err = CustomerWriter::create(&dir.path().join("x.xlsx"), no_columns).err().unwrap();
    assert_eq!(err.code(), ErrorCode::Validation);
    assert!(!dir.path().join("x.xlsx").exists());
}

#[test]
fn a_hundred_thousand_customers_in_pages() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.xlsx");
    let columns = Column::parse_list("number,name,phone,contact_name,created_at,revenue").unwrap();
    let sheet = CustomerSheet { columns: &columns, fields: &[], zone: beijing(), mask: false };
    let mut writer = CustomerWriter::create(&path, sheet).unwrap();
    let mut template = huaxin();
    template.contacts.truncate(1);
    for page in 0..200 {
        let customers: Vec<Customer> = (0..500)
            .map(|i| {
                let n = page * 500 + i + 1;
                let mut c = template.clone();
                c.id = n;
                c.number = Some(format!("2024-MFG-{n:06}"));
                c.name = format!("客户{n}");
                c.phone = Some(format!("139{n:08}"));
                c
            })
            .collect();
        writer.write(&customers, &HashMap::new()).unwrap();
    }
    assert_eq!(writer.finish().unwrap(), 100_000);
    let r = first_sheet(&path);
    assert_eq!(r.height(), 100_001);
    assert_eq!(text_at(&r, 100_000, "客户名称"), "客户100000");
    assert_eq!(text_at(&r, 100_000, "电话"), "13900100000");
    assert_eq!(text_at(&r, 1, "客户编号"), "2024-MFG-000001");
}

// ---------------------------------------------------------------- import template

fn industries(names: &[&str]) -> Vec<Industry> {
    names
        .iter()
        .enumerate()
        .map(|(i, name)| Industry { code: format!("I{i:02}"), name: name.to_string(), position: i as i64 })
        .collect()
}

const STAGES: [&str; 6] = ["线索", "需求确认", "方案提交", "合同谈判", "成交", "流失"];

#[test]
fn the_template_has_the_import_headers_and_a_valid_example() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("template.xlsx");
    let fields = fields();
    write_template(&path, &industries(&["制造业", "互联网", "零售业"]), &STAGES, &fields).unwrap();

    assert_eq!(book(&path).sheet_names(), vec!["客户信息", "填写说明"]);
    let r = sheet(&path, "客户信息");
    let headers = header(&r);
    let standard = [
        "客户名称（必填）",
        "客户类型",
        "所属行业",
        "联系人",
        "职位",
        "电话",
        "微信",
        "邮箱",
        "地区",
        "地址",
        "客户来源",
        "首次接触时间",
        "负责人",
        "客户等级",
        "客户阶段",
        "需求描述",
        "备注",
    ];
    assert_eq!(headers[..17], standard.map(String::from));
    assert_eq!(headers[17..], ["预计成交金额", "合同到期日", "客户所属渠道", "关注点", "门店数"].map(String::from));

    use Target::*;
    let want = [
        Name,
        Kind,
        Industry,
        ContactName,
        ContactTitle,
        Phone,
        Wechat,
        Email,
        Region,
        Address,
        Source,
        FirstContact,
        Owner,
        Grade,
        Stage,
        Needs,
        Notes,
    ];
    assert_eq!(suggest(&headers)[..17], want);

    assert_eq!(text_at(&r, 1, "客户名称（必填）"), "华信科技有限公司");
    assert_eq!(text_at(&r, 1, "电话"), "13912345678", "the example phone is text");
    assert_eq!(
        date_at(&r, 1, "首次接触时间"),
        NaiveDate::from_ymd_opt(2024, 3, 1).unwrap().and_hms_opt(0, 0, 0).unwrap()
    );
    assert_eq!(text_at(&r, 1, "所属行业"), "制造业");
    assert_eq!(text_at(&r, 1, "客户阶段"), "线索");
    assert_eq!(text_at(&r, 1, "客户所属渠道"), "代理商");
    assert_eq!(number_at(&r, 1, "预计成交金额"), 300_000.0);

    // The import reads the first visible sheet: the template, not the rules.
    let grid = read_sheet(&path, None).unwrap();
    assert_eq!(grid.rows[1][5], Cell::Text("13912345678".into()));

    let rules = sheet(&path, "填写说明");
    let text: String = rules.used_cells().map(|(_, _, d)| d.to_string()).collect::<Vec<_>>().join("\n");
    for must in ["必填", "文本", "2024-03-01", "下拉", "示例"] {
        assert!(text.contains(must), "the rules mention {must}: {text}");
    }
}

#[test]
fn the_template_has_drop_downs_and_text_phone_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("template.xlsx");
    write_template(&path, &industries(&["制造业", "互联网", "零售业"]), &STAGES, &fields()).unwrap();
    let out = openpyxl(
        &path,
        r#"
ws = wb["客户信息"]
heads = {c.value: c.column_letter for c in ws[1]}
out = {
    "validations": {str(dv.sqref): [dv.type, dv.formula1, dv.errorStyle] for dv in ws.data_validations.dataValidation},
    "heads": heads,
    "freeze": ws.freeze_panes,
    "phone_format": ws[heads["电话"] + "2"].number_format,
    "phone_type": ws[heads["电话"] + "2"].data_type,
    "date_format": ws[heads["首次接触时间"] + "2"].number_format,
    "name_note": ws["A1"].comment.text if ws["A1"].comment else None,
}
"#,
    );
    let col = |h: &str| out["heads"][h].as_str().unwrap().to_owned();
    let dv = |h: &str| out["validations"][format!("{0}2:{0}5001", col(h))].clone();
    assert_eq!(dv("客户类型"), json!(["list", "\"企业,个人\"", null]), "Stop is the default style");
    assert_eq!(dv("所属行业"), json!(["list", "\"制造业,互联网,零售业\"", null]));
    assert_eq!(dv("客户阶段"), json!(["list", "\"线索,需求确认,方案提交,合同谈判,成交,流失\"", "warning"]));
    assert_eq!(dv("客户所属渠道"), json!(["list", "\"代理商,直销\"", null]));
    assert_eq!(out["validations"].as_object().unwrap().len(), 4, "multiple choice has no drop-down: {out}");
    assert_eq!(out["freeze"], "A2");
    assert_eq!(out["phone_format"], "@");
    assert_eq!(out["phone_type"], "s");
    assert_eq!(out["date_format"], "yyyy-mm-dd");
    assert!(out["name_note"].as_str().unwrap().contains("必填"));
}

#[test]
fn long_lists_go_to_a_hidden_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("template.xlsx");
    let names: Vec<String> = (1..=40).map(|i| format!("第{i}类精密仪器制造业")).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let mut with_comma = fields();
    with_comma[2].options = vec!["代理商,华东".into(), "直销".into()];
    write_template(&path, &industries(&names), &STAGES, &with_comma).unwrap();
    let out = openpyxl(
        &path,
        r#"
ws = wb["客户信息"]
lists = wb["下拉选项"]
heads = {c.value: c.column_letter for c in ws[1]}
out = {
    "sheets": wb.sheetnames,
    "state": lists.sheet_state,
    "validations": {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation},
    "heads": heads,
    "industries": [c.value for c in lists["A"] if c.value is not None],
    "channels": [c.value for c in lists["B"] if c.value is not None],
}
"#,
    );
    assert_eq!(out["sheets"], json!(["客户信息", "填写说明", "下拉选项"]));
    assert_eq!(out["state"], "hidden");
    let col = |h: &str| out["heads"][h].as_str().unwrap().to_owned();
    let dv = |h: &str| out["validations"][format!("{0}2:{0}5001", col(h))].clone();
    assert_eq!(dv("所属行业"), "'下拉选项'!$A$2:$A$41");
    assert_eq!(dv("客户所属渠道"), "'下拉选项'!$B$2:$B$3");
    assert_eq!(out["industries"][0], "所属行业");
    assert_eq!(out["industries"][40], "第40类精密仪器制造业");
    assert_eq!(out["channels"], json!(["客户所属渠道", "代理商,华东", "直销"]));
    // Still the template that the import opens by default.
    assert_eq!(read_sheet(&path, None).unwrap().rows[0][0], Cell::Text("客户名称（必填）".into()));
}

#[test]
fn a_template_without_lists_has_no_empty_drop_downs() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("template.xlsx");
    write_template(&path, &[], &[], &[]).unwrap();
    let r = sheet(&path, "客户信息");
    assert_eq!(header(&r).len(), 17);
    assert_eq!(cell(&r, 1, column(&r, "所属行业")), Data::Empty);
    let out =
        openpyxl(&path, "ws = wb.worksheets[0]\nout = [str(dv.sqref) for dv in ws.data_validations.dataValidation]");
    assert_eq!(out, json!(["B2:B5001"]), "only 客户类型 keeps its list");
}

// ---------------------------------------------------------------- rejected rows

#[test]
fn rejected_rows_keep_the_original_cells_as_text_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rejected.xlsx");
    let headers: Vec<String> = ["客户名称", "电话", "首次接触时间"].map(String::from).to_vec();
    let rows = vec![
        (
            3,
            vec!["华信科技".to_string(), "13912345678".into(), "2024/13/01".into()],
            "首次接触时间：日期无效".to_string(),
        ),
        (7, vec!["=cmd|' /C calc'!A0".into(), "1391234567".into()], "电话：手机号码应为11位".into()),
        (9, vec!["".into(), "".into(), "".into(), "多出的一列".into()], "客户名称：必填".into()),
    ];
    write_rejected(&path, &headers, &rows).unwrap();

    let mut b = book(&path);
    assert_eq!(b.sheet_names(), vec!["导入失败的行"]);
    let r = b.worksheet_range("导入失败的行").unwrap();
    assert_eq!(header(&r), vec!["原行号", "客户名称", "电话", "首次接触时间", "", "失败原因"]);
    assert_eq!(cell(&r, 1, 0), Data::Float(3.0));
    assert_eq!(cell(&r, 2, 0), Data::Float(7.0));
    assert_eq!(cell(&r, 1, 2), Data::String("13912345678".into()), "phones stay text");
    assert_eq!(cell(&r, 1, 3), Data::String("2024/13/01".into()));
    assert_eq!(cell(&r, 2, 1), Data::String("=cmd|' /C calc'!A0".into()));
    assert_eq!(cell(&r, 3, 4), Data::String("多出的一列".into()));
    assert_eq!(cell(&r, 1, 5), Data::String("首次接触时间：日期无效".into()));
    assert_eq!(cell(&r, 3, 5), Data::String("客户名称：必填".into()));
    assert!(b.worksheet_formula("导入失败的行").unwrap().used_cells().all(|(_, _, f)| f.is_empty()));

    let out = openpyxl(
        &path,
        r#"
ws = wb.worksheets[0]
def rgb(c):
    color = c.font.color
    return color.rgb if color is not None and isinstance(color.rgb, str) else None
out = {
    "freeze": ws.freeze_panes,
    "bold": [c.font.b for c in ws[1]],
    "reason_colors": [rgb(ws.cell(row=r, column=6)) for r in (2, 3, 4)],
    "name_color": rgb(ws["B2"]),
    "phone": [ws["C2"].data_type, ws["C2"].number_format],
}
"#,
    );
    assert_eq!(out["freeze"], "A2");
    assert_eq!(out["bold"], json!([true, true, true, true, true, true]), "the blank header over the extra column too");
    assert_eq!(out["reason_colors"], json!(["FFC00000", "FFC00000", "FFC00000"]));
    assert_ne!(out["name_color"], "FFC00000");
    assert_eq!(out["phone"], json!(["s", "@"]));

    // The user fixes the file and imports it again: the original columns are where they were.
    let grid = read_sheet(&path, None).unwrap();
    assert_eq!(grid.rows[0][1], Cell::Text("客户名称".into()));
    assert_eq!(grid.rows[1][2], Cell::Text("13912345678".into()));
}
