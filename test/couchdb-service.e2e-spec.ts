/**
 * ResultBackendService over `couchdb://` (pouchdb-server): the shared service contract, plus
 * waiting through the `_changes` feed (a change written by someone else) and forget.
 */
import { Test, type TestingModule } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import {
  ResultBackendModule,
  ResultBackendService,
} from '../libs/result-backend/src/index.js';
import {
  couchRaw,
  POUCHDB_SERVER_BIN,
  startCouchServer,
  type CouchTestServer,
} from './support/couchdb-server.js';
import { describeWithServer } from './support/skip-gate.js';

describeWithServer(
  [POUCHDB_SERVER_BIN],
  'service on couchdb:// (pouchdb-server)',
  () => {
    let srv: CouchTestServer;
    beforeAll(async () => {
      srv = await startCouchServer();
    });
    afterAll(async () => {
      await srv?.dispose();
    });

    describe('changes feed and documents', () => {
      let moduleRef: TestingModule;
      let svc: ResultBackendService;

      beforeAll(async () => {
        moduleRef = await Test.createTestingModule({
          // A long poll interval: a prompt wake-up can only come from the changes feed.
          imports: [
            ResultBackendModule.forRoot({
              url: `couchdb://127.0.0.1:${srv.port}/feed`,
              pollIntervalMs: 60_000,
            }),
          ],
        }).compile();
        await moduleRef.init();
        svc = moduleRef.get(ResultBackendService);
      });
      afterAll(async () => {
        await moduleRef?.close();
      });

      it('markAsDone stores Celery’s document; getTaskMeta reads it', async () => {
        const id = randomUUID();
        await svc.markAsDone(id, { n: 1 });
        const doc = (await couchRaw(srv, 'GET', `/feed/celery-task-meta-${id}`))
          .json as Record<string, unknown>;
        expect(Object.keys(doc).sort()).toEqual(['_id', '_rev', 'value']);
        expect(doc.value).toMatch(
          /^\{"status": "SUCCESS", "result": \{"n": 1\}, "traceback": null, "children": null, "date_done": "/,
        );
        const meta = await svc.getTaskMeta(id);
        expect(meta).toMatchObject({
          status: 'SUCCESS',
          result: { n: 1 },
          taskId: id,
        });
        expect(meta.raw).toBe(doc.value);
      });

      it('waitFor wakes on a document written by someone else (raw PUT, as Celery does)', async () => {
        const id = randomUUID();
        const key = `celery-task-meta-${id}`;
        const waiting = svc.waitFor<number>(id, { timeout: 20_000 });
        await new Promise((r) => setTimeout(r, 300)); // let the watch register with the feed
        const value = `{"status": "SUCCESS", "result": 99, "traceback": null, "children": [], "date_done": "2026-01-01T00:00:00", "task_id": "${id}"}`;
        expect(
          (await couchRaw(srv, 'PUT', `/feed/${key}`, { _id: key, value }))
            .status,
        ).toBe(201);
        await expect(waiting).resolves.toBe(99);
      }, 30_000);

      it('forget deletes the document', async () => {
        const id = randomUUID();
        await svc.markAsDone(id, 1);
        await svc.forget(id);
        expect(
          (await couchRaw(srv, 'GET', `/feed/celery-task-meta-${id}`)).status,
        ).toBe(404);
        expect((await svc.getTaskMeta(id)).status).toBe('PENDING');
      });
    });
  },
);
