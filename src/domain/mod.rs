//! Parse, don't validate: raw text from a form, a CLI flag or a spreadsheet cell becomes a
//! typed value once, at the edge, or a field error code the UI can translate.

pub mod day;
pub mod email;
pub mod mobile;
pub mod phone;
pub mod pinyin_keys;
pub mod text;

pub use email::Email;
pub use mobile::Mobile;
pub use phone::Phone;
pub use pinyin_keys::{cjk_grams, is_short_cjk, pinyin_keys};
pub use text::{company_core, half_width, name_key, CustomerName};
