import type { MemoryBackendConfig } from './memory.options.js';
import { Subject } from 'rxjs';
import {
  BackendUnavailableError,
  InvalidTaskIdError,
  MalformedResultError,
} from '../../errors/index.js';
import { isSuccessDocument } from '../../protocol/index.js';
import type {
  ResultStore,
  StoreEvent,
  StorePush,
  WriteOutcome,
  StoreSetArgs,
} from '../result-store.interface.js';
import type { StoreContext } from '../store-context.interface.js';

/** Celery's `cache+memory://` keeps at most this many entries (its `LRUCache(limit=5000)`). */
export const MEMORY_STORE_DEFAULT_LIMIT = 5000;

interface Entry {
  readonly value: string;
  /** Epoch ms, or `null` for no expiry. */
  readonly expiresAt: number | null;
}

/** Options of {@link MemoryResultStore}. @publicApi */
export interface MemoryStoreOptions {
  /** Most entries kept; the least recently used goes first (default 5000, like Celery). */
  readonly maxEntries?: number;
  /** Clock, for tests (default `Date.now`). */
  readonly now?: () => number;
}

/**
 * Celery's `cache+memory://`: a process-local LRU map, for tests and eager mode. Unlike
 * Celery (which ignores it) the TTL is honoured, lazily: an expired entry is dropped when
 * it is next touched, and no timer runs. Each store instance has its own map, and every
 * operation is synchronous under the hood, so guarded writes and `incr` are atomic.
 * Pushes every write and delete of a watched key with its value.
 * @publicApi
 */
export class MemoryResultStore implements ResultStore, StorePush {
  /** See {@link ResultStore.kind}. */
  readonly kind = 'memory' as const;
  /** See {@link ResultStore.description}. */
  readonly description = 'cache+memory://';
  /** Entries expire by themselves (TTL) and the LRU bound applies. */
  readonly autoExpires = true;
  /** Writes and deletes of added keys, with the new value. */
  readonly push: StorePush = this;

  private readonly map = new Map<string, Entry>();
  private readonly watched = new Set<string>();
  private readonly subject = new Subject<StoreEvent>();
  private readonly maxEntries: number;
  private readonly now: () => number;
  private closed = false;

  /** See {@link StorePush.events}. */
  readonly events = this.subject.asObservable();

  constructor(options: MemoryStoreOptions = {}) {
    this.maxEntries = Math.max(
      1,
      options.maxEntries ?? MEMORY_STORE_DEFAULT_LIMIT,
    );
    this.now = options.now ?? Date.now;
  }

  /** Number of live entries (expired ones not yet dropped are counted). */
  get size(): number {
    return this.map.size;
  }

  /** See {@link ResultStore.get}; refreshes the entry's LRU position. */
  get(key: string): Promise<string | null> {
    return this.sync(() => this.read(key));
  }

  /** See {@link ResultStore.mget}. */
  mget(keys: readonly string[]): Promise<(string | null)[]> {
    return this.sync(() => keys.map((k) => this.read(k)));
  }

  /** See {@link ResultStore.set}. A `ttl` of `null` or ≤ 0 keeps the entry until evicted. */
  set(...[key, value, ttl, guardSuccess]: StoreSetArgs): Promise<WriteOutcome> {
    return this.sync(() => {
      if (guardSuccess && isSuccessDocument(this.read(key)))
        return 'kept-success';
      this.write(key, value, ttl);
      return 'written';
    });
  }

  /** See {@link ResultStore.delete}. */
  delete(key: string): Promise<void> {
    return this.sync(() => {
      checkKey(key);
      const existed = this.map.delete(key);
      if (existed) this.emit(key, null);
    });
  }

  /**
   * See {@link ResultStore.incr}: a missing or expired key counts from 0; the TTL restarts.
   * Rejects with MalformedResultError when the stored value is not an integer.
   */
  incr(key: string, ttl: number | null): Promise<number> {
    return this.sync(() => {
      const current = this.read(key);
      const n = current === null ? 0 : Number(current.trim());
      if (current !== null && !/^\s*-?\d+\s*$/.test(current)) {
        throw new MalformedResultError(
          key,
          'incr on a value that is not an integer',
          current.slice(0, 200),
        );
      }
      this.write(key, String(n + 1), ttl);
      return n + 1;
    });
  }

  /** See {@link StorePush.add}. */
  add(keys: readonly string[]): Promise<void> {
    return this.sync(() => keys.forEach((k) => this.watched.add(k)));
  }

  /** See {@link StorePush.remove}. */
  remove(keys: readonly string[]): Promise<void> {
    for (const k of keys) this.watched.delete(k);
    return Promise.resolve();
  }

  /** Resolves while the store is open. */
  ping(): Promise<void> {
    return this.sync(() => undefined);
  }

  /** Drops every entry and completes `events`. Idempotent. */
  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.map.clear();
      this.watched.clear();
      this.subject.complete();
    }
    return Promise.resolve();
  }

  private read(key: string): string | null {
    checkKey(key);
    const entry = this.map.get(key);
    if (!entry) return null;
    this.map.delete(key);
    if (entry.expiresAt !== null && entry.expiresAt <= this.now()) return null;
    this.map.set(key, entry); // most recently used goes last
    return entry.value === '' ? null : entry.value;
  }

  private write(key: string, value: string, ttl: number | null): void {
    checkKey(key);
    this.map.delete(key);
    this.map.set(key, {
      value,
      expiresAt: ttl !== null && ttl > 0 ? this.now() + ttl * 1000 : null,
    });
    while (this.map.size > this.maxEntries) {
      const oldest = this.map.keys().next();
      if (oldest.done) break;
      this.map.delete(oldest.value);
    }
    this.emit(key, value);
  }

  private emit(key: string, value: string | null): void {
    if (this.watched.has(key))
      this.subject.next({ type: 'change', key, value });
  }

  /** Runs `fn` atomically (no await inside) and returns its outcome as a promise. */
  private sync<T>(fn: () => T): Promise<T> {
    try {
      if (this.closed)
        throw new BackendUnavailableError(this.description, 'store closed');
      return Promise.resolve(fn());
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
  }
}

function checkKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0)
    throw new InvalidTaskIdError(String(key), 'empty key');
}

/**
 * Open an in-process memory store (`cache+memory://`).
 * @publicApi
 */
export function createMemoryStore(
  _config: MemoryBackendConfig,
  _ctx?: StoreContext,
  options?: MemoryStoreOptions,
): Promise<ResultStore> {
  return Promise.resolve(new MemoryResultStore(options));
}
