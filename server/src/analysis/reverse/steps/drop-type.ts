/**
 * DROP TYPE / DROP DOMAIN → created again: an enum with its values, a domain or composite type with the statement that
 * made it (when no ALTER changed it since); range and base types are not kept statically.
 */
import type { DropStmt, Node, TypeName } from '@pgsql/types';
import { as, nameListKey } from '../../ast';
import { defineReverser, type Inverse } from '../reverser';
import { deparse, literal, qname } from '../sql';

export default defineReverser<DropStmt>({
  id: 'drop-type',
  description: 'A dropped enum, domain or composite type is created again as the earlier migrations define it.',
  handles: ['DropStmt.OBJECT_TYPE', 'DropStmt.OBJECT_DOMAIN'],
  examples: [
    { schema: "CREATE TYPE mood AS ENUM ('sad', 'ok');\nALTER TYPE mood ADD VALUE 'happy' BEFORE 'ok';", up: 'DROP TYPE mood;', down: "CREATE TYPE mood AS ENUM ('sad', 'happy', 'ok');\n" },
    { schema: 'CREATE TYPE pair AS (a int, "B c" text);', up: 'DROP TYPE pair;', down: 'CREATE TYPE pair AS (a int, "B c" text);\n' },
    { schema: 'CREATE DOMAIN positive AS numeric(10,2) DEFAULT 1 NOT NULL CONSTRAINT positive_check CHECK (VALUE > 0);', up: 'DROP DOMAIN positive;', down: 'CREATE DOMAIN positive AS numeric(10, 2) DEFAULT 1 NOT NULL CONSTRAINT positive_check CHECK (value > 0);\n' },
    {
      name: 'a domain changed since it was created',
      schema: 'CREATE DOMAIN positive AS int;\nALTER DOMAIN positive ADD CONSTRAINT positive_check CHECK (VALUE > 0);',
      up: 'DROP DOMAIN positive;',
      down: '-- IRREVERSIBLE: the definition of domain positive is not kept statically\n',
      irreversible: ['the definition of domain positive is not kept statically'],
    },
    { schema: 'CREATE TYPE floatrange AS RANGE (subtype = float8);', up: 'DROP TYPE floatrange;', down: '-- IRREVERSIBLE: the definition of type floatrange is not kept statically\n', irreversible: ['the definition of type floatrange is not kept statically'] },
  ],
  reverse(s, ctx) {
    const out: Inverse = { sql: [], irreversible: [] };
    for (const o of [...(s.objects ?? [])].reverse()) {
      const names = as<TypeName>(o, 'TypeName')?.names ?? as<{ items?: Node[] }>(o, 'List')?.items;
      const n = nameListKey(names);
      if (!n) continue;
      const values = s.removeType === 'OBJECT_TYPE' ? ctx.catalog.enums.get(n.key) : undefined;
      const made = ctx.catalog.types.get(n.key);
      if (values) out.sql.push(`CREATE TYPE ${qname(names)} AS ENUM (${values.map(literal).join(', ')})`);
      else if (made) out.sql.push(deparse(made));
      else out.irreversible!.push(`the definition of ${s.removeType === 'OBJECT_DOMAIN' ? 'domain' : 'type'} ${n.name} is not kept statically`);
    }
    return out;
  },
});
