import type { LoggerService } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import type {
  ResultStore,
  StoreEvent,
} from '../stores/result-store.interface.js';
import { OutageLog } from '../utils/outage-log.util.js';
import { settledWithin } from '../utils/settled-within.util.js';
import {
  isPermanentReadError,
  readEach,
  type KeyRead,
} from './read-each.util.js';

/** How long close() waits for reads in flight before leaving them to the store's close, ms. */
const CLOSE_WAIT_MS = 500;

/** Receives what the engine reads for one watched key. @internal */
export interface WatchListener {
  /** The raw stored text (null when missing), each time it differs from the last one delivered. */
  next(raw: string | null): void;
  /** A read failed in a way that will not heal by retrying (not used for transient outages). */
  error(err: unknown): void;
}

interface Entry {
  readonly key: string;
  readonly listeners: Set<WatchListener>;
  /** Last raw text delivered (undefined = nothing read yet). */
  last: string | null | undefined;
  /** Bumped on every push delivery; a read issued before a push is stale and dropped. */
  version: number;
  /** Poll interval this key is polled at (polling stores only). */
  interval: number;
}

/**
 * One engine per backend instance. Push stores: keys are added to the store's single
 * subscription before their first read, so nothing written in between is lost; changes are
 * delivered as they arrive, re-reads are batched per tick. Polling stores: one batched
 * `mget` per interval over every watched key, never one timer per task.
 *
 * Transient read errors (store down) are logged once per outage and retried on the next
 * interval or resync; watchers keep waiting until their own timeout.
 * @internal
 */
export class WatchEngine {
  private readonly entries = new Map<string, Entry>();
  private readonly toAdd = new Set<string>();
  private readonly toRemove = new Set<string>();
  private readonly toRead = new Set<string>();
  private flushScheduled = false;
  private readonly pollTimers = new Map<number, NodeJS.Timeout>();
  private readonly pollBusy = new Set<number>();
  private readonly pollCounts = new Map<number, number>();
  private pushSub?: Subscription;
  private readonly outage: OutageLog;
  private closed = false;
  private inflight = new Set<Promise<void>>();

  constructor(
    private readonly store: ResultStore,
    private readonly defaultIntervalMs: number,
    logger: LoggerService,
  ) {
    this.outage = new OutageLog(logger, store.description);
  }

  /** Number of keys currently watched (for tests and metrics). */
  get size(): number {
    return this.entries.size;
  }

  /** Watch `key`; returns the function that stops this listener. */
  watch(key: string, listener: WatchListener, intervalMs?: number): () => void {
    if (this.closed) throw new Error('WatchEngine is closed');
    let entry = this.entries.get(key);
    if (!entry) {
      entry = {
        key,
        listeners: new Set(),
        last: undefined,
        version: 0,
        interval: Math.max(10, intervalMs ?? this.defaultIntervalMs),
      };
      this.entries.set(key, entry);
      if (this.toRemove.has(key)) this.toRemove.delete(key);
      else this.toAdd.add(key);
      this.pollCounts.set(
        entry.interval,
        (this.pollCounts.get(entry.interval) ?? 0) + 1,
      );
      this.ensurePolling(entry.interval);
    } else if (entry.last !== undefined) {
      // Late joiner: give it the current value right away.
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
    for (const t of this.pollTimers.values()) clearInterval(t);
    this.pollTimers.clear();
    this.pushSub?.unsubscribe();
    const keys = [...this.entries.keys()];
    this.entries.clear();
    if (this.store.push && keys.length > 0)
      void this.store.push.remove(keys).catch(() => undefined);
    // Reads and subscriptions in flight may wait for a store that is down; the store's own
    // close() ends them, so wait only briefly here.
    await settledWithin(this.inflight, CLOSE_WAIT_MS);
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
    if (left > 0) {
      this.pollCounts.set(entry.interval, left);
      return;
    }
    this.pollCounts.delete(entry.interval);
    const timer = this.pollTimers.get(entry.interval);
    if (timer) clearInterval(timer);
    this.pollTimers.delete(entry.interval);
  }

  private scheduleFlush(): void {
    if (this.flushScheduled || this.closed) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.track(this.flush());
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
        this.outage.failed(err);
        // Keys stay watched; the store resubscribes on reconnect and emits resync.
      }
    }
    if (reads.length > 0) await this.read(reads);
  }

  private onEvent(e: StoreEvent): void {
    if (e.type === 'resync') {
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
    this.deliver(entry, e.value);
  }

  /** Batched read of keys; results of reads overtaken by a push delivery are dropped. */
  private async read(keys: readonly string[]): Promise<void> {
    const snapshot = keys.map((k) => this.entries.get(k)?.version ?? -1);
    let reads: KeyRead[];
    try {
      const values = await this.store.mget(keys);
      reads = values.map((value) => ({ ok: true, value: value ?? null }));
    } catch (err) {
      if (this.closed) return;
      if (!isPermanentReadError(err)) return this.outage.failed(err);
      // One key's own problem: read them one by one so it fails alone.
      reads = await readEach(this.store, keys);
    }
    const outage = reads.find((r) => !r.ok && !isPermanentReadError(r.error));
    if (outage && !outage.ok) this.outage.failed(outage.error);
    else this.outage.recovered();
    keys.forEach((k, i) => {
      const entry = this.entries.get(k);
      const r = reads[i];
      if (!entry || entry.version !== snapshot[i]) return;
      if (r.ok) this.deliver(entry, r.value);
      else if (isPermanentReadError(r.error))
        for (const l of [...entry.listeners]) l.error(r.error);
    });
  }

  private deliver(entry: Entry, raw: string | null): void {
    if (raw === entry.last) return;
    entry.last = raw;
    for (const l of [...entry.listeners]) {
      try {
        l.next(raw);
      } catch (err) {
        l.error(err);
      }
    }
  }

  private ensurePolling(interval: number): void {
    if (this.store.push || this.pollTimers.has(interval)) return;
    const timer = setInterval(() => {
      if (this.pollBusy.has(interval)) return; // never overlap polls of one interval
      const keys = [...this.entries.values()]
        .filter((e) => e.interval === interval)
        .map((e) => e.key);
      if (keys.length === 0) return;
      this.pollBusy.add(interval);
      this.track(this.read(keys).finally(() => this.pollBusy.delete(interval)));
    }, interval);
    this.pollTimers.set(interval, timer);
  }
}
