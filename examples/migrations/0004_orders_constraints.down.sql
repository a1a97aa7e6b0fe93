ALTER TABLE orders DROP COLUMN public_id;
ALTER TABLE orders DROP CONSTRAINT orders_user_fk;
DROP INDEX orders_total_idx;
