/**
 * A FAILURE or REVOKED document that holds no exception (`"result": null`, `{}`, missing) is
 * never a success (tester finding): Celery 5.2.6, 5.5.2 and 5.6.3 `AsyncResult.get()` raise
 * on it (`RuntimeError: No active exception to reraise`). Read from files a Celery
 * FilesystemBackend layout holds, `waitFor` and `join` reject with TaskFailedError /
 * TaskRevokedError saying no exception was stored, and `getTaskMeta` carries that error.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom, toArray } from 'rxjs';
import {
  createResultBackend,
  TaskFailedError,
  TaskRevokedError,
  type ResultBackendService,
} from '../libs/result-backend/src/index.js';

describe('FAILURE / REVOKED documents without exception data (file://)', () => {
  let dir: string;
  let svc: ResultBackendService;
  const store = (id: string, doc: string): Promise<void> =>
    writeFile(join(dir, `celery-task-meta-${id}`), doc);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rb-failnull-'));
    svc = await createResultBackend({ url: `file://${dir}` });
    await store(
      'failnull',
      '{"status": "FAILURE", "result": null, "task_id": "failnull"}',
    );
    await store('failempty', '{"status": "FAILURE", "result": {}}');
    await store('revnone', '{"status": "REVOKED", "task_id": "revnone"}');
    await store('ok', '{"status": "SUCCESS", "result": 1, "task_id": "ok"}');
  });
  afterAll(async () => {
    await svc?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('waitFor rejects with TaskFailedError naming the missing exception', async () => {
    const err = await svc.waitFor('failnull', { timeout: 2_000 }).then(
      (v) => new Error(`resolved ${JSON.stringify(v)}`),
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TaskFailedError);
    expect(err).toMatchObject({
      taskId: 'failnull',
      state: 'FAILURE',
      excType: 'Exception',
      excArgs: [],
      message:
        "Task failnull is FAILURE but no exception was stored (result: null); Celery's get() raises here too",
    });
    await expect(
      svc.waitFor('failempty', { timeout: 2_000 }),
    ).rejects.toBeInstanceOf(TaskFailedError);
    await expect(
      svc.waitFor('revnone', { timeout: 2_000 }),
    ).rejects.toBeInstanceOf(TaskRevokedError);
  });

  it('join rejects, getTaskMeta carries the error, propagate: false returns it', async () => {
    await expect(
      svc.join(['ok', 'failnull'], { timeout: 2_000 }),
    ).rejects.toBeInstanceOf(TaskFailedError);
    const meta = await svc.getTaskMeta('failnull');
    expect(meta).toMatchObject({ status: 'FAILURE', result: null });
    expect(meta.error).toBeInstanceOf(TaskFailedError);
    const value = await svc.waitFor('failnull', {
      timeout: 2_000,
      propagate: false,
    });
    expect(value).toBeInstanceOf(TaskFailedError);
    const seen = await firstValueFrom(
      svc.watch('failnull', { timeout: 2_000 }).pipe(toArray()),
    );
    expect(seen.at(-1)?.error).toBeInstanceOf(TaskFailedError);
  });
});
