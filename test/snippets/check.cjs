// Expands every snippet in snippets/*.code-snippets with its placeholder defaults and parses the
// result with libpg-query: the bodies must be valid PostgreSQL as inserted. (test/pg/snippets.test.ts also lints
// them and runs them on PostgreSQL.)
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { loadModule, parseSync } = require('libpg-query');
const { expandSnippet } = require('./expand.cjs');

const root = path.join(__dirname, '..', '..');
const dir = path.join(root, 'snippets');

(async () => {
  await loadModule();
  let passed = 0;
  let failed = 0;
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.code-snippets'))) {
    const snippets = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    for (const [name, snippet] of Object.entries(snippets)) {
      const sql = expandSnippet(snippet.body);
      try {
        if (/\$\{?\d/.test(sql)) throw new Error('unexpanded placeholder left');
        const { stmts = [] } = parseSync(sql);
        if (stmts.length === 0) throw new Error('no statement');
        passed++;
        console.log(`ok   ${file}: ${name} (${stmts.length} statements)`);
      } catch (err) {
        failed++;
        console.log(`FAIL ${file}: ${name}: ${err.message}\n${sql}`);
      }
    }
  }
  console.log(`snippets: ${passed} passed, ${failed} failed`);
  process.exit(failed === 0 && passed > 0 ? 0 : 1);
})();
