/**
 * S3 with many waiters (issue 17 §7) on s3rver: every GET of the store shares one
 * concurrency limit, first reads are batched, each key is delivered as its GET returns, and
 * polls never overlap. Asserts counts and spans (never wall time).
 */
import { jest } from '@jest/globals';
import {
  createResultBackend,
  type ResultBackendService,
} from '../libs/result-backend/src/index.js';
import {
  createS3Store,
  type S3ResultStore,
} from '../libs/result-backend/src/stores/s3/s3.store.js';
import type { WatchEngine } from '../libs/result-backend/src/watch/watch-engine.js';
import { addS3Middleware, describeWithS3rver } from './support/s3-server.js';
import { testStoreContext } from './support/store-context.js';

jest.setTimeout(60_000);

const BUCKET = 'many-waiters';
const WAITERS = Number(process.env.S3_MANY_WAITERS ?? 300);
const LIMIT = 16;

interface GetSpans {
  /** GETs in flight now / at most, over the whole store and per object key. */
  now: number;
  max: number;
  perKeyMax: number;
  readonly perKey: Map<string, number>;
}

/** Count GetObject requests in flight (deserialize-step middleware on the store's client). */
function trackGets(store: S3ResultStore): GetSpans {
  const spans: GetSpans = { now: 0, max: 0, perKeyMax: 0, perKey: new Map() };
  addS3Middleware(
    store.client,
    'initialize',
    'count-gets',
    (next) => async (args) => {
      const key = (args.input.Key as string | undefined) ?? '';
      const isGet = !('Body' in args.input) && key !== '';
      if (!isGet) return next(args);
      spans.now++;
      spans.max = Math.max(spans.max, spans.now);
      const k = (spans.perKey.get(key) ?? 0) + 1;
      spans.perKey.set(key, k);
      spans.perKeyMax = Math.max(spans.perKeyMax, k);
      try {
        return await next(args);
      } finally {
        spans.now--;
        spans.perKey.set(key, (spans.perKey.get(key) ?? 1) - 1);
      }
    },
  );
  return spans;
}

describeWithS3rver('s3: many waiters (s3rver)', [BUCKET], (s3) => {
  let store: S3ResultStore;
  let svc: ResultBackendService;

  beforeAll(async () => {
    store = (await createS3Store(
      { ...s3.config(BUCKET), maxConcurrency: LIMIT },
      testStoreContext(),
    )) as S3ResultStore;
    svc = await createResultBackend(
      { store, pollIntervalMs: 100 },
      { logger: testStoreContext().logger },
    );
  });
  afterAll(async () => {
    await svc?.close();
    await store?.close();
  });

  it(`delivers ${WAITERS} waiters under one GET limit, with polls that never overlap`, async () => {
    const spans = trackGets(store);
    const engine = (svc as unknown as { engine: WatchEngine }).engine;
    let pollsRunning = 0;
    let pollsMax = 0;
    const poll = (engine as unknown as { poll(ms: number): Promise<void> })
      .poll;
    (engine as unknown as { poll(ms: number): Promise<void> }).poll =
      async function (this: WatchEngine, ms: number) {
        pollsRunning++;
        pollsMax = Math.max(pollsMax, pollsRunning);
        try {
          await poll.call(this, ms);
        } finally {
          pollsRunning--;
        }
      };
    const ids = Array.from({ length: WAITERS }, (_, i) => `many-${i}`);
    let delivered = 0;
    const waits = ids.map((id, i) =>
      svc.waitFor<number>(id, { timeout: 50_000 }).then((v) => {
        expect(v).toBe(i);
        delivered++;
      }),
    );
    // Write in the background while the waiters' reads and polls run.
    for (let i = 0; i < ids.length; i += 200)
      await Promise.all(
        ids.slice(i, i + 200).map((id, j) => svc.markAsDone(id, i + j)),
      );
    await Promise.all(waits);
    expect(delivered).toBe(WAITERS);
    expect(spans.max).toBeLessThanOrEqual(LIMIT);
    expect(store.maxGetsInFlight).toBeLessThanOrEqual(LIMIT);
    // One GET per key at a time: reads join the GET running, and a read after a write waits
    // for it to end before it starts one fresh GET.
    expect(spans.perKeyMax).toBe(1);
    expect(pollsMax).toBeLessThanOrEqual(1);
    expect(engine.size).toBe(0);
  });
});
