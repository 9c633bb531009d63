//! The user-managed lists: industries and custom fields.

use super::Crm;
use crate::custom_fields::{self, CustomField, CustomFieldInput};
use crate::industries::{self, Industry};
use crate::Result;

impl Crm {
    pub async fn industries(&self) -> Result<Vec<Industry>> {
        industries::list(&mut *self.pool.acquire().await?).await
    }

    pub async fn save_industry(&self, industry: &Industry) -> Result<Industry> {
        industries::save(&mut *self.pool.acquire().await?, industry).await
    }

    pub async fn delete_industry(&self, code: &str) -> Result<()> {
        industries::delete(&mut *self.pool.acquire().await?, code).await
    }

    pub async fn custom_fields(&self) -> Result<Vec<CustomField>> {
        custom_fields::list(&mut *self.pool.acquire().await?).await
    }

    pub async fn create_custom_field(&self, input: &CustomFieldInput) -> Result<CustomField> {
        let mut tx = self.pool.begin().await?;
        let field = custom_fields::create(&mut tx, input).await?;
        tx.commit().await?;
        Ok(field)
    }

    pub async fn update_custom_field(&self, id: i64, input: &CustomFieldInput) -> Result<CustomField> {
        custom_fields::update(&mut *self.pool.acquire().await?, id, input).await
    }
}
