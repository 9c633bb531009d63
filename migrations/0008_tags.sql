-- Tags in groups, saved segments, and the customer value score.

CREATE TABLE tag_groups (
    id       INTEGER PRIMARY KEY,
    -- Built-in groups carry a code the UI translates; user-defined ones only a name.
    code     TEXT    UNIQUE,
    name     TEXT    NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
    position INTEGER NOT NULL
);
INSERT INTO tag_groups (code, name, position) VALUES
    ('grade', '客户等级', 1), ('needs', '需求标签', 2), ('role', '决策角色', 3),
    ('channel', '渠道标签', 4), ('behavior', '行为标签', 5), ('personal', '个性化标签', 6);

CREATE TABLE tags (
    id       INTEGER PRIMARY KEY,
    group_id INTEGER NOT NULL REFERENCES tag_groups (id),
    name     TEXT    NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
    color    TEXT    NOT NULL,
    -- Set on the tags the app applies by itself: which rule applies them.
    auto     TEXT    UNIQUE CHECK (auto IN ('dormant', 'churn_risk', 'new_uncontacted')),
    position INTEGER NOT NULL DEFAULT 0
);
-- The seeds' examples (000 §一.2, 001 §(三), 002 §三).
INSERT INTO tags (group_id, name, color, position) VALUES
    (1, '高价值客户', '#d03050', 1), (1, '潜力客户', '#f0a020', 2), (1, '战略客户', '#8a2be2', 3), (1, '普通客户', '#909399', 4),
    (2, '需求:设备采购', '#2080f0', 1), (2, '需求:软件升级', '#2080f0', 2), (2, '需求:售后服务', '#2080f0', 3),
    (3, '决策人', '#18a058', 1), (3, '影响者', '#36ad6a', 2), (3, '使用者', '#7fc99a', 3),
    (4, '展会', '#0e7a8a', 1), (4, '转介绍', '#0e7a8a', 2), (4, '官网咨询', '#0e7a8a', 3),
    (5, '打开过报价邮件', '#6b5ce7', 1), (5, '未响应近3次跟进', '#6b5ce7', 2),
    (6, '注重性价比', '#c06c84', 1), (6, '决策周期长', '#c06c84', 2);
INSERT INTO tags (group_id, name, color, auto, position) VALUES
    (5, '沉睡客户', '#5c6370', 'dormant', 10),
    (5, '流失预警', '#e84040', 'churn_risk', 11),
    (5, '新客户未跟进', '#f08a24', 'new_uncontacted', 12);

-- Which customer carries which tag. `auto` marks a link the app made; the app only ever
-- removes its own links, so a tag set by hand is never taken away by a rule.
CREATE TABLE customer_tags (
    tag_id      INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    auto        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (tag_id, customer_id)
) WITHOUT ROWID;
CREATE INDEX customer_tags_customer ON customer_tags (customer_id, tag_id);

-- A segment is a stored filter, not a stored list: it follows the data.
CREATE TABLE segments (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
    filter     TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

-- 0–100, with what drives it (JSON), recomputed when the data that feeds it changes.
ALTER TABLE customers ADD COLUMN value_score INTEGER;
ALTER TABLE customers ADD COLUMN score_detail TEXT;
CREATE INDEX customers_live_score ON customers (deleted_at, value_score);

-- The 工作台's "new customers without a first contact" reads the last week only.
CREATE INDEX customers_live_created ON customers (deleted_at, created_at);
