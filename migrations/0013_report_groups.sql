-- The customer analysis by industry, source, region and owner (two of them on the dashboard)
-- at a million customers: counting the book read ≈1M index entries (≈65 ms), and the won
-- amount per group looked up each won deal's customer (≈40k lookups a year, ≈110 ms).

-- Live customers per combination of the four groups ('' when not filled in), kept by the
-- triggers below: a few thousand rows stand for the whole book.
CREATE TABLE customer_group_counts (
    owner     TEXT    NOT NULL,
    industry  TEXT    NOT NULL,
    source    TEXT    NOT NULL,
    region    TEXT    NOT NULL,
    customers INTEGER NOT NULL,
    PRIMARY KEY (owner, industry, source, region)
) WITHOUT ROWID;

INSERT INTO customer_group_counts (owner, industry, source, region, customers)
SELECT coalesce(owner, ''), coalesce(industry, ''), coalesce(source, ''), coalesce(region, ''), count(*)
  FROM customers WHERE deleted_at IS NULL GROUP BY 1, 2, 3, 4;

CREATE TRIGGER customer_group_counts_insert AFTER INSERT ON customers WHEN NEW.deleted_at IS NULL
BEGIN
    INSERT INTO customer_group_counts (owner, industry, source, region, customers)
    VALUES (coalesce(NEW.owner, ''), coalesce(NEW.industry, ''), coalesce(NEW.source, ''), coalesce(NEW.region, ''), 1)
    ON CONFLICT (owner, industry, source, region) DO UPDATE SET customers = customers + 1;
END;

CREATE TRIGGER customer_group_counts_delete AFTER DELETE ON customers WHEN OLD.deleted_at IS NULL
BEGIN
    UPDATE customer_group_counts SET customers = customers - 1
     WHERE owner = coalesce(OLD.owner, '') AND industry = coalesce(OLD.industry, '')
       AND source = coalesce(OLD.source, '') AND region = coalesce(OLD.region, '');
END;

-- Edits, the recycle bin and merges (the merged-away customer leaves the book).
CREATE TRIGGER customer_group_counts_update AFTER UPDATE OF owner, industry, source, region, deleted_at ON customers
WHEN OLD.owner IS NOT NEW.owner OR OLD.industry IS NOT NEW.industry OR OLD.source IS NOT NEW.source
  OR OLD.region IS NOT NEW.region OR OLD.deleted_at IS NOT NEW.deleted_at
BEGIN
    UPDATE customer_group_counts SET customers = customers - 1
     WHERE OLD.deleted_at IS NULL
       AND owner = coalesce(OLD.owner, '') AND industry = coalesce(OLD.industry, '')
       AND source = coalesce(OLD.source, '') AND region = coalesce(OLD.region, '');
    INSERT INTO customer_group_counts (owner, industry, source, region, customers)
    SELECT coalesce(NEW.owner, ''), coalesce(NEW.industry, ''), coalesce(NEW.source, ''), coalesce(NEW.region, ''), 1
     WHERE NEW.deleted_at IS NULL
    ON CONFLICT (owner, industry, source, region) DO UPDATE SET customers = customers + 1;
END;

-- Each deal carries its customer's four groups, so what a group won in a period is one range
-- of one index. A live deal's customer is live (deals follow it into the recycle bin, 0007).
ALTER TABLE deals ADD COLUMN customer_owner TEXT;
ALTER TABLE deals ADD COLUMN customer_industry TEXT;
ALTER TABLE deals ADD COLUMN customer_source TEXT;
ALTER TABLE deals ADD COLUMN customer_region TEXT;

UPDATE deals SET (customer_owner, customer_industry, customer_source, customer_region) =
    (SELECT c.owner, c.industry, c.source, c.region FROM customers c WHERE c.id = deals.customer_id);

CREATE TRIGGER deals_customer_groups_insert AFTER INSERT ON deals
BEGIN
    UPDATE deals SET (customer_owner, customer_industry, customer_source, customer_region) =
        (SELECT c.owner, c.industry, c.source, c.region FROM customers c WHERE c.id = NEW.customer_id)
     WHERE id = NEW.id;
END;

-- A deal moved to another customer, by hand or by a merge (0007's trigger moves it).
CREATE TRIGGER deals_customer_groups_move AFTER UPDATE OF customer_id ON deals
WHEN OLD.customer_id IS NOT NEW.customer_id
BEGIN
    UPDATE deals SET (customer_owner, customer_industry, customer_source, customer_region) =
        (SELECT c.owner, c.industry, c.source, c.region FROM customers c WHERE c.id = NEW.customer_id)
     WHERE id = NEW.id;
END;

CREATE TRIGGER customers_deal_groups AFTER UPDATE OF owner, industry, source, region ON customers
WHEN OLD.owner IS NOT NEW.owner OR OLD.industry IS NOT NEW.industry OR OLD.source IS NOT NEW.source
  OR OLD.region IS NOT NEW.region
BEGIN
    UPDATE deals SET customer_owner = NEW.owner, customer_industry = NEW.industry,
                     customer_source = NEW.source, customer_region = NEW.region
     WHERE customer_id = NEW.id;
END;

CREATE INDEX deals_won_groups ON deals
    (deleted_at, stage_id, stage_at, customer_owner, customer_industry, customer_source, customer_region, amount_fen);
