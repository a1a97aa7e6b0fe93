/**
 * DROP SCHEMA / DROP EXTENSION → CREATE again, when the earlier migrations created the schema and nothing they put
 * in it went with it.
 */
import type { DropStmt, Node } from '@pgsql/types';
import { as } from '../../ast';
import { defineReverser, type Inverse } from '../reverser';
import { qi } from '../sql';

export default defineReverser<DropStmt>({
  id: 'drop-schema',
  description: 'A dropped empty schema or an extension is created again.',
  handles: ['DropStmt.OBJECT_SCHEMA', 'DropStmt.OBJECT_EXTENSION'],
  examples: [
    { schema: 'CREATE SCHEMA app;', up: 'DROP SCHEMA app;', down: 'CREATE SCHEMA app;\n' },
    { schema: 'CREATE EXTENSION pg_trgm;', up: 'DROP EXTENSION pg_trgm;', down: 'CREATE EXTENSION pg_trgm;\n' },
    {
      name: 'unknown (IF EXISTS)',
      up: 'DROP SCHEMA IF EXISTS r CASCADE;',
      down: '-- IRREVERSIBLE: schema r is not in the schema built from the earlier migrations: whether it existed, and what it held, is unknown\n',
      irreversible: ['schema r is not in the schema built from the earlier migrations: whether it existed, and what it held, is unknown'],
    },
    {
      name: 'with tables',
      schema: 'CREATE SCHEMA app;\nCREATE TABLE app.t (a int);',
      up: 'DROP SCHEMA app CASCADE;',
      down: '-- IRREVERSIBLE: schema app held objects that were dropped with it\n',
      irreversible: ['schema app held objects that were dropped with it'],
    },
  ],
  reverse(s, ctx) {
    const out: Inverse = { sql: [], irreversible: [] };
    for (const o of [...(s.objects ?? [])].reverse()) {
      const name = as<{ sval?: string }>(o as Node, 'String')?.sval ?? '?';
      if (s.removeType === 'OBJECT_EXTENSION') {
        out.sql.push(`CREATE EXTENSION ${qi(name)}`);
        continue;
      }
      if (!ctx.catalog.schemas.has(name) && name !== 'public') {
        out.irreversible!.push(`schema ${name} is not in the schema built from the earlier migrations: whether it existed, and what it held, is unknown`);
        continue;
      }
      const prefix = `${name}.`;
      const holds = [...ctx.catalog.tables.keys(), ...ctx.catalog.views.keys(), ...ctx.catalog.sequences.keys(), ...ctx.catalog.enums.keys(), ...ctx.catalog.routines.keys()].some((k) => k.startsWith(prefix));
      if (holds) out.irreversible!.push(`schema ${name} held objects that were dropped with it`);
      else out.sql.push(`CREATE SCHEMA ${qi(name)}`);
    }
    return out;
  },
});
