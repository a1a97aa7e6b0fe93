/**
 * The non-SQL files that change how a tool runs its SQL: sqitch.plan (order), diesel metadata.toml and Flyway
 * `.conf` (transaction), temporal manifest.json (files and order). The parsers are tested on text, then the
 * detection is tested on small projects written to a temporary directory and read through the real file system,
 * including edits to the metadata between two detections (the caches must not serve the old answer).
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  detectConvention,
  dieselRunInTransaction,
  flywayExecuteInTransaction,
  migrationSequence,
  parseSqitchPlan,
  temporalManifestFiles,
} from '../../server/src/analysis/project';
import { fsHost } from '../support/fsHost';

describe('project metadata parsers', () => {
  it('sqitch.plan: changes in order, dependencies, pragmas, tags, reworks, comments', () => {
    const plan = parseSqitchPlan(
      [
        '%syntax-version=1.0.0',
        '%project=registry',
        '%uri=https://example.org/',
        '',
        '# a comment line',
        'schema 2020-01-01T00:00:00Z Jane Doe <jane@example.org> # the schema',
        'users [schema] 2020-01-02T00:00:00Z Jane Doe <jane@example.org>',
        '+ audit [users !legacy] 2020-01-03T00:00:00Z Jane Doe <jane@example.org>',
        '@v1.0 2020-01-04T00:00:00Z Jane Doe <jane@example.org> # release',
        'users [users@v1.0] 2020-02-01T00:00:00Z Jane Doe <jane@example.org> # reworked',
        '@v1.1 2020-02-02T00:00:00Z Jane Doe <jane@example.org>',
        'users [users@v1.1] 2020-03-01T00:00:00Z Jane Doe <jane@example.org> # reworked again',
        '-audit 2020-03-02T00:00:00Z Jane Doe <jane@example.org> # reverted in the plan',
      ].join('\r\n'),
    );
    assert.equal(plan.project, 'registry');
    assert.deepEqual(
      plan.entries.map((e) => [e.index, e.change, e.script, e.requires.join(' ')]),
      [
        [0, 'schema', 'schema', ''],
        [1, 'users', 'users@v1.0', 'schema'],
        [2, 'audit', 'audit', 'users'],
        [3, 'users', 'users@v1.1', 'users@v1.0'],
        [4, 'users', 'users', 'users@v1.1'],
      ],
    );
    assert.equal(plan.byScript.get('users@v1.1')?.index, 3);
  });

  it('sqitch.plan: an empty or garbage plan has no changes', () => {
    assert.deepEqual(parseSqitchPlan('').entries, []);
    assert.deepEqual(parseSqitchPlan('%syntax-version=1.0.0\n\n# nothing\n').entries, []);
  });

  it('diesel metadata.toml: run_in_transaction, parsed as TOML', () => {
    assert.equal(dieselRunInTransaction('run_in_transaction = false\n'), false);
    assert.equal(dieselRunInTransaction('# comment\nrun_in_transaction=true'), true);
    assert.equal(dieselRunInTransaction('run_in_transaction = false # CONCURRENTLY below'), false);
    assert.equal(dieselRunInTransaction(''), undefined);
    assert.equal(dieselRunInTransaction('[other]\nrun_in_transaction = false'), undefined, 'a key inside a table is not the top-level key');
    assert.equal(dieselRunInTransaction('run_in_transaction = "false"'), undefined, 'a string is not a boolean');
    assert.equal(dieselRunInTransaction('run_in_transaction = = false'), undefined, 'invalid TOML counts as absent');
  });

  it('Flyway script configuration: executeInTransaction', () => {
    assert.equal(flywayExecuteInTransaction('executeInTransaction=false\n'), false);
    assert.equal(flywayExecuteInTransaction('# note\nexecuteInTransaction = true'), true);
    assert.equal(flywayExecuteInTransaction('encoding=UTF-8'), undefined);
  });

  it('temporal manifest.json: the files of a version, in order', () => {
    assert.deepEqual(temporalManifestFiles('{"CurrVersion":"1.5","SchemaUpdateCqlFiles":["b.sql","a.sql"]}'), ['b.sql', 'a.sql']);
    assert.equal(temporalManifestFiles('{"CurrVersion":"1.5"}'), undefined);
    assert.equal(temporalManifestFiles('not json'), undefined);
  });
});

describe('project metadata on disk (temporary fixtures)', () => {
  let root: string;
  const host = fsHost();
  const write = (rel: string, text: string) => {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'migration-guard-project-'));
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('diesel: metadata.toml decides the transaction, and an edit to it is seen at once', () => {
    const dir = 'migrations/2024-03-05-120032_add-index';
    write(`${dir}/up.sql`, 'CREATE INDEX CONCURRENTLY i ON t (x);\n');
    write(`${dir}/down.sql`, 'DROP INDEX CONCURRENTLY i;\n');
    const up = join(root, dir, 'up.sql');
    assert.equal(detectConvention(up, host).wrapsInTransaction, true, 'without metadata.toml diesel wraps');
    write(`${dir}/metadata.toml`, 'run_in_transaction = false\n');
    const conv = detectConvention(up, host);
    assert.equal(conv.wrapsInTransaction, false);
    assert.equal(conv.transactionOptOut, 'metadata.toml: run_in_transaction = false');
    assert.equal(detectConvention(join(root, dir, 'down.sql'), host).wrapsInTransaction, false, 'it covers the down too');
    write(`${dir}/metadata.toml`, 'run_in_transaction = true\n');
    assert.equal(detectConvention(up, host).wrapsInTransaction, true);
  });

  it('sqitch: sqitch.plan next to deploy/ gives the order; editing the plan reorders', () => {
    for (const name of ['b_first', 'a_second']) {
      write(`deploy/${name}.sql`, 'BEGIN; SELECT 1; COMMIT;\n');
      write(`revert/${name}.sql`, 'BEGIN; SELECT 1; COMMIT;\n');
      write(`verify/${name}.sql`, 'SELECT 1;\n');
    }
    const deploys = () =>
      migrationSequence(join(root, 'deploy', 'a_second.sql'), host)!.steps.map((s) => s.forward!.slice(root.length + 1).replace(/\\/g, '/'));
    assert.deepEqual(deploys(), ['deploy/a_second.sql', 'deploy/b_first.sql'], 'without a plan: name order');
    const line = (c: string) => `${c} 2020-01-01T00:00:00Z A <a@example.org>`;
    write('sqitch.plan', ['%project=t', '', line('b_first'), line('a_second'), ''].join('\n'));
    assert.deepEqual(deploys(), ['deploy/b_first.sql', 'deploy/a_second.sql']);
    assert.equal(migrationSequence(join(root, 'deploy', 'a_second.sql'), host)!.orderSource, 'plan');
    write('sqitch.plan', ['%project=t', '', line('a_second'), line('b_first'), ''].join('\n'));
    assert.deepEqual(deploys(), ['deploy/a_second.sql', 'deploy/b_first.sql']);
  });

  it('sqitch: a plan one level above the script folders (top_dir = sql) is found', () => {
    write('sql/deploy/users.sql', 'BEGIN; CREATE TABLE users (id int); COMMIT;\n');
    write('sql/revert/users.sql', 'BEGIN; DROP TABLE users; COMMIT;\n');
    write('sqitch.plan', '%project=t\n\nusers 2020-01-01T00:00:00Z A <a@example.org>\n');
    const conv = detectConvention(join(root, 'sql', 'deploy', 'users.sql'), host);
    assert.equal(conv.tool, 'sqitch');
    assert.equal(conv.order, '00000000');
    assert.equal(conv.pairPath, join(root, 'sql', 'revert', 'users.sql'));
    unlinkSync(join(root, 'sqitch.plan'));
    assert.equal(detectConvention(join(root, 'sql', 'deploy', 'users.sql'), host).order, 'users', 'without the plan: the name');
  });

  it('temporal: manifest.json on disk picks and orders the files of a version', () => {
    const v = 'schema/postgresql/v12/visibility/versioned/v1.3';
    write(`${v}/b.sql`, 'SELECT 1;\n');
    write(`${v}/a.sql`, 'SELECT 2;\n');
    const order = () => migrationSequence(join(root, v, 'a.sql'), host)!.steps.map((s) => s.forward!.slice(root.length + v.length + 2));
    assert.deepEqual(order(), ['a.sql', 'b.sql']);
    write(`${v}/manifest.json`, JSON.stringify({ CurrVersion: '1.3', SchemaUpdateCqlFiles: ['b.sql', 'a.sql'] }));
    assert.deepEqual(order(), ['b.sql', 'a.sql']);
    assert.equal(migrationSequence(join(root, v, 'a.sql'), host)!.orderSource, 'manifest');
  });
});
