//! `yiben report …`: the report pages' figures as tables or JSON, and their export.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use yiben::money::fen_to_wan_text;
use yiben::reports::{
    CustomerAnalysis, Dashboard, Dimension, FollowupEfficiency, KpiKey, Performance, PerformanceRow, PeriodPreset, ReportQuery,
};
use yiben::settings::Language;
use yiben::{Error, ReportKind};

use super::deals::{percent, DealReportCommand};
use super::{Failure, Session};

#[derive(Args, Clone)]
pub struct PeriodArgs {
    /// week, month, quarter or year (so far); ignored when --from is given.
    #[arg(long, default_value = "month")]
    period: String,
    /// First day (YYYY-MM-DD): a custom period.
    #[arg(long)]
    from: Option<String>,
    /// Last day, inclusive; default today.
    #[arg(long)]
    to: Option<String>,
    /// One owner's (负责人) figures.
    #[arg(long)]
    owner: Option<String>,
}

impl PeriodArgs {
    fn query(&self, session: &Session) -> Result<ReportQuery, Error> {
        let preset = if self.from.is_some() {
            PeriodPreset::Custom
        } else {
            match self.period.trim() {
                "week" | "本周" => PeriodPreset::Week,
                "month" | "本月" => PeriodPreset::Month,
                "quarter" | "本季度" => PeriodPreset::Quarter,
                "year" | "本年" => PeriodPreset::Year,
                _ => return Err(Error::invalid("period", "value_invalid")),
            }
        };
        let today = session.crm.zone().today(session.crm.now()).format("%Y-%m-%d").to_string();
        let to = (preset == PeriodPreset::Custom).then(|| self.to.clone().unwrap_or(today));
        Ok(ReportQuery { preset, from: self.from.clone(), to, owner: self.owner.clone() })
    }
}

#[derive(Subcommand)]
pub enum ReportCommand {
    /// KPI cards with 环比/同比, the 12-month trend, the funnel, industries and sources.
    Dashboard {
        #[command(flatten)]
        period: PeriodArgs,
        #[arg(long)]
        json: bool,
    },
    /// Template 4 (销售业绩分析表) per owner and in total, with the lost reasons.
    Performance {
        #[command(flatten)]
        period: PeriodArgs,
        #[arg(long)]
        json: bool,
    },
    /// Customers by industry, size, region, source, grade, tag or owner, with the won amount.
    Customers {
        #[command(flatten)]
        period: PeriodArgs,
        /// industry, size, region, source, grade, tag or owner.
        #[arg(long, default_value = "industry")]
        by: String,
        #[arg(long)]
        json: bool,
    },
    /// Follow-up efficiency by method.
    Followups {
        #[command(flatten)]
        period: PeriodArgs,
        #[arg(long)]
        json: bool,
    },
    #[command(flatten)]
    Deals(DealReportCommand),
    /// Write the reports (with native Excel charts) to an .xlsx file.
    Export {
        #[command(flatten)]
        period: PeriodArgs,
        #[arg(long)]
        out: PathBuf,
        /// all, dashboard, customers, performance, followups or funnel.
        #[arg(long, default_value = "all")]
        kind: String,
    },
}

impl ReportCommand {
    pub fn json(&self) -> bool {
        match self {
            ReportCommand::Dashboard { json, .. }
            | ReportCommand::Performance { json, .. }
            | ReportCommand::Customers { json, .. }
            | ReportCommand::Followups { json, .. } => *json,
            ReportCommand::Deals(c) => c.json(),
            ReportCommand::Export { .. } => false,
        }
    }
}

fn kind(raw: &str) -> Result<ReportKind, Error> {
    serde_json::from_value(serde_json::Value::String(raw.trim().to_owned())).map_err(|_| Error::invalid("reportKind", "value_invalid"))
}

pub async fn run(session: &Session, command: &ReportCommand) -> Result<(), Failure> {
    let crm = &session.crm;
    let fail = |e| session.fail(e);
    match command {
        ReportCommand::Dashboard { period, .. } => {
            let d = crm.dashboard(&period.query(session).map_err(fail)?).await.map_err(fail)?;
            show(session, &d, dashboard_text);
        }
        ReportCommand::Performance { period, .. } => {
            let p = crm.performance(&period.query(session).map_err(fail)?).await.map_err(fail)?;
            show(session, &p, performance_text);
        }
        ReportCommand::Customers { period, by, .. } => {
            let dimension = Dimension::parse(by).ok_or_else(|| fail(Error::invalid("by", "value_invalid")))?;
            let a = crm.customer_analysis(&period.query(session).map_err(fail)?, dimension).await.map_err(fail)?;
            show(session, &a, analysis_text);
        }
        ReportCommand::Followups { period, .. } => {
            let e = crm.followup_efficiency(&period.query(session).map_err(fail)?).await.map_err(fail)?;
            show(session, &e, efficiency_text);
        }
        ReportCommand::Deals(c) => super::deals::report(session, c).await?,
        ReportCommand::Export { period, out, kind: raw } => {
            let q = period.query(session).map_err(fail)?;
            crm.export_report(&q, kind(raw).map_err(fail)?, out).await.map_err(fail)?;
            let z = session.lang == Language::ZhCn;
            println!("{} {}", if z { "已导出报表到" } else { "Reports written to" }, out.display());
        }
    }
    Ok(())
}

fn show<T: serde::Serialize>(session: &Session, value: &T, text: fn(&T, bool) -> String) {
    if session.json {
        session.print_json(value);
    } else {
        print!("{}", text(value, session.lang == Language::ZhCn));
    }
}

fn kpi_label(key: KpiKey, z: bool) -> &'static str {
    match key {
        KpiKey::NewCustomers => if z { "新增客户" } else { "New customers" },
        KpiKey::Followups => if z { "跟进次数" } else { "Follow-ups" },
        KpiKey::DealsWon => if z { "成交单数" } else { "Deals won" },
        KpiKey::AmountWon => if z { "成交金额" } else { "Amount won" },
        KpiKey::Pipeline => if z { "商机金额" } else { "Pipeline" },
    }
}

fn dashboard_text(d: &Dashboard, z: bool) -> String {
    let p = &d.period.current;
    let mut out = format!("{} {} – {}\n", if z { "统计周期" } else { "Period" }, p.from, p.to);
    out += if z { "指标\t本期\t上期\t环比\t去年同期\t同比\n" } else { "Figure\tThis period\tPrevious\tChange\tA year ago\tYoY\n" };
    for k in &d.kpis {
        let money = matches!(k.key, KpiKey::AmountWon | KpiKey::Pipeline);
        let v = |n: i64| if money { fen_to_wan_text(n) } else { n.to_string() };
        out += &format!("{}\t{}\t{}\t{}\t{}\t{}\n", kpi_label(k.key, z), v(k.value), v(k.previous), percent(k.change), v(k.year_ago), percent(k.change_year));
    }
    out += if z { "\n月份\t新增客户\t成交单数\t成交金额\n" } else { "\nMonth\tNew customers\tDeals won\tAmount won\n" };
    for t in &d.trend {
        out += &format!("{}\t{}\t{}\t{}\n", t.month, t.new_customers, t.won_count, fen_to_wan_text(t.won_amount_fen));
    }
    out
}

fn row_text(r: &PerformanceRow, label: &str) -> String {
    format!(
        "{label}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
        r.new_customers,
        r.intent_customers,
        r.won_customers,
        fen_to_wan_text(r.won_amount_fen),
        r.avg_deal_fen.map_or_else(|| "-".into(), fen_to_wan_text),
        percent(r.conversion),
        percent(r.top_share),
    )
}

fn performance_text(p: &Performance, z: bool) -> String {
    let mut out = format!("{} {} – {}\n", if z { "统计周期" } else { "Period" }, p.period.from, p.period.to);
    out += if z {
        "负责人\t新增客户数\t意向客户数\t成交客户数\t成交金额\t客单价\t转化率\t高价值客户占比\n"
    } else {
        "Owner\tNew\tIntent\tWon customers\tAmount won\tAvg deal\tConversion\tTop 20% share\n"
    };
    for r in &p.owners {
        out += &row_text(r, r.owner.as_deref().unwrap_or(if z { "（未分配）" } else { "(none)" }));
    }
    out += &row_text(&p.total, if z { "合计" } else { "Total" });
    if !p.lost_reasons.is_empty() {
        out += if z { "\n未成交原因\t数量\t占比\n" } else { "\nLost reason\tCount\tShare\n" };
        for l in &p.lost_reasons {
            let reason = if l.reason.is_empty() { if z { "（未填写）" } else { "(none)" } } else { &l.reason };
            out += &format!("{reason}\t{}\t{}\n", l.count, percent(Some(l.share)));
        }
    }
    out
}

fn analysis_text(a: &CustomerAnalysis, z: bool) -> String {
    let mut out = if z { "分组\t客户数\t占比\t成交金额\t业绩占比\n".to_owned() } else { "Group\tCustomers\tShare\tAmount won\tShare of won\n".to_owned() };
    for r in &a.rows {
        let key = r.key.as_deref().unwrap_or(if z { "（未填写）" } else { "(not set)" });
        out += &format!("{key}\t{}\t{}\t{}\t{}\n", r.customers, percent(Some(r.share)), fen_to_wan_text(r.won_amount_fen), percent(r.won_share));
    }
    out
}

fn efficiency_text(e: &FollowupEfficiency, z: bool) -> String {
    let mut out = if z {
        "方式\t跟进次数\t回应率\t平均间隔(天)\t下一步按时完成率\n".to_owned()
    } else {
        "Method\tFollow-ups\tResponse rate\tAvg gap (days)\tNext steps on time\n".to_owned()
    };
    for m in e.methods.iter().chain(std::iter::once(&e.total)) {
        let name = if m.method_id.is_none() { if z { "合计" } else { "Total" } } else { &m.name };
        let gap = m.avg_gap_days.map_or_else(|| "-".into(), |g| format!("{g:.1}"));
        out += &format!("{name}\t{}\t{}\t{gap}\t{}\n", m.followups, percent(m.response_rate), percent(m.on_time_rate));
    }
    out
}
