-- SYNTAX TEST "source.sql" "migration-guard and squawk ignore comments"

-- migration-guard-ignore rule-a, rule-b: backfilled in batches before deploy
-- <-- comment.line.double-dash.sql meta.ignore.migration-guard punctuation.definition.comment.sql
-- ^^^^^^^^^^^^^^^^^^^^^^ comment.line.double-dash.sql meta.ignore.migration-guard keyword.control.directive.ignore.migration-guard
--                        ^^^^^^ comment.line.double-dash.sql variable.other.rule.migration-guard
--                              ^ punctuation.separator.comma.migration-guard - variable.other.rule.migration-guard
--                                ^^^^^^ comment.line.double-dash.sql variable.other.rule.migration-guard
--                                      ^ comment.line.double-dash.sql punctuation.separator.reason.migration-guard
--                                        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ comment.line.double-dash.sql meta.reason.migration-guard - variable.other.rule.migration-guard
ALTER TABLE t ADD COLUMN c int;
-- <----- keyword.other.create.sql - comment.line.double-dash.sql

-- migration-guard-ignore-file require-timeout: a one-off script run by hand
-- ^^^^^^^^^^^^^^^^^^^^^^^^^^^ comment.line.double-dash.sql meta.ignore-file.migration-guard keyword.control.directive.ignore-file.migration-guard
--                             ^^^^^^^^^^^^^^^ variable.other.rule.migration-guard
--                                            ^ punctuation.separator.reason.migration-guard
--                                              ^^^^^^^^^^^^^^^^^^^^^^^^^^^^ comment.line.double-dash.sql meta.reason.migration-guard

    -- migration-guard-ignore ban-drop-column: indented and still recognised
--     ^^^^^^^^^^^^^^^^^^^^^^ keyword.control.directive.ignore.migration-guard
--                            ^^^^^^^^^^^^^^^ variable.other.rule.migration-guard
DROP INDEX CONCURRENTLY i; -- migration-guard-ignore ban-drop-index: trailing
--                            ^^^^^^^^^^^^^^^^^^^^^^ comment.line.double-dash.sql keyword.control.directive.ignore.migration-guard
--                                                   ^^^^^^^^^^^^^^ variable.other.rule.migration-guard

-- squawk-ignore ban-drop-column
-- ^^^^^^^^^^^^^ comment.line.double-dash.sql meta.ignore.squawk keyword.control.directive.ignore.squawk
--               ^^^^^^^^^^^^^^^ comment.line.double-dash.sql variable.other.rule.migration-guard
-- squawk-ignore-file prefer-robust-stmts, require-concurrent-index-creation
-- ^^^^^^^^^^^^^^^^^^ comment.line.double-dash.sql meta.ignore-file.squawk keyword.control.directive.ignore-file.squawk
--                    ^^^^^^^^^^^^^^^^^^^ variable.other.rule.migration-guard
--                                       ^ punctuation.separator.comma.migration-guard
--                                         ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ variable.other.rule.migration-guard

-- a longer word is not the directive
-- migration-guard-ignored rule-a
-- ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ comment.line.double-dash.sql - keyword.control.directive.ignore.migration-guard variable.other.rule.migration-guard
SELECT '-- squawk-ignore ban-drop-column';
--      ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ string.quoted.single.sql - keyword.control.directive.ignore.squawk variable.other.rule.migration-guard
