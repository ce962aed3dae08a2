// Redis Cluster (redis+cluster://, 3 masters) against a single Redis (redis://), same run, same
// machine: guarded result writes (SET+PUBLISH script), batched reads of 1,000 results spread
// over every slot (one MGET on one node vs one MGET per slot), and watch throughput (results
// delivered per second to 2,000 pending waitFor() calls through the one subscriber).
// Rounds alternate between the two backends; each figure is the median of its rounds.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { freePort, opsPerSec, startProcess, table } from '../lib/harness.mjs';

export const title =
  'Redis Cluster (redis+cluster://, 3 masters) vs single Redis';

const N_SET = 5000;
const CONCURRENCY = 32;
const N_READ = 1000;
const READ_ROUNDS = 20;
const N_WATCH = 2000;
const ROUNDS = 3;
const quiet = { log() {}, error() {}, warn() {}, debug() {}, verbose() {} };
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const BASE = [
  '--bind',
  '127.0.0.1',
  '--save',
  '',
  '--appendonly',
  'no',
  '--daemonize',
  'no',
];

function exec(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} exited ${code}`)),
    );
  });
}

async function startCluster(dir) {
  const ports = await Promise.all([0, 1, 2].map(() => freePort()));
  const buses = await Promise.all([0, 1, 2].map(() => freePort()));
  const nodes = await Promise.all(
    ports.map((p, i) =>
      startProcess(
        'redis-server',
        [
          '--port',
          String(p),
          ...BASE,
          '--dir',
          dir,
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          join(dir, `nodes-${p}.conf`),
          '--cluster-port',
          String(buses[i]),
          '--cluster-node-timeout',
          '2000',
        ],
        p,
      ),
    ),
  );
  await exec('redis-cli', [
    '--cluster',
    'create',
    ...ports.map((p) => `127.0.0.1:${p}`),
    '--cluster-replicas',
    '0',
    '--cluster-yes',
  ]);
  return {
    url: `redis+cluster://${ports.map((p) => `127.0.0.1:${p}`).join(',')}`,
    nodes,
  };
}

/** Results per second delivered to N pending waitFor() calls, writes issued after all are watched. */
async function watchRate(svc) {
  const ids = Array.from({ length: N_WATCH }, () => randomUUID());
  const waits = ids.map((id) => svc.waitFor(id, { timeout: 60000 }));
  while (svc.watching < N_WATCH) await new Promise((r) => setImmediate(r));
  await new Promise((r) => setTimeout(r, 200)); // subscriptions settle
  const t0 = process.hrtime.bigint();
  await opsPerSec(N_WATCH, CONCURRENCY, (i) => svc.markAsDone(ids[i], i));
  await Promise.all(waits);
  return N_WATCH / (Number(process.hrtime.bigint() - t0) / 1e9);
}

export async function run() {
  const { createResultBackend } =
    await import('../../libs/result-backend/dist/index.js');
  const dir = await mkdtemp(join(tmpdir(), 'cluster-bench-'));
  const procs = [];
  const services = [];
  try {
    const singlePort = await freePort();
    procs.push(
      await startProcess(
        'redis-server',
        ['--port', String(singlePort), ...BASE],
        singlePort,
      ),
    );
    const cluster = await startCluster(dir);
    procs.push(...cluster.nodes);
    const backends = {
      'single Redis': await createResultBackend(
        { url: `redis://127.0.0.1:${singlePort}/0` },
        { logger: quiet },
      ),
      'Redis Cluster, 3 masters': await createResultBackend(
        { url: cluster.url },
        { logger: quiet },
      ),
    };
    services.push(...Object.values(backends));
    const readIds = Array.from({ length: N_READ }, () => randomUUID());
    for (const svc of services)
      await opsPerSec(N_READ, CONCURRENCY, (i) =>
        svc.markAsDone(readIds[i], i),
      );
    const res = Object.fromEntries(
      Object.keys(backends).map((k) => [k, { set: [], read: [], watch: [] }]),
    );
    for (let r = 0; r < ROUNDS; r++) {
      for (const [name, svc] of Object.entries(backends)) {
        const setIds = Array.from({ length: N_SET }, () => randomUUID());
        res[name].set.push(
          await opsPerSec(N_SET, CONCURRENCY, (i) =>
            svc.markAsDone(setIds[i], i),
          ),
        );
        const keys = readIds.map((id) => svc.keys.taskKey(id));
        res[name].read.push(
          (await opsPerSec(READ_ROUNDS, 1, () => svc.store.mget(keys))) *
            N_READ,
        );
        res[name].watch.push(await watchRate(svc));
      }
    }
    const single = res['single Redis'];
    const rows = Object.entries(res).map(([name, r]) => ({
      backend: name,
      'markAsDone/s': median(r.set),
      'results read/s (1,000 per batch)': median(r.read),
      'watched results delivered/s': median(r.watch),
      'vs single (write/read/watch)': `${(median(r.set) / median(single.set)).toFixed(2)} / ${(median(r.read) / median(single.read)).toFixed(2)} / ${(median(r.watch) / median(single.watch)).toFixed(2)}`,
    }));
    return (
      table(rows) +
      `\n${N_SET} writes at concurrency ${CONCURRENCY}; ${READ_ROUNDS} batched reads of ${N_READ} keys; ` +
      `${N_WATCH} pending watches then their results written at concurrency ${CONCURRENCY}; median of ${ROUNDS} rounds. ` +
      'All nodes run on this one machine, so the cluster shows its routing cost, not its scale-out.\n'
    );
  } finally {
    await Promise.all(services.map((s) => s.close()));
    await Promise.all(procs.map((p) => p.stop()));
    await rm(dir, { recursive: true, force: true });
  }
}
