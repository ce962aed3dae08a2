import type { Observable } from 'rxjs';

/**
 * Something a push-capable store reports about watched keys.
 * - `change`: `key` changed. `value` is the new raw text when the store delivered it
 *   (Redis PUBLISH, memory), `null` when the key was deleted, and `undefined` when the store
 *   only knows *that* it changed (filesystem events, CouchDB changes feed): the watch engine
 *   then re-reads the key.
 * - `resync`: the store may have missed changes (watcher overflow, a file name not given):
 *   the engine re-reads every watched key once.
 * - `degraded`: push cannot be trusted for now (connection lost, feed failing, `fs.watch`
 *   unavailable): the engine re-reads every watched key at once and then polls them at the
 *   poll interval. Stores never poll themselves.
 * - `recovered`: push works again: the engine stops polling and re-reads every key once.
 * @publicApi
 */
export type StoreEvent =
  | {
      readonly type: 'change';
      readonly key: string;
      readonly value?: string | null;
    }
  | { readonly type: 'resync' | 'degraded' | 'recovered' };

/**
 * Push notification support of a store. The watch engine adds keys before its first read
 * of them, so a value written between the two is never lost.
 * @publicApi
 */
export interface StorePush {
  /** Every change of an added key, and resync requests. Hot; never completes while open. */
  readonly events: Observable<StoreEvent>;
  /** Start receiving changes for these keys. Resolves once the subscription is active. */
  add(keys: readonly string[]): Promise<void>;
  /** Stop receiving changes for these keys (the engine calls it when the last watcher leaves). */
  remove(keys: readonly string[]): Promise<void>;
}

/**
 * Redis-style chord bookkeeping (`<group key>.j` sorted set, `.t`, `.s`), as Celery's Redis
 * backend keeps it. Only Redis stores implement it.
 * @publicApi
 */
export interface StoreChordCounter {
  /** `SET <gid key>.s <size>` (with expiry and PUBLISH, as Celery's `set_chord_size`). */
  setSize(groupKey: string, size: number, ttl: number | null): Promise<void>;
  /**
   * Record one header part: `ZADD .j score member`, then read the count, `.t` and `.s`,
   * and refresh expiries, in one atomic round trip.
   */
  addPart(
    groupKey: string,
    member: string,
    score: number,
    ttl: number | null,
  ): Promise<{
    readonly done: number;
    readonly size: number | null;
    readonly extra: number;
  }>;
  /** All recorded parts in score order (raw member text). */
  parts(groupKey: string): Promise<string[]>;
  /** Delete `.j`, `.t` and `.s`. */
  clear(groupKey: string): Promise<void>;
}

/**
 * A chord counter row, as django-celery-results' `ChordCounter` keeps it: the header's result
 * tuples and a count that starts at the chord size and goes down by one per finished part.
 * @publicApi
 */
export interface StoreChordRows {
  /** `apply_chord`: create (or reset) the counter of `groupId` for these members. */
  create(
    groupId: string,
    memberIds: readonly string[],
    size: number,
  ): Promise<void>;
  /**
   * `on_chord_part_return`: decrement atomically and return the new count. The part that
   * reaches exactly 0 gets the member ids (and the row is deleted); `null` when there is no
   * counter (the coordinator then polls the saved header group).
   */
  decrement(
    groupId: string,
  ): Promise<{ remaining: number; memberIds: string[] } | null>;
}

/** Result of a guarded write. @publicApi */
export type WriteOutcome = 'written' | 'kept-success';

/**
 * The contract every store implements: raw text in, raw text out, under full keys
 * (`celery-task-meta-<id>` and friends, global prefix included). Stores know nothing about
 * Celery's meta format except `isSuccessDocument` for the "SUCCESS is final" guard, which
 * each store makes as atomic as it can.
 * @publicApi
 */
export interface ResultStore {
  /** Which kind of store this is (`redis`, `s3`, … or a custom store's own name). */
  readonly kind: string;
  /** Connection description with the password masked, for logs and health details. */
  readonly description: string;
  /** Expiry the store applies by itself (Redis, memcached), so `cleanup()` is a no-op. */
  readonly autoExpires: boolean;

  /**
   * Refuse a full key this store cannot hold (memcached: spaces, over 250 bytes; filesystem:
   * path separators, over 255 bytes; S3: over 1,024 bytes) by throwing `InvalidTaskIdError`.
   * The service calls it at every entry point before any I/O, so a bad id fails at once and
   * never reaches a batched read or a watch. Absent: every key `validateId` accepts is fine.
   */
  validateKey?(key: string): void;
  /** Raw stored text, or `null` when missing or empty (Celery reads both as PENDING). */
  get(key: string): Promise<string | null>;
  /** Raw texts in the order of `keys`; batches and bounds concurrency itself. */
  mget(keys: readonly string[]): Promise<(string | null)[]>;
  /**
   * Optional streaming `mget` for stores that read key by key (S3: one GET per key): calls
   * `onRead(index, outcome)` for each key as soon as its own read settles (any order), then
   * resolves; never rejects. The watch engine prefers it, so each key is delivered as its
   * read returns instead of after the whole batch. Concurrency is the store's own limit.
   */
  mgetEach?(
    keys: readonly string[],
    onRead: (
      index: number,
      outcome:
        | { readonly ok: true; readonly value: string | null }
        | { readonly ok: false; readonly error: unknown },
    ) => void,
  ): Promise<void>;
  /**
   * Write `value` under `key` with a TTL in seconds (`null` = keep forever). Redis also
   * PUBLISHes the same bytes. With `guardSuccess`, the write is skipped when the stored
   * document has status SUCCESS ("SUCCESS is final").
   */
  set(
    key: string,
    value: string,
    ttl: number | null,
    guardSuccess: boolean,
  ): Promise<WriteOutcome>;
  /** Delete a key; deleting a missing key is not an error. */
  delete(key: string): Promise<void>;
  /** Atomic counter increment (memcached `chord-unlock-`, Redis INCR); refreshes the TTL. */
  incr?(key: string, ttl: number | null): Promise<number>;
  /** Redis chord layout. */
  readonly chord?: StoreChordCounter;
  /** Database chord counter rows (django-celery-results' `ChordCounter`). */
  readonly chordRows?: StoreChordRows;
  /** Push notifications; absent means the watch engine polls with batched `mget`. */
  readonly push?: StorePush;
  /**
   * Delete results older than `expiresSeconds`; returns how many were removed. `prefixes`:
   * the result key prefixes to consider, global key prefix included (the service passes
   * its `KeyBuilder`'s task, group and chord prefixes); default Celery's unprefixed ones.
   */
  cleanup?(
    expiresSeconds: number,
    prefixes?: readonly string[],
  ): Promise<number>;
  /** Round trip to the live client (no new connection). Rejects when the store is down. */
  ping(): Promise<void>;
  /** Release every connection, timer and watcher. Idempotent. */
  close(): Promise<void>;
}

/**
 * The arguments of {@link ResultStore.set}, as the contract names them, so a store's `set`
 * takes them without restating the list: `set(...[key, value, ttl, guardSuccess]: StoreSetArgs)`.
 * @internal
 */
export type StoreSetArgs = Parameters<ResultStore['set']>;
