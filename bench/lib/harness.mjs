// Shared benchmark helpers (plain ESM JS, run against the built library). Server processes
// start through the tests' helpers (test/support/server-process.ts), compiled by
// `npm run bench` (`tsc -p bench/tsconfig.json`) into dist/bench-support.
import { spawn, spawnSync } from 'node:child_process';
import {
  getFreePort,
  startServer,
  waitForPort,
} from '../../dist/bench-support/test/support/server-process.js';

export const PYTHON = process.env.CELERY_PYTHON ?? '/usr/bin/python3';
export const HAS_CELERY =
  spawnSync(PYTHON, ['-c', 'import celery'], { stdio: 'ignore' }).status === 0;

/** Free loopback port (the tests' helper). */
export const freePort = getFreePort;

/** Wait for a TCP port (the tests' helper). */
export { waitForPort };

/**
 * Spawn a server process with the tests' `startServer` (waits for its port, SIGTERM then
 * SIGKILL on stop); returns { port, child, stop() }.
 */
export async function startProcess(command, args, port, opts = {}) {
  const server = await startServer({
    command,
    args,
    port,
    cwd: opts.cwd,
    env: opts.env,
  });
  return { port, child: server.process, stop: () => server.stop() };
}

/** Run `fn` `n` times with `concurrency` in flight; returns ops/s. */
export async function opsPerSec(n, concurrency, fn) {
  let next = 0;
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await fn(next++);
    }),
  );
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  return n / s;
}

/** Percentile of a numeric array (copy sorted). */
export function percentile(values, p) {
  const v = [...values].sort((a, b) => a - b);
  return v[Math.min(v.length - 1, Math.floor((p / 100) * v.length))];
}

/** Run a Python snippet with Debian's python; returns parsed JSON from its last stdout line. */
export function python(code, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, ['-c', code], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => {
      if (code !== 0)
        return reject(new Error(`python exited ${code}: ${err.slice(-2000)}`));
      resolve(JSON.parse(out.trim().split('\n').pop()));
    });
  });
}

/** Markdown table from rows of objects (columns from the first row). */
export function table(rows) {
  if (rows.length === 0) return '_no rows_\n';
  const cols = Object.keys(rows[0]);
  const fmt = (v) =>
    typeof v === 'number'
      ? Math.abs(v) >= 100
        ? v.toFixed(0)
        : v.toFixed(2)
      : String(v);
  return (
    [
      `| ${cols.join(' | ')} |`,
      `| ${cols.map(() => '---').join(' | ')} |`,
      ...rows.map((r) => `| ${cols.map((c) => fmt(r[c])).join(' | ')} |`),
    ].join('\n') + '\n'
  );
}
