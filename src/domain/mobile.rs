use std::fmt;

use serde::Serialize;

use super::text::half_width;

/// A mainland-China mobile number, stored as its 11 digits (`1[3-9]` + 9 digits).
///
/// Input arrives the way people type and paste it: `+86 139-1234-5678`, `(+86)13912345678`,
/// `0086 13912345678`, full-width digits from a Chinese IME, spaces and dashes anywhere.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Mobile(String);

impl Mobile {
    /// The error is the field code `phone_invalid`.
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let mut s = String::with_capacity(raw.len());
        for c in half_width(raw).chars() {
            match c {
                '0'..='9' | '+' => s.push(c),
                ' ' | '-' | '(' | ')' | '.' | '\u{2014}' | '\u{2013}' | '\u{FF0D}' => {}
                _ => return Err("phone_invalid"),
            }
        }
        let digits = if let Some(rest) = s.strip_prefix("+86") {
            rest
        } else if let Some(rest) = s.strip_prefix("0086") {
            rest
        } else if s.len() == 13 && s.starts_with("86") {
            &s[2..]
        } else {
            &s
        };
        let bytes = digits.as_bytes();
        let valid = bytes.len() == 11
            && bytes[0] == b'1'
            && (b'3'..=b'9').contains(&bytes[1])
            && bytes.iter().all(u8::is_ascii_digit);
        if valid {
            Ok(Mobile(digits.to_owned()))
        } else {
            Err("phone_invalid")
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Mobile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepted_forms_normalize_to_eleven_digits() {
        let cases = [
            "13912345678",
            "139 1234 5678",
            "139-1234-5678",
            "+8613912345678",
            "+86 139 1234 5678",
            "(+86)13912345678",
            "(+86) 139-1234-5678",
            "008613912345678",
            "0086 139 1234 5678",
            "8613912345678",
            "１３９１２３４５６７８",
            "＋８６ １３９１２３４５６７８",
            "\u{3000}13912345678\u{3000}",
            "139.1234.5678",
        ];
        for raw in cases {
            assert_eq!(Mobile::parse(raw).map(|m| m.to_string()), Ok("13912345678".into()), "{raw:?}");
        }
    }

    #[test]
    fn every_second_digit_from_3_to_9_is_a_mobile() {
        for second in 3..=9 {
            let raw = format!("1{second}912345678");
            assert!(Mobile::parse(&raw).is_ok(), "{raw}");
        }
    }

    #[test]
    fn rejected_forms() {
        let cases = [
            "",
            "1391234567",    // 10 digits
            "139123456789",  // 12 digits
            "12912345678",   // second digit 2
            "10912345678",   // second digit 0
            "23912345678",   // does not start with 1
            "+8712912345678",
            "1391234567a",
            "139/12345678",
            "+86",
            "010-12345678",  // a landline is not a mobile
            "1.3912345678E10",
        ];
        for raw in cases {
            assert_eq!(Mobile::parse(raw), Err("phone_invalid"), "{raw:?}");
        }
    }
}
