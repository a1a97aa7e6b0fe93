/**
 * End-to-end tests of the bundled language server (dist/server.js) over real JSON-RPC: stdio and Node IPC
 * transports, diagnostics, code actions, hover, incremental sync, version ordering, settings.
 * Run `node esbuild.mjs` first: the server bundle under test is dist/server.js.
 */
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  DiagnosticSeverity,
  TextDocumentSyncKind,
  type CodeAction,
  type Command,
  type Diagnostic,
  type InitializeResult,
  type PublishDiagnosticsParams,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { LspClient, SERVER_JS } from '../support/lspClient';

const RULE = 'require-concurrent-index-creation';
const INDEX_SQL = 'CREATE INDEX users_email_idx ON users (email);';
const ADD_DEFAULT_SQL = "ALTER TABLE users ADD COLUMN status text DEFAULT 'a';\n";

let uriCounter = 0;
/** A fresh document URI per test, so publishes of one test never satisfy another's wait. */
function newUri(name = 'migration'): string {
  uriCounter++;
  return `file:///tmp/migration-guard-lsp-test/migrations/${String(uriCounter).padStart(4, '0')}_${name}.sql`;
}

function rules(p: PublishDiagnosticsParams): string[] {
  return p.diagnostics.map((d) => String(d.code));
}

function hasRule(rule: string): (p: PublishDiagnosticsParams) => boolean {
  return (p) => rules(p).includes(rule);
}

function isCodeAction(a: Command | CodeAction): a is CodeAction {
  return typeof (a as CodeAction).command !== 'string';
}

/** The single-document edits of a code action. */
function editsOf(action: CodeAction, uri: string): TextEdit[] {
  const edits = action.edit?.changes?.[uri];
  assert.ok(edits && edits.length > 0, `action "${action.title}" has no edits for ${uri}: ${JSON.stringify(action.edit)}`);
  return edits;
}

function apply(uri: string, text: string, edits: TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create(uri, 'sql', 1, text), edits);
}

/** The text a diagnostic's range covers. */
function covered(text: string, d: Diagnostic): string {
  const doc = TextDocument.create('file:///x.sql', 'sql', 1, text);
  return text.slice(doc.offsetAt(d.range.start), doc.offsetAt(d.range.end));
}

describe('language server over stdio (dist/server.js --stdio)', function () {
  this.timeout(30_000);
  let client: LspClient;
  let init: InitializeResult;

  before(async function () {
    assert.ok(existsSync(SERVER_JS), `${SERVER_JS} is missing: run node esbuild.mjs first`);
    client = LspClient.start({ transport: 'stdio' });
    init = await client.initialize({ textDocument: { publishDiagnostics: { versionSupport: true } } });
  });

  after(async function () {
    await client?.dispose();
  });

  it('advertises hover, code actions and incremental text sync', function () {
    const caps = init.capabilities;
    assert.equal(caps.hoverProvider, true);
    assert.ok(caps.codeActionProvider, 'codeActionProvider missing');
    const sync = caps.textDocumentSync;
    const kind = typeof sync === 'number' ? sync : sync?.change;
    assert.equal(kind, TextDocumentSyncKind.Incremental);
    assert.equal(init.serverInfo?.name, 'migration-guard');
  });

  it('does not ask a client without workspace/configuration support for settings', async function () {
    const uri = newUri('no-config');
    await client.open(uri, INDEX_SQL, 1);
    await client.waitForVersion(uri, 1);
    assert.deepEqual(client.configurationRequests, []);
  });

  it('publishes a require-concurrent-index-creation diagnostic with code, source, docs link, range and version', async function () {
    const uri = newUri('index');
    await client.open(uri, INDEX_SQL, 7);
    const p = await client.waitForDiagnostics(uri, hasRule(RULE));
    assert.equal(p.version, 7);
    const d = p.diagnostics.find((x) => x.code === RULE)!;
    assert.equal(d.source, 'migration-guard');
    assert.equal(d.severity, DiagnosticSeverity.Warning);
    assert.ok(d.codeDescription?.href.endsWith(`${RULE}.md`), `docs link: ${d.codeDescription?.href}`);
    assert.match(String(d.message), /SHARE lock on `users`/);
    // The whole statement, without its semicolon.
    assert.deepEqual(d.range, { start: { line: 0, character: 0 }, end: { line: 0, character: INDEX_SQL.indexOf(';') } });
    assert.equal(covered(INDEX_SQL, d), 'CREATE INDEX users_email_idx ON users (email)');
  });

  describe('code actions', function () {
    const uri = newUri('actions');
    let diagnostic: Diagnostic;
    let actions: CodeAction[];
    let published: number;

    before(async function () {
      await client.open(uri, INDEX_SQL, 1);
      const p = await client.waitForDiagnostics(uri, hasRule(RULE));
      diagnostic = p.diagnostics.find((d) => d.code === RULE)!;
      const result = await client.codeActions(uri, diagnostic.range, [diagnostic]);
      assert.ok(Array.isArray(result));
      actions = result.filter(isCodeAction);
      published = p.version!;
    });

    it('offers the fix, statement and file suppressions and the documentation', function () {
      const titles = actions.map((a) => a.title);
      for (const t of [
        'Add CONCURRENTLY',
        `Disable ${RULE} for this statement`,
        `Disable ${RULE} for the entire file`,
        `Show documentation for ${RULE}`,
      ]) {
        assert.ok(titles.includes(t), `missing "${t}" in ${JSON.stringify(titles)}`);
      }
      const docs = actions.find((a) => a.title === `Show documentation for ${RULE}`)!;
      assert.ok(String(docs.command?.arguments?.[0]).endsWith(`${RULE}.md`));
      for (const a of actions) assert.deepEqual(a.diagnostics?.map((d) => d.code), [RULE]);
    });

    it('"Add CONCURRENTLY", sent as an incremental change, makes the diagnostic disappear', async function () {
      const fix = actions.find((a) => a.title === 'Add CONCURRENTLY')!;
      const edits = editsOf(fix, uri);
      const fixed = apply(uri, INDEX_SQL, edits);
      assert.equal(fixed, 'CREATE INDEX CONCURRENTLY users_email_idx ON users (email);');
      const from = client.publishes.length;
      const version = published + 1;
      // A TextEdit against the previous version is exactly an incremental content change.
      await client.change(uri, version, edits.map((e) => ({ range: e.range, text: e.newText })));
      const p = await client.waitForVersion(uri, version, from);
      assert.ok(!rules(p).includes(RULE), `still flagged after the fix: ${JSON.stringify(rules(p))}`);
      // The server's copy is the fixed text: a hover on the statement describes the concurrent build's weaker lock.
      const hover = await client.hover(uri, { line: 0, character: 3 });
      const md = (hover?.contents as { value: string }).value;
      assert.match(md, /ShareUpdateExclusiveLock/);
      published = version;
    });

    it('"Disable for this statement" applied to the original text silences the rule', async function () {
      const disable = actions.find((a) => a.title === `Disable ${RULE} for this statement`)!;
      const text = apply(uri, INDEX_SQL, editsOf(disable, uri));
      assert.equal(text, `-- migration-guard-ignore ${RULE}\n${INDEX_SQL}`);
      const from = client.publishes.length;
      const version = published + 1;
      await client.change(uri, version, [{ text }]);
      const p = await client.waitForVersion(uri, version, from);
      assert.ok(!rules(p).includes(RULE), JSON.stringify(rules(p)));
      // Other rules are still reported: the directive names only this one.
      assert.ok(rules(p).includes('require-lock-timeout'), JSON.stringify(rules(p)));
      published = version;
    });

    it('"Disable for the entire file" inserts a file directive that silences the rule', async function () {
      const disable = actions.find((a) => a.title === `Disable ${RULE} for the entire file`)!;
      const text = apply(uri, `${INDEX_SQL}\n${INDEX_SQL.replace('users_email_idx', 'users_email_idx2')}`, editsOf(disable, uri));
      assert.ok(text.startsWith(`-- migration-guard-ignore-file ${RULE}\n`));
      const from = client.publishes.length;
      const version = published + 1;
      await client.change(uri, version, [{ text }]);
      const p = await client.waitForVersion(uri, version, from);
      assert.ok(!rules(p).includes(RULE), JSON.stringify(rules(p)));
      published = version;
    });
  });

  it('code actions use the current text: a diagnostic from an older version gets fixes computed for the new one', async function () {
    const uri = newUri('stale');
    await client.open(uri, INDEX_SQL, 1);
    const old = (await client.waitForDiagnostics(uri, hasRule(RULE))).diagnostics.find((d) => d.code === RULE)!;
    // Two lines are inserted above the statement; the old diagnostic's range now points at the comment lines.
    const from = client.publishes.length;
    await client.change(uri, 2, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '-- a\n-- b\n' }]);
    await client.waitForVersion(uri, 2, from);
    const stale = ((await client.codeActions(uri, old.range, [old])) ?? []).filter(isCodeAction);
    assert.deepEqual(stale.map((a) => a.title), [], 'a stale diagnostic must not yield edits for text that moved');
    const moved = { ...old, range: { start: { line: 2, character: 0 }, end: { line: 2, character: old.range.end.character } } };
    const fresh = ((await client.codeActions(uri, moved.range, [moved])) ?? []).filter(isCodeAction);
    const fix = fresh.find((a) => a.title === 'Add CONCURRENTLY')!;
    assert.equal(apply(uri, `-- a\n-- b\n${INDEX_SQL}`, editsOf(fix, uri)), '-- a\n-- b\nCREATE INDEX CONCURRENTLY users_email_idx ON users (email);');
  });

  it('hover on a CREATE INDEX statement describes its ShareLock', async function () {
    const uri = newUri('hover');
    const text = `SELECT 1;\n${INDEX_SQL}\n`;
    await client.open(uri, text, 1);
    const hover = await client.hover(uri, { line: 1, character: 14 });
    assert.ok(hover, 'no hover');
    const contents = hover.contents as { kind: string; value: string };
    assert.equal(contents.kind, 'markdown');
    assert.match(contents.value, /ShareLock/);
    assert.match(contents.value, /`users`/);
    assert.deepEqual(hover.range, { start: { line: 1, character: 0 }, end: { line: 1, character: INDEX_SQL.indexOf(';') } });
  });

  it('a syntax error in the middle statement leaves the findings of the other two', async function () {
    const uri = newUri('syntax');
    const text = 'CREATE INDEX a_idx ON users (a);\nALTER TABLE users ADD COLUMN;\nCREATE INDEX b_idx ON users (b);\n';
    await client.open(uri, text, 1);
    const p = await client.waitForVersion(uri, 1);
    const byLine = (rule: string) => p.diagnostics.filter((d) => d.code === rule).map((d) => d.range.start.line);
    assert.deepEqual(byLine(RULE), [0, 2]);
    assert.deepEqual(byLine('syntax-error'), [1]);
    const syntax = p.diagnostics.find((d) => d.code === 'syntax-error')!;
    assert.equal(syntax.severity, DiagnosticSeverity.Error);
    assert.equal(syntax.range.end.line, 1);
  });

  it('ranges after non-ASCII text are in UTF-16 code units', async function () {
    const prefix = '/* café 😀 */ ';
    const text = `-- café 😀\n${prefix}${INDEX_SQL}\n`;
    const uri = newUri('utf16');
    await client.open(uri, text, 1);
    const p = await client.waitForDiagnostics(uri, hasRule(RULE));
    const d = p.diagnostics.find((x) => x.code === RULE)!;
    // '😀' is 2 UTF-16 code units (4 UTF-8 bytes), 'é' is 1 (2 bytes).
    assert.equal(prefix.length, 14);
    assert.deepEqual(d.range, { start: { line: 1, character: 14 }, end: { line: 1, character: 14 + INDEX_SQL.indexOf(';') } });
    assert.equal(covered(text, d), INDEX_SQL.slice(0, -1));
  });

  it('a syntax error after an emoji has the same range as after ASCII of the same UTF-16 length', async function () {
    const broken = 'ALTER TABLE users ADD COLUMN;';
    const ascii = `/* xx */ ${broken}\n`;
    const emoji = `/* 😀 */ ${broken}\n`;
    assert.equal(ascii.length, emoji.length);
    const [u1, u2] = [newUri('ascii'), newUri('emoji')];
    await client.open(u1, ascii, 1);
    await client.open(u2, emoji, 1);
    const d1 = (await client.waitForVersion(u1, 1)).diagnostics.find((d) => d.code === 'syntax-error');
    const d2 = (await client.waitForVersion(u2, 1)).diagnostics.find((d) => d.code === 'syntax-error');
    assert.ok(d1 && d2);
    assert.deepEqual(d2.range, d1.range);
    assert.ok(d2.range.start.character >= '/* 😀 */ '.length, JSON.stringify(d2.range));
  });

  it('20 rapid incremental changes: publishes arrive in version order and the last reflects the final text', async function () {
    const uri = newUri('rapid');
    const texts = new Map<number, string>();
    let doc = TextDocument.create(uri, 'sql', 1, INDEX_SQL);
    texts.set(1, INDEX_SQL);
    await client.open(uri, INDEX_SQL, 1);
    const sends: Promise<void>[] = [];
    for (let v = 2; v <= 21; v++) {
      // Each version pushes the statement one line further down: a publish's range tells which text it analyzed.
      const change = { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: `-- v${v}\n` };
      doc = TextDocument.update(doc, [change], v);
      texts.set(v, doc.getText());
      sends.push(client.change(uri, v, [change]));
    }
    await Promise.all(sends);
    const last = await client.waitForVersion(uri, 21);
    // A request after the final publish: anything the server had queued for this document has been flushed by now.
    assert.equal(await client.hover(uri, { line: 20, character: 0 }).then((h) => h !== null), true);
    const all = client.publishesFor(uri);
    assert.equal(all[all.length - 1], last, 'a publish arrived after the final version');
    const versions = all.map((p) => p.version!);
    for (let i = 1; i < versions.length; i++) {
      assert.ok(versions[i] > versions[i - 1], `publish order ${JSON.stringify(versions)}`);
    }
    for (const p of all) {
      const text = texts.get(p.version!)!;
      const expectedLine = p.version! - 1;
      const d = p.diagnostics.find((x) => x.code === RULE);
      assert.ok(d, `version ${p.version} lost its diagnostic`);
      assert.equal(d.range.start.line, expectedLine, `version ${p.version} carries diagnostics of another text`);
      assert.equal(covered(text, d), INDEX_SQL.slice(0, -1));
    }
    assert.equal(last.diagnostics.find((x) => x.code === RULE)!.range.start.line, 20);
  });

  it('didClose publishes empty diagnostics', async function () {
    const uri = newUri('close');
    await client.open(uri, INDEX_SQL, 1);
    await client.waitForDiagnostics(uri, hasRule(RULE));
    const from = client.publishes.length;
    await client.close(uri);
    const p = await client.waitForDiagnostics(uri, () => true, from);
    assert.deepEqual(p.diagnostics, []);
    // The document is gone: hover has nothing to describe.
    assert.equal(await client.hover(uri, { line: 0, character: 0 }), null);
  });

  it('hover and code actions on an unknown document return null and [] and the server keeps working', async function () {
    const unknown = 'file:///tmp/never-opened/migrations/0001.sql';
    assert.equal(await client.hover(unknown, { line: 0, character: 0 }), null);
    const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 5 } };
    assert.deepEqual(await client.codeActions(unknown, range, []), []);
    // Still alive and answering.
    const uri = newUri('alive');
    await client.open(uri, INDEX_SQL, 1);
    const p = await client.waitForDiagnostics(uri, hasRule(RULE));
    assert.equal(p.version, 1);
    assert.equal(client.hasExited, false);
  });

  // Mocha runs a suite's own tests before its child suites: these must run last, so they form the last child suite.
  describe('at the end of the session', function () {
    it('logged no analysis failures or uncaught errors', function () {
      const bad = client.logs.filter((l) => /analysis failed|uncaught|unhandled/i.test(l.message));
      assert.deepEqual(bad, []);
    });

    it('shutdown + exit ends the process with code 0', async function () {
      const code = await client.shutdown();
      assert.equal(code, 0);
    });
  });
});

describe('language server over Node IPC (dist/server.js --node-ipc)', function () {
  this.timeout(30_000);
  let client: LspClient;

  before(function () {
    client = LspClient.start({ transport: 'ipc' });
  });

  after(async function () {
    await client?.dispose();
  });

  it('initializes, publishes diagnostics for an opened document and exits cleanly', async function () {
    const init = await client.initialize();
    assert.equal(init.capabilities.hoverProvider, true);
    const uri = newUri('ipc');
    await client.open(uri, INDEX_SQL, 3);
    const p = await client.waitForDiagnostics(uri, hasRule(RULE));
    assert.equal(p.version, 3);
    assert.equal(p.diagnostics.find((d) => d.code === RULE)!.source, 'migration-guard');
    assert.equal(await client.shutdown(), 0);
  });
});

describe('language server settings (workspace/configuration)', function () {
  this.timeout(30_000);

  describe('a client that answers { postgresVersion: 10 }', function () {
    let client: LspClient;
    let config: Record<string, unknown> = { postgresVersion: 10 };

    before(async function () {
      client = LspClient.start({ configuration: () => config });
      await client.initialize();
    });

    after(async function () {
      await client?.dispose();
    });

    it('asks for the migrationGuard section of the document and flags a constant default (PostgreSQL 10 rewrites)', async function () {
      const uri = newUri('pg10');
      await client.open(uri, ADD_DEFAULT_SQL, 1);
      const p = await client.waitForVersion(uri, 1);
      assert.ok(rules(p).includes('adding-field-with-default'), JSON.stringify(rules(p)));
      const d = p.diagnostics.find((x) => x.code === 'adding-field-with-default')!;
      assert.match(String(d.message), /PostgreSQL 10/);
      const items = client.configurationRequests.flatMap((r) => r.items);
      assert.ok(items.some((i) => i.section === 'migrationGuard' && i.scopeUri === uri), JSON.stringify(items));
    });

    it('re-analyzes with the new settings after didChangeConfiguration', async function () {
      const uri = newUri('pg-switch');
      config = { postgresVersion: 10 };
      await client.open(uri, ADD_DEFAULT_SQL, 1);
      await client.waitForDiagnostics(uri, hasRule('adding-field-with-default'));
      config = { postgresVersion: 16 };
      const from = client.publishes.length;
      await client.changeConfiguration();
      const p = await client.waitForDiagnostics(uri, () => true, from);
      assert.ok(!rules(p).includes('adding-field-with-default'), JSON.stringify(rules(p)));
      assert.ok(rules(p).includes('require-lock-timeout'), JSON.stringify(rules(p)));
    });

    it('enable: false publishes no diagnostics', async function () {
      config = { enable: false };
      const uri = newUri('disabled');
      await client.open(uri, INDEX_SQL, 1);
      const p = await client.waitForVersion(uri, 1);
      assert.deepEqual(p.diagnostics, []);
    });
  });

  describe('a client without workspace/configuration (defaults: PostgreSQL 16)', function () {
    let client: LspClient;

    before(async function () {
      client = LspClient.start();
      await client.initialize();
    });

    after(async function () {
      await client?.dispose();
    });

    it('does not flag a constant default', async function () {
      const uri = newUri('pg16');
      await client.open(uri, ADD_DEFAULT_SQL, 1);
      const p = await client.waitForVersion(uri, 1);
      assert.ok(!rules(p).includes('adding-field-with-default'), JSON.stringify(rules(p)));
      // The statement was analyzed: it still needs a lock timeout.
      assert.ok(rules(p).includes('require-lock-timeout'), JSON.stringify(rules(p)));
      assert.deepEqual(client.configurationRequests, []);
    });
  });
});
