/**
 * A throwaway Redis Cluster on loopback: three masters (`--cluster-enabled yes`, no replicas),
 * each on a free port with a free cluster-bus port, node config files in a temp dir, joined
 * with `redis-cli --cluster create … --cluster-replicas 0 --cluster-yes`. A node can be killed
 * and restarted on the same port with the same node file (it rejoins with its slots).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import {
  getFreePort,
  startAll,
  startServer,
  type TestServer,
} from './server-process.js';

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

/** A short-lived plain connection to one node. */
export async function withNode<T>(
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

function run(command: string, args: readonly string[]): Promise<string> {
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

/** Start three masters in parallel and create the cluster. */
export async function startCluster(): Promise<TestCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'rb-cluster-'));
  const allPorts = await Promise.all(
    Array.from({ length: 6 }, () => getFreePort()),
  );
  const ports = allPorts.slice(0, 3);
  const busOf = new Map(ports.map((p, i) => [p, allPorts[3 + i]]));
  const nodes = new Map<number, TestServer>();
  const startNode = async (port: number): Promise<void> => {
    const args = [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--cluster-enabled',
      'yes',
      '--cluster-config-file',
      join(dir, `nodes-${port}.conf`),
      '--cluster-port',
      String(busOf.get(port)),
      '--cluster-node-timeout',
      '1000',
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'no',
    ];
    nodes.set(port, await startServer({ command: 'redis-server', args, port }));
  };
  const waitForState = async (
    state: 'ok' | 'fail',
    ms = 15000,
  ): Promise<void> => {
    const end = Date.now() + ms;
    for (;;) {
      const running = ports.filter((p) => {
        const n = nodes.get(p)?.process;
        return n && n.exitCode === null && n.signalCode === null;
      });
      const states = await Promise.all(
        running.map((p) =>
          withNode(
            p,
            async (c) =>
              /cluster_state:(\w+)/.exec(String(await c.cluster('INFO')))?.[1],
          ).catch(() => undefined),
        ),
      );
      if (states.every((s) => s === state)) return;
      if (Date.now() > end)
        throw new Error(
          `cluster_state never became ${state}: ${states.join(',')}`,
        );
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const stopAll = async (): Promise<void> => {
    await Promise.all([...nodes.values()].map((n) => n.stop('SIGKILL')));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await startAll(ports.map(startNode)); // every start settled before stopAll
    await run('redis-cli', [
      '--cluster',
      'create',
      ...ports.map((p) => `127.0.0.1:${p}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    await waitForState('ok');
  } catch (err) {
    await stopAll();
    throw err;
  }
  let stopped: Promise<void> | undefined;
  return {
    url: `redis+cluster://${ports.map((p) => `127.0.0.1:${p}`).join(',')}`,
    ports,
    masterOf: (key) =>
      withNode(ports[0], async (c) => {
        const slot = Number(await c.cluster('KEYSLOT', key));
        const ranges = (await c.cluster('SLOTS')) as unknown as [
          number,
          number,
          [string, number],
        ][];
        const hit = ranges.find(([lo, hi]) => slot >= lo && slot <= hi);
        if (!hit) throw new Error(`slot ${slot} is not served`);
        return hit[2][1];
      }),
    stopNode: (port, signal = 'SIGKILL') =>
      nodes.get(port)?.stop(signal) ?? Promise.resolve(),
    restartNode: startNode,
    async setFullCoverage(on) {
      await Promise.all(
        ports.map((p) =>
          withNode(p, (c) =>
            c.config('SET', 'cluster-require-full-coverage', on ? 'yes' : 'no'),
          ).catch(() => undefined),
        ),
      );
    },
    waitForState,
    stop() {
      stopped ??= stopAll();
      return stopped;
    },
  };
}
