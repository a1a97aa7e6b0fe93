// diffSchemas (engines/schema.ts): two schema snapshots in, rollback sentences out. Snapshots as readSchema builds
// them; the real catalog queries are exercised in test/pg/engine-pglite.test.ts.
import * as assert from 'node:assert/strict';
import { diffSchemas, type SchemaObject, type SchemaSnapshot } from '../../server/src/engines/schema';

const snap = (...objects: SchemaObject[]): SchemaSnapshot => ({ objects: Object.fromEntries(objects.map((o) => [`${o.kind} ${o.name}`, o])) });
const users = { kind: 'table', name: 'users', attrs: { kind: 'table' } } as const;
const col = (name: string, attrs: Record<string, string>): SchemaObject => ({ kind: 'column', name, attrs });

describe('schema diff of a rollback', () => {
  it('a column left behind, an index not restored, a lost default and NOT NULL', () => {
    const before = snap(users, col('users.status', { type: 'text', default: "'active'::text", 'not null': 'NOT NULL' }), {
      kind: 'index',
      name: 'users_status_idx',
      attrs: { definition: 'CREATE INDEX users_status_idx ON public.users USING btree (status)' },
    });
    const after = snap(users, col('users.status', { type: 'text' }), col('users.full_name', { type: 'text' }));
    assert.deepEqual(
      diffSchemas(before, after).map((d) => d.message),
      [
        'the down leaves column `users.full_name` behind',
        "default of column `users.status` was `'active'::text`, now none",
        '`users.status` was NOT NULL, now nullable',
        'index `users_status_idx` is not restored',
      ],
    );
  });

  it('a table left behind is one sentence, not one per column', () => {
    const t = { kind: 'table', name: 'groups', attrs: { kind: 'table' } } as const;
    const after = snap(users, t, col('groups.id', { type: 'integer' }), { kind: 'constraint', name: 'groups.groups_pkey', attrs: { definition: 'PRIMARY KEY (id)' } });
    assert.deepEqual(diffSchemas(snap(users), after).map((d) => d.message), ['the down leaves table `groups` behind']);
  });

  it('equal snapshots have no differences', () => {
    const s = snap(users, col('users.id', { type: 'bigint', 'not null': 'NOT NULL' }));
    assert.deepEqual(diffSchemas(s, s), []);
  });
});
