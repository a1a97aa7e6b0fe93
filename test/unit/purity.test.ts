/**
 * Architecture guard: the analysis library is pure. Nothing under server/src/analysis/ may import the editor or
 * protocol (`vscode`, `vscode-languageserver*`) or do I/O of its own (`fs`, `child_process`, `net`, `http`, …).
 */
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(process.cwd(), 'server', 'src', 'analysis');

const BANNED: RegExp[] = [
  /^vscode$/,
  /^vscode-languageserver/,
  /^vscode-languageclient/,
  /^(node:)?fs(\/promises)?$/,
  /^(node:)?child_process$/,
  /^(node:)?net$/,
  /^(node:)?https?$/,
  /^(node:)?http2$/,
  /^(node:)?dgram$/,
  /^(node:)?worker_threads$/,
];

/** Module specifiers of every import / export-from / require / dynamic import in a source text. */
export function importedModules(source: string): string[] {
  const out: string[] = [];
  const patterns = [
    /\bimport\s+(?:type\s+)?[\w*\s{},$]+?\bfrom\s*['"]([^'"]+)['"]/g, // import x from 'm'; import { a } from 'm'
    /\bimport\s*['"]([^'"]+)['"]/g, // import 'm'
    /\bexport\s+(?:type\s+)?(?:\*|\{[^}]*\})(?:\s+as\s+\w+)?\s*from\s*['"]([^'"]+)['"]/g, // export … from 'm'
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g, // require('m')
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g, // import('m')
  ];
  for (const p of patterns) for (const m of source.matchAll(p)) out.push(m[1]);
  return out;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return /\.(ts|js|mjs|cjs)$/.test(f) ? [p] : [];
  });
}

describe('analysis library purity', () => {
  it('recognizes every import form (so the guard is not vacuous)', () => {
    const src = [
      "import * as vscode from 'vscode';",
      "import type { Diagnostic } from 'vscode-languageserver/node';",
      "import {\n  readFileSync,\n} from 'node:fs';",
      "import 'fs';",
      "export { x } from 'child_process';",
      "export * from 'net';",
      "const h = require('http');",
      "const p = await import('https');",
    ].join('\n');
    const found = importedModules(src);
    assert.deepEqual(found.sort(), ['child_process', 'fs', 'http', 'https', 'net', 'node:fs', 'vscode', 'vscode-languageserver/node'].sort());
    for (const m of found) assert.ok(BANNED.some((b) => b.test(m)), `${m} should be banned`);
    for (const ok of ['libpg-query', '@pgsql/types', './parse', '../rule', 'fsevents-like', 'netlify']) {
      assert.ok(!BANNED.some((b) => b.test(ok)), `${ok} should be allowed`);
    }
  });

  const files = sourceFiles(ROOT);

  it('scans the library', () => {
    assert.ok(files.length >= 15, `only ${files.length} files under ${ROOT}`);
    const all = files.flatMap((f) => importedModules(readFileSync(f, 'utf8')));
    assert.ok(all.includes('libpg-query'), 'the parser import was not seen: the scanner is broken');
    assert.ok(all.includes('./parse'), 'relative imports were not seen: the scanner is broken');
  });

  for (const file of files) {
    it(`${relative(process.cwd(), file)} imports no editor, protocol or I/O module`, () => {
      const bad = importedModules(readFileSync(file, 'utf8')).filter((m) => BANNED.some((b) => b.test(m)));
      assert.deepEqual(bad, []);
    });
  }
});
