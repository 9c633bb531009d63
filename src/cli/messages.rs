//! The CLI's human-readable output, in the language the user chose in the app.

use chrono::Local;
use yiben::customers::{Customer, CustomerPage};
use yiben::settings::Language;
use yiben::Error;

fn field_label(field: &str, lang: Language) -> &str {
    match (field, lang) {
        ("name", Language::ZhCn) => "客户名称",
        ("phone", Language::ZhCn) => "手机号",
        ("industry", Language::ZhCn) => "所属行业",
        ("limit", Language::ZhCn) => "每页条数",
        ("name", Language::En) => "name",
        ("phone", Language::En) => "phone",
        ("industry", Language::En) => "industry",
        ("limit", Language::En) => "limit",
        (other, _) => other,
    }
}

fn reason(code: &str, lang: Language) -> String {
    match (code, lang) {
        ("required", Language::ZhCn) => "必填".into(),
        ("too_long", Language::ZhCn) => "太长".into(),
        ("phone_invalid", Language::ZhCn) => "不是有效的中国大陆手机号（11位，以1开头，可带+86）".into(),
        ("out_of_range", Language::ZhCn) => "超出允许范围".into(),
        ("taken", Language::ZhCn) => "已被占用".into(),
        ("required", Language::En) => "is required".into(),
        ("too_long", Language::En) => "is too long".into(),
        ("phone_invalid", Language::En) => {
            "is not a valid Chinese mobile number (11 digits starting with 1, +86 allowed)".into()
        }
        ("out_of_range", Language::En) => "is out of range".into(),
        ("taken", Language::En) => "is already taken".into(),
        (other, _) => other.into(),
    }
}

pub fn describe(err: &Error, lang: Language) -> String {
    let fields = err.fields();
    if fields.is_empty() {
        let prefix = if lang == Language::ZhCn { "错误" } else { "error" };
        return format!("{prefix}: {err}");
    }
    let heading = match lang {
        Language::ZhCn => "输入有误，未保存任何内容：",
        Language::En => "invalid input, nothing was saved:",
    };
    let lines: Vec<String> = fields
        .iter()
        .map(|(field, code)| {
            let sep = if lang == Language::ZhCn { "：" } else { " " };
            format!("  {}{sep}{}", field_label(field, lang), reason(code, lang))
        })
        .collect();
    format!("{heading}\n{}", lines.join("\n"))
}

pub fn added(c: &Customer, lang: Language) -> String {
    match lang {
        Language::ZhCn => format!("已添加客户 #{}：{}", c.id, c.name),
        Language::En => format!("added customer #{}: {}", c.id, c.name),
    }
}

pub fn table(page: &CustomerPage, lang: Language) -> String {
    let header = match lang {
        Language::ZhCn => ["ID", "客户名称", "手机号", "所属行业", "创建时间"],
        Language::En => ["ID", "Name", "Phone", "Industry", "Created"],
    };
    let mut out = header.join("\t") + "\n";
    for c in &page.items {
        let created = c.created_at.with_timezone(&Local).format("%Y-%m-%d %H:%M");
        out += &format!(
            "{}\t{}\t{}\t{}\t{}\n",
            c.id,
            c.name,
            c.phone.as_deref().unwrap_or("-"),
            c.industry.as_deref().unwrap_or("-"),
            created
        );
    }
    out += &match (lang, page.next_cursor) {
        (Language::ZhCn, Some(next)) => format!("共 {} 位客户；下一页：--after {next}\n", page.total),
        (Language::ZhCn, None) => format!("共 {} 位客户\n", page.total),
        (Language::En, Some(next)) => format!("{} customers; next page: --after {next}\n", page.total),
        (Language::En, None) => format!("{} customers\n", page.total),
    };
    out
}
