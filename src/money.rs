//! Money is integer fen everywhere; these are the only conversions between fen and text.
//! Decimal text is scaled exactly; no float ever touches a fen.

use crate::domain::half_width;

const INVALID: &str = "amount_invalid";

/// Chinese magnitudes and the shorthand sales people type (`30w`, `5k`), as powers of ten.
const UNITS: [(&str, u32); 7] = [("亿", 8), ("千万", 7), ("百万", 6), ("万", 4), ("w", 4), ("千", 3), ("k", 3)];
const PREFIXES: [&str; 7] = ["大约", "约", "人民币", "rmb", "cny", "¥", "￥"];

/// An amount as people write it (`30万`, `30万元`, `1.5亿`, `¥3,000`, `300,000.00`, `300000`)
/// in fen. A bare number is yuan. Blank, negative or malformed text is `amount_invalid`.
pub fn parse_amount(raw: &str) -> Result<i64, &'static str> {
    let text: String = half_width(raw).chars().filter(|c| !c.is_whitespace() && *c != '\u{3000}').collect();
    from_text(&text.to_lowercase()).ok_or(INVALID)
}

fn from_text(text: &str) -> Option<i64> {
    let mut text = text;
    while let Some(rest) = PREFIXES.iter().find_map(|p| text.strip_prefix(p)) {
        text = rest;
    }
    let text = text.strip_suffix("左右").unwrap_or(text);
    let text = text.strip_suffix(['元', '圆', '块']).unwrap_or(text);
    let (text, exponent) =
        UNITS.iter().find_map(|(unit, exp)| text.strip_suffix(unit).map(|t| (t, *exp))).unwrap_or((text, 0));
    decimal_fen(&ungroup(text)?, exponent)
}

/// `300,000.00` → `300000.00`, only when the commas really group thousands: `1,5` is not 15.
fn ungroup(text: &str) -> Option<String> {
    let (int, frac) = text.split_once('.').map_or((text, None), |(i, f)| (i, Some(f)));
    if int.contains(',') {
        let mut groups = int.split(',');
        let first = groups.next()?;
        if first.is_empty() || first.len() > 3 || groups.any(|g| g.len() != 3) {
            return None;
        }
    }
    let int = int.replace(',', "");
    Some(match frac {
        Some(frac) => format!("{int}.{frac}"),
        None => int,
    })
}

/// `digits[.digits]` × 10^exponent yuan, in fen, rounded half up at the fen.
pub fn decimal_fen(text: &str, exponent: u32) -> Option<i64> {
    let (int, frac) = text.split_once('.').unwrap_or((text, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty() || !all_digits(int) || !all_digits(frac) || text.ends_with('.') || int.len() + frac.len() > 30 {
        return None;
    }
    let mantissa: i128 = format!("{int}{frac}").parse().ok()?;
    let scaled = mantissa.checked_mul(10i128.checked_pow(exponent + 2)?)?;
    let divisor = 10i128.checked_pow(frac.len() as u32)?;
    i64::try_from((scaled + divisor / 2) / divisor).ok()
}

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

/// In 万元 as the seeds count deals: 30000000 → "30万", 1234500 → "1.2345万", 0 → "0".
pub fn fen_to_wan_text(fen: i64) -> String {
    if fen == 0 {
        return "0".into();
    }
    let sign = if fen < 0 { "-" } else { "" };
    let fen = fen.unsigned_abs();
    // 1万元 = 1,000,000 fen: six decimal places at most, trailing zeros dropped.
    let int = fen / 1_000_000;
    let frac = format!("{:06}", fen % 1_000_000);
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() {
        format!("{sign}{int}万")
    } else {
        format!("{sign}{int}.{frac}万")
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

    #[test]
    fn wan_table() {
        assert_eq!(fen_to_wan_text(0), "0");
        assert_eq!(fen_to_wan_text(30_000_000), "30万");
        assert_eq!(fen_to_wan_text(15_000_000_000), "15000万");
        assert_eq!(fen_to_wan_text(1_234_500), "1.2345万");
        assert_eq!(fen_to_wan_text(1), "0.000001万");
        assert_eq!(fen_to_wan_text(-50_000_000), "-50万");
    }

    #[test]
    fn amounts_for_a_deal() {
        let cases = [
            ("30万", 30_000_000),
            ("30万元", 30_000_000),
            ("300000", 30_000_000),
            ("300,000.00", 30_000_000),
            ("¥3,000", 300_000),
            ("1.5亿", 15_000_000_000),
            (" 28.3 万 ", 28_300_000),
            ("３０万", 30_000_000),
        ];
        for (raw, fen) in cases {
            assert_eq!(parse_amount(raw), Ok(fen), "{raw:?}");
        }
        for raw in ["", "  ", "-5万", "三十万", "30万美元", "1,5", "万"] {
            assert_eq!(parse_amount(raw), Err("amount_invalid"), "{raw:?}");
        }
    }
}
