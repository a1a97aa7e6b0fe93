-- A new table: nothing uses it yet, so its index needs no CONCURRENTLY.
CREATE TABLE users (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email text NOT NULL,
  name text
);
CREATE INDEX users_email_idx ON users (email);
