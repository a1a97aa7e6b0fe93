#!/usr/bin/env node
// Runs the extension's mocha suite INSIDE a real VS Code extension host, like @vscode/test-electron does, but offline:
//   code-server 4.139.1 (real VS Code 1.139.1 server + workbench + Node extension host, on Node 24 from npm)
//   <- headless Debian chromium driven by playwright-core, opened on
//   http://127.0.0.1:PORT/?folder=<tmp copy of the workspace>&payload=[["extensionDevelopmentPath",..],["extensionTestsPath",..]]
// The built workbench honours that payload only with the smoke-test driver enabled (--vscode-option
// enable-smoke-test-driver); when the tests end it calls window.codeAutomationExit(code), and it forwards the extension
// host's console output to window.codeAutomationLog(type, args).
// Prerequisites: `sh test/e2e/install-vscode-host.sh` once, and `npm run build` (dist/ + dist-test/e2e/suite/index.js).
// Env: EXT_DEV_PATH (default: repo root), EXT_TESTS_PATH (default: dist-test/e2e/suite/index),
//      TEST_WORKSPACE (default: test/e2e/workspace; copied to a temp dir), SCREENSHOT_DIR (default: test/e2e/out),
//      TEST_TIMEOUT_MS (default 300000), CHROMIUM (default /usr/bin/chromium), CODE_SERVER_NODE, KEEP_TMP=1, VERBOSE=1
'use strict';
const fs = require('fs');
const path = require('path');
const { createSession } = require('./code-server.cjs');

const root = path.resolve(__dirname, '..', '..');
const devPath = path.resolve(process.env.EXT_DEV_PATH || root);
const testsPath = path.resolve(process.env.EXT_TESTS_PATH || path.join(root, 'dist-test', 'e2e', 'suite', 'index'));
const fixture = path.resolve(process.env.TEST_WORKSPACE || path.join(__dirname, 'workspace'));
const shotDir = path.resolve(process.env.SCREENSHOT_DIR || path.join(__dirname, 'out'));
const timeoutMs = Number(process.env.TEST_TIMEOUT_MS || 300000);

const die = (msg) => { console.error(`[e2e] ${msg}`); process.exit(1); };

// ---- preflight: clear messages instead of obscure failures ------------------------------------------------------------
const session = createSession('e2e', die);
const { log } = session;
if (!fs.existsSync(path.join(devPath, 'package.json'))) die(`EXT_DEV_PATH ${devPath} has no package.json`);
if (!fs.existsSync(testsPath) && !fs.existsSync(testsPath + '.js')) die(`no test entry ${testsPath}(.js); run: npm run build`);
if (!fs.statSync(fixture, { throwIfNoEntry: false })?.isDirectory()) die(`no workspace folder ${fixture}`);

// Workbench/connection chatter that the smoke-test driver forwards along with the extension host's console output;
// hidden unless VERBOSE=1 (all of it is expected offline).
const NOISE = [
  /^Resolv(ing|ed) connection token/, /^Creating a socket/, /^\[reconnection-grace-time\]/, /^\[Service Worker\]/,
  /^Updating additional builtin extensions cache/, /^\[AgentHost:/, /^\[AccountPolicyGate\]/,
  /authentication provider '?github'? to register/, /ENOTFOUND open-vsx\.org/, /vsda/,
];

(async () => {
  session.prepare(fixture, 'vscode-e2e-');
  // enables the URL payload (extensionDevelopmentPath/extensionTestsPath) and window.codeAutomationExit
  await session.start(['--vscode-option', 'enable-smoke-test-driver']);
  const { authority, ws } = session;
  const page = await session.openPage();
  let exitCode = 1;
  let finish;
  const finished = new Promise((resolve) => { finish = resolve; });
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const parts = [].concat(args);
    const text = parts.map(String).join(' ');
    if (!process.env.VERBOSE && NOISE.some((re) => re.test(text))) return;
    (type === 'error' ? console.error : console.log)(...parts);
  });
  await page.exposeFunction('codeAutomationExit', (code) => { exitCode = code; finish('exit'); });
  page.on('crash', () => { log('chromium page crashed'); finish('crash'); });
  session.server.once('exit', (c, s) => { if (!session.stopping) { log(`code-server exited unexpectedly (${c ?? s})`); finish('server-exit'); } });

  const remote = (p) => `vscode-remote://${authority}${p}`;
  const payload = JSON.stringify([
    ['extensionDevelopmentPath', remote(devPath)], ['extensionTestsPath', remote(testsPath)],
    ['skipWelcome', 'true'], ['skipReleaseNotes', 'true'],
  ]);
  log(`workbench: folder=${ws} extensionDevelopmentPath=${devPath} extensionTestsPath=${testsPath}`);
  await page.goto(`http://${authority}/?folder=${encodeURIComponent(ws)}&payload=${encodeURIComponent(payload)}`);
  let timer;
  const how = await Promise.race([finished, new Promise((r) => { timer = setTimeout(() => r('timeout'), timeoutMs); })]);
  clearTimeout(timer);
  if (how === 'timeout') { log(`TIMEOUT after ${timeoutMs} ms waiting for the extension host`); exitCode = 124; }
  else if (how !== 'exit') exitCode = 1;
  log(`extension host finished, exit code ${exitCode}`);
  if (exitCode !== 0) {
    fs.mkdirSync(shotDir, { recursive: true });
    const shot = path.join(shotDir, 'e2e-failure.png');
    await page.screenshot({ path: shot }).then(() => log('screenshot:', shot), () => {});
  }
  await session.cleanup(); // stop first: the extension host flushes its log files when it exits
  if (session.interrupted) return; // the signal handler exits
  if (exitCode !== 0) {
    session.dumpLogs();
    log(`temp dir kept: ${session.tmp}`);
  }
  if (exitCode === 0 && !process.env.KEEP_TMP) session.removeTmp();
  process.exit(exitCode);
})().catch(async (e) => {
  if (session.interrupted) return;
  console.error(e);
  await session.cleanup();
  if (session.tmp) log(`temp dir kept: ${session.tmp}`);
  process.exit(1);
});
