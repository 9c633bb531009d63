use clap::Subcommand;

use yiben::custom_fields::{CustomFieldInput, CustomFieldKind};
use yiben::industries::Industry;

use super::{Failure, Session};

#[derive(Subcommand)]
pub enum IndustriesCommand {
    /// The industries with their codes.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Add an industry, or rename the one with this code.
    Save {
        code: String,
        name: String,
        #[arg(long, default_value_t = 50)]
        position: i64,
        #[arg(long)]
        json: bool,
    },
}

impl IndustriesCommand {
    pub fn json(&self) -> bool {
        match self {
            IndustriesCommand::List { json } | IndustriesCommand::Save { json, .. } => *json,
        }
    }
}

#[derive(Subcommand)]
pub enum FieldsCommand {
    /// The custom fields.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Define a custom field.
    Add {
        #[arg(long)]
        label: String,
        #[arg(long, value_parser = ["text", "number", "date", "money", "single", "multi"])]
        kind: String,
        /// Choices for single / multi, separated by commas.
        #[arg(long, value_delimiter = ',')]
        options: Vec<String>,
        /// Show it as a column of the customer list.
        #[arg(long)]
        in_list: bool,
        #[arg(long)]
        json: bool,
    },
}

impl FieldsCommand {
    pub fn json(&self) -> bool {
        match self {
            FieldsCommand::List { json } | FieldsCommand::Add { json, .. } => *json,
        }
    }
}

pub async fn industries(session: &Session, command: &IndustriesCommand) -> Result<(), Failure> {
    match command {
        IndustriesCommand::List { .. } => {
            let list = session.crm.industries().await.map_err(|e| session.fail(e))?;
            if session.json {
                session.print_json(&list);
            } else {
                list.iter().for_each(|i| println!("{}\t{}", i.code, i.name));
            }
        }
        IndustriesCommand::Save { code, name, position, .. } => {
            let industry = Industry { code: code.clone(), name: name.clone(), position: *position };
            let saved = session.crm.save_industry(&industry).await.map_err(|e| session.fail(e))?;
            if session.json {
                session.print_json(&saved);
            } else {
                println!("{}\t{}", saved.code, saved.name);
            }
        }
    }
    Ok(())
}

pub async fn fields(session: &Session, command: &FieldsCommand) -> Result<(), Failure> {
    match command {
        FieldsCommand::List { .. } => {
            let list = session.crm.custom_fields().await.map_err(|e| session.fail(e))?;
            if session.json {
                session.print_json(&list);
            } else {
                list.iter().for_each(|f| println!("{}\t{}\t{:?}\t{}", f.key, f.label, f.kind, f.options.join("、")));
            }
        }
        FieldsCommand::Add { label, kind, options, in_list, .. } => {
            let kind = match kind.as_str() {
                "number" => CustomFieldKind::Number,
                "date" => CustomFieldKind::Date,
                "money" => CustomFieldKind::Money,
                "single" => CustomFieldKind::Single,
                "multi" => CustomFieldKind::Multi,
                _ => CustomFieldKind::Text,
            };
            let input = CustomFieldInput { label: label.clone(), kind, options: options.clone(), in_list: *in_list };
            let field = session.crm.create_custom_field(&input).await.map_err(|e| session.fail(e))?;
            if session.json {
                session.print_json(&field);
            } else {
                println!("{}\t{}", field.key, field.label);
            }
        }
    }
    Ok(())
}
