//! The Excel import end to end through the core: real files written by openpyxl, LibreOffice
//! and rust_xlsxwriter; every rule of the issue; nothing half-written.

mod common;

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Mutex;

use common::{add, contact, input, ledger, total};
use rust_xlsxwriter::Workbook;
use yiben::custom_fields::{CustomFieldInput, CustomFieldKind};
use yiben::customers::{CustomerInput, ListQuery};
use yiben::import::job::{DuplicatePolicy, ImportProgress, ImportReport, ImportRequest};
use yiben::import::Target;
use yiben::{Crm, Error, ErrorCode};

fn fixture(name: &str) -> PathBuf {
    common::package_dir().join("tests/fixtures/import").join(name)
}

fn request(path: &Path, policy: DuplicatePolicy) -> ImportRequest {
    ImportRequest { path: path.to_string_lossy().into_owned(), on_duplicate: policy, ..Default::default() }
}

async fn run(crm: &Crm, req: &ImportRequest) -> yiben::Result<ImportReport> {
    crm.import(req, false, &AtomicBool::new(false), &|_| {}).await
}

/// A workbook as a sales assistant would type it, written by rust_xlsxwriter.
fn sheet(dir: &Path, name: &str, rows: &[&[&str]]) -> PathBuf {
    let path = dir.join(name);
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, value) in row.iter().enumerate() {
            if !value.is_empty() {
                ws.write_string(r as u32, c as u16, *value).unwrap();
            }
        }
    }
    wb.save(&path).unwrap();
    path
}

async fn names(crm: &Crm) -> Vec<String> {
    let mut all: Vec<String> = crm.list_customers(&ListQuery::first(500)).await.unwrap().items.into_iter().map(|c| c.name).collect();
    all.sort();
    all
}

#[tokio::test]
async fn a_real_office_sheet_with_a_title_blank_rows_numbers_and_combined_cells() {
    let l = ledger().await;
    let report = run(&l.crm, &request(&fixture("customers_title_merged.xlsx"), DuplicatePolicy::Merge)).await.unwrap();
    assert_eq!((report.imported, report.merged, report.skipped, report.rejected, report.blank), (8, 0, 0, 2, 1));
    let rejected: Vec<(u32, &str, &str)> = report.errors.iter().map(|e| (e.row, e.column.as_str(), e.reason.as_str())).collect();
    assert_eq!(
        rejected,
        [
            (8, "首次接触时间", "date_invalid"),
            (8, "联系方式（电话/微信）", "phone_invalid"),
            (13, "联系方式（电话/微信）", "phone_invalid"),
        ]
    );
    let page = l.crm.list_customers(&ListQuery { search: Some("华信".into()), ..ListQuery::first(5) }).await.unwrap();
    let huaxin = l.crm.customer(page.items[0].id).await.unwrap();
    assert_eq!(huaxin.number.as_deref(), Some("2024-MFG-001"));
    assert_eq!(huaxin.contacts[0].name, "张总");
    assert_eq!(huaxin.contacts[0].phones, ["13912345678"], "a phone stored as a number keeps every digit");
    assert_eq!(huaxin.contacts[0].email.as_deref(), Some("zhang@huaxin.cn"));
    assert_eq!(huaxin.first_contact.as_deref(), Some("2024-03-01"));
    assert_eq!(huaxin.industry.as_deref(), Some("制造业"));

    let yunqi = l.crm.list_customers(&ListQuery { search: Some("云启".into()), ..ListQuery::first(5) }).await.unwrap();
    let yunqi = l.crm.customer(yunqi.items[0].id).await.unwrap();
    assert_eq!(yunqi.contacts[0].phones, ["13812345678"]);
    assert_eq!(yunqi.contacts[0].wechat.as_deref(), Some("lixxx"), "13812345678/lixxx is split");
    assert_eq!(yunqi.first_contact.as_deref(), Some("2024-03-01"), "2024年3月1日");

    let hengchang = l.crm.list_customers(&ListQuery { search: Some("恒昌".into()), ..ListQuery::first(5) }).await.unwrap();
    let hengchang = l.crm.customer(hengchang.items[0].id).await.unwrap();
    assert_eq!(hengchang.contacts[0].phones, ["13912345679"]);
    assert_eq!(hengchang.contacts[0].wechat.as_deref(), Some("zhaoliu"));
    assert_eq!(hengchang.first_contact.as_deref(), Some("2024-03-15"));

    // 服务业 is not in the list: kept in the notes with a warning, the row still imported.
    let dexin = l.crm.list_customers(&ListQuery { search: Some("德信".into()), ..ListQuery::first(5) }).await.unwrap();
    let dexin = l.crm.customer(dexin.items[0].id).await.unwrap();
    assert_eq!(dexin.industry, None);
    assert!(dexin.notes.as_deref().unwrap().contains("所属行业：服务业"), "{:?}", dexin.notes);
    assert!(report.warnings.iter().any(|w| w.row == 9 && w.reason == "unknown_industry"));
    // 金融 is 金融业.
    let jinshi = l.crm.list_customers(&ListQuery { search: Some("金石".into()), ..ListQuery::first(5) }).await.unwrap();
    assert_eq!(jinshi.items[0].industry.as_deref(), Some("金融业"));
    // The expected amount has no field of its own yet: it is in the notes, not lost.
    assert!(huaxin.notes.as_deref().unwrap_or_default().contains("预计成交金额：300000"), "{:?}", huaxin.notes);
}

#[tokio::test]
async fn an_amount_column_fills_a_money_custom_field_of_that_name() {
    let l = ledger().await;
    let field = l
        .crm
        .create_custom_field(&CustomFieldInput { label: "预计成交金额".into(), kind: CustomFieldKind::Money, options: vec![], in_list: true })
        .await
        .unwrap();
    let preview = l
        .crm
        .import_preview(&request(&fixture("customers_title_merged.xlsx"), DuplicatePolicy::Merge), 5)
        .await
        .unwrap();
    let col = preview.headers.iter().position(|h| h == "预计成交金额").unwrap();
    assert_eq!(preview.mapping[col], Target::Custom("预计成交金额".into()), "the custom field wins over the alias");
    run(&l.crm, &request(&fixture("customers_title_merged.xlsx"), DuplicatePolicy::Merge)).await.unwrap();
    let mut values: Vec<i64> = l
        .crm
        .list_customers(&ListQuery { sort: yiben::customers::CustomerSort { field: yiben::customers::SortField::Number, desc: false }, ..ListQuery::first(20) })
        .await
        .unwrap()
        .items
        .into_iter()
        .filter_map(|c| c.custom.get(&field.key).and_then(|v| v.as_i64()))
        .collect();
    values.sort();
    // 300000 (a number cell), 30万, ￥1,200,000.00, 1.5亿, 50000, 8千元, 30万元 — in fen.
    let mut expected = vec![30_000_000, 30_000_000, 120_000_000, 15_000_000_000i64, 5_000_000, 800_000, 30_000_000];
    expected.sort();
    assert_eq!(values, expected);
}

#[tokio::test]
async fn every_format_reads_the_same_customers() {
    for name in ["customers_gbk.csv", "customers_utf8_bom.csv", "customers_tab.txt", "customers_utf16.txt", "customers.ods", "customers.xls"] {
        let l = ledger().await;
        let report = run(&l.crm, &request(&fixture(name), DuplicatePolicy::Merge)).await.unwrap();
        assert!(report.imported >= 3, "{name}: {report:?}");
        let all = names(&l.crm).await;
        assert!(all.contains(&"华信科技有限公司".to_owned()), "{name}: {all:?}");
        assert!(all.iter().any(|n| n.starts_with("恒昌零售")), "{name}: {all:?}");
        let page = l.crm.list_customers(&ListQuery { search: Some("华信".into()), ..ListQuery::first(1) }).await.unwrap();
        let huaxin = l.crm.customer(page.items[0].id).await.unwrap();
        assert_eq!(huaxin.contacts[0].phones, ["13912345678"], "{name}");
    }
}

#[tokio::test]
async fn the_seed_example_eight_imported_two_duplicates_merged() {
    let l = ledger().await;
    add(&l.crm, &CustomerInput { contacts: vec![contact("老客户", &["13900000001"])], ..input("老客户公司", None, None) }).await;
    let dir = tempfile::tempdir().unwrap();
    let mut rows: Vec<Vec<String>> = vec![vec!["客户姓名".into(), "公司".into(), "电话".into(), "行业".into(), "合作年限".into()]];
    for i in 0..8 {
        rows.push(vec![format!("联系人{i}"), format!("新客户{i}有限公司"), format!("1380000{i:04}"), "制造业".into(), "2".into()]);
    }
    // One duplicates a ledger customer by phone, one an earlier row of the file by name.
    rows.push(vec!["老客户".into(), "老客户公司".into(), "139 0000 0001".into(), "".into(), "5".into()]);
    rows.push(vec!["别名".into(), "新客户3有限公司".into(), "".into(), "".into(), "1".into()]);
    let rows_ref: Vec<Vec<&str>> = rows.iter().map(|r| r.iter().map(String::as_str).collect()).collect();
    let rows_ref: Vec<&[&str]> = rows_ref.iter().map(|r| r.as_slice()).collect();
    let file = sheet(dir.path(), "客户.xlsx", &rows_ref);

    let dry = l.crm.import(&request(&file, DuplicatePolicy::Merge), true, &AtomicBool::new(false), &|_| {}).await.unwrap();
    assert_eq!((dry.imported, dry.merged), (8, 2));
    assert_eq!(total(&l.crm).await, 1, "a dry run writes nothing");

    let report = run(&l.crm, &request(&file, DuplicatePolicy::Merge)).await.unwrap();
    assert_eq!((report.imported, report.merged, report.skipped, report.rejected), (8, 2, 0, 0));
    assert_eq!(total(&l.crm).await, 9);
    let page = l.crm.list_customers(&ListQuery { search: Some("新客户3".into()), ..ListQuery::first(5) }).await.unwrap();
    let merged = l.crm.customer(page.items[0].id).await.unwrap();
    let contacts: Vec<&str> = merged.contacts.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(contacts, ["联系人3", "别名"], "the duplicate row's contact is united");
}

#[tokio::test]
async fn skip_and_create_policies() {
    let dir = tempfile::tempdir().unwrap();
    let file = sheet(dir.path(), "dup.xlsx", &[&["客户名称", "电话"], &["甲公司", "13900000001"], &["甲公司", "13900000002"]]);
    let l = ledger().await;
    let skipped = run(&l.crm, &request(&file, DuplicatePolicy::Skip)).await.unwrap();
    assert_eq!((skipped.imported, skipped.skipped, skipped.merged), (1, 1, 0));
    let again = run(&l.crm, &request(&file, DuplicatePolicy::Skip)).await.unwrap();
    assert_eq!((again.imported, again.skipped), (0, 2), "both rows now duplicate the ledger");
    let created = run(&l.crm, &request(&file, DuplicatePolicy::Create)).await.unwrap();
    assert_eq!((created.imported, created.skipped, created.merged), (2, 0, 0));
    assert_eq!(total(&l.crm).await, 3);
}

#[tokio::test]
async fn undo_removes_what_was_created_and_restores_merged_records_exactly() {
    let l = ledger().await;
    let existing = add(
        &l.crm,
        &CustomerInput { owner: Some("王经理".into()), contacts: vec![contact("李总", &["13900000001"])], ..input("老客户公司", None, None) },
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let file = sheet(
        dir.path(),
        "undo.xlsx",
        &[&["客户名称", "联系人", "电话", "地区"], &["老客户公司", "赵工", "13700001111", "深圳"], &["全新客户", "钱总", "13600001111", "北京"]],
    );
    l.clock.advance(chrono::Duration::hours(1));
    let report = run(&l.crm, &request(&file, DuplicatePolicy::Merge)).await.unwrap();
    assert_eq!((report.imported, report.merged), (1, 1));
    let after = l.crm.customer(existing.id).await.unwrap();
    assert_eq!(after.region.as_deref(), Some("深圳"));
    assert_eq!(after.contacts.len(), 2);

    let record = l.crm.undo_import(None).await.unwrap();
    assert_eq!(record.id, report.import_id.unwrap());
    assert!(record.undone_at.is_some());
    let restored = l.crm.customer(existing.id).await.unwrap();
    assert_eq!(restored.region, None);
    assert_eq!(restored.contacts, existing.contacts, "the united contact is gone, the old one keeps its id");
    assert_eq!(restored.updated_at, existing.updated_at);
    assert_eq!(names(&l.crm).await, ["老客户公司"]);
    let err = l.crm.undo_import(report.import_id).await.unwrap_err();
    assert_eq!(err.fields().get("id").map(String::as_str), Some("already_undone"));
    let history = l.crm.imports().await.unwrap();
    assert_eq!(history.len(), 1);
}

#[tokio::test]
async fn a_cancelled_import_leaves_nothing() {
    let l = ledger().await;
    let dir = tempfile::tempdir().unwrap();
    let rows: Vec<Vec<String>> = std::iter::once(vec!["客户名称".to_owned(), "电话".to_owned()])
        .chain((0..12_000).map(|i| vec![format!("批量客户{i}"), format!("138{i:08}")]))
        .collect();
    let rows_ref: Vec<Vec<&str>> = rows.iter().map(|r| r.iter().map(String::as_str).collect()).collect();
    let rows_ref: Vec<&[&str]> = rows_ref.iter().map(|r| r.as_slice()).collect();
    let file = sheet(dir.path(), "big.xlsx", &rows_ref);
    let cancel = AtomicBool::new(false);
    let seen = Mutex::new(Vec::<ImportProgress>::new());
    let err = l
        .crm
        .import(&request(&file, DuplicatePolicy::Merge), false, &cancel, &|p| {
            seen.lock().unwrap().push(p.clone());
            // The user presses 取消 after the first batch.
            cancel.store(true, std::sync::atomic::Ordering::Relaxed);
        })
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Cancelled));
    assert_eq!(seen.lock().unwrap()[0].total, 12_000);
    assert!(seen.lock().unwrap()[0].done > 0);
    assert_eq!(total(&l.crm).await, 0);
    assert!(l.crm.imports().await.unwrap().is_empty());

    let report = run(&l.crm, &request(&file, DuplicatePolicy::Merge)).await.unwrap();
    assert_eq!(report.imported, 12_000);
    assert_eq!(total(&l.crm).await, 12_000);
}

#[tokio::test]
async fn unreadable_files_are_refused_with_a_code_and_change_nothing() {
    let l = ledger().await;
    add(&l.crm, &input("已有客户", None, None)).await;
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("报价单.pdf");
    std::fs::write(&pdf, b"%PDF-1.4").unwrap();
    let no_header = sheet(dir.path(), "no-header.xlsx", &[&["甲", "乙"], &["1", "2"]]);
    let cases = [
        (fixture("empty.csv"), "import_empty"),
        (fixture("not_a_spreadsheet.xlsx"), "import_unreadable"),
        (fixture("truncated.xlsx"), "import_unreadable"),
        (fixture("password_protected.xlsx"), "import_password_protected"),
        (pdf, "import_unsupported_format"),
        (dir.path().join("不存在.xlsx"), "import_io"),
    ];
    for (path, code) in cases {
        let err = run(&l.crm, &request(&path, DuplicatePolicy::Merge)).await.unwrap_err();
        assert_eq!(err.code(), ErrorCode::Import, "{path:?}: {err:?}");
        assert_eq!(err.fields().get("file").map(String::as_str), Some(code), "{path:?}");
        assert_eq!(serde_json::to_value(&err).unwrap()["fields"]["file"], code);
    }
    // A sheet whose headers mean nothing: the mapping step says no column is the name.
    let err = run(&l.crm, &request(&no_header, DuplicatePolicy::Merge)).await.unwrap_err();
    assert_eq!(err.fields().get("mapping").map(String::as_str), Some("name_unmapped"));
    assert_eq!(names(&l.crm).await, ["已有客户"]);
    assert!(l.crm.imports().await.unwrap().is_empty());
}

#[tokio::test]
async fn preview_marks_every_bad_cell_and_duplicate_before_anything_is_written() {
    let l = ledger().await;
    add(&l.crm, &CustomerInput { number: Some("2024-MFG-001".into()), ..input("华信科技有限公司", None, None) }).await;
    let preview = l.crm.import_preview(&request(&fixture("customers_title_merged.xlsx"), DuplicatePolicy::Merge), 200).await.unwrap();
    assert_eq!(preview.sheets, ["客户信息", "说明"]);
    assert_eq!(preview.header_row, 3);
    assert_eq!(preview.headers[1], "客户名称");
    assert_eq!(preview.mapping[..4], [Target::Number, Target::Name, Target::ContactName, Target::Phone]);
    assert_eq!((preview.total_rows, preview.invalid_rows, preview.duplicate_rows), (10, 2, 1));
    let first = &preview.rows[0];
    assert_eq!(first.row, 4);
    assert_eq!(first.cells[3], "13912345678", "a number cell shows as its digits");
    assert_eq!(first.duplicate_of.as_deref(), Some("华信科技有限公司"));
    let bad = preview.rows.iter().find(|r| r.row == 13).unwrap();
    assert_eq!(bad.issues.len(), 1);
    assert_eq!((bad.issues[0].column, bad.issues[0].code.as_str()), (3, "phone_invalid"));
    assert_eq!(total(&l.crm).await, 1);

    // An explicit header row and a mapping without a name are refused clearly.
    let wrong = ImportRequest { mapping: Some(vec![Target::Ignore; 9]), ..request(&fixture("customers_title_merged.xlsx"), DuplicatePolicy::Merge) };
    let err = l.crm.import_preview(&wrong, 5).await.unwrap_err();
    assert_eq!(err.fields().get("mapping").map(String::as_str), Some("name_unmapped"));
    let header_given = ImportRequest { header_row: Some(3), ..request(&fixture("customers_title_merged.xlsx"), DuplicatePolicy::Merge) };
    assert_eq!(l.crm.import_preview(&header_given, 1).await.unwrap().headers[1], "客户名称");
}

#[tokio::test]
async fn mapping_templates_are_saved_by_header_and_reused() {
    let l = ledger().await;
    let dir = tempfile::tempdir().unwrap();
    let file = sheet(dir.path(), "odd.xlsx", &[&["甲方单位", "对接人手机"], &["华信科技", "13912345678"]]);
    let err = l.crm.import_preview(&request(&file, DuplicatePolicy::Merge), 5).await.unwrap_err();
    assert!(matches!(err, Error::Import(_) | Error::Validation(_)), "{err:?}");
    let headers = vec!["甲方单位".to_owned(), "对接人手机".to_owned()];
    l.crm.save_mapping_template("甲方格式", &headers, &[Target::Name, Target::Phone]).await.unwrap();
    let req = ImportRequest { header_row: Some(1), template: Some("甲方格式".into()), ..request(&file, DuplicatePolicy::Merge) };
    let report = run(&l.crm, &req).await.unwrap();
    assert_eq!(report.imported, 1);
    let c = l.crm.list_customers(&ListQuery::first(1)).await.unwrap().items.remove(0);
    assert_eq!((c.name.as_str(), c.phone.as_deref()), ("华信科技", Some("13912345678")));
    assert_eq!(l.crm.mapping_templates().await.unwrap()[0].name, "甲方格式");
}

#[tokio::test]
async fn export_then_import_into_an_empty_ledger_reproduces_the_customers() {
    let l = ledger().await;
    run(&l.crm, &request(&fixture("customers_title_merged.xlsx"), DuplicatePolicy::Merge)).await.unwrap();
    add(&l.crm, &CustomerInput { email: Some("boss@zhang.cn".into()), ..input("张三", Some("010-12345678"), None) }).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("导出.xlsx");
    let rows = l.crm.export_customers(&ListQuery::first(100), &yiben::export::Column::default_set(), false, &file).await.unwrap();
    assert_eq!(rows, 9);

    let fresh = Crm::open(dir.path().join("fresh.db")).await.unwrap();
    let report = run(&fresh, &request(&file, DuplicatePolicy::Merge)).await.unwrap();
    assert_eq!((report.imported, report.rejected, report.merged), (9, 0, 0), "{report:?}");
    let key = |c: &yiben::customers::Customer| {
        (c.number.clone(), c.name.clone(), c.industry.clone(), c.first_contact.clone(), c.owner.clone(), c.phone.clone(),
         c.contacts.iter().map(|k| (k.name.clone(), k.phones.clone(), k.wechat.clone())).collect::<Vec<_>>())
    };
    let mut before = Vec::new();
    for row in l.crm.list_customers(&ListQuery::first(100)).await.unwrap().items {
        before.push(key(&l.crm.customer(row.id).await.unwrap()));
    }
    let mut after = Vec::new();
    for row in fresh.list_customers(&ListQuery::first(100)).await.unwrap().items {
        after.push(key(&fresh.customer(row.id).await.unwrap()));
    }
    before.sort();
    after.sort();
    assert_eq!(after, before);
}

#[tokio::test]
async fn the_template_imports_as_is_and_rejected_rows_are_written_with_reasons() {
    let l = ledger().await;
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("模板.xlsx");
    l.crm.write_import_template(&template).await.unwrap();
    let preview = l.crm.import_preview(&request(&template, DuplicatePolicy::Merge), 5).await.unwrap();
    assert_eq!(preview.mapping[0], Target::Name, "{:?}", preview.headers);
    let report = run(&l.crm, &request(&template, DuplicatePolicy::Merge)).await.unwrap();
    assert_eq!((report.imported, report.rejected), (1, 0), "the example row imports: {report:?}");

    let rejected = dir.path().join("失败.xlsx");
    let count = l.crm.write_import_rejected(&request(&fixture("customers_title_merged.xlsx"), DuplicatePolicy::Merge), &rejected).await.unwrap();
    assert_eq!(count, 2);
    let grid = yiben::import::read_sheet(&rejected, None).unwrap();
    let text = |c: &yiben::import::Cell| yiben::import::parse::clean_text(c).unwrap_or_default();
    let header: Vec<String> = grid.rows[0].iter().map(text).collect();
    assert_eq!(header.first().map(String::as_str), Some("原行号"));
    assert_eq!(header.last().map(String::as_str), Some("失败原因"));
    let first: Vec<String> = grid.rows[1].iter().map(text).collect();
    assert_eq!(first[0], "8");
    assert!(first.last().unwrap().contains("首次接触时间：不是有效的日期"), "{first:?}");
    // The fixed sheet re-imports: its phone column is text, every digit kept.
    assert!(first.contains(&"1391234567".to_owned()));
}
