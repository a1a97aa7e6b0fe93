/**
 * ALTER TABLE … DROP COLUMN → ADD COLUMN with the old definition, then the constraints and indexes that went with
 * it (PostgreSQL drops every constraint and index that uses the column). The column's values cannot come back.
 */
import type { AlterTableCmd, Node } from '@pgsql/types';
import { walk } from '../../ast';
import { constraintName, type TableConstraint } from '../../catalog';
import { defineReverser, irreversible, type Inverse } from '../reverser';
import { columnSql, constraintSql, indexSql, keySql, literal, qi, rel } from '../sql';

/** Does the node read column `name` (a column reference or an index element on it)? */
function uses(node: unknown, name: string): boolean {
  let found = false;
  walk(node, (kind, v) => {
    if (kind === 'ColumnRef') {
      const fields = (v as { fields?: Node[] }).fields ?? [];
      const last = fields[fields.length - 1] as { String?: { sval?: string } } | undefined;
      if (last?.String?.sval === name) found = true;
    } else if (kind === 'IndexElem' && (v as { name?: string }).name === name) found = true;
  });
  return found;
}

function constraintUses(k: TableConstraint, name: string): boolean {
  return k.columns.includes(name) || (k.node !== undefined && uses(k.node.raw_expr, name)) || (k.node?.including ?? []).some((n) => (n as { String?: { sval?: string } }).String?.sval === name);
}

export default defineReverser<AlterTableCmd>({
  id: 'drop-column',
  description: 'A dropped column is added back with its definition, constraints and indexes; its data is lost.',
  handles: ['AlterTableCmd.AT_DropColumn'],
  examples: [
    {
      schema: "CREATE TABLE users (id int PRIMARY KEY, email varchar(100) DEFAULT 'x' CHECK (email <> ''));\nCREATE UNIQUE INDEX users_email_key ON users (email);",
      up: 'ALTER TABLE users DROP COLUMN email;',
      down:
        "-- IRREVERSIBLE: data in users.email is lost\nALTER TABLE users ADD COLUMN email varchar(100) DEFAULT 'x';\nALTER TABLE users ADD CONSTRAINT users_email_check CHECK (email <> '');\nCREATE UNIQUE INDEX users_email_key ON users (email);\n",
      irreversible: ['data in users.email is lost'],
    },
    {
      name: 'a NOT NULL column without a default',
      schema: 'CREATE TABLE users (id int, nick text NOT NULL);',
      up: 'ALTER TABLE users DROP COLUMN nick;',
      down: '-- IRREVERSIBLE: data in users.nick is lost; adding it back NOT NULL without a default fails once users has rows\nALTER TABLE users ADD COLUMN nick text NOT NULL;\n',
      irreversible: ['data in users.nick is lost; adding it back NOT NULL without a default fails once users has rows'],
    },
    { name: 'unknown column', up: 'ALTER TABLE IF EXISTS users DROP COLUMN IF EXISTS nick;', down: '-- IRREVERSIBLE: users.nick is not in the schema built from the earlier migrations: its definition is unknown\n', irreversible: ['users.nick is not in the schema built from the earlier migrations: its definition is unknown'] },
  ],
  reverse(cmd, ctx) {
    const name = cmd.name ?? '?';
    const table = ctx.catalog.table(ctx.relation);
    const col = table?.columns.get(name);
    const shown = `${rel(ctx.relation)}.${qi(name)}`;
    if (!table || !col) return irreversible(`${shown} is not in the schema built from the earlier migrations: its definition is unknown`);
    const def = columnSql(col);
    if (!def) return irreversible(`the type of ${shown} is unknown`);
    const loss = col.notNull && !col.defaultExpr && !col.generated ? `data in ${shown} is lost; adding it back NOT NULL without a default fails once ${rel(ctx.relation)} has rows` : `data in ${shown} is lost`;
    const out: Inverse = { sql: [`ALTER TABLE ${rel(ctx.relation)} ADD COLUMN ${def}`], irreversible: [loss] };
    for (const k of table.constraints) {
      if (!constraintUses(k, name)) continue;
      const sql = constraintSql(k);
      if (sql) out.sql.push(`ALTER TABLE ${rel(ctx.relation)} ADD ${sql}`);
      else out.irreversible!.push(`constraint ${constraintName(k) ?? '?'} on ${shown} cannot be rebuilt`);
    }
    for (const i of ctx.catalog.indexesOf(table.key)) {
      if (!i.columns.includes(name) && !uses(i.stmt, name)) continue;
      const sql = indexSql(i);
      if (sql) out.sql.push(sql);
      else out.irreversible!.push(`index ${i.name} on ${shown} cannot be rebuilt`);
    }
    const comment = ctx.catalog.comments.get(`OBJECT_COLUMN:${table.key}.${name}`);
    if (comment !== undefined) out.sql.push(`COMMENT ON COLUMN ${keySql(table.key)}.${qi(name)} IS ${literal(comment)}`);
    if (cmd.behavior === 'DROP_CASCADE') out.irreversible!.push(`objects that depended on ${shown} (views, foreign keys) were dropped by CASCADE and are not restored`);
    return out;
  },
});
