import { jest } from '@jest/globals';
import { Subject } from 'rxjs';
import type {
  ResultStore,
  StoreEvent,
  WriteOutcome,
} from '../stores/result-store.interface.js';
import { MalformedResultError } from '../errors/malformed-result.error.js';
import { WatchEngine } from './watch-engine.js';

/** A scripted in-memory store: unit test only (real stores run the e2e contracts). */
class ScriptedStore implements ResultStore {
  readonly kind = 'memory' as const;
  readonly description = 'scripted://';
  readonly autoExpires = true;
  readonly data = new Map<string, string>();
  readonly mgetCalls: string[][] = [];
  readonly added: string[][] = [];
  readonly removed: string[][] = [];
  /** When set, mget waits for this before answering (to script races). */
  gate?: Promise<void>;
  readonly events = new Subject<StoreEvent>();
  push?: ResultStore['push'];

  constructor(withPush: boolean) {
    if (withPush) {
      this.push = {
        events: this.events,
        add: async (keys) => void this.added.push([...keys]),
        remove: async (keys) => void this.removed.push([...keys]),
      };
    }
  }
  async get(key: string): Promise<string | null> {
    return this.data.get(key) ?? null;
  }
  async mget(keys: readonly string[]): Promise<(string | null)[]> {
    this.mgetCalls.push([...keys]);
    const snapshot = keys.map((k) => this.data.get(k) ?? null);
    if (this.gate) await this.gate;
    return snapshot;
  }
  async set(key: string, value: string): Promise<WriteOutcome> {
    this.data.set(key, value);
    return 'written';
  }
  async delete(key: string): Promise<void> {
    this.data.delete(key);
  }
  async ping(): Promise<void> {}
  async close(): Promise<void> {}
}

const logger = { log: jest.fn(), warn: jest.fn(), error: jest.fn() };
const tick = (): Promise<void> => new Promise((r) => setImmediate(r));
/** Two turns: the engine's batched add, then its batched read. */
const settle = async (): Promise<void> => {
  await tick();
  await tick();
};
/** Watch `key` on `engine`, collecting every value it delivers. */
const collect = (engine: WatchEngine, key: string): (string | null)[] => {
  const seen: (string | null)[] = [];
  engine.watch(key, { next: (v) => seen.push(v), error: fail });
  return seen;
};
const sleep = (ms: number): Promise<void> =>
  new Promise((r) => setTimeout(r, ms));

describe('WatchEngine', () => {
  it('push: adds keys in one batch before reading them in one batch', async () => {
    const store = new ScriptedStore(true);
    const engine = new WatchEngine(store, 1000, logger);
    const seen: (string | null)[] = [];
    const stops = ['a', 'b', 'c'].map((k) =>
      engine.watch(k, { next: (v) => seen.push(v), error: fail }),
    );
    await settle();
    expect(store.added).toEqual([['a', 'b', 'c']]);
    expect(store.mgetCalls).toEqual([['a', 'b', 'c']]);
    expect(seen).toEqual([null, null, null]);
    stops.forEach((s) => s());
    await tick();
    expect(store.removed).toEqual([['a', 'b', 'c']]);
    expect(engine.size).toBe(0);
    await engine.close();
  });

  it('push: a stale read overtaken by a pushed value is dropped', async () => {
    const store = new ScriptedStore(true);
    let open!: () => void;
    store.gate = new Promise((r) => (open = r));
    const engine = new WatchEngine(store, 1000, logger);
    const seen = collect(engine, 'k');
    await settle();
    store.events.next({ type: 'change', key: 'k', value: 'NEW' });
    open();
    await settle();
    expect(seen).toEqual(['NEW']);
    await engine.close();
  });

  it('push: change without value and resync trigger batched re-reads', async () => {
    const store = new ScriptedStore(true);
    const engine = new WatchEngine(store, 1000, logger);
    const seen = collect(engine, 'k');
    engine.watch('j', { next: () => undefined, error: fail });
    await settle();
    store.data.set('k', 'v1');
    store.events.next({ type: 'change', key: 'k' });
    store.events.next({ type: 'change', key: 'not-watched' });
    await settle();
    expect(store.mgetCalls.at(-1)).toEqual(['k']);
    store.data.set('k', 'v2');
    store.events.next({ type: 'resync' });
    await settle();
    expect(store.mgetCalls.at(-1)).toEqual(['k', 'j']);
    expect(seen).toEqual([null, 'v1', 'v2']);
    await engine.close();
  });

  it('delivers only distinct values, and gives late joiners the current one', async () => {
    const store = new ScriptedStore(true);
    const engine = new WatchEngine(store, 1000, logger);
    const first = collect(engine, 'k');
    await settle();
    store.events.next({ type: 'change', key: 'k', value: 'x' });
    store.events.next({ type: 'change', key: 'k', value: 'x' });
    const second = collect(engine, 'k');
    await settle();
    expect(first).toEqual([null, 'x']);
    expect(second).toEqual(['x']);
    expect(store.added).toHaveLength(1);
    await engine.close();
  });

  it('polling: one mget per interval over all watched keys, no timer when idle', async () => {
    const store = new ScriptedStore(false);
    const engine = new WatchEngine(store, 20, logger);
    const stops = Array.from({ length: 100 }, (_, i) =>
      engine.watch(`k${i}`, { next: () => undefined, error: fail }),
    );
    await sleep(150);
    const polls = store.mgetCalls.slice(1);
    expect(polls.length).toBeGreaterThanOrEqual(1);
    for (const call of polls) expect(call).toHaveLength(100);
    stops.forEach((s) => s());
    const count = store.mgetCalls.length;
    await sleep(60);
    expect(store.mgetCalls.length).toBe(count);
    await engine.close();
  });

  it('polling: a failing read is retried on the next interval and logged once', async () => {
    const store = new ScriptedStore(false);
    const warn = jest.fn();
    const engine = new WatchEngine(store, 15, { ...logger, warn });
    let failing = true;
    const orig = store.mget.bind(store);
    store.mget = async (keys) => {
      if (failing) throw new Error('down');
      return orig(keys);
    };
    const seen = collect(engine, 'k');
    await sleep(60);
    expect(seen).toEqual([]);
    expect(warn).toHaveBeenCalledTimes(1);
    failing = false;
    store.data.set('k', 'back');
    await sleep(50);
    expect(seen).toEqual(['back']);
    await engine.close();
  });

  it('polling: a key that fails for good errors alone; the others are delivered, no outage logged', async () => {
    const store = new ScriptedStore(false);
    const warn = jest.fn();
    const engine = new WatchEngine(store, 15, { ...logger, warn });
    const orig = store.get.bind(store);
    const bad = new MalformedResultError('bad', 'unreadable');
    store.get = async (key) =>
      key === 'bad' ? Promise.reject(bad) : orig(key);
    store.mget = async (keys) => Promise.all(keys.map((k) => store.get(k)));
    const seen: (string | null)[] = [];
    const errors: unknown[] = [];
    engine.watch('good', { next: (v) => seen.push(v), error: fail });
    engine.watch('bad', { next: fail, error: (e) => errors.push(e) });
    await sleep(40);
    store.data.set('good', 'done');
    await sleep(60);
    expect(seen).toEqual([null, 'done']);
    expect(errors[0]).toBe(bad);
    expect(warn).not.toHaveBeenCalled();
    await engine.close();
  });
});

function fail(err: unknown): never {
  throw err instanceof Error ? err : new Error(String(err));
}
