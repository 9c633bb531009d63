//! Any bytes as a .csv/.txt file: encoding detection, then the delimited-text reader.
#![no_main]

use libfuzzer_sys::fuzz_target;
use yiben::import::{decode_text, detect_header, read_delimited, Cell, TextEncoding};

fuzz_target!(|bytes: &[u8]| {
    let Ok((text, encoding)) = decode_text(bytes) else { return };
    assert!(!text.trim().is_empty(), "blank text is reported as empty");
    if encoding == TextEncoding::Utf8 {
        // Plain UTF-8 is taken as is, except a character cut off at the very end.
        assert!(bytes.starts_with(text.as_bytes()));
    }
    let rows = read_delimited(&text);
    for row in &rows {
        assert!(row.iter().all(|c| !matches!(c, Cell::Text(t) if t.trim().is_empty())), "blank text is Cell::Empty");
    }
    if let Some(header) = detect_header(&rows) {
        assert!(header < rows.len());
    }
});
