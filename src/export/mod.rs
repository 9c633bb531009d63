//! Writing .xlsx files for people to open in Excel/WPS: customer lists, the import template
//! and the rejected rows of an import. Pure: values in, files out, no database.
//!
//! Every sheet follows the same rules (see `cells.rs`): user text is only ever written as a
//! string, never as a formula; phones stay text; dates are real dates; money is yuan with
//! two decimals; headers are the names the import recognises, so a file round-trips.

mod cells;
mod column;
mod customers;
pub mod mask;
mod rejected;
mod template;

pub use column::Column;
pub use customers::{CustomerSheet, CustomerWriter, TagsAndScore};
pub use rejected::write_rejected;
pub use template::write_template;
