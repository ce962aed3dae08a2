/**
 * Test servers started by the tests themselves, on free loopback ports, and stopped
 * afterwards. Never depends on a server someone else started.
 *
 * Policy for a missing server binary: locally the suite is skipped with a loud message;
 * with CI=true it fails.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, Socket } from 'node:net';

/** True when running under CI (missing servers must fail, not skip). */
export const IN_CI = process.env.CI === 'true' || process.env.CI === '1';

/** A free TCP port on 127.0.0.1 (bind port 0, read it, release it). */
export async function getFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Resolve once something accepts TCP connections on host:port, or reject after timeoutMs. */
export async function waitForPort(
  port: number,
  timeoutMs = 15000,
  host = '127.0.0.1',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = new Socket();
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => {
        s.destroy();
        resolve(false);
      });
      s.connect(port, host);
    });
    if (ok) return;
    if (Date.now() > deadline)
      throw new Error(
        `nothing listening on ${host}:${port} after ${timeoutMs} ms`,
      );
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Whether an executable can be found (absolute path, or on PATH). */
export function hasBinary(bin: string): boolean {
  if (bin.includes('/')) return existsSync(bin);
  return (
    spawnSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' }).status ===
    0
  );
}

/**
 * `describe` when the binaries exist; otherwise skip loudly (locally) or fail (CI=true).
 * Use: `describeWithServer(['redis-server'], 'redis store', () => { ... })`.
 */
export function describeWithServer(
  bins: readonly string[],
  name: string,
  fn: () => void,
): void {
  const missing = bins.filter((b) => !hasBinary(b));
  if (missing.length === 0) {
    describe(name, fn);
    return;
  }
  const msg = `!!! ${name}: missing ${missing.join(', ')}; install it (see README) to run this suite`;
  if (IN_CI) {
    describe(name, () => {
      it('has its test server installed', () => {
        throw new Error(msg);
      });
    });
  } else {
    console.warn(`\n${msg}\n`);
    describe.skip(name, fn);
  }
}

/**
 * `Promise.all` for servers started in parallel, except that it waits for every start to
 * settle before rejecting: a caller's cleanup then sees every server that did start (with
 * `Promise.all`, one failure left the others starting unseen, and running after the suite).
 * `stop` is called on each server that started when another failed.
 */
export async function startAll<T>(
  starts: readonly Promise<T>[],
  stop: (started: T) => Promise<unknown> = async () => undefined,
): Promise<T[]> {
  const settled = await Promise.allSettled(starts);
  const started: T[] = [];
  let failure: { reason: unknown } | undefined;
  for (const s of settled) {
    if (s.status === 'fulfilled') started.push(s.value);
    else failure ??= { reason: s.reason };
  }
  if (!failure) return started;
  await Promise.allSettled(started.map((s) => stop(s)));
  throw failure.reason;
}

/** A child server process with its port. */
export interface TestServer {
  readonly port: number;
  readonly process: ChildProcess;
  /** Recent output, for failure messages. */
  output(): string;
  /** SIGTERM then SIGKILL after 3 s; resolves when the process exited. Idempotent. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Options of {@link startServer}. */
export interface StartServerOptions {
  readonly command: string;
  readonly args: readonly string[];
  readonly port: number;
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Extra readiness check after the port accepts connections. */
  readonly ready?: () => Promise<void>;
  readonly timeoutMs?: number;
}

/** Spawn a server and wait until its port accepts connections. */
export async function startServer(
  opts: StartServerOptions,
): Promise<TestServer> {
  const child = spawn(opts.command, [...opts.args], {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (d: Buffer): void => {
    out = (out + d.toString()).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => resolve()),
  );
  let exitedEarly = false;
  void exited.then(() => {
    exitedEarly = true;
  });
  const server: TestServer = {
    port: opts.port,
    process: child,
    output: () => out,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      const t = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(t);
    },
  };
  try {
    await Promise.race([
      waitForPort(opts.port, opts.timeoutMs ?? 20000),
      exited.then(() => {
        throw new Error(`${opts.command} exited early:\n${out}`);
      }),
    ]);
    if (opts.ready) await opts.ready();
  } catch (e) {
    await server.stop('SIGKILL');
    throw e;
  }
  if (exitedEarly) throw new Error(`${opts.command} exited:\n${out}`);
  return server;
}
