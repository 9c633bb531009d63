//! Writes and reads of one customer, and the derived rows (duplicate keys, search index)
//! that every write keeps in step.

use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;

use super::{Contact, Customer, CustomerKind, NewContact, NewCustomer};
use crate::db::{from_ms, to_ms};
use crate::domain::{cjk_grams, company_core, pinyin_keys, Phone};
use crate::{Error, Result};

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    uid: String,
    number: Option<String>,
    kind: String,
    name: String,
    industry_code: Option<String>,
    industry: Option<String>,
    employees: Option<i64>,
    revenue_fen: Option<i64>,
    region: Option<String>,
    address: Option<String>,
    source: Option<String>,
    first_contact: Option<String>,
    owner: Option<String>,
    grade: Option<String>,
    stage: Option<String>,
    needs: Option<String>,
    notes: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    custom: String,
    created_at: i64,
    updated_at: i64,
    deleted_at: Option<i64>,
    merged_into: Option<i64>,
    last_followup_at: Option<i64>,
    next_action: Option<String>,
    next_action_at: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct ContactRow {
    id: i64,
    name: String,
    title: Option<String>,
    phones: String,
    wechat: Option<String>,
    email: Option<String>,
    decision_maker: bool,
    role: Option<String>,
}

pub async fn get(conn: &mut SqliteConnection, id: i64) -> Result<Customer> {
    let row: Row = sqlx::query_as(
        "SELECT c.id, c.uid, c.number, c.kind, c.name, c.industry_code, i.name AS industry, c.employees,
                c.revenue_fen, c.region, c.address, c.source, c.first_contact, c.owner, c.grade, c.stage,
                c.needs, c.notes, c.phone, c.email, c.custom, c.created_at, c.updated_at, c.deleted_at,
                c.merged_into, c.last_followup_at, c.next_action, c.next_action_at
         FROM customers c LEFT JOIN industries i ON i.code = c.industry_code
         WHERE c.id = ?",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(Error::NotFound { entity: "customer", id: id.to_string() })?;
    let contacts: Vec<ContactRow> = sqlx::query_as(
        "SELECT id, name, title, phones, wechat, email, decision_maker, role
         FROM contacts WHERE customer_id = ? ORDER BY position, id",
    )
    .bind(id)
    .fetch_all(conn)
    .await?;
    let contacts = contacts
        .into_iter()
        .map(|c| Contact {
            id: c.id,
            name: c.name,
            title: c.title,
            phones: serde_json::from_str(&c.phones).unwrap_or_default(),
            wechat: c.wechat,
            email: c.email,
            decision_maker: c.decision_maker,
            role: c.role,
        })
        .collect();
    Ok(customer_of(row, contacts))
}

/// Many customers at once (two queries, whatever the count), in the order of `ids`.
pub async fn get_many(conn: &mut SqliteConnection, ids: &[i64]) -> Result<Vec<Customer>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut qb = sqlx::QueryBuilder::new(
        "SELECT c.id, c.uid, c.number, c.kind, c.name, c.industry_code, i.name AS industry, c.employees,
                c.revenue_fen, c.region, c.address, c.source, c.first_contact, c.owner, c.grade, c.stage,
                c.needs, c.notes, c.phone, c.email, c.custom, c.created_at, c.updated_at, c.deleted_at,
                c.merged_into, c.last_followup_at, c.next_action, c.next_action_at
         FROM customers c LEFT JOIN industries i ON i.code = c.industry_code WHERE c.id IN (",
    );
    let mut sep = qb.separated(", ");
    ids.iter().for_each(|id| {
        sep.push_bind(*id);
    });
    qb.push(")");
    let rows: Vec<Row> = qb.build_query_as().fetch_all(&mut *conn).await?;
    let mut qb = sqlx::QueryBuilder::new(
        "SELECT customer_id, id, name, title, phones, wechat, email, decision_maker, role
         FROM contacts WHERE customer_id IN (",
    );
    let mut sep = qb.separated(", ");
    ids.iter().for_each(|id| {
        sep.push_bind(*id);
    });
    qb.push(") ORDER BY customer_id, position, id");
    let contacts: Vec<(i64, i64, String, Option<String>, String, Option<String>, Option<String>, bool, Option<String>)> =
        qb.build_query_as().fetch_all(&mut *conn).await?;
    let mut by_customer: std::collections::HashMap<i64, Vec<Contact>> = std::collections::HashMap::new();
    for (customer_id, id, name, title, phones, wechat, email, decision_maker, role) in contacts {
        by_customer.entry(customer_id).or_default().push(Contact {
            id,
            name,
            title,
            phones: serde_json::from_str(&phones).unwrap_or_default(),
            wechat,
            email,
            decision_maker,
            role,
        });
    }
    let mut by_id: std::collections::HashMap<i64, Customer> = rows
        .into_iter()
        .map(|row| {
            let contacts = by_customer.remove(&row.id).unwrap_or_default();
            (row.id, customer_of(row, contacts))
        })
        .collect();
    Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
}

fn customer_of(row: Row, contacts: Vec<Contact>) -> Customer {
    Customer {
        id: row.id,
        uid: row.uid,
        number: row.number,
        kind: CustomerKind::from_db(&row.kind),
        name: row.name,
        industry_code: row.industry_code,
        industry: row.industry,
        employees: row.employees,
        revenue_fen: row.revenue_fen,
        region: row.region,
        address: row.address,
        source: row.source,
        first_contact: row.first_contact,
        owner: row.owner,
        grade: row.grade,
        stage: row.stage,
        needs: row.needs,
        notes: row.notes,
        phone: row.phone,
        email: row.email,
        contacts,
        custom: serde_json::from_str(&row.custom).unwrap_or_default(),
        created_at: from_ms(row.created_at),
        updated_at: from_ms(row.updated_at),
        deleted_at: row.deleted_at.map(from_ms),
        merged_into: row.merged_into,
        last_followup_at: row.last_followup_at.map(from_ms),
        next_action: row.next_action,
        next_action_at: row.next_action_at.map(from_ms),
    }
}

fn custom_json(c: &NewCustomer) -> String {
    serde_json::to_string(&c.custom).expect("custom values serialize")
}

/// Inserts a customer with its contacts and derived rows. `number` is final (explicit or
/// generated by the caller).
pub async fn insert(
    conn: &mut SqliteConnection,
    c: &NewCustomer,
    uid: &str,
    number: &str,
    now: DateTime<Utc>,
) -> Result<i64> {
    // One row through the bulk path: the column list, contacts and derived rows live in one place.
    let ids = insert_batch(conn, &[(c.clone(), uid.to_owned(), number.to_owned())], now).await?;
    Ok(ids[0])
}

/// Replaces the editable profile. A `None` number keeps the current one: numbers are stable.
pub async fn update(conn: &mut SqliteConnection, id: i64, c: &NewCustomer, now: DateTime<Utc>) -> Result<()> {
    sqlx::query(
        "UPDATE customers SET number = coalesce(?, number), kind = ?, name = ?, name_key = ?, name_core = ?,
             industry_code = ?, industry = ?, employees = ?, revenue_fen = ?, region = ?, address = ?, source = ?,
             first_contact = ?, owner = ?, grade = ?, stage = ?, needs = ?, notes = ?, phone = ?, email = ?,
             custom = ?, updated_at = ?
         WHERE id = ?",
    )
    .bind(&c.number)
    .bind(c.kind.as_str())
    .bind(c.name.as_str())
    .bind(c.name.key())
    .bind(company_core(c.name.as_str()))
    .bind(c.industry.as_ref().map(|i| &i.code))
    .bind(c.industry.as_ref().map(|i| &i.name))
    .bind(c.employees)
    .bind(c.revenue_fen)
    .bind(&c.region)
    .bind(&c.address)
    .bind(&c.source)
    .bind(c.first_contact.map(|d| d.format("%Y-%m-%d").to_string()))
    .bind(&c.owner)
    .bind(&c.grade)
    .bind(&c.stage)
    .bind(&c.needs)
    .bind(&c.notes)
    .bind(c.phone.as_ref().map(Phone::as_str))
    .bind(c.email.as_ref().map(|e| e.as_str()))
    .bind(custom_json(c))
    .bind(to_ms(now))
    .bind(id)
    .execute(&mut *conn)
    .await?;
    write_contacts(conn, id, &c.contacts).await?;
    refresh_derived(conn, id).await
}

/// Makes the customer's contacts exactly `contacts`, keeping the ids of those edited.
pub async fn write_contacts(conn: &mut SqliteConnection, customer_id: i64, contacts: &[NewContact]) -> Result<()> {
    let kept: Vec<i64> = contacts.iter().filter_map(|c| c.id).collect();
    let existing: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM contacts WHERE customer_id = ?").bind(customer_id).fetch_all(&mut *conn).await?;
    for id in existing.iter().filter(|id| !kept.contains(id)) {
        sqlx::query("DELETE FROM contacts WHERE id = ?").bind(id).execute(&mut *conn).await?;
    }
    for (position, contact) in contacts.iter().enumerate() {
        let phones: Vec<&str> = contact.phones.iter().map(Phone::as_str).collect();
        // An id from another customer's contact is treated as new rather than stolen.
        let own_id = contact.id.filter(|id| existing.contains(id));
        sqlx::query(
            "INSERT INTO contacts (id, customer_id, position, name, title, phones, wechat, email, decision_maker, role)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (id) DO UPDATE SET position = excluded.position, name = excluded.name,
                 title = excluded.title, phones = excluded.phones, wechat = excluded.wechat,
                 email = excluded.email, decision_maker = excluded.decision_maker, role = excluded.role",
        )
        .bind(own_id)
        .bind(customer_id)
        .bind(position as i64)
        .bind(&contact.name)
        .bind(&contact.title)
        .bind(serde_json::to_string(&phones).expect("phones serialize"))
        .bind(&contact.wechat)
        .bind(contact.email.as_ref().map(|e| e.as_str()))
        .bind(contact.decision_maker)
        .bind(&contact.role)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Recomputes the duplicate keys and the search entry from what is stored now. A deleted
/// customer leaves the search index (the recycle bin has its own list).
pub async fn refresh_derived(conn: &mut SqliteConnection, id: i64) -> Result<()> {
    let c = get(conn, id).await?;
    sqlx::query("UPDATE customers SET name_core = ? WHERE id = ?")
        .bind(company_core(&c.name))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM customer_keys WHERE customer_id = ?").bind(id).execute(&mut *conn).await?;
    let phones = c.phone.iter().chain(c.contacts.iter().flat_map(|k| k.phones.iter()));
    let emails = c.email.iter().chain(c.contacts.iter().filter_map(|k| k.email.as_ref()));
    for (kind, value) in phones.map(|p| ("phone", p)).chain(emails.map(|e| ("email", e))) {
        sqlx::query("INSERT OR IGNORE INTO customer_keys (customer_id, kind, value) VALUES (?, ?, ?)")
            .bind(id)
            .bind(kind)
            .bind(value)
            .execute(&mut *conn)
            .await?;
    }
    sqlx::query("DELETE FROM customer_search WHERE rowid = ?").bind(id).execute(&mut *conn).await?;
    sqlx::query("DELETE FROM customer_grams WHERE rowid = ?").bind(id).execute(&mut *conn).await?;
    if c.deleted_at.is_none() {
        let (body, pinyin) = search_text(&c);
        sqlx::query("INSERT INTO customer_search (rowid, body, pinyin) VALUES (?, ?, ?)")
            .bind(id)
            .bind(body)
            .bind(pinyin)
            .execute(&mut *conn)
            .await?;
        let grams = cjk_grams(std::iter::once(c.name.as_str()).chain(c.contacts.iter().map(|k| k.name.as_str())));
        sqlx::query("INSERT INTO customer_grams (rowid, grams) VALUES (?, ?)").bind(id).bind(grams).execute(&mut *conn).await?;
    }
    Ok(())
}

/// What quick search matches: names, number, phones (with and without dashes), e-mails,
/// WeChat ids; and the pinyin (full and initials) of the customer's and contacts' names.
pub(crate) fn search_parts<'a>(
    name: &'a str,
    number: Option<&'a str>,
    phones: impl Iterator<Item = &'a str>,
    emails: impl Iterator<Item = &'a str>,
    contact_names: impl Iterator<Item = &'a str> + Clone,
    wechats: impl Iterator<Item = &'a str>,
) -> (String, String) {
    let mut body: Vec<String> = vec![name.to_owned()];
    body.extend(number.map(str::to_owned));
    for phone in phones {
        body.push(phone.to_owned());
        if phone.contains('-') {
            body.push(phone.replace('-', ""));
        }
    }
    body.extend(emails.map(str::to_owned));
    body.extend(contact_names.clone().map(str::to_owned));
    body.extend(wechats.map(str::to_owned));
    let mut pinyin = Vec::new();
    for n in std::iter::once(name).chain(contact_names) {
        let (full, initials) = pinyin_keys(n);
        pinyin.push(full);
        pinyin.push(initials);
    }
    (body.join(" "), pinyin.join(" "))
}

pub(crate) fn search_text(c: &Customer) -> (String, String) {
    search_parts(
        &c.name,
        c.number.as_deref(),
        c.phone.iter().chain(c.contacts.iter().flat_map(|k| k.phones.iter())).map(String::as_str),
        c.email.iter().chain(c.contacts.iter().filter_map(|k| k.email.as_ref())).map(String::as_str),
        c.contacts.iter().map(|k| k.name.as_str()),
        c.contacts.iter().filter_map(|k| k.wechat.as_deref()),
    )
}

fn new_search_text(c: &NewCustomer, number: &str) -> (String, String) {
    search_parts(
        c.name.as_str(),
        Some(number),
        c.phones().map(Phone::as_str),
        c.emails().map(|e| e.as_str()),
        c.contacts.iter().map(|k| k.name.as_str()),
        c.contacts.iter().filter_map(|k| k.wechat.as_deref()),
    )
}

/// Moves a customer to or from the recycle bin.
pub async fn set_deleted(conn: &mut SqliteConnection, id: i64, deleted_at: Option<DateTime<Utc>>) -> Result<()> {
    sqlx::query("UPDATE customers SET deleted_at = ? WHERE id = ?")
        .bind(deleted_at.map(to_ms))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    refresh_derived(conn, id).await
}

pub async fn restore(conn: &mut SqliteConnection, id: i64) -> Result<()> {
    sqlx::query("UPDATE customers SET deleted_at = NULL, merged_into = NULL WHERE id = ?")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    refresh_derived(conn, id).await
}

/// Deletes for good; contacts, keys and history go with it (ON DELETE CASCADE).
pub async fn purge(conn: &mut SqliteConnection, id: i64) -> Result<()> {
    sqlx::query("UPDATE customers SET merged_into = NULL WHERE merged_into = ?").bind(id).execute(&mut *conn).await?;
    sqlx::query("DELETE FROM customer_search WHERE rowid = ?").bind(id).execute(&mut *conn).await?;
    sqlx::query("DELETE FROM customer_grams WHERE rowid = ?").bind(id).execute(&mut *conn).await?;
    sqlx::query("DELETE FROM customers WHERE id = ?").bind(id).execute(conn).await?;
    Ok(())
}

/// Customers whose derived rows predate the current schema (e.g. after an upgrade).
pub async fn stale_ids(conn: &mut SqliteConnection) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar("SELECT id FROM customers WHERE name_core IS NULL").fetch_all(conn).await?)
}

/// SQLite allows 32766 bound parameters per statement; 21 per customer row.
const BATCH_ROWS: usize = 1000;

/// Inserts many parsed customers with multi-row statements (customers, contacts, search
/// entries, duplicate keys): one statement per row costs sqlx 15–50× more. The caller owns
/// the transaction; ids are assigned here, consecutively after the current maximum, so an
/// import can be undone by its id range.
pub async fn insert_batch(
    conn: &mut SqliteConnection,
    rows: &[(NewCustomer, String, String)],
    now: DateTime<Utc>,
) -> Result<Vec<i64>> {
    let first: i64 = sqlx::query_scalar("SELECT coalesce(max(id), 0) + 1 FROM customers").fetch_one(&mut *conn).await?;
    let ids: Vec<i64> = (first..first + rows.len() as i64).collect();
    for (chunk, chunk_ids) in rows.chunks(BATCH_ROWS).zip(ids.chunks(BATCH_ROWS)) {
        let mut qb = sqlx::QueryBuilder::new(
            "INSERT INTO customers (id, uid, number, kind, name, name_key, name_core, industry_code, industry,
                 employees, revenue_fen, region, address, source, first_contact, owner, grade, stage, needs, notes,
                 phone, email, custom, created_at, updated_at) ",
        );
        qb.push_values(chunk.iter().zip(chunk_ids), |mut b, ((c, uid, number), id)| {
            b.push_bind(*id)
                .push_bind(uid)
                .push_bind(number)
                .push_bind(c.kind.as_str())
                .push_bind(c.name.as_str())
                .push_bind(c.name.key())
                .push_bind(company_core(c.name.as_str()))
                .push_bind(c.industry.as_ref().map(|i| i.code.clone()))
                .push_bind(c.industry.as_ref().map(|i| i.name.clone()))
                .push_bind(c.employees)
                .push_bind(c.revenue_fen)
                .push_bind(c.region.clone())
                .push_bind(c.address.clone())
                .push_bind(c.source.clone())
                .push_bind(c.first_contact.map(|d| d.format("%Y-%m-%d").to_string()))
                .push_bind(c.owner.clone())
                .push_bind(c.grade.clone())
                .push_bind(c.stage.clone())
                .push_bind(c.needs.clone())
                .push_bind(c.notes.clone())
                .push_bind(c.phone.as_ref().map(|p| p.as_str().to_owned()))
                .push_bind(c.email.as_ref().map(|e| e.as_str().to_owned()))
                .push_bind(custom_json(c))
                .push_bind(to_ms(now))
                .push_bind(to_ms(now));
        });
        qb.build().execute(&mut *conn).await?;

        let contacts: Vec<(i64, usize, &NewContact)> = chunk
            .iter()
            .zip(chunk_ids)
            .flat_map(|((c, _, _), id)| c.contacts.iter().enumerate().map(move |(pos, k)| (*id, pos, k)))
            .collect();
        for part in contacts.chunks(BATCH_ROWS) {
            let mut qb = sqlx::QueryBuilder::new(
                "INSERT INTO contacts (customer_id, position, name, title, phones, wechat, email, decision_maker, role) ",
            );
            qb.push_values(part, |mut b, (id, pos, k)| {
                let phones: Vec<&str> = k.phones.iter().map(Phone::as_str).collect();
                b.push_bind(*id)
                    .push_bind(*pos as i64)
                    .push_bind(k.name.clone())
                    .push_bind(k.title.clone())
                    .push_bind(serde_json::to_string(&phones).expect("phones serialize"))
                    .push_bind(k.wechat.clone())
                    .push_bind(k.email.as_ref().map(|e| e.as_str().to_owned()))
                    .push_bind(k.decision_maker)
                    .push_bind(k.role.clone());
            });
            qb.build().execute(&mut *conn).await?;
        }

        let mut qb = sqlx::QueryBuilder::new("INSERT INTO customer_search (rowid, body, pinyin) ");
        qb.push_values(chunk.iter().zip(chunk_ids), |mut b, ((c, _, number), id)| {
            let (body, pinyin) = new_search_text(c, number);
            b.push_bind(*id).push_bind(body).push_bind(pinyin);
        });
        qb.build().execute(&mut *conn).await?;

        let mut qb = sqlx::QueryBuilder::new("INSERT INTO customer_grams (rowid, grams) ");
        qb.push_values(chunk.iter().zip(chunk_ids), |mut b, ((c, _, _), id)| {
            let names = std::iter::once(c.name.as_str()).chain(c.contacts.iter().map(|k| k.name.as_str()));
            b.push_bind(*id).push_bind(cjk_grams(names));
        });
        qb.build().execute(&mut *conn).await?;

        let keys: Vec<(i64, &str, &str)> = chunk
            .iter()
            .zip(chunk_ids)
            .flat_map(|((c, _, _), id)| {
                c.phones().map(move |p| (*id, "phone", p.as_str())).chain(c.emails().map(move |e| (*id, "email", e.as_str())))
            })
            .collect();
        for part in keys.chunks(BATCH_ROWS * 3) {
            let mut qb = sqlx::QueryBuilder::new("INSERT OR IGNORE INTO customer_keys (customer_id, kind, value) ");
            qb.push_values(part, |mut b, (id, kind, value)| {
                b.push_bind(*id).push_bind(*kind).push_bind(value.to_string());
            });
            qb.build().execute(&mut *conn).await?;
        }
    }
    Ok(ids)
}
