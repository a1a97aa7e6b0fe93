/** ALTER TYPE … ADD VALUE cannot be undone (PostgreSQL cannot drop an enum value); RENAME VALUE is renamed back. */
import type { AlterEnumStmt } from '@pgsql/types';
import { nameListKey } from '../../ast';
import { defineReverser, irreversible, undo } from '../reverser';
import { literal, qname } from '../sql';

export default defineReverser<AlterEnumStmt>({
  id: 'alter-enum',
  description: 'An added enum value cannot be removed; a renamed one is renamed back.',
  handles: ['AlterEnumStmt'],
  examples: [
    {
      schema: "CREATE TYPE mood AS ENUM ('sad', 'ok');",
      up: "ALTER TYPE mood ADD VALUE 'happy';",
      down: "-- IRREVERSIBLE: PostgreSQL cannot drop a value from an enum: 'happy' stays in mood\n",
      irreversible: ["PostgreSQL cannot drop a value from an enum: 'happy' stays in mood"],
    },
    { schema: "CREATE TYPE mood AS ENUM ('sad', 'ok');", up: "ALTER TYPE mood RENAME VALUE 'ok' TO 'fine';", down: "ALTER TYPE mood RENAME VALUE 'fine' TO 'ok';\n" },
    { name: 'IF NOT EXISTS on an existing value', schema: "CREATE TYPE mood AS ENUM ('sad', 'ok');", up: "ALTER TYPE mood ADD VALUE IF NOT EXISTS 'ok';", down: '' },
  ],
  reverse(s, ctx) {
    const type = qname(s.typeName);
    if (s.oldVal && s.newVal) return undo(`ALTER TYPE ${type} RENAME VALUE ${literal(s.newVal)} TO ${literal(s.oldVal)}`);
    const key = nameListKey(s.typeName)?.key;
    if (s.skipIfNewValExists && key && s.newVal && ctx.catalog.enums.get(key)?.includes(s.newVal)) return undo();
    return irreversible(`PostgreSQL cannot drop a value from an enum: ${literal(s.newVal ?? '?')} stays in ${type}`);
  },
});
