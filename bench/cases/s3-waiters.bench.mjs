// S3 store (s3://) on s3rver with many pending waiters: 1,000 and 10,000 `waitFor` on one
// service while a separate writer process (raw SDK PutObject, 16 in flight, as a worker fleet
// would) stores every result. Measured: first and last delivery after the writer began and
// ended, the CPU of the waiting process, and the requests it sent. Baseline in the same run: the
// raw SDK in a naive loop (one GET per pending id per interval, 16 in flight). Ids are
// `<n>-<run>` (they differ from their first character, as Celery's UUIDs do), so a listing of
// the result prefix covers every result in the bucket, earlier runs' included.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, startProcess, table } from '../lib/harness.mjs';
import { countRequests } from '../lib/s3-requests.mjs';

export const title = 'S3 store: many pending waiters (s3rver)';

const BUCKET = 'celery-results';
const SIZES = (process.env.S3_WAITERS ?? '1000,10000').split(',').map(Number);
/** Rows to run (`S3_WAITERS_ROWS=list,get,raw`, e.g. one of them for `node --cpu-prof`). */
const ROWS = (process.env.S3_WAITERS_ROWS ?? 'list,get,raw').split(',');
const INTERVAL_MS = 500;
const CONCURRENCY = 16;
/** The service as configured by default (LIST first from 64 keys) and with listing off. */
const SERVICE_VARIANTS = [
  ['list', 'LIST first from 64 keys: the default', 64],
  ['get', 'listThreshold 0: one GET per key', 0],
].filter(([row]) => ROWS.includes(row));
const count = (n) => n.toLocaleString('en');
const now = () => performance.timeOrigin + performance.now();
const doc = (id) =>
  `{"status": "SUCCESS", "result": 42, "traceback": null, "children": [], "date_done": "2026-01-01T00:00:00.000000", "task_id": "${id}"}`;

// The writer: a separate process, so its CPU is not the waiters'. Prints {start, end} (epoch ms).
const WRITER = String.raw`
import { S3Client, PutObjectCommand } from '@aws-sdk/client-s3';
const [endpoint, bucket, prefix, n, conc] = process.argv.slice(1);
const c = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true,
  credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
const now = () => performance.timeOrigin + performance.now();
const start = now();
let next = 0;
await Promise.all(Array.from({ length: Number(conc) }, async () => {
  for (let i = next++; i < Number(n); i = next++) {
    const id = i + prefix;
    await c.send(new PutObjectCommand({ Bucket: bucket, Key: 'celery-task-meta-' + id,
      Body: '{"status": "SUCCESS", "result": 42, "traceback": null, "children": [], "date_done": "2026-01-01T00:00:00.000000", "task_id": "' + id + '"}' }));
  }
}));
process.stdout.write(JSON.stringify({ start, end: now() }));
c.destroy();
`;

function runWriter(endpoint, prefix, n) {
  return new Promise((res, rej) => {
    const child = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        WRITER,
        endpoint,
        BUCKET,
        prefix,
        String(n),
        String(CONCURRENCY),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', rej);
    child.on('exit', (code) =>
      code === 0 ? res(JSON.parse(out)) : rej(new Error(`writer exit ${code}`)),
    );
  });
}

/** Wait for every id with `wait(id)`, while the writer stores them; the measured row. */
async function measure(label, endpoint, prefix, n, wait, counter, polls) {
  const ids = Array.from({ length: n }, (_, i) => `${i}${prefix}`);
  const cpu0 = process.cpuUsage();
  counter.reset();
  let first = Infinity;
  let last = 0;
  const all = Promise.all(
    ids.map((id) =>
      wait(id).then(() => {
        const t = now();
        first = Math.min(first, t);
        last = Math.max(last, t);
      }),
    ),
  );
  await new Promise((r) => setTimeout(r, 2 * INTERVAL_MS)); // every waiter is pending first
  const cpuPending = process.cpuUsage(cpu0);
  const getsPending = counter.requests;
  const polls0 = polls();
  const cpu1 = process.cpuUsage();
  const w = await runWriter(endpoint, prefix, n);
  await all;
  const cpu = process.cpuUsage(cpu1);
  const pollCount = polls() - polls0;
  const ms = (u) => Math.round((u.user + u.system) / 1000);
  return {
    waiters: n.toLocaleString('en'),
    client: label,
    'first delivery after writer began (ms)': Math.round(first - w.start),
    'last delivery after writer ended (ms)': Math.round(last - w.end),
    'writer ran (ms)': Math.round(w.end - w.start),
    'CPU while pending, 1 s (ms)': ms(cpuPending),
    'CPU while delivering (ms)': ms(cpu),
    'requests while pending, 1 s': count(getsPending),
    'requests in all': count(counter.requests),
    'of which LIST': count(counter.lists()),
    'polls while delivering': count(pollCount),
    'CPU per poll (ms)': pollCount ? Math.round(ms(cpu) / pollCount) : '-',
  };
}

/** The raw SDK baseline: poll every pending id each interval, 16 GETs in flight. */
function naivePoller(sdk, client) {
  const pending = new Map();
  let stopped = false;
  let polls = 0;
  const loop = async () => {
    while (!stopped) {
      polls++;
      const t0 = now();
      const keys = [...pending.keys()];
      let next = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          for (let i = next++; i < keys.length; i = next++) {
            try {
              const r = await client.send(
                new sdk.GetObjectCommand({ Bucket: BUCKET, Key: keys[i] }),
              );
              JSON.parse(await r.Body.transformToString());
              pending.get(keys[i])?.();
              pending.delete(keys[i]);
            } catch (e) {
              if (e?.name !== 'NoSuchKey') throw e;
            }
          }
        }),
      );
      await new Promise((r) =>
        setTimeout(r, Math.max(0, INTERVAL_MS - (now() - t0))),
      );
    }
  };
  const running = loop();
  return {
    wait: (id) => new Promise((r) => pending.set(`celery-task-meta-${id}`, r)),
    polls: () => polls,
    stop: async () => {
      stopped = true;
      await running;
    },
  };
}

export async function run() {
  const lib = '../../libs/result-backend/dist/';
  const { createResultBackend } = await import(
    `${lib}result-backend.factory.js`
  );
  const sdk = await import('@aws-sdk/client-s3');
  const dir = await mkdtemp(join(tmpdir(), 's3rver-waiters-'));
  const port = await freePort();
  const server = await startProcess(
    process.execPath,
    [
      resolve('node_modules/.bin/s3rver'),
      ...['-d', dir, '-a', '127.0.0.1', '-p', String(port), '--silent'],
      ...['--configure-bucket', BUCKET],
    ],
    port,
    { env: { ...process.env, NODE_NO_WARNINGS: '1' } },
  );
  const endpoint = `http://127.0.0.1:${port}`;
  const rows = [];
  try {
    for (const n of SIZES) {
      for (const [, how, listThreshold] of SERVICE_VARIANTS) {
        const service = await createResultBackend({
          url: `s3://${BUCKET}/?endpoint_url=${encodeURIComponent(endpoint)}`,
          s3: {
            region: 'us-east-1',
            accessKeyId: 'S3RVER',
            secretAccessKey: 'S3RVER',
            listThreshold,
          },
          pollIntervalMs: INTERVAL_MS,
        });
        try {
          rows.push(
            await measure(
              `service.waitFor (GET limit ${CONCURRENCY}, ${how})`,
              endpoint,
              `-svc${listThreshold}-${n}`,
              n,
              (id) => service.waitFor(id),
              countRequests(service.store.client),
              () => service.engine.polls,
            ),
          );
        } finally {
          await service.close();
        }
      }
      if (!ROWS.includes('raw')) continue;
      const client = new sdk.S3Client({
        endpoint,
        region: 'us-east-1',
        forcePathStyle: true,
        credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      });
      const poller = naivePoller(sdk, client);
      try {
        rows.push(
          await measure(
            `raw SDK, naive poll (${CONCURRENCY} in flight)`,
            endpoint,
            `-raw-${n}`,
            n,
            poller.wait,
            countRequests(client),
            poller.polls,
          ),
        );
      } finally {
        await poller.stop();
        client.destroy();
      }
    }
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
  return (
    `Pending waiters on one process, poll interval ${INTERVAL_MS} ms; a separate writer process stores every result ` +
    `(raw PutObject, ${CONCURRENCY} in flight). Times are from the writer's start/end (same clock); CPU is the waiting process only.\n\n` +
    table(rows)
  );
}
