/**
 * A throwaway Redis Cluster on loopback: three masters (`--cluster-enabled yes`, no replicas),
 * each on a free port with a free cluster-bus port, node config files in a temp dir, joined
 * with `redis-cli --cluster create … --cluster-replicas 0 --cluster-yes`. A node can be killed
 * and restarted on the same port with the same node file (it rejoins with its slots).
 */
import { join } from 'node:path';
import {
  getFreePort,
  pollUntil,
  runToEnd,
  startAll,
  startServer,
  startServerGroup,
} from './server-process.js';
import { REDIS_NODE_ARGS, withRedisNode } from './redis-server.js';

/** A running test cluster. */
export interface TestCluster {
  /** `redis+cluster://127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3` */
  readonly url: string;
  readonly ports: readonly number[];
  /** Port of the master serving a key's slot. */
  masterOf(key: string): Promise<number>;
  /** Kill a node (SIGKILL by default). */
  stopNode(port: number, signal?: NodeJS.Signals): Promise<void>;
  /** Start a stopped node again on its port with its node file. */
  restartNode(port: number): Promise<void>;
  /** `CONFIG SET cluster-require-full-coverage yes|no` on every running node. */
  setFullCoverage(on: boolean): Promise<void>;
  /** Resolve once every running node reports `cluster_state:<state>`. */
  waitForState(state: 'ok' | 'fail', ms?: number): Promise<void>;
  /** Stop every node and remove the temp dir. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Start three masters in parallel and create the cluster. With `password`, every node
 * requires it (`requirepass`, `masterauth`).
 */
export async function startCluster(
  opts: { password?: string } = {},
): Promise<TestCluster> {
  const { password } = opts;
  const group = await startServerGroup('rb-cluster-');
  const allPorts = await Promise.all(
    Array.from({ length: 6 }, () => getFreePort()),
  );
  const ports = allPorts.slice(0, 3);
  const busOf = new Map(ports.map((p, i) => [p, allPorts[3 + i]]));
  const nodeArgs = (port: number): string[] => [
    '--port',
    String(port),
    '--cluster-enabled',
    'yes',
    '--cluster-config-file',
    join(group.dir, `nodes-${port}.conf`),
    '--cluster-port',
    String(busOf.get(port)),
    '--cluster-node-timeout',
    '1000',
    '--dir',
    group.dir,
    ...REDIS_NODE_ARGS,
    ...(password ? ['--requirepass', password, '--masterauth', password] : []),
  ];
  const waitForState = async (
    state: 'ok' | 'fail',
    ms = 15000,
  ): Promise<void> => {
    await pollUntil(`cluster_state:${state}`, ms, async () => {
      const states = await Promise.all(
        ports
          .filter((p) => group.running(p))
          .map((p) =>
            withRedisNode(
              p,
              async (c) =>
                /cluster_state:(\w+)/.exec(
                  String(await c.cluster('INFO')),
                )?.[1],
              password,
            ).catch(() => undefined),
          ),
      );
      return states.every((s) => s === state) ? true : undefined;
    });
  };
  try {
    // startAll: every start settles before group.stop(), so none is left running
    await startAll(
      ports.map((port) =>
        group.start(port, () =>
          startServer({ command: 'redis-server', args: nodeArgs(port), port }),
        ),
      ),
    );
    await runToEnd('redis-cli', [
      '--cluster',
      'create',
      ...ports.map((p) => `127.0.0.1:${p}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
      ...(password ? ['-a', password, '--no-auth-warning'] : []),
    ]);
    await waitForState('ok');
  } catch (err) {
    await group.stop();
    throw err;
  }
  return {
    url: `redis+cluster://${ports.map((p) => `127.0.0.1:${p}`).join(',')}`,
    ports,
    masterOf: (key) =>
      withRedisNode(
        ports[0],
        async (c) => {
          const slot = Number(await c.cluster('KEYSLOT', key));
          const ranges = (await c.cluster('SLOTS')) as unknown as [
            number,
            number,
            [string, number],
          ][];
          const hit = ranges.find(([lo, hi]) => slot >= lo && slot <= hi);
          if (!hit) throw new Error(`slot ${slot} is not served`);
          return hit[2][1];
        },
        password,
      ),
    stopNode: (port, signal) => group.stopOne(port, signal),
    restartNode: async (port) => void (await group.restart(port)),
    async setFullCoverage(on) {
      await Promise.all(
        ports.map((p) =>
          withRedisNode(
            p,
            (c) =>
              c.config(
                'SET',
                'cluster-require-full-coverage',
                on ? 'yes' : 'no',
              ),
            password,
          ).catch(() => undefined),
        ),
      );
    },
    waitForState,
    stop: () => group.stop(),
  };
}
