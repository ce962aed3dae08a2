/**
 * The full ResultBackendService contract, run against every backend through a real Nest app.
 * Usage inside a spec (after the store's server is started):
 *   runServiceContract(() => ({ url }), { ... })
 */
import { Test, type TestingModule } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import { firstValueFrom, tap, toArray, take } from 'rxjs';
import {
  InvalidTaskIdError,
  PayloadTooLargeError,
  ResultBackendModule,
  ResultBackendService,
  ResultTimeoutError,
  TaskFailedError,
  TaskRevokedError,
  type ResultBackendModuleOptions,
} from '../../libs/result-backend/src/index.js';
import { runFaultContract } from './fault-contract.js';

/** What differs between stores. */
export interface ServiceContractCaps {
  /** Poll interval to use for polling stores (ms); keeps the suite fast. */
  readonly pollIntervalMs?: number;
  /**
   * The store keeps Celery's database columns (SQL): no `group_id`/`parent_id` columns (as in
   * Celery's DatabaseBackend), and a document that is not valid JSON is refused on write.
   */
  readonly rows?: boolean;
  /**
   * django-celery-results' rows (implies `rows`): `date_done` is set on every write (Django's
   * `auto_now`), request columns are `task_name`, `task_args`, `task_kwargs`, `worker` and
   * `periodic_task_name` (no `retries`/`queue`).
   */
  readonly django?: boolean;
}

/** Registers the service contract. `options()` is called in beforeAll (after servers start). */
export function runServiceContract(
  options: () => ResultBackendModuleOptions,
  caps: ServiceContractCaps = {},
): void {
  describe('ResultBackendService contract', () => {
    let moduleRef: TestingModule;
    let svc: ResultBackendService;
    const id = (): string => randomUUID();

    beforeAll(async () => {
      moduleRef = await Test.createTestingModule({
        imports: [
          ResultBackendModule.forRoot({
            pollIntervalMs: caps.pollIntervalMs ?? 50,
            maxPayloadBytes: 1024 * 1024,
            ...options(),
          }),
        ],
      }).compile();
      await moduleRef.init();
      svc = moduleRef.get(ResultBackendService);
    });

    afterAll(async () => {
      await moduleRef?.close();
    });

    it('reads a missing result as PENDING', async () => {
      const meta = await svc.getTaskMeta(id());
      expect(meta.status).toBe('PENDING');
      expect(meta.result).toBeNull();
      expect(meta.raw).toBeNull();
    });

    it('stores and reads back a success with Celery fields', async () => {
      const t = id();
      await svc.markAsDone(t, { a: 1, list: [1, 'é', null] });
      const meta = await svc.getTaskMeta(t);
      expect(meta.status).toBe('SUCCESS');
      expect(meta.result).toEqual({ a: 1, list: [1, 'é', null] });
      expect(meta.taskId).toBe(t);
      expect(meta.dateDone).toBeInstanceOf(Date);
      expect(
        meta.raw?.startsWith(
          '{"status": "SUCCESS", "result": {"a": 1, "list": [1, "\\u00e9", null]}',
        ),
      ).toBe(true);
      expect(await svc.getStatus(t)).toBe('SUCCESS');
      expect(await svc.getResult(t)).toEqual({ a: 1, list: [1, 'é', null] });
    });

    it('keeps SUCCESS final', async () => {
      const t = id();
      expect(await svc.markAsDone(t, 42)).toBe('written');
      expect(await svc.markAsFailure(t, new Error('late'))).toBe(
        'kept-success',
      );
      expect(await svc.markAsStarted(t)).toBe('kept-success');
      expect((await svc.reloadTaskResult(t)).result).toBe(42);
    });

    it('stores STARTED, a custom PROGRESS state and RETRY as not ready', async () => {
      const t = id();
      await svc.markAsStarted(t, { pid: 1, hostname: 'w@h' });
      expect((await svc.getTaskMeta(t)).status).toBe('STARTED');
      await svc.storeResult(t, { current: 3, total: 10 }, 'PROGRESS');
      const p = await svc.getTaskMeta(t);
      expect(p.status).toBe('PROGRESS');
      expect(p.result).toEqual({ current: 3, total: 10 });
      if (caps.django) expect(p.dateDone).toBeInstanceOf(Date);
      else expect(p.dateDone).toBeNull();
      await svc.markAsRetry(t, new Error('again'));
      const r = await svc.getTaskMeta(t);
      expect(r.status).toBe('RETRY');
      expect(r.error).toBeInstanceOf(TaskFailedError);
    });

    it('turns failures into TaskFailedError and copies them exactly', async () => {
      const t = id();
      await svc.markAsFailure(t, new TypeError('bad input'));
      const meta = await svc.getTaskMeta(t);
      expect(meta.status).toBe('FAILURE');
      expect(meta.error).toBeInstanceOf(TaskFailedError);
      expect(meta.error?.excType).toBe('TypeError');
      expect(meta.error?.excArgs).toEqual(['bad input']);
      expect(meta.traceback).toEqual(expect.any(String));
      const copy = id();
      await svc.markAsFailure(copy, meta.error);
      const again = await svc.getTaskMeta(copy);
      expect(again.error?.excType).toBe('TypeError');
      expect(again.error?.excModule).toBe(meta.error?.excModule);
      expect(again.error?.excArgs).toEqual(['bad input']);
      expect(again.traceback).toBe(meta.traceback);
    });

    it('stores REVOKED as TaskRevokedError', async () => {
      const t = id();
      await svc.markAsRevoked(t, 'terminated');
      const meta = await svc.getTaskMeta(t);
      expect(meta.status).toBe('REVOKED');
      expect(meta.error).toBeInstanceOf(TaskRevokedError);
      expect(meta.error?.excArgs).toEqual(['terminated']);
      await expect(svc.waitFor(t)).rejects.toBeInstanceOf(TaskRevokedError);
    });

    it('writes extended request fields and group/parent ids in Celery order', async () => {
      const t = id();
      await svc.markAsDone(t, 5, {
        groupId: 'g1',
        parentId: 'p1',
        request: {
          name: 'tasks.add',
          args: [2, 3],
          kwargs: {},
          worker: 'w1@h',
          retries: 0,
          queue: 'celery',
        },
      });
      const meta = await svc.getTaskMeta(t);
      if (caps.django)
        expect(meta.raw).toMatch(
          /^\{"status": "SUCCESS", "result": 5, "traceback": null, "children": null, "date_done": "[^"]+\+00:00", "name": "tasks.add", "args": \[2, 3\], "kwargs": \{\}, "worker": "w1@h", "periodic_task_name": null, "task_id": "[^"]+"\}$/,
        );
      else if (caps.rows)
        expect(meta.raw).toMatch(
          /^\{"status": "SUCCESS", "result": 5, "traceback": null, "children": null, "date_done": "[^"]+", "name": "tasks.add", "args": \[2, 3\], "kwargs": \{\}, "worker": "w1@h", "retries": 0, "queue": "celery", "task_id": "[^"]+"\}$/,
        );
      else
        expect(meta.raw).toMatch(
          /^\{"status": "SUCCESS", "result": 5, "traceback": null, "children": null, "date_done": "[^"]+", "group_id": "g1", "parent_id": "p1", "name": "tasks.add", "args": \[2, 3\], "kwargs": \{\}, "worker": "w1@h", "retries": 0, "queue": "celery", "task_id": "[^"]+"\}$/,
        );
      expect(meta.name).toBe('tasks.add');
    });

    it('forgets a result', async () => {
      const t = id();
      await svc.markAsDone(t, 1);
      await svc.forget(t);
      expect((await svc.reloadTaskResult(t)).status).toBe('PENDING');
      await expect(svc.forget(t)).resolves.toBeUndefined();
    });

    it('refuses hostile ids with a typed error and writes nothing', async () => {
      for (const bad of ['', 'a\u0000b', 'x'.repeat(300), 'line\nbreak']) {
        await expect(svc.markAsDone(bad, 1)).rejects.toBeInstanceOf(
          InvalidTaskIdError,
        );
        await expect(svc.getTaskMeta(bad)).rejects.toBeInstanceOf(
          InvalidTaskIdError,
        );
      }
      expect(() => svc.watch('')).not.toThrow(); // lazy: errors on subscribe
      await expect(firstValueFrom(svc.watch(''))).rejects.toBeInstanceOf(
        InvalidTaskIdError,
      );
    });

    it('refuses oversize payloads and keeps the stored value', async () => {
      const t = id();
      await svc.markAsStarted(t);
      await expect(
        svc.markAsDone(t, 'x'.repeat(2 * 1024 * 1024)),
      ).rejects.toBeInstanceOf(PayloadTooLargeError);
      expect((await svc.reloadTaskResult(t)).status).toBe('STARTED');
    });

    it('getMany returns metas in order', async () => {
      const ids = [id(), id(), id()];
      await svc.markAsDone(ids[0], 'a');
      await svc.markAsDone(ids[2], 'c');
      const many = await svc.getMany(ids);
      expect([...many.keys()]).toEqual(ids);
      expect([...many.values()].map((m) => m.status)).toEqual([
        'SUCCESS',
        'PENDING',
        'SUCCESS',
      ]);
    });

    it('saves, restores and deletes groups', async () => {
      const g = id();
      const members = [id(), id()];
      await svc.saveGroup(g, members);
      const restored = await svc.restoreGroup(g);
      expect(restored?.groupId).toBe(g);
      expect(restored?.results.map((r) => r.id)).toEqual(members);
      await svc.deleteGroup(g);
      expect(await svc.restoreGroup(g)).toBeNull();
    });

    it('watch emits each distinct state and completes after a ready one', async () => {
      const t = id();
      const got: string[] = [];
      const seen = firstValueFrom(
        svc.watch(t, { timeout: 10000 }).pipe(
          tap((m) => got.push(m.status)),
          toArray(),
        ),
      );
      // Each write waits for the state before it to be seen: a settled state, not a pause.
      await waitUntil(() => got.at(-1) === 'PENDING');
      await svc.markAsStarted(t);
      await waitUntil(() => got.at(-1) === 'STARTED');
      await svc.storeResult(t, { step: 1 }, 'PROGRESS');
      await waitUntil(() => got.at(-1) === 'PROGRESS');
      await svc.markAsDone(t, 'ok');
      const metas = await seen;
      const states = metas.map((m) => m.status);
      expect(states).toEqual(['PENDING', 'STARTED', 'PROGRESS', 'SUCCESS']);
      expect(metas.at(-1)?.result).toBe('ok');
      await waitUntil(() => svc.watching === 0);
    });

    it('waitFor resolves with the result, and on an already stored one', async () => {
      const t = id();
      const p = svc.waitFor<number>(t, { timeout: 10000 });
      await pause(30);
      await svc.markAsDone(t, 7);
      await expect(p).resolves.toBe(7);
      await expect(svc.waitFor(t, { timeout: 1000 })).resolves.toBe(7);
    });

    it('waitFor rejects with TaskFailedError, or returns it without propagate', async () => {
      const t = id();
      await svc.markAsFailure(t, new RangeError('nope'));
      const err = await svc
        .waitFor(t, { timeout: 2000 })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TaskFailedError);
      expect((err as TaskFailedError).excType).toBe('ValueError');
      const value = await svc.waitFor(t, { timeout: 2000, propagate: false });
      expect(value).toBeInstanceOf(TaskFailedError);
    });

    it('waitFor times out with ResultTimeoutError and releases the watch', async () => {
      const t = id();
      await expect(svc.waitFor(t, { timeout: 150 })).rejects.toBeInstanceOf(
        ResultTimeoutError,
      );
      await waitUntil(() => svc.watching === 0);
    });

    it('unsubscribing releases everything', async () => {
      const ids = Array.from({ length: 50 }, () => id());
      const subs = ids.map((t) => svc.watch(t).subscribe());
      try {
        await waitUntil(() => svc.watching === 50);
      } finally {
        subs.forEach((s) => s.unsubscribe());
      }
      await waitUntil(() => svc.watching === 0);
    });

    it('watchMany emits as results become ready; join returns them in order', async () => {
      const ids = [id(), id(), id()];
      const emitted: string[] = [];
      const order = firstValueFrom(
        svc.watchMany(ids, { timeout: 10000 }).pipe(
          tap((m) => emitted.push(m.taskId)),
          toArray(),
        ),
      );
      const joined = svc.join<string>(ids, { timeout: 10000 });
      await pause(30);
      await svc.markAsDone(ids[2], 'c');
      // settled: ids[2] was emitted before the others exist (a slow poll would see all three)
      await waitUntil(() => emitted.length === 1);
      await svc.markAsDone(ids[0], 'a');
      await svc.markAsDone(ids[1], 'b');
      expect(await joined).toEqual(['a', 'b', 'c']);
      const metas = await order;
      expect(metas).toHaveLength(3);
      expect(metas[0].taskId).toBe(ids[2]);
    });

    it('join propagates the first failure', async () => {
      const ids = [id(), id()];
      await svc.markAsDone(ids[0], 1);
      await svc.markAsFailure(ids[1], new Error('boom'));
      await expect(svc.join(ids, { timeout: 2000 })).rejects.toBeInstanceOf(
        TaskFailedError,
      );
      await expect(
        svc.join(ids, { timeout: 2000, propagate: false }),
      ).resolves.toEqual([1, expect.any(TaskFailedError)]);
    });

    it('many watchers of one task share one watched key', async () => {
      const t = id();
      // Each waits for its second state: watching stays 1 until the result is written (with
      // take(1) the first PENDING could end them all before watching was ever sampled).
      const all = Promise.all(
        Array.from({ length: 20 }, () =>
          firstValueFrom(
            svc.watch(t, { timeout: 10000 }).pipe(take(2), toArray()),
          ),
        ),
      );
      await waitUntil(() => svc.watching === 1); // one shared key, not 20
      await svc.markAsDone(t, 'shared');
      for (const metas of await all)
        expect(metas.at(-1)?.result).toBe('shared');
      await waitUntil(() => svc.watching === 0);
    });

    it('completes a chord header exactly at its last part, with ordered results', async () => {
      const g = id();
      const members = [id(), id(), id()];
      await svc.applyChord(g, members);
      const outcomes = [];
      for (const [i, t] of members.entries()) {
        await svc.markAsDone(t, i * 10, { groupId: g });
        outcomes.push(
          await svc.onChordPartReturn(g, t, 'SUCCESS', i * 10, {
            index: i,
            size: 3,
            memberIds: members,
          }),
        );
      }
      expect(outcomes.map((o) => o.complete)).toEqual([false, false, true]);
      expect(outcomes[2].results).toEqual([0, 10, 20]);
    });

    it('pings the live store and cleans up without error', async () => {
      await expect(svc.ping()).resolves.toBeUndefined();
      await expect(svc.cleanup()).resolves.toEqual(expect.any(Number));
    });
  });

  runFaultContract(options, caps.pollIntervalMs, caps.rows || caps.django);
}

/** Poll a condition every 10 ms (up to 5 s): for waiting on the engine, not for timing. */
export async function waitUntil(
  cond: () => boolean,
  timeoutMs = 5000,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await pause(10);
  }
}

/** Sleep. */
export const pause = (ms: number): Promise<void> =>
  new Promise((r) => setTimeout(r, ms));
