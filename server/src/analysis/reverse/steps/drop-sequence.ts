/** DROP SEQUENCE → CREATE SEQUENCE with its old options; where it had got to is lost. */
import type { DropStmt, Node } from '@pgsql/types';
import { as, nameListKey } from '../../ast';
import { defineReverser, type Inverse } from '../reverser';
import { deparse } from '../sql';

export default defineReverser<DropStmt>({
  id: 'drop-sequence',
  description: 'A dropped sequence is created again; its current value is lost.',
  handles: ['DropStmt.OBJECT_SEQUENCE'],
  examples: [
    {
      schema: 'CREATE SEQUENCE order_no START 1000;',
      up: 'DROP SEQUENCE order_no;',
      down: '-- IRREVERSIBLE: the current value of sequence order_no is lost\nCREATE SEQUENCE order_no START 1000;\n',
      irreversible: ['the current value of sequence order_no is lost'],
    },
  ],
  reverse(s, ctx) {
    const out: Inverse = { sql: [], irreversible: [] };
    for (const o of [...(s.objects ?? [])].reverse()) {
      const n = nameListKey(as<{ items?: Node[] }>(o, 'List')?.items);
      if (!n) continue;
      const q = ctx.catalog.sequences.get(n.key);
      if (!q) {
        out.irreversible!.push(`sequence ${n.name} is not in the schema built from the earlier migrations: its definition is unknown`);
        continue;
      }
      out.irreversible!.push(`the current value of sequence ${n.name} is lost`);
      out.sql.push(deparse({ CreateSeqStmt: { ...q, if_not_exists: false } } as Node));
    }
    return out;
  },
});
