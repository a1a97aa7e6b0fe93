/** DROP TRIGGER → CREATE TRIGGER with the old definition, when the earlier migrations define it. */
import type { DropStmt, Node } from '@pgsql/types';
import { as, nameListKey, strings } from '../../ast';
import { defineReverser, type Inverse } from '../reverser';
import { deparse } from '../sql';

export default defineReverser<DropStmt>({
  id: 'drop-trigger',
  description: 'A dropped trigger is created again from its old definition.',
  handles: ['DropStmt.OBJECT_TRIGGER'],
  examples: [
    {
      schema: 'CREATE TABLE t (a int);\nCREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\nCREATE TRIGGER t_touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch();',
      up: 'DROP TRIGGER t_touch ON t;',
      down: 'CREATE TRIGGER t_touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch ();\n',
    },
  ],
  reverse(s, ctx) {
    const out: Inverse = { sql: [], irreversible: [] };
    for (const o of s.objects ?? []) {
      const parts = strings(as<{ items?: Node[] }>(o, 'List')?.items);
      const trig = parts.pop() ?? '?';
      const table = nameListKey(parts.map((sval) => ({ String: { sval } }) as Node));
      const t = table && ctx.catalog.triggers.get(`${table.key}.${trig}`);
      if (t) out.sql.push(deparse({ CreateTrigStmt: { ...t, replace: false } } as Node));
      else out.irreversible!.push(`trigger ${trig} is not in the schema built from the earlier migrations: its definition is unknown`);
    }
    return out;
  },
});
