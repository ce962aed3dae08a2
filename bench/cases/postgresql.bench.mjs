// PostgreSQL store (db+postgresql://, Celery's SQLAlchemy DatabaseBackend tables): set and get
// against the same statements on a raw `pg` pool and against Celery's own DatabaseBackend
// (store_result / get_task_meta; 5.2.6 from Debian and 5.6.3 when unpacked), a poll of 10,000
// watched ids (one ANY($1) query vs one query per id, and the service's query count per
// interval), and the write → waitFor delay with LISTEN/NOTIFY and with polling. One server.
import { randomUUID } from 'node:crypto';
import {
  CELERY_RUNTIMES,
  missingCeleryNote,
  opsPerSec,
  percentile,
  python,
  table,
} from '../lib/harness.mjs';
import { HAS_POSTGRES, startPostgresql } from '../lib/postgresql-server.mjs';

export const title =
  'PostgreSQL store (db+postgresql://, Celery DatabaseBackend tables)';

const KEYS = 1000;
const N = 3000;
const N_CELERY = 1500;
const CONC = 8;
const ROUNDS = 3;
const WATCHED = 10_000;
const ID = (i) =>
  `b0c1a5e0-0000-4000-8000-${String(i % KEYS).padStart(12, '0')}`;
const KEY = (i) => `celery-task-meta-${ID(i)}`;
// STARTED documents, so the SUCCESS guard lets every write through (as for Celery below).
const DOC = (i) =>
  `{"status": "STARTED", "result": {"pid": 4242, "hostname": "w1@bench"}, "traceback": null, "children": [], "date_done": null, "task_id": "${ID(i)}"}`;
const DOCS = Array.from({ length: KEYS }, (_, i) => DOC(i));
const logger = { log() {}, error() {}, warn() {} };
const ctx = { logger, pollIntervalMs: 500 };
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// store_result of a STARTED meta and get_task_meta (no cache), sequential as Celery runs them.
// mode "client": Celery outside a worker (SessionManager not forked: a NullPool engine, one
// new connection per call). mode "worker": a forked worker child (one pooled engine).
const celeryScript = `
import json, os, time
from celery import Celery
from celery.backends.database import DatabaseBackend
app = Celery(set_as_current=False)
app.conf.result_backend = os.environ['URL']
app.conf.result_serializer = 'json'
be = app.backend
sm = getattr(be, 'session_manager', None) or DatabaseBackend.ResultSession.__defaults__[0]
if os.environ['MODE'] == 'worker':
    sm._after_fork()
K, N = ${KEYS}, int(os.environ['N'])
ids = ['b0c1a5e0-0000-4000-8000-%012d' % i for i in range(K)]
meta = {'pid': 4242, 'hostname': 'w1@bench'}
for i in range(min(K, N)): be.store_result(ids[i], meta, 'STARTED')
t = time.perf_counter()
for n in range(N): be.store_result(ids[n % K], meta, 'STARTED')
store = N / (time.perf_counter() - t)
t = time.perf_counter()
for n in range(N): be.get_task_meta(ids[n % K], cache=False)
get = N / (time.perf_counter() - t)
print(json.dumps({'store': store, 'get': get}))
`;

async function celery(pythonBin, url, mode) {
  const out = [];
  // Outside a worker every call opens a new connection (~10/s here): fewer, one round.
  const [n, rounds] = mode === 'client' ? [60, 1] : [N_CELERY, ROUNDS];
  for (let r = 0; r < rounds; r++) {
    const env = { URL: url, MODE: mode, N: String(n) };
    out.push(await python(celeryScript, env, pythonBin));
  }
  return {
    store: median(out.map((o) => o.store)),
    get: median(out.map((o) => o.get)),
  };
}

async function throughput(server, dist) {
  const { createPostgresqlStore } = dist.store;
  const cfg = dist.url.parsePostgresqlUrl(server.url('lib'), {
    createTables: true,
  });
  const store = await createPostgresqlStore(cfg, ctx);
  const raw = server.pool('lib', 10);
  const pickled = Buffer.from(
    dist.codec.dumpsPickle({ pid: 4242, hostname: 'w1@bench' }),
  );
  const UPSERT =
    "INSERT INTO celery_taskmeta AS t (id, task_id, status, result, date_done, traceback) VALUES (nextval('task_id_sequence'), $1, $2, $3, NULL, NULL) ON CONFLICT (task_id) DO UPDATE SET status = EXCLUDED.status, result = EXCLUDED.result, date_done = EXCLUDED.date_done, traceback = EXCLUDED.traceback WHERE t.status IS DISTINCT FROM 'SUCCESS'";
  const SELECT =
    'SELECT task_id, status, result, date_done::text AS date_done, traceback FROM celery_taskmeta WHERE task_id = $1';
  const cases = {
    set: (i) => store.set(KEY(i), DOCS[i % KEYS], null, true),
    rawSet: (i) => raw.query(UPSERT, [ID(i), 'STARTED', pickled]),
    get: (i) => store.get(KEY(i)),
    rawGet: (i) => raw.query(SELECT, [ID(i)]),
  };
  const rates = {};
  try {
    for (let i = 0; i < KEYS; i++) await cases.set(i);
    for (const fn of Object.values(cases)) await opsPerSec(500, CONC, fn);
    for (let r = 0; r < ROUNDS; r++)
      for (const [name, fn] of Object.entries(cases))
        for (const c of [1, CONC])
          (rates[`${name}@${c}`] ??= []).push(await opsPerSec(N, c, fn));
    // A poll of 10,000 ids: one ANY($1) query (the store's mget) vs one query per id.
    const keys = Array.from({ length: WATCHED }, (_, i) =>
      i < KEYS ? KEY(i) : `celery-task-meta-${randomUUID()}`,
    );
    const mget = [];
    const perId = [];
    for (let r = 0; r < ROUNDS; r++) {
      let t0 = performance.now();
      await store.mget(keys);
      mget.push(performance.now() - t0);
      t0 = performance.now();
      await opsPerSec(WATCHED, CONC, (i) => store.get(keys[i]));
      perId.push(performance.now() - t0);
    }
    return {
      rates: Object.fromEntries(
        Object.entries(rates).map(([k, v]) => [k, median(v)]),
      ),
      mget: median(mget),
      perId: median(perId),
    };
  } finally {
    await store.close();
    await raw.end();
  }
}

// The service watching 10,000 pending ids on a counting pool: queries per poll interval.
async function queriesPerInterval(server, dist) {
  const real = server.pool('lib', 10);
  let count = 0;
  const pool = {
    query: (text, values) => (count++, real.query(text, values)),
    connect: () => real.connect(),
  };
  const svc = await dist.index.createResultBackend(
    { url: server.url('lib'), pollIntervalMs: 250, postgresql: { pool } },
    { logger },
  );
  const subs = [];
  try {
    for (let i = 0; i < WATCHED; i++)
      subs.push(
        svc.watch(randomUUID(), { timeout: 60_000 }).subscribe({ error() {} }),
      );
    while (svc.watching < WATCHED) await sleep(10);
    await sleep(1000);
    const c0 = count;
    const cpu0 = process.cpuUsage();
    await sleep(5000);
    const cpu = process.cpuUsage(cpu0);
    return {
      perInterval: (count - c0) / (5000 / 250),
      cpuPerPollMs: (cpu.user + cpu.system) / 1000 / (5000 / 250),
    };
  } finally {
    subs.forEach((s) => s.unsubscribe());
    await svc.close();
    await real.end();
  }
}

// Write → waitFor delay: the row written by a raw client (as a Celery worker would).
async function delays(server, dist, db, pollIntervalMs, samples) {
  const svc = await dist.index.createResultBackend(
    { url: server.url(db), pollIntervalMs },
    { logger },
  );
  const writer = server.pool(db, 2);
  const pickled = Buffer.from(dist.codec.dumpsPickle(42));
  const out = [];
  try {
    for (let i = 0; i < samples; i++) {
      const id = randomUUID();
      let t0 = 0;
      const done = svc
        .waitFor(id, { timeout: 10_000 })
        .then(() => performance.now() - t0);
      await sleep(50 + Math.random() * pollIntervalMs);
      t0 = performance.now();
      await writer.query(
        "INSERT INTO celery_taskmeta (id, task_id, status, result, date_done) VALUES (nextval('task_id_sequence'), $1, 'SUCCESS', $2, now() AT TIME ZONE 'UTC')",
        [id, pickled],
      );
      out.push(await done);
    }
  } finally {
    await svc.close();
    await writer.end();
  }
  return { p50: percentile(out, 50), p95: percentile(out, 95), n: out.length };
}

export async function run() {
  if (!HAS_POSTGRES)
    return '_skipped: no PostgreSQL binaries (Debian `postgresql`)_\n';
  const lib = '../../libs/result-backend/dist';
  const dist = {
    store: await import(`${lib}/stores/postgresql/postgresql.store.js`),
    url: await import(`${lib}/stores/postgresql/postgresql-url.parser.js`),
    codec: await import(`${lib}/codec.js`),
    index: await import(`${lib}/index.js`),
    config: await import(`${lib}/configuration.js`),
  };
  const server = await startPostgresql();
  try {
    for (const db of ['lib', 'push', 'poll']) await server.createDatabase(db);
    const t = await throughput(server, dist);
    const c = {};
    // Celery as a worker child runs it (pooled engine), and outside a worker (5.2.6 only).
    for (const { version, python: bin } of CELERY_RUNTIMES) {
      const db = `celery${version.replaceAll('.', '')}`;
      await server.createDatabase(db);
      for (const mode of version === '5.2.6'
        ? ['worker', 'client']
        : ['worker'])
        c[`${version} ${mode}`] = await celery(bin, server.url(db), mode).catch(
          (e) => ({ error: e.message }),
        );
    }
    const q = await queriesPerInterval(server, dist);
    for (const db of ['push', 'poll']) {
      const s = await dist.store.createPostgresqlStore(
        dist.url.parsePostgresqlUrl(server.url(db), { createTables: true }),
        ctx,
      );
      await s.close();
    }
    const admin = server.pool('push', 1);
    await dist.config.installPostgresqlNotifyTrigger(admin);
    await admin.end();
    const d = {
      notify: await delays(server, dist, 'push', 500, 40),
      poll500: await delays(server, dist, 'poll', 500, 20),
      poll100: await delays(server, dist, 'poll', 100, 20),
    };
    return report(t, c, q, d);
  } finally {
    await server.stop();
  }
}

function report(t, c, q, d) {
  const r = t.rates;
  const x = (a, b) => (b ? `${(a / b).toFixed(2)}×` : '');
  const w = c['5.2.6 worker'];
  const rows = [
    ['store.set guarded, 1 in flight', r['set@1'], r['rawSet@1'], w?.store],
    [
      `store.set guarded, ${CONC} in flight`,
      r[`set@${CONC}`],
      r[`rawSet@${CONC}`],
      w?.store,
    ],
    [
      `raw pg INSERT … ON CONFLICT (pre-pickled), 1 in flight`,
      r['rawSet@1'],
      r['rawSet@1'],
      w?.store,
    ],
    [
      `raw pg INSERT … ON CONFLICT (pre-pickled), ${CONC} in flight`,
      r[`rawSet@${CONC}`],
      r[`rawSet@${CONC}`],
      w?.store,
    ],
    ['store.get, 1 in flight', r['get@1'], r['rawGet@1'], w?.get],
    [
      `store.get, ${CONC} in flight`,
      r[`get@${CONC}`],
      r[`rawGet@${CONC}`],
      w?.get,
    ],
    [
      'raw pg SELECT by task_id, 1 in flight',
      r['rawGet@1'],
      r['rawGet@1'],
      w?.get,
    ],
    [
      `raw pg SELECT by task_id, ${CONC} in flight`,
      r[`rawGet@${CONC}`],
      r[`rawGet@${CONC}`],
      w?.get,
    ],
  ].map(([op, v, raw, cel]) => ({
    op,
    'ops/s': v,
    'vs raw pg': x(v, raw),
    'vs Celery 5.2.6 (worker)': x(v, cel),
  }));
  for (const [name, m] of Object.entries(c)) {
    if (m.error) {
      rows.push({
        op: `Celery ${name}: failed`,
        'ops/s': '',
        'vs raw pg': '',
        'vs Celery 5.2.6 (worker)': m.error.slice(0, 120),
      });
      continue;
    }
    rows.push(
      {
        op: `Celery ${name} store_result`,
        'ops/s': m.store,
        'vs raw pg': '',
        'vs Celery 5.2.6 (worker)': x(m.store, w?.store),
      },
      {
        op: `Celery ${name} get_task_meta`,
        'ops/s': m.get,
        'vs raw pg': '',
        'vs Celery 5.2.6 (worker)': x(m.get, w?.get),
      },
    );
  }
  let md = table(rows);
  md +=
    '\n' +
    table([
      {
        poll: `${WATCHED} ids, store.mget (one task_id = ANY($1) query)`,
        'ms per poll': t.mget,
        queries: 1,
      },
      {
        poll: `${WATCHED} ids, one query per id (${CONC} in flight)`,
        'ms per poll': t.perId,
        queries: WATCHED,
      },
      {
        poll: `service watching ${WATCHED} pending ids, pollIntervalMs 250: queries per interval`,
        'ms per poll': `${q.cpuPerPollMs.toFixed(1)} ms CPU`,
        queries: q.perInterval,
      },
    ]);
  md +=
    '\n' +
    table([
      {
        watcher: 'LISTEN/NOTIFY (trigger installed)',
        samples: d.notify.n,
        'p50 ms': d.notify.p50,
        'p95 ms': d.notify.p95,
      },
      {
        watcher: 'polling, pollIntervalMs 500',
        samples: d.poll500.n,
        'p50 ms': d.poll500.p50,
        'p95 ms': d.poll500.p95,
      },
      {
        watcher: 'polling, pollIntervalMs 100',
        samples: d.poll100.n,
        'p50 ms': d.poll100.p50,
        'p95 ms': d.poll100.p95,
      },
    ]);
  const sw = w ? (r['set@1'] / w.store).toFixed(2) : 'n/a';
  const gw = w ? (r['get@1'] / w.get).toFixed(2) : 'n/a';
  md += `\n- store.set vs Celery 5.2.6 store_result, both 1 in flight: **${sw}×** (target ≥ 2×); get vs get_task_meta: **${gw}×** (target ≥ 2×).\n`;
  return md + missingCeleryNote();
}
