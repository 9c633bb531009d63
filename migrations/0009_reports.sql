-- Reports: what the dashboard and the report pages aggregate stays index-only.

-- When the customer was next contacted after this follow-up (NULL: not yet). Kept by every
-- follow-up write for that customer, so "days between follow-ups" and "next step done on
-- time" are read from one row instead of a search per follow-up.
ALTER TABLE followups ADD COLUMN next_contact_at INTEGER;
-- 1 while the customer is in the recycle bin: its follow-ups leave the reports with it.
ALTER TABLE followups ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0;
-- A response is feedback recorded.
ALTER TABLE followups ADD COLUMN responded INTEGER GENERATED ALWAYS AS
    (feedback IS NOT NULL AND length(trim(feedback)) > 0) VIRTUAL;

UPDATE followups SET next_contact_at = (
    SELECT min(n.at) FROM followups n
     WHERE n.customer_id = followups.customer_id
       AND (n.at > followups.at OR (n.at = followups.at AND n.id > followups.id)));
UPDATE followups SET hidden = 1
 WHERE customer_id IN (SELECT id FROM customers WHERE deleted_at IS NOT NULL);

CREATE TRIGGER customers_followups_follow AFTER UPDATE OF deleted_at ON customers
WHEN OLD.deleted_at IS NOT NEW.deleted_at
BEGIN
    UPDATE followups SET hidden = (NEW.deleted_at IS NOT NULL) WHERE customer_id = NEW.id;
END;

-- Follow-up efficiency by method, all owners and one owner.
CREATE INDEX followups_report ON followups
    (hidden, at, method_id, responded, next_at, next_contact_at, owner, customer_id);
CREATE INDEX followups_report_owner ON followups
    (owner, hidden, at, method_id, responded, next_at, next_contact_at, customer_id);

-- Deals won or lost in a period: the current stage and when it was entered.
CREATE INDEX deals_closed ON deals (deleted_at, stage_id, stage_at, owner, customer_id, amount_fen, lost_reason);
-- Stages entered in a period (intent customers).
CREATE INDEX deal_stage_history_at ON deal_stage_history (at, to_stage, deal_id);

-- New customers per period for one owner.
CREATE INDEX customers_owner_created ON customers (owner, deleted_at, created_at);
-- Customer analysis groups, each an index-only pass.
CREATE INDEX customers_live_industry ON customers (deleted_at, industry);
CREATE INDEX customers_live_source ON customers (deleted_at, source);
CREATE INDEX customers_live_region ON customers (deleted_at, region);

-- The customer list's most common pair of filters (my customers in one industry), and the
-- report of one owner's book by industry: both counted over this index alone.
CREATE INDEX customers_live_industry_owner ON customers (deleted_at, industry_code, owner);
