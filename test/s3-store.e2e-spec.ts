/**
 * S3 store against a real s3rver: the raw store contract, Celery's vectors byte for byte,
 * base-path concatenation, conditional reads (304) and cleanup().
 */
import { jest } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type _Object,
} from '@aws-sdk/client-s3';
import {
  createS3Store,
  S3ResultStore,
} from '../libs/result-backend/src/stores/s3/s3.store.js';
import { buildS3ClientConfig } from '../libs/result-backend/src/stores/s3/s3-client.factory.js';
import { cleanupS3Results } from '../libs/result-backend/src/stores/s3/s3.cleanup.js';
import type { ResultStore } from '../libs/result-backend/src/stores/result-store.interface.js';
import { countS3Requests, describeWithS3rver } from './support/s3-server.js';
import { testStoreContext } from './support/store-context.js';
import { freshKey } from './support/store-contract.js';
import { celeryVectors, vectorFileBytes } from './support/celery-vectors.js';

// Under load (2 shared cores) s3rver round trips slow down; no test relies on this bound.
jest.setTimeout(30_000);

const BUCKET = 'celery-results';

interface StoredVector {
  key: string;
  file: string;
}
const manifest = celeryVectors<{
  vector: string;
  backend: string;
  stored: StoredVector[];
}>();
const s3Stored = manifest.vectors
  .filter((v) => v.backend === 's3')
  .flatMap((v) => v.stored.map((s) => ({ vector: v.vector, ...s })));

describeWithS3rver('s3 store (s3rver)', [BUCKET], (s3) => {
  let store: S3ResultStore;
  let raw: S3Client;

  const rawGet = async (key: string): Promise<Buffer> => {
    const res = await raw.send(
      new GetObjectCommand({ Bucket: BUCKET, Key: key }),
    );
    return Buffer.from(await res.Body!.transformToByteArray());
  };
  const listKeys = async (prefix: string): Promise<_Object[]> =>
    (
      await raw.send(
        new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }),
      )
    ).Contents ?? [];

  beforeAll(async () => {
    store = (await createS3Store(
      s3.config(BUCKET),
      testStoreContext(),
    )) as S3ResultStore;
    raw = new S3Client(buildS3ClientConfig(s3.config(BUCKET)));
  });
  afterAll(async () => {
    await store?.close();
    raw?.destroy();
  });

  it('is a polling store that does not expire by itself', () => {
    expect(store.kind).toBe('s3');
    expect(store.autoExpires).toBe(false);
    expect(store.description).toBe(
      `s3://${BUCKET}/?endpoint_url=${s3.server.endpointUrl}&region=us-east-1`,
    );
  });

  it(`stores every s3 vector (${s3Stored.length} objects) under its key, byte for byte`, async () => {
    expect(s3Stored.length).toBeGreaterThan(100);
    for (const s of s3Stored) {
      const bytes = vectorFileBytes(s.file);
      await store.set(s.key, bytes.toString('utf8'), null, false);
      const back = await rawGet(s.key);
      expect({ vector: s.vector, equal: back.equals(bytes) }).toEqual({
        vector: s.vector,
        equal: true,
      });
    }
    const keys = new Set((await listKeys('celery-')).map((o) => o.Key));
    for (const s of s3Stored) expect(keys.has(s.key)).toBe(true);
  });

  it('reads objects written by another client (Celery-style PUT, no content type) byte for byte', async () => {
    for (const s of s3Stored.slice(0, 40)) {
      const bytes = vectorFileBytes(s.file);
      const key = `${freshKey('')}-${s.key}`;
      await raw.send(
        new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: bytes }),
      );
      expect(await store.get(key)).toBe(bytes.toString('utf8'));
    }
  });

  it('glues base path prefix/ to the key with no separator', async () => {
    const prefixed = await createS3Store(
      s3.config(BUCKET, 'prefix/'),
      testStoreContext(),
    );
    try {
      const id = freshKey('');
      const key = `celery-task-meta-${id}`;
      await prefixed.set(key, '{"status": "SUCCESS"}', null, true);
      expect((await rawGet(`prefix/celery-task-meta-${id}`)).toString()).toBe(
        '{"status": "SUCCESS"}',
      );
      expect(await store.get(key)).toBeNull(); // not under the bare key
      expect(await prefixed.get(key)).toBe('{"status": "SUCCESS"}');
      await prefixed.delete(key);
      expect(await listKeys(`prefix/celery-task-meta-${id}`)).toEqual([]);
    } finally {
      await prefixed.close();
    }
  });

  it("glues Celery's documented base path /celery_result_backend to the key (request path)", async () => {
    // The object key starts with "/": AWS accepts it; s3rver (and boto3 against s3rver) cannot
    // store it, so check the request the SDK sends: /<bucket>//celery_result_backendcelery-task-meta-<id>.
    const slashed = (await createS3Store(
      s3.config(BUCKET, '/celery_result_backend'),
      testStoreContext(),
    )) as S3ResultStore;
    const counter = countS3Requests(slashed.client);
    try {
      await expect(slashed.get('celery-task-meta-abc')).rejects.toThrow(
        /unavailable/,
      );
      expect(counter.paths[0]).toBe(
        `GET /${BUCKET}//celery_result_backendcelery-task-meta-abc`,
      );
    } finally {
      await slashed.close();
    }
  });

  it('polls unchanged keys with 304s and no body, and sees changes made by another writer', async () => {
    const polling = (await createS3Store(
      s3.config(BUCKET),
      testStoreContext(),
    )) as S3ResultStore;
    const counter = countS3Requests(polling.client);
    try {
      const keys = Array.from({ length: 8 }, () => freshKey());
      for (const [i, k] of keys.entries())
        if (i < 6)
          await store.set(k, `{"status": "STARTED", "n": ${i}}`, null, false);
      const first = await polling.mget(keys);
      expect(counter.byStatus.get('GET 200')).toBe(6);
      expect(counter.byStatus.get('GET 404')).toBe(2);
      counter.reset();
      expect(await polling.mget(keys)).toEqual(first);
      expect(Object.fromEntries(counter.byStatus)).toEqual({
        'GET 304': 6,
        'GET 404': 2,
      });
      expect(counter.bodyBytes).toBeLessThan(2 * 400); // only the two 404 error documents
      // Another writer changes one, deletes one, creates one.
      await store.set(keys[0], '{"status": "SUCCESS", "n": 0}', null, false);
      await store.delete(keys[1]);
      await store.set(keys[6], '{"status": "PENDING?"}', null, false);
      counter.reset();
      const third = await polling.mget(keys);
      expect(third[0]).toBe('{"status": "SUCCESS", "n": 0}');
      expect(third[1]).toBeNull();
      expect(third[6]).toBe('{"status": "PENDING?"}');
      expect(third.slice(2, 6)).toEqual(first.slice(2, 6));
      expect(Object.fromEntries(counter.byStatus)).toEqual({
        'GET 200': 2,
        'GET 304': 4,
        'GET 404': 2,
      });
      // delete() drops the cache entry: nothing stale is served afterwards.
      const before = polling.cachedKeys;
      await polling.delete(keys[2]);
      expect(polling.cachedKeys).toBe(before - 1);
      expect(await polling.get(keys[2])).toBeNull();
    } finally {
      await polling.close();
    }
  });

  it('cleanup(expires) deletes only result objects older than expires, under its base path', async () => {
    const base = `${freshKey('cleanup-')}/`;
    const cleaner = await createS3Store(
      s3.config(BUCKET, base),
      testStoreContext(),
    );
    try {
      const old = [
        'celery-task-meta-o1',
        'celery-task-meta-o2',
        'celery-taskset-meta-o3',
        'chord-unlock-o4',
      ];
      for (const k of old)
        await cleaner.set(k, '{"status": "SUCCESS"}', null, false);
      await cleaner.set('unrelated-old-object', 'x', null, false);
      await raw.send(
        new PutObjectCommand({
          Bucket: BUCKET,
          Key: `celery-task-meta-outside-${base}`,
          Body: 'x',
        }),
      );
      // Wait until the server's LastModified of the old objects is more than 2 s in the past.
      const newest = async (): Promise<number> =>
        Math.max(
          ...(await listKeys(base)).map((o) => o.LastModified!.getTime()),
        );
      const writtenAt = await newest();
      while (Date.now() - writtenAt < 3000) await sleep(200);
      const fresh = ['celery-task-meta-n1', 'celery-taskset-meta-n2'];
      for (const k of fresh)
        await cleaner.set(k, '{"status": "STARTED"}', null, false);

      expect(await cleaner.cleanup!(0)).toBe(0); // 0 = never expire, as Celery
      expect((await listKeys(base)).length).toBe(7);
      expect(await cleaner.cleanup!(2)).toBe(old.length);
      const left = (await listKeys(base))
        .map((o) => o.Key!.slice(base.length))
        .sort();
      expect(left).toEqual([...fresh, 'unrelated-old-object'].sort());
      expect(await listKeys(`celery-task-meta-outside-${base}`)).toHaveLength(
        1,
      );
      for (const k of old) expect(await cleaner.get(k)).toBeNull();
    } finally {
      await cleaner.close();
    }
  });

  it('cleanup with the global key prefix deletes only the prefixed results (as the service passes them)', async () => {
    const base = `${freshKey('prefixed-')}/`;
    const prefixed = ['a', 'b'].map(
      (id) => `${base}svc:celery-task-meta-${id}`,
    );
    const other = `${base}celery-task-meta-c`;
    await Promise.all(
      [...prefixed, other].map((Key) =>
        raw.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body: 'x' })),
      ),
    );
    const sdk = await import('@aws-sdk/client-s3');
    const outcome = await cleanupS3Results({
      sdk,
      client: raw,
      bucket: BUCKET,
      basePath: base,
      prefixes: ['svc:celery-task-meta-', 'svc:celery-taskset-meta-'],
      expiresSeconds: 60,
      now: new Date(Date.now() + 3_600_000),
    });
    expect(outcome.deleted.sort()).toEqual([...prefixed].sort());
    expect((await listKeys(base)).map((o) => o.Key)).toEqual([other]);
  });

  it('cleanup pages through ListObjectsV2 and batches DeleteObjects', async () => {
    const base = `${freshKey('paged-')}/`;
    const keys = Array.from(
      { length: 7 },
      (_, i) => `${base}celery-task-meta-${i}`,
    );
    await Promise.all(
      keys.map((Key) =>
        raw.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body: 'x' })),
      ),
    );
    const counter = countS3Requests(raw);
    const sdk = await import('@aws-sdk/client-s3');
    const future = new Date(Date.now() + 3_600_000); // every object is older than 60 s by then
    const outcome = await cleanupS3Results({
      sdk,
      client: raw,
      bucket: BUCKET,
      basePath: base,
      expiresSeconds: 60,
      pageSize: 3,
      now: future,
    });
    expect(outcome.deleted.sort()).toEqual([...keys].sort());
    expect(outcome.failed).toEqual([]);
    expect(counter.byStatus.get('POST 200')).toBe(3); // 3 + 3 + 1 DeleteObjects
    expect(await listKeys(base)).toEqual([]);
  });

  it('close() is idempotent and later calls fail with a typed error', async () => {
    const s: ResultStore = await createS3Store(
      s3.config(BUCKET),
      testStoreContext(),
    );
    await s.close();
    await s.close();
    await expect(s.get('celery-task-meta-x')).rejects.toThrow(/closed/);
  });
});
