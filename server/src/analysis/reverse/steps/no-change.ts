/**
 * Statements that change no schema or data (ANALYZE, VACUUM, REINDEX, REFRESH, LOCK, CHECKPOINT, NOTIFY, a SELECT of
 * no function): nothing to undo. A SELECT that calls functions may change anything (`setval`, `create_hypertable`).
 */
import { walk } from '../../ast';
import { defineReverser, irreversible, undo } from '../reverser';

export default defineReverser<unknown>({
  id: 'no-change',
  description: 'Maintenance statements and plain queries need no undoing.',
  handles: ['VacuumStmt', 'ReindexStmt', 'RefreshMatViewStmt', 'LockStmt', 'CheckPointStmt', 'NotifyStmt', 'ListenStmt', 'ExplainStmt', 'VariableShowStmt', 'ClusterStmt', 'SelectStmt'],
  examples: [
    { schema: 'CREATE TABLE t (a int);', up: 'ANALYZE t;\nSELECT count(*) > 0 AS any FROM t;', down: '-- IRREVERSIBLE: SELECT calls functions (count), which may have changed the database\n', irreversible: ['SELECT calls functions (count), which may have changed the database'] },
    { schema: 'CREATE TABLE t (a int);', up: 'ANALYZE t;\nSELECT a FROM t;', down: '' },
  ],
  reverse(s, ctx) {
    if (!('SelectStmt' in (ctx.statement.node ?? {}))) return undo();
    const calls: string[] = [];
    walk(s, (kind, v) => {
      if (kind !== 'FuncCall') return;
      const name = ((v as { funcname?: { String?: { sval?: string } }[] }).funcname ?? []).map((n) => n.String?.sval).filter(Boolean).pop();
      if (name && !calls.includes(name)) calls.push(name);
    });
    return calls.length ? irreversible(`SELECT calls functions (${calls.join(', ')}), which may have changed the database`) : undo();
  },
});
