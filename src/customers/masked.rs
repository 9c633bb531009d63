//! A customer's contact details as a masked list shows them (动态脱敏), for the detail page to
//! show until the user asks to see the real ones. The masking rules are the export's.

use serde::Serialize;
use ts_rs::TS;

use super::Customer;
use crate::export::mask;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MaskedDetails {
    pub phone: Option<String>,
    pub email: Option<String>,
    /// In the customer's contact order.
    pub contacts: Vec<MaskedContact>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MaskedContact {
    pub phones: Vec<String>,
    pub email: Option<String>,
    pub wechat: Option<String>,
}

impl MaskedDetails {
    pub fn of(c: &Customer) -> MaskedDetails {
        MaskedDetails {
            phone: c.phone.as_deref().map(mask::phone),
            email: c.email.as_deref().map(mask::email),
            contacts: c
                .contacts
                .iter()
                .map(|k| MaskedContact {
                    phones: k.phones.iter().map(|p| mask::phone(p)).collect(),
                    email: k.email.as_deref().map(mask::email),
                    wechat: k.wechat.as_deref().map(mask::wechat),
                })
                .collect(),
        }
    }
}
