-- The customer ledger. Later migrations add the full 360° profile (contacts, custom fields,
-- tags, follow-ups, deals); this table keeps only what every customer has from day one.
-- Times are INTEGER milliseconds since the Unix epoch, UTC: compact, index-friendly, and
-- zone-aware reports compute their own boundaries instead of trusting stored local strings.
CREATE TABLE customers (
    id          INTEGER PRIMARY KEY,
    -- Stable identity across devices and a future shared server; the rowid stays the fast key.
    uid         TEXT    NOT NULL UNIQUE,
    kind        TEXT    NOT NULL DEFAULT 'org' CHECK (kind IN ('org', 'person')),
    name        TEXT    NOT NULL CHECK (length(trim(name)) > 0),
    -- Normalized name (trimmed, half-width, lower case) for duplicate detection.
    name_key    TEXT    NOT NULL,
    -- Chinese mobile, normalized to 11 digits.
    phone       TEXT,
    industry    TEXT,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    -- Set when moved to the recycle bin; nothing is hard-deleted by accident.
    deleted_at  INTEGER
);

-- The customer list pages newest-first over live rows (keyset on id).
CREATE INDEX customers_live_id ON customers (deleted_at, id DESC);
CREATE INDEX customers_name_key ON customers (name_key);
CREATE INDEX customers_phone ON customers (phone) WHERE phone IS NOT NULL;
