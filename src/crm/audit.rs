//! Reading the audit log; each logged operation writes its own entry (see `crate::audit`).

use super::Crm;
use crate::audit::{self, AuditPage, AuditQuery};
use crate::Result;

impl Crm {
    /// A page of the log, newest first, filtered by action, time range and text.
    pub async fn audit_log(&self, query: &AuditQuery) -> Result<AuditPage> {
        audit::list(&mut *self.pool.acquire().await?, query).await
    }
}
