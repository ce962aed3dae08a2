import type {
  BeforeApplicationShutdown,
  OnApplicationShutdown,
} from '@nestjs/common';
import type { Observable } from 'rxjs';
import type {
  ChordPartOptions,
  ChordPartResult,
  WaitOptions,
  WatchOptions,
} from './interfaces/store-result-options.interface.js';
import { decodeGroupMeta } from './protocol/group-meta.js';
import type { ResultNode } from './protocol/result-tuple.js';
import type { TaskStatus } from './protocol/states.js';
import type { TaskMeta } from './protocol/task-meta.js';
import { ResultBackendBase } from './result-backend.base.js';

/**
 * Celery's result backend API in TypeScript, over one store: write and read task results
 * exactly as Celery 5.x does, groups, chords, expiry, and RxJS watching. Writing and reading
 * single task results is inherited from `ResultBackendBase` (`result-backend.base.ts`).
 *
 * Provided by `ResultBackendModule`; also usable standalone through `createResultBackend()`.
 * @publicApi
 */
export class ResultBackendService
  extends ResultBackendBase
  implements BeforeApplicationShutdown, OnApplicationShutdown
{
  private closing?: Promise<void>;

  // ---------------------------------------------------------------- groups

  /** Save a GroupResult (`celery-taskset-meta-<gid>`: `{"result": <group tuple>}`). */
  saveGroup(
    groupId: string,
    members: readonly (string | ResultNode)[],
  ): Promise<void> {
    return this.writer.saveGroup(groupId, members);
  }

  /** Restore a saved group, or null when there is none. */
  async restoreGroup(
    groupId: string,
  ): Promise<{ groupId: string; results: ResultNode[] } | null> {
    this.ids.group(groupId);
    const key = this.keys.groupKey(groupId);
    return decodeGroupMeta(key, await this.store.get(key));
  }

  /** Delete a saved group. */
  async deleteGroup(groupId: string): Promise<void> {
    this.ids.group(groupId);
    await this.store.delete(this.keys.groupKey(groupId));
  }

  /** Reload a group and its members' metas, bypassing the cache. */
  async reloadGroupResult(
    groupId: string,
  ): Promise<Map<string, TaskMeta> | null> {
    const group = await this.restoreGroup(groupId);
    if (!group) return null;
    return this.reader.getMany(
      group.results.map((r) => r.id),
      true,
    );
  }

  // ---------------------------------------------------------------- chords

  /** Atomic counter increment on a full key (memcached `chord-unlock-`, Redis INCR). */
  incr(key: string): Promise<number> {
    return this.chords.incr(key);
  }

  /** Prepare a chord header: Redis `.s` size, or KV `chord-unlock-` counter + saved group. */
  async applyChord(
    groupId: string,
    memberIds: readonly string[],
  ): Promise<void> {
    this.ids.group(groupId);
    memberIds.forEach((id) => this.ids.task(id));
    return this.chords.apply(groupId, memberIds);
  }

  /**
   * Record a header member's result and say whether the header is complete, with its ordered
   * results, so the caller can dispatch the body. Uses the store's own layout.
   */
  async onChordPartReturn(
    groupId: string,
    taskId: string,
    state: TaskStatus,
    result: unknown,
    opts: ChordPartOptions,
  ): Promise<ChordPartResult> {
    this.ids.group(groupId);
    this.ids.task(taskId);
    return this.chords.partReturn({ groupId, taskId, state, result, opts });
  }

  // ---------------------------------------------------------------- watching

  /** Each distinct meta of the task (PENDING, STARTED, PROGRESS…); completes after a ready state. */
  watch<T = unknown>(
    taskId: string,
    opts?: WatchOptions,
  ): Observable<TaskMeta<T>> {
    return this.watcher.watch<T>(taskId, opts);
  }

  /**
   * Resolve with the result once ready (Celery's `AsyncResult.get`); rejects with
   * TaskFailedError/TaskRevokedError when propagating, `ResultTimeoutError` after `opts.timeout`
   * ms, and at once with a `BackendUnavailableError` whose `permanent` is true (the store refused
   * the configuration, e.g. a wrong password). One deliberate difference from Celery:
   * `timeout: 0` reads once and then fails with `ResultTimeoutError` if not ready, while
   * Celery's `get(timeout=0)` waits forever (0 is falsy in `wait_for`); `timeout: Infinity` (or
   * none) waits forever.
   */
  waitFor<T = unknown>(taskId: string, opts?: WaitOptions): Promise<T> {
    return this.watcher.waitFor<T>(taskId, opts);
  }

  /** Emit each task's meta as it becomes ready; complete when all are ready. */
  watchMany<T = unknown>(
    taskIds: readonly string[],
    opts?: WatchOptions,
  ): Observable<TaskMeta<T>> {
    return this.watcher.watchMany<T>(taskIds, opts);
  }

  /** All results in the order of `taskIds` (Celery's `ResultSet.join`). */
  join<T = unknown>(
    taskIds: readonly string[],
    opts?: WaitOptions,
  ): Promise<T[]> {
    return this.watcher.join<T>(taskIds, opts);
  }

  // ---------------------------------------------------------------- maintenance

  /**
   * Delete results older than `expires` where the store does not expire them itself; only
   * keys under the configured global key prefix, as Celery's `cleanup()`.
   */
  async cleanup(): Promise<number> {
    const expires = this.options.expires;
    if (!expires || this.store.autoExpires || !this.store.cleanup) return 0;
    const { taskPrefix, groupPrefix, chordPrefix } = this.keys;
    return this.store.cleanup(expires, [taskPrefix, groupPrefix, chordPrefix]);
  }

  /** Round trip to the store's live client; rejects when it is down. */
  ping(): Promise<void> {
    return this.store.ping();
  }

  /**
   * End every open watch, wait and join with `ResultBackendClosedError` (and every later one
   * at once), leaving the store open for plain reads and writes. Nest calls it in
   * `beforeApplicationShutdown`, so open SSE streams and long-polls end and the HTTP server
   * can close. Idempotent.
   */
  stopWatching(): void {
    this.watcher.closeAll(this.name);
  }

  /** Stop watching and close the store. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.stopWatching();
      await this.engine.close();
      await this.store.close();
    })();
    return this.closing;
  }

  /**
   * @internal Nest hook, before the HTTP server closes: see {@link stopWatching}. Then waits
   * one event-loop turn so the responses this ended (SSE streams) finish writing: Node's
   * `server.close()` drops idle keep-alive connections only, and one still busy at that moment
   * would hold the process until its keep-alive timeout (5 s).
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopWatching();
    await new Promise<void>((resolve) => setImmediate(resolve));
  }

  /** @internal Nest shutdown hook (after the HTTP server closed): closes the store. */
  async onApplicationShutdown(): Promise<void> {
    try {
      await this.close();
    } catch (err) {
      this.logger.error?.(
        `Closing result backend ${this.name} failed: ${(err as Error).message}`,
      );
    }
  }
}
