/**
 * Statements of an up whose effect no down can undo: the data they destroy or convert is gone (DROP COLUMN / TABLE,
 * lossy type changes, enum ADD VALUE, UPDATE / DELETE / TRUNCATE). The reasons come from the reverse generator.
 */
import type { AlterEnumStmt, Node } from '@pgsql/types';
import { as, kindOf, nameListKey, statementLabel } from '../ast';
import { reverseMigration } from '../reverse';
import { migrationEffects } from '../rollback';
import { defineRule } from '../rule';

/** Reasons that say what our static schema does not know, rather than what the statement destroys. */
const KNOWLEDGE_GAP = /not in the schema built from the earlier migrations|before this migration is unknown|is unknown\b|could not be generated|does not parse|no reverse is known|reconstructed statically|not kept statically|cannot be rebuilt|cannot be determined/;

/** Reverse steps whose statement always destroys data, whatever the generator knew about the schema. */
const ALWAYS_LOSES: Record<string, (name: string) => string> = {
  'drop-column': (name) => `data in ${name} is lost`,
  'drop-table': (name) => `data in ${name} is lost`,
};

export default defineRule({
  id: 'ban-irreversible-statement',
  description: 'A statement whose effect a down migration cannot undo (the data it destroys or converts is gone) makes the migration irreversible.',
  category: 'correctness',
  defaultSeverity: 'warning',
  recommended: true,
  fixable: false,
  messages: {
    irreversible: '{statement} cannot be rolled back: {reason}. A down migration can restore the schema, not the data.',
  },
  help: 'Keep the old data until the rollback window has passed (expand-contract: copy or rename instead of dropping, drop in a later migration), or mark the down as irreversible with an empty down that says why.',
  docs: {
    rationale:
      'A rollback restores the schema, but it cannot restore what the up destroyed: the rows of a dropped table, the values of a dropped column, values rounded or converted by a type change, rows updated or deleted. An enum value cannot be removed at all. The rule runs the reverse generator on the up and reports each statement it cannot invert because of data, naming what is lost; gaps in what the static schema knows (a table created outside the folder) are not reported as data loss. Objects created earlier in the same migration are exempt: rolling back drops them anyway. It applies where the project uses down migrations, and stays quiet when the down is marked irreversible (empty or comments only), since the author already says so.',
    bad: [
      { sql: 'ALTER TABLE users DROP COLUMN legacy_name;', rollback: { role: 'up', tool: 'golang-migrate', expectation: 'required', downPath: '000050_drop_legacy_name.down.sql', downText: 'ALTER TABLE users ADD COLUMN legacy_name text;\n' } },
      { sql: "ALTER TYPE mood ADD VALUE 'ecstatic';", rollback: { role: 'up', tool: 'diesel', expectation: 'required', downPath: 'down.sql', downText: '-- cannot remove an enum value\nSELECT 1;\n' } },
      { sql: "UPDATE users SET status = 'active' WHERE status IS NULL;", rollback: { role: 'up', tool: 'goose', expectation: 'required', sameFile: true } },
    ],
    good: [
      { sql: 'ALTER TABLE users ADD COLUMN nickname text;', rollback: { role: 'up', tool: 'golang-migrate', expectation: 'required', downPath: '000042_nickname.down.sql', downText: 'ALTER TABLE users DROP COLUMN nickname;\n' } },
      { sql: 'ALTER TABLE users DROP COLUMN legacy_name;', rollback: { role: 'up', tool: 'golang-migrate', expectation: 'required', downPath: '000050_drop_legacy_name.down.sql', downText: '-- irreversible: legacy_name is gone\n', irreversibleMarker: true } },
      { sql: "CREATE TYPE mood AS ENUM ('sad');\nALTER TYPE mood ADD VALUE 'happy';", rollback: { role: 'up', tool: 'diesel', expectation: 'required', downPath: 'down.sql', downText: 'DROP TYPE mood;\n' } },
    ],
  },
  checkFile({ file, options, catalog, rollback, report }) {
    if (rollback?.role !== 'up' || rollback.expectation !== 'required' || rollback.irreversibleMarker) return;
    const reverse = reverseMigration(file.file.text, { catalog, assumeInTransaction: options.assumeInTransaction, postgresVersion: options.postgresVersion });
    const effects = migrationEffects(file.file);
    // What the file creates, by statement: a later statement on it needs no rollback of its own.
    const createdBefore = (index: number, key: string) => effects.some((e) => e.statementIndex < index && e.op === 'create' && (e.object.key === key || e.object.table === key));
    const reasons = new Map<number, string[]>();
    for (const index of new Set(reverse.steps.map((s) => s.statementIndex))) {
      const node = file.file.statements[index]?.node as Node | undefined;
      if (!node) continue;
      const own = effects.filter((e) => e.statementIndex === index);
      const enumKey = nameListKey(as<AlterEnumStmt>(node, 'AlterEnumStmt')?.typeName)?.key;
      const targets = [...own.map((e) => e.object.table ?? e.object.key), ...(enumKey ? [enumKey] : [])];
      if (targets.length && targets.every((k) => createdBefore(index, k))) continue;
      const found = reverse.irreversible.filter((i) => i.statementIndex === index && !KNOWLEDGE_GAP.test(i.reason)).map((i) => i.reason);
      for (const step of reverse.steps.filter((s) => s.statementIndex === index)) {
        const always = ALWAYS_LOSES[step.reverserId];
        if (!always) continue;
        for (const e of own) if (e.op === 'drop' && !found.some((r) => r.startsWith(always(e.object.name)))) found.unshift(always(e.object.name));
      }
      if (found.length) reasons.set(index, found);
    }
    for (const [index, list] of reasons) {
      const statement = file.file.statements[index];
      const label = effects.find((e) => e.statementIndex === index && (e.op === 'drop' || e.op === 'alter-type'))?.label ?? (kindOf(statement.node) === 'AlterEnumStmt' ? 'ALTER TYPE … ADD VALUE' : statementLabel(kindOf(statement.node)));
      report({ messageId: 'irreversible', data: { statement: label, reason: [...new Set(list)].join('; ') }, span: statement.span, statementIndex: index });
    }
  },
});
