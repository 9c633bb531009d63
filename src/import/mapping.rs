//! Which customer field a column feeds, suggested from its header. Real sheets name the same
//! thing a dozen ways (`联系方式（电话/微信）`, `手机号*`, `E-mail`), so headers are compared by
//! a normalized key against known Chinese and English aliases.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::aliases::alias;
use crate::domain::half_width;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Target {
    Number,
    Name,
    Kind,
    Industry,
    Size,
    Revenue,
    Region,
    Address,
    Source,
    FirstContact,
    Owner,
    Grade,
    Stage,
    Needs,
    Notes,
    ContactName,
    ContactTitle,
    Phone,
    Wechat,
    Email,
    Tags,
    ExpectedAmount,
    /// A user-defined field, by its name.
    Custom(String),
    Ignore,
}

impl Target {
    /// Fields several columns may feed: a second phone, tag groups, notes under several
    /// headings (seed templates have 客户背景, 重要需求 and 风险提示 side by side).
    pub fn repeatable(&self) -> bool {
        matches!(self, Target::Phone | Target::Tags | Target::Notes)
    }
}

/// One suggestion per header, in order. A field is suggested for its first column only
/// (unless [`Target::repeatable`]); unknown headers are [`Target::Ignore`].
pub fn suggest(headers: &[String]) -> Vec<Target> {
    let mut taken = Vec::new();
    headers
        .iter()
        .map(|header| {
            let target = target_for(header);
            if target == Target::Ignore || target.repeatable() {
                return target;
            }
            if taken.contains(&target) {
                return Target::Ignore;
            }
            taken.push(target.clone());
            target
        })
        .collect()
}

/// The field a header names, on its own; [`Target::Ignore`] when unknown.
pub fn target_for(header: &str) -> Target {
    alias(&header_key(header)).unwrap_or(Target::Ignore)
}

/// Whether a text looks like a column header at all, including ones we deliberately ignore
/// (序号, 最近跟进时间); used to find the header row.
pub fn is_known_header(text: &str) -> bool {
    alias(&header_key(text)).is_some()
}

/// Half-width, lower case, without spaces, punctuation that varies (`*`, `:`, `-`, `_`, `.`)
/// or bracketed hints like `（必填）`. If the brackets held everything, their content counts.
pub fn header_key(header: &str) -> String {
    let text = half_width(header).replace(['【', '〔'], "(").replace(['】', '〕'], ")").replace(['[', ']'], "");
    let mut outside = String::new();
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => outside.push(c),
            _ => {}
        }
    }
    let key = squeeze(&outside);
    if key.is_empty() {
        squeeze(&text.replace(['(', ')'], ""))
    } else {
        key
    }
}

fn squeeze(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '*' | ':' | '-' | '_' | '.' | '·' | '\u{200B}' | '\u{FEFF}'))
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use Target::*;

    fn headers(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn header_key_normalizes_what_users_vary() {
        let cases = [
            ("  客户名称  ", "客户名称"),
            ("客户名称（必填）", "客户名称"),
            ("客户名称(选填)", "客户名称"),
            ("【必填】客户名称", "客户名称"),
            ("*客户名称", "客户名称"),
            ("客户名称：", "客户名称"),
            ("联系方式（电话/微信）", "联系方式"),
            ("联系方式(电话/)", "联系方式"),
            ("客 户 名 称", "客户名称"),
            ("Ｅ－ｍａｉｌ", "email"),
            ("E-mail", "email"),
            ("Customer Name", "customername"),
            ("phone_number", "phonenumber"),
            ("No.", "no"),
            ("(备注)", "备注"),
            ("\u{FEFF}客户编号", "客户编号"),
        ];
        for (raw, key) in cases {
            assert_eq!(header_key(raw), key, "{raw:?}");
        }
    }

    #[test]
    fn seed_template_headers() {
        // 表1:客户信息总表 from the seed tutorials, in order.
        let sheet = headers(&[
            "客户编号",
            "客户名称",
            "所属行业",
            "客户类型",
            "联系人",
            "职位",
            "联系方式(电话/)",
            "需求描述",
            "首次接触时间",
            "负责人",
            "最近跟进时间",
            "当前状态",
            "备注",
        ]);
        let want = vec![
            Number,
            Name,
            Industry,
            Kind,
            ContactName,
            ContactTitle,
            Phone,
            Needs,
            FirstContact,
            Owner,
            Ignore,
            Stage,
            Notes,
        ];
        assert_eq!(suggest(&sheet), want);
    }

    #[test]
    fn a_field_is_suggested_once_but_phone_tags_and_notes_repeat() {
        let sheet =
            headers(&["客户名称", "公司名称", "手机", "电话", "标签", "客户标签", "备注", "风险提示", "邮箱", "Email"]);
        assert_eq!(suggest(&sheet), vec![Name, Ignore, Phone, Phone, Tags, Tags, Notes, Notes, Email, Ignore]);
    }

    #[test]
    fn known_headers_include_ignored_ones() {
        assert!(is_known_header("序号"));
        assert!(is_known_header("客户名称（必填）"));
        assert!(!is_known_header("2024年客户信息表"));
        assert!(!is_known_header("制表人：张三"));
    }

    #[test]
    fn serializes_as_snake_case() {
        let json = serde_json::to_string(&vec![FirstContact, ExpectedAmount, Custom("微信群".into()), Ignore]).unwrap();
        assert_eq!(json, r#"["first_contact","expected_amount",{"custom":"微信群"},"ignore"]"#);
        let back: Vec<Target> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, vec![FirstContact, ExpectedAmount, Custom("微信群".into()), Ignore]);
    }
}
