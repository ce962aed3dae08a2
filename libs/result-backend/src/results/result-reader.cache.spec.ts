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
    const raw = (status: string, id: string, result: number): string =>
      `{"status": "${status}", "result": ${result}, "traceback": null, "children": [], "date_done": null, "task_id": "${id}"}`;
    await svc.markAsDone('a', 1);
    expect((await svc.getTaskMeta('a')).result).toBe(1);
    // Someone else rewrites the stored value (unguarded): the cache still answers.
    await svc.store.set(
      svc.keys.taskKey('a'),
      raw('SUCCESS', 'a', 2),
      null,
      false,
    );
    expect((await svc.getTaskMeta('a')).result).toBe(1);
    expect((await svc.reloadTaskResult('a')).result).toBe(2);
    expect((await svc.getTaskMeta('a')).result).toBe(2);
    // Not-ready results are never cached.
    await svc.markAsStarted('b');
    await svc.getTaskMeta('b');
    await svc.store.set(
      svc.keys.taskKey('b'),
      raw('PROGRESS', 'b', 5),
      null,
      false,
    );
    expect((await svc.getTaskMeta('b')).status).toBe('PROGRESS');
    // Bounded: a third ready result evicts the oldest.
    for (const id of ['c', 'd']) {
      await svc.markAsDone(id, 0);
      await svc.getTaskMeta(id);
    }
    await svc.store.set(
      svc.keys.taskKey('a'),
      raw('SUCCESS', 'a', 3),
      null,
      false,
    );
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
