-- Follow-ups (跟进记录) and the reminders that next steps and rules schedule.

-- How a follow-up happened. The built-in ones carry a code the UI translates; the user adds
-- more by name. `template` is the quick text offered when the method is picked (NULL: the
-- UI's translated default for a built-in method).
CREATE TABLE followup_methods (
    id       INTEGER PRIMARY KEY,
    code     TEXT    UNIQUE,
    name     TEXT    NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
    template TEXT,
    position INTEGER NOT NULL
);
INSERT INTO followup_methods (code, name, position) VALUES
    ('phone', '电话', 1), ('wechat', '微信', 2), ('visit', '拜访', 3), ('email', '邮件', 4), ('meeting', '会议', 5);

CREATE TABLE followups (
    id             INTEGER PRIMARY KEY,
    uid            TEXT    NOT NULL UNIQUE,
    customer_id    INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    -- The deal it was about; deals arrive in a later migration, so no foreign key here.
    deal_id        INTEGER,
    at             INTEGER NOT NULL,
    method_id      INTEGER NOT NULL REFERENCES followup_methods (id),
    owner          TEXT,
    content        TEXT    NOT NULL CHECK (length(trim(content)) > 0),
    feedback       TEXT,
    -- A proposal or quote went out and an answer is awaited (the "no reply in 3 days" rule).
    awaiting_reply INTEGER NOT NULL DEFAULT 0,
    next_step      TEXT,
    next_owner     TEXT,
    next_at        INTEGER,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    CHECK ((next_step IS NULL) = (next_at IS NULL))
);
CREATE INDEX followups_customer ON followups (customer_id, at DESC, id DESC);
CREATE INDEX followups_at ON followups (at);
-- The few follow-ups still waiting for an answer, for the "no reply in 3 days" rule.
CREATE INDEX followups_awaiting ON followups (at) WHERE awaiting_reply = 1;

-- Kept in step with every follow-up write, so lists, rules and the 工作台 read one column.
ALTER TABLE customers ADD COLUMN last_followup_at INTEGER;
ALTER TABLE customers ADD COLUMN next_action TEXT;
ALTER TABLE customers ADD COLUMN next_action_at INTEGER;
CREATE INDEX customers_live_last_followup ON customers (deleted_at, last_followup_at);

-- One row per thing to remind about. `cause` makes every producer idempotent: a rule that
-- runs again finds its reminder already there, whatever its status.
CREATE TABLE reminders (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    followup_id INTEGER REFERENCES followups (id) ON DELETE CASCADE,
    rule        TEXT    NOT NULL CHECK (rule IN
                  ('next_step', 'first_contact', 'renewal', 'proposal_no_reply', 'no_response', 'dormant', 'cadence')),
    cause       TEXT    NOT NULL UNIQUE,
    action      TEXT,
    owner       TEXT,
    due_at      INTEGER NOT NULL,
    remind_at   INTEGER NOT NULL,
    status      TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'closed')),
    -- When it was announced (OS notification or in-app); NULL until then, and again after a snooze.
    notified_at INTEGER,
    -- It fell due while the app was closed or the machine slept.
    missed      INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    closed_at   INTEGER
);
-- The scheduler's one question, "what fires next?", is the first entry of this index.
CREATE INDEX reminders_pending ON reminders (remind_at) WHERE status = 'open' AND notified_at IS NULL;
CREATE INDEX reminders_open ON reminders (remind_at, customer_id) WHERE status = 'open';
CREATE INDEX reminders_customer ON reminders (customer_id, status, rule);
