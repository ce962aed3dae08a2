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

/** The Celery version an interpreter imports, or null. */
function celeryOf(python) {
  const r = spawnSync(
    python,
    ['-c', 'import celery; print(celery.__version__)'],
    {
      encoding: 'utf8',
    },
  );
  return r.status === 0 ? r.stdout.trim() : null;
}

/**
 * The Celery versions the benches compare with, in the same run: Debian's 5.2.6 and 5.6.3 from
 * .cache/celery (scripts/install-celery-versions.sh), those that are importable. Each is
 * `{ version, python }`.
 */
export const CELERY_RUNTIMES = [
  { version: '5.2.6', python: PYTHON },
  {
    version: '5.6.3',
    python: new URL('../../.cache/celery/5.6.3/python', import.meta.url)
      .pathname,
  },
].filter((r) => celeryOf(r.python) === r.version);

/** True when Debian's Python can import Celery 5.2.6. */
export const HAS_CELERY = CELERY_RUNTIMES.some((r) => r.python === PYTHON);

/** The note a bench prints for the Celery versions it could not compare with. */
export function missingCeleryNote() {
  const have = new Set(CELERY_RUNTIMES.map((r) => r.version));
  const missing = ['5.2.6', '5.6.3'].filter((v) => !have.has(v));
  return missing.length
    ? `\nNot importable here, so not compared: Celery ${missing.join(', ')} (run scripts/install-test-deps.sh).\n`
    : '';
}

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

/**
 * Run a Python snippet (default: Debian's python, Celery 5.2.6; or `py`, e.g. a
 * CELERY_RUNTIMES entry's python); returns parsed JSON from its last stdout line.
 */
export function python(code, env = {}, py = PYTHON) {
  return new Promise((resolve, reject) => {
    const child = spawn(py, ['-c', code], {
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
