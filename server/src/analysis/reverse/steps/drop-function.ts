/** DROP FUNCTION / PROCEDURE → CREATE with the old definition, when the earlier migrations define it. */
import type { DropStmt, Node, ObjectWithArgs } from '@pgsql/types';
import { as, strings } from '../../ast';
import { defineReverser, type Inverse } from '../reverser';
import { deparse } from '../sql';

export default defineReverser<DropStmt>({
  id: 'drop-function',
  description: 'A dropped function is created again from its old definition.',
  handles: ['DropStmt.OBJECT_FUNCTION', 'DropStmt.OBJECT_PROCEDURE', 'DropStmt.OBJECT_ROUTINE'],
  examples: [
    { schema: 'CREATE FUNCTION one(a int) RETURNS int LANGUAGE sql AS $$ SELECT a $$;', up: 'DROP FUNCTION one(integer);', down: 'CREATE FUNCTION one(a int) RETURNS int LANGUAGE sql AS $$ SELECT a $$;\n' },
    { name: 'unknown', up: 'DROP FUNCTION IF EXISTS gone();', down: '-- IRREVERSIBLE: function gone is not in the schema built from the earlier migrations: its definition is unknown\n', irreversible: ['function gone is not in the schema built from the earlier migrations: its definition is unknown'] },
  ],
  reverse(s, ctx) {
    const out: Inverse = { sql: [], irreversible: [] };
    for (const o of [...(s.objects ?? [])].reverse()) {
      const owa = as<ObjectWithArgs>(o, 'ObjectWithArgs');
      const r = ctx.catalog.routineFor(owa);
      if (r) out.sql.push(deparse({ CreateFunctionStmt: { ...r.stmt, replace: false } } as Node));
      else out.irreversible!.push(`function ${strings(owa?.objname).join('.')} is not in the schema built from the earlier migrations: its definition is unknown`);
    }
    return out;
  },
});
