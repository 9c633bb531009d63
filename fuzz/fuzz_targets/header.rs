//! Header detection and column mapping over grids of mixed cells, as calamine hands them over.
#![no_main]

use libfuzzer_sys::fuzz_target;
use yiben::import::{detect_header, header_names, read_delimited, suggest, Cell};

fn typed(cell: Cell, selector: u8) -> Cell {
    // Spreadsheet cells are not only text: some become numbers, dates, booleans or errors.
    let Cell::Text(text) = cell else { return cell };
    match selector % 5 {
        0 => text.trim().parse::<f64>().map(Cell::Number).unwrap_or(Cell::Text(text)),
        1 => chrono::NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%d %H:%M:%S").map(Cell::Date).unwrap_or(Cell::Text(text)),
        2 if text.starts_with('#') => Cell::Error(text),
        3 if text == "TRUE" || text == "FALSE" => Cell::Bool(text == "TRUE"),
        _ => Cell::Text(text),
    }
}

fuzz_target!(|bytes: &[u8]| {
    let Some((&selector, rest)) = bytes.split_first() else { return };
    let text = String::from_utf8_lossy(rest);
    let rows: Vec<Vec<Cell>> = read_delimited(&text)
        .into_iter()
        .enumerate()
        .map(|(r, row)| row.into_iter().enumerate().map(|(c, cell)| typed(cell, selector ^ (r as u8) ^ (c as u8))).collect())
        .collect();
    let Some(at) = detect_header(&rows) else { return };
    assert!(at < rows.len());
    let names = header_names(&rows[at]);
    let mapping = suggest(&names);
    assert_eq!(mapping.len(), names.len(), "one target per header");
});
