use std::path::PathBuf;

use clap::Args;

use yiben::customers::{CustomerFilters, ListQuery, Scope};
use yiben::export::Column;
use yiben::import::job::{DuplicatePolicy, ImportRequest};
use yiben::settings::Language;

use super::{Failure, Session};

#[derive(Args)]
pub struct ExportArgs {
    /// The .xlsx to write.
    #[arg(long)]
    out: PathBuf,
    /// Columns, e.g. number,name,phone,industry,cf_1 (default: all built-in columns).
    #[arg(long)]
    columns: Option<String>,
    /// Only customers matching this quick search.
    #[arg(long)]
    search: Option<String>,
    #[arg(long, value_delimiter = ',')]
    industry: Vec<String>,
    #[arg(long)]
    owner: Option<String>,
    #[arg(long)]
    region: Option<String>,
    /// Show phones and e-mails masked (138****5678), for a sheet to share.
    #[arg(long)]
    mask: bool,
    /// Export the recycle bin instead.
    #[arg(long)]
    deleted: bool,
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct TemplateArgs {
    /// Where to write the blank import template (.xlsx).
    #[arg(long)]
    out: PathBuf,
    /// Instead: write the rows this file would reject, with the reasons, to --out.
    #[arg(long, value_name = "FILE")]
    rejected_of: Option<PathBuf>,
}

impl ExportArgs {
    pub fn json(&self) -> bool {
        self.json
    }
}

pub async fn export(session: &Session, args: &ExportArgs) -> Result<(), Failure> {
    let columns = match &args.columns {
        Some(list) => Column::parse_list(list).map_err(|e| session.fail(e))?,
        None => Column::default_set(),
    };
    let query = ListQuery {
        limit: 500,
        search: args.search.clone(),
        filters: CustomerFilters {
            industry: args.industry.clone(),
            owner: args.owner.clone(),
            region: args.region.clone(),
            ..Default::default()
        },
        scope: if args.deleted { Scope::Deleted } else { Scope::Live },
        ..Default::default()
    };
    let rows = session.crm.export_customers(&query, &columns, args.mask, &args.out).await.map_err(|e| session.fail(e))?;
    if session.json {
        session.print_json(&serde_json::json!({ "rows": rows, "path": args.out }));
    } else if session.lang == Language::ZhCn {
        println!("已导出 {rows} 位客户到 {}", args.out.display());
    } else {
        println!("exported {rows} customers to {}", args.out.display());
    }
    Ok(())
}

pub async fn template(session: &Session, args: &TemplateArgs) -> Result<(), Failure> {
    match &args.rejected_of {
        None => {
            session.crm.write_import_template(&args.out).await.map_err(|e| session.fail(e))?;
            println!("{}", args.out.display());
        }
        Some(file) => {
            let req = ImportRequest {
                path: file.to_string_lossy().into_owned(),
                on_duplicate: DuplicatePolicy::Merge,
                ..Default::default()
            };
            let rows = session.crm.write_import_rejected(&req, &args.out).await.map_err(|e| session.fail(e))?;
            println!("{rows}\t{}", args.out.display());
        }
    }
    Ok(())
}
