/**
 * A migration that mixes expand steps (safe before the new release ships) with contract steps (safe only after no
 * running code uses what they remove) has no deploy time that suits it. The phases come from `phase.ts`, classified
 * once per file against the schema of the earlier migrations; the split into two migrations is a workspace plan
 * (`scaffold/split.ts`), not a text fix.
 */
import type { FileFacts } from '../context';
import { classifyStatements, phasesOf, type ClassifiedStatement } from '../phase';
import { defineRule } from '../rule';

/**
 * Per analysis (keyed by its facts object, so nothing outlives it): where the finding goes and what it says, or null.
 * Decided once per file, so the rule costs one classification per file, not one per statement.
 */
const verdicts = new WeakMap<FileFacts, { statementIndex: number; data: { expand: string; contract: string } } | null>();

function judge(statements: ClassifiedStatement[]): { statementIndex: number; data: { expand: string; contract: string } } | null {
  const contracts = statements.filter((s) => phasesOf(s).includes('contract'));
  const expands = statements.filter((s) => phasesOf(s).includes('expand'));
  if (contracts.length === 0 || expands.length === 0) return null;
  // One statement that is both (ALTER TABLE … ADD COLUMN a, DROP COLUMN b) is mixed on its own.
  if (contracts.length === 1 && expands.length === 1 && expands[0] === contracts[0] && !contracts[0].parts) return null;
  return {
    statementIndex: contracts[0].statementIndex,
    data: {
      expand: list(expands.some((s) => s.phase === 'expand') ? expands.filter((s) => s.phase === 'expand').flatMap((s) => s.objects) : expands.flatMap((s) => s.objects)),
      contract: list(contracts.flatMap((s) => s.objects)),
    },
  };
}

function list(names: string[]): string {
  const unique = [...new Set(names)].map((n) => `\`${n}\``);
  return unique.length <= 3 ? unique.join(', ') : `${unique.slice(0, 3).join(', ')} and ${unique.length - 3} more`;
}

export default defineRule({
  id: 'ban-mixed-expand-contract',
  description: 'A migration that both expands the schema and contracts it cannot be deployed safely before or after the new code.',
  category: 'compatibility',
  defaultSeverity: 'warning',
  recommended: true,
  fixable: false,
  messages: {
    mixed: 'This migration mixes expand steps ({expand}) with contract steps ({contract}): the expand steps must run before the new release ships, the contract steps only after no running code uses {contract}.',
  },
  help: 'Split it: keep the expand steps in this migration and move the contract steps into a later one, run after the new release is deployed everywhere.',
  docs: {
    rationale:
      'Expand-contract deploys a schema change in two halves around the release that uses it. Expand steps (add a column, a table, an index, a NOT VALID constraint) keep the running release working, so they run before the new code ships. Contract steps (drop a column or table, SET NOT NULL on a column the old code does not write, narrow a type) are safe only once no running code uses what they remove. A migration holding both runs either too early for its contract steps or too late for its expand steps. The finding is on the first contract step; the split action keeps the expand steps here and moves the contract steps (and their rollback) into a new migration named by the folder\'s convention. Statements on tables created earlier in the same migration count as expand. Classification: `Expand`, `Contract`, `Breaking` and `Neutral` in the hover of each statement.',
    bad: [
      'ALTER TABLE users ADD COLUMN full_name text;\nALTER TABLE users DROP COLUMN name;',
      'CREATE INDEX CONCURRENTLY users_email_idx ON users (email);\nDROP TABLE legacy_sessions;',
    ],
    good: [
      'ALTER TABLE users ADD COLUMN full_name text;\nCREATE INDEX CONCURRENTLY users_full_name_idx ON users (full_name);',
      'ALTER TABLE users DROP COLUMN name;',
      'CREATE TABLE users (id bigint, name text);\nALTER TABLE users DROP COLUMN name;',
    ],
  },
  check({ statement, file, catalog, report }) {
    let verdict = verdicts.get(file);
    if (verdict === undefined) {
      // The first statement that parsed: the catalog is still the one of the earlier migrations.
      verdict = judge(classifyStatements(file.file.statements, { catalog }));
      verdicts.set(file, verdict);
    }
    if (verdict && verdict.statementIndex === statement.index) report({ messageId: 'mixed', data: verdict.data });
  },
});
