// "Generate reverse migration" through the language server (dist/server.js --stdio) with an engine: the earlier
// migration creates its table in a DO block (EXECUTE), which the static catalog cannot follow, so only the engine's
// schema gives the definition the down of `DROP TABLE` needs; the down is verified on PostgreSQL before it is written.
// The `engine` setting picks the local engine (the machine's PostgreSQL binaries, started by the server itself);
// `reverse.verify: false` or `{ verify: false }` keep the static reverse; a down that does not verify is still written,
// with a warning (window/showMessageRequest) and its differences as diagnostics on the down file.
import * as assert from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ApplyWorkspaceEditRequest,
  ExecuteCommandRequest,
  ShowMessageRequest,
  type ApplyWorkspaceEditParams,
  type CreateFile,
  type TextDocumentEdit,
} from 'vscode-languageserver-protocol/node';
import { LspClient } from '../support/lspClient';

interface Result {
  applied: boolean;
  complete: boolean;
  irreversible: string[];
  engine?: { engine: string; source: string; verified: boolean; differences: string[] };
}

describe('language server: generate reverse on an engine, verified before it is written', function () {
  this.timeout(300_000);
  let dir: string;
  let client: LspClient;
  let settings: Record<string, unknown> = { engine: 'local', postgresVersion: 15 };
  const messages: string[] = [];
  const file = (name: string) => join(dir, 'migrations', name);
  const uri = (name: string) => pathToFileURL(file(name)).href;
  const generate = async (name: string, req?: unknown) =>
    (await client.connection.sendRequest(ExecuteCommandRequest.type, {
      command: 'migrationGuard.server.generateReverse',
      arguments: req === undefined ? [uri(name)] : [uri(name), req],
    })) as Result;

  before(async function () {
    dir = mkdtempSync(join(tmpdir(), 'mg-lsp-reverse-'));
    mkdirSync(join(dir, 'migrations'));
    writeFileSync(
      file('0001_init.up.sql'),
      "DO $$ BEGIN EXECUTE format('CREATE TABLE %I (id bigint PRIMARY KEY, email text NOT NULL)', 'accounts'); END $$;\n" +
        'CREATE TYPE floatrange AS RANGE (subtype = float8);\n',
    );
    writeFileSync(file('0001_init.down.sql'), 'DROP TYPE floatrange;\nDROP TABLE accounts;\n');
    writeFileSync(file('0002_drop_accounts.up.sql'), 'DROP TABLE accounts;\n');
    writeFileSync(file('0003_add_note.up.sql'), 'CREATE TABLE notes (id int);\n');
    writeFileSync(file('0004_drop_range.up.sql'), 'DROP TYPE floatrange;\n');
    client = LspClient.start({ configuration: () => settings });
    client.connection.onRequest(ApplyWorkspaceEditRequest.type, (p: ApplyWorkspaceEditParams) => {
      for (const c of p.edit.documentChanges ?? []) {
        if ('kind' in c && c.kind === 'create') writeFileSync(new URL((c as CreateFile).uri), '', { flag: 'wx' });
        else if ('textDocument' in c) {
          const t = c as TextDocumentEdit;
          const path = new URL(t.textDocument.uri);
          if (readFileSync(path, 'utf8') === '' && t.edits.length === 1) writeFileSync(path, (t.edits[0] as { newText: string }).newText);
        }
      }
      return { applied: true };
    });
    // `window.showWarningMessage` is a request (it could offer actions); the server does not wait for the answer.
    client.connection.onRequest(ShowMessageRequest.type, (p) => {
      messages.push(p.message);
      return null;
    });
    await client.initialize({ workspace: { workspaceEdit: { documentChanges: true, resourceOperations: ['create'] } } });
  });

  after(async () => {
    // shutdown + exit: the server stops the local cluster it started (a kill would leave it to the watchdog).
    await client?.shutdown().catch(() => undefined);
    await client?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a migration with no statement: nothing to reverse, no file written, no engine started', async () => {
    writeFileSync(file('0005_draft.up.sql'), '-- to be written\n');
    const r = (await generate('0005_draft.up.sql')) as Result & { message?: string };
    assert.deepStrictEqual([r.applied, r.engine, r.message], [false, undefined, 'the migration holds no SQL statements: nothing to reverse']);
    assert.throws(() => readFileSync(file('0005_draft.down.sql')), /ENOENT/);
  });

  it('{ verify: false }: the static reverse cannot know the table made by EXECUTE', async () => {
    const r = await generate('0002_drop_accounts.up.sql', { verify: false });
    assert.strictEqual(r.engine, undefined);
    assert.strictEqual(r.complete, false);
    assert.match(r.irreversible.join('\n'), /accounts/);
    // Not written over: remove what it wrote for the next test.
    rmSync(file('0002_drop_accounts.down.sql'));
  });

  it('the engine setting (local): the definition comes from the engine, and the down is verified', async () => {
    const r = await generate('0002_drop_accounts.up.sql');
    assert.ok(r.engine, JSON.stringify(r));
    assert.deepStrictEqual({ ...r.engine, differences: r.engine.differences }, { engine: 'local', source: 'migrations+engine', verified: true, differences: [] });
    // The table comes back; its rows do not (said, not hidden).
    assert.strictEqual(r.complete, false);
    assert.match(r.irreversible.join('\n'), /accounts/);
    const down = readFileSync(file('0002_drop_accounts.down.sql'), 'utf8');
    assert.match(down, /^-- IRREVERSIBLE: data in accounts is lost\nCREATE TABLE accounts \(/);
    assert.match(down, /email text NOT NULL/);
  });

  it('reverse.verify off: the static reverse at once, no engine', async () => {
    settings = { engine: 'local', postgresVersion: 15, reverse: { verify: false } };
    await client.changeConfiguration();
    const r = await generate('0003_add_note.up.sql');
    assert.strictEqual(r.engine, undefined);
    assert.strictEqual(readFileSync(file('0003_add_note.down.sql'), 'utf8'), 'DROP TABLE notes;\n');
  });

  it('a down that does not verify is still written, with a warning and the difference on the down', async () => {
    settings = { engine: 'local', postgresVersion: 15 };
    await client.changeConfiguration();
    const r = await generate('0004_drop_range.up.sql');
    assert.ok(r.engine && !r.engine.verified, JSON.stringify(r));
    assert.ok(r.engine.differences.some((d) => /type `?floatrange`? is not restored/.test(d)), JSON.stringify(r.engine.differences));
    assert.match(readFileSync(file('0004_drop_range.down.sql'), 'utf8'), /-- IRREVERSIBLE: /);
    const warning = await client.waitUntil(`the warning; have ${JSON.stringify(messages)}; result ${JSON.stringify(r)}`, () => messages.find((m) => /not verified on local/.test(m)));
    assert.match(warning, /floatrange/);
    const published = await client.waitUntil('diagnostics on the down', () =>
      client.publishesFor(uri('0004_drop_range.down.sql')).find((p) => p.diagnostics.some((d) => d.code === 'rollback-verify')),
    );
    assert.match(String(published.diagnostics[0].message), /^Verified on local PostgreSQL 15: .*floatrange.* is not restored\.$/);
  });
});
