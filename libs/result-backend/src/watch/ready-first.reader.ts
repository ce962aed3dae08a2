import { BackendUnavailableError } from '../errors/backend-unavailable.error.js';
import { isReadyState } from '../protocol/states.js';
import type { TaskMeta } from '../protocol/task-meta.js';
import { FAST_READ_CAP_MS } from '../utils/watch-policy.constants.js';

/**
 * One batched, cache-aware read before watching (as Celery's `get()` reads once first): ready
 * results answer at once without subscribing, also with `timeout: 0`; the caller's timeout never
 * cuts this read short. A failing read, or one slower than `FAST_READ_CAP_MS`, just falls
 * through to watching, which retries (the caller counts the time spent here against its timeout);
 * a `BackendUnavailableError` with `permanent: true` (a refused configuration) is thrown at once.
 * @returns the ready meta of each task id, in order, or `undefined` for the others
 * @internal
 */
export async function readReadyFirst<T>(
  readMany: (taskIds: readonly string[]) => Promise<Map<string, TaskMeta>>,
  taskIds: readonly string[],
): Promise<(TaskMeta<T> | undefined)[]> {
  let timer: NodeJS.Timeout | undefined;
  const read = readMany(taskIds).then(
    (m) => taskIds.map((id) => m.get(id) as TaskMeta<T> | undefined),
    (err: unknown) => {
      if (err instanceof BackendUnavailableError && err.permanent) throw err;
      return [];
    },
  );
  const metas = await Promise.race([
    read,
    new Promise<never[]>(
      (r) => (timer = setTimeout(() => r([]), FAST_READ_CAP_MS)),
    ),
  ]).finally(() => clearTimeout(timer));
  return taskIds.map((_, i) => {
    const m = metas[i];
    return m && isReadyState(m.status) ? m : undefined;
  });
}
