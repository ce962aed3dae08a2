// S3 store (s3://) on s3rver: store and get throughput against Celery 5.2.6's and 5.6.3's own S3 backend
// (boto3) on the same server in the same run, and what one poll of 1,000 watched ids costs
// (HTTP requests, response body bytes) with and without If-None-Match.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  CELERY_RUNTIMES,
  freePort,
  missingCeleryNote,
  opsPerSec,
  python,
  startProcess,
  table,
} from '../lib/harness.mjs';
import { countRequests } from '../lib/s3-requests.mjs';

export const title = 'S3 store (s3://, s3rver)';

const BUCKET = 'celery-results';
const N = 200;
const WATCHED = 1000;
const ctx = {
  logger: { log() {}, error() {}, warn() {} },
  maxPayloadBytes: 1024 * 1024,
  pollIntervalMs: 500,
};
const doc = (id, status = 'SUCCESS', result = '42') =>
  `{"status": "${status}", "result": ${result}, "traceback": null, "children": [], "date_done": "2026-01-01T00:00:00.000000", "task_id": "${id}"}`;

const PY = String.raw`
import json, os, time
from celery import Celery
app = Celery('bench')
app.conf.update(result_backend='s3', s3_endpoint_url=os.environ['S3_ENDPOINT'],
    s3_bucket=os.environ['S3_BUCKET'], s3_access_key_id='S3RVER',
    s3_secret_access_key='S3RVER', s3_region='us-east-1')
b = app.backend
n, watched = int(os.environ['N']), int(os.environ['WATCHED'])
count = {'requests': 0, 'bytes': 0}
def after(http_response, model, **kw):
    count['requests'] += 1
    if model.name != 'HeadObject':  # a HEAD answer announces a length but carries no body
        count['bytes'] += int(http_response.headers.get('content-length') or 0)
b._s3_resource.meta.client.meta.events.register('after-call.s3', after)
def timed(fn, ids):
    count.update(requests=0, bytes=0)
    t = time.perf_counter()
    for i in ids: fn(i)
    s = time.perf_counter() - t
    return {'ops': len(ids) / s, 'ms': s * 1000, 'requests': count['requests'], 'bytes': count['bytes']}
ids = [os.environ['PREFIX'] + '-%d' % i for i in range(n)]
out = {}
out['store'] = timed(lambda i: b.store_result(i, 42, 'SUCCESS'), ids)
out['get'] = timed(lambda i: b.get_task_meta(i, cache=False), ids)
# The same 1,000 keys the TS store polled (STARTED ones written by the TS store).
pending = ['pending-%d' % i for i in range(watched)]
out['poll_pending'] = timed(lambda i: b.get_task_meta(i, cache=False), pending)
started = ['started-%d' % i for i in range(watched)]
out['poll_started'] = timed(lambda i: b.get_task_meta(i, cache=False), started)
print(json.dumps(out))
`;

export async function run() {
  const dist = '../../libs/result-backend/dist/stores/s3/';
  const { createS3Store, S3ResultStore } = await import(`${dist}s3.store.js`);
  const { buildS3ClientConfig } = await import(`${dist}s3-client.factory.js`);
  const sdk = await import('@aws-sdk/client-s3');
  const dir = await mkdtemp(join(tmpdir(), 's3rver-bench-'));
  const port = await freePort();
  const server = await startProcess(
    process.execPath,
    [
      resolve('node_modules/.bin/s3rver'),
      '-d',
      dir,
      '-a',
      '127.0.0.1',
      '-p',
      String(port),
      '--silent',
      '--configure-bucket',
      BUCKET,
    ],
    port,
    { env: { ...process.env, NODE_NO_WARNINGS: '1' } },
  );
  const endpointUrl = `http://127.0.0.1:${port}`;
  const cfg = {
    kind: 's3',
    bucket: BUCKET,
    basePath: '',
    endpointUrl,
    region: 'us-east-1',
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    forcePathStyle: true,
  };
  const stores = [];
  const open = async (tuning) => {
    const s = tuning
      ? new S3ResultStore(
          sdk,
          new sdk.S3Client(buildS3ClientConfig(cfg)),
          cfg,
          ctx,
          tuning,
        )
      : await createS3Store(cfg, ctx);
    stores.push(s);
    return { store: s, counter: countRequests(s.client) };
  };
  const rows = [];
  const pollRows = [];
  const celery = {};
  try {
    // --- throughput ------------------------------------------------------------------------
    const ids = Array.from({ length: N }, (_, i) => `celery-task-meta-ts-${i}`);
    const w = await open();
    const perOp = (c) => (c.requests / N).toFixed(1);
    for (const [label, conc] of [
      ['1', 1],
      ['8', 8],
    ]) {
      w.counter.reset();
      const keys = ids.map((k) => `${k}-c${conc}`);
      const ops = await opsPerSec(N, conc, (i) =>
        w.store.set(keys[i], doc(keys[i]), null, true),
      );
      rows.push({
        op: 'store (guarded)',
        client: `TS store, concurrency ${label}`,
        'ops/s': ops,
        'HTTP req/op': perOp(w.counter),
      });
    }
    w.counter.reset();
    const unguarded = await opsPerSec(N, 1, (i) =>
      w.store.set(`${ids[i]}-u`, doc(ids[i]), null, false),
    );
    rows.push({
      op: 'store (unguarded)',
      client: 'TS store, concurrency 1',
      'ops/s': unguarded,
      'HTTP req/op': perOp(w.counter),
    });
    const cold = await open({ etagCacheSize: 0 });
    const keys1 = ids.map((k) => `${k}-c1`);
    rows.push({
      op: 'get',
      client: 'TS store, no ETag cache, concurrency 1',
      'ops/s': await opsPerSec(N, 1, (i) => cold.store.get(keys1[i])),
      'HTTP req/op': perOp(cold.counter),
    });
    cold.counter.reset();
    rows.push({
      op: 'get',
      client: 'TS store, no ETag cache, concurrency 8',
      'ops/s': await opsPerSec(N, 8, (i) => cold.store.get(keys1[i])),
      'HTTP req/op': perOp(cold.counter),
    });
    const warm = await open();
    await warm.store.mget(keys1);
    warm.counter.reset();
    rows.push({
      op: 'get (unchanged, 304)',
      client: 'TS store, ETag cache, concurrency 1',
      'ops/s': await opsPerSec(N, 1, (i) => warm.store.get(keys1[i])),
      'HTTP req/op': perOp(warm.counter),
    });

    // --- one poll of 1,000 watched ids (what the watch engine does per interval) --------------
    const pending = Array.from(
      { length: WATCHED },
      (_, i) => `celery-task-meta-pending-${i}`,
    );
    const started = Array.from(
      { length: WATCHED },
      (_, i) => `celery-task-meta-started-${i}`,
    );
    await opsPerSec(WATCHED, 16, (i) =>
      w.store.set(
        started[i],
        doc(started[i], 'STARTED', '{"pid": 1}'),
        null,
        false,
      ),
    );
    const poll = async (label, c, keys) => {
      c.counter.reset();
      const t0 = performance.now();
      await c.store.mget(keys);
      pollRows.push({
        watched: label,
        client: c.label,
        'HTTP requests': c.counter.requests,
        'body bytes': c.counter.bytes,
        'ms/poll': performance.now() - t0,
        statuses: Object.entries(c.counter.status)
          .map(([k, v]) => `${v}× ${k}`)
          .join(', '),
      });
    };
    const inm = {
      ...(await open()),
      label: 'TS store, If-None-Match (2nd poll)',
    };
    const plain = {
      ...(await open({ etagCacheSize: 0 })),
      label: 'TS store, no If-None-Match',
    };
    await poll('1,000 pending', inm, pending);
    await poll('1,000 pending', plain, pending);
    await inm.store.mget(started);
    await poll('1,000 STARTED, unchanged', inm, started);
    await poll('1,000 STARTED, unchanged', plain, started);

    // --- Celery 5.2.6 and 5.6.3 (boto3), same server ------------------------------------------
    for (const { version, python: py } of CELERY_RUNTIMES) {
      const r = await python(
        PY,
        {
          S3_ENDPOINT: endpointUrl,
          S3_BUCKET: BUCKET,
          N: String(N),
          WATCHED: String(WATCHED),
          PREFIX: `py${version.replaceAll('.', '')}`,
        },
        py,
      );
      celery[version] = r;
      const client = `Celery ${version} S3Backend (boto3)`;
      rows.push({
        op: 'store (guarded)',
        client,
        'ops/s': r.store.ops,
        'HTTP req/op': (r.store.requests / N).toFixed(1),
      });
      rows.push({
        op: 'get',
        client,
        'ops/s': r.get.ops,
        'HTTP req/op': (r.get.requests / N).toFixed(1),
      });
      for (const [label, x] of [
        ['1,000 pending', r.poll_pending],
        ['1,000 STARTED, unchanged', r.poll_started],
      ]) {
        pollRows.push({
          watched: label,
          client: `Celery ${version} (HEAD + GET per id)`,
          'HTTP requests': x.requests,
          'body bytes': x.bytes,
          'ms/poll': x.ms,
          statuses: '',
        });
      }
    }
  } finally {
    for (const s of stores) await s.close();
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
  // same-run ratios: each row's ops/s over Celery's store_result (store rows) or get_task_meta
  const withRatios = rows.map((row) => ({
    ...row,
    ...Object.fromEntries(
      Object.entries(celery).map(([ver, r]) => [
        `vs Celery ${ver}`,
        `${(row['ops/s'] / (row.op.startsWith('store') ? r.store.ops : r.get.ops)).toFixed(2)}×`,
      ]),
    ),
  }));
  return (
    `Sequential Celery vs the TS store on one s3rver (${N} ops each; "guarded" = SUCCESS-is-final read before write, as both do).\n\n` +
    table(withRatios) +
    `\nOne poll of ${WATCHED.toLocaleString('en')} watched ids (the watch engine does one \`mget\` per interval; Celery's \`AsyncResult.get\` polls each id with HEAD then GET). Body bytes = sum of response Content-Length (404 error documents included).\n\n` +
    table(pollRows) +
    missingCeleryNote()
  );
}
