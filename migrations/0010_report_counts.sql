-- Reports at scale: what a covering index alone could not bring under the dashboard's 100 ms.

-- Live follow-ups per UTC hour and owner ('' when none), kept by the triggers below. A year
-- holds millions of follow-ups, and counting that many index entries takes ≈100 ms per period
-- whatever the index; the dashboard sums these rows instead (kpis::followups).
CREATE TABLE followup_hours (
    hour  INTEGER NOT NULL,  -- at / 3600000
    owner TEXT    NOT NULL,
    n     INTEGER NOT NULL,
    PRIMARY KEY (hour, owner)
) WITHOUT ROWID;

INSERT INTO followup_hours (hour, owner, n)
SELECT at / 3600000, coalesce(owner, ''), count(*) FROM followups WHERE hidden = 0 GROUP BY 1, 2;

CREATE TRIGGER followup_hours_insert AFTER INSERT ON followups WHEN NEW.hidden = 0
BEGIN
    INSERT INTO followup_hours (hour, owner, n) VALUES (NEW.at / 3600000, coalesce(NEW.owner, ''), 1)
    ON CONFLICT (hour, owner) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER followup_hours_delete AFTER DELETE ON followups WHEN OLD.hidden = 0
BEGIN
    UPDATE followup_hours SET n = n - 1 WHERE hour = OLD.at / 3600000 AND owner = coalesce(OLD.owner, '');
END;

-- Edits, and the recycle bin hiding or showing a customer's follow-ups (hidden).
CREATE TRIGGER followup_hours_update AFTER UPDATE OF at, owner, hidden ON followups
WHEN OLD.at IS NOT NEW.at OR OLD.owner IS NOT NEW.owner OR OLD.hidden IS NOT NEW.hidden
BEGIN
    UPDATE followup_hours SET n = n - 1
     WHERE OLD.hidden = 0 AND hour = OLD.at / 3600000 AND owner = coalesce(OLD.owner, '');
    INSERT INTO followup_hours (hour, owner, n)
    SELECT NEW.at / 3600000, coalesce(NEW.owner, ''), 1 WHERE NEW.hidden = 0
    ON CONFLICT (hour, owner) DO UPDATE SET n = n + 1;
END;

-- One owner's customers by industry, source and region (the dashboard's two breakdowns and
-- the analysis page's third column dimension), read in group order without the table.
CREATE INDEX customers_owner_industry ON customers (owner, deleted_at, industry);
CREATE INDEX customers_owner_source ON customers (owner, deleted_at, source);
CREATE INDEX customers_owner_region ON customers (owner, deleted_at, region);
