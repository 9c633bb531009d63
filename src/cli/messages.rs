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

fn field_label(field: &str, lang: Language) -> String {
    let labels: &[(&str, &str, &str)] = &[
        ("name", "客户名称", "name"),
        ("number", "客户编号", "number"),
        ("kind", "客户类型", "kind"),
        ("industry", "所属行业", "industry"),
        ("employees", "员工人数", "employees"),
        ("revenue", "年营业额", "annual revenue"),
        ("region", "地区", "region"),
        ("address", "地址", "address"),
        ("source", "客户来源", "source"),
        ("firstContact", "首次接触日期", "first contact"),
        ("owner", "负责人", "owner"),
        ("grade", "客户等级", "grade"),
        ("stage", "客户阶段", "stage"),
        ("needs", "需求描述", "needs"),
        ("notes", "备注", "notes"),
        ("phone", "电话", "phone"),
        ("email", "邮箱", "e-mail"),
        ("contacts", "联系人", "contacts"),
        ("limit", "每页条数", "limit"),
        ("cursor", "翻页位置", "cursor"),
        ("title", "职位", "title"),
        ("wechat", "微信", "WeChat"),
        ("phones", "电话", "phone"),
        ("role", "决策角色", "role"),
        ("label", "名称", "label"),
        ("options", "选项", "options"),
        ("code", "代码", "code"),
        ("file", "文件", "file"),
        ("mapping", "列对应", "column mapping"),
        ("headerRow", "表头行", "header row"),
    ];
    // contacts.1.phones.0 → 联系人2 电话1
    let parts: Vec<&str> = field.split('.').collect();
    let word = |p: &str| {
        labels.iter().find(|(k, _, _)| *k == p).map(|(_, z, e)| if zh(lang) { *z } else { *e }).unwrap_or(p).to_owned()
    };
    match parts.as_slice() {
        ["contacts", i, rest @ ..] => {
            let n = i.parse::<usize>().map(|n| n + 1).unwrap_or(0);
            let tail: Vec<String> = rest
                .iter()
                .map(|p| p.parse::<usize>().map(|n| (n + 1).to_string()).unwrap_or_else(|_| word(p)))
                .collect();
            format!("{}{n} {}", word("contacts"), tail.join(""))
        }
        ["custom", key] => format!("{} {key}", if zh(lang) { "自定义字段" } else { "custom field" }),
        _ => word(field),
    }
}

/// A field error code as a sentence fragment.
pub fn reason_text(code: &str, lang: Language) -> String {
    reason(code, lang)
}

fn reason(code: &str, lang: Language) -> String {
    let reasons: &[(&str, &str, &str)] = &[
        ("required", "必填", "is required"),
        ("too_long", "太长", "is too long"),
        ("phone_invalid", "不是有效的电话号码（手机 11 位，或区号-号码）", "is not a valid Chinese mobile or landline number"),
        ("email_invalid", "不是有效的邮箱地址", "is not a valid e-mail address"),
        ("number_invalid", "不是有效的数字或编号", "is not a valid number"),
        ("date_invalid", "不是有效的日期（如 2024-03-01）", "is not a valid date (e.g. 2024-03-01)"),
        ("amount_invalid", "不是有效的金额（如 30万、¥300,000）", "is not a valid amount (e.g. 30万, ¥300,000)"),
        ("unknown_industry", "不在行业列表中（见 yiben industries list）", "is not in the industry list (see yiben industries list)"),
        ("unknown_field", "没有这个自定义字段", "is not a defined custom field"),
        ("option_invalid", "不是可选的选项", "is not one of the choices"),
        ("out_of_range", "超出允许范围", "is out of range"),
        ("taken", "已被占用", "is already taken"),
        ("cursor_invalid", "无效", "is not valid"),
        ("not_deleted", "不在回收站中", "is not in the recycle bin"),
        ("same_customer", "不能与自己合并", "cannot be merged with itself"),
        ("unknown_key", "有未知的项（可用 name, title, phone, wechat, email, role, decision）", "has an unknown key (name, title, phone, wechat, email, role, decision)"),
        ("in_use", "仍在使用中", "is still in use"),
        ("code_invalid", "应为 2–8 位大写字母或数字", "must be 2–8 upper-case letters or digits"),
        ("name_unmapped", "没有任何一列对应到客户名称", "no column is mapped to the customer name"),
        ("already_undone", "这次导入已经撤销过了", "this import was already undone"),
        ("import_empty", "文件是空的", "the file is empty"),
        ("import_unknown_encoding", "无法识别文件的文字编码（支持 UTF-8、UTF-16、GBK/GB18030）", "unknown text encoding (UTF-8, UTF-16 and GBK/GB18030 are supported)"),
        ("import_password_protected", "工作簿有密码保护，请先取消密码再导入", "the workbook is password protected; remove the password first"),
        ("import_unreadable", "文件已损坏或不是表格文件", "the file is damaged or not a spreadsheet"),
        ("import_unsupported_format", "不支持的文件类型（支持 xlsx、xlsm、xls、ods、csv、txt）", "unsupported file type (xlsx, xlsm, xls, ods, csv, txt)"),
        ("import_no_header", "找不到表头行（如 客户名称、电话）", "no header row found (e.g. 客户名称, 电话)"),
        ("import_sheet_not_found", "找不到这个工作表", "no such sheet"),
        ("import_io", "无法读取文件", "cannot read the file"),
    ];
    reasons
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, z, e)| if zh(lang) { *z } else { *e })
        .unwrap_or(code)
        .to_owned()
}

pub fn describe(err: &Error, lang: Language) -> String {
    let fields = err.fields();
    if fields.is_empty() {
        return format!("{}: {err}", if zh(lang) { "错误" } else { "error" });
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
