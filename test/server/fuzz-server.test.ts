/**
 * Fuzzing the real language server (dist/server.js --stdio): a few hundred mutated corpus documents opened, edited
 * with random incremental changes (ranges anywhere, also past the end) and closed. The server must publish the final
 * version of every document with ranges inside it, answer hover and code actions for each, log no analysis failure
 * or uncaught error, and exit cleanly. `FUZZ_RUNS` scales the number of documents (one per 100 cases); `FUZZ_SEED`
 * replays a run. Run `node esbuild.mjs` first.
 */
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic, Position, Range, TextDocumentContentChangeEvent } from 'vscode-languageserver-protocol/node';
import { initParser } from '../../server/src/analysis';
import { corpusStatements, fuzzDocument, fuzzSeed, insertion, runsFor } from '../support/fuzz';
import { LspClient, SERVER_JS } from '../support/lspClient';

interface Edit {
  /** Positions as fractions of the line count and line length; > 1 lands past the end. */
  startLine: number;
  startChar: number;
  length: number;
  text: string;
  full: boolean;
}

const edit: fc.Arbitrary<Edit> = fc.record({
  startLine: fc.double({ min: 0, max: 1.2, noNaN: true }),
  startChar: fc.double({ min: 0, max: 1.5, noNaN: true }),
  length: fc.nat({ max: 40 }),
  text: fc.oneof(insertion, fc.constantFrom('', ';', '\n', 'CREATE INDEX i ON t (a);\n')),
  full: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
});

/** The LSP change an `Edit` stands for, on the document as it is now. */
function toChange(doc: TextDocument, e: Edit): TextDocumentContentChangeEvent {
  if (e.full) return { text: e.text };
  const line = Math.floor(e.startLine * (doc.lineCount + 1));
  const lineText = doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
  const start: Position = { line, character: Math.floor(e.startChar * (lineText.length + 1)) };
  const end = doc.positionAt(doc.offsetAt(start) + e.length);
  // Past-the-end starts stay as sent: the server must clamp them the way the LSP text document does.
  return { range: { start, end: e.startLine > 1 ? { line: line + 3, character: 5 } : end }, text: e.text };
}

/** True when `p` is a position inside `doc` (the text document maps it back to itself). */
function valid(doc: TextDocument, p: Position): boolean {
  const q = doc.positionAt(doc.offsetAt(p));
  return q.line === p.line && q.character === p.character;
}

describe('fuzz: the language server over stdio survives mutated documents and edits', function () {
  const documents = process.env.FUZZ_RUNS ? Math.max(300, Math.round(runsFor(0) / 100)) : 300;
  this.timeout(process.env.FUZZ_RUNS ? 0 : 120_000);
  let client: LspClient;
  const seed = fuzzSeed();

  before(async function () {
    assert.ok(existsSync(SERVER_JS), `${SERVER_JS} is missing: run node esbuild.mjs first`);
    await initParser();
    corpusStatements();
    client = LspClient.start({ transport: 'stdio' });
    await client.initialize({ textDocument: { publishDiagnostics: { versionSupport: true } } });
  });

  after(async function () {
    await client?.dispose();
  });

  it(`${documents} mutated documents: every final version published with valid ranges, hover and code actions answered`, async function () {
    const docs = fc.sample(fuzzDocument(), { numRuns: documents, seed });
    const edits = fc.sample(fc.array(edit, { maxLength: 4 }), { numRuns: documents, seed: seed + 1 });
    const hovers = fc.sample(fc.double({ min: 0, max: 1, noNaN: true }), { numRuns: documents, seed: seed + 2 });
    const batch = 20;
    let checked = 0;
    for (let b = 0; b < docs.length; b += batch) {
      const mirrors: TextDocument[] = [];
      const from = client.publishes.length;
      for (let i = b; i < Math.min(docs.length, b + batch); i++) {
        const uri = `file:///tmp/migration-guard-fuzz-${process.pid}/migrations/${String(i).padStart(5, '0')}_fuzz.sql`;
        let doc = TextDocument.create(uri, 'sql', 1, docs[i].text);
        await client.open(uri, docs[i].text, 1);
        for (const e of edits[i]) {
          const change = toChange(doc, e);
          doc = TextDocument.update(doc, [change], doc.version + 1);
          await client.change(uri, doc.version, [change]);
        }
        mirrors.push(doc);
      }
      for (const [k, doc] of mirrors.entries()) {
        const context = `seed ${seed}, document ${b + k}: ${JSON.stringify(doc.getText().slice(0, 300))}`;
        const p = await client.waitForVersion(doc.uri, doc.version, from).catch((e: Error) => assert.fail(`${context}: ${e.message}`));
        for (const d of p.diagnostics) {
          assert.ok(valid(doc, d.range.start) && valid(doc, d.range.end), `${context}: diagnostic ${d.code} range ${JSON.stringify(d.range)} outside the text`);
        }
        const at = doc.positionAt(Math.floor(hovers[b + k] * doc.getText().length));
        const hover = await client.hover(doc.uri, at);
        assert.ok(hover === null || typeof hover.contents === 'object', `${context}: hover answered ${JSON.stringify(hover)}`);
        const whole: Range = { start: { line: 0, character: 0 }, end: doc.positionAt(doc.getText().length) };
        const actions = await client.codeActions(doc.uri, whole, p.diagnostics as Diagnostic[]);
        assert.ok(Array.isArray(actions), `${context}: code actions answered ${JSON.stringify(actions)}`);
        await client.close(doc.uri);
        checked++;
      }
    }
    assert.equal(checked, documents);
    const errors = client.logs.filter((l) => l.type === 1 || /uncaught|unhandled|analysis failed/i.test(l.message));
    assert.deepEqual(errors.map((l) => l.message.slice(0, 500)), [], `seed ${seed}: the server logged errors`);
    if (process.env.FUZZ_RUNS) console.log(`FUZZ server: ${documents} documents, seed ${seed}`);
  });

  it('is still alive, and exits with code 0 on shutdown + exit', async function () {
    assert.equal(client.hasExited, false, `server exited; stderr:\n${client.stderr}`);
    const uri = 'file:///tmp/migration-guard-fuzz/migrations/final.sql';
    await client.open(uri, 'CREATE INDEX i ON t (a);');
    const p = await client.waitForVersion(uri, 1);
    assert.ok(p.diagnostics.some((d) => d.code === 'require-concurrent-index-creation'));
    assert.equal(await client.shutdown(), 0);
  });
});
