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

/// A company name without its legal-form suffix and bracketed region, for "possible
/// duplicate" hints: "华信科技有限公司", "华信科技（集团）股份有限公司" and "华信科技" share
/// "华信科技". Person names pass through as their key.
pub fn company_core(s: &str) -> String {
    const SUFFIXES: &[&str] = &[
        "股份有限公司", "有限责任公司", "有限公司", "集团公司", "集团", "公司", "co., ltd.", "co.,ltd.",
        "co., ltd", "co.,ltd", "co. ltd", "ltd.", "ltd", "inc.", "inc", "corp.", "corp", "limited", "group",
    ];
    let mut core = name_key(s);
    // Bracketed parts: （中国）, (集团), (北京).
    while let (Some(open), Some(close)) = (core.find(['(', '（']), core.rfind([')', '）'])) {
        if close <= open {
            break;
        }
        let close_end = close + core[close..].chars().next().map_or(1, char::len_utf8);
        core.replace_range(open..close_end, "");
    }
    loop {
        let trimmed = core.trim_end_matches([' ', ',', '.']).to_owned();
        match SUFFIXES.iter().find(|suffix| trimmed.ends_with(*suffix) && trimmed.len() > suffix.len()) {
            Some(suffix) => core = trimmed[..trimmed.len() - suffix.len()].to_owned(),
            None => return trimmed,
        }
    }
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
    fn company_core_table() {
        let cases = [
            ("华信科技有限公司", "华信科技"),
            ("华信科技股份有限公司", "华信科技"),
            ("华信科技有限责任公司", "华信科技"),
            ("华信科技（集团）股份有限公司", "华信科技"),
            ("华信科技集团", "华信科技"),
            ("华信科技(中国)有限公司", "华信科技"),
            ("ABC Trading Co., Ltd.", "abc trading"),
            ("张三", "张三"),
            ("公司", "公司"),
        ];
        for (raw, core) in cases {
            assert_eq!(company_core(raw), core, "{raw}");
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
