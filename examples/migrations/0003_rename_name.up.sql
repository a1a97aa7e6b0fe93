-- Renames a column the running release still reads: breaks it.
ALTER TABLE users RENAME COLUMN name TO full_name;
