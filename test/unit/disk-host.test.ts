/** The disk host shared by the CLI (snapshot: read once) and the language server (revalidated by mtime and size). */
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CachedDiskHost } from '../../server/src/host/disk';

describe('CachedDiskHost', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mg-host-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('revalidating (editor): sees a changed file, a new file and a new directory entry', () => {
    const host = new CachedDiskHost();
    const f = join(dir, 'a.sql');
    assert.equal(host.readFile(f), undefined);
    writeFileSync(f, 'SELECT 1;');
    assert.equal(host.readFile(f), 'SELECT 1;');
    assert.deepEqual(host.readDir(dir), ['a.sql']);
    writeFileSync(f, 'SELECT 22;');
    assert.equal(host.readFile(f), 'SELECT 22;');
    writeFileSync(join(dir, 'b.sql'), '');
    assert.deepEqual(host.readDir(dir).sort(), ['a.sql', 'b.sql']);
  });

  it('snapshot (CLI run): each path is read once, misses included', () => {
    const host = new CachedDiskHost({ snapshot: true });
    const f = join(dir, 'a.sql');
    const missing = join(dir, '.migration-guard.json');
    writeFileSync(f, 'SELECT 1;');
    assert.equal(host.readFile(f), 'SELECT 1;');
    assert.equal(host.readFile(missing), undefined);
    assert.deepEqual(host.readDir(dir), ['a.sql']);
    writeFileSync(f, 'SELECT 22;');
    writeFileSync(missing, '{}');
    assert.equal(host.readFile(f), 'SELECT 1;');
    assert.equal(host.readFile(missing), undefined);
    assert.deepEqual(host.readDir(dir), ['a.sql']);
  });

  it('open documents win over the disk; files are decoded by their byte order mark', () => {
    const f = join(dir, 'a.sql');
    writeFileSync(f, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('SELECT 1;', 'utf16le')]));
    assert.equal(new CachedDiskHost().readFile(f), 'SELECT 1;');
    const host = new CachedDiskHost({ openText: (p) => (p === f ? 'SELECT 2; -- unsaved' : undefined) });
    assert.equal(host.readFile(f), 'SELECT 2; -- unsaved');
    assert.equal(host.isDirectory(dir), true);
    assert.equal(host.isDirectory(f), false);
  });
});
