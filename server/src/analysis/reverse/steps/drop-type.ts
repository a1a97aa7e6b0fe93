/** DROP TYPE of an enum → CREATE TYPE … AS ENUM with its values; other types and domains are not kept statically. */
import type { DropStmt, Node, TypeName } from '@pgsql/types';
import { as, nameListKey } from '../../ast';
import { defineReverser, type Inverse } from '../reverser';
import { literal, qname } from '../sql';

export default defineReverser<DropStmt>({
  id: 'drop-type',
  description: 'A dropped enum type is created again with its values.',
  handles: ['DropStmt.OBJECT_TYPE', 'DropStmt.OBJECT_DOMAIN'],
  examples: [
    { schema: "CREATE TYPE mood AS ENUM ('sad', 'ok');\nALTER TYPE mood ADD VALUE 'happy' BEFORE 'ok';", up: 'DROP TYPE mood;', down: "CREATE TYPE mood AS ENUM ('sad', 'happy', 'ok');\n" },
    { schema: 'CREATE TYPE pair AS (a int);', up: 'DROP TYPE pair;', down: '-- IRREVERSIBLE: the definition of type pair is not kept statically\n', irreversible: ['the definition of type pair is not kept statically'] },
  ],
  reverse(s, ctx) {
    const out: Inverse = { sql: [], irreversible: [] };
    for (const o of [...(s.objects ?? [])].reverse()) {
      const names = as<TypeName>(o, 'TypeName')?.names ?? as<{ items?: Node[] }>(o, 'List')?.items;
      const n = nameListKey(names);
      if (!n) continue;
      const values = s.removeType === 'OBJECT_TYPE' ? ctx.catalog.enums.get(n.key) : undefined;
      if (values) out.sql.push(`CREATE TYPE ${qname(names)} AS ENUM (${values.map(literal).join(', ')})`);
      else out.irreversible!.push(`the definition of ${s.removeType === 'OBJECT_DOMAIN' ? 'domain' : 'type'} ${n.name} is not kept statically`);
    }
    return out;
  },
});
