-- SYNTAX TEST "source.sql" "dollar-quoted bodies"

COMMENT ON TABLE t IS $$it's; not the end$$;
--                    ^^ string.quoted.dollar.sql punctuation.definition.string.begin.sql
--                      ^^^^^^^^^^^^^^^^^ string.quoted.dollar.sql - string.quoted.single.sql
--                                       ^^ string.quoted.dollar.sql punctuation.definition.string.end.sql
--                                         ^ - string.quoted.dollar.sql string.quoted.single.sql
SELECT 1;
-- <------ keyword.other.DML.sql - string.quoted.dollar.sql string.quoted.single.sql

SELECT $note$ a ' quote; $$ and $other$ stay inside $note$ AS x;
--     ^^^^^^ string.quoted.dollar.sql punctuation.definition.string.begin.sql
--           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ string.quoted.dollar.sql - punctuation.definition.string.end.sql string.quoted.single.sql
--                                                  ^^^^^^ string.quoted.dollar.sql punctuation.definition.string.end.sql
--                                                         ^^ keyword.other.alias.sql - string.quoted.dollar.sql

-- a function body after AS is highlighted as SQL
CREATE FUNCTION f() RETURNS text LANGUAGE sql AS $body$ SELECT 'a;b' || $q$it's$q$; $body$;
--                                               ^^^^^^ meta.dollar-quoted.sql string.quoted.dollar.sql punctuation.definition.string.begin.sql
--                                                      ^^^^^^ meta.dollar-quoted.sql meta.embedded.block.sql keyword.other.DML.sql
--                                                             ^^^^^ meta.embedded.block.sql string.quoted.single.sql
--                                                                      ^^^ meta.embedded.block.sql string.quoted.dollar.sql punctuation.definition.string.begin.sql
--                                                                         ^^^^ meta.embedded.block.sql string.quoted.dollar.sql - string.quoted.single.sql
--                                                                             ^^^ string.quoted.dollar.sql punctuation.definition.string.end.sql
--                                                                                  ^^^^^^ meta.dollar-quoted.sql string.quoted.dollar.sql punctuation.definition.string.end.sql - meta.embedded.block.sql
--                                                                                        ^ - meta.dollar-quoted.sql string.quoted.dollar.sql
CREATE INDEX CONCURRENTLY i ON t (c);
-- <------ keyword.other.create.sql - meta.dollar-quoted.sql string.quoted.single.sql

-- PL/pgSQL body on its own lines, AS on the line before, quotes and semicolons inside
CREATE OR REPLACE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql
AS
$$
-- <-- meta.dollar-quoted.sql string.quoted.dollar.sql punctuation.definition.string.begin.sql
BEGIN
-- <----- meta.dollar-quoted.sql meta.embedded.block.sql keyword.other.LUW.sql
  -- don't stop here;
--^^^^^^^^^^^^^^^^^^^ meta.embedded.block.sql comment.line.double-dash.sql
  RAISE NOTICE 'it''s; %', NEW.id;
--             ^^^^ meta.embedded.block.sql string.quoted.single.sql
--                 ^^^^^^ meta.embedded.block.sql string.quoted.single.sql
--                       ^^^^^^^^^ meta.embedded.block.sql - string.quoted.single.sql
  NEW.updated_at := now();
  RETURN NEW;
--^^^^^^ meta.embedded.block.sql keyword.other.sql
END
$$;
-- <-- meta.dollar-quoted.sql string.quoted.dollar.sql punctuation.definition.string.end.sql
--^ - meta.dollar-quoted.sql string.quoted.dollar.sql
SELECT 'after';
-- <------ keyword.other.DML.sql - meta.dollar-quoted.sql meta.embedded.block.sql string.quoted.dollar.sql
--     ^^^^^^^ string.quoted.single.sql - meta.embedded.block.sql

-- a DO block whose closing tag stands alone on its line: it closes, it does not reopen
DO $$
-- <-- - meta.dollar-quoted.sql
-- ^^ meta.dollar-quoted.sql string.quoted.dollar.sql punctuation.definition.string.begin.sql
BEGIN
  PERFORM 1;
END
$$
-- <-- meta.dollar-quoted.sql string.quoted.dollar.sql punctuation.definition.string.end.sql
;
SELECT 2;
-- <------ keyword.other.DML.sql - meta.dollar-quoted.sql meta.embedded.block.sql

-- nested bodies with different tags
DO $outer$
BEGIN
  EXECUTE $inner$ SELECT 'x; y' $inner$;
--        ^^^^^^^ meta.dollar-quoted.sql meta.embedded.block.sql string.quoted.dollar.sql punctuation.definition.string.begin.sql
--               ^^^^^^^^^^^^^^^ meta.embedded.block.sql string.quoted.dollar.sql - string.quoted.single.sql keyword.other.DML.sql
--                              ^^^^^^^ meta.embedded.block.sql string.quoted.dollar.sql punctuation.definition.string.end.sql
--                                     ^ meta.embedded.block.sql - string.quoted.dollar.sql
  CREATE FUNCTION g() RETURNS int LANGUAGE sql AS $fn$ SELECT 1 $fn$;
--                                                ^^^^ meta.embedded.block.sql meta.dollar-quoted.sql string.quoted.dollar.sql punctuation.definition.string.begin.sql
--                                                     ^^^^^^ meta.embedded.block.sql meta.dollar-quoted.sql meta.embedded.block.sql keyword.other.DML.sql
--                                                              ^^^^ meta.embedded.block.sql meta.dollar-quoted.sql string.quoted.dollar.sql punctuation.definition.string.end.sql
END
$outer$;
-- <------- meta.dollar-quoted.sql string.quoted.dollar.sql punctuation.definition.string.end.sql - meta.embedded.block.sql
SELECT 3;
-- <------ keyword.other.DML.sql - meta.dollar-quoted.sql string.quoted.dollar.sql

-- not dollar quotes: positional parameters and $ inside identifiers
SELECT $1, foo$bar$baz FROM t WHERE x = $2;
--     ^^ - string.quoted.dollar.sql
--         ^^^^^^^^^^^ - string.quoted.dollar.sql
--                     ^^^^ keyword.other.DML.sql
