import type { KeyBuilder } from '../protocol/keys.js';
import type { IdCheck } from './id-check.guard.js';
import { isReadyState } from '../protocol/states.js';
import { decodeTaskMeta, type TaskMeta } from '../protocol/index.js';
import type { ResultStore } from '../stores/result-store.interface.js';
import { LruCache } from '../utils/lru.cache.js';

/**
 * The read path: decode stored task metas (kombu envelopes as configured) and keep ready ones
 * in the bounded client-side cache (Celery's `result_cache_max`, off by default).
 * @internal
 */
export class ResultReader {
  private readonly cache: LruCache<string, TaskMeta>;

  constructor(
    private readonly store: ResultStore,
    private readonly keys: KeyBuilder,
    private readonly options: {
      resultCacheMax: number;
      decodeKombuEnvelopes: boolean;
    },
    private readonly ids: IdCheck,
  ) {
    this.cache = new LruCache(options.resultCacheMax);
  }

  /** Cached ready meta, else a store read. */
  async get<T>(taskId: string): Promise<TaskMeta<T>> {
    this.ids.task(taskId);
    const hit = this.cache.get(taskId);
    return hit ? (hit as TaskMeta<T>) : this.reload<T>(taskId);
  }

  /**
   * Store read, bypassing the cache, then leaving it holding what was read: a ready meta is
   * cached, anything else (PENDING after expiry, STARTED…) drops the entry. Celery's
   * `reload_task_result` caches whatever it read, PENDING included; dropping instead keeps
   * "only ready results are cached", and the next `get` reads the store again.
   */
  async reload<T>(taskId: string): Promise<TaskMeta<T>> {
    this.ids.task(taskId);
    return this.decode<T>(
      taskId,
      await this.store.get(this.keys.taskKey(taskId)),
    );
  }

  /** One batched read for every id the cache cannot answer; result in the order of `taskIds`. */
  async getMany<T>(
    taskIds: readonly string[],
    bypassCache = false,
  ): Promise<Map<string, TaskMeta<T>>> {
    taskIds.forEach((id) => this.ids.task(id));
    const found = new Map<string, TaskMeta<T>>();
    const missing = taskIds.filter((id) => {
      const hit = bypassCache ? undefined : this.cache.get(id);
      if (hit) found.set(id, hit as TaskMeta<T>);
      return !hit;
    });
    const raws = missing.length
      ? await this.store.mget(missing.map((id) => this.keys.taskKey(id)))
      : [];
    missing.forEach((id, i) =>
      found.set(id, this.decode<T>(id, raws[i] ?? null)),
    );
    return new Map(taskIds.map((id) => [id, found.get(id) as TaskMeta<T>]));
  }

  /**
   * Decode one stored text (null = PENDING): cache it when ready, else drop any cached entry,
   * so the cache never outlives what the store holds. A malformed text also drops it.
   */
  decode<T>(taskId: string, raw: string | null): TaskMeta<T> {
    let meta: TaskMeta<T>;
    try {
      meta = decodeTaskMeta<T>(taskId, raw, {
        key: this.keys.taskKey(taskId),
        decodeEnvelopes: this.options.decodeKombuEnvelopes,
      });
    } catch (err) {
      this.cache.delete(taskId);
      throw err;
    }
    if (isReadyState(meta.status)) this.cache.set(taskId, meta);
    else this.cache.delete(taskId);
    return meta;
  }

  /** Drop a cached meta (after a write or forget). */
  invalidate(taskId: string): void {
    this.cache.delete(taskId);
  }
}
