/**
 * A throwaway Redis Sentinel deployment on loopback: one master, one replica and three
 * sentinels (`redis-server <conf> --sentinel`), each on a free port, config files in a temp
 * dir. Low `down-after-milliseconds` / `failover-timeout` so failovers take a few seconds.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import {
  getFreePort,
  startAll,
  startServer,
  type TestServer,
} from './server-process.js';

/** The master name the sentinels monitor. */
export const MASTER_NAME = 'mymaster';

/** A running sentinel deployment. */
export interface TestSentinels {
  /** `sentinel://127.0.0.1:S1;sentinel://127.0.0.1:S2;sentinel://127.0.0.1:S3?master_name=mymaster` */
  readonly url: string;
  readonly sentinelPorts: readonly number[];
  /** Data node ports (master first at start; roles change with failovers). */
  readonly dataPorts: readonly number[];
  /** Port of the master as the sentinels currently see it. */
  masterPort(): Promise<number>;
  /** The data node process listening on `port`. */
  node(port: number): TestServer;
  /** Stop a data node (SIGKILL by default: a crash). */
  stopNode(port: number, signal?: NodeJS.Signals): Promise<void>;
  /** Start a stopped data node again on the same port (sentinels turn it into a replica). */
  restartNode(port: number): Promise<void>;
  /** `SENTINEL FAILOVER mymaster` on the first sentinel. */
  failover(): Promise<void>;
  /** Resolve once every sentinel names a master other than `oldPort` that answers as a master. */
  waitForNewMaster(oldPort: number, ms?: number): Promise<number>;
  /** Resolve once the master at `port` has one replica online (e.g. a demoted master converted). */
  waitForReplica(port: number, ms?: number): Promise<void>;
  /** Stop every process and remove the temp dir. Idempotent. */
  stop(): Promise<void>;
}

const DATA_ARGS = [
  '--bind',
  '127.0.0.1',
  '--save',
  '',
  '--appendonly',
  'no',
  '--daemonize',
  'no',
];

/** One short-lived command connection to a server. */
async function withClient<T>(
  port: number,
  fn: (c: Redis) => Promise<T>,
): Promise<T> {
  const c = new Redis({
    host: '127.0.0.1',
    port,
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

async function poll<T>(
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

/** Start master + replica, then three sentinels, and wait until they all know each other. */
export async function startSentinels(): Promise<TestSentinels> {
  const dir = await mkdtemp(join(tmpdir(), 'rb-sentinel-'));
  const [masterPort, replicaPort, ...sentinelPorts] = await Promise.all(
    Array.from({ length: 5 }, () => getFreePort()),
  );
  const nodes = new Map<number, TestServer>();
  const sentinels: TestServer[] = [];
  const argsOf = (port: number): string[] =>
    port === replicaPort
      ? [
          '--port',
          String(port),
          ...DATA_ARGS,
          '--replicaof',
          '127.0.0.1',
          String(masterPort),
        ]
      : ['--port', String(port), ...DATA_ARGS];
  const startNode = async (port: number): Promise<void> => {
    nodes.set(
      port,
      await startServer({ command: 'redis-server', args: argsOf(port), port }),
    );
  };
  const stopAll = async (): Promise<void> => {
    await Promise.all(
      [...sentinels, ...nodes.values()].map((s) => s.stop('SIGKILL')),
    );
    await rm(dir, { recursive: true, force: true });
  };
  try {
    // startAll: every start settles before stopAll, so none is left running
    await startAll([startNode(masterPort), startNode(replicaPort)]);
    await startAll(
      sentinelPorts.map(async (port) => {
        const conf = join(dir, `sentinel-${port}.conf`);
        await writeFile(
          conf,
          [
            `port ${port}`,
            'bind 127.0.0.1',
            `dir ${dir}`,
            `sentinel monitor ${MASTER_NAME} 127.0.0.1 ${masterPort} 2`,
            `sentinel down-after-milliseconds ${MASTER_NAME} 500`,
            `sentinel failover-timeout ${MASTER_NAME} 3000`,
            `sentinel parallel-syncs ${MASTER_NAME} 1`,
            '',
          ].join('\n'),
        );
        sentinels.push(
          await startServer({
            command: 'redis-server',
            args: [conf, '--sentinel'],
            port,
          }),
        );
      }),
    );
    // Replica in sync, and every sentinel knows the replica and the two other sentinels.
    await poll('replica link up', 15000, () =>
      withClient(replicaPort, async (c) =>
        String(await c.info('replication')).includes('master_link_status:up')
          ? true
          : undefined,
      ),
    );
    await Promise.all(
      sentinelPorts.map((port) =>
        poll(`sentinel ${port} discovery`, 20000, () =>
          withClient(port, async (c) => {
            const raw = (await c.call(
              'SENTINEL',
              'MASTER',
              MASTER_NAME,
            )) as string[];
            const info = new Map<string, string>();
            for (let i = 0; i + 1 < raw.length; i += 2)
              info.set(raw[i], raw[i + 1]);
            return info.get('num-slaves') === '1' &&
              info.get('num-other-sentinels') === '2'
              ? true
              : undefined;
          }),
        ),
      ),
    );
  } catch (err) {
    await stopAll();
    throw err;
  }

  const masterAddr = (port: number): Promise<number> =>
    withClient(port, async (c) => {
      const [, p] = (await c.call(
        'SENTINEL',
        'GET-MASTER-ADDR-BY-NAME',
        MASTER_NAME,
      )) as [string, string];
      return Number(p);
    });
  let stopped: Promise<void> | undefined;
  return {
    url: `${sentinelPorts.map((p) => `sentinel://127.0.0.1:${p}`).join(';')}?master_name=${MASTER_NAME}`,
    sentinelPorts,
    dataPorts: [masterPort, replicaPort],
    masterPort: () => masterAddr(sentinelPorts[0]),
    node(port) {
      const n = nodes.get(port);
      if (!n) throw new Error(`no data node on ${port}`);
      return n;
    },
    stopNode: (port, signal = 'SIGKILL') =>
      nodes.get(port)?.stop(signal) ?? Promise.resolve(),
    restartNode: (port) => startNode(port),
    failover: () =>
      withClient(
        sentinelPorts[0],
        async (c) => void (await c.call('SENTINEL', 'FAILOVER', MASTER_NAME)),
      ),
    waitForNewMaster: (oldPort, ms = 20000) =>
      poll('failover', ms, async () => {
        const seen = await Promise.all(sentinelPorts.map(masterAddr));
        const port = seen[0];
        if (port === oldPort || seen.some((p) => p !== port)) return undefined;
        const role = await withClient(port, async (c) =>
          String(await c.info('replication')),
        );
        return role.includes('role:master') ? port : undefined;
      }),
    waitForReplica: async (port, ms = 25000) =>
      void (await poll<true>('replica attached', ms, () =>
        withClient(port, async (c) => {
          const info = String(await c.info('replication'));
          return info.includes('connected_slaves:1') &&
            /slave0:.*state=online/.test(info)
            ? true
            : undefined;
        }),
      )),
    stop() {
      stopped ??= stopAll();
      return stopped;
    },
  };
}
