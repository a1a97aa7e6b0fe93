// The stats JSON loader for table sizes (analysis/sizes.ts): examples in, table sizes and problems out.
import * as assert from 'node:assert/strict';
import { normalizeTableName, parseSizesJson, sizeOf } from '../../server/src/analysis/sizes';

describe('table sizes from a stats file', () => {
  it('reads rows and bytes, with public. implied', () => {
    const r = parseSizesJson('{"tables": {"public.users": {"rows": 50000000, "bytes": 123}, "app.settings": {"rows": 3}}}');
    assert.deepEqual(r, { tables: { users: { rows: 50000000, bytes: 123 }, 'app.settings': { rows: 3 } }, problems: [] });
    assert.deepEqual(sizeOf(r.tables, 'public.users'), { rows: 50000000, bytes: 123 });
    assert.equal(sizeOf(r.tables, 'orders'), undefined);
  });

  it('keeps the valid entries and names the invalid ones', () => {
    const r = parseSizesJson('{"tables": {"users": {"rows": -1}, "orders": {"rows": 10, "bytes": "big"}}}');
    assert.deepEqual(r.tables, { orders: { rows: 10 } });
    assert.deepEqual(r.problems, ['tables.users.rows must be a non-negative number', 'tables.orders.bytes must be a non-negative number']);
  });

  it('rejects what is not a stats file', () => {
    assert.match(parseSizesJson('{').problems[0], /^not valid JSON/);
    assert.deepEqual(parseSizesJson('{"users": 1}').problems, ['expected an object {"tables": {"<schema.table>": {"rows": N, "bytes": N}}}']);
  });

  it('normalizes quoted and qualified names', () => {
    assert.equal(normalizeTableName('"public"."Users"'), 'Users');
    assert.equal(normalizeTableName('app.settings'), 'app.settings');
  });
});
