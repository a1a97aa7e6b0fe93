/**
 * The language server (dist/server.js --stdio) survives a misbehaving client: frames that are not JSON or not
 * JSON-RPC, unknown methods, parameters of the wrong type, out-of-order versions, requests about documents that were
 * never opened, changes past the end of a document, a 3 MB document closed while it waits to be analyzed, a client
 * that disappears. After each, a diagnostics and hover round-trip proves it still works. Run `node esbuild.mjs` first.
 */
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ErrorCodes, ResponseError } from 'vscode-languageserver-protocol/node';
import { CORPUS_DIR } from '../support/corpus';
import { LspClient, SERVER_JS } from '../support/lspClient';

const INDEX_SQL = 'CREATE INDEX users_email_idx ON users (email);';
let counter = 0;
function newUri(name: string): string {
  counter++;
  return `file:///tmp/migration-guard-robustness/migrations/${String(counter).padStart(4, '0')}_${name}.sql`;
}

/** Writes one Content-Length frame with `body` as is (not necessarily JSON) to the server's stdin. */
function sendRaw(client: LspClient, body: string): Promise<void> {
  const bytes = Buffer.from(body, 'utf8');
  return new Promise((resolve, reject) =>
    client.child.stdin!.write(Buffer.concat([Buffer.from(`Content-Length: ${bytes.length}\r\n\r\n`, 'ascii'), bytes]), (e) => (e ? reject(e) : resolve())),
  );
}

/** pagila.sql from the corpus: 3 MB of pg_dump output. */
function pagila(): string {
  const path = join(CORPUS_DIR, '_large', 'neondatabase__postgres-sample-dbs', 'pagila.sql');
  assert.ok(existsSync(path), `${path} missing`);
  const text = readFileSync(path, 'utf8');
  assert.ok(text.length > 3_000_000, `${text.length} characters`);
  return text;
}

/** Opens a fresh document with one CREATE INDEX, waits for its diagnostic and hovers it: the server still works. */
async function roundTrip(client: LspClient): Promise<void> {
  const uri = newUri('alive');
  await client.open(uri, INDEX_SQL);
  const p = await client.waitForVersion(uri, 1);
  assert.deepEqual(p.diagnostics.map((d) => d.code).filter((c) => c === 'require-concurrent-index-creation'), ['require-concurrent-index-creation']);
  const hover = await client.hover(uri, { line: 0, character: 3 });
  assert.match(JSON.stringify(hover?.contents), /SHARE/i);
  await client.close(uri);
}

/** The request's error, failing when it succeeded. */
async function rejection(p: Promise<unknown>): Promise<ResponseError<unknown>> {
  try {
    const v = await p;
    return assert.fail(`expected an error response, got ${JSON.stringify(v)}`);
  } catch (e) {
    assert.ok(e instanceof ResponseError, `not a JSON-RPC error response: ${String(e)}`);
    return e;
  }
}

describe('robustness: the language server survives a misbehaving client', function () {
  this.timeout(60_000);
  let client: LspClient;
  const numberTextUri = newUri('number');

  before(async function () {
    assert.ok(existsSync(SERVER_JS), `${SERVER_JS} is missing: run node esbuild.mjs first`);
    client = LspClient.start({ transport: 'stdio' });
    await client.initialize({ textDocument: { publishDiagnostics: { versionSupport: true } } });
  });

  after(async function () {
    await client?.dispose();
  });

  afterEach(function () {
    if (this.currentTest?.title.startsWith('shutdown')) return;
    assert.equal(client.hasExited, false, `the server exited; stderr:\n${client.stderr}`);
  });

  it('a frame that is not JSON, and frames that are JSON but not JSON-RPC', async function () {
    await sendRaw(client, '{"jsonrpc": "2.0", "method": "textDocument/hover", "id": 9001, "params": {');
    await sendRaw(client, 'not json at all \u0000\ud800');
    await sendRaw(client, '[1, 2, 3]');
    await sendRaw(client, 'null');
    await sendRaw(client, '{"jsonrpc": "2.0"}');
    await sendRaw(client, '{"jsonrpc": "2.0", "method": 42, "id": "x"}');
    await sendRaw(client, '{"jsonrpc": "1.0", "method": "textDocument/didOpen"}');
    await roundTrip(client);
  });

  it('an unknown request gets MethodNotFound; unknown notifications are ignored', async function () {
    const e = await rejection(client.connection.sendRequest('migrationGuard/noSuchMethod', { a: 1 }));
    assert.equal(e.code, ErrorCodes.MethodNotFound);
    await client.connection.sendNotification('migrationGuard/noSuchNotification', { a: 1 });
    await client.connection.sendNotification('$/noSuchNotification');
    await roundTrip(client);
  });

  it('requests with parameters of the wrong type get an answer (result or error), never silence', async function () {
    const uri = newUri('typed');
    await client.open(uri, INDEX_SQL);
    await client.waitForVersion(uri, 1);
    const bad: [string, unknown][] = [
      ['textDocument/hover', null],
      ['textDocument/hover', { textDocument: { uri }, position: 'start' }],
      ['textDocument/hover', { textDocument: { uri }, position: { line: -5, character: 1e12 } }],
      ['textDocument/hover', { textDocument: { uri: 42 }, position: { line: 0, character: 0 } }],
      ['textDocument/codeAction', { textDocument: { uri }, range: null, context: null }],
      ['textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, context: { diagnostics: [{ code: 'require-concurrent-index-creation', range: 'x', data: 42 }] } }],
      ['textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, context: { diagnostics: 'all' } }],
      ['workspace/executeCommand', { command: 'migrationGuard.showDocs', arguments: [{ not: 'a string' }] }],
      ['workspace/executeCommand', { command: 'no.such.command' }],
      ['workspace/executeCommand', null],
    ];
    for (const [method, params] of bad) {
      const answered = await client.connection.sendRequest(method, params).then(
        (v) => ({ ok: true, v }),
        (e: unknown) => ({ ok: false, v: e instanceof ResponseError ? e.code : String(e) }),
      );
      assert.ok(answered.ok || typeof answered.v === 'number', `${method} ${JSON.stringify(params)}: ${JSON.stringify(answered)}`);
    }
    const notifications: [string, unknown][] = [
      ['textDocument/didOpen', { textDocument: { uri: numberTextUri, languageId: 'sql', version: 1, text: 42 } }],
      ['textDocument/didOpen', null],
      ['textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: 'replace all' }],
      ['textDocument/didChange', { textDocument: { uri, version: 3 }, contentChanges: [{ range: { start: 'a', end: null }, text: 7 }] }],
      ['textDocument/didClose', { textDocument: {} }],
      ['workspace/didChangeConfiguration', 'settings'],
      ['workspace/didChangeWatchedFiles', { changes: 'none' }],
    ];
    for (const [method, params] of notifications) await client.connection.sendNotification(method, params);
    await roundTrip(client);
  });

  it('out-of-order versions: the document ends up with the changes applied, in the order received', async function () {
    const uri = newUri('versions');
    await client.open(uri, 'SELECT 1;\n', 5);
    await client.waitForVersion(uri, 5);
    await client.change(uri, 3, [{ text: INDEX_SQL }]);
    await client.change(uri, 4, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '-- v4\n' }]);
    await client.change(uri, 4, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '-- v4 again\n' }]);
    // Both changes claim version 4; the publish after the second has the index on line 2.
    const indexLine = (p: { diagnostics: { code?: unknown; range: { start: { line: number } } }[] }) =>
      p.diagnostics.find((x) => x.code === 'require-concurrent-index-creation')?.range.start.line;
    const p = await client.waitForDiagnostics(uri, (x) => x.version === 4 && indexLine(x) === 2);
    assert.equal(indexLine(p), 2, 'both version-4 edits applied after the version-3 one');
    await client.close(uri);
    await roundTrip(client);
  });

  it('hover, code actions, changes and close for documents that were never opened', async function () {
    const uri = newUri('unknown');
    assert.equal(await client.hover(uri, { line: 0, character: 0 }), null);
    assert.deepEqual(await client.codeActions(uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, []), []);
    await client.change(uri, 2, [{ text: INDEX_SQL }]);
    await client.close(uri);
    assert.equal(await client.hover(uri, { line: 0, character: 0 }), null);
    await roundTrip(client);
  });

  it('changes whose range lies past the end of the document are clamped like the LSP text document does', async function () {
    const uri = newUri('past-end');
    const text = 'SELECT 1;\n';
    await client.open(uri, text);
    await client.waitForVersion(uri, 1);
    const changes = [
      { range: { start: { line: 50, character: 3 }, end: { line: 60, character: 0 } }, text: INDEX_SQL },
      { range: { start: { line: 0, character: 500 }, end: { line: 0, character: 900 } }, text: '\n-- tail\n' },
    ];
    let mirror = TextDocument.create(uri, 'sql', 1, text);
    mirror = TextDocument.update(mirror, changes, 2);
    await client.change(uri, 2, changes);
    const p = await client.waitForVersion(uri, 2);
    const d = p.diagnostics.find((x) => x.code === 'require-concurrent-index-creation');
    assert.ok(d, `the index diagnostic on ${JSON.stringify(mirror.getText())}`);
    assert.equal(mirror.getText().slice(mirror.offsetAt(d.range.start), mirror.offsetAt(d.range.end)), INDEX_SQL.slice(0, -1));
    await client.close(uri);
    await roundTrip(client);
  });

  /** After the close, the last publish for `uri` is the empty one the close sends, and nothing follows it. */
  async function closedCleanly(uri: string): Promise<void> {
    await client.waitForDiagnostics(uri, (p) => p.diagnostics.length === 0 && p.version === undefined);
    await roundTrip(client); // anything still queued for the big document is processed before this finishes
    const after = client.publishesFor(uri);
    assert.deepEqual(after[after.length - 1].diagnostics, [], 'no diagnostics published for the closed document');
  }

  it('a 3 MB document opened then closed at once', async function () {
    const uri = newUri('pagila-open-close');
    await client.open(uri, pagila());
    await client.close(uri);
    await closedCleanly(uri);
  });

  it('a 3 MB document opened, edited, hovered (forces its analysis) and closed without waiting', async function () {
    const uri = newUri('pagila-hover-close');
    await client.open(uri, pagila());
    await client.change(uri, 2, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '-- edited\n' }]);
    const hover = client.hover(uri, { line: 40, character: 2 });
    await client.close(uri);
    const h = await hover;
    assert.ok(h === null || typeof h.contents === 'object');
    await closedCleanly(uri);
  });

  it('a small document opened while a 3 MB one waits still gets its diagnostics', async function () {
    const uri = newUri('pagila-other');
    const small = newUri('small');
    await client.open(uri, pagila());
    await client.open(small, INDEX_SQL);
    const p = await client.waitForVersion(small, 1);
    assert.ok(p.diagnostics.some((d) => d.code === 'require-concurrent-index-creation'));
    await client.close(uri);
    await client.close(small);
    await closedCleanly(uri);
  });

  it('logged no uncaught errors, and analysis failures only for the document opened with a number as its text', function () {
    const uncaught = client.logs.filter((l) => /uncaught|unhandled/i.test(l.message));
    assert.deepEqual(uncaught.map((l) => l.message.slice(0, 300)), []);
    // FIXME(issue 7): server.ts accepts a didOpen whose `text` is not a string and every analysis of it throws
    // (caught and logged: `text.startsWith is not a function` in the project conventions). It should refuse the document.
    const failed = client.logs.filter((l) => /analysis failed/i.test(l.message));
    assert.deepEqual([...new Set(failed.map((l) => /analysis failed for (\S+):/.exec(l.message)?.[1]))], [numberTextUri]);
  });

  it('shutdown + exit ends the process with code 0', async function () {
    assert.equal(await client.shutdown(), 0);
  });
});

describe('robustness: the server process ends with its client', function () {
  this.timeout(30_000);

  it('exit without shutdown ends the process with code 1 (LSP spec)', async function () {
    const client = LspClient.start({ transport: 'stdio' });
    try {
      await client.initialize();
      await client.connection.sendNotification('exit');
      const code = await client.waitUntil('exit', () => (client.hasExited ? client.child.exitCode : undefined));
      assert.equal(code, 1);
    } finally {
      await client.dispose();
    }
  });

  it('the client closing stdin (a crashed editor) ends the server', async function () {
    const client = LspClient.start({ transport: 'stdio' });
    try {
      await client.initialize();
      client.child.stdin!.end();
      await client.waitUntil('exit after stdin closed', () => (client.hasExited ? true : undefined), 15_000);
    } finally {
      await client.dispose();
    }
  });
});
