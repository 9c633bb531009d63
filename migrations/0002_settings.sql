-- User preferences that both the desktop and the CLI read (language, later reminder lead
-- times and quiet hours). Values are JSON text so a setting can grow without a migration.
CREATE TABLE settings (
    key        TEXT    PRIMARY KEY,
    value      TEXT    NOT NULL,
    updated_at INTEGER NOT NULL
) WITHOUT ROWID;
