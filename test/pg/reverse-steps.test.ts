/**
 * The reversers' examples, executed on PostgreSQL: earlier migrations → schema dump → up → generated down → dump,
 * which must equal the first dump wherever the generator delivered a reverse (every irreversible part still came
 * with SQL that restores the schema; only data is lost). Also checks the names the catalog says PostgreSQL
 * generates for unnamed constraints and indexes against the names PostgreSQL gives them.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';
import { buildCatalog, initParser, parseFile } from '../../server/src/analysis';
import { constraintName } from '../../server/src/analysis/catalog';
import { REVERSERS, reverseMigration } from '../../server/src/analysis/reverse';
import { startLocalCluster, type LocalCluster } from '../../server/src/engines/localCluster';

/** Runs a migration statement by statement (CONCURRENTLY cannot run in the implicit transaction of a multi-statement query). */
async function run(client: Client, sql: string): Promise<void> {
  for (const s of parseFile(sql).statements) await client.query(s.text);
}

describe('reverse steps on PostgreSQL', function () {
  this.timeout(300_000);
  let cluster: LocalCluster;
  let admin: Client;
  let n = 0;

  before(async () => {
    await initParser();
    cluster = await startLocalCluster();
    admin = new Client(cluster.connectionConfig());
    await admin.connect();
  });

  after(async () => {
    await admin?.end();
    await cluster?.stop();
  });

  /** The schema of a database as pg_dump --schema-only prints it, without comments and session settings. */
  function dump(db: string): string {
    const r = spawnSync(join(cluster.binDir, 'pg_dump'), ['--schema-only', '-h', cluster.socketDir, '-p', String(cluster.port), '-U', 'postgres', db], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`pg_dump failed: ${r.stderr}`);
    return r.stdout
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('--') && !/^SET |^SELECT pg_catalog\.set_config|^\\(un)?restrict /.test(l))
      .join('\n');
  }

  async function freshDatabase(): Promise<{ db: string; client: Client }> {
    const db = `rev_${++n}`;
    await admin.query(`CREATE DATABASE ${db}`);
    const client = new Client(cluster.connectionConfig(db));
    await client.connect();
    return { db, client };
  }

  for (const r of REVERSERS) {
    r.examples.forEach((ex, i) => {
      it(`${r.id}: ${ex.name ?? `example ${i + 1}`}`, async () => {
        const { db, client } = await freshDatabase();
        try {
          if (ex.schema) await run(client, ex.schema);
          const before = dump(db);
          const result = reverseMigration(ex.up, { catalog: buildCatalog(ex.schema ? [ex.schema] : []), postgresVersion: Math.floor(cluster.version / 10000) });
          await run(client, ex.up);
          await run(client, result.sql);
          const delivered = result.steps.every((s) => !s.irreversible || s.sql);
          if (ex.exact === false) assert.equal(result.complete, false, 'an example whose down is not exact must be flagged');
          else if (delivered) assert.equal(dump(db), before, `down did not restore the schema:\n${result.sql}`);
        } finally {
          await client.end();
        }
      });
    });
  }

  it('names unnamed constraints and indexes as PostgreSQL does', async () => {
    const long = 'a_table_name_that_is_quite_long_indeed_and_then_some_more_x';
    const schema = [
      'CREATE TABLE p (id int PRIMARY KEY, k int UNIQUE);',
      `CREATE TABLE ${long} (id int PRIMARY KEY, another_rather_long_column_name int REFERENCES p, r int4range, CHECK (id > 0), CHECK (id < r2), r2 int, UNIQUE (id, r2), EXCLUDE USING gist (r WITH &&));`,
      'CREATE TABLE c (a int, b int, p_k int, CHECK (a > 0), CHECK (a < b));',
      'ALTER TABLE c ADD FOREIGN KEY (p_k) REFERENCES p (k), ADD UNIQUE (a, b);',
      'CREATE INDEX ON c (a);',
      'CREATE INDEX ON c (a);',
      'CREATE INDEX ON c (lower(b::text), a);',
      'CREATE UNIQUE INDEX ON c ((a + b));',
      `CREATE INDEX ON ${long} (another_rather_long_column_name, r2);`,
    ].join('\n');
    const { client } = await freshDatabase();
    try {
      await run(client, schema);
      const catalog = buildCatalog([schema]);
      const pgConstraints = (
        await client.query<{ t: string; name: string }>(
          "SELECT conrelid::regclass::text AS t, conname AS name FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND contype IN ('p','u','f','c','x') ORDER BY 1, 2",
        )
      ).rows.map((x) => `${x.t}.${x.name}`);
      const ours = [...catalog.tables.values()].flatMap((t) => t.constraints.map((k) => `${t.key.replace(/^public\./, '')}.${constraintName(k)}`)).sort();
      assert.deepEqual(ours, [...pgConstraints].sort());
      const pgIndexes = (
        await client.query<{ name: string }>(
          "SELECT c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid) ORDER BY 1",
        )
      ).rows.map((x) => x.name);
      assert.deepEqual([...catalog.indexes.values()].map((i) => i.name).sort(), pgIndexes);
    } finally {
      await client.end();
    }
  });
});
