-- The full 360° customer profile: managed industries, every profile field, contacts, custom
-- fields, duplicate keys, change history and the search index.

CREATE TABLE industries (
    code     TEXT    PRIMARY KEY CHECK (length(code) BETWEEN 2 AND 8),
    name     TEXT    NOT NULL UNIQUE,
    position INTEGER NOT NULL DEFAULT 0
);
INSERT INTO industries (code, name, position) VALUES
    ('MFG', '制造业', 1), ('ITC', '互联网', 2), ('RTL', '零售业', 3), ('FIN', '金融业', 4),
    ('MED', '医疗健康', 5), ('EDU', '教育培训', 6), ('LOG', '物流运输', 7), ('CON', '建筑地产', 8),
    ('ENE', '能源化工', 9), ('AGR', '农林牧渔', 10), ('SVC', '商务服务', 11), ('GOV', '政府机构', 12),
    ('OTH', '其他', 99);
-- Industries typed freely before the list existed become list entries of their own.
INSERT INTO industries (code, name, position)
SELECT printf('U%02d', row_number() OVER (ORDER BY industry)), industry, 100
FROM (SELECT DISTINCT industry FROM customers
      WHERE industry IS NOT NULL AND industry NOT IN (SELECT name FROM industries));

ALTER TABLE customers ADD COLUMN number TEXT;          -- 客户编号, e.g. 2024-MFG-001
ALTER TABLE customers ADD COLUMN industry_code TEXT REFERENCES industries (code) ON UPDATE CASCADE;
ALTER TABLE customers ADD COLUMN employees INTEGER;
ALTER TABLE customers ADD COLUMN revenue_fen INTEGER;  -- annual revenue, integer fen
ALTER TABLE customers ADD COLUMN region TEXT;
ALTER TABLE customers ADD COLUMN address TEXT;
ALTER TABLE customers ADD COLUMN source TEXT;          -- 客户来源
ALTER TABLE customers ADD COLUMN first_contact TEXT;   -- date, YYYY-MM-DD
ALTER TABLE customers ADD COLUMN owner TEXT;           -- 负责人
ALTER TABLE customers ADD COLUMN grade TEXT;
ALTER TABLE customers ADD COLUMN stage TEXT;
ALTER TABLE customers ADD COLUMN needs TEXT;           -- 需求描述
ALTER TABLE customers ADD COLUMN notes TEXT;           -- background, competitors, budget, risks
ALTER TABLE customers ADD COLUMN email TEXT;
ALTER TABLE customers ADD COLUMN custom TEXT NOT NULL DEFAULT '{}';  -- custom field key → value
ALTER TABLE customers ADD COLUMN merged_into INTEGER REFERENCES customers (id);
-- The name without company-form suffixes (有限公司, 集团 …), for "possible duplicate" hints.
-- Filled by the application on every write (existing rows are refreshed on first open).
ALTER TABLE customers ADD COLUMN name_core TEXT;
UPDATE customers SET industry_code = (SELECT code FROM industries WHERE name = customers.industry);

CREATE UNIQUE INDEX customers_number ON customers (number) WHERE number IS NOT NULL;
CREATE INDEX customers_live_updated ON customers (deleted_at, updated_at DESC, id DESC);
CREATE INDEX customers_live_name ON customers (deleted_at, name_key, id);
CREATE INDEX customers_industry ON customers (industry_code, deleted_at);
CREATE INDEX customers_owner ON customers (owner, deleted_at) WHERE owner IS NOT NULL;
CREATE INDEX customers_name_core ON customers (name_core) WHERE name_core IS NOT NULL;

CREATE TABLE contacts (
    id             INTEGER PRIMARY KEY,
    customer_id    INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    position       INTEGER NOT NULL DEFAULT 0,
    name           TEXT    NOT NULL,
    title          TEXT,
    phones         TEXT    NOT NULL DEFAULT '[]',  -- JSON array of normalized numbers
    wechat         TEXT,
    email          TEXT,
    decision_maker INTEGER NOT NULL DEFAULT 0,
    role           TEXT                            -- role in the decision chain
);
CREATE INDEX contacts_customer ON contacts (customer_id, position);

-- Every normalized phone and e-mail of a customer (its own and its contacts'), kept in step
-- with each write: duplicate detection is one index probe instead of a JSON scan.
CREATE TABLE customer_keys (
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    kind        TEXT    NOT NULL CHECK (kind IN ('phone', 'email')),
    value       TEXT    NOT NULL,
    PRIMARY KEY (kind, value, customer_id)
) WITHOUT ROWID;
CREATE INDEX customer_keys_customer ON customer_keys (customer_id);

CREATE TABLE custom_fields (
    id       INTEGER PRIMARY KEY,
    key      TEXT    NOT NULL UNIQUE,
    label    TEXT    NOT NULL,
    kind     TEXT    NOT NULL CHECK (kind IN ('text', 'number', 'date', 'money', 'single', 'multi')),
    options  TEXT    NOT NULL DEFAULT '[]',       -- choices for single / multi
    position INTEGER NOT NULL DEFAULT 0,
    in_list  INTEGER NOT NULL DEFAULT 0           -- shown as a list column by default
);

-- What changed, when: one row per field per change, plus lifecycle events.
CREATE TABLE customer_history (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    at          INTEGER NOT NULL,
    action      TEXT    NOT NULL CHECK (action IN ('create', 'update', 'delete', 'restore', 'merge', 'merged_away')),
    field       TEXT,
    old_value   TEXT,
    new_value   TEXT
);
CREATE INDEX customer_history_customer ON customer_history (customer_id, at DESC, id DESC);

-- Quick search over names, numbers, phones, e-mails, contact names and pinyin.
-- Trigram: any 3+ character fragment is an index lookup (CJK included).
CREATE VIRTUAL TABLE customer_search USING fts5 (
    body, pinyin, tokenize = 'trigram'
);
