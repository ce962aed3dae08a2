import { Observable, Subscriber, firstValueFrom, filter, toArray } from 'rxjs';
import { ResultBackendClosedError } from '../errors/result-backend-closed.error.js';
import { ResultBackendError } from '../errors/result-backend.error.js';
import type {
  WaitOptions,
  WatchOptions,
} from '../interfaces/store-result-options.interface.js';
import type { KeyBuilder } from '../protocol/keys.js';
import type { IdCheck } from '../results/id-check.guard.js';
import { isPropagateState, isReadyState } from '../protocol/states.js';
import type { TaskMeta } from '../protocol/task-meta.js';
import { readReadyFirst } from './ready-first.reader.js';
import { armWaitGuard, checkWaitOptions } from './wait.guard.js';
import type { WatchEngine } from './watch-engine.js';

/**
 * The RxJS face of the watch engine: `watch`, `waitFor`, `watchMany`, `join`.
 * Every subscription releases its engine listener and timer when it ends.
 * @internal
 */
export class ResultWatcher {
  private readonly live = new Set<Subscriber<unknown>>();
  private readonly waiters = new Set<(err: unknown) => void>();
  /** Set once shutdown began: new watches and waits fail at once. */
  private closedError?: ResultBackendClosedError;

  constructor(
    private readonly engine: WatchEngine,
    private readonly keys: KeyBuilder,
    private readonly decode: <T>(
      taskId: string,
      raw: string | null,
    ) => TaskMeta<T>,
    /** Cache-aware batched read (the service's getMany): the fast path of waitFor/join. */
    private readonly readMany: (
      taskIds: readonly string[],
    ) => Promise<Map<string, TaskMeta>>,
    /** The service's id check (store key rules included). */
    private readonly ids: IdCheck,
  ) {}

  watch<T>(taskId: string, opts: WatchOptions = {}): Observable<TaskMeta<T>> {
    return new Observable<TaskMeta<T>>((sub) => {
      this.ids.task(taskId);
      checkWaitOptions(opts);
      if (this.closedError) {
        sub.error(this.closedError);
        return undefined;
      }
      this.live.add(sub);
      let done = false;
      let started = false; // a non-PENDING state was emitted
      const stop = this.engine.watch(
        this.keys.taskKey(taskId),
        {
          next: (raw) => {
            if (done) return;
            let meta: TaskMeta<T>;
            try {
              meta = this.decode<T>(taskId, raw);
            } catch (err) {
              done = true;
              sub.error(err);
              return;
            }
            // Never step back to PENDING, unless the result is gone (forgotten, expired).
            if (meta.status === 'PENDING' && started && raw !== null) return;
            started ||= meta.status !== 'PENDING';
            sub.next(meta);
            if (isReadyState(meta.status)) {
              done = true;
              sub.complete();
            }
          },
          error: (err) => sub.error(err),
        },
        opts.interval,
      );
      const disarm = armWaitGuard(
        opts,
        () => [taskId],
        (err) => sub.error(err),
      );
      return () => {
        done = true;
        this.live.delete(sub);
        disarm();
        stop();
      };
    });
  }

  async waitFor<T>(taskId: string, opts: WaitOptions = {}): Promise<T> {
    const propagate = opts.propagate ?? true;
    const started = Date.now(); // one deadline for the first read and the wait after it
    const [ready] = await this.readyFirst<T>([taskId], opts);
    if (ready) return this.outcome(ready, propagate);
    return this.waitPending<T>(taskId, opts, propagate, started);
  }

  /** waitFor's pending path, straight on the engine (no RxJS): 10,000 waiters stay small. */
  private waitPending<T>(
    taskId: string,
    opts: WaitOptions,
    propagate: boolean,
    started: number,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.closedError) return reject(this.closedError);
      const fail = (err: unknown): void => {
        finish();
        reject(err); // eslint-disable-line @typescript-eslint/prefer-promise-reject-errors -- as given, like watch/join
      };
      const stop = this.engine.watch(
        this.keys.taskKey(taskId),
        {
          next: (raw) => {
            let meta: TaskMeta<T>;
            try {
              meta = this.decode<T>(taskId, raw);
            } catch (err) {
              return fail(err);
            }
            if (!isReadyState(meta.status)) return;
            finish();
            try {
              resolve(this.outcome(meta, propagate));
            } catch (err) {
              reject(
                err instanceof Error
                  ? err
                  : new ResultBackendError(String(err)),
              );
            }
          },
          error: fail,
        },
        opts.interval,
      );
      const finish = (): void => {
        stop();
        disarm();
        this.waiters.delete(fail);
      };
      this.waiters.add(fail);
      // armed last: it never calls `fail` synchronously
      const disarm = armWaitGuard(opts, () => [taskId], fail, started);
    });
  }

  watchMany<T>(
    taskIds: readonly string[],
    opts: WatchOptions = {},
  ): Observable<TaskMeta<T>> {
    return new Observable<TaskMeta<T>>((sub) => {
      taskIds.forEach((id) => this.ids.task(id));
      checkWaitOptions(opts);
      const pending = new Set(taskIds);
      if (pending.size === 0) {
        sub.complete();
        return undefined;
      }
      const subs = [...pending].map((id) =>
        this.watch<T>(id, { interval: opts.interval })
          .pipe(filter((m) => isReadyState(m.status)))
          .subscribe({
            next: (m) => {
              sub.next(m);
              pending.delete(id);
              if (pending.size === 0) sub.complete();
            },
            error: (err: unknown) => sub.error(err),
          }),
      );
      const disarm = armWaitGuard(
        opts,
        () => [...pending],
        (err) => sub.error(err),
      );
      return () => {
        disarm();
        subs.forEach((s) => s.unsubscribe());
      };
    });
  }

  async join<T>(
    taskIds: readonly string[],
    opts: WaitOptions = {},
  ): Promise<T[]> {
    const propagate = opts.propagate ?? true;
    const started = Date.now();
    const byId = new Map<string, TaskMeta<T>>();
    const first = await this.readyFirst<T>(taskIds, opts);
    first.forEach((m, i) => m && byId.set(taskIds[i], m));
    const check = (m: TaskMeta<T>): void => {
      if (propagate && isPropagateState(m.status) && m.error) throw m.error;
    };
    taskIds.forEach((id) => byId.has(id) && check(byId.get(id) as TaskMeta<T>));
    const pending = [...new Set(taskIds.filter((id) => !byId.has(id)))];
    if (pending.length > 0) {
      const timeout =
        opts.timeout === undefined
          ? undefined
          : Math.max(0, opts.timeout - (Date.now() - started));
      const stream = this.watchMany<T>(pending, { ...opts, timeout }).pipe(
        filter((m) => {
          check(m);
          byId.set(m.taskId, m);
          return false;
        }),
        toArray(),
      );
      await firstValueFrom(stream);
    }
    return taskIds.map((id) =>
      this.outcome(byId.get(id) as TaskMeta<T>, propagate),
    );
  }

  private readyFirst<T>(
    taskIds: readonly string[],
    opts: WaitOptions,
  ): Promise<(TaskMeta<T> | undefined)[]> {
    taskIds.forEach((id) => this.ids.task(id));
    checkWaitOptions(opts);
    opts.signal?.throwIfAborted();
    if (this.closedError) throw this.closedError;
    return readReadyFirst<T>(this.readMany, taskIds);
  }

  /**
   * Fail every open watch and wait with `ResultBackendClosedError`, and every later one at once
   * (used on shutdown so no stream, long-poll or promise holds the HTTP server open).
   */
  closeAll(instance: string): void {
    this.closedError ??= new ResultBackendClosedError(instance);
    for (const sub of [...this.live]) sub.error(this.closedError);
    for (const fail of [...this.waiters]) fail(this.closedError);
    this.live.clear();
  }

  private outcome<T>(meta: TaskMeta<T>, propagate: boolean): T {
    if (meta.error && isPropagateState(meta.status)) {
      if (propagate) throw meta.error;
      return meta.error as T;
    }
    return meta.result as T;
  }
}
