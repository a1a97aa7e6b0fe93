-- SYNTAX TEST "source.sql" "Flyway placeholders"

CREATE TABLE ${schema}.events (id bigint);
--           ^^ variable.other.placeholder.flyway.sql punctuation.definition.placeholder.begin.sql
--             ^^^^^^ variable.other.placeholder.flyway.sql
--                   ^ variable.other.placeholder.flyway.sql punctuation.definition.placeholder.end.sql
--                    ^ - variable.other.placeholder.flyway.sql
GRANT SELECT ON ${flyway:defaultSchema}.events TO ${app_role};
--              ^^^^^^^^^^^^^^^^^^^^^^^ variable.other.placeholder.flyway.sql
--                                                ^^^^^^^^^^^ variable.other.placeholder.flyway.sql
DO $$ BEGIN PERFORM ${fn}(); END $$;
--                  ^^^^^ meta.embedded.block.sql variable.other.placeholder.flyway.sql

-- not placeholders in comments and in plain strings
-- ${schema}
-- ^^^^^^^^^ comment.line.double-dash.sql - variable.other.placeholder.flyway.sql
SELECT $$${x}$$;
--       ^^^^ string.quoted.dollar.sql - variable.other.placeholder.flyway.sql
