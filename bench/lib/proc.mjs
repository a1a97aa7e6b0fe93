// Runs a command to completion for the CLI benchmark and measures its wall time and peak RSS: with GNU time
// (`/usr/bin/time -v`, which reports the peak of the process tree's largest member) when present, else by polling
// /proc/<pid>/status (VmHWM) of the direct child.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { nowMs } from './lsp.mjs';

const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/**
 * Runs `command args` with stdout discarded (counted) and stderr kept (tail). Resolves with
 * { wallMs, peakRssMb, code, stdoutBytes, stderrTail, timedOut }.
 */
export function measure(command, args, { cwd, timeoutMs = 600_000 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'mg-bench-time-'));
  const timeFile = join(dir, 'time.txt');
  const argv = GNU_TIME ? ['-v', '-o', timeFile, command, ...args] : args;
  const exe = GNU_TIME ?? command;
  return new Promise((resolve) => {
    const start = nowMs();
    const child = spawn(exe, argv, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdoutBytes = 0;
    let stderr = '';
    let polledKb = 0;
    let timedOut = false;
    child.stdout.on('data', (d) => (stdoutBytes += d.length));
    child.stderr.on('data', (d) => {
      stderr += d.toString();
      if (stderr.length > 200_000) stderr = stderr.slice(-100_000);
    });
    const poll = GNU_TIME
      ? undefined
      : setInterval(() => {
          try {
            const s = readFileSync(`/proc/${child.pid}/status`, 'utf8');
            polledKb = Math.max(polledKb, Number(/VmHWM:\s+(\d+)/.exec(s)?.[1] ?? 0));
          } catch {
            /* exited */
          }
        }, 20);
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code, signal) => {
      const wallMs = nowMs() - start;
      clearTimeout(timer);
      if (poll) clearInterval(poll);
      let peakKb = polledKb;
      let exit = code;
      if (GNU_TIME && existsSync(timeFile)) {
        const t = readFileSync(timeFile, 'utf8');
        peakKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(t)?.[1] ?? 0);
        const st = /Exit status: (\d+)/.exec(t);
        if (st) exit = Number(st[1]);
        else if (/Command terminated by signal (\d+)/.test(t)) exit = `signal ${/signal (\d+)/.exec(t)[1]}`;
      }
      rmSync(dir, { recursive: true, force: true });
      resolve({ wallMs, peakRssMb: peakKb / 1024, code: signal ? `signal ${signal}` : exit, stdoutBytes, stderrTail: stderr.slice(-4000), timedOut });
    });
  });
}
