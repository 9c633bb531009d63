-- Each tag's live customers, kept by triggers. The tag list, its chips and the count of a
-- one-tag filter read it instead of checking every link against its customer row (a tag on
-- 125k customers took ≈ 0.25 s to count that way).
ALTER TABLE tags ADD COLUMN live_count INTEGER NOT NULL DEFAULT 0;

UPDATE tags SET live_count = (
    SELECT count(*) FROM customer_tags ct JOIN customers c ON c.id = ct.customer_id AND c.deleted_at IS NULL
    WHERE ct.tag_id = tags.id
);

CREATE TRIGGER tag_counts_link_insert AFTER INSERT ON customer_tags
WHEN EXISTS (SELECT 1 FROM customers WHERE id = NEW.customer_id AND deleted_at IS NULL)
BEGIN
    UPDATE tags SET live_count = live_count + 1 WHERE id = NEW.tag_id;
END;

-- A customer deleted for good takes its links with it by cascade, after its row is gone; the
-- customer's own trigger below has counted them off already.
CREATE TRIGGER tag_counts_link_delete AFTER DELETE ON customer_tags
WHEN EXISTS (SELECT 1 FROM customers WHERE id = OLD.customer_id AND deleted_at IS NULL)
BEGIN
    UPDATE tags SET live_count = live_count - 1 WHERE id = OLD.tag_id;
END;

CREATE TRIGGER tag_counts_link_move_out AFTER UPDATE OF tag_id, customer_id ON customer_tags
WHEN EXISTS (SELECT 1 FROM customers WHERE id = OLD.customer_id AND deleted_at IS NULL)
BEGIN
    UPDATE tags SET live_count = live_count - 1 WHERE id = OLD.tag_id;
END;

CREATE TRIGGER tag_counts_link_move_in AFTER UPDATE OF tag_id, customer_id ON customer_tags
WHEN EXISTS (SELECT 1 FROM customers WHERE id = NEW.customer_id AND deleted_at IS NULL)
BEGIN
    UPDATE tags SET live_count = live_count + 1 WHERE id = NEW.tag_id;
END;

-- Into the recycle bin (or merged away) and back.
CREATE TRIGGER tag_counts_customer_bin AFTER UPDATE OF deleted_at ON customers
WHEN (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL)
BEGIN
    UPDATE tags SET live_count = live_count + (CASE WHEN NEW.deleted_at IS NULL THEN 1 ELSE -1 END)
    WHERE id IN (SELECT tag_id FROM customer_tags WHERE customer_id = NEW.id);
END;

CREATE TRIGGER tag_counts_customer_delete BEFORE DELETE ON customers
WHEN OLD.deleted_at IS NULL
BEGIN
    UPDATE tags SET live_count = live_count - 1
    WHERE id IN (SELECT tag_id FROM customer_tags WHERE customer_id = OLD.id);
END;
