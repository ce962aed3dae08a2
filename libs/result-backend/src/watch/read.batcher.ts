import type { TaskMeta } from '../protocol/task-meta.js';

/** A batched read of task metas by id (the service's cache-aware `getMany`). @internal */
export type ReadMany = (
  taskIds: readonly string[],
) => Promise<Map<string, TaskMeta>>;

/**
 * Coalesce the first reads of `waitFor`/`join` made in one tick (the synchronous code that
 * called them and the promise jobs it queued) into one `readMany` over their distinct ids, as
 * the engine batches its polls: 10,000 waiters cost one batched read, not 10,000 reads. Each
 * caller gets the shared result map (or its error). The flush is a `process.nextTick`, not a
 * `setImmediate`: a lone waitFor's read goes out without an extra turn of the event loop (one
 * `epoll_wait` and a timer phase less per call).
 * @internal
 */
export function batchReads(readMany: ReadMany): ReadMany {
  let ids = new Set<string>();
  let waiters: ((r: Promise<Map<string, TaskMeta>>) => void)[] = [];
  const flush = (): void => {
    const read = readMany([...ids]);
    for (const w of waiters) w(read);
    ids = new Set();
    waiters = [];
  };
  return (taskIds) =>
    new Promise<Map<string, TaskMeta>>((resolve) => {
      if (waiters.length === 0) process.nextTick(flush);
      for (const id of taskIds) ids.add(id);
      waiters.push(resolve);
    });
}
