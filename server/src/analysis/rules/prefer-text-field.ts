/** varchar(n): changing the limit later takes an ACCESS EXCLUSIVE lock; text with a CHECK constraint can change online. */
import { relationName } from '../ast';
import { baseTypeName, caseLike, columnSites, inTypeCase, isCatalogType, isNewTable, statementTokens, typmodValues } from '../parts';
import { defineRule } from '../rule';

export default defineRule({
  id: 'prefer-text-field',
  description: 'Length-limited text should be text with a CHECK constraint, because changing a varchar(n) limit locks the table.',
  category: 'style',
  defaultSeverity: 'warning',
  recommended: true,
  fixable: true,
  messages: {
    column: '`{table}.{column}` is `varchar({length})`: changing that limit later takes an ACCESS EXCLUSIVE lock on `{table}`, blocking reads and writes (and lowering it rewrites the table).',
    alter: 'Changing `{table}.{column}` to `varchar({length})` takes an ACCESS EXCLUSIVE lock on `{table}`, blocking reads and writes, and so will every later change of the limit.',
  },
  help: 'Use text with CHECK (char_length(column) <= n): a new limit is a new constraint added NOT VALID and validated without blocking writes.',
  docs: {
    rationale:
      'In PostgreSQL, `varchar(n)` and `text` are stored the same way; the limit is part of the column type. Raising it is a catalog change (lowering it rewrites the table), but both take an ACCESS EXCLUSIVE lock, so every query on the table waits, and while the ALTER itself waits for a running query, everything queues behind it. With `text` and a CHECK constraint, a new limit is a new constraint: add it NOT VALID (a brief lock), VALIDATE it without blocking writes, then drop the old one.\n\n' +
      'squawk flags the same places (CREATE TABLE, ADD COLUMN, ALTER COLUMN … TYPE). The fix is offered for columns of tables created in this migration: it writes `text` and appends `CHECK (char_length(column) <= n)` to the column. It is not preferred, because varchar(n) silently trims trailing spaces beyond the limit where the CHECK rejects the value, and clients may read the type differently. On an existing table, adding a CHECK inline would scan the table under its lock, so no fix is offered there. `varchar` without a limit is just text and is not flagged. On by default as a warning, as in squawk; turn it off when the team uses varchar(n) on purpose.',
    bad: ['CREATE TABLE users (id bigint, email varchar(255) NOT NULL);', 'ALTER TABLE users ALTER COLUMN email TYPE varchar(320);'],
    good: ['CREATE TABLE users (id bigint, email text NOT NULL CHECK (char_length(email) <= 255));', 'CREATE TABLE users (id bigint, email varchar);'],
  },
  check({ statement, facts, report }) {
    for (const site of columnSites(statement)) {
      if (baseTypeName(site.typeName) !== 'varchar' || !isCatalogType(site.typeName)) continue;
      const mods = typmodValues(site.typeName);
      if (mods.length !== 1) continue;
      const length = mods[0].value;
      const table = relationName(site.relation);
      const check = caseLike(statementTokens(statement)[0]?.text ?? 'C', 'CHECK');
      const fixable = site.kind !== 'alter' && isNewTable(site, facts.createdBefore) && !site.typeName.arrayBounds && site.typeSpan && site.span && site.name;
      report({
        messageId: site.kind === 'alter' ? 'alter' : 'column',
        data: { table, column: site.column, length },
        span: site.typeSpan ?? site.span,
        fix: fixable
          ? {
              title: 'Use text with a CHECK constraint',
              edits: [
                { ...site.typeSpan!, newText: inTypeCase(site, 'text') },
                { start: site.span!.end, end: site.span!.end, newText: ` ${check} (char_length(${site.name!.text}) <= ${length})` },
              ],
              preferred: false,
            }
          : undefined,
      });
    }
  },
});
