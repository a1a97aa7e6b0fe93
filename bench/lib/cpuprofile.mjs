// Reads a V8 `.cpuprofile` of the CLI and splits its samples into parsing (libpg-query's parse/scan calls, WASM and
// JSON decoding included), start-up/idle, and everything else by source module (from esbuild's `// path` comments in
// an unminified bundle), so the analysis overhead can be stated as a multiple of the parse time.
import { readFileSync } from 'node:fs';

/** Entry points of libpg-query whose inclusive time counts as parsing. */
const PARSE_ENTRIES = new Set(['parseSync', 'scanSync', 'parsePlPgSQLSync']);

/** Maps a bundle line (1-based) to the source module esbuild emitted there. */
function moduleMap(bundlePath) {
  const starts = [];
  const lines = readFileSync(bundlePath, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^\/\/ (?:[./]*work\/main\/)?((?:node_modules|server|client|test)\/\S+)$/.exec(lines[i]);
    if (m) starts.push([i + 1, m[1]]);
  }
  return (line) => {
    let lo = 0;
    let hi = starts.length - 1;
    let found = '(bundle preamble)';
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid][0] <= line) {
        found = starts[mid][1];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  };
}

/** Removes esbuild's de-duplication suffixes (`parseSync3` → `parseSync`). */
const baseName = (name) => name.replace(/\d+$/, '');

/**
 * Summarises a profile. Returns total/parse/other milliseconds, the top self-time functions outside parsing, and the
 * time per source module outside parsing.
 */
export function summarizeProfile(profilePath, bundlePath, top = 15) {
  const profile = JSON.parse(readFileSync(profilePath, 'utf8'));
  const moduleAt = moduleMap(bundlePath);
  const bundleName = `/${bundlePath.split('/').pop()}`;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  // Classify each node once: inside a parse call (any ancestor is a libpg-query parse entry) or not.
  const inParse = new Map();
  const classify = (id) => {
    if (inParse.has(id)) return inParse.get(id);
    const n = byId.get(id);
    const fn = n.callFrame;
    let v;
    if (PARSE_ENTRIES.has(baseName(fn.functionName)) && (fn.url.endsWith(bundleName) || /libpg-query/.test(fn.url))) v = true;
    else v = parent.has(id) ? classify(parent.get(id)) : false;
    inParse.set(id, v);
    return v;
  };

  const dt = profile.timeDeltas;
  const selfMs = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    selfMs.set(id, (selfMs.get(id) ?? 0) + (dt[i] ?? 0) / 1000);
  }

  let parseMs = 0;
  let idleMs = 0;
  let gcMs = 0;
  let otherMs = 0;
  const fnSelf = new Map();
  const modSelf = new Map();
  for (const [id, ms] of selfMs) {
    const n = byId.get(id);
    const fn = n.callFrame;
    if (fn.functionName === '(idle)' || fn.functionName === '(program)') {
      idleMs += ms;
      continue;
    }
    if (fn.functionName === '(garbage collector)') {
      gcMs += ms;
      continue;
    }
    if (classify(id)) {
      parseMs += ms;
      continue;
    }
    otherMs += ms;
    const inBundle = fn.url.endsWith(bundleName);
    const mod = inBundle ? moduleAt(fn.lineNumber + 1) : fn.url ? fn.url.replace(/^.*\/node_modules\//, '') : '(native)';
    const key = `${fn.functionName || '(anonymous)'} ${mod}:${fn.lineNumber + 1}`;
    fnSelf.set(key, (fnSelf.get(key) ?? 0) + ms);
    modSelf.set(mod, (modSelf.get(mod) ?? 0) + ms);
  }
  const sorted = (m) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, v]) => ({ name: k, ms: Math.round(v) }));
  return {
    totalMs: Math.round((profile.endTime - profile.startTime) / 1000),
    parseMs: Math.round(parseMs),
    otherMs: Math.round(otherMs),
    gcMs: Math.round(gcMs),
    idleMs: Math.round(idleMs),
    topFunctions: sorted(fnSelf),
    topModules: sorted(modSelf),
  };
}
