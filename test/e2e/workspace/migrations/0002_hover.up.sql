CREATE INDEX i2 ON orders (total);
