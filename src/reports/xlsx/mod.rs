//! Reports as an Excel workbook: formatted tables and native charts.
//!
//! Every chart is an Excel chart over the sheet's own table ranges (not a picture), so it
//! stays live in Excel and WPS. The sheets follow the customer export's rules: user text is
//! only ever written as a string, money is yuan with two decimals (exact from the fen),
//! shares are numbers formatted as percentages.

mod analysis;
mod charts;
mod efficiency;
mod funnel;
mod grid;
mod labels;
mod overview;
mod performance;

use std::path::Path;

use rust_xlsxwriter::{Workbook, XlsxError};

use super::{CustomerAnalysis, Dashboard, FollowupEfficiency, FunnelAnalysis, Performance};
use crate::settings::Language;
use crate::{Error, Result};

use grid::Sheet;
use labels::pick;

/// What goes into the workbook: a sheet (or a few) per report present.
#[derive(Debug, Clone, Default)]
pub struct ReportBook {
    pub dashboard: Option<Dashboard>,
    pub analyses: Vec<CustomerAnalysis>,
    pub performance: Option<Performance>,
    pub efficiency: Option<FollowupEfficiency>,
    pub funnel: Option<FunnelAnalysis>,
}

impl ReportBook {
    fn is_empty(&self) -> bool {
        self.dashboard.is_none()
            && self.analyses.is_empty()
            && self.performance.is_none()
            && self.efficiency.is_none()
            && self.funnel.is_none()
    }
}

pub fn write(book: &ReportBook, lang: Language, path: &Path) -> Result<()> {
    let mut workbook = Workbook::new();
    if let Some(dashboard) = &book.dashboard {
        overview::write(&mut workbook, dashboard, lang)?;
    }
    if !book.analyses.is_empty() {
        analysis::write(&mut workbook, &book.analyses, lang)?;
    }
    if let Some(performance) = &book.performance {
        performance::write(&mut workbook, performance, book, lang)?;
    }
    if let Some(efficiency) = &book.efficiency {
        efficiency::write(&mut workbook, efficiency, lang)?;
    }
    if let Some(funnel) = &book.funnel {
        funnel::write(&mut workbook, funnel, lang)?;
    }
    if book.is_empty() {
        // A workbook needs a sheet; say why it has nothing rather than leave an unnamed blank.
        let mut sheet = Sheet::add(&mut workbook, pick(lang, "报表", "Reports"))?;
        sheet.title(pick(lang, "报表", "Reports"))?;
        sheet.note(pick(lang, "没有选择要导出的报表。", "No report was chosen for export."))?;
        sheet.finish()?;
    }
    workbook.save(path).map_err(xlsx)?;
    Ok(())
}

/// rust_xlsxwriter's errors as the crate's: all of them are about the file being written.
fn xlsx(err: XlsxError) -> Error {
    match err {
        XlsxError::IoError(io) => Error::Io(io),
        XlsxError::TempFileError(_, io) => Error::Io(io),
        other => Error::from_file_writer(&other),
    }
}
