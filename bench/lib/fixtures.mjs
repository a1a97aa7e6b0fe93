// Inputs of the benchmark, all built from the real corpus in a throwaway directory: a copy of a real migration
// folder (LemmyNet's 686 diesel migrations) holding a new 200-line migration made of its newest statements, the
// keystrokes typed into it, 200 real migrations to open at once, and a 5 MB file of concatenated corpus migrations.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';

export const uriOf = (path) => pathToFileURL(path).href;

/** Every .sql file under dir, sorted, skipping dot-directories. */
export function sqlFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name.startsWith('.')) continue;
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && /\.sql$/i.test(e.name)) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

/** The 200-line migration: whole statements from the newest up.sql files of the folder, newest first. */
function buildMigration(upFiles, lines = 200) {
  const out = [];
  for (const f of [...upFiles].reverse()) {
    for (const line of readFileSync(f, 'utf8').split('\n')) out.push(line.replace(/\s+$/, ''));
    out.push('');
    if (out.length >= lines * 1.5) break;
  }
  // Cut at the last statement end at or before `lines`, then pad with a comment to exactly `lines` lines.
  let cut = Math.min(lines, out.length);
  while (cut > 0 && !out[cut - 1].endsWith(';')) cut--;
  const body = out.slice(0, cut);
  while (body.length < lines) body.push('-- end of benchmark migration');
  return body.join('\n') + '\n';
}

/** Text typed character by character in the middle of the migration: a new statement, one key per edit. */
const TYPED = 'ALTER TABLE person ADD COLUMN bench_note text;\nCREATE INDEX CONCURRENTLY idx_person_bench ON person (bench_note);\n';

export function prepareFixtures(corpus) {
  const work = mkdtempSync(join(tmpdir(), 'mg-bench-'));
  const lemmySrc = join(corpus, 'LemmyNet__lemmy', 'migrations');
  const lemmy = join(work, 'lemmy', 'migrations');
  mkdirSync(join(work, 'lemmy'), { recursive: true });
  cpSync(lemmySrc, lemmy, { recursive: true });
  const lemmyFiles = sqlFiles(lemmy);
  const ups = lemmyFiles.filter((f) => f.endsWith('/up.sql'));

  const migrationText = buildMigration(ups);
  const migrationDir = join(lemmy, '2099-01-01-000000-0000_benchmark');
  mkdirSync(migrationDir);
  const migrationPath = join(migrationDir, 'up.sql');
  writeFileSync(migrationPath, migrationText);

  // The edits: TYPED inserted one character at a time at the start of line 100.
  const insertLine = 100;
  const edits = [];
  let line = insertLine;
  let character = 0;
  for (const ch of TYPED.slice(0, 100)) {
    edits.push({ range: { start: { line, character }, end: { line, character } }, text: ch });
    if (ch === '\n') {
      line++;
      character = 0;
    } else character++;
  }

  // A small migration in a folder of its own, edited while a big document is analyzed.
  const smallDir = join(work, 'small', 'migrations');
  mkdirSync(smallDir, { recursive: true });
  const smallPath = join(smallDir, '001_small.sql');
  const smallText = migrationText.split('\n').slice(0, 20).join('\n') + '\n';
  writeFileSync(smallPath, smallText);

  // 200 real migrations of one folder, opened together.
  const memoryDocs = lemmyFiles.slice(0, 200).map((p) => ({ uri: uriOf(p), text: readFileSync(p, 'utf8') }));

  // The 5 MB file: corpus migrations (not the large inputs) concatenated in path order.
  const target = 5 * 1024 * 1024;
  const parts = [];
  let size = 0;
  for (const f of sqlFiles(corpus)) {
    if (relative(corpus, f).startsWith('_large')) continue;
    const t = readFileSync(f, 'utf8');
    parts.push(`-- ${relative(corpus, f)}\n${t}\n;\n`);
    size += t.length;
    if (size >= target) break;
  }
  const largeDir = join(work, 'large');
  mkdirSync(largeDir);
  const generatedPath = join(largeDir, 'generated-5mb.sql');
  writeFileSync(generatedPath, parts.join(''));

  const pagilaPath = join(corpus, '_large', 'neondatabase__postgres-sample-dbs', 'pagila.sql');
  return {
    work,
    migration: { path: migrationPath, uri: uriOf(migrationPath), text: migrationText, lines: migrationText.split('\n').length - 1 },
    edits,
    small: { path: smallPath, uri: uriOf(smallPath), text: smallText },
    memoryDocs,
    large: [
      { name: 'pagila.sql (3 MB)', path: pagilaPath, uri: uriOf(pagilaPath), text: readFileSync(pagilaPath, 'utf8') },
      { name: 'generated 5 MB', path: generatedPath, uri: uriOf(generatedPath), text: readFileSync(generatedPath, 'utf8') },
    ],
    bytes: (p) => statSync(p).size,
  };
}
