#!/usr/bin/env node
// Runs the same in-host mocha suite through @vscode/test-electron's runTests().
// Default (offline): vscodeExecutablePath = test/e2e/code-shim.cjs, i.e. code-server via run-extension-tests.cjs.
// VSCODE_E2E_DOWNLOAD=1: let test-electron download desktop VS Code (VSCODE_VERSION, default 'stable') and run the
// suite in it; needs internet and, on a headless Linux box, a display (e.g. `xvfb-run -a node test/e2e/run-test-electron.cjs`).
// Env: EXT_DEV_PATH, EXT_TESTS_PATH, TEST_WORKSPACE as in run-extension-tests.cjs.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { runTests } = require('@vscode/test-electron');

const root = path.resolve(__dirname, '..', '..');
const extensionDevelopmentPath = path.resolve(process.env.EXT_DEV_PATH || root);
const extensionTestsPath = path.resolve(process.env.EXT_TESTS_PATH || path.join(root, 'dist-test', 'e2e', 'suite', 'index'));
const fixture = path.resolve(process.env.TEST_WORKSPACE || path.join(__dirname, 'workspace'));

(async () => {
  const download = process.env.VSCODE_E2E_DOWNLOAD === '1';
  let workspace = fixture;
  let tmp;
  if (download) {
    // the code-server path copies the fixture itself; desktop VS Code would edit it in place
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vscode-e2e-ws-'));
    workspace = path.join(tmp, 'workspace');
    fs.cpSync(fixture, workspace, { recursive: true });
  }
  try {
    const code = await runTests({
      ...(download
        ? { version: process.env.VSCODE_VERSION || 'stable' }
        : { vscodeExecutablePath: path.join(__dirname, 'code-shim.cjs') }),
      extensionDevelopmentPath,
      extensionTestsPath,
      launchArgs: [workspace, '--disable-extensions'],
    });
    process.exitCode = code;
  } catch (e) {
    console.error(`[run-test-electron] ${e && e.message ? e.message : e}`);
    process.exitCode = 1;
  } finally {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  }
})();
