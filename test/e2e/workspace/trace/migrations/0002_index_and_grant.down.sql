REVOKE SELECT ON accounts FROM PUBLIC;
DROP INDEX accounts_name_idx;
