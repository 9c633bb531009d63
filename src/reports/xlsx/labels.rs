//! The workbook's words in the user's language. Built-in stages and follow-up methods are
//! named by their code (the user's own ones keep their name); size bands are codes too.

use crate::deals::funnel::FunnelStage;
use crate::reports::{Dimension, KpiKey, MethodRow, PeriodRange};
use crate::settings::Language;

pub(super) fn pick(lang: Language, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Language::ZhCn => zh,
        Language::En => en,
    }
}

/// "概览 · 2026-11-01 至 2026-11-24"
pub(super) fn title(lang: Language, report: &str, period: &PeriodRange) -> String {
    format!("{report} · {}", range(lang, period))
}

pub(super) fn range(lang: Language, period: &PeriodRange) -> String {
    format!("{} {} {}", period.from, pick(lang, "至", "to"), period.to)
}

pub(super) fn not_set(lang: Language) -> &'static str {
    pick(lang, "未填写", "Not set")
}

pub(super) fn total(lang: Language) -> &'static str {
    pick(lang, "合计", "Total")
}

/// A group's key, or 未填写 when it has none.
pub(super) fn or_not_set(lang: Language, key: Option<&str>) -> String {
    match key.filter(|k| !k.trim().is_empty()) {
        Some(k) => k.to_owned(),
        None => not_set(lang).to_owned(),
    }
}

pub(super) fn kpi(lang: Language, key: KpiKey) -> &'static str {
    match key {
        KpiKey::NewCustomers => pick(lang, "新增客户", "New customers"),
        KpiKey::Followups => pick(lang, "跟进次数", "Follow-ups"),
        KpiKey::DealsWon => pick(lang, "成交单数", "Deals won"),
        KpiKey::AmountWon => pick(lang, "成交金额（元）", "Amount won (¥)"),
        KpiKey::Pipeline => pick(lang, "在途商机金额（元）", "Pipeline (¥)"),
    }
}

pub(super) fn dimension(lang: Language, dimension: Dimension) -> &'static str {
    match dimension {
        Dimension::Industry => pick(lang, "行业", "Industry"),
        Dimension::Size => pick(lang, "规模", "Size (employees)"),
        Dimension::Region => pick(lang, "地区", "Region"),
        Dimension::Source => pick(lang, "来源", "Source"),
        Dimension::Grade => pick(lang, "等级", "Grade"),
        Dimension::Tag => pick(lang, "标签", "Tag"),
        Dimension::Owner => pick(lang, "负责人", "Owner"),
    }
}

pub(super) fn by_dimension(lang: Language, dimension: Dimension) -> String {
    match lang {
        Language::ZhCn => format!("按{}", self::dimension(lang, dimension)),
        Language::En => format!("By {}", self::dimension(lang, dimension).to_lowercase()),
    }
}

/// A group's label: size bands by their code, an empty key as 未填写.
pub(super) fn group(lang: Language, dimension: Dimension, key: Option<&str>) -> String {
    if dimension == Dimension::Size {
        let band = match key {
            Some("lt20") => Some(pick(lang, "20人以下", "< 20")),
            Some("20_99") => Some(pick(lang, "20–99人", "20–99")),
            Some("100_499") => Some(pick(lang, "100–499人", "100–499")),
            Some("500_999") => Some(pick(lang, "500–999人", "500–999")),
            Some("ge1000") => Some(pick(lang, "1000人及以上", "≥ 1000")),
            _ => None,
        };
        if let Some(band) = band {
            return band.to_owned();
        }
    }
    or_not_set(lang, key)
}

pub(super) fn stage(lang: Language, stage: &FunnelStage) -> String {
    stage_name(lang, stage.code.as_deref(), &stage.name)
}

pub(super) fn stage_name(lang: Language, code: Option<&str>, name: &str) -> String {
    if lang == Language::En {
        let english = match code {
            Some("lead") => Some("Lead"),
            Some("qualified") => Some("Qualified"),
            Some("proposal") => Some("Proposal"),
            Some("negotiation") => Some("Negotiation"),
            Some("won") => Some("Won"),
            Some("lost") => Some("Lost"),
            _ => None,
        };
        if let Some(english) = english {
            return english.to_owned();
        }
    }
    name.to_owned()
}

pub(super) fn method(lang: Language, row: &MethodRow) -> String {
    if lang == Language::En {
        let english = match row.code.as_deref() {
            Some("phone") => Some("Phone"),
            Some("wechat") => Some("WeChat"),
            Some("visit") => Some("Visit"),
            Some("email") => Some("E-mail"),
            Some("meeting") => Some("Meeting"),
            _ => None,
        };
        if let Some(english) = english {
            return english.to_owned();
        }
    }
    or_not_set(lang, Some(&row.name))
}

/// A lost reason, or 未填写 when none was given.
pub(super) fn reason(lang: Language, reason: &str) -> String {
    or_not_set(lang, Some(reason))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn size_bands_and_empty_keys() {
        assert_eq!(group(Language::ZhCn, Dimension::Size, Some("lt20")), "20人以下");
        assert_eq!(group(Language::En, Dimension::Size, Some("ge1000")), "≥ 1000");
        assert_eq!(group(Language::En, Dimension::Size, None), "Not set");
        assert_eq!(group(Language::ZhCn, Dimension::Industry, Some("")), "未填写");
        // Only the size dimension knows band codes.
        assert_eq!(group(Language::ZhCn, Dimension::Tag, Some("lt20")), "lt20");
    }

    #[test]
    fn built_in_codes_are_translated_and_own_names_kept() {
        assert_eq!(stage_name(Language::En, Some("qualified"), "意向客户"), "Qualified");
        assert_eq!(stage_name(Language::ZhCn, Some("qualified"), "意向客户"), "意向客户");
        assert_eq!(stage_name(Language::En, None, "试用中"), "试用中");
        let own = MethodRow { code: None, name: "展会".into(), ..Default::default() };
        assert_eq!(method(Language::En, &own), "展会");
    }
}
