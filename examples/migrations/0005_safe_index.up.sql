-- The safe way: no transaction, CONCURRENTLY, a lock timeout.
SET lock_timeout = '5s';
CREATE INDEX CONCURRENTLY IF NOT EXISTS users_name_idx ON users (full_name);
