SET lock_timeout = '5s';

-- Blocks writes to orders for the whole index build.
CREATE INDEX orders_total_idx ON orders (total);

-- Validates every row while holding the locks.
ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);

-- Rewrites the table: gen_random_uuid() is volatile.
ALTER TABLE orders ADD COLUMN public_id uuid DEFAULT gen_random_uuid();
