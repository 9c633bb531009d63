//! Many deals with their whole stage history in one go: the benchmark's data generator
//! writes through here, so the rows obey the same invariants as deals made one by one
//! (current stage = last history row, furthest stage, the stages' completed stays).

use std::collections::HashMap;

use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use super::{Stage, StageKind};
use crate::Result;

/// A deal as it happened: the stages it went through, with when (ms), oldest first.
#[derive(Debug, Clone)]
pub struct PastDeal {
    pub uid: String,
    pub customer_id: i64,
    pub name: String,
    pub amount_fen: i64,
    pub close_date: Option<String>,
    pub probability: Option<i64>,
    pub owner: Option<String>,
    /// Never empty; consecutive stages differ.
    pub path: Vec<(i64, i64)>,
    pub lost_reason: Option<String>,
}

pub async fn insert(conn: &mut SqliteConnection, stages: &[Stage], deals: &[PastDeal]) -> Result<()> {
    let by_id: HashMap<i64, &Stage> = stages.iter().map(|s| (s.id, s)).collect();
    let rank = |id: i64| by_id.get(&id).map(|s| (s.kind == StageKind::Won, s.position));
    let mut stays: HashMap<i64, (i64, i64)> = HashMap::new();
    for chunk in deals.chunks(2000) {
        let mut qb = QueryBuilder::<Sqlite>::new(
            "INSERT INTO deals (uid, customer_id, name, amount_fen, close_date, probability, owner, stage_id, stage_at,
                                furthest_stage_id, lost_reason, created_at, updated_at) ",
        );
        qb.push_values(chunk, |mut b, d| {
            let (stage, at) = *d.path.last().expect("a path");
            let furthest = d
                .path
                .iter()
                .map(|(id, _)| *id)
                .filter(|id| by_id.get(id).is_some_and(|s| s.kind != StageKind::Lost))
                .max_by_key(|id| rank(*id));
            let lost = by_id.get(&stage).is_some_and(|s| s.kind == StageKind::Lost);
            b.push_bind(&d.uid)
                .push_bind(d.customer_id)
                .push_bind(&d.name)
                .push_bind(d.amount_fen)
                .push_bind(&d.close_date)
                .push_bind(d.probability)
                .push_bind(&d.owner)
                .push_bind(stage)
                .push_bind(at)
                .push_bind(furthest)
                .push_bind(if lost { d.lost_reason.clone() } else { None })
                .push_bind(d.path[0].1)
                .push_bind(at);
        });
        qb.push(" RETURNING id");
        let ids: Vec<i64> = qb.build_query_scalar().fetch_all(&mut *conn).await?;
        let mut rows = Vec::new();
        for (id, d) in ids.iter().zip(chunk) {
            let mut from = None;
            for (i, &(stage, at)) in d.path.iter().enumerate() {
                rows.push((*id, from, stage, at));
                if let Some(&(_, next)) = d.path.get(i + 1) {
                    let s = stays.entry(stage).or_default();
                    s.0 += 1;
                    s.1 += next - at;
                }
                from = Some(stage);
            }
        }
        for part in rows.chunks(8000) {
            let mut qb = QueryBuilder::<Sqlite>::new("INSERT INTO deal_stage_history (deal_id, from_stage, to_stage, at) ");
            qb.push_values(part, |mut b, r| {
                b.push_bind(r.0).push_bind(r.1).push_bind(r.2).push_bind(r.3);
            });
            qb.build().execute(&mut *conn).await?;
        }
    }
    for (stage, (count, ms)) in stays {
        sqlx::query("UPDATE deal_stages SET stay_count = stay_count + ?, stay_ms = stay_ms + ? WHERE id = ?")
            .bind(count)
            .bind(ms)
            .bind(stage)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}
