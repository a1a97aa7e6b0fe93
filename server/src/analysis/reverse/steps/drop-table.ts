/**
 * DROP TABLE → CREATE TABLE from the schema before the up: columns, defaults, constraints, indexes, comments, and
 * with CASCADE the foreign keys of other tables that pointed at it. The rows cannot come back.
 */
import type { DropStmt, Node } from '@pgsql/types';
import { as, nameListKey } from '../../ast';
import { constraintName } from '../../catalog';
import { defineReverser, type Inverse } from '../reverser';
import { constraintSql, keySql, literal, tableSql } from '../sql';

export default defineReverser<DropStmt>({
  id: 'drop-table',
  description: 'A dropped table is recreated from the earlier migrations; its data is lost.',
  handles: ['DropStmt.OBJECT_TABLE'],
  examples: [
    {
      schema: "CREATE TABLE users (id bigint PRIMARY KEY, email varchar(255) NOT NULL DEFAULT '', score int CHECK (score > 0));\nCREATE INDEX users_email_idx ON users (lower(email));",
      up: 'DROP TABLE users;',
      down:
        '-- IRREVERSIBLE: data in users is lost\nCREATE TABLE users (\n  id bigint NOT NULL,\n  email varchar(255) DEFAULT \'\' NOT NULL,\n  score int,\n  CONSTRAINT users_pkey PRIMARY KEY (id),\n  CONSTRAINT users_score_check CHECK (score > 0)\n);\nCREATE INDEX users_email_idx ON users ((lower(email)));\n',
      irreversible: ['data in users is lost'],
    },
    {
      name: 'CASCADE restores the foreign keys that pointed at it',
      schema: 'CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE b (a_id int REFERENCES a);',
      up: 'DROP TABLE a CASCADE;',
      down: '-- IRREVERSIBLE: data in a is lost\nCREATE TABLE a (\n  id int NOT NULL,\n  CONSTRAINT a_pkey PRIMARY KEY (id)\n);\nALTER TABLE b ADD CONSTRAINT b_a_id_fkey FOREIGN KEY (a_id) REFERENCES a;\n',
      irreversible: ['data in a is lost'],
    },
    { name: 'a table the earlier migrations do not create', up: 'DROP TABLE IF EXISTS legacy;', down: '-- IRREVERSIBLE: legacy is not in the schema built from the earlier migrations: its definition is unknown\n', irreversible: ['legacy is not in the schema built from the earlier migrations: its definition is unknown'] },
  ],
  reverse(s, ctx) {
    const out: Inverse = { sql: [], irreversible: [] };
    for (const o of [...(s.objects ?? [])].reverse()) {
      const n = nameListKey(as<{ items?: Node[] }>(o, 'List')?.items);
      if (!n) continue;
      const t = ctx.catalog.tables.get(n.key);
      if (!t) {
        out.irreversible!.push(`${n.name} is not in the schema built from the earlier migrations: its definition is unknown`);
        continue;
      }
      const def = tableSql(t, ctx.catalog);
      if (!def || def.missing) {
        out.irreversible!.push(`the definition of ${n.name} cannot be rebuilt${def?.missing ? `: ${def.missing}` : ''}`);
        continue;
      }
      out.irreversible!.push(`data in ${n.name} is lost`);
      out.sql.push(...def.create);
      for (const [k, c] of ctx.catalog.comments) {
        if (k === `OBJECT_TABLE:${t.key}`) out.sql.push(`COMMENT ON TABLE ${keySql(t.key)} IS ${literal(c)}`);
        else if (k.startsWith(`OBJECT_COLUMN:${t.key}.`)) out.sql.push(`COMMENT ON COLUMN ${keySql(t.key)}.${k.slice(`OBJECT_COLUMN:${t.key}.`.length)} IS ${literal(c)}`);
      }
      if (s.behavior === 'DROP_CASCADE') {
        for (const other of ctx.catalog.tables.values()) {
          if (other.key === t.key) continue;
          for (const k of other.constraints) {
            if (k.kind !== 'foreign' || k.refTable !== t.key) continue;
            const sql = constraintSql(k);
            if (sql) out.sql.push(`ALTER TABLE ${keySql(other.key)} ADD ${sql}`);
            else out.irreversible!.push(`foreign key ${constraintName(k) ?? '?'} of ${other.name} was dropped by CASCADE and cannot be rebuilt`);
          }
        }
      }
    }
    return out;
  },
});
