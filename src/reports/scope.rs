//! What every report query is narrowed by: a period, an owner, and which stages count as
//! open, won, lost and "intent or further".

use sqlx::{QueryBuilder, Sqlite};

use super::PeriodRange;
use crate::deals::{Stage, StageKind};

#[derive(Debug, Clone)]
pub struct Scope {
    pub range: PeriodRange,
    /// Trimmed, non-empty.
    pub owner: Option<String>,
}

impl Scope {
    pub fn new(range: PeriodRange, owner: Option<&str>) -> Scope {
        Scope { range, owner: owner.map(str::trim).filter(|o| !o.is_empty()).map(str::to_owned) }
    }

    /// ` AND {column} >= start AND {column} < end`
    pub fn push_between(&self, qb: &mut QueryBuilder<Sqlite>, column: &str) {
        qb.push(format!(" AND {column} >= ")).push_bind(self.range.start_ms);
        qb.push(format!(" AND {column} < ")).push_bind(self.range.end_ms);
    }

    /// ` AND {column} = owner` when the report is one owner's.
    pub fn push_owner(&self, qb: &mut QueryBuilder<Sqlite>, column: &str) {
        if let Some(owner) = &self.owner {
            qb.push(format!(" AND {column} = ")).push_bind(owner.clone());
        }
    }
}

/// The stages by role. Ids are written into the SQL as integers (they come from the table).
#[derive(Debug, Clone)]
pub struct StageSets {
    pub open: Vec<i64>,
    pub won: Vec<i64>,
    pub lost: Vec<i64>,
    /// The intent stage and every later non-lost stage.
    pub intent_or_further: Vec<i64>,
    pub intent_name: Option<String>,
}

impl StageSets {
    pub fn new(stages: &[Stage]) -> StageSets {
        let of = |kind: StageKind| stages.iter().filter(|s| s.kind == kind).map(|s| s.id).collect::<Vec<_>>();
        let path: Vec<&Stage> = stages.iter().filter(|s| s.kind != StageKind::Lost).collect();
        // 意向客户 is the built-in `qualified`; a funnel without it takes its second stage.
        let intent = path
            .iter()
            .position(|s| s.code.as_deref() == Some("qualified"))
            .or_else(|| (path.len() > 1).then_some(1))
            .or_else(|| (!path.is_empty()).then_some(0));
        StageSets {
            open: of(StageKind::Open),
            won: of(StageKind::Won),
            lost: of(StageKind::Lost),
            intent_or_further: intent.map(|i| path[i..].iter().map(|s| s.id).collect()).unwrap_or_default(),
            intent_name: intent.map(|i| path[i].name.clone()),
        }
    }
}

/// `(1, 2, 3)`, or `(NULL)` for none, so `x IN …` is simply false.
pub fn id_list(ids: &[i64]) -> String {
    if ids.is_empty() {
        return "(NULL)".to_owned();
    }
    format!("({})", ids.iter().map(i64::to_string).collect::<Vec<_>>().join(", "))
}
