mod common;

use common::{add, input, ledger, total};
use yiben::customers::history::HistoryAction;
use yiben::customers::{ListQuery, Scope};

#[tokio::test]
async fn delete_restore_and_purge() {
    let l = ledger().await;
    let c = add(&l.crm, &input("误删客户", Some("13912345678"), None)).await;
    let keep = add(&l.crm, &input("留下的客户", None, None)).await;
    l.crm.delete_customer(c.id).await.unwrap();
    assert_eq!(total(&l.crm).await, 1);
    let bin = l.crm.list_customers(&ListQuery { scope: Scope::Deleted, ..ListQuery::first(10) }).await.unwrap();
    assert_eq!(bin.items.iter().map(|r| r.id).collect::<Vec<_>>(), [c.id]);
    assert!(bin.items[0].deleted_at.is_some());
    // Editing or deleting again what is in the bin is refused.
    assert!(l.crm.delete_customer(c.id).await.is_err());
    assert!(l.crm.update_customer(c.id, &c.to_input(), false).await.is_err());
    // Purging a live customer is refused.
    let err = l.crm.purge_customer(keep.id).await.unwrap_err();
    assert_eq!(err.fields().get("id").map(String::as_str), Some("not_deleted"));

    let restored = l.crm.restore_customer(c.id).await.unwrap();
    assert_eq!(restored.deleted_at, None);
    assert_eq!(total(&l.crm).await, 2);
    let actions: Vec<HistoryAction> = l.crm.customer_history(c.id).await.unwrap().into_iter().map(|h| h.action).collect();
    assert_eq!(actions, [HistoryAction::Restore, HistoryAction::Delete, HistoryAction::Create]);
    assert!(l.crm.restore_customer(c.id).await.is_err(), "not in the bin any more");

    l.crm.delete_customer(c.id).await.unwrap();
    l.crm.purge_customer(c.id).await.unwrap();
    assert!(matches!(l.crm.customer(c.id).await.unwrap_err(), yiben::Error::NotFound { .. }));
    let bin = l.crm.list_customers(&ListQuery { scope: Scope::Deleted, ..ListQuery::first(10) }).await.unwrap();
    assert_eq!(bin.total, Some(0));
    // Its phone is free again.
    add(&l.crm, &input("新客户", Some("13912345678"), None)).await;
}
