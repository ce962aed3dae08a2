import { Logger, type LoggerService } from '@nestjs/common';
import { hostname } from 'node:os';
import type { ResolvedResultBackendOptions } from './options/resolved-options.interface.js';
import type { RemoteTaskError } from './errors/remote-task.error.js';
import type { StoreResultOptions } from './interfaces/store-result-options.interface.js';
import { ChordCoordinator } from './chord/chord-coordinator.js';
import { writesEnvelopes } from './protocol/celery-version.js';
import { KeyBuilder } from './protocol/keys.js';
import { IdCheck } from './results/id-check.guard.js';
import type { ResultNode } from './protocol/result-tuple.js';
import { TaskStates, type TaskStatus } from './protocol/states.js';
import type { TaskMeta } from './protocol/task-meta.js';
import type {
  ResultStore,
  WriteOutcome,
} from './stores/result-store.interface.js';
import { ResultReader } from './results/result-reader.js';
import { ResultWriter } from './results/result-writer.js';
import { batchReads } from './watch/read.batcher.js';
import { ResultWatcher } from './watch/result-watcher.js';
import { WatchEngine } from './watch/watch-engine.js';

/**
 * The task-result half of {@link ResultBackendService}: the collaborators one instance wires
 * (reader, writer, watch engine, chord coordinator over one store and key builder), and
 * Celery's `store_result` / `mark_as_*` / `get_task_meta` / `forget` API. The service adds
 * groups, chords, watching and the lifecycle.
 * @internal
 */
export abstract class ResultBackendBase {
  /** Key builder for this instance (global prefix applied). */
  readonly keys: KeyBuilder;
  protected readonly reader: ResultReader;
  protected readonly writer: ResultWriter;
  protected readonly engine: WatchEngine;
  protected readonly watcher: ResultWatcher;
  protected readonly chords: ChordCoordinator;
  protected readonly ids: IdCheck;

  constructor(
    /** The store this instance writes to. */
    readonly store: ResultStore,
    protected readonly options: ResolvedResultBackendOptions,
    protected readonly logger: LoggerService = new Logger('ResultBackend'),
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
      // First reads of one event-loop turn share one batched read.
      batchReads((ids) => this.reader.getMany(ids)),
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

  /** Save a GroupResult; the chord coordinator saves KV and polled chord headers with it. */
  abstract saveGroup(
    groupId: string,
    members: readonly (string | ResultNode)[],
  ): Promise<void>;

  /** Restore a saved group, or null when there is none. */
  abstract restoreGroup(
    groupId: string,
  ): Promise<{ groupId: string; results: ResultNode[] } | null>;

  /** Delete a saved group. */
  abstract deleteGroup(groupId: string): Promise<void>;

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
}
