//! The native charts, each over one table's ranges: Excel and WPS redraw them from the cells.

use rust_xlsxwriter::{Chart, ChartAxisCrossing, ChartDataLabel, ChartLegendPosition, ChartType, ColNum, RowNum};

use super::grid::Range;

type Name<'a> = (&'a str, RowNum, ColNum);

/// Shares of a whole, one slice per group, labelled with their percentage.
pub(super) fn pie(title: &str, names: Range, values: Range, series: Name) -> Chart {
    let mut chart = Chart::new(ChartType::Pie);
    chart.title().set_name(title);
    chart.add_series().set_name(series).set_categories(names).set_values(values).set_data_label(ChartDataLabel::new().show_percentage());
    chart.legend().set_position(ChartLegendPosition::Right);
    chart
}

/// Rates (0–1) per category as upright columns, on an axis from 0 to 100 %.
pub(super) fn rates(title: &str, names: Range, values: Range, series: Name) -> Chart {
    let mut chart = columns(title, names, values, series, "0%");
    chart.y_axis().set_min(0.0).set_max(1.0);
    chart
}

/// One value per category as upright columns; `num_format` for the value axis.
pub(super) fn columns(title: &str, names: Range, values: Range, series: Name, num_format: &str) -> Chart {
    let mut chart = Chart::new(ChartType::Column);
    chart.title().set_name(title);
    chart.add_series().set_name(series).set_categories(names).set_values(values);
    chart.y_axis().set_num_format(num_format);
    chart.legend().set_hidden();
    chart
}

/// The funnel as horizontal bars, the first stage on top (rust_xlsxwriter has no funnel type).
pub(super) fn funnel(title: &str, names: Range, values: Range, series: Name) -> Chart {
    let mut chart = Chart::new(ChartType::Bar);
    chart.title().set_name(title);
    chart.add_series().set_name(series).set_categories(names).set_values(values).set_data_label(ChartDataLabel::new().show_value());
    // A bar chart's category axis is its y axis; reversed, the path reads top-down, and
    // crossing at the last stage keeps the value axis at the bottom.
    chart.y_axis().set_reverse().set_crossing(ChartAxisCrossing::Max);
    chart.legend().set_hidden();
    chart
}

/// Counts as columns with an amount as a line on a secondary axis (the trend).
pub(super) fn columns_and_line(title: &str, names: Range, counts: (Range, Name), amounts: (Range, Name)) -> Chart {
    let mut chart = Chart::new(ChartType::Column);
    chart.title().set_name(title);
    chart.add_series().set_name(counts.1).set_categories(names).set_values(counts.0);
    let mut line = Chart::new(ChartType::Line);
    line.add_series().set_name(amounts.1).set_categories(names).set_values(amounts.0).set_secondary_axis(true);
    chart.combine(&line);
    chart.y_axis().set_num_format("#,##0");
    chart.y2_axis().set_num_format("#,##0");
    chart.legend().set_position(ChartLegendPosition::Bottom);
    // Twelve month labels need the room.
    chart.set_width(TREND_WIDTH);
    chart
}

pub(super) const TREND_WIDTH: u32 = 720;
