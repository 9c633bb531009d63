//! The CLI's human-readable output, in the language the user chose in the app.

use chrono::Local;
use yiben::custom_fields::CustomField;
use yiben::customers::duplicates::{DuplicateMatch, MatchKind};
use yiben::customers::history::{HistoryAction, HistoryEntry};
use yiben::customers::{Customer, CustomerPage};
use yiben::settings::Language;
use yiben::Error;

fn zh(lang: Language) -> bool {
    lang == Language::ZhCn
}

use yiben::texts::{field_label, reason};

/// A field error code as a sentence fragment.
pub fn reason_text(code: &str, lang: Language) -> String {
    reason(code, lang)
}

pub fn describe(err: &Error, lang: Language) -> String {
    match (err, zh(lang)) {
        (Error::WrongPassword, true) => return "错误：密码不正确".into(),
        (Error::PasswordRequired, true) => {
            return "错误：账本已加密，请用环境变量 YIBEN_PASSWORD 或 --password-stdin 提供密码".into()
        }
        (Error::PasswordRequired, false) => {
            return "error: the ledger is encrypted; give its password in YIBEN_PASSWORD or with --password-stdin".into()
        }
        _ => {}
    }
    let fields = err.fields();
    if fields.is_empty() {
        return match yiben::texts::error_sentence(err.code(), lang) {
            // The technical detail stays, for whoever is asked for help.
            Some(sentence) if zh(lang) => format!("错误：{sentence}（{err}）"),
            Some(sentence) => format!("error: {sentence} ({err})"),
            None => format!("{}: {err}", if zh(lang) { "错误" } else { "error" }),
        };
    }
    let heading = if zh(lang) { "输入有误，未保存任何内容：" } else { "invalid input, nothing was saved:" };
    let sep = if zh(lang) { "：" } else { " " };
    let lines: Vec<String> =
        fields.iter().map(|(field, code)| format!("  {}{sep}{}", field_label(field, lang), reason(code, lang))).collect();
    format!("{heading}\n{}", lines.join("\n"))
}

fn title(c: &Customer) -> String {
    format!("#{} {}{}", c.id, c.name, c.number.as_ref().map(|n| format!("（{n}）")).unwrap_or_default())
}

pub fn saved(c: &Customer, lang: Language) -> String {
    if zh(lang) { format!("已保存客户 {}", title(c)) } else { format!("saved customer {}", title(c)) }
}

pub fn deleted(c: &Customer, lang: Language) -> String {
    if zh(lang) { format!("已将客户 {} 移入回收站", title(c)) } else { format!("moved customer {} to the recycle bin", title(c)) }
}

pub fn restored(c: &Customer, lang: Language) -> String {
    if zh(lang) { format!("已恢复客户 {}", title(c)) } else { format!("restored customer {}", title(c)) }
}

pub fn merged(c: &Customer, absorbed: i64, lang: Language) -> String {
    if zh(lang) { format!("已将 #{absorbed} 合并到 {}", title(c)) } else { format!("merged #{absorbed} into {}", title(c)) }
}

fn match_kind(kind: MatchKind, lang: Language) -> &'static str {
    match (kind, zh(lang)) {
        (MatchKind::Number, true) => "编号相同",
        (MatchKind::Phone, true) => "电话相同",
        (MatchKind::Email, true) => "邮箱相同",
        (MatchKind::Name, true) => "名称相同",
        (MatchKind::SimilarName, true) => "名称相近",
        (MatchKind::Number, false) => "same number",
        (MatchKind::Phone, false) => "same phone",
        (MatchKind::Email, false) => "same e-mail",
        (MatchKind::Name, false) => "same name",
        (MatchKind::SimilarName, false) => "similar name",
    }
}

pub fn duplicates(matches: &[DuplicateMatch], lang: Language) -> String {
    let mut out = if zh(lang) {
        "可能与已有客户重复，未保存（确认不是同一客户可加 --allow-duplicate，或用 customers merge 合并）：\n".to_owned()
    } else {
        "may duplicate existing customers; nothing saved (add --allow-duplicate to keep both, or use customers merge):\n"
            .to_owned()
    };
    for m in matches {
        let reasons: Vec<String> =
            m.reasons.iter().map(|r| format!("{} {}", match_kind(r.kind, lang), r.value)).collect();
        out += &format!("  #{} {} — {}\n", m.customer.id, m.customer.name, reasons.join("；"));
    }
    out.trim_end().to_owned()
}

pub fn profile(c: &Customer, fields: &[CustomField], lang: Language) -> String {
    let mut out = format!("{}\n", title(c));
    let status = match (c.deleted_at, c.merged_into, zh(lang)) {
        (_, Some(into), true) => Some(format!("已合并到 #{into}")),
        (_, Some(into), false) => Some(format!("merged into #{into}")),
        (Some(_), _, true) => Some("在回收站中".to_owned()),
        (Some(_), _, false) => Some("in the recycle bin".to_owned()),
        _ => None,
    };
    if let Some(status) = status {
        out += &format!("  [{status}]\n");
    }
    for (field, value) in yiben::customers::history::field_values(c) {
        let Some(value) = value else { continue };
        if field == "name" || field == "number" || field == "contacts" || field.starts_with("custom.") {
            continue;
        }
        out += &format!("  {}: {value}\n", field_label(&field, lang));
    }
    for (i, k) in c.contacts.iter().enumerate() {
        let mut parts = vec![k.name.clone()];
        parts.extend(k.title.clone());
        parts.extend(k.phones.iter().cloned());
        parts.extend(k.email.clone());
        parts.extend(k.wechat.clone().map(|w| format!("微信 {w}")));
        if k.decision_maker {
            parts.push(if zh(lang) { "决策人".into() } else { "decision maker".into() });
        }
        parts.extend(k.role.clone());
        out += &format!("  {}{}: {}\n", field_label("contacts", lang), i + 1, parts.join(" · "));
    }
    for field in fields {
        if let Some(value) = c.custom.get(&field.key) {
            let text = match value {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Array(items) => items.iter().filter_map(|v| v.as_str()).collect::<Vec<_>>().join("、"),
                other => other.to_string(),
            };
            out += &format!("  {}: {text}\n", field.label);
        }
    }
    out
}

pub fn history(entries: &[HistoryEntry], lang: Language) -> String {
    let mut out = String::new();
    for e in entries {
        let at = e.at.with_timezone(&Local).format("%Y-%m-%d %H:%M");
        let action = match (e.action, zh(lang)) {
            (HistoryAction::Create, true) => "创建",
            (HistoryAction::Update, true) => "修改",
            (HistoryAction::Delete, true) => "删除",
            (HistoryAction::Restore, true) => "恢复",
            (HistoryAction::Merge, true) => "合并",
            (HistoryAction::MergedAway, true) => "被合并",
            (HistoryAction::Create, false) => "created",
            (HistoryAction::Update, false) => "changed",
            (HistoryAction::Delete, false) => "deleted",
            (HistoryAction::Restore, false) => "restored",
            (HistoryAction::Merge, false) => "merged",
            (HistoryAction::MergedAway, false) => "merged away",
        };
        let detail = match &e.field {
            Some(field) => format!(
                " {}: {} → {}",
                field_label(field, lang),
                e.old_value.as_deref().unwrap_or("—"),
                e.new_value.as_deref().unwrap_or("—")
            ),
            None => String::new(),
        };
        out += &format!("{at}  {action}{detail}\n");
    }
    out
}

pub fn table(page: &CustomerPage, lang: Language) -> String {
    let header = if zh(lang) {
        ["ID", "客户编号", "客户名称", "电话", "所属行业", "负责人", "更新时间"]
    } else {
        ["ID", "Number", "Name", "Phone", "Industry", "Owner", "Updated"]
    };
    let mut out = header.join("\t") + "\n";
    for c in &page.items {
        let updated = c.updated_at.with_timezone(&Local).format("%Y-%m-%d %H:%M");
        let cell = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
        out += &format!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
            c.id,
            cell(&c.number),
            c.name,
            cell(&c.phone),
            cell(&c.industry),
            cell(&c.owner),
            updated
        );
    }
    let total = page.total.unwrap_or(page.items.len() as i64);
    out += &match (zh(lang), &page.next_cursor) {
        (true, Some(next)) => format!("共 {total} 位客户；下一页：--cursor '{next}'\n"),
        (true, None) => format!("共 {total} 位客户\n"),
        (false, Some(next)) => format!("{total} customers; next page: --cursor '{next}'\n"),
        (false, None) => format!("{total} customers\n"),
    };
    out
}
