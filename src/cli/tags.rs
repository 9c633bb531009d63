//! `yiben tags …`, `yiben segments …`, and the tag and score commands under `customers`.

use clap::Subcommand;

use yiben::customers::ListQuery;
use yiben::TagTarget;

use super::{Failure, Session};

#[derive(Subcommand)]
pub enum TagsCommand {
    /// Add a tag to a group (by code: grade, needs, role, channel, behavior, personal; or name).
    Add {
        name: String,
        #[arg(long, default_value = "personal")]
        group: String,
        /// `#RRGGBB`.
        #[arg(long, default_value = "#2080f0")]
        color: String,
        #[arg(long)]
        json: bool,
    },
    /// Every tag with its group and how many customers carry it.
    List {
        #[arg(long)]
        json: bool,
    },
}

impl TagsCommand {
    pub fn json(&self) -> bool {
        match self {
            TagsCommand::Add { json, .. } | TagsCommand::List { json } => *json,
        }
    }
}

#[derive(Subcommand)]
pub enum SegmentsCommand {
    /// Save a filter under a name (replacing that segment's filter if the name exists).
    Save {
        name: String,
        #[arg(long)]
        filter: String,
        #[arg(long)]
        json: bool,
    },
    /// The segments with their live counts.
    List {
        #[arg(long)]
        json: bool,
    },
}

impl SegmentsCommand {
    pub fn json(&self) -> bool {
        match self {
            SegmentsCommand::Save { json, .. } | SegmentsCommand::List { json } => *json,
        }
    }
}

pub async fn tags(session: &Session, command: &TagsCommand) -> Result<(), Failure> {
    match command {
        TagsCommand::Add { name, group, color, .. } => {
            let tag = session.crm.add_tag(name, group, color).await.map_err(|e| session.fail(e))?;
            if session.json {
                session.print_json(&tag);
            } else {
                println!("{}\t{}", tag.id, tag.name);
            }
        }
        TagsCommand::List { .. } => {
            let list = session.crm.tags().await.map_err(|e| session.fail(e))?;
            if session.json {
                session.print_json(&list);
            } else {
                let groups = session.crm.tag_groups().await.map_err(|e| session.fail(e))?;
                for t in &list {
                    let group = groups.iter().find(|g| g.id == t.group_id).map(|g| g.name.as_str()).unwrap_or("");
                    let auto = if t.auto.is_some() { "\tauto" } else { "" };
                    println!("{}\t{}\t{}\t{}{auto}", t.id, group, t.name, t.count);
                }
            }
        }
    }
    Ok(())
}

pub async fn segments(session: &Session, command: &SegmentsCommand) -> Result<(), Failure> {
    match command {
        SegmentsCommand::Save { name, filter, .. } => {
            let segment = session.crm.save_segment(name, filter).await.map_err(|e| session.fail(e))?;
            if session.json {
                session.print_json(&segment);
            } else {
                println!("{}\t{}\t{}", segment.id, segment.name, segment.filter);
            }
        }
        SegmentsCommand::List { .. } => {
            let list = session.crm.segments(true).await.map_err(|e| session.fail(e))?;
            if session.json {
                session.print_json(&list);
            } else {
                for s in &list {
                    let count = s.count.map(|c| c.to_string()).unwrap_or_else(|| "?".into());
                    println!("{}\t{}\t{count}\t{}", s.id, s.name, s.filter);
                }
            }
        }
    }
    Ok(())
}

/// `customers tag ID.. --add T1,T2 --remove T3` (tags by name).
pub async fn tag(session: &Session, ids: &[i64], add: &[String], remove: &[String], filter: Option<&str>) -> Result<(), Failure> {
    let all = session.crm.tags().await.map_err(|e| session.fail(e))?;
    let resolve = |names: &[String]| -> Result<Vec<i64>, Failure> {
        names
            .iter()
            .map(|n| {
                all.iter()
                    .find(|t| t.name == n.trim())
                    .map(|t| t.id)
                    .ok_or_else(|| session.fail(yiben::Error::NotFound { entity: "tag", id: n.clone() }))
            })
            .collect()
    };
    let (add, remove) = (resolve(add)?, resolve(remove)?);
    let target = match filter {
        Some(filter) => TagTarget::Query { query: ListQuery { limit: 1, filter: Some(filter.to_owned()), ..Default::default() } },
        None => TagTarget::Selection { ids: ids.to_vec() },
    };
    let changed = session.crm.tag_customers(&target, &add, &remove).await.map_err(|e| session.fail(e))?;
    if session.json {
        session.print_json(&serde_json::json!({ "changed": changed }));
    } else {
        println!("{changed}");
    }
    Ok(())
}

pub async fn score(session: &Session, id: i64) -> Result<(), Failure> {
    let detail = session.crm.customer_score(id).await.map_err(|e| session.fail(e))?;
    if session.json {
        session.print_json(&detail);
    } else {
        let factors = ["R", "F", "M", "engagement", "funnel"];
        println!("{}", detail.score);
        for (name, points) in factors.iter().zip(&detail.points) {
            println!("{name}\t{points}");
        }
    }
    Ok(())
}
