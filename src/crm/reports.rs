//! The reports as the desktop and the CLI ask for them. Each reads the clock once and runs
//! its queries on one connection inside one read transaction, so the figures agree.

use std::path::Path;

use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;
use ts_rs::TS;

use super::Crm;
use crate::deals::funnel;
use crate::deals::{stages, DealFilter};
use crate::reports::drill::{self, DrillPage, DrillQuery};
use crate::reports::scope::{Scope, StageSets};
use crate::reports::xlsx::{self, ReportBook};
use crate::reports::{
    analysis, efficiency, kpis, performance, period, CustomerAnalysis, Dashboard, Dimension, FollowupEfficiency,
    FunnelAnalysis, KpiCards, Performance, ReportQuery, ResolvedPeriod,
};
use crate::Result;

/// Which report an export holds; `All` is the dashboard with every report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ReportKind {
    Dashboard,
    Customers,
    Performance,
    Followups,
    Funnel,
    All,
}

impl Crm {
    fn resolve(&self, q: &ReportQuery) -> Result<ResolvedPeriod> {
        period::resolve(q, self.zone.today(self.now()), self.zone)
    }

    pub async fn dashboard(&self, q: &ReportQuery) -> Result<Dashboard> {
        let period = self.resolve(q)?;
        let mut tx = self.pool.begin().await?;
        let dashboard = self.dashboard_in(&mut tx, q, period).await?;
        tx.commit().await?;
        Ok(dashboard)
    }

    async fn dashboard_in(&self, conn: &mut SqliteConnection, q: &ReportQuery, period: ResolvedPeriod) -> Result<Dashboard> {
        let stages = stages::list(conn).await?;
        let sets = StageSets::new(&stages);
        let scope = Scope::new(period.current.clone(), q.owner.as_deref());
        Ok(Dashboard {
            kpis: kpis::kpis(conn, &period, q.owner.as_deref(), &sets).await?,
            trend: kpis::trend(conn, &period.current, q.owner.as_deref(), &sets, self.zone).await?,
            funnel: funnel::report(conn, &stages, &cohort(&scope), self.zone).await?,
            industries: analysis::analysis(conn, &scope, &sets, Dimension::Industry).await?,
            sources: analysis::analysis(conn, &scope, &sets, Dimension::Source).await?,
            period,
        })
    }

    /// The KPI cards without the charts.
    pub async fn report_kpis(&self, q: &ReportQuery) -> Result<KpiCards> {
        let period = self.resolve(q)?;
        let mut tx = self.pool.begin().await?;
        let sets = StageSets::new(&stages::list(&mut tx).await?);
        let kpis = kpis::kpis(&mut tx, &period, q.owner.as_deref(), &sets).await?;
        tx.commit().await?;
        Ok(KpiCards { period, kpis })
    }

    pub async fn customer_analysis(&self, q: &ReportQuery, dimension: Dimension) -> Result<CustomerAnalysis> {
        let period = self.resolve(q)?;
        let mut conn = self.pool.acquire().await?;
        let sets = StageSets::new(&stages::list(&mut conn).await?);
        analysis::analysis(&mut conn, &Scope::new(period.current, q.owner.as_deref()), &sets, dimension).await
    }

    pub async fn performance(&self, q: &ReportQuery) -> Result<Performance> {
        let period = self.resolve(q)?;
        let mut tx = self.pool.begin().await?;
        let sets = StageSets::new(&stages::list(&mut tx).await?);
        let report = performance::performance(&mut tx, &Scope::new(period.current, q.owner.as_deref()), &sets).await?;
        tx.commit().await?;
        Ok(report)
    }

    pub async fn followup_efficiency(&self, q: &ReportQuery) -> Result<FollowupEfficiency> {
        let now = self.now();
        let period = period::resolve(q, self.zone.today(now), self.zone)?;
        let mut conn = self.pool.acquire().await?;
        efficiency::efficiency(&mut conn, &Scope::new(period.current, q.owner.as_deref()), now).await
    }

    pub async fn funnel_analysis(&self, q: &ReportQuery) -> Result<FunnelAnalysis> {
        let period = self.resolve(q)?;
        let mut conn = self.pool.acquire().await?;
        let stages = stages::list(&mut conn).await?;
        let scope = Scope::new(period.current, q.owner.as_deref());
        let funnel = funnel::report(&mut conn, &stages, &cohort(&scope), self.zone).await?;
        Ok(FunnelAnalysis { period: scope.range, funnel })
    }

    /// The rows behind one figure, a page at a time.
    pub async fn report_drill(&self, q: &DrillQuery) -> Result<DrillPage> {
        let period = self.resolve(&q.query)?;
        let mut tx = self.pool.begin().await?;
        let sets = StageSets::new(&stages::list(&mut tx).await?);
        let scope = Scope::new(period.current, q.query.owner.as_deref());
        let page = drill::drill(&mut tx, q, &scope, &sets, self.zone).await?;
        tx.commit().await?;
        Ok(page)
    }

    /// Everyone who owns a customer, a deal or a follow-up, for the owner picker.
    pub async fn report_owners(&self) -> Result<Vec<String>> {
        let mut conn = self.pool.acquire().await?;
        // Each branch reads an index on owner; the union sorts and deduplicates.
        Ok(sqlx::query_scalar(
            "SELECT owner FROM customers WHERE owner IS NOT NULL AND trim(owner) <> '' AND deleted_at IS NULL
             UNION SELECT owner FROM deals WHERE owner IS NOT NULL AND trim(owner) <> '' AND deleted_at IS NULL
             UNION SELECT owner FROM followups WHERE owner IS NOT NULL AND trim(owner) <> '' AND hidden = 0
             ORDER BY 1",
        )
        .fetch_all(&mut *conn)
        .await?)
    }

    /// Gathers one report (customer analysis: every dimension) or all of them.
    pub async fn report_book(&self, q: &ReportQuery, kind: ReportKind) -> Result<ReportBook> {
        let now = self.now();
        let period = period::resolve(q, self.zone.today(now), self.zone)?;
        let mut tx = self.pool.begin().await?;
        let stages = stages::list(&mut tx).await?;
        let sets = StageSets::new(&stages);
        let scope = Scope::new(period.current.clone(), q.owner.as_deref());
        let all = kind == ReportKind::All;
        let mut book = ReportBook::default();
        if all || kind == ReportKind::Dashboard {
            book.dashboard = Some(self.dashboard_in(&mut tx, q, period).await?);
        }
        if all || kind == ReportKind::Customers {
            for dimension in Dimension::ALL {
                book.analyses.push(analysis::analysis(&mut tx, &scope, &sets, dimension).await?);
            }
        }
        if all || kind == ReportKind::Performance {
            book.performance = Some(performance::performance(&mut tx, &scope, &sets).await?);
        }
        if all || kind == ReportKind::Followups {
            book.efficiency = Some(efficiency::efficiency(&mut tx, &scope, now).await?);
        }
        if all || kind == ReportKind::Funnel {
            let funnel = funnel::report(&mut tx, &stages, &cohort(&scope), self.zone).await?;
            book.funnel = Some(FunnelAnalysis { period: scope.range.clone(), funnel });
        }
        tx.commit().await?;
        Ok(book)
    }

    /// Writes one report or all of them to `.xlsx`, with native charts.
    pub async fn export_report(&self, q: &ReportQuery, kind: ReportKind, path: &Path) -> Result<()> {
        let lang = self.language().await?;
        let book = self.report_book(q, kind).await?;
        // A workbook of a few tables is written in milliseconds; no need to leave the task.
        xlsx::write(&book, lang, path)?;
        let details = serde_json::json!({ "file": path.to_string_lossy(), "kind": kind, "preset": q.preset, "from": q.from, "to": q.to, "owner": q.owner });
        crate::audit::record(&mut *self.pool.acquire().await?, self.now(), crate::audit::AuditAction::ReportExport, None, details).await
    }
}

/// The funnel of a period is its cohort: the deals created in it.
fn cohort(scope: &Scope) -> DealFilter {
    DealFilter {
        owner: scope.owner.clone(),
        from: Some(scope.range.from.clone()),
        to: Some(scope.range.to.clone()),
        customer_id: None,
        stage_id: None,
        customer_filter: None,
    }
}
