import { isReadyState } from '../protocol/states.js';
import type { TaskMeta } from '../protocol/task-meta.js';
import {
  FAST_READ_CAP_MS,
  FIRST_READ_GRACE_MS,
} from '../utils/watch-policy.constants.js';

/**
 * One batched, cache-aware read before watching (as Celery's `get()` reads once first): ready
 * results answer at once without subscribing, also with `timeout: 0`. The read may run past a
 * caller timeout below `FIRST_READ_GRACE_MS` (so a healthy store's answer always counts); a
 * failing or slower read just falls through to watching, which retries. Never longer than
 * `max(timeout, FIRST_READ_GRACE_MS)`, nor `FAST_READ_CAP_MS`.
 * @returns the ready meta of each task id, in order, or `undefined` for the others
 * @internal
 */
export async function readReadyFirst<T>(
  readMany: (taskIds: readonly string[]) => Promise<Map<string, TaskMeta>>,
  taskIds: readonly string[],
  timeoutMs: number | undefined,
): Promise<(TaskMeta<T> | undefined)[]> {
  let timer: NodeJS.Timeout | undefined;
  const read = readMany(taskIds).then(
    (m) => taskIds.map((id) => m.get(id) as TaskMeta<T> | undefined),
    () => [],
  );
  const limit = Math.min(
    Math.max(timeoutMs ?? FAST_READ_CAP_MS, FIRST_READ_GRACE_MS),
    FAST_READ_CAP_MS,
  );
  const metas = await Promise.race([
    read,
    new Promise<never[]>((r) => (timer = setTimeout(() => r([]), limit))),
  ]).finally(() => clearTimeout(timer));
  return taskIds.map((_, i) => {
    const m = metas[i];
    return m && isReadyState(m.status) ? m : undefined;
  });
}
