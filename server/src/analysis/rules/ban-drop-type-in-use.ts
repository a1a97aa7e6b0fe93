/** DROP TYPE / DROP DOMAIN of a type that columns still use: fails, or with CASCADE drops those columns. */
import type { DropStmt, Node, TypeName } from '@pgsql/types';
import { as, nameListKey, strings } from '../ast';
import { defineRule } from '../rule';

export default defineRule({
  id: 'ban-drop-type-in-use',
  description: 'Dropping a type that columns still use fails, or with CASCADE silently drops those columns and their data.',
  category: 'correctness',
  defaultSeverity: 'error',
  recommended: true,
  fixable: false,
  messages: {
    restrict: 'DROP {what} `{type}` fails: {columns} still use it.',
    cascade: 'DROP {what} `{type}` CASCADE also drops {columns}, which use it, with all their data.',
  },
  help: 'Change or drop the columns that use the type first (after the code has stopped using them), then drop the type.',
  docs: {
    rationale:
      'PostgreSQL refuses to drop a type while a column uses it ("cannot drop type … because other objects depend on it"), so the migration fails. With CASCADE it succeeds by dropping every such column, with its data, without naming them: an easy way to lose data by accident. The rule knows the columns from the schema built from earlier statements and migrations; when none is known it stays quiet.',
    bad: ["CREATE TABLE orders (id bigint, status order_status);\nDROP TYPE order_status;", 'CREATE TABLE orders (id bigint, amount money_amount);\nDROP DOMAIN money_amount CASCADE;'],
    good: ['CREATE TABLE orders (id bigint, status order_status);\nALTER TABLE orders DROP COLUMN status;\nDROP TYPE order_status;', 'DROP TYPE IF EXISTS unused_status;'],
  },
  check({ statement, catalog, report }) {
    const drop = as<DropStmt>(statement.node, 'DropStmt');
    if (drop?.removeType !== 'OBJECT_TYPE' && drop?.removeType !== 'OBJECT_DOMAIN') return;
    const what = drop.removeType === 'OBJECT_TYPE' ? 'TYPE' : 'DOMAIN';
    for (const o of drop.objects ?? []) {
      const names = as<TypeName>(o, 'TypeName')?.names ?? as<{ items?: Node[] }>(o, 'List')?.items;
      const type = nameListKey(names);
      if (!type) continue;
      // The catalog keeps a column's type without its schema, so a type is matched by its own name.
      const bare = (strings(names).pop() ?? '').toLowerCase();
      const users: string[] = [];
      for (const t of catalog.tables.values()) {
        for (const c of t.columns.values()) if (c.baseType === bare) users.push(`\`${t.name}.${c.name}\``);
      }
      if (users.length === 0) continue;
      report({ messageId: drop.behavior === 'DROP_CASCADE' ? 'cascade' : 'restrict', data: { what, type: type.name, columns: users.join(', ') } });
    }
  },
});
