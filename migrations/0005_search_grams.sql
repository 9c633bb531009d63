-- One- and two-character Chinese queries are below the trigram size. These tokens answer
-- them from an index instead of a scan: every CJK character, and every pair of neighbours,
-- of the customer's and the contacts' names. Contentless: only the index is stored.
CREATE VIRTUAL TABLE customer_grams USING fts5 (
    grams, tokenize = 'unicode61', content = '', contentless_delete = 1, detail = 'none'
);
-- Derived rows are rebuilt by the application on the next open.
UPDATE customers SET name_core = NULL;
