/** prefer-static-sql-in-do-block: EXECUTE of a string built at run time cannot be analyzed. */
import rule from '../../server/src/analysis/rules/prefer-static-sql-in-do-block';
import { ruleTests } from '../support/ruleTester';

ruleTests(rule, {
  valid: [
    "DO $$ BEGIN EXECUTE 'COMMENT ON TABLE users IS ''people'''; END $$;",
    { name: 'concatenated constants', sql: "DO $$ BEGIN EXECUTE 'ALTER TABLE users ' || 'ADD COLUMN x int'; END $$;" },
    { name: 'dollar-quoted constant', sql: 'DO $$ BEGIN EXECUTE $q$CREATE TABLE t (id int)$q$; END $$;' },
    { name: 'a constant that does not parse (a template placeholder) is not dynamic', sql: "DO $$ BEGIN EXECUTE 'DROP INDEX {{ .Schema }}.idx'; END $$;" },
    { name: 'static SQL', sql: 'DO $$ BEGIN CREATE TABLE audit (id bigint); END $$;' },
    { name: 'a routine that is never called', sql: "CREATE FUNCTION f(t text) RETURNS void LANGUAGE plpgsql AS $$ BEGIN EXECUTE 'DROP TABLE ' || t; END $$;" },
  ],
  invalid: [
    {
      sql: "DO $$\nDECLARE t text;\nBEGIN\n  FOR t IN SELECT tablename FROM pg_tables LOOP\n    EXECUTE «format('ALTER TABLE %I SET UNLOGGED', t)»;\n  END LOOP;\nEND\n$$;",
      errors: [{ messageId: 'dynamic', data: { expression: "`format('ALTER TABLE %I SET UNLOGGED', t)`", where: 'inside this DO block' } }],
    },
    {
      name: 'concatenation with a variable',
      sql: "DO $$ DECLARE t text := 'users'; BEGIN EXECUTE «'ALTER TABLE ' || quote_ident(t) || ' ADD c int'»; END $$;",
      errors: [{ messageId: 'dynamic', data: { expression: "`'ALTER TABLE ' || quote_ident(t) || ' ADD c int'`" } }],
    },
    {
      name: 'EXECUTE … USING',
      sql: 'DO $$ DECLARE q text := $q$SELECT 1$q$; BEGIN EXECUTE «q» USING 1; END $$;',
      errors: [{ messageId: 'dynamic', data: { expression: '`q`' } }],
    },
    {
      name: 'two in one block',
      sql: 'DO $$ DECLARE a text; b text; BEGIN EXECUTE «a»; EXECUTE «b»; END $$;',
      errors: [
        { messageId: 'dynamic', data: { expression: '`a`' } },
        { messageId: 'dynamic', data: { expression: '`b`' } },
      ],
    },
    {
      name: 'a long expression is shortened',
      sql: "DO $$ DECLARE t text; BEGIN EXECUTE «format('ALTER TABLE %I ADD COLUMN some_rather_long_column_name text', t)»; END $$;",
      errors: [{ messageId: 'dynamic', data: { expression: "`format('ALTER TABLE %I ADD COLUMN some_rather_long_column…`" } }],
    },
    {
      name: 'a procedure defined earlier and called',
      sql: "CREATE PROCEDURE drop_t(t text) LANGUAGE plpgsql AS $$ BEGIN EXECUTE 'DROP TABLE ' || t; END $$;\n«CALL drop_t('x')»;",
      errors: [{ messageId: 'dynamic', data: { where: 'inside `drop_t` (defined on line 1)' } }],
    },
  ],
});
