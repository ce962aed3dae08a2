/**
 * The bounded result cache (`resultCacheMax`) on `cache+memory://`, pure (no server). The
 * service contract runs on every backend in test/contracts/.
 */
import { createResultBackend } from '../result-backend.factory.js';

describe('result cache (resultCacheMax)', () => {
  it('serves ready results from a bounded cache; reload bypasses it', async () => {
    const svc = await createResultBackend({
      url: 'cache+memory://',
      resultCacheMax: 2,
    });
    // Someone else rewrites the stored value (unguarded).
    const overwrite = (status: string, id: string, result: number) =>
      svc.store.set(
        svc.keys.taskKey(id),
        `{"status": "${status}", "result": ${result}, "traceback": null, "children": [], "date_done": null, "task_id": "${id}"}`,
        null,
        false,
      );
    await svc.markAsDone('a', 1);
    expect((await svc.getTaskMeta('a')).result).toBe(1);
    // The cache still answers after an overwrite.
    await overwrite('SUCCESS', 'a', 2);
    expect((await svc.getTaskMeta('a')).result).toBe(1);
    expect((await svc.reloadTaskResult('a')).result).toBe(2);
    expect((await svc.getTaskMeta('a')).result).toBe(2);
    // Not-ready results are never cached.
    await svc.markAsStarted('b');
    await svc.getTaskMeta('b');
    await overwrite('PROGRESS', 'b', 5);
    expect((await svc.getTaskMeta('b')).status).toBe('PROGRESS');
    // Bounded: a third ready result evicts the oldest.
    for (const id of ['c', 'd']) {
      await svc.markAsDone(id, 0);
      await svc.getTaskMeta(id);
    }
    await overwrite('SUCCESS', 'a', 3);
    expect((await svc.getTaskMeta('a')).result).toBe(3);
    await svc.close();
  });

  it('is off by default', async () => {
    const svc = await createResultBackend({ url: 'cache+memory://' });
    await svc.markAsDone('a', 1);
    await svc.getTaskMeta('a');
    await svc.store.set(
      svc.keys.taskKey('a'),
      '{"status": "SUCCESS", "result": 9, "task_id": "a"}',
      null,
      false,
    );
    expect((await svc.getTaskMeta('a')).result).toBe(9);
    await svc.close();
  });
});
