// CouchDB store (couchdb://) on pouchdb-server (in memory): set and get throughput against
// raw nano in the same run, and how fast a write reaches a watcher through the _changes feed
// compared with polling every 500 ms.
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  freePort,
  opsPerSec,
  percentile,
  startProcess,
  table,
} from '../lib/harness.mjs';

export const title = 'CouchDB store (couchdb://, pouchdb-server in memory)';

const N = 600;
const KEYS = 100;
const CONCURRENCY = 8;
const SAMPLES = 40;
const POLL_MS = 500;
const ctx = {
  logger: { log() {}, error() {}, warn() {} },
  maxPayloadBytes: 1024 * 1024,
  pollIntervalMs: POLL_MS,
};
const doc = (i, status = 'STARTED') =>
  `{"status": "${status}", "result": ${i}, "traceback": null, "children": [], "date_done": null, "task_id": "bench-${i}"}`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median3 = async (fn) =>
  [await fn(), await fn(), await fn()].sort((a, b) => a - b)[1];

export async function run() {
  const { createCouchDbStore } =
    await import('../../libs/result-backend/dist/stores/couchdb/couchdb.store.js');
  const dir = await mkdtemp(join(tmpdir(), 'pouchdb-bench-'));
  const port = await freePort();
  const bin = resolve('node_modules/.bin/pouchdb-server');
  const server = await startProcess(
    process.execPath,
    [
      bin,
      '-m',
      '-p',
      String(port),
      '-o',
      '127.0.0.1',
      '-n',
      '--no-color',
      '-c',
      join(dir, 'config.json'),
    ],
    port,
    { cwd: dir },
  );
  const cfg = (database) => ({
    kind: 'couchdb',
    protocol: 'http',
    host: '127.0.0.1',
    port,
    database,
  });
  const store = await createCouchDbStore(cfg('bench'), ctx);
  const writer = await createCouchDbStore(cfg('bench'), ctx);
  try {
    const nano = createRequire(import.meta.url)('nano')(
      `http://127.0.0.1:${port}`,
    );
    await nano.db.create('raw').catch(() => undefined);
    const raw = nano.use('raw');
    const key = (i) => `celery-task-meta-bench-${i % KEYS}`;
    let fresh = 0;

    // Writes of new documents: one PUT each, for both.
    const storeNew = () =>
      store.set(`celery-task-meta-new-${fresh++}`, doc(fresh), null, true);
    const rawNew = () =>
      raw.insert({ _id: `celery-task-meta-new-${fresh++}`, value: doc(fresh) });
    // Updates of existing documents: the store's PUT → 409 → GET → PUT vs raw GET → PUT.
    for (let i = 0; i < KEYS; i++) {
      await store.set(key(i), doc(i), null, false);
      await raw.insert({ _id: key(i), value: doc(i) });
    }
    const storeUpdate = (i) => store.set(key(i), doc(i), null, true);
    // Alternating writers: each write finds the other's revision (409, GET, PUT).
    const crossUpdate = (i) =>
      (i % 2 ? writer : store).set(key(i >> 1), doc(i), null, true);
    const rawUpdate = async (i) => {
      const current = await raw.get(key(i));
      await raw.insert({ _id: key(i), _rev: current._rev, value: doc(i) });
    };
    const storeGet = (i) => store.get(key(i));
    const rawGet = (i) => raw.get(key(i));
    // Distinct keys per in-flight slot for updates (no self-inflicted conflicts).
    for (const f of [storeNew, rawNew, storeGet, rawGet])
      await opsPerSec(200, CONCURRENCY, f);
    const m = {
      storeNew: await median3(() => opsPerSec(N, CONCURRENCY, storeNew)),
      rawNew: await median3(() => opsPerSec(N, CONCURRENCY, rawNew)),
      storeUpdate: await median3(() => opsPerSec(N, 1, storeUpdate)),
      crossUpdate: await median3(() => opsPerSec(N, 1, crossUpdate)),
      rawUpdate: await median3(() => opsPerSec(N, 1, rawUpdate)),
      storeGet: await median3(() => opsPerSec(N, CONCURRENCY, storeGet)),
      rawGet: await median3(() => opsPerSec(N, CONCURRENCY, rawGet)),
      mget: await median3(async () => {
        const keys = Array.from({ length: KEYS }, (_, i) => key(i));
        const t0 = process.hrtime.bigint();
        for (let r = 0; r < N / KEYS; r++) await store.mget(keys);
        return N / (Number(process.hrtime.bigint() - t0) / 1e9);
      }),
    };

    // Write → event latency through the changes feed.
    const watched = Array.from(
      { length: SAMPLES },
      (_, i) => `celery-task-meta-watch-${i}`,
    );
    await store.push.add(watched);
    const pending = new Map();
    const sub = store.push.events.subscribe((e) => {
      if (e.type === 'change' && pending.has(e.key)) {
        pending.get(e.key)(performance.now());
        pending.delete(e.key);
      }
    });
    const feedDelays = [];
    for (const [i, k] of watched.entries()) {
      const seen = new Promise((r) => pending.set(k, r));
      const t0 = performance.now();
      await writer.set(k, doc(i, 'SUCCESS'), null, true);
      feedDelays.push((await seen) - t0);
      await sleep(20);
    }
    sub.unsubscribe();
    await store.push.remove(watched);

    // Write → detection latency when polling every POLL_MS with one mget.
    const polled = Array.from(
      { length: 16 },
      (_, i) => `celery-task-meta-poll-${i}`,
    );
    const writtenAt = new Map();
    const pollDelays = [];
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const values = await store.mget(polled);
        const now = performance.now();
        values.forEach((v, i) => {
          const at = writtenAt.get(polled[i]);
          if (v !== null && at !== undefined) {
            pollDelays.push(now - at);
            writtenAt.delete(polled[i]);
          }
        });
        await sleep(POLL_MS);
      }
    })();
    for (const [i, k] of polled.entries()) {
      await sleep(Math.random() * POLL_MS + 100);
      const t0 = performance.now();
      await writer.set(k, doc(i, 'SUCCESS'), null, true);
      writtenAt.set(k, t0);
    }
    await sleep(POLL_MS * 2);
    polling = false;
    await poller;

    const ratio = (a, b) => `${(a / b).toFixed(2)}×`;
    let md = table([
      {
        op: `set, new document (store, ${CONCURRENCY} in flight)`,
        'ops/s': m.storeNew,
        'vs nano': ratio(m.storeNew, m.rawNew),
      },
      {
        op: `nano insert, new document (${CONCURRENCY} in flight)`,
        'ops/s': m.rawNew,
        'vs nano': '1.00×',
      },
      {
        op: 'set, guarded update of its own last write (one PUT with the known _rev; 1 in flight)',
        'ops/s': m.storeUpdate,
        'vs nano': ratio(m.storeUpdate, m.rawUpdate),
      },
      {
        op: 'set, guarded update after another writer (PUT 409, GET, PUT; 1 in flight)',
        'ops/s': m.crossUpdate,
        'vs nano': ratio(m.crossUpdate, m.rawUpdate),
      },
      {
        op: 'nano get + insert with _rev (1 in flight)',
        'ops/s': m.rawUpdate,
        'vs nano': '1.00×',
      },
      {
        op: `get (store, ${CONCURRENCY} in flight)`,
        'ops/s': m.storeGet,
        'vs nano': ratio(m.storeGet, m.rawGet),
      },
      {
        op: `nano get (${CONCURRENCY} in flight)`,
        'ops/s': m.rawGet,
        'vs nano': '1.00×',
      },
      {
        op: `mget of ${KEYS} keys via _all_docs, per key (store)`,
        'ops/s': m.mget,
        'vs nano': ratio(m.mget, m.rawGet),
      },
    ]);
    md +=
      '\n' +
      table([
        {
          watcher: '_changes feed (longpoll, filter=_doc_ids, include_docs)',
          samples: feedDelays.length,
          'median ms': percentile(feedDelays, 50),
          'p95 ms': percentile(feedDelays, 95),
        },
        {
          watcher: `polling, one mget every ${POLL_MS} ms`,
          samples: pollDelays.length,
          'median ms': percentile(pollDelays, 50),
          'p95 ms': percentile(pollDelays, 95),
        },
      ]);
    md +=
      `\nWrite → event delay is measured from just before the writer's \`set()\` to the event (feed) or to the poll that saw it, ` +
      `so it includes the write's own round trip. A guarded update is one PUT when this store wrote the document last (it remembers the revision), ` +
      `and three round trips after another writer (Celery's own pattern: PUT, 409, GET, PUT); nano's get + insert is always two.\n`;
    return md;
  } finally {
    await store.close();
    await writer.close();
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
