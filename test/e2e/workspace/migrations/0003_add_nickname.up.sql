ALTER TABLE users ADD COLUMN nickname text;
CREATE TABLE user_tags (user_id bigint NOT NULL REFERENCES users (id), tag text NOT NULL);
