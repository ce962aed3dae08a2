/**
 * Redis test helpers: a throwaway redis-server on a free loopback port (no persistence),
 * restartable on the same port; a recording logger, stores, raw clients, MONITOR capture and
 * the Celery Redis vectors.
 */
import type { RedisBackendConfig } from '../../libs/result-backend/src/stores/redis/redis.options.js';
import type { LoggerService } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { createRedisStore } from '../../libs/result-backend/src/stores/redis/redis.store.js';
import type { RedisResultStore } from '../../libs/result-backend/src/stores/redis/redis-result.store.js';
import { getFreePort, startServer, type TestServer } from './server-process.js';
import { celeryVectors, vectorFileText } from './celery-vectors.js';

/** Flags every test redis-server gets: loopback only, no persistence, in the foreground. */
export const REDIS_NODE_ARGS: readonly string[] = [
  '--bind',
  '127.0.0.1',
  '--save',
  '',
  '--appendonly',
  'no',
  '--daemonize',
  'no',
];

/** One short-lived plain connection to a node (no retries), closed after `fn`. */
export async function withRedisNode<T>(
  port: number,
  fn: (c: Redis) => Promise<T>,
  /** The node's `requirepass`, if any. */
  password?: string,
): Promise<T> {
  const c = new Redis({
    host: '127.0.0.1',
    port,
    password,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  try {
    await c.connect();
    return await fn(c);
  } finally {
    c.disconnect();
  }
}

/** A running test redis-server. */
export interface TestRedis {
  /** `redis://127.0.0.1:<port>/0` */
  readonly url: string;
  readonly port: number;
  /** The current process (changes after restart()). */
  readonly server: TestServer;
  /** Stop it (SIGTERM, then SIGKILL). Idempotent. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Kill it (default SIGKILL: no goodbye to clients) and start a fresh, empty one on the same port. */
  restart(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Start `redis-server --port P --bind 127.0.0.1 --save '' --appendonly no`, optionally also
 * listening on a unix socket.
 */
export async function startRedis(
  opts: {
    unixSocket?: string;
    /** TLS only: the port speaks TLS (plain TCP off); files are PEM paths. */
    tls?: { cert: string; key: string; ca: string; authClients: boolean };
    /** More redis-server flags, e.g. `['--requirepass', 'secret']`. */
    extraArgs?: readonly string[];
  } = {},
): Promise<TestRedis> {
  const port = await getFreePort();
  const ports = opts.tls
    ? ['--port', '0', '--tls-port', String(port)]
    : ['--port', String(port)];
  // A file name of its own: a replica (Sentinel suites) writes `dump.rdb` into the working
  // directory, and a server started there later would load its keys.
  const dbFile = ['--dbfilename', `test-redis-${randomUUID()}.rdb`];
  const args = [
    ...ports,
    ...REDIS_NODE_ARGS,
    ...dbFile,
    ...(opts.extraArgs ?? []),
  ];
  if (opts.unixSocket)
    args.push('--unixsocket', opts.unixSocket, '--unixsocketperm', '700');
  if (opts.tls) {
    args.push('--tls-cert-file', opts.tls.cert, '--tls-key-file', opts.tls.key);
    args.push('--tls-ca-cert-file', opts.tls.ca);
    args.push('--tls-auth-clients', opts.tls.authClients ? 'yes' : 'no');
  }
  const spawnIt = (): Promise<TestServer> =>
    startServer({ command: 'redis-server', args, port });
  let server = await spawnIt();
  return {
    url: `${opts.tls ? 'rediss' : 'redis'}://127.0.0.1:${port}/0`,
    port,
    get server() {
      return server;
    },
    stop: (signal) => server.stop(signal),
    async restart(signal: NodeJS.Signals = 'SIGKILL') {
      await server.stop(signal);
      server = await spawnIt();
    },
  };
}

/** Logger that keeps every line, debug included (to assert that no secret is ever logged). */
export class RecordingLogger implements LoggerService {
  readonly lines: string[] = [];
  log(m: unknown): void {
    this.lines.push(String(m));
  }
  warn(m: unknown): void {
    this.lines.push(String(m));
  }
  error(m: unknown): void {
    this.lines.push(String(m));
  }
  debug(m: unknown): void {
    this.lines.push(String(m));
  }
  verbose(m: unknown): void {
    this.lines.push(String(m));
  }
}

/** A RedisBackendConfig for a loopback test server. */
export function redisConfig(
  port: number,
  extra: Partial<RedisBackendConfig> = {},
): RedisBackendConfig {
  return { kind: 'redis', host: '127.0.0.1', port, db: 0, query: {}, ...extra };
}

/** A store on a test server (the concrete class, so tests can reach its internals). */
export async function openStore(
  config: RedisBackendConfig,
  logger: LoggerService = new RecordingLogger(),
): Promise<RedisResultStore> {
  return (await createRedisStore(config, {
    logger,
    pollIntervalMs: 500,
  })) as RedisResultStore;
}

/** A plain ioredis connection for checking the server from the side. */
export function rawClient(port: number, db = 0): Redis {
  return new Redis({
    host: '127.0.0.1',
    port,
    db,
    lazyConnect: false,
    maxRetriesPerRequest: 3,
  });
}

/** One MONITOR line as ioredis reports it. */
export interface MonitorLine {
  readonly args: string[];
  readonly source: string;
  readonly db: number;
}

/**
 * Run MONITOR on its own connection; `lines` fills up until `stop()` (idempotent), which first
 * waits until every command sent before it has been seen.
 */
export async function startMonitor(
  port: number,
): Promise<{ lines: MonitorLine[]; stop(): Promise<void> }> {
  const c = rawClient(port);
  const monitor = await c.monitor();
  const lines: MonitorLine[] = [];
  monitor.on(
    'monitor',
    (_time: string, args: string[], source: string, db: string) => {
      lines.push({ args, source, db: Number(db) });
    },
  );
  let stopped: Promise<void> | undefined;
  const settle = async (): Promise<void> => {
    // MONITOR lines arrive on their own socket, maybe after the reply of the command they
    // show: a mark echoed last is seen once every earlier command was delivered.
    const mark = `monitor-mark-${randomUUID()}`;
    await c.echo(mark);
    await eventually(() => lines.some((l) => l.args[1] === mark));
    lines.splice(
      lines.findIndex((l) => l.args[1] === mark),
      1,
    );
  };
  return {
    lines,
    stop() {
      stopped ??= (async () => {
        try {
          if (c.status === 'ready') await settle();
        } finally {
          monitor.disconnect();
          c.disconnect();
        }
      })();
      return stopped;
    },
  };
}

/** Wait (polling, 20 ms steps) until `check` returns true, or throw after `ms`. */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  ms = 5000,
): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** One stored item of a vector. */
export interface StoredItem {
  readonly key: string;
  readonly file: string;
  readonly raw_text?: string;
  readonly ttl: number | null;
  readonly redis_type?: string;
  readonly members?: { raw_text: string; score: number }[];
}

/** One manifest vector (the fields these tests use). */
export interface Vector {
  readonly vector: string;
  readonly backend: string;
  readonly mode: string;
  readonly scenario: string;
  readonly stored: StoredItem[];
  readonly published?: { channel: string; raw_text?: string }[];
}

/** The Redis vectors of the manifest. */
export function redisVectors(): Vector[] {
  return celeryVectors<Vector>().vectors.filter((v) => v.backend === 'redis');
}

/** Exact bytes of a stored item (from the file when the manifest left them out). */
export function storedText(item: StoredItem): string {
  return item.raw_text ?? vectorFileText(item.file);
}

/** Celery's command sequence for one key from a vector MONITOR.txt (`db0 connN CMD key ...`). */
export function celeryCommandsFor(
  monitorFile: string,
  key: string,
): string[][] {
  return vectorFileText(monitorFile)
    .split('\n')
    .map((l) => l.split(' '))
    .filter((parts) => parts.length >= 3)
    .map((parts) => parts.slice(2))
    .filter((cmd) => cmd[1] === key || cmd[0] === 'MULTI' || cmd[0] === 'EXEC');
}

/**
 * Commands of a vector MONITOR.txt (`db0 connN CMD args…`, prefix dropped) whose line mentions
 * `text`, plus the MULTI/EXEC lines right around them, in file order.
 */
export function celeryLinesMentioning(
  monitorFile: string,
  text: string,
): string[] {
  const lines = vectorFileText(monitorFile)
    .split('\n')
    .map((l) => l.split(' ').slice(2).join(' '));
  return lines.filter(
    (l, i) =>
      l.includes(text) ||
      (l === 'MULTI' && (lines[i + 1] ?? '').includes(text)) ||
      (l === 'EXEC' && (lines[i - 1] ?? '').includes(text)),
  );
}
