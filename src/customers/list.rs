//! The customer list: server-side paging (keyset), sorting, filtering and quick search over
//! any number of customers. The UI asks for one page at a time and never gets the table.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};
use ts_rs::TS;

use super::{CustomValues, CustomerKind};
use crate::db::from_ms;
use crate::domain::half_width;
use crate::segments::Compiled;
use crate::{Error, Result};

/// One line of the list.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CustomerRow {
    #[ts(type = "number")]
    pub id: i64,
    pub number: Option<String>,
    pub kind: CustomerKind,
    pub name: String,
    pub industry: Option<String>,
    pub region: Option<String>,
    pub source: Option<String>,
    pub owner: Option<String>,
    pub grade: Option<String>,
    pub stage: Option<String>,
    /// The customer's own phone, else its first contact's.
    pub phone: Option<String>,
    /// The first contact's name.
    pub contact_name: Option<String>,
    pub email: Option<String>,
    #[ts(type = "Record<string, string | number | string[]>")]
    pub custom: CustomValues,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub deleted_at: Option<DateTime<Utc>>,
    /// The ids of its tags.
    #[ts(type = "number[]")]
    pub tag_ids: Vec<i64>,
    /// 0–100, absent until first computed.
    #[ts(type = "number | null")]
    pub value_score: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SortField {
    #[default]
    Updated,
    Created,
    Name,
    Number,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CustomerSort {
    pub field: SortField,
    pub desc: bool,
}

impl Default for CustomerSort {
    fn default() -> Self {
        CustomerSort { field: SortField::Updated, desc: true }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Scope {
    /// Customers in use.
    #[default]
    Live,
    /// The recycle bin (merged-away records are kept in history, not here).
    Deleted,
}

/// Exact-match filters; the full AND/OR/NOT filter language builds on these.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CustomerFilters {
    /// Industry codes; any of them.
    #[serde(default)]
    pub industry: Vec<String>,
    #[serde(default)]
    #[ts(optional)]
    pub kind: Option<CustomerKind>,
    #[serde(default)]
    #[ts(optional)]
    pub owner: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub region: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub source: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub grade: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub stage: Option<String>,
    /// Custom field key → the value it must hold (for multiple choice: one of its choices).
    #[serde(default)]
    pub custom: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ListQuery {
    pub limit: u32,
    /// The previous page's `nextCursor`.
    #[serde(default)]
    #[ts(optional)]
    pub cursor: Option<String>,
    /// Quick search: name, number, phone fragment, contact, e-mail, pinyin or initials.
    #[serde(default)]
    #[ts(optional)]
    pub search: Option<String>,
    /// The filter language (`tag:制造业 AND NOT tag:流失预警 AND last_followup>90d`), see
    /// `segments::parse`.
    #[serde(default)]
    #[ts(optional)]
    pub filter: Option<String>,
    #[serde(default)]
    pub filters: CustomerFilters,
    #[serde(default)]
    pub sort: CustomerSort,
    #[serde(default)]
    pub scope: Scope,
    /// Also count every match (`total`). A count walks all matches, so the UI asks for it
    /// beside the first page, never with the pages that follow.
    #[serde(default)]
    pub with_total: bool,
}

/// The skeleton's page request, still what `customers list` without options sends.
pub type PageQuery = ListQuery;

impl ListQuery {
    pub const MAX_LIMIT: u32 = 500;

    /// The first page of everything, with its total.
    pub fn first(limit: u32) -> Self {
        ListQuery { limit, with_total: true, ..Default::default() }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CustomerPage {
    pub items: Vec<CustomerRow>,
    /// How many customers match the query, when `withTotal` asked for it.
    #[ts(type = "number | null")]
    pub total: Option<i64>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    number: Option<String>,
    kind: String,
    name: String,
    industry: Option<String>,
    region: Option<String>,
    source: Option<String>,
    owner: Option<String>,
    grade: Option<String>,
    stage: Option<String>,
    phone: Option<String>,
    contact_name: Option<String>,
    email: Option<String>,
    custom: String,
    created_at: i64,
    updated_at: i64,
    deleted_at: Option<i64>,
    name_key: String,
    tag_ids: Option<String>,
    value_score: Option<i64>,
}

impl From<Row> for CustomerRow {
    fn from(r: Row) -> Self {
        CustomerRow {
            id: r.id,
            number: r.number,
            kind: CustomerKind::from_db(&r.kind),
            name: r.name,
            industry: r.industry,
            region: r.region,
            source: r.source,
            owner: r.owner,
            grade: r.grade,
            stage: r.stage,
            phone: r.phone,
            contact_name: r.contact_name,
            email: r.email,
            custom: serde_json::from_str(&r.custom).unwrap_or_default(),
            created_at: from_ms(r.created_at),
            updated_at: from_ms(r.updated_at),
            deleted_at: r.deleted_at.map(from_ms),
            tag_ids: r.tag_ids.unwrap_or_default().split(',').filter_map(|t| t.parse().ok()).collect(),
            value_score: r.value_score,
        }
    }
}

const SELECT_ROW: &str = "SELECT c.id, c.number, c.kind, c.name, i.name AS industry, c.region, c.source, c.owner,
    c.grade, c.stage,
    coalesce(c.phone, (SELECT json_extract(k.phones, '$[0]') FROM contacts k WHERE k.customer_id = c.id
                       AND k.phones <> '[]' ORDER BY k.position, k.id LIMIT 1)) AS phone,
    (SELECT k.name FROM contacts k WHERE k.customer_id = c.id ORDER BY k.position, k.id LIMIT 1) AS contact_name,
    c.email, c.custom, c.created_at, c.updated_at, c.deleted_at, c.name_key,
    (SELECT group_concat(t.tag_id) FROM customer_tags t WHERE t.customer_id = c.id) AS tag_ids, c.value_score
    FROM customers c LEFT JOIN industries i ON i.code = c.industry_code ";

pub(crate) async fn row(conn: &mut SqliteConnection, id: i64) -> Result<CustomerRow> {
    let mut qb = QueryBuilder::<Sqlite>::new(SELECT_ROW);
    qb.push("WHERE c.id = ").push_bind(id);
    let row: Option<Row> = qb.build_query_as().fetch_optional(conn).await?;
    row.map(CustomerRow::from).ok_or(Error::NotFound { entity: "customer", id: id.to_string() })
}

fn sort_column(field: SortField) -> &'static str {
    match field {
        SortField::Updated => "c.updated_at",
        SortField::Created => "c.created_at",
        SortField::Name => "c.name_key",
        SortField::Number => "coalesce(c.number, '')",
    }
}

enum CursorValue {
    Int(i64),
    Text(String),
}

impl CursorValue {
    fn bind(&self, qb: &mut QueryBuilder<Sqlite>) {
        match self {
            CursorValue::Int(n) => qb.push_bind(*n),
            CursorValue::Text(s) => qb.push_bind(s.clone()),
        };
    }
}

fn sort_value(row: &Row, field: SortField) -> Value {
    match field {
        SortField::Updated => Value::from(row.updated_at),
        SortField::Created => Value::from(row.created_at),
        SortField::Name => Value::from(row.name_key.clone()),
        SortField::Number => Value::from(row.number.clone().unwrap_or_default()),
    }
}

/// `%`, `_` and `\` typed by the user match themselves.
fn like_pattern(text: &str) -> String {
    let escaped = text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

/// How the quick search finds its customers.
enum Search {
    /// A 3+ character fragment anywhere, Chinese, digits or pinyin: the trigram index.
    Trigrams(String),
    /// One or two Chinese characters: the gram index has them as whole tokens.
    Grams(String),
    /// One or two Latin letters or digits (initials, a phone fragment): a `LIKE` scan.
    Scan(String),
}

impl Search {
    fn of(q: &ListQuery) -> Option<Search> {
        let search = q.search.as_deref().map(|s| half_width(s).trim().to_lowercase()).filter(|s| !s.is_empty())?;
        Some(if search.chars().count() >= 3 {
            Search::Trigrams(format!("\"{}\"", search.replace('"', "\"\"")))
        } else if crate::domain::is_short_cjk(&search) {
            Search::Grams(format!("\"{search}\""))
        } else {
            Search::Scan(like_pattern(&search))
        })
    }

    /// Whether at most `limit` customers match (the recycle bin's included): cheap to ask of
    /// an index, since it stops at `limit + 1`.
    async fn matches_at_most(&self, conn: &mut SqliteConnection, limit: i64) -> Result<bool> {
        let sql = match self {
            Search::Trigrams(_) => "SELECT count(*) FROM (SELECT rowid FROM customer_search WHERE customer_search MATCH ? LIMIT ?)",
            Search::Grams(_) => "SELECT count(*) FROM (SELECT rowid FROM customer_grams WHERE customer_grams MATCH ? LIMIT ?)",
            Search::Scan(_) => return Ok(false),
        };
        let (Search::Trigrams(phrase) | Search::Grams(phrase)) = self else { unreachable!("scans return above") };
        let n: i64 = sqlx::query_scalar(sql).bind(phrase).bind(limit + 1).fetch_one(conn).await?;
        Ok(n <= limit)
    }
}

/// Up to this many matches, a search's page is its matches sorted, not a walk of the sort
/// index testing each row: each match costs a lookup (≈1–2 µs), each walked row a probe
/// (≈60 ns), and a page of 100 walks (100 ÷ matches) of the book. At 1M customers 278
/// matches took ≈20 ms walked and ≈1 ms sorted; 8k matches are found sooner by the walk.
const SORT_MATCHES_UP_TO: i64 = 2000;

fn push_where(qb: &mut QueryBuilder<Sqlite>, q: &ListQuery, filter: Option<&Compiled>) {
    qb.push(match q.scope {
        Scope::Live => "WHERE c.deleted_at IS NULL",
        Scope::Deleted => "WHERE c.deleted_at IS NOT NULL AND c.merged_into IS NULL",
    });
    match Search::of(q) {
        Some(Search::Trigrams(phrase)) => {
            qb.push(" AND c.id IN (SELECT rowid FROM customer_search WHERE customer_search MATCH ").push_bind(phrase).push(")");
        }
        Some(Search::Grams(phrase)) => {
            qb.push(" AND c.id IN (SELECT rowid FROM customer_grams WHERE customer_grams MATCH ").push_bind(phrase).push(")");
        }
        Some(Search::Scan(pattern)) => {
            qb.push(" AND c.id IN (SELECT rowid FROM customer_search WHERE body LIKE ")
                .push_bind(pattern.clone())
                .push(" ESCAPE '\\' OR pinyin LIKE ")
                .push_bind(pattern)
                .push(" ESCAPE '\\')");
        }
        None => {}
    }
    if let Some(filter) = filter {
        crate::segments::compile::push(qb, &filter.expr, &filter.names);
    }
    let f = &q.filters;
    if !f.industry.is_empty() {
        qb.push(" AND c.industry_code IN (");
        let mut sep = qb.separated(", ");
        for code in &f.industry {
            sep.push_bind(code.clone());
        }
        qb.push(")");
    }
    if let Some(kind) = f.kind {
        qb.push(" AND c.kind = ").push_bind(kind.as_str());
    }
    for (column, value) in [
        ("c.owner", &f.owner),
        ("c.region", &f.region),
        ("c.source", &f.source),
        ("c.grade", &f.grade),
        ("c.stage", &f.stage),
    ] {
        if let Some(value) = value {
            qb.push(" AND ").push(column).push(" = ").push_bind(value.clone());
        }
    }
    for (key, value) in &f.custom {
        // Keys are generated (cf_N), yet still bound: nothing typed reaches the SQL text.
        let path = format!("$.\"{}\"", key.replace('"', ""));
        qb.push(" AND (json_extract(c.custom, ")
            .push_bind(path.clone())
            .push(") = ")
            .push_bind(value.clone())
            .push(" OR EXISTS (SELECT 1 FROM json_each(c.custom, ")
            .push_bind(path)
            .push(") WHERE value = ")
            .push_bind(value.clone())
            .push("))");
    }
}

/// Bounds on the rest of a query (the filter text has its own, see `segments::parse`): a
/// caller gets a field error rather than a statement SQLite refuses (too many variables) or a
/// search for megabytes of text.
const MAX_SEARCH_CHARS: usize = 100;
const MAX_FILTER_VALUES: usize = 100;
const MAX_FILTER_VALUE_CHARS: usize = 200;
const MAX_CURSOR_CHARS: usize = 1000;

fn check(q: &ListQuery) -> Result<()> {
    let too_long = |s: &str, max: usize| s.chars().count() > max;
    if q.search.as_deref().is_some_and(|s| too_long(s, MAX_SEARCH_CHARS)) {
        return Err(Error::invalid("search", "too_long"));
    }
    if q.cursor.as_deref().is_some_and(|s| too_long(s, MAX_CURSOR_CHARS)) {
        return Err(Error::invalid("cursor", "cursor_invalid"));
    }
    let f = &q.filters;
    if f.industry.len() > MAX_FILTER_VALUES {
        return Err(Error::invalid("filters.industry", "too_long"));
    }
    if f.custom.len() > MAX_FILTER_VALUES {
        return Err(Error::invalid("filters.custom", "too_long"));
    }
    let singles = [&f.owner, &f.region, &f.source, &f.grade, &f.stage].into_iter().flatten();
    let mut values = f.industry.iter().chain(f.custom.keys()).chain(f.custom.values()).chain(singles);
    if values.any(|v| too_long(v, MAX_FILTER_VALUE_CHARS)) {
        return Err(Error::invalid("filters", "too_long"));
    }
    Ok(())
}

pub async fn page(conn: &mut SqliteConnection, q: &ListQuery, filter: Option<&Compiled>) -> Result<CustomerPage> {
    if q.limit == 0 || q.limit > ListQuery::MAX_LIMIT {
        return Err(Error::invalid("limit", "out_of_range"));
    }
    check(q)?;
    let cursor: Option<(Value, i64)> = match &q.cursor {
        None => None,
        Some(raw) => Some(serde_json::from_str(raw).map_err(|_| Error::invalid("cursor", "cursor_invalid"))?),
    };
    let column = sort_column(q.sort.field);
    // The page's ids are chosen first, over the bare table, and only those rows are then
    // dressed (phone, contact, tags): should SQLite ever sort instead of walking an index
    // (a selective filter after ANALYZE), it sorts ids, not rows with their subqueries.
    let mut qb = QueryBuilder::<Sqlite>::new(SELECT_ROW);
    let from = from_clause(conn, q).await?;
    let dir = if q.sort.desc { " DESC" } else { " ASC" };
    let limit = q.limit as i64 + 1;
    match cursor {
        None => {
            qb.push("WHERE c.id IN (SELECT c.id ").push(from);
            push_where(&mut qb, q, filter);
            qb.push(" ORDER BY ").push(column).push(dir).push(", c.id").push(dir);
            qb.push(" LIMIT ").push_bind(limit).push(")");
        }
        // After the cursor (v, id): the rest of v's rows, then the rows past v. Two seeks, each
        // a full index prefix; as one row-value comparison SQLite seeks on the sort column
        // only and walks every row sharing v (after an import that is all of them).
        Some((value, id)) => {
            let value = match value {
                Value::Number(n) => CursorValue::Int(n.as_i64().unwrap_or_default()),
                Value::String(s) => CursorValue::Text(s),
                _ => return Err(Error::invalid("cursor", "cursor_invalid")),
            };
            let (past, id_past) = if q.sort.desc { (" < ", " < ") } else { (" > ", " > ") };
            qb.push("WHERE c.id IN (SELECT id FROM (SELECT c.id ").push(from);
            push_where(&mut qb, q, filter);
            qb.push(" AND ").push(column).push(" = ");
            value.bind(&mut qb);
            qb.push(" AND c.id").push(id_past).push_bind(id);
            qb.push(" ORDER BY c.id").push(dir).push(" LIMIT ").push_bind(limit);
            qb.push(") UNION ALL SELECT id FROM (SELECT c.id ").push(from);
            push_where(&mut qb, q, filter);
            qb.push(" AND ").push(column).push(past);
            value.bind(&mut qb);
            qb.push(" ORDER BY ").push(column).push(dir).push(", c.id").push(dir);
            qb.push(" LIMIT ").push_bind(limit).push("))");
        }
    }
    qb.push(" ORDER BY ").push(column).push(dir).push(", c.id").push(dir);
    qb.push(" LIMIT ").push_bind(limit);
    let mut rows: Vec<Row> = qb.build_query_as().fetch_all(&mut *conn).await?;
    // One extra row tells whether another page exists without a second query.
    let has_more = rows.len() > q.limit as usize;
    rows.truncate(q.limit as usize);
    let next_cursor = match rows.last() {
        Some(last) if has_more => Some(serde_json::to_string(&(sort_value(last, q.sort.field), last.id)).expect("cursor")),
        _ => None,
    };
    let total = if q.with_total { Some(count(conn, q, filter).await?) } else { None };
    Ok(CustomerPage { items: rows.into_iter().map(CustomerRow::from).collect(), total, next_cursor })
}

/// `FROM … WHERE …` for every customer `q` matches, its limit and cursor aside, and the
/// list's order as ` ORDER BY …`: for reading a whole list in one pass (the export).
pub(super) async fn push_all(
    conn: &mut SqliteConnection,
    qb: &mut QueryBuilder<Sqlite>,
    q: &ListQuery,
    filter: Option<&Compiled>,
) -> Result<()> {
    check(q)?;
    qb.push(from_clause(conn, q).await?);
    push_where(qb, q, filter);
    Ok(())
}

/// A search with few matches reads them and sorts: NOT INDEXED leaves SQLite the rowid
/// lookups of the matches and no sort index to walk.
async fn from_clause(conn: &mut SqliteConnection, q: &ListQuery) -> Result<&'static str> {
    Ok(match Search::of(q) {
        Some(search) if search.matches_at_most(conn, SORT_MATCHES_UP_TO).await? => "FROM customers c NOT INDEXED ",
        _ => "FROM customers c ",
    })
}

/// The list's order of `q`, as the page walks it: ` ORDER BY <column> <dir>, c.id <dir>`.
pub(super) fn order_by(q: &ListQuery) -> String {
    let dir = if q.sort.desc { " DESC" } else { " ASC" };
    format!(" ORDER BY {}{dir}, c.id{dir}", sort_column(q.sort.field))
}

pub async fn count(conn: &mut SqliteConnection, q: &ListQuery, filter: Option<&Compiled>) -> Result<i64> {
    check(q)?;
    if let Some(tag) = only_one_tag(q, filter) {
        return Ok(sqlx::query_scalar("SELECT live_count FROM tags WHERE id = ?").bind(tag).fetch_one(conn).await?);
    }
    let mut qb = QueryBuilder::<Sqlite>::new("SELECT count(*) FROM customers c ");
    push_where(&mut qb, q, filter);
    Ok(qb.build_query_scalar().fetch_one(conn).await?)
}

/// The tag when the query is exactly "live customers carrying this tag" (a quick tag chip, a
/// one-tag segment): its count is kept on the tag (migration 0014).
fn only_one_tag(q: &ListQuery, filter: Option<&Compiled>) -> Option<i64> {
    use crate::segments::{parse::{Expr, Op}, Key};
    if q.scope != Scope::Live || Search::of(q).is_some() || q.filters != CustomerFilters::default() {
        return None;
    }
    let compiled = filter?;
    match &compiled.expr {
        Expr::Term { key, op: Op::Is, value, .. } if Key::parse(key) == Some(Key::Tag) => {
            compiled.names.tags.iter().find(|(name, _)| name == value).map(|(_, id)| *id)
        }
        _ => None,
    }
}
