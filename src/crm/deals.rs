//! The funnel operations as the desktop, the CLI and the reports call them. Every write that
//! can change a deal's stage also re-derives its customer's stage in the same transaction.

use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;

use super::Crm;
use crate::deals::forecast::{self, Forecast};
use crate::deals::funnel::{self, FunnelReport};
use crate::deals::input::{self as deal_input, NewDeal};
use crate::deals::stalled::{self, StallRules};
use crate::deals::store::{self, Context};
use crate::deals::{
    stages, Board, BoardColumn, Deal, DealFilter, DealInput, DealPage, DealQuery, DealSettings, LostReason,
    LostReasonInput, MoveInput, Stage, StageChange, StageInput,
};
use crate::error::FieldErrors;
use crate::{Error, Result};

/// Cards per kanban column on first load; "more" pages through the rest.
pub const BOARD_PAGE: u32 = 30;

impl Crm {
    async fn deal_context(&self, conn: &mut SqliteConnection, now: DateTime<Utc>) -> Result<Context> {
        let stages = stages::list(conn).await?;
        let settings = stages::deal_settings(conn).await?;
        let today = self.zone.today(now);
        let rules = StallRules::new(now, today, settings.stall_days, &stages);
        Ok(Context { stages, rules, zone: self.zone })
    }

    /// The filter with its customer condition checked against the ledger at `now`, as
    /// `store::push_filter` needs it.
    async fn checked(&self, conn: &mut SqliteConnection, filter: &DealFilter, now: DateTime<Utc>) -> Result<DealFilter> {
        let mut filter = filter.clone();
        if let Some(customers) = &mut filter.customer_filter {
            customers.prepare(conn, now, self.zone).await?;
        }
        Ok(filter)
    }

    pub async fn add_deal(&self, input: &DealInput) -> Result<Deal> {
        let now = self.now();
        let mut tx = self.write().await?;
        let ctx = self.deal_context(&mut tx, now).await?;
        let reasons = stages::lost_reasons(&mut tx).await?;
        let deal = NewDeal::parse(input, &ctx.stages, &reasons)?;
        let (_, customer_owner) = store::live_customer(&mut tx, deal.customer_id).await?;
        let owner = deal.owner.clone().or(customer_owner);
        let id = store::insert(&mut tx, &deal, &self.ids.next_uid(now), owner.as_deref(), now).await?;
        store::derive_customer_stage(&mut tx, deal.customer_id, now).await?;
        self.rerun_rules(&mut tx, deal.customer_id, now).await?;
        let saved = store::get(&mut tx, id, &ctx).await?;
        tx.commit().await?;
        Ok(saved)
    }

    /// Saves the deal form. A different stage is a move like any other (history, lost reason).
    pub async fn update_deal(&self, id: i64, input: &DealInput) -> Result<Deal> {
        let now = self.now();
        let mut tx = self.write().await?;
        let ctx = self.deal_context(&mut tx, now).await?;
        let before = store::live(&mut tx, id, &ctx).await?;
        let reasons = stages::lost_reasons(&mut tx).await?;
        let staged = DealInput { stage_id: input.stage_id.or(Some(before.stage_id)), ..input.clone() };
        let deal = NewDeal::parse(&staged, &ctx.stages, &reasons)?;
        store::live_customer(&mut tx, deal.customer_id).await?;
        if deal.stage.id != before.stage_id {
            store::move_stage(&mut tx, &before, &deal.stage, deal.lost.as_ref(), now, now, &ctx).await?;
        } else if let Some(lost) = &deal.lost {
            store::set_lost(&mut tx, id, lost).await?;
        }
        store::update_fields(&mut tx, id, &deal, now).await?;
        store::derive_customer_stage(&mut tx, deal.customer_id, now).await?;
        self.rerun_rules(&mut tx, deal.customer_id, now).await?;
        if before.customer_id != deal.customer_id {
            store::derive_customer_stage(&mut tx, before.customer_id, now).await?;
            self.rerun_rules(&mut tx, before.customer_id, now).await?;
        }
        let saved = store::get(&mut tx, id, &ctx).await?;
        tx.commit().await?;
        Ok(saved)
    }

    /// Moves a deal to a stage (drag and drop, the "move to" menu). 流失 needs a reason.
    pub async fn move_deal(&self, id: i64, input: &MoveInput) -> Result<Deal> {
        let now = self.now();
        let mut tx = self.write().await?;
        let ctx = self.deal_context(&mut tx, now).await?;
        let deal = store::live(&mut tx, id, &ctx).await?;
        let to = deal_input::stage(&ctx.stages, input.stage_id)?;
        let reasons = stages::lost_reasons(&mut tx).await?;
        let mut errors = FieldErrors::new();
        let lost = deal_input::lost(&mut errors, &to, &reasons, input.lost_reason.as_deref(), input.lost_note.as_deref());
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        store::move_stage(&mut tx, &deal, &to, lost.as_ref(), input.at.unwrap_or(now), now, &ctx).await?;
        store::derive_customer_stage(&mut tx, deal.customer_id, now).await?;
        self.rerun_rules(&mut tx, deal.customer_id, now).await?;
        let saved = store::get(&mut tx, id, &ctx).await?;
        tx.commit().await?;
        Ok(saved)
    }

    /// Moves a deal to the recycle bin.
    pub async fn delete_deal(&self, id: i64) -> Result<()> {
        let now = self.now();
        let mut tx = self.write().await?;
        let ctx = self.deal_context(&mut tx, now).await?;
        let deal = store::live(&mut tx, id, &ctx).await?;
        store::set_deleted(&mut tx, id, Some(now)).await?;
        store::derive_customer_stage(&mut tx, deal.customer_id, now).await?;
        self.rerun_rules(&mut tx, deal.customer_id, now).await?;
        let details = serde_json::json!({ "name": deal.name, "customerId": deal.customer_id });
        crate::audit::record(&mut tx, now, crate::audit::AuditAction::DealDelete, Some(("deal", id.to_string())), details).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Any deal, including one in the recycle bin.
    pub async fn deal(&self, id: i64) -> Result<Deal> {
        let now = self.now();
        let mut conn = self.pool.acquire().await?;
        let ctx = self.deal_context(&mut conn, now).await?;
        store::get(&mut conn, id, &ctx).await
    }

    /// The stage changes of a deal, oldest first.
    pub async fn deal_history(&self, id: i64) -> Result<Vec<StageChange>> {
        let mut conn = self.pool.acquire().await?;
        sqlx::query_scalar::<_, i64>("SELECT id FROM deals WHERE id = ?")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(Error::NotFound { entity: "deal", id: id.to_string() })?;
        store::history(&mut conn, id).await
    }

    pub async fn list_deals(&self, query: &DealQuery) -> Result<DealPage> {
        let now = self.now();
        let mut tx = self.pool.begin().await?;
        let ctx = self.deal_context(&mut tx, now).await?;
        let query = DealQuery { filter: self.checked(&mut tx, &query.filter, now).await?, ..query.clone() };
        store::page(&mut tx, &query, &ctx).await
    }

    /// The kanban: every stage with its count and amounts, and its first cards.
    pub async fn deal_board(&self, filter: &DealFilter) -> Result<Board> {
        let now = self.now();
        let mut tx = self.pool.begin().await?;
        let ctx = self.deal_context(&mut tx, now).await?;
        let filter = &self.checked(&mut tx, filter, now).await?;
        let rows = store::summary(&mut tx, filter, self.zone).await?;
        let mut columns = Vec::with_capacity(ctx.stages.len());
        for stage in &ctx.stages {
            let here: Vec<&store::Summary> = rows.iter().filter(|r| r.stage_id == stage.id).collect();
            let query = DealQuery {
                filter: DealFilter { stage_id: Some(stage.id), ..filter.clone() },
                limit: BOARD_PAGE,
                cursor: None,
            };
            let page = store::page(&mut tx, &query, &ctx).await?;
            columns.push(BoardColumn {
                stage: stage.clone(),
                count: here.iter().map(|r| r.count).sum(),
                amount_fen: here.iter().map(|r| r.amount_fen).sum(),
                weighted_fen: store::weighted_fen(&here, stage.probability),
                deals: page.items,
                next_cursor: page.next_cursor,
            });
        }
        let lost_reasons = stages::lost_reasons(&mut tx).await?;
        Ok(Board { columns, lost_reasons })
    }

    pub async fn funnel_report(&self, filter: &DealFilter) -> Result<FunnelReport> {
        let mut tx = self.pool.begin().await?;
        let stages = stages::list(&mut tx).await?;
        let filter = self.checked(&mut tx, filter, self.now()).await?;
        funnel::report(&mut tx, &stages, &filter, self.zone).await
    }

    /// SQLite's query plans behind the funnel report and the kanban's first load.
    pub async fn funnel_plans(&self, filter: &DealFilter) -> Result<Vec<(String, Vec<String>)>> {
        let mut conn = self.pool.acquire().await?;
        let stages = stages::list(&mut conn).await?;
        let filter = self.checked(&mut conn, filter, self.now()).await?;
        funnel::plans(&mut conn, &stages, &filter, self.zone).await
    }

    /// Adds generated deals with their past (the benchmark's data), in one transaction.
    pub async fn add_past_deals(&self, deals: &[crate::deals::bulk::PastDeal]) -> Result<()> {
        let mut tx = self.write().await?;
        let stages = stages::list(&mut tx).await?;
        crate::deals::bulk::insert(&mut tx, &stages, deals).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn deal_forecast(&self, filter: &DealFilter) -> Result<Forecast> {
        let now = self.now();
        let mut tx = self.pool.begin().await?;
        let stages = stages::list(&mut tx).await?;
        let filter = self.checked(&mut tx, filter, now).await?;
        forecast::forecast(&mut tx, &stages, &filter, self.zone, self.zone.offset_at(now)).await
    }

    /// Open deals that are stalled (no contact for N days, overdue, too long in their stage).
    pub async fn stalled_deals(&self, filter: &DealFilter, limit: u32) -> Result<Vec<Deal>> {
        let now = self.now();
        let mut tx = self.pool.begin().await?;
        let ctx = self.deal_context(&mut tx, now).await?;
        let filter = self.checked(&mut tx, filter, now).await?;
        stalled::list(&mut tx, &ctx, &filter, limit).await
    }

    pub async fn deal_stages(&self) -> Result<Vec<Stage>> {
        stages::list(&mut *self.pool.acquire().await?).await
    }

    pub async fn save_deal_stage(&self, input: &StageInput) -> Result<Stage> {
        let mut tx = self.write().await?;
        let stage = stages::save(&mut tx, input).await?;
        tx.commit().await?;
        Ok(stage)
    }

    pub async fn reorder_deal_stages(&self, open_ids: &[i64]) -> Result<Vec<Stage>> {
        let mut tx = self.write().await?;
        let list = stages::reorder(&mut tx, open_ids).await?;
        tx.commit().await?;
        Ok(list)
    }

    pub async fn delete_deal_stage(&self, id: i64) -> Result<()> {
        let mut tx = self.write().await?;
        stages::delete(&mut tx, id).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn lost_reasons(&self) -> Result<Vec<LostReason>> {
        stages::lost_reasons(&mut *self.pool.acquire().await?).await
    }

    pub async fn save_lost_reason(&self, input: &LostReasonInput) -> Result<LostReason> {
        stages::save_lost_reason(&mut *self.pool.acquire().await?, input).await
    }

    pub async fn delete_lost_reason(&self, id: i64) -> Result<()> {
        stages::delete_lost_reason(&mut *self.pool.acquire().await?, id).await
    }

    pub async fn deal_settings(&self) -> Result<DealSettings> {
        stages::deal_settings(&mut *self.pool.acquire().await?).await
    }

    pub async fn set_deal_settings(&self, value: &DealSettings) -> Result<()> {
        let now = self.now();
        let mut tx = self.write().await?;
        stages::set_deal_settings(&mut tx, value, now).await?;
        super::settings_changed(&mut tx, now, "deals", value).await?;
        tx.commit().await?;
        Ok(())
    }
}
