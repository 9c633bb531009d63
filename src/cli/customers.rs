use std::collections::BTreeMap;

use clap::{Args, Subcommand};
use serde_json::Value;

use yiben::customers::merge::MergeSide;
use yiben::customers::{ContactInput, CustomerFilters, CustomerInput, CustomerKind, CustomerSort, ListQuery, Scope, SortField};
use yiben::{Error, SaveOutcome};

use super::{exit, messages, Failure, Session};

#[derive(Subcommand)]
pub enum CustomersCommand {
    /// Add a customer. A possible duplicate stops it (exit 3) unless --allow-duplicate.
    Add {
        #[command(flatten)]
        fields: ProfileArgs,
        #[arg(long)]
        allow_duplicate: bool,
        #[arg(long)]
        json: bool,
    },
    /// Show one customer with contacts, custom fields and status.
    Get {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Change the given fields of a customer; the others stay as they are.
    Update {
        id: i64,
        #[command(flatten)]
        fields: ProfileArgs,
        /// Remove the existing contacts before adding those given with --contact.
        #[arg(long)]
        clear_contacts: bool,
        #[arg(long)]
        allow_duplicate: bool,
        #[arg(long)]
        json: bool,
    },
    /// Move a customer to the recycle bin.
    Delete {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Bring a customer back from the recycle bin.
    Restore {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// List customers, one page at a time.
    List {
        #[command(flatten)]
        query: ListArgs,
        #[arg(long)]
        json: bool,
    },
    /// Quick search: name, number, phone fragment, contact, e-mail, pinyin or initials.
    Search {
        text: String,
        #[command(flatten)]
        query: ListArgs,
        #[arg(long)]
        json: bool,
    },
    /// Merge ABSORBED into SURVIVOR. Conflicting fields keep the survivor's value unless
    /// named in --take.
    Merge {
        survivor: i64,
        absorbed: i64,
        /// Fields whose value comes from the absorbed record, e.g. --take phone,owner,custom.cf_1
        #[arg(long, value_delimiter = ',')]
        take: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// The change history of a customer, newest first.
    History {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Add or remove tags (by name) on customers, or on everything a --filter matches.
    Tag {
        ids: Vec<i64>,
        #[arg(long, value_delimiter = ',')]
        add: Vec<String>,
        #[arg(long, value_delimiter = ',')]
        remove: Vec<String>,
        #[arg(long, conflicts_with = "ids")]
        filter: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// The customer's value score (0–100) and what drives it.
    Score {
        id: i64,
        #[arg(long)]
        json: bool,
    },
}

impl CustomersCommand {
    pub fn json(&self) -> bool {
        match self {
            CustomersCommand::Add { json, .. }
            | CustomersCommand::Get { json, .. }
            | CustomersCommand::Update { json, .. }
            | CustomersCommand::Delete { json, .. }
            | CustomersCommand::Restore { json, .. }
            | CustomersCommand::List { json, .. }
            | CustomersCommand::Search { json, .. }
            | CustomersCommand::Merge { json, .. }
            | CustomersCommand::History { json, .. }
            | CustomersCommand::Tag { json, .. }
            | CustomersCommand::Score { json, .. } => *json,
        }
    }
}

#[derive(Args, Default)]
pub struct ProfileArgs {
    #[arg(long)]
    name: Option<String>,
    /// 客户编号; generated as YEAR-INDUSTRY-SEQ when absent.
    #[arg(long)]
    number: Option<String>,
    #[arg(long, value_parser = ["org", "person"])]
    kind: Option<String>,
    /// A code (MFG) or name (制造业) from `yiben industries list`.
    #[arg(long)]
    industry: Option<String>,
    #[arg(long)]
    employees: Option<String>,
    /// Annual revenue: 5000万, ¥300,000, 300000.00.
    #[arg(long)]
    revenue: Option<String>,
    #[arg(long)]
    region: Option<String>,
    #[arg(long)]
    address: Option<String>,
    #[arg(long)]
    source: Option<String>,
    #[arg(long)]
    first_contact: Option<String>,
    #[arg(long)]
    owner: Option<String>,
    #[arg(long)]
    grade: Option<String>,
    #[arg(long)]
    stage: Option<String>,
    #[arg(long)]
    needs: Option<String>,
    #[arg(long)]
    notes: Option<String>,
    /// The customer's own mobile or landline.
    #[arg(long)]
    phone: Option<String>,
    #[arg(long)]
    email: Option<String>,
    /// A contact as key=value pairs separated by commas: name, title, phone (repeatable),
    /// wechat, email, role, decision (yes/no). Repeat --contact for more contacts.
    #[arg(long = "contact", value_name = "name=..,phone=..")]
    contacts: Vec<String>,
    /// A custom field as KEY_OR_LABEL=VALUE (multiple choice: values separated by 、 or ;).
    #[arg(long = "field", value_name = "LABEL=VALUE")]
    custom: Vec<String>,
}

#[derive(Args, Default)]
pub struct ListArgs {
    #[arg(long, default_value_t = 100)]
    limit: u32,
    /// The previous page's nextCursor.
    #[arg(long)]
    cursor: Option<String>,
    #[arg(long, value_delimiter = ',')]
    industry: Vec<String>,
    #[arg(long)]
    owner: Option<String>,
    #[arg(long)]
    region: Option<String>,
    #[arg(long)]
    source: Option<String>,
    /// The filter language, e.g. 'tag:制造业 AND NOT tag:流失预警 AND last_followup>90d' (README).
    #[arg(long)]
    filter: Option<String>,
    #[arg(long, value_parser = ["updated", "created", "name", "number"], default_value = "updated")]
    sort: String,
    /// Ascending instead of newest / highest first.
    #[arg(long)]
    asc: bool,
    /// List the recycle bin instead.
    #[arg(long)]
    deleted: bool,
}

fn parse_contact(raw: &str) -> Result<ContactInput, Error> {
    let mut contact = ContactInput::default();
    for pair in raw.split([',', '，']).map(str::trim).filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, "yes"));
        let value = value.trim().to_owned();
        match key.trim() {
            "name" => contact.name = value,
            "title" => contact.title = Some(value),
            "phone" => contact.phones.push(value),
            "wechat" => contact.wechat = Some(value),
            "email" => contact.email = Some(value),
            "role" => contact.role = Some(value),
            "decision" => contact.decision_maker = matches!(value.as_str(), "yes" | "true" | "1" | "是"),
            _ => return Err(Error::invalid("contact", "unknown_key")),
        }
    }
    Ok(contact)
}

impl ProfileArgs {
    /// Applies the given flags over `input` (empty for add, the current profile for update).
    async fn apply(&self, session: &Session, input: &mut CustomerInput) -> Result<(), Error> {
        let set = |target: &mut Option<String>, value: &Option<String>| {
            if value.is_some() {
                target.clone_from(value);
            }
        };
        if let Some(name) = &self.name {
            input.name = name.clone();
        }
        if let Some(kind) = &self.kind {
            input.kind = Some(if kind == "person" { CustomerKind::Person } else { CustomerKind::Org });
        }
        set(&mut input.number, &self.number);
        set(&mut input.industry, &self.industry);
        set(&mut input.employees, &self.employees);
        set(&mut input.revenue, &self.revenue);
        set(&mut input.region, &self.region);
        set(&mut input.address, &self.address);
        set(&mut input.source, &self.source);
        set(&mut input.first_contact, &self.first_contact);
        set(&mut input.owner, &self.owner);
        set(&mut input.grade, &self.grade);
        set(&mut input.stage, &self.stage);
        set(&mut input.needs, &self.needs);
        set(&mut input.notes, &self.notes);
        set(&mut input.phone, &self.phone);
        set(&mut input.email, &self.email);
        for raw in &self.contacts {
            input.contacts.push(parse_contact(raw)?);
        }
        if !self.custom.is_empty() {
            let fields = session.crm.custom_fields().await?;
            for raw in &self.custom {
                let (name, value) = raw.split_once('=').ok_or_else(|| Error::invalid("field", "value_invalid"))?;
                let field = fields
                    .iter()
                    .find(|f| f.key == name.trim() || f.label == name.trim())
                    .ok_or_else(|| Error::invalid(&format!("custom.{}", name.trim()), "unknown_field"))?;
                input.custom.insert(field.key.clone(), Value::String(value.trim().to_owned()));
            }
        }
        Ok(())
    }
}

impl ListArgs {
    fn query(&self, search: Option<String>) -> ListQuery {
        ListQuery {
            limit: self.limit,
            cursor: self.cursor.clone(),
            search,
            filter: self.filter.clone(),
            filters: CustomerFilters {
                industry: self.industry.clone(),
                owner: self.owner.clone(),
                region: self.region.clone(),
                source: self.source.clone(),
                ..Default::default()
            },
            sort: CustomerSort {
                field: match self.sort.as_str() {
                    "created" => SortField::Created,
                    "name" => SortField::Name,
                    "number" => SortField::Number,
                    _ => SortField::Updated,
                },
                desc: !self.asc,
            },
            scope: if self.deleted { Scope::Deleted } else { Scope::Live },
            with_total: true,
        }
    }
}

fn outcome(session: &Session, outcome: SaveOutcome) -> Result<(), Failure> {
    match outcome {
        SaveOutcome::Saved { customer } => {
            if session.json {
                session.print_json(&customer);
            } else {
                println!("{}", messages::saved(&customer, session.lang));
            }
            Ok(())
        }
        SaveOutcome::Duplicates { matches } => {
            if session.json {
                session.print_json(&SaveOutcome::Duplicates { matches });
                Err(Failure { text: String::new(), exit: exit::DUPLICATE })
            } else {
                Err(Failure { text: messages::duplicates(&matches, session.lang), exit: exit::DUPLICATE })
            }
        }
    }
}

pub async fn run(session: &Session, command: &CustomersCommand) -> Result<(), Failure> {
    let crm = &session.crm;
    match command {
        CustomersCommand::Tag { ids, add, remove, filter, .. } => return super::tags::tag(session, ids, add, remove, filter.as_deref()).await,
        CustomersCommand::Score { id, .. } => return super::tags::score(session, *id).await,
        CustomersCommand::Add { fields, allow_duplicate, .. } => {
            let mut input = CustomerInput::default();
            fields.apply(session, &mut input).await.map_err(|e| session.fail(e))?;
            let result = crm.add_customer(&input, *allow_duplicate).await.map_err(|e| session.fail(e))?;
            outcome(session, result)
        }
        CustomersCommand::Update { id, fields, clear_contacts, allow_duplicate, .. } => {
            let current = crm.customer(*id).await.map_err(|e| session.fail(e))?;
            let mut input = current.to_input();
            if *clear_contacts {
                input.contacts.clear();
            }
            fields.apply(session, &mut input).await.map_err(|e| session.fail(e))?;
            let result = crm.update_customer(*id, &input, *allow_duplicate).await.map_err(|e| session.fail(e))?;
            outcome(session, result)
        }
        CustomersCommand::Get { id, .. } => {
            let customer = crm.customer(*id).await.map_err(|e| session.fail(e))?;
            if session.json {
                session.print_json(&customer);
            } else {
                let fields = crm.custom_fields().await.map_err(|e| session.fail(e))?;
                print!("{}", messages::profile(&customer, &fields, session.lang));
            }
            Ok(())
        }
        CustomersCommand::Delete { id, .. } => {
            crm.delete_customer(*id).await.map_err(|e| session.fail(e))?;
            let customer = crm.customer(*id).await.map_err(|e| session.fail(e))?;
            if session.json {
                session.print_json(&customer);
            } else {
                println!("{}", messages::deleted(&customer, session.lang));
            }
            Ok(())
        }
        CustomersCommand::Restore { id, .. } => {
            let customer = crm.restore_customer(*id).await.map_err(|e| session.fail(e))?;
            if session.json {
                session.print_json(&customer);
            } else {
                println!("{}", messages::restored(&customer, session.lang));
            }
            Ok(())
        }
        CustomersCommand::List { query, .. } => list(session, query.query(None)).await,
        CustomersCommand::Search { text, query, .. } => list(session, query.query(Some(text.clone()))).await,
        CustomersCommand::Merge { survivor, absorbed, take, .. } => {
            let choices: BTreeMap<String, MergeSide> =
                take.iter().map(|field| (field.trim().to_owned(), MergeSide::Absorbed)).collect();
            let customer = crm.merge_customers(*survivor, *absorbed, &choices).await.map_err(|e| session.fail(e))?;
            if session.json {
                session.print_json(&customer);
            } else {
                println!("{}", messages::merged(&customer, *absorbed, session.lang));
            }
            Ok(())
        }
        CustomersCommand::History { id, .. } => {
            let entries = crm.customer_history(*id).await.map_err(|e| session.fail(e))?;
            if session.json {
                session.print_json(&entries);
            } else {
                print!("{}", messages::history(&entries, session.lang));
            }
            Ok(())
        }
    }
}

async fn list(session: &Session, query: ListQuery) -> Result<(), Failure> {
    let page = session.crm.list_customers(&query).await.map_err(|e| session.fail(e))?;
    if session.json {
        session.print_json(&page);
    } else {
        print!("{}", messages::table(&page, session.lang));
    }
    Ok(())
}
