-- Import history, what each import changed (so it can be undone exactly), and saved
-- column mappings.
CREATE TABLE imports (
    id        INTEGER PRIMARY KEY,
    file_name TEXT    NOT NULL,
    sheet     TEXT,
    at        INTEGER NOT NULL,
    policy    TEXT    NOT NULL CHECK (policy IN ('merge', 'skip', 'create')),
    imported  INTEGER NOT NULL,
    merged    INTEGER NOT NULL,
    skipped   INTEGER NOT NULL,
    rejected  INTEGER NOT NULL,
    -- The customers an import creates get consecutive ids inside its transaction.
    first_id  INTEGER,
    last_id   INTEGER,
    undone_at INTEGER
);

-- The profile of each customer an import merged into, as it was before.
CREATE TABLE import_merges (
    import_id   INTEGER NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
    customer_id INTEGER NOT NULL,
    before      TEXT    NOT NULL,
    PRIMARY KEY (import_id, customer_id)
) WITHOUT ROWID;

CREATE TABLE import_mappings (
    name       TEXT    PRIMARY KEY,
    -- JSON object: normalized header text → target field.
    mapping    TEXT    NOT NULL,
    updated_at INTEGER NOT NULL
) WITHOUT ROWID;
