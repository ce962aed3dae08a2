import { jest } from '@jest/globals';
import { Subject } from 'rxjs';
import type {
  ResultStore,
  StoreEvent,
} from '../stores/result-store.interface.js';
import { safetyRereadMs } from '../utils/watch-policy.constants.js';
import { WatchEngine } from './watch-engine.js';

/**
 * The engine owns the one fallback poll: push stores only report degraded/recovered.
 * Fake clock, fake store (pure unit test; real stores run the e2e contracts).
 */
interface Fake {
  readonly store: ResultStore;
  readonly events: Subject<StoreEvent>;
  /** Keys of each batched read, in call order. */
  readonly reads: string[][];
  /** Reads running now, and the most ever running at once. */
  readonly running: { now: number; max: number };
  /** Values returned by reads. */
  readonly data: Map<string, string>;
  /** When set, every read waits for it. */
  gate?: Promise<void>;
}

function fakeStore(withPush: boolean): Fake {
  const events = new Subject<StoreEvent>();
  const fake: Fake = {
    events,
    reads: [],
    running: { now: 0, max: 0 },
    data: new Map(),
    store: undefined as unknown as ResultStore,
  };
  const mget = async (keys: readonly string[]): Promise<(string | null)[]> => {
    fake.reads.push([...keys]);
    fake.running.now++;
    fake.running.max = Math.max(fake.running.max, fake.running.now);
    try {
      if (fake.gate) await fake.gate;
      return keys.map((k) => fake.data.get(k) ?? null);
    } finally {
      fake.running.now--;
    }
  };
  Object.assign(fake, {
    store: {
      kind: 'fake',
      description: 'fake://',
      autoExpires: true,
      get: async (k: string) => (await mget([k]))[0],
      mget,
      set: async () => 'written' as const,
      delete: async () => undefined,
      ping: async () => undefined,
      close: async () => undefined,
      push: withPush
        ? { events, add: async () => undefined, remove: async () => undefined }
        : undefined,
    } satisfies ResultStore,
  });
  return fake;
}

const logger = { log: jest.fn(), warn: jest.fn(), error: jest.fn() };
const ignore = { next: () => undefined, error: () => undefined };

/** Advance the fake clock and let the engine's setImmediate flushes and promises run. */
async function advance(ms: number): Promise<void> {
  await jest.advanceTimersByTimeAsync(ms);
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}

describe('WatchEngine fallback poll and safety re-read', () => {
  beforeEach(() => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'queueMicrotask'] });
  });
  afterEach(() => jest.useRealTimers());

  it('re-reads every key of a healthy but silent push store at the safety cadence', async () => {
    const fake = fakeStore(true);
    const engine = new WatchEngine(fake.store, 100, logger);
    engine.watch('a', ignore);
    engine.watch('b', ignore);
    await advance(0);
    expect(fake.reads).toEqual([['a', 'b']]); // the first read
    await advance(safetyRereadMs(100) - 1);
    expect(fake.reads).toHaveLength(1);
    await advance(1);
    expect(fake.reads).toEqual([
      ['a', 'b'],
      ['a', 'b'],
    ]);
    await engine.close();
  });

  it('polls at the poll interval while degraded, re-reads once on recovered, then only at the safety cadence', async () => {
    const fake = fakeStore(true);
    const engine = new WatchEngine(fake.store, 100, logger);
    const seen: (string | null)[] = [];
    engine.watch('k', { next: (v) => seen.push(v), error: () => undefined });
    await advance(0);
    fake.events.next({ type: 'degraded' });
    await advance(0);
    expect(fake.reads).toHaveLength(2); // the first read, and one at once
    fake.data.set('k', 'v');
    await advance(100);
    expect(fake.reads).toHaveLength(3);
    expect(seen).toEqual([null, 'v']);
    await advance(300);
    expect(fake.reads).toHaveLength(6);
    fake.events.next({ type: 'recovered' });
    await advance(0);
    expect(fake.reads).toHaveLength(7); // the re-read on recovery
    await advance(safetyRereadMs(100) - 1);
    expect(fake.reads).toHaveLength(7);
    expect(engine.polls).toBe(4);
    await engine.close();
  });

  it('never starts a poll while the previous one runs, across intervals', async () => {
    const fake = fakeStore(false);
    const engine = new WatchEngine(fake.store, 20, logger);
    engine.watch('a', ignore);
    engine.watch('b', ignore, 30);
    await advance(0);
    let open!: () => void;
    fake.gate = new Promise<void>((r) => (open = r));
    await advance(1_000); // 50 intervals of 20 ms pass while the first poll hangs
    expect(fake.running.max).toBe(1);
    expect(engine.polls).toBe(1);
    fake.gate = undefined;
    open();
    await advance(0); // the other interval was due: it runs right after
    expect(engine.polls).toBe(2);
    await advance(100);
    expect(fake.running.max).toBe(1);
    expect(engine.polls).toBeGreaterThanOrEqual(5);
    await engine.close();
  });

  it('delivers each key as its own read returns when the store streams reads (mgetEach)', async () => {
    const fake = fakeStore(false);
    let release!: () => void;
    const slow = new Promise<void>((r) => (release = r));
    fake.store.mgetEach = async (keys, onRead) => {
      await Promise.all(
        keys.map(async (k, i) => {
          if (k === 'slow') await slow;
          onRead(i, { ok: true, value: `${k}!` });
        }),
      );
    };
    const engine = new WatchEngine(fake.store, 1_000, logger);
    const seen: (string | null)[] = [];
    const listener = {
      next: (v: string | null) => seen.push(v),
      error: () => undefined,
    };
    engine.watch('slow', listener);
    engine.watch('fast', listener);
    await advance(0);
    expect(seen).toEqual(['fast!']);
    release();
    await advance(0);
    expect(seen).toEqual(['fast!', 'slow!']);
    await engine.close();
  });
});
