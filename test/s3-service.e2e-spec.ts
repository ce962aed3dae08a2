/**
 * ResultBackendService over `s3://` (s3rver): the shared service contract, then the S3
 * specifics through the service: Celery's bytes, a watch that sees a result written by
 * someone else, polling that costs 304s, forget/deleteGroup and cleanup.
 */
import { jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import {
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Test, type TestingModule } from '@nestjs/testing';
import { firstValueFrom, filter, take, toArray } from 'rxjs';
import {
  ResultBackendModule,
  ResultBackendService,
} from '../libs/result-backend/src/index.js';
import { buildS3ClientConfig } from '../libs/result-backend/src/stores/s3/s3-client.factory.js';
import {
  createS3Store,
  type S3ResultStore,
} from '../libs/result-backend/src/stores/s3/s3.store.js';
import { eventually } from './support/redis-server.js';
import { countS3Requests, describeWithS3rver } from './support/s3-server.js';
import { testStoreContext } from './support/store-context.js';

// Under load (2 shared cores) s3rver round trips slow down; no test relies on this bound.
jest.setTimeout(30_000);

const BUCKET = 'celery-results';

describeWithS3rver('service on s3:// (s3rver)', [BUCKET], (s3) => {
  describe('S3 specifics through the service', () => {
    let moduleRef: TestingModule;
    let svc: ResultBackendService;
    let store: S3ResultStore;
    let raw: S3Client;
    const base = 'svc/';
    const rawGet = async (key: string): Promise<string | null> => {
      try {
        const res = await raw.send(
          new GetObjectCommand({ Bucket: BUCKET, Key: base + key }),
        );
        return await res.Body!.transformToString();
      } catch {
        return null;
      }
    };

    beforeAll(async () => {
      store = (await createS3Store(
        s3.config(BUCKET, base),
        testStoreContext(),
      )) as S3ResultStore;
      raw = new S3Client(buildS3ClientConfig(s3.config(BUCKET)));
      moduleRef = await Test.createTestingModule({
        imports: [ResultBackendModule.forRoot({ store, pollIntervalMs: 100 })],
      }).compile();
      await moduleRef.init();
      svc = moduleRef.get(ResultBackendService);
    });
    afterAll(async () => {
      await moduleRef?.close();
      await store?.close(); // idempotent when the module already closed it
      raw?.destroy();
    });

    it('markAsDone writes Celery’s document under base path + key; getTaskMeta reads it', async () => {
      const id = randomUUID();
      await svc.markAsDone(id, { n: 1 });
      const stored = await rawGet(`celery-task-meta-${id}`);
      expect(stored).toMatch(
        /^\{"status": "SUCCESS", "result": \{"n": 1\}, "traceback": null, "children": null,/,
      );
      const meta = await svc.getTaskMeta(id);
      expect(meta).toMatchObject({
        status: 'SUCCESS',
        result: { n: 1 },
        taskId: id,
      });
      expect(meta.raw).toBe(stored);
    });

    it('a watch sees a result written by someone else (raw PutObject, as boto3 does)', async () => {
      const id = randomUUID();
      const states = firstValueFrom(
        svc.watch(id, { timeout: 20_000 }).pipe(
          filter((m) => m.status !== 'PENDING'),
          take(2),
          toArray(),
        ),
      );
      const done = svc.waitFor<number>(id, { timeout: 20_000 });
      const put = (status: string, result: string): Promise<unknown> =>
        raw.send(
          new PutObjectCommand({
            Bucket: BUCKET,
            Key: `${base}celery-task-meta-${id}`,
            Body: `{"status": "${status}", "result": ${result}, "traceback": null, "children": [], "date_done": null, "task_id": "${id}"}`,
          }),
        );
      await new Promise((r) => setTimeout(r, 250));
      await put('STARTED', '{"pid": 1}');
      await new Promise((r) => setTimeout(r, 400));
      await put('SUCCESS', '7');
      await expect(done).resolves.toBe(7);
      expect((await states).map((m) => m.status)).toEqual([
        'STARTED',
        'SUCCESS',
      ]);
    }, 30_000);

    it('polling many pending-then-started ids is served by 304s while nothing changes', async () => {
      const ids = Array.from({ length: 20 }, () => randomUUID());
      for (const id of ids) await svc.markAsStarted(id);
      const counter = countS3Requests(store.client);
      const sub = svc.watchMany(ids).subscribe();
      try {
        // Wait for at least three polls of all 20 keys (bounded: the loop must end with its test).
        await eventually(() => counter.requests >= 60, 40_000);
        const ok = counter.byStatus.get('GET 200') ?? 0;
        const notModified = counter.byStatus.get('GET 304') ?? 0;
        expect(ok + notModified).toBe(counter.requests);
        expect(notModified).toBeGreaterThanOrEqual(counter.requests - 20); // at most one full read per key
      } finally {
        sub.unsubscribe();
      }
    }, 60_000);

    it('forget and deleteGroup delete the objects (idempotent)', async () => {
      const id = randomUUID();
      const gid = randomUUID();
      await svc.markAsDone(id, 1);
      await svc.saveGroup(gid, [id]);
      expect(await rawGet(`celery-taskset-meta-${gid}`)).not.toBeNull();
      await svc.forget(id);
      await svc.forget(id);
      await svc.deleteGroup(gid);
      expect(await rawGet(`celery-task-meta-${id}`)).toBeNull();
      expect(await rawGet(`celery-taskset-meta-${gid}`)).toBeNull();
      expect((await svc.getTaskMeta(id)).status).toBe('PENDING');
      expect(await svc.restoreGroup(gid)).toBeNull();
    });

    it('ping goes through HeadBucket', async () => {
      await expect(svc.ping()).resolves.toBeUndefined();
    });
  });
});
