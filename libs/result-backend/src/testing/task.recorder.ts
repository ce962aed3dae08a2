import { firstValueFrom, filter, ReplaySubject, type Observable } from 'rxjs';
import type { TaskStatus } from '../protocol/states.js';
import type { TaskMeta } from '../protocol/task-meta.js';

/** What {@link recordTask} returns. @publicApi */
export interface TaskRecorder<T = unknown> {
  /** Every meta the watch emitted so far, in order. */
  readonly metas: readonly TaskMeta<T>[];
  /** Their states, e.g. `['PENDING', 'STARTED', 'SUCCESS']`. */
  readonly statuses: readonly TaskStatus[];
  /** Resolves with the first meta in `status` (seen already or still to come). */
  until(status: TaskStatus): Promise<TaskMeta<T>>;
  /** Resolves with every meta once the watch completed (after a ready state). */
  readonly done: Promise<readonly TaskMeta<T>[]>;
  /** Stop watching. */
  stop(): void;
}

/**
 * Subscribe to a watch and record what it emits; resolves once the first meta arrived, so
 * writes made after it are seen. `watch()` reports distinct stored states, not every write:
 * writes made before its first read, or back to back within one delivery, come out as the
 * last one only (`['SUCCESS']`). To see each state, wait for it with `until()` before the next
 * write.
 * @example
 * const rec = await recordTask(results.watch('t1'));   // PENDING seen
 * await results.markAsStarted('t1');
 * await rec.until('STARTED');
 * await results.markAsDone('t1', 3);
 * expect(await rec.done).toHaveLength(3);              // PENDING, STARTED, SUCCESS
 * @publicApi
 */
export async function recordTask<T>(
  watch: Observable<TaskMeta<T>>,
): Promise<TaskRecorder<T>> {
  const metas: TaskMeta<T>[] = [];
  const seen = new ReplaySubject<TaskMeta<T>>();
  let finish!: (all: readonly TaskMeta<T>[]) => void;
  let fail!: (err: unknown) => void;
  const done = new Promise<readonly TaskMeta<T>[]>((ok, ko) => {
    finish = ok;
    fail = ko;
  });
  const sub = watch.subscribe({
    next: (m) => {
      metas.push(m);
      seen.next(m);
    },
    error: (err: unknown) => {
      seen.error(err);
      fail(err);
    },
    complete: () => {
      seen.complete();
      finish(metas);
    },
  });
  done.catch(() => undefined); // rejections surface through `done`/`until` when awaited
  await firstValueFrom(seen);
  return {
    metas,
    get statuses() {
      return metas.map((m) => m.status);
    },
    until: (status) =>
      firstValueFrom(seen.pipe(filter((m) => m.status === status))),
    done,
    stop: () => sub.unsubscribe(),
  };
}
