// Filesystem store (file://): guarded set (atomic temp + rename) and get throughput in both
// I/O modes, against raw node:fs and Celery 5.2.6's and 5.6.3's FilesystemBackend, measured in
// interleaved rounds (the machine is shared, so every number is a median over rounds).
import {
  mkdir,
  mkdtemp,
  readFile,
  rename,
  rm,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CELERY_RUNTIMES,
  missingCeleryNote,
  opsPerSec,
  python,
  table,
} from '../lib/harness.mjs';

export const title = 'Filesystem store (file://)';

const N_SET = 500; // writes hit the disk: keep the case short
const N_GET = 2000;
const KEYS = 100;
const ROUNDS = 3;
const CONCURRENCY = 16;
const ID = (i) =>
  `d8ad7aa3-8539-4a4d-867b-${String(i % KEYS).padStart(12, '0')}`;
const KEY = (i) => `celery-task-meta-${ID(i)}`;
// STARTED documents: the SUCCESS guard lets every write through, as for Celery below.
const DOCS = Array.from(
  { length: KEYS },
  (_, i) =>
    `{"status": "STARTED", "result": {"pid": 4242, "hostname": "w1@bench"}, "traceback": null, "children": [], "date_done": null, "task_id": "${ID(i)}"}`,
);
const ctx = {
  logger: { log() {}, error() {}, warn() {} },
  maxPayloadBytes: 512 * 1024 * 1024,
  pollIntervalMs: 500,
};

const celeryRound = (dir) => `
import json, time
from celery import Celery
be = Celery(backend='file://${dir}').backend
NS, NG, K = ${N_SET}, ${N_GET}, ${KEYS}
ids = ['d8ad7aa3-8539-4a4d-867b-%012d' % i for i in range(K)]
keys = [be.get_key_for_task(i) for i in ids]
meta = {'pid': 4242, 'hostname': 'w1@bench'}
def rate(n, fn):
    t = time.perf_counter(); fn(); return n / (time.perf_counter() - t)
def store():
    for n in range(NS): be.store_result(ids[n % K], meta, 'STARTED')
def get_meta():
    for n in range(NG): be.get_task_meta(ids[n % K])
def kv_get():
    for n in range(NG): be.get(keys[n % K])
for i in ids: be.store_result(i, meta, 'STARTED')
print(json.dumps({'store': rate(NS, store), 'meta': rate(NG, get_meta), 'kv_get': rate(NG, kv_get)}))
`;

const isSetCase = (name) =>
  name.startsWith('set') || name.includes('writeFile');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function run() {
  const { createFilesystemStore } =
    await import('../../libs/result-backend/dist/stores/filesystem/filesystem.store.js');
  const root = await mkdtemp(join(tmpdir(), 'fs-bench-'));
  const stores = [];
  try {
    const dir = async (n) => {
      const d = join(root, n);
      await mkdir(d);
      return d;
    };
    const rawDir = await dir('raw');
    const celeryDir = await dir('celery');
    const autoStore = await createFilesystemStore(
      { kind: 'filesystem', path: await dir('auto') },
      ctx,
    );
    const asyncStore = await createFilesystemStore(
      { kind: 'filesystem', path: await dir('async') },
      ctx,
      { ioMode: 'async' },
    );
    const syncStore = await createFilesystemStore(
      { kind: 'filesystem', path: await dir('sync') },
      ctx,
      { ioMode: 'sync' },
    );
    stores.push(autoStore, asyncStore, syncStore);
    let tmpSeq = 0;
    const cases = {
      'set guarded, default (auto: local disk)': [
        CONCURRENCY,
        (i) => autoStore.set(KEY(i), DOCS[i % KEYS], 86400, true),
      ],
      'set guarded, async': [
        CONCURRENCY,
        (i) => asyncStore.set(KEY(i), DOCS[i % KEYS], 86400, true),
      ],
      'set guarded, sync': [
        1,
        (i) => syncStore.set(KEY(i), DOCS[i % KEYS], 86400, true),
      ],
      'raw fs/promises writeFile(temp) + rename': [
        CONCURRENCY,
        async (i) => {
          const tmp = join(rawDir, `.tmp-${++tmpSeq}`);
          await writeFile(tmp, DOCS[i % KEYS]);
          await rename(tmp, join(rawDir, KEY(i)));
        },
      ],
      'get, default (auto: local disk)': [
        CONCURRENCY,
        (i) => autoStore.get(KEY(i)),
      ],
      'get, default (auto), one at a time': [1, (i) => autoStore.get(KEY(i))],
      'get, async': [CONCURRENCY, (i) => asyncStore.get(KEY(i))],
      'get, async, one at a time': [1, (i) => asyncStore.get(KEY(i))],
      'get, sync': [1, (i) => syncStore.get(KEY(i))],
      'raw fs/promises readFile': [
        CONCURRENCY,
        (i) => readFile(join(rawDir, KEY(i)), 'utf8'),
      ],
    };
    const results = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
    const celery = Object.fromEntries(
      CELERY_RUNTIMES.map((r) => [
        r.version,
        { store: [], meta: [], kv_get: [] },
      ]),
    );
    // Warm up: every key exists everywhere.
    for (const [conc, fn] of Object.values(cases))
      await opsPerSec(KEYS * 2, conc, fn);
    for (let r = 0; r < ROUNDS; r++) {
      for (const [name, [conc, fn]] of Object.entries(cases)) {
        results[name].push(
          await opsPerSec(isSetCase(name) ? N_SET : N_GET, conc, fn),
        );
      }
      for (const { version, python: py } of CELERY_RUNTIMES) {
        const c = await python(celeryRound(celeryDir), {}, py);
        for (const k of Object.keys(c)) celery[version][k].push(c[k]);
      }
    }
    const m = Object.fromEntries(
      Object.entries(results).map(([k, v]) => [k, median(v)]),
    );
    const c = Object.fromEntries(
      Object.entries(celery).map(([v, xs]) => [
        v,
        {
          store: median(xs.store),
          meta: median(xs.meta),
          kv: median(xs.kv_get),
        },
      ]),
    );
    const versions = Object.keys(c);
    const ratio = (a, b) => (b ? `${(a / b).toFixed(2)}×` : 'n/a');
    const vsCelery = (v, isSet) =>
      Object.fromEntries(
        versions.map((ver) => [
          `vs Celery ${ver}`,
          v === undefined ? '' : ratio(v, isSet ? c[ver].store : c[ver].meta),
        ]),
      );
    const rows = Object.entries(m).map(([op, v]) => {
      const isSet = isSetCase(op);
      return {
        op: `${op}, ${cases[op][0]} in flight`,
        'ops/s': v,
        'vs raw fs': ratio(
          v,
          isSet
            ? m['raw fs/promises writeFile(temp) + rename']
            : m['raw fs/promises readFile'],
        ),
        ...vsCelery(v, isSet),
      };
    });
    for (const ver of versions)
      rows.push(
        {
          op: `Celery ${ver} store_result (guard read + in-place write)`,
          'ops/s': c[ver].store,
          'vs raw fs': '',
          ...vsCelery(c[ver].store, true),
        },
        {
          op: `Celery ${ver} get_task_meta`,
          'ops/s': c[ver].meta,
          'vs raw fs': '',
          ...vsCelery(c[ver].meta, false),
        },
        {
          op: `Celery ${ver} backend.get (raw bytes)`,
          'ops/s': c[ver].kv,
          'vs raw fs': '',
          ...vsCelery(undefined, false),
        },
      );
    let md = table(rows);
    md +=
      `\n${N_SET} writes / ${N_GET} reads per round over ${KEYS} keys of ~170 bytes, median of ${ROUNDS} interleaved rounds; "vs Celery" compares ` +
      'sets with `store_result` (writes a STARTED meta, so its SUCCESS guard never skips) and gets with `get_task_meta`.\n' +
      'The store writes a temp file and renames it (a reader never sees an empty or partial file); Celery truncates and ' +
      'rewrites in place. Celery includes JSON encoding/decoding of the meta; the store moves already-encoded text. ' +
      "`async` mode runs file calls on libuv's thread pool (4 threads, one round trip per call); `sync` blocks the event " +
      'loop per call, like Celery does.\n';
    md += missingCeleryNote();
    return md;
  } finally {
    for (const s of stores) await s.close();
    await rm(root, { recursive: true, force: true });
  }
}
