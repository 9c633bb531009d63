//! The audit log: every logged operation leaves exactly one entry, written with the
//! operation (nothing for one that failed), and the list pages and filters.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::AtomicBool;

use chrono::Duration;
use common::{add, add_anyway, input, ledger, t0};
use serde_json::json;
use yiben::audit::{AuditAction, AuditEntry, AuditQuery};
use yiben::custom_fields::{CustomFieldInput, CustomFieldKind};
use yiben::customers::ListQuery;
use yiben::deals::{DealInput, DealSettings};
use yiben::followups::FollowupInput;
use yiben::import::job::ImportRequest;
use yiben::industries::Industry;
use yiben::reports::ReportQuery;
use yiben::settings::Language;
use yiben::{Crm, ErrorCode, ReportKind};

async fn all(crm: &Crm) -> Vec<AuditEntry> {
    crm.audit_log(&AuditQuery {
        limit: 500,
        ..Default::default()
    })
    .await
    .unwrap()
    .items
}

async fn only(crm: &Crm, action: AuditAction) -> Vec<AuditEntry> {
    crm.audit_log(&AuditQuery {
        action: Some(action),
        limit: 500,
        ..Default::default()
    })
    .await
    .unwrap()
    .items
}

/// The one newest entry, which must be of `action`.
async fn last(crm: &Crm, action: AuditAction) -> AuditEntry {
    let newest = all(crm).await.into_iter().next().expect("an entry");
    assert_eq!(newest.action, action, "{newest:?}");
    newest
}

#[tokio::test]
async fn customer_deletes_restores_purges_and_merges_are_logged() {
    let l = ledger().await;
    let a = add(
        &l.crm,
        &input("华信科技有限公司", Some("13912345678"), None),
    )
    .await;
    let b = add_anyway(&l.crm, &input("华信科技", Some("13800001111"), None)).await;
    assert!(
        all(&l.crm).await.is_empty(),
        "adding and editing are not audited"
    );

    l.crm.delete_customer(a.id).await.unwrap();
    let e = last(&l.crm, AuditAction::CustomerDelete).await;
    assert_eq!(e.at, t0());
    assert_eq!(
        (e.entity.as_deref(), e.entity_id.as_deref()),
        (Some("customer"), Some(a.id.to_string().as_str()))
    );
    assert_eq!(e.details["name"], "华信科技有限公司");

    l.crm.restore_customer(a.id).await.unwrap();
    last(&l.crm, AuditAction::CustomerRestore).await;

    l.crm
        .merge_customers(a.id, b.id, &BTreeMap::new())
        .await
        .unwrap();
    let e = last(&l.crm, AuditAction::CustomerMerge).await;
    assert_eq!(e.entity_id.as_deref(), Some(a.id.to_string().as_str()));
    assert_eq!(e.details["absorbed"], b.id);
    assert_eq!(e.details["absorbedName"], "华信科技");

    l.crm.delete_customer(a.id).await.unwrap();
    l.crm.purge_customer(a.id).await.unwrap();
    let e = last(&l.crm, AuditAction::CustomerPurge).await;
    assert_eq!(
        e.details["name"], "华信科技有限公司",
        "a purged customer is still recognisable in the log"
    );

    // A refused operation leaves nothing.
    let live = add(&l.crm, &input("万家超市", None, None)).await;
    let count = all(&l.crm).await.len();
    assert_eq!(
        l.crm.delete_customer(9999).await.unwrap_err().code(),
        ErrorCode::NotFound
    );
    assert_eq!(
        l.crm.purge_customer(live.id).await.unwrap_err().code(),
        ErrorCode::Validation
    );
    assert_eq!(all(&l.crm).await.len(), count);
    assert_eq!(count, 5);
}

#[tokio::test]
async fn imports_undos_and_exports_are_logged() {
    let l = ledger().await;
    let file = l.dir.path().join("客户.csv");
    std::fs::write(
        &file,
        "客户名称,联系电话\n恒达精密,13511112222\n远航物流,13522223333\n坏行,123\n",
    )
    .unwrap();
    let req = ImportRequest {
        path: file.to_string_lossy().into_owned(),
        ..Default::default()
    };
    l.crm
        .import(&req, true, &AtomicBool::new(false), &|_| {})
        .await
        .unwrap();
    assert!(
        only(&l.crm, AuditAction::Import).await.is_empty(),
        "a dry run is not logged"
    );

    let report = l
        .crm
        .import(&req, false, &AtomicBool::new(false), &|_| {})
        .await
        .unwrap();
    let e = last(&l.crm, AuditAction::Import).await;
    assert_eq!(e.entity_id, report.import_id.map(|id| id.to_string()));
    assert_eq!(e.details["file"], "客户.csv");
    assert_eq!(e.details["imported"], 2);
    assert_eq!(e.details["rejected"], 1);
    // Its pre-import backup came first.
    assert_eq!(
        only(&l.crm, AuditAction::BackupCreate).await[0].details["kind"],
        "pre-import"
    );

    // A cancelled import writes no entry.
    let cancelled = l
        .crm
        .import(&req, false, &AtomicBool::new(true), &|_| {})
        .await
        .unwrap_err();
    assert_eq!(cancelled.code(), ErrorCode::Cancelled);
    assert_eq!(only(&l.crm, AuditAction::Import).await.len(), 1);

    l.crm.undo_import(None).await.unwrap();
    let e = last(&l.crm, AuditAction::ImportUndo).await;
    assert_eq!(e.details["removed"], 2);

    add(&l.crm, &input("万家超市", None, None)).await;
    let out = l.dir.path().join("名单.xlsx");
    let rows = l
        .crm
        .export_customers(
            &ListQuery::first(100),
            &yiben::export::Column::default_set(),
            true,
            &out,
        )
        .await
        .unwrap();
    let e = last(&l.crm, AuditAction::CustomerExport).await;
    assert_eq!(e.details["rows"], rows);
    assert_eq!(e.details["masked"], true);
    assert_eq!(e.details["file"], out.to_string_lossy().as_ref());

    let book = l.dir.path().join("报表.xlsx");
    l.crm
        .export_report(&ReportQuery::default(), ReportKind::All, &book)
        .await
        .unwrap();
    let e = last(&l.crm, AuditAction::ReportExport).await;
    assert_eq!(e.details["kind"], "all");
}

#[tokio::test]
async fn deal_followup_and_tag_removals_are_logged() {
    let l = ledger().await;
    let c = add(&l.crm, &input("华信科技", None, None)).await;
    let deal = l
        .crm
        .add_deal(&DealInput {
            customer_id: c.id,
            name: "CRM采购".into(),
            amount: "30万".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    l.crm.delete_deal(deal.id).await.unwrap();
    let e = last(&l.crm, AuditAction::DealDelete).await;
    assert_eq!(e.details["name"], "CRM采购");

    let f = l
        .crm
        .add_followup(
            c.id,
            &FollowupInput {
                method: "电话".into(),
                content: "问需求".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    l.crm.delete_followup(f.id).await.unwrap();
    let e = last(&l.crm, AuditAction::FollowupDelete).await;
    assert_eq!(e.details["customerId"], c.id);

    let x = l
        .crm
        .add_tag("老客户", "behavior", "#2080f0")
        .await
        .unwrap();
    let y = l
        .crm
        .add_tag("回头客", "behavior", "#2080f0")
        .await
        .unwrap();
    l.crm.merge_tags(x.id, y.id).await.unwrap();
    let e = last(&l.crm, AuditAction::TagMerge).await;
    assert_eq!(
        (e.details["from"].clone(), e.details["into"].clone()),
        (json!("老客户"), json!("回头客"))
    );
    l.crm.delete_tag(y.id).await.unwrap();
    assert_eq!(
        last(&l.crm, AuditAction::TagDelete).await.details["name"],
        "回头客"
    );
}

#[tokio::test]
async fn settings_changes_and_backups_are_logged() {
    let l = ledger().await;
    l.crm.set_language(Language::En).await.unwrap();
    let e = last(&l.crm, AuditAction::SettingsChange).await;
    assert_eq!(
        (e.entity_id.as_deref(), e.details["value"].clone()),
        (Some("language"), json!("en"))
    );
    l.crm
        .set_deal_settings(&DealSettings { stall_days: 21 })
        .await
        .unwrap();
    assert_eq!(
        last(&l.crm, AuditAction::SettingsChange).await.details["value"]["stallDays"],
        21
    );
    let mut rules = l.crm.reminder_settings().await.unwrap();
    rules.lead_minutes = 30;
    l.crm.set_reminder_settings(rules).await.unwrap();
    assert_eq!(
        last(&l.crm, AuditAction::SettingsChange)
            .await
            .entity_id
            .as_deref(),
        Some("reminders")
    );
    let mut grading = l.crm.grading().await.unwrap();
    grading.a_min = 85;
    l.crm.set_grading(grading).await.unwrap();
    assert_eq!(
        last(&l.crm, AuditAction::SettingsChange).await.details["value"]["aMin"],
        85
    );
    let industry = Industry {
        code: "AER".into(),
        name: "航空航天".into(),
        position: 20,
    };
    l.crm.save_industry(&industry).await.unwrap();
    let e = last(&l.crm, AuditAction::SettingsChange).await;
    assert_eq!(e.entity_id.as_deref(), Some("industries"));
    assert_eq!(e.details["value"]["name"], "航空航天");
    l.crm.delete_industry("AER").await.unwrap();
    let e = last(&l.crm, AuditAction::SettingsChange).await;
    assert_eq!(e.details["value"]["deleted"], "AER");
    let input = CustomFieldInput {
        label: "渠道".into(),
        kind: CustomFieldKind::Text,
        options: vec![],
        in_list: false,
    };
    let field = l.crm.create_custom_field(&input).await.unwrap();
    let e = last(&l.crm, AuditAction::SettingsChange).await;
    assert_eq!(e.details["value"]["label"], "渠道");
    let renamed = CustomFieldInput {
        label: "客户渠道".into(),
        ..input
    };
    l.crm.update_custom_field(field.id, &renamed).await.unwrap();
    let e = last(&l.crm, AuditAction::SettingsChange).await;
    assert_eq!(e.entity_id.as_deref(), Some("custom_fields"));
    assert_eq!(e.details["value"]["label"], "客户渠道");
    // An invalid setting is refused and not logged.
    assert!(l
        .crm
        .set_deal_settings(&DealSettings { stall_days: 0 })
        .await
        .is_err());
    let bad = Industry {
        code: "X".into(),
        name: "".into(),
        position: 1,
    };
    assert!(l.crm.save_industry(&bad).await.is_err());
    assert_eq!(only(&l.crm, AuditAction::SettingsChange).await.len(), 8);

    let made = l.crm.create_backup(None).await.unwrap();
    let e = last(&l.crm, AuditAction::BackupCreate).await;
    assert_eq!(e.details["kind"], "manual");
    assert_eq!(e.details["path"], made.path.as_str());
    l.clock.advance(Duration::hours(1));
    let restored = l.crm.restore(Path::new(&made.path)).await.unwrap();
    let e = last(&restored, AuditAction::BackupRestore).await;
    assert_eq!(e.at, t0() + Duration::hours(1));
    assert_eq!(e.details["file"], made.path.as_str());
    assert!(e.details["preRestoreBackup"]
        .as_str()
        .unwrap()
        .contains("pre-restore"));
}

#[tokio::test]
async fn the_log_pages_newest_first_and_filters_by_action_time_and_text() {
    let l = ledger().await;
    let mut ids = Vec::new();
    for (i, name) in ["华信科技", "万家超市", "恒达精密", "远航物流", "东方五金"]
        .iter()
        .enumerate()
    {
        l.clock.set(t0() + Duration::days(i as i64));
        let c = add(&l.crm, &input(name, None, None)).await;
        l.crm.delete_customer(c.id).await.unwrap();
        ids.push(c.id);
    }
    l.clock.set(t0() + Duration::days(10));
    l.crm.set_language(Language::En).await.unwrap();

    let page = l
        .crm
        .audit_log(&AuditQuery {
            limit: 2,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        page.items.iter().map(|e| e.action).collect::<Vec<_>>(),
        [AuditAction::SettingsChange, AuditAction::CustomerDelete]
    );
    let mut seen: Vec<i64> = page.items.iter().map(|e| e.id).collect();
    let mut cursor = page.next_cursor;
    while let Some(c) = cursor {
        let next = l
            .crm
            .audit_log(&AuditQuery {
                limit: 2,
                cursor: Some(c),
                ..Default::default()
            })
            .await
            .unwrap();
        seen.extend(next.items.iter().map(|e| e.id));
        cursor = next.next_cursor;
    }
    assert_eq!(seen.len(), 6);
    assert!(
        seen.windows(2).all(|w| w[0] > w[1]),
        "newest first, no repeats: {seen:?}"
    );

    let deletes = only(&l.crm, AuditAction::CustomerDelete).await;
    assert_eq!(deletes.len(), 5);

    // Days 1 to 3 (from inclusive, to exclusive).
    let range = AuditQuery {
        from: Some(t0() + Duration::days(1)),
        to: Some(t0() + Duration::days(3)),
        ..Default::default()
    };
    let names: Vec<String> = l
        .crm
        .audit_log(&range)
        .await
        .unwrap()
        .items
        .iter()
        .map(|e| e.details["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names, ["恒达精密", "万家超市"]);

    let text = AuditQuery {
        text: Some("远航".into()),
        ..Default::default()
    };
    let found = l.crm.audit_log(&text).await.unwrap().items;
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].entity_id, Some(ids[3].to_string()));
    // Text matches the entity id too, and % is not a wildcard.
    let by_id = l
        .crm
        .audit_log(&AuditQuery {
            text: Some("language".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(by_id.items.len(), 1);
    assert!(l
        .crm
        .audit_log(&AuditQuery {
            text: Some("%".into()),
            ..Default::default()
        })
        .await
        .unwrap()
        .items
        .is_empty());
    // Filters combine.
    let none = AuditQuery {
        action: Some(AuditAction::SettingsChange),
        text: Some("远航".into()),
        ..Default::default()
    };
    assert!(l.crm.audit_log(&none).await.unwrap().items.is_empty());

    let bad = l
        .crm
        .audit_log(&AuditQuery {
            limit: 501,
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(bad.fields()["limit"], "out_of_range");
    let backwards = AuditQuery {
        from: Some(t0() + Duration::days(2)),
        to: Some(t0()),
        ..Default::default()
    };
    assert_eq!(
        l.crm.audit_log(&backwards).await.unwrap_err().fields()["to"],
        "out_of_range"
    );
    assert_eq!(
        AuditAction::parse("nope").unwrap_err().fields()["action"],
        "unsupported"
    );
    for action in AuditAction::ALL {
        assert_eq!(AuditAction::parse(action.as_str()).unwrap(), action);
        assert_eq!(serde_json::to_value(action).unwrap(), action.as_str());
    }
}
