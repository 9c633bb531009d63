use std::fmt;

use serde::Serialize;

use super::mobile::Mobile;
use super::text::half_width;

/// A phone number as a customer record holds it: a mobile, a landline with its area code
/// (and extension), or a 400/800 hotline. Stored in one normalized text form, so the same
/// number typed two ways is found as one duplicate.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Phone(String);

impl Phone {
    /// The error is the field code `phone_invalid`.
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        if let Ok(mobile) = Mobile::parse(raw) {
            return Ok(Phone(mobile.as_str().to_owned()));
        }
        parse_landline(raw).map(Phone).ok_or("phone_invalid")
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_mobile(&self) -> bool {
        self.0.len() == 11 && self.0.starts_with('1')
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// `010-12345678`, `(0755)1234567`, `+86 21 1234 5678`, `021-12345678转801`, `400-123-4567`
/// → `010-12345678`, `0755-1234567`, `021-12345678`, `021-12345678-801`, `400-123-4567`.
fn parse_landline(raw: &str) -> Option<String> {
    let text = half_width(raw).to_lowercase();
    // The extension follows 转, "ext", "x" or a third dash-separated group.
    let (main, ext) = split_extension(&text);
    let mut digits = String::new();
    for c in main.chars() {
        match c {
            '0'..='9' => digits.push(c),
            '+' if digits.is_empty() => digits.push('+'),
            ' ' | '-' | '(' | ')' | '.' | '\u{2014}' | '\u{2013}' => {}
            _ => return None,
        }
    }
    let digits = if let Some(rest) = digits.strip_prefix("+86") {
        format!("0{rest}")
    } else if let Some(rest) = digits.strip_prefix("0086") {
        format!("0{rest}")
    } else if digits.starts_with('+') {
        return None;
    } else {
        digits
    };
    let ext = match ext {
        Some(e) if !e.is_empty() && e.len() <= 6 && e.bytes().all(|b| b.is_ascii_digit()) => Some(e),
        Some(_) => return None,
        None => None,
    };
    let main = if (digits.starts_with("400") || digits.starts_with("800")) && digits.len() == 10 {
        format!("{}-{}-{}", &digits[..3], &digits[3..6], &digits[6..])
    } else {
        let area_len = area_code_len(&digits)?;
        let local = &digits[area_len..];
        if !(7..=8).contains(&local.len()) || local.starts_with('0') {
            return None;
        }
        format!("{}-{}", &digits[..area_len], local)
    };
    Some(match ext {
        Some(e) => format!("{main}-{e}"),
        None => main,
    })
}

/// 010 and 02X are the three-digit area codes; every other one is 0 + three digits.
fn area_code_len(digits: &str) -> Option<usize> {
    let b = digits.as_bytes();
    if b.len() < 3 || b[0] != b'0' || b[1] == b'0' {
        return None;
    }
    let len = if b[1] == b'1' && b[2] == b'0' || b[1] == b'2' { 3 } else { 4 };
    // "011" would be a four-digit code with one digit missing: not a number, not a panic.
    (b.len() >= len).then_some(len)
}

fn split_extension(text: &str) -> (&str, Option<String>) {
    for marker in ["转", "ext.", "ext", "x", "#"] {
        if let Some(pos) = text.find(marker) {
            let ext: String = text[pos + marker.len()..].chars().filter(|c| !c.is_whitespace()).collect();
            return (&text[..pos], Some(ext));
        }
    }
    // 021-12345678-801: a third dash group after a full local number.
    let groups: Vec<&str> = text.trim().split('-').map(str::trim).collect();
    if groups.len() == 3 && groups[0].starts_with('0') && (7..=8).contains(&groups[1].len()) && groups[2].len() <= 6 {
        let main_end = text.rfind('-').unwrap_or(text.len());
        return (&text[..main_end], Some(groups[2].to_owned()));
    }
    (text, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn landline_table() {
        let cases = [
            ("010-12345678", "010-12345678"),
            ("010 1234 5678", "010-12345678"),
            ("(010)12345678", "010-12345678"),
            ("（010）12345678", "010-12345678"),
            ("0755-1234567", "0755-1234567"),
            ("075512345678", "0755-12345678"),
            ("021-12345678", "021-12345678"),
            ("+86 21 1234 5678", "021-12345678"),
            ("0086-755-12345678", "0755-12345678"),
            ("021-12345678-801", "021-12345678-801"),
            ("021-12345678转801", "021-12345678-801"),
            ("021-12345678 ext 801", "021-12345678-801"),
            ("0571 8888 8888 x12", "0571-88888888-12"),
            ("400-123-4567", "400-123-4567"),
            ("4001234567", "400-123-4567"),
            ("800 123 4567", "800-123-4567"),
        ];
        for (raw, normalized) in cases {
            assert_eq!(Phone::parse(raw).map(|p| p.to_string()), Ok(normalized.into()), "{raw:?}");
        }
    }

    #[test]
    fn mobiles_stay_eleven_digits() {
        let p = Phone::parse("+86 139-1234-5678").unwrap();
        assert_eq!(p.as_str(), "13912345678");
        assert!(p.is_mobile());
        assert!(!Phone::parse("010-12345678").unwrap().is_mobile());
    }

    #[test]
    fn rejected() {
        for raw in [
            "", "12345", "010-123", "010-123456789", "0010-12345678", "010-01234567", "abc",
            "021-12345678转", "021-12345678转abc", "+1 212 555 0100", "1391234567", "400-123-456",
            // Found by fuzzing: shorter than their own area code (they used to panic).
            "011", "0755", "(011)", "011转8",
        ] {
            assert_eq!(Phone::parse(raw), Err("phone_invalid"), "{raw:?}");
        }
    }
}
