-- What was done to the ledger as a whole, for the user to look back on: imports and their
-- undoing, exports, merges, deletes, backups, restores, settings changes. Written in the same
-- transaction as the action, so an entry exists exactly when the action happened.
CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    -- UTC milliseconds.
    at        INTEGER NOT NULL,
    -- A stable machine code, e.g. 'customer_delete' (see src/audit/mod.rs).
    action    TEXT    NOT NULL,
    entity    TEXT,
    entity_id TEXT,
    -- A JSON object whose keys depend on the action.
    details   TEXT    NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_action ON audit_log (action, id);
