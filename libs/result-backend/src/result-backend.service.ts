import {
  Logger,
  type BeforeApplicationShutdown,
  type LoggerService,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { hostname } from 'node:os';
import type { Observable } from 'rxjs';
import type { ResolvedResultBackendOptions } from './options/resolved-options.interface.js';
import type { RemoteTaskError } from './errors/remote-task.error.js';
import type {
  ChordPartResult,
  StoreResultOptions,
  WaitOptions,
  WatchOptions,
} from './interfaces/store-result-options.interface.js';
import {
  ChordCoordinator,
  type ChordPartOptions,
} from './chord/chord-coordinator.js';
import { writesEnvelopes } from './protocol/celery-version.js';
import { decodeGroupMeta } from './protocol/group-meta.js';
import { KeyBuilder } from './protocol/keys.js';
import { IdCheck } from './results/id-check.util.js';
import type { ResultNode } from './protocol/result-tuple.js';
import { TaskStates, type TaskStatus } from './protocol/states.js';
import type { TaskMeta } from './protocol/task-meta.js';
import type {
  ResultStore,
  WriteOutcome,
} from './stores/result-store.interface.js';
import { ResultReader } from './results/result-reader.js';
import { ResultWriter } from './results/result-writer.js';
import { ResultWatcher } from './watch/result-watcher.js';
import { WatchEngine } from './watch/watch-engine.js';

/**
 * Celery's result backend API in TypeScript, over one store: write and read task results
 * exactly as Celery 5.x does, groups, chords, expiry, and RxJS watching.
 *
 * Provided by `ResultBackendModule`; also usable standalone through `createResultBackend()`.
 * @publicApi
 */
export class ResultBackendService
  implements BeforeApplicationShutdown, OnApplicationShutdown
{
  /** Key builder for this instance (global prefix applied). */
  readonly keys: KeyBuilder;
  private readonly reader: ResultReader;
  private readonly writer: ResultWriter;
  private readonly engine: WatchEngine;
  private readonly watcher: ResultWatcher;
  private readonly chords: ChordCoordinator;
  private readonly ids: IdCheck;
  private closing?: Promise<void>;

  constructor(
    /** The store this instance writes to. */
    readonly store: ResultStore,
    private readonly options: ResolvedResultBackendOptions,
    private readonly logger: LoggerService = new Logger('ResultBackend'),
    /** Instance name (`default` unless named). */
    readonly name = 'default',
  ) {
    this.keys = new KeyBuilder(options.keyPrefix, options.keyPrefixStyle);
    this.ids = new IdCheck(store, this.keys);
    this.reader = new ResultReader(store, this.keys, options, this.ids);
    this.writer = new ResultWriter(store, this.keys, options, this.ids);
    this.engine = new WatchEngine(store, options.pollIntervalMs, logger);
    this.watcher = new ResultWatcher(
      this.engine,
      this.keys,
      (id, raw) => this.reader.decode(id, raw),
      (ids) => this.reader.getMany(ids),
      this.ids,
    );
    this.chords = new ChordCoordinator(
      this,
      store,
      this.keys,
      options.expires,
      {
        kombuTagged: writesEnvelopes(options.celeryVersion),
        decodeEnvelopes: options.decodeKombuEnvelopes,
      },
    );
  }

  /** Store kind (`redis`, `filesystem`, …). */
  get kind(): string {
    return this.store.kind;
  }

  /** Masked description of the store, safe to log. */
  get description(): string {
    return this.store.description;
  }

  /** Number of task keys currently watched (one per task, whatever the number of watchers). */
  get watching(): number {
    return this.engine.size;
  }

  /** Result expiry in seconds (`null` = never). */
  get expires(): number | null {
    return this.options.expires;
  }

  // ---------------------------------------------------------------- writing

  /**
   * Store a result with any state (Celery's `store_result`). "SUCCESS is final": a write over
   * a stored SUCCESS is skipped and reported as `kept-success`.
   */
  async storeResult(
    taskId: string,
    result: unknown,
    state: TaskStatus,
    opts: StoreResultOptions = {},
  ): Promise<WriteOutcome> {
    this.reader.invalidate(taskId);
    return this.writer.storeTask(taskId, result, state, opts);
  }

  /** STARTED with `{pid, hostname}` or your own meta (Celery's `mark_as_started`). */
  markAsStarted(
    taskId: string,
    meta: unknown = { pid: process.pid, hostname: `nestjs@${hostname()}` },
    opts?: StoreResultOptions,
  ): Promise<WriteOutcome> {
    return this.storeResult(taskId, meta, TaskStates.STARTED, opts);
  }

  /** SUCCESS with the return value. */
  markAsDone(
    taskId: string,
    result: unknown,
    opts?: StoreResultOptions,
  ): Promise<WriteOutcome> {
    return this.storeResult(taskId, result, TaskStates.SUCCESS, opts);
  }

  /**
   * FAILURE with an exception. A `TaskFailedError` read from any backend is written back with
   * its original Python type, module, args and traceback (`null` stays `null`); a local JS
   * `Error` becomes a Python-looking exception and its JS `stack` is written as the traceback
   * (pass `opts.traceback: null` to leave it out). Any other value (string, number, plain
   * object, array, `null`) is stored as `Exception(value)`, which Celery's `get()` raises; a
   * dict with a string `exc_type` is stored unchanged. See `toStoredExceptionResult`.
   */
  markAsFailure(
    taskId: string,
    error: unknown,
    opts?: StoreResultOptions,
  ): Promise<WriteOutcome> {
    return this.storeResult(taskId, error, TaskStates.FAILURE, opts);
  }

  /**
   * RETRY with the exception that caused it, converted like `markAsFailure`; `null` or
   * `undefined` stores `null` (no exception), as Celery's `mark_as_retry(exc=None)`.
   */
  markAsRetry(
    taskId: string,
    error: unknown,
    opts?: StoreResultOptions,
  ): Promise<WriteOutcome> {
    return this.storeResult(taskId, error, TaskStates.RETRY, opts);
  }

  /** REVOKED with `TaskRevokedError(reason)`: `revoked`, `expired` or `terminated`. */
  markAsRevoked(
    taskId: string,
    reason = 'revoked',
    opts?: StoreResultOptions,
  ): Promise<WriteOutcome> {
    const exc = {
      exc_type: 'TaskRevokedError',
      exc_message: [reason],
      exc_module: 'celery.exceptions',
    };
    return this.storeResult(taskId, exc, TaskStates.REVOKED, {
      traceback: null,
      ...opts,
    });
  }

  // ---------------------------------------------------------------- reading

  /** The task's meta; a missing result is PENDING. Ready results come from the cache when enabled. */
  getTaskMeta<T = unknown>(taskId: string): Promise<TaskMeta<T>> {
    return this.reader.get<T>(taskId);
  }

  /**
   * Read the task's meta from the store, bypassing the cache. Afterwards the cache holds what
   * was read when it is ready, and drops the entry otherwise (e.g. PENDING once the stored
   * result expired), so `getTaskMeta` never returns an older result than a reload saw.
   */
  reloadTaskResult<T = unknown>(taskId: string): Promise<TaskMeta<T>> {
    return this.reader.reload<T>(taskId);
  }

  /** The result like Celery's `AsyncResult.result`: the value, or the error for failures. */
  async getResult<T = unknown>(
    taskId: string,
  ): Promise<T | RemoteTaskError | null> {
    const meta = await this.getTaskMeta<T>(taskId);
    return meta.error ?? meta.result;
  }

  /** The state (`PENDING` when missing). */
  async getStatus(taskId: string): Promise<TaskStatus> {
    return (await this.getTaskMeta(taskId)).status;
  }

  /** The stored traceback text, or null. */
  async getTraceback(taskId: string): Promise<string | null> {
    return (await this.getTaskMeta(taskId)).traceback;
  }

  /** Metas of many tasks in one batched read, in the order of `taskIds`. */
  getMany<T = unknown>(
    taskIds: readonly string[],
  ): Promise<Map<string, TaskMeta<T>>> {
    return this.reader.getMany<T>(taskIds);
  }

  /** The child results recorded in the task's meta. */
  async getChildren(taskId: string): Promise<readonly ResultNode[] | null> {
    return (await this.getTaskMeta(taskId)).children;
  }

  /** Delete the task's result (Celery's `forget`). */
  async forget(taskId: string): Promise<void> {
    this.ids.task(taskId);
    this.reader.invalidate(taskId);
    await this.store.delete(this.keys.taskKey(taskId));
  }

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
    return this.chords.partReturn(groupId, taskId, state, result, opts);
  }

  // ---------------------------------------------------------------- watching

  /** Each distinct meta of the task (PENDING, STARTED, PROGRESS…); completes after a ready state. */
  watch<T = unknown>(
    taskId: string,
    opts?: WatchOptions,
  ): Observable<TaskMeta<T>> {
    return this.watcher.watch<T>(taskId, opts);
  }

  /** Resolve with the result once ready; rejects with TaskFailedError/TaskRevokedError when propagating. */
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
