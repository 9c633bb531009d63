-- 流失预警 also when the value score falls sharply: each customer's recent high score and
-- when it was reached. The score refresh keeps both: a score at or above the high, or a high
-- older than the window (设置 → 提醒规则), becomes the new high.
ALTER TABLE customers ADD COLUMN score_high INTEGER;
ALTER TABLE customers ADD COLUMN score_high_at INTEGER;
