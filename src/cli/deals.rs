//! `yiben deals …` and `yiben report funnel|forecast`.

use chrono::{DateTime, Local, Utc};
use clap::{Args, Subcommand};

use yiben::deals::funnel::FunnelReport;
use yiben::deals::{CustomerFilter, Deal, DealFilter, DealInput, DealPage, DealQuery, MoveInput, Stage, StageKind};
use yiben::money::fen_to_wan_text;
use yiben::settings::Language;
use yiben::Error;

use super::{Failure, Session};

#[derive(Subcommand)]
pub enum DealsCommand {
    /// Add a deal (商机) for a customer.
    Add {
        #[arg(long)]
        customer: i64,
        #[arg(long)]
        name: String,
        /// Expected amount: 30万, 30万元, 300000, 300,000.00, ¥3,000, 1.5亿 (a bare number is yuan).
        #[arg(long)]
        amount: String,
        /// A stage id, name (方案提交) or code (proposal). Default: the first stage.
        #[arg(long)]
        stage: Option<String>,
        /// Expected close date, e.g. 2026-11-30.
        #[arg(long)]
        close_date: Option<String>,
        /// Win probability in percent (60 or 60%); default: the stage's.
        #[arg(long)]
        probability: Option<String>,
        /// Default: the customer's owner.
        #[arg(long)]
        owner: Option<String>,
        /// Required when --stage is the lost stage: one of `yiben deals reasons`.
        #[arg(long)]
        reason: Option<String>,
        #[arg(long)]
        notes: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Move a deal to another stage (流失 needs --reason).
    Move {
        id: i64,
        #[arg(long)]
        stage: String,
        #[arg(long)]
        reason: Option<String>,
        #[arg(long)]
        note: Option<String>,
        /// When it happened, if earlier than now (RFC 3339 or "YYYY-MM-DD HH:MM").
        #[arg(long, value_parser = super::parse_now)]
        at: Option<DateTime<Utc>>,
        #[arg(long)]
        json: bool,
    },
    /// Show one deal.
    Get {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// List deals, newest activity first, one page at a time.
    List {
        #[command(flatten)]
        filter: FilterArgs,
        #[arg(long)]
        customer: Option<i64>,
        #[arg(long)]
        stage: Option<String>,
        #[arg(long, default_value_t = 100)]
        limit: u32,
        #[arg(long)]
        cursor: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// The stage changes of a deal, oldest first.
    History {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Open deals that are stalled: no contact for N days, overdue, or too long in a stage.
    Stalled {
        #[command(flatten)]
        filter: FilterArgs,
        #[arg(long, default_value_t = 100)]
        limit: u32,
        #[arg(long)]
        json: bool,
    },
    /// The stages in funnel order.
    Stages {
        #[arg(long)]
        json: bool,
    },
    /// The lost reasons.
    Reasons {
        #[arg(long)]
        json: bool,
    },
    /// Move a deal to the recycle bin.
    Delete {
        id: i64,
        #[arg(long)]
        json: bool,
    },
}

impl DealsCommand {
    pub fn json(&self) -> bool {
        match self {
            DealsCommand::Add { json, .. }
            | DealsCommand::Move { json, .. }
            | DealsCommand::Get { json, .. }
            | DealsCommand::List { json, .. }
            | DealsCommand::History { json, .. }
            | DealsCommand::Stalled { json, .. }
            | DealsCommand::Stages { json }
            | DealsCommand::Reasons { json }
            | DealsCommand::Delete { json, .. } => *json,
        }
    }
}

#[derive(Args, Default)]
pub struct FilterArgs {
    #[arg(long)]
    owner: Option<String>,
    /// Deals created on or after this day (YYYY-MM-DD).
    #[arg(long)]
    from: Option<String>,
    /// Deals created on or before this day.
    #[arg(long)]
    to: Option<String>,
    /// Only deals of customers matching this filter, as for `customers list --filter`
    /// (e.g. `tag:高价值客户 AND NOT tag:流失预警`).
    #[arg(long)]
    filter: Option<String>,
}

impl FilterArgs {
    fn filter(&self) -> DealFilter {
        DealFilter {
            owner: self.owner.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
            customer_filter: self.filter.clone().map(CustomerFilter::new),
            ..Default::default()
        }
    }
}

#[derive(Subcommand)]
pub enum DealReportCommand {
    /// Per stage: count, amount, weighted amount, reached, conversion to the next stage and
    /// drop-off; the weakest stage; the lost reasons.
    Funnel {
        #[command(flatten)]
        filter: FilterArgs,
        #[arg(long)]
        json: bool,
    },
    /// Open pipeline by expected close month, unweighted and weighted, and the amount won.
    Forecast {
        #[command(flatten)]
        filter: FilterArgs,
        #[arg(long)]
        json: bool,
    },
}

impl DealReportCommand {
    pub fn json(&self) -> bool {
        match self {
            DealReportCommand::Funnel { json, .. } | DealReportCommand::Forecast { json, .. } => *json,
        }
    }
}

fn zh(lang: Language) -> bool {
    lang == Language::ZhCn
}

/// A stage by id, name or code.
fn resolve(stages: &[Stage], raw: &str) -> Result<i64, Error> {
    let raw = raw.trim();
    stages
        .iter()
        .find(|s| s.id.to_string() == raw || s.name == raw || s.code.as_deref().is_some_and(|c| c.eq_ignore_ascii_case(raw)))
        .map(|s| s.id)
        .ok_or_else(|| Error::invalid("stage", "unknown_stage"))
}

fn probability(raw: &str) -> Result<i64, Error> {
    let n: i64 = raw.trim().trim_end_matches(['%', '％']).trim().parse().map_err(|_| Error::invalid("probability", "number_invalid"))?;
    Ok(n)
}

fn stage_name(stages: &[Stage], id: i64) -> String {
    stages.iter().find(|s| s.id == id).map_or_else(|| id.to_string(), |s| s.name.clone())
}

fn days(deal: &Deal, lang: Language) -> String {
    match (deal.days_left, zh(lang)) {
        (None, _) => "-".into(),
        (Some(n), true) if n >= 0 => format!("还剩 {n} 天"),
        (Some(n), true) => format!("已逾期 {} 天", -n),
        (Some(n), false) if n >= 0 => format!("{n} days left"),
        (Some(n), false) => format!("{} days overdue", -n),
    }
}

fn line(deal: &Deal, stages: &[Stage], lang: Language) -> String {
    let stalled = if deal.stalled.is_empty() { "" } else if zh(lang) { "  ⚠ 停滞" } else { "  ⚠ stalled" };
    format!(
        "#{}\t{}\t{}\t{}\t{}\t{}%\t{}\t{}{stalled}",
        deal.id,
        deal.name,
        deal.customer_name,
        stage_name(stages, deal.stage_id),
        fen_to_wan_text(deal.amount_fen),
        deal.probability,
        deal.close_date.as_deref().unwrap_or("-"),
        days(deal, lang),
    )
}

fn print_deal(session: &Session, deal: &Deal, stages: &[Stage]) {
    if session.json {
        session.print_json(deal);
    } else {
        println!("{}", line(deal, stages, session.lang));
        if let Some(reason) = &deal.lost_reason {
            let label = if zh(session.lang) { "流失原因" } else { "lost reason" };
            println!("  {label}: {reason}{}", deal.lost_note.as_ref().map(|n| format!(" — {n}")).unwrap_or_default());
        }
    }
}

fn print_page(session: &Session, page: &DealPage, stages: &[Stage]) {
    if session.json {
        session.print_json(page);
        return;
    }
    for deal in &page.items {
        println!("{}", line(deal, stages, session.lang));
    }
    if let Some(next) = &page.next_cursor {
        println!("{} --cursor '{next}'", if zh(session.lang) { "下一页：" } else { "next page:" });
    }
}

pub async fn run(session: &Session, command: &DealsCommand) -> Result<(), Failure> {
    let crm = &session.crm;
    let fail = |e: Error| session.fail(e);
    let stages = crm.deal_stages().await.map_err(fail)?;
    match command {
        DealsCommand::Add { customer, name, amount, stage, close_date, probability: p, owner, reason, notes, .. } => {
            let input = DealInput {
                customer_id: *customer,
                name: name.clone(),
                amount: amount.clone(),
                close_date: close_date.clone(),
                probability: p.as_deref().map(probability).transpose().map_err(fail)?,
                owner: owner.clone(),
                stage_id: stage.as_deref().map(|s| resolve(&stages, s)).transpose().map_err(fail)?,
                lost_reason: reason.clone(),
                notes: notes.clone(),
                ..Default::default()
            };
            let deal = crm.add_deal(&input).await.map_err(fail)?;
            print_deal(session, &deal, &stages);
        }
        DealsCommand::Move { id, stage, reason, note, at, .. } => {
            let input = MoveInput {
                stage_id: resolve(&stages, stage).map_err(fail)?,
                lost_reason: reason.clone(),
                lost_note: note.clone(),
                at: *at,
            };
            let deal = crm.move_deal(*id, &input).await.map_err(fail)?;
            print_deal(session, &deal, &stages);
        }
        DealsCommand::Get { id, .. } => {
            let deal = crm.deal(*id).await.map_err(fail)?;
            print_deal(session, &deal, &stages);
        }
        DealsCommand::List { filter, customer, stage, limit, cursor, .. } => {
            let query = DealQuery {
                filter: DealFilter {
                    customer_id: *customer,
                    stage_id: stage.as_deref().map(|s| resolve(&stages, s)).transpose().map_err(fail)?,
                    ..filter.filter()
                },
                limit: *limit,
                cursor: cursor.clone(),
            };
            let page = crm.list_deals(&query).await.map_err(fail)?;
            print_page(session, &page, &stages);
        }
        DealsCommand::History { id, .. } => {
            let changes = crm.deal_history(*id).await.map_err(fail)?;
            if session.json {
                session.print_json(&changes);
            } else {
                for c in changes {
                    let from = c.from_stage_id.map_or_else(|| "—".to_owned(), |s| stage_name(&stages, s));
                    let at = c.at.with_timezone(&Local).format("%Y-%m-%d %H:%M");
                    println!("{at}  {from} → {}", stage_name(&stages, c.to_stage_id));
                }
            }
        }
        DealsCommand::Stalled { filter, limit, .. } => {
            let deals = crm.stalled_deals(&filter.filter(), *limit).await.map_err(fail)?;
            print_page(session, &DealPage { items: deals, next_cursor: None }, &stages);
        }
        DealsCommand::Stages { .. } => {
            if session.json {
                session.print_json(&stages);
            } else {
                for s in &stages {
                    println!("{}\t{}\t{}%\t{:?}", s.id, s.name, s.probability, s.kind);
                }
            }
        }
        DealsCommand::Reasons { .. } => {
            let reasons = crm.lost_reasons().await.map_err(fail)?;
            if session.json {
                session.print_json(&reasons);
            } else {
                for r in reasons {
                    println!("{}\t{}", r.id, r.name);
                }
            }
        }
        DealsCommand::Delete { id, .. } => {
            crm.delete_deal(*id).await.map_err(fail)?;
            let deal = crm.deal(*id).await.map_err(fail)?;
            print_deal(session, &deal, &stages);
        }
    }
    Ok(())
}

pub fn percent(x: Option<f64>) -> String {
    x.map_or_else(|| "-".into(), |x| format!("{:.1}%", x * 100.0))
}

fn funnel_text(r: &FunnelReport, lang: Language) -> String {
    let z = zh(lang);
    let mut out = if z {
        "阶段\t当前数\t金额\t加权金额\t到达数\t转化率\t流失数\n".to_owned()
    } else {
        "Stage\tNow\tAmount\tWeighted\tReached\tConversion\tDrop-off\n".to_owned()
    };
    for s in &r.stages {
        let weakest = if Some(s.stage_id) == r.weakest_stage_id { if z { "  ← 最弱" } else { "  ← weakest" } } else { "" };
        out += &format!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}{weakest}\n",
            s.name,
            s.count,
            fen_to_wan_text(s.amount_fen),
            if s.kind == StageKind::Lost { "-".into() } else { fen_to_wan_text(s.weighted_fen) },
            s.reached,
            percent(s.conversion),
            s.drop_off.map_or_else(|| "-".into(), |d| d.to_string()),
        );
    }
    if !r.lost_reasons.is_empty() {
        out += if z { "\n流失原因\t数量\t金额\n" } else { "\nLost reason\tCount\tAmount\n" };
        for l in &r.lost_reasons {
            out += &format!("{}\t{}\t{}\n", l.reason, l.count, fen_to_wan_text(l.amount_fen));
        }
    }
    out
}

pub async fn report(session: &Session, command: &DealReportCommand) -> Result<(), Failure> {
    let crm = &session.crm;
    match command {
        DealReportCommand::Funnel { filter, .. } => {
            let report = crm.funnel_report(&filter.filter()).await.map_err(|e| session.fail(e))?;
            if session.json {
                session.print_json(&report);
            } else {
                print!("{}", funnel_text(&report, session.lang));
            }
        }
        DealReportCommand::Forecast { filter, .. } => {
            let forecast = crm.deal_forecast(&filter.filter()).await.map_err(|e| session.fail(e))?;
            if session.json {
                session.print_json(&forecast);
            } else {
                let z = zh(session.lang);
                println!("{}", if z { "月份\t商机金额\t加权金额\t成交金额" } else { "Month\tPipeline\tWeighted\tWon" });
                for m in &forecast.months {
                    let month = m.month.clone().unwrap_or_else(|| if z { "未定".into() } else { "undated".into() });
                    println!("{month}\t{}\t{}\t{}", fen_to_wan_text(m.amount_fen), fen_to_wan_text(m.weighted_fen), fen_to_wan_text(m.won_amount_fen));
                }
            }
        }
    }
    Ok(())
}
