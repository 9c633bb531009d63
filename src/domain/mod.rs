//! Parse, don't validate: raw text from a form, a CLI flag or a spreadsheet cell becomes a
//! typed value once, at the edge, or a field error code the UI can translate.

pub mod mobile;
pub mod text;

pub use mobile::Mobile;
pub use text::{half_width, name_key, CustomerName};
