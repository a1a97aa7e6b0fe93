/** timestamp (without time zone) drops the UTC offset of what is written to it; timestamptz stores an instant. */
import { relationName } from '../ast';
import { arraySuffix, baseTypeName, columnSites, inTypeCase, isCatalogType, typmodValues } from '../parts';
import { defineRule } from '../rule';

export default defineRule({
  id: 'prefer-timestamptz',
  description: 'Columns for points in time should be timestamptz, because timestamp drops the UTC offset of every value.',
  category: 'correctness',
  defaultSeverity: 'warning',
  recommended: true,
  fixable: true,
  messages: {
    naive: '`{table}.{column}` is `timestamp` (without time zone): a value written with a UTC offset loses it, so `12:00+02` and `12:00-06`, six hours apart, are stored as the same `12:00`.',
  },
  help: 'Use timestamptz (timestamp with time zone): it stores an absolute instant and converts to the session\'s time zone on read.',
  docs: {
    rationale:
      '`timestamp` stores the wall-clock reading and silently discards any offset in the input, so the meaning of a value depends on the time zone of whoever wrote it, and arithmetic across daylight-saving changes is off by an hour. `timestamptz` takes 8 bytes too, but stores an instant in UTC and displays it in the session\'s `TimeZone`. Use `timestamp` only for a wall-clock reading that is not an instant (an opening hour, a birthday at midnight local time).\n\n' +
      'The fix (precision and array bounds kept) is offered but never preferred: on an existing column, PostgreSQL reinterprets the stored values in the session\'s time zone while it rewrites the table, and clients may read the type differently. Like squawk, CREATE TABLE, ADD COLUMN and ALTER COLUMN … TYPE are checked. On by default as a warning, as in squawk.',
    bad: ['CREATE TABLE events (id bigint, happened_at timestamp NOT NULL);', 'ALTER TABLE events ADD COLUMN seen_at timestamp(3) without time zone;'],
    good: ['CREATE TABLE events (id bigint, happened_at timestamptz NOT NULL);', 'ALTER TABLE events ADD COLUMN seen_at timestamp with time zone;'],
  },
  check({ statement, report }) {
    for (const site of columnSites(statement)) {
      if (baseTypeName(site.typeName) !== 'timestamp' || !isCatalogType(site.typeName)) continue;
      const precision = typmodValues(site.typeName).map((m) => m.value);
      const newText = `${inTypeCase(site, 'timestamptz')}${precision.length ? `(${precision.join(', ')})` : ''}${arraySuffix(site.typeName)}`;
      report({
        messageId: 'naive',
        data: { table: relationName(site.relation), column: site.column },
        span: site.typeSpan ?? site.span,
        fix: site.typeSpan ? { title: 'Use timestamptz', edits: [{ ...site.typeSpan, newText }], preferred: false } : undefined,
      });
    }
  },
});
