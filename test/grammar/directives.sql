-- SYNTAX TEST "source.sql" "migration directives: dbmate, goose, node-pg-migrate"

-- migrate:up
-- <-- comment.line.double-dash.sql meta.directive.migration.dbmate.sql punctuation.definition.comment.sql
-- ^^^^^^^^^^ comment.line.double-dash.sql meta.directive.migration.dbmate.sql keyword.control.directive.migration.dbmate.sql
CREATE TABLE t (id bigint);
-- <------ keyword.other.create.sql - comment.line.double-dash.sql

-- migrate:down transaction:false
-- ^^^^^^^^^^^^ keyword.control.directive.migration.dbmate.sql
--             ^ comment.line.double-dash.sql - keyword.control.directive.migration.dbmate.sql
--              ^^^^^^^^^^^ comment.line.double-dash.sql entity.other.attribute-name.option.migration.dbmate.sql
--                         ^ punctuation.separator.key-value.migration.dbmate.sql
--                          ^^^^^ comment.line.double-dash.sql constant.language.boolean.sql

--migrate:up
--^^^^^^^^^^ keyword.control.directive.migration.dbmate.sql

-- dbmate only honours the directive at column 0, and only the exact word
  -- migrate:up
--   ^^^^^^^^^^ comment.line.double-dash.sql - keyword.control.directive.migration.dbmate.sql
-- migrate:upgrade
-- ^^^^^^^^^^^^^^^ comment.line.double-dash.sql - keyword.control.directive.migration.dbmate.sql
SELECT 1; -- migrate:up
--           ^^^^^^^^^^ comment.line.double-dash.sql - keyword.control.directive.migration.dbmate.sql

-- +goose Up
-- <-- comment.line.double-dash.sql meta.directive.migration.goose.sql punctuation.definition.comment.sql
-- ^^^^^^^^^ comment.line.double-dash.sql meta.directive.migration.goose.sql keyword.control.directive.migration.goose.sql
-- +goose Down
-- ^^^^^^^^^^^ keyword.control.directive.migration.goose.sql
-- +goose StatementBegin
-- ^^^^^^^^^^^^^^^^^^^^^ keyword.control.directive.migration.goose.sql
-- +goose StatementEnd
-- ^^^^^^^^^^^^^^^^^^^ keyword.control.directive.migration.goose.sql
-- +goose NO TRANSACTION
-- ^^^^^^^^^^^^^^^^^^^^^ keyword.control.directive.migration.goose.sql
-- +goose ENVSUB ON
-- ^^^^^^^^^^^^^^^^ keyword.control.directive.migration.goose.sql
-- +goose statementbegin
-- ^^^^^^^^^^^^^^^^^^^^^ keyword.control.directive.migration.goose.sql
-- +goose Sideways
-- ^^^^^^^^^^^^^^^ comment.line.double-dash.sql - keyword.control.directive.migration.goose.sql
 -- +goose Up
--  ^^^^^^^^^ comment.line.double-dash.sql - keyword.control.directive.migration.goose.sql

-- Up Migration
-- <-- comment.line.double-dash.sql meta.directive.migration.node-pg-migrate.sql punctuation.definition.comment.sql
-- ^^^^^^^^^^^^ comment.line.double-dash.sql meta.directive.migration.node-pg-migrate.sql keyword.control.directive.migration.node-pg-migrate.sql
-- Down Migration
-- ^^^^^^^^^^^^^^ keyword.control.directive.migration.node-pg-migrate.sql
   ---- up   migration (node-pg-migrate: /^\s*--[\s-]*up\s+migration/im)
--      ^^^^^^^^^^^^^^ keyword.control.directive.migration.node-pg-migrate.sql
--                     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ comment.line.double-dash.sql - keyword.control.directive.migration.node-pg-migrate.sql
-- Upstream Migration
-- ^^^^^^^^^^^^^^^^^^ comment.line.double-dash.sql - keyword.control.directive.migration.node-pg-migrate.sql

-- not a directive: the text sits inside string literals
SELECT '-- migrate:up', '-- +goose Up';
--      ^^^^^^^^^^^^^ string.quoted.single.sql - comment.line.double-dash.sql keyword.control.directive.migration.dbmate.sql
--                       ^^^^^^^^^^^^ string.quoted.single.sql - comment.line.double-dash.sql keyword.control.directive.migration.goose.sql
SELECT 'a multi-line literal
-- migrate:up
-- <------------- string.quoted.single.sql - comment.line.double-dash.sql keyword.control.directive.migration.dbmate.sql
-- Down Migration
-- <----------------- string.quoted.single.sql - comment.line.double-dash.sql keyword.control.directive.migration.node-pg-migrate.sql
';
-- <- string.quoted.single.sql punctuation.definition.string.end.sql
SELECT 1;
-- <------ keyword.other.DML.sql
