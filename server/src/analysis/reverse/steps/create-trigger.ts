/** CREATE TRIGGER ↔ DROP TRIGGER … ON table; CREATE OR REPLACE TRIGGER of a known trigger → its old definition. */
import type { CreateTrigStmt, Node } from '@pgsql/types';
import { relationKey } from '../../ast';
import { defineReverser, undo } from '../reverser';
import { deparse, qi, rel } from '../sql';

export default defineReverser<CreateTrigStmt>({
  id: 'create-trigger',
  description: 'A created trigger is dropped.',
  handles: ['CreateTrigStmt'],
  examples: [
    {
      schema: 'CREATE TABLE t (a int);\nCREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;',
      up: 'CREATE TRIGGER t_touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch();',
      down: 'DROP TRIGGER t_touch ON t;\n',
    },
  ],
  reverse(s, ctx) {
    const old = ctx.catalog.triggers.get(`${relationKey(s.relation)}.${s.trigname}`);
    if (s.replace && old) return undo(deparse({ CreateTrigStmt: { ...old, replace: true } } as Node));
    return undo(`DROP TRIGGER ${qi(s.trigname ?? '?')} ON ${rel(s.relation)}`);
  },
});
