/** INSERT, UPDATE, DELETE, TRUNCATE, COPY and MERGE change data: what was there before cannot be rebuilt statically. */
import type { Node, RangeVar } from '@pgsql/types';
import { kindOf, statementLabel } from '../../ast';
import { defineReverser, irreversible } from '../reverser';
import { rel } from '../sql';

export default defineReverser<{ relation?: RangeVar; relations?: Node[] }>({
  id: 'data',
  description: 'Data changes cannot be undone statically.',
  handles: ['UpdateStmt', 'DeleteStmt', 'TruncateStmt', 'CopyStmt', 'MergeStmt'],
  examples: [
    {
      schema: 'CREATE TABLE t (a int);',
      up: 'UPDATE t SET a = 0 WHERE a IS NULL;',
      down: '-- IRREVERSIBLE: UPDATE changes data in t: the previous rows cannot be restored\n',
      irreversible: ['UPDATE changes data in t: the previous rows cannot be restored'],
    },
    {
      schema: 'CREATE TABLE t (a int);',
      up: 'TRUNCATE t;',
      down: '-- IRREVERSIBLE: TRUNCATE changes data in t: the previous rows cannot be restored\n',
      irreversible: ['TRUNCATE changes data in t: the previous rows cannot be restored'],
    },
  ],
  reverse(s, ctx) {
    const kind = kindOf(ctx.statement.node);
    const first = s.relation ?? ((s.relations?.[0] as { RangeVar?: RangeVar } | undefined)?.RangeVar);
    return irreversible(`${statementLabel(kind)} changes data in ${first ? rel(first) : 'the database'}: the previous rows cannot be restored`);
  },
});
