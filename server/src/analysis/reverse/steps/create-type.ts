/** CREATE TYPE (enum, composite, range) and CREATE DOMAIN ↔ DROP TYPE / DROP DOMAIN. */
import type { Node } from '@pgsql/types';
import { as, kindOf } from '../../ast';
import { defineReverser, undo } from '../reverser';
import { qname, rel } from '../sql';

export default defineReverser<Record<string, unknown>>({
  id: 'create-type',
  description: 'A created type or domain is dropped.',
  handles: ['CreateEnumStmt', 'CompositeTypeStmt', 'CreateRangeStmt', 'CreateDomainStmt'],
  examples: [
    { up: "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');", down: 'DROP TYPE mood;\n' },
    { up: 'CREATE TYPE pair AS (a int, b text);', down: 'DROP TYPE pair;\n' },
    { up: 'CREATE DOMAIN positive AS int CHECK (VALUE > 0);', down: 'DROP DOMAIN positive;\n' },
  ],
  reverse(s, ctx) {
    const kind = kindOf(ctx.statement.node);
    if (kind === 'CompositeTypeStmt') return undo(`DROP TYPE ${rel(s.typevar as never)}`);
    if (kind === 'CreateDomainStmt') return undo(`DROP DOMAIN ${qname(s.domainname as Node[])}`);
    const names = (s.typeName as Node[] | undefined) ?? as<{ typeName?: Node[] }>(ctx.statement.node, kind)?.typeName;
    return undo(`DROP TYPE ${qname(names)}`);
  },
});
