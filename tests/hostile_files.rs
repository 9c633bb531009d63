//! Files that are not what their name says, through the core and through `yiben import`:
//! each is refused with a coded error the UI translates, nothing panics, and the ledger is
//! left exactly as it was, row for row.

mod common;

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use common::cli::yiben;
use common::{add, contact, input, ledger};
use serde_json::Value;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{AssertSqlSafe, ConnectOptions, Connection, Row};
use yiben::import::job::{DuplicatePolicy, ImportRequest};
use yiben::{Crm, Error, ErrorCode};

fn fixture(dir: &str, name: &str) -> PathBuf {
    common::package_dir().join("tests/fixtures").join(dir).join(name)
}

/// Deterministic noise: the same "garbage" on every run, so a failure can be replayed.
fn noise(seed: u64, len: usize) -> Vec<u8> {
    let mut state = seed;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect()
}

fn good_xlsx() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["客户名称", "联系人", "电话", "邮箱"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for r in 1..200u32 {
        sheet.write_string(r, 0, format!("恶意测试客户{r}")).unwrap();
        sheet.write_string(r, 1, format!("联系人{r}")).unwrap();
        sheet.write_number(r, 2, 13_700_000_000.0 + r as f64).unwrap();
        sheet.write_string(r, 3, format!("c{r}@example.com")).unwrap();
    }
    book.save_to_buffer().unwrap()
}

/// Every hostile file (name, bytes) with the code the import must answer.
fn hostile_files() -> Vec<(String, Vec<u8>, &'static str)> {
    let xlsx = good_xlsx();
    let read = |dir: &str, name: &str| std::fs::read(fixture(dir, name)).unwrap();
    let mut utf16_odd = vec![0xFF, 0xFE];
    utf16_odd.extend("客户名称\t电话\r\n".encode_utf16().flat_map(u16::to_le_bytes));
    utf16_odd.push(b'x');
    let mut files = vec![
        ("empty.xlsx".to_owned(), Vec::new(), "import_empty"),
        ("empty.csv".to_owned(), Vec::new(), "import_empty"),
        ("blank.csv".to_owned(), b" \r\n\t\r\n".to_vec(), "import_empty"),
        ("half.xlsx".to_owned(), xlsx[..xlsx.len() / 2].to_vec(), "import_unreadable"),
        ("tenth.xlsx".to_owned(), xlsx[..xlsx.len() / 10].to_vec(), "import_unreadable"),
        ("no_directory_end.xlsx".to_owned(), xlsx[..xlsx.len() - 1].to_vec(), "import_unreadable"),
        ("zip_header_only.xlsx".to_owned(), xlsx[..4].to_vec(), "import_unreadable"),
        ("msoffcrypto.xlsx".to_owned(), read("import", "password_protected.xlsx"), "import_password_protected"),
        ("libreoffice_encrypted.xlsx".to_owned(), read("hostile", "password_libreoffice.xlsx"), "import_password_protected"),
        // An encrypted workbook renamed .xls is still an encrypted workbook.
        ("encrypted_renamed.xls".to_owned(), read("hostile", "password_libreoffice.xlsx"), "import_password_protected"),
        ("picture.xlsx".to_owned(), read("hostile", "png_renamed.xlsx"), "import_unreadable"),
        ("document.xlsx".to_owned(), read("hostile", "pdf_renamed.xlsx"), "import_unreadable"),
        ("document.csv".to_owned(), read("hostile", "pdf_renamed.xlsx"), "import_unreadable"),
        ("picture.ods".to_owned(), read("hostile", "png_renamed.xlsx"), "import_unreadable"),
        ("odd_length_utf16.txt".to_owned(), utf16_odd, "import_unknown_encoding"),
        ("web_page.xls".to_owned(), b"<!DOCTYPE html><html><body>403</body></html>".to_vec(), "import_unsupported_format"),
        ("customers.pdf".to_owned(), read("hostile", "pdf_renamed.xlsx"), "import_unsupported_format"),
        ("customers.exe".to_owned(), b"MZ\x90\x00".to_vec(), "import_unsupported_format"),
    ];
    // Binary garbage under every extension the import accepts, with and without a format's
    // magic bytes in front (a zip header, an OLE header) so the real readers get to see it.
    for ext in ["csv", "txt", "xls", "xlsx", "xlsb", "ods"] {
        for (n, magic) in [(1, &b""[..]), (2, b"PK\x03\x04"), (3, b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")] {
            let mut bytes = magic.to_vec();
            bytes.extend(noise(n * 7919 + ext.len() as u64, 4096));
            files.push((format!("garbage{n}.{ext}"), bytes, "import_unreadable"));
        }
    }
    files
}

/// Every row of every table, as text: equal snapshots mean an unchanged ledger.
async fn snapshot(db: &Path) -> Vec<(String, usize, String)> {
    let mut conn = SqliteConnectOptions::new().filename(db).read_only(true).connect().await.unwrap();
    let tables: Vec<String> =
        sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            .fetch_all(&mut conn)
            .await
            .unwrap();
    let mut out = Vec::new();
    for table in tables {
        let columns: Vec<String> = sqlx::query("SELECT name FROM pragma_table_info(?)")
            .bind(&table)
            .fetch_all(&mut conn)
            .await
            .unwrap()
            .iter()
            .map(|r| r.get::<String, _>(0))
            .collect();
        if columns.is_empty() {
            continue;
        }
        let row = columns.iter().map(|c| format!("quote(\"{c}\")")).collect::<Vec<_>>().join(" || ',' || ");
        // Names read from sqlite_master, not from input.
        let rows: Vec<String> = sqlx::query_scalar(AssertSqlSafe(format!("SELECT {row} FROM \"{table}\" ORDER BY 1")))
            .fetch_all(&mut conn)
            .await
            .unwrap_or_default();
        out.push((table, rows.len(), rows.join("\n")));
    }
    conn.close().await.unwrap();
    out
}

async fn seeded(crm: &Crm) {
    let mut huaxin = input("华信科技有限公司", Some("13912345678"), Some("制造业"));
    huaxin.contacts = vec![contact("张总", &["13912345678"])];
    add(crm, &huaxin).await;
    add(crm, &input("云启互联网公司", Some("13812345678"), None)).await;
}

fn code_of(err: &Error) -> String {
    assert_eq!(err.code(), ErrorCode::Import, "{err:?}");
    err.fields().get("file").cloned().unwrap_or_default()
}

#[tokio::test]
async fn every_hostile_file_is_refused_by_the_core_with_its_code_and_the_ledger_unchanged() {
    let l = ledger().await;
    seeded(&l.crm).await;
    let db = l.dir.path().join("ledger.db");
    let before = snapshot(&db).await;
    assert!(before.iter().any(|(t, n, _)| t == "customers" && *n == 2));
    let files = hostile_files();
    assert!(files.len() >= 30, "{} files", files.len());
    for (name, bytes, want) in &files {
        let path = l.dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        for policy in [DuplicatePolicy::Merge, DuplicatePolicy::Create] {
            let req = ImportRequest { path: path.to_string_lossy().into_owned(), on_duplicate: policy, ..Default::default() };
            let err = l.crm.import(&req, false, &AtomicBool::new(false), &|_| {}).await.unwrap_err();
            assert_eq!(code_of(&err), *want, "{name}: {err}");
            assert!(!err.to_string().is_empty());
            let err = l.crm.import(&req, true, &AtomicBool::new(false), &|_| {}).await.unwrap_err();
            assert_eq!(code_of(&err), *want, "{name} (dry run)");
            let err = l.crm.import_preview(&req, 20).await.unwrap_err();
            assert_eq!(code_of(&err), *want, "{name} (preview)");
        }
        match l.crm.import_sheets(&path).await {
            // Telling the sheets apart needs only the file's table of contents; reading one must still fail.
            Ok(sheets) => assert!(!sheets.is_empty(), "{name}"),
            Err(err) => assert_eq!(code_of(&err), *want, "{name} (sheets)"),
        }
    }
    assert_eq!(snapshot(&db).await, before, "a refused file changed the ledger");
    assert!(l.crm.imports().await.unwrap().is_empty(), "no import was recorded");
}

#[tokio::test]
async fn the_cli_exits_1_with_the_code_and_a_sentence_for_every_hostile_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db");
    {
        let crm = Crm::open(&db).await.unwrap();
        seeded(&crm).await;
    }
    let before = snapshot(&db).await;
    for (name, bytes, want) in hostile_files() {
        let path = dir.path().join(&name);
        std::fs::write(&path, &bytes).unwrap();
        let file = path.to_string_lossy().into_owned();
        let out = yiben(&db, &["import", &file, "--json"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{name}: {stderr}");
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
        let body: Value = serde_json::from_str(&stderr).unwrap_or_else(|_| panic!("{name}: {stderr}"));
        assert_eq!(body["code"], "IMPORT", "{name}");
        assert_eq!(body["fields"]["file"], want, "{name}");
        assert!(out.stdout.is_empty(), "{name}");

        // Without --json a person reads one sentence in the app's language, never a backtrace.
        let out = yiben(&db, &["import", &file, "--on-duplicate", "create"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{name}: {stderr}");
        assert!(!stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"), "{name}: {stderr}");
        assert!(stderr.lines().count() <= 3 && stderr.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{name}: {stderr}");

        let out = yiben(&db, &["import", &file, "--dry-run", "--json"]);
        assert_eq!(out.status.code(), Some(1), "{name} (dry run)");
    }
    assert_eq!(snapshot(&db).await, before, "a refused file changed the ledger");
}

#[tokio::test]
async fn a_good_file_after_the_hostile_ones_still_imports_whole() {
    let l = ledger().await;
    for (name, bytes, _) in hostile_files() {
        let path = l.dir.path().join(&name);
        std::fs::write(&path, bytes).unwrap();
        let req = ImportRequest { path: path.to_string_lossy().into_owned(), ..Default::default() };
        assert!(l.crm.import(&req, false, &AtomicBool::new(false), &|_| {}).await.is_err());
    }
    let path = l.dir.path().join("good.xlsx");
    std::fs::write(&path, good_xlsx()).unwrap();
    let req = ImportRequest { path: path.to_string_lossy().into_owned(), ..Default::default() };
    let report = l.crm.import(&req, false, &AtomicBool::new(false), &|_| {}).await.unwrap();
    assert_eq!((report.imported, report.rejected), (199, 0));
    assert_eq!(common::total(&l.crm).await, 199);
}

#[tokio::test]
async fn a_txt_that_is_utf16_without_its_bom_imports_like_excels_unicode_text() {
    let l = ledger().await;
    let text = "客户名称\t联系人\t电话\r\n华信科技有限公司\t张总\t13912345678\r\n云启互联网公司\t李经理\t13812345678\r\n";
    for (name, big_endian) in [("le.txt", false), ("be.txt", true)] {
        let bytes: Vec<u8> = text
            .encode_utf16()
            .flat_map(|unit| if big_endian { unit.to_be_bytes() } else { unit.to_le_bytes() })
            .collect();
        let path = l.dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let req = ImportRequest { path: path.to_string_lossy().into_owned(), on_duplicate: DuplicatePolicy::Skip, ..Default::default() };
        let report = l.crm.import(&req, false, &AtomicBool::new(false), &|_| {}).await.unwrap();
        assert_eq!(report.imported + report.skipped, 2, "{name}");
    }
    assert_eq!(common::total(&l.crm).await, 2);
}
