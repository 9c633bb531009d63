-- The sales funnel: editable stages, lost reasons, deals (商机) and every stage change.

CREATE TABLE deal_stages (
    id          INTEGER PRIMARY KEY,
    -- The built-in stages keep a code so the UI can show them in the user's language while
    -- their name is untouched; stages the user adds have none.
    code        TEXT    UNIQUE,
    name        TEXT    NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
    position    INTEGER NOT NULL,
    probability INTEGER NOT NULL CHECK (probability BETWEEN 0 AND 100),
    kind        TEXT    NOT NULL CHECK (kind IN ('open', 'won', 'lost')),
    -- Completed stays in this stage (a deal entered it and later left), summed as each move
    -- happens: "too long in this stage compared with the average" needs no history scan.
    stay_count  INTEGER NOT NULL DEFAULT 0,
    stay_ms     INTEGER NOT NULL DEFAULT 0
);
-- The names are the ones customers.stage already uses (the customer form, the import template).
INSERT INTO deal_stages (code, name, position, probability, kind) VALUES
    ('lead', '潜在客户', 1, 10, 'open'),
    ('qualified', '意向客户', 2, 30, 'open'),
    ('proposal', '方案提交', 3, 50, 'open'),
    ('negotiation', '合同谈判', 4, 70, 'open'),
    ('won', '成交', 5, 100, 'won'),
    ('lost', '流失', 6, 0, 'lost');

CREATE TABLE lost_reasons (
    id       INTEGER PRIMARY KEY,
    name     TEXT    NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
    position INTEGER NOT NULL DEFAULT 0
);
INSERT INTO lost_reasons (name, position) VALUES
    ('价格过高', 1), ('选择竞品', 2), ('需求变化', 3), ('预算取消', 4), ('其他', 99);

CREATE TABLE deals (
    id                INTEGER PRIMARY KEY,
    uid               TEXT    NOT NULL UNIQUE,
    customer_id       INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    name              TEXT    NOT NULL CHECK (length(trim(name)) > 0),
    amount_fen        INTEGER NOT NULL CHECK (amount_fen >= 0),
    close_date        TEXT,                 -- expected close, YYYY-MM-DD
    probability       INTEGER CHECK (probability BETWEEN 0 AND 100),  -- overrides the stage's
    owner             TEXT,
    stage_id          INTEGER NOT NULL REFERENCES deal_stages (id),
    -- When the deal entered its current stage.
    stage_at          INTEGER NOT NULL,
    -- The most advanced non-lost stage it ever reached, kept from the history on each move
    -- (and rebuilt from it when stages are reordered): the funnel counts "reached" from here.
    furthest_stage_id INTEGER REFERENCES deal_stages (id),
    lost_reason       TEXT,
    lost_note         TEXT,
    notes             TEXT,
    -- Feedback per stage: JSON object, stage id → text.
    feedback          TEXT    NOT NULL DEFAULT '{}',
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    deleted_at        INTEGER,
    -- 1 when the deal went to the recycle bin with its customer (and comes back with it).
    hidden_with_customer INTEGER NOT NULL DEFAULT 0
);

-- The kanban's and the funnel's aggregates are index-only scans of these.
CREATE INDEX deals_board ON deals
    (deleted_at, stage_id, furthest_stage_id, amount_fen, probability, created_at, stage_at, lost_reason);
CREATE INDEX deals_board_owner ON deals
    (owner, deleted_at, stage_id, furthest_stage_id, amount_fen, probability, created_at, stage_at, lost_reason);
CREATE INDEX deals_created ON deals
    (deleted_at, created_at, stage_id, furthest_stage_id, amount_fen, probability, stage_at, owner, lost_reason);
-- A kanban column, newest activity first.
CREATE INDEX deals_column ON deals (deleted_at, stage_id, updated_at DESC, id DESC, created_at);
CREATE INDEX deals_column_owner ON deals (owner, deleted_at, stage_id, updated_at DESC, id DESC, created_at);
CREATE INDEX deals_customer ON deals (customer_id, deleted_at);
-- The forecast: open amounts by expected close month.
CREATE INDEX deals_close ON deals (deleted_at, close_date, stage_id, amount_fen, probability, owner, created_at);

CREATE TABLE deal_stage_history (
    id         INTEGER PRIMARY KEY,
    deal_id    INTEGER NOT NULL REFERENCES deals (id) ON DELETE CASCADE,
    from_stage INTEGER REFERENCES deal_stages (id),  -- NULL for the stage a deal was created in
    to_stage   INTEGER NOT NULL REFERENCES deal_stages (id),
    at         INTEGER NOT NULL
);
CREATE INDEX deal_stage_history_deal ON deal_stage_history (deal_id, at, id);
CREATE INDEX deal_stage_history_stage ON deal_stage_history (to_stage);

-- Deals follow their customer: into the recycle bin and back, and to the survivor of a merge.
CREATE TRIGGER customers_deals_follow AFTER UPDATE OF deleted_at, merged_into ON customers
WHEN OLD.deleted_at IS NOT NEW.deleted_at OR OLD.merged_into IS NOT NEW.merged_into
BEGIN
    UPDATE deals
       SET customer_id = NEW.merged_into,
           deleted_at = CASE WHEN hidden_with_customer = 1 THEN NULL ELSE deleted_at END,
           hidden_with_customer = 0
     WHERE NEW.merged_into IS NOT NULL AND customer_id = NEW.id;
    UPDATE deals SET deleted_at = NEW.deleted_at, hidden_with_customer = 1
     WHERE NEW.merged_into IS NULL AND NEW.deleted_at IS NOT NULL AND customer_id = NEW.id AND deleted_at IS NULL;
    UPDATE deals SET deleted_at = NULL, hidden_with_customer = 0
     WHERE NEW.deleted_at IS NULL AND customer_id = NEW.id AND hidden_with_customer = 1;
END;
