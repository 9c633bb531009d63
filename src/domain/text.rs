use serde::Serialize;

/// Full-width ASCII (ＡＢＣ１２３，) and the ideographic space become their half-width forms.
/// Chinese input methods produce these constantly, and users cannot see the difference.
pub fn half_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// The key two names are compared by for duplicates: half-width, trimmed, inner whitespace
/// collapsed, lower case. "  华信科技 ＡＢＣ " and "华信科技 abc" share one key.
pub fn name_key(s: &str) -> String {
    half_width(s).split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// A customer's display name: required, trimmed, at most [`CustomerName::MAX_CHARS`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CustomerName(String);

impl CustomerName {
    pub const MAX_CHARS: usize = 200;

    /// Errors are field codes: `required`, `too_long`.
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let trimmed = raw.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}');
        if trimmed.is_empty() {
            return Err("required");
        }
        if trimmed.chars().count() > Self::MAX_CHARS {
            return Err("too_long");
        }
        Ok(CustomerName(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn key(&self) -> String {
        name_key(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_width_maps_full_width_ascii_and_ideographic_space() {
        assert_eq!(half_width("ＡＢＣ１２３，\u{3000}x"), "ABC123, x");
        assert_eq!(half_width("华信科技"), "华信科技");
    }

    #[test]
    fn name_key_table() {
        let cases = [
            ("华信科技", "华信科技"),
            ("  华信科技  ", "华信科技"),
            ("\u{3000}华信科技\u{3000}", "华信科技"),
            ("ＡＢＣ Trading", "abc trading"),
            ("ABC   trading", "abc trading"),
            ("abc\ttrading", "abc trading"),
        ];
        for (raw, key) in cases {
            assert_eq!(name_key(raw), key, "{raw:?}");
        }
    }

    #[test]
    fn name_rules() {
        assert_eq!(CustomerName::parse("  张三 ").unwrap().as_str(), "张三");
        assert_eq!(CustomerName::parse("\u{3000} \u{3000}"), Err("required"));
        assert_eq!(CustomerName::parse(""), Err("required"));
        assert!(CustomerName::parse(&"客".repeat(200)).is_ok());
        assert_eq!(CustomerName::parse(&"客".repeat(201)), Err("too_long"));
    }
}
