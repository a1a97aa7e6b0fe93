/** ENABLE / DISABLE / FORCE / NO FORCE ROW LEVEL SECURITY, and ENABLE / DISABLE TRIGGER, flip back. */
import type { AlterTableCmd } from '@pgsql/types';
import { defineReverser, irreversible, undo } from '../reverser';
import { qi, rel } from '../sql';

const BACK: Record<string, string> = {
  AT_EnableRowSecurity: 'DISABLE ROW LEVEL SECURITY',
  AT_DisableRowSecurity: 'ENABLE ROW LEVEL SECURITY',
  AT_ForceRowSecurity: 'NO FORCE ROW LEVEL SECURITY',
  AT_NoForceRowSecurity: 'FORCE ROW LEVEL SECURITY',
  AT_EnableTrigAll: 'DISABLE TRIGGER ALL',
  AT_DisableTrigAll: 'ENABLE TRIGGER ALL',
  AT_EnableTrigUser: 'DISABLE TRIGGER USER',
  AT_DisableTrigUser: 'ENABLE TRIGGER USER',
};

export default defineReverser<AlterTableCmd>({
  id: 'row-security',
  description: 'Enabling row-level security or triggers is undone by disabling them, and the other way round.',
  handles: [...Object.keys(BACK), 'AT_EnableTrig', 'AT_DisableTrig'].map((k) => `AlterTableCmd.${k}`),
  examples: [
    { schema: 'CREATE TABLE t (a int);', up: 'ALTER TABLE t ENABLE ROW LEVEL SECURITY;', down: 'ALTER TABLE t DISABLE ROW LEVEL SECURITY;\n' },
    {
      schema: 'CREATE TABLE t (a int);\nCREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\nCREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();',
      up: 'ALTER TABLE t DISABLE TRIGGER tr;',
      down: 'ALTER TABLE t ENABLE TRIGGER tr;\n',
    },
  ],
  reverse(cmd, ctx) {
    const sub = cmd.subtype ?? '';
    if (sub === 'AT_EnableTrig') return undo(`ALTER TABLE ${rel(ctx.relation)} DISABLE TRIGGER ${qi(cmd.name ?? '?')}`);
    if (sub === 'AT_DisableTrig') return undo(`ALTER TABLE ${rel(ctx.relation)} ENABLE TRIGGER ${qi(cmd.name ?? '?')}`);
    const back = BACK[sub];
    if (!back) return irreversible(`no reverse is known for ${sub}`);
    return undo(`ALTER TABLE ${rel(ctx.relation)} ${back}`);
  },
});
