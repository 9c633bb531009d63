//! The header names each [`Target`] goes by, as normalized by [`header_key`]: lower case,
//! no spaces or brackets. Chinese from the seed templates and real sheets, English for
//! exports of foreign CRMs. One table, so adding an alias touches one place.
//!
//! [`header_key`]: super::mapping::header_key

use super::mapping::Target;

/// `None` for a header never seen; `Some(Ignore)` for one we know and deliberately skip.
pub(super) fn alias(key: &str) -> Option<Target> {
    use Target::*;
    let target = match key {
        "客户编号" | "编号" | "客户编码" | "客户代码" | "客户id" | "id" | "no" | "customerid" | "customerno"
        | "customernumber" | "customercode" => Number,
        "客户名称" | "客户名" | "客户全称" | "公司名称" | "公司" | "公司全称" | "企业名称" | "单位名称" | "名称"
        | "客户" | "company" | "companyname" | "customer" | "customername" | "account" | "accountname"
        | "organization" | "organisation" => Name,
        "客户类型" | "客户类别" | "类型" | "type" | "customertype" => Kind,
        "行业" | "所属行业" | "行业类别" | "行业分类" | "industry" => Industry,
        "企业规模" | "公司规模" | "客户规模" | "规模" | "员工人数" | "员工数" | "人数" | "size" | "companysize"
        | "employees" => Size,
        "年营业额" | "营业额" | "年营收" | "营收" | "年销售额" | "revenue" | "annualrevenue" => Revenue,
        "地区" | "区域" | "省份" | "城市" | "所在地区" | "所在城市" | "所在地" | "省市" | "region" | "city"
        | "province" | "area" => Region,
        "地址" | "详细地址" | "公司地址" | "联系地址" | "办公地址" | "address" => Address,
        "客户来源" | "信息来源" | "来源" | "渠道" | "来源渠道" | "获客渠道" | "渠道标签" | "source" | "leadsource"
        | "channel" => Source,
        "首次接触时间" | "首次联系时间" | "首次接触日期" | "首次联系日期" | "首次接触" | "firstcontact"
        | "firstcontactdate" | "firstcontacted" => FirstContact,
        "负责人" | "客户经理" | "跟进人" | "销售" | "业务员" | "归属人" | "销售负责人" | "owner" | "accountmanager"
        | "sales" | "salesperson" | "salesrep" => Owner,
        "客户等级" | "等级" | "客户级别" | "级别" | "grade" | "level" | "tier" => Grade,
        "当前状态" | "客户阶段" | "阶段" | "状态" | "销售阶段" | "跟进状态" | "成交阶段" | "stage" | "status" => {
            Stage
        }
        "需求" | "需求描述" | "客户需求" | "重要需求" | "needs" | "requirement" | "requirements" => Needs,
        "备注" | "备注信息" | "风险提示" | "背景" | "客户背景" | "说明" | "notes" | "note" | "remark" | "remarks"
        | "comment" | "comments" | "memo" => Notes,
        "联系人" | "客户姓名" | "姓名" | "联系人姓名" | "决策人姓名" | "contact" | "contactname" | "contactperson"
        | "name" => ContactName,
        "职位" | "职务" | "联系人职位" | "岗位" | "title" | "jobtitle" | "position" => ContactTitle,
        "电话" | "手机" | "手机号" | "手机号码" | "联系电话" | "联系方式" | "电话/微信" | "联系人电话" | "电话号码"
        | "phone" | "mobile" | "tel" | "telephone" | "cell" | "mobilephone" | "phonenumber" => Phone,
        "微信" | "微信号" | "wechat" | "weixin" | "wechatid" => Wechat,
        "邮箱" | "电子邮箱" | "邮件" | "电子邮件" | "邮箱地址" | "email" | "mail" | "emailaddress" => {
            Email
        }
        "标签" | "客户标签" | "需求标签" | "决策人标签" | "tags" | "tag" | "labels" => Tags,
        "预计成交金额" | "预计金额" | "金额" | "预估金额" | "商机金额" | "预算" | "expectedamount" | "amount"
        | "dealvalue" | "budget" => ExpectedAmount,
        // Headers real sheets have that no field takes; knowing them still helps find the header row.
        "序号" | "最近跟进时间" | "下次跟进时间" | "跟进记录" | "合作年限" | "创建时间" | "更新时间" => {
            Ignore
        }
        _ => return None,
    };
    Some(target)
}

#[cfg(test)]
mod tests {
    use super::super::mapping::target_for;
    use super::*;
    use Target::*;

    #[test]
    fn chinese_aliases() {
        let cases = [
            ("企业规模", Size),
            ("员工人数", Size),
            ("年营业额", Revenue),
            ("省份", Region),
            ("城市", Region),
            ("区域", Region),
            ("详细地址", Address),
            ("信息来源", Source),
            ("渠道", Source),
            ("首次联系时间", FirstContact),
            ("客户经理", Owner),
            ("跟进人", Owner),
            ("等级", Grade),
            ("客户阶段", Stage),
            ("需求", Needs),
            ("风险提示", Notes),
            ("背景", Notes),
            ("客户姓名", ContactName),
            ("姓名", ContactName),
            ("职务", ContactTitle),
            ("手机号", Phone),
            ("联系电话", Phone),
            ("联系方式（电话/微信）", Phone),
            ("微信号", Wechat),
            ("电子邮箱", Email),
            ("标签", Tags),
            ("预计成交金额", ExpectedAmount),
            ("预计金额", ExpectedAmount),
            ("金额", ExpectedAmount),
            ("公司名称", Name),
            ("客户类型", Kind),
            ("序号", Ignore),
            ("随便写的", Ignore),
            ("", Ignore),
        ];
        for (header, want) in cases {
            assert_eq!(target_for(header), want, "{header:?}");
        }
    }

    #[test]
    fn english_aliases_ignore_case_and_spacing() {
        let cases = [
            ("Company", Name),
            ("CUSTOMER", Name),
            ("Customer Name", Name),
            ("Name", ContactName),
            ("Contact", ContactName),
            ("Phone", Phone),
            ("Mobile", Phone),
            ("Tel", Phone),
            ("E-mail", Email),
            ("email", Email),
            ("Industry", Industry),
            ("Owner", Owner),
            ("Source", Source),
            ("Region", Region),
            ("Address", Address),
            ("Notes", Notes),
            ("Title", ContactTitle),
            ("WeChat", Wechat),
            ("Stage", Stage),
            ("Grade", Grade),
            ("Tags", Tags),
            ("Customer ID", Number),
            ("First Contact Date", FirstContact),
            ("Expected Amount", ExpectedAmount),
            ("Revenue", Revenue),
        ];
        for (header, want) in cases {
            assert_eq!(target_for(header), want, "{header:?}");
        }
    }
}
