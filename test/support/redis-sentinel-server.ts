/**
 * A throwaway Redis Sentinel deployment on loopback: one master, one replica and three
 * sentinels (`redis-server <conf> --sentinel`), each on a free port, config files in a temp
 * dir. Low `down-after-milliseconds` / `failover-timeout` so failovers take a few seconds.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  getFreePort,
  pollUntil,
  startAll,
  startServer,
  startServerGroup,
  type TestServer,
} from './server-process.js';
import { REDIS_NODE_ARGS, withRedisNode } from './redis-server.js';

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

/**
 * Start master + replica, then three sentinels, and wait until they all know each other.
 * With `password`, both data nodes require it (`requirepass`, `masterauth`) and the sentinels
 * use it (`auth-pass`). With `sentinelPassword`, the sentinels themselves require it
 * (`requirepass`, and `sentinel-pass` among themselves).
 */
export async function startSentinels(
  opts: { password?: string; sentinelPassword?: string } = {},
): Promise<TestSentinels> {
  const { password, sentinelPassword } = opts;
  const auth = password
    ? ['--requirepass', password, '--masterauth', password]
    : [];
  const group = await startServerGroup('rb-sentinel-');
  const dir = group.dir;
  const [masterPort, replicaPort, ...sentinelPorts] = await Promise.all(
    Array.from({ length: 5 }, () => getFreePort()),
  );
  const argsOf = (port: number): string[] =>
    port === replicaPort
      ? [
          '--port',
          String(port),
          ...REDIS_NODE_ARGS,
          '--replicaof',
          '127.0.0.1',
          String(masterPort),
          ...auth,
        ]
      : ['--port', String(port), ...REDIS_NODE_ARGS, ...auth];
  const startNode = async (port: number): Promise<void> =>
    void (await group.start(port, () =>
      startServer({ command: 'redis-server', args: argsOf(port), port }),
    ));
  try {
    // startAll: every start settles before group.stop(), so none is left running
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
            ...(password
              ? [`sentinel auth-pass ${MASTER_NAME} ${password}`]
              : []),
            ...(sentinelPassword
              ? [
                  `requirepass ${sentinelPassword}`,
                  `sentinel sentinel-pass ${sentinelPassword}`,
                ]
              : []),
            `sentinel down-after-milliseconds ${MASTER_NAME} 500`,
            `sentinel failover-timeout ${MASTER_NAME} 3000`,
            `sentinel parallel-syncs ${MASTER_NAME} 1`,
            '',
          ].join('\n'),
        );
        await group.start(port, () =>
          startServer({
            command: 'redis-server',
            args: [conf, '--sentinel'],
            port,
          }),
        );
      }),
    );
    // Replica in sync, and every sentinel knows the replica and the two other sentinels.
    await pollUntil('replica link up', 15000, () =>
      withRedisNode(
        replicaPort,
        async (c) =>
          String(await c.info('replication')).includes('master_link_status:up')
            ? true
            : undefined,
        password,
      ),
    );
    await Promise.all(
      sentinelPorts.map((port) =>
        pollUntil(`sentinel ${port} discovery`, 20000, () =>
          withRedisNode(
            port,
            async (c) => {
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
            },
            sentinelPassword,
          ),
        ),
      ),
    );
  } catch (err) {
    await group.stop();
    throw err;
  }

  const masterAddr = (port: number): Promise<number> =>
    withRedisNode(
      port,
      async (c) => {
        const [, p] = (await c.call(
          'SENTINEL',
          'GET-MASTER-ADDR-BY-NAME',
          MASTER_NAME,
        )) as [string, string];
        return Number(p);
      },
      sentinelPassword,
    );
  return {
    url: `${sentinelPorts.map((p) => `sentinel://127.0.0.1:${p}`).join(';')}?master_name=${MASTER_NAME}`,
    sentinelPorts,
    dataPorts: [masterPort, replicaPort],
    masterPort: () => masterAddr(sentinelPorts[0]),
    node(port) {
      const n = group.get(port);
      if (!n || sentinelPorts.includes(port))
        throw new Error(`no data node on ${port}`);
      return n;
    },
    stopNode: (port, signal) => group.stopOne(port, signal),
    restartNode: async (port) => void (await group.restart(port)),
    failover: () =>
      withRedisNode(
        sentinelPorts[0],
        async (c) => void (await c.call('SENTINEL', 'FAILOVER', MASTER_NAME)),
        sentinelPassword,
      ),
    waitForNewMaster: (oldPort, ms = 20000) =>
      pollUntil('failover', ms, async () => {
        const seen = await Promise.all(sentinelPorts.map(masterAddr));
        const port = seen[0];
        if (port === oldPort || seen.some((p) => p !== port)) return undefined;
        const role = await withRedisNode(
          port,
          async (c) => String(await c.info('replication')),
          password,
        );
        return role.includes('role:master') ? port : undefined;
      }),
    waitForReplica: async (port, ms = 25000) =>
      void (await pollUntil<true>('replica attached', ms, () =>
        withRedisNode(
          port,
          async (c) => {
            const info = String(await c.info('replication'));
            return info.includes('connected_slaves:1') &&
              /slave0:.*state=online/.test(info)
              ? true
              : undefined;
          },
          password,
        ),
      )),
    stop: () => group.stop(),
  };
}
