//! The user-managed lists: industries and custom fields.

use super::{settings_changed, Crm};
use crate::custom_fields::{self, CustomField, CustomFieldInput};
use crate::industries::{self, Industry};
use crate::Result;

impl Crm {
    pub async fn industries(&self) -> Result<Vec<Industry>> {
        industries::list(&mut *self.pool.acquire().await?).await
    }

    pub async fn save_industry(&self, industry: &Industry) -> Result<Industry> {
        let now = self.now();
        let mut tx = self.write().await?;
        let saved = industries::save(&mut tx, industry).await?;
        settings_changed(&mut tx, now, "industries", &saved).await?;
        tx.commit().await?;
        Ok(saved)
    }

    pub async fn delete_industry(&self, code: &str) -> Result<()> {
        let now = self.now();
        let mut tx = self.write().await?;
        industries::delete(&mut tx, code).await?;
        settings_changed(&mut tx, now, "industries", &serde_json::json!({ "deleted": code })).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn custom_fields(&self) -> Result<Vec<CustomField>> {
        custom_fields::list(&mut *self.pool.acquire().await?).await
    }

    pub async fn create_custom_field(&self, input: &CustomFieldInput) -> Result<CustomField> {
        let now = self.now();
        let mut tx = self.write().await?;
        let field = custom_fields::create(&mut tx, input).await?;
        settings_changed(&mut tx, now, "custom_fields", &field).await?;
        tx.commit().await?;
        Ok(field)
    }

    pub async fn update_custom_field(&self, id: i64, input: &CustomFieldInput) -> Result<CustomField> {
        let now = self.now();
        let mut tx = self.write().await?;
        let field = custom_fields::update(&mut tx, id, input).await?;
        settings_changed(&mut tx, now, "custom_fields", &field).await?;
        tx.commit().await?;
        Ok(field)
    }
}
