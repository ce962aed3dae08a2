// Memcached store (cache+memcached://): guarded set and get throughput against the raw memjs
// client and against Celery 5.2.6's and 5.6.3's CacheBackend (pylibmc) in the same run, on one memcached.
// The machine is shared and noisy, so Node and Python measurements alternate, round by round,
// and each figure is the median of its rounds.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import {
  CELERY_RUNTIMES,
  missingCeleryNote,
  freePort,
  opsPerSec,
  table,
  waitForPort,
} from '../lib/harness.mjs';

export const title = 'Memcached store (cache+memcached://)';

const N = 5000;
const KEYS = 100;
const CONCURRENCY = 16;
const ROUNDS = 5;
const doc = (i) =>
  `{"status": "STARTED", "result": ${i}, "traceback": null, "children": [], "date_done": null, "task_id": "d8ad7aa3-8539-4a4d-867b-${String(i).padStart(12, '0')}"}`;
const ctx = {
  logger: { log() {}, error() {}, warn() {} },
  maxPayloadBytes: 1024 * 1024,
  pollIntervalMs: 500,
};
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

// Celery side as a long-lived process: one stdin line = one measurement (ops/s on stdout).
const CELERY_LOOP = (port) => `
import json, sys, time
from celery import Celery
app = Celery(backend='cache+memcached://127.0.0.1:${port}/')
be = app.backend
N, K = ${N}, ${KEYS}
ids = ['d8ad7aa3-8539-4a4d-867b-%012d' % i for i in range(K)]
keys = [be.get_key_for_task(i) for i in ids]
val = '{"status": "STARTED", "result": null}'
def store():
    for n in range(N): be.store_result(ids[n % K], n, 'STARTED')
def meta():
    for n in range(N): be.get_task_meta(ids[n % K])
def kv_set():
    for n in range(N): be.set(keys[n % K], val)
def kv_get():
    for n in range(N): be.get(keys[n % K])
ops = {'store': store, 'meta': meta, 'kv_set': kv_set, 'kv_get': kv_get}
store()
print('ready', flush=True)
for line in sys.stdin:
    fn = ops[line.strip()]
    t = time.perf_counter(); fn(); print(N / (time.perf_counter() - t), flush=True)
`;

/** Start the Celery loop; `measure(op)` resolves with its ops/s. */
async function celeryProcess(port, python) {
  const child = spawn(python, ['-c', CELERY_LOOP(port)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let buf = '';
  let err = '';
  const waiting = [];
  child.stderr.on('data', (d) => (err += d));
  child.stdout.on('data', (d) => {
    buf += d;
    for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      waiting.shift()?.resolve(line);
    }
  });
  child.on('exit', (code) => {
    for (const w of waiting.splice(0))
      w.reject(new Error(`celery loop exited ${code}: ${err.slice(-2000)}`));
  });
  const next = () =>
    new Promise((resolve, reject) => waiting.push({ resolve, reject }));
  await next(); // ready
  return {
    measure(op) {
      const p = next();
      child.stdin.write(`${op}\n`);
      return p.then(Number);
    },
    stop: () => child.kill('SIGTERM'),
  };
}

export async function run() {
  const { createMemcachedStore } =
    await import('../../libs/result-backend/dist/stores/memcached/memcached.store.js');
  const port = await freePort();
  const args = [
    '-l',
    '127.0.0.1',
    '-p',
    String(port),
    '-U',
    '0',
    ...(process.getuid?.() === 0 ? ['-u', 'root'] : []),
  ];
  const server = spawn('memcached', args, { stdio: 'ignore' });
  const loops = {};
  try {
    await waitForPort(port);
    const store = await createMemcachedStore(
      { kind: 'memcached', servers: [{ host: '127.0.0.1', port }] },
      ctx,
    );
    const memjs = createRequire(import.meta.url)('memjs');
    const raw = memjs.Client.create(`127.0.0.1:${port}`, {
      logger: { log() {} },
      retries: 1,
    });
    const key = (i) =>
      `celery-task-meta-d8ad7aa3-8539-4a4d-867b-${String(i % KEYS).padStart(12, '0')}`;
    const started = Array.from({ length: KEYS }, (_, i) => doc(i));
    const storeSet = (i) => store.set(key(i), started[i % KEYS], 86400, true);
    const storeSetPlain = (i) =>
      store.set(key(i), started[i % KEYS], 86400, false);
    const storeGet = (i) => store.get(key(i));
    const rawSet = (i) =>
      raw.set(key(i), started[i % KEYS], { expires: 86400 });
    const rawGet = (i) => raw.get(key(i));
    for (const f of [storeSet, storeGet, rawSet, rawGet])
      await opsPerSec(1000, CONCURRENCY, f); // warm up
    for (const { version, python } of CELERY_RUNTIMES)
      loops[version] = await celeryProcess(port, python);
    const OPS = ['store', 'meta', 'kv_set', 'kv_get'];

    const plan = {
      storeSet: () => opsPerSec(N, CONCURRENCY, storeSet),
      storeSet1: () => opsPerSec(N, 1, storeSet),
      storeSetPlain: () => opsPerSec(N, CONCURRENCY, storeSetPlain),
      rawSet: () => opsPerSec(N, CONCURRENCY, rawSet),
      rawSet1: () => opsPerSec(N, 1, rawSet),
      storeGet: () => opsPerSec(N, CONCURRENCY, storeGet),
      storeGet1: () => opsPerSec(N, 1, storeGet),
      rawGet: () => opsPerSec(N, CONCURRENCY, rawGet),
      rawGet1: () => opsPerSec(N, 1, rawGet),
      mget: async () => {
        const keys = Array.from({ length: KEYS }, (_, i) => key(i));
        const t0 = process.hrtime.bigint();
        for (let r = 0; r < N / KEYS; r++) await store.mget(keys);
        return N / (Number(process.hrtime.bigint() - t0) / 1e9);
      },
      ...Object.fromEntries(
        Object.entries(loops).flatMap(([ver, loop]) =>
          OPS.map((op) => [`celery ${ver} ${op}`, () => loop.measure(op)]),
        ),
      ),
    };
    const samples = Object.fromEntries(Object.keys(plan).map((k) => [k, []]));
    for (let r = 0; r < ROUNDS; r++)
      for (const [k, fn] of Object.entries(plan)) samples[k].push(await fn());
    const m = Object.fromEntries(
      Object.entries(samples).map(([k, v]) => [k, median(v)]),
    );
    raw.close();
    await store.close();

    const versions = Object.keys(loops);
    const cel = (ver, op) => m[`celery ${ver} ${op}`];
    const ratio = (a, b) => (b ? `${(a / b).toFixed(2)}×` : 'n/a');
    const row = (op, v, rawV, celOp) => ({
      op,
      'ops/s': v,
      'vs memjs': ratio(v, rawV),
      ...Object.fromEntries(
        versions.map((ver) => [`vs Celery ${ver}`, ratio(v, cel(ver, celOp))]),
      ),
    });
    const rows = [
      row(
        `set, guarded (this store, ${CONCURRENCY} in flight)`,
        m.storeSet,
        m.rawSet,
        'store',
      ),
      row(
        'set, guarded (this store, 1 in flight)',
        m.storeSet1,
        m.rawSet1,
        'store',
      ),
      row(
        `set, unguarded (this store, ${CONCURRENCY} in flight)`,
        m.storeSetPlain,
        m.rawSet,
        'kv_set',
      ),
      row(`memjs set (${CONCURRENCY} in flight)`, m.rawSet, m.rawSet, 'kv_set'),
      row('memjs set (1 in flight)', m.rawSet1, m.rawSet1, 'kv_set'),
      row(
        `get (this store, ${CONCURRENCY} in flight)`,
        m.storeGet,
        m.rawGet,
        'meta',
      ),
      row('get (this store, 1 in flight)', m.storeGet1, m.rawGet1, 'meta'),
      row(
        `mget of ${KEYS} keys, per key (this store)`,
        m.mget,
        m.rawGet,
        'meta',
      ),
      row(`memjs get (${CONCURRENCY} in flight)`, m.rawGet, m.rawGet, 'kv_get'),
      row('memjs get (1 in flight)', m.rawGet1, m.rawGet1, 'kv_get'),
    ];
    let md = table(rows);
    for (const ver of versions)
      md +=
        `\nCelery ${ver} CacheBackend (pylibmc 1.6.3), one process, median of ${ROUNDS} rounds × ${N} ops over ${KEYS} keys, alternating with the Node rounds: ` +
        `store_result ${cel(ver, 'store').toFixed(0)} ops/s, backend.set ${cel(ver, 'kv_set').toFixed(0)} ops/s, ` +
        `get_task_meta ${cel(ver, 'meta').toFixed(0)} ops/s, backend.get ${cel(ver, 'kv_get').toFixed(0)} ops/s; ` +
        `**guarded set vs store_result: ${ratio(m.storeSet, cel(ver, 'store'))}** (1 in flight: ${ratio(m.storeSet1, cel(ver, 'store'))}); ` +
        `**get vs get_task_meta: ${ratio(m.storeGet, cel(ver, 'meta'))}** (1 in flight: ${ratio(m.storeGet1, cel(ver, 'meta'))}).\n`;
    if (versions.length)
      md += `\n"vs Celery" compares guarded set with store_result, unguarded set with backend.set, get with get_task_meta, memjs with the raw backend calls.\n`;
    md += missingCeleryNote();
    md +=
      `\nA guarded set is one meta \`ms\` round trip (CAS with the token of this process's previous write, or add mode); ` +
      `Celery's store_result is a \`get\` (SUCCESS check) plus a \`set\`, and includes its JSON encoding. Concurrent gets in one tick ` +
      `share one multi-key \`get\`. memjs (binary protocol) writes flags 0 and has no CAS: it is the floor for one plain request, not a drop-in alternative.\n`;
    return md;
  } finally {
    for (const loop of Object.values(loops)) loop.stop();
    server.kill('SIGTERM');
  }
}
