use std::fmt;

use serde::Serialize;

use super::text::half_width;

/// An e-mail address, stored lower-cased: addresses are compared case-insensitively for
/// duplicates, and no mail system in use distinguishes case in the local part.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    pub const MAX_CHARS: usize = 254;

    /// The error is the field code `email_invalid`.
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        // Chinese IMEs produce ＠ and full-width dots; people paste "mailto:".
        let text = half_width(raw).replace('。', ".");
        let text = text.trim();
        let text = text.strip_prefix("mailto:").unwrap_or(text).to_lowercase();
        let (local, domain) = text.split_once('@').ok_or("email_invalid")?;
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local.chars().all(|c| c.is_ascii_alphanumeric() || "._%+-'".contains(c));
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && labels.iter().all(|l| {
                !l.is_empty() && !l.starts_with('-') && !l.ends_with('-') && l.chars().all(|c| c.is_alphanumeric() || c == '-')
            })
            && labels.last().is_some_and(|tld| tld.chars().count() >= 2 && tld.chars().all(char::is_alphabetic));
        if local_ok && domain_ok && text.chars().count() <= Self::MAX_CHARS {
            Ok(Email(text))
        } else {
            Err("email_invalid")
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepted_and_normalized() {
        let cases = [
            ("li.si@huaxin.com", "li.si@huaxin.com"),
            ("  Li.Si@HuaXin.COM ", "li.si@huaxin.com"),
            ("ｌｉｓｉ＠ｑｑ．ｃｏｍ", "lisi@qq.com"),
            ("mailto:sales@example.com.cn", "sales@example.com.cn"),
            ("wang+crm@mail.example.org", "wang+crm@mail.example.org"),
            ("zhang_san@163.com", "zhang_san@163.com"),
            ("info@公司.中国", "info@公司.中国"),
        ];
        for (raw, normalized) in cases {
            assert_eq!(Email::parse(raw).map(|e| e.to_string()), Ok(normalized.into()), "{raw:?}");
        }
    }

    #[test]
    fn rejected() {
        for raw in [
            "", "lisi", "lisi@", "@qq.com", "li si@qq.com", "lisi@qq", "lisi@qq.c", "lisi@@qq.com",
            ".lisi@qq.com", "li..si@qq.com", "lisi@-qq.com", "lisi@qq..com", "lisi@qq.123",
        ] {
            assert_eq!(Email::parse(raw), Err("email_invalid"), "{raw:?}");
        }
    }
}
