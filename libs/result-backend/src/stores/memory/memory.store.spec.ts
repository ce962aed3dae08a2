/**
 * The in-process memory store (`cache+memory://`), pure (no server): LRU bound, lazy TTL, incr,
 * push events and close. The store contract runs on it in test/contracts/memory.e2e-spec.ts.
 */
import { firstValueFrom, take, toArray } from 'rxjs';
import {
  InvalidTaskIdError,
  MalformedResultError,
} from '../../errors/index.js';
import type { ResultStore, StoreEvent } from '../result-store.interface.js';
import type { StoreContext } from '../store-context.interface.js';
import {
  createMemoryStore,
  MEMORY_STORE_DEFAULT_LIMIT,
  MemoryResultStore,
} from './memory.store.js';

const silent = {
  log: () => undefined,
  error: () => undefined,
  warn: () => undefined,
};
const ctx: StoreContext = {
  logger: silent,
  pollIntervalMs: 100,
};

describe('memory store (cache+memory://)', () => {
  let store: ResultStore;
  beforeAll(async () => {
    store = await createMemoryStore({ kind: 'memory' }, ctx);
  });
  afterAll(async () => {
    await store.close();
  });

  it('describes itself', () => {
    expect(store.kind).toBe('memory');
    expect(store.description).toBe('cache+memory://');
    expect(store.autoExpires).toBe(true);
  });

  it('pushes every write with its value and deletes as null, only for added keys', async () => {
    const s = new MemoryResultStore();
    const events = firstValueFrom(s.events.pipe(take(3), toArray()));
    await s.add(['a']);
    await s.set('other', 'x', null, false);
    await s.set('a', 'one', null, false);
    await s.set('a', 'two', 60, false);
    await s.delete('a');
    await s.delete('a'); // missing: no event
    const got: StoreEvent[] = await events;
    expect(got).toEqual([
      { type: 'change', key: 'a', value: 'one' },
      { type: 'change', key: 'a', value: 'two' },
      { type: 'change', key: 'a', value: null },
    ]);
    await s.remove(['a']);
    await s.close();
  });

  it('stops pushing after remove()', async () => {
    const s = new MemoryResultStore();
    const seen: StoreEvent[] = [];
    const sub = s.events.subscribe((e) => seen.push(e));
    await s.add(['k']);
    await s.remove(['k']);
    await s.set('k', 'v', null, false);
    expect(seen).toEqual([]);
    sub.unsubscribe();
    await s.close();
  });

  it('bounds entries like Celery (5000 by default), evicting the least recently used', async () => {
    expect(MEMORY_STORE_DEFAULT_LIMIT).toBe(5000);
    const s = new MemoryResultStore({ maxEntries: 3 });
    await s.set('k1', '1', null, false);
    await s.set('k2', '2', null, false);
    await s.set('k3', '3', null, false);
    expect(await s.get('k1')).toBe('1'); // k1 is now the most recent
    await s.set('k4', '4', null, false); // evicts k2
    expect(s.size).toBe(3);
    expect(await s.mget(['k1', 'k2', 'k3', 'k4'])).toEqual([
      '1',
      null,
      '3',
      '4',
    ]);
    await s.close();
  });

  it('honours the default bound of 5000 entries', async () => {
    const s = new MemoryResultStore();
    for (let i = 0; i < 5001; i++)
      await s.set(`celery-task-meta-${i}`, String(i), null, false);
    expect(s.size).toBe(5000);
    expect(await s.get('celery-task-meta-0')).toBeNull();
    expect(await s.get('celery-task-meta-5000')).toBe('5000');
    await s.close();
  });

  it('expires entries after their TTL, lazily; null and 0 keep them', async () => {
    let now = 1_000_000;
    const s = new MemoryResultStore({ now: () => now });
    await s.set('t', 'short', 10, false);
    await s.set('forever', 'f', null, false);
    await s.set('zero', 'z', 0, false);
    now += 9_999;
    expect(await s.get('t')).toBe('short');
    now += 1;
    expect(await s.mget(['t', 'forever', 'zero'])).toEqual([null, 'f', 'z']);
    // an expired SUCCESS no longer guards
    await s.set('g', '{"status": "SUCCESS", "result": 1}', 5, true);
    now += 5_000;
    expect(await s.set('g', '{"status": "FAILURE"}', 5, true)).toBe('written');
    await s.close();
  });

  it('increments atomically from 0, refreshing the TTL, and refuses non-integers', async () => {
    let now = 0;
    const s = new MemoryResultStore({ now: () => now });
    const results = await Promise.all(
      Array.from({ length: 10 }, () => s.incr('chord-unlock-g', 100)),
    );
    expect(results.sort((a, b) => a - b)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
    ]);
    expect(await s.get('chord-unlock-g')).toBe('10');
    now += 99_000;
    expect(await s.incr('chord-unlock-g', 100)).toBe(11);
    now += 99_000; // 198 s after the first write, 99 s after the last
    expect(await s.get('chord-unlock-g')).toBe('11');
    now += 2_000;
    expect(await s.incr('chord-unlock-g', 100)).toBe(1);
    await s.set('text', 'abc', null, false);
    await expect(s.incr('text', null)).rejects.toBeInstanceOf(
      MalformedResultError,
    );
    await s.close();
  });

  it('reads an empty value as null and refuses empty keys', async () => {
    const s = new MemoryResultStore();
    await s.set('e', '', null, false);
    expect(await s.get('e')).toBeNull();
    await expect(s.get('')).rejects.toBeInstanceOf(InvalidTaskIdError);
    await s.close();
  });

  it('close() completes events, is idempotent and rejects later calls', async () => {
    const s = new MemoryResultStore();
    let completed = false;
    s.events.subscribe({ complete: () => (completed = true) });
    await s.set('k', 'v', null, false);
    await s.close();
    await s.close();
    expect(completed).toBe(true);
    await expect(s.get('k')).rejects.toThrow(/closed/);
    await expect(s.ping()).rejects.toThrow(/closed/);
  });
});
