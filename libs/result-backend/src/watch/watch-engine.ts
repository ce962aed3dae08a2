import type { LoggerService } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import type {
  ResultStore,
  StoreEvent,
} from '../stores/result-store.interface.js';
import { OutageLog, outageLogOf } from '../utils/outage-log.util.js';
import { settledWithin } from '../utils/settled-within.util.js';
import {
  CLOSE_WAIT_MS,
  MIN_POLL_INTERVAL_MS,
  safetyRereadMs,
} from '../utils/watch-policy.constants.js';
import { PollLoop } from './poll-loop.js';
import { ReadsOutagePart } from './reads-outage.util.js';
import type { WatchEntry, WatchListener } from './watch-entry.interface.js';
import { deliverRaw, failListeners } from './watch-listeners.util.js';
import {
  isPermanentReadError,
  readKeys,
  type KeyRead,
} from './read-each.util.js';

/**
 * One engine per backend instance, and the only place that polls (policy in
 * `utils/watch-policy.constants.ts`).
 * - Push stores: keys are added to the store's single subscription before their first read,
 *   so nothing written in between is lost; changes are delivered as they arrive, re-reads are
 *   batched per tick. While the store reports `degraded` the engine polls every watched key at
 *   the poll interval; while push is healthy it still re-reads them all now and then (the
 *   safety re-read), so a feed that goes silent cannot stall a watch.
 * - Polling stores: one batched read per interval over every watched key, never one timer per
 *   task; polls never overlap (see {@link PollLoop}). Stores with `mgetEach` deliver each key
 *   as its read returns.
 * Transient read errors go to the shared outage log (see {@link ReadsOutagePart}), retried on
 * the next poll or resync; watchers keep waiting until their own timeout. A permanent read
 * error (a key's own, or a `BackendUnavailableError` with `permanent: true` such as a wrong
 * password) ends the listeners of the keys it hit with that error at once, for any store.
 * @internal
 */
export class WatchEngine {
  private readonly entries = new Map<string, WatchEntry>();
  private readonly toAdd = new Set<string>();
  private readonly toRemove = new Set<string>();
  private readonly toRead = new Set<string>();
  private flushScheduled = false;
  private readonly loop: PollLoop;
  private readonly pollCounts = new Map<number, number>();
  private pushSub?: Subscription;
  private degraded = false;
  private readonly reads: ReadsOutagePart;
  private closed = false;
  private inflight = new Set<Promise<void>>();

  constructor(
    private readonly store: ResultStore,
    private readonly defaultIntervalMs: number,
    logger: LoggerService,
  ) {
    this.reads = new ReadsOutagePart(
      outageLogOf(store) ?? new OutageLog(logger, store.description),
      store,
    );
    this.loop = new PollLoop(
      (ms) => this.poll(ms),
      (p) => this.track(p),
    );
  }

  /** Number of keys currently watched (for tests and metrics). */
  get size(): number {
    return this.entries.size;
  }

  /** Polls started so far: fallback, safety and timed polls (for tests and metrics). */
  get polls(): number {
    return this.loop.polls;
  }

  /** Watch `key`; returns the function that stops this listener. */
  watch(key: string, listener: WatchListener, intervalMs?: number): () => void {
    if (this.closed) throw new Error('WatchEngine is closed');
    let entry = this.entries.get(key);
    if (!entry) {
      const interval = Math.max(
        MIN_POLL_INTERVAL_MS,
        intervalMs ?? this.defaultIntervalMs,
      );
      entry = {
        key,
        listeners: new Set(),
        last: undefined,
        version: 0,
        interval,
      };
      this.entries.set(key, entry);
      if (this.toRemove.has(key)) this.toRemove.delete(key);
      else this.toAdd.add(key);
      this.pollCounts.set(interval, (this.pollCounts.get(interval) ?? 0) + 1);
      this.loop.want(this.pollEvery(interval));
    } else if (entry.last !== undefined) {
      const last = entry.last;
      queueMicrotask(
        () => entry?.listeners.has(listener) && listener.next(last),
      );
    }
    entry.listeners.add(listener);
    if (entry.last === undefined) {
      // First read (or one still pending, which then serves this listener too).
      this.toRead.add(key);
      this.scheduleFlush();
    }
    return () => this.unwatch(key, listener);
  }

  /** Stop everything; pending listeners are simply dropped (the service errors them first). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.loop.stop();
    this.pushSub?.unsubscribe();
    const keys = [...this.entries.keys()];
    this.entries.clear();
    if (this.store.push && keys.length > 0)
      void this.store.push.remove(keys).catch(() => undefined);
    // Reads in flight may wait for a store that is down; its close() ends them: wait briefly.
    await settledWithin(this.inflight, CLOSE_WAIT_MS);
  }

  /** The poll cadence a key of `interval` needs: its own, or the push store's current one. */
  private pollEvery(interval: number): number {
    if (!this.store.push) return interval;
    return this.degraded
      ? this.defaultIntervalMs
      : safetyRereadMs(this.defaultIntervalMs);
  }

  private unwatch(key: string, listener: WatchListener): void {
    const entry = this.entries.get(key);
    if (!entry || !entry.listeners.delete(listener) || entry.listeners.size > 0)
      return;
    this.entries.delete(key);
    this.toRead.delete(key);
    if (this.toAdd.has(key)) this.toAdd.delete(key);
    else this.toRemove.add(key);
    this.scheduleFlush();
    const left = (this.pollCounts.get(entry.interval) ?? 1) - 1;
    if (left > 0) this.pollCounts.set(entry.interval, left);
    else this.pollCounts.delete(entry.interval);
    if (this.store.push ? this.entries.size === 0 : left === 0)
      this.loop.unwant(this.pollEvery(entry.interval));
    if (this.entries.size === 0) this.reads.idle((p) => this.track(p));
  }

  private scheduleFlush(): void {
    if (this.flushScheduled || this.closed) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      if (!this.closed) this.track(this.flush()); // nothing is read or logged after close
    });
  }

  private track(p: Promise<void>): void {
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p));
  }

  private async flush(): Promise<void> {
    const push = this.store.push;
    const adds = [...this.toAdd];
    const removes = [...this.toRemove];
    const reads = [...this.toRead];
    this.toAdd.clear();
    this.toRemove.clear();
    this.toRead.clear();
    if (push) {
      this.pushSub ??= push.events.subscribe((e) => this.onEvent(e));
      try {
        if (removes.length > 0) await push.remove(removes);
        if (adds.length > 0) await push.add(adds);
      } catch (err) {
        if (this.closed) return; // closing is no outage
        // A refused configuration ends the new watches; else keys stay watched, the store
        // reports degraded/recovered and the engine re-reads.
        if (!isPermanentReadError(err)) this.reads.failed(err);
        else for (const k of adds) this.failKey(k, err);
      }
    }
    if (reads.length > 0) await this.read(reads);
  }

  private onEvent(e: StoreEvent): void {
    const degraded = e.type === 'degraded';
    if ((degraded || e.type === 'recovered') && degraded !== this.degraded) {
      const before = this.pollEvery(this.defaultIntervalMs);
      this.degraded = degraded;
      if (this.entries.size > 0) {
        this.loop.unwant(before);
        this.loop.want(this.pollEvery(this.defaultIntervalMs));
      }
    }
    if (e.type !== 'change') {
      for (const k of this.entries.keys()) this.toRead.add(k);
      this.scheduleFlush();
      return;
    }
    const entry = this.entries.get(e.key);
    if (!entry) return;
    if (e.value === undefined) {
      this.toRead.add(e.key);
      this.scheduleFlush();
      return;
    }
    entry.version++;
    deliverRaw(entry, e.value);
  }

  private failKey(key: string, err: unknown): void {
    const entry = this.entries.get(key);
    if (entry) failListeners(entry, err);
  }

  /** One timed poll: every key of this interval (push stores: every key). */
  private poll(ms: number): Promise<void> {
    const keys = [...this.entries.values()]
      .filter((e) => this.store.push || e.interval === ms)
      .map((e) => e.key);
    return keys.length > 0 ? this.read(keys) : Promise.resolve();
  }

  /** Batched read of keys; results of reads overtaken by a push delivery are dropped. */
  private async read(keys: readonly string[]): Promise<void> {
    const snapshot = keys.map((k) => this.entries.get(k)?.version ?? -1);
    let outage: unknown;
    const settle = (i: number, r: KeyRead): void => {
      if (!r.ok && !isPermanentReadError(r.error)) {
        outage ??= r.error;
        return this.closed ? undefined : this.reads.failed(r.error);
      }
      const entry = this.entries.get(keys[i]);
      if (!entry || entry.version !== snapshot[i] || this.closed) return;
      if (r.ok) deliverRaw(entry, r.value);
      else failListeners(entry, r.error);
    };
    await readKeys(this.store, keys, settle);
    if (outage === undefined && !this.closed) this.reads.ok();
  }
}
