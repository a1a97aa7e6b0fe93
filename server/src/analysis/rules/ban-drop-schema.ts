/** DROP SCHEMA: removes every object in it (and with CASCADE, objects elsewhere that depend on them). */
import type { CreateSchemaStmt, DropStmt } from '@pgsql/types';
import { as, strings } from '../ast';
import { defineRule } from '../rule';

export default defineRule({
  id: 'ban-drop-schema',
  description: 'Dropping a schema breaks every query of the running application that uses an object in it.',
  category: 'compatibility',
  defaultSeverity: 'warning',
  recommended: true,
  fixable: false,
  messages: {
    restrict: 'DROP SCHEMA `{schema}` breaks every running query that uses an object in it, and fails while the schema still holds objects.',
    cascade: 'DROP SCHEMA `{schema}` CASCADE drops every table, view, function and type in it, and anything elsewhere that depends on them, taking ACCESS EXCLUSIVE locks on each: their data is gone and every running query that uses them fails.',
  },
  help: 'Stop using the schema\'s objects in a release first, then drop the objects one by one in a later migration (or rename the schema so it can be restored).',
  docs: {
    rationale:
      'A schema is a namespace for many objects at once. DROP SCHEMA … CASCADE removes all of them, plus views, foreign keys and functions in other schemas that depend on them, in one statement that takes an ACCESS EXCLUSIVE lock on every table it drops: the data cannot be recovered without a backup, and the release still running fails on its next query. Without CASCADE the statement fails unless the schema is already empty. Drop the objects deliberately, one by one, after the code has stopped using them. Schemas created earlier in the same migration are not flagged. squawk has a rule of the same name.',
    bad: ['DROP SCHEMA reporting CASCADE;', 'DROP SCHEMA IF EXISTS legacy;'],
    good: ['CREATE SCHEMA scratch;\nDROP SCHEMA scratch;', 'DROP TABLE legacy.imports;'],
  },
  check({ statement, file, report }) {
    const drop = as<DropStmt>(statement.node, 'DropStmt');
    if (drop?.removeType !== 'OBJECT_SCHEMA') return;
    const created = new Set(
      file.file.statements
        .slice(0, statement.index)
        .map((s) => as<CreateSchemaStmt>(s.node, 'CreateSchemaStmt')?.schemaname)
        .filter((n): n is string => !!n),
    );
    for (const schema of strings(drop.objects)) {
      if (created.has(schema)) continue;
      report({ messageId: drop.behavior === 'DROP_CASCADE' ? 'cascade' : 'restrict', data: { schema } });
    }
  },
});
