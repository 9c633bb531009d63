//! 一本账 Yiben CRM — the headless core.
//!
//! Everything a user can do lives here: the domain types, all SQL (one module per entity),
//! and [`Crm`], the façade that both the desktop shell and the `yiben` CLI call. It never
//! depends on tauri, so `cargo test` at the workspace root stays fast.

pub mod audit;
pub mod backup;
pub mod bench;
pub mod clock;
mod crm;
pub mod custom_fields;
pub mod customers;
pub mod deals;
mod db;
pub mod domain;
pub mod encryption;
pub mod error;
pub mod export;
pub mod followups;
pub mod import;
pub mod industries;
pub mod ledger_file;
pub mod money;
pub mod paths;
pub mod reminders;
pub mod reports;
mod saved_file;
pub mod segments;
pub mod settings;
pub mod tags;
pub mod texts;
pub mod zone;

pub use clock::{Clock, FixedClock, IdGen, RandomIds, SequentialIds, SystemClock};
pub use crm::{
    ConnectionSettings, Crm, FilterSummary, FollowupCursor, FollowupPage, NewCustomer, ReportKind, SaveOutcome, TagTarget, Workbench,
};
pub use error::{Error, ErrorBody, ErrorCode, Result};
pub use zone::Zone;
