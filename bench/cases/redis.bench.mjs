// Redis store (redis://): write throughput of the store's set (one EVALSHA doing the guarded
// SETEX + PUBLISH) against raw ioredis MULTI/SETEX/PUBLISH/EXEC and Celery 5.2.6's and 5.6.3's
// backend.store_result, then watching through the service (pending waitFor latency vs
// AsyncResult.get, already-stored waitFor, join of 10k finished ids vs ResultSet.join, and
// 10k pending watches on one subscriber connection). One redis-server, all in the same run.
import { Redis } from 'ioredis';
import {
  CELERY_RUNTIMES,
  PYTHON,
  missingCeleryNote,
  freePort,
  opsPerSec,
  percentile,
  python,
  startProcess,
  table,
} from '../lib/harness.mjs';

export const title = 'Redis store (redis://)';

const N = 20000;
const CONCURRENCY = 64;
const KEYS = 1000;
const N_CELERY = 2000;
const N_SEQ = 5000;
const ROUNDS = 3;
const ID = (i) =>
  `b0c1a5e0-0000-4000-8000-${String(i % KEYS).padStart(12, '0')}`;
const KEY = (i) => `celery-task-meta-${ID(i)}`;
// STARTED documents, so the SUCCESS guard lets every write through (as for Celery below).
const DOC = (i) =>
  `{"status": "STARTED", "result": {"pid": 4242, "hostname": "w1@bench"}, "traceback": null, "children": [], "date_done": null, "task_id": "${ID(i)}"}`;
const DOCS = Array.from({ length: KEYS }, (_, i) => DOC(i));
const SUCCESS = (id) =>
  `{"status": "SUCCESS", "result": 42, "traceback": null, "children": [], "date_done": "2026-11-21T10:00:00.000000", "task_id": "${id}"}`;
const ctx = {
  logger: { log() {}, error() {}, warn() {} },
  maxPayloadBytes: 512 * 1024 * 1024,
  pollIntervalMs: 500,
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;

const celeryStore = (url) => `
import json, time
from celery import Celery
app = Celery(backend='${url}', set_as_current=False)
app.conf.result_serializer = 'json'
be = app.backend
K, N = ${KEYS}, ${N_CELERY}
ids = ['b0c1a5e0-0000-4000-8000-%012d' % i for i in range(K)]
meta = {'pid': 4242, 'hostname': 'w1@bench'}
t = time.perf_counter()
for n in range(N): be.store_result(ids[n % K], meta, 'STARTED')
print(json.dumps({'store': N / (time.perf_counter() - t)}))
`;

// Pending get(): subscribed first, a writer thread stores SETEX+PUBLISH, time until get() returns.
const celeryWaits = (url, n, prefix) => `
import json, threading, time, redis
from celery import Celery
from celery.result import AsyncResult, ResultSet
app = Celery(backend='${url}', set_as_current=False)
app.conf.result_serializer = 'json'
w = redis.Redis.from_url('${url}')
lat = []
for i in range(${n}):
    tid = '${prefix}-pending-%d' % i
    key = 'celery-task-meta-' + tid
    doc = '{"status": "SUCCESS", "result": 42, "traceback": null, "children": [], "date_done": "2026-11-21T10:00:00.000000", "task_id": "%s"}' % tid
    r = AsyncResult(tid, app=app)
    r.backend.add_pending_result(r)
    box = {}
    def write():
        time.sleep(0.002)
        box['t'] = time.perf_counter()
        w.pipeline().setex(key, 86400, doc).publish(key, doc).execute()
    th = threading.Thread(target=write); th.start()
    r.get(timeout=5)
    lat.append((time.perf_counter() - box['t']) * 1000)
    th.join()
    del r
lat.sort()
stored = []
for i in range(${n}):
    r = AsyncResult('join-%d' % i, app=app)
    t = time.perf_counter(); r.get(timeout=5); stored.append((time.perf_counter() - t) * 1000)
    del r
stored.sort()
ids = ['join-%d' % i for i in range(10000)]
rs = ResultSet([AsyncResult(i, app=app) for i in ids], app=app)
t = time.perf_counter(); rs.join_native(timeout=60); join_native = time.perf_counter() - t
rs = ResultSet([AsyncResult(i, app=app) for i in ids], app=app)
t = time.perf_counter(); rs.join(timeout=60); join = time.perf_counter() - t
print(json.dumps({'pending_p50': lat[len(lat)//2], 'stored_p50': stored[len(stored)//2], 'join': join, 'join_native': join_native}))
`;

async function writeCases(url, port) {
  const { createRedisStore } =
    await import('../../libs/result-backend/dist/stores/redis/redis.store.js');
  const { RedisResultStore } =
    await import('../../libs/result-backend/dist/stores/redis/redis-result.store.js');
  const cfg = { kind: 'redis', host: '127.0.0.1', port, db: 0, query: {} };
  const store = await createRedisStore(cfg, ctx);
  const plainClient = new Redis({ port, host: '127.0.0.1' });
  const withAuto = new RedisResultStore({
    kind: 'redis',
    description: 'bench',
    client: new Redis({ port, host: '127.0.0.1', enableAutoPipelining: true }),
    createSubscriber: () => new Redis({ port, host: '127.0.0.1' }),
    logger: ctx.logger,
    outage: { down() {}, up() {} },
    maxPayloadBytes: ctx.maxPayloadBytes,
  });
  const raw = new Redis({ port, host: '127.0.0.1' });
  const rawAuto = new Redis({
    port,
    host: '127.0.0.1',
    enableAutoPipelining: true,
  });
  const cases = {
    'store.set guarded (EVALSHA)': (i) =>
      store.set(KEY(i), DOCS[i % KEYS], 86400, true),
    'store.set unguarded': (i) =>
      store.set(KEY(i), DOCS[i % KEYS], 86400, false),
    'store.set guarded, client with enableAutoPipelining': (i) =>
      withAuto.set(KEY(i), DOCS[i % KEYS], 86400, true),
    'raw ioredis MULTI SETEX+PUBLISH': (i) =>
      raw
        .multi()
        .setex(KEY(i), 86400, DOCS[i % KEYS])
        .publish(KEY(i), DOCS[i % KEYS])
        .exec(),
    'raw ioredis SETEX + PUBLISH, no MULTI (auto-pipelined, not atomic)': (i) =>
      Promise.all([
        rawAuto.setex(KEY(i), 86400, DOCS[i % KEYS]),
        rawAuto.publish(KEY(i), DOCS[i % KEYS]),
      ]),
    'raw ioredis MULTI, auto-pipelining client': (i) =>
      rawAuto
        .multi()
        .setex(KEY(i), 86400, DOCS[i % KEYS])
        .publish(KEY(i), DOCS[i % KEYS])
        .exec(),
  };
  const rates = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  const seqName = 'store.set guarded, 1 in flight (like Celery)';
  rates[seqName] = [];
  try {
    for (const fn of Object.values(cases))
      await opsPerSec(2000, CONCURRENCY, fn); // warm up, load scripts
    for (let r = 0; r < ROUNDS; r++) {
      for (const [name, fn] of Object.entries(cases))
        rates[name].push(await opsPerSec(N, CONCURRENCY, fn));
      rates[seqName].push(
        await opsPerSec(N_SEQ, 1, cases['store.set guarded (EVALSHA)']),
      );
    }
  } finally {
    await Promise.all([
      store.close(),
      withAuto.close(),
      raw.quit(),
      rawAuto.quit(),
      plainClient.quit(),
    ]);
  }
  const celery = {};
  for (let r = 0; r < ROUNDS; r++)
    for (const { version, python: py } of CELERY_RUNTIMES)
      (celery[version] ??= []).push(
        (await python(celeryStore(url), {}, py)).store,
      );
  return {
    rates: Object.fromEntries(
      Object.entries(rates).map(([k, v]) => [k, median(v)]),
    ),
    celery: Object.fromEntries(
      Object.entries(celery).map(([k, v]) => [k, median(v)]),
    ),
  };
}

async function watchCases(url, port) {
  const { createResultBackend } =
    await import('../../libs/result-backend/dist/result-backend.factory.js');
  const svc = await createResultBackend({ url }, { logger: ctx.logger });
  const writer = new Redis({ port, host: '127.0.0.1' });
  const admin = new Redis({ port, host: '127.0.0.1' });
  const out = {};
  try {
    // pending waitFor: watch first, a writer stores SETEX+PUBLISH 2 ms later; time from the write.
    const lat = [];
    for (let i = 0; i < 300; i++) {
      const id = `nest-pending-${i}`;
      let t0;
      const done = svc.waitFor(id, { timeout: 5000 }).then(() => ms(t0));
      await new Promise((r) => setTimeout(r, 2));
      const doc = SUCCESS(id);
      t0 = process.hrtime.bigint();
      await writer
        .multi()
        .setex(`celery-task-meta-${id}`, 86400, doc)
        .publish(`celery-task-meta-${id}`, doc)
        .exec();
      lat.push(await done);
    }
    out.pendingP50 = percentile(lat, 50);
    // already stored: 10k finished results
    const ids = Array.from({ length: 10000 }, (_, i) => `join-${i}`);
    for (let i = 0; i < ids.length; i += 1000) {
      const m = writer.multi();
      for (const id of ids.slice(i, i + 1000))
        m.setex(`celery-task-meta-${id}`, 86400, SUCCESS(id));
      await m.exec();
    }
    const stored = [];
    for (let i = 0; i < 2000; i++) {
      const t0 = process.hrtime.bigint();
      await svc.waitFor(ids[i]);
      stored.push(ms(t0));
    }
    out.storedP50 = percentile(stored, 50);
    let t0 = process.hrtime.bigint();
    await svc.join(ids, { timeout: 60000 });
    out.join = ms(t0) / 1000;
    // 10k pending watches on one subscriber connection
    global.gc?.();
    const rss0 = process.memoryUsage().rss;
    const heap0 = process.memoryUsage().heapUsed;
    const cpu0 = process.cpuUsage();
    const pend = Array.from({ length: 10000 }, (_, i) => `pending10k-${i}`);
    let last = 0n;
    t0 = process.hrtime.bigint();
    const all = Promise.all(
      pend.map((id) =>
        svc
          .waitFor(id, { timeout: 60000 })
          .then(() => (last = process.hrtime.bigint())),
      ),
    );
    // wait until every channel is subscribed
    for (;;) {
      const n = await admin.pubsub('NUMSUB', `celery-task-meta-${pend.at(-1)}`);
      if (Number(n[1]) === 1) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    out.subscribeAll = ms(t0);
    global.gc?.();
    out.rssPerWatch = (process.memoryUsage().rss - rss0) / pend.length;
    out.heapPerWatch = (process.memoryUsage().heapUsed - heap0) / pend.length;
    const list = String(await admin.client('LIST'));
    out.connections = list
      .split('\n')
      .filter((l) => l.includes('name=celery-result-backend')).length;
    const w0 = process.hrtime.bigint();
    for (let i = 0; i < pend.length; i += 1000) {
      const m = writer.multi();
      for (const id of pend.slice(i, i + 1000)) {
        const doc = SUCCESS(id);
        m.setex(`celery-task-meta-${id}`, 86400, doc).publish(
          `celery-task-meta-${id}`,
          doc,
        );
      }
      await m.exec();
    }
    const writesDone = process.hrtime.bigint();
    await all;
    out.lastEmission = Number(last - w0) / 1e6;
    out.afterWrites = Number(last - writesDone) / 1e6;
    const cpu = process.cpuUsage(cpu0);
    out.cpuMs = (cpu.user + cpu.system) / 1000;
  } finally {
    await svc.close();
    await writer.quit();
    await admin.quit();
  }
  out.celery = {};
  for (const { version, python: py } of CELERY_RUNTIMES)
    out.celery[version] = await python(
      celeryWaits(url, 300, `celery${version.replaceAll('.', '')}`),
      {},
      py,
    );
  return out;
}

// 10,000 pending results arriving over 3 s from a separate writer process (so the writer's CPU
// is nobody's): our service's waitFor vs Celery's ResultSet.join_native, CPU of the waiting
// process only, and the delay from the writer's last write to the last delivery.
const WRITER = (url, prefix) => `
import sys, time, redis
w = redis.Redis.from_url('${url}')
ids = ['${prefix}-%d' % i for i in range(10000)]
for b in range(10):
    p = w.pipeline(transaction=False)
    for tid in ids[b * 1000:(b + 1) * 1000]:
        key = 'celery-task-meta-' + tid
        doc = '{"status": "SUCCESS", "result": 1, "traceback": null, "children": [], "date_done": "2026-11-21T10:00:00", "task_id": "%s"}' % tid
        p.setex(key, 86400, doc).publish(key, doc)
    p.execute()
    if b < 9: time.sleep(0.3)
print(time.time() * 1000)
`;

const CELERY_JOIN_NATIVE = (url, prefix) => `
import json, subprocess, sys, time
from celery import Celery
from celery.result import AsyncResult, ResultSet
app = Celery(backend='${url}', set_as_current=False)
app.conf.result_serializer = 'json'
ids = ['${prefix}-%d' % i for i in range(10000)]
rs = ResultSet([AsyncResult(i, app=app) for i in ids], app=app)
for r in rs.results: r.backend.add_pending_result(r)
writer = subprocess.Popen([sys.executable, '-c', sys.argv[1]], stdout=subprocess.PIPE)
c0 = time.process_time()
rs.join_native(timeout=60)
done = time.time() * 1000
cpu = (time.process_time() - c0) * 1000
last_write = float(writer.communicate()[0])
print(json.dumps({'cpu_ms': cpu, 'after_last_write_ms': done - last_write}))
`;

async function pendingOverThreeSeconds(url) {
  const { createResultBackend } = await import('nestjs-celery-result-backend');
  const { spawn } = await import('node:child_process');
  const svc = await createResultBackend(
    { url },
    { logger: { log() {}, warn() {}, error() {} } },
  );
  const out = {};
  try {
    const ids = Array.from({ length: 10000 }, (_, i) => `cpu-node-${i}`);
    let lastDelivery = 0;
    const all = Promise.all(
      ids.map((id) =>
        svc
          .waitFor(id, { timeout: 60000 })
          .then(() => (lastDelivery = Date.now())),
      ),
    );
    while (svc.watching < ids.length)
      await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 300));
    const cpu0 = process.cpuUsage();
    const child = spawn(PYTHON, ['-c', WRITER(url, 'cpu-node')], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let text = '';
    child.stdout.on('data', (d) => (text += d));
    const exited = new Promise((r) => child.on('close', r));
    await all;
    const cpu = process.cpuUsage(cpu0);
    await exited;
    out.cpuMs = (cpu.user + cpu.system) / 1000;
    out.afterLastWrite = lastDelivery - Number(text.trim());
  } finally {
    await svc.close();
  }
  out.celery = {};
  for (const { version, python: py } of CELERY_RUNTIMES) {
    const prefix = `cpu-py${version.replaceAll('.', '')}`;
    out.celery[version] = await new Promise((resolve, reject) => {
      const c = spawn(
        py,
        ['-c', CELERY_JOIN_NATIVE(url, prefix), WRITER(url, prefix)],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      let t = '';
      c.stdout.on('data', (d) => (t += d));
      c.on('close', (code) =>
        code === 0
          ? resolve(JSON.parse(t.trim().split('\n').pop()))
          : reject(new Error(`python exited ${code}`)),
      );
    });
  }
  return out;
}

export async function run() {
  const port = await freePort();
  const server = await startProcess(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
    ],
    port,
  );
  const url = `redis://127.0.0.1:${port}/0`;
  try {
    const w = await writeCases(url, port);
    const rawMulti = w.rates['raw ioredis MULTI SETEX+PUBLISH'];
    const mine = w.rates['store.set guarded (EVALSHA)'];
    const rows = Object.entries(w.rates).map(([name, ops]) => ({
      case: name,
      'ops/s': ops,
      'vs raw MULTI': ops / rawMulti,
    }));
    for (const [ver, ops] of Object.entries(w.celery))
      rows.push({
        case: `Celery ${ver} backend.store_result (sequential, GET + MULTI)`,
        'ops/s': ops,
        'vs raw MULTI': ops / rawMulti,
      });
    let md = `Writes: ${N} ops per round, ${CONCURRENCY} in flight, ${KEYS} keys, STARTED documents, median of ${ROUNDS} rounds (Celery: ${N_CELERY} sequential store_result calls, its only mode).\n\n`;
    md += table(rows);
    const seq = w.rates['store.set guarded, 1 in flight (like Celery)'];
    md += '\n';
    for (const [ver, ops] of Object.entries(w.celery)) {
      md += `- store.set (guarded) vs Celery ${ver} store_result: **${(mine / ops).toFixed(2)}×** (target ≥ 1.8×)\n`;
      md += `- same, both sequential (1 in flight): **${(seq / ops).toFixed(2)}×**\n`;
    }
    md += `- store.set (guarded) vs raw ioredis MULTI SETEX+PUBLISH: **${(mine / rawMulti).toFixed(2)}×** (target ≥ 0.85×)\n\n`;
    const s = await watchCases(url, port);
    const waitRows = [
      ['pending waitFor p50, from the write (ms)', s.pendingP50, 'pending_p50'],
      ['already-stored waitFor p50 (ms)', s.storedP50, 'stored_p50'],
      ['join 10k finished ids (s) [Celery: ResultSet.join]', s.join, 'join'],
      [
        'join 10k finished ids (s) [Celery: join_native]',
        s.join,
        'join_native',
      ],
    ];
    md += table(
      waitRows.map(([measure, service, key]) => ({
        measure,
        service,
        ...Object.fromEntries(
          Object.entries(s.celery).flatMap(([ver, c]) => [
            [`celery ${ver}`, c[key]],
            [`celery ${ver} / service`, c[key] / service],
          ]),
        ),
      })),
    );
    md += `\n10,000 pending waitFor on one service: ${s.connections} Redis connections in total (command + one subscriber), all subscribed in ${s.subscribeAll.toFixed(0)} ms, RSS ${(s.rssPerWatch / 1024).toFixed(2)} KiB and JS heap ${(s.heapPerWatch / 1024).toFixed(2)} KiB per watch (RSS also counts ioredis reply buffers and allocator slack), CPU ${s.cpuMs.toFixed(0)} ms for subscribe + 10k deliveries; last emission ${s.lastEmission.toFixed(0)} ms after the first of 10k writes began (${s.afterWrites.toFixed(0)} ms after the last write returned).\n`;
    const p = await pendingOverThreeSeconds(url);
    md += `\n10,000 pending results arriving over 3 s from a separate writer process (10 batches of 1,000, SETEX+PUBLISH):\n\n`;
    md += table([
      {
        waiter: 'service.waitFor × 10,000',
        'CPU of the waiting process (ms)': p.cpuMs,
        'last delivery after the last write (ms)': p.afterLastWrite,
      },
      ...Object.entries(p.celery).map(([ver, c]) => ({
        waiter: `Celery ${ver} ResultSet.join_native`,
        'CPU of the waiting process (ms)': c.cpu_ms,
        'last delivery after the last write (ms)': c.after_last_write_ms,
      })),
    ]);
    for (const [ver, c] of Object.entries(p.celery))
      md += `\nCPU, service ÷ Celery ${ver} join_native: **${(p.cpuMs / c.cpu_ms).toFixed(2)}** (target ≤ 0.33).\n`;
    md += missingCeleryNote();
    return md;
  } finally {
    await server.stop();
  }
}
