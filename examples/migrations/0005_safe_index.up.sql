-- The safe way for golang-migrate: CONCURRENTLY alone in its file. A file of several statements runs as one implicit
-- transaction, where CONCURRENTLY fails, so a lock timeout belongs on the connection (options=-c lock_timeout=5s).
CREATE INDEX CONCURRENTLY IF NOT EXISTS users_name_idx ON users (full_name);
