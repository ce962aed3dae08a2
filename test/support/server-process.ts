/**
 * Test servers started by the tests themselves, on free loopback ports, and stopped
 * afterwards. Never depends on a server someone else started.
 *
 * A missing server binary is handled by the one skip gate, `skip-gate.ts`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Moved to `skip-gate.ts` (import it from there); kept here for branches in flight. */
export { describeWithServer } from './skip-gate.js';

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

/**
 * Poll `probe` every 50 ms until it returns a value other than `undefined` (errors count as
 * "not yet"); reject after `ms` naming `what` and the last error.
 */
export async function pollUntil<T>(
  what: string,
  ms: number,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end)
      throw new Error(
        `${what}: not reached in ${ms} ms (${last instanceof Error ? last.message : ''})`,
      );
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Run a command to its end; resolves with its output, rejects when it exits non-zero. */
export function runToEnd(
  command: string,
  args: readonly string[],
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0
        ? resolve(out)
        : reject(new Error(`${command} exited ${code}:\n${out}`)),
    );
  });
}

/**
 * Server processes that live and die together around one temp dir: each keyed by its port,
 * each stoppable and restartable on its port, all stopped (SIGKILL) and the dir removed by
 * `stop()`, which is idempotent. Used by every multi-process or temp-dir test server.
 */
export interface ServerGroup {
  /** The group's temp dir (config and data files). */
  readonly dir: string;
  /** Start (or start again) the server on `port` with `launch`, remembering how to restart it. */
  start(port: number, launch: () => Promise<TestServer>): Promise<TestServer>;
  /** The running (or last) process on `port`. */
  get(port: number): TestServer | undefined;
  /** Whether the process on `port` is running. */
  running(port: number): boolean;
  /** Stop the process on `port` (SIGKILL by default: a crash). */
  stopOne(port: number, signal?: NodeJS.Signals): Promise<void>;
  /** Start the process on `port` again with the launcher it was started with. */
  restart(port: number): Promise<TestServer>;
  /** Stop everything and remove the dir. Idempotent. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** A {@link ServerGroup} in a fresh temp dir named `<prefix>XXXXXX`. */
export async function startServerGroup(prefix: string): Promise<ServerGroup> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const servers = new Map<number, TestServer>();
  const launchers = new Map<number, () => Promise<TestServer>>();
  let stopped: Promise<void> | undefined;
  const group: ServerGroup = {
    dir,
    async start(port, launch) {
      launchers.set(port, launch);
      const server = await launch();
      servers.set(port, server);
      return server;
    },
    get: (port) => servers.get(port),
    running(port) {
      const p = servers.get(port)?.process;
      return !!p && p.exitCode === null && p.signalCode === null;
    },
    stopOne: (port, signal = 'SIGKILL') =>
      servers.get(port)?.stop(signal) ?? Promise.resolve(),
    restart(port) {
      const launch = launchers.get(port);
      if (!launch) throw new Error(`no server was started on ${port}`);
      return group.start(port, launch);
    },
    stop(signal = 'SIGKILL') {
      stopped ??= (async () => {
        await Promise.all([...servers.values()].map((s) => s.stop(signal)));
        await rm(dir, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
  return group;
}
