//! Money is integer fen everywhere; these are the only conversions to text.

/// 3000000 → "30000", 3000050 → "30000.50".
pub fn fen_to_yuan_text(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let fen = fen.unsigned_abs();
    if fen % 100 == 0 {
        format!("{sign}{}", fen / 100)
    } else {
        format!("{sign}{}.{:02}", fen / 100, fen % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table() {
        assert_eq!(fen_to_yuan_text(0), "0");
        assert_eq!(fen_to_yuan_text(3_000_000), "30000");
        assert_eq!(fen_to_yuan_text(3_000_050), "30000.50");
        assert_eq!(fen_to_yuan_text(7), "0.07");
        assert_eq!(fen_to_yuan_text(-150), "-1.50");
    }
}
