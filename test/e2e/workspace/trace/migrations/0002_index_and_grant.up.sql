CREATE INDEX accounts_name_idx ON accounts (name);
GRANT SELECT ON accounts TO PUBLIC;
