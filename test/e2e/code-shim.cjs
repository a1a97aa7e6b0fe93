#!/usr/bin/env node
// Stand-in for a VS Code executable, so @vscode/test-electron's runTests({ vscodeExecutablePath: <this file> }) can
// drive code-server (see run-test-electron.cjs). It maps the VS Code CLI arguments runTests passes
// (--extensionDevelopmentPath=…, --extensionTestsPath=…, [workspace folder]) onto run-extension-tests.cjs's env and runs
// it; the exit code is the in-host result. Desktop-only flags (--no-sandbox, --user-data-dir=…, --disable-extensions, …)
// are ignored: run-extension-tests.cjs always uses fresh temp profile dirs. Must stay executable (chmod +x):
// test-electron spawns it without a shell.
'use strict';
const path = require('path');
const positional = [];
const devPaths = [];
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  let m = /^--(extensionDevelopmentPath|extensionTestsPath)(?:=(.*))?$/.exec(a);
  if (m) {
    const v = m[2] !== undefined ? m[2] : args[++i]; // accept both --flag=value and --flag value
    if (m[1] === 'extensionTestsPath') process.env.EXT_TESTS_PATH = v;
    else devPaths.push(v);
  } else if (!a.startsWith('-')) positional.push(a);
}
if (devPaths.length > 1) console.warn(`[code-shim] only one extensionDevelopmentPath is supported; using ${devPaths[0]}`);
if (devPaths[0]) process.env.EXT_DEV_PATH = devPaths[0];
if (positional[0]) process.env.TEST_WORKSPACE = positional[0];
require(path.join(__dirname, 'run-extension-tests.cjs'));
