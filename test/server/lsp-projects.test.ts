// The language server's project features over real JSON-RPC (dist/server.js --stdio) on a golang-migrate folder on
// disk: the deploy-phase CodeLens, the rollback diagnostics, the expand-contract rewrite as a code action whose
// workspace edit creates the later phases, and the "Generate reverse migration" command applied through
// workspace/applyEdit — including that an existing down is never overwritten (a showDiff notification instead).
import * as assert from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ApplyWorkspaceEditRequest,
  CodeActionRequest,
  CodeLensRequest,
  ExecuteCommandRequest,
  type ApplyWorkspaceEditParams,
  type CodeAction,
  type CreateFile,
  type TextDocumentEdit,
} from 'vscode-languageserver-protocol/node';
import { LspClient } from '../support/lspClient';

describe('language server project features (golang-migrate folder on disk)', function () {
  this.timeout(60_000);
  let dir: string;
  let client: LspClient;
  const applied: ApplyWorkspaceEditParams[] = [];
  const diffs: { uri: string; generated: string }[] = [];
  const file = (name: string) => join(dir, 'migrations', name);
  const uri = (name: string) => pathToFileURL(file(name)).href;

  before(async function () {
    dir = mkdtempSync(join(tmpdir(), 'mg-lsp-projects-'));
    mkdirSync(join(dir, 'migrations'));
    writeFileSync(file('0001_users.up.sql'), 'CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text);\n');
    writeFileSync(file('0001_users.down.sql'), 'DROP TABLE users;\n');
    writeFileSync(file('0002_nickname.up.sql'), 'ALTER TABLE users ADD COLUMN nickname text;\n');
    writeFileSync(file('0003_rename.up.sql'), 'ALTER TABLE users RENAME COLUMN name TO full_name;\n');
    writeFileSync(file('0003_rename.down.sql'), '-- kept by hand\nALTER TABLE users RENAME COLUMN full_name TO name;\n');
    client = LspClient.start();
    client.connection.onRequest(ApplyWorkspaceEditRequest.type, (p) => {
      applied.push(p);
      // Apply file creations and their content to disk, as an editor would after saving.
      for (const c of p.edit.documentChanges ?? []) {
        if ('kind' in c && c.kind === 'create') writeFileSync(new URL((c as CreateFile).uri), '', { flag: 'wx' });
        else if ('textDocument' in c) {
          const t = c as TextDocumentEdit;
          const path = new URL(t.textDocument.uri);
          const cur = readFileSync(path, 'utf8');
          if (cur === '' && t.edits.length === 1) writeFileSync(path, (t.edits[0] as { newText: string }).newText);
        }
      }
      return { applied: true };
    });
    client.connection.onNotification('migrationGuard/showDiff', (p: { uri: string; generated: string }) => {
      diffs.push(p);
    });
    await client.initialize({ workspace: { workspaceEdit: { documentChanges: true, resourceOperations: ['create'] } } });
  });

  after(async () => {
    await client?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('an up without a down gets require-down-migration and a deploy-phase CodeLens', async function () {
    await client.open(uri('0002_nickname.up.sql'), readFileSync(file('0002_nickname.up.sql'), 'utf8'));
    const p = await client.waitForDiagnostics(uri('0002_nickname.up.sql'));
    assert.ok(p.diagnostics.some((d) => d.code === 'require-down-migration'), JSON.stringify(p.diagnostics.map((d) => d.code)));
    const lenses = await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: uri('0002_nickname.up.sql') } });
    const titles = (lenses ?? []).map((l) => l.command?.title ?? '');
    assert.ok(titles.some((t) => /Expand: safe to run before the new code ships/.test(t)), JSON.stringify(titles));
    assert.ok(titles.some((t) => /Trace locks/.test(t)), JSON.stringify(titles));
    assert.ok(titles.some((t) => /Generate reverse migration/.test(t)), JSON.stringify(titles));
  });

  it('"Generate reverse migration" creates the down file through workspace/applyEdit', async function () {
    const before = applied.length;
    const r = (await client.connection.sendRequest(ExecuteCommandRequest.type, {
      command: 'migrationGuard.server.generateReverse',
      arguments: [uri('0002_nickname.up.sql')],
    })) as { applied: boolean; complete: boolean; created: string[] };
    assert.strictEqual(r.applied, true);
    assert.strictEqual(r.complete, true);
    assert.deepStrictEqual(r.created, [uri('0002_nickname.down.sql')]);
    assert.strictEqual(applied.length, before + 1);
    const create = applied[before].edit.documentChanges?.find((c) => 'kind' in c && c.kind === 'create') as CreateFile;
    assert.deepStrictEqual(create.options, { overwrite: false, ignoreIfExists: false });
    assert.strictEqual(readFileSync(file('0002_nickname.down.sql'), 'utf8'), 'ALTER TABLE users DROP COLUMN nickname;\n');
  });

  it('an existing down is never overwritten: the generated one arrives as a showDiff notification', async function () {
    const before = applied.length;
    const r = (await client.connection.sendRequest(ExecuteCommandRequest.type, {
      command: 'migrationGuard.server.generateReverse',
      arguments: [uri('0003_rename.up.sql')],
    })) as { applied: boolean; conflicts: string[] };
    assert.strictEqual(r.applied, false);
    assert.deepStrictEqual(r.conflicts, [uri('0003_rename.down.sql')]);
    assert.strictEqual(applied.length, before, 'no edit was sent');
    // The server sends the notification before it answers the command, so it has arrived.
    assert.ok(diffs.find((d) => d.uri === uri('0003_rename.down.sql')), JSON.stringify(diffs));
    assert.strictEqual(diffs.find((d) => d.uri === uri('0003_rename.down.sql'))!.generated, 'ALTER TABLE users RENAME COLUMN full_name TO name;\n');
    assert.strictEqual(readFileSync(file('0003_rename.down.sql'), 'utf8'), '-- kept by hand\nALTER TABLE users RENAME COLUMN full_name TO name;\n');
  });

  it('the rename rewrite is a code action whose edit replaces the statement and creates the later phases', async function () {
    const text = readFileSync(file('0003_rename.up.sql'), 'utf8');
    await client.open(uri('0003_rename.up.sql'), text);
    const p = await client.waitForDiagnostics(uri('0003_rename.up.sql'));
    const d = p.diagnostics.find((x) => x.code === 'renaming-column');
    assert.ok(d, JSON.stringify(p.diagnostics.map((x) => x.code)));
    const actions = (await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: uri('0003_rename.up.sql') },
      range: d.range,
      context: { diagnostics: [d] },
    })) as CodeAction[];
    const rewrite = actions.find((a) => /expand-contract/i.test(a.title));
    assert.ok(rewrite?.edit?.documentChanges, JSON.stringify(actions.map((a) => a.title)));
    const creates = rewrite.edit.documentChanges.filter((c): c is CreateFile => 'kind' in c && c.kind === 'create').map((c) => c.uri.split('/').pop());
    assert.deepStrictEqual(creates, ['0004_backfill_full_name.up.sql', '0004_backfill_full_name.down.sql', '0005_drop_name.up.sql', '0005_drop_name.down.sql']);
    const own = rewrite.edit.documentChanges.find((c): c is TextDocumentEdit => 'textDocument' in c && c.textDocument.uri === uri('0003_rename.up.sql'));
    const newText = (own?.edits[0] as { newText?: string } | undefined)?.newText ?? '';
    assert.ok(/ADD COLUMN/.test(newText) && !/RENAME COLUMN name TO full_name/.test(newText), JSON.stringify(own));
  });

  it('the applyRewrite command (used when a later file already exists) finds the rewrite by the statement\'s offset', async function () {
    const stale = (await client.connection.sendRequest(ExecuteCommandRequest.type, {
      command: 'migrationGuard.server.applyRewrite',
      arguments: [uri('0003_rename.up.sql'), 5, 'rename-column'],
    })) as { applied: boolean; message?: string };
    assert.strictEqual(stale.applied, false, 'an offset that is not the statement start applies nothing');
    const before = applied.length;
    const r = (await client.connection.sendRequest(ExecuteCommandRequest.type, {
      command: 'migrationGuard.server.applyRewrite',
      arguments: [uri('0003_rename.up.sql'), 0, 'rename-column'],
    })) as { applied: boolean; created: string[] };
    assert.strictEqual(r.applied, true, JSON.stringify(r));
    assert.deepStrictEqual(r.created.map((u) => u.split('/').pop()), ['0004_backfill_full_name.up.sql', '0004_backfill_full_name.down.sql', '0005_drop_name.up.sql', '0005_drop_name.down.sql']);
    assert.strictEqual(applied.length, before + 1);
    assert.match(readFileSync(file('0005_drop_name.up.sql'), 'utf8'), /DROP COLUMN (IF EXISTS )?name/);
  });
});
