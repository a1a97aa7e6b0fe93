// Where table sizes come from: the config's `stats` (relative to the config file) and `smallTableRows`, or a stats
// file given by the caller (CLI --stats, editor setting); read by analyzeMigration through the host. A missing or bad
// stats file is a config problem pointing at the `stats` value, and the sizes it could not give are unknown.
import * as assert from 'node:assert/strict';
import { analyzeMigration, initParser } from '../../server/src/analysis';
import { parseConfigFile } from '../../server/src/analysis/config';
import { memoryHost } from '../support/fsHost';

const MIGRATION = '/p/db/001_index.sql';
const SQL = 'CREATE INDEX tags_idx ON tags (name);';
const STATS = JSON.stringify({ tables: { 'public.tags': { rows: 200, bytes: 16384 }, 'public.orders': { rows: 20000 } } });

const run = (files: Record<string, string>, opts: Parameters<typeof analyzeMigration>[2] = {}) => {
  const a = analyzeMigration(MIGRATION, memoryHost({ [MIGRATION]: SQL, ...files }), { project: false, ...opts });
  return {
    severities: (a.result?.findings ?? []).map((f) => f.severity),
    problems: a.configProblems.map((p) => ({ path: p.path, message: p.message, line: p.range.start.line, text: (files[p.path] ?? '').slice(p.span.start, p.span.end) })),
    options: a.options,
  };
};

describe('table sizes: stats file configuration', () => {
  before(async () => {
    await initParser();
  });

  it('the config names a stats file relative to itself; its sizes scale the findings', () => {
    const r = run({ '/p/.migration-guard.json': '{\n  "stats": "ci/stats.json"\n}', '/p/ci/stats.json': STATS });
    assert.deepEqual(r.problems, []);
    assert.equal(r.options.statsFile, '/p/ci/stats.json');
    assert.deepEqual(r.options.tableSizes, { tags: { rows: 200, bytes: 16384 }, orders: { rows: 20000 } });
    assert.deepEqual(r.severities, ['info', 'info']);
  });

  it('without a stats file nothing changes', () => {
    const r = run({ '/p/.migration-guard.json': '{}' });
    assert.deepEqual(r.severities, ['warning', 'warning']);
    assert.equal(r.options.tableSizes, undefined);
  });

  it('a missing stats file is a problem at the config value; findings keep their severity', () => {
    const config = '{\n  "stats": "nope.json"\n}';
    const r = run({ '/p/.migration-guard.json': config });
    assert.deepEqual(r.problems, [{ path: '/p/.migration-guard.json', message: 'cannot read the stats file /p/nope.json; table sizes are unknown', line: 1, text: '"nope.json"' }]);
    assert.deepEqual(r.severities, ['warning', 'warning']);
  });

  it('a stats file that is not JSON, or has bad entries: problems, and the valid entries still count', () => {
    const config = '{"stats": "stats.json"}';
    const broken = run({ '/p/.migration-guard.json': config, '/p/stats.json': '{"tables": ' });
    assert.equal(broken.problems.length, 1);
    assert.match(broken.problems[0].message, /^stats file \/p\/stats\.json: not valid JSON: /);
    assert.equal(broken.problems[0].text, '"stats.json"');
    assert.deepEqual(broken.severities, ['warning', 'warning']);
    const partly = run({ '/p/.migration-guard.json': config, '/p/stats.json': '{"tables": {"orders": {"rows": "many"}, "tags": {"rows": 5}}}' });
    assert.deepEqual(partly.problems.map((p) => p.message), ['stats file /p/stats.json: tables.orders.rows must be a non-negative number']);
    assert.deepEqual(partly.severities, ['info', 'info']);
  });

  it('a stats file from the caller (CLI flag) wins over the config; its problems point at the file itself', () => {
    const files = { '/p/.migration-guard.json': '{"stats": "stats.json"}', '/p/stats.json': STATS, '/tmp/big.json': '{"tables": {"tags": {"rows": 5000000}}}' };
    const r = run(files, { overrides: { statsFile: '/tmp/big.json' } });
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.severities, ['warning', 'warning']);
    const missing = run(files, { overrides: { statsFile: '/tmp/missing.json' } });
    assert.deepEqual(missing.problems, [{ path: '/tmp/missing.json', message: 'cannot read the stats file /tmp/missing.json; table sizes are unknown', line: 0, text: '' }]);
  });

  it('an editor setting ranks below the config file', () => {
    const files = { '/p/.migration-guard.json': '{"stats": "stats.json"}', '/p/stats.json': STATS, '/ws/stats.json': '{"tables": {"tags": {"rows": 5000000}}}' };
    const r = run(files, { defaults: { statsFile: '/ws/stats.json' } });
    assert.equal(r.options.statsFile, '/p/stats.json');
    assert.deepEqual(r.severities, ['info', 'info']);
    const alone = run({ '/ws/stats.json': STATS }, { defaults: { statsFile: '/ws/stats.json' } });
    assert.deepEqual(alone.severities, ['info', 'info']);
  });

  it('smallTableRows from the config', () => {
    const r = run({ '/p/.migration-guard.json': '{"stats": "s.json", "smallTableRows": 100}', '/p/s.json': STATS });
    assert.equal(r.options.smallTableRows, 100);
    assert.deepEqual(r.severities, ['warning', 'warning']);
  });

  it('bad values of stats and smallTableRows are problems', () => {
    const text = '{"stats": 3, "smallTableRows": -1, "statz": "x"}';
    const f = parseConfigFile('/p/.migration-guard.json', text);
    assert.deepEqual(
      f.problems.map((p) => [p.message, text.slice(p.span.start, p.span.end)]),
      [
        ['stats must be the path of a table-size stats JSON file, relative to this file, got a number', '3'],
        ['smallTableRows must be a non-negative integer (rows), got -1', '-1'],
        ['unknown setting "statz" (known: rules, postgresVersion, assumeInTransaction, stats, smallTableRows, include, exclude)', '"statz"'],
      ],
    );
    assert.deepEqual(f.options, {});
    assert.equal(parseConfigFile('/p/.migration-guard.json', '{"stats": ""}').problems[0].message, 'stats must be the path of a table-size stats JSON file, relative to this file, got an empty string');
    assert.equal(parseConfigFile('/p/.migration-guard.json', '{"stats": "/abs/s.json"}').options.statsFile, '/abs/s.json');
  });
});
