use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use clap::Args;

use yiben::import::job::{DuplicatePolicy, ImportReport, ImportRequest};
use yiben::settings::Language;

use super::{messages, Failure, Session};

#[derive(Args)]
pub struct ImportArgs {
    /// The spreadsheet: .xlsx .xlsm .xls .ods .csv .txt
    #[arg(required_unless_present = "undo")]
    file: Option<PathBuf>,
    /// The sheet to read (default: the first visible one).
    #[arg(long)]
    sheet: Option<String>,
    /// `auto` (suggest from the headers) or the name of a saved mapping template.
    #[arg(long, default_value = "auto")]
    mapping: String,
    #[arg(long, value_parser = ["merge", "skip", "create"], default_value = "merge")]
    on_duplicate: String,
    /// Check everything and report, but write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Undo an import instead: LAST or an import id.
    #[arg(long, value_name = "LAST|ID", conflicts_with = "file")]
    undo: Option<String>,
    #[arg(long)]
    json: bool,
}

impl ImportArgs {
    pub fn json(&self) -> bool {
        self.json
    }
}

pub async fn run(session: &Session, args: &ImportArgs) -> Result<(), Failure> {
    if let Some(which) = &args.undo {
        let id = if which.eq_ignore_ascii_case("last") {
            None
        } else {
            Some(which.parse::<i64>().map_err(|_| session.fail(yiben::Error::invalid("undo", "number_invalid")))?)
        };
        let record = session.crm.undo_import(id).await.map_err(|e| session.fail(e))?;
        if session.json {
            session.print_json(&record);
        } else if session.lang == Language::ZhCn {
            println!("已撤销导入 #{}（{}）：删除新建客户 {} 条，还原合并客户", record.id, record.file_name, record.imported);
        } else {
            println!("undid import #{} ({}): removed {} created customers, restored merged ones", record.id, record.file_name, record.imported);
        }
        return Ok(());
    }
    let file = args.file.as_ref().expect("clap requires FILE without --undo");
    let request = ImportRequest {
        path: file.to_string_lossy().into_owned(),
        sheet: args.sheet.clone(),
        template: (args.mapping != "auto").then(|| args.mapping.clone()),
        on_duplicate: match args.on_duplicate.as_str() {
            "skip" => DuplicatePolicy::Skip,
            "create" => DuplicatePolicy::Create,
            _ => DuplicatePolicy::Merge,
        },
        ..Default::default()
    };
    let cancel = AtomicBool::new(false);
    let report = session.crm.import(&request, args.dry_run, &cancel, &|_| {}).await.map_err(|e| session.fail(e))?;
    if session.json {
        session.print_json(&report);
    } else {
        print!("{}", summary(&report, request.on_duplicate, args.dry_run, session.lang));
    }
    Ok(())
}

/// In the seed's words: 导入成功 8 条，重复 2 条（已合并），失败 0 条.
pub fn summary(r: &ImportReport, policy: DuplicatePolicy, dry_run: bool, lang: Language) -> String {
    let duplicates = r.merged + r.skipped;
    let mut out = match lang {
        Language::ZhCn => {
            let handled = match policy {
                DuplicatePolicy::Merge => "已合并",
                DuplicatePolicy::Skip => "已跳过",
                DuplicatePolicy::Create => "已新建",
            };
            let prefix = if dry_run { "试导入（未写入）：" } else { "" };
            format!("{prefix}导入成功 {} 条，重复 {duplicates} 条（{handled}），失败 {} 条\n", r.imported, r.rejected)
        }
        Language::En => {
            let prefix = if dry_run { "dry run (nothing written): " } else { "" };
            format!(
                "{prefix}imported {}, duplicates {duplicates} ({}), rejected {}\n",
                r.imported,
                policy.as_str(),
                r.rejected
            )
        }
    };
    for e in &r.errors {
        out += &match lang {
            Language::ZhCn => format!("  第 {} 行 {}：{}\n", e.row, e.column, messages::reason_text(&e.reason, lang)),
            Language::En => format!("  row {} {}: {}\n", e.row, e.column, messages::reason_text(&e.reason, lang)),
        };
    }
    for w in &r.warnings {
        out += &match lang {
            Language::ZhCn => format!("  第 {} 行 {}：{}（已记入备注）\n", w.row, w.column, messages::reason_text(&w.reason, lang)),
            Language::En => format!("  row {} {}: {} (kept in notes)\n", w.row, w.column, messages::reason_text(&w.reason, lang)),
        };
    }
    out
}
