//! The few sentences the core itself writes for people (the rejected-rows report, the CLI):
//! field names and error codes in the user's language. The UI has its own, fuller copies.

use crate::settings::Language;

fn zh(lang: Language) -> bool {
    lang == Language::ZhCn
}

pub fn field_label(field: &str, lang: Language) -> String {
    let labels: &[(&str, &str, &str)] = &[
        ("name", "客户名称", "name"),
        ("number", "客户编号", "number"),
        ("kind", "客户类型", "kind"),
        ("by", "分组维度", "group by"),
        ("period", "统计周期", "period"),
        ("reportKind", "报表", "report"),
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
        ("method", "跟进方式", "method"),
        ("content", "跟进内容", "content"),
        ("feedback", "客户反馈", "customer feedback"),
        ("nextStep", "下一步计划", "next step"),
        ("nextOwner", "下一步负责人", "next step owner"),
        ("nextAt", "预计完成时间", "next step due time"),
        ("leadMinutes", "提前提醒时间", "lead time"),
        ("filter", "筛选条件", "filter"),
        ("filter.at", "出错位置（从第 0 个字符数起）", "at character (from 0)"),
        ("color", "颜色", "colour"),
        ("group", "标签组", "tag group"),
        ("aMin", "A 级最低分", "lowest A score"),
        ("bMin", "B 级最低分", "lowest B score"),
        ("quietHours", "免打扰时段", "quiet hours"),
        ("status", "状态", "status"),
        ("days", "天数", "days"),
        ("amount", "预计金额", "expected amount"),
        ("closeDate", "预计成交日期", "expected close date"),
        ("probability", "赢单概率", "probability"),
        ("stageId", "销售阶段", "stage"),
        ("lostReason", "流失原因", "lost reason"),
        ("lostNote", "流失说明", "lost note"),
        ("at", "时间", "time"),
        ("from", "开始日期", "from"),
        ("to", "结束日期", "to"),
        ("stallDays", "停滞天数", "stall days"),
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

pub fn reason(code: &str, lang: Language) -> String {
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
        ("unknown_method", "不是已有的跟进方式（电话、微信、拜访、邮件、会议或自定义的方式）", "is not a follow-up method (phone, wechat, visit, email, meeting or one you added)"),
        ("not_after_followup", "应晚于这次跟进的时间", "must be after the follow-up itself"),
        ("reminder_not_open", "这条提醒已完成或已关闭", "the reminder is already done or closed"),
        ("time_invalid", "不是有效的时间（如 22:00）", "is not a valid time (e.g. 22:00)"),
        ("unexpected_end", "不完整：后面还缺条件", "ends too early: a condition is missing"),
        ("unexpected_token", "这里多出了内容", "has something unexpected here"),
        ("unclosed_paren", "括号没有闭合", "has an unclosed bracket"),
        ("too_deep", "括号或“非”嵌套太深（最多 32 层）", "nests brackets or NOTs too deeply (32 levels at most)"),
        ("unclosed_quote", "引号没有闭合", "has an unclosed quote"),
        ("empty_value", "条件缺少值（如 tag:决策人）", "has a condition without a value (e.g. tag:决策人)"),
        ("operator_missing", "条件缺少 : 或比较符（如 tag:决策人、employees>100）", "has a condition without : or a comparison (e.g. tag:决策人, employees>100)"),
        ("operator_invalid", "这个条件不能这样比较", "cannot compare that condition this way"),
        ("unknown_key", "有不认识的条件名（见 README 的筛选语法）", "has an unknown key (see the filter syntax in the README)"),
        ("unknown_tag", "没有这个标签（见 yiben tags list）", "names a tag that does not exist (see yiben tags list)"),
        ("value_invalid", "值无效", "has an invalid value"),
        ("name_invalid", "不能包含括号或引号", "cannot contain brackets or quotes"),
        ("color_invalid", "应为 #RRGGBB 颜色", "must be a #RRGGBB colour"),
        ("unknown_group", "没有这个标签组", "is not a tag group"),
        ("tag_automatic", "自动标签不能删除", "an automatic tag cannot be deleted"),
        ("same_tag", "不能与自己合并", "cannot be merged with itself"),
        ("unknown_deal", "不是这位客户的商机", "is not one of this customer's deals"),
        ("unknown_stage", "没有这个销售阶段（见 yiben deals stages）", "is not a stage (see yiben deals stages)"),
        ("unknown_reason", "不在流失原因列表中（见 yiben deals reasons）", "is not in the lost-reason list (see yiben deals reasons)"),
        ("same_stage", "商机已在这个阶段", "is the stage the deal is already in"),
        ("in_future", "不能晚于现在", "cannot be in the future"),
        ("before_last_change", "不能早于上一次阶段变更", "cannot be before the last stage change"),
        ("before_from", "早于开始日期", "is before the start date"),
        ("stages_mismatch", "必须恰好列出所有进行中的阶段", "must list every open stage exactly once"),
        ("stage_required", "这个阶段不能删除", "this stage cannot be removed"),
        ("reason_required", "至少保留一个流失原因", "at least one lost reason must remain"),
    ];
    reasons
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, z, e)| if zh(lang) { *z } else { *e })
        .unwrap_or(code)
        .to_owned()
}


/// What an error of the machine or of a file means to the user, for codes whose own message
/// is a technical one; `None` for codes that carry field errors or say enough themselves.
pub fn error_sentence(code: crate::ErrorCode, lang: Language) -> Option<&'static str> {
    use crate::ErrorCode as C;
    let (zh_text, en_text) = match code {
        C::Busy => ("账本正被其他程序占用，请稍后重试", "the ledger is in use by another program; try again shortly"),
        C::DiskFull => ("磁盘空间已满：请清理磁盘后重试；本次更改没有写入", "the disk is full: free some space and try again. The change was not written"),
        C::ReadOnly => (
            "无法写入：数据文件或所在的文件夹是只读的；请检查权限或换到可写的位置；本次更改没有保存",
            "cannot write: the data file or its folder is read-only; check the permissions or use a writable place. The change was not saved",
        ),
        C::DataFolderGone => (
            "数据文件夹已被删除或移走，已停止写入；本次更改没有写入",
            "the data folder was deleted or moved, so nothing is written. The change was not written",
        ),
        C::NotADatabase => ("该文件不是一本账的数据库，未做任何更改", "the file is not a Yiben database; nothing was changed"),
        C::BackupCorrupt => ("备份文件已损坏，无法恢复；当前数据未做任何更改", "the backup is damaged and cannot be restored; your data was not changed"),
        C::LedgerTooNew => (
            "这个账本已被更新版本的一本账使用过，请安装该版本后再打开；账本没有改动",
            "the ledger has been used by a newer version of Yiben; install that version to open it. The ledger was not changed",
        ),
        C::BackupTooNew => ("该备份由更新版本的一本账创建，请先升级再恢复", "the backup was made by a newer version of Yiben; update before restoring it"),
        C::Migration => ("无法升级数据库", "cannot upgrade the database"),
        C::Cancelled => ("已取消，未做任何更改", "cancelled; nothing was changed"),
        _ => return None,
    };
    Some(if zh(lang) { zh_text } else { en_text })
}
