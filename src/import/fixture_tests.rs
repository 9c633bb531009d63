//! The whole reading pipeline on real files: tests/fixtures/import, written by
//! make_fixtures.py (openpyxl, with LibreOffice for the .xls and .ods copies).

use std::path::PathBuf;

use chrono::NaiveDate;

use super::mapping::Target::{self, *};
use super::parse::{amount_fen, clean_text, date, phone_text, split_combined};
use super::*;
use crate::domain::Mobile;

fn fixture(name: &str) -> PathBuf {
    // Read at run time: a build directory shared by clones at other paths keeps the
    // compile-time value of whichever clone built this binary.
    PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo test")).join("tests/fixtures/import").join(name)
}

fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

const COLUMNS: [Target; 9] = [Number, Name, ContactName, Phone, Email, Industry, FirstContact, Owner, ExpectedAmount];
const WORKBOOKS: [&str; 3] = ["customers_title_merged.xlsx", "customers.xls", "customers.ods"];
// Column indexes in every fixture.
const PHONE: usize = 3;
const FIRST_CONTACT: usize = 6;
const OWNER: usize = 7;
const AMOUNT: usize = 8;

#[test]
fn workbooks_find_the_header_under_the_title_and_map_every_column() {
    for name in WORKBOOKS {
        let path = fixture(name);
        assert_eq!(sheet_names(&path).unwrap(), vec!["客户信息", "说明"], "{name}");
        let grid = read_sheet(&path, None).unwrap();
        assert_eq!(grid.first_row, 0, "{name}");
        assert_eq!(clean_text(&grid.rows[0][0]).as_deref(), Some("2024年客户信息表"), "{name}");
        let header = detect_header(&grid.rows).unwrap();
        assert_eq!(header as u32 + grid.first_row + 1, 3, "{name}: the header is Excel row 3");
        assert_eq!(suggest(&header_names(&grid.rows[header])), COLUMNS, "{name}");
    }
}

#[test]
fn workbook_values_come_back_as_the_user_typed_them() {
    for name in WORKBOOKS {
        let rows = read_sheet(&fixture(name), None).unwrap().rows;
        let phones: Vec<Option<String>> = [3, 8, 11, 13].iter().map(|&r| phone_text(&rows[r][PHONE])).collect();
        let want = ["13912345678", "13712345678", "15012345678", "18612345678"].map(|p| Some(p.to_owned()));
        assert_eq!(phones, want, "{name}: phones stored as number cells");

        let dates: Vec<_> = [3, 4, 5, 8, 9, 10, 11, 12, 13].iter().map(|&r| date(&rows[r][FIRST_CONTACT])).collect();
        let want = [
            ymd(2024, 3, 1),  // a date cell
            ymd(2024, 3, 1),  // 2024年3月1日
            ymd(2024, 3, 15), // 2024/3/15
            ymd(2024, 4, 10), // a date cell
            ymd(2024, 4, 20), // 20240420
            ymd(2024, 5, 6),  // 2024.5.6
            ymd(2024, 5, 20), // a date-time cell
            None,             // blank
            ymd(2024, 6, 1),  // 2024-06-01 10:30
        ]
        .map(Ok);
        assert_eq!(dates, want, "{name}");

        let amounts: Vec<_> = [3, 4, 5, 8, 9, 10, 11, 12, 13].iter().map(|&r| amount_fen(&rows[r][AMOUNT])).collect();
        let want = [
            Some(30_000_000),     // 300000 as a number
            Some(30_000_000),     // 30万
            Some(120_000_000),    // ￥1,200,000.00
            Some(15_000_000_000), // 1.5亿
            Some(5_000_000),      // 50000 as a number
            Some(800_000),        // 8千元
            None,
            Some(300_000),    // 3,000
            Some(30_000_000), // 30万元
        ]
        .map(Ok);
        assert_eq!(amounts, want, "{name}");
        assert!(rows[6].iter().all(Cell::is_empty), "{name}: the blank row in the data stays in place");
    }
}

#[test]
fn a_merged_owner_cell_fills_both_rows_where_the_format_records_merges() {
    for name in ["customers_title_merged.xlsx", "customers.xls"] {
        let rows = read_sheet(&fixture(name), None).unwrap().rows;
        assert!(rows[0].iter().all(|c| c == &Cell::Text("2024年客户信息表".into())), "{name}");
        assert_eq!(clean_text(&rows[10][OWNER]).as_deref(), Some("陈销售"), "{name}");
        assert_eq!(clean_text(&rows[11][OWNER]).as_deref(), Some("陈销售"), "{name}");
    }
    // calamine does not report ODS merges: the covered cell reads empty.
    let ods = read_sheet(&fixture("customers.ods"), None).unwrap().rows;
    assert_eq!(ods[11][OWNER], Cell::Empty);
}

#[test]
fn invalid_cells_are_reported_at_the_row_excel_shows() {
    for name in WORKBOOKS {
        let grid = read_sheet(&fixture(name), None).unwrap();
        let row = &grid.rows[7];
        assert_eq!(7 + grid.first_row + 1, 8, "{name}");
        assert_eq!(clean_text(&row[0]).as_deref(), Some("2024-MFG-004"), "{name}");
        assert_eq!(Mobile::parse(&phone_text(&row[PHONE]).unwrap()), Err("phone_invalid"), "{name}");
        assert_eq!(date(&row[FIRST_CONTACT]), Err("date_invalid"), "{name}");
        assert_eq!(amount_fen(&row[AMOUNT]), Err("amount_invalid"), "{name}");
    }
}

#[test]
fn combined_contact_cells_split_into_phone_and_wechat() {
    let rows = read_sheet(&fixture("customers_title_merged.xlsx"), None).unwrap().rows;
    let split = |r: usize| split_combined(&clean_text(&rows[r][PHONE]).unwrap());
    assert_eq!(split(4), (Some("13812345678".into()), Some("lixxx".into())));
    assert_eq!(split(5), (Some("13912345679".into()), Some("zhaoliu".into())));
    assert_eq!(split(9), (Some("13612345678".into()), Some("微信同号".into())));
    assert_eq!(split(10), (Some("13512345678".into()), None));
    assert_eq!(split(12), (None, Some("lixxx2".into())));
}

#[test]
fn hidden_sheets_are_not_offered_but_can_be_read_by_name() {
    let path = fixture("customers_title_merged.xlsx");
    let options = read_sheet(&path, Some("选项")).unwrap().rows;
    assert_eq!(options, vec![vec![Cell::Text("企业".into())], vec![Cell::Text("个人".into())]]);
    assert_eq!(read_sheet(&path, Some("说明")).unwrap().rows[0][0], Cell::Text("填写说明".into()));
    assert!(matches!(read_sheet(&path, Some("Sheet1")), Err(ImportError::SheetNotFound(s)) if s == "Sheet1"));
}

#[test]
fn gbk_and_utf8_csv_read_the_same_chinese() {
    let gbk_bytes = std::fs::read(fixture("customers_gbk.csv")).unwrap();
    assert_eq!(decode_text(&gbk_bytes).unwrap().1, TextEncoding::Gb18030);
    let bom_bytes = std::fs::read(fixture("customers_utf8_bom.csv")).unwrap();
    assert_eq!(decode_text(&bom_bytes).unwrap().1, TextEncoding::Utf8Bom);

    let gbk = read_sheet(&fixture("customers_gbk.csv"), None).unwrap();
    let utf8 = read_sheet(&fixture("customers_utf8_bom.csv"), None).unwrap();
    assert_eq!(gbk, utf8);
    let rows = gbk.rows;
    assert_eq!(detect_header(&rows), Some(1));
    assert_eq!(suggest(&header_names(&rows[1])), COLUMNS);
    assert_eq!(rows[2][1], Cell::Text("华信科技有限公司".into()));
    assert_eq!(rows[4][1], Cell::Text("恒昌零售,连锁".into()), "a quoted comma");
    assert_eq!(rows[6][AMOUNT], Cell::Text("备注:\"面议\"".into()), "doubled quotes");
    assert_eq!(phone_text(&rows[2][PHONE]).as_deref(), Some("13912345678"));
    assert_eq!(date(&rows[2][FIRST_CONTACT]), Ok(ymd(2024, 3, 1)));
    assert!(rows[5].iter().all(Cell::is_empty));
}

#[test]
fn tab_separated_text_in_utf8_and_excel_unicode_text() {
    let utf8 = read_sheet(&fixture("customers_tab.txt"), None).unwrap();
    let utf16 = read_sheet(&fixture("customers_utf16.txt"), None).unwrap();
    assert_eq!(utf8, utf16);
    assert_eq!(detect_header(&utf8.rows), Some(0));
    assert_eq!(suggest(&header_names(&utf8.rows[0])), COLUMNS);
    assert!(utf8.rows.iter().all(|row| row.len() == 9));
    assert_eq!(utf8.rows[3][1], Cell::Text("恒昌零售,连锁".into()), "commas are data in a tab file");
    assert_eq!(amount_fen(&utf8.rows[2][AMOUNT]), Ok(Some(30_000_000)));
}

#[test]
fn broken_files_are_errors_with_codes_never_panics() {
    let cases = [
        ("not_a_spreadsheet.xlsx", "import_unreadable"),
        ("truncated.xlsx", "import_unreadable"),
        ("password_protected.xlsx", "import_password_protected"),
        ("empty.csv", "import_empty"),
    ];
    for (name, code) in cases {
        assert_eq!(read_sheet(&fixture(name), None).unwrap_err().code(), code, "{name}");
        assert_eq!(sheet_names(&fixture(name)).unwrap_err().code(), code, "{name}");
    }
}
