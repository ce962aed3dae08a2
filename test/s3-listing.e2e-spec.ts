/**
 * S3 reads of many keys LIST the prefix first (issue 17 §7), on s3rver: keys absent from the
 * listing read PENDING without a GET, keys listed with the ETag last read are served from the
 * cache, new or changed keys are GET; a prefix holding more objects than the page budget falls
 * back to one GET per key. Counts requests by SDK command (never wall time).
 */
import { jest } from '@jest/globals';
import {
  createResultBackend,
  type ResultBackendService,
} from '../libs/result-backend/src/index.js';
import {
  createS3Store,
  S3ResultStore,
} from '../libs/result-backend/src/stores/s3/s3.store.js';
import { buildS3ClientConfig } from '../libs/result-backend/src/stores/s3/s3-client.factory.js';
import { mapConcurrent } from '../libs/result-backend/src/utils/map-concurrent.util.js';
import { addS3Middleware, describeWithS3rver } from './support/s3-server.js';
import { testStoreContext } from './support/store-context.js';
import { eventually } from './support/redis-server.js';

jest.setTimeout(60_000);

const BUCKET = 'listing';
const BASE = 'lst/';
const PAGE = 100;

/** Requests the store's client sent, by SDK command name (`GetObjectCommand` …). */
function countRequests(store: S3ResultStore): Map<string, number> {
  const counts = new Map<string, number>();
  addS3Middleware(store.client, 'initialize', 'count-requests', (next, ctx) => {
    const name = ctx.commandName ?? '?';
    return (args) => {
      counts.set(name, (counts.get(name) ?? 0) + 1);
      return next(args);
    };
  });
  return counts;
}

const doc = (id: string, result: number): string =>
  JSON.stringify({ status: 'SUCCESS', result, task_id: id });

describeWithS3rver(
  's3: reads of many keys list first (s3rver)',
  [BUCKET],
  (s3) => {
    let reader: S3ResultStore;
    let writer: S3ResultStore;
    let counts: Map<string, number>;
    const warnings: string[] = [];
    const took = (): Record<string, number> => {
      const out = Object.fromEntries(counts);
      counts.clear();
      return out;
    };

    beforeAll(async () => {
      const config = s3.config(BUCKET, BASE);
      // Pages of 100 keys (S3's are 1,000), so paging and the page budget need few objects.
      const sdk = await import('@aws-sdk/client-s3');
      reader = new S3ResultStore(
        sdk,
        new sdk.S3Client(buildS3ClientConfig(config)),
        { ...config, listThreshold: 64 },
        testStoreContext(warnings),
        { listPageKeys: PAGE },
      );
      // Another process's store: its writes are unknown to the reader's ETag cache.
      writer = (await createS3Store(
        config,
        testStoreContext(),
      )) as S3ResultStore;
      counts = countRequests(reader);
    });
    afterAll(async () => {
      await reader?.close();
      await writer?.close();
    });

    it('GETs only new or changed keys; unlisted keys read PENDING without a GET', async () => {
      const keys = Array.from(
        { length: 100 },
        (_, i) => `celery-task-meta-n${i}`,
      );
      for (let i = 0; i < 10; i++)
        await writer.set(keys[i], doc(keys[i], i), null, false);
      const expected = keys.map((k, i) => (i < 10 ? doc(k, i) : null));
      expect(await reader.mget(keys)).toEqual(expected);
      expect(took()).toEqual({ ListObjectsV2Command: 1, GetObjectCommand: 10 });
      // Nothing changed: the listing's ETags match the cached ones, no GET at all.
      expect(await reader.mget(keys)).toEqual(expected);
      expect(took()).toEqual({ ListObjectsV2Command: 1 });
      // A key changes after it was delivered (new ETag), another one is written: both are read.
      await writer.set(keys[3], doc(keys[3], 33), null, false);
      await writer.set(keys[50], doc(keys[50], 50), null, false);
      const reads: [number, string | null][] = [];
      await reader.mgetEach(keys, (i, r) => {
        if (r.ok && (i === 3 || i === 50)) reads.push([i, r.value]);
      });
      expect(reads.sort((a, b) => a[0] - b[0])).toEqual([
        [3, doc(keys[3], 33)],
        [50, doc(keys[50], 50)],
      ]);
      expect(took()).toEqual({ ListObjectsV2Command: 1, GetObjectCommand: 2 });
      // Below the threshold: one GET per key, no listing.
      expect(await reader.mget(keys.slice(0, 63))).toHaveLength(63);
      expect(took()).toEqual({ GetObjectCommand: 63 });
      expect(warnings).toEqual([]);
    });

    it('pages through the prefix, and falls back to one GET per key when the prefix is over budget', async () => {
      // 102 objects under the watched keys' common prefix: two pages.
      const others = Array.from(
        { length: PAGE + 1 },
        (_, i) => `celery-task-meta-p-x${i}`,
      );
      await mapConcurrent(others, 64, (k) =>
        writer.set(k, doc(k, 0), null, false),
      );
      const keys = Array.from(
        { length: 128 },
        (_, i) => `celery-task-meta-p-${i}`,
      );
      await writer.set(keys[7], doc(keys[7], 7), null, false);
      const expected = keys.map((k, i) => (i === 7 ? doc(k, 7) : null));
      // 128 keys may list 2 pages: the listing completes. s3rver cannot paginate V2 on Node >= 17
      // (HTTP 500 building the token): the store goes on with ListObjects V1, and stays there.
      expect(await reader.mget(keys)).toEqual(expected);
      expect(took()).toEqual({
        ListObjectsV2Command: 1,
        ListObjectsCommand: 2,
        GetObjectCommand: 1,
      });
      // 64 keys may list 1 page: capped, so this read GETs every key …
      expect(await reader.mget(keys.slice(0, 64))).toEqual(
        expected.slice(0, 64),
      );
      expect(took()).toEqual({ ListObjectsCommand: 1, GetObjectCommand: 64 });
      // … and the next one does not list again (remembered for a while).
      expect(await reader.mget(keys.slice(0, 64))).toEqual(
        expected.slice(0, 64),
      );
      expect(took()).toEqual({ GetObjectCommand: 64 });
      // A larger read has the budget for the whole prefix again: no GET (key 7 is cached).
      expect(await reader.mget(keys)).toEqual(expected);
      expect(took()).toEqual({ ListObjectsCommand: 2 });
    });

    it('a watch over many keys sees a key change after a state was delivered', async () => {
      const svc: ResultBackendService = await createResultBackend(
        { store: reader, pollIntervalMs: 100 },
        { logger: testStoreContext().logger },
      );
      try {
        const ids = Array.from({ length: 80 }, (_, i) => `w${i}`);
        const key = (id: string): string => `celery-task-meta-${id}`;
        const states: string[] = [];
        const seen = new Promise<void>((resolve, reject) => {
          const sub = svc.watch('w0').subscribe({
            next: (m) => {
              states.push(m.status);
              if (m.status === 'SUCCESS') {
                sub.unsubscribe();
                resolve();
              }
            },
            error: reject,
          });
        });
        const rest = ids.slice(1).map((id) => svc.waitFor<number>(id));
        await eventually(() => states.includes('PENDING'), 20_000);
        await writer.set(
          key('w0'),
          JSON.stringify({ status: 'STARTED', result: null, task_id: 'w0' }),
          null,
          false,
        );
        await eventually(() => states.includes('STARTED'), 20_000);
        await writer.set(key('w0'), doc('w0', 1), null, false);
        await seen;
        await Promise.all(
          ids
            .slice(1)
            .map((id, i) => writer.set(key(id), doc(id, i), null, false)),
        );
        expect(await Promise.all(rest)).toEqual(ids.slice(1).map((_, i) => i));
        expect(states).toEqual(['PENDING', 'STARTED', 'SUCCESS']);
        // (s3rver made the store list with V1, see above.)
        expect(counts.get('ListObjectsCommand') ?? 0).toBeGreaterThan(0);
      } finally {
        await svc.close();
      }
    });
  },
);
