import { readFileSync } from 'node:fs';
/**
 * memcached servers for the tests: started on free loopback ports, restartable on the same
 * port, stopped in afterAll. Plus a raw text-protocol peek, independent of the store under test.
 */
import { Socket } from 'node:net';
import {
  getFreePort,
  startAll,
  startServer,
  type TestServer,
} from './server-process.js';

/** A running memcached. */
export interface MemcachedTestServer {
  readonly port: number;
  /** `127.0.0.1:PORT`. */
  readonly address: string;
  /** Kill it (SIGKILL by default: a crash, nothing flushed). Idempotent. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Start it again on the same port (empty, as memcached keeps nothing). */
  restart(): Promise<void>;
  /** SIGSTOP / SIGCONT: the port stays open but nothing answers (a black hole). */
  /** SIGSTOP, resolved once the kernel reports the process stopped (state T). */
  pause(): Promise<void>;
  resume(): void;
}

/** Start one memcached (`-U 0`, `-u root` when running as root), plus `extraArgs` (e.g. `-I 64m`). */
export async function startMemcached(
  extraArgs: readonly string[] = [],
): Promise<MemcachedTestServer> {
  const port = await getFreePort();
  const args = [
    '-l',
    '127.0.0.1',
    '-p',
    String(port),
    '-U',
    '0',
    ...(process.getuid?.() === 0 ? ['-u', 'root'] : []),
    ...extraArgs,
  ];
  const spawn = (): Promise<TestServer> =>
    startServer({ command: 'memcached', args, port });
  let server = await spawn();
  return {
    port,
    address: `127.0.0.1:${port}`,
    stop: (signal: NodeJS.Signals = 'SIGKILL') => server.stop(signal),
    async restart() {
      await server.stop('SIGKILL');
      server = await spawn();
    },
    pause: async () => {
      server.process.kill('SIGSTOP');
      const stat = `/proc/${server.process.pid}/stat`;
      const end = Date.now() + 10_000; // a deadline, not a count: a loaded machine is slow
      while (Date.now() < end) {
        // Field 3 of /proc/<pid>/stat is the state; T = stopped.
        if (/^\d+ \(.*\) T /.test(readFileSync(stat, 'utf8'))) return;
        await new Promise((r) => setTimeout(r, 5));
      }
      throw new Error('memcached did not stop');
    },
    resume: () => void server.process.kill('SIGCONT'),
  };
}

/** Start `n` servers in parallel (none left running when one fails to start). */
export function startMemcacheds(n: number): Promise<MemcachedTestServer[]> {
  return startAll(
    Array.from({ length: n }, () => startMemcached()),
    (m) => m.stop(),
  );
}

/**
 * Send raw text-protocol bytes on a fresh connection and collect the reply until `done` says it
 * is complete (default: the reply ends with CRLF).
 */
export function rawMemcached(
  port: number,
  command: string | Buffer,
  done: (reply: Buffer) => boolean = (r) =>
    r.toString('latin1').endsWith('\r\n'),
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const s = new Socket();
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      s.destroy();
      reject(
        new Error(
          `raw memcached: no complete reply to ${String(command).slice(0, 60)}`,
        ),
      );
    }, 5000);
    s.on('data', (d: Buffer) => {
      chunks.push(d);
      const all = Buffer.concat(chunks);
      if (done(all)) {
        clearTimeout(timer);
        s.destroy();
        resolve(all);
      }
    });
    s.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    s.connect(port, '127.0.0.1', () => s.write(command));
  });
}

/** A raw `get`: bytes and flags of one key, or null. */
export async function rawGet(
  port: number,
  key: string,
): Promise<{ flags: number; data: Buffer } | null> {
  const reply = await rawMemcached(port, `get ${key}\r\n`, (r) =>
    r.toString('latin1').endsWith('END\r\n'),
  );
  const text = reply.toString('latin1');
  if (text === 'END\r\n') return null;
  const m = /^VALUE \S+ (\d+) (\d+)\r\n/.exec(text);
  if (!m) throw new Error(`raw get ${key}: ${text.slice(0, 80)}`);
  const start = m[0].length;
  return {
    flags: Number(m[1]),
    data: reply.subarray(start, start + Number(m[2])),
  };
}

/** Remaining TTL of a key as memcached reports it (`mg key t`): -1 = never, null = missing. */
export async function rawTtl(
  port: number,
  key: string,
): Promise<number | null> {
  const text = (
    await rawMemcached(port, `mg ${key} t\r\n`, (r) =>
      r.toString('latin1').endsWith('\r\n'),
    )
  ).toString('latin1');
  if (text.startsWith('EN')) return null;
  const m = /^HD t(-?\d+)\r\n$/.exec(text);
  if (!m) throw new Error(`raw mg ${key}: ${text}`);
  return Number(m[1]);
}
